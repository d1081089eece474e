"""A minimal HTTP/1.1 server on 127.0.0.1 that answers every request with one fixed response.

It parses nothing but the header block (and skips a body announced by Content-Length), keeps
connections alive, sets TCP_NODELAY and sends the prebuilt response in a single ``sendall``, so
its own cost is as small and as constant as possible. Two ways to run it:

- In this process, to see what a client does with its connections::

      with StaticServer(b"{}") as server:
          ...  # two calls of one client to server.url
          assert (server.connections, server.requests) == (1, 2)
          ...  # the client closes
          assert server.closed.wait(timeout=10)

- In a child process, so that it does not compete with a measured client for the GIL
  (the call benchmark): ``with serve(body) as url: ...``. Run from test/ as
  ``python -m servers.static BODY_FILE``, it prints the port it listens on and serves until its
  standard input closes.

It imports only the standard library, so the benchmarks can run it under any interpreter.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Callable

from .background import BackgroundServer

__all__ = ["StaticServer", "response_bytes", "serve"]

_MAX_HEADER_BYTES = 65536
# test/, the folder holding the servers package, for the child process of `serve`.
_TEST_DIR = Path(__file__).resolve().parent.parent


def response_bytes(body: bytes, content_type: str = "application/json") -> bytes:
    """The whole HTTP response sent for every request."""
    head = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode("ascii") + body


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def _serve_connection(
    connection: socket.socket, response: bytes, on_request: Callable[[], None] = lambda: None
) -> bool:
    """Answer every request of ``connection``; True when the client closed it."""
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buffer = b""
    with connection:
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(buffer) > _MAX_HEADER_BYTES:
                    return False
                try:
                    chunk = connection.recv(65536)
                except OSError:  # shut down by stop()
                    return False
                if not chunk:
                    return True
                buffer += chunk
                continue
            head, buffer = buffer[:end], buffer[end + 4 :]
            length = _content_length(head)
            while len(buffer) < length:
                chunk = connection.recv(65536)
                if not chunk:
                    return True
                buffer += chunk
            buffer = buffer[length:]
            on_request()
            connection.sendall(response)


def _accept_forever(listener: socket.socket, response: bytes) -> None:
    while True:
        try:
            connection, _address = listener.accept()
        except OSError:
            return
        threading.Thread(target=_serve_connection, args=(connection, response), daemon=True).start()


class StaticServer(BackgroundServer):
    """The static server in background threads of this process, counting what it serves.

    Attributes:
        connections: connections accepted so far.
        requests: requests answered so far.
        closed: set when a client closes a connection.
    """

    def __init__(self, body: bytes = b"{}", content_type: str = "application/json") -> None:
        self._response = response_bytes(body, content_type)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self.connections = 0
        self.requests = 0
        self.closed = threading.Event()

    @property
    def url(self) -> str:
        """Base URL of the server, e.g. ``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def start(self) -> StaticServer:
        """Accept connections in a background thread."""
        self._acceptor.start()
        return self

    def stop(self) -> None:
        """Close every connection, stop accepting and join every thread."""
        self._stopping.set()
        with contextlib.suppress(OSError), socket.create_connection(self._listener.getsockname()):
            pass  # wakes the accept() still waiting
        self._acceptor.join()  # from here on, no connection or thread is added
        with self._lock:
            connections, threads = list(self._open), list(self._threads)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by the client
                connection.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join()
        self._listener.close()

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _accept(self) -> None:
        while True:
            connection, _address = self._listener.accept()
            if self._stopping.is_set():
                connection.close()
                return
            with self._lock:
                self._open.append(connection)
                self.connections += 1
            self._spawn(self._serve, connection)

    def _count_request(self) -> None:
        with self._lock:
            self.requests += 1

    def _serve(self, connection: socket.socket) -> None:
        if _serve_connection(connection, self._response, self._count_request):
            self.closed.set()


@contextlib.contextmanager
def serve(body: bytes) -> Iterator[str]:
    """Run the static server in a child process; yields its base URL (``http://127.0.0.1:N``)."""
    with tempfile.TemporaryDirectory() as folder:
        body_file = Path(folder, "body")
        body_file.write_bytes(body)
        search_path = [str(_TEST_DIR), *filter(None, [os.environ.get("PYTHONPATH")])]
        process = subprocess.Popen(
            [sys.executable, "-m", "servers.static", str(body_file)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(search_path)},
        )
        try:
            assert process.stdout is not None
            port = int(process.stdout.readline())
            yield f"http://127.0.0.1:{port}"
        finally:
            assert process.stdin is not None
            process.stdin.close()  # the child exits when its stdin closes
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            assert process.stdout is not None
            process.stdout.close()


def main(argv: list[str]) -> int:
    response = response_bytes(Path(argv[0]).read_bytes())
    listener = socket.create_server(("127.0.0.1", 0))
    threading.Thread(target=_accept_forever, args=(listener, response), daemon=True).start()
    sys.stdout.write(f"{listener.getsockname()[1]}\n")
    sys.stdout.flush()
    sys.stdin.read()  # returns when the parent closes our stdin (or dies)
    listener.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
