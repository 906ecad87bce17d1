"""Regenerate twilio_lint/knowledge/data/dropped_domains.json from twilio-python wheels or sdists.

TWL402 flags ``client.fax``, ``client.autopilot`` and the other products the SDK no longer
has. Which ones those are is read from the SDK's own history: this script compares the
``Client`` properties (and each domain's version properties, e.g. ``preview.understand``) of
older releases with those of the newest release given, and records every attribute that is
gone, with the last examined release that still had it.

    mkdir -p /tmp/twilio-wheels && cd /tmp/twilio-wheels
    for v in 6.0.0 6.10.0 6.15.0 6.20.0 6.30.0 6.40.0 6.50.0 6.63.2 7.0.0 7.8.0 7.17.0 \
             8.0.0 8.3.0 8.7.0 8.13.0 9.0.2 9.2.0 9.5.0 9.8.0 9.10.0 9.11.0 9.12.0 9.13.0; do
        pip download --no-deps "twilio==$v" -d .
    done
    python scripts/gen_dropped_domains.py /tmp/twilio-wheels/*
    python scripts/gen_dropped_domains.py --check /tmp/twilio-wheels/*   # exit 1 if stale

Sources are read as text (never imported or executed). The newest version given is "current".
The shipped data was made from the 23 releases above (the "examined" list in the file), so
"last_seen"/"first_missing" bound the release that dropped an attribute; add releases in
between to narrow them.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "twilio_lint" / "knowledge" / "data" / "dropped_domains.json"
VERSION_IN_NAME = re.compile(r"twilio-(\d+(?:\.\d+)+)")


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


class Archive:
    """The ``twilio/rest`` sources of one wheel or sdist, by path inside the package."""

    def __init__(self, path: Path) -> None:
        match = VERSION_IN_NAME.search(path.name)
        if match is None:
            raise SystemExit(f"{path}: cannot tell the twilio version from the file name")
        self.version = match.group(1)
        self.files: dict[str, str] = {}
        for name, data in _members(path):
            inner = _package_path(name)
            if inner is not None and inner.startswith("twilio/rest/"):
                self.files[inner] = data.decode("utf-8", "replace")

    def classes(self, inner: str) -> list[ast.ClassDef]:
        source = self.files.get(inner)
        if source is None:
            return []
        return [node for node in ast.parse(source).body if isinstance(node, ast.ClassDef)]


def _members(path: Path) -> Iterator[tuple[str, bytes]]:
    if path.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.endswith(".py"):
                    yield name, archive.read(name)
        return
    with tarfile.open(path) as archive:
        for member in archive.getmembers():
            if member.isfile() and member.name.endswith(".py"):
                handle = archive.extractfile(member)
                if handle is not None:
                    yield member.name, handle.read()


def _package_path(name: str) -> str | None:
    """``twilio/rest/x.py`` from a wheel member, ``twilio-6.0.0/twilio/rest/x.py`` from an sdist."""
    if name.startswith("twilio/"):
        return name
    _, _, rest = name.partition("/")
    return rest if rest.startswith("twilio/") else None


def properties(cls: ast.ClassDef) -> dict[str, ast.FunctionDef]:
    found = {}
    for node in cls.body:
        if isinstance(node, ast.FunctionDef) and any(
            isinstance(d, ast.Name) and d.id == "property" for d in node.decorator_list
        ):
            found[node.name] = node
    return found


def members(cls: ast.ClassDef) -> set[str]:
    return {
        node.name
        for node in cls.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }


def is_version_property(func: ast.FunctionDef) -> bool:
    """``self._v1 = V1(self)``: the property builds a Version (or sub-domain) of this domain."""
    for node in ast.walk(func):
        if (
            isinstance(node, ast.Call)
            and len(node.args) == 1
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id == "self"
            and isinstance(node.func, ast.Name)
        ):
            return True
    return False


def client_attributes(archive: Archive) -> set[str]:
    for cls in archive.classes("twilio/rest/__init__.py"):
        if cls.name == "Client":
            return set(properties(cls))
    return set()


def domain_files(archive: Archive, domain: str) -> list[str]:
    prefix = f"twilio/rest/{domain}/"
    return [
        path
        for path in archive.files
        if path.startswith(prefix)
        and "/" not in path[len(prefix):]
        and path.endswith(("/__init__.py", "Base.py"))
    ]


def domain_versions(archive: Archive, domain: str) -> tuple[set[str], set[str]]:
    """(version properties, every member) of the domain class(es) of ``client.<domain>``."""
    versions: set[str] = set()
    everything: set[str] = set()
    for path in domain_files(archive, domain):
        for cls in archive.classes(path):
            everything |= members(cls)
            versions |= {n for n, f in properties(cls).items() if is_version_property(f)}
    return versions, everything


def derive(archives: list[Archive]) -> dict:
    archives = sorted(archives, key=lambda a: version_key(a.version))
    current = archives[-1]
    current_attrs = client_attributes(current)
    client_attrs: dict[str, list[str]] = {}
    versions: dict[str, list[str]] = {}
    for archive in archives[:-1]:
        for attr in client_attributes(archive) - current_attrs:
            client_attrs.setdefault(attr, []).append(archive.version)
        for domain in client_attributes(archive) & current_attrs:
            old_versions, _ = domain_versions(archive, domain)
            _, now = domain_versions(current, domain)
            if not now:
                continue  # an account-level shortcut, not a domain
            for version in old_versions - now:
                versions.setdefault(f"{domain}.{version}", []).append(archive.version)
    examined = [a.version for a in archives]
    return {
        "comment": "Generated by scripts/gen_dropped_domains.py from twilio wheels; do not edit.",
        "current": current.version,
        "examined": examined,
        "client_attributes": _entries(client_attrs, examined, domains_of(archives)),
        "domain_versions": _entries(versions, examined, None),
    }


def domains_of(archives: list[Archive]) -> set[str]:
    """Client attributes that are product domains (they have a ``twilio/rest/<name>/``)."""
    found = set()
    for archive in archives:
        for attr in client_attributes(archive):
            if domain_files(archive, attr):
                found.add(attr)
    return found


def _entries(seen: dict[str, list[str]], examined: list[str], domains: set[str] | None) -> dict:
    entries = {}
    for name in sorted(seen):
        present = sorted(seen[name], key=version_key)
        last = present[-1]
        later = [v for v in examined if version_key(v) > version_key(last)]
        entry = {"first_seen": present[0], "last_seen": last, "first_missing": later[0]}
        if domains is not None:
            entry["kind"] = "domain" if name in domains else "shortcut"
        entries[name] = entry
    return entries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archives", nargs="+", type=Path, help="twilio wheels or sdists")
    parser.add_argument("--check", action="store_true", help="exit 1 if the data file is stale")
    args = parser.parse_args(argv)
    data = derive([Archive(path) for path in args.archives])
    text = json.dumps(data, indent=2, sort_keys=False) + "\n"
    if args.check:
        stale = not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text
        print(f"{OUTPUT} is {'stale' if stale else 'up to date'}")
        return 1 if stale else 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(
        f"wrote {OUTPUT}: {len(data['client_attributes'])} client attributes and "
        f"{len(data['domain_versions'])} domain versions gone in {data['current']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
