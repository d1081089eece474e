"""The HTTP layer: one urllib3 pool manager, and the only place urllib3 errors are caught.

``RESTClientObject.request`` sends one request and returns a :class:`RESTResponse`, or raises:

- an :class:`~kfp_server_api.exceptions.ApiException` subclass chosen by status for a non-2xx
  answer (see ``ApiException.from_response``);
- :class:`~kfp_server_api.exceptions.ApiTimeoutError` or
  :class:`~kfp_server_api.exceptions.ApiConnectionError` (status ``0``, the urllib3 error chained
  as ``__cause__``, a one-line ``reason``) when no complete response arrived: connection refused,
  DNS failure, TLS failure, timeout, connection closed before the headers or in the middle of the
  body. No urllib3, socket or ssl exception escapes.

``ApiClient`` talks to this layer only through ``request(...)`` (the :class:`RESTClient`
protocol), so another implementation (one that retries, or a test double) can be passed to it.

Decisions:
- Timeouts (``_request_timeout``): ``None`` (or ``0``, as before) means no timeout; an int or a
  float is a total time limit; a ``(connect, read)`` pair sets both limits; a ``urllib3.Timeout``
  is used as it is.
- TLS is verified by default against certifi's bundle (``ssl_ca_cert`` replaces it).
- ``retries`` left as ``None`` keeps urllib3's default policy, as before.
- Headers are never logged: they carry the api key.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import ssl
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Optional, Protocol, Union
from urllib.parse import urlencode, urlsplit

import certifi
import urllib3
from urllib3 import exceptions as urllib3_errors

from kfp_server_api.exceptions import (
    ApiConnectionError,
    ApiException,
    ApiTimeoutError,
    ApiValueError,
)

if TYPE_CHECKING:
    from urllib3 import BaseHTTPResponse
    from urllib3._collections import HTTPHeaderDict

    from kfp_server_api.configuration import Configuration

# Re-exported here because code written for earlier releases imports them from this module.
__all__ = [
    "DEFAULT_POOLS_SIZE",
    "ApiException",
    "ApiValueError",
    "RESTClient",
    "RESTClientObject",
    "RESTResponse",
    "RequestTimeout",
    "to_urllib3_timeout",
]

logger = logging.getLogger(__name__)

#: Number of connection pools (one per host) kept by the pool manager.
DEFAULT_POOLS_SIZE = 4

#: What ``_request_timeout`` accepts.
RequestTimeout = Union[None, int, float, tuple[Optional[float], Optional[float]], urllib3.Timeout]
QueryParams = Union[Mapping[str, Any], Sequence[tuple[str, Any]]]

_METHODS_WITH_BODY = frozenset({"POST", "PUT", "PATCH", "OPTIONS", "DELETE"})
_METHODS = _METHODS_WITH_BODY | {"GET", "HEAD"}


class RESTResponse:
    """A fully read HTTP response.

    Attributes:
        urllib3_response: the underlying urllib3 response.
        status: the HTTP status code.
        reason: the HTTP reason phrase.
        data: the body (bytes as received; ``ApiClient`` replaces it with the decoded text).
        headers: the response headers (case-insensitive mapping).
    """

    def __init__(self, resp: BaseHTTPResponse) -> None:
        self.urllib3_response = resp
        self.status: int = resp.status
        self.reason: str | None = resp.reason
        self.data: Any = resp.data
        self.headers: HTTPHeaderDict = resp.headers

    def getheaders(self) -> HTTPHeaderDict:
        """All response headers."""
        return self.headers

    def getheader(self, name: str, default: str | None = None) -> str | None:
        """The value of header ``name`` (case-insensitive), or ``default``."""
        return self.headers.get(name, default)


class RESTClient(Protocol):
    """What ``ApiClient`` needs from its HTTP layer."""

    def request(
        self,
        method: str,
        url: str,
        query_params: QueryParams | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        post_params: Any = None,
        _preload_content: bool = True,
        _request_timeout: RequestTimeout = None,
    ) -> Any:
        """Send one request; return a RESTResponse (or the raw response when not preloading)."""


def to_urllib3_timeout(value: RequestTimeout) -> urllib3.Timeout | None:
    """Turn a ``_request_timeout`` value into a ``urllib3.Timeout`` (``None``: no limit).

    Raises:
        ApiValueError: the value is not one of the accepted forms, or is negative.
    """
    if value is None or isinstance(value, urllib3.Timeout):
        return value
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return urllib3.Timeout(total=value) if value else None
        if isinstance(value, (tuple, list)) and len(value) == 2:
            return urllib3.Timeout(connect=value[0], read=value[1])
    except (TypeError, ValueError) as error:
        raise ApiValueError(f"Invalid _request_timeout {value!r}: {error}") from None
    raise ApiValueError(
        f"Invalid _request_timeout {value!r}: expected a number of seconds, a (connect, read) "
        "pair or a urllib3.Timeout"
    )


def _pool_manager(
    configuration: Configuration, pools_size: int, maxsize: int | None
) -> urllib3.PoolManager:
    options: dict[str, Any] = {
        "num_pools": pools_size,
        "maxsize": maxsize or configuration.connection_pool_maxsize or DEFAULT_POOLS_SIZE,
        "cert_reqs": ssl.CERT_REQUIRED if configuration.verify_ssl else ssl.CERT_NONE,
        "ca_certs": configuration.ssl_ca_cert or certifi.where(),
        "cert_file": configuration.cert_file,
        "key_file": configuration.key_file,
    }
    if configuration.assert_hostname is not None:
        options["assert_hostname"] = configuration.assert_hostname
    if configuration.retries is not None:
        options["retries"] = configuration.retries
    if configuration.proxy:
        return urllib3.ProxyManager(
            proxy_url=configuration.proxy, proxy_headers=configuration.proxy_headers, **options
        )
    return urllib3.PoolManager(**options)


def _encode_body(headers: dict[str, str], body: Any, post_params: Any) -> Any:
    """The request body for the declared Content-Type (may replace the multipart header)."""
    content_type = headers["Content-Type"]
    if "json" in content_type.lower():
        return None if body is None else json.dumps(body).encode("utf-8")
    if content_type == "application/x-www-form-urlencoded":
        return urlencode(post_params or [])
    if content_type == "multipart/form-data":
        data, headers["Content-Type"] = urllib3.encode_multipart_formdata(post_params or [])
        return data
    if body is None or isinstance(body, (str, bytes)):
        return body
    raise ApiValueError(
        f"Cannot send a {type(body).__name__} body as {content_type!r}; "
        "pass str or bytes, or declare a JSON content type"
    )


class RESTClientObject:
    """Sends requests through one urllib3 pool manager built from a Configuration.

    Args:
        configuration: TLS, proxy, retry and pool settings are read once, here.
        pools_size: number of per-host connection pools kept.
        maxsize: connections kept per pool (default: ``connection_pool_maxsize``).
    """

    def __init__(
        self,
        configuration: Configuration,
        pools_size: int = DEFAULT_POOLS_SIZE,
        maxsize: int | None = None,
    ) -> None:
        self.pool_manager: urllib3.PoolManager = _pool_manager(configuration, pools_size, maxsize)

    def close(self) -> None:
        """Close every pooled connection (new requests open new ones)."""
        self.pool_manager.clear()

    def request(
        self,
        method: str,
        url: str,
        query_params: QueryParams | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        post_params: Any = None,
        _preload_content: bool = True,
        _request_timeout: RequestTimeout = None,
    ) -> Any:
        """Send one request.

        Args:
            method: HTTP verb.
            url: absolute URL; ``query_params`` are appended to it.
            query_params: query parameters (mapping or sequence of pairs), URL-encoded here.
            headers: request headers; ``Content-Type`` defaults to ``application/json``.
            body: request body; JSON-encoded when the content type is JSON.
            post_params: form fields for urlencoded or multipart bodies.
            _preload_content: read the whole body and return a RESTResponse; if false, return
                the urllib3 response unread.
            _request_timeout: see the module docstring.

        Returns:
            A RESTResponse, or the urllib3 response when ``_preload_content`` is false.

        Raises:
            ApiException: a non-2xx status (the subclass for that status).
            ApiConnectionError, ApiTimeoutError: no complete response arrived.
            ApiValueError: invalid arguments.
        """
        method = method.upper()
        if method not in _METHODS:
            raise ApiValueError(f"HTTP method must be one of {', '.join(sorted(_METHODS))}")
        if post_params and body:
            raise ApiValueError("body parameter cannot be used with post_params parameter.")
        send_headers = dict(headers) if headers else {}
        send_headers.setdefault("Content-Type", "application/json")
        if query_params:
            url += ("&" if "?" in url else "?") + urlencode(query_params)
        options: dict[str, Any] = {"headers": send_headers, "preload_content": _preload_content}
        if method in _METHODS_WITH_BODY:
            options["body"] = _encode_body(send_headers, body, post_params)
        timeout = to_urllib3_timeout(_request_timeout)
        if timeout is not None:
            options["timeout"] = timeout
        debug = logger.isEnabledFor(logging.DEBUG)
        if debug:
            logger.debug("%s %s", method, _without_secrets(url, keep_query=True))
        try:
            raw = self.pool_manager.urlopen(method, url, **options)
        except (urllib3_errors.HTTPError, http.client.HTTPException, OSError) as error:
            raise _connection_error(error, method, url) from _root_error(error)
        response: Any = raw
        if _preload_content:
            response = RESTResponse(raw)
            if debug:
                logger.debug("response %s, body: %s", raw.status, response.data)
        if not 200 <= raw.status <= 299:
            raise ApiException.from_response(response)
        return response

    def GET(
        self,
        url: str,
        headers: Mapping[str, str] | None = None,
        query_params: QueryParams | None = None,
        _preload_content: bool = True,
        _request_timeout: RequestTimeout = None,
    ) -> Any:
        """Send a GET request (see :meth:`request`)."""
        return self.request(
            "GET", url, query_params, headers, None, None, _preload_content, _request_timeout
        )

    def HEAD(
        self,
        url: str,
        headers: Mapping[str, str] | None = None,
        query_params: QueryParams | None = None,
        _preload_content: bool = True,
        _request_timeout: RequestTimeout = None,
    ) -> Any:
        """Send a HEAD request (see :meth:`request`)."""
        return self.request(
            "HEAD", url, query_params, headers, None, None, _preload_content, _request_timeout
        )

    def OPTIONS(
        self,
        url: str,
        headers: Mapping[str, str] | None = None,
        query_params: QueryParams | None = None,
        post_params: Any = None,
        body: Any = None,
        _preload_content: bool = True,
        _request_timeout: RequestTimeout = None,
    ) -> Any:
        """Send an OPTIONS request (see :meth:`request`)."""
        return self.request(
            "OPTIONS",
            url,
            query_params,
            headers,
            body,
            post_params,
            _preload_content,
            _request_timeout,
        )

    def DELETE(
        self,
        url: str,
        headers: Mapping[str, str] | None = None,
        query_params: QueryParams | None = None,
        body: Any = None,
        _preload_content: bool = True,
        _request_timeout: RequestTimeout = None,
    ) -> Any:
        """Send a DELETE request (see :meth:`request`)."""
        return self.request(
            "DELETE", url, query_params, headers, body, None, _preload_content, _request_timeout
        )

    def POST(
        self,
        url: str,
        headers: Mapping[str, str] | None = None,
        query_params: QueryParams | None = None,
        post_params: Any = None,
        body: Any = None,
        _preload_content: bool = True,
        _request_timeout: RequestTimeout = None,
    ) -> Any:
        """Send a POST request (see :meth:`request`)."""
        return self.request(
            "POST",
            url,
            query_params,
            headers,
            body,
            post_params,
            _preload_content,
            _request_timeout,
        )

    def PUT(
        self,
        url: str,
        headers: Mapping[str, str] | None = None,
        query_params: QueryParams | None = None,
        post_params: Any = None,
        body: Any = None,
        _preload_content: bool = True,
        _request_timeout: RequestTimeout = None,
    ) -> Any:
        """Send a PUT request (see :meth:`request`)."""
        return self.request(
            "PUT",
            url,
            query_params,
            headers,
            body,
            post_params,
            _preload_content,
            _request_timeout,
        )

    def PATCH(
        self,
        url: str,
        headers: Mapping[str, str] | None = None,
        query_params: QueryParams | None = None,
        post_params: Any = None,
        body: Any = None,
        _preload_content: bool = True,
        _request_timeout: RequestTimeout = None,
    ) -> Any:
        """Send a PATCH request (see :meth:`request`)."""
        return self.request(
            "PATCH",
            url,
            query_params,
            headers,
            body,
            post_params,
            _preload_content,
            _request_timeout,
        )


# ---------------------------------------------------------------------------------------------
# Translation of transport failures


def _error_chain(error: BaseException) -> Iterator[BaseException]:
    """``error`` and every exception it wraps (reason, args, cause, context), outermost first."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = [getattr(current, "reason", None), getattr(current, "original_error", None)]
        wrapped += [arg for arg in current.args if isinstance(arg, BaseException)]
        wrapped += [current.__cause__, current.__context__]
        pending += [item for item in wrapped if isinstance(item, BaseException)]


def _root_error(error: BaseException) -> BaseException:
    # MaxRetryError only says "retries ran out"; the error it carries says what went wrong.
    reason = getattr(error, "reason", None)
    if isinstance(error, urllib3_errors.MaxRetryError) and isinstance(reason, BaseException):
        return reason
    return error


def _is_connect_timeout(error: BaseException) -> bool:
    # urllib3 makes NewConnectionError a subclass of ConnectTimeoutError; only the latter proper
    # is a timeout.
    return isinstance(error, urllib3_errors.ConnectTimeoutError) and not isinstance(
        error, urllib3_errors.NewConnectionError
    )


def _is_dns_failure(error: BaseException) -> bool:
    name_resolution = getattr(urllib3_errors, "NameResolutionError", None)  # urllib3 2.x only
    return isinstance(error, socket.gaierror) or (
        name_resolution is not None and isinstance(error, name_resolution)
    )


_INCOMPLETE_READS = (http.client.IncompleteRead, urllib3_errors.IncompleteRead)
_DROPPED = (
    http.client.RemoteDisconnected,
    ConnectionResetError,
    BrokenPipeError,
    ConnectionAbortedError,
)

#: (test on one error of the chain, exception class, description), first match wins.
_FAILURE_KINDS: tuple[tuple[Any, type[ApiConnectionError], str], ...] = (
    (
        lambda e: isinstance(e, (urllib3_errors.SSLError, ssl.SSLError, ssl.CertificateError)),
        ApiConnectionError,
        "TLS handshake failed",
    ),
    (
        lambda e: isinstance(e, urllib3_errors.ProxyError),
        ApiConnectionError,
        "Proxy failed",
    ),
    (_is_dns_failure, ApiConnectionError, "DNS lookup failed"),
    (lambda e: isinstance(e, ConnectionRefusedError), ApiConnectionError, "Connection refused"),
    (_is_connect_timeout, ApiTimeoutError, "Connect timed out"),
    (
        lambda e: isinstance(e, (urllib3_errors.ReadTimeoutError, socket.timeout)),
        ApiTimeoutError,
        "Read timed out",
    ),
    (
        lambda e: isinstance(e, _INCOMPLETE_READS),
        ApiConnectionError,
        "Connection closed in the middle of the response body (truncated body)",
    ),
    (
        lambda e: isinstance(e, _DROPPED),
        ApiConnectionError,
        "Connection closed by the server before a complete response",
    ),
    (
        lambda e: isinstance(e, urllib3_errors.NewConnectionError),
        ApiConnectionError,
        "Could not connect",
    ),
)


def _without_secrets(url: str, *, keep_query: bool) -> str:
    """``url`` without user info (a credential), and without its query unless asked."""
    parts = urlsplit(url)
    text = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"
    return f"{text}?{parts.query}" if keep_query and parts.query else text


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _connection_error(error: BaseException, method: str, url: str) -> ApiConnectionError:
    """The ApiConnectionError (or ApiTimeoutError) describing a transport failure."""
    target = f"{method} {_without_secrets(url, keep_query=False)}"
    chain = list(_error_chain(error))
    for matches, exception_class, description in _FAILURE_KINDS:
        culprit = next((item for item in chain if matches(item)), None)
        if culprit is not None:
            detail = _one_line(str(culprit)) or type(culprit).__name__
            return _logged(exception_class(reason=f"{description}: {target}: {detail}"))
    root = _root_error(error)
    reason = f"Transport error: {target}: {type(root).__name__}: {_one_line(str(root))}"
    return _logged(ApiConnectionError(reason=reason))


def _logged(error: ApiConnectionError) -> ApiConnectionError:
    logger.debug("%s", error.reason)
    return error
