"""A scripted HTTP server on 127.0.0.1 for tests that need exact control over responses.

It records every request (method, raw target, path, query, headers, body) and answers each one
with the next scripted :class:`Reply`, or with ``default_reply`` once the script is used up. A
reply can also misbehave: close the connection before sending headers, send only part of the
body, or stall until the test lets it go (or the server stops)::

    with LoopbackServer() as server:
        server.enqueue(Reply.json({"run": {"id": "r1"}}), Reply.close_before_headers())
        ...  # point a client at server.url
        assert server.requests[0].path == "/apis/v1beta1/runs/r1"

Pass an ``ssl.SSLContext`` to serve HTTPS. The server speaks HTTP/1.1 with keep-alive; on
``stop()`` it releases stalled replies and shuts down open connections before joining its
threads, so nothing is left running or unclosed.
"""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Literal
from urllib.parse import parse_qsl, unquote

from .background import BackgroundServer

__all__ = ["LoopbackServer", "RecordedRequest", "Reply"]

Fault = Literal["close_before_headers", "truncate_body", "stall"]


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it."""

    method: str
    target: str
    "The request target exactly as sent, e.g. ``/apis/v1beta1/runs/a%2Fb?page_size=5``."
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def path(self) -> str:
        """The raw (still percent-encoded) path of the target."""
        return self.target.split("?", 1)[0]

    @property
    def path_segments(self) -> list[str]:
        """The decoded path segments, e.g. ``['apis', 'v1beta1', 'runs', '../x?y#z']``."""
        return [unquote(segment) for segment in self.path.split("/")[1:]]

    @property
    def query_string(self) -> str:
        """The raw query string (empty when there is none)."""
        return self.target.split("?", 1)[1] if "?" in self.target else ""

    @property
    def query(self) -> list[tuple[str, str]]:
        """The decoded query parameters, in order."""
        return parse_qsl(self.query_string, keep_blank_values=True)

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (case-insensitive), or None."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)

    def header_names(self) -> set[str]:
        """The lower-cased names of all headers sent."""
        return {key.lower() for key, _ in self.headers}

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


@dataclass(frozen=True)
class Reply:
    """A scripted response."""

    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    fault: Fault | None = None
    keep_bytes: int = 0
    "For ``truncate_body``: how many bytes of the body are sent before the connection closes."

    @classmethod
    def json(
        cls, payload: Any, status: int = 200, headers: Iterable[tuple[str, str]] = ()
    ) -> Reply:
        """A JSON response (compact, like the KFP server)."""
        body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        return cls.raw(body, status, "application/json", headers)

    @classmethod
    def text(
        cls,
        text: str,
        status: int = 200,
        content_type: str = "text/plain; charset=utf-8",
        headers: Iterable[tuple[str, str]] = (),
    ) -> Reply:
        """A text response (e.g. an HTML error page of a proxy)."""
        return cls.raw(text.encode("utf-8"), status, content_type, headers)

    @classmethod
    def raw(
        cls,
        body: bytes,
        status: int = 200,
        content_type: str = "application/octet-stream",
        headers: Iterable[tuple[str, str]] = (),
    ) -> Reply:
        """A response with exactly these body bytes."""
        return cls(status, (("Content-Type", content_type), *headers), body)

    @classmethod
    def kfp_error(cls, status: int, code: int, message: str, short: str | None = None) -> Reply:
        """An error body as the KFP API server writes it (see its grpc-gateway error format)."""
        payload: dict[str, Any] = {"error": message, "code": code, "message": message}
        if short is not None:
            payload["details"] = [
                {
                    "@type": "type.googleapis.com/api.Error",
                    "error_message": short,
                    "error_details": message,
                }
            ]
        return cls.json(payload, status)

    @classmethod
    def close_before_headers(cls) -> Reply:
        """Read the request, then close the connection without answering."""
        return cls(fault="close_before_headers")

    @classmethod
    def stall(cls) -> Reply:
        """Read the request, then answer nothing until released (or the server stops)."""
        return cls(fault="stall")

    def truncated(self, keep_bytes: int) -> Reply:
        """This reply with its full Content-Length but only ``keep_bytes`` of the body."""
        return Reply(self.status, self.headers, self.body, "truncate_body", keep_bytes)


Responder = Callable[[RecordedRequest], Reply]

# The answer to a request nobody scripted: loud enough to make the test fail clearly.
_UNSCRIPTED = Reply.json({"error": "no scripted reply", "code": 12, "message": "unscripted"}, 501)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, the second waits for the client's
    # delayed ACK (about 40 ms per request on Linux).
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.untrack(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: tests read ``requests`` instead of logs."""

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = RecordedRequest(
            method=self.command,
            target=self.path,
            headers=tuple(self.headers.items()),
            body=body,
        )
        reply = self.server.owner.record_and_choose(request)
        if reply.fault == "stall":
            self.server.owner.released.wait()
            self.close_connection = True
            return
        if reply.fault == "close_before_headers":
            self.close_connection = True
            return
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command == "HEAD":
            return  # a HEAD response announces the body but never carries it
        if reply.fault == "truncate_body":
            self.wfile.write(reply.body[: reply.keep_bytes])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(reply.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, owner: LoopbackServer) -> None:
        self.owner = owner
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def track(self, connection: socket.socket) -> None:
        with self._open_lock:
            self._open.add(connection)

    def untrack(self, connection: socket.socket) -> None:
        with self._open_lock:
            self._open.discard(connection)

    def shut_open_connections(self) -> None:
        with self._open_lock:
            connections = list(self._open)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by the peer
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore broken connections: several tests break them on purpose."""


@dataclass
class LoopbackServer(BackgroundServer):
    """A scripted HTTP(S) server on 127.0.0.1 with an ephemeral port, run in a thread.

    Attributes:
        default_reply: the answer once the script is used up (or when no responder is set).
        responder: if set, computes the reply for requests the script does not cover.
        requests: every request received, in order.
        released: set to let stalled replies finish (set by ``stop()`` too).
    """

    ssl_context: ssl.SSLContext | None = None
    default_reply: Reply = field(default_factory=lambda: _UNSCRIPTED)
    responder: Responder | None = None
    requests: list[RecordedRequest] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._script: deque[Reply] = deque()
        self._changed = threading.Condition()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> LoopbackServer:
        """Start serving in a background thread."""
        server = _Server(self)
        if self.ssl_context is not None:
            server.socket = self.ssl_context.wrap_socket(server.socket, server_side=True)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},  # stop() waits up to one interval
            name="loopback-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release stalled replies, close open connections and stop the server."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self.released.set()
        server.shutdown()
        server.shut_open_connections()
        server.server_close()
        thread.join()
        self._server = self._thread = None

    @property
    def port(self) -> int:
        """The port the server listens on."""
        if self._server is None:
            raise RuntimeError("the server is not running")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """Base URL of the server, e.g. ``http://127.0.0.1:PORT``."""
        scheme = "https" if self.ssl_context is not None else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    # -- script ----------------------------------------------------------------------------

    def enqueue(self, *replies: Reply) -> None:
        """Answer the next requests with these replies, in order."""
        with self._changed:
            self._script.extend(replies)

    def reset(self) -> None:
        """Forget the script, the responder, the recorded requests, and re-arm stalling."""
        with self._changed:
            self._script.clear()
            self.requests.clear()
            self.responder = None
            self.default_reply = _UNSCRIPTED
            self.released.clear()

    def record_and_choose(self, request: RecordedRequest) -> Reply:
        """Record ``request`` and pick its reply (called by the handler threads)."""
        with self._changed:
            self.requests.append(request)
            self._changed.notify_all()
            if self._script:
                return self._script.popleft()
            responder = self.responder
        if responder is not None:
            return responder(request)
        return self.default_reply

    def wait_for_requests(self, count: int, timeout: float = 10.0) -> list[RecordedRequest]:
        """Block until at least ``count`` requests arrived; return them.

        Raises:
            TimeoutError: fewer arrived within ``timeout`` seconds.
        """
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.requests) >= count, timeout):
                raise TimeoutError(f"{len(self.requests)} of {count} requests arrived")
            return list(self.requests)

    @property
    def last(self) -> RecordedRequest:
        """The most recent request."""
        with self._changed:
            return self.requests[-1]
