"""The deadline-aware response: one deadline over every socket read, and its fallback."""

from __future__ import annotations

import io
import logging
import socket
import time
from collections.abc import Iterator

import pytest

from kfp_server_api._transport import deadline as _deadline
from kfp_server_api._transport import internals

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    client, server = socket.socketpair()
    client.settimeout(5)
    with client, server:
        yield client, server


def test_a_response_is_read_as_usual_without_a_deadline(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    client, server = pair
    server.sendall(ANSWER)
    response = internals.DeadlineAwareResponse(client)
    response.begin()
    assert (response.status, response.read()) == (200, b"{}")
    assert client.gettimeout() == 5


def test_a_deadline_that_passed_stops_the_next_read_and_is_marked(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    client, server = pair
    server.sendall(ANSWER[:10])  # part of the status line: more is awaited
    deadline = _deadline.Deadline(time.monotonic() - 1)
    active = _deadline.begin(deadline)
    try:
        response = internals.DeadlineAwareResponse(client)
        with pytest.raises(socket.timeout):
            response.begin()
    finally:
        _deadline.end(active)
    assert deadline.expired is True
    assert client.gettimeout() == 5  # the pool gets the socket back with urllib3's timeout


def test_a_socket_without_recv_into_is_read_as_http_client_reads_it() -> None:
    class FileOnly:
        """Has makefile, and nothing the deadline reader needs."""

        def makefile(self, mode: str) -> io.BufferedReader:
            return io.BufferedReader(io.BytesIO(ANSWER))

    response = internals.DeadlineAwareResponse(FileOnly())
    response.begin()
    assert (response.status, response.read()) == (200, b"{}")


def test_the_reader_is_attached_to_a_real_socket(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    client, server = pair
    server.sendall(ANSWER)
    response = internals.DeadlineAwareResponse(client)
    assert response.deadline_guarded is True


def test_a_socket_it_cannot_guard_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    class FileOnly:
        def makefile(self, mode: str) -> io.BufferedReader:
            return io.BufferedReader(io.BytesIO(ANSWER))

    with caplog.at_level(logging.DEBUG, logger="kfp_server_api"):
        response = internals.DeadlineAwareResponse(FileOnly())
    assert response.deadline_guarded is False
    assert "total time limit not attached" in caplog.text
