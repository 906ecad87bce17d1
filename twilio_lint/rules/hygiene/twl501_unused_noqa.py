"""TWL501: a ``# noqa: TWLxxx`` that suppresses nothing, or names a code that does not exist
(Ruff's RUF100, for twilio-lint's codes).

Unlike the other rules this one reads the findings of the rest: the engine calls
``check_noqa`` after every other rule ran on the file and before ``# noqa`` is applied. Only
``TWL`` codes are judged: a ``# noqa`` comment is shared with flake8 and other linters, whose
codes (``E501``, ``F401``) and bare ``# noqa`` are theirs to judge.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator

from twilio_lint.findings import Finding
from twilio_lint.knowledge import twilio_docs
from twilio_lint.noqa import NOQA_INLINE, listed_codes
from twilio_lint.registry import RuleDoc, all_rules
from twilio_lint.semantic.model import SemanticModel

CODE = "TWL501"
NAME = "unused-noqa"
SUMMARY = "`# noqa` directive that names a twilio-lint code it does not suppress, or an unknown one"
DEFAULT_ON = False
FIX = "safe"
#: Files with such a directive are parsed even when they never mention Twilio.
TRIGGER = rb"(?i)noqa[^\n]*twl"
_OURS = re.compile(r"TWL", re.I)

DOC = RuleDoc(
    what=(
        "Flags a `# noqa: TWLxxx` comment whose twilio-lint codes suppress nothing on their "
        "line (*unused*), match no rule (*unknown*), or name rules this run does not check "
        "(*non-enabled*), as Ruff's RUF100 does. Other linters' codes in the same comment and "
        "a bare `# noqa` are left alone: they may be there for flake8 or another tool. It "
        "reads Python files and notebooks; `# noqa` in manifests is not judged."
    ),
    why=(
        "A stale `# noqa` hides the next real problem on its line: the code was fixed or "
        "moved, but the exemption stays and silences whatever the rule finds there later. An "
        "unknown code (a typo such as `TWL10l`) suppresses nothing and misleads the reader."
    ),
    example=(
        "import os\n"
        "\n"
        'sender = os.environ["TWILIO_FROM_NUMBER"]  # noqa: TWL102\n'
    ),
    use_instead=(
        "import os\n"
        "\n"
        'sender = os.environ["TWILIO_FROM_NUMBER"]\n'
    ),
    fix_safety=(
        "Safe: the fix removes the codes that suppress nothing from the comment, and the whole "
        "comment (or its line, when the comment stands alone) once no code is left. Other "
        "linters' codes are kept. It changes no code, only a comment."
    ),
    references=(twilio_docs.FLAKE8_NOQA, twilio_docs.RUFF_UNUSED_NOQA),
)


def check_noqa(
    module: SemanticModel, findings: list[Finding], ran: frozenset[str]
) -> Iterator[Finding]:
    """``findings``: what the rules that ``ran`` on the file reported, before ``# noqa``."""
    if "noqa" not in module.source.lower():
        return  # one pass over the file instead of one per line: most files have no directive
    candidates = [
        number
        for number, line in enumerate(module.lines, start=1)
        if "noqa" in line.lower() and _OURS.search(line)
    ]
    if not candidates:
        return
    comments = _comments(module.source)
    known = [rule.code for rule in all_rules()]
    reported: dict[int, set[str]] = {}  # line -> codes reported there: one pass, not per line
    for found in findings:
        reported.setdefault(found.line, set()).add(found.code)
    for number in candidates:
        comment = comments.get(number)
        if comment is None:
            continue  # the directive is inside a string literal, not a comment
        column, text = comment
        finding = _judge(module, number, column, text, reported.get(number, set()), ran, known)
        if finding is not None:
            yield finding


def _judge(
    module: SemanticModel,
    number: int,
    column: int,
    text: str,
    reported: set[str],
    ran: frozenset[str],
    known: list[str],
) -> Finding | None:
    """The finding for the comment ``text`` at (``number``, ``column``), if it has one;
    ``reported``: the codes found on that line."""
    match = NOQA_INLINE.search(text)
    if match is None or not match.group("codes"):
        return None
    codes = listed_codes(match.group("codes"))
    unused, unknown, disabled, keep = [], [], [], []
    for code in codes:
        wanted = code.upper()
        if not wanted.startswith("TWL") or CODE.startswith(wanted):
            keep.append(code)  # another tool's code, or this rule's own (it cannot judge that)
        elif not any(rule.startswith(wanted) for rule in known):
            unknown.append(code)
        elif not any(rule.startswith(wanted) for rule in ran):
            disabled.append(code)
        elif not any(found.startswith(wanted) for found in reported):
            unused.append(code)
        else:
            keep.append(code)
    if not (unused or unknown or disabled):
        return None
    start = column + match.start()
    end = column + match.start("codes") + len(match.group("codes").rstrip(", \t"))
    return Finding(
        code=CODE,
        message=f"Unused `noqa` directive ({_reasons(unused, unknown, disabled)})",
        path=module.path,
        line=number,
        col=start,
        end_line=number,
        end_col=end,
        data={"keep": keep},
        fix_applicability=FIX,
    )


def _reasons(unused: list[str], unknown: list[str], disabled: list[str]) -> str:
    parts = []
    for label, codes in (("unused", unused), ("unknown", unknown), ("non-enabled", disabled)):
        if codes:
            parts.append(f"{label}: " + ", ".join(f"`{code}`" for code in codes))
    return "; ".join(parts)


def _comments(source: str) -> dict[int, tuple[int, str]]:
    """Line → (column, text) of each comment token: a ``#`` inside a string is not one."""
    found: dict[int, tuple[int, str]] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                found[token.start[0]] = (token.start[1], token.string)
    except (tokenize.TokenError, SyntaxError):
        pass  # the file parsed, so this is not expected; judge the comments seen so far
    return found
