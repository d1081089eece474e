"""Endpoints described as data, and the one function that calls them.

Each API class (``RunServiceApi``, ...) lists its endpoints as :class:`Endpoint` values in a
registry (``RUN_SERVICE_ENDPOINTS``, also reachable as ``RunServiceApi.endpoints``). Its methods
only bind their arguments and hand them to :func:`call_endpoint`, which does, once for all:

- argument checks: an unknown keyword raises :class:`~kfp_server_api.exceptions.ApiTypeError`
  ("Got an unexpected keyword argument 'x' to method get_run"); a required argument that is
  ``None`` raises :class:`~kfp_server_api.exceptions.ApiValueError` (when the client's
  ``client_side_validation`` is on), and so does an empty path parameter, which would change the
  route;
- path parameters: percent-encoded with no safe characters, so an id such as ``../x?y#z``
  reaches the server as one path segment;
- query parameters: the ones given (not ``None``) under their wire names, in declared order; a
  parameter typed ``str`` sends ``str(value)`` for any other object (a ``filters.Filter`` sends
  its JSON);
- file parameters (``location='file'``): the value is the path of a local file, sent as a part
  of a ``multipart/form-data`` body under the wire name; such an endpoint sends no JSON body;
- the call through :meth:`ApiClient.call_api <kfp_server_api.api_client.ApiClient.call_api>`.

Call options
------------
Every API method also accepts these keyword arguments:

``async_req`` (bool)
    Run the call on the client's thread pool and return a
    ``multiprocessing.pool.ApplyResult`` (typed as :class:`AsyncResult`); its ``.get()``
    returns what the call would have returned, or raises what it would have raised.
``_preload_content`` (bool, default True)
    If false, return the ``urllib3`` response without reading or decoding the body (the
    caller must read or release it).
``_request_timeout``
    A total time limit in seconds (int or float) for the whole exchange, the body included; a
    ``(connect, read)`` pair (time to connect, and for each read); or a ``urllib3.Timeout``;
    ``0`` means no limit. Default: ``Configuration.request_timeout``, which is 10 s to connect,
    60 s for each read and 300 s in all unless changed (see :mod:`kfp_server_api.rest`). The
    limit applies to each attempt (see :mod:`kfp_server_api.retry`).
``_return_http_data_only`` (bool)
    ``*_with_http_info`` methods only: return just the data instead of
    ``(data, status, headers)`` (the plain methods accept it and ignore it, as 1.8.5 did).

Errors every method can raise are those of :mod:`kfp_server_api.exceptions`: ``ApiTypeError``
and ``ApiValueError`` for bad arguments (before any I/O), an ``ApiException`` subclass for an
error status (``NotFoundException`` for 404, ...), ``ApiException`` with the 3xx status for a
redirect the client does not follow (it follows only those that keep the path and query; see
:mod:`kfp_server_api.rest`), ``ApiConnectionError`` / ``ApiTimeoutError`` (status 0) when no
complete response arrived, and ``ApiDecodeError`` when a 2xx body is not the expected JSON.
KFP 2.14 and later servers answer a route they do not serve with a JSON 404 (gRPC code 5) and a
known path with the wrong verb with 501 ``ServiceException`` (gRPC code 12), where earlier
servers sent plain-text 404 and 405; none of these is retried.

``Endpoint.retry_safe`` tells whether repeating the call after a failure whose outcome is unknown
can do no harm (reads, and operations whose repetition ends in the same state). It travels with
the call to the client's retry policy (see :mod:`kfp_server_api.retry`). For a raw
``ApiClient.call_api``, which has no endpoint in hand, :func:`is_retry_safe` looks the verb and
path template up among the endpoints every ``ServiceApi`` subclass registers.

Types
-----
The query parameters of an endpoint are keyword-only parameters of its methods, with ``None``
(the default) meaning "not sent". ``None`` and leaving a parameter out mean the same thing on the
wire, as in 1.8.5, so no separate "not given" marker is needed. Each method is overloaded on the
call options, so that a type checker knows what a call returns:

- by default, the decoded data (``x``) or ``(data, status, headers)`` (``x_with_http_info``);
- with ``async_req=True``, an :class:`AsyncResult` of that;
- with ``_preload_content=False``, the unread urllib3 response (``urllib3.BaseHTTPResponse``);
- with a ``bool`` that is not a literal, the union of these.

The option sets behind the overloads (``Call``, ``AsyncCall``, ``RawCall``, ``AnyCall``,
``InfoCall``, ``AsyncInfoCall``, ``AnyInfoCall``) and the aliases ``HttpInfo[T]``,
``CallResult[T]`` and ``InfoResult[T]`` exist for type checkers only (``TYPE_CHECKING``), in
:mod:`kfp_server_api._call_options`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Literal

from kfp_server_api._call import ApiCall
from kfp_server_api._call_options import AsyncResult
from kfp_server_api._frozen import Frozen
from kfp_server_api.exceptions import ApiTypeError, ApiValueError
from kfp_server_api.retry import IDEMPOTENT_METHODS

if TYPE_CHECKING:
    from kfp_server_api.api_client import ApiClient

__all__ = [
    "CALL_OPTIONS",
    "AsyncResult",
    "Endpoint",
    "Param",
    "ParamLocation",
    "ServiceApi",
    "body_param",
    "call_endpoint",
    "file_param",
    "path_param",
    "query_param",
]

#: Keyword arguments every API method accepts besides the endpoint's own (see module docstring).
CALL_OPTIONS = ("async_req", "_return_http_data_only", "_preload_content", "_request_timeout")

ParamLocation = Literal["path", "query", "body", "file"]

_JSON = "application/json"
# Every registered endpoint by path template, then by HTTP verb.
_ROUTES: dict[str, dict[str, Endpoint]] = {}
_MULTIPART = "multipart/form-data"


class Param(Frozen):
    """One parameter of an endpoint (an immutable value).

    Attributes:
        name: the Python argument name (``resource_reference_key_type``).
        wire_name: the name in the path template or query (``resource_reference_key.type``).
        location: ``'path'``, ``'query'``, ``'body'`` or ``'file'`` (a local file path whose
            contents go into a multipart form part).
        type_name: 1.8.5 type string of the value (``'str'``, ``'int'``, ``'ApiRun'``...).
        required: required arguments are positional; the others are keyword arguments.
        description: one line saying what the value means.
        notes: what the server does when the value is left out, and its limits, e.g.
            ``'Server default: 20; at most 200.'`` (shown in the reference docs; may be empty).
    """

    __slots__ = ("description", "location", "name", "notes", "required", "type_name", "wire_name")
    _fields = ("name", "wire_name", "location", "type_name", "required", "description", "notes")

    name: str
    wire_name: str
    location: ParamLocation
    type_name: str
    required: bool
    description: str
    notes: str

    def __init__(
        self,
        name: str,
        wire_name: str,
        location: ParamLocation,
        type_name: str,
        required: bool,
        description: str,
        notes: str = "",
    ) -> None:
        self._assign(
            name=name,
            wire_name=wire_name,
            location=location,
            type_name=type_name,
            required=required,
            description=description,
            notes=notes,
        )


def path_param(name: str, description: str) -> Param:
    """A required path parameter named ``name`` in the path template too."""
    return Param(name, name, "path", "str", True, description)


def query_param(
    name: str, type_name: str, description: str, wire_name: str | None = None, notes: str = ""
) -> Param:
    """An optional query parameter; ``wire_name`` defaults to ``name``."""
    return Param(name, wire_name or name, "query", type_name, False, description, notes)


def body_param(type_name: str, description: str) -> Param:
    """The required JSON request body, passed as ``body``."""
    return Param("body", "body", "body", type_name, True, description)


def file_param(name: str, description: str) -> Param:
    """A required file (given as a local path), sent as the form part ``name``."""
    return Param(name, name, "file", "file", True, description)


class Endpoint(Frozen):
    """One operation of the REST API (an immutable value).

    Attributes:
        name: the method name (``get_run``); ``<name>_with_http_info`` is its twin.
        method: HTTP verb.
        path: path template, e.g. ``/apis/v1beta1/runs/{run_id}``.
        params: parameters, required ones first, in signature order.
        response_type: 1.8.5 type string of the result (``'object'`` gives a dict), or None.
        summary: one line saying what the call does.
        description: more detail (may be empty).
        retry_safe: whether repeating the call after an unknown outcome does no harm.
        auth: names of the auth schemes applied (see ``Configuration.auth_settings``).
        accepted_keywords: keyword arguments the method accepts: its optional parameters and
            the call options (derived from ``params``).
        content_type: media type of the request: multipart form data if a file is sent, else
            JSON (derived from ``params``).
        required_names: names of the required (positional) parameters, in order (derived).
    """

    __slots__ = (
        "_headers",
        "accepted_keywords",
        "auth",
        "content_type",
        "description",
        "method",
        "name",
        "params",
        "path",
        "required_names",
        "response_type",
        "retry_safe",
        "summary",
    )
    _fields = (
        "name",
        "method",
        "path",
        "params",
        "response_type",
        "summary",
        "description",
        "retry_safe",
        "auth",
    )

    name: str
    method: str
    path: str
    params: tuple[Param, ...]
    response_type: str | None
    summary: str
    description: str
    retry_safe: bool
    auth: tuple[str, ...]
    accepted_keywords: frozenset[str]
    content_type: str
    required_names: tuple[str, ...]
    # The headers call_endpoint passes (Accept and Content-Type), built once: ApiClient.call_api
    # reads header_params and never changes them.
    _headers: dict[str, str]

    def __init__(
        self,
        name: str,
        method: str,
        path: str,
        params: tuple[Param, ...],
        response_type: str | None,
        summary: str,
        description: str,
        retry_safe: bool,
        auth: tuple[str, ...] = ("Bearer",),
    ) -> None:
        content_type = _MULTIPART if any(p.location == "file" for p in params) else _JSON
        self._assign(
            name=name,
            method=method,
            path=path,
            params=params,
            response_type=response_type,
            summary=summary,
            description=description,
            retry_safe=retry_safe,
            auth=auth,
            accepted_keywords=frozenset(p.name for p in params if not p.required)
            | frozenset(CALL_OPTIONS),
            content_type=content_type,
            required_names=tuple(p.name for p in params if p.required),
            _headers={"Accept": _JSON, "Content-Type": content_type},
        )


def call_endpoint(
    api_client: ApiClient,
    endpoint: Endpoint,
    arguments: Mapping[str, Any],
    options: Mapping[str, Any],
) -> Any:
    """Check the arguments of one call of ``endpoint`` and perform it.

    Args:
        api_client: the client that sends the request.
        endpoint: what to call.
        arguments: the endpoint's parameters by name: the required ones, and the optional ones
            the method takes as keyword parameters (``None`` for not given).
        options: the caller's other keyword arguments: call options, and optional parameters
            the method does not name.

    Returns:
        What ``ApiClient.call_api`` returns for these options.
    """
    _check_keywords(endpoint, options)
    path_params: dict[str, Any] = {}
    query: list[tuple[str, Any]] = []
    files: dict[str, Any] = {}
    body = None
    for param in endpoint.params:
        value = arguments.get(param.name)
        if value is None and not param.required:
            # A method that takes its optional parameters through **kwargs leaves them there.
            value = options.get(param.name)
        if value is None:
            if not param.required:
                continue
            if api_client.client_side_validation:
                raise ApiValueError(
                    f"Missing the required parameter `{param.name}` when calling `{endpoint.name}`"
                )
        if param.location == "path":
            if value == "":
                raise ApiValueError(
                    f"Invalid value for parameter `{param.name}` when calling "
                    f"`{endpoint.name}`: an empty path segment would change the route"
                )
            path_params[param.wire_name] = value
        elif param.location == "query":
            if param.type_name == "str" and not isinstance(value, str):
                value = str(value)  # e.g. a filters.Filter, whose text is its JSON
            query.append((param.wire_name, value))
        elif param.location == "file":
            files[param.wire_name] = value
        else:
            body = value
    call = ApiCall(
        endpoint.path,
        endpoint.method,
        path_params,
        query,
        endpoint._headers,
        body=body,
        files=files or None,
        response_type=endpoint.response_type,
        auth_settings=endpoint.auth,
        _return_http_data_only=options.get("_return_http_data_only"),
        _preload_content=options.get("_preload_content", True),
        _request_timeout=options.get("_request_timeout"),
        retry_safe=endpoint.retry_safe,
    )
    if type(api_client).call_api is not _base_call_api():
        # A subclass's call_api is a hook to honour (the retry safety is then looked up).
        return api_client.call_api(**call.call_api_arguments(), async_req=options.get("async_req"))
    return api_client._call(call, options.get("async_req"))


_BASE_CALL_API: list[Any] = []


def _base_call_api() -> Any:
    """``ApiClient.call_api`` itself (imported on first use: api_client imports this module)."""
    if not _BASE_CALL_API:
        from kfp_server_api.api_client import ApiClient

        _BASE_CALL_API.append(ApiClient.call_api)
    return _BASE_CALL_API[0]


def _check_keywords(endpoint: Endpoint, options: Mapping[str, Any]) -> None:
    accepted = endpoint.accepted_keywords
    for keyword in options:
        if keyword not in accepted:
            raise ApiTypeError(
                f"Got an unexpected keyword argument '{keyword}' to method {endpoint.name}"
            )


def register_endpoints(endpoints: Iterable[Endpoint]) -> None:
    """Make ``endpoints`` known to :func:`find_endpoint` (``ServiceApi`` subclasses do it)."""
    for endpoint in endpoints:
        _ROUTES.setdefault(endpoint.path, {})[endpoint.method.upper()] = endpoint


def find_endpoint(method: str, path: str) -> Endpoint | None:
    """The registered endpoint for this verb and path template, if any."""
    by_method = _ROUTES.get(path)
    return None if by_method is None else by_method.get(method.upper())


def is_retry_safe(method: str, path: str) -> bool:
    """Whether a request may be repeated when its outcome is unknown.

    The registered endpoint's ``retry_safe`` decides; for an unknown route, the method does
    (GET, HEAD, OPTIONS, PUT and DELETE are safe to repeat, POST and PATCH are not).
    """
    endpoint = find_endpoint(method, path)
    if endpoint is not None:
        return endpoint.retry_safe
    return method.upper() in IDEMPOTENT_METHODS


class ServiceApi:
    """Base of the API classes: holds the ApiClient and the endpoint registry.

    Args:
        api_client: the client to send requests with (default: a new ``ApiClient()``).
    """

    #: The endpoints of this API, by method name.
    endpoints: ClassVar[Mapping[str, Endpoint]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        register_endpoints(cls.endpoints.values())

    def __init__(self, api_client: ApiClient | None = None) -> None:
        if api_client is None:
            from kfp_server_api.api_client import ApiClient

            api_client = ApiClient()
        self.api_client = api_client

    def _call(self, name: str, arguments: Mapping[str, Any], options: Mapping[str, Any]) -> Any:
        return call_endpoint(self.api_client, self.endpoints[name], arguments, options)

    def _call_in_steps(
        self, name: str, steps: Callable[[dict[str, Any]], Any], options: Mapping[str, Any]
    ) -> Any:
        """Run ``steps``, a function of the call options that makes several calls, as one call.

        The keywords are checked against the endpoint ``name`` first; with ``async_req`` the
        steps run in the client's thread pool and an ``ApplyResult`` is returned.
        """
        _check_keywords(self.endpoints[name], options)
        remaining = dict(options)
        if remaining.pop("async_req", False):
            return self.api_client.pool.apply_async(steps, (remaining,))
        return steps(remaining)
