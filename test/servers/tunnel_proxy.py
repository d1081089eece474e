"""An HTTP proxy on 127.0.0.1 that opens CONNECT tunnels and records each CONNECT head.

Enough of a forward proxy to check what a client sends to one (the CONNECT line, the
``Proxy-Authorization`` header) and that TLS still works end to end through the tunnel::

    with TunnelProxy() as proxy:
        ...  # a client with proxy=proxy.url calls an HTTPS server
        assert proxy.heads[0].startswith("CONNECT 127.0.0.1:")
"""

from __future__ import annotations

import selectors
import socket
import threading
from contextlib import closing
from typing import Any, Callable

from .background import BackgroundServer

__all__ = ["TunnelProxy"]


class TunnelProxy(BackgroundServer):
    """An HTTP proxy on loopback that opens CONNECT tunnels and records each CONNECT head."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.heads: list[str] = []
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def start(self) -> TunnelProxy:
        """Accept connections in a background thread."""
        self._spawn(self._accept)
        return self

    def stop(self) -> None:
        """Close every socket and join every thread."""
        self._stopping.set()
        with self._lock:
            for sock in self._sockets:
                sock.close()
        for thread in list(self._threads):
            thread.join()
        self._listener.close()

    def _spawn(self, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except (TimeoutError, socket.timeout):
                continue
            with self._lock:
                self._sockets.append(connection)
            self._spawn(self._tunnel, connection)

    def _tunnel(self, client: socket.socket) -> None:
        client.settimeout(5)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(4096)
            if not chunk:
                return
            head += chunk
        self.heads.append(head.decode("latin-1"))
        target = head.split(b" ", 2)[1].decode("ascii")
        host, _, port = target.rpartition(":")
        upstream = socket.create_connection((host, int(port)))
        with self._lock:
            self._sockets.append(upstream)
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        with closing(selectors.DefaultSelector()) as selector:
            selector.register(client, selectors.EVENT_READ, upstream)
            selector.register(upstream, selectors.EVENT_READ, client)
            while not self._stopping.is_set():
                for key, _ in selector.select(timeout=0.05):
                    try:
                        data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                        if not data:
                            return
                        key.data.sendall(data)
                    except OSError:
                        return
