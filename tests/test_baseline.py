"""``--write-baseline`` / ``--baseline``: adopt the gate on a legacy code base, fail on new
problems only. Through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import FAKE

HEADER = "import os\nfrom twilio.rest import Client\n\n"
TOKEN_CLIENT = (
    'client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])\n'
)
NO_CREDENTIALS = "default_client = Client()\n"


def cli(cwd: Path, *args: str) -> tuple[int, str, str]:
    """The command line in-process (fast): exit code, stdout, stderr."""
    import contextlib
    import io
    import os

    from twilio_lint.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


def lint(cwd: Path, *args: str) -> tuple[int, list[dict]]:
    code, out, err = cli(cwd, "check", "--isolated", "--output-format", "json", *args)
    assert code in (0, 1), err
    return code, json.loads(out)


def write_baseline(cwd: Path, *args: str) -> dict:
    code, out, err = cli(cwd, "check", "--isolated", "--write-baseline", "baseline.json", *args)
    assert code == 0, err
    assert "baseline" in out
    return json.loads((cwd / "baseline.json").read_text(encoding="utf-8"))


def test_baseline_hides_known_findings_even_when_code_moves(tmp_path: Path):
    app = tmp_path / "app.py"
    app.write_text(HEADER + TOKEN_CLIENT + NO_CREDENTIALS, encoding="utf-8")
    baseline = write_baseline(tmp_path, ".")
    assert sum(entry["count"] for entry in baseline["findings"]) == 2
    assert {entry["path"] for entry in baseline["findings"]} == {"app.py"}

    code, findings = lint(tmp_path, "--baseline", "baseline.json", ".")
    assert (code, findings) == (0, [])

    # Move the code: new lines above, the call wrapped into a function, split and re-indented.
    app.write_text(
        HEADER
        + '\n\ndef make():\n    """Build the client."""\n'
        + "    return Client(\n        os.environ[\"TWILIO_ACCOUNT_SID\"],\n"
        + "        os.environ[\"TWILIO_AUTH_TOKEN\"])\n"
        + "\n\n" + NO_CREDENTIALS,
        encoding="utf-8",
    )
    code, findings = lint(tmp_path, ".")
    assert [f["location"]["row"] for f in findings] == [8, 13]  # the findings moved
    code, findings = lint(tmp_path, "--baseline", "baseline.json", ".")
    assert (code, findings) == (0, [])


def test_new_copy_of_a_known_problem_is_reported(tmp_path: Path):
    app = tmp_path / "app.py"
    app.write_text(HEADER + TOKEN_CLIENT, encoding="utf-8")
    write_baseline(tmp_path, ".")
    app.write_text(HEADER + TOKEN_CLIENT + "\n" + TOKEN_CLIENT, encoding="utf-8")
    code, findings = lint(tmp_path, "--baseline", "baseline.json", ".")
    assert code == 1
    assert [(f["code"], f["location"]["row"]) for f in findings] == [("TWL101", 6)]
    # The same problem in another file is new as well.
    (tmp_path / "other.py").write_text(HEADER + TOKEN_CLIENT, encoding="utf-8")
    code, findings = lint(tmp_path, "--baseline", "baseline.json", ".")
    assert sorted(Path(f["filename"]).name for f in findings) == ["app.py", "other.py"]


def test_fixed_finding_drops_out_on_write_baseline(tmp_path: Path):
    app = tmp_path / "app.py"
    app.write_text(HEADER + TOKEN_CLIENT + NO_CREDENTIALS, encoding="utf-8")
    assert len(write_baseline(tmp_path, ".")["findings"]) == 2
    app.write_text(HEADER + TOKEN_CLIENT, encoding="utf-8")  # one fixed
    refreshed = write_baseline(tmp_path, ".")
    assert len(refreshed["findings"]) == 1
    # The fixed problem coming back is reported again.
    app.write_text(HEADER + TOKEN_CLIENT + NO_CREDENTIALS, encoding="utf-8")
    code, findings = lint(tmp_path, "--baseline", "baseline.json", ".")
    assert code == 1 and [f["location"]["row"] for f in findings] == [5]


def test_baseline_never_stores_a_secret_and_works_from_another_directory(tmp_path: Path):
    project = tmp_path / "project"
    project.mkdir()
    token, sid = FAKE["FAKE_AUTH_TOKEN"], FAKE["FAKE_ACCOUNT_SID"]
    (project / "app.py").write_text(
        HEADER + f'client = Client("{sid}", "{token}")\n', encoding="utf-8"
    )
    baseline = write_baseline(project, ".")
    text = (project / "baseline.json").read_text(encoding="utf-8")
    assert token not in text and sid not in text and token[:8] not in text
    assert "Client" not in text  # only hashes of the flagged code
    assert len(baseline["findings"]) >= 2  # TWL101 and TWL102 at least
    # From the parent directory, paths are still matched relative to the baseline file.
    code, findings = lint(tmp_path, "--baseline", "project/baseline.json", "project")
    assert (code, findings) == (0, [])


def test_broken_baseline_is_a_usage_error(tmp_path: Path):
    (tmp_path / "app.py").write_text(HEADER + TOKEN_CLIENT, encoding="utf-8")
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    for name in ("bad.json", "missing.json"):
        code, _, err = cli(tmp_path, "check", "--isolated", "--baseline", name, ".")
        assert code == 2, err
        assert name in err
