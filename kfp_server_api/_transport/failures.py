"""Transport failures: the one place where urllib3's (and socket, ssl, http.client's) errors
are caught and translated.

:func:`translate` turns what an exchange raised into the exception the client raises:
``ApiTimeoutError`` or ``ApiConnectionError`` (status ``0``, the lower-level error chained as
``__cause__``, a one-line ``reason`` naming the cause, ``request_sent`` and ``transient`` set
from the table ``_FAILURES``) when no complete response arrived: connection refused, DNS
failure, TLS failure (an untrusted, expired or mismatched certificate is named as such),
timeout, connection closed before the headers or in the middle of the body, a malformed chunked
body, an answer that is not HTTP, a body whose content encoding (gzip, deflate) is corrupt, a
body above the size limit; and ``ApiDecodeError`` (the 2xx status) when the body's gzip or
deflate stream is cut short although the HTTP message was complete.

Each row of the table recognises its error by type or attribute (an OpenSSL verify code, a
chunk-size line as read), never by the wording of a message. Every credential the request
carried is replaced by ``***`` in the reason; a lower-level error that quotes one is not
chained (see :mod:`.redaction`).
"""

from __future__ import annotations

import http.client
import logging
import socket
import ssl
from typing import TYPE_CHECKING, Any, Callable, Final, NamedTuple

from urllib3 import exceptions as urllib3_errors

from kfp_server_api._transport.content import BodyTooLarge, EncodingCutShort
from kfp_server_api._transport.internals import CERTIFICATE_ERRORS
from kfp_server_api._transport.redaction import (
    credentials_of_request,
    error_chain,
    one_line,
    scrubbed,
    url_for_display,
)
from kfp_server_api._transport.response import RESTResponse
from kfp_server_api._transport.timeouts import TotalTimeLimitPassed
from kfp_server_api.exceptions import (
    ApiConnectionError,
    ApiDecodeError,
    ApiException,
    ApiTimeoutError,
    redact,
)

if TYPE_CHECKING:
    from kfp_server_api._transport.deadline import Deadline
    from kfp_server_api._transport.request import Request

__all__ = ["CAUGHT", "translate"]

logger = logging.getLogger("kfp_server_api.rest")

#: What an exchange may raise that :func:`translate` turns into the client's exceptions.
CAUGHT: Final = (
    urllib3_errors.HTTPError,
    http.client.HTTPException,
    OSError,
    TotalTimeLimitPassed,
    BodyTooLarge,
    EncodingCutShort,
)

# OpenSSL's verify codes (X509_V_ERR_*) for a host name or IP address that the certificate does
# not list, and for a chain that does not end at a trusted CA (issuer unknown, self-signed leaf
# or chain).
_X509_NAME_MISMATCH: Final = frozenset({62, 64})
_X509_UNTRUSTED_ISSUER: Final = frozenset({2, 18, 19, 20, 21})


def _root_error(error: BaseException) -> BaseException:
    # MaxRetryError only says "retries ran out"; the error it carries says what went wrong.
    reason = getattr(error, "reason", None)
    if isinstance(error, urllib3_errors.MaxRetryError) and isinstance(reason, BaseException):
        return reason
    return error


def _is_connect_timeout(error: BaseException) -> bool:
    # urllib3 makes NewConnectionError a subclass of ConnectTimeoutError; only the latter proper
    # is a timeout.
    return isinstance(error, urllib3_errors.ConnectTimeoutError) and not isinstance(
        error, urllib3_errors.NewConnectionError
    )


def _is_dns_failure(error: BaseException) -> bool:
    name_resolution = getattr(urllib3_errors, "NameResolutionError", None)  # urllib3 2.x only
    return isinstance(error, socket.gaierror) or (
        name_resolution is not None and isinstance(error, name_resolution)
    )


_INCOMPLETE_READS = (http.client.IncompleteRead, urllib3_errors.IncompleteRead)
_DROPPED = (
    http.client.RemoteDisconnected,
    ConnectionResetError,
    BrokenPipeError,
    ConnectionAbortedError,
)
_UNREADABLE_FILES = (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError)


def _is_malformed_chunk_size(error: BaseException) -> bool:
    # A chunk-size line that is not a hexadecimal number (urllib3 parses chunked bodies; see
    # .content). An empty line there means the connection closed: a body cut short.
    if isinstance(error, urllib3_errors.InvalidChunkLength):
        line = error.length
        return isinstance(line, bytes) and bool(line.strip())
    return False


def _is_cut_at_chunk_boundary(error: BaseException) -> bool:
    # urllib3 2.x raises a ProtocolError wrapping nothing where a chunked body breaks off at a
    # chunk boundary (1.26 raises InvalidChunkLength with an empty line, an IncompleteRead);
    # every other ProtocolError wraps the error that caused it.
    return (
        isinstance(error, urllib3_errors.ProtocolError)
        and error.__cause__ is None
        and not any(isinstance(arg, BaseException) for arg in error.args)
    )


def _is_not_http(error: BaseException) -> bool:
    # RemoteDisconnected is a BadStatusLine too: no answer at all, the connection closed.
    return isinstance(
        error, (http.client.BadStatusLine, http.client.UnknownProtocol)
    ) and not isinstance(error, http.client.RemoteDisconnected)


def _is_tls_error(error: BaseException) -> bool:
    return isinstance(error, (urllib3_errors.SSLError, ssl.SSLError, ssl.CertificateError))


def _is_certificate_rejected(error: BaseException) -> bool:
    return isinstance(error, CERTIFICATE_ERRORS)


def _is_host_name_mismatch(error: BaseException) -> bool:
    # OpenSSL's check (check_hostname) sets verify_code; urllib3's own check (assert_hostname,
    # or urllib3 1.26 on some builds) raises its CertificateError, which is only ever that.
    if isinstance(error, ssl.SSLCertVerificationError):
        return error.verify_code in _X509_NAME_MISMATCH
    return _is_certificate_rejected(error)


def _is_issuer_untrusted(error: BaseException) -> bool:
    return (
        isinstance(error, ssl.SSLCertVerificationError)
        and error.verify_code in _X509_UNTRUSTED_ISSUER
    )


def _is_plain_http_answer(error: BaseException) -> bool:
    # What OpenSSL reads when the server answers a TLS hello in plain HTTP.
    return isinstance(error, ssl.SSLError) and error.reason == "WRONG_VERSION_NUMBER"


class _Failure(NamedTuple):
    """One kind of transport failure: how to recognise it and what the client makes of it."""

    matches: Callable[[BaseException], bool]
    "Test on one error of the chain (see ``.redaction.error_chain``)."
    exception_class: type[ApiConnectionError]
    description: str
    "Start of the reason; the failing call and the culprit's own text follow."
    request_sent: bool
    "False only if the request surely never reached the server."
    transient: bool
    "Whether trying again later may succeed (see ``kfp_server_api.retry``)."
    shows_type: bool = False
    "Whether the culprit's type name starts the detail (when its text alone says little)."


#: Transport failures, first match wins (each row is tried on the whole chain of errors).
_FAILURES: tuple[_Failure, ...] = (
    _Failure(
        _is_host_name_mismatch,
        ApiConnectionError,
        "TLS certificate does not match the host name (connect with a name the certificate "
        "lists, or set assert_hostname)",
        request_sent=False,
        transient=False,
    ),
    _Failure(
        _is_issuer_untrusted,
        ApiConnectionError,
        "TLS certificate verification failed, issuer not trusted (for a private CA, set "
        "ssl_ca_cert to its bundle)",
        request_sent=False,
        transient=False,
    ),
    _Failure(
        _is_certificate_rejected,
        ApiConnectionError,
        "TLS certificate verification failed",
        request_sent=False,
        transient=False,
    ),
    _Failure(
        _is_plain_http_answer,
        ApiConnectionError,
        "TLS handshake failed (is the server speaking plain HTTP? then use an http:// host)",
        request_sent=False,
        transient=False,
    ),
    _Failure(
        lambda e: isinstance(e, _UNREADABLE_FILES),
        ApiConnectionError,
        "TLS setup failed: a certificate or key file (ssl_ca_cert, cert_file, key_file) "
        "could not be read",
        request_sent=False,
        transient=False,
    ),
    # Other TLS errors may also happen after the request was sent (a TLS read failing).
    _Failure(_is_tls_error, ApiConnectionError, "TLS handshake failed", True, False),
    # urllib3 1.26 wraps any socket error of a proxied exchange, not just the connect.
    _Failure(
        lambda e: isinstance(e, urllib3_errors.ProxyError),
        ApiConnectionError,
        "Proxy failed",
        request_sent=True,
        transient=True,
    ),
    _Failure(_is_dns_failure, ApiConnectionError, "DNS lookup failed", False, True),
    _Failure(
        lambda e: isinstance(e, ConnectionRefusedError),
        ApiConnectionError,
        "Connection refused",
        request_sent=False,
        transient=True,
    ),
    _Failure(_is_connect_timeout, ApiTimeoutError, "Connect timed out", False, True),
    _Failure(
        lambda e: isinstance(e, (urllib3_errors.ReadTimeoutError, socket.timeout)),
        ApiTimeoutError,
        "Read timed out",
        request_sent=True,
        transient=True,
    ),
    _Failure(
        _is_malformed_chunk_size,
        ApiConnectionError,
        "Malformed chunked encoding in the response body (a chunk size is not a hexadecimal "
        "number)",
        request_sent=True,
        transient=False,
    ),
    _Failure(
        lambda e: isinstance(e, urllib3_errors.DecodeError),  # CorruptEncoding too
        ApiConnectionError,
        "Response body failed to decode (corrupt content encoding)",
        request_sent=True,
        transient=False,
    ),
    _Failure(
        lambda e: isinstance(e, _INCOMPLETE_READS),
        ApiConnectionError,
        "Connection closed in the middle of the response body (truncated body)",
        request_sent=True,
        transient=True,
    ),
    _Failure(
        _is_cut_at_chunk_boundary,
        ApiConnectionError,
        "Connection closed in the middle of the response body (truncated body)",
        request_sent=True,
        transient=True,
    ),
    _Failure(
        lambda e: isinstance(e, _DROPPED),
        ApiConnectionError,
        "Connection closed by the server before a complete response",
        request_sent=True,
        transient=True,
    ),
    _Failure(
        _is_not_http,
        ApiConnectionError,
        "The server did not answer with HTTP (does the host's port serve the API?)",
        request_sent=True,
        transient=False,
        shows_type=True,
    ),
    _Failure(
        lambda e: isinstance(e, urllib3_errors.NewConnectionError),
        ApiConnectionError,
        "Could not connect",
        request_sent=False,
        transient=True,
    ),
)


def _connection_error(
    error: BaseException, method: str, url: str, secrets: tuple[str, ...] = ()
) -> ApiConnectionError:
    """The ApiConnectionError (or ApiTimeoutError) describing a transport failure."""
    target = f"{method} {url_for_display(url, keep_query=False)}"
    chain = list(error_chain(error))
    for failure in _FAILURES:
        culprit = next((item for item in chain if failure.matches(item)), None)
        if culprit is not None:
            detail = one_line(str(culprit)) or type(culprit).__name__
            if failure.shows_type:
                detail = f"{type(culprit).__name__}: {detail}"
            return failure.exception_class(
                reason=redact(f"{failure.description}: {target}: {detail}", secrets),
                request_sent=failure.request_sent,
                transient=failure.transient,
            )
    # Something unforeseen (a malformed response, a decoding error): not worth repeating, and
    # the server may have acted on the request.
    root = _root_error(error)
    reason = f"Transport error: {target}: {type(root).__name__}: {one_line(str(root))}"
    return ApiConnectionError(reason=redact(reason, secrets), transient=False)


def _total_time_limit_error(
    method: str, url: str, total: float, secrets: tuple[str, ...]
) -> ApiTimeoutError:
    reason = (
        f"Total time limit of {total:g} s passed: {method} {url_for_display(url, keep_query=False)}"
        ": the response had not arrived in full"
    )
    return ApiTimeoutError(reason=redact(reason, secrets), transient=True)


def translate(
    error: BaseException,
    request: Request,
    url: str,
    *,
    total: float | None,
    deadline: Deadline | None,
    raw: Any,
    proxy_secrets: tuple[str, ...],
) -> tuple[ApiException, BaseException | None]:
    """The exception to raise for ``error`` (one of :data:`CAUGHT`), and its cause.

    Args:
        error: what the exchange raised.
        request: the request sent.
        url: the URL the failing attempt went to (a redirect's target, say).
        total: the total time limit of the exchange, if any.
        deadline: the deadline of the exchange, if any.
        raw: the urllib3 response whose body was being read, if any.
        proxy_secrets: the proxy's credentials.
    """
    method = request.method
    secrets = credentials_of_request(request.headers, request.url, proxy_secrets)
    translated: ApiException
    cause: BaseException | None = None
    if isinstance(error, BodyTooLarge):
        # The rest of the body stays unread: the connection cannot serve another request.
        raw.close()
        raw.release_conn()
        shown = url_for_display(url, keep_query=False)
        reason = redact(f"{error.reason}: {method} {shown}", secrets)
        translated = ApiConnectionError(reason=reason, transient=False)
    elif isinstance(error, EncodingCutShort):
        translated = ApiDecodeError(reason=error.reason, http_resp=RESTResponse.of(raw, error.data))
        translated.redact_credentials(secrets)
    elif isinstance(error, TotalTimeLimitPassed):
        translated = _total_time_limit_error(method, url, total or 0.0, secrets)
    else:
        cause = scrubbed(_root_error(error), secrets)
        if deadline is not None and deadline.expired:
            translated = _total_time_limit_error(method, url, total or 0.0, secrets)
        else:
            translated = _connection_error(error, method, url, secrets)
    logger.debug("%s", translated.reason)
    return translated, cause
