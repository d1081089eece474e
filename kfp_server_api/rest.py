"""The HTTP layer: one urllib3 pool manager, and the only place urllib3 errors are caught.

``RESTClientObject.request`` sends one request and returns a :class:`RESTResponse`, or raises:

- an :class:`~kfp_server_api.exceptions.ApiException` subclass chosen by status for a non-2xx
  answer (see ``ApiException.from_response``), including a redirect the client does not follow
  (see below);
- :class:`~kfp_server_api.exceptions.ApiTimeoutError` or
  :class:`~kfp_server_api.exceptions.ApiConnectionError` (status ``0``, the urllib3 error chained
  as ``__cause__``, a one-line ``reason`` naming the cause, ``request_sent`` and ``transient``
  set from the table ``_FAILURES``) when no complete response arrived: connection refused, DNS
  failure, TLS failure (an untrusted, expired or mismatched certificate is named as such),
  timeout, connection closed before the headers or in the middle of the body, a malformed
  chunked body, an answer that is not HTTP, a body whose content encoding (gzip, deflate) is
  corrupt, a body above the size limit. No urllib3, socket, ssl or zlib exception escapes;
- :class:`~kfp_server_api.exceptions.ApiDecodeError` (the 2xx status) when the body's gzip or
  deflate stream is cut short although the HTTP message was complete.

``ApiClient`` talks to this layer only through ``request(...)`` (the :class:`RESTClient`
protocol), so another implementation (a test double, a recorder) can be passed to it. Retries
and the token refresh live in ``ApiClient``, above this seam (see :mod:`kfp_server_api.retry`).

Decisions:
- Timeouts (``_request_timeout``): an int or a float is a total time limit for the whole
  exchange, from connecting to the last byte of the body; a ``(connect, read)`` pair sets the
  time allowed to connect and for each read, with no total; a ``urllib3.Timeout`` is used as it
  is (its ``total``, if any, bounds the whole exchange too); ``0`` means no limit, as in 1.8.5.
  ``None`` (not given) uses ``Configuration.request_timeout``, and when that is ``None`` too,
  ``DEFAULT_TIMEOUT``: 10 s to connect, 60 s for each read and 300 s in all. Connecting takes
  milliseconds in a cluster and a few seconds across a slow port-forward or proxy, so 10 s
  reports a dead or unroutable host quickly without failing a slow but working network. The KFP
  server answers in well under a second, and a create_run that talks to Kubernetes in a few
  seconds; 60 s is also the idle limit of common ingress proxies (nginx's proxy_read_timeout),
  beyond which the answer would be cut anyway. The 300 s total stops a body that keeps
  trickling in (each read within 60 s) from holding a call for ever, and leaves room for a large
  listing or artifact over a slow link. The total is enforced on every read of the socket, the
  status line and headers included (see :mod:`kfp_server_api._deadline`): each read waits at
  most until the deadline, and a call past it raises ``ApiTimeoutError`` naming the limit, so
  neither a trickled head nor a trickled body outlasts it. A response that has already arrived
  whole (the usual case) is read without any extra cost. With ``_preload_content=False`` the
  caller reads the body, and only the read timeout applies to those reads.
- Redirects: the client follows a redirect (301, 302, 307, 308, and 303 for GET and HEAD) only
  when the new URL keeps the request's path and query (compared as sent, percent-escapes in
  either case): only the scheme, host or port may change, as when a gateway moves a client from
  http to https. The request is sent again as it was (same method, same body). Where the new
  URL leads is read with urllib3's parser, the one that makes the connection, and a
  ``Location`` that Python's ``urlsplit`` could read differently (a backslash, user info, a
  space, a control or non-ASCII character) is never followed (see
  :mod:`kfp_server_api._redirect_location`). Credential
  headers (``Authorization``, ``Cookie``, ``Proxy-Authorization`` and any other header whose
  name marks a credential) are dropped when the new URL is on another host or port; only an
  upgrade from http to https on the same host and default ports keeps them. At most
  ``DEFAULT_REDIRECTS`` redirects are followed per request (fewer if ``Configuration.retries``
  limits redirects: ``False`` or a ``urllib3.Retry`` with ``redirect=0`` follows none). Any
  other 3xx raises ``ApiException`` with that status, the response headers and body, and a
  reason naming the method, the URL and the ``Location``. Why: a server that cleans paths (the
  KFP API server's Go router, the emulator) answers an id such as ``x/../<other id>``, sent
  encoded as one segment, with a 301 to the cleaned path; following it, as 1.8.5 did for every
  redirect, would run ``delete_run`` or ``terminate_run`` on another run. A legitimate API
  endpoint never moves to another path.
- Retries in urllib3: when ``Configuration.retries`` is ``None`` (the default) urllib3 is told
  not to retry anything, so the client's retry policy is the only one and attempts never
  multiply. When the user sets ``retries`` (an int, ``False`` or a ``urllib3.Retry``) it is
  handed to urllib3 exactly as in 1.8.5 and the client's retry policy steps aside. urllib3
  never follows redirects itself: this module does (see above).
- Content encodings: a gzip or deflate body is decoded here, in one piece, so that a stream that
  is corrupt (``ApiConnectionError``, not transient) or cut short (``ApiDecodeError``) is
  reported as such rather than as an empty or invalid JSON body. Other encodings are left to
  urllib3.
- Size: a body longer than ``Configuration.max_response_bytes`` (256 MiB by default), as sent
  or once decoded from gzip or deflate, raises ``ApiConnectionError`` (not transient) before it
  fills memory: a Content-Length above the limit is refused unread, other bodies are read in
  pieces and stop at the limit, and the decoder stops as soon as it passes it.
- TLS is verified by default against certifi's bundle (``ssl_ca_cert`` replaces it).
- Headers are never logged: they carry the api key. Every credential sent (credential headers,
  cookies, the URL's user info, the proxy's credentials) is replaced by ``***`` wherever a
  server could echo it back: an error response, a response body logged at DEBUG, and the reason
  of a transport failure (a token sent back as the status line or as a chunk size); the
  lower-level error is then not chained (see :mod:`kfp_server_api._redaction`). A header value
  with a control character is refused with ``ApiValueError`` before anything is sent.
"""

from __future__ import annotations

import http.client
import json
import logging
import re
import socket
import ssl
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Callable, Final, NamedTuple, Optional, Protocol, Union
from urllib.parse import urlencode, urljoin, urlsplit

import certifi
import urllib3
from urllib3 import exceptions as urllib3_errors
from urllib3.util import parse_url

from kfp_server_api import _deadline
from kfp_server_api._content_encoding import (
    ZLIB_CODINGS,
    BodyTooLarge,
    EncodingCutShort,
    decompressed,
)
from kfp_server_api._header_values import check_header_values
from kfp_server_api._redaction import (
    credentials_of_request,
    error_chain,
    proxy_credentials,
    scrubbed,
)
from kfp_server_api._redirect_location import (
    escapes_in_upper_case,
    keeps_credentials,
    resolve_location,
)
from kfp_server_api.exceptions import (
    ApiConnectionError,
    ApiDecodeError,
    ApiException,
    ApiTimeoutError,
    ApiValueError,
    is_credential_header,
    redact,
)

if TYPE_CHECKING:
    from urllib3 import BaseHTTPResponse, HTTPConnectionPool
    from urllib3._collections import HTTPHeaderDict

    from kfp_server_api.configuration import Configuration

# Re-exported here because code written for earlier releases imports them from this module.
__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_POOLS_SIZE",
    "DEFAULT_READ_TIMEOUT",
    "DEFAULT_REDIRECTS",
    "DEFAULT_TIMEOUT",
    "DEFAULT_TOTAL_TIMEOUT",
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
#: Seconds allowed for the whole exchange, body included, when no timeout is given.
DEFAULT_TOTAL_TIMEOUT: Final = 300.0
#: The time limits of a request when neither the call nor the Configuration sets any.
DEFAULT_TIMEOUT: Final = urllib3.Timeout(
    connect=DEFAULT_CONNECT_TIMEOUT, read=DEFAULT_READ_TIMEOUT, total=DEFAULT_TOTAL_TIMEOUT
)
#: Most redirects followed in one request (each keeping the path and query; see the module
#: docstring).
DEFAULT_REDIRECTS: Final = 3

# ``_request_timeout=0``: no limit at all (not even the default one).
_NO_TIME_LIMIT: Final = urllib3.Timeout(connect=None, read=None)
# What urllib3 may retry while the client's retry policy is in charge: nothing. total=None so
# that each kind counts against its own 0; a 0 lets the first failure through (wrapped in
# MaxRetryError), and no status or Retry-After retry can start. Redirects never reach urllib3's
# retry logic: every request is sent with redirect=False.
_URLLIB3_RETRIES_UNDER_POLICY: Final = urllib3.Retry(
    total=None, connect=0, read=0, status=0, other=0, redirect=0
)

#: What ``_request_timeout`` accepts.
RequestTimeout = Union[None, int, float, tuple[Optional[float], Optional[float]], urllib3.Timeout]
QueryParams = Union[Mapping[str, Any], Sequence[tuple[str, Any]]]

_METHODS_WITH_BODY = frozenset({"POST", "PUT", "PATCH", "OPTIONS", "DELETE"})
_METHODS = _METHODS_WITH_BODY | {"GET", "HEAD"}
# Redirect statuses the client may follow, each with the methods it follows it for. A 303 asks
# for a GET whatever the method was, so only a GET or HEAD is still the same request after it.
_FOLLOWED_REDIRECTS: Final = {
    301: _METHODS,
    302: _METHODS,
    303: frozenset({"GET", "HEAD"}),
    307: _METHODS,
    308: _METHODS,
}
# One character of a path or query that urllib3 sends as it is: an unreserved or sub-delimiter
# character, ':' or '@', or a percent-escape in upper case (urllib3 upper-cases the others).
_URL_CHAR = r"(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-F]{2})"
#: An absolute http(s) URL that urllib3's parser leaves unchanged: lower-case scheme, a host
#: name or bracketed IPv6 address, no user info, an optional port (group 1: the origin), then a
#: path without '.' or '..' segments and an optional query, without a fragment (group 2: the
#: request target, exactly as urllib3 would send it).
_PLAIN_URL = re.compile(
    r"(https?://(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?)"
    rf"((?:/(?!\.\.?(?:[/?]|$)){_URL_CHAR}*)+(?:\?(?:{_URL_CHAR}|[/?])*)?)"
)
# Origins remembered with their pools (more are rare: redirects to other hosts).
_MOST_DIRECT_POOLS: Final = 16
# Bodies whose Content-Length is at most this are read in one call; others (and those of
# unknown length) in pieces of _BODY_PIECE bytes, so that no length a server declares makes
# the client allocate it at once.
_ONE_READ_MOST: Final = 64 * 1024 * 1024
_BODY_PIECE: Final = 1024 * 1024


class RESTResponse:
    """A fully read HTTP response.

    Attributes:
        urllib3_response: the underlying urllib3 response.
        status: the HTTP status code.
        reason: the HTTP reason phrase.
        data: the body, decoded from its gzip or deflate content encoding if it had one
            (``ApiClient`` replaces it with the decoded text).
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
    manager: urllib3.PoolManager
    if configuration.proxy:
        manager = urllib3.ProxyManager(
            proxy_url=configuration.proxy, proxy_headers=configuration.proxy_headers, **options
        )
    else:
        manager = urllib3.PoolManager(**options)
    # Pools whose responses honour the total time limit while the head arrives too.
    manager.pool_classes_by_scheme = _deadline.pool_classes()
    return manager


def _encoded_query(query_params: QueryParams) -> str:
    try:
        return urlencode(query_params)
    except UnicodeEncodeError:
        # A lone surrogate (from os.fsdecode of undecodable bytes, say) has no UTF-8 form.
        raise ApiValueError(
            "A query parameter is not valid Unicode text (it holds a lone surrogate, which has "
            "no UTF-8 form) and cannot be sent"
        ) from None


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
        configuration: TLS, proxy, retry, timeout and pool settings are read once, here.
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
        # The limits of calls without _request_timeout (the pool manager's default).
        self._default_timeout: urllib3.Timeout = self.pool_manager.connection_pool_kw["timeout"]
        self._default_total = _total_of(self._default_timeout)
        # Connection pools by origin, for URLs sent straight to their pool (see _urlopen), and
        # the pool manager they come from.
        self._direct_pools: dict[str, HTTPConnectionPool] = {}
        self._direct_manager: urllib3.PoolManager | None = None
        self._redirect_limit = _redirect_limit(configuration.retries)
        # Credentials of the proxy, kept out of error reasons and logs.
        self._proxy_secrets = proxy_credentials(configuration)
        self._max_response_bytes: int | None = configuration.max_response_bytes or None

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

    def _urlopen(self, method: str, url: str, options: dict[str, Any]) -> BaseHTTPResponse:
        """Send one request (no redirect followed) through the pool manager.

        ``PoolManager.urlopen`` parses the URL, finds the pool of its origin and hands it the
        request target. A URL that is already in the form urllib3 would send (see
        ``_PLAIN_URL``) goes straight to that pool, found once per origin, instead: the same
        request, without parsing the URL and looking the pool up at every call. A proxy
        manager always gets the whole URL.
        """
        manager = self.pool_manager
        plain = _PLAIN_URL.fullmatch(url) if type(manager) is urllib3.PoolManager else None
        if plain is None:
            return manager.urlopen(method, url, **options)
        if manager is not self._direct_manager:  # a pool manager put in place since
            self._direct_pools, self._direct_manager = {}, manager
        origin, target = plain.groups()
        pool = self._direct_pools.get(origin)
        # A pool the manager closed (evicted, or cleared by close()) is replaced by a new one.
        if pool is None or pool.pool is None:
            parts = parse_url(origin)
            pool = manager.connection_from_host(parts.host, port=parts.port, scheme=parts.scheme)
            if len(self._direct_pools) >= _MOST_DIRECT_POOLS:
                self._direct_pools = {}
            self._direct_pools[origin] = pool
        response: BaseHTTPResponse = pool.urlopen(method, target, assert_same_host=False, **options)
        return response

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
        """Send one request, following the redirects the module docstring allows.

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
            ApiException: a non-2xx status (the subclass for that status), a redirect not
                followed among them.
            ApiConnectionError, ApiTimeoutError: no complete response arrived.
            ApiDecodeError: the body's gzip or deflate stream is cut short.
            ApiValueError: invalid arguments.
        """
        if method not in _METHODS:
            method = method.upper()
            if method not in _METHODS:
                raise ApiValueError(f"HTTP method must be one of {', '.join(sorted(_METHODS))}")
        if post_params and body:
            raise ApiValueError("body parameter cannot be used with post_params parameter.")
        has_body = method in _METHODS_WITH_BODY
        # The caller's dict is sent as it is when nothing needs adding or replacing (nothing
        # below changes it then, urllib3 included; a redirect that drops credentials builds a
        # new one), so the common call copies no headers.
        send_headers: dict[str, str]
        if (
            type(headers) is dict
            and "Content-Type" in headers
            and not (has_body and headers["Content-Type"] == "multipart/form-data")
        ):
            send_headers = headers
        else:
            send_headers = dict(headers) if headers else {}
            send_headers.setdefault("Content-Type", "application/json")
        check_header_values(send_headers)
        if query_params:
            url += ("&" if "?" in url else "?") + _encoded_query(query_params)
        # The body is read below, against the deadline; redirects are followed below, or not.
        options: dict[str, Any] = {
            "headers": send_headers,
            "preload_content": False,
            "redirect": False,
        }
        if has_body:
            options["body"] = _encode_body(send_headers, body, post_params)
        if _request_timeout is None:
            timeout = None
            total = self._default_total
        else:
            timeout = to_urllib3_timeout(_request_timeout)
            total = _total_of(timeout or self._default_timeout)
            if timeout is not None:
                options["timeout"] = timeout
        deadline = _deadline.Deadline(time.monotonic() + total) if total else None
        debug = logger.isEnabledFor(logging.DEBUG)
        if debug:
            logger.debug("%s %s", method, url_for_display(url, keep_query=True))
        current = url
        refusal = ""
        limit = self._max_response_bytes
        # Every read of the socket, the head's included, waits no later than the deadline.
        active = _deadline.begin(deadline)
        try:
            raw = self._urlopen(method, current, options)
            hops = 0
            while 300 <= raw.status <= 399:
                target, refusal = _redirect_target(method, current, raw, hops, self._redirect_limit)
                if target is None:
                    break
                _read(raw, limit, decode_content=False)  # frees the connection for reuse
                if not keeps_credentials(current, target):
                    options["headers"] = _without_credentials(options["headers"])
                if deadline is not None:
                    options["timeout"] = _time_left(timeout or self._default_timeout, deadline.at)
                hops += 1
                current = target
                if debug:
                    logger.debug("redirected to %s", url_for_display(current, keep_query=True))
                raw = self._urlopen(method, current, options)
            data = _read_body(raw, limit) if _preload_content else None
        except (urllib3_errors.HTTPError, http.client.HTTPException, OSError) as error:
            secrets = credentials_of_request(send_headers, url, self._proxy_secrets)
            cause = scrubbed(_root_error(error), secrets)
            if deadline is not None and deadline.expired:
                raise _total_time_limit_error(method, current, total or 0.0, secrets) from cause
            raise _connection_error(error, method, current, secrets) from cause
        except _TotalTimeLimitPassed:
            secrets = credentials_of_request(send_headers, url, self._proxy_secrets)
            raise _total_time_limit_error(method, current, total or 0.0, secrets) from None
        except BodyTooLarge as too_large:
            # The rest of the body stays unread: the connection cannot serve another request.
            raw.close()
            raw.release_conn()
            secrets = credentials_of_request(send_headers, url, self._proxy_secrets)
            shown = url_for_display(current, keep_query=False)
            raise _logged(
                ApiConnectionError(
                    reason=redact(f"{too_large.reason}: {method} {shown}", secrets),
                    transient=False,
                )
            ) from None
        except EncodingCutShort as cut:
            cut_short = RESTResponse(raw)
            cut_short.data = cut.data
            decode_error = ApiDecodeError(reason=cut.reason, http_resp=cut_short)
            decode_error.redact_credentials(
                credentials_of_request(send_headers, url, self._proxy_secrets)
            )
            logger.debug("%s", decode_error.reason)
            raise decode_error from None
        finally:
            _deadline.end(active)
        response: Any = raw
        if _preload_content:
            response = RESTResponse(raw)
            response.data = data
            if debug:
                secrets = credentials_of_request(send_headers, url, self._proxy_secrets)
                logger.debug("response %s, body: %s", raw.status, _loggable(data, secrets))
        if not 200 <= raw.status <= 299:
            status_error = ApiException.from_response(response)
            if 300 <= raw.status <= 399:
                status_error.reason = _refusal_reason(method, current, raw, refusal)
            status_error.redact_credentials(
                credentials_of_request(send_headers, url, self._proxy_secrets)
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
# Redirects


def _redirect_limit(retries: Any) -> int:
    """How many redirects one request may follow, given ``Configuration.retries``."""
    if retries is None:
        return DEFAULT_REDIRECTS
    setting = urllib3.Retry.from_int(retries)
    # urllib3 counts redirects against ``redirect``, else against ``total``; False: none at all.
    for limit in (setting.redirect, setting.total):
        if limit is False:
            return 0
        if isinstance(limit, int):
            return max(limit, 0)
    return DEFAULT_REDIRECTS


def _same_path_and_query(url: str, target: str) -> bool:
    before, after = urlsplit(url), urlsplit(target)
    return escapes_in_upper_case(before.path or "/") == escapes_in_upper_case(
        after.path or "/"
    ) and escapes_in_upper_case(before.query) == escapes_in_upper_case(after.query)


def _redirect_target(
    method: str, url: str, raw: Any, hops: int, limit: int
) -> tuple[str | None, str]:
    """Where to follow a 3xx answer to ``method url``; or None, and why it is not followed."""
    location = raw.headers.get("Location")
    if not location:
        return None, "the answer has no Location"
    methods = _FOLLOWED_REDIRECTS.get(raw.status)
    if methods is None:
        return None, f"{raw.status} is not a redirect the client follows"
    target, refusal = resolve_location(url, location.strip())
    if target is None:
        return None, refusal
    if not _same_path_and_query(url, target):
        return None, "the client follows only redirects that keep the path and query"
    if method not in methods:
        return None, f"a {raw.status} answer asks for a GET instead of the {method}"
    if hops >= limit:
        return None, f"more than {limit} redirects"
    return target, ""


def _without_credentials(headers: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in headers.items() if not is_credential_header(name)}


def _total_of(timeout: urllib3.Timeout) -> float | None:
    """The total time limit of ``timeout`` in seconds, if it has one."""
    total = timeout.total
    return float(total) if isinstance(total, (int, float)) else None


def _time_left(timeout: urllib3.Timeout, deadline: float) -> urllib3.Timeout:
    """``timeout`` with its total cut down to the time left before ``deadline``."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise _TotalTimeLimitPassed
    limited = timeout.clone()
    limited.total = left
    return limited


def _refusal_reason(method: str, url: str, raw: Any, why: str) -> str:
    location = raw.headers.get("Location")
    if not location:
        shown = "(no Location)"
    elif resolve_location(url, location.strip())[0] is None:
        shown = ascii(location.strip())[:200]  # as received: no parser's reading of it
    else:
        shown = url_for_display(urljoin(url, location.strip()), keep_query=True)
    return _one_line(
        f"Redirect not followed: {method} {url_for_display(url, keep_query=True)} answered "
        f"{raw.status} with Location {shown}: {why}"
    )


# ---------------------------------------------------------------------------------------------
# Reading bodies


class _TotalTimeLimitPassed(Exception):
    """The total time limit of a request passed (the urllib3 error, if any, is the cause)."""


def _read(raw: Any, limit: int | None, *, decode_content: bool) -> bytes:
    """The rest of the body of ``raw``, at most ``limit`` bytes (``None``: no limit).

    A body of known length within the limit (the usual case) is read in one call; any other in
    pieces, so that neither a Content-Length nor a chunk size makes the client allocate what
    the server merely announces.

    Raises:
        BodyTooLarge: the body is longer than ``limit``.
    """
    length = getattr(raw, "length_remaining", None)
    if isinstance(length, int) and limit is not None and length > limit:
        raise BodyTooLarge(
            f"Response body too large: {length} bytes announced (Content-Length), above the "
            f"limit of {limit} bytes (Configuration.max_response_bytes)"
        )
    if isinstance(length, int) and length <= _ONE_READ_MOST:
        return bytes(raw.read(decode_content=decode_content, cache_content=True))
    pieces: list[bytes] = []
    size = 0
    while True:
        piece = raw.read(_BODY_PIECE, decode_content=decode_content)
        if not piece:
            missing = getattr(raw, "length_remaining", None)
            if isinstance(missing, int) and missing > 0:
                # urllib3 1.26 ends a read in pieces quietly where the body stops short.
                raise urllib3_errors.IncompleteRead(size, missing)
            return b"".join(pieces)
        size += len(piece)
        if limit is not None and size > limit:
            raise BodyTooLarge(
                f"Response body too large: more than the limit of {limit} bytes "
                "(Configuration.max_response_bytes)"
            )
        pieces.append(piece)


def _read_body(raw: Any, limit: int | None) -> bytes:
    """The whole body of ``raw``, decoded from gzip or deflate, at most ``limit`` bytes.

    Raises:
        BodyTooLarge: the body, as sent or decoded, is longer than ``limit``.
        EncodingCutShort: the gzip or deflate stream stops before its end.
        urllib3.exceptions.DecodeError: the gzip or deflate stream is corrupt.
    """
    coding = raw.headers.get("Content-Encoding")
    if coding is not None:
        coding = coding.strip().lower()
        if coding in ZLIB_CODINGS:
            return decompressed(_read(raw, limit, decode_content=False), coding, limit)
    return _read(raw, limit, decode_content=True)


def _total_time_limit_error(
    method: str, url: str, total: float, secrets: tuple[str, ...]
) -> ApiTimeoutError:
    reason = (
        f"Total time limit of {total:g} s passed: {method} {url_for_display(url, keep_query=False)}"
        ": the response had not arrived in full"
    )
    error = ApiTimeoutError(reason=redact(reason, secrets), transient=True)
    logger.debug("%s", error.reason)
    return error


# ---------------------------------------------------------------------------------------------
# Translation of transport failures


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
    "Test on one error of the chain (see ``_redaction.error_chain``)."
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
        lambda e: isinstance(e, urllib3_errors.DecodeError),
        ApiConnectionError,
        "Response body failed to decode (corrupt content encoding)",
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
    chain = list(error_chain(error))
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


def _loggable(data: Any, secrets: tuple[str, ...]) -> str:
    """A response body as text for the debug log, with echoed credentials hidden."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
    return redact(text, secrets)


def _logged(error: ApiConnectionError) -> ApiConnectionError:
    logger.debug("%s", error.reason)
    return error
