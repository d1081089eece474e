"""``ApiClient``: turns an API call into an HTTP request and the response into typed data.

One ``ApiClient`` holds one :class:`~kfp_server_api.configuration.Configuration` (the very object
it was given; changes made to it later, such as a new api key, apply to the next request) and one
HTTP layer (``rest_client``, a :class:`~kfp_server_api.rest.RESTClientObject` unless another
:class:`~kfp_server_api.rest.RESTClient` is passed).

For each call it:

1. prepares the request: headers, credentials, the path filled with percent-encoded values, the
   URL, the encoded query, body and form (see :mod:`kfp_server_api._call`);
2. sends it through ``rest_client``: as a request record to its ``send(request)`` when it has
   one (the seam, :mod:`kfp_server_api._transport.base`), raising for a non-2xx status here,
   else through its 1.8.5 ``request(...)``; a failed attempt is sent again as the retry policy
   and the 401 refresh allow (see :mod:`kfp_server_api._attempts`);
3. decodes the JSON response into ``response_type``. A 2xx body that is not JSON, or not
   shaped like ``response_type``, raises :class:`~kfp_server_api.exceptions.ApiDecodeError`.

Every call is logged at DEBUG on the ``kfp_server_api`` logger once it is over (see
:mod:`kfp_server_api._attempts`). Headers are never logged, and the credentials sent are
redacted from the errors raised. Every ``ApiException`` raised names the request that failed
(``method``, and ``url`` without credentials; see :meth:`ApiException.set_request`).
"""

from __future__ import annotations

import atexit
import datetime
import json
import os
import threading
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from kfp_server_api import rest
from kfp_server_api._attempts import send_with_retries
from kfp_server_api._call import (
    ApiCall,
    PreparedCall,
    pairs,
    prepare,
    quote_path_segment,
    refresh_credentials,
    text_of,
)
from kfp_server_api._transport.base import Transport
from kfp_server_api._transport.redaction import scrubbed
from kfp_server_api._transport.response import raise_for_status
from kfp_server_api.configuration import Configuration
from kfp_server_api.exceptions import (
    ApiDecodeError,
    ApiValueError,
    credentials_in_headers,
)
from kfp_server_api.model import DecodeError, decoder_for, encode

if TYPE_CHECKING:
    from multiprocessing.pool import ThreadPool
    from types import TracebackType

__all__ = ["DEFAULT_USER_AGENT", "ApiClient", "quote_path_segment"]

#: User-Agent sent unless ``ApiClient.user_agent`` is changed.
DEFAULT_USER_AGENT = "OpenAPI-Generator/1.8.5/python"

_COLLECTION_DELIMITERS = {"csv": ",", "ssv": " ", "tsv": "\t", "pipes": "|"}
_UNDECODED_RESPONSE_TYPES = frozenset({"file", "bytes"})


def _sends_records(transport: object) -> bool:
    """Whether ``transport`` takes request records (``send``) and leaves ``request`` as the
    base transport defines it (an overridden ``request`` is a hook to honour)."""
    kind = type(transport)
    return hasattr(kind, "send") and getattr(kind, "request", Transport.request) is (
        Transport.request
    )


class ApiClient:
    """Sends API calls to the server described by a Configuration.

    Args:
        configuration: server, credentials and transport settings; kept as given (not copied).
            Default: ``Configuration.get_default_copy()``.
        header_name: name of one extra header sent with every request.
        header_value: value of that header.
        cookie: value of the ``Cookie`` header sent with every request.
        pool_threads: threads of the pool used for ``async_req=True`` calls.
        rest_client: the HTTP layer to use instead of a new ``RESTClientObject``: a transport
            (an object with ``send(request)``, such as
            :class:`kfp_server_api.testing.MockTransport`), or a 1.8.5-style object with
            ``request(...)``.

    Use it as a context manager, or call :meth:`close`, to release connections and threads.
    """

    PRIMITIVE_TYPES: ClassVar[tuple[type, ...]] = (float, bool, bytes, str, int)
    NATIVE_TYPES_MAPPING: ClassVar[dict[str, type]] = {
        "int": int,
        "long": int,
        "float": float,
        "str": str,
        "bool": bool,
        "date": datetime.date,
        "datetime": datetime.datetime,
        "object": object,
    }
    _pool: ThreadPool | None = None
    # Whether retry_policy is in charge (no urllib3 retries of the user); see __init__.
    _policy_retries: bool = True

    def __init__(
        self,
        configuration: Configuration | None = None,
        header_name: str | None = None,
        header_value: str | None = None,
        cookie: str | None = None,
        pool_threads: int = 1,
        *,
        rest_client: rest.RESTClient | None = None,
    ) -> None:
        if configuration is None:
            configuration = Configuration.get_default_copy()
        self.configuration = configuration
        self.pool_threads = pool_threads
        self.rest_client: rest.RESTClient = (
            rest_client if rest_client is not None else rest.RESTClientObject(configuration)
        )
        self.default_headers: dict[str, Any] = {}
        if header_name is not None:
            self.default_headers[header_name] = header_value
        self.cookie = cookie
        self.user_agent = DEFAULT_USER_AGENT
        self.client_side_validation: bool = configuration.client_side_validation
        #: The response of the last successful call (a RESTResponse, or the raw urllib3
        #: response for ``_preload_content=False``).
        self.last_response: Any = None
        # A user's own urllib3 retries (given before the pool was built) replace the policy.
        self._policy_retries = configuration.retries is None
        # Makes the first use of ``pool`` from several threads at once create one pool.
        self._pool_lock = threading.Lock()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the thread pool (if ``async_req`` started one), waiting for the calls it runs,
        and close every pooled connection, kept-alive ones included.

        ``last_response`` stays readable. A client that is never closed does not keep the
        process from exiting: at interpreter exit its thread pool is terminated, abandoning the
        ``async_req`` calls still waiting for an answer.
        """
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            atexit.unregister(pool.terminate)
            pool.close()
            pool.join()
        close_rest_client = getattr(self.rest_client, "close", None)
        if close_rest_client is not None:
            close_rest_client()

    @property
    def pool(self) -> ThreadPool:
        """The thread pool running ``async_req=True`` calls, created on first use (once, even
        when several threads use it first at the same time)."""
        pool = self._pool
        if pool is not None:
            return pool
        with self._pool_lock:
            pool = self._pool
            if pool is None:
                from multiprocessing.pool import ThreadPool

                pool = ThreadPool(self.pool_threads)
                # Terminate rather than join at exit: a call still waiting for its answer must
                # not hold the interpreter. The hook holds the pool, not the client, which stays
                # collectable; close() removes it.
                atexit.register(pool.terminate)
                self._pool = pool
        return pool

    @property
    def user_agent(self) -> str:
        """The ``User-Agent`` header sent with every request."""
        return str(self.default_headers["User-Agent"])

    @user_agent.setter
    def user_agent(self, value: str) -> None:
        self.default_headers["User-Agent"] = value

    def set_default_header(self, header_name: str, header_value: str) -> None:
        """Send header ``header_name: header_value`` with every request."""
        self.default_headers[header_name] = header_value

    def call_api(
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
        async_req: bool | None = None,
        _return_http_data_only: bool | None = None,
        collection_formats: Mapping[str, str] | None = None,
        _preload_content: bool = True,
        _request_timeout: rest.RequestTimeout = None,
        _host: str | None = None,
    ) -> Any:
        """Perform one API call.

        Args:
            resource_path: path template such as ``/apis/v1beta1/runs/{run_id}``.
            method: HTTP verb.
            path_params: values for the template's ``{placeholders}``.
            query_params: query parameters (mapping or pairs); ``None`` values are kept as given.
            header_params: headers of this call (read, never modified).
            body: request body (a model, dict, list...), encoded as JSON.
            post_params: form fields.
            files: form files, ``{field: path or [paths]}``.
            response_type: type name of the result, e.g. ``'ApiRunDetail'`` or ``'object'``;
                ``None`` for no result.
            auth_settings: names of the auth schemes to apply, e.g. ``['Bearer']``.
            async_req: run the call in the thread pool and return its ``ApplyResult``.
            _return_http_data_only: return only the data, not ``(data, status, headers)``.
            collection_formats: how list parameters are joined (``csv``, ``ssv``, ``tsv``,
                ``pipes`` or ``multi``).
            _preload_content: if false, return the urllib3 response unread.
            _request_timeout: time limit (see :mod:`kfp_server_api.rest`).
            _host: base URL to use instead of ``configuration.host``.

        Returns:
            The data, or ``(data, status, headers)``, or the raw response (see above), or a
            ``multiprocessing.pool.ApplyResult`` of one of these when ``async_req`` is true.
        """
        call = ApiCall(
            resource_path,
            method,
            path_params,
            query_params,
            header_params,
            body,
            post_params,
            files,
            response_type,
            auth_settings,
            _return_http_data_only,
            collection_formats,
            _preload_content,
            _request_timeout,
            _host,
        )
        return self._call(call, async_req)

    def _call(self, call: ApiCall, async_req: bool | None) -> Any:
        """Make ``call`` now, or on the thread pool (returning its ``ApplyResult``)."""
        if not async_req:
            return self._perform(call)
        return self.pool.apply_async(self._perform, (call,))

    def _perform(self, call: ApiCall) -> Any:
        """Make ``call``: prepare it, send it (again as allowed), decode the response."""
        prepared = prepare(self, call)
        configuration = self.configuration
        response = send_with_retries(
            prepared,
            self._send_attempt,
            configuration.retry_policy if self._policy_retries else None,
            self._refresh_credentials
            if call.auth_settings and configuration.refresh_api_key_hook is not None
            else None,
        )
        self.last_response = response
        if not call._preload_content:
            return response
        response_type = call.response_type
        if response_type not in _UNDECODED_RESPONSE_TYPES and isinstance(response.data, bytes):
            response.data = text_of(response, response_type)
        try:
            data = self.deserialize(response, response_type) if response_type else None
        except ApiDecodeError as error:
            secrets = credentials_in_headers(prepared.headers)
            error.redact_credentials(secrets)
            if error.__cause__ is not None and scrubbed(error.__cause__, secrets) is None:
                error.__cause__ = None  # it quotes an echoed credential: keep it out of tracebacks
                error.__suppress_context__ = True
            prepared.record_in(error)
            raise
        if call._return_http_data_only:
            return data
        return data, response.status, response.getheaders()

    def _refresh_credentials(self, prepared: PreparedCall) -> None:
        refresh_credentials(self, prepared)

    def _send_attempt(self, prepared: PreparedCall) -> Any:
        """Send one attempt of ``prepared``: the response (unread with ``_preload_content``
        false), or the ApiException for its status or its failure."""
        transport = self.rest_client
        if type(self).request is ApiClient.request and _sends_records(transport):
            request = prepared.request()
            response = transport.send(request)  # type: ignore[attr-defined]
            raise_for_status(response, request, getattr(transport, "proxy_secrets", ()))
            return response if request.preload_content else response.urllib3_response
        # A 1.8.5-style HTTP layer (or ApiClient.request overridden): called as in 1.8.5.
        call = prepared.call
        return self.request(
            call.method,
            prepared.url,
            query_params=prepared.query,
            headers=prepared.headers,
            post_params=prepared.form,
            body=prepared.body,
            _preload_content=call._preload_content,
            _request_timeout=call._request_timeout,
        )

    def request(
        self,
        method: str,
        url: str,
        query_params: Any = None,
        headers: Mapping[str, str] | None = None,
        post_params: Any = None,
        body: Any = None,
        _preload_content: bool = True,
        _request_timeout: rest.RequestTimeout = None,
    ) -> Any:
        """Send one HTTP request through ``rest_client`` (see ``RESTClientObject.request``)."""
        return self.rest_client.request(
            method,
            url,
            query_params=query_params,
            headers=headers,
            body=body,
            post_params=post_params,
            _preload_content=_preload_content,
            _request_timeout=_request_timeout,
        )

    def sanitize_for_serialization(self, obj: Any) -> Any:
        """``obj`` as JSON-ready data (see :func:`kfp_server_api.model.encode`)."""
        return encode(obj)

    def deserialize(self, response: Any, response_type: str) -> Any:
        """Decode ``response.data`` (JSON text or bytes) into ``response_type``.

        ``response`` may be any object with a ``data`` attribute.

        Raises:
            ApiDecodeError: the data is not JSON, or not shaped like ``response_type``.
        """
        try:
            parsed = json.loads(response.data)
        except (TypeError, ValueError) as error:
            raise ApiDecodeError(
                reason=f"Response body is not valid JSON ({response_type} expected): {error}",
                http_resp=response,
                response_type=response_type,
            ) from error
        except RecursionError:
            raise ApiDecodeError(
                reason=f"Response body is JSON nested too deeply to decode ({response_type} "
                "expected)",
                http_resp=response,
                response_type=response_type,
            ) from None
        try:
            return decoder_for(response_type)(parsed)
        except RecursionError:
            raise ApiDecodeError(
                reason=f"Response body is nested too deeply to be a {response_type}",
                http_resp=response,
                response_type=response_type,
            ) from None
        except DecodeError as error:
            raise ApiDecodeError(
                reason=f"Response body is not a valid {response_type}: {error}",
                http_resp=response,
                response_type=response_type,
                path=error.path,
            ) from error

    def parameters_to_tuples(
        self,
        params: Mapping[str, Any] | Iterable[Any],
        collection_formats: Mapping[str, str] | None,
    ) -> list[tuple[str, Any]]:
        """Flatten parameters into ``(name, value)`` pairs, joining or repeating list values.

        ``collection_formats`` maps a parameter name to ``multi`` (one pair per item) or to the
        separator style ``csv`` (default), ``ssv``, ``tsv`` or ``pipes``.
        """
        formats = collection_formats or {}
        flattened: list[tuple[str, Any]] = []
        for name, value in pairs(params):
            style = formats.get(name)
            if style is None:
                flattened.append((name, value))
            elif style == "multi":
                flattened.extend((name, item) for item in value)
            else:
                delimiter = _COLLECTION_DELIMITERS.get(style, ",")
                flattened.append((name, delimiter.join(str(item) for item in value)))
        return flattened

    def files_parameters(
        self, files: Mapping[str, Any] | None = None
    ) -> list[tuple[str, tuple[str, bytes, str]]]:
        """Read form files: ``{field: path or [paths]}`` to ``(field, (name, data, mime))``."""
        import mimetypes  # only uploads need it

        params: list[tuple[str, tuple[str, bytes, str]]] = []
        for field, paths in (files or {}).items():
            if not paths:
                continue
            for path in paths if isinstance(paths, list) else [paths]:
                with open(path, "rb") as handle:
                    filename = os.path.basename(handle.name)
                    data = handle.read()
                mime = mimetypes.guess_type(filename)[0] or "application/octet-stream"
                params.append((field, (filename, data, mime)))
        return params

    def select_header_accept(self, accepts: list[str] | None) -> str | None:
        """The ``Accept`` header for these media types (JSON when it is among them)."""
        if not accepts:
            return None
        lowered = [item.lower() for item in accepts]
        return "application/json" if "application/json" in lowered else ", ".join(lowered)

    def select_header_content_type(self, content_types: list[str] | None) -> str:
        """The ``Content-Type`` to send for these media types (JSON by default)."""
        if not content_types:
            return "application/json"
        lowered = [item.lower() for item in content_types]
        if "application/json" in lowered or "*/*" in lowered:
            return "application/json"
        return lowered[0]

    def update_params_for_auth(
        self,
        headers: dict[str, Any],
        querys: list[tuple[str, Any]],
        auth_settings: Iterable[str] | None,
    ) -> None:
        """Add the credentials of the named auth schemes to ``headers`` or ``querys``.

        Runs the configuration's ``refresh_api_key_hook`` first.
        """
        if not auth_settings:
            return
        available = self.configuration.auth_settings()
        for name in auth_settings:
            setting = available.get(name)
            if not setting:
                continue
            location = setting["in"]
            if location == "header":
                headers[setting["key"]] = setting["value"]
            elif location == "cookie":
                headers["Cookie"] = setting["value"]
            elif location == "query":
                querys.append((setting["key"], setting["value"]))
            else:
                raise ApiValueError("Authentication token must be in `query` or `header`")
