"""Request framing (RFC 9112): ambiguous bodies are refused and the connection closed.

Each refused request carries a second request (``GET /healthz``) after what a lenient parser
would take as the end of the first; the answer must be one response, then the close, so that
the second is never served (request smuggling).
"""

from __future__ import annotations

import json

import pytest
from emulator_http import RUNS, raw_exchange, run_body

from kfp_server_api.emulator import Emulator

SMUGGLED = b"GET /apis/v1beta1/healthz HTTP/1.1\r\nHost: x\r\n\r\n"
BODY = json.dumps(run_body()).encode()


def head(*fields: str, version: str = "HTTP/1.1") -> bytes:
    lines = [f"POST {RUNS} {version}", "Host: x", *fields]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def chunked_body(size_line: bytes, data: bytes = b"{}") -> bytes:
    return size_line + data + b"\r\n0\r\n\r\n"


REFUSED = {
    # RFC 9112 section 6.3: both framings at once.
    "content-length and chunked": (
        head("Content-Length: 5", "Transfer-Encoding: chunked") + b"0\r\n\r\n",
        400,
    ),
    "chunked and content-length": (
        head("Transfer-Encoding: chunked", "Content-Length: 5") + b"0\r\n\r\n",
        400,
    ),
    # Section 7.1: chunk-size = 1*HEXDIG, then CRLF or extensions.
    "chunk size 0x2": (head("Transfer-Encoding: chunked") + chunked_body(b"0x2\r\n"), 400),
    "chunk size +2": (head("Transfer-Encoding: chunked") + chunked_body(b"+2\r\n"), 400),
    "chunk size 0_2": (head("Transfer-Encoding: chunked") + chunked_body(b"0_2\r\n"), 400),
    "chunk size -2": (head("Transfer-Encoding: chunked") + chunked_body(b"-2\r\n"), 400),
    "blank before size": (head("Transfer-Encoding: chunked") + chunked_body(b" 2\r\n"), 400),
    "blank after size": (head("Transfer-Encoding: chunked") + chunked_body(b"2 \r\n"), 400),
    "bare LF after size": (head("Transfer-Encoding: chunked") + chunked_body(b"2\n"), 400),
    "17 hex digits": (
        head("Transfer-Encoding: chunked") + chunked_body(b"00000000000000002\r\n"),
        400,
    ),
    "bad chunk terminator": (head("Transfer-Encoding: chunked") + b"2\r\n{}X\n0\r\n\r\n", 400),
    "bare LF after the last chunk": (head("Transfer-Encoding: chunked") + b"0\n\r\n", 400),
    # Section 6.3 item 4 and section 6.1: chunked must be the last coding, once.
    "gzip": (head("Transfer-Encoding: gzip") + b"0\r\n\r\n", 400),
    "identity": (head("Transfer-Encoding: identity") + b"0\r\n\r\n", 400),
    "chunked, gzip": (head("Transfer-Encoding: chunked, gzip") + b"0\r\n\r\n", 400),
    "chunked twice": (head("Transfer-Encoding: chunked, chunked") + b"0\r\n\r\n", 400),
    "chunked twice as fields": (
        head("Transfer-Encoding: chunked", "Transfer-Encoding: chunked") + b"0\r\n\r\n",
        400,
    ),
    "gzip, chunked": (head("Transfer-Encoding: gzip, chunked") + b"0\r\n\r\n", 501),
    "chunked in HTTP/1.0": (
        head("Transfer-Encoding: chunked", version="HTTP/1.0") + b"0\r\n\r\n",
        400,
    ),
    # Section 5: a field line the stdlib parser would stop at, hiding the fields after it.
    "blank before the colon": (
        head("Content-Length : 2", "Transfer-Encoding: chunked") + b"0\r\n\r\n",
        400,
    ),
    "obsolete line folding": (head("Content-Length: 0", "X-Folded: a", " b"), 400),
    # RFC 9110 section 8.6: Content-Length = 1*DIGIT, one value.
    # Header bytes are Latin-1: b"\xb2" is "²", a digit to str.isdigit() but not to int().
    "content-length superscript two": (head("Content-Length: \u00b2") + b"{}", 400),
    "content-length of 5,000 digits": (head("Content-Length: " + "9" * 5000), 400),
    "content-length above 2**63-1": (head(f"Content-Length: {2**63}"), 400),
    "content-length negative": (head("Content-Length: -1"), 400),
    "content-length with a sign": (head("Content-Length: +2") + b"{}", 400),
    "content-length hexadecimal": (head("Content-Length: 0x2") + b"{}", 400),
    "content-length empty": (head("Content-Length: "), 400),
    "content-length list differing": (head("Content-Length: 2, 3") + b"{}", 400),
    "content-length fields differing": (
        head("Content-Length: 2", "Content-Length: 3") + b"{}",
        400,
    ),
}


@pytest.mark.parametrize(("request_bytes", "status"), REFUSED.values(), ids=REFUSED.keys())
def test_ambiguous_framing_is_refused_and_the_connection_closed(
    emulator: Emulator, request_bytes: bytes, status: int
) -> None:
    # The answer is read until the server closes; a kept-open connection would time out.
    response = raw_exchange(emulator.url, request_bytes + SMUGGLED)
    status_line, _, rest = response.partition(b"\r\n")
    assert status_line.startswith(f"HTTP/1.1 {status} ".encode()), response
    header, _, body = rest.partition(b"\r\n\r\n")
    assert b"Connection: close" in header.split(b"\r\n")
    assert body.startswith(f"{status} ".encode()), body
    assert b"HTTP/1.1" not in body, "the smuggled request was answered"
    assert emulator.run_count() == 0


def test_a_bad_content_length_is_named(emulator: Emulator) -> None:
    response = raw_exchange(emulator.url, head("Content-Length: \u00b2") + b"{}")
    assert response.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert response.endswith(b"\r\n\r\n400 Bad Request: bad Content-Length")


ACCEPTED = {
    "chunk extensions": b"%x;name=value\r\n%s\r\n0\r\n\r\n" % (len(BODY), BODY),
    "blank before an extension": b"%x ; a\r\n%s\r\n0\r\n\r\n" % (len(BODY), BODY),
    "upper-case hex and leading zeros": b"%04X\r\n%s\r\n0\r\n\r\n" % (len(BODY), BODY),
    "trailer fields": b"%x\r\n%s\r\n0\r\nX-Trailer: 1\r\n\r\n" % (len(BODY), BODY),
}


@pytest.mark.parametrize("body", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_valid_chunked_bodies_are_served(emulator: Emulator, body: bytes) -> None:
    request = head("Transfer-Encoding: chunked", "Connection: close") + body
    response = raw_exchange(emulator.url, request)
    assert response.startswith(b"HTTP/1.1 200 OK\r\n"), response
    assert emulator.run_count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        (f"Content-Length: {len(BODY)}, {len(BODY)}",),
        (f"Content-Length: {len(BODY)}", f"Content-Length: {len(BODY)}"),
    ],
    ids=["list", "fields"],
)
def test_repeated_equal_content_lengths_are_one_length(
    emulator: Emulator, fields: tuple[str, ...]
) -> None:
    response = raw_exchange(emulator.url, head(*fields, "Connection: close") + BODY)
    assert response.startswith(b"HTTP/1.1 200 OK\r\n"), response
    assert emulator.run_count() == 1
