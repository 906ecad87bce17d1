"""``twilio-lint lsp`` over stdio, driven by a small JSON-RPC client written for the test.

The real server runs in a subprocess: initialize, open a violating document, receive the
diagnostics, ask for code actions, apply one (the finding's fix if it has one, else "add noqa"),
and get an empty diagnostic list back. Every wait is bounded so a failure never hangs CI.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("pygls")

TIMEOUT = 20.0


class LspClient:
    """Content-Length framed JSON-RPC over a subprocess's stdin/stdout."""

    def __init__(self, cwd: Path) -> None:
        self.stderr = tempfile.TemporaryFile()  # a file: a chatty server can never block on it
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "twilio_lint", "lsp"],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.messages: queue.Queue = queue.Queue()
        self.backlog: list[dict] = []
        self.next_id = 0
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: dict) -> object:
        self.next_id += 1
        ident = self.next_id
        self.send({"id": ident, "method": method, "params": params})
        reply = self.wait(lambda m: m.get("id") == ident and "method" not in m)
        assert "error" not in reply, reply
        return reply.get("result")

    def wait(self, predicate, timeout: float = TIMEOUT) -> dict:
        for index, message in enumerate(self.backlog):
            if predicate(message):
                return self.backlog.pop(index)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out; unmatched messages: {self.backlog}")
            try:
                message = self.messages.get(timeout=remaining)
            except queue.Empty:
                continue
            if message is None:
                self.stderr.seek(0)
                stderr = self.stderr.read().decode(errors="replace")
                raise AssertionError(f"the server exited: {stderr}")
            if "id" in message and "method" in message:  # a request from the server
                self.send({"id": message["id"], "result": None})
                continue
            if predicate(message):
                return message
            self.backlog.append(message)

    def diagnostics(self, uri: str, timeout: float = TIMEOUT) -> list[dict]:
        message = self.wait(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri,
            timeout,
        )
        return message["params"]["diagnostics"]

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self.request("shutdown", {})
                self.notify("exit", {})
                self.proc.wait(timeout=5)
        except Exception:  # noqa: BLE001 - cleanup must not mask the test's failure
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(timeout=5)
            for stream in (self.proc.stdin, self.proc.stdout, self.stderr):
                if stream is not None:
                    stream.close()


def apply_edits(text: str, edits: list[dict]) -> str:
    """Apply LSP text edits (the test sticks to ASCII, so UTF-16 units are characters)."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: dict) -> int:
        return starts[min(position["line"], len(lines))] + position["character"]

    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """One server for the module (each test uses its own directory and documents)."""
    root = tmp_path_factory.mktemp("lsp")
    lsp = LspClient(root)
    try:
        result = lsp.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "capabilities": {"general": {"positionEncodings": ["utf-16"]}},
                "initializationOptions": {"debounce": 0.2},
            },
        )
        assert result["capabilities"]["codeActionProvider"]
        lsp.notify("initialized", {})
        yield lsp
    finally:
        lsp.close()


VIOLATING = (
    "import os\n"
    "from twilio.rest import Client\n"
    "\n"
    'client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])\n'
)


def open_document(client: LspClient, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
    )
    return uri


@pytest.mark.parametrize("action", ["fix", "noqa"])
def test_diagnostics_code_action_and_clean_after_edit(client: LspClient, tmp_path: Path, action):
    path = tmp_path / "app.py"
    path.write_text(VIOLATING, encoding="utf-8")
    uri = open_document(client, path, VIOLATING)
    diagnostics = client.diagnostics(uri)
    assert [d["code"] for d in diagnostics] == ["TWL101"]
    diag = diagnostics[0]
    assert diag["source"] == "twilio-lint"
    assert diag["range"]["start"] == {"line": 3, "character": 9}
    assert diag["codeDescription"]["href"].endswith("TWL101.md")

    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": diag["range"],
            "context": {"diagnostics": [diag]},
        },
    )
    assert actions, "expected at least the add-noqa action"
    fixes = [a for a in actions if "noqa" not in a["title"]]
    noqa = [a for a in actions if "noqa" in a["title"]]
    assert noqa and noqa[0]["kind"] == "quickfix"
    if action == "fix":
        # TWL101 has an (unsafe) fix: offered as a quick fix, labelled, not preferred.
        assert fixes, f"no fix action offered: {actions}"
        assert "unsafe" in fixes[0]["title"] and not fixes[0].get("isPreferred")
        chosen = fixes[0]
    else:
        chosen = noqa[0]
    assert chosen["diagnostics"][0]["code"] == "TWL101"
    new_text = apply_edits(VIOLATING, chosen["edit"]["changes"][uri])
    if action == "noqa":
        assert new_text.splitlines()[3].endswith("# noqa: TWL101")
    else:
        assert "TWILIO_API_KEY" in new_text

    client.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"text": new_text}],
        },
    )
    assert client.diagnostics(uri) == []


def test_change_is_debounced_and_reported(client: LspClient, tmp_path: Path):
    path = tmp_path / "clean.py"
    clean = "from twilio.rest import Client\n"
    uri = open_document(client, path, clean)
    assert client.diagnostics(uri) == []
    # Several quick edits: only the final text matters.
    for version, text in enumerate(
        [clean + "c = Cl", clean + "c = Client(", clean + "c = Client()\n"], start=2
    ):
        client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        )
    diagnostics = client.diagnostics(uri)
    assert [(d["code"], d["range"]["start"]["line"]) for d in diagnostics] == [("TWL101", 1)]


def test_workspace_configuration_applies(client: LspClient, tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.twilio-lint]\nexclude = ["generated"]\n'
        '[tool.twilio-lint.per-file-ignores]\n"quiet.py" = ["TWL101"]\n',
        encoding="utf-8",
    )
    source = "from twilio.rest import Client\nclient = Client()\n"
    (tmp_path / "generated").mkdir()
    flagged = open_document(client, tmp_path / "loud.py", source)
    ignored = open_document(client, tmp_path / "quiet.py", source)
    excluded = open_document(client, tmp_path / "generated" / "x.py", source)
    assert [d["code"] for d in client.diagnostics(flagged)] == ["TWL101"]
    assert client.diagnostics(ignored) == []
    assert client.diagnostics(excluded) == []


def test_positions_are_in_utf16_units(client: LspClient, tmp_path: Path):
    # The emoji is one character for Python and two UTF-16 code units for the client.
    source = 'from twilio.rest import Client\nnote = "😀"; client = Client()\n'
    uri = open_document(client, tmp_path / "emoji.py", source)
    diagnostics = client.diagnostics(uri)
    assert [d["range"]["start"] for d in diagnostics] == [{"line": 1, "character": 22}]
    assert diagnostics[0]["range"]["end"] == {"line": 1, "character": 30}


def test_without_pygls_the_verb_explains_the_extra(tmp_path: Path):
    (tmp_path / "pygls.py").write_text("raise ImportError('not installed')\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "twilio_lint", "lsp"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "twilio-lint[lsp]" in proc.stderr
