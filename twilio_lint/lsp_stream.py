"""The language server's message stream: stdin split into JSON-RPC bodies (finding its footing
again after a malformed message), each handled by pygls or answered with an error, and pygls'
protocol answering requests after ``shutdown`` with an error."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys

log = logging.getLogger("twilio_lint.lsp")

_HEADER = re.compile(rb"Content-Length:[ \t]*(\d+)[ \t]*\r?\n", re.IGNORECASE)
_HEADERS_END = re.compile(rb"\r?\n\r?\n")
_MESSAGE_ID = re.compile(rb'"id"\s*:\s*(-?\d{1,15}|"[^"\\]{0,200}")')
#: Garbage kept while looking for the next header (enough for a header cut in two).
_KEEP = 64


class Framer:
    """Splits the byte stream from the editor into message bodies, and finds its footing again
    after a malformed message: a ``Content-Length`` that is too short leaves the rest of the
    body before the next header (skipped); one that is too long runs into the next message
    (the first JSON value is the body, the rest goes back to the stream)."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        # How far an unfinished body was searched for the next header: each chunk then
        # searches only what it added (a whole-body search per chunk is quadratic).
        self._searched = 0

    def feed(self, data: bytes) -> list[bytes]:
        self.buffer += data
        bodies = []
        while (body := self._next()) is not None:
            bodies.append(body)
        return bodies

    def _next(self) -> bytes | None:
        header = _HEADER.search(self.buffer)
        if header is None:
            del self.buffer[: max(len(self.buffer) - _KEEP, 0)]
            self._searched = 0
            return None
        end = _HEADERS_END.search(self.buffer, header.start())
        if end is None:
            return None
        start, length = end.end(), int(header.group(1))
        if len(self.buffer) >= start + length:
            body = bytes(self.buffer[start : start + length])
            del self.buffer[: start + length]
            self._searched = 0
            return self._split_overrun(body)
        # the next message began: this one is over
        if _HEADER.search(self.buffer, max(start, self._searched - _KEEP)):
            self._searched = 0
            return self._split_overrun(self._take(start))
        self._searched = len(self.buffer)
        return None

    def _take(self, start: int) -> bytes:
        body = bytes(self.buffer[start:])
        del self.buffer[:]
        return body

    def _split_overrun(self, body: bytes) -> bytes:
        """A body that runs into the next message: keep its first JSON value and put the rest
        back in front of the stream (it may be the start of the next header)."""
        import json

        try:
            text = body.decode("utf-8")
            _, end = json.JSONDecoder().raw_decode(text.lstrip())
            end += len(text) - len(text.lstrip())
        except ValueError:  # not JSON (UnicodeDecodeError is one): cut at a header, if any
            cut = _HEADER.search(body)
            if cut is None:
                return body
            self.buffer[:0] = body[cut.start() :]
            return body[: cut.start()]
        rest = text[end:].encode("utf-8")
        if rest.strip():
            self.buffer[:0] = rest
        return text[:end].encode("utf-8")


def message_id(body: bytes) -> int | str | None:
    """The id of a request whose body could not be handled (to answer it with an error)."""
    import json

    found = _MESSAGE_ID.search(body)
    if found is None:
        return None
    return json.loads(found.group(1))


async def _read_stdin(framer: Framer, handle) -> None:
    """Feed stdin to ``handle`` body by body, read in a daemon thread (an ``exit`` never waits
    for it)."""
    import threading

    loop = asyncio.get_running_loop()
    chunks: asyncio.Queue = asyncio.Queue()

    def reader() -> None:
        fd = sys.stdin.buffer.fileno()
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            try:
                loop.call_soon_threadsafe(chunks.put_nowait, data)
            except RuntimeError:  # the loop is closed: the server is gone
                return
            if not data:
                return

    threading.Thread(target=reader, name="twilio-lint-stdin", daemon=True).start()
    while data := await chunks.get():
        for body in framer.feed(data):
            handle(body)


def serve_stdio(server) -> int:
    """Serve on stdin/stdout until ``exit`` (which ends the process itself) or the end of
    stdin: 0 if the editor sent ``shutdown`` first, else 1."""
    import threading

    from pygls.io_ import StdoutWriter

    server._stop_event = threading.Event()  # what pygls' server.shutdown() sets
    server.protocol.set_writer(StdoutWriter(sys.stdout.buffer))
    try:
        asyncio.run(_read_stdin(Framer(), lambda body: _handle_body(server, body)))
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()
    return 0 if server.twilio_session.shut_down else 1


def _handle_body(server, body: bytes) -> None:
    """One message: handled by pygls, or answered with an error (a request) or dropped (a
    notification) when it is not valid JSON-RPC; the stream goes on either way."""
    import json

    from pygls.exceptions import JsonRpcInvalidRequest, JsonRpcParseError

    protocol = server.protocol
    try:
        message = json.loads(body, object_hook=protocol.structure_message)
    except ValueError:
        error: Exception = JsonRpcParseError()
    except Exception as exc:  # noqa: BLE001 - pygls' deserialisation errors
        error = exc if hasattr(exc, "to_response_error") else JsonRpcInvalidRequest()
    else:
        if not hasattr(message, "jsonrpc"):
            error = JsonRpcInvalidRequest()
        else:
            try:
                protocol.handle_message(message)
            except Exception:  # noqa: BLE001 - one bad message must not stop the server
                log.exception("twilio-lint could not handle a message")
            return
    ident = message_id(body)
    log.warning("twilio-lint: dropped a malformed message (%s)", type(error).__name__)
    if ident is not None:
        protocol._send_response(ident, None, error.to_response_error())


def protocol_class():
    """pygls' protocol, answering requests after ``shutdown`` with an error (pygls drops them,
    and the editor would wait for an answer forever)."""
    from pygls.exceptions import JsonRpcInvalidRequest
    from pygls.protocol import LanguageServerProtocol

    class Protocol(LanguageServerProtocol):
        def handle_message(self, message):
            method = getattr(message, "method", None)
            ident = getattr(message, "id", None)
            if self._shutdown and method not in (None, "exit") and ident is not None:
                error = JsonRpcInvalidRequest("the server was shut down")
                self._send_response(ident, None, error.to_response_error())
                return
            super().handle_message(message)

    return Protocol
