"""Walk the pages of any ``list_*`` method.

Every list call of the KFP API returns one page and a ``next_page_token``; the next page is asked
for with ``page_token=<that token>``, and an empty (absent) token means the last page was
reached. These helpers do that loop::

    from kfp_server_api.pagination import iter_pages, paginate

    for run in paginate(api.list_runs, page_size=100, filter=f, sort_by="created_at desc"):
        ...
    for page in iter_pages(api.list_experiments, page_size=50):
        print(page.total_size, len(page.experiments or []))

Behaviour:

- The list method is called with keyword arguments only, exactly as a user would call it, so it
  keeps its 1.8.5 behaviour. ``page_size`` and ``page_token`` are sent only when given. Every other
  keyword argument (``filter``, ``sort_by``, ``resource_reference_key_type``/``_id``,
  ``_request_timeout``, ...) is passed through on the first request.
- Later requests repeat every keyword argument except ``filter`` and ``sort_by``
  (``TOKEN_CARRIED_PARAMS``). The server stores both inside the page token and takes them from
  there; if they are sent again they must equal the token's copy exactly, and a filter holding a
  number or a timestamp may no longer compare equal after that copy's JSON round trip, which
  fails the request. ``resource_reference_key_*`` and ``page_size`` are not in the token and are
  repeated.
- The walk ends when a response carries no token (``None`` or ``""``). A page with no items but a
  token is not the end: the walk goes on.
- A server that hands back a token this walk already sent would make the loop endless. The walk
  yields the page that carried it and then raises ``PaginationError`` instead of sending the
  token again.
- A server that answers page after page with no items, each with a new token, would also keep
  the walk going for ever. ``paginate`` gives up after ``max_empty_pages`` such pages in a row
  (``DEFAULT_MAX_EMPTY_PAGES``, 100; ``None`` for no bound) and raises ``PaginationError``. A
  page with items resets the count.
- ``max_items`` (``paginate``) and ``max_pages`` (``iter_pages``) stop early; no request is made
  for a page that would not be used.
- The items of a page are found through the response model's one list-typed field in
  ``openapi_types`` (``runs``, ``experiments``, ``jobs``, ``pipelines``, ``versions``); ``items=``
  names it explicitly. An absent list (the server omits empty lists) counts as no items.
- Arguments are checked when the helper is called, before any request; requests are made lazily
  as the returned iterator is consumed.

``PaginationError`` derives from ``ApiValueError`` (so from ``OpenApiException`` and
``ValueError``): it reports a response whose *values* cannot be walked (a repeated token, no token
field, no list field), not a failed HTTP exchange; every request involved succeeded, so the
status, reason and body that ``ApiException`` promises would be meaningless. HTTP and connection
errors of the list method propagate unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import MethodType
from typing import Any, Final, TypeVar

from kfp_server_api.exceptions import ApiTypeError, ApiValueError

__all__ = [
    "DEFAULT_MAX_EMPTY_PAGES",
    "TOKEN_CARRIED_PARAMS",
    "PaginationError",
    "iter_pages",
    "paginate",
]

ResponseT = TypeVar("ResponseT")

TOKEN_CARRIED_PARAMS: Final = frozenset({"filter", "sort_by"})
"""Request parameters the server keeps in the page token; sent on the first request only."""

DEFAULT_MAX_EMPTY_PAGES: Final = 100
"""Consecutive pages without items (each with a token) after which ``paginate`` gives up."""


class PaginationError(ApiValueError):
    """A list response cannot be walked: a repeated page token, or no token or list field.

    Attributes:
        token: the offending page token, when there is one.
        pages: how many pages had been received when the problem was found.
    """

    def __init__(self, msg: str, *, token: str | None = None, pages: int = 0) -> None:
        super().__init__(msg)
        self.token = token
        self.pages = pages


def iter_pages(
    list_method: Callable[..., ResponseT],
    *,
    page_size: int | None = None,
    page_token: str | None = None,
    max_pages: int | None = None,
    **kwargs: Any,
) -> Iterator[ResponseT]:
    """Yield each response (page) of ``list_method``, following ``next_page_token``.

    Args:
        list_method: a ``list_*`` method, e.g. ``RunServiceApi(...).list_runs``.
        page_size: items per page, sent on every request (the server's default when ``None``).
        page_token: a token to start from instead of the first page.
        max_pages: stop after this many pages.
        **kwargs: passed to ``list_method`` (see the module docstring for which are repeated).

    Raises:
        ApiTypeError, ApiValueError: at once, for invalid arguments.
        PaginationError: while iterating, when the server repeats a token or a response has no
            ``next_page_token`` attribute.
    """
    _check_arguments(list_method, max_pages, "max_pages", kwargs)
    return _walk(list_method, page_size, page_token, max_pages, kwargs)


def paginate(
    list_method: Callable[..., Any],
    *,
    page_size: int | None = None,
    page_token: str | None = None,
    items: str | None = None,
    max_items: int | None = None,
    max_empty_pages: int | None = DEFAULT_MAX_EMPTY_PAGES,
    **kwargs: Any,
) -> Iterator[Any]:
    """Yield every item of every page of ``list_method``, in the server's order.

    Args:
        list_method: a ``list_*`` method, e.g. ``RunServiceApi(...).list_runs``.
        page_size: items per page, sent on every request (the server's default when ``None``).
        page_token: a token to start from instead of the first page.
        items: the response attribute holding the items (``"runs"``...); found from the
            response model's ``openapi_types`` when ``None``.
        max_items: stop after this many items; no further page is requested.
        max_empty_pages: most pages in a row without items (but with a token) before giving up
            (``None``: no bound).
        **kwargs: passed to ``list_method`` (see the module docstring for which are repeated).

    Raises:
        ApiTypeError, ApiValueError: at once, for invalid arguments.
        PaginationError: while iterating, for a repeated token, a response whose items cannot
            be found, or more than ``max_empty_pages`` empty pages in a row.
    """
    _check_arguments(list_method, max_items, "max_items", kwargs)
    _check_limit(max_empty_pages, "max_empty_pages")
    if items is not None and not isinstance(items, str):
        raise ApiTypeError(f"items must be an attribute name (str), got {type(items).__name__}")
    pages = _walk(list_method, page_size, page_token, None, kwargs)
    return _items(pages, items, max_items, max_empty_pages)


def _check_arguments(
    list_method: object, limit: int | None, limit_name: str, kwargs: dict[str, Any]
) -> None:
    if not callable(list_method):
        raise ApiTypeError(f"list_method must be callable, got {type(list_method).__name__}")
    _check_limit(limit, limit_name)
    # Both options make the method return something other than the decoded page.
    if kwargs.get("async_req"):
        raise ApiValueError("pagination needs synchronous calls; do not pass async_req=True")
    if kwargs.get("_preload_content", True) is False:
        raise ApiValueError("pagination needs decoded responses; do not pass _preload_content")


def _check_limit(limit: int | None, limit_name: str) -> None:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
        raise ApiTypeError(f"{limit_name} must be an int or None, got {type(limit).__name__}")
    if limit is not None and limit < 0:
        raise ApiValueError(f"{limit_name} must not be negative, got {limit}")


def _walk(
    list_method: Callable[..., ResponseT],
    page_size: int | None,
    page_token: str | None,
    max_pages: int | None,
    kwargs: dict[str, Any],
) -> Iterator[ResponseT]:
    arguments = dict(kwargs)
    if page_size is not None:
        arguments["page_size"] = page_size
    sent: set[str] = set()
    pages = 0
    while max_pages is None or pages < max_pages:
        if page_token:
            arguments["page_token"] = page_token
            sent.add(page_token)
        response = list_method(**arguments)
        pages += 1
        if not hasattr(response, "next_page_token"):
            raise PaginationError(
                f"{_name(list_method)} returned a {type(response).__name__} without "
                "next_page_token; pass a list_* method that returns the decoded page",
                pages=pages,
            )
        page_token = getattr(response, "next_page_token", None)
        yield response
        if not page_token:
            return
        if page_token in sent:
            raise PaginationError(
                f"{_name(list_method)} returned page token {page_token!r} again after "
                f"{pages} page(s); stopping instead of requesting the same page forever",
                token=page_token,
                pages=pages,
            )
        for name in TOKEN_CARRIED_PARAMS:
            arguments.pop(name, None)


def _items(
    pages: Iterator[Any], items: str | None, max_items: int | None, max_empty_pages: int | None
) -> Iterator[Any]:
    if max_items == 0:
        return
    produced = 0
    empty_in_a_row = 0
    for number, page in enumerate(pages, start=1):
        attribute = items if items is not None else _list_field(page, number)
        if not hasattr(page, attribute):
            raise PaginationError(
                f"a {type(page).__name__} has no attribute {attribute!r}", pages=number
            )
        found = getattr(page, attribute) or ()
        empty_in_a_row = 0 if found else empty_in_a_row + 1
        for item in found:
            yield item
            produced += 1
            if produced == max_items:
                return
        token = getattr(page, "next_page_token", None)
        if token and max_empty_pages is not None and empty_in_a_row >= max_empty_pages:
            raise PaginationError(
                f"{empty_in_a_row} pages in a row had no items but a new page token; stopping "
                f"(max_empty_pages={max_empty_pages})",
                token=token,
                pages=number,
            )


def _list_field(page: object, number: int) -> str:
    types = getattr(type(page), "openapi_types", None)
    fields: list[str] = []
    if isinstance(types, dict):
        fields = [str(name) for name, kind in types.items() if str(kind).startswith("list[")]
    if len(fields) != 1:
        found = f"list fields {fields}" if fields else "no list field in openapi_types"
        raise PaginationError(
            f"cannot tell which attribute of {type(page).__name__} holds the items ({found}); "
            "pass items='<attribute>'",
            pages=number,
        )
    return fields[0]


def _name(list_method: Callable[..., Any]) -> str:
    if isinstance(list_method, MethodType) and not isinstance(list_method.__self__, type):
        # A bound method is named after its instance's class: the class a list_* method is
        # defined on may be a private base (PipelineServiceApi's listings are inherited).
        return f"{type(list_method.__self__).__name__}.{list_method.__name__}"
    name = getattr(list_method, "__qualname__", None)
    return name if isinstance(name, str) else repr(list_method)
