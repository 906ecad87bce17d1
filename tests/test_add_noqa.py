"""``--add-noqa``: a ``# noqa: TWLxxx`` on every flagged line, merged with existing ones, never
inside a multi-line string; and the run after it is clean."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tests.test_baseline import cli
from twilio_lint.adoption.add_noqa import add_noqa_to_text, with_noqa

HEADER = "import os\nfrom twilio.rest import Client\n\n"
TOKEN_CLIENT = 'client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])'


def test_add_noqa_then_the_run_is_clean(tmp_path: Path):
    app = tmp_path / "app.py"
    app.write_bytes(
        (
            HEADER.replace("\n", "\r\n")
            + TOKEN_CLIENT + "\r\n"
            + "other = Client()  # noqa: E501 keep this note\r\n"
            + "third = Client()  # a comment\r\n"
            + "tricky = Client(os.environ['TWILIO_ACCOUNT_SID'], '''\r\nnot a token''')\r\n"
        ).encode()
    )
    os.chmod(app, 0o640)
    code, out, err = cli(tmp_path, "check", "--isolated", "--add-noqa", ".")
    assert code == 0, err
    assert "Added 3 noqa directives." in out
    assert "app.py:7: noqa not added: the line ends inside a multi-line string" in err
    lines = app.read_bytes().decode().split("\r\n")  # CRLF kept
    assert lines[3] == TOKEN_CLIENT + "  # noqa: TWL101"
    assert lines[4] == "other = Client()  # noqa: E501, TWL101 keep this note"
    assert lines[5] == "third = Client()  # a comment  # noqa: TWL101"
    assert lines[6] == "tricky = Client(os.environ['TWILIO_ACCOUNT_SID'], '''"
    assert stat.S_IMODE(app.stat().st_mode) == 0o640  # written atomically, mode kept

    code, out, err = cli(tmp_path, "check", "--isolated", "--quiet", "--output-format",
                         "concise", ".")
    assert code == 1  # only the line inside the string is left
    assert [line.split(": ")[0] for line in out.strip().splitlines()] == ["app.py:7:10"]
    # Running it again adds nothing new.
    code, out, _ = cli(tmp_path, "check", "--isolated", "--add-noqa", ".")
    assert "Added 0 noqa directives." in out


def test_with_noqa_merges_and_respects_existing_directives():
    assert with_noqa("x = 1", {"TWL101"}) == "x = 1  # noqa: TWL101"
    assert with_noqa("x = 1   ", {"TWL106", "TWL101"}) == "x = 1  # noqa: TWL101, TWL106"
    assert with_noqa("x = 1  # noqa:TWL106", {"TWL101"}) == "x = 1  # noqa: TWL101, TWL106"
    assert with_noqa("x = 1  # noqa", {"TWL101"}) is None  # already covers everything
    assert with_noqa("x = 1  # noqa: TWL1", {"TWL101"}) is None  # a prefix covers it


def test_strings_and_continuations_are_never_touched():
    source = (
        'a = f"""one\n'
        '{b}"""\n'
        "c = 1 + \\\n"
        "    2\n"
    )
    new, added, skipped = add_noqa_to_text(source, "x.py", {1: {"TWL1"}, 2: {"TWL1"}, 3: {"TWL1"}})
    assert added == 1 and new.splitlines()[1] == '{b}"""  # noqa: TWL1'
    assert [line for line, _ in skipped] == [1, 3]
    toml = '[project]\ndescription = """\ntwilio\n"""\ndependencies = ["twilio==6.0"]\n'
    new, added, skipped = add_noqa_to_text(toml, "pyproject.toml", {3: {"TWL401"}, 5: {"TWL401"}})
    assert added == 1 and new.splitlines()[4].endswith("# noqa: TWL401")
    assert [line for line, _ in skipped] == [3]


def test_manifests_get_noqa_where_they_have_comments(tmp_path: Path):
    (tmp_path / "requirements.txt").write_text("flask==2.0\ntwilio==6.0.0\n", encoding="utf-8")
    (tmp_path / "package.json").write_text('{"dependencies": {"twilio": "3.0.0"}}\n',
                                           encoding="utf-8")
    code, out, err = cli(tmp_path, "check", "--isolated", "--add-noqa", ".")
    assert code == 0, err
    assert (tmp_path / "requirements.txt").read_text(encoding="utf-8").splitlines()[1] == (
        "twilio==6.0.0  # noqa: TWL401"
    )
    assert "package.json:1: noqa not added" in err  # JSON has no comments: left alone
    assert (tmp_path / "package.json").read_text(encoding="utf-8").count("noqa") == 0
