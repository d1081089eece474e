"""The request record that crosses the seam, and how the 1.8.5 arguments become one.

A :class:`Request` is what a transport's ``send`` receives: everything needed to send the
request once, already encoded (the query in the URL, the body as bytes or text, the headers as
text). It is built by :func:`build_request` from the arguments of the 1.8.5
``RESTClientObject.request`` (``ApiClient`` builds it the same way).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Union
from urllib.parse import urlencode

import urllib3

from kfp_server_api._transport.header_values import check_header_values
from kfp_server_api._transport.timeouts import RequestTimeout, to_urllib3_timeout
from kfp_server_api.exceptions import ApiValueError

__all__ = ["METHODS", "METHODS_WITH_BODY", "QueryParams", "Request", "build_request"]

QueryParams = Union[Mapping[str, Any], Sequence[tuple[str, Any]]]

METHODS_WITH_BODY = frozenset({"POST", "PUT", "PATCH", "OPTIONS", "DELETE"})
METHODS = METHODS_WITH_BODY | {"GET", "HEAD"}


class Request:
    """One HTTP request, ready to send.

    Attributes:
        method: the HTTP verb, in upper case.
        url: the absolute URL, query included.
        headers: the headers to send (``Content-Type`` always among them). A transport must not
            change this dict: it may be the caller's.
        body: the encoded body (bytes or text), or None.
        timeout: the time limits (``None``: the transport's default; see
            :mod:`kfp_server_api.rest`).
        preload_content: whether the transport reads the whole body before returning; if false,
            the response's body is left unread for the caller.
        retry_safe: whether sending the request again after a failure whose outcome is unknown
            does no harm (from the endpoint description); ``None`` when unknown (the HTTP method
            then decides).
    """

    __slots__ = ("body", "headers", "method", "preload_content", "retry_safe", "timeout", "url")

    def __init__(
        self,
        method: str,
        url: str,
        headers: dict[str, str] | None = None,
        body: bytes | str | None = None,
        *,
        timeout: urllib3.Timeout | None = None,
        preload_content: bool = True,
        retry_safe: bool | None = None,
    ) -> None:
        self.method = method
        self.url = url
        self.headers = {} if headers is None else headers
        self.body = body
        self.timeout = timeout
        self.preload_content = preload_content
        self.retry_safe = retry_safe

    def __repr__(self) -> str:
        # No headers, body or query: they may carry credentials.
        return f"<Request {self.method} {self.url.partition('?')[0]}>"

    def json(self) -> Any:
        """The body decoded from JSON (``None`` without a body); for test transports."""
        if self.body is None:
            return None
        return json.loads(self.body)


def _encoded_query(query_params: QueryParams) -> str:
    try:
        return urlencode(query_params)
    except UnicodeEncodeError:
        # A lone surrogate (from os.fsdecode of undecodable bytes, say) has no UTF-8 form.
        raise ApiValueError(
            "A query parameter is not valid Unicode text (it holds a lone surrogate, which has "
            "no UTF-8 form) and cannot be sent"
        ) from None


def _encode_body(headers: dict[str, str], body: Any, post_params: Any) -> Any:
    """The request body for the declared Content-Type (may replace the multipart header)."""
    content_type = headers["Content-Type"]
    if "json" in content_type.lower():
        return None if body is None else json.dumps(body).encode("utf-8")
    if content_type == "application/x-www-form-urlencoded":
        return urlencode(post_params or [])
    if content_type == "multipart/form-data":
        data, headers["Content-Type"] = urllib3.encode_multipart_formdata(post_params or [])
        return data
    if body is None or isinstance(body, (str, bytes)):
        return body
    raise ApiValueError(
        f"Cannot send a {type(body).__name__} body as {content_type!r}; "
        "pass str or bytes, or declare a JSON content type"
    )


def _headers_to_send(headers: Mapping[str, str] | None, has_body: bool) -> dict[str, str]:
    # The caller's dict is sent as it is when nothing needs adding or replacing (nothing below
    # the seam changes it; a redirect that drops credentials builds a new one), so the common
    # call copies no headers.
    if (
        type(headers) is dict
        and "Content-Type" in headers
        and not (has_body and headers["Content-Type"] == "multipart/form-data")
    ):
        return headers
    send_headers = dict(headers) if headers else {}
    send_headers.setdefault("Content-Type", "application/json")
    return send_headers


def build_request(
    method: str,
    url: str,
    query_params: QueryParams | None = None,
    headers: Mapping[str, str] | None = None,
    body: Any = None,
    post_params: Any = None,
    preload_content: bool = True,
    request_timeout: RequestTimeout = None,
    retry_safe: bool | None = None,
) -> Request:
    """The :class:`Request` for the arguments of ``RESTClientObject.request``.

    Raises:
        ApiValueError: an unknown method, both a body and form fields, a header value that
            cannot be sent, a query or body that cannot be encoded, an invalid timeout.
    """
    if method not in METHODS:
        method = method.upper()
        if method not in METHODS:
            raise ApiValueError(f"HTTP method must be one of {', '.join(sorted(METHODS))}")
    if post_params and body:
        raise ApiValueError("body parameter cannot be used with post_params parameter.")
    has_body = method in METHODS_WITH_BODY
    send_headers = _headers_to_send(headers, has_body)
    check_header_values(send_headers)
    if query_params:
        url += ("&" if "?" in url else "?") + _encoded_query(query_params)
    return Request(
        method,
        url,
        send_headers,
        _encode_body(send_headers, body, post_params) if has_body else None,
        timeout=to_urllib3_timeout(request_timeout),
        preload_content=preload_content,
        retry_safe=retry_safe,
    )
