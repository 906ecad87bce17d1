"""Shared test helpers: fixture expectations, fake credentials built at run time, runners.

Fixture files carry their expectations inline, flake8-bugbear style: a line that must be
reported ends with a comment naming the code and the 1-based column, e.g. ``# TWL101:10``
(several: ``# TWL101:10 TWL101:40``). Every other line must stay quiet for that fixture
directory's rule. Credential-shaped values are never committed: fixtures write ``{{NAME}}``
and ``materialize`` substitutes values built here at run time.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
ROOT = TESTS.parent
EXPECT_RE = re.compile(r"\b(TWL\d{3}):(\d+)\b")


def _hex(seed: str) -> str:
    return hashlib.md5(seed.encode()).hexdigest()  # noqa: S324 - not security, just test data


def _alnum(seed: str) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(alphabet[b % len(alphabet)] for b in digest[:32])


#: Realistic-looking credentials, built at run time so no secret scanner flags the repository.
FAKE = {
    "FAKE_ACCOUNT_SID": "AC" + _hex("twilio-lint account"),
    "FAKE_API_KEY_SID": "SK" + _hex("twilio-lint api key"),
    "FAKE_AUTH_TOKEN": _hex("twilio-lint auth token"),
    "FAKE_API_SECRET": _alnum("twilio-lint api secret"),
}


#: Documentation-style values that must stay quiet but still look credential-shaped to a
#: secret scanner (more than four distinct hex digits): built here, never committed.
PLACEHOLDERS = {
    "SEQUENTIAL_SID": "AC" + "0123456789abcdef" * 2,
}


def fill(text: str) -> str:
    for name, value in (*FAKE.items(), *PLACEHOLDERS.items()):
        text = text.replace("{{" + name + "}}", value)
    return text


def materialize(source_dir: Path, target_dir: Path) -> Path:
    """Copy a fixture tree, substituting fake credentials into every text file."""
    shutil.copytree(source_dir, target_dir, dirs_exist_ok=True)
    for path in target_dir.rglob("*"):
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            if "{{" in text:
                path.write_text(fill(text), encoding="utf-8")
    return target_dir


def services_project(root: Path, twilio_client: str) -> Path:
    """A project (``pyproject.toml``) whose ``services/twilio_client.py`` holds
    ``twilio_client``: where an app keeps its client factory."""
    (root / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    services = root / "services"
    services.mkdir()
    (services / "__init__.py").write_text("")
    (services / "twilio_client.py").write_text(twilio_client)
    return root


def expectations(path: Path, code: str | None = None) -> set[tuple[str, int, int]]:
    """(code, line, column) triples that the fixture's comments promise."""
    expected = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if "#" not in line:
            continue
        comment = line[line.index("#"):]
        for found_code, column in EXPECT_RE.findall(comment):
            if code is None or found_code == code:
                expected.add((found_code, number, int(column)))
    return expected


def run_cli(*args: str, cwd: Path | None = None, stdin: str | None = None,
            env: dict | None = None) -> subprocess.CompletedProcess:
    """The real command line, in a subprocess, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "twilio_lint", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def run_cli_json(*args: str, cwd: Path | None = None) -> list[dict]:
    proc = run_cli(*args, "--output-format", "json", cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def run_flake8(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real flake8, with our plugin installed through its entry point."""
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


FLAKE8_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>TWL\d{3}) ")


def parse_flake8(output: str) -> list[tuple[str, str, int, int]]:
    """(path, code, line, column) from flake8's default format."""
    found = []
    for line in output.splitlines():
        match = FLAKE8_LINE.match(line)
        if match:
            found.append(
                (match["path"], match["code"], int(match["line"]), int(match["col"]))
            )
    return found
