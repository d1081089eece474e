"""Connection management of the emulator's server: the accept loop, a cap, idle time, stop.

- One thread serves each connection. At most ``max_connections`` are open at once
  (``DEFAULT_MAX_CONNECTIONS``). At the cap the loop stops accepting: new connections wait in
  the kernel's listen queue, as with Go's ``netutil.LimitListener`` or Apache's
  ``MaxRequestWorkers``, and are served as soon as a slot frees. To free one at once, the
  connection idle for longest between requests is closed, as nginx reuses its idle keep-alive
  connections; HTTP clients reopen a keep-alive connection the server closed (RFC 9112
  section 9.3.1). Only a connection waiting for its next request is closed for this, and
  only while nothing has arrived on it: a connection thread reads nothing while its connection
  is marked idle (``wait_for_request`` waits for bytes without taking them), so bytes already
  received are always in the kernel's buffer, where the loop looks, and never hidden in a
  reader's buffer.
- A connection that sends nothing for ``idle_timeout`` seconds (``DEFAULT_IDLE_TIMEOUT_SECONDS``),
  between requests or within one, is closed.
- Out of file descriptors (``EMFILE``, ``ENFILE``), ``accept`` fails while the listening
  socket stays readable; retrying at once would spin at full CPU. The loop closes the longest
  idle connection instead and waits until a connection ends (at most half a second, since the
  descriptors may be held elsewhere in the process), then accepts again. The pending
  connection waits in the queue meanwhile.
- ``shutdown`` wakes the loop at once through a socket pair (no poll interval), and
  ``close_connections`` shuts every connection down, which wakes the threads blocked reading
  them, and joins the threads. So starting and stopping a server costs a few milliseconds.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import math
import select
import selectors
import socket
import socketserver
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DEFAULT_IDLE_TIMEOUT_SECONDS",
    "DEFAULT_MAX_CONNECTIONS",
    "ConnectionServer",
    "check_limits",
]

logger = logging.getLogger("kfp_server_api.emulator")

DEFAULT_MAX_CONNECTIONS = 512
"""Most connections served at once (nginx's default ``worker_connections``)."""

DEFAULT_IDLE_TIMEOUT_SECONDS = 30.0
"""A connection that sends nothing for this long is closed."""

_OUT_OF_DESCRIPTORS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
_RETRY_SECONDS = 0.5


def check_limits(max_connections: int, idle_timeout: float) -> None:
    """Raise ``ValueError`` unless the cap is a positive int and the timeout positive, finite."""
    if isinstance(max_connections, bool) or not isinstance(max_connections, int):
        raise ValueError(f"max_connections must be an int, not {max_connections!r}")
    if max_connections < 1:
        raise ValueError(f"max_connections must be >= 1, not {max_connections}")
    if not (isinstance(idle_timeout, (int, float)) and 0 < idle_timeout < math.inf):
        raise ValueError(f"idle_timeout must be a positive number of seconds, not {idle_timeout!r}")


@dataclass
class _Connection:
    socket: socket.socket
    idle_since: float | None  # None while a request is being served
    closing: bool = False


class ConnectionServer(socketserver.TCPServer):
    """A TCP server with a thread per connection, a connection cap and a prompt stop.

    Subclasses implement ``serve_connection``; the request handler calls ``set_idle`` around
    its wait for the next request, and ``replace_socket`` when it wraps the socket (TLS).
    """

    # The stdlib default backlog of 5 makes a burst of simultaneous connects fail with resets.
    request_queue_size = 1024
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        handler: Callable[..., socketserver.BaseRequestHandler],
        *,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT_SECONDS,
    ) -> None:
        check_limits(max_connections, idle_timeout)
        self.max_connections = max_connections
        self.idle_timeout = float(idle_timeout)
        self._changed = threading.Condition()
        self._open: dict[threading.Thread, _Connection] = {}
        self._stopping = False
        self._starved = False
        self._stopped = threading.Event()
        self._stopped.set()
        self._wake_reader, self._wake_writer = socket.socketpair()
        try:
            super().__init__(address, handler)
        except BaseException:
            self._close_wake()
            raise

    def serve_connection(self, connection: socket.socket, client_address: Any) -> None:
        """Serve one accepted connection until it ends (called in its own thread)."""
        raise NotImplementedError

    # -- the accept loop ---------------------------------------------------------------------

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Accept and serve until ``shutdown``; ``poll_interval`` is unused (kept for the API)."""
        self._stopped.clear()
        self.socket.setblocking(False)
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self.socket, selectors.EVENT_READ)
                selector.register(self._wake_reader, selectors.EVENT_READ)
                while not self._stopping:
                    ready = {key.fileobj for key, _ in selector.select()}
                    if self._wake_reader in ready or self._stopping:
                        break
                    if self._make_room():
                        self._accept()
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop the loop of ``serve_forever`` and wait for it to return."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"\0")
        self._stopped.wait()

    def server_close(self) -> None:
        """Close the listening socket (the open connections stay: see ``close_connections``)."""
        super().server_close()
        self._close_wake()

    def _close_wake(self) -> None:
        self._wake_reader.close()
        self._wake_writer.close()

    def _make_room(self) -> bool:
        """With a connection waiting to be accepted: wait below the cap, closing the longest
        idle connection meanwhile; False once stopping."""
        with self._changed:
            while len(self._open) >= self.max_connections and not self._stopping:
                self._close_longest_idle()
                self._changed.wait()
            return not self._stopping

    def _accept(self) -> None:
        try:
            connection, client_address = self.socket.accept()
        except BlockingIOError:
            return  # the client gave up between select and accept
        except OSError as exc:
            if exc.errno not in _OUT_OF_DESCRIPTORS:
                logger.debug("accept failed: %s", exc)
                return
            if not self._starved:  # once per episode, not at every retry
                logger.warning(
                    "out of file descriptors with %d connections open; new connections "
                    "wait until one ends",
                    len(self._open),
                )
                self._starved = True
            with self._changed:
                self._close_longest_idle()
                if not self._stopping:
                    # Woken when a connection ends; the pause bounds the wait when the
                    # descriptors are held elsewhere in the process.
                    self._changed.wait(_RETRY_SECONDS)
            return
        self._starved = False
        self.process_request(connection, client_address)

    def _close_longest_idle(self) -> bool:
        """Shut down the connection idle for longest (the lock held); whether one is closing."""
        if any(entry.closing for entry in self._open.values()):
            return True  # one is already on its way out
        idle = sorted(
            (entry for entry in self._open.values() if entry.idle_since is not None),
            key=lambda entry: entry.idle_since or 0.0,
        )
        for entry in idle:
            # Bytes already received are a request on its way: that connection is not idle.
            if not _has_pending_bytes(entry.socket):
                entry.closing = True
                _shut_down(entry.socket)
                return True
        return False

    # -- one thread per connection -------------------------------------------------------------

    def process_request(self, request: Any, client_address: Any) -> None:
        worker = threading.Thread(
            target=self._serve,
            args=(request, client_address),
            name=f"kfp-emulator-connection-{client_address}",
            daemon=True,
        )
        with self._changed:
            self._open[worker] = _Connection(request, time.monotonic())
        try:
            worker.start()
        except RuntimeError:  # no thread can be started: refuse this connection
            with self._changed:
                del self._open[worker]
            _close(request)

    def _serve(self, connection: socket.socket, client_address: Any) -> None:
        try:
            self.serve_connection(connection, client_address)
        except Exception as exc:
            logger.debug("connection from %s failed: %s", client_address, exc)
        finally:
            with self._changed:
                entry = self._open.pop(threading.current_thread(), None)
                self._changed.notify_all()
            _close(connection)
            if entry is not None and entry.socket is not connection:
                _close(entry.socket)

    def set_idle(self, idle: bool) -> None:
        """Mark the calling thread's connection as waiting for a request, or serving one."""
        with self._changed:
            entry = self._open.get(threading.current_thread())
            if entry is not None:
                entry.idle_since = time.monotonic() if idle else None
                if idle:
                    self._changed.notify_all()  # a loop waiting at the cap can close it

    def wait_for_request(self, connection: socket.socket) -> bool:
        """Wait, marked idle, until ``connection`` has bytes (or its end) to read; then mark it
        busy. False if it was closed to make room meanwhile, or sent nothing for
        ``idle_timeout`` seconds.

        Nothing is read while idle: the marking as busy and the loop's choice of a connection
        to close happen under one lock, and the loop sees the bytes in the kernel's buffer.
        """
        self.set_idle(True)
        readable = _wait_readable(connection, self.idle_timeout)
        with self._changed:
            entry = self._open.get(threading.current_thread())
            if entry is None:
                return readable
            entry.idle_since = None
            return readable and not entry.closing

    def is_busy(self) -> bool:
        """Whether the calling thread's connection is marked as serving a request."""
        with self._changed:
            entry = self._open.get(threading.current_thread())
            return entry is not None and entry.idle_since is None

    def replace_socket(self, wrapped: socket.socket) -> None:
        """Track ``wrapped`` (e.g. the TLS socket) for the calling thread's connection."""
        with self._changed:
            entry = self._open.get(threading.current_thread())
            if entry is not None:
                entry.socket = wrapped

    @property
    def open_connections(self) -> int:
        """How many connections are being served now."""
        with self._changed:
            return len(self._open)

    def close_connections(self, timeout: float = 5.0) -> None:
        """Close every open connection and wait for the threads serving them."""
        with self._changed:
            entries = list(self._open.items())
        for _, entry in entries:
            _shut_down(entry.socket)
        deadline = time.monotonic() + timeout
        for worker, _ in entries:
            worker.join(max(0.0, deadline - time.monotonic()))


def _has_pending_bytes(connection: socket.socket) -> bool:
    """Whether the kernel holds bytes (or the end) from the client, without waiting.

    ``poll`` needs no descriptor of its own, which matters when they have run out. A socket
    closing already counts as having bytes: its thread ends it.
    """
    return _wait_readable(connection, 0.0)


def _wait_readable(connection: socket.socket, timeout: float) -> bool:
    """Whether ``connection`` became readable (bytes or the end) within ``timeout`` seconds."""
    try:
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(connection, select.POLLIN)
            return bool(poller.poll(math.ceil(timeout * 1000)))
        return bool(select.select([connection], [], [], timeout)[0])
    except (OSError, ValueError):
        return True  # closed meanwhile: the read that follows ends the connection


def _shut_down(connection: socket.socket) -> None:
    # The base-class shutdown wakes a thread blocked reading, TLS or not, without the TLS
    # close exchange that SSLSocket.shutdown would attempt.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(connection, socket.SHUT_RDWR)


def _close(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):
        connection.close()
