"""``check --watch`` through the real command line: a first report, a new report after an edit,
Ctrl-C ends it; without watchfiles, a one-line error."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.helpers import run_cli
from tests.test_fix_cli import MIXED, MIXED_ALL_FIXED

#: Generous bound for a pass on a loaded 2-core machine; the test waits only as long as needed.
DEADLINE_SECONDS = 60


class Watched:
    """``twilio-lint check --watch`` in a subprocess, its output lines gathered as they come."""

    def __init__(self, *args: str, cwd: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "twilio_lint", "check", "--watch", *args],
            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "NO_COLOR": "1"},
        )
        self.lines: queue.Queue[tuple[str, str]] = queue.Queue()
        self.seen: list[tuple[str, str]] = []
        self.readers = [
            threading.Thread(target=self._read, args=(name, stream), daemon=True)
            for name, stream in (("out", self.proc.stdout), ("err", self.proc.stderr))
        ]
        for reader in self.readers:
            reader.start()

    def _read(self, name: str, stream) -> None:
        for line in stream:
            self.lines.put((name, line.rstrip("\n")))

    def wait_for(self, stream: str, text: str) -> list[tuple[str, str]]:
        """Every line up to the first ``text`` on ``stream``; fails after the deadline."""
        deadline = time.monotonic() + DEADLINE_SECONDS
        start = len(self.seen)
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                assert self.proc.poll() is None, f"watch ended early: {self.seen}"
                continue
            self.seen.append(line)
            if line == (stream, text):
                return self.seen[start:]
        raise AssertionError(f"no {text!r} on std{stream} within {DEADLINE_SECONDS}s: {self.seen}")

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        try:
            returncode = self.proc.wait(timeout=DEADLINE_SECONDS)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        for reader in self.readers:  # the pipes are closed: they finish
            reader.join(timeout=DEADLINE_SECONDS)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return returncode


def _without_time(lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Status lines start with the time of day: ``[07:14:09] ...``."""
    return [(name, text[11:] if name == "err" else text) for name, text in lines]


def test_watch_reports_again_after_an_edit_and_stops_on_ctrl_c(tmp_path):
    app = tmp_path / "src" / "app.py"
    app.parent.mkdir()
    app.write_text(MIXED)
    watched = Watched("--isolated", "--output-format", "concise", "src", cwd=tmp_path)
    try:
        hint = ("[*] 1 fixable with `--fix` (1 unsafe fix available with "
                "`--fix --unsafe-fixes`).")
        first = watched.wait_for("out", hint)
        assert _without_time(first) == [
            ("err", "Starting linter in watch mode..."),
            ("out", "src/app.py:5:10: TWL101 Twilio client authenticated with the Account SID "
             "and Auth Token; use an API key instead: Client(api_key_sid, api_key_secret, "
             "account_sid) and keep the Auth Token for webhook validation"),
            ("out", "src/app.py:6:9: TWL403 client.api.calls is deprecated since twilio 8.0.0 "
             "and warns on every use; use client.api.account.calls (or client.calls)"),
            ("out", "Found 2 findings."),
            ("out", hint),
        ]
        app.write_text(MIXED_ALL_FIXED)
        second = watched.wait_for("out", "All checks passed!")
        assert _without_time(second) == [
            ("err", "File change detected..."),
            ("out", "All checks passed!"),
        ]
    finally:
        returncode = watched.stop()
    assert returncode == 0
    assert len(watched.seen) == len(first) + len(second)  # no traceback, no "interrupted"


def test_watch_ignores_its_own_cache_and_output_file(tmp_path):
    """The passes write the result cache and ``--output-file`` inside the tree: neither is an
    edit, or each pass would start the next for ever."""
    (tmp_path / "app.py").write_text(MIXED_ALL_FIXED)
    watched = Watched("--isolated", "--output-file", "report.txt", ".", cwd=tmp_path)
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not (tmp_path / "report.txt").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (tmp_path / "report.txt").read_text() == "All checks passed!\n"
        assert (tmp_path / ".twilio_lint_cache").is_dir()
        time.sleep(2)  # a pass that started another would have said so by now
    finally:
        returncode = watched.stop()
    assert returncode == 0
    assert _without_time(watched.seen) == [("err", "Starting linter in watch mode...")]


def test_watch_without_watchfiles_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "watchfiles.py").write_text("raise ImportError('not installed')\n")
    (tmp_path / "app.py").write_text(MIXED)
    proc = run_cli("check", "--watch", "app.py", cwd=tmp_path, env={"PYTHONPATH": str(blocker)})
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (
        "twilio-lint: error: --watch needs the watchfiles package: "
        "pip install 'twilio-lint[watch]'\n"
    )


def test_watch_refuses_stdin(tmp_path):
    proc = run_cli("check", "--watch", "-", cwd=tmp_path, stdin="")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == "twilio-lint: error: --watch cannot read stdin ('-')\n"
