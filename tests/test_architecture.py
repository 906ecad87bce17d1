"""The package's architecture, checked from its source with ``ast`` (nothing is imported).

The layers, innermost first (an inner layer never imports an outer one):

- ``knowledge``: what we know about the Twilio SDK (tables, data files); imports only itself.
- ``semantic``: what a file says (the semantic model, text documents); imports only itself and
  ``findings``.
- ``facts``: derived facts (retries, TwiML, web frameworks, the project index); imports only
  facts, semantic, knowledge, findings, files (to read the project's other modules) and the
  result cache's recording of dependencies (``record_dependency``, ``record_probe``,
  ``recording``, ``replay``).
- ``rules``: one module per rule; a rule never imports another rule (a family's helper
  modules ``rules/<family>/_*.py`` are for sharing).
- the front doors (``cli``, ``lsp`` with ``lsp_buffers``, ``lsp_stream``, ``lsp_notebooks``,
  ``flake8_plugin``, ``engine``, ``runner``, ``__main__``, ``command`` with ``replay``), which
  nothing in the layers above imports.

The import graph counts every ``import`` and ``from … import`` of the package anywhere in a
module: at the top and lazily inside functions (a lazy import is still a dependency, and a lazy
cycle is still a cycle the moment the function runs). ``from twilio_lint.x import y`` is the
module ``twilio_lint.x.y`` when ``y`` is a submodule, else ``twilio_lint.x``; importing a module
also runs the ``__init__`` of every package it is in, so those are edges too (except the
importer's own packages, which are already being imported when it runs). Imports under
``if TYPE_CHECKING:`` never run: they are left out of the cycle check, but the layer checks
count them, since a type from an outer layer is still a dependency on it. Dynamic imports
(``importlib.import_module`` with a computed name: the rule and fix registries) are not seen.

Also checked: no class over 500 lines, no module over 800 unless it is a data table, and only
``twilio_lint.files`` decodes source bytes or replaces files (one decoder, one atomic writer).
"""

from __future__ import annotations

import ast
import functools
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import twilio_lint

PACKAGE = "twilio_lint"
ROOT = Path(twilio_lint.__file__).resolve().parent

MAX_CLASS_LINES = 500
MAX_MODULE_LINES = 800
#: A module longer than MAX_MODULE_LINES is allowed only if it is a data table: more than this
#: share of the lines of its top-level statements are constant assignments (see
#: ``is_constant_assignment``). Function and class bodies are never constant assignments, so a
#: code module cannot qualify however its code is arranged.
DATA_TABLE_SHARE = 0.70

FRONT_DOORS = frozenset(
    f"{PACKAGE}.{name}"
    for name in (
        "cli", "lsp", "lsp_buffers", "lsp_stream", "lsp_notebooks", "flake8_plugin", "engine",
        "runner", "__main__", "command", "replay",
    )
)
FINDINGS = f"{PACKAGE}.findings"
FILES = f"{PACKAGE}.files"  # the one decoder: facts read the project's other modules with it
KNOWLEDGE = f"{PACKAGE}.knowledge"
SEMANTIC = f"{PACKAGE}.semantic"
FACTS = f"{PACKAGE}.facts"
RULES = f"{PACKAGE}.rules"

#: The facts layer's one way out: the modules that read other files of the project (project
#: modules for the project index, framework settings for the web frameworks) tell the result
#: cache what a file's result depended on, through ``twilio_lint.cache.record_dependency``
#: (a file read) and ``record_probe`` (a file looked for, found or not), so a cached result is
#: dropped when such a file changes or appears; the project index replays what a memoised
#: answer recorded (``recording``, ``replay``). Exactly these imports are allowed.
FACTS_CACHE_IMPORTS = frozenset(
    {
        (f"{FACTS}.project", f"{PACKAGE}.cache", "record_dependency"),
        (f"{FACTS}.project", f"{PACKAGE}.cache", "recording"),
        (f"{FACTS}.project", f"{PACKAGE}.cache", "replay"),
        (f"{FACTS}.module", f"{PACKAGE}.cache", "record_probe"),
        (f"{FACTS}.webframeworks", f"{PACKAGE}.cache", "record_dependency"),
        (f"{FACTS}.django_settings", f"{PACKAGE}.cache", "record_dependency"),
    }
)


# --- the import graph ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module
    line: int
    name: str | None = None  # ``from target import name`` (not a submodule); None otherwise
    lazy: bool = False  # inside a function
    type_checking: bool = False  # under ``if TYPE_CHECKING:``: never runs
    implicit: bool = False  # the __init__ of a package an imported module is in

    def describe(self) -> str:
        notes = [f"line {self.line}"]
        if self.lazy:
            notes.append("lazy")
        if self.type_checking:
            notes.append("TYPE_CHECKING")
        if self.implicit:
            notes.append("package __init__")
        return f"{self.source} -> {self.target} ({', '.join(notes)})"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@functools.cache
def package_modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package is its ``__init__``)."""
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        if all((folder / "__init__.py").exists() for folder in _folders(path)):
            found[module_name(path)] = path
    return found


def _folders(path: Path) -> Iterator[Path]:
    folder = path.parent
    while folder != ROOT.parent:
        yield folder
        folder = folder.parent


@functools.cache
def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(name: str, tree: ast.Module, is_package: bool, known: set[str]) -> list[Import]:
    """The package imports of the module ``name`` (``known``: every module of the package)."""
    found: list[Import] = []

    def visit(node: ast.AST, lazy: bool, type_checking: bool) -> None:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for target, imported in _resolve(name, is_package, node, known):
                common = {"line": node.lineno, "lazy": lazy, "type_checking": type_checking}
                found.append(Import(name, target, name=imported, **common))
                for package in _packages_of(target):
                    if not in_package(name, package):
                        found.append(Import(name, package, implicit=True, **common))
            return
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, lazy, True)
            for child in node.orelse:
                visit(child, lazy, type_checking)
            return
        inner = lazy or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        for child in ast.iter_child_nodes(node):
            visit(child, inner, type_checking)

    visit(tree, False, False)
    return found


def _resolve(
    name: str, is_package: bool, node: ast.Import | ast.ImportFrom, known: set[str]
) -> Iterator[tuple[str, str | None]]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if in_package(alias.name, PACKAGE):
                yield alias.name, None
        return
    base = node.module or ""
    if node.level:
        parts = name.split(".") if is_package else name.split(".")[:-1]
        parts = parts[: len(parts) - (node.level - 1)]
        base = ".".join([*parts, *([node.module] if node.module else [])])
    if not in_package(base, PACKAGE):
        return
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        if submodule in known:
            yield submodule, None
        else:
            yield base, alias.name


def _packages_of(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts))]


@functools.cache
def all_imports() -> tuple[Import, ...]:
    modules = package_modules()
    known = set(modules)
    found: list[Import] = []
    for name, path in modules.items():
        found.extend(imports_of(name, parsed(path), path.name == "__init__.py", known))
    return tuple(found)


def explicit_imports() -> list[Import]:
    """The imports written in the source (layer checks), ``TYPE_CHECKING`` ones included."""
    return [imp for imp in all_imports() if not imp.implicit and imp.source != imp.target]


def runtime_graph() -> dict[str, dict[str, Import]]:
    """module → imported module → the first import making that edge; self-edges left out."""
    graph: dict[str, dict[str, Import]] = {name: {} for name in package_modules()}
    for imp in all_imports():
        if imp.type_checking or imp.source == imp.target:
            continue
        graph[imp.source].setdefault(imp.target, imp)
    return graph


def strongly_connected(graph: dict[str, dict[str, Import]]) -> list[list[str]]:
    """Tarjan's algorithm: the components with more than one module (cycles)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return components


def shortest_cycle(graph: dict[str, dict[str, Import]], start: str, within: set[str]) -> list[str]:
    """The shortest import path from ``start`` back to itself, through ``within`` only."""
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node]):
                if target not in within:
                    continue
                if target == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if target not in previous:
                    previous[target] = node
                    following.append(target)
        frontier = following
    return []


def describe_cycle(graph: dict[str, dict[str, Import]], cycle: list[str]) -> str:
    return "\n".join(f"      {graph[a][b].describe()}" for a, b in itertools.pairwise(cycle))


# --- the checks ---------------------------------------------------------------------------------


def test_the_graph_sees_top_level_lazy_and_submodule_imports():
    # Guards the checks below against passing vacuously.
    modules = package_modules()
    assert {f"{PACKAGE}.cli", f"{PACKAGE}.findings", f"{PACKAGE}.knowledge.sdk"} <= set(modules)
    edges = {(imp.source, imp.target, imp.lazy, imp.implicit) for imp in all_imports()}
    cli = f"{PACKAGE}.cli"
    assert (cli, f"{PACKAGE}.lsp", True, False) in edges  # lazy, `from twilio_lint.lsp import`
    # `from twilio_lint.adoption import options`: the submodule, and its package's __init__.
    assert (cli, f"{PACKAGE}.adoption.options", True, False) in edges
    assert (cli, f"{PACKAGE}.adoption", True, True) in edges


def test_the_import_resolver():
    known = {"twilio_lint", "twilio_lint.a", "twilio_lint.a.b", "twilio_lint.a.c", "twilio_lint.d"}
    source = (
        "from typing import TYPE_CHECKING\n"
        "import os\n"
        "from twilio_lint.a import b, helper\n"  # a submodule, then a name of twilio_lint.a
        "from . import c\n"  # relative: twilio_lint.a.c
        "from twilio_lint import a as package\n"  # the importer's own package: a self-edge
        "if TYPE_CHECKING:\n"
        "    from twilio_lint.d import T\n"
        "def f():\n"
        "    import twilio_lint.d\n"
    )
    found = imports_of("twilio_lint.a", ast.parse(source), True, known)
    assert [(i.target, i.name, i.lazy, i.type_checking, i.implicit) for i in found] == [
        ("twilio_lint.a.b", None, False, False, False),
        ("twilio_lint.a", "helper", False, False, False),
        ("twilio_lint.a.c", None, False, False, False),
        ("twilio_lint.a", None, False, False, False),
        ("twilio_lint.d", "T", False, True, False),
        ("twilio_lint.d", None, True, False, False),
    ]
    # From outside the package, importing twilio_lint.a.b also runs twilio_lint.a's __init__.
    outside = imports_of("twilio_lint.d", ast.parse("import twilio_lint.a.b\n"), False, known)
    assert [(i.target, i.implicit) for i in outside] == [
        ("twilio_lint.a.b", False),
        ("twilio_lint.a", True),
    ]


def test_every_package_import_names_a_module_that_exists():
    # A lazy import of a moved or deleted module fails only when its function runs.
    modules = package_modules()
    missing = [f"  {imp.describe()}" for imp in explicit_imports() if imp.target not in modules]
    missing = list(dict.fromkeys(missing))
    assert not missing, "imports of modules that do not exist:\n" + "\n".join(missing)


def test_there_are_no_import_cycles():
    graph = runtime_graph()
    report = []
    for component in strongly_connected(graph):
        members = set(component)
        report.append(f"  a cycle through {len(component)} modules: {', '.join(component)}")
        seen: set[tuple[str, ...]] = set()
        for start in component:
            cycle = shortest_cycle(graph, start, members)
            rotation = min(tuple(cycle[i:-1] + cycle[:i]) for i in range(len(cycle) - 1))
            if rotation in seen:
                continue
            seen.add(rotation)
            report.append("    " + " -> ".join(cycle))
            report.append(describe_cycle(graph, cycle))
    assert not report, "import cycles (TYPE_CHECKING imports not counted):\n" + "\n".join(report)


def test_no_class_is_over_500_lines():
    too_long = []
    for name, path in package_modules().items():
        for node in ast.walk(parsed(path)):
            if isinstance(node, ast.ClassDef):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                length = node.end_lineno - start + 1
                if length > MAX_CLASS_LINES:
                    too_long.append(f"  {name}.{node.name} (line {start}): {length} lines")
    assert not too_long, f"classes over {MAX_CLASS_LINES} lines:\n" + "\n".join(too_long)


#: Code in disguise: an assignment whose value holds one of these is not a constant.
_NOT_CONSTANT = (ast.Lambda, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)


def _constant_name(target: ast.expr) -> bool:
    if isinstance(target, ast.Subscript):  # TABLE["key"] = …: one more entry of a table
        target = target.value
    return isinstance(target, ast.Name) and target.id.lstrip("_").isupper()


def is_constant_assignment(statement: ast.stmt) -> bool:
    """``UPPER_CASE = <data>`` (or ``_UPPER: T = <data>``, ``TABLE[key] = <data>``): every
    target a constant-style name, the value made of literals, names, operators, calls
    (``frozenset({...})``, ``re.compile("…")``, a record class of the module) and
    comprehensions over them (``{f"{verb}_url" for verb in (...)}``), with no lambda."""
    if isinstance(statement, ast.Assign):
        targets, value = statement.targets, statement.value
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        targets, value = [statement.target], statement.value
    else:
        return False
    if not all(_constant_name(target) for target in targets):
        return False
    return not any(isinstance(node, _NOT_CONSTANT) for node in ast.walk(value))


def _lines(statement: ast.stmt) -> int:
    decorators = getattr(statement, "decorator_list", [])
    start = min([statement.lineno, *(d.lineno for d in decorators)])
    return statement.end_lineno - start + 1


def data_share(tree: ast.Module) -> float:
    """The share of the lines of top-level statements (the docstring left out) that are
    constant assignments."""
    body = tree.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    total = sum(_lines(statement) for statement in body)
    data = sum(_lines(statement) for statement in body if is_constant_assignment(statement))
    return data / total if total else 0.0


def test_the_data_table_definition():
    table = ast.parse(
        '"""Doc."""\nimport re\nNAMES = frozenset({\n "a",\n "b",\n "c",\n})\n'
        'PATTERN = re.compile(r"x")\n_PRIVATE: dict[str, int] = {"a": 1}\n'
        '_URLS = {f"{verb}_url" for verb in ("sms", "voice")}\nNAMES_BY_KEY["k"] = 1\n'
    )
    assert data_share(table) == 9 / 10  # all but the import
    code = ast.parse(
        "TABLE = {1: 2}\nHANDLERS = {k: (lambda: k) for k in TABLE}\nstate = {}\n"
        "def f():\n    return 1\n"
    )
    assert data_share(code) == 1 / 5  # TABLE only: HANDLERS holds code, state is no constant


def test_no_code_module_is_over_800_lines():
    too_long = []
    for name, path in package_modules().items():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines <= MAX_MODULE_LINES:
            continue
        share = data_share(parsed(path))
        if share <= DATA_TABLE_SHARE:
            too_long.append(f"  {name}: {lines} lines, {share:.0%} of them constant tables")
    assert not too_long, (
        f"code modules over {MAX_MODULE_LINES} lines (a data-table module, over "
        f"{DATA_TABLE_SHARE:.0%} constant assignments, may be longer):\n" + "\n".join(too_long)
    )


def _layer_violations(layer: str, allowed) -> list[str]:
    found = [
        f"  {imp.describe()}"
        for imp in explicit_imports()
        if in_package(imp.source, layer) and not allowed(imp)
    ]
    return list(dict.fromkeys(found))  # one line for `from x import a, b, c`


def test_knowledge_imports_only_itself():
    bad = _layer_violations(KNOWLEDGE, lambda imp: in_package(imp.target, KNOWLEDGE))
    assert not bad, "twilio_lint.knowledge imports outside itself:\n" + "\n".join(bad)


def test_semantic_imports_only_itself_and_findings():
    bad = _layer_violations(
        SEMANTIC, lambda imp: in_package(imp.target, SEMANTIC) or imp.target == FINDINGS
    )
    assert not bad, "twilio_lint.semantic imports outside semantic and findings:\n" + "\n".join(
        bad
    )


def test_facts_import_only_facts_semantic_knowledge_findings_files():
    def allowed(imp: Import) -> bool:
        return (
            any(in_package(imp.target, layer) for layer in (FACTS, SEMANTIC, KNOWLEDGE))
            or imp.target in (FINDINGS, FILES)
            or (imp.source, imp.target, imp.name) in FACTS_CACHE_IMPORTS
        )

    bad = _layer_violations(FACTS, allowed)
    assert not bad, (
        "twilio_lint.facts imports outside facts, semantic, knowledge, findings, files (and "
        "the cache's dependency recording from facts.project, facts.module, "
        "facts.webframeworks, facts.django_settings):\n" + "\n".join(bad)
    )


def is_rule_module(module: str) -> bool:
    parts = module.split(".")
    return len(parts) == 4 and in_package(module, RULES) and parts[3].startswith("twl")


def test_no_rule_module_imports_another():
    # Rule modules, family helpers (rules/<family>/_*.py) and the rules packages alike: a rule
    # is reached only through the registry, and shared code lives in a helper.
    bad = [
        f"  {imp.describe()}"
        for imp in explicit_imports()
        if in_package(imp.source, RULES) and is_rule_module(imp.target)
    ]
    bad = list(dict.fromkeys(bad))
    assert not bad, "imports of a rule module inside twilio_lint.rules:\n" + "\n".join(bad)


def test_inner_layers_never_import_the_front_doors():
    bad = [
        f"  {imp.describe()}"
        for imp in explicit_imports()
        if any(in_package(imp.source, layer) for layer in (RULES, FACTS, SEMANTIC, KNOWLEDGE))
        and imp.target in FRONT_DOORS
    ]
    bad = list(dict.fromkeys(bad))
    assert not bad, (
        "rules, facts, semantic or knowledge import a front door "
        f"({', '.join(sorted(FRONT_DOORS))}):\n" + "\n".join(bad)
    )


def test_files_imports_nothing_of_the_package_but_findings():
    bad = [
        f"  {imp.describe()}"
        for imp in explicit_imports()
        if imp.source == f"{PACKAGE}.files" and imp.target != FINDINGS
    ]
    bad = list(dict.fromkeys(bad))
    assert not bad, "twilio_lint.files imports from the package:\n" + "\n".join(bad)


#: The bottom modules every layer may use: they import only one another (an upward import,
#: such as masking -> knowledge before, would tie the bottom to a layer above it).
BOTTOM = frozenset(
    f"{PACKAGE}.{name}"
    for name in (
        "findings", "files", "masking", "globs", "prefilter", "noqa", "notebooks", "inputs"
    )
)


def test_the_bottom_modules_import_only_one_another():
    bad = [
        f"  {imp.describe()}"
        for imp in explicit_imports()
        if imp.source in BOTTOM and imp.target not in BOTTOM and imp.target != PACKAGE
    ]
    bad = list(dict.fromkeys(bad))
    assert not bad, (
        f"{', '.join(sorted(BOTTOM))} import from above them:\n" + "\n".join(bad)
    )


#: What only ``twilio_lint.files`` may call: the one decoder of source bytes (a coding cookie
#: is read by ``detect_encoding``) and the one atomic writer (temp file and rename).
_FILES_ONLY = frozenset({"detect_encoding", "mkstemp", "NamedTemporaryFile", "replace", "rename"})


def test_one_decoder_and_one_atomic_writer():
    bad = []
    for name, path in package_modules().items():
        if name == f"{PACKAGE}.files":
            continue
        for node in ast.walk(parsed(path)):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner, called = node.func.value, node.func.attr
            on_os = isinstance(owner, ast.Name) and owner.id == "os"
            if called in ("replace", "rename") and not on_os:
                continue  # str.replace is fine; os.replace is not
            if called in _FILES_ONLY:
                bad.append(f"  {name} (line {node.lineno}): {ast.unparse(node.func)}()")
    assert not bad, "decode or write files through twilio_lint.files:\n" + "\n".join(bad)
