"""The HTTP layer as kfp-server-api 1.8.5 exposed it: ``RESTClientObject``, ``RESTResponse``.

``RESTClientObject`` is the client's transport: one urllib3 pool manager, built from a
Configuration. Its ``send(request)`` makes one exchange and returns a :class:`RESTResponse`
whatever the status (the seam ``ApiClient`` uses); its ``request(...)`` and the verb wrappers
(``GET``, ``POST``...) keep the 1.8.5 behaviour on top of it: they return a
:class:`RESTResponse` (or the unread urllib3 response with ``_preload_content=False``), or raise:

- an :class:`~kfp_server_api.exceptions.ApiException` subclass chosen by status for a non-2xx
  answer (see ``ApiException.from_response``), including a redirect the client does not follow;
- :class:`~kfp_server_api.exceptions.ApiTimeoutError` or
  :class:`~kfp_server_api.exceptions.ApiConnectionError` (status ``0``, the cause chained, a
  one-line ``reason``) when no complete response arrived. No urllib3, socket, ssl or zlib
  exception escapes;
- :class:`~kfp_server_api.exceptions.ApiDecodeError` (the 2xx status) when the body's gzip or
  deflate stream is cut short although the HTTP message was complete.

Another transport (a test double, a recorder) can be passed to ``ApiClient(rest_client=...)``:
an object with ``send(request)`` gets status errors, retries and the token refresh from
``ApiClient``; one with only the 1.8.5 ``request(...)`` is called as in 1.8.5 (see
:mod:`kfp_server_api.testing`).

Decisions (each is written down in the private module that applies it):

- Timeouts (``_request_timeout``): an int or a float is a total time limit for the whole
  exchange, from connecting to the last byte of the body; a ``(connect, read)`` pair sets the
  time allowed to connect and for each read, with no total; a ``urllib3.Timeout`` is used as it
  is; ``0`` means no limit, as in 1.8.5. ``None`` (not given) uses
  ``Configuration.request_timeout``, and when that is ``None`` too, ``DEFAULT_TIMEOUT``: 10 s to
  connect, 60 s for each read and 300 s in all. The total is enforced on every read of the
  socket, the status line and headers included: a call past it raises ``ApiTimeoutError``
  naming the limit. With ``_preload_content=False`` the caller reads the body, and only the read
  timeout applies to those reads.
- Redirects: followed only when the new URL keeps the request's path and query (only the
  scheme, host or port may change), at most ``DEFAULT_REDIRECTS`` times, credentials dropped
  when the origin changes; any other 3xx raises ``ApiException`` with that status and a reason
  naming the ``Location`` and why it was not followed.
- Retries in urllib3: off while the client's retry policy is in charge
  (``Configuration.retries`` is ``None``); a ``retries`` the user sets is handed to urllib3 as
  in 1.8.5, and the client's retry policy steps aside.
- Content encodings: gzip and deflate are decoded by the client, so that a corrupt stream
  (``ApiConnectionError``, not transient) or one cut short (``ApiDecodeError``) is reported as
  such.
- Size: a body longer than ``Configuration.max_response_bytes`` (256 MiB by default), as sent
  or once decoded, raises ``ApiConnectionError`` (not transient) before it fills memory.
- TLS is verified by default against certifi's bundle (``ssl_ca_cert`` replaces it).
- Headers are never logged: they carry the api key. Every credential sent is replaced by
  ``***`` wherever a server could echo it back: an error response, a response body logged at
  DEBUG, and the reason of a transport failure. A header value with a control character is
  refused with ``ApiValueError`` before anything is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from kfp_server_api._transport.pools import DEFAULT_POOLS_SIZE
from kfp_server_api._transport.redaction import url_for_display
from kfp_server_api._transport.redirects import DEFAULT_REDIRECTS
from kfp_server_api._transport.request import QueryParams, Request
from kfp_server_api._transport.response import RESTResponse
from kfp_server_api._transport.timeouts import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
    DEFAULT_TIMEOUT,
    DEFAULT_TOTAL_TIMEOUT,
    RequestTimeout,
    to_urllib3_timeout,
)
from kfp_server_api._transport.urllib3_transport import Urllib3Transport
from kfp_server_api.exceptions import ApiException, ApiValueError

if TYPE_CHECKING:
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
    "Request",
    "RequestTimeout",
    "to_urllib3_timeout",
    "url_for_display",
]


class RESTClient(Protocol):
    """What ``ApiClient`` needs from its HTTP layer: the 1.8.5 ``request`` (an object that also
    has ``send(request)``, as :class:`RESTClientObject` does, is sent through that instead)."""

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


class RESTClientObject(Urllib3Transport):
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
        super().__init__(configuration, pools_size, maxsize)

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
