"""TWL501 (Ruff's RUF100 for our codes): unused and unknown ``# noqa``, its fix, and how it
agrees with ``--add-noqa`` and baselines. The real CLI on real files."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import run_cli

APP = (
    "import os\n"
    "from twilio.rest import Client\n"
    "\n"
    'client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])'
    "  # noqa: TWL101\n"
    "keys = Client(  # noqa: TWL101, E501\n"
    '    os.environ["TWILIO_API_KEY"], os.environ["TWILIO_API_SECRET"],'
    ' os.environ["TWILIO_ACCOUNT_SID"]\n'
    ")\n"
    "# noqa: TWL999\n"
    'note = "# noqa: TWL101"\n'
    "timeout = 30  # noqa: TWL306 -- reviewed in 2023\n"
    "anything = 1  # noqa\n"
)


def _check(cwd: Path, *args: str):
    return run_cli("check", "--isolated", "--no-cache", "--output-format", "concise", *args,
                   cwd=cwd)


def test_reports_unused_unknown_and_non_enabled_codes(tmp_path):
    (tmp_path / "app.py").write_text(APP)
    proc = _check(tmp_path, "--extend-select", "TWL501", "app.py")
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == (
        "app.py:5:17: TWL501 Unused `noqa` directive (unused: `TWL101`)\n"
        "app.py:8:1: TWL501 Unused `noqa` directive (unknown: `TWL999`)\n"
        "app.py:10:15: TWL501 Unused `noqa` directive (non-enabled: `TWL306`)\n"
        "Found 3 findings.\n"
        "[*] 3 fixable with `--fix`.\n"
    )


def test_off_by_default(tmp_path):
    (tmp_path / "app.py").write_text(APP)
    proc = _check(tmp_path, "app.py")
    assert (proc.returncode, proc.stdout) == (0, "All checks passed!\n"), proc.stderr


def test_a_file_that_never_mentions_twilio_is_still_checked(tmp_path):
    (tmp_path / "util.py").write_text("def add(a, b):\n    return a + b  # noqa: TWL203\n")
    proc = _check(tmp_path, "--extend-select", "TWL501", ".")
    assert proc.stdout == (
        "util.py:2:19: TWL501 Unused `noqa` directive (unused: `TWL203`)\nFound 1 finding.\n"
        "[*] 1 fixable with `--fix`.\n"
    )


def test_the_fix_removes_what_suppresses_nothing(tmp_path):
    (tmp_path / "app.py").write_text(APP)
    proc = _check(tmp_path, "--extend-select", "TWL501", "--fix", "app.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == "Fixed 3 findings (0 remaining).\n"
    assert (tmp_path / "app.py").read_text() == (
        "import os\n"
        "from twilio.rest import Client\n"
        "\n"
        'client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])'
        "  # noqa: TWL101\n"
        "keys = Client(  # noqa: E501\n"
        '    os.environ["TWILIO_API_KEY"], os.environ["TWILIO_API_SECRET"],'
        ' os.environ["TWILIO_ACCOUNT_SID"]\n'
        ")\n"
        'note = "# noqa: TWL101"\n'
        "timeout = 30\n"
        "anything = 1  # noqa\n"
    )
    again = _check(tmp_path, "--extend-select", "TWL501", "--fix", "app.py")
    assert again.stdout == "All checks passed!\n"


def test_json_carries_the_safe_fix(tmp_path):
    (tmp_path / "app.py").write_text(APP)
    proc = run_cli("check", "--isolated", "--no-cache", "--select", "TWL1,TWL501",
                   "--output-format", "json", "app.py", cwd=tmp_path)
    first = json.loads(proc.stdout)[0]
    assert (first["code"], first["name"], first["location"]) == (
        "TWL501", "unused-noqa", {"row": 5, "column": 17}
    )
    assert first["fix"] == {
        "applicability": "safe",
        "message": "Remove the unused `noqa` codes",
        "edits": [{"content": "# noqa: E501", "location": {"row": 5, "column": 17},
                   "end_location": {"row": 5, "column": 37}}],
    }


def test_add_noqa_never_silences_it_and_leaves_nothing_for_it(tmp_path):
    (tmp_path / "app.py").write_text(
        "import os\n"
        "from twilio.rest import Client\n"
        "\n"
        'client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])\n'
        'url = "https://example.com/status"  # noqa: TWL103\n'
    )
    added = run_cli("check", "--isolated", "--no-cache", "--extend-select", "TWL501",
                    "--add-noqa", "app.py", cwd=tmp_path)
    assert added.stdout == "Added 1 noqa directive.\n", added.stderr
    text = (tmp_path / "app.py").read_text().splitlines()
    assert text[3].endswith('os.environ["TWILIO_AUTH_TOKEN"])  # noqa: TWL101')
    assert text[4] == 'url = "https://example.com/status"  # noqa: TWL103'  # not TWL501 added
    proc = _check(tmp_path, "--extend-select", "TWL501", "app.py")
    assert proc.stdout == (
        "app.py:5:37: TWL501 Unused `noqa` directive (unused: `TWL103`)\nFound 1 finding.\n"
        "[*] 1 fixable with `--fix`.\n"
    )


def test_a_baseline_hides_it_like_any_finding(tmp_path):
    (tmp_path / "app.py").write_text(APP)
    wrote = run_cli("check", "--isolated", "--no-cache", "--extend-select", "TWL501",
                    "--write-baseline", "base.json", "app.py", cwd=tmp_path)
    assert wrote.returncode == 0, wrote.stderr
    codes = sorted(entry["code"] for entry in json.loads((tmp_path / "base.json").read_text())
                   ["findings"])
    assert codes == ["TWL501", "TWL501", "TWL501"]
    proc = _check(tmp_path, "--extend-select", "TWL501", "--baseline", "base.json", "app.py")
    assert (proc.returncode, proc.stdout) == (0, "All checks passed!\n"), proc.stderr


def test_in_a_notebook_cell(tmp_path):
    document = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["Ops"]},
            {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
             "source": ["%pip install twilio\n", "import twilio  # noqa: TWL402"]},
        ],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (tmp_path / "ops.ipynb").write_text(json.dumps(document, indent=1) + "\n")
    proc = _check(tmp_path, "--extend-select", "TWL501", "ops.ipynb")
    assert proc.stdout == (
        "ops.ipynb:cell 2:2:16: TWL501 Unused `noqa` directive (unused: `TWL402`)\n"
        "Found 1 finding.\n"
        "[*] 1 fixable with `--fix`.\n"
    )
    fixed = _check(tmp_path, "--extend-select", "TWL501", "--fix", "ops.ipynb")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    document["cells"][1]["source"][1] = "import twilio"
    assert (tmp_path / "ops.ipynb").read_text() == json.dumps(document, indent=1) + "\n"
