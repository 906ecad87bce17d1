"""docs/github-actions.yml, the workflow the README points to: its structure, and its `run:`
steps run here as GitHub would run them, in a copy of examples/ (the install step replaced by
the package already installed)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

from tests.helpers import ROOT

WORKFLOW = ROOT / "docs" / "github-actions.yml"
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
INSTALL = "Install twilio-lint"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _steps() -> list[dict]:
    (job,) = _workflow()["jobs"].values()
    return job["steps"]


def _uses(step: dict) -> str:
    return step.get("uses", "").split("@")[0]


def test_workflow_runs_on_pushes_and_pull_requests_and_may_upload():
    workflow = _workflow()
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"push", "pull_request"}
    (job,) = workflow["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    assert job["permissions"] == {"contents": "read", "security-events": "write"}


def test_workflow_lints_to_the_sarif_file_it_uploads():
    steps = _steps()
    assert [_uses(step) or step["name"] for step in steps] == [
        "actions/checkout",
        "actions/setup-python",
        INSTALL,
        "Lint to SARIF",
        "github/codeql-action/upload-sarif",
        "Gate (annotations on the pull request)",
    ]
    assert "git+https://github.com/twilio-lint/twilio-lint@v" in steps[2]["run"]
    lint, upload = steps[3], steps[4]
    assert "--output-format sarif --output-file twilio-lint.sarif" in lint["run"]
    assert upload["with"]["sarif_file"] == "twilio-lint.sarif"
    assert all(step["uses"].endswith(("@v3", "@v4", "@v5")) for step in steps if "uses" in step)


def test_the_install_step_installs_the_documented_release():
    from twilio_lint import __version__

    assert _steps()[2]["run"].endswith(f'@v{__version__}"')


def test_the_run_steps_work_on_the_example_app(tmp_path):
    checkout = tmp_path / "repo"
    shutil.copytree(ROOT / "examples", checkout)
    scripts = [step for step in _steps() if "run" in step and step["name"] != INSTALL]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("TWILIO_LINT_CACHE_DIR", None)
    results = [
        subprocess.run(  # GitHub's `bash` shell on Linux runners
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=checkout, env=env, capture_output=True, text=True, timeout=300,
        )
        for step in scripts
    ]
    sarif_step, gate = results
    assert (sarif_step.returncode, sarif_step.stdout, sarif_step.stderr) == (0, "", "")
    log = json.loads((checkout / "twilio-lint.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(SCHEMA).validate(log)
    (run,) = log["runs"]
    assert run["tool"]["driver"]["name"] == "twilio-lint"
    assert len(run["results"]) == 13
    assert gate.returncode == 1  # the examples are full of findings
    annotations = gate.stdout.splitlines()
    assert len(annotations) == 13
    assert all(line.startswith(("::error ", "::warning ")) for line in annotations)
