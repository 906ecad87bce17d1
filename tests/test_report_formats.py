"""Output formats for CI: SARIF (validated against the official OASIS schema), GitHub workflow
annotations, JUnit XML and JSON Lines, through the real CLI; and ``--output-file``."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from tests.helpers import FAKE, TESTS, run_cli
from twilio_lint.findings import Edit, Finding, Fix

SCHEMA = json.loads((TESTS / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

SOURCE = (
    "import os\n"
    "from twilio.rest import Client\n"
    "\n"
    'client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])\n'
    'other = Client("{{FAKE_ACCOUNT_SID}}", "{{FAKE_AUTH_TOKEN}}")  # ünïcode, commas: 50%\n'
)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("report")
    source = SOURCE
    for name, value in FAKE.items():
        source = source.replace("{{" + name + "}}", value)
    (root / "src").mkdir()
    (root / "src" / "app, v2.py").write_text(source, encoding="utf-8")  # a comma in the name
    (root / "clean.py").write_text("import twilio\n", encoding="utf-8")
    return root


def check(project: Path, fmt: str, *extra: str):
    proc = run_cli("check", "--isolated", "--output-format", fmt, *extra, ".", cwd=project)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


_EXPECTED: dict[Path, list[dict]] = {}


def expected_findings(project: Path) -> list[dict]:
    """The findings in the json format, which the other formats must agree with."""
    if project not in _EXPECTED:
        _EXPECTED[project] = json.loads(check(project, "json").stdout)
    return _EXPECTED[project]


def test_sarif_is_valid_against_the_official_schema(project: Path):
    log = json.loads(check(project, "sarif").stdout)
    jsonschema.Draft7Validator(SCHEMA).validate(log)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "twilio-lint"
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert rules["TWL101"]["helpUri"].endswith("/TWL101.md")
    assert "API key" in rules["TWL101"]["help"]["text"]
    assert rules["TWL101"]["help"]["markdown"].startswith("# TWL101")

    expected = expected_findings(project)
    results = run["results"]
    assert len(results) == len(expected)
    for result, finding in zip(results, expected):
        assert result["ruleId"] == finding["code"]
        assert driver["rules"][result["ruleIndex"]]["id"] == finding["code"]
        assert result["level"] == finding["severity"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {
            "uri": "src/app%2C%20v2.py", "uriBaseId": "%SRCROOT%"
        }
        assert location["region"]["startLine"] == finding["location"]["row"]
        assert location["region"]["startColumn"] == finding["location"]["column"]
        assert location["region"]["endColumn"] == finding["end_location"]["column"]
        assert result["partialFingerprints"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")

    # Where a finding has a fix, SARIF carries it as artifactChanges with the same edits.
    with_fix = [(r, f) for r, f in zip(results, expected) if f["fix"]]
    for result, finding in with_fix:
        change = result["fixes"][0]["artifactChanges"][0]
        replacement = change["replacements"][0]
        edit = finding["fix"]["edits"][0]
        assert replacement["insertedContent"]["text"] == edit["content"]
        assert replacement["deletedRegion"]["startColumn"] == edit["location"]["column"]
    # No secret reaches the report (the Account SID, an identifier, may stay in a fix).
    assert FAKE["FAKE_AUTH_TOKEN"] not in json.dumps(log)


def test_sarif_fix_and_empty_run_are_valid_in_process():
    """A synthetic fix with a multi-line edit, and a run without findings, validate too."""
    from twilio_lint.report import FORMATS

    fix = Fix("Use https", "unsafe", (Edit(1, 4, 2, 3, "https"),))
    finding = Finding("TWL101", "msg", "/elsewhere/outside.py", 1, 4, 2, 3, name="n", fix=fix)
    for findings in ([finding], []):
        log = json.loads(FORMATS["sarif"](findings, {}))
        jsonschema.Draft7Validator(SCHEMA).validate(log)
    outside = json.loads(FORMATS["sarif"]([finding], {}))["runs"][0]["results"][0]
    assert outside["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "file:///elsewhere/outside.py"
    )


ANNOTATION = re.compile(r"^::(?P<command>error|warning) (?P<props>[^:]*)::(?P<message>.*)$")


def _unescape(text: str) -> str:
    return (text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":")
            .replace("%2C", ",").replace("%25", "%"))


def test_github_annotations_parse_back(project: Path):
    lines = check(project, "github").stdout.splitlines()
    expected = expected_findings(project)
    assert len(lines) == len(expected)
    for line, finding in zip(lines, expected):
        match = ANNOTATION.match(line)
        assert match, line
        props = dict(
            (key, _unescape(value))
            for key, value in (item.split("=", 1) for item in match["props"].split(","))
        )
        assert match["command"] == ("warning" if finding["severity"] == "warning" else "error")
        assert props["file"] == "src/app, v2.py"
        assert int(props["line"]) == finding["location"]["row"]
        assert int(props["col"]) == finding["location"]["column"]
        assert props["title"].startswith(finding["code"])
        assert _unescape(match["message"]) == f"{finding['code']} {finding['message']}"
    assert any(line.startswith("::warning ") for line in lines)  # the Account SID (TWL102)


def test_github_escapes_newlines_and_percent():
    from twilio_lint.report import FORMATS

    finding = Finding("TWL101", "50% done\nnext: line", "a:b,c.py", 3, 0, 3, 5, name="x",
                      severity="warning")
    out = FORMATS["github"]([finding], {})
    assert out == ("::warning file=a%3Ab%2Cc.py,line=3,endLine=3,col=1,endColumn=6,"
                   "title=TWL101 x::TWL101 50%25 done%0Anext: line\n")


def test_junit_parses_with_one_failure_per_finding(project: Path):
    root = ET.fromstring(check(project, "junit").stdout)
    expected = expected_findings(project)
    assert root.tag == "testsuites"
    assert int(root.get("failures")) == len(expected)
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == len(expected)
    for case, finding in zip(cases, expected):
        failure = case.find("failure")
        assert failure is not None and failure.get("type") == finding["code"]
        assert failure.get("message") == finding["message"]
        assert case.get("line") == str(finding["location"]["row"])


def test_junit_without_findings_is_one_passing_case(tmp_path: Path):
    (tmp_path / "ok.py").write_text("import twilio\n", encoding="utf-8")
    proc = run_cli("check", "--isolated", "--output-format", "junit", ".", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    root = ET.fromstring(proc.stdout)
    assert root.get("failures") == "0"
    assert len(root.findall("./testsuite/testcase")) == 1


def test_json_lines_match_json(project: Path):
    lines = check(project, "json-lines").stdout.splitlines()
    assert [json.loads(line) for line in lines] == expected_findings(project)


#: A JSON item is Ruff's schema plus ``severity``, nothing more: ``Finding.data`` (what a fix
#: needs) is never printed.
JSON_KEYS = {
    "cell", "code", "name", "message", "severity", "filename", "location", "end_location",
    "fix", "url", "noqa_row",
}


def test_json_items_keep_their_schema_without_the_fix_data(project: Path):
    items = expected_findings(project)
    # TWL101 and TWL102 findings carry data (their fixes are built from it).
    assert {"TWL101", "TWL102"} <= {item["code"] for item in items}
    assert any(item["code"] == "TWL102" and item["fix"] for item in items)
    for item in items:
        assert set(item) == JSON_KEYS, item
    for line in check(project, "json-lines").stdout.splitlines():
        assert set(json.loads(line)) == JSON_KEYS
    for result in json.loads(check(project, "sarif").stdout)["runs"][0]["results"]:
        assert "data" not in result and "data" not in result.get("properties", {})


def test_output_file_writes_the_report(project: Path, tmp_path: Path):
    target = tmp_path / "results.sarif"
    proc = check(project, "sarif", "--output-file", str(target))
    assert proc.stdout == ""
    log = json.loads(target.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(SCHEMA).validate(log)
    concise = tmp_path / "out.txt"
    proc = check(project, "concise", "--output-file", str(concise))
    assert proc.stdout == ""
    assert "TWL101" in concise.read_text(encoding="utf-8")


def test_output_file_that_is_a_pipe_is_written_to_not_replaced(project: Path, tmp_path: Path):
    """``--output-file /dev/null`` (as root) or a FIFO a CI step reads: the report goes into
    it, and it stays what it was (an atomic replace would have put a regular file there)."""
    import os
    import stat
    import threading

    fifo = tmp_path / "report.pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    proc = check(project, "concise", "--output-file", str(fifo))
    if reader.is_alive():  # the run never opened the pipe: unblock the reader and fail
        with open(fifo, "w", encoding="utf-8"):
            pass
    reader.join(timeout=30)
    assert proc.stdout == ""
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received and received[0].startswith("src/app, v2.py:4:10: TWL101 ")


def test_output_file_in_missing_directory_is_a_usage_error(project: Path, tmp_path: Path):
    proc = run_cli("check", "--isolated", "--output-file", str(tmp_path / "no" / "x.txt"), ".",
                   cwd=project)
    assert proc.returncode == 2
    assert "cannot write" in proc.stderr
