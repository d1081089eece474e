"""``ApiClient``: turns an API call into an HTTP request and the response into typed data.

One ``ApiClient`` holds one :class:`~kfp_server_api.configuration.Configuration` (the very object
it was given; changes made to it later, such as a new api key, apply to the next request) and one
HTTP layer (``rest_client``, a :class:`~kfp_server_api.rest.RESTClientObject` unless another
:class:`~kfp_server_api.rest.RESTClient` is passed).

For each call it:

1. merges the headers (endpoint headers, ``default_headers`` with the User-Agent and the
   ``header_name``/``header_value`` pair, the cookie, then the credentials; the refresh hook runs
   first);
2. fills the path template with percent-encoded values (no safe characters, so ``/``, ``?``,
   ``#`` and ``..`` stay inside their segment);
3. builds the URL as ``configuration.host + path`` (a host without a scheme is taken as http);
4. encodes query, body and form values with :func:`kfp_server_api.model.encode`;
5. sends the request through ``rest_client`` and decodes the JSON response into
   ``response_type``. A 2xx body that is not JSON, or not shaped like ``response_type``, raises
   :class:`~kfp_server_api.exceptions.ApiDecodeError`.
"""

from __future__ import annotations

import atexit
import datetime
import json
import mimetypes
import os
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from kfp_server_api import rest
from kfp_server_api.configuration import Configuration
from kfp_server_api.exceptions import ApiDecodeError, ApiValueError
from kfp_server_api.model import DecodeError, decoder_for, encode

if TYPE_CHECKING:
    from multiprocessing.pool import ThreadPool
    from types import TracebackType

__all__ = ["DEFAULT_USER_AGENT", "ApiClient", "quote_path_segment"]

#: User-Agent sent unless ``ApiClient.user_agent`` is changed.
DEFAULT_USER_AGENT = "OpenAPI-Generator/1.8.5/python"

_COLLECTION_DELIMITERS = {"csv": ",", "ssv": " ", "tsv": "\t", "pipes": "|"}
_CHARSET = re.compile(r"charset=([a-zA-Z\-\d]+)[\s;]?")
# Dot segments would be removed by URL normalisation (urllib3 does it), changing the route.
_DOT_SEGMENTS = {".": "%2E", "..": "%2E%2E"}
# Segments quote() would return unchanged and that are not dot segments.
_NOTHING_TO_QUOTE = re.compile(r"(?!\.\.?$)[A-Za-z0-9_.~-]+")
_UNDECODED_RESPONSE_TYPES = frozenset({"file", "bytes"})


def quote_path_segment(value: Any) -> str:
    """Percent-encode ``value`` as exactly one path segment."""
    text = value if isinstance(value, str) else str(encode(value))
    if _NOTHING_TO_QUOTE.fullmatch(text):  # the common case (ids), without quote()'s cost
        return text
    quoted = quote(text, safe="")
    return _DOT_SEGMENTS.get(quoted, quoted)


@lru_cache(maxsize=64)
def _charset(content_type: str | None) -> str:
    match = _CHARSET.search(content_type) if content_type else None
    return match.group(1) if match else "utf-8"


def _pairs(params: Mapping[str, Any] | Iterable[Any]) -> Iterable[Any]:
    return params.items() if isinstance(params, Mapping) else params


class ApiClient:
    """Sends API calls to the server described by a Configuration.

    Args:
        configuration: server, credentials and transport settings; kept as given (not copied).
            Default: ``Configuration.get_default_copy()``.
        header_name: name of one extra header sent with every request.
        header_value: value of that header.
        cookie: value of the ``Cookie`` header sent with every request.
        pool_threads: threads of the pool used for ``async_req=True`` calls.
        rest_client: the HTTP layer to use instead of a new ``RESTClientObject``.

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
        """Stop the thread pool (if ``async_req`` started one) and close pooled connections."""
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None
            atexit.unregister(self.close)
        close_rest_client = getattr(self.rest_client, "close", None)
        if close_rest_client is not None:
            close_rest_client()

    @property
    def pool(self) -> ThreadPool:
        """The thread pool running ``async_req=True`` calls, created on first use."""
        if self._pool is None:
            from multiprocessing.pool import ThreadPool

            atexit.register(self.close)
            self._pool = ThreadPool(self.pool_threads)
        return self._pool

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
            header_params: headers of this call.
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
        arguments = (
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
        if not async_req:
            return self._call_api(*arguments)
        return self.pool.apply_async(self._call_api, arguments)

    def _call_api(
        self,
        resource_path: str,
        method: str,
        path_params: Mapping[str, Any] | None,
        query_params: Any,
        header_params: Mapping[str, Any] | None,
        body: Any,
        post_params: Any,
        files: Mapping[str, Any] | None,
        response_type: str | None,
        auth_settings: Iterable[str] | None,
        _return_http_data_only: bool | None,
        collection_formats: Mapping[str, str] | None,
        _preload_content: bool,
        _request_timeout: rest.RequestTimeout,
        _host: str | None,
    ) -> Any:
        headers = dict(header_params) if header_params else {}
        headers.update(self.default_headers)
        if self.cookie:
            headers["Cookie"] = self.cookie
        if path_params:
            for name, value in _pairs(path_params):
                resource_path = resource_path.replace(f"{{{name}}}", quote_path_segment(value))
        query: list[tuple[str, Any]] = []
        if query_params:
            query = self.parameters_to_tuples(encode(query_params), collection_formats)
        form: list[tuple[str, Any]] | None = None
        if post_params or files:
            form = self.parameters_to_tuples(encode(post_params or []), collection_formats)
            form.extend(self.files_parameters(files))
        if auth_settings:
            self.update_params_for_auth(headers, query, auth_settings)
        for value in headers.values():
            if value.__class__ is not str:  # rare: normalise only when needed
                headers = {
                    name: value if isinstance(value, str) else str(encode(value))
                    for name, value in headers.items()
                    if value is not None
                }
                break
        if body is not None:
            body = encode(body)
        host = self.configuration.host if _host is None else _host
        if "://" not in host:
            host = "http://" + host
        response = self.request(
            method,
            host + resource_path,
            query_params=query,
            headers=headers,
            post_params=form,
            body=body,
            _preload_content=_preload_content,
            _request_timeout=_request_timeout,
        )
        self.last_response = response
        if not _preload_content:
            return response
        if response_type not in _UNDECODED_RESPONSE_TYPES and isinstance(response.data, bytes):
            response.data = response.data.decode(_charset(response.getheader("content-type")))
        data = self.deserialize(response, response_type) if response_type else None
        if _return_http_data_only:
            return data
        return data, response.status, response.getheaders()

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
        try:
            return decoder_for(response_type)(parsed)
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
        pairs: list[tuple[str, Any]] = []
        for name, value in _pairs(params):
            style = formats.get(name)
            if style is None:
                pairs.append((name, value))
            elif style == "multi":
                pairs.extend((name, item) for item in value)
            else:
                delimiter = _COLLECTION_DELIMITERS.get(style, ",")
                pairs.append((name, delimiter.join(str(item) for item in value)))
        return pairs

    def files_parameters(
        self, files: Mapping[str, Any] | None = None
    ) -> list[tuple[str, tuple[str, bytes, str]]]:
        """Read form files: ``{field: path or [paths]}`` to ``(field, (name, data, mime))``."""
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
