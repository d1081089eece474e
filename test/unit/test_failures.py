"""Transport failures are recognised by type and attribute, never by the wording of a message.

Each error below carries a message that says nothing (or something misleading): only its type,
its OpenSSL verify code, its SSL reason or the chunk-size line urllib3 read may decide.
"""

from __future__ import annotations

import io
import ssl

import pytest
import urllib3
from urllib3 import exceptions as urllib3_errors
from urllib3.util.ssl_match_hostname import CertificateError as Urllib3CertificateError

from kfp_server_api import ApiConnectionError
from kfp_server_api._transport import failures
from kfp_server_api._transport.request import Request

URL = "https://kfp.test/apis/v1beta1/runs/r-1"


def verify_error(code: int) -> ssl.SSLCertVerificationError:
    error = ssl.SSLCertVerificationError(1, "certificat refusé")  # words that match nothing
    error.verify_code = code
    error.verify_message = "refusé"
    return error


def chunk_size_error(line: bytes) -> urllib3_errors.InvalidChunkLength:
    response = urllib3.HTTPResponse(body=io.BytesIO(b""), preload_content=False)
    return urllib3_errors.InvalidChunkLength(response, line)


def plain_http_answer() -> ssl.SSLError:
    error = ssl.SSLError(1, "la poignée de main a échoué")
    error.reason = "WRONG_VERSION_NUMBER"
    return error


CASES = {
    # name: (error, start of the reason, transient)
    "host name mismatch (verify code 62)": (
        verify_error(62),
        "TLS certificate does not match the host name",
        False,
    ),
    "IP address mismatch (verify code 64)": (
        verify_error(64),
        "TLS certificate does not match the host name",
        False,
    ),
    "urllib3's own host name check": (
        Urllib3CertificateError("hostname 'a' ne correspond pas"),
        "TLS certificate does not match the host name",
        False,
    ),
    "issuer not trusted (verify code 20)": (
        verify_error(20),
        "TLS certificate verification failed, issuer not trusted",
        False,
    ),
    "self-signed (verify code 18)": (
        verify_error(18),
        "TLS certificate verification failed, issuer not trusted",
        False,
    ),
    "expired (verify code 10)": (verify_error(10), "TLS certificate verification failed:", False),
    "plain HTTP on a TLS port": (
        urllib3_errors.SSLError(plain_http_answer()),
        "TLS handshake failed (is the server speaking plain HTTP?",
        False,
    ),
    "malformed chunk size": (
        urllib3_errors.ProtocolError("broken", chunk_size_error(b"zz")),
        "Malformed chunked encoding in the response body",
        False,
    ),
    "connection closed where a chunk size was due (urllib3 1.26)": (
        urllib3_errors.ProtocolError("broken", chunk_size_error(b"")),
        "Connection closed in the middle of the response body",
        True,
    ),
    "connection closed where a chunk size was due (urllib3 2.x)": (
        urllib3_errors.ProtocolError("n'importe quoi"),
        "Connection closed in the middle of the response body",
        True,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_failure_is_recognised_by_type_and_attributes(name: str) -> None:
    error, words, transient = CASES[name]
    translated, _ = failures.translate(
        error, Request("GET", URL), URL, total=None, deadline=None, raw=None, proxy_secrets=()
    )
    assert isinstance(translated, ApiConnectionError)
    assert translated.reason is not None
    assert translated.reason.startswith(words), translated.reason
    assert translated.transient is transient
