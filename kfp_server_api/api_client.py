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
5. sends the request through ``rest_client``; when it fails, sends it again as
   ``configuration.retry_policy`` allows (see :mod:`kfp_server_api.retry`; the retry safety of
   the call comes from its endpoint description, looked up by verb and path template), and
   once more after a 401 when ``refresh_api_key_hook`` is set (the hook runs again first);
6. decodes the JSON response into ``response_type``. A 2xx body that is not JSON, or not
   shaped like ``response_type``, raises :class:`~kfp_server_api.exceptions.ApiDecodeError`.

Every call is logged at DEBUG on the ``kfp_server_api`` logger, once it is over: method, URL
(without user info), status (or the error), duration and number of attempts; each retry is
logged too. Nothing is formatted, and the clock is not read, unless DEBUG is enabled. Headers
are never logged, and the credentials sent are redacted from the errors raised. Every
``ApiException`` raised names the request that failed (``method``, and ``url`` without
credentials; see :meth:`ApiException.set_request`).
"""

from __future__ import annotations

import atexit
import datetime
import json
import logging
import os
import re
import threading
import time
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote, urlencode

from kfp_server_api import rest
from kfp_server_api._redaction import credentials_of_request, scrubbed
from kfp_server_api.configuration import Configuration
from kfp_server_api.endpoint import is_retry_safe
from kfp_server_api.exceptions import (
    REDACTED,
    ApiConnectionError,
    ApiDecodeError,
    ApiException,
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
_CHARSET = re.compile(r"charset=([a-zA-Z\-\d]+)[\s;]?")
# Dot segments would be removed by URL normalisation (urllib3 does it), changing the route.
_DOT_SEGMENTS = {".": "%2E", "..": "%2E%2E"}
# Segments quote() would return unchanged and that are not dot segments.
_NOTHING_TO_QUOTE = re.compile(r"(?!\.\.?$)[A-Za-z0-9_.~-]+")
_UNDECODED_RESPONSE_TYPES = frozenset({"file", "bytes"})
# What _send_again needs to send a request again: method, path template (for the endpoint's
# retry safety), URL, query, index of the first credential in the query, headers, form, body.
_RequestParts = tuple[str, str, str, list[tuple[str, Any]], int, dict[str, str], Any, Any]
# The package logger itself: one record per call (rest.py logs each attempt on its own logger).
_CALL_LOG = logging.getLogger("kfp_server_api")
_DEBUG = logging.DEBUG


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


def _text_of(response: Any, response_type: str | None) -> str:
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


def _pairs(params: Mapping[str, Any] | Iterable[Any]) -> Iterable[Any]:
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


def _shown_url(url: str, query: list[tuple[str, Any]], auth_start: int) -> str:
    """The URL of a request as logged: no user info, credentials in the query redacted."""
    shown = rest.url_for_display(url, keep_query=True)
    if not query:
        return shown
    pairs = [
        (name, value if index < auth_start else REDACTED)
        for index, (name, value) in enumerate(query)
    ]
    return f"{shown}{'&' if '?' in shown else '?'}{urlencode(pairs)}"


def _record_request(
    error: ApiException,
    method: str,
    url: str,
    query: list[tuple[str, Any]],
    auth_start: int,
    headers: Mapping[str, Any],
) -> None:
    """Tell ``error`` which request failed, without the credentials sent."""
    secrets = credentials_of_request(headers, url)
    error.set_request(method, _shown_url(url, query, auth_start), secrets)


def _outcome(error: ApiException) -> str:
    """What a failed attempt ended with, for the log: its status, or the transport error."""
    if isinstance(error, ApiConnectionError):
        return f"{type(error).__name__}: {error.reason}"
    return f"{error.status} {type(error).__name__}"


def _log_call(
    method: str,
    url: str,
    query: list[tuple[str, Any]],
    auth_start: int,
    outcome: object,
    attempts: int,
    started: float,
) -> None:
    _CALL_LOG.debug(
        "%s %s -> %s in %.1f ms (%d %s)",
        method,
        _shown_url(url, query, auth_start),
        outcome,
        (time.perf_counter() - started) * 1000.0,
        attempts,
        "attempt" if attempts == 1 else "attempts",
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
        # A new dict: header_params are the caller's (an endpoint's shared template, say).
        headers = (
            {**header_params, **self.default_headers}
            if header_params
            else dict(self.default_headers)
        )
        if self.cookie:
            headers["Cookie"] = self.cookie
        if path_params:
            path = resource_path
            for name, value in _pairs(path_params):
                path = path.replace(f"{{{name}}}", _quoted_path_parameter(name, value))
        else:
            path = resource_path
        query: list[tuple[str, Any]] = []
        if query_params:
            query = self.parameters_to_tuples(encode(query_params), collection_formats)
        form: list[tuple[str, Any]] | None = None
        if post_params or files:
            form = self.parameters_to_tuples(encode(post_params or []), collection_formats)
            form.extend(self.files_parameters(files))
        auth_start = len(query)  # credentials that go in the query come after this index
        if auth_settings:
            self.update_params_for_auth(headers, query, auth_settings)
        headers = _as_text(headers)
        if body is not None:
            body = encode(body)
        host = self.configuration.host if _host is None else _host
        if "://" not in host:
            host = "http://" + host
        url = host + path
        debug = _CALL_LOG.isEnabledFor(_DEBUG)
        started = time.perf_counter() if debug else 0.0
        try:
            response = self.request(
                method,
                url,
                query_params=query,
                headers=headers,
                post_params=form,
                body=body,
                _preload_content=_preload_content,
                _request_timeout=_request_timeout,
            )
        except ApiException as error:
            response = self._send_again(
                error,
                (method, resource_path, url, query, auth_start, headers, form, body),
                auth_settings,
                _preload_content,
                _request_timeout,
                started,
            )
        else:
            if debug:
                _log_call(method, url, query, auth_start, response.status, 1, started)
        self.last_response = response
        if not _preload_content:
            return response
        if response_type not in _UNDECODED_RESPONSE_TYPES and isinstance(response.data, bytes):
            response.data = _text_of(response, response_type)
        try:
            data = self.deserialize(response, response_type) if response_type else None
        except ApiDecodeError as error:
            secrets = credentials_in_headers(headers)
            error.redact_credentials(secrets)
            if error.__cause__ is not None and scrubbed(error.__cause__, secrets) is None:
                error.__cause__ = None  # it quotes an echoed credential: keep it out of tracebacks
                error.__suppress_context__ = True
            _record_request(error, method, url, query, auth_start, headers)
            raise
        if _return_http_data_only:
            return data
        return data, response.status, response.getheaders()

    def _send_again(
        self,
        error: ApiException,
        request: _RequestParts,
        auth_settings: Iterable[str] | None,
        _preload_content: bool,
        _request_timeout: rest.RequestTimeout,
        started: float,
    ) -> Any:
        """Send a failed request again while the 401 refresh or the retry policy allows it.

        Returns the first successful response; raises the last error otherwise.
        """
        method, resource_path, url, query, auth_start, headers, form, body = request
        configuration = self.configuration
        policy = configuration.retry_policy if self._policy_retries else None
        refreshed = False
        retry_safe: bool | None = None
        attempts = 1
        retries = 0
        while True:
            if (
                error.status == 401
                and not refreshed
                and auth_settings
                and configuration.refresh_api_key_hook is not None
            ):
                # The server checks credentials before anything else, so a 401 request was not
                # acted on: sending it again is safe for every endpoint.
                refreshed = True
                # New containers: the HTTP layer may have kept the ones it was given.
                headers, query = dict(headers), query[:auth_start]
                self.update_params_for_auth(headers, query, auth_settings)
                headers = _as_text(headers)
                if _CALL_LOG.isEnabledFor(_DEBUG):
                    _CALL_LOG.debug(
                        "%s %s -> 401: refreshing the api key and sending it again",
                        method,
                        _shown_url(url, query, auth_start),
                    )
            else:
                if policy is None:
                    break
                if retry_safe is None:
                    retry_safe = is_retry_safe(method, resource_path)
                delay = policy.delay_before_retry(error, retries + 1, retry_safe=retry_safe)
                if delay is None:
                    break
                retries += 1
                if _CALL_LOG.isEnabledFor(_DEBUG):
                    _CALL_LOG.debug(
                        "%s %s -> %s: retry %d of %d in %.3f s",
                        method,
                        _shown_url(url, query, auth_start),
                        _outcome(error),
                        retries,
                        policy.total,
                        delay,
                    )
                policy.sleep(delay)
            attempts += 1
            try:
                response = self.request(
                    method,
                    url,
                    query_params=query,
                    headers=headers,
                    post_params=form,
                    body=body,
                    _preload_content=_preload_content,
                    _request_timeout=_request_timeout,
                )
            except ApiException as next_error:
                error = next_error
                continue
            if _CALL_LOG.isEnabledFor(_DEBUG):
                _log_call(method, url, query, auth_start, response.status, attempts, started)
            return response
        if attempts > 1 and isinstance(error, ApiConnectionError) and error.reason:
            error.reason += f" (after {attempts} attempts)"
        if _CALL_LOG.isEnabledFor(_DEBUG):
            _log_call(method, url, query, auth_start, _outcome(error), attempts, started)
        _record_request(error, method, url, query, auth_start, headers)
        raise error

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
