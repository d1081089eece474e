"""Routes as data, and the dispatcher that matches a request to one and answers it.

A ``Route`` is a method, a path pattern, a handler and the shape of its arguments: the path
parameters (in pattern order), then the parsed query string when the route has a ``query``
reader, then the decoded body when it has a ``body`` decoder. The handler returns a record;
the route's ``render`` writes it as the response body. The dispatcher knows nothing about any
operation: it matches, reads the arguments the route asks for, calls, renders.

Matching follows grpc-gateway v1: the percent-decoded path is split on ``/``; a ``:verb`` at the
end of the last segment selects custom methods (``:archive``, ``:read``, ...); a path that
matches a route of another method answers ``405 Method Not Allowed``, anything else under
``/apis/`` ``404 Not Found`` (plain text, as the gateway writes them). Paths outside ``/apis/``
get Go's ``404 page not found``, and paths with ``.``/``..``/``//`` segments a ``301`` to the
cleaned path, as Go's ``http.ServeMux`` does. Control routes (``control.py``) live under
``/emulator/v1/``, where KFP has nothing, and are matched and answered the same way.
"""

from __future__ import annotations

import functools
import posixpath
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from . import errors
from .errors import ApiError, Code
from .protojson import DecodeError, Message, decode_message, load_json

if TYPE_CHECKING:
    from .context import ServiceContext

__all__ = [
    "API_PREFIX",
    "CONTROL_PREFIX",
    "BodyLimit",
    "Dispatcher",
    "Response",
    "Route",
    "Service",
    "decode_body",
    "error_response",
    "message_body",
    "text_response",
]

JSON_TYPE = "application/json"
TEXT_TYPE = "text/plain; charset=utf-8"
API_PREFIX = "/apis/"
CONTROL_PREFIX = "/emulator/v1/"
"""Where the control routes live; KFP serves nothing outside ``/apis/``."""
_HEALTHZ = "/apis/v1beta1/healthz"
_HEALTHZ_BODY = '{"commit_sha":"emulator","tag_name":"1.8.5","multi_user":false}'


@dataclass
class Response:
    """A response to write: status, content type, body and whether to close afterwards."""

    status: int
    body: bytes
    content_type: str = JSON_TYPE
    close: bool = False
    headers: tuple[tuple[str, str], ...] = ()


def text_response(status: int, text: str, *, close: bool = False, **headers: str) -> Response:
    """A plain-text response, as the gateway and Go's ``net/http`` write them."""
    return Response(status, text.encode("utf-8"), TEXT_TYPE, close, tuple(headers.items()))


def error_response(error: ApiError, *, close: bool = False) -> Response:
    """An error in the KFP format, with the status its code maps to."""
    extra: tuple[tuple[str, str], ...] = ()
    if error.code == Code.UNAUTHENTICATED:
        extra = (("WWW-Authenticate", 'Bearer realm="kfp-emulator"'),)
    return Response(error.http_status, error.body().encode("utf-8"), JSON_TYPE, close, extra)


@dataclass(frozen=True)
class BodyLimit:
    """A route's own body limit, above the server's, and the error answered beyond it."""

    max_bytes: int
    error: ApiError


@dataclass(frozen=True)
class Route:
    """One route: method, path pattern, handler, argument shape and rendering.

    ``query`` reads the raw query string into the handler's query argument; ``body`` decodes
    the request body (text) into its body argument. A ``form`` route's handler takes the raw
    query string, the request's Content-Type and the body's bytes instead (the upload
    handler reads them itself). ``render`` writes the handler's result; ``errors``, if set,
    writes the ``ApiError``s the handler raises (else they are answered in the gateway's
    format). Method ``*`` matches every method. ``body_limit`` lets the route take bodies
    larger than the server's limit.
    """

    method: str
    segments: tuple[str | None, ...]  # None marks a path parameter
    names: tuple[str, ...]  # path parameter names in order
    verb: str
    handler: Callable[..., Any] = field(compare=False)
    render: Callable[[Any], str] = field(compare=False)
    query: Callable[[str], Any] | None = field(default=None, compare=False)
    body: Callable[[str], Any] | None = field(default=None, compare=False)
    form: bool = field(default=False, compare=False)
    errors: Callable[[ApiError], Response] | None = field(default=None, compare=False)
    body_limit: BodyLimit | None = field(default=None, compare=False)

    @classmethod
    def parse(
        cls,
        method: str,
        template: str,
        handler: Callable[..., Any],
        render: Callable[[Any], str],
        *,
        query: Callable[[str], Any] | None = None,
        body: Callable[[str], Any] | None = None,
        form: bool = False,
        errors: Callable[[ApiError], Response] | None = None,
        body_limit: BodyLimit | None = None,
    ) -> Route:
        """A route from a pattern such as ``/apis/v1beta1/runs/{run_id}:archive``."""
        path, _, verb = template.partition(":")
        segments: list[str | None] = []
        names: list[str] = []
        for part in path.strip("/").split("/"):
            if part.startswith("{"):
                segments.append(None)
                names.append(part.strip("{}"))
            else:
                segments.append(part)
        return cls(
            method,
            tuple(segments),
            tuple(names),
            verb,
            handler,
            render,
            query,
            body,
            form,
            errors,
            body_limit,
        )

    def match(self, components: list[str], verb: str) -> list[str] | None:
        """The path parameters if the split path and verb match this route's pattern."""
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
        return values

    def error_response(self, error: ApiError, *, close: bool = False) -> Response:
        """``error`` as this route answers errors."""
        if self.errors is None:
            return error_response(error, close=close)
        response = self.errors(error)
        response.close = response.close or close
        return response

    def call(
        self, parameters: list[str], query: str, body: bytes, content_type: str = ""
    ) -> Response:
        """Read the arguments this route takes, call its handler, render the result."""
        arguments: list[Any] = list(parameters)
        if self.form:
            arguments += [query, content_type, body]
        if self.query is not None:
            arguments.append(self.query(query))
        if self.body is not None:
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise errors.gateway_error(
                    f"invalid UTF-8 in request body at byte {exc.start}"
                ) from None
            arguments.append(self.body(text))
        try:
            result = self.handler(*arguments)
        except ApiError as error:
            if self.errors is None:
                raise
            return self.errors(error)
        return Response(200, self.render(result).encode("utf-8", "replace"))


def message_body(type_name: str) -> Callable[[str], Message]:
    """A route's body decoder: the body as the gateway decodes a ``type_name`` message."""
    return functools.partial(decode_body, type_name)


def decode_body(type_name: str, body: str) -> Message:
    """Decode a request body as the gateway does; an empty body is an empty message."""
    try:
        document = load_json(body)
    except DecodeError as exc:
        if str(exc) == "EOF":
            return {}
        raise errors.gateway_error(str(exc)) from None
    try:
        return decode_message(type_name, document, allow_unknown=True)
    except DecodeError as exc:
        raise errors.gateway_error(str(exc)) from None


class Service(Protocol):
    """A service of the API: built on the shared state, it serves the routes it lists."""

    def __init__(self, context: ServiceContext) -> None: ...

    def routes(self) -> list[Route]:
        """This service's routes."""
        ...


class Dispatcher:
    """Maps a request target to its route and answers it."""

    def __init__(self, api: Sequence[Route], control: Sequence[Route] = ()) -> None:
        self.api_routes = tuple(api)
        self.control_routes = tuple(control)

    def route_for(self, method: str, target: str) -> Route | None:
        """The route that would answer ``method target`` directly, if any."""
        path = target.partition("?")[0].partition("#")[0]
        if not path.startswith("/") or not _valid_escapes(path):
            return None
        path = urllib.parse.unquote(path, errors="replace")
        if _clean_path(path) != path:
            return None
        return self._find(method, path, (*self.api_routes, *self.control_routes))[0]

    def _find(
        self, method: str, path: str, routes: Sequence[Route]
    ) -> tuple[Route | None, list[str], bool]:
        """The route of ``routes`` matching ``method path``, its path parameters, and (when
        none matches) whether the path is routed for other methods."""
        components = path[1:].split("/")
        verb = ""
        colon = components[-1].rfind(":")
        if colon > 0:
            components[-1], verb = components[-1][:colon], components[-1][colon + 1 :]
        elif colon == 0:
            return None, [], False
        for route in routes:
            if route.method in (method, "*"):
                parameters = route.match(components, verb)
                if parameters is not None:
                    return route, parameters, False
        return None, [], any(route.match(components, verb) is not None for route in routes)

    def dispatch(self, method: str, target: str, body: bytes, content_type: str = "") -> Response:
        """The response to ``method target`` with ``body``; raises ApiError for KFP errors."""
        raw_path, _, query = target.partition("?")
        query = query.partition("#")[0]
        if "://" in raw_path and not raw_path.startswith("/"):  # absolute-form request target
            raw_path = urllib.parse.urlsplit(raw_path).path or "/"
        if not raw_path.startswith("/") or not _valid_escapes(raw_path):
            return text_response(400, "400 Bad Request", close=True)
        path = urllib.parse.unquote(raw_path, errors="replace")
        cleaned = _clean_path(path)
        if cleaned != path:
            location = urllib.parse.quote(cleaned) + (f"?{query}" if query else "")
            return text_response(301, "Moved Permanently.\n", Location=location)
        if path == _HEALTHZ:
            return Response(200, _HEALTHZ_BODY.encode("utf-8"))
        if path.startswith(API_PREFIX):
            routes = self.api_routes
        elif path.startswith(CONTROL_PREFIX) and self.control_routes:
            routes = self.control_routes
        else:
            return text_response(404, "404 page not found\n")
        route, parameters, other_methods = self._find(method, path, routes)
        if route is not None:
            return route.call(parameters, query, body, content_type)
        if other_methods:
            return text_response(405, "Method Not Allowed\n")
        return text_response(404, "Not Found\n")


def _valid_escapes(path: str) -> bool:
    index = path.find("%")
    while index != -1:
        pair = path[index + 1 : index + 3]
        if len(pair) < 2 or not all(c in "0123456789abcdefABCDEF" for c in pair):
            return False
        index = path.find("%", index + 3)
    return True


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
