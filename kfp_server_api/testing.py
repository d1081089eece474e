"""Test doubles for code built on this SDK: a transport that answers from a function.

:class:`MockTransport` plugs in where the HTTP layer does, ``ApiClient(rest_client=...)``, and
answers every request with what a function of yours returns, so the unit tests of code that
wraps the SDK need no server and no socket::

    from kfp_server_api import ApiClient, Configuration, RunServiceApi
    from kfp_server_api.testing import MockTransport, Request, mock_response

    def handler(request: Request):
        assert request.method == "GET"
        return mock_response(json={"run": {"id": "r-1", "name": "first"}})

    client = ApiClient(Configuration(host="http://kfp"), rest_client=MockTransport(handler))
    assert RunServiceApi(client).get_run("r-1").run.name == "first"

Everything above the transport runs as it does against a server: arguments are checked, the
path, query and body encoded, credentials added, the status turned into its exception
(``NotFoundException`` for a 404...), failed attempts retried as the retry policy says, the
body decoded into models. The function receives the :class:`Request` of each attempt (method,
URL with its query, headers, body, ``retry_safe``...). To play a transport failure it raises
``ApiConnectionError`` (say with ``request_sent=False`` for a refused connection) or
``ApiTimeoutError``. See ``docs/testing-your-code.md``.
"""

from __future__ import annotations

import io
import json as json_module
from collections.abc import Mapping
from typing import Any, Callable

import urllib3

from kfp_server_api._transport.base import Transport
from kfp_server_api._transport.request import Request
from kfp_server_api._transport.response import RESTResponse

__all__ = ["MockTransport", "Request", "mock_response"]

#: What a MockTransport's function takes and returns.
Handler = Callable[[Request], RESTResponse]

_NO_JSON: Any = object()


def mock_response(
    status: int = 200,
    *,
    json: Any = _NO_JSON,
    content: bytes | str = b"",
    headers: Mapping[str, str] | None = None,
    reason: str | None = None,
) -> RESTResponse:
    """A response for a :class:`MockTransport` to return.

    Args:
        status: the HTTP status.
        json: a value to send as the JSON body (``Content-Type: application/json``).
        content: the body as bytes or text (UTF-8), when ``json`` is not given.
        headers: response headers.
        reason: the reason phrase (default: none).
    """
    all_headers = dict(headers or {})
    if json is not _NO_JSON:
        content = json_module.dumps(json)
        all_headers.setdefault("Content-Type", "application/json")
    body = content.encode("utf-8") if isinstance(content, str) else content
    raw = urllib3.HTTPResponse(
        body=io.BytesIO(body),
        headers=all_headers,
        status=status,
        reason=reason,
        preload_content=False,
    )
    return RESTResponse.of(raw, None)


class MockTransport(Transport):
    """A transport that answers each request with ``handler(request)``, without a socket.

    Args:
        handler: called once per attempt with the :class:`Request`; returns a response (see
            :func:`mock_response`) or raises ``ApiConnectionError`` / ``ApiTimeoutError``.
    """

    def __init__(self, handler: Handler) -> None:
        self.handler = handler

    def send(self, request: Request) -> RESTResponse:
        """The handler's response to ``request``, its body read unless the caller reads it."""
        response = self.handler(request)
        if not isinstance(response, RESTResponse):
            raise TypeError(
                f"The MockTransport handler returned a {type(response).__name__}; it must "
                "return a response made by kfp_server_api.testing.mock_response (or raise "
                "ApiConnectionError)"
            )
        if request.preload_content and response.data is None:
            response.data = response.urllib3_response.read()
        return response
