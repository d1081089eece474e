"""One API call above the transport: what was asked for, and the request it becomes.

A :class:`ApiCall` is what ``ApiClient.call_api`` (or an API method, through
:func:`~kfp_server_api.endpoint.call_endpoint`) asks for: the path template and parameters, the
call options, and the retry safety of the endpoint when it is known. :func:`prepare` turns it
into a :class:`PreparedCall`:

1. merges the headers (endpoint headers, ``default_headers`` with the User-Agent and the
   ``header_name``/``header_value`` pair, the cookie, then the credentials; the refresh hook runs
   first);
2. fills the path template with percent-encoded values (no safe characters, so ``/``, ``?``,
   ``#`` and ``..`` stay inside their segment);
3. builds the URL as ``configuration.host + path`` (a host without a scheme is taken as http);
4. encodes query, body and form values with :func:`kfp_server_api.model.encode`.

The retry safety comes from the endpoint description; for a raw ``call_api``, from the endpoint
registered for the verb and path template, or the HTTP method (see
:func:`~kfp_server_api.endpoint.is_retry_safe`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from kfp_server_api._credentials import REDACTED
from kfp_server_api._transport.redaction import credentials_of_request, url_for_display
from kfp_server_api._transport.request import Request, build_request
from kfp_server_api.exceptions import ApiDecodeError, ApiException, ApiValueError
from kfp_server_api.model import encode, encode_known

if TYPE_CHECKING:
    from kfp_server_api._transport.timeouts import RequestTimeout
    from kfp_server_api.api_client import ApiClient

__all__ = [
    "ApiCall",
    "PreparedCall",
    "pairs",
    "prepare",
    "quote_path_segment",
    "refresh_credentials",
    "text_of",
]

_CHARSET = re.compile(r"charset=([a-zA-Z\-\d]+)[\s;]?")
# Dot segments would be removed by URL normalisation (urllib3 does it), changing the route.
_DOT_SEGMENTS = {".": "%2E", "..": "%2E%2E"}
# Segments quote() would return unchanged and that are not dot segments.
_NOTHING_TO_QUOTE = re.compile(r"(?!\.\.?$)[A-Za-z0-9_.~-]+")


# ApiCall's attributes that are arguments of ApiClient.call_api.
_CALL_API_ARGUMENTS = (
    "resource_path",
    "method",
    "path_params",
    "query_params",
    "header_params",
    "body",
    "post_params",
    "files",
    "response_type",
    "auth_settings",
    "_return_http_data_only",
    "collection_formats",
    "_preload_content",
    "_request_timeout",
    "_host",
)


class ApiCall:
    """One API call as asked for (the arguments of ``ApiClient.call_api``, by name), and the
    retry safety of its endpoint (``None``: not known, look the route up)."""

    __slots__ = (
        "_host",
        "_preload_content",
        "_request_timeout",
        "_return_http_data_only",
        "auth_settings",
        "body",
        "collection_formats",
        "files",
        "header_params",
        "method",
        "path_params",
        "post_params",
        "query_params",
        "resource_path",
        "response_type",
        "retry_safe",
    )

    def __init__(
        self,
        resource_path: str,
        method: str,
        path_params: Mapping[str, Any] | None = None,
        query_params: Any = None,
        header_params: Mapping[str, Any] | None = None,
        body: Any = None,
        post_params: Any = None,
        files: Mapping[str, Any] | None = None,
        response_type: str | None = None,
        auth_settings: Iterable[str] | None = None,
        _return_http_data_only: bool | None = None,
        collection_formats: Mapping[str, str] | None = None,
        _preload_content: bool = True,
        _request_timeout: RequestTimeout = None,
        _host: str | None = None,
        retry_safe: bool | None = None,
    ) -> None:
        self.resource_path = resource_path
        self.method = method
        self.path_params = path_params
        self.query_params = query_params
        self.header_params = header_params
        self.body = body
        self.post_params = post_params
        self.files = files
        self.response_type = response_type
        self.auth_settings = auth_settings
        self._return_http_data_only = _return_http_data_only
        self.collection_formats = collection_formats
        self._preload_content = _preload_content
        self._request_timeout = _request_timeout
        self._host = _host
        self.retry_safe = retry_safe

    def call_api_arguments(self) -> dict[str, Any]:
        """The call as keyword arguments of ``ApiClient.call_api`` (all but ``async_req``)."""
        return {name: getattr(self, name) for name in _CALL_API_ARGUMENTS}


class PreparedCall:
    """A call ready to send: everything but the encoding, which :meth:`request` does.

    ``query`` holds the call's parameters first, then (from index ``auth_start`` on) the
    credentials that go in the query, so that a refresh can replace them and the log can hide
    them.
    """

    __slots__ = ("auth_start", "body", "call", "form", "headers", "query", "retry_safe", "url")

    def __init__(
        self,
        call: ApiCall,
        url: str,
        query: list[tuple[str, Any]],
        auth_start: int,
        headers: dict[str, str],
        form: list[tuple[str, Any]] | None,
        body: Any,
    ) -> None:
        self.call = call
        self.url = url
        self.query = query
        self.auth_start = auth_start
        self.headers = headers
        self.form = form
        self.body = body
        #: From the endpoint, else from the route table (a raw ``call_api``).
        if call.retry_safe is None:
            from kfp_server_api.endpoint import is_retry_safe  # a cycle at import time

            self.retry_safe: bool = is_retry_safe(call.method, call.resource_path)
        else:
            self.retry_safe = call.retry_safe

    def request(self) -> Request:
        """The request record for the next attempt."""
        call = self.call
        return build_request(
            call.method,
            self.url,
            self.query,
            self.headers,
            self.body,
            self.form,
            call._preload_content,
            call._request_timeout,
            self.retry_safe,
        )

    def record_in(self, error: ApiException) -> None:
        """Tell ``error`` which request failed, without the credentials sent."""
        secrets = credentials_of_request(self.headers, self.url)
        error.set_request(self.call.method, self.shown_url(), secrets)

    def shown_url(self) -> str:
        """The URL as logged: no user info, credentials in the query redacted."""
        shown = url_for_display(self.url, keep_query=True)
        if not self.query:
            return shown
        pairs = [
            (name, value if index < self.auth_start else REDACTED)
            for index, (name, value) in enumerate(self.query)
        ]
        return f"{shown}{'&' if '?' in shown else '?'}{urlencode(pairs)}"


def quote_path_segment(value: Any) -> str:
    """Percent-encode ``value`` as exactly one path segment."""
    text = value if isinstance(value, str) else str(encode(value))
    if _NOTHING_TO_QUOTE.fullmatch(text):  # the common case (ids), without quote()'s cost
        return text
    quoted = quote(text, safe="")
    return _DOT_SEGMENTS.get(quoted, quoted)


def _quoted_path_parameter(name: str, value: Any) -> str:
    try:
        return quote_path_segment(value)
    except UnicodeEncodeError:
        # A lone surrogate (from os.fsdecode of undecodable bytes, say) has no UTF-8 form.
        raise ApiValueError(
            f"Path parameter {name!r} is not valid Unicode text (it holds a lone surrogate, "
            "which has no UTF-8 form) and cannot be sent"
        ) from None


def text_of(response: Any, response_type: str | None) -> str:
    """The body of ``response`` decoded with the charset its Content-Type names (UTF-8 if none).

    Raises:
        ApiDecodeError: the charset is unknown, or the body is not text in it.
    """
    charset = _charset(response.getheader("content-type"))
    try:
        return str(response.data.decode(charset))
    except LookupError:
        reason = f"Response body has an unknown charset {charset!r} (Content-Type)"
    except UnicodeDecodeError as error:
        reason = (
            f"Response body is not valid {charset} text: byte {error.start} "
            f"({error.object[error.start : error.start + 1]!r}) cannot be decoded"
        )
    raise ApiDecodeError(reason=reason, http_resp=response, response_type=response_type)


@lru_cache(maxsize=64)
def _charset(content_type: str | None) -> str:
    match = _CHARSET.search(content_type) if content_type else None
    return match.group(1) if match else "utf-8"


def pairs(params: Mapping[str, Any] | Iterable[Any]) -> Iterable[Any]:
    # dict first: what call_endpoint passes is recognised without the slower ABC check.
    if isinstance(params, (dict, Mapping)):
        return params.items()
    return params


def _as_text(headers: dict[str, Any]) -> dict[str, str]:
    """``headers`` with every value a str and without None values (the dict itself if so)."""
    for value in headers.values():
        if value.__class__ is not str:  # rare: build a new dict only when needed
            return {
                name: value if isinstance(value, str) else str(encode(value))
                for name, value in headers.items()
                if value is not None
            }
    return headers


def prepare(client: ApiClient, call: ApiCall) -> PreparedCall:
    """Headers, URL, query, form and body of ``call``, credentials included."""
    # A new dict: header_params are the caller's (an endpoint's shared template, say).
    header_params = call.header_params
    headers = (
        {**header_params, **client.default_headers}
        if header_params
        else dict(client.default_headers)
    )
    if client.cookie:
        headers["Cookie"] = client.cookie
    path = call.resource_path
    if call.path_params:
        for name, value in pairs(call.path_params):
            path = path.replace(f"{{{name}}}", _quoted_path_parameter(name, value))
    query: list[tuple[str, Any]] = []
    if call.query_params:
        query = client.parameters_to_tuples(encode(call.query_params), call.collection_formats)
    form: list[tuple[str, Any]] | None = None
    if call.post_params or call.files:
        form = client.parameters_to_tuples(encode(call.post_params or []), call.collection_formats)
        form.extend(client.files_parameters(call.files))
    auth_start = len(query)  # credentials that go in the query come after this index
    if call.auth_settings:
        client.update_params_for_auth(headers, query, call.auth_settings)
    body = call.body
    if body is not None:
        body = encode_known(body) if client.configuration.discard_unknown_keys else encode(body)
    host = client.configuration.host if call._host is None else call._host
    if "://" not in host:
        host = "http://" + host
    return PreparedCall(call, host + path, query, auth_start, _as_text(headers), form, body)


def refresh_credentials(client: ApiClient, prepared: PreparedCall) -> None:
    """Put fresh credentials in ``prepared`` (the refresh hook runs first)."""
    # New containers: the transport may have kept the ones it was given.
    headers, query = dict(prepared.headers), prepared.query[: prepared.auth_start]
    client.update_params_for_auth(headers, query, prepared.call.auth_settings)
    prepared.headers, prepared.query = _as_text(headers), query
