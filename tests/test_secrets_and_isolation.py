"""Secrets never leak, scanned code never runs, no network, concurrent runs agree.

- Fake credentials (built at run time, ``tests.helpers.FAKE``) are planted in Python files,
  ``.env``/YAML/JSON/TOML files and error-provoking places; every output format, ``--statistics``,
  ``--write-baseline``, ``--output-file`` (SARIF, JUnit), ``--show-fixes``, the result cache and
  the error messages are scanned: none holds a complete credential.
- A scanned module, ``setup.py`` and ``conftest.py`` whose import would create a marker file:
  the marker never appears (the tool reads, it never imports or runs what it scans).
- Sockets blocked by a ``sitecustomize.py``: no run tries to connect.
- Two runs at once over one tree with the cache on, and a third warm run: identical results.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import FAKE, FIXTURES, materialize
from tests.robustness_helpers import pythonpath_env, run_measured

SECRETS = {name: value for name, value in FAKE.items()}
FORMATS = ("full", "concise", "json", "json-lines", "sarif", "github", "junit")


def _plant(root: Path) -> None:
    sid, key, token, secret = (FAKE["FAKE_ACCOUNT_SID"], FAKE["FAKE_API_KEY_SID"],
                               FAKE["FAKE_AUTH_TOKEN"], FAKE["FAKE_API_SECRET"])
    files = {
        "app.py": (
            "from twilio.rest import Client\n"
            f"client = Client('{sid}', '{token}')\n"
            f"keyed = Client('{key}', '{secret}', '{sid}')\n"
            f"TWILIO_AUTH_TOKEN = '{token}'\n"
            f"settings = {{'auth_token': '{token}', 'api_secret': '{secret}'}}\n"
            f"client.messages.create(to='+1', body='{token}', "
            "status_callback='http://example.com/s')\n"
        ),
        "one_line.py": f"from twilio.rest import Client; Client('{sid}', '{token}')\n",
        "no_twilio_mention.py": f"ACCOUNT = '{sid}'\nKEY = '{key}'\n",
        "broken_with_secret.py": f"import twilio\ntoken = '{token}\n",  # unterminated
        "cookie_secret.py": f"# coding: {token}\nimport twilio\n",  # decode error names it
        "cookie_sid.py": f"# coding: {sid}\nimport twilio\n",
        "nul_with_secret.py": f"import twilio\ntoken = '{token}'\0\n",
        ".env": f"TWILIO_ACCOUNT_SID={sid}\nTWILIO_AUTH_TOKEN={token}\nTWILIO_API_SECRET={secret}\n",
        "config/settings.yaml": f"twilio:\n  sid: {sid}\n  token: {token}\n  key: {key}\n",
        "config/secrets.json": f'{{"account_sid": "{sid}", "auth_token": "{token}"}}\n',
        "config/app.toml": f'[twilio]\naccount_sid = "{sid}"\nauth_token = "{token}"\n',
        "config/app.ini": f"[twilio]\nauth_token = {token}\napi_key = {key}\n",
        # Credentials in file and folder names, after "_" or a letter, in a cookie (issue 15).
        f"cb_{sid}/x{token}.py": (
            "from twilio.rest import Client\n"
            "client = Client(api_key, api_secret, account_sid)\n"
            "calls = client.api.calls.list(limit=20)\n"
        ),
        f"x{sid}/broken_{secret}.py": "import twilio\ndef send(:\n",
        "cookie_glued.py": f"# coding: x_{token}\nimport twilio\n",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _leaks(text: str) -> list[str]:
    return [name for name, value in SECRETS.items() if value in text]


def _scan_dir(directory: Path) -> dict[str, list[str]]:
    found = {}
    for path in directory.rglob("*"):
        if path.is_file():
            leaks = _leaks(path.read_bytes().decode("utf-8", "replace"))
            if leaks:
                found[str(path)] = leaks
    return found


@pytest.mark.slow
def test_no_output_cache_baseline_or_error_holds_a_credential(tmp_path):
    root = tmp_path / "project"
    _plant(root)
    cache = tmp_path / "cache"
    out = tmp_path / "out"
    out.mkdir()
    env = {"TWILIO_LINT_CACHE_DIR": str(cache)}
    base = ("check", "--isolated", "--select", "ALL")
    runs = []
    for fmt in FORMATS:
        runs.append((fmt, run_measured(*base, "--output-format", fmt, ".", cwd=root, env=env)))
        if fmt in ("full", "json", "sarif"):  # with fixes shown, through the process pool
            runs.append((fmt + " -j2", run_measured(*base, "-j", "2", "--output-format", fmt,
                                                    "--show-fixes", "--unsafe-fixes", ".",
                                                    cwd=root, env=env)))
    runs.append(("statistics", run_measured(*base, "--statistics", ".", cwd=root, env=env)))
    for fmt in ("sarif", "junit", "json"):
        runs.append((f"output-file {fmt}", run_measured(
            *base, "--output-format", fmt, "--output-file", str(out / f"report.{fmt}"), ".",
            cwd=root, env=env)))
    runs.append(("write-baseline", run_measured(
        *base, "--write-baseline", str(out / "baseline.json"), ".", cwd=root, env=env)))
    runs.append(("baseline", run_measured(
        *base, "--baseline", str(out / "baseline.json"), ".", cwd=root, env=env)))
    runs.append(("stdin", run_measured(*base, "-", cwd=root, env=env,
                                       stdin=(root / "app.py").read_bytes())))
    for label, proc in runs:
        assert proc.returncode in (0, 1), (label, proc.stderr)
        assert "Traceback" not in proc.stderr, (label, proc.stderr)
        assert not _leaks(proc.stdout), (label, _leaks(proc.stdout), proc.stdout[:3000])
        assert not _leaks(proc.stderr), (label, _leaks(proc.stderr), proc.stderr)
    # The planted files were seen: findings of the credential rule, and the broken ones named.
    concise = next(proc for label, proc in runs if label == "concise")
    assert "TWL102" in concise.stdout and "broken_with_secret.py" in concise.stdout  # TWL001
    assert "cb_AC" in concise.stdout and "cookie_glued.py:1:1: TWL001" in concise.stdout
    assert (out / "baseline.json").exists() and (out / "report.sarif").exists()
    assert cache.exists() and any(cache.rglob("*.json"))
    assert _scan_dir(cache) == {}
    assert _scan_dir(out) == {}


def test_fix_diff_and_fixed_files_do_not_leak_into_messages(tmp_path):
    root = tmp_path / "project"
    _plant(root)
    proc = run_measured("check", "--isolated", "--no-cache", "--select", "ALL", "--fix",
                        "--unsafe-fixes", "--show-fixes", "--output-format", "full", ".",
                        cwd=root)
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr
    assert not _leaks(proc.stdout) and not _leaks(proc.stderr), (proc.stdout, proc.stderr)


MARKER_CODE = "open({marker!r}, 'a').write({name!r} + '\\n')\n"


def test_scanned_code_is_never_imported_or_run(tmp_path):
    marker = tmp_path / "EXECUTED"
    root = tmp_path / "project"
    root.mkdir()
    header = "import twilio\nfrom twilio.rest import Client\n"
    for name in ("app.py", "setup.py", "conftest.py", "__init__.py", "sitecustomize.py",
                 "pkg/__init__.py", "pkg/__main__.py", "twilio.py", "decorators.py"):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(header + MARKER_CODE.format(marker=str(marker), name=name)
                        + "client = Client('x', 'y')\n"
                        "from decorators import validate\n"
                        "client.messages.create(to='+1', status_callback='http://e.com')\n")
    (root / "usercustomize.pth").write_text(f"import os; open({str(marker)!r}, 'a')\n")
    (root / "requirements.txt").write_text("twilio==6.0.0\n")
    env = pythonpath_env()
    for args in (("--output-format", "json"), ("--fix", "--unsafe-fixes"),
                 ("-j", "2", "--output-format", "sarif"), ("--statistics",)):
        proc = run_measured("check", "--isolated", "--select", "ALL", *args, ".", cwd=root,
                            env=env)
        assert proc.returncode in (0, 1), (args, proc.stderr)
        assert not marker.exists(), (args, marker.read_text())
    flake8 = subprocess.run([sys.executable, "-m", "flake8", "--isolated", "--select", "TWL",
                             "."], cwd=root, capture_output=True, text=True, timeout=300)
    assert flake8.returncode in (0, 1), flake8.stderr
    assert not marker.exists(), marker.read_text()


SITECUSTOMIZE = """\
import socket

def _blocked(*args, **kwargs):
    open({attempts!r}, "a").write("connect\\n")
    raise OSError("network access is blocked in this test")

class _BlockedSocket(socket.socket):
    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if family in (socket.AF_INET, socket.AF_INET6, -1) and fileno is None:
            _blocked()
        super().__init__(family, type, proto, fileno)

socket.socket = _BlockedSocket
socket.create_connection = _blocked
socket.getaddrinfo = _blocked
open({loaded!r}, "a").write("loaded\\n")
"""


@pytest.mark.slow
def test_no_network_connection(tmp_path):
    attempts = tmp_path / "ATTEMPTS"
    loaded = tmp_path / "LOADED"
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        SITECUSTOMIZE.format(attempts=str(attempts), loaded=str(loaded))
    )
    root = tmp_path / "project"
    materialize(FIXTURES, root)
    env = {"PYTHONPATH": os.pathsep.join([str(site), pythonpath_env()["PYTHONPATH"]]),
           "TWILIO_LINT_CACHE_DIR": str(tmp_path / "cache")}
    for args in (("--output-format", "sarif"), ("-j", "2", "--output-format", "json"),
                 ("--fix", "--unsafe-fixes", "--output-format", "concise")):
        proc = run_measured("check", "--isolated", "--select", "ALL", *args, ".", cwd=root,
                            env=env)
        assert proc.returncode in (0, 1), (args, proc.stderr[-2000:])
        assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert loaded.exists(), "the socket blocker was not loaded"
    assert not attempts.exists(), "a run tried to open a network connection"


def _concurrency_tree(root: Path) -> None:
    materialize(FIXTURES, root / "fixtures")
    for i in range(60):
        path = root / "bulk" / f"m{i:02}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "from twilio.rest import Client\nclient = Client()\n"
            f"client.messages.create(to='+1', body='{i}', status_callback='http://e.com/{i}')\n"
        )


@pytest.mark.parametrize("jobs", ["2"])  # the process pool: 60+ files
@pytest.mark.slow
def test_concurrent_runs_with_the_cache_agree(tmp_path, jobs):
    root = tmp_path / "project"
    _concurrency_tree(root)
    env = {**os.environ, "TWILIO_LINT_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "twilio_lint", "check", "--isolated", "--select", "ALL",
               "-j", jobs, "--output-format", "json", "."]
    procs = [subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [proc.communicate(timeout=300) for proc in procs]
    warm = subprocess.run(command, cwd=root, env=env, capture_output=True, timeout=300)
    cold = subprocess.run([*command, "--no-cache"], cwd=root, capture_output=True, timeout=300)
    for proc in procs:
        assert proc.returncode == 1
    assert outputs[0] == outputs[1]
    assert (warm.stdout, warm.stderr) == outputs[0]
    assert (cold.stdout, cold.stderr) == outputs[0]
    assert b"Traceback" not in outputs[0][1]
