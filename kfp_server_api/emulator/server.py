"""The HTTP side: routing as grpc-gateway v1 does it, request bodies, auth, TLS, responses.

- Routes are matched the gateway's way: the percent-decoded path is split on ``/``; a ``:verb``
  at the end of the last segment selects custom methods (``:archive``, ``:read``, ...); a path
  that matches a route of another method answers ``405 Method Not Allowed``, anything else
  under ``/apis/`` ``404 Not Found`` (plain text, as the gateway writes them). Paths outside
  ``/apis/`` get Go's ``404 page not found``, and paths with ``.``/``..``/``//`` segments a
  ``301`` to the cleaned path, as Go's ``http.ServeMux`` does.
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
- Control routes (the cluster's part, see ``control.py``) live under ``/emulator/v1/``, where
  KFP has nothing. They are matched and answered like the API's routes: JSON object in, JSON
  out, KFP error bodies, ``Not Found``/``Method Not Allowed`` in plain text. Without control
  routes, that prefix is like any other path outside ``/apis/``.
"""

from __future__ import annotations

import email.utils
import hmac
import http.server
import logging
import posixpath
import socket
import ssl
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import errors, framing, render
from .connections import DEFAULT_IDLE_TIMEOUT_SECONDS, DEFAULT_MAX_CONNECTIONS, ConnectionServer
from .errors import ApiError, Code
from .protojson import DecodeError, load_json
from .service import RunService

__all__ = ["CONTROL_PREFIX", "DEFAULT_MAX_BODY_BYTES", "ControlHandler", "HttpServer"]

logger = logging.getLogger("kfp_server_api.emulator")

DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024
"""Largest request body accepted: 4 MiB, the gRPC default message size limit of the server."""

_DRAIN_LIMIT_BYTES = 256 * 1024
_DRAIN_SECONDS = 1.0
_JSON = "application/json"
_TEXT = "text/plain; charset=utf-8"
_API_PREFIX = "/apis/"
CONTROL_PREFIX = "/emulator/v1/"
"""Where the control routes live; KFP serves nothing outside ``/apis/``."""
_HEALTHZ = "/apis/v1beta1/healthz"
_HEALTHZ_BODY = '{"commit_sha":"emulator","tag_name":"1.8.5","multi_user":false}'


# Reason phrases as Go's net/http writes them (Python's differ between versions for some).
_REASONS = {
    413: "Request Entity Too Large",
    414: "Request URI Too Long",
    422: "Unprocessable Entity",
}


@dataclass(frozen=True)
class _Route:
    method: str
    segments: tuple[str | None, ...]  # None marks a path parameter
    names: tuple[str, ...]  # path parameter names in order
    verb: str
    operation: str

    @classmethod
    def parse(cls, method: str, template: str, operation: str) -> _Route:
        path, _, verb = template.partition(":")
        segments: list[str | None] = []
        names: list[str] = []
        for part in path.strip("/").split("/"):
            if part.startswith("{"):
                segments.append(None)
                names.append(part.strip("{}"))
            else:
                segments.append(part)
        return cls(method, tuple(segments), tuple(names), verb, operation)

    def match(self, components: list[str], verb: str) -> dict[str, str] | None:
        if self.verb != verb:
            if self.verb:
                return None
            # A route without a verb takes ":verb" as part of its last segment.
            components = [*components[:-1], f"{components[-1]}:{verb}"]
        if len(components) != len(self.segments):
            return None
        values = []
        for literal, component in zip(self.segments, components):
            if literal is None:
                values.append(component)
            elif literal != component:
                return None
        return dict(zip(self.names, values))


ROUTES = tuple(
    _Route.parse(method, template, operation)
    for method, template, operation in (
        ("GET", "/apis/v1beta1/runs", "list_runs"),
        ("POST", "/apis/v1beta1/runs", "create_run"),
        ("GET", "/apis/v1beta1/runs/{run_id}", "get_run"),
        ("DELETE", "/apis/v1beta1/runs/{id}", "delete_run"),
        ("POST", "/apis/v1beta1/runs/{id}:archive", "archive_run"),
        ("POST", "/apis/v1beta1/runs/{id}:unarchive", "unarchive_run"),
        ("POST", "/apis/v1beta1/runs/{run_id}:reportMetrics", "report_run_metrics"),
        (
            "GET",
            "/apis/v1beta1/runs/{run_id}/nodes/{node_id}/artifacts/{artifact_name}:read",
            "read_artifact",
        ),
        ("POST", "/apis/v1beta1/runs/{run_id}/terminate", "terminate_run"),
        ("POST", "/apis/v1beta1/runs/{run_id}/retry", "retry_run"),
    )
)


ControlHandler = Callable[[Mapping[str, str], dict[str, Any]], Mapping[str, Any]]
"""A control route's handler: (path parameters, the request's JSON object) -> JSON object."""


@dataclass
class Response:
    """A response to write: status, content type, body and whether to close afterwards."""

    status: int
    body: bytes
    content_type: str = _JSON
    close: bool = False
    headers: tuple[tuple[str, str], ...] = ()


def _text(status: int, text: str, *, close: bool = False, **headers: str) -> Response:
    return Response(status, text.encode("utf-8"), _TEXT, close, tuple(headers.items()))


def _error(error: ApiError, *, close: bool = False) -> Response:
    extra: tuple[tuple[str, str], ...] = ()
    if error.code == Code.UNAUTHENTICATED:
        extra = (("WWW-Authenticate", 'Bearer realm="kfp-emulator"'),)
    return Response(error.http_status, error.body().encode("utf-8"), _JSON, close, extra)


def _clean_path(path: str) -> str:
    """Go's ``path.Clean`` as ``http.ServeMux`` applies it (a trailing slash is kept)."""
    if not path.startswith("/"):
        path = "/" + path
    cleaned = posixpath.normpath(path)
    if cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")
    if path.endswith("/") and cleaned != "/":
        cleaned += "/"
    return cleaned


class _Dispatcher:
    """Maps a request to the service operation and its response."""

    def __init__(
        self, service: RunService, control: Sequence[tuple[str, str, ControlHandler]] = ()
    ) -> None:
        self.service = service
        self.control_routes = tuple(_Route.parse(m, t, t) for m, t, _ in control)
        self.control_handlers = {template: handler for _, template, handler in control}

    def dispatch(self, method: str, target: str, body: bytes) -> Response:
        raw_path, _, query = target.partition("?")
        query = query.partition("#")[0]
        if "://" in raw_path and not raw_path.startswith("/"):  # absolute-form request target
            raw_path = urllib.parse.urlsplit(raw_path).path or "/"
        if not raw_path.startswith("/") or not _valid_escapes(raw_path):
            return _text(400, "400 Bad Request", close=True)
        path = urllib.parse.unquote(raw_path, errors="replace")
        cleaned = _clean_path(path)
        if cleaned != path:
            location = urllib.parse.quote(cleaned) + (f"?{query}" if query else "")
            return _text(301, "Moved Permanently.\n", Location=location)
        if path == _HEALTHZ:
            return Response(200, _HEALTHZ_BODY.encode("utf-8"))
        if path.startswith(_API_PREFIX):
            routes, call = ROUTES, self._call
        elif path.startswith(CONTROL_PREFIX) and self.control_routes:
            routes, call = self.control_routes, self._call_control
        else:
            return _text(404, "404 page not found\n")
        components = path[1:].split("/")
        verb = ""
        colon = components[-1].rfind(":")
        if colon == 0:
            return _text(404, "Not Found\n")
        if colon > 0:
            components[-1], verb = components[-1][:colon], components[-1][colon + 1 :]
        for route in routes:
            if route.method == method:
                params = route.match(components, verb)
                if params is not None:
                    return call(route, params, query, body)
        if any(route.match(components, verb) is not None for route in routes):
            return _text(405, "Method Not Allowed\n")
        return _text(404, "Not Found\n")

    def _call_control(
        self, route: _Route, params: dict[str, str], query: str, body: bytes
    ) -> Response:
        try:
            document = load_json(body.decode("utf-8")) if body.strip() else {}
        except UnicodeDecodeError as exc:
            raise errors.gateway_error(
                f"invalid UTF-8 in request body at byte {exc.start}"
            ) from None
        except DecodeError as exc:
            raise errors.gateway_error(str(exc)) from None
        if not isinstance(document, dict):
            raise errors.gateway_error("the request body must be a JSON object")
        result = self.control_handlers[route.operation](params, document)
        return Response(200, render.compact_json(result).encode("utf-8"))

    def _call(self, route: _Route, params: dict[str, str], query: str, body: bytes) -> Response:
        operation: Callable[..., str] = getattr(self.service, route.operation)
        if route.operation == "list_runs":
            result = operation(query)
        elif route.operation in ("create_run", "report_run_metrics"):
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                error = errors.gateway_error(f"invalid UTF-8 in request body at byte {exc.start}")
                return _error(error)
            result = operation(*params.values(), text)
        else:
            result = operation(*params.values())
        return Response(200, result.encode("utf-8", "replace"))


def _valid_escapes(path: str) -> bool:
    index = path.find("%")
    while index != -1:
        pair = path[index + 1 : index + 3]
        if len(pair) < 2 or not all(c in "0123456789abcdefABCDEF" for c in pair):
            return False
        index = path.find("%", index + 3)
    return True


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
            self.server.set_idle(True)
            self.raw_requestline = self.rfile.readline(65537)
            self.server.set_idle(False)
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

    def _early_rejection(self) -> Response | None:
        """A response to give before reading the body: bad framing, missing token, too large."""
        try:
            self.body_length = framing.body_length(self.headers, self.request_version)
        except framing.FramingError as exc:
            return self._framing_error(exc)
        length = self.body_length
        too_large = length is not None and length > self.server.max_body_bytes
        if not self._authorized():
            if length is None or too_large:  # skipping the body is not cheap: close instead
                self.unread_body = True
                return _error(self.server.unauthenticated(), close=True)
            return None  # the body is read and dropped, then 401 on a kept-alive connection
        if too_large:
            self.unread_body = True
            return _error(self.server.too_large(length), close=True)
        return None

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
            return _error(self.server.too_large(None), close=True)
        if not self._authorized():
            return _error(self.server.unauthenticated())
        try:
            response = self.server.dispatcher.dispatch(self.command, self.path, body)
        except ApiError as error:
            response = _error(error)
        except Exception as exc:
            logger.exception("unexpected error serving %s %s", self.command, self.path)
            message = f"Internal error: {type(exc).__name__}: {exc}"
            response = _error(ApiError(Code.INTERNAL, message, message))
        return response

    def _read_body(self) -> bytes:
        if self.body_length is None:
            return framing.read_chunked(self.rfile, self.server.max_body_bytes)
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
        if response.content_type == _TEXT:
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
        service: RunService,
        *,
        token: str | None = None,
        tls_context: ssl.SSLContext | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        control: Sequence[tuple[str, str, ControlHandler]] = (),
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT_SECONDS,
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.dispatcher = _Dispatcher(service, control)
        self.token = token
        self.tls_context = tls_context
        self.max_body_bytes = max_body_bytes
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
