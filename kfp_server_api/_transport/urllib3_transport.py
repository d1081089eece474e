"""The transport that speaks HTTP through urllib3: one exchange, redirects, deadline, body.

``send`` makes one exchange: it opens the request through the pools (:mod:`.pools`), follows
the redirects :mod:`.redirects` allows, reads the body within the size limit
(:mod:`.content`), all under the total deadline (:mod:`.deadline`), and turns whatever fails
into the client's exceptions (:mod:`.failures`). It never raises for a status.

Headers are never logged: they carry the api key. A response body logged at DEBUG has every
credential sent replaced by ``***``.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from kfp_server_api._credentials import redact
from kfp_server_api._transport import deadline as deadlines
from kfp_server_api._transport import failures, internals
from kfp_server_api._transport.base import Transport
from kfp_server_api._transport.content import read_body, read_rest
from kfp_server_api._transport.pools import DirectPools, default_timeout, pool_manager
from kfp_server_api._transport.redaction import (
    credentials_of_request,
    proxy_credentials,
    url_for_display,
)
from kfp_server_api._transport.redirects import (
    keeps_credentials,
    redirect_limit,
    redirect_target,
    refusal_reason,
    without_credentials,
)
from kfp_server_api._transport.response import RESTResponse
from kfp_server_api._transport.timeouts import time_left, total_of

if TYPE_CHECKING:
    import urllib3
    from urllib3 import BaseHTTPResponse

    from kfp_server_api._transport.request import Request
    from kfp_server_api.configuration import Configuration

__all__ = ["Urllib3Transport"]

logger = logging.getLogger("kfp_server_api.rest")


class _Exchange:
    """Where one ``send`` stands: the URL of the current attempt, its response, the deadline."""

    __slots__ = ("deadline", "raw", "refusal", "total", "url")

    def __init__(self, url: str, total: float | None) -> None:
        self.url = url
        self.total = total
        self.deadline = deadlines.Deadline(time.monotonic() + total) if total else None
        self.raw: Any = None
        self.refusal = ""


class Urllib3Transport(Transport):
    """Sends requests through one urllib3 pool manager built from a Configuration."""

    def __init__(self, configuration: Configuration, pools_size: int, maxsize: int | None) -> None:
        self.pool_manager: urllib3.PoolManager = pool_manager(configuration, pools_size, maxsize)
        # The limits of calls without _request_timeout (the pool manager's default).
        self._default_timeout = default_timeout(configuration)
        self._default_total = total_of(self._default_timeout)
        self._direct = DirectPools()
        self._redirect_limit = redirect_limit(configuration.retries)
        # Credentials of the proxy, kept out of error reasons and logs.
        self.proxy_secrets = proxy_credentials(configuration)
        self._max_response_bytes: int | None = configuration.max_response_bytes or None

    def close(self) -> None:
        """Close every pooled connection, kept-alive ones included (new requests open new ones).

        A connection still serving a response nobody has read (``_preload_content=False``) is
        closed when that response is released.
        """
        internals.close_pools(self.pool_manager)

    def send(self, request: Request) -> RESTResponse:
        """Send ``request``, following the redirects :mod:`.redirects` allows (see
        :meth:`Transport.send`)."""
        timeout = request.timeout
        options: dict[str, Any] = {
            "headers": request.headers,
            "preload_content": False,  # the body is read below, against the deadline
            "redirect": False,  # redirects are followed below, or not
        }
        if request.body is not None:
            options["body"] = request.body
        if timeout is not None:
            options["timeout"] = timeout
        exchange = _Exchange(
            request.url, self._default_total if timeout is None else total_of(timeout)
        )
        debug = logger.isEnabledFor(logging.DEBUG)
        if debug:
            logger.debug("%s %s", request.method, url_for_display(request.url, keep_query=True))
        # Every read of the socket, the head's included, waits no later than the deadline.
        active = deadlines.begin(exchange.deadline)
        try:
            raw = self._follow_redirects(request, options, exchange, debug)
            data = read_body(raw, self._max_response_bytes) if request.preload_content else None
        except failures.CAUGHT as error:
            translated, cause = failures.translate(
                error,
                request,
                exchange.url,
                total=exchange.total,
                deadline=exchange.deadline,
                raw=exchange.raw,
                proxy_secrets=self.proxy_secrets,
            )
            raise translated from cause
        finally:
            deadlines.end(active)
        response = RESTResponse.of(raw, data)
        if exchange.refusal:
            response.redirect_refusal = refusal_reason(
                request.method, exchange.url, raw, exchange.refusal
            )
        if debug and request.preload_content:
            secrets = credentials_of_request(request.headers, request.url, self.proxy_secrets)
            logger.debug("response %s, body: %s", raw.status, _loggable(data, secrets))
        return response

    def _follow_redirects(
        self, request: Request, options: dict[str, Any], exchange: _Exchange, debug: bool
    ) -> BaseHTTPResponse:
        """The response at the end of the redirects followed (``exchange`` tells where)."""
        method = request.method
        raw = exchange.raw = self._direct.urlopen(self.pool_manager, method, exchange.url, options)
        hops = 0
        while 300 <= raw.status <= 399:
            target, exchange.refusal = redirect_target(
                method, exchange.url, raw, hops, self._redirect_limit
            )
            if target is None:
                break
            read_rest(raw, self._max_response_bytes, decode_content=False)  # frees the connection
            if not keeps_credentials(exchange.url, target):
                options["headers"] = without_credentials(options["headers"])
            if exchange.deadline is not None:
                options["timeout"] = time_left(
                    request.timeout or self._default_timeout, exchange.deadline.at
                )
            hops += 1
            exchange.url = target
            if debug:
                logger.debug("redirected to %s", url_for_display(target, keep_query=True))
            raw = exchange.raw = self._direct.urlopen(self.pool_manager, method, target, options)
        return raw


def _loggable(data: Any, secrets: tuple[str, ...]) -> str:
    """A response body as text for the debug log, with echoed credentials hidden."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
    return redact(text, secrets)
