"""RubyGems: ``Gemfile`` (``gem "twilio-ruby", "~> 7.0"``) and ``Gemfile.lock``."""

from __future__ import annotations

import re

from twilio_lint.manifests.pins import Pin, Source

GEM = "twilio-ruby"
_GEM_LINE = re.compile(
    r"""(?m)^[ \t]*gem[ \t(]+(["'])twilio-ruby\1"""
    r"""(?P<args>(?:[ \t]*,[ \t]*(?P<q>["'])[^"'\n]*(?P=q)){0,8})"""
)
_STRING = re.compile(r"""(["'])([^"'\n]*)\1""")
_REQUIREMENT = re.compile(r"^\s*(?:~>|>=|<=|!=|=|>|<)?\s*\d")
_LOCK_SPEC = re.compile(r"(?m)^    twilio-ruby \(([^)\s]+)\)[ \t]*$")


def gemfile(source: Source) -> list[Pin]:
    pins = []
    for match in _GEM_LINE.finditer(source.text):
        args_start = match.start("args")
        requirements = []
        spans = []
        for string in _STRING.finditer(match.group("args")):
            if _REQUIREMENT.match(string.group(2)):
                requirements.append(string.group(2))
                spans.append((args_start + string.start(2), args_start + string.end(2)))
        if spans:
            start, end = spans[0][0], spans[-1][1]
            pins.append(
                Pin("rubygems", "ruby", ", ".join(requirements), source, start, end,
                    ruby_requirements=tuple(requirements))
            )
        else:
            name_at = match.start() + match.group(0).index(GEM)
            pins.append(Pin("rubygems", "ruby", "", source, name_at, name_at + len(GEM)))
    return pins


def gemfile_lock(source: Source) -> list[Pin]:
    return [
        Pin("rubygems", "exact", match.group(1), source, *match.span(1))
        for match in _LOCK_SPEC.finditer(source.text)
    ]
