"""Every place the transport relies on more than urllib3's and CPython's public APIs.

Each reach below a public API is here, with a fallback to the public behaviour and a DEBUG line
on the ``kfp_server_api`` loggers when the fallback is taken. ``test/with_server/
test_transport_internals.py`` checks on both urllib3 lines, over HTTP and HTTPS, that each one
still attaches, so that a change upstream fails a test instead of silently losing a guarantee.

- The total deadline over the response head: ``http.client.HTTPResponse`` is given a stand-in
  for the socket whose ``makefile`` reads through :class:`~.deadline.SocketReader`. The
  response class is chosen through ``HTTPConnection.response_class`` (a class attribute that
  urllib3 and ``http.client`` both honour), urllib3's documented ``ConnectionCls`` of its pools,
  and the pool manager's ``pool_classes_by_scheme`` (an attribute urllib3 sets in its
  constructor and reads for every new pool). The reaches: CPython's ``HTTPResponse`` reads the
  socket only through the file that ``sock.makefile("rb")`` returns, and the pool manager keeps
  reading ``pool_classes_by_scheme``. Fallback: the socket itself (the read timeout bounds each
  read, the total only the body; see :mod:`.deadline`).
- Closing kept-alive connections: ``PoolManager.clear()`` forgets its pools without closing
  them, so :func:`close_pools` reads ``PoolManager.pools`` (undocumented) to close each.
  Fallback: ``clear()`` alone (idle sockets close when the pools are collected).
- Knowing a pool was closed: ``HTTPConnectionPool.close()`` sets its ``pool`` attribute to
  ``None`` (undocumented). Fallback: a pool is taken as closed (a new one is made each time:
  correct, slower).
- urllib3's own ``CertificateError`` (its host name check with ``assert_hostname``), imported
  from ``urllib3.util.ssl_match_hostname``. Fallback: ``ssl.CertificateError``.
"""

from __future__ import annotations

import http.client
import io
import logging
import ssl
from typing import Any

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection

from kfp_server_api._transport.deadline import SocketReader

__all__ = [
    "CERTIFICATE_ERRORS",
    "DeadlineAwareResponse",
    "close_pools",
    "pool_classes",
    "pool_is_closed",
    "use_deadline_pools",
]

logger = logging.getLogger("kfp_server_api.rest")


def _urllib3_certificate_error() -> tuple[type[BaseException], ...]:
    try:
        from urllib3.util.ssl_match_hostname import CertificateError
    except ImportError:
        logger.debug("urllib3 has no ssl_match_hostname.CertificateError: not recognised")
        return ()
    return (CertificateError,)


#: The errors that say a certificate was rejected (by OpenSSL, or by urllib3's host name check).
CERTIFICATE_ERRORS: tuple[type[BaseException], ...] = (
    ssl.SSLCertVerificationError,
    ssl.CertificateError,
    *_urllib3_certificate_error(),
)


class _BufferedSocket:
    """What ``http.client.HTTPResponse`` is given instead of the socket: its ``makefile`` reads
    through :class:`~.deadline.SocketReader`."""

    __slots__ = ("_sock", "used")

    def __init__(self, sock: Any) -> None:
        self._sock = sock
        self.used = False

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> io.BufferedReader:
        self.used = True
        return io.BufferedReader(SocketReader(self._sock))


class DeadlineAwareResponse(http.client.HTTPResponse):
    """``http.client.HTTPResponse`` whose socket reads honour the active deadline.

    Attributes:
        deadline_guarded: whether every read of this response goes through the deadline
            reader (false when the fallback was taken; a DEBUG line says why).
    """

    deadline_guarded: bool

    def __init__(
        self, sock: Any, debuglevel: int = 0, method: str | None = None, url: str | None = None
    ) -> None:
        if not (hasattr(sock, "recv_into") and hasattr(sock, "gettimeout")):
            logger.debug(
                "total time limit not attached: the socket (%s) has no recv_into/gettimeout; "
                "only the read timeout bounds the response head",
                type(sock).__name__,
            )
            super().__init__(sock, debuglevel, method, url)
            self.deadline_guarded = False
            return
        stand_in = _BufferedSocket(sock)
        super().__init__(stand_in, debuglevel, method, url)  # type: ignore[arg-type]
        self.deadline_guarded = stand_in.used
        if not stand_in.used:
            logger.debug(
                "total time limit not attached: http.client did not read through makefile(); "
                "only the read timeout bounds the response head"
            )
            super().__init__(sock, debuglevel, method, url)


class _HTTPConnection(HTTPConnection):
    response_class = DeadlineAwareResponse


class _HTTPSConnection(HTTPSConnection):
    response_class = DeadlineAwareResponse


class _HTTPConnectionPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSConnectionPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


def pool_classes() -> dict[str, type[urllib3.HTTPConnectionPool]]:
    """Pool classes by scheme, for ``PoolManager.pool_classes_by_scheme``."""
    return {"http": _HTTPConnectionPool, "https": _HTTPSConnectionPool}


def use_deadline_pools(manager: urllib3.PoolManager) -> None:
    """Make ``manager``'s new pools read responses under the total deadline."""
    if not isinstance(getattr(manager, "pool_classes_by_scheme", None), dict):
        logger.debug("total time limit not attached: no PoolManager.pool_classes_by_scheme")
        return
    manager.pool_classes_by_scheme = pool_classes()


def close_pools(manager: urllib3.PoolManager) -> None:
    """Close every connection of ``manager``'s pools, kept-alive ones included, and forget the
    pools (new requests open new ones)."""
    pools = getattr(manager, "pools", None)
    keys = getattr(pools, "keys", None)
    if pools is None or keys is None:
        logger.debug("PoolManager.pools not readable: idle connections close when collected")
        manager.clear()
        return
    # A pool still referenced (by ApiClient.last_response, say) keeps its idle sockets unless
    # closed. (The container refuses to be iterated: keys() is its thread-safe snapshot.)
    open_pools = [pools.get(key) for key in keys()]
    manager.clear()
    for pool in open_pools:
        if pool is not None:
            pool.close()


def pool_is_closed(pool: urllib3.HTTPConnectionPool) -> bool:
    """Whether ``pool`` was closed (by its manager's eviction, or by :func:`close_pools`)."""
    return getattr(pool, "pool", None) is None
