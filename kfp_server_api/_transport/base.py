"""The seam between ``ApiClient`` and HTTP: ``send(request) -> response``.

A transport is an object with ``send``: it takes a :class:`~.request.Request` and returns a
:class:`~.response.RESTResponse` whatever its status, or raises
:class:`~kfp_server_api.exceptions.ApiConnectionError` (or a subclass) when no complete response
arrived. Status errors, retries and the token refresh sit above it, in ``ApiClient``, so every
transport gets them: the urllib3 one (``RESTClientObject``) and a test double alike
(:class:`kfp_server_api.testing.MockTransport`).

:class:`Transport` gives every transport the 1.8.5 ``request(...)`` on top of ``send``: it
builds the request record, sends it and raises for a non-2xx status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kfp_server_api._transport.request import QueryParams, Request, build_request
from kfp_server_api._transport.response import RESTResponse, raise_for_status
from kfp_server_api._transport.timeouts import RequestTimeout

__all__ = ["Transport"]


class Transport:
    """Base of the transports: ``send`` to implement, ``request`` and ``close`` given.

    Attributes:
        proxy_secrets: credentials of the proxy, if any, redacted from every error raised.
    """

    proxy_secrets: tuple[str, ...] = ()

    def send(self, request: Request) -> RESTResponse:
        """Send ``request`` once; return the response whatever its status.

        With ``request.preload_content`` false the body is left unread in
        ``response.urllib3_response`` (``response.data`` is ``None``).

        Raises:
            ApiConnectionError, ApiTimeoutError: no complete response arrived.
            ApiDecodeError: the body's content encoding is cut short.
        """
        raise NotImplementedError

    def close(self) -> None:
        """Release what the transport holds (nothing, unless overridden)."""

    def request(
        self,
        method: str,
        url: str,
        query_params: QueryParams | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        post_params: Any = None,
        _preload_content: bool = True,
        _request_timeout: RequestTimeout = None,
    ) -> Any:
        """Send one request, as 1.8.5's ``RESTClientObject.request`` did.

        Args:
            method: HTTP verb.
            url: absolute URL; ``query_params`` are appended to it.
            query_params: query parameters (mapping or sequence of pairs), URL-encoded here.
            headers: request headers; ``Content-Type`` defaults to ``application/json``.
            body: request body; JSON-encoded when the content type is JSON.
            post_params: form fields for urlencoded or multipart bodies.
            _preload_content: read the whole body and return a RESTResponse; if false, return
                the urllib3 response unread.
            _request_timeout: see :mod:`kfp_server_api.rest`.

        Returns:
            A RESTResponse, or the urllib3 response when ``_preload_content`` is false.

        Raises:
            ApiException: a non-2xx status (the subclass for that status), a redirect not
                followed among them.
            ApiConnectionError, ApiTimeoutError: no complete response arrived.
            ApiDecodeError: the body's gzip or deflate stream is cut short.
            ApiValueError: invalid arguments.
        """
        request = build_request(
            method,
            url,
            query_params,
            headers,
            body,
            post_params,
            _preload_content,
            _request_timeout,
        )
        response = self.send(request)
        raise_for_status(response, request, self.proxy_secrets)
        return response if _preload_content else response.urllib3_response
