"""Generated documentation stays in step with the rules; the integration guide stays true."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.helpers import ROOT

GEN_DOCS = ROOT / "scripts" / "gen_docs.py"


def _gen_docs(script: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, timeout=120
    )


def test_generated_rule_pages_are_up_to_date():
    proc = _gen_docs(GEN_DOCS, "--check")
    assert proc.returncode == 0, (
        f"{proc.stderr.strip()}\nRegenerate with: python scripts/gen_docs.py"
    )
    from twilio_lint.registry import all_rules

    for rule in all_rules():
        assert (ROOT / "docs" / "rules" / f"{rule.code}.md").is_file(), rule.code


def test_check_mode_catches_stale_and_orphaned_pages(tmp_path: Path):
    """gen_docs --check on a copy: missing pages, an edited page and an orphan all fail it."""
    (tmp_path / "scripts").mkdir()
    script = tmp_path / "scripts" / "gen_docs.py"
    shutil.copy(GEN_DOCS, script)
    (tmp_path / "README.md").write_text(
        "# x\n<!-- rules-table:begin -->\n<!-- rules-table:end -->\n", encoding="utf-8"
    )
    assert _gen_docs(script, "--check").returncode == 1  # nothing generated yet
    assert _gen_docs(script).returncode == 0
    assert _gen_docs(script, "--check").returncode == 0
    page = tmp_path / "docs" / "rules" / "TWL101.md"
    page.write_text(page.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")
    (tmp_path / "docs" / "rules" / "TWL999.md").write_text("gone\n", encoding="utf-8")
    proc = _gen_docs(script, "--check")
    assert proc.returncode == 1
    assert "TWL101.md" in proc.stderr and "TWL999.md" in proc.stderr


def test_integration_guide_matches_the_hooks_and_the_cli():
    guide = (ROOT / "docs" / "integrations.md").read_text(encoding="utf-8")
    hook_ids = {hook["id"] for hook in yaml.safe_load(
        (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    blocks = re.findall(r"```yaml\n(.*?)```", guide, re.S)
    configs = [yaml.safe_load(block) for block in blocks]
    precommit = [c for c in configs if isinstance(c, dict) and "repos" in c]
    assert precommit, "the guide must show a .pre-commit-config.yaml"
    used = {hook["id"] for c in precommit for repo in c["repos"] for hook in repo["hooks"]}
    assert used <= hook_ids and "twilio-lint" in used
    assert "--output-format sarif" in guide and "upload-sarif" in guide
    assert "twilio-lint lsp" in guide
