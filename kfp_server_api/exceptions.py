"""Exceptions raised by the client.

Every exception the client raises derives from :class:`OpenApiException` and carries the full
text in ``.message``::

    OpenApiException
    ├── ApiTypeError(TypeError)        unexpected keyword argument, wrong argument type
    ├── ApiValueError(ValueError)      missing required parameter, invalid value
    ├── ApiKeyError(KeyError)
    └── ApiException                   status, reason, body (str), headers, parsed server error
        ├── BadRequestException            400
        ├── UnauthorizedException          401
        ├── ForbiddenException             403
        ├── NotFoundException              404
        ├── ConflictException              409
        ├── UnprocessableEntityException   422
        ├── ServiceException               500-599
        ├── ApiDecodeError                 2xx whose body is not the JSON that was expected
        └── ApiConnectionError             status 0: the server could not be reached, or the
            │                              exchange broke before a whole response arrived
            └── ApiTimeoutError            status 0: connect or read timed out

Other statuses raise :class:`ApiException` itself. :meth:`ApiException.from_response` is the one
place that picks the class for a status (from ``STATUS_EXCEPTIONS``).

The Kubeflow Pipelines API server answers errors with a JSON body
``{"error": ..., "code": <gRPC code>, "message": ..., "details": [...]}``. When the body has that
shape its fields are exposed as ``error``, ``code``, ``message`` and ``details``; otherwise
``error``, ``code`` and ``details`` are ``None`` and ``message`` is the full text of the exception.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Union

__all__ = [
    "STATUS_EXCEPTIONS",
    "ApiConnectionError",
    "ApiDecodeError",
    "ApiException",
    "ApiKeyError",
    "ApiTimeoutError",
    "ApiTypeError",
    "ApiValueError",
    "BadRequestException",
    "ConflictException",
    "ForbiddenException",
    "NotFoundException",
    "OpenApiException",
    "ServiceException",
    "UnauthorizedException",
    "UnprocessableEntityException",
    "render_path",
]

PathToItem = Sequence[Union[str, int]]


class OpenApiException(Exception):
    """The base of every exception raised by this package."""

    @property
    def message(self) -> str:
        """The full text of the exception."""
        return str(self)


def render_path(path_to_item: PathToItem) -> str:
    """Render a path into nested data as ``['key'][0]['other']``."""
    return "".join(f"[{part}]" if isinstance(part, int) else f"['{part}']" for part in path_to_item)


def _with_path(msg: str, path_to_item: PathToItem | None) -> str:
    return f"{msg} at {render_path(path_to_item)}" if path_to_item else msg


class ApiTypeError(OpenApiException, TypeError):
    """A value or keyword argument of the wrong type, or an unexpected keyword argument."""

    def __init__(
        self,
        msg: str,
        path_to_item: PathToItem | None = None,
        valid_classes: tuple[type, ...] | None = None,
        key_type: bool | None = None,
    ) -> None:
        self.path_to_item = path_to_item
        self.valid_classes = valid_classes
        self.key_type = key_type
        super().__init__(_with_path(msg, path_to_item))


class ApiValueError(OpenApiException, ValueError):
    """A missing required argument or an invalid value."""

    def __init__(self, msg: str, path_to_item: PathToItem | None = None) -> None:
        self.path_to_item = path_to_item
        super().__init__(_with_path(msg, path_to_item))


class ApiKeyError(OpenApiException, KeyError):
    """A required key is missing from a mapping."""

    def __init__(self, msg: str, path_to_item: PathToItem | None = None) -> None:
        self.path_to_item = path_to_item
        super().__init__(_with_path(msg, path_to_item))

    @property
    def message(self) -> str:
        """The full text, without the quotes ``KeyError`` puts around it."""
        return str(self.args[0]) if self.args else ""


def _decode_body(data: Any) -> str | None:
    if data is None:
        return None
    if isinstance(data, (bytes, bytearray)):
        return bytes(data).decode("utf-8", errors="replace")
    return str(data)


def _response_headers(http_resp: Any) -> Any:
    # A RESTResponse and a raw urllib3 response both carry ``headers``; urllib3 2.x deprecates
    # ``getheaders()``, so it is only the fallback for other response-like objects.
    headers = getattr(http_resp, "headers", None)
    if headers is None and hasattr(http_resp, "getheaders"):
        headers = http_resp.getheaders()
    return headers


class ApiException(OpenApiException):
    """The server answered with an error status, or the exchange with it failed.

    Attributes:
        status: the HTTP status (``0`` when no response arrived).
        reason: the HTTP reason phrase, or a one-line description of the failure.
        body: the response body as text (``None`` without a response).
        headers: the response headers (``None`` without a response).
        error, code, message, details: the fields of the server's JSON error body when it has
            one (``code`` is the gRPC code, not the HTTP status); otherwise ``error``, ``code``
            and ``details`` are ``None`` and ``message`` is the full text.
    """

    def __init__(
        self,
        status: int | None = None,
        reason: str | None = None,
        http_resp: Any = None,
    ) -> None:
        super().__init__()
        self.status: int | None = None
        self.reason: str | None = None
        self.body: str | None = None
        self.headers: Any = None
        if http_resp is not None:
            self.status = getattr(http_resp, "status", None)
            self.reason = getattr(http_resp, "reason", None)
            self.body = _decode_body(getattr(http_resp, "data", None))
            self.headers = _response_headers(http_resp)
        if status is not None:
            self.status = status
        if reason is not None:
            self.reason = reason
        self.error: str | None = None
        self.code: int | None = None
        self.details: list[Any] | None = None
        self._server_message: str | None = None
        self._parse_server_error()

    def _parse_server_error(self) -> None:
        body = self.body
        if not body or not body.lstrip().startswith("{"):
            return
        try:
            parsed = json.loads(body)
        except ValueError:
            return
        if not isinstance(parsed, dict) or not ({"error", "message"} & parsed.keys()):
            return
        error, message = parsed.get("error"), parsed.get("message")
        code, details = parsed.get("code"), parsed.get("details")
        self.error = error if isinstance(error, str) else None
        self._server_message = message if isinstance(message, str) else self.error
        self.code = code if isinstance(code, int) and not isinstance(code, bool) else None
        self.details = details if isinstance(details, list) else None

    @property
    def message(self) -> str:
        """The server's error message when the body carried one, else the full text."""
        if self._server_message is not None:
            return self._server_message
        return str(self)

    def __str__(self) -> str:
        text = f"({self.status})\nReason: {self.reason}\n"
        if self.headers:
            text += f"HTTP response headers: {self.headers}\n"
        if self.body:
            text += f"HTTP response body: {self.body}\n"
        return text

    @classmethod
    def from_response(cls, http_resp: Any) -> ApiException:
        """Build the exception matching ``http_resp.status`` (see ``STATUS_EXCEPTIONS``)."""
        status = getattr(http_resp, "status", None)
        exception_class: type[ApiException] = ApiException
        if isinstance(status, int):
            exception_class = STATUS_EXCEPTIONS.get(status) or (
                ServiceException if 500 <= status <= 599 else ApiException
            )
        return exception_class(http_resp=http_resp)


class BadRequestException(ApiException):
    """HTTP 400: the server rejected the request as invalid."""


class UnauthorizedException(ApiException):
    """HTTP 401: missing or expired credentials."""


class ForbiddenException(ApiException):
    """HTTP 403: the credentials do not allow this operation."""


class NotFoundException(ApiException):
    """HTTP 404: no such resource (or no such route)."""


class ConflictException(ApiException):
    """HTTP 409: the resource exists already or is not in a state that allows the operation."""


class UnprocessableEntityException(ApiException):
    """HTTP 422: the request was understood but its content is not acceptable."""


class ServiceException(ApiException):
    """HTTP 5xx: the server, or a proxy in front of it, failed."""


#: The exception class raised for each HTTP status; any other 5xx raises ServiceException and
#: every remaining status ApiException.
STATUS_EXCEPTIONS: Mapping[int, type[ApiException]] = {
    400: BadRequestException,
    401: UnauthorizedException,
    403: ForbiddenException,
    404: NotFoundException,
    409: ConflictException,
    422: UnprocessableEntityException,
}


class ApiDecodeError(ApiException):
    """A 2xx response whose body is not the JSON the endpoint promises.

    ``status`` is the 2xx status, ``body`` the text received, ``reason`` says what was wrong,
    ``response_type`` names the expected type and ``path`` points at the offending value (for
    example ``run.metrics[0].number_value``) when the JSON parsed but had the wrong shape.
    """

    def __init__(
        self,
        status: int | None = None,
        reason: str | None = None,
        http_resp: Any = None,
        *,
        response_type: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(status=status, reason=reason, http_resp=http_resp)
        self.response_type = response_type
        self.path = path

    def _parse_server_error(self) -> None:
        # A 2xx body is data, not an error report.
        return


class ApiConnectionError(ApiException):
    """No (complete) response: refused, DNS failure, TLS failure, dropped connection.

    ``status`` is ``0`` and ``reason`` is a one-line description; the lower-level error is
    chained as ``__cause__``.
    """

    def __init__(
        self,
        status: int | None = 0,
        reason: str | None = None,
        http_resp: Any = None,
    ) -> None:
        super().__init__(status=status, reason=reason, http_resp=http_resp)


class ApiTimeoutError(ApiConnectionError):
    """Connecting to the server, or waiting for its response, took longer than allowed."""
