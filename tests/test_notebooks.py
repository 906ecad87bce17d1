"""Jupyter notebooks, linted and fixed like Ruff does: the real CLI on real ``.ipynb`` files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import fill, run_cli
from twilio_lint.notebooks import Notebook, NotebookError

PYTHON_METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python", "version": "3.12.1"},
}


def code_cell(source, outputs=(), count=None) -> dict:
    return {
        "cell_type": "code",
        "execution_count": count,
        "metadata": {},
        "outputs": list(outputs),
        "source": source,
    }


def markdown(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": [text]}


def notebook(*cells: dict, metadata: dict | None = None) -> dict:
    return {
        "cells": list(cells),
        "metadata": PYTHON_METADATA if metadata is None else metadata,
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write(path: Path, document: dict, indent: int | None = 1, newline: bool = True) -> str:
    text = fill(json.dumps(document, indent=indent, ensure_ascii=False)) + ("\n" if newline else "")
    path.write_text(text, encoding="utf-8")
    return text


def check(cwd: Path, *args: str):
    """The real ``twilio-lint check``, isolated from any config and cache."""
    return run_cli("check", "--isolated", "--no-cache", *args, cwd=cwd)


#: The closing line of a run whose fixable findings all have unsafe fixes (as Ruff says it).
UNSAFE_HINT = "{count} unsafe fix{s} available with `--fix --unsafe-fixes`."
STREAM = {"output_type": "stream", "name": "stdout", "text": ["queued\n"]}

#: An ops notebook as people write them: markdown, a %pip magic, a shell escape, credentials
#: pasted into a cell, help on an object.
QUICKSTART = notebook(
    markdown("# Send a test SMS\n"),
    code_cell(["%pip install twilio\n", "from twilio.rest import Client"], count=1),
    code_cell(
        [
            "!echo $PATH\n",
            'account_sid = "{{FAKE_ACCOUNT_SID}}"\n',
            'auth_token = "{{FAKE_AUTH_TOKEN}}"\n',
            "client = Client(account_sid, auth_token)\n",
        ],
        outputs=[STREAM],
        count=2,
    ),
    markdown("Status updates come back to our server:"),
    code_cell(
        'message = client.messages.create(\n    to="+15005550006", from_="+15005550001", '
        'body="hi",\n    status_callback="http://example.com/sms/status",\n)\nmessage?'
    ),
)


@pytest.fixture
def quickstart(tmp_path: Path) -> Path:
    write(tmp_path / "sms.ipynb", QUICKSTART)
    return tmp_path


def test_concise_names_the_cell_and_the_row_in_it(quickstart):
    proc = check(quickstart, "--output-format", "concise", ".")
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    locations = [line.split(": ", 1)[0] for line in lines[:-2]]
    assert locations == [
        "sms.ipynb:cell 3:2:15",  # the Account SID pasted into the cell (TWL102)
        "sms.ipynb:cell 3:3:14",  # the auth token (TWL102)
        "sms.ipynb:cell 3:4:10",  # the client built with them (TWL101)
        "sms.ipynb:cell 5:3:21",  # the http:// status callback (TWL103)
    ]
    assert [line.split(": ", 1)[1].split(" ", 1)[0] for line in lines[:-2]] == [
        "TWL102", "TWL102", "TWL101", "TWL103",
    ]
    assert lines[-2:] == ["Found 4 findings.", UNSAFE_HINT.format(count=4, s="es")]


def test_credentials_in_a_cell_are_masked_in_the_full_output(quickstart):
    proc = check(quickstart, "--select", "TWL102", "sms.ipynb")
    assert proc.returncode == 1, proc.stderr
    token = fill("{{FAKE_AUTH_TOKEN}}")
    assert token not in proc.stdout and token[:4] + "…" in proc.stdout
    assert proc.stdout.splitlines()[3:6] == [
        f"sms.ipynb:cell 3:3:14: TWL102 Hard-coded Twilio auth token '{token[:4]}…' "
        '(auth_token); read it from the environment (os.environ["TWILIO_AUTH_TOKEN"]) or a '
        "secret manager, and rotate it if it was shared",
        f'  3 | auth_token = "{token[:4]}…"',
        "                   ^^^^^^^",
    ]


def test_full_output_quotes_the_cell_line(quickstart):
    proc = check(quickstart, "--select", "TWL103", "sms.ipynb")
    assert proc.stdout == (
        "sms.ipynb:cell 5:3:21: TWL103 Plain http:// URL given to `status_callback`: Twilio "
        "sends the webhook unencrypted; use an https:// URL\n"
        '  3 |     status_callback="http://example.com/sms/status",\n'
        "                          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        "Found 1 finding.\n"
        f"{UNSAFE_HINT.format(count=1, s='')}\n"
    )


def test_json_fills_the_cell_field_like_ruff(quickstart):
    proc = check(quickstart, "--select", "TWL101,TWL103", "--output-format", "json", "sms.ipynb")
    items = json.loads(proc.stdout)
    assert [(i["code"], i["cell"], i["location"], i["end_location"], i["noqa_row"])
            for i in items] == [
        ("TWL101", 3, {"row": 4, "column": 10}, {"row": 4, "column": 41}, 4),
        ("TWL103", 5, {"row": 3, "column": 21}, {"row": 3, "column": 52}, 3),
    ]
    # A fix's edits are rows of the cell each edit is in: `import os` goes on top of cell 2.
    assert items[0]["fix"]["edits"][-1] == {
        "content": "import os\n",
        "location": {"row": 1, "column": 1},
        "end_location": {"row": 1, "column": 1},
    }
    assert items[0]["fix"]["edits"][0]["location"] == {"row": 4, "column": 17}


def test_sarif_and_github_name_the_cell(quickstart):
    proc = check(quickstart, "--select", "TWL103", "--output-format", "sarif", "sms.ipynb")
    result = json.loads(proc.stdout)["runs"][0]["results"][0]
    assert result["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "sms.ipynb", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 3, "startColumn": 21, "endLine": 3, "endColumn": 52},
            },
            "message": {"text": "cell 5"},
            "properties": {"cell": 5},
        }
    ]
    assert "fixes" not in result  # edits of the code cells do not apply to the JSON file
    github = check(quickstart, "--select", "TWL103", "--output-format", "github", "sms.ipynb")
    assert github.stdout == (
        "::error file=sms.ipynb,line=3,endLine=3,col=21,endColumn=52,title=TWL103 "
        "insecure-webhook-url::cell 5: TWL103 Plain http:// URL given to `status_callback`: "
        "Twilio sends the webhook unencrypted; use an https:// URL\n"
    )


def test_fix_edits_the_cells_and_keeps_outputs_metadata_and_format(quickstart):
    proc = check(quickstart, "--fix", "--unsafe-fixes", "--select", "TWL101,TWL103", "sms.ipynb")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == "Fixed 2 findings (0 remaining).\n"
    expected = json.loads(fill(json.dumps(QUICKSTART)))
    expected["cells"][1]["source"].insert(0, "import os\n")
    expected["cells"][2]["source"][3:] = [
        "client = Client(\n",
        '    os.environ["TWILIO_API_KEY"],\n',
        '    os.environ["TWILIO_API_SECRET"],\n',
        "    account_sid,\n",
        ")\n",
    ]
    expected["cells"][4]["source"] = expected["cells"][4]["source"].replace("http:", "https:")
    # The same JSON text Jupyter writes (indent 1, keys in their order, final newline).
    assert (quickstart / "sms.ipynb").read_text(encoding="utf-8") == (
        json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    )
    again = check(quickstart, "--fix", "--unsafe-fixes", "--select", "TWL101,TWL103", "sms.ipynb")
    assert again.stdout == "All checks passed!\n"


def test_fix_keeps_another_indentation_and_no_final_newline(tmp_path):
    document = notebook(
        code_cell("import twilio\ncallback = 'http://example.com/cb'\n"
                  "twilio.rest.Client().calls.create(status_callback=callback)"),
    )
    write(tmp_path / "calls.ipynb", document, indent=2, newline=False)
    proc = check(tmp_path, "--fix", "--unsafe-fixes", "--select", "TWL103", "calls.ipynb")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    document["cells"][0]["source"] = document["cells"][0]["source"].replace("http:", "https:")
    assert (tmp_path / "calls.ipynb").read_text() == json.dumps(document, indent=2)


def test_magics_escapes_and_other_languages_are_not_python(tmp_path):
    document = notebook(
        code_cell("%%bash\nexport TWILIO_AUTH_TOKEN=$(cat token)\nif [ -z x ]; then echo; fi\n"),
        code_cell(
            [
                "%%time\n",
                "import os\n",
                "files = !ls\n",
                "%env TWILIO_REGION=ie1\n",
                "for f in files:\n",
                "    !echo {f}\n",
                "os?\n",
                "from twilio.rest import Client\n",
                'Client(os.environ["TWILIO_API_KEY"], os.environ["TWILIO_API_SECRET"], '
                'os.environ["TWILIO_ACCOUNT_SID"]).calls.create(\n',
                '    to="+15005550006", from_="+15005550001", url="http://example.com/twiml")\n',
            ]
        ),
    )
    write(tmp_path / "ops.ipynb", document)
    proc = check(tmp_path, "--output-format", "concise", "ops.ipynb")
    assert proc.stderr == ""
    assert proc.stdout.splitlines()[0].startswith("ops.ipynb:cell 2:10:50: TWL103 ")
    assert proc.stdout.splitlines()[-2:] == ["Found 1 finding.", UNSAFE_HINT.format(count=1, s="")]


def test_noqa_in_a_cell_suppresses(tmp_path):
    document = notebook(
        code_cell(
            'from twilio.rest import Client\nclient = Client("{{FAKE_API_KEY_SID}}", '
            '"{{FAKE_API_SECRET}}", "{{FAKE_ACCOUNT_SID}}")  # noqa: TWL102\n'
        ),
    )
    write(tmp_path / "keys.ipynb", document)
    proc = check(tmp_path, "keys.ipynb")
    assert (proc.returncode, proc.stdout) == (0, "All checks passed!\n"), proc.stderr


def test_not_python_notebooks_are_skipped_and_broken_ones_are_one_line_errors(tmp_path):
    write(tmp_path / "r.ipynb", notebook(
        code_cell('library(twilio)\nauth_token <- "x"\n'),
        metadata={"kernelspec": {"language": "R", "name": "ir"},
                  "language_info": {"name": "R"}},
    ))
    (tmp_path / "broken.ipynb").write_text('{"cells": [', encoding="utf-8")
    (tmp_path / "list.ipynb").write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "deep.ipynb").write_text("[" * 100_000, encoding="utf-8")
    proc = check(tmp_path, ".")
    assert proc.returncode == 0, proc.stdout
    assert proc.stderr.splitlines() == [
        "twilio-lint: error: broken.ipynb: cannot read the notebook: invalid JSON: Expecting "
        "value (line 1, column 12)",
        "twilio-lint: error: deep.ipynb: cannot read the notebook: invalid JSON: nested too "
        "deeply",
        "twilio-lint: error: list.ipynb: cannot read the notebook: not a Jupyter notebook: no "
        "list of cells",
    ]
    assert proc.stdout == "No findings. 3 files could not be checked (see the errors above).\n"


def test_extend_exclude_turns_notebooks_off_and_extend_include_adds_files(quickstart):
    (quickstart / "pyproject.toml").write_text(
        '[tool.twilio-lint]\nextend-exclude = ["*.ipynb"]\nextend-include = ["*.pyw"]\n'
    )
    (quickstart / "tool.pyw").write_text(
        "from twilio.rest import Client\n"
        "Client().messages.create(to='+1', from_='+2', body='x', "
        "status_callback='http://example.com/s')\n"
    )
    proc = run_cli("check", "--no-cache", "--output-format", "concise", "--select", "TWL103",
                   ".", cwd=quickstart)
    assert proc.stdout.splitlines() == [
        "tool.pyw:2:73: TWL103 Plain http:// URL given to `status_callback`: Twilio sends the "
        "webhook unencrypted; use an https:// URL",
        "Found 1 finding.",
    ]
    default = check(quickstart, "--output-format", "concise", "--select", "TWL103", ".")
    assert [line.split(":")[0] for line in default.stdout.splitlines()[:-2]] == ["sms.ipynb"]


def test_baseline_fingerprints_the_cell_code(quickstart):
    wrote = check(quickstart, "--write-baseline", "base.json", ".")
    assert wrote.returncode == 0, wrote.stderr
    document = json.loads((quickstart / "sms.ipynb").read_text())
    document["cells"].insert(0, markdown("A new first cell moves every finding."))
    (quickstart / "sms.ipynb").write_text(json.dumps(document, indent=1) + "\n")
    proc = check(quickstart, "--baseline", "base.json", ".")
    assert (proc.returncode, proc.stdout) == (0, "All checks passed!\n"), proc.stderr


# --- the notebook model ----------------------------------------------------------------------


def test_an_unchanged_notebook_is_written_back_byte_for_byte():
    for indent, newline in ((1, True), (2, False), (None, True)):
        text = fill(json.dumps(QUICKSTART, indent=indent, ensure_ascii=False))
        text += "\n" if newline else ""
        parsed = Notebook.from_bytes(text.encode())
        assert parsed.with_code(parsed.code()) == text


def test_the_joined_code_masks_escapes_and_marks_cells():
    parsed = Notebook.from_bytes(json.dumps(QUICKSTART).encode())
    assert parsed.code().splitlines()[:8] == [
        "# twilio-lint-cell 2",
        "pass  # twilio-lint-escape 0",
        "from twilio.rest import Client",
        "# twilio-lint-cell 3",
        "pass  # twilio-lint-escape 1",
        'account_sid = "{{FAKE_ACCOUNT_SID}}"',
        'auth_token = "{{FAKE_AUTH_TOKEN}}"',
        "client = Client(account_sid, auth_token)",
    ]
    assert parsed.code().splitlines()[-1] == "pass  # twilio-lint-escape 2"  # message?


def test_a_fix_that_loses_a_cell_marker_is_refused():
    parsed = Notebook.from_bytes(json.dumps(QUICKSTART).encode())
    with pytest.raises(NotebookError, match="lost a cell boundary"):
        parsed.with_code(parsed.code().replace("# twilio-lint-cell 3\n", ""))


def test_add_noqa_writes_into_the_cell_and_a_second_check_passes(quickstart):
    added = check(quickstart, "--add-noqa", "sms.ipynb")
    assert added.stdout == "Added 4 noqa directives.\n", added.stderr
    document = json.loads((quickstart / "sms.ipynb").read_text())
    assert document["cells"][2]["source"][1:] == [
        fill('account_sid = "{{FAKE_ACCOUNT_SID}}"  # noqa: TWL102\n'),
        fill('auth_token = "{{FAKE_AUTH_TOKEN}}"  # noqa: TWL102\n'),
        "client = Client(account_sid, auth_token)  # noqa: TWL101\n",
    ]
    assert document["cells"][2]["outputs"] == [STREAM]
    assert document["cells"][4]["source"].splitlines()[2] == (
        '    status_callback="http://example.com/sms/status",  # noqa: TWL103'
    )
    proc = check(quickstart, "--extend-select", "TWL501", "sms.ipynb")
    assert (proc.returncode, proc.stdout) == (0, "All checks passed!\n"), proc.stderr


def test_a_python_file_run_never_loads_the_notebook_reader(tmp_path):
    (tmp_path / "app.py").write_text("from twilio.rest import Client\nClient()\n")
    probe = (
        "import sys\n"
        "from twilio_lint.cli import main\n"
        "code = main(['check', '--isolated', '--no-cache', '--quiet', 'app.py'])\n"
        "print(sorted(m for m in sys.modules if 'notebook' in m or m.startswith('nbformat')))\n"
    )
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert proc.stdout.splitlines()[-1] == "[]", proc.stdout + proc.stderr


def test_stdin_with_a_notebook_filename(quickstart):
    text = (quickstart / "sms.ipynb").read_text()
    proc = run_cli("check", "--isolated", "--no-cache", "--select", "TWL103",
                   "--stdin-filename", "sms.ipynb", "-", cwd=quickstart, stdin=text)
    assert proc.stdout.splitlines()[:2] == [
        "sms.ipynb:cell 5:3:21: TWL103 Plain http:// URL given to `status_callback`: Twilio "
        "sends the webhook unencrypted; use an https:// URL",
        '  3 |     status_callback="http://example.com/sms/status",',
    ]


def test_operators_that_open_a_continued_line_are_not_escapes():
    cell = code_cell(
        [
            "greeting = (\"Your code is %s\"\n",
            "            % code)\n",
            "ratio = (sent\n",
            "         / total)\n",
            'query = """\n',
            "%d messages\n",
            '"""\n',
            "for number in numbers:\n",
            "    !curl -s \\\n",
            "        https://example.com/ping\n",
            "    print(number)  # the loop goes on \\\n",
            "%time send(number)\n",
        ]
    )
    parsed = Notebook.from_bytes(json.dumps(notebook(cell)).encode())
    assert parsed.code().splitlines()[1:] == [
        "greeting = (\"Your code is %s\"",
        "            % code)",
        "ratio = (sent",
        "         / total)",
        'query = """',
        "%d messages",
        '"""',
        "for number in numbers:",
        "    pass  # twilio-lint-escape 0",
        "    pass  # twilio-lint-escape 1",
        "    print(number)  # the loop goes on \\",
        "pass  # twilio-lint-escape 2",
    ]
    compile(parsed.code(), "joined", "exec")
    assert parsed.with_code(parsed.code()) == json.dumps(notebook(cell))


def test_credentials_set_through_env_magics_are_found_and_never_edited(tmp_path):
    document = notebook(
        code_cell(
            [
                "%env TWILIO_AUTH_TOKEN={{FAKE_AUTH_TOKEN}}\n",
                "%set_env TWILIO_ACCOUNT_SID {{FAKE_ACCOUNT_SID}}\n",
                "!export TWILIO_API_SECRET={{FAKE_API_SECRET}}\n",
                "%env TWILIO_REGION=ie1\n",
                "from twilio.rest import Client\n",
                "client = Client()\n",
            ]
        )
    )
    original = write(tmp_path / "env.ipynb", document)
    proc = check(tmp_path, "--output-format", "json", "env.ipynb")
    items = json.loads(proc.stdout)
    assert [(i["code"], i["cell"], i["location"], i["fix"]) for i in items] == [
        ("TWL102", 1, {"row": 1, "column": 24}, None),
        ("TWL102", 1, {"row": 2, "column": 29}, None),
        ("TWL102", 1, {"row": 3, "column": 27}, None),
        ("TWL101", 1, {"row": 6, "column": 10}, items[3]["fix"]),
    ]
    assert fill("{{FAKE_AUTH_TOKEN}}") not in proc.stdout
    fixed = check(tmp_path, "--fix", "--unsafe-fixes", "env.ipynb")
    assert fixed.stdout.splitlines()[-1] == "Fixed 1 finding (3 remaining).", fixed.stderr
    source = json.loads((tmp_path / "env.ipynb").read_text())["cells"][0]["source"]
    assert source[:5] == ["import os\n", *json.loads(original)["cells"][0]["source"][:4]]
    assert source[6] == "client = Client(\n"


def test_a_cell_with_a_lone_surrogate_is_not_checked_without_a_crash(tmp_path):
    """JSON may escape a lone surrogate ("\\ud800"): the prefilter encoded the cells with
    UTF-8 strictly and crashed (a traceback); the parse cannot take it either: one TWL001, on
    the first row of the first cell (not on the cell marker, row 0)."""
    notebook = tmp_path / "n.ipynb"
    notebook.write_text(
        '{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], '
        '"execution_count": null, "source": "from twilio.rest import Client\\n'
        'URL = \\"http://ex.com/\\ud800\\"\\n"}], "metadata": {}, "nbformat": 4, '
        '"nbformat_minor": 5}'
    )
    proc = run_cli("check", "--isolated", "--no-cache", "--output-format", "concise", str(notebook))
    assert "Traceback" not in proc.stderr
    assert proc.stdout.splitlines()[0] == (
        f"{notebook}:cell 1:1:1: TWL001 not checked: cannot parse: 'utf-8' codec can't encode "
        "character '\\ud800' in position 73: surrogates not allowed"
    )
