"""Connections: the cap, idle time, running out of file descriptors, and a prompt stop."""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from emulator_http import RUNS, Client

from kfp_server_api.emulator import Emulator, Lifecycle

HEALTHZ = b"GET /apis/v1beta1/healthz HTTP/1.1\r\nHost: x\r\n\r\n"
# A request whose body never comes: its connection is busy, not idle.
UNFINISHED = f"POST {RUNS} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n".encode()


def connect(url: str, stack: ExitStack, timeout: float = 10) -> socket.socket:
    host, _, port = url.partition("://")[2].rpartition(":")
    return stack.enter_context(socket.create_connection((host, int(port)), timeout=timeout))


def closed_by_server(sock: socket.socket) -> bool:
    """Whether the server closed ``sock`` (end of stream or reset)."""
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def still_serves(sock: socket.socket) -> bool:
    """Whether a request on ``sock`` is answered (False: the server had closed it)."""
    try:
        sock.sendall(HEALTHZ)
        return answer(sock).startswith(b"HTTP/1.1 200 ")
    except (BrokenPipeError, ConnectionResetError):
        return False


def answer(sock: socket.socket) -> bytes:
    """One response, read until its body is complete or the server closes."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(head.lower().partition(b"content-length: ")[2].split(b"\r\n")[0] or 0)
    while len(body) < length:
        body += sock.recv(65536)
    return data


def test_at_the_cap_the_longest_idle_connection_makes_room() -> None:
    with Emulator(max_connections=3) as emulator, ExitStack() as stack:
        idle = [connect(emulator.url, stack) for _ in range(3)]
        for sock in idle:
            sock.sendall(HEALTHZ)
            assert answer(sock).startswith(b"HTTP/1.1 200 ")
        newcomer = connect(emulator.url, stack)
        newcomer.sendall(HEALTHZ)
        assert answer(newcomer).startswith(b"HTTP/1.1 200 ")
        # Which one idled longest is the server's view (its threads may lag under load): one
        # was closed, the others stay usable.
        assert sorted(still_serves(sock) for sock in idle) == [False, True, True]


def test_at_the_cap_busy_connections_are_kept_and_newcomers_wait() -> None:
    with Emulator(max_connections=2) as emulator, ExitStack() as stack:
        busy = [connect(emulator.url, stack) for _ in range(2)]
        for sock in busy:
            sock.sendall(UNFINISHED)
        newcomer = connect(emulator.url, stack)
        newcomer.sendall(HEALTHZ)
        busy[0].sendall(b"{}")  # one request completes; its connection stays open
        assert answer(busy[0]).startswith(b"HTTP/1.1 400 ")
        busy[0].close()  # now a slot is free
        assert answer(newcomer).startswith(b"HTTP/1.1 200 ")
        busy[1].sendall(b"{}")
        assert answer(busy[1]).startswith(b"HTTP/1.1 400 "), "a busy connection was closed"


def test_at_the_cap_a_pipelined_request_keeps_its_connection() -> None:
    with Emulator(max_connections=1) as emulator, ExitStack() as stack:
        pipelined = connect(emulator.url, stack)
        pipelined.sendall(HEALTHZ + UNFINISHED)  # the second request waits in the server's buffer
        assert answer(pipelined).startswith(b"HTTP/1.1 200 ")
        newcomer = connect(emulator.url, stack)
        newcomer.sendall(HEALTHZ)
        pipelined.sendall(b"{}")
        assert answer(pipelined).startswith(b"HTTP/1.1 400 "), "a busy connection was closed"
        pipelined.close()
        assert answer(newcomer).startswith(b"HTTP/1.1 200 ")


def test_an_idle_connection_is_closed_after_the_idle_timeout() -> None:
    with Emulator(idle_timeout=0.05) as emulator, ExitStack() as stack:
        sock = connect(emulator.url, stack)
        sock.sendall(HEALTHZ)
        assert answer(sock).startswith(b"HTTP/1.1 200 ")
        assert closed_by_server(sock)  # closed by the server long before this socket's 10 s


@pytest.mark.parametrize(
    ("keyword", "value"),
    [
        ("max_connections", 0),
        ("max_connections", 1.5),
        ("max_connections", True),
        ("idle_timeout", 0),
        ("idle_timeout", -1.0),
        ("idle_timeout", math.inf),
        ("idle_timeout", math.nan),
    ],
)
def test_limits_are_checked(keyword: str, value: object) -> None:
    with pytest.raises(ValueError, match=keyword):
        Emulator(**{keyword: value})  # type: ignore[arg-type]


# -- out of file descriptors ----------------------------------------------------------------

DESCRIPTOR_LIMIT = 48
STARVED = textwrap.dedent(
    f"""
    import resource, sys
    from kfp_server_api.emulator import Emulator
    resource.setrlimit(resource.RLIMIT_NOFILE, ({DESCRIPTOR_LIMIT}, {DESCRIPTOR_LIMIT}))
    with Emulator(max_connections=10_000, idle_timeout=60) as emulator:
        print(emulator.url, flush=True)
        sys.stdin.read()
    """
)


@pytest.fixture
def starved() -> Iterator[tuple[str, int]]:
    """An emulator in a process allowed only a few file descriptors: its URL and pid."""
    process = subprocess.Popen(
        [sys.executable, "-c", STARVED],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert process.stdout is not None
    try:
        yield process.stdout.readline().strip(), process.pid
    finally:
        _, errors = process.communicate(timeout=30)  # closing stdin ends it
    assert "Traceback" not in errors, errors


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs /proc")
def test_out_of_descriptors_with_busy_connections_waits_without_spinning(
    starved: tuple[str, int],
) -> None:
    url, pid = starved
    with ExitStack() as stack:
        # Each request starts before the next connection is made: when the server runs out
        # of descriptors (on accepting a later one), every connection it holds is busy.
        busy = []
        for _ in range(DESCRIPTOR_LIMIT + 10):
            busy.append(connect(url, stack))
            busy[-1].sendall(UNFINISHED)
        waiting = connect(url, stack, timeout=1.0)
        waiting.sendall(HEALTHZ)
        # No descriptor is free and no connection idle: nothing can be answered yet. The
        # process must sleep meanwhile; a loop retrying accept() burns a whole CPU second.
        before = cpu_seconds(pid)
        with pytest.raises(socket.timeout):
            waiting.recv(1)
        assert cpu_seconds(pid) - before < 0.2
        waiting.settimeout(10)
        for sock in busy:  # each answer frees a descriptor for a waiting connection
            sock.sendall(b"{}")
            assert answer(sock).startswith(b"HTTP/1.1 400 ")
            sock.close()
        assert answer(waiting).startswith(b"HTTP/1.1 200 ")


def test_out_of_descriptors_idle_connections_make_room(starved: tuple[str, int]) -> None:
    url, _ = starved
    with ExitStack() as stack:
        idle = [connect(url, stack) for _ in range(DESCRIPTOR_LIMIT + 10)]
        newcomer = connect(url, stack)
        newcomer.sendall(HEALTHZ)
        assert answer(newcomer).startswith(b"HTTP/1.1 200 ")
        assert closed_by_server(idle[0])


# -- stop ----------------------------------------------------------------------------------


def connection_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("kfp-emulator-connection")]


def test_stop_with_an_idle_keep_alive_client_closes_everything() -> None:
    emulator = Emulator(lifecycle=Lifecycle.manual()).start()
    url = emulator.url
    with ExitStack() as stack:
        idle = connect(url, stack)
        idle.sendall(HEALTHZ)
        assert answer(idle).startswith(b"HTTP/1.1 200 ")
        busy = connect(url, stack)
        busy.sendall(UNFINISHED)
        emulator.stop()
        assert connection_threads() == []
        assert closed_by_server(idle)
        assert closed_by_server(busy)
        with pytest.raises(ConnectionRefusedError):
            connect(url, stack)
    emulator.start()  # and it serves again
    client = Client(emulator.url)
    assert client.get(RUNS).status == 200
    client.close()
    emulator.close()
