"""Rule discovery: every ``twilio_lint/rules/<family>/twl*.py`` module is a rule.

A rule module defines, next to its logic:

- ``CODE`` (``"TWL101"``), ``NAME`` (kebab-case), ``SUMMARY`` (one line), ``DOC`` (a ``RuleDoc``),
  ``DEFAULT_ON`` (False for opt-in rules), ``FIX`` (``"safe"``, ``"unsafe"``,
  ``"sometimes-unsafe"`` when its fixes differ by case, or ``None``);
- ``check(module: SemanticModel) -> Iterable[Finding]`` for Python files, and/or
  ``check_file(document: TextDocument) -> Iterable[Finding]`` with ``FILE_PATTERNS`` (basename
  globs such as ``"requirements*.txt"``) for other files;
- optionally ``OPTIONS``: ``{"option-name": Option(...)}`` that config files may set.

Rules are grouped by family (``auth``, ``webhooks``, ``traffic``, ``resilience``, ``currency``);
a family's shared helpers live beside its rules in modules whose names start with ``_``. A rule
declares ``FIX`` exactly when ``twilio_lint/fixes/`` has a module for its code: checked at load.

Adding a rule touches one new module and its tests; nothing here changes.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from types import ModuleType
from typing import Any

from twilio_lint import __version__

DOCS_URL = "https://github.com/twilio-lint/twilio-lint/blob/main/docs/rules/{code}.md"


@dataclass(frozen=True)
class RuleDoc:
    """A rule's documentation, in the sections Ruff's rule pages use."""

    what: str
    why: str
    example: str
    use_instead: str
    fix_safety: str = "This rule has no automatic fix."
    # The example must be flagged and use_instead must stay quiet: tests run both. Examples
    # that need other files (manifests) name the file they stand for here.
    example_filename: str = "example.py"
    # The Twilio documentation the rule enforces (plain URLs, from knowledge/twilio_docs.py):
    # the References that end the rule's page and ``explain``.
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class Option:
    """A rule option settable in ``[tool.twilio-lint]`` or ``.twilio-lint.yaml``."""

    type: type | tuple[type, ...]
    default: Any
    help: str
    item_type: type | None = None  # for list options: the type of each item
    bounds: tuple[int, int] | None = None  # for integer options: the sensible range


@dataclass(frozen=True)
class Rule:
    """A rule as the engine needs it. Its module (its logic, its DOC, and the facts it asks) is
    imported on first use of ``check``, ``check_file`` or ``doc``: a run in which no file can
    trigger a rule never imports it."""

    code: str
    name: str
    summary: str
    default_on: bool
    fix: str | None
    module_name: str
    python: bool  # defines check(module)
    text: bool  # defines check_file(document)
    file_patterns: tuple[str, ...]
    triggers: tuple[bytes, ...] = ()  # TRIGGER: evidence in files that never say "twilio"
    # FILE_TRIGGER: check_file runs on a file only if it says "twilio" or matches one of these
    file_triggers: tuple[bytes, ...] | None = None
    options: dict[str, Option] = field(default_factory=dict)
    # Defines check_noqa(module, findings): called after the other rules, with their findings
    # before ``# noqa`` is applied (TWL501).
    noqa: bool = False
    # WALKS_EVERY_NODE: the rule looks at every node of a file it checks (TWL102: every
    # string), so the engine has the tree indexed up front and the imports are read from that
    # one walk instead of a statement walk of their own.
    walks_every_node: bool = False

    @property
    def module(self) -> ModuleType:
        # Asked for every rule on every file: a dict lookup once imported.
        module = sys.modules.get(self.module_name)
        return module if module is not None else importlib.import_module(self.module_name)

    @property
    def doc(self) -> RuleDoc:
        return self.module.DOC

    @property
    def check(self) -> Callable[..., Iterable[Any]] | None:
        return self.module.check if self.python else None

    @property
    def check_file(self) -> Callable[..., Iterable[Any]] | None:
        return self.module.check_file if self.text else None

    @property
    def check_noqa(self) -> Callable[..., Iterable[Any]] | None:
        return self.module.check_noqa if self.noqa else None

    @property
    def url(self) -> str:
        return DOCS_URL.format(code=self.code, version=__version__)


REQUIRED = ("CODE", "NAME", "SUMMARY", "DOC")


def _load(module: ModuleType) -> Rule:
    missing = [attr for attr in REQUIRED if not hasattr(module, attr)]
    if missing:
        raise TypeError(f"rule module {module.__name__} lacks {', '.join(missing)}")
    check = getattr(module, "check", None)
    check_file = getattr(module, "check_file", None)
    check_noqa = getattr(module, "check_noqa", None)
    reported_by_engine = getattr(module, "REPORTED_BY_ENGINE", False)
    if check is None and check_file is None and check_noqa is None and not reported_by_engine:
        raise TypeError(f"rule module {module.__name__} defines neither check nor check_file")
    return Rule(
        code=module.CODE,
        name=module.NAME,
        summary=module.SUMMARY,
        default_on=getattr(module, "DEFAULT_ON", True),
        fix=getattr(module, "FIX", None),
        module_name=module.__name__,
        python=check is not None,
        text=check_file is not None,
        file_patterns=tuple(getattr(module, "FILE_PATTERNS", ())),
        triggers=_patterns(getattr(module, "TRIGGER", None)) or (),
        file_triggers=_patterns(getattr(module, "FILE_TRIGGER", None)),
        options=dict(getattr(module, "OPTIONS", {})),
        noqa=check_noqa is not None,
        walks_every_node=bool(getattr(module, "WALKS_EVERY_NODE", False)),
    )


def _patterns(declared: bytes | str | tuple | list | None) -> tuple[bytes, ...] | None:
    if declared is None:
        return None
    patterns = declared if isinstance(declared, (tuple, list)) else (declared,)
    return tuple(p if isinstance(p, bytes) else p.encode() for p in patterns if p)


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    """Every rule, sorted by code, from the generated index (``rule_index.py``) without
    importing a rule module; from the modules themselves when a rule module was added or
    removed since the index was generated (``python scripts/gen_docs.py`` regenerates it)."""
    from twilio_lint import rules as package
    from twilio_lint.rule_index import RULES

    try:
        indexed = [_from_index(entry) for entry in RULES]
    except (TypeError, ValueError, KeyError):  # written by an older version of this module
        return load_rule_modules()
    if {rule.module_name for rule in indexed} != set(_rule_module_names(package)):
        return load_rule_modules()
    return tuple(indexed)


def load_rule_modules() -> tuple[Rule, ...]:
    """Every rule, sorted by code, read from its imported module and checked."""
    from twilio_lint import rules as package
    from twilio_lint.fixes import fixable_codes

    found = [_load(importlib.import_module(name)) for name in _rule_module_names(package)]
    codes = [rule.code for rule in found]
    duplicated = {code for code in codes if codes.count(code) > 1}
    if duplicated:
        raise TypeError(f"duplicate rule codes: {sorted(duplicated)}")
    _check_fixes_declared(found, fixable_codes())
    return tuple(sorted(found, key=lambda rule: rule.code))


# --- the generated index -------------------------------------------------------------------------

_TYPES = {kind.__name__: kind for kind in (bool, int, float, str, list, dict)}


def _from_index(entry: dict[str, Any]) -> Rule:
    options = {
        name: Option(_type(kind), default, help_text, item_type and _type(item_type), bounds)
        for name, (kind, default, help_text, item_type, bounds) in entry["options"].items()
    }
    return Rule(**{**entry, "options": options})


def _type(name: str | tuple[str, ...]) -> Any:
    return _TYPES[name] if isinstance(name, str) else tuple(_TYPES[item] for item in name)


def _type_name(kind: type | tuple[type, ...] | None) -> str | tuple[str, ...] | None:
    if kind is None or isinstance(kind, type):
        return kind and kind.__name__
    return tuple(item.__name__ for item in kind)


def rule_index_source() -> str:
    """The text of ``twilio_lint/rule_index.py`` for the rule modules as they are now."""
    import pprint
    import textwrap

    entries = []
    for rule in load_rule_modules():
        entry: dict[str, Any] = {name: getattr(rule, name) for name in Rule.__dataclass_fields__}
        entry["options"] = {
            name: (
                _type_name(opt.type), opt.default, opt.help, _type_name(opt.item_type), opt.bounds
            )
            for name, opt in rule.options.items()
        }
        entries.append(entry)
    return "\n".join(
        [
            '"""Generated by ``python scripts/gen_docs.py`` from the rule modules: what the engine',
            'needs to select and prefilter rules without importing them. Do not edit."""',
            "",
            "RULES = (",
            *(textwrap.indent(pprint.pformat(entry, width=96, sort_dicts=False), "    ") + ","
              for entry in entries),
            ")",
            "",
        ]
    )


def _rule_module_names(package: ModuleType) -> list[str]:
    """``twilio_lint.rules.<family>.twlNNN_name`` for every family folder (found on disk:
    importing the family packages is left to the rules that run)."""
    names = []
    for family in pkgutil.iter_modules(package.__path__):
        if not family.ispkg:
            continue
        folders = [os.path.join(path, family.name) for path in package.__path__]
        names.extend(
            f"{package.__name__}.{family.name}.{info.name}"
            for info in pkgutil.iter_modules(folders)
            if info.name.startswith("twl")
        )
    return names


def _check_fixes_declared(rules: list[Rule], fix_modules: frozenset[str]) -> None:
    """A rule says it has a fix (``FIX``) exactly when a fix module exists for its code."""
    declared = {rule.code for rule in rules if rule.fix is not None}
    if declared != fix_modules:
        raise TypeError(
            "rules and fix modules disagree: FIX set without a fix module: "
            f"{sorted(declared - fix_modules)}; fix module without FIX: "
            f"{sorted(fix_modules - declared)}"
        )


@lru_cache(maxsize=1)
def rules_by_code() -> dict[str, Rule]:
    return {rule.code: rule for rule in all_rules()}


def get_rule(code_or_name: str) -> Rule | None:
    wanted = code_or_name.strip()
    for rule in all_rules():
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            return rule
    return None


def all_options() -> dict[str, Option]:
    """Rule options by name; shared options (e.g. ``client-factories``) may appear in several rules
    and must agree."""
    options: dict[str, Option] = dict(SHARED_OPTIONS)
    for rule in all_rules():
        options.update(rule.options)
    return options


#: Options the shared analysis reads (not one rule's): extra names it should trust.
SHARED_OPTIONS: dict[str, Option] = {
    "client-factories": Option(
        list,
        [],
        "Names of your own functions that return a Twilio REST client "
        "(e.g. 'get_twilio_client', 'services.twilio.make_client').",
        item_type=str,
    ),
    "max-file-bytes": Option(
        int,
        2_000_000,
        "Files larger than this many bytes are skipped with a notice.",
        bounds=(1, 1_000_000_000),
    ),
}

#: An option two rules read (TWL301, TWL302): each lists it in its OPTIONS.
RETRY_DECORATORS_OPTION = Option(
    list,
    [],
    "Names of your own retry decorators (e.g. 'resilient', 'myapp.jobs.guarded'): calls in "
    "the functions they decorate count as retried, and their policy is trusted. Decorators "
    "named like a retry ('with_retries', 'retry_on_429', 'backoff') are trusted already.",
    item_type=str,
)
