"""What a type checker sees of an API call's options and results.

:class:`AsyncResult` (what ``async_req=True`` returns) is real; the option sets behind the
overloads of the API methods (``Call``, ``AsyncCall``, ``RawCall``, ``AnyCall``, ``InfoCall``,
``AsyncInfoCall``, ``AnyInfoCall``) and the result aliases (``RawResponse``, ``HttpInfo[T]``,
``CallResult[T]``, ``InfoResult[T]``) exist for type checkers only. All are re-exported by
:mod:`kfp_server_api.endpoint`, whose docstring describes the options ("Call options", "Types").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol, TypeVar, Union

if TYPE_CHECKING:
    from typing_extensions import Required, TypeAlias, TypedDict
    from urllib3 import BaseHTTPResponse, HTTPHeaderDict

    from kfp_server_api.rest import RequestTimeout

__all__ = ["AsyncResult"]

_T = TypeVar("_T")
_T_co = TypeVar("_T_co", covariant=True)


class AsyncResult(Protocol[_T_co]):
    """What a call with ``async_req=True`` returns (a ``multiprocessing.pool.ApplyResult``)."""

    def get(self, timeout: float | None = None) -> _T_co:
        """Wait for the call and return its result, or raise what it raised."""
        ...

    def wait(self, timeout: float | None = None) -> None:
        """Wait until the call is over, or ``timeout`` seconds have passed."""
        ...

    def ready(self) -> bool:
        """Whether the call is over."""
        ...

    def successful(self) -> bool:
        """Whether the call returned without raising (ValueError while it runs)."""
        ...


if TYPE_CHECKING:
    # The call options as type checkers see them, one set per overload of the API methods (see
    # "Types" in the module docstring). `_return_http_data_only` on a plain method is ignored.

    class _Options(TypedDict, total=False):
        _request_timeout: RequestTimeout

    class Call(_Options, total=False):
        async_req: Literal[False] | None
        _preload_content: Literal[True]
        _return_http_data_only: bool | None

    class AsyncCall(_Options, total=False):
        async_req: Required[Literal[True]]
        _preload_content: Literal[True]
        _return_http_data_only: bool | None

    class RawCall(_Options, total=False):
        async_req: Literal[False] | None
        _preload_content: Required[Literal[False]]
        _return_http_data_only: bool | None

    class AnyCall(_Options, total=False):
        async_req: bool | None
        _preload_content: bool
        _return_http_data_only: bool | None

    class InfoCall(_Options, total=False):
        async_req: Literal[False] | None
        _preload_content: Literal[True]
        _return_http_data_only: Literal[False] | None

    class AsyncInfoCall(_Options, total=False):
        async_req: Required[Literal[True]]
        _preload_content: Literal[True]
        _return_http_data_only: Literal[False] | None

    AnyInfoCall = AnyCall

    #: The unread response of a ``_preload_content=False`` call.
    RawResponse: TypeAlias = BaseHTTPResponse
    #: What ``x_with_http_info`` returns by default: data, status and headers.
    HttpInfo: TypeAlias = tuple[_T, int, HTTPHeaderDict]
    #: What a plain method returns when the options are not literals.
    CallResult: TypeAlias = Union[
        _T, AsyncResult[_T], BaseHTTPResponse, AsyncResult[BaseHTTPResponse]
    ]
    #: What a ``*_with_http_info`` method returns when the options are not literals.
    InfoResult: TypeAlias = Union[CallResult[_T], CallResult[HttpInfo[_T]]]
