"""Where a string literal goes, as far as credentials are concerned: the Twilio credential
parameter it is given to (resolved through imports, or reached through a module constant), or
the credential name it is stored under (assignment target, keyword, dict key, parameter
default, the setting a lookup falls back from). ``CredentialSlots.of(module)``."""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from twilio_lint.facts.credentials import credential_name
from twilio_lint.knowledge import credentials
from twilio_lint.semantic.model import Facts, SemanticModel
from twilio_lint.semantic.nodes import last_name

#: Functions whose first argument names a setting and whose second (or ``default=``) is its
#: fallback value: ``os.getenv``, ``os.environ.get``, ``settings.get``, decouple's ``config``.
_LOOKUP_FUNCS = frozenset({"getenv", "get", "setdefault", "pop", "config", "env", "str"})
#: Lookups whose default a literal may be: the above, and ``getattr(obj, "NAME", <default>)``.
_FALLBACK_LOOKUPS = _LOOKUP_FUNCS | {"getattr"}

_Spec = tuple[tuple[str, ...], dict[str, str]]


@dataclass(frozen=True)
class Slot:
    """Where a literal goes: the name it is stored under and the credential kind it holds."""

    name: str
    kind: str  # token, secret, password (token or secret by shape), client_secret
    by_position: bool  # a Twilio class's credential parameter, not just a name


class CredentialSlots(Facts):
    """The credential slots of one module's literals, and whether the module is about Twilio."""

    @functools.cached_property
    def about_twilio(self) -> bool:
        return credentials.mentions_twilio(self.module.source)

    @functools.cached_property
    def _constants(self) -> dict[ast.expr, Slot]:
        """``DEFAULT = "<token>"`` … ``Client(sid, DEFAULT)``: the constant's value, by the
        credential parameter it reaches."""
        found: dict[ast.expr, Slot] = {}
        for call in self.module.calls:
            spec = _credential_spec(self.module, call)
            for _param, kind, arg in _credential_arguments(spec, call):
                if isinstance(arg, ast.Name):
                    value = self.module.module_constant(arg.id)
                    if value is not None:
                        found[value] = Slot(arg.id, kind, by_position=True)
        return found

    def slot(self, unit: ast.expr) -> Slot | None:
        """The credential parameter or name a literal is given to, if any."""
        found = _slot(self.module, unit)
        if found is None and _is_module_constant(self.module, unit):
            found = self._constants.get(unit)
        return found


def stored_under(module: SemanticModel, literal: ast.expr) -> list[str | None]:
    """The names a literal is stored under: the keyword it is given as, the assignment targets
    (in an unpacking, the target at its position), the dict key, the parameter it defaults."""
    parent = module.parent(literal)
    if isinstance(parent, ast.keyword):
        return [parent.arg]
    if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is literal:
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        return [credential_name(target) for target in targets]
    if isinstance(parent, ast.Dict) and literal in parent.values:
        key = parent.keys[parent.values.index(literal)]
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return [key.value]
        return []
    if isinstance(parent, ast.Tuple):
        return _unpacked_names(module, parent, literal)
    if isinstance(parent, ast.arguments):
        return [_default_owner(parent, literal)]
    return []


def named(name: str | None) -> Slot | None:
    """The slot of a name that says it holds an auth token or API key secret."""
    if not name:
        return None
    kind = credentials.secret_kind_of_name(name)
    return Slot(name, kind, by_position=False) if kind else None


def is_fallback_lookup(call: ast.AST) -> bool:
    """A settings lookup (``os.getenv``, ``getattr``, ``config``…) a literal may be the
    default of."""
    return isinstance(call, ast.Call) and last_name(call.func) in _FALLBACK_LOOKUPS


def _slot(module: SemanticModel, unit: ast.expr) -> Slot | None:
    parent = module.parent(unit)
    if isinstance(parent, ast.keyword):
        call = module.parent(parent)
        if isinstance(call, ast.Call) and parent.arg is not None:
            return _call_slot(module, call, unit, parent.arg, None) or named(parent.arg)
        return None
    if isinstance(parent, ast.Call) and unit in parent.args:
        index = parent.args.index(unit)
        return _call_slot(module, parent, unit, None, index) or _paired_slot(parent.args, index)
    if isinstance(parent, ast.Tuple):
        index = parent.elts.index(unit)
        return _first_named(stored_under(module, unit)) or _paired_slot(parent.elts, index)
    return _first_named(stored_under(module, unit))


def _is_module_constant(module: SemanticModel, unit: ast.expr) -> bool:
    """``NAME = <unit>`` at module level: a value ``module_constant`` can give."""
    parent = module.parent(unit)
    return isinstance(parent, ast.Assign) and module.parent(parent) is module.tree


def _credential_spec(module: SemanticModel, call: ast.Call) -> _Spec | None:
    """The credential parameters of the Twilio class ``call`` constructs, if it is one."""
    return credentials.CREDENTIAL_CALL_PARAMS.get(module.qualname(call.func) or "")


def _credential_arguments(spec: _Spec | None, call: ast.Call) -> Iterator[tuple[str, str, ast.AST]]:
    """(parameter, kind, argument) for each credential parameter given in ``call``."""
    if spec is None:
        return
    params, kinds = spec
    for param, arg in [*zip(params, call.args), *((k.arg, k.value) for k in call.keywords)]:
        if param in kinds:
            yield param, kinds[param], arg


def _call_slot(
    module: SemanticModel, call: ast.Call, unit: ast.expr, keyword: str | None, index: int | None
) -> Slot | None:
    """A Twilio credential parameter, or the fallback of a settings lookup."""
    spec = _credential_spec(module, call)
    if spec is None:
        return _lookup_slot(call, keyword, index)
    for param, kind, arg in _credential_arguments(spec, call):
        if arg is unit:
            return Slot(param, kind, by_position=True)
    return None


def _lookup_slot(call: ast.Call, keyword: str | None, index: int | None) -> Slot | None:
    """``getattr(settings, "TWILIO_AUTH_TOKEN", <unit>)``, ``os.getenv("…", <unit>)``."""
    func_name = last_name(call.func)
    if func_name == "getattr" and index == 2:
        names = [
            a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
        ]
        if names:
            return named(names[0])
    if func_name in _LOOKUP_FUNCS and (index == 1 or keyword == "default"):
        return named(credential_name(call))
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
    return Slot("basic auth", credentials.paired_secret_kind(match[1]), by_position=True)


def _unpacked_names(module: SemanticModel, values: ast.Tuple, unit: ast.expr) -> list[str | None]:
    """``sid, token = "AC…", "…"``: the target at the same position names the value."""
    assign = module.parent(values)
    if not isinstance(assign, ast.Assign) or assign.value is not values:
        return []
    index = values.elts.index(unit)
    return [
        credential_name(target.elts[index])
        for target in assign.targets
        if isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == len(values.elts)
    ]


def _default_owner(arguments: ast.arguments, default: ast.expr) -> str | None:
    """The parameter whose default value ``default`` is."""
    if default in arguments.defaults:
        positional = [*arguments.posonlyargs, *arguments.args]
        offset = len(positional) - len(arguments.defaults)
        return positional[offset + arguments.defaults.index(default)].arg
    if default in arguments.kw_defaults:
        return arguments.kwonlyargs[arguments.kw_defaults.index(default)].arg
    return None


def _first_named(names: Iterable[str | None]) -> Slot | None:
    for name in names:
        slot = named(name)
        if slot is not None:
            return slot
    return None


