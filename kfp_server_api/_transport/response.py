"""What a transport returns, and the one place a status becomes an exception.

``send`` returns a :class:`RESTResponse` whatever the status; :func:`raise_for_status` turns a
non-2xx one into the :class:`~kfp_server_api.exceptions.ApiException` subclass for its status
(see ``ApiException.from_response``), with the credentials the request carried redacted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kfp_server_api._transport.redaction import credentials_of_request
from kfp_server_api.exceptions import ApiException

if TYPE_CHECKING:
    from urllib3 import BaseHTTPResponse, HTTPHeaderDict

    from kfp_server_api._transport.request import Request

__all__ = ["RESTResponse", "raise_for_status"]


class RESTResponse:
    """An HTTP response.

    Attributes:
        urllib3_response: the underlying urllib3 response.
        status: the HTTP status code.
        reason: the HTTP reason phrase.
        data: the body, decoded from its gzip or deflate content encoding if it had one
            (``ApiClient`` replaces it with the decoded text); ``None`` when the transport was
            asked not to read it (``Request.preload_content`` false: read ``urllib3_response``).
        headers: the response headers (case-insensitive mapping).
        redirect_refusal: for a 3xx answer the client did not follow, why (the reason of the
            exception raised for it); empty otherwise.
    """

    redirect_refusal: str = ""

    def __init__(self, resp: BaseHTTPResponse) -> None:
        self.urllib3_response = resp
        self.status: int = resp.status
        self.reason: str | None = resp.reason
        self.data: Any = resp.data
        self.headers: HTTPHeaderDict = resp.headers

    @classmethod
    def of(cls, resp: BaseHTTPResponse, data: bytes | None) -> RESTResponse:
        """A response for ``resp`` whose body is ``data`` (read already, or None: unread)."""
        response = cls.__new__(cls)
        response.urllib3_response = resp
        response.status = resp.status
        response.reason = resp.reason
        response.data = data
        response.headers = resp.headers
        return response

    def getheaders(self) -> HTTPHeaderDict:
        """All response headers."""
        return self.headers

    def getheader(self, name: str, default: str | None = None) -> str | None:
        """The value of header ``name`` (case-insensitive), or ``default``."""
        return self.headers.get(name, default)


def raise_for_status(
    response: RESTResponse, request: Request, proxy_secrets: tuple[str, ...] = ()
) -> None:
    """Raise the ``ApiException`` for ``response``'s status unless it is a 2xx.

    The exception holds the response (the ``RESTResponse``, or the unread urllib3 response when
    ``request.preload_content`` is false, as in 1.8.5), with every credential ``request``
    carried (and the proxy's) replaced by ``***``.
    """
    status = response.status
    if 200 <= status <= 299:
        return
    error = ApiException.from_response(
        response if request.preload_content else response.urllib3_response
    )
    if response.redirect_refusal:
        error.reason = response.redirect_refusal
    error.redact_credentials(credentials_of_request(request.headers, request.url, proxy_secrets))
    raise error
