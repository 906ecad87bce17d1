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
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from twilio_lint import masking
from twilio_lint.knowledge import credentials
from twilio_lint.semantic.text import TextDocument
from twilio_lint.findings import Finding
from twilio_lint.semantic.model import SemanticModel
from twilio_lint.facts.credentials import credential_name
from twilio_lint.registry import RuleDoc

CODE = "TWL102"
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
)

_TWILIO_WORD_RE = re.compile(r"(?i)twilio")
#: Functions whose first argument names a setting and whose second (or ``default=``) is its
#: fallback value: ``os.getenv``, ``os.environ.get``, ``settings.get``, decouple's ``config``.
_LOOKUP_FUNCS = frozenset({"getenv", "get", "setdefault", "pop", "config", "env", "str"})


@dataclass(frozen=True)
class Slot:
    """Where a literal goes: the name it is stored under and the credential kind it holds."""

    name: str
    kind: str  # token, secret, password (token or secret by shape), client_secret
    by_position: bool  # a Twilio class's credential parameter, not just a name


# --- Python ------------------------------------------------------------------------------------


def check(module: SemanticModel) -> Iterator[Finding]:
    """Credentials in the string literals of a Python module."""
    about_twilio: bool | None = None
    constants: dict[ast.expr, Slot] | None = None
    for unit in _string_units(module):
        # Plain literals are most units (docstrings): skip the general text assembly and the
        # SID regexes when a substring test already says no.
        text = unit.value if isinstance(unit, ast.Constant) else _unit_text(unit)
        if "AC" in text or "SK" in text:
            yield from _sid_findings(module, unit, text)
        if len(text) < 32 or "\0" in text or isinstance(module.parent(unit), ast.Expr):
            continue  # too short, not static, or a bare string statement (a docstring)
        slot = _slot(module, unit)
        if slot is None and _is_module_constant(module, unit):
            if constants is None:
                constants = _constants_given_as_credentials(module)
            slot = constants.get(unit)
        if slot is None:
            continue
        if not slot.by_position:
            if about_twilio is None:
                about_twilio = _mentions_twilio(module.source)
            if not (about_twilio or "twilio" in slot.name.lower()):
                continue
        if credentials.is_secret_value(text, exact_shape=not slot.by_position):
            kind = _resolve_kind(slot.kind, text)
            finding = module.finding(
                CODE,
                unit,
                _secret_message(kind, text, slot.name),
                fingerprint_text=_fingerprint(slot.name, text),
                data=_fix_data(module, unit, kind),
            )
            finding.redact = True
            yield finding


def _mentions_twilio(text: str) -> bool:
    """The file is about Twilio: it names it or holds a real Account/API key SID."""
    if _TWILIO_WORD_RE.search(text):
        return True
    return any(credentials.is_real_sid(m[1], m[2]) for m in credentials.CREDENTIAL_SID_RE.finditer(text))


def _string_units(module: SemanticModel) -> Iterator[ast.expr]:
    """Outermost string expressions: a literal, an f-string, a ``+`` chain with literals."""
    inside: set[ast.AST] = set()  # parts of a concatenation already taken as one unit
    units: list[ast.expr] = []
    for node in module.nodes(ast.BinOp):
        if node in inside or not isinstance(node.op, ast.Add):
            continue
        parts = _add_chain(node)
        inside.update(parts)  # inner chains are parts of this one, text or not
        if any(_is_literal_text(part) for part in parts):
            units.append(node)
    for node in module.unordered(ast.Constant):
        text = node.value
        # Most literals are short and hold no SID: alone they cannot be a finding.
        if type(text) is not str or (len(text) < 32 and "AC" not in text and "SK" not in text):
            continue
        if node in inside or isinstance(module.parent(node), (ast.JoinedStr, ast.FormattedValue)):
            continue  # part of a concatenation or an f-string: that is the unit
        units.append(node)
    for node in module.unordered(ast.JoinedStr):
        if node not in inside and not isinstance(module.parent(node), ast.FormattedValue):
            units.append(node)
    units.sort(key=lambda unit: (unit.lineno, unit.col_offset))
    return iter(units)


def _is_module_constant(module: SemanticModel, unit: ast.expr) -> bool:
    """``NAME = <unit>`` at module level: a value ``module_constant`` can give."""
    parent = module.parent(unit)
    return isinstance(parent, ast.Assign) and module.parent(parent) is module.tree


def _is_literal_text(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _add_chain(node: ast.BinOp) -> list[ast.AST]:
    """Every node of a ``+`` tree (iterative: generated code chains thousands of terms)."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = [node]
    while stack:
        current = stack.pop()
        found.append(current)
        if isinstance(current, ast.BinOp) and isinstance(current.op, ast.Add):
            stack.extend((current.left, current.right))
    return found


def _unit_text(unit: ast.expr) -> str:
    """The literal text of a unit; ``\\0`` stands for each part not known statically."""
    parts: list[str] = []
    stack: list[ast.AST] = [unit]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            parts.append(node.value)
        elif isinstance(node, ast.JoinedStr):
            stack.extend(reversed(node.values))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            stack.extend((node.right, node.left))
        else:
            parts.append("\0")
    return "".join(parts)


def _sid_findings(module: SemanticModel, unit: ast.expr, text: str) -> Iterator[Finding]:
    for kind, value in _shape_hits(text):
        finding = module.finding(
            CODE,
            unit,
            _message(kind, value),
            severity="warning" if kind == "account" else "error",
            fingerprint_text=_fingerprint(kind, value),
            data=_fix_data(module, unit, kind),
        )
        # Reports mask SID shapes on their own; a SID split over a concatenation they cannot see.
        finding.redact = isinstance(unit, ast.BinOp)
        yield finding


def _shape_hits(text: str) -> Iterator[tuple[str, str]]:
    """(kind, value) for each real SID in ``text`` and each secret of an ``AC…:secret`` pair."""
    if "AC" not in text and "SK" not in text:
        return  # most strings (docstrings): a substring test is far cheaper than the regexes
    seen: set[str] = set()
    for match in credentials.CREDENTIAL_SID_RE.finditer(text):
        value = match.group(0)
        if value not in seen and credentials.is_real_sid(match[1], match[2]):
            seen.add(value)
            yield ("account" if match[1] == "AC" else "key"), value
    for match in credentials.CREDENTIAL_PAIR_RE.finditer(text):
        secret = match.group(1)
        if secret not in seen and credentials.is_secret_value(secret):
            seen.add(secret)
            yield ("token" if match.group(0).startswith("AC") else "secret"), secret


def _slot(module: SemanticModel, unit: ast.expr) -> Slot | None:
    """The credential name or parameter a literal is given to, if any."""
    parent = module.parent(unit)
    if isinstance(parent, ast.keyword):
        call = module.parent(parent)
        if isinstance(call, ast.Call) and parent.arg is not None:
            return _call_slot(module, call, parent.arg, None) or _named(parent.arg)
        return None
    if isinstance(parent, ast.Call) and unit in parent.args:
        index = parent.args.index(unit)
        return _call_slot(module, parent, None, index) or _paired_slot(parent.args, index)
    if isinstance(parent, ast.Tuple):
        index = parent.elts.index(unit)
        return _unpacked_slot(module, parent, unit) or _paired_slot(parent.elts, index)
    if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is unit:
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        return _first_named(credential_name(target) for target in targets)
    if isinstance(parent, ast.Dict) and unit in parent.values:
        key = parent.keys[parent.values.index(unit)]
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return _named(key.value)
        return None
    if isinstance(parent, ast.arguments):
        return _named(_default_owner(parent, unit))
    return None


def _constants_given_as_credentials(module: SemanticModel) -> dict[ast.expr, Slot]:
    """``DEFAULT = "<token>"`` … ``Client(sid, DEFAULT)``: the constant's value, by the
    credential parameter it reaches (reported at the literal, where the fix goes)."""
    found: dict[ast.expr, Slot] = {}
    for call in module.calls:
        spec = credentials.CREDENTIAL_CALL_PARAMS.get(module.qualname(call.func) or "")
        if spec is None:
            continue
        params, kinds = spec
        given = [*zip(params, call.args), *((k.arg, k.value) for k in call.keywords)]
        for param, arg in given:
            if param in kinds and isinstance(arg, ast.Name):
                value = module.module_constant(arg.id)
                if value is not None:
                    found[value] = Slot(arg.id, kinds[param], by_position=True)
    return found


def _call_slot(
    module: SemanticModel, call: ast.Call, keyword: str | None, index: int | None
) -> Slot | None:
    """A Twilio credential parameter, or the fallback of a settings lookup."""
    qualname = module.qualname(call.func)
    spec = credentials.CREDENTIAL_CALL_PARAMS.get(qualname or "")
    if spec is not None:
        params, kinds = spec
        name = keyword if keyword is not None else (params[index] if index < len(params) else "")
        if name in kinds:
            return Slot(name, kinds[name], by_position=True)
        return None
    func_name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(
        call.func, "id", ""
    )
    names = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if func_name == "getattr" and index == 2 and len(names) >= 1:
        return _named(names[0])
    is_default = index == 1 or keyword == "default"
    if func_name in _LOOKUP_FUNCS and is_default and call.args:
        first = call.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return _named(first.value)
    return None


def _paired_slot(values: list[ast.expr], index: int) -> Slot | None:
    """``("AC…", "<token>")``, ``HTTPBasicAuth("SK…", "<secret>")``: a secret right after a
    real SID is its password."""
    if index != 1 or len(values) != 2:
        return None
    first = values[0]
    if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
        return None
    match = credentials.CREDENTIAL_SID_RE.fullmatch(first.value)
    if match is None or not credentials.is_real_sid(match[1], match[2]):
        return None
    kind = "token" if match[1] == "AC" else "secret"
    return Slot("basic auth", kind, by_position=True)


def _unpacked_slot(module: SemanticModel, values: ast.Tuple, unit: ast.expr) -> Slot | None:
    """``sid, token = "AC…", "…"``: the target at the same position names the value."""
    assign = module.parent(values)
    if not isinstance(assign, ast.Assign) or assign.value is not values:
        return None
    index = values.elts.index(unit)
    names = []
    for target in assign.targets:
        if isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == len(values.elts):
            names.append(credential_name(target.elts[index]))
    return _first_named(names)


def _default_owner(arguments: ast.arguments, default: ast.expr) -> str | None:
    """The parameter whose default value ``default`` is."""
    if default in arguments.defaults:
        positional = [*arguments.posonlyargs, *arguments.args]
        offset = len(positional) - len(arguments.defaults)
        return positional[offset + arguments.defaults.index(default)].arg
    if default in arguments.kw_defaults:
        return arguments.kwonlyargs[arguments.kw_defaults.index(default)].arg
    return None


def _named(name: str | None) -> Slot | None:
    if not name:
        return None
    kind = credentials.secret_kind_of_name(name)
    return Slot(name, kind, by_position=False) if kind else None


def _first_named(names: Iterable[str | None]) -> Slot | None:
    for name in names:
        slot = _named(name)
        if slot is not None:
            return slot
    return None


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
#: Lookups whose fallback a literal may be: their default is left alone (an eager
#: ``os.environ[...]`` there would raise even when the setting exists).
_FALLBACK_LOOKUPS = frozenset(
    {"getattr", "get", "getenv", "setdefault", "pop", "config", "env", "str"}
)


def _fix_data(module: SemanticModel, unit: ast.expr, kind: str) -> dict | None:
    """What the fix needs, or None when no fix is offered: ``env``, the environment variable
    to read instead, and ``replace``: ``"literal"`` (the literal becomes
    ``os.environ[env]``) or ``"lookup"`` (the ``os.getenv(env, <literal>)`` call it is the
    fallback of becomes ``os.environ[env]``). Never the credential itself."""
    if not (isinstance(unit, ast.Constant) and isinstance(unit.value, str)):
        return None  # an f-string or a concatenation: the credential is part of a longer text
    if not _EXACT_CREDENTIAL_RE.fullmatch(unit.value):
        return None
    parent = module.parent(unit)
    if not isinstance(parent, _REPLACEABLE_IN):
        return None
    if isinstance(parent, ast.AnnAssign) and parent.value is not unit:
        return None
    if kind == "account" and not _given_as_the_account(module, unit, parent):
        return None  # an AC… SID elsewhere may be a subaccount: not the configured account
    env = credentials.CREDENTIAL_LABELS.get(kind, credentials.CREDENTIAL_LABELS["secret"])[1]
    replace = "literal"
    if isinstance(parent, ast.Call) or (
        isinstance(parent, ast.keyword) and parent.arg == "default"
    ):
        call = parent if isinstance(parent, ast.Call) else module.parent(parent)
        if (
            isinstance(call, ast.Call)
            and module.is_qualname(call.func, *_ENV_GETTERS)
            and call.args
            and isinstance(call.args[0], ast.Constant)
            and isinstance(call.args[0].value, str)
            and call.args[0] is not unit
        ):
            # os.getenv("TWILIO_AUTH_TOKEN", "<secret>") → os.environ["TWILIO_AUTH_TOKEN"]
            env, replace = call.args[0].value, "lookup"
        elif _is_fallback_lookup(call):
            return None
    if isinstance(parent, ast.Assign) and any(_is_environ_item(t) for t in parent.targets):
        return None  # os.environ["X"] = "<secret>": the environment itself is being set
    return {"env": env, "replace": replace}


def _is_fallback_lookup(call: ast.AST) -> bool:
    if not isinstance(call, ast.Call):
        return False
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in _FALLBACK_LOOKUPS


def _is_environ_item(target: ast.AST) -> bool:
    from twilio_lint.semantic.nodes import dotted_name

    return isinstance(target, ast.Subscript) and (dotted_name(target.value) or "").endswith(
        "environ"
    )


def _given_as_the_account(module: SemanticModel, literal: ast.expr, parent: ast.AST) -> bool:
    """Is the literal given as *the* account SID (a client's account, a setting named so)?"""
    from twilio_lint.facts.clients import ClientFacts

    names: list[str | None] = []
    if isinstance(parent, ast.Call):
        if (
            literal in parent.args
            and ClientFacts.of(module).is_client_constructor(parent)
            and parent.args.index(literal) in (0, 2)
        ):
            return True
    elif isinstance(parent, ast.keyword):
        names.append(parent.arg)
    elif isinstance(parent, (ast.Assign, ast.AnnAssign)):
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        names.extend(credential_name(target) for target in targets)
    elif isinstance(parent, ast.Dict):
        if literal in parent.values:
            key = parent.keys[parent.values.index(literal)]
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                names.append(key.value)
    elif isinstance(parent, ast.Tuple):
        assign = module.parent(parent)
        if isinstance(assign, ast.Assign) and assign.value is parent:
            index = parent.elts.index(literal)
            for target in assign.targets:
                if isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == len(
                    parent.elts
                ):
                    names.append(credential_name(target.elts[index]))
    return any(name and "account" in name.lower() or name in ("sid", "username") for name in names)


# --- other files -------------------------------------------------------------------------------

_ENV_LINE = re.compile(r"^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.\-]*)[ \t]*=[ \t]*(.*)$")
_INI_LINE = re.compile(r"^[ \t]*([^\s=:#;\[][^=:]*?)[ \t]*[=:][ \t]*(.*)$")
_TOML_PAIR = re.compile(
    r"""(?:^|[{,])[ \t]*([A-Za-z0-9_\-]+|"[^"\n]*"|'[^'\n]*')[ \t]*=[ \t]*("[^"\n]*"|'[^'\n]*')"""
)
_YAML_PAIR = re.compile(
    r"""^[ \t]*(?:-[ \t]+)?(["']?)([^"'#:{}\[\],\s][^"'#:{}\[\],]*?)\1[ \t]*:[ \t]+(.+?)[ \t]*$"""
)
_YAML_ENV_ITEM = re.compile(
    r"""^[ \t]*-[ \t]+(["']?)([A-Za-z_][A-Za-z0-9_]*)=(.*?)\1[ \t]*(?:#.*)?$"""
)
_JSON_PAIR = re.compile(r'"((?:[^"\\\n]|\\.)*)"\s*:\s*"((?:[^"\\\n]|\\.)*)"')
#: Worth reading the key/value pairs at all: a SID or a credential-ish word in the file.
_FILE_HINT = re.compile(r"(?i)token|secret|password|(?:AC|SK)[0-9a-fA-F]{32}")


def check_file(document: TextDocument) -> Iterator[Finding]:
    """Credentials in a ``.env``/INI/CFG/YAML/JSON/TOML file."""
    text = document.text
    if not _FILE_HINT.search(text):
        return
    for start, kind, value in _file_shape_hits(text):
        line, col = document.offset_to_position(start)
        message = _message(kind, value, document.basename)
        yield _file_finding(document, line, col, col + len(value), message, kind,
                            _fingerprint(kind, value))
    if not _mentions_twilio(text):
        return
    for name, value, line, col in _file_pairs(document):
        if len(value) < 32:
            continue
        slot = _named(name)
        if slot is None or not credentials.is_secret_value(value):
            continue
        kind = _resolve_kind(slot.kind, value)
        message = _secret_message(kind, value, name, document.basename)
        yield _file_finding(document, line, col, col + len(value), message, kind,
                            _fingerprint(name, value))


def _file_shape_hits(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, kind, value) of each real SID and basic-auth secret in a file."""
    for match in credentials.CREDENTIAL_SID_RE.finditer(text):
        if credentials.is_real_sid(match[1], match[2]):
            yield match.start(), ("account" if match[1] == "AC" else "key"), match.group(0)
    for match in credentials.CREDENTIAL_PAIR_RE.finditer(text):
        if credentials.is_secret_value(match.group(1)):
            kind = "token" if match.group(0).startswith("AC") else "secret"
            yield match.start(1), kind, match.group(1)


def _file_finding(
    document: TextDocument, line: int, col: int, end_col: int, message: str, kind: str,
    fingerprint: str,
) -> Finding:
    finding = document.finding(
        CODE, line, col, end_col, message,
        severity="warning" if kind == "account" else "error",
        fingerprint_text=fingerprint,
    )
    finding.redact = True
    return finding


def _file_pairs(document: TextDocument) -> Iterator[tuple[str, str, int, int]]:
    """(key, value, line, 0-based column of the value) for each setting in the file."""
    name = document.basename.lower()
    if name.endswith(".json"):
        for match in _JSON_PAIR.finditer(document.text):
            line, col = document.offset_to_position(match.start(2))
            yield match.group(1), match.group(2), line, col
        return
    if name.endswith(".toml"):
        yield from _toml_pairs(document)
        return
    if name.endswith((".yaml", ".yml")):
        yield from _yaml_pairs(document)
        return
    pattern = _INI_LINE if name.endswith((".ini", ".cfg")) else _ENV_LINE
    for number, line in enumerate(document.lines, start=1):
        if line.lstrip().startswith(("#", ";", "[")):
            continue
        match = pattern.match(line)
        if match:
            value, col = _scalar(match.group(2), match.start(2))
            yield match.group(1).strip(), value, number, col


def _toml_pairs(document: TextDocument) -> Iterator[tuple[str, str, int, int]]:
    for number, line in enumerate(document.lines, start=1):
        if line.lstrip().startswith("#"):
            continue
        for match in _TOML_PAIR.finditer(line):
            key = match.group(1).strip("\"'")
            yield key, match.group(2)[1:-1], number, match.start(2) + 1


def _yaml_pairs(document: TextDocument) -> Iterator[tuple[str, str, int, int]]:
    """``key: value``, ``- NAME=value`` (compose), and ``- name: X`` / ``value: …`` (k8s)."""
    last_name: tuple[int, str] | None = None
    for number, line in enumerate(document.lines, start=1):
        if line.lstrip().startswith("#"):
            continue
        item = _YAML_ENV_ITEM.match(line)
        if item:
            value, col = _scalar(item.group(3), item.start(3))
            yield item.group(2), value, number, col
            continue
        match = _YAML_PAIR.match(line)
        if not match:
            continue
        key = match.group(2).strip()
        value, col = _scalar(match.group(3), match.start(3))
        if key == "name":
            last_name = (number, value)
        elif key == "value" and last_name is not None and number - last_name[0] <= 2:
            key = last_name[1]  # the env var this value belongs to
        yield key, value, number, col


def _scalar(raw: str, col: int) -> tuple[str, int]:
    """A value as written after ``=``/``:``: unquoted (inline comment dropped) or quoted."""
    if raw[:1] in ("'", '"'):
        end = raw.find(raw[0], 1)
        return (raw[1:end] if end > 0 else raw[1:]), col + 1
    value = re.split(r"[ \t]+[#;]", raw, maxsplit=1)[0].strip()
    return value, col


# --- messages ----------------------------------------------------------------------------------


def _resolve_kind(kind: str, value: str) -> str:
    """``password`` is an auth token when it is 32 hex, an API key secret otherwise."""
    if kind == "password":
        return "token" if credentials.HEX32_RE.match(value) else "secret"
    return kind


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
    label, env = credentials.CREDENTIAL_LABELS.get(kind, credentials.CREDENTIAL_LABELS["secret"])
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
