"""The HTTP side: connections, request bodies, auth, TLS, writing responses.

Which route answers a request, and how, is the dispatcher's business (``routes.py``).
- Request bodies are limited to ``max_body_bytes``. A larger ``Content-Length`` (or chunked
  body) is answered ``413`` in the KFP error format without reading the body into memory, and
  the connection is closed. Where a body ends is decided strictly (``framing.py``, RFC 9112):
  ambiguous framing is refused and the connection closed.
- With a token, every request without ``Authorization: Bearer <token>`` gets ``401``.
- Each response is written with one ``send`` call on a socket with ``TCP_NODELAY``, with
  ``Content-Length`` and HTTP/1.1 keep-alive; otherwise keep-alive clients stall on delayed
  ACKs.
- Connections are served by one thread each, up to a cap, and closed when idle; ``stop()``
  closes them all and joins the threads (``connections.py``).
"""

from __future__ import annotations

import email.utils
import hmac
import http.server
import io
import logging
import socket
import ssl
import time
from collections.abc import Callable
from typing import Any

from . import errors, framing
from .connections import DEFAULT_IDLE_TIMEOUT_SECONDS, DEFAULT_MAX_CONNECTIONS, ConnectionServer
from .errors import ApiError, Code
from .routes import CONTROL_PREFIX, TEXT_TYPE, Dispatcher, Response
from .routes import error_response as _error
from .routes import text_response as _text

__all__ = ["CONTROL_PREFIX", "DEFAULT_MAX_BODY_BYTES", "HttpServer", "PageHandler"]

logger = logging.getLogger("kfp_server_api.emulator")

DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024
"""Largest request body accepted: 4 MiB, the gRPC default message size limit of the server."""

PageHandler = Callable[[str, str], "Response | None"]
"""The web page's handler (``ui.serve``): (method, target) -> its answer, or None for a path
that is not the page's."""

_DRAIN_LIMIT_BYTES = 256 * 1024
_DRAIN_SECONDS = 1.0


# Reason phrases as Go's net/http writes them (Python's differ between versions for some).
_REASONS = {
    413: "Request Entity Too Large",
    414: "Request URI Too Long",
    422: "Unprocessable Entity",
}


class _Handler(http.server.BaseHTTPRequestHandler):
    """One connection: reads requests, answers each in one write."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: HttpServer

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.idle_timeout)
        self.unread_body = False
        self.body_length: int | None = 0

    # The stdlib calls these for malformed requests; answer in plain text, as Go does.
    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        reason = message or _REASONS.get(code) or self.responses.get(code, ("",))[0]
        self.close_connection = True
        self._write(_text(code, f"{code} {reason}", close=True))

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)

    def handle_expect_100(self) -> bool:
        early = self._early_rejection()
        if early is not None:
            self._write(early)
            self.close_connection = True
            return False
        return super().handle_expect_100()

    def handle_one_request(self) -> None:
        started = time.perf_counter()
        try:
            if not self._request_here() and not self.server.wait_for_request(self.connection):
                self.close_connection = True
                return
            self.raw_requestline = self.rfile.readline(65537)
            if not self.raw_requestline:
                self.close_connection = True
                return
            if len(self.raw_requestline) > 65536:
                self.requestline = self.request_version = self.command = ""
                self.send_error(414)
                return
            if not self.parse_request():
                return
            response = self._respond()
        except (OSError, ssl.SSLError) as exc:  # timeouts, resets, TLS failures
            logger.debug("connection from %s ended: %s", self.client_address[0], exc)
            self.close_connection = True
            return
        if response.close:
            self.close_connection = True
        self._write(response)
        logger.debug(
            '%s "%s %s" %d %d %.1fms',
            self.client_address[0],
            self.command,
            self.path,
            response.status,
            len(response.body),
            (time.perf_counter() - started) * 1000,
        )

    def _request_here(self) -> bool:
        """Whether bytes of the next request are already in the reader's buffer (a pipelined
        request), or in the kernel's: then there is nothing to wait for.

        Looked at only while the connection is marked busy, since looking may move bytes from
        the kernel into the reader's buffer, where the loop making room could not see them.
        """
        reader = self.rfile
        if not (isinstance(reader, io.BufferedReader) and self.server.is_busy()):
            return False  # (the stdlib's makefile("rb") always gives a BufferedReader)
        self.connection.settimeout(0.0)
        try:
            return bool(reader.peek(1))
        except (OSError, ssl.SSLError):  # nothing yet (TLS says so with SSLWantReadError)
            return False
        finally:
            self.connection.settimeout(self.server.idle_timeout)

    def _early_rejection(self) -> Response | None:
        """A response to give before reading the body: bad framing, missing token, too large."""
        try:
            self.body_length = framing.body_length(self.headers, self.request_version)
        except framing.FramingError as exc:
            return self._framing_error(exc)
        length = self.body_length
        too_large = length is not None and length > self._body_limit()
        if not self._authorized():
            if length is None or too_large:  # skipping the body is not cheap: close instead
                self.unread_body = True
                return _error(self.server.unauthenticated(), close=True)
            return None  # the body is read and dropped, then 401 on a kept-alive connection
        if too_large:
            self.unread_body = True
            return self._too_large(length)
        return None

    def _body_limit(self) -> int:
        """The server's body limit, or the route's own when it allows more (looked up only
        for a body above the server's limit, or one whose size is not known in advance)."""
        limit = self.server.max_body_bytes
        length = self.body_length
        if length is None or length > limit:
            route = self.server.dispatcher.route_for(self.command, self.path)
            if route is not None and route.body_limit is not None:
                limit = max(limit, route.body_limit.max_bytes)
        return limit

    def _too_large(self, length: int | None) -> Response:
        route = self.server.dispatcher.route_for(self.command, self.path)
        if route is not None and route.body_limit is not None:
            return route.error_response(route.body_limit.error, close=True)
        return _error(self.server.too_large(length), close=True)

    def _framing_error(self, error: framing.FramingError) -> Response:
        # The body's end is unknown, so nothing after the head can be trusted: close.
        self.unread_body = True
        reason = self.responses.get(error.status, ("",))[0]
        return _text(error.status, f"{error.status} {reason}: {error.reason}", close=True)

    def _authorized(self) -> bool:
        token = self.server.token
        if token is None:
            return True
        supplied = self.headers.get("Authorization", "")
        return hmac.compare_digest(supplied.encode("utf-8"), f"Bearer {token}".encode())

    def _respond(self) -> Response:
        early = self._early_rejection()
        if early is not None:
            return early
        try:
            body = self._read_body()
        except framing.FramingError as exc:
            return self._framing_error(exc)
        except framing.BodyTooLarge:
            self.unread_body = True
            return self._too_large(None)
        # The page's static shell holds no data: it is served without the token (see ui).
        page = self.server.page(self.command, self.path) if self.server.page else None
        if page is not None:
            return page
        if not self._authorized():
            return _error(self.server.unauthenticated())
        try:
            response = self.server.dispatcher.dispatch(
                self.command, self.path, body, self.headers.get("Content-Type", "")
            )
        except ApiError as error:
            response = _error(error)
        except Exception as exc:
            logger.exception("unexpected error serving %s %s", self.command, self.path)
            message = f"Internal error: {type(exc).__name__}: {exc}"
            response = _error(ApiError(Code.INTERNAL, message, message))
        return response

    def _read_body(self) -> bytes:
        if self.body_length is None:
            return framing.read_chunked(self.rfile, self._body_limit())
        body = self.rfile.read(self.body_length)
        if len(body) < self.body_length:
            raise ConnectionResetError("the client sent less than its Content-Length")
        return body

    def _write(self, response: Response) -> None:
        reason = _REASONS.get(response.status) or self.responses.get(response.status, ("",))[0]
        lines = [
            f"HTTP/1.1 {response.status} {reason}",
            f"Content-Type: {response.content_type}",
            f"Content-Length: {len(response.body)}",
            f"Date: {email.utils.formatdate(usegmt=True)}",
        ]
        if response.content_type == TEXT_TYPE:
            lines.append("X-Content-Type-Options: nosniff")
        lines.extend(f"{name}: {value}" for name, value in response.headers)
        if response.close or self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        payload = head if self.command == "HEAD" else head + response.body
        try:
            self.wfile.write(payload)
        except OSError as exc:
            logger.debug("could not answer %s: %s", self.client_address[0], exc)
            self.close_connection = True


class HttpServer(ConnectionServer):
    """The emulator's HTTP(S) server; one thread per connection, all joined on ``stop``."""

    def __init__(
        self,
        address: tuple[str, int],
        dispatcher: Dispatcher,
        *,
        token: str | None = None,
        tls_context: ssl.SSLContext | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT_SECONDS,
        page: PageHandler | None = None,
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.dispatcher = dispatcher
        self.token = token
        self.tls_context = tls_context
        self.max_body_bytes = max_body_bytes
        self.page = page
        super().__init__(
            address, _Handler, max_connections=max_connections, idle_timeout=idle_timeout
        )

    def unauthenticated(self) -> ApiError:
        """The 401 error for a request without the expected bearer token."""
        return errors.unauthenticated(
            "Request is not authenticated",
            "this emulator requires the header 'Authorization: Bearer <token>'",
        )

    def too_large(self, length: int | None) -> ApiError:
        """The 413 error for a body above the limit (``length`` None: chunked, unknown)."""
        size = "a request body" if length is None else f"a request body of {length} bytes"
        return ApiError(
            Code.RESOURCE_EXHAUSTED,
            f"{size} exceeds the limit of {self.max_body_bytes} bytes",
            None,
            http_status=413,
        )

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The stdlib prints a traceback to stderr here; log it instead.
        logger.debug("error accepting a connection from %s", client_address, exc_info=True)

    def serve_connection(self, connection: socket.socket, client_address: Any) -> None:
        if self.tls_context is not None:
            # The handshake reads from the connection: mark it busy first (see connections).
            if not self.wait_for_request(connection):
                return
            connection.settimeout(self.idle_timeout)
            connection = self.tls_context.wrap_socket(connection, server_side=True)
            self.replace_socket(connection)
        handler = _Handler(connection, client_address, self)
        if handler.unread_body:
            _drain(connection)


def _drain(connection: socket.socket) -> None:
    """After answering without reading the body: stop sending, then discard a bounded amount
    of what the client is still sending, so that it can read the answer before the close."""
    try:
        socket.socket.shutdown(connection, socket.SHUT_WR)
        connection.settimeout(_DRAIN_SECONDS)
        deadline = time.monotonic() + _DRAIN_SECONDS
        drained = 0
        while drained < _DRAIN_LIMIT_BYTES and time.monotonic() < deadline:
            chunk = connection.recv(65536)
            if not chunk:
                break
            drained += len(chunk)
    except OSError:
        pass
