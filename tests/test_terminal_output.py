"""Colour, rule links, the closing "Checked N files" line and progress: on a terminal only
(a real pseudo-terminal here), never in pipes, files or CI logs unless asked for."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

APP = (
    "import os\n"
    "from twilio.rest import Client\n"
    "\n"
    'client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])\n'
    "calls = client.api.calls.list(limit=20)\n"
)
TWL403 = (
    "client.api.calls is deprecated since twilio 8.0.0 and warns on every use; use "
    "client.api.account.calls (or client.calls)"
)
URL = "https://github.com/twilio-lint/twilio-lint/blob/main/docs/rules/TWL403.md"
BOLD, RED, CYAN, RESET = "\x1b[1m", "\x1b[31m", "\x1b[36m", "\x1b[0m"
#: Variables of the developer's terminal that would change what these tests see.
TERMINAL_ENV = ("NO_COLOR", "FORCE_COLOR", "FORCE_HYPERLINK", "CI", "TERM_PROGRAM", "VTE_VERSION",
                "WT_SESSION", "KONSOLE_VERSION", "DOMTERM", "TWILIO_LINT_PROGRESS_AFTER")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(APP)
    return tmp_path


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in TERMINAL_ENV}
    env["TERM"] = "xterm-256color"
    return {**env, **extra}


def on_terminal(cwd: Path, *args: str, **env: str) -> str:
    """The command's stdout and stderr as a terminal shows them (a real pty)."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.chdir(cwd)
        os.execve(sys.executable, [sys.executable, "-m", "twilio_lint", *args], _env(**env))
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.waitpid(pid, 0)
    os.close(fd)
    return b"".join(chunks).decode().replace("\r\n", "\n")


def in_pipe(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "twilio_lint", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, env=_env(**env))


CONCISE = ("check", "--isolated", "--no-cache", "--output-format", "concise", "--select", "TWL403",
           "app.py")
PLAIN_LINES = [f"app.py:5:9: TWL403 {TWL403}", "Found 1 finding.",
               "[*] 1 fixable with `--fix`."]
COLOURED_LINE = f"{BOLD}app.py:5:9{RESET}: {BOLD}{RED}TWL403{RESET} {TWL403}"
CHECKED = re.compile(r"Checked 1 file in \d+\.\d\ds\.")


def test_concise_on_a_terminal_is_coloured_and_ends_with_files_and_time(project):
    lines = on_terminal(project, *CONCISE).splitlines()
    assert lines[:3] == [COLOURED_LINE, *PLAIN_LINES[1:]]
    assert CHECKED.fullmatch(lines[3]), lines
    assert len(lines) == 4


def test_pipes_get_neither_colour_nor_the_timing_line(project):
    proc = in_pipe(project, *CONCISE)
    assert proc.stdout.splitlines() == PLAIN_LINES
    assert proc.stderr == ""


@pytest.mark.parametrize(("flag", "env", "coloured"), [
    ("never", {}, False),
    ("auto", {"NO_COLOR": "1"}, False),
    ("auto", {"NO_COLOR": ""}, True),  # empty means unset (no-color.org)
    ("always", {"NO_COLOR": "1"}, True),  # the command line wins over the environment
    ("auto", {"TERM": "dumb"}, False),
])
def test_color_option_and_no_color_on_a_terminal(project, flag, env, coloured):
    first = on_terminal(project, *CONCISE, "--color", flag, **env).splitlines()[0]
    assert first == (COLOURED_LINE if coloured else PLAIN_LINES[0])


@pytest.mark.parametrize(("flag", "env"), [("always", {}), ("auto", {"FORCE_COLOR": "1"})])
def test_colour_in_a_pipe_only_when_asked(project, flag, env):
    proc = in_pipe(project, *CONCISE, "--color", flag, **env)
    assert proc.stdout.splitlines() == [COLOURED_LINE, *PLAIN_LINES[1:]]


def test_force_color_loses_to_no_color_and_to_never(project):
    assert in_pipe(project, *CONCISE, FORCE_COLOR="1", NO_COLOR="1").stdout.splitlines() == PLAIN_LINES
    assert in_pipe(project, *CONCISE, "--color", "never", FORCE_COLOR="1").stdout.splitlines() == PLAIN_LINES


def test_full_output_colours_path_code_gutter_and_caret(project):
    lines = on_terminal(project, "check", "--isolated", "--no-cache", "--select", "TWL403",
                        "app.py").splitlines()
    assert lines[:3] == [
        COLOURED_LINE,
        f"  {CYAN}5 | {RESET}calls = client.api.calls.list(limit=20)",
        f"              {RED}{'^' * 16}{RESET}",
    ]


def test_codes_link_to_their_docs_on_terminals_that_show_links(project):
    linked = f"{BOLD}app.py:5:9{RESET}: \x1b]8;;{URL}\x1b\\{BOLD}{RED}TWL403{RESET}\x1b]8;;\x1b\\ {TWL403}"
    assert on_terminal(project, *CONCISE, TERM_PROGRAM="WezTerm").splitlines()[0] == linked
    assert on_terminal(project, *CONCISE, VTE_VERSION="6003").splitlines()[0] == linked
    assert on_terminal(project, *CONCISE, VTE_VERSION="4600").splitlines()[0] == COLOURED_LINE
    assert on_terminal(project, *CONCISE).splitlines()[0] == COLOURED_LINE
    ci = on_terminal(project, *CONCISE, TERM_PROGRAM="WezTerm", CI="true")
    assert ci.splitlines()[0] == COLOURED_LINE
    assert in_pipe(project, *CONCISE, FORCE_COLOR="1", FORCE_HYPERLINK="1").stdout.splitlines()[0] == linked


def test_output_file_is_never_coloured(project):
    shown = on_terminal(project, *CONCISE, "--color", "always", "--output-file", "report.txt")
    assert shown == ""
    assert (project / "report.txt").read_text().splitlines() == PLAIN_LINES


def test_quiet_on_a_terminal_prints_no_summary(project):
    assert on_terminal(project, *CONCISE, "-q", "--color", "never").splitlines() == PLAIN_LINES[:1]


# --- progress ---------------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for number in range(3):
        (tmp_path / f"m{number}.py").write_text(f"print({number})\n")
    return tmp_path


PROGRESS = ("check", "--isolated", "--no-cache", "-j", "1", "--output-format", "concise", ".")


def test_a_long_run_on_a_terminal_shows_files_done_of_total(tree):
    shown = on_terminal(tree, *PROGRESS, TWILIO_LINT_PROGRESS_AFTER="0")
    clear = "\r\x1b[2K"
    head, tail = shown.split("All checks passed!\n")
    assert head == "".join(f"{clear}Checking files: {done}/3" for done in (1, 2, 3)) + clear
    assert re.fullmatch(r"Checked 3 files in \d+\.\d\ds\.\n", tail), tail


@pytest.mark.parametrize(("args", "env"), [
    ((), {}),  # a short run: under the threshold of one second
    (("-q",), {"TWILIO_LINT_PROGRESS_AFTER": "0"}),
    ((), {"TWILIO_LINT_PROGRESS_AFTER": "0", "CI": "true"}),
])
def test_no_progress_for_short_quiet_or_ci_runs(tree, args, env):
    shown = on_terminal(tree, *PROGRESS, *args, **env)
    assert "Checking files" not in shown
    assert shown.startswith("All checks passed!\n") or shown == ""


def test_no_progress_when_stderr_is_a_pipe(tree):
    proc = in_pipe(tree, *PROGRESS, TWILIO_LINT_PROGRESS_AFTER="0")
    assert (proc.stdout, proc.stderr) == ("All checks passed!\n", "")
