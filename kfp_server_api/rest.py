"""The HTTP layer: one urllib3 pool manager, and the only place urllib3 errors are caught.

``RESTClientObject.request`` sends one request and returns a :class:`RESTResponse`, or raises:

- an :class:`~kfp_server_api.exceptions.ApiException` subclass chosen by status for a non-2xx
  answer (see ``ApiException.from_response``);
- :class:`~kfp_server_api.exceptions.ApiTimeoutError` or
  :class:`~kfp_server_api.exceptions.ApiConnectionError` (status ``0``, the urllib3 error chained
  as ``__cause__``, a one-line ``reason`` naming the cause, ``request_sent`` and ``transient``
  set from the table ``_FAILURES``) when no complete response arrived: connection refused, DNS
  failure, TLS failure (an untrusted, expired or mismatched certificate is named as such),
  timeout, connection closed before the headers or in the middle of the body. No urllib3,
  socket or ssl exception escapes.

``ApiClient`` talks to this layer only through ``request(...)`` (the :class:`RESTClient`
protocol), so another implementation (a test double, a recorder) can be passed to it. Retries
and the token refresh live in ``ApiClient``, above this seam (see :mod:`kfp_server_api.retry`).

Decisions:
- Timeouts (``_request_timeout``): an int or a float is a total time limit; a
  ``(connect, read)`` pair sets both limits; a ``urllib3.Timeout`` is used as it is; ``0`` means
  no limit, as in 1.8.5. ``None`` (not given) uses ``Configuration.request_timeout``, and when
  that is ``None`` too, ``DEFAULT_TIMEOUT``: 10 s to connect and 60 s for each read. Connecting
  takes milliseconds in a cluster and a few seconds across a slow port-forward or proxy, so 10 s
  reports a dead or unroutable host quickly without failing a slow but working network. The KFP
  server answers in well under a second, and a create_run that talks to Kubernetes in a few
  seconds; 60 s is also the idle limit of common ingress proxies (nginx's proxy_read_timeout),
  beyond which the answer would be cut anyway. The read limit is per socket read, so a large
  body that keeps arriving is not cut.
- Retries in urllib3: when ``Configuration.retries`` is ``None`` (the default) urllib3 is told
  not to retry anything (it still follows up to ``DEFAULT_REDIRECTS`` redirects, as before), so
  the client's retry policy is the only one and attempts never multiply. When the user sets
  ``retries`` (an int, ``False`` or a ``urllib3.Retry``) it is handed to urllib3 exactly as in
  1.8.5 and the client's retry policy steps aside.
- TLS is verified by default against certifi's bundle (``ssl_ca_cert`` replaces it).
- Headers are never logged: they carry the api key. A credential the server echoes back (in an
  error response, or in a response body logged at DEBUG) is replaced by ``***``.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import ssl
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Callable, Final, NamedTuple, Optional, Protocol, Union
from urllib.parse import unquote, urlencode, urlsplit

import certifi
import urllib3
from urllib3 import exceptions as urllib3_errors

from kfp_server_api.exceptions import (
    ApiConnectionError,
    ApiException,
    ApiTimeoutError,
    ApiValueError,
    credentials_in_headers,
    redact,
)

if TYPE_CHECKING:
    from urllib3 import BaseHTTPResponse
    from urllib3._collections import HTTPHeaderDict

    from kfp_server_api.configuration import Configuration

# Re-exported here because code written for earlier releases imports them from this module.
__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_POOLS_SIZE",
    "DEFAULT_READ_TIMEOUT",
    "DEFAULT_REDIRECTS",
    "DEFAULT_TIMEOUT",
    "ApiException",
    "ApiValueError",
    "RESTClient",
    "RESTClientObject",
    "RESTResponse",
    "RequestTimeout",
    "to_urllib3_timeout",
    "url_for_display",
]

logger = logging.getLogger(__name__)

#: Number of connection pools (one per host) kept by the pool manager.
DEFAULT_POOLS_SIZE = 4
#: Seconds allowed to open a connection when no timeout is given (see the module docstring).
DEFAULT_CONNECT_TIMEOUT: Final = 10.0
#: Seconds allowed for each read of the response when no timeout is given.
DEFAULT_READ_TIMEOUT: Final = 60.0
#: The time limits of a request when neither the call nor the Configuration sets any.
DEFAULT_TIMEOUT: Final = urllib3.Timeout(connect=DEFAULT_CONNECT_TIMEOUT, read=DEFAULT_READ_TIMEOUT)
#: Redirects urllib3 follows when the client's retry policy is in charge (urllib3's own default).
DEFAULT_REDIRECTS: Final = 3

# ``_request_timeout=0``: no limit at all (not even the default one).
_NO_TIME_LIMIT: Final = urllib3.Timeout(connect=None, read=None)
# What urllib3 may retry while the client's retry policy is in charge: nothing but redirects.
# total=None so that redirects count only against ``redirect``; a 0 elsewhere lets the first
# failure through (wrapped in MaxRetryError), and no status or Retry-After retry can start.
_URLLIB3_RETRIES_UNDER_POLICY: Final = urllib3.Retry(
    total=None, connect=0, read=0, status=0, other=0, redirect=DEFAULT_REDIRECTS
)

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
    """Turn a ``_request_timeout`` value into a ``urllib3.Timeout``.

    ``None`` gives ``None`` (the default applies); ``0`` gives a Timeout without any limit.

    Raises:
        ApiValueError: the value is not one of the accepted forms, or is negative.
    """
    if value is None or isinstance(value, urllib3.Timeout):
        return value
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return urllib3.Timeout(total=value) if value else _NO_TIME_LIMIT
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
    options["retries"] = (
        _URLLIB3_RETRIES_UNDER_POLICY if configuration.retries is None else configuration.retries
    )
    options["timeout"] = to_urllib3_timeout(configuration.request_timeout) or DEFAULT_TIMEOUT
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
        # Credentials of the proxy, kept out of error reasons and logs.
        self._proxy_secrets = _proxy_credentials(configuration)

    def close(self) -> None:
        """Close every pooled connection, kept-alive ones included (new requests open new ones).

        A connection still serving a response nobody has read (``_preload_content=False``) is
        closed when that response is released.
        """
        pools = self.pool_manager.pools
        # PoolManager.clear() forgets the pools without closing them (urllib3 1.26.x and 2.x),
        # and a pool still referenced (by ApiClient.last_response, say) keeps its idle sockets.
        # (The container refuses to be iterated: keys() is its thread-safe snapshot.)
        keys = pools.keys()
        open_pools = [pools.get(key) for key in keys]
        self.pool_manager.clear()
        for pool in open_pools:
            if pool is not None:
                pool.close()

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
            logger.debug("%s %s", method, url_for_display(url, keep_query=True))
        try:
            raw = self.pool_manager.urlopen(method, url, **options)
        except (urllib3_errors.HTTPError, http.client.HTTPException, OSError) as error:
            failure = _connection_error(error, method, url, self._proxy_secrets)
            raise failure from _root_error(error)
        response: Any = raw
        if _preload_content:
            response = RESTResponse(raw)
            if debug:
                secrets = credentials_in_headers(send_headers) + self._proxy_secrets
                logger.debug("response %s, body: %s", raw.status, _loggable(response.data, secrets))
        if not 200 <= raw.status <= 299:
            status_error = ApiException.from_response(response)
            status_error.redact_credentials(
                credentials_in_headers(send_headers) + self._proxy_secrets
            )
            raise status_error
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
_UNREADABLE_FILES = (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError)


def _is_malformed_chunk_size(error: BaseException) -> bool:
    # A chunk-size line that is not a hexadecimal number: http.client reports it as a ValueError
    # (chained to its IncompleteRead), urllib3 as InvalidChunkLength. An empty line there means
    # the connection closed: a body cut short rather than a malformed one.
    if isinstance(error, urllib3_errors.InvalidChunkLength):
        line = error.length
        return isinstance(line, bytes) and bool(line.strip())
    text = str(error)
    return isinstance(error, ValueError) and "base 16" in text and not text.endswith("b''")


def _is_not_http(error: BaseException) -> bool:
    # RemoteDisconnected is a BadStatusLine too: no answer at all, the connection closed.
    return isinstance(
        error, (http.client.BadStatusLine, http.client.UnknownProtocol)
    ) and not isinstance(error, http.client.RemoteDisconnected)


def _is_tls_error(error: BaseException) -> bool:
    return isinstance(error, (urllib3_errors.SSLError, ssl.SSLError, ssl.CertificateError))


def _is_certificate_rejected(error: BaseException) -> bool:
    # urllib3 checks assert_hostname itself and raises its own CertificateError.
    return isinstance(error, (ssl.SSLCertVerificationError, ssl.CertificateError)) or (
        type(error).__name__ == "CertificateError"
    )


def _is_host_name_mismatch(error: BaseException) -> bool:
    text = str(error)
    return _is_certificate_rejected(error) and ("mismatch" in text or "doesn't match" in text)


# OpenSSL's words for a chain that does not end at a trusted CA.
_UNTRUSTED_ISSUER = ("local issuer", "self signed", "self-signed", "first certificate")


def _is_issuer_untrusted(error: BaseException) -> bool:
    text = str(error)
    return _is_certificate_rejected(error) and any(words in text for words in _UNTRUSTED_ISSUER)


class _Failure(NamedTuple):
    """One kind of transport failure: how to recognise it and what the client makes of it."""

    matches: Callable[[BaseException], bool]
    "Test on one error of the chain (see ``_error_chain``)."
    exception_class: type[ApiConnectionError]
    description: str
    "Start of the reason; the failing call and the culprit's own text follow."
    request_sent: bool
    "False only if the request surely never reached the server."
    transient: bool
    "Whether trying again later may succeed (see ``kfp_server_api.retry``)."
    shows_type: bool = False
    "Whether the culprit's type name starts the detail (when its text alone says little)."


#: Transport failures, first match wins (each row is tried on the whole chain of errors).
_FAILURES: tuple[_Failure, ...] = (
    _Failure(
        _is_host_name_mismatch,
        ApiConnectionError,
        "TLS certificate does not match the host name (connect with a name the certificate "
        "lists, or set assert_hostname)",
        request_sent=False,
        transient=False,
    ),
    _Failure(
        _is_issuer_untrusted,
        ApiConnectionError,
        "TLS certificate verification failed, issuer not trusted (for a private CA, set "
        "ssl_ca_cert to its bundle)",
        request_sent=False,
        transient=False,
    ),
    _Failure(
        _is_certificate_rejected,
        ApiConnectionError,
        "TLS certificate verification failed",
        request_sent=False,
        transient=False,
    ),
    _Failure(
        lambda e: _is_tls_error(e) and "WRONG_VERSION_NUMBER" in str(e),
        ApiConnectionError,
        "TLS handshake failed (is the server speaking plain HTTP? then use an http:// host)",
        request_sent=False,
        transient=False,
    ),
    _Failure(
        lambda e: isinstance(e, _UNREADABLE_FILES),
        ApiConnectionError,
        "TLS setup failed: a certificate or key file (ssl_ca_cert, cert_file, key_file) "
        "could not be read",
        request_sent=False,
        transient=False,
    ),
    # Other TLS errors may also happen after the request was sent (a TLS read failing).
    _Failure(_is_tls_error, ApiConnectionError, "TLS handshake failed", True, False),
    # urllib3 1.26 wraps any socket error of a proxied exchange, not just the connect.
    _Failure(
        lambda e: isinstance(e, urllib3_errors.ProxyError),
        ApiConnectionError,
        "Proxy failed",
        request_sent=True,
        transient=True,
    ),
    _Failure(_is_dns_failure, ApiConnectionError, "DNS lookup failed", False, True),
    _Failure(
        lambda e: isinstance(e, ConnectionRefusedError),
        ApiConnectionError,
        "Connection refused",
        request_sent=False,
        transient=True,
    ),
    _Failure(_is_connect_timeout, ApiTimeoutError, "Connect timed out", False, True),
    _Failure(
        lambda e: isinstance(e, (urllib3_errors.ReadTimeoutError, socket.timeout)),
        ApiTimeoutError,
        "Read timed out",
        request_sent=True,
        transient=True,
    ),
    _Failure(
        _is_malformed_chunk_size,
        ApiConnectionError,
        "Malformed chunked encoding in the response body (a chunk size is not a hexadecimal "
        "number)",
        request_sent=True,
        transient=False,
    ),
    _Failure(
        lambda e: isinstance(e, _INCOMPLETE_READS),
        ApiConnectionError,
        "Connection closed in the middle of the response body (truncated body)",
        request_sent=True,
        transient=True,
    ),
    _Failure(
        lambda e: isinstance(e, _DROPPED),
        ApiConnectionError,
        "Connection closed by the server before a complete response",
        request_sent=True,
        transient=True,
    ),
    _Failure(
        _is_not_http,
        ApiConnectionError,
        "The server did not answer with HTTP (does the host's port serve the API?)",
        request_sent=True,
        transient=False,
        shows_type=True,
    ),
    _Failure(
        lambda e: isinstance(e, urllib3_errors.NewConnectionError),
        ApiConnectionError,
        "Could not connect",
        request_sent=False,
        transient=True,
    ),
)


def url_for_display(url: str, *, keep_query: bool) -> str:
    """``url`` for logs and messages: without user info (a credential), and without its query
    unless asked."""
    parts = urlsplit(url)
    text = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"
    return f"{text}?{parts.query}" if keep_query and parts.query else text


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _connection_error(
    error: BaseException, method: str, url: str, secrets: tuple[str, ...] = ()
) -> ApiConnectionError:
    """The ApiConnectionError (or ApiTimeoutError) describing a transport failure."""
    target = f"{method} {url_for_display(url, keep_query=False)}"
    chain = list(_error_chain(error))
    for failure in _FAILURES:
        culprit = next((item for item in chain if failure.matches(item)), None)
        if culprit is not None:
            detail = _one_line(str(culprit)) or type(culprit).__name__
            if failure.shows_type:
                detail = f"{type(culprit).__name__}: {detail}"
            return _logged(
                failure.exception_class(
                    reason=redact(f"{failure.description}: {target}: {detail}", secrets),
                    request_sent=failure.request_sent,
                    transient=failure.transient,
                )
            )
    # Something unforeseen (a malformed response, a decoding error): not worth repeating, and
    # the server may have acted on the request.
    root = _root_error(error)
    reason = f"Transport error: {target}: {type(root).__name__}: {_one_line(str(root))}"
    return _logged(ApiConnectionError(reason=redact(reason, secrets), transient=False))


def _proxy_credentials(configuration: Configuration) -> tuple[str, ...]:
    """Secrets of the proxy settings: user info of the proxy URL, credential proxy headers."""
    secrets: list[str] = []
    if configuration.proxy:
        userinfo = urlsplit(configuration.proxy).netloc.rpartition("@")[0]
        if userinfo:
            password = userinfo.partition(":")[2]
            secrets += [userinfo, unquote(userinfo), password, unquote(password)]
    secrets += credentials_in_headers(configuration.proxy_headers)
    return tuple(sorted({item for item in secrets if item}, key=len, reverse=True))


def _loggable(data: Any, secrets: tuple[str, ...]) -> str:
    """A response body as text for the debug log, with echoed credentials hidden."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
    return redact(text, secrets)


def _logged(error: ApiConnectionError) -> ApiConnectionError:
    logger.debug("%s", error.reason)
    return error
