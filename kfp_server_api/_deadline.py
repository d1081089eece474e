"""One deadline for a whole exchange: status line, headers and body.

urllib3 bounds each read of the socket by the read timeout, and the time spent connecting by
the total, but nothing bounds a response that keeps arriving a little at a time: a status line
or a header trickled byte by byte, headers that never end, a body that trickles. The client
needs the total time limit to hold over all of it.

How: the pools of the client's pool manager make connections whose ``response_class``
(the hook ``http.client.HTTPConnection`` and urllib3 both document for choosing the response
type) is :class:`DeadlineAwareResponse`. It reads the socket through :class:`_SocketReader`,
which waits no later than the deadline of the request in progress, found in a context
variable that ``RESTClientObject.request`` sets around the exchange (:func:`begin`, :func:`end`). A
response read after ``request`` returned (``_preload_content=False``) sees no deadline and only
the read timeout applies, as documented. A socket without ``recv_into`` and ``gettimeout`` (not
seen in practice) is read as ``http.client`` reads it, with the read timeout only.

When the deadline cuts a read short the reader raises ``socket.timeout``, which urllib3 turns
into a ``ReadTimeoutError`` as for any read timeout, and marks the :class:`Deadline` expired so
that the client names the total limit rather than the read timeout.
"""

from __future__ import annotations

import http.client
import io
import socket
import time
from contextvars import ContextVar, Token
from typing import Any

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection

__all__ = ["Deadline", "DeadlineAwareResponse", "begin", "end", "pool_classes"]


class Deadline:
    """The monotonic time by which an exchange must be over, and whether a read hit it."""

    __slots__ = ("at", "expired")

    def __init__(self, at: float) -> None:
        self.at = at
        self.expired = False


_CURRENT: ContextVar[Deadline | None] = ContextVar("kfp_server_api_deadline", default=None)


def begin(deadline: Deadline | None) -> Token[Deadline | None]:
    """Make ``deadline`` bound every socket read of this thread (context) until :func:`end`."""
    return _CURRENT.set(deadline)


def end(token: Token[Deadline | None]) -> None:
    """Put back the deadline that was active before the matching :func:`begin`."""
    _CURRENT.reset(token)


class _SocketReader(io.RawIOBase):
    """Raw reads of a socket, each waiting no later than the active deadline (if any) and no
    longer than the socket's own timeout (urllib3's read timeout)."""

    def __init__(self, sock: Any) -> None:
        super().__init__()
        self._sock = sock

    def readable(self) -> bool:
        return True

    def fileno(self) -> int:
        return int(self._sock.fileno())

    def readinto(self, buffer: Any) -> int:
        sock = self._sock
        deadline = _CURRENT.get()
        if deadline is None:
            return int(sock.recv_into(buffer))
        read_timeout: float | None = sock.gettimeout()
        remaining = deadline.at - time.monotonic()
        if read_timeout is not None and remaining >= read_timeout:
            return int(sock.recv_into(buffer))
        if remaining <= 0:
            deadline.expired = True
            raise socket.timeout("timed out (total time limit)")
        sock.settimeout(remaining)
        try:
            return int(sock.recv_into(buffer))
        except socket.timeout:
            deadline.expired = True
            raise
        finally:
            # The connection goes back to the pool with the timeout urllib3 set.
            sock.settimeout(read_timeout)


class _BufferedSocket:
    """What ``http.client.HTTPResponse`` is given instead of the socket: its ``makefile`` reads
    through :class:`_SocketReader`."""

    __slots__ = ("_sock",)

    def __init__(self, sock: Any) -> None:
        self._sock = sock

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> io.BufferedReader:
        return io.BufferedReader(_SocketReader(self._sock))


class DeadlineAwareResponse(http.client.HTTPResponse):
    """``http.client.HTTPResponse`` whose socket reads honour the active :class:`Deadline`."""

    def __init__(
        self, sock: Any, debuglevel: int = 0, method: str | None = None, url: str | None = None
    ) -> None:
        if hasattr(sock, "recv_into") and hasattr(sock, "gettimeout"):
            sock = _BufferedSocket(sock)
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
