"""TWL102 hardcoded-credential: Twilio credentials written as literals in code or config files.

Three kinds of evidence, weakest assumption first:

- a SID shape anywhere in a string (``AC``/``SK`` + 32 hex, also inside URLs, f-strings and
  concatenations), or the secret of an ``AC…:<token>`` basic-auth pair;
- a secret given to a Twilio class's credential parameter (``Client(sid, "<token>")``,
  ``RequestValidator("<token>")``, ``AccessToken(…, secret=…)``), resolved through imports;
- a 32-alphanumeric value under a credential name (assignment target, keyword, dict key,
  ``os.environ.get("TWILIO_AUTH_TOKEN", "<default>")``, a key in ``.env``/YAML/JSON/TOML/INI),
  in a file that is about Twilio (it mentions Twilio or holds a real SID).

Placeholders (``ACXXXX…``, ``ACaaaa…``, ``your_auth_token``, ``<token>``, ``${VAR}``) and
low-entropy values stay quiet (``credentials.is_placeholder_credential``). Messages and every output
show at most the first 4 characters of a value.

The pieces: what credentials look like in ``knowledge/credentials.py``; which string expressions
there are in ``_string_units``, where each goes in ``_credential_slots``; settings of config
files in ``_config_files``. This module decides, words the messages and says what a fix needs.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from twilio_lint import masking
from twilio_lint.facts.clients import ClientFacts
from twilio_lint.facts.credentials import credential_name
from twilio_lint.findings import Finding
from twilio_lint.knowledge import credentials, twilio_docs
from twilio_lint.registry import RuleDoc
from twilio_lint.rules.auth._config_files import key_value_pairs
from twilio_lint.rules.auth._credential_slots import (
    CredentialSlots,
    Slot,
    is_fallback_lookup,
    named,
    stored_under,
)
from twilio_lint.rules.auth._environ_fixes import environ_fix
from twilio_lint.rules.auth._string_units import string_units, unit_text
from twilio_lint.semantic.model import SemanticModel
from twilio_lint.semantic.nodes import dotted_name
from twilio_lint.semantic.text import TextDocument

CODE = "TWL102"
#: Every string literal of a file is read: the engine indexes the tree once, up front.
WALKS_EVERY_NODE = True
NAME = "hardcoded-credential"
SUMMARY = "Twilio auth token, API key or Account SID written into code or a config file"
DEFAULT_ON = True
FIX = "unsafe"

#: Files that never mention "twilio" are still parsed when they hold an AC/SK SID.
# Two patterns, not one alternation: each keeps the regex engine's fast literal-prefix scan.
TRIGGER = (rb"AC[0-9a-fA-F]{32}", rb"SK[0-9a-fA-F]{32}")
FILE_PATTERNS = (
    ".env",
    ".env.*",
    "*.env",
    "*.ini",
    "*.cfg",
    "*.yaml",
    "*.yml",
    "*.json",
    "*.toml",
)

DOC = RuleDoc(
    what=(
        "Flags Twilio credentials written as literals: an auth token or API key secret given to "
        "a credential parameter (`Client(sid, '<token>')`, `RequestValidator('<token>')`, "
        "`AccessToken(..., secret)`), or a 32-character secret assigned to a credential-named "
        "variable, attribute, keyword, dict key or `os.environ.get(..., '<default>')`; an API key "
        "SID (`SK` + 32 hex); and an Account SID (`AC` + 32 hex, reported as a warning: an "
        "identifier, not a secret). Also looks into `.env`, `.ini`, `.cfg`, `.yaml`/`.yml`, "
        "`.json` and `.toml` files. Placeholders (`ACXXXX…`, `ACaaaa…`, `your_auth_token`, "
        "`[AuthToken]`, `<token>`, `${VAR}`), values under 32 characters and low-entropy strings "
        "are not reported. Messages show only the first 4 characters of a value."
    ),
    why=(
        "Source code and config files end up in version control, CI logs, container images and "
        "support tickets. Anyone holding the auth token or an API key secret can send messages "
        "and place calls on your account and read its data; the value stays in the history after "
        "it is deleted from the file, so a leaked credential must be rotated. The Account SID is "
        "not a secret, but hard-coding it ties the code to one account."
    ),
    example=(
        "from twilio.rest import Client\n"
        "\n"
        'TWILIO_API_KEY = "{{FAKE_API_KEY_SID}}"\n'
        'TWILIO_API_SECRET = "{{FAKE_API_SECRET}}"\n'
        "\n"
        'client = Client(TWILIO_API_KEY, TWILIO_API_SECRET, "{{FAKE_ACCOUNT_SID}}")\n'
    ),
    use_instead=(
        "import os\n"
        "\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(\n"
        '    os.environ["TWILIO_API_KEY"],\n'
        '    os.environ["TWILIO_API_SECRET"],\n'
        '    os.environ["TWILIO_ACCOUNT_SID"],\n'
        ")\n"
    ),
    fix_safety=(
        "Unsafe: a string literal that is exactly the credential becomes "
        '`os.environ["TWILIO_AUTH_TOKEN"]` (or `TWILIO_API_KEY`, `TWILIO_API_SECRET`, '
        "`TWILIO_ACCOUNT_SID`, as the message names it), adding `import os` if needed; a "
        'secret given as the fallback of `os.getenv("NAME", …)` or `os.environ.get("NAME", …)` '
        'turns the lookup into `os.environ["NAME"]`. It is unsafe because the variable must '
        "then be set wherever the code runs, or reading it raises `KeyError`. No fix is "
        "offered for credentials inside longer strings, f-strings or concatenations, in "
        "parameter defaults or fallbacks of other lookups (`getattr`, `config(…, default=)`), "
        "in assignments to `os.environ[...]`, for an `AC…` SID not given as the account (it "
        "may be a subaccount), or in non-Python files. No fix un-leaks a committed secret: "
        "rotate it."
    ),
    references=(twilio_docs.API_KEYS, twilio_docs.REQUESTS_TO_TWILIO),
)


# --- Python ------------------------------------------------------------------------------------


def check(module: SemanticModel) -> Iterator[Finding]:
    """Credentials in the string literals of a Python module."""
    slots = CredentialSlots.of(module)
    for unit in string_units(module):
        text = unit_text(unit)
        if "AC" in text or "SK" in text:
            yield from _sid_findings(module, unit, text)
        if len(text) < 32 or "\0" in text or isinstance(module.parent(unit), ast.Expr):
            continue  # too short, not static, or a bare string statement (a docstring)
        if not credentials.is_secret_value(text, exact_shape=False):
            continue  # secret-like under any slot's rule: test it before finding the slot
        slot = slots.slot(unit)
        if slot is not None and _is_secret_in(slots, slot, text):
            kind = credentials.password_kind(slot.kind, text)
            data = _fix_data(module, unit, kind)
            finding = module.finding(
                CODE,
                unit,
                _secret_message(kind, text, slot.name),
                fingerprint_text=_fingerprint(slot.name, text),
                data=data,
                fix_applicability=environ_fix(module, data, FIX),
            )
            finding.redact = True
            yield finding


def _is_secret_in(slots: CredentialSlots, slot: Slot, text: str) -> bool:
    """A credential parameter takes any secret-like value; a credential *name* only Twilio's
    exact shape, and only in a module about Twilio (or under a name that says Twilio)."""
    if not slot.by_position and not (slots.about_twilio or "twilio" in slot.name.lower()):
        return False
    return credentials.is_secret_value(text, exact_shape=not slot.by_position)


def _sid_findings(module: SemanticModel, unit: ast.expr, text: str) -> Iterator[Finding]:
    """A real SID, or the secret of an ``AC…:secret`` pair, anywhere in a unit (once each)."""
    seen: set[str] = set()
    for _offset, kind, value in credentials.credential_shapes(text):
        if value in seen:
            continue
        seen.add(value)
        data = _fix_data(module, unit, kind)
        finding = module.finding(
            CODE,
            unit,
            _message(kind, value),
            severity=_severity(kind),
            fingerprint_text=_fingerprint(kind, value),
            data=data,
            fix_applicability=environ_fix(module, data, FIX),
        )
        # Reports mask SID shapes on their own; a SID split over a concatenation they cannot see.
        finding.redact = isinstance(unit, ast.BinOp)
        yield finding


# --- what the fix needs --------------------------------------------------------------------------

#: A literal that is exactly one credential (not a URL or a longer string holding it).
_EXACT_CREDENTIAL_RE = re.compile(r"[A-Za-z0-9]{32,34}")
#: Lookups whose fallback becomes the lookup itself: ``os.getenv("NAME", "<secret>")``.
_ENV_GETTERS = ("os.getenv", "os.environ.get")
#: Where a literal may be swapped for an expression without changing what the code means
#: structurally (not a docstring, a pattern, an annotation).
_REPLACEABLE_IN = (
    ast.Assign,
    ast.AnnAssign,
    ast.keyword,
    ast.Call,
    ast.Dict,
    ast.Tuple,
    ast.List,
    ast.Set,
    ast.Return,
    ast.NamedExpr,
    ast.Compare,
)


def _fix_data(module: SemanticModel, unit: ast.expr, kind: str) -> dict | None:
    """What the fix needs, or None when no fix is offered: ``env``, the environment variable
    to read instead, and ``replace``: ``"literal"`` (the literal becomes
    ``os.environ[env]``) or ``"lookup"`` (the ``os.getenv(env, <literal>)`` call it is the
    fallback of becomes ``os.environ[env]``). Never the credential itself."""
    if not _is_replaceable(module, unit):
        return None  # an f-string, a longer text, a docstring, an annotation…
    parent = module.parent(unit)
    if kind == "account" and not _given_as_the_account(module, unit, parent):
        return None  # an AC… SID elsewhere may be a subaccount: not the configured account
    if isinstance(parent, ast.Assign) and any(_is_environ_item(t) for t in parent.targets):
        return None  # os.environ["X"] = "<secret>": the environment itself is being set
    if isinstance(parent, ast.Call):
        return _fallback_fix_data(module, parent, unit, kind)
    if isinstance(parent, ast.keyword) and parent.arg == "default":
        return _fallback_fix_data(module, module.parent(parent), unit, kind)
    return {"env": credentials.credential_label(kind)[1], "replace": "literal"}


def _is_replaceable(module: SemanticModel, unit: ast.expr) -> bool:
    """A plain literal that is exactly the credential, where an expression may stand."""
    if not (isinstance(unit, ast.Constant) and isinstance(unit.value, str)):
        return False
    if not _EXACT_CREDENTIAL_RE.fullmatch(unit.value):
        return False
    parent = module.parent(unit)
    if not isinstance(parent, _REPLACEABLE_IN):
        return False
    return not (isinstance(parent, ast.AnnAssign) and parent.value is not unit)


def _fallback_fix_data(
    module: SemanticModel, call: ast.AST | None, unit: ast.expr, kind: str
) -> dict | None:
    """The literal is an argument of ``call``: ``os.getenv("NAME", <literal>)`` becomes the
    lookup ``os.environ["NAME"]``; the fallback of another lookup stays (an eager
    ``os.environ[...]`` there would raise even when the setting exists)."""
    if isinstance(call, ast.Call) and module.is_qualname(call.func, *_ENV_GETTERS):
        env = credential_name(call)
        if env is not None and call.args[0] is not unit:
            if credentials.CREDENTIAL_SID_RE.search(env) or credentials.is_secret_value(env):
                return None  # a credential where the name goes: the data never holds one
            return {"env": env, "replace": "lookup"}
    if is_fallback_lookup(call):
        return None
    return {"env": credentials.credential_label(kind)[1], "replace": "literal"}


def _is_environ_item(target: ast.AST) -> bool:
    return isinstance(target, ast.Subscript) and (dotted_name(target.value) or "").endswith(
        "environ"
    )


def _given_as_the_account(module: SemanticModel, literal: ast.expr, parent: ast.AST) -> bool:
    """Is the literal given as *the* account SID (a client's account, a setting named so)?"""
    if isinstance(parent, ast.Call):
        return (
            literal in parent.args
            and ClientFacts.of(module).is_client_constructor(parent)
            and parent.args.index(literal) in (0, 2)
        )
    return any(
        name and "account" in name.lower() or name in ("sid", "username")
        for name in stored_under(module, literal)
    )


# --- other files -------------------------------------------------------------------------------

#: Worth reading the key/value pairs at all: a SID or a credential-ish word in the file.
_FILE_HINT = re.compile(r"(?i)token|secret|password|(?:AC|SK)[0-9a-fA-F]{32}")


def check_file(document: TextDocument) -> Iterator[Finding]:
    """Credentials in a ``.env``/INI/CFG/YAML/JSON/TOML file."""
    text = document.text
    if not _FILE_HINT.search(text):
        return
    for start, kind, value in credentials.credential_shapes(text):
        line, col = document.offset_to_position(start)
        message = _message(kind, value, document.basename)
        yield _file_finding(document, line, col, value, message, kind, _fingerprint(kind, value))
    if not credentials.mentions_twilio(text):
        return
    for pair in key_value_pairs(document):
        slot = named(pair.key) if len(pair.value) >= 32 else None
        if slot is None or not credentials.is_secret_value(pair.value):
            continue
        kind = credentials.password_kind(slot.kind, pair.value)
        message = _secret_message(kind, pair.value, pair.key, document.basename)
        fingerprint = _fingerprint(pair.key, pair.value)
        yield _file_finding(document, pair.line, pair.col, pair.value, message, kind, fingerprint)


def _file_finding(
    document: TextDocument, line: int, col: int, value: str, message: str, kind: str,
    fingerprint: str,
) -> Finding:
    finding = document.finding(
        CODE, line, col, col + len(value), message,
        severity=_severity(kind),
        fingerprint_text=fingerprint,
    )
    finding.redact = True
    return finding


# --- messages ----------------------------------------------------------------------------------


def _severity(kind: str) -> str:
    """An Account SID is an identifier, not a secret: a warning."""
    return "warning" if kind == "account" else "error"


def _message(kind: str, value: str, filename: str = "") -> str:
    masked = masking.mask_secret(value)
    if kind == "account" and filename:
        return (
            f"Account SID '{masked}' in {filename}: an identifier, not a secret, but a committed "
            "file ties the project to one account; set TWILIO_ACCOUNT_SID in the environment of "
            "each deployment instead"
        )
    if kind == "account":
        return (
            f"Account SID '{masked}' written into the source: an identifier, not a secret, but it "
            'ties the code to one account; read it from configuration (os.environ["'
            'TWILIO_ACCOUNT_SID"])'
        )
    return _secret_message(kind, value, "", filename)


def _secret_message(kind: str, value: str, name: str, filename: str = "") -> str:
    label, env = credentials.credential_label(kind)
    masked = masking.mask_secret(value)
    where = f" in {filename}" if filename else (f" ({name})" if name else "")
    advice = (
        "keep it out of files under version control: set it in the environment or a secret "
        f"manager ({env})"
        if filename
        else f'read it from the environment (os.environ["{env}"]) or a secret manager'
    )
    rotate = "revoke the key" if kind in ("key", "secret") else "rotate it"
    return f"Hard-coded Twilio {label} '{masked}'{where}; {advice}, and {rotate} if it was shared"


def _fingerprint(name: str, value: str) -> str:
    """Identifies the finding for a baseline without holding the secret."""
    import hashlib  # only when a credential is found

    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]
    return f"{CODE}:{name}:{digest}"
