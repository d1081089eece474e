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
        │   └── ServerVersionError             404 of a route the server's release lacks
        ├── ConflictException              409
        ├── UnprocessableEntityException   422
        ├── ServiceException               500-599
        ├── ApiDecodeError                 2xx whose body is not the JSON that was expected
        └── ApiConnectionError(ConnectionError)
            │                              status 0: the server could not be reached, or the
            │                              exchange broke before a whole response arrived
            └── ApiTimeoutError(TimeoutError)
                                           status 0: connect, read or total time limit passed

Other statuses raise :class:`ApiException` itself. :meth:`ApiException.from_response` is the one
place that picks the class for a status (from ``STATUS_EXCEPTIONS``).

As in requests (whose ``ConnectTimeout`` is both a ``ConnectionError`` and a ``Timeout``), the
transport errors have a second, built-in base, so code that handles network failures in general
catches them too: ``ApiConnectionError`` is a ``ConnectionError`` and ``ApiTimeoutError`` a
``TimeoutError`` (which ``socket.timeout`` is too, from Python 3.10 on), both ``OSError``
subclasses. So an ``except OSError`` around a call now catches them as well. ``ApiException``
comes first in their method resolution order, so ``str()``, ``status`` and ``reason`` are the
client's, and ``errno`` and ``strerror`` are ``None``. They pickle and copy like the others.

The client records on every :class:`ApiException` it raises the request that failed: ``method``
and ``url``, with the credentials left out of the URL (user info, the values of query parameters
that carry credentials, the credentials sent). ``str()`` shows them on a last ``Request:`` line,
except for ``ApiConnectionError``, whose reason names them already.

The Kubeflow Pipelines API server answers errors with a JSON body
``{"error": ..., "code": <gRPC code>, "message": ..., "details": [...]}`` (KFP 1.8 to 2.5; from
2.14 on without ``error``, which is then taken from ``message``). When the body has that shape its
fields are exposed as ``error``, ``code``, ``message`` and ``details``, and ``user_message`` is the
short text for a person from the first detail. The upload endpoints answer
``{"error_message": ..., "error_details": ...}`` instead: ``message`` is then the
``error_message``, ``error`` the ``error_details``, ``details`` a list holding the whole object
(shaped like an entry of the usual ``details``) and ``code`` is ``None``; a 4xx ``text/plain``
body of one short line is the ``message`` and the ``error``. For any other body ``error``,
``code`` and ``details`` are ``None`` and ``message`` is the full text of the exception. Every
generation of body is described in ``kfp_server_api._error_bodies``.

Credentials never appear in the text of an exception: ``str()`` shows the value of a response
header whose name marks a credential (``Authorization``, ``Cookie``, ``Set-Cookie``, any name
containing ``token``, ``secret``, ``password`` or ``api-key``...) as ``***``, and the client
calls :meth:`ApiException.redact_credentials` with the credentials it sent, so that a server
that echoes them back (in a header, the body or the reason) does not put them in the exception
either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Union

from kfp_server_api._credentials import (
    credentials_in_headers,
    is_credential_header,
    is_credential_query_parameter,
    masked_headers,
    redact,
    redact_url,
)
from kfp_server_api._error_bodies import parse_error_body

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
    "ServerVersionError",
    "ServiceException",
    "UnauthorizedException",
    "UnprocessableEntityException",
    "credentials_in_headers",
    "is_credential_header",
    "is_credential_query_parameter",
    "redact",
    "redact_url",
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
            one (``code`` is the gRPC code, not the HTTP status; the upload endpoints' body is
            read as the module documentation says); otherwise ``error``, ``code`` and
            ``details`` are ``None`` and ``message`` is the full text.
        user_message: the short text for a person (see :attr:`user_message`).
        method, url: the request that failed, as recorded by :meth:`set_request` (the client
            does it; ``None`` otherwise); ``url`` never shows credentials.
    """

    method: str | None = None
    url: str | None = None
    # Whether `reason` names the method and URL already (then str() does not repeat them).
    _reason_names_request: bool = False

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
        self._user_message: str | None = None
        self._parse_server_error()

    def _parse_server_error(self) -> None:
        parsed = parse_error_body(self.body, self.status, self.headers)
        if parsed is None:
            return
        self.error, self.code, self._server_message, self.details, self._user_message = parsed

    @property
    def message(self) -> str:
        """The server's error message when the body carried one, else the full text."""
        if self._server_message is not None:
            return self._server_message
        return str(self)

    @property
    def user_message(self) -> str:
        """The short text of the error meant for a person, whichever server generation sent it.

        The ``error_message`` of the first ``api.Error`` detail (KFP 1.8), the ``message`` of
        the first ``google.rpc.Status`` detail (KFP 2.x), the upload handler's
        ``error_message``; else :attr:`message`.
        """
        if self._user_message is not None:
            return self._user_message
        return self.message

    def __str__(self) -> str:
        text = f"({self.status})\nReason: {self.reason}\n"
        if self.headers:
            text += f"HTTP response headers: {masked_headers(self.headers)}\n"
        if self.body:
            text += f"HTTP response body: {self.body}\n"
        if self.method is not None and not self._reason_names_request:
            text += f"Request: {self.method} {self.url}\n"
        return text

    def set_request(self, method: str, url: str, secrets: Iterable[str] = ()) -> None:
        """Record the request that failed: its method, and its URL with the credentials in it
        (user info, credential query parameters and each of ``secrets``) shown as ``***``."""
        self.method = method
        self.url = redact_url(url, secrets)

    def redact_credentials(self, secrets: Iterable[str]) -> None:
        """Replace each of ``secrets`` by ``***`` in ``reason``, ``body`` and header values.

        The client calls it with the credentials it sent before raising, so that a server
        echoing them back does not put them in the exception's text or attributes.
        """
        secrets = tuple(secret for secret in secrets if secret)
        if not secrets:
            return
        if self.reason:
            self.reason = redact(self.reason, secrets)
        if self.body:
            body = redact(self.body, secrets)
            if body != self.body:
                self.body = body
                self._parse_server_error()
        if self.headers:
            self.headers = masked_headers(self.headers, secrets)

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


class ApiConnectionError(ApiException, ConnectionError):
    """No (complete) response: refused, DNS failure, TLS failure, dropped connection.

    Also a built-in ``ConnectionError`` (see the module docstring). Its ``reason`` names the
    method and URL (without the query), so ``str()`` does not add them again.

    ``status`` is ``0`` and ``reason`` is a one-line description; the lower-level error is
    chained as ``__cause__``.

    Attributes:
        request_sent: False only when the request surely never reached the server
            (connection refused, DNS failure, connect timeout, TLS handshake failure); True
            when it may have, so the server may have acted on it.
        transient: whether trying again later may succeed (False for TLS failures such as an
            untrusted certificate, and for responses that are broken rather than cut off).
    """

    _reason_names_request = True

    def __init__(
        self,
        status: int | None = 0,
        reason: str | None = None,
        http_resp: Any = None,
        *,
        request_sent: bool = True,
        transient: bool = True,
    ) -> None:
        super().__init__(status=status, reason=reason, http_resp=http_resp)
        self.request_sent = request_sent
        self.transient = transient


class ApiTimeoutError(ApiConnectionError, TimeoutError):
    """Connecting to the server, or waiting for its response, took longer than allowed.

    Also a built-in ``TimeoutError`` (see the module docstring).
    """


class ServerVersionError(NotFoundException):
    """HTTP 404 for a call that the server's release does not offer yet.

    Raised instead of the plain :class:`NotFoundException` when the server's health check
    reports a release older than the one that added the route (for example
    ``get_pipeline_by_name``, added in KFP 2.0.0, against a KFP 1.8 server). ``status``,
    ``body`` and ``headers`` are those of the 404; ``reason`` and ``message`` say what is needed.

    Attributes:
        call: the method that was called.
        needed_version: the first server release that offers it, e.g. ``"2.0.0"``.
        server_version: the release the server reported (its healthz ``tag_name``).
    """

    def __init__(
        self, not_found: ApiException, call: str, needed_version: str, server_version: str
    ) -> None:
        super().__init__(status=not_found.status)
        self.body = not_found.body
        self.headers = not_found.headers
        self.method, self.url = not_found.method, not_found.url
        self.call = call
        self.needed_version = needed_version
        self.server_version = server_version
        self.reason = (
            f"{call} needs a KFP API server {needed_version} or later; "
            f"this server is {server_version}"
        )
        self._server_message = self.reason

    def __reduce__(self) -> tuple[Any, ...]:
        # The constructor takes the original 404, which a copy does not need: rebuild the
        # instance from its attributes.
        return (_bare_instance, (type(self),), self.__dict__)


def _bare_instance(cls: type[BaseException]) -> BaseException:
    """An instance of ``cls`` made without calling its ``__init__`` (for unpickling)."""
    return cls.__new__(cls)
