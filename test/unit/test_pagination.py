"""Walking pages with a scripted list method that records how it was called."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from kfp_server_api.exceptions import (
    ApiException,
    ApiTypeError,
    ApiValueError,
    OpenApiException,
)
from kfp_server_api.pagination import (
    DEFAULT_MAX_EMPTY_PAGES,
    TOKEN_CARRIED_PARAMS,
    PaginationError,
    iter_pages,
    paginate,
)


class FakeListRunsResponse:
    """Shaped like a generated list response: one list field named in openapi_types."""

    openapi_types: ClassVar[dict[str, str]] = {
        "runs": "list[ApiRun]",
        "total_size": "int",
        "next_page_token": "str",
    }

    def __init__(self, runs: list[str] | None, next_page_token: str | None) -> None:
        self.runs = runs
        self.total_size = 0
        self.next_page_token = next_page_token


class ScriptedList:
    """A list method that answers from a script of (items, next token) and records each call."""

    def __init__(self, *pages: tuple[list[str] | None, str | None]) -> None:
        self.pages = list(pages)
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> FakeListRunsResponse:
        self.calls.append(kwargs)
        items, token = self.pages[len(self.calls) - 1]
        return FakeListRunsResponse(items, token)


def test_walks_every_page_in_order_until_the_token_is_empty() -> None:
    list_runs = ScriptedList((["a", "b"], "t1"), (["c", "d"], "t2"), (["e"], ""))

    assert list(paginate(list_runs, page_size=2)) == ["a", "b", "c", "d", "e"]
    assert [call.get("page_token") for call in list_runs.calls] == [None, "t1", "t2"]
    assert all(call["page_size"] == 2 for call in list_runs.calls)


def test_an_absent_token_ends_the_walk_too() -> None:
    list_runs = ScriptedList((["a"], "t1"), (["b"], None))

    assert list(paginate(list_runs)) == ["a", "b"]
    assert len(list_runs.calls) == 2


def test_page_size_is_not_sent_unless_given() -> None:
    list_runs = ScriptedList((["a"], None))

    list(paginate(list_runs))

    assert list_runs.calls == [{}]


def test_criteria_in_the_token_go_only_with_the_first_request() -> None:
    list_runs = ScriptedList((["a"], "t1"), (["b"], "t2"), (["c"], None))
    arguments = {
        "filter": '{"predicates":[]}',
        "sort_by": "name desc",
        "resource_reference_key_type": "EXPERIMENT",
        "resource_reference_key_id": "e1",
        "_request_timeout": 5,
    }

    assert list(paginate(list_runs, page_size=1, **arguments)) == ["a", "b", "c"]

    first, *later = list_runs.calls
    assert first == {**arguments, "page_size": 1}
    repeated = {k: v for k, v in arguments.items() if k not in TOKEN_CARRIED_PARAMS}
    assert later == [
        {**repeated, "page_size": 1, "page_token": "t1"},
        {**repeated, "page_size": 1, "page_token": "t2"},
    ]
    assert {"filter", "sort_by"} == TOKEN_CARRIED_PARAMS


def test_an_empty_page_that_carries_a_token_is_not_the_end() -> None:
    list_runs = ScriptedList((["a"], "t1"), ([], "t2"), (None, "t3"), (["b"], None))

    assert list(paginate(list_runs)) == ["a", "b"]
    assert len(list_runs.calls) == 4


def test_an_empty_first_page_without_token_yields_nothing() -> None:
    assert list(paginate(ScriptedList((None, None)))) == []


def test_a_repeated_token_raises_instead_of_looping() -> None:
    list_runs = ScriptedList((["a"], "t1"), (["b"], "t1"))
    walked: list[str] = []

    with pytest.raises(PaginationError) as caught:
        walked.extend(paginate(list_runs))

    assert walked == ["a", "b"]  # the page that carried the repeat was still a valid answer
    assert len(list_runs.calls) == 2
    assert caught.value.token == "t1"
    assert caught.value.pages == 2
    assert "page token 't1' again after 2 page(s)" in caught.value.message
    assert isinstance(caught.value, ApiValueError)


def test_a_token_cycle_longer_than_one_page_is_caught() -> None:
    list_runs = ScriptedList(([], "A"), ([], "B"), ([], "A"))

    with pytest.raises(PaginationError, match="'A' again after 3 page"):
        list(iter_pages(list_runs))

    assert [call.get("page_token") for call in list_runs.calls] == [None, "A", "B"]


def test_the_starting_token_counts_as_sent() -> None:
    list_runs = ScriptedList((["a"], "start"))

    with pytest.raises(PaginationError):
        list(paginate(list_runs, page_token="start"))

    assert list_runs.calls == [{"page_token": "start"}]


def test_starting_from_a_token_sends_the_given_arguments_with_it() -> None:
    list_runs = ScriptedList((["c"], None))

    assert list(paginate(list_runs, page_token="t2", page_size=5, sort_by="name")) == ["c"]
    assert list_runs.calls == [{"sort_by": "name", "page_size": 5, "page_token": "t2"}]


@pytest.mark.parametrize(
    ("max_items", "expected", "calls"),
    [
        (0, [], 0),
        (1, ["a"], 1),
        (2, ["a", "b"], 1),  # the end of a page: the next page is not requested
        (3, ["a", "b", "c"], 2),
        (10, ["a", "b", "c", "d", "e"], 3),
    ],
)
def test_max_items_stops_early_without_extra_requests(
    max_items: int, expected: list[str], calls: int
) -> None:
    list_runs = ScriptedList((["a", "b"], "t1"), (["c", "d"], "t2"), (["e"], None))

    assert list(paginate(list_runs, max_items=max_items)) == expected
    assert len(list_runs.calls) == calls


def test_iter_pages_yields_the_responses_and_honours_max_pages() -> None:
    list_runs = ScriptedList((["a"], "t1"), (["b"], "t2"), (["c"], None))

    pages = list(iter_pages(list_runs, page_size=1, max_pages=2))

    assert [page.runs for page in pages] == [["a"], ["b"]]
    assert all(isinstance(page, FakeListRunsResponse) for page in pages)
    assert len(list_runs.calls) == 2
    assert list(iter_pages(ScriptedList(), max_pages=0)) == []


def test_nothing_is_requested_until_iteration_starts() -> None:
    list_runs = ScriptedList((["a"], None))

    items = paginate(list_runs, filter="{}")
    assert list_runs.calls == []
    assert next(items) == "a"
    assert len(list_runs.calls) == 1


class TwoLists(FakeListRunsResponse):
    openapi_types: ClassVar[dict[str, str]] = {
        "runs": "list[ApiRun]",
        "others": "list[str]",
        "next_page_token": "str",
    }

    def __init__(self) -> None:
        super().__init__(["r"], None)
        self.others = ["o"]


class Untyped:
    def __init__(self) -> None:
        self.things = ["x"]
        self.next_page_token = None


def test_items_attribute_can_be_named_when_it_cannot_be_found() -> None:
    assert list(paginate(lambda **_: TwoLists(), items="others")) == ["o"]
    assert list(paginate(lambda **_: Untyped(), items="things")) == ["x"]
    with pytest.raises(PaginationError, match=r"list fields \['runs', 'others'\].*items="):
        list(paginate(lambda **_: TwoLists()))
    with pytest.raises(PaginationError, match="no list field in openapi_types"):
        list(paginate(lambda **_: Untyped()))
    with pytest.raises(PaginationError, match="has no attribute 'missing'"):
        list(paginate(lambda **_: Untyped(), items="missing"))


def test_a_response_without_a_token_field_is_refused() -> None:
    with pytest.raises(PaginationError, match="without next_page_token"):
        list(iter_pages(lambda **_: ("data", 200, {})))


def test_errors_of_the_list_method_pass_through_unchanged() -> None:
    failure = ApiException(status=503, reason="Service Unavailable")
    calls = 0

    def list_runs(**_: Any) -> FakeListRunsResponse:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise failure
        return FakeListRunsResponse(["a"], "t1")

    walked: list[str] = []
    with pytest.raises(ApiException) as caught:
        walked.extend(paginate(list_runs))

    assert caught.value is failure
    assert walked == ["a"]


@pytest.mark.parametrize(
    ("arguments", "error", "words"),
    [
        ({"list_method": "list_runs"}, ApiTypeError, "list_method must be callable"),
        ({"max_items": -1}, ApiValueError, "max_items must not be negative"),
        ({"max_items": True}, ApiTypeError, "max_items must be an int"),
        ({"max_items": 2.5}, ApiTypeError, "max_items must be an int"),
        ({"items": 3}, ApiTypeError, "items must be an attribute name"),
        ({"async_req": True}, ApiValueError, "async_req"),
        ({"_preload_content": False}, ApiValueError, "_preload_content"),
    ],
)
def test_invalid_arguments_fail_before_any_request(
    arguments: dict[str, Any], error: type[OpenApiException], words: str
) -> None:
    list_runs = ScriptedList((["a"], None))
    arguments = {"list_method": list_runs, **arguments}

    with pytest.raises(error, match=words):
        paginate(**arguments)

    assert list_runs.calls == []


def test_iter_pages_checks_its_arguments_before_any_request() -> None:
    list_runs = ScriptedList((["a"], None))

    with pytest.raises(ApiValueError, match="max_pages must not be negative"):
        iter_pages(list_runs, max_pages=-1)
    with pytest.raises(ApiValueError, match="async_req"):
        iter_pages(list_runs, async_req=True)
    assert list_runs.calls == []


def test_harmless_options_are_allowed() -> None:
    list_runs = ScriptedList((["a"], None))

    assert list(paginate(list_runs, async_req=False, _preload_content=True)) == ["a"]
    assert list_runs.calls == [{"async_req": False, "_preload_content": True}]


class EndlessEmptyPages:
    """A hostile list method: every page is empty and carries a new token, for ever."""

    def __init__(self, items_on_first_page: list[str] | None = None) -> None:
        self.calls = 0
        self.first = items_on_first_page

    def __call__(self, **kwargs: Any) -> FakeListRunsResponse:
        self.calls += 1
        if self.calls > 10_000:
            raise AssertionError("the walk never stopped")
        return FakeListRunsResponse(self.first if self.calls == 1 else [], f"t{self.calls}")


def test_endless_empty_pages_stop_at_the_default_bound() -> None:
    list_runs = EndlessEmptyPages()

    with pytest.raises(PaginationError) as caught:
        list(paginate(list_runs))

    assert list_runs.calls == DEFAULT_MAX_EMPTY_PAGES == 100
    assert caught.value.pages == 100
    assert caught.value.token == "t100"
    assert "100 pages in a row had no items but a new page token" in str(caught.value)
    assert "max_empty_pages=100" in str(caught.value)


def test_the_empty_page_bound_is_a_parameter_and_items_reset_it() -> None:
    list_runs = EndlessEmptyPages(items_on_first_page=["a"])
    walk = paginate(list_runs, max_empty_pages=3)
    assert next(walk) == "a"
    with pytest.raises(PaginationError, match="3 pages in a row"):
        next(walk)
    assert list_runs.calls == 4

    few = ScriptedList(([], "t1"), ([], "t2"), (["a"], "t3"), ([], "t4"), (["b"], ""))
    assert list(paginate(few, max_empty_pages=3)) == ["a", "b"]


@pytest.mark.parametrize(("bound", "error"), [(-1, ApiValueError), ("3", ApiTypeError)])
def test_an_invalid_empty_page_bound_is_refused_at_once(bound: Any, error: type) -> None:
    with pytest.raises(error, match="max_empty_pages"):
        paginate(EndlessEmptyPages(), max_empty_pages=bound)


def test_no_bound_walks_on() -> None:
    list_runs = EndlessEmptyPages()
    walk = paginate(list_runs, max_empty_pages=None)
    with pytest.raises(AssertionError, match="never stopped"):
        next(walk)
