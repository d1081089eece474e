"""One deadline for a whole exchange: status line, headers and body.

urllib3 bounds each read of the socket by the read timeout, and the time spent connecting by
the total, but nothing bounds a response that keeps arriving a little at a time: a status line
or a header trickled byte by byte, headers that never end, a body that trickles. The client
needs the total time limit to hold over all of it.

How: every socket read of a response is made through :class:`SocketReader`, which waits no
later than the deadline of the exchange in progress, found in a context variable that the
transport sets around the exchange (:func:`begin`, :func:`end`). How the reader is put between
``http.client`` and the socket is in :mod:`.internals` (the one module that reaches below
public APIs). A response read after ``send`` returned (``_preload_content=False``) sees no
deadline, and only the read timeout applies, as documented.

When the deadline cuts a read short the reader raises ``socket.timeout``, which urllib3 turns
into a ``ReadTimeoutError`` as for any read timeout, and marks the :class:`Deadline` expired so
that the client names the total limit rather than the read timeout.
"""

from __future__ import annotations

import io
import socket
import time
from contextvars import ContextVar, Token
from typing import Any

__all__ = ["Deadline", "SocketReader", "begin", "end"]


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


class SocketReader(io.RawIOBase):
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
