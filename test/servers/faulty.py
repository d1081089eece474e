"""A raw-socket HTTP/1.1 server on 127.0.0.1 that answers with a script of socket actions.

It produces the faults an ordinary HTTP server cannot: a reset (RST) before or during the
response, headers that never end, a body that trickles, a Content-Length longer than the body, a
chunked body, bytes that are not HTTP at all::

    with FaultyServer(Send(head(200, length=100)), Send(b'{"run":'), Reset()) as server:
        ...  # point a client at server.url
        assert server.request_count == 1

Each request a connection carries (head read, body read by Content-Length) runs the whole
script. A script that ends without ``Close`` or ``Reset`` keeps the connection for the next
request. ``Pause`` ends early when the client hangs up or the server stops, so neither a client
that gives up nor ``stop()`` ever waits for a timer. ``stop()`` wakes every connection and joins
every thread it started.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Union

from .background import BackgroundServer

__all__ = ["Close", "FaultyServer", "Pause", "Reset", "Send", "Step", "chunked", "head", "respond"]


@dataclass(frozen=True)
class Send:
    """Write these bytes."""

    data: bytes


@dataclass(frozen=True)
class Pause:
    """Wait ``seconds`` (``None``: until the client hangs up or the server stops)."""

    seconds: float | None = None


@dataclass(frozen=True)
class Close:
    """Close the connection normally (FIN)."""


@dataclass(frozen=True)
class Reset:
    """Abort the connection: the client sees a reset (RST), not an orderly close."""


Step = Union[Send, Pause, Close, Reset]


def head(
    status: int = 200,
    headers: Iterable[tuple[str, str]] = (("Content-Type", "application/json"),),
    *,
    length: int | None = None,
    is_chunked: bool = False,
) -> bytes:
    """A response head; ``length`` adds Content-Length, ``is_chunked`` Transfer-Encoding."""
    reason = HTTPStatus(status).phrase
    lines = [f"HTTP/1.1 {status} {reason}", *(f"{name}: {value}" for name, value in headers)]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    if is_chunked:
        lines.append("Transfer-Encoding: chunked")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def respond(
    status: int,
    body: bytes,
    headers: Iterable[tuple[str, str]] = (("Content-Type", "application/json"),),
) -> Send:
    """A complete, well-formed response with a correct Content-Length."""
    return Send(head(status, headers, length=len(body)) + body)


def chunked(*pieces: bytes) -> bytes:
    """``pieces`` in chunked transfer coding, with the final empty chunk."""
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


class _ClientGone(Exception):
    """The client closed or reset the connection, or the server is stopping."""


class FaultyServer(BackgroundServer):
    """Serves ``script`` for every request, on an ephemeral loopback port, from threads.

    Attributes:
        script: the steps run for each request.
        request_heads: the head of every request received, in order (raw bytes).
    """

    def __init__(self, *script: Step) -> None:
        self.script = script
        self.request_heads: list[bytes] = []
        self._listener: socket.socket | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._acceptor: threading.Thread | None = None
        self._accepted = 0

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FaultyServer:
        """Listen and accept connections in a background thread."""
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._acceptor = threading.Thread(
            target=self._accept_loop, name="faulty-server-accept", daemon=True
        )
        self._acceptor.start()
        return self

    def stop(self) -> None:
        """Wake every connection, stop accepting and join every thread."""
        listener = self._listener
        if listener is None:
            return
        self._stopping.set()
        # A connection of our own wakes the blocked accept(); it sees the flag and returns.
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
            pass
        if self._acceptor is not None:
            self._acceptor.join()  # from here on, no connection or thread is added
        with self._lock:
            connections = list(self._connections)
            threads = list(self._threads)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join()
        listener.close()
        self._listener = self._acceptor = None

    @property
    def port(self) -> int:
        """The port the server listens on."""
        if self._listener is None:
            raise RuntimeError("the server is not running")
        return int(self._listener.getsockname()[1])

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def request_count(self) -> int:
        """How many requests arrived (each one an attempt of the client)."""
        with self._lock:
            return len(self.request_heads)

    @property
    def connection_count(self) -> int:
        """How many connections clients opened."""
        with self._lock:
            return self._accepted

    # -- serving ---------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            if self._stopping.is_set():
                connection.close()
                return
            thread = threading.Thread(
                target=self._serve, args=(connection,), name="faulty-server-connection", daemon=True
            )
            with self._lock:
                self._connections.add(connection)
                self._threads.append(thread)
                self._accepted += 1
            thread.start()

    def _serve(self, connection: socket.socket) -> None:
        buffer = b""
        try:
            while not self._stopping.is_set():
                request_head, buffer = _read_request(connection, buffer)
                with self._lock:
                    self.request_heads.append(request_head)
                if not self._run_script(connection):
                    return
        except _ClientGone:
            pass
        finally:
            with self._lock:
                self._connections.discard(connection)
            connection.close()

    def _run_script(self, connection: socket.socket) -> bool:
        """Run the script once; False when it ended the connection."""
        for step in self.script:
            if isinstance(step, Send):
                try:
                    connection.sendall(step.data)
                except OSError:
                    raise _ClientGone from None
            elif isinstance(step, Pause):
                _pause(connection, step.seconds)
            elif isinstance(step, Reset):
                # Linger on, with a zero timeout: close() discards the connection with an RST.
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return False
            else:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_WR)
                return False
        return True


def _read_request(connection: socket.socket, buffer: bytes) -> tuple[bytes, bytes]:
    """One request (head, and body by Content-Length) from ``buffer`` plus what arrives."""
    while b"\r\n\r\n" not in buffer:
        buffer += _receive(connection)
    request_head, _, buffer = buffer.partition(b"\r\n\r\n")
    length = 0
    for line in request_head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(buffer) < length:
        buffer += _receive(connection)
    return request_head, buffer[length:]


def _receive(connection: socket.socket) -> bytes:
    try:
        data = connection.recv(65536)
    except OSError:
        raise _ClientGone from None
    if not data:
        raise _ClientGone
    return data


def _pause(connection: socket.socket, seconds: float | None) -> None:
    """Wait ``seconds``, or until the client hangs up (or the server shuts the socket)."""
    connection.settimeout(seconds)
    try:
        while connection.recv(65536):  # a client still sending is no reason to stop waiting
            pass
        raise _ClientGone
    except socket.timeout:  # the time is up (before OSError: it is one of them)
        return
    except OSError:
        raise _ClientGone from None
    finally:
        with contextlib.suppress(OSError):
            connection.settimeout(None)
