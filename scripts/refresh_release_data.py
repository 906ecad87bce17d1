"""Build or refresh ``twilio_lint/knowledge/data/sdk_releases.json``, the release history TWL401 reads.

    python scripts/refresh_release_data.py --from-csv ../shared/data   # rebuild from the CSVs
    python scripts/refresh_release_data.py --pypi --npm                # refresh from registries

Only maintainers run this; the rules never touch the network. A refresh keeps every curated
date (CHANGES.md-based: npm's ``time`` field is wrong for old releases) and only adds releases
the shipped file does not know yet, dated by the registry's upload time. PyPI's yanked flags
are refreshed for every release.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "twilio_lint" / "knowledge" / "data" / "sdk_releases.json"
PYPI_URL = "https://pypi.org/pypi/twilio/json"
NPM_URL = "https://registry.npmjs.org/twilio"

#: ecosystem -> (CSV file, package name as manifests spell it, label for messages)
ECOSYSTEMS: dict[str, tuple[str, str, str]] = {
    "pypi": ("twilio-python-releases.csv", "twilio", "twilio"),
    "npm": ("twilio-node-releases.csv", "twilio", "twilio (npm)"),
    "rubygems": ("twilio-ruby-releases.csv", "twilio-ruby", "twilio-ruby"),
    "packagist": ("twilio-php-releases.csv", "twilio/sdk", "twilio/sdk"),
    "maven": ("twilio-java-releases.csv", "com.twilio.sdk:twilio", "com.twilio.sdk:twilio"),
    "nuget": ("twilio-csharp-releases.csv", "Twilio", "Twilio (NuGet)"),
    "go": ("twilio-go-releases.csv", "github.com/twilio/twilio-go", "twilio-go"),
}

#: Releases a registry serves but no trustworthy date was found for: (version, seen on, why).
#: The C# CSV stops at 7.14.9 (repository snapshot); NuGet's package list of 2026-11-25 names
#: 8.2.0 as the newest. It is kept undated: it makes 7.x an older major, but no age is computed
#: against it, and it only counts from the day it was seen on (for --sdk-reference-date).
UNDATED: dict[str, list[tuple[str, str, str]]] = {
    "nuget": [("8.2.0", "2026-11-25", "newest on NuGet's package list of 2026-11-25; undated")],
}

#: Known defects by version range (inclusive), shown in the finding's message.
DEFECTS: dict[str, list[list[str]]] = {
    "pypi": [["9.1.0", "9.4.3", "ignore max_retries (fixed in 9.4.4)"]],
}

PYPI_STATUS = {"available": "", "yanked": "yanked", "not-on-pypi": "unavailable"}


def from_csv(directory: Path) -> dict[str, Any]:
    """The data file's content, rebuilt from the shared CSVs."""
    ecosystems: dict[str, Any] = {}
    for key, (filename, package, label) in ECOSYSTEMS.items():
        releases: list[list[Any]] = []
        with open(directory / filename, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                status = PYPI_STATUS[row.get("pypi_status") or "available"]
                releases.append(_entry(row["version"], row["release_date"], status))
        for version, seen, _why in UNDATED.get(key, []):
            releases.append([version, None, "", seen])
        ecosystems[key] = {"package": package, "label": label, "releases": _sorted(releases)}
        if key in DEFECTS:
            ecosystems[key]["defects"] = DEFECTS[key]
    return {"format": 1, "ecosystems": ecosystems}


def _entry(version: str, date: str | None, status: str = "") -> list[Any]:
    return [version, date, status] if status else [version, date]


def _sorted(releases: list[list[Any]]) -> list[list[Any]]:
    from packaging.version import Version

    return sorted(releases, key=lambda entry: Version(entry[0]))


def _is_final(version: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        parsed = Version(version)
    except InvalidVersion:
        return False
    return not (parsed.is_prerelease or parsed.is_devrelease or parsed.is_postrelease)


def merge_pypi(ecosystem: dict[str, Any], payload: dict[str, Any]) -> list[str]:
    """Merge PyPI's JSON API answer into the pypi ecosystem; returns the added versions."""
    known = {entry[0]: entry for entry in ecosystem["releases"]}
    added = []
    for version, files in payload.get("releases", {}).items():
        if not files or not _is_final(version):
            continue
        yanked = all(item.get("yanked") for item in files)
        status = "yanked" if yanked else ""
        if version in known:
            entry = known[version]
            date = entry[1]
            known[version] = _entry(version, date, status)  # curated date, fresh yanked flag
            continue
        uploaded = min(item["upload_time_iso_8601"][:10] for item in files)
        known[version] = _entry(version, uploaded, status)
        added.append(version)
    ecosystem["releases"] = _sorted(list(known.values()))
    return added


def merge_npm(ecosystem: dict[str, Any], payload: dict[str, Any]) -> list[str]:
    """Add npm versions the file lacks, dated by the registry's ``time`` (only trusted for
    new releases)."""
    known = {entry[0] for entry in ecosystem["releases"]}
    times = payload.get("time", {})
    added = []
    for version in payload.get("versions", {}):
        if version in known or not _is_final(version) or version not in times:
            continue
        ecosystem["releases"].append(_entry(version, times[version][:10]))
        added.append(version)
    ecosystem["releases"] = _sorted(ecosystem["releases"])
    return added


def dump(data: dict[str, Any]) -> str:
    """JSON with one release a line: compact, and diffs stay readable."""
    lines = ["{", f'  "format": {data["format"]},', '  "ecosystems": {']
    names = list(data["ecosystems"])
    for index, key in enumerate(names):
        eco = data["ecosystems"][key]
        lines.append(f"    {json.dumps(key)}: {{")
        for field in ("package", "label", "defects"):
            if field in eco:
                lines.append(f"      {json.dumps(field)}: {json.dumps(eco[field])},")
        lines.append('      "releases": [')
        rows = [f"        {json.dumps(entry)}" for entry in eco["releases"]]
        lines.append(",\n".join(rows))
        lines.append("      ]")
        lines.append("    }" + ("," if index < len(names) - 1 else ""))
    lines += ["  }", "}", ""]
    return "\n".join(lines)


def _fetch(url: str) -> dict[str, Any]:  # pragma: no cover - network, maintainers only
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - fixed https URLs
        return json.load(response)


def main(argv: list[str]) -> int:  # pragma: no cover - exercised by maintainers
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from-csv", type=Path, metavar="DIR", help="rebuild from these CSVs")
    parser.add_argument("--pypi", action="store_true", help="add new PyPI releases, yanked flags")
    parser.add_argument("--npm", action="store_true", help="add new npm releases")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    if args.from_csv:
        data = from_csv(args.from_csv)
    else:
        data = json.loads(args.output.read_text(encoding="utf-8"))
    if args.pypi:
        print("pypi: added", merge_pypi(data["ecosystems"]["pypi"], _fetch(PYPI_URL)))
    if args.npm:
        print("npm: added", merge_npm(data["ecosystems"]["npm"], _fetch(NPM_URL)))
    args.output.write_text(dump(data), encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
