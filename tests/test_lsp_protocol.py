"""``twilio-lint lsp`` on hostile or broken input: what no editor sends, so written as raw bytes.

One malformed message (a wrong ``Content-Length``, bad JSON, bogus ranges, a request after
``shutdown``) gets an error response or is dropped, and the server keeps serving; ``exit``
without ``shutdown`` exits 1; ``exit`` does not wait for a lint in flight. Every wait is bounded.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

pytest.importorskip("pygls")

TIMEOUT = 20.0
SOURCE = "from twilio.rest import Client\nclient = Client()\n"


class RawServer:
    """The server in a subprocess, and the JSON-RPC messages it writes, read in a thread."""

    def __init__(self, cwd: Path) -> None:
        self.stderr = tempfile.TemporaryFile()  # a file: a chatty server never blocks on it
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "twilio_lint", "lsp"],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
        )
        self.messages: queue.Queue = queue.Queue()
        self.responses: list[dict] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:  # the server exited
                    self.messages.put(None)
                    return
                if not line.strip():
                    if headers:
                        break
                    continue
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            self.messages.put(json.loads(stream.read(int(headers["content-length"]))))

    def write(self, data: bytes) -> None:
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message: dict, length_delta: int = 0) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.write(b"Content-Length: %d\r\n\r\n" % (len(body) + length_delta) + body)

    def reply(self, ident) -> dict:
        """The response to request ``ident`` (notifications are skipped, other responses kept
        for later)."""
        for index, message in enumerate(self.responses):
            if message.get("id") == ident:
                return self.responses.pop(index)
        while True:
            message = self.messages.get(timeout=TIMEOUT)
            assert message is not None, self.stderr_text()
            if "method" in message:
                continue
            if message.get("id") == ident:
                return message
            self.responses.append(message)

    def initialize(self, root: Path) -> None:
        self.send({"id": 0, "method": "initialize",
                   "params": {"processId": None, "rootUri": root.as_uri(), "capabilities": {}}})
        assert "result" in self.reply(0)
        self.send({"method": "initialized", "params": {}})

    def still_serves(self, ident: int) -> None:
        """A well-formed request is answered."""
        self.send({"id": ident, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": "file:///nowhere/app.py"},
            "position": {"line": 0, "character": 0}}})
        assert self.reply(ident) == {"jsonrpc": "2.0", "id": ident, "result": None}

    def exit_code(self) -> int:
        return self.proc.wait(timeout=TIMEOUT)

    def stderr_text(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=TIMEOUT)
        for stream in (self.proc.stdin, self.proc.stdout, self.stderr):
            stream.close()


@pytest.fixture
def server(tmp_path: Path):
    raw = RawServer(tmp_path)
    try:
        raw.initialize(tmp_path)
        yield raw
    finally:
        raw.close()


def test_bad_json_gets_a_parse_error_and_the_server_goes_on(server):
    body = b'{"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": {'
    server.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    assert server.reply(7)["error"]["code"] == -32700
    server.write(b"Content-Length: 5\r\n\r\n[1,2]")  # JSON, but not a message: dropped
    server.still_serves(8)


@pytest.mark.parametrize("delta", [-12, 15, 10_000])
def test_a_wrong_content_length_costs_one_message_at_most(server, delta):
    """Too short: the cut body is answered with an error and the rest is skipped up to the
    next header. Too long: the body runs into the next message, which is still read."""
    server.send({"id": 3, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": "file:///nowhere/x.py"},
        "position": {"line": 0, "character": 0}}}, length_delta=delta)
    server.still_serves(4)
    if delta < 0:
        assert server.reply(3)["error"]["code"] == -32700
    else:
        assert server.reply(3)["result"] is None


def test_bogus_ranges_are_answered_and_the_server_goes_on(server, tmp_path):
    uri = (tmp_path / "app.py").as_uri()
    server.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "python", "version": 1, "text": SOURCE}}})
    server.send({"method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": {"start": {"line": 999999, "character": 5},
                                      "end": {"line": -3, "character": 0}}, "text": "x"}]}})
    server.send({"id": 5, "method": "textDocument/codeAction", "params": {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 10**9, "character": 10**9},
                  "end": {"line": 10**9, "character": 10**9}},
        "context": {"diagnostics": []}}})
    assert server.reply(5) == {"jsonrpc": "2.0", "id": 5, "result": []}
    server.send({"id": 6, "method": "textDocument/codeAction", "params": {
        "textDocument": {"uri": uri}, "range": {"start": {"line": -1}}, "context": {}}})
    assert "error" in server.reply(6)
    server.still_serves(7)


def test_requests_after_shutdown_get_an_error_and_exit_is_0(server):
    server.send({"id": 1, "method": "shutdown"})
    assert server.reply(1)["result"] is None
    server.send({"id": 2, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": "file:///nowhere/x.py"},
        "position": {"line": 0, "character": 0}}})
    assert server.reply(2)["error"]["code"] == -32600
    server.send({"method": "exit"})
    assert server.exit_code() == 0


def test_exit_without_shutdown_exits_1(server):
    server.send({"method": "exit"})
    assert server.exit_code() == 1


def test_exit_does_not_wait_for_a_lint_in_flight(server, tmp_path):
    """A buffer that takes seconds to lint is opened, then ``exit`` arrives: the process ends
    without publishing the lint's diagnostics (it did not wait for the worker)."""
    uri = (tmp_path / "big.py").as_uri()
    big = "from twilio.rest import Client\n" + "".join(
        f"def f{i}(sid):\n    return Client().calls(sid).fetch().status\n" for i in range(6000)
    )
    server.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "python", "version": 1, "text": big}}})
    server.send({"method": "exit"})
    assert server.exit_code() == 1
    published = []
    while (message := server.messages.get(timeout=TIMEOUT)) is not None:
        published.append(message.get("method"))
    assert "textDocument/publishDiagnostics" not in published


def test_stdin_closing_without_exit_ends_the_server(tmp_path):
    raw = RawServer(tmp_path)
    try:
        raw.initialize(tmp_path)
        raw.proc.stdin.close()
        assert raw.exit_code() == 1
        assert "Traceback" not in raw.stderr_text()
    finally:
        raw.proc.kill()
        raw.proc.wait(timeout=TIMEOUT)
        raw.stderr.close()

