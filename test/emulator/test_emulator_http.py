"""The HTTP layer: routing, auth, body limits, malformed requests, keep-alive, TLS, shutdown."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from emulator_http import API, RUNS, Client, create_run, kfp_error, raw_exchange, run_body

from kfp_server_api.emulator import Emulator, Lifecycle, ManualClock


@pytest.mark.parametrize(
    ("method", "path", "status", "body"),
    [
        ("GET", f"{API}/nothing", 404, b"Not Found\n"),
        ("GET", f"{RUNS}/x/y", 404, b"Not Found\n"),
        ("GET", f"{RUNS}/x:archive", 404, None),  # get_run("x:archive"): a KFP 404
        ("GET", f"{RUNS}/:archive", 404, b"Not Found\n"),
        ("GET", "/index.html", 404, b"404 page not found\n"),  # "/" is the web page
        ("GET", "/pipeline/", 404, b"404 page not found\n"),
        ("PUT", RUNS, 405, b"Method Not Allowed\n"),
        ("DELETE", RUNS, 405, b"Method Not Allowed\n"),
        ("POST", f"{RUNS}/x", 405, b"Method Not Allowed\n"),
        ("GET", f"{RUNS}/x:unarchive", 404, None),
        ("PATCH", f"{RUNS}/x/retry", 405, b"Method Not Allowed\n"),
        ("GET", f"{RUNS}/x/terminate", 405, b"Method Not Allowed\n"),
        ("OPTIONS", f"{RUNS}/x", 405, b"Method Not Allowed\n"),
        ("BREW", RUNS, 405, b"Method Not Allowed\n"),
        ("GET", f"{RUNS}/a%2Fb", 404, b"Not Found\n"),
    ],
)
def test_routing_errors(client: Client, method: str, path: str, status: int, body: bytes) -> None:
    reply = client.request(method, path)
    assert reply.status == status
    if body is not None:
        assert reply.body == body
        assert reply.headers["Content-Type"] == "text/plain; charset=utf-8"
    else:
        assert reply.json["code"] == 5


def test_unclean_paths_are_redirected(client: Client) -> None:
    reply = client.request("GET", f"{RUNS}/../runs?page_size=1")
    assert (reply.status, reply.headers["Location"]) == (301, f"{RUNS}?page_size=1")
    reply = client.request("GET", f"{API}//runs")
    assert (reply.status, reply.headers["Location"]) == (301, RUNS)


def test_head_gets_headers_only(client: Client) -> None:
    reply = client.request("HEAD", RUNS)
    assert (reply.status, reply.body) == (405, b"")
    assert client.get(RUNS).status == 200  # the connection is still in sync


def test_healthz(client: Client) -> None:
    reply = client.get(f"{API}/healthz")
    assert reply.status == 200
    assert reply.json["tag_name"] == "1.8.5"


def test_many_requests_share_one_connection(client: Client) -> None:
    for _ in range(50):
        assert client.get(RUNS).status == 200
    assert len(client.connections) == 1


def test_each_response_is_a_single_send(emulator: Emulator) -> None:
    request = f"GET {RUNS} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
    first_read = raw_exchange(emulator.url, request, read_all=False)
    assert first_read.startswith(b"HTTP/1.1 200 OK\r\n")
    assert first_read.endswith(b"\r\n\r\n{}")
    assert b"Content-Length: 2\r\n" in first_read


@pytest.fixture
def guarded(clock: ManualClock) -> Iterator[Emulator]:
    with Emulator(clock=clock, token="s3cret", lifecycle=Lifecycle.manual()) as server:
        yield server


UNAUTHENTICATED = kfp_error(
    "Unauthenticated: Request is not authenticated: this emulator requires the header "
    "'Authorization: Bearer <token>'",
    16,
    "Request is not authenticated",
)


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", RUNS), ("POST", RUNS), ("GET", f"{RUNS}/x"), ("GET", "/nothing"), ("PUT", RUNS)],
)
@pytest.mark.parametrize(
    "header", [None, "Bearer wrong", "s3cret", "Basic s3cret", "Bearer  s3cret"]
)
def test_token_is_required_everywhere(
    guarded: Emulator, method: str, path: str, header: str | None
) -> None:
    client = Client(guarded.url)
    headers = {} if header is None else {"Authorization": header}
    reply = client.request(method, path, body=run_body(), headers=headers)
    assert (reply.status, reply.json) == (401, UNAUTHENTICATED)
    assert reply.headers["WWW-Authenticate"].startswith("Bearer")
    assert guarded.run_count() == 0
    # The body was read, so the connection stays usable.
    assert client.request("GET", RUNS, headers={"Authorization": "Bearer s3cret"}).status == 200
    assert len(client.connections) == 1
    client.close()


def test_token_accepted(guarded: Emulator) -> None:
    client = Client(guarded.url, token="s3cret")
    create_run(client)
    assert client.get(RUNS).json["total_size"] == 1
    client.close()


@pytest.fixture
def small(clock: ManualClock) -> Iterator[Emulator]:
    with Emulator(clock=clock, max_body_bytes=1000, lifecycle=Lifecycle.manual()) as server:
        yield server


def test_body_above_the_limit_is_refused_and_the_connection_closed(small: Emulator) -> None:
    client = Client(small.url)
    reply = client.request("POST", RUNS, body=b"x" * 1001)
    assert (reply.status, reply.json) == (
        413,
        kfp_error("a request body of 1001 bytes exceeds the limit of 1000 bytes", 8, None),
    )
    assert reply.headers["Connection"] == "close"
    assert client.request("POST", RUNS, body=run_body()).status == 200  # on a new connection
    assert small.run_count() == 1
    client.close()


def test_huge_declared_body_is_refused_without_reading_it(small: Emulator) -> None:
    # The client claims 10 GB and sends only the headers: the answer comes at once.
    request = f"POST {RUNS} HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000000\r\n\r\n".encode()
    response = raw_exchange(small.url, request)
    assert response.startswith(b"HTTP/1.1 413 Request Entity Too Large\r\n")
    assert b"Connection: close" in response


def test_body_sent_after_the_refusal_does_not_hide_the_answer(small: Emulator) -> None:
    body = b"y" * 200_000
    request = f"POST {RUNS} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    response = raw_exchange(small.url, request + body)
    assert response.startswith(b"HTTP/1.1 413 ")


def test_expect_continue_is_refused_before_the_body(small: Emulator) -> None:
    request = (
        f"POST {RUNS} HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n"
    ).encode()
    response = raw_exchange(small.url, request)
    assert response.startswith(b"HTTP/1.1 413 ")
    assert b"100 Continue" not in response


def test_expect_continue_within_the_limit(emulator: Emulator) -> None:
    body = b'{"name": "r"}'
    request = (
        f"POST {RUNS} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n"
        "Expect: 100-continue\r\nConnection: close\r\n\r\n"
    ).encode()
    response = raw_exchange(emulator.url, request + body)
    assert response.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 Bad Request\r\n")


def chunked(*parts: bytes) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in parts) + b"0\r\n\r\n"


def test_chunked_request_body(emulator: Emulator) -> None:
    body = json.dumps(run_body()).encode()
    request = (
        f"POST {RUNS} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    response = raw_exchange(emulator.url, request + chunked(body[:10], body[10:]))
    assert response.startswith(b"HTTP/1.1 200 OK\r\n")
    assert emulator.run_count() == 1


def test_chunked_body_above_the_limit(small: Emulator) -> None:
    request = f"POST {RUNS} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
    response = raw_exchange(small.url, request + chunked(b"z" * 600, b"z" * 600))
    assert response.startswith(b"HTTP/1.1 413 ")
    assert b"a request body exceeds the limit of 1000 bytes" in response


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /apis/v1beta1/runs HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n", 400),
        (
            b"GET /apis/v1beta1/runs HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            400,
        ),
        (b"POST /apis/v1beta1/runs HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
        (b"POST /apis/v1beta1/runs HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        (b"GET /apis/v1beta1/runs/%zz HTTP/1.1\r\n\r\n", 400),
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET /apis/v1beta1/runs HTTP/2.0\r\n\r\n", 505),
        (b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", 414),
        (b"GET / HTTP/1.1\r\n" + b"X-A: b\r\n" * 200 + b"\r\n", 431),
    ],
)
def test_malformed_requests_get_plain_errors(
    emulator: Emulator, request_bytes: bytes, status: int
) -> None:
    response = raw_exchange(emulator.url, request_bytes)
    assert response.startswith(f"HTTP/1.1 {status} ".encode())
    assert b"Traceback" not in response


def test_non_utf8_path_and_query(client: Client) -> None:
    reply = client.request("GET", f"{RUNS}/%FF%FE")
    assert (reply.status, reply.json["details"][0]["error_message"]) == (
        404,
        "Run \ufffd\ufffd not found.",
    )
    reply = client.request("GET", f"{RUNS}?sort_by=%FF")
    assert reply.status == 400
    assert reply.json["details"][0]["error_message"].startswith("Invalid sorting field")


def test_client_that_disconnects_mid_body_leaves_no_trace(emulator: Emulator) -> None:
    request = f"POST {RUNS} HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{{".encode()
    assert raw_exchange(emulator.url, request, hang_up=True) == b""
    assert emulator.run_count() == 0


def test_stop_closes_idle_keep_alive_connections(clock: ManualClock) -> None:
    server = Emulator(clock=clock).start()
    client = Client(server.url)
    assert client.get(RUNS).status == 200
    baseline = threading.active_count()
    server.close()
    assert threading.active_count() < baseline
    client.close()


def test_restart_on_the_same_emulator_keeps_state(clock: ManualClock) -> None:
    server = Emulator(clock=clock).start()
    try:
        client = Client(server.url)
        create_run(client)
        client.close()
        server.stop()
        server.start()
        client = Client(server.url)
        assert client.get(RUNS).json["total_size"] == 1
        client.close()
    finally:
        server.close()


@pytest.fixture(scope="module")
def certificate_authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_files(certificate_authority: trustme.CA, tmp_path: Path) -> tuple[str, str]:
    certificate = certificate_authority.issue_cert("127.0.0.1", "localhost")
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    certificate.private_key_and_cert_chain_pem.write_to_path(str(cert_file))
    certificate.private_key_pem.write_to_path(str(key_file))
    return str(cert_file), str(key_file)


def test_https(
    clock: ManualClock, certificate_authority: trustme.CA, tls_files: tuple[str, str]
) -> None:
    cert_file, key_file = tls_files
    context = ssl.create_default_context()
    certificate_authority.configure_trust(context)
    with Emulator(clock=clock, tls_cert=cert_file, tls_key=key_file) as server:
        assert server.url.startswith("https://127.0.0.1:")
        client = Client(server.url, ssl_context=context)
        create_run(client)
        assert client.get(RUNS).json["total_size"] == 1
        client.close()
        # A plain-HTTP client gets nothing useful, and the server survives it.
        plain = raw_exchange(server.url.replace("https", "http"), b"GET / HTTP/1.1\r\n\r\n")
        assert not plain.startswith(b"HTTP/1.1 200")
        client = Client(server.url, ssl_context=context)
        assert client.get(RUNS).status == 200
        client.close()


def test_tls_arguments_go_together(tls_files: tuple[str, str]) -> None:
    with pytest.raises(ValueError, match="together"):
        Emulator(tls_cert=tls_files[0])


def test_ipv6_loopback_url() -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    try:
        server = Emulator("::1").start()
    except OSError:
        pytest.skip("IPv6 loopback is not available")
    try:
        assert server.url.startswith("http://[::1]:")
    finally:
        server.close()
