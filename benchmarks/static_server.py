"""A minimal HTTP/1.1 server that answers every request with one fixed response.

It exists to measure client overhead: it parses nothing but the header block (and skips a body
announced by Content-Length), keeps connections alive, sets TCP_NODELAY and sends the prebuilt
response in a single ``sendall``, so the server's own cost is as small and as constant as
possible. It runs in its own process (``serve`` below) so it does not compete with the measured
client for the GIL.

Run as a script: ``python static_server.py BODY_FILE`` prints the port it listens on (loopback,
ephemeral) and serves until its standard input closes.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

_MAX_HEADER_BYTES = 65536


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


def _serve_connection(connection: socket.socket, response: bytes) -> None:
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buffer = b""
    with connection:
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(buffer) > _MAX_HEADER_BYTES:
                    return
                chunk = connection.recv(65536)
                if not chunk:
                    return
                buffer += chunk
                continue
            head, buffer = buffer[:end], buffer[end + 4 :]
            length = _content_length(head)
            while len(buffer) < length:
                chunk = connection.recv(65536)
                if not chunk:
                    return
                buffer += chunk
            buffer = buffer[length:]
            connection.sendall(response)


def _accept_forever(listener: socket.socket, response: bytes) -> None:
    while True:
        try:
            connection, _address = listener.accept()
        except OSError:
            return
        threading.Thread(target=_serve_connection, args=(connection, response), daemon=True).start()


@contextlib.contextmanager
def serve(body: bytes) -> Iterator[str]:
    """Run the static server in a child process; yields its base URL (``http://127.0.0.1:N``)."""
    with tempfile.TemporaryDirectory() as folder:
        body_file = Path(folder, "body")
        body_file.write_bytes(body)
        process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), str(body_file)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
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
