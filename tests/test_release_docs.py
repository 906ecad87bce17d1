"""The README's set-up and sample output, the pre-commit ``rev`` and the CHANGELOG agree with
the code: the sample is what the tool prints, the ``rev`` is this version's tag and the
CHANGELOG has its entry."""

from __future__ import annotations

import re

import yaml

from tests.helpers import ROOT, run_cli
from twilio_lint import __version__

README = (ROOT / "README.md").read_text(encoding="utf-8")
SETUP_COMMANDS = [
    "python3 -m pip install . && twilio-lint check examples/",
    "python3 -m pip install -e '.[test]' && python3 -m pytest -q",  # .ci/run runs it verbatim
]


def _sh_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", text, re.S)]


def test_setup_creates_a_virtual_environment_before_the_two_commands():
    blocks = _sh_blocks(README.split("## Usage")[0])
    assert blocks == [
        "sudo apt-get install -y python3-venv   # Debian/Ubuntu only\n"
        "python3 -m venv .venv && . .venv/bin/activate",
        *SETUP_COMMANDS,
    ]
    assert "externally-managed-environment" in README
    assert SETUP_COMMANDS[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_sample_output_is_what_the_command_prints():
    command, sample = re.search(
        r"<!-- sample-output: twilio-lint (.*?) -->\n```text\n(.*?)```", README, re.S
    ).groups()
    proc = run_cli(*command.split(), "--no-cache", cwd=ROOT, env={"NO_COLOR": "1"})
    assert proc.returncode == 1
    assert proc.stdout == sample


def test_precommit_rev_is_this_versions_tag():
    guide = (ROOT / "docs" / "integrations.md").read_text(encoding="utf-8")
    revs = {
        repo["rev"]
        for block in re.findall(r"```yaml\n(.*?)```", guide, re.S)
        for config in [yaml.safe_load(block)]
        if isinstance(config, dict) and "repos" in config
        for repo in config["repos"]
        if "rev" in repo
    }
    assert revs == {f"v{__version__}"}


def test_changelog_starts_with_this_version():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## (\S+)$", changelog, re.M)
    assert versions[0] == __version__ == "0.4.0"
    assert versions == ["0.4.0", "0.3.0", "0.2.0", "0.1.0"]


def test_readme_points_to_the_workflow_and_the_changelog():
    assert "[docs/github-actions.yml](docs/github-actions.yml)" in README
    assert "[CHANGELOG.md](CHANGELOG.md)" in README
