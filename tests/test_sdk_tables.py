"""The knowledge tables are written by many hands: a table assigned twice silently loses the
first one."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import twilio_lint.knowledge

KNOWLEDGE = Path(twilio_lint.knowledge.__file__).parent


def _module_level_names(tree: ast.Module) -> list[str]:
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
            continue
        else:
            continue
        for target in targets:
            names.extend(_bound(target))
    return names


def _bound(target: ast.AST) -> list[str]:
    """Names a target rebinds (``TABLE["key"] = …`` fills a table, it does not rebind it)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Starred):
        return _bound(target.value)
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for elt in target.elts for name in _bound(elt)]
    return []


def test_no_name_is_assigned_twice_at_module_level() -> None:
    for source in sorted(KNOWLEDGE.glob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        counts = Counter(_module_level_names(tree))
        twice = sorted(name for name, count in counts.items() if count > 1)
        assert twice == [], f"assigned more than once in {source.name}: {twice}"


def test_the_check_sees_a_duplicate() -> None:
    tree = ast.parse("A = 1\nB: int = 2\ndef f(): pass\nA = 3\nf = None\nB['k'] = 4\n")
    assert sorted(n for n, c in Counter(_module_level_names(tree)).items() if c > 1) == ["A", "f"]
