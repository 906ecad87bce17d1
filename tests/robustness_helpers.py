"""Helpers shared by the robustness suites (hostile inputs, fuzzing, fix round trips at scale,
secrets and isolation): run the real CLI while measuring its time and peak memory, and snapshot
trees byte for byte."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import ROOT


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    seconds: float  # wall clock
    cpu_seconds: float  # user + system of the process and its children (pool workers)
    max_rss_mb: float  # peak resident set of the CLI process (ru_maxrss of wait4)


def run_measured(
    *args: str,
    cwd: Path | str | None = None,
    env: dict | None = None,
    timeout: float = 300,
    argv0: list[str] | None = None,
    stdin: bytes | None = None,
) -> Measured:
    """The real command line in a subprocess; wall time, CPU time and peak RSS from wait4."""
    command = [*(argv0 or [sys.executable]), "-m", "twilio_lint", *args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            stdout=out,
            stderr=err,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
        )
        if stdin is not None:
            proc.stdin.write(stdin)
            proc.stdin.close()
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                raise AssertionError(f"timed out after {timeout}s: {command}")
            time.sleep(0.02)
        seconds = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(
            returncode=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            seconds=seconds,
            cpu_seconds=usage.ru_utime + usage.ru_stime,
            max_rss_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
        )


def snapshot(root: Path) -> dict[str, bytes]:
    """Every regular file under ``root`` (no link followed), by relative path."""
    found: dict[str, bytes] = {}
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(directory, d))]
        for name in filenames:
            path = os.path.join(directory, name)
            if os.path.islink(path) or not stat.S_ISREG(os.lstat(path).st_mode):
                continue  # links, FIFOs (opening one would block), sockets
            try:
                with open(path, "rb") as handle:
                    found[os.path.relpath(path, root)] = handle.read()
            except OSError:
                continue
    return found


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pythonpath_env() -> dict:
    """The project importable in a subprocess whatever the install (editable or not)."""
    existing = os.environ.get("PYTHONPATH")
    return {"PYTHONPATH": str(ROOT) + (os.pathsep + existing if existing else "")}
