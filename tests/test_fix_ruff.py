"""The fixed output is code a reviewer accepts as written: after ``--fix --unsafe-fixes`` on every
fixture and example (and the shop app of ``tests/data``), Ruff (from PyPI, the ``ruff`` test
extra) reports no unused import (F401), no redefinition (F811) and no unsorted import block
(I001) that the fixes introduced.

Ruff runs before and after the fix over the same tree; afterwards it may report no more per
file and code than before.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, ROOT, materialize, run_cli

RUFF_SELECT = "F401,F811,I001"


def _ruff() -> str:
    found = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if found is None:
        pytest.fail("ruff is not installed: pip install -e '.[test]'")
    return found


def ruff_report(root: Path) -> Counter:
    """(file, code) → how many times Ruff reports it over ``root`` (a fix that renames an
    unused import changes the message, not the problem)."""
    proc = subprocess.run(
        [_ruff(), "check", "--isolated", "--no-cache", "--select", RUFF_SELECT,
         "--output-format", "json", "--exit-zero", "."],
        cwd=root, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return Counter(
        (Path(item["filename"]).relative_to(root).as_posix(), item["code"])
        for item in json.loads(proc.stdout)
    )


def test_ruff_finds_nothing_the_fixes_introduced(tmp_path: Path):
    materialize(FIXTURES, tmp_path / "fixtures")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    shutil.copytree(ROOT / "tests" / "data" / "shop_app", tmp_path / "shop_app")
    before = ruff_report(tmp_path)
    proc = run_cli("check", "--isolated", "--no-cache", "--select", "ALL", "--fix",
                   "--unsafe-fixes", "--output-format", "concise", ".", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Fixed " in proc.stdout  # the tree had fixes to apply
    after = ruff_report(tmp_path)
    introduced = after - before
    assert not introduced, "\n".join(map(str, sorted(introduced)))
