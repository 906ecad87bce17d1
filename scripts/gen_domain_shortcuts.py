"""Regenerate twilio_lint/knowledge/data/domain_shortcuts.json from an installed twilio package.

Since twilio 8.0.0 the domain-level shortcuts (``client.api.calls``, ``client.chat.services``,
…) emit ``DeprecationWarning``. Each is a property of the domain class in
``twilio/rest/<domain>/__init__.py`` that calls ``warn(..., DeprecationWarning)`` and returns
the preferred path (``self.account.calls``, ``self.v2.services``). This script reads those
properties (as text: nothing is imported or executed) and records, per shortcut, the path the
property returns (what TWL403's fix will rewrite to), the warning text, and the client-level
shortcut that is still current where there is one (``client.calls`` for ``client.api.calls``).

    python scripts/gen_domain_shortcuts.py                  # from the installed twilio
    python scripts/gen_domain_shortcuts.py --source DIR     # from an unpacked twilio/ folder
    python scripts/gen_domain_shortcuts.py --check          # exit 1 if the data file is stale
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "twilio_lint" / "knowledge" / "data" / "domain_shortcuts.json"
USE_INSTEAD = re.compile(r"Use ([A-Za-z0-9_.]+) instead")
VERSION_INFO_RE = re.compile(r"__version_info__\s*=\s*\(([^)]*)\)")


def installed_twilio() -> Path:
    spec = importlib.util.find_spec("twilio")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("twilio is not installed; pass --source")
    return Path(next(iter(spec.submodule_search_locations)))


def sdk_version(package: Path) -> str:
    match = VERSION_INFO_RE.search((package / "__init__.py").read_text(encoding="utf-8"))
    if match is None:
        return "unknown"
    return ".".join(part.strip().strip("\"'") for part in match.group(1).split(",") if part.strip())


def properties(tree: ast.Module, class_name: str | None = None) -> dict[str, ast.FunctionDef]:
    found: dict[str, ast.FunctionDef] = {}
    for cls in tree.body:
        if not isinstance(cls, ast.ClassDef) or (class_name and cls.name != class_name):
            continue
        for node in cls.body:
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Name) and d.id == "property" for d in node.decorator_list
            ):
                found[node.name] = node
    return found


def returned_path(func: ast.FunctionDef) -> str | None:
    """``return self.account.calls`` → ``account.calls``."""
    for node in func.body:
        if isinstance(node, ast.Return) and node.value is not None:
            parts: list[str] = []
            value = node.value
            while isinstance(value, ast.Attribute):
                parts.append(value.attr)
                value = value.value
            if isinstance(value, ast.Name) and value.id == "self" and parts:
                return ".".join(reversed(parts))
    return None


def deprecation_text(func: ast.FunctionDef) -> str | None:
    for node in ast.walk(func):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "warn"
            and any(isinstance(a, ast.Name) and a.id == "DeprecationWarning" for a in node.args)
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            return str(node.args[0].value)
    return None


def client_domains(package: Path) -> dict[str, str]:
    """Client attribute → package folder under twilio/rest, from ``from twilio.rest.X import``."""
    tree = ast.parse((package / "rest" / "__init__.py").read_text(encoding="utf-8"))
    domains = {}
    for name, func in properties(tree, "Client").items():
        for node in ast.walk(func):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("twilio.rest."):
                domains[name] = node.module.split(".")[2]
    return domains


def client_shortcuts(package: Path) -> dict[str, str]:
    """Current client-level shortcuts: path they return → attribute (``api.account.calls``)."""
    tree = ast.parse((package / "rest" / "__init__.py").read_text(encoding="utf-8"))
    shortcuts = {}
    for name, func in properties(tree, "Client").items():
        path = returned_path(func)
        if path is not None and "." in path:
            shortcuts[path] = name
            shortcuts[path.replace(".v2010.", ".")] = name
    return shortcuts


def derive(package: Path) -> dict:
    at_client = client_shortcuts(package)
    shortcuts: dict[str, dict[str, str]] = {}
    for attr, folder in sorted(client_domains(package).items()):
        source = package / "rest" / folder / "__init__.py"
        if not source.exists():
            continue
        for name, func in sorted(properties(ast.parse(source.read_text("utf-8"))).items()):
            text = deprecation_text(func)
            if text is None:
                continue
            target = returned_path(func)
            match = USE_INSTEAD.search(text)
            if target is None and match is not None:
                target = match.group(1)  # the body is unusual: trust the warning
            if target is None:
                print(f"warning: {attr}.{name}: no preferred path found", file=sys.stderr)
                continue
            entry = {"replacement": f"{attr}.{target}", "warning": text}
            if match is not None and match.group(1) != target:
                entry["warning_says"] = f"{attr}.{match.group(1)}"
            if f"{attr}.{target}" in at_client:
                entry["client_shortcut"] = at_client[f"{attr}.{target}"]
            shortcuts[f"{attr}.{name}"] = entry
    return {
        "comment": "Generated by scripts/gen_domain_shortcuts.py; do not edit.",
        "twilio": sdk_version(package),
        "count": len(shortcuts),
        "shortcuts": shortcuts,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="a twilio/ package folder")
    parser.add_argument("--check", action="store_true", help="exit 1 if the data file is stale")
    args = parser.parse_args(argv)
    data = derive(args.source or installed_twilio())
    text = json.dumps(data, indent=2) + "\n"
    if args.check:
        stale = not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text
        print(f"{OUTPUT} is {'stale' if stale else 'up to date'}")
        return 1 if stale else 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT}: {data['count']} shortcuts from twilio {data['twilio']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
