"""Filters, pagination and artifact helpers over real HTTP.

Against the scripted loopback server: the exact query the server receives, and pagination
through ``RunServiceApi.list_runs`` with scripted pages (including a server that repeats a
token). Against the emulator: filters on stored runs for every op and value kind, paging over a
few hundred runs, and reading an attached artifact.
"""

from __future__ import annotations

import base64
import io
import json
import re
import tarfile
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote_plus

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from servers.loopback import LoopbackServer, Reply

from kfp_server_api import (
    ApiClient,
    ApiListRunsResponse,
    ApiReadArtifactResponse,
    ApiValueError,
    BadRequestException,
    Configuration,
    RunServiceApi,
)
from kfp_server_api.artifacts import ArtifactArchive, ArtifactError, artifact_bytes, extract
from kfp_server_api.emulator import Emulator, RunSeed
from kfp_server_api.filters import (
    Filter,
    Long,
    Op,
    Predicate,
    RunKey,
    ValueKind,
    contains,
    eq,
    gt,
    gte,
    in_,
    lt,
    lte,
    ne,
)
from kfp_server_api.pagination import PaginationError, iter_pages, paginate


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    with LoopbackServer() as server:
        yield server


@pytest.fixture
def loopback_api(loopback: LoopbackServer) -> Iterator[RunServiceApi]:
    with ApiClient(Configuration(host=loopback.url)) as client:
        yield RunServiceApi(client)


def _page(run_ids: list[str], token: str | None = None) -> Reply:
    payload: dict[str, object] = {"runs": [{"id": run_id} for run_id in run_ids]}
    if token:
        payload["next_page_token"] = token
    return Reply.json(payload)


def _filter_param(query: list[tuple[str, str]]) -> str:
    return next(value for name, value in query if name == "filter")


AWKWARD = Filter.where(
    eq(RunKey.NAME, "a+b 100% ünï"),
    contains(RunKey.DESCRIPTION, "50%+"),
    in_(RunKey.ID, ["x&y=z", "#frag?"]),
    ne(RunKey.SCHEDULED_AT, Long(2**40)),
)


def test_the_server_receives_the_filter_json_and_a_second_decoding_keeps_it(
    loopback: LoopbackServer, loopback_api: RunServiceApi
) -> None:
    loopback.enqueue(_page([]))

    loopback_api.list_runs(filter=str(AWKWARD))

    received = _filter_param(loopback.last.query)
    assert received == AWKWARD.to_json()
    # The KFP server URL-decodes the filter once more before parsing it.
    assert unquote_plus(received) == received
    assert Filter.from_json(unquote_plus(received)) == AWKWARD
    assert json.loads(received) == AWKWARD.to_dict()


def test_list_runs_takes_a_filter_object(
    loopback: LoopbackServer, loopback_api: RunServiceApi
) -> None:
    loopback.enqueue(_page([]))

    loopback_api.list_runs(filter=AWKWARD)

    assert _filter_param(loopback.last.query) == AWKWARD.to_json()


def test_paginate_drives_list_runs_over_http(
    loopback: LoopbackServer, loopback_api: RunServiceApi
) -> None:
    loopback.enqueue(_page(["r1", "r2"], "tok+/="), _page([], "tok2"), _page(["r3"]))
    f = Filter.where(eq(RunKey.STATUS, "Succeeded"))

    runs = paginate(
        loopback_api.list_runs,
        page_size=2,
        filter=str(f),
        sort_by="name desc",
        resource_reference_key_type="EXPERIMENT",
        resource_reference_key_id="e1",
    )

    assert [run.id for run in runs] == ["r1", "r2", "r3"]
    queries = [dict(request.query) for request in loopback.requests]
    reference = {"resource_reference_key.type": "EXPERIMENT", "resource_reference_key.id": "e1"}
    assert queries == [
        {"page_size": "2", "sort_by": "name desc", "filter": str(f), **reference},
        {"page_token": "tok+/=", "page_size": "2", **reference},
        {"page_token": "tok2", "page_size": "2", **reference},
    ]


def test_a_server_repeating_its_token_stops_the_walk(
    loopback: LoopbackServer, loopback_api: RunServiceApi
) -> None:
    loopback.enqueue(_page(["r1"], "same"), _page(["r2"], "same"))

    with pytest.raises(PaginationError, match="'same' again"):
        list(iter_pages(loopback_api.list_runs))

    assert len(loopback.requests) == 2


def _tar_gz(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def test_read_artifact_response_decodes_and_extracts(
    loopback: LoopbackServer, loopback_api: RunServiceApi, tmp_path: Path
) -> None:
    stored = _tar_gz({"mlpipeline-metrics.json": b'{"metrics":[]}'})
    loopback.enqueue(Reply.json({"data": base64.b64encode(stored).decode("ascii")}), Reply.json({}))

    response = loopback_api.read_artifact("run-1", "node-1", "mlpipeline-metrics")
    empty = loopback_api.read_artifact("run-1", "node-1", "missing-object")

    assert isinstance(response, ApiReadArtifactResponse)
    assert artifact_bytes(response) == stored
    assert extract(response, tmp_path) == [tmp_path / "mlpipeline-metrics.json"]
    assert (tmp_path / "mlpipeline-metrics.json").read_bytes() == b'{"metrics":[]}'
    assert artifact_bytes(empty) == b""


# --- against the emulator ----------------------------------------------------------------------

T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)
T0_SECONDS = int(T0.timestamp())


def _at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


# name, status, created_at offset, scheduled_at offset (None: not scheduled), description, archived
STORED_RUNS = [
    ("alpha", "Succeeded", 0, None, "nightly build", False),
    ("beta", "Failed", 10, 15, "nightly test", False),
    ("gamma", "Running", 20, None, "adhoc", True),
    ("delta", "Succeeded", 30, 35, "", False),
    ("epsilon", "Pending", 40, None, "weekly build", False),
]
ALL_NAMES = {name for name, *_ in STORED_RUNS}


@pytest.fixture(scope="module")
def filter_server() -> Iterator[Emulator]:
    with Emulator(lifecycle="manual") as server:
        server.seed_runs(
            RunSeed(
                name=name,
                status=status,
                created_at=_at(created),
                scheduled_at=None if scheduled is None else _at(scheduled),
                description=description,
                archived=archived,
            )
            for name, status, created, scheduled, description, archived in STORED_RUNS
        )
        yield server


@pytest.fixture(scope="module")
def filter_api(filter_server: Emulator) -> Iterator[RunServiceApi]:
    with ApiClient(Configuration(host=filter_server.url)) as client:
        yield RunServiceApi(client)


# (filter, names of the stored runs it must select): every op, every value kind.
FILTER_CASES = [
    # string_value, every op
    (eq(RunKey.STATUS, "Succeeded"), {"alpha", "delta"}),
    (ne(RunKey.STATUS, "Succeeded"), {"beta", "gamma", "epsilon"}),
    (gt(RunKey.NAME, "delta"), {"epsilon", "gamma"}),
    (gte(RunKey.NAME, "delta"), {"delta", "epsilon", "gamma"}),
    (lt(RunKey.NAME, "beta"), {"alpha"}),
    (lte(RunKey.NAME, "beta"), {"alpha", "beta"}),
    (contains(RunKey.DESCRIPTION, "nightly"), {"alpha", "beta"}),
    (contains(RunKey.NAME, "lph"), {"alpha"}),
    (eq(RunKey.DESCRIPTION, ""), {"delta"}),
    (eq(RunKey.STORAGE_STATE, "STORAGESTATE_ARCHIVED"), {"gamma"}),
    (ne(RunKey.STORAGE_STATE, "STORAGESTATE_ARCHIVED"), ALL_NAMES - {"gamma"}),
    # string_values
    (in_(RunKey.NAME, ["alpha", "gamma", "zeta"]), {"alpha", "gamma"}),
    (in_(RunKey.STATUS, {"Failed", "Pending"}), {"beta", "epsilon"}),
    (in_(RunKey.NAME, []), set()),
    # timestamp_value, every scalar op, aware, naive and text forms
    (gt(RunKey.CREATED_AT, _at(20)), {"delta", "epsilon"}),
    (gte(RunKey.CREATED_AT, _at(20)), {"gamma", "delta", "epsilon"}),
    (lt(RunKey.CREATED_AT, _at(10)), {"alpha"}),
    (lte(RunKey.CREATED_AT, _at(10).replace(tzinfo=None)), {"alpha", "beta"}),
    (eq(RunKey.CREATED_AT, _at(30).astimezone(timezone(timedelta(hours=-5)))), {"delta"}),
    (ne(RunKey.CREATED_AT, _at(30)), ALL_NAMES - {"delta"}),
    (gt(RunKey.SCHEDULED_AT, _at(0)), {"beta", "delta"}),
    (lt(RunKey.CREATED_AT, "2024-01-01T00:00:05+00:00", kind=ValueKind.TIMESTAMP), {"alpha"}),
    # int_value and long_value compare with the stored Unix seconds
    (gt(RunKey.CREATED_AT, T0_SECONDS + 20), {"delta", "epsilon"}),
    (eq(RunKey.CREATED_AT, Long(T0_SECONDS + 10)), {"beta"}),
    (lte(RunKey.SCHEDULED_AT, T0_SECONDS + 15, kind=ValueKind.LONG), ALL_NAMES - {"delta"}),
    # int_values and long_values
    (in_(RunKey.CREATED_AT, [T0_SECONDS, T0_SECONDS + 30]), {"alpha", "delta"}),
    (in_(RunKey.CREATED_AT, [Long(T0_SECONDS + 10)]), {"beta"}),
    (in_(RunKey.SCHEDULED_AT, [], kind=ValueKind.LONGS), set()),
    # several predicates are AND-ed
    (
        Filter.where(eq(RunKey.STATUS, "Succeeded"), gt(RunKey.CREATED_AT, _at(0))),
        {"delta"},
    ),
]


def _as_filter(case: Predicate | Filter) -> Filter:
    return case if isinstance(case, Filter) else Filter.where(case)


@pytest.mark.parametrize(("case", "expected"), FILTER_CASES, ids=lambda c: str(c)[:80])
@pytest.mark.parametrize("form", ["text", "object"])
def test_the_emulator_selects_what_the_filter_says(
    filter_api: RunServiceApi, case: Predicate | Filter, expected: set[str], form: str
) -> None:
    f = _as_filter(case)
    argument: str | Filter = str(f) if form == "text" else f

    page = filter_api.list_runs(filter=argument, page_size=100)

    assert {run.name for run in page.runs or []} == expected
    assert (page.total_size or 0) == len(expected)


def test_every_op_and_value_kind_is_exercised_against_the_emulator() -> None:
    used = [p for case, _ in FILTER_CASES for p in _as_filter(case)]
    assert {p.op for p in used} == set(Op)
    assert {p.kind for p in used} == set(ValueKind)


_LOWER_BOUNDS = [
    pytest.param(_at(0), id="timestamp"),
    pytest.param(T0_SECONDS, id="int"),
    pytest.param(Long(T0_SECONDS), id="long"),
]


@pytest.mark.parametrize("page_size", [1, 2])
@pytest.mark.parametrize("since", _LOWER_BOUNDS)
def test_a_filtered_walk_keeps_its_filter_across_pages(
    filter_api: RunServiceApi, page_size: int, since: datetime | int | Long
) -> None:
    f = Filter.where(ne(RunKey.STATUS, "Failed"), gte(RunKey.CREATED_AT, since))

    names = [
        run.name
        for run in paginate(
            filter_api.list_runs, page_size=page_size, filter=f, sort_by="created_at desc"
        )
    ]

    assert names == ["epsilon", "delta", "gamma", "alpha"]


# Filters the builder refuses to make, sent as raw JSON: the emulator refuses them too.
REFUSED_BY_BOTH = [
    '{"predicates":[{"key":"name","op":"IN","string_value":"alpha"}]}',
    '{"predicates":[{"key":"name","op":"EQUALS","string_values":{"values":["alpha"]}}]}',
    '{"predicates":[{"key":"name","op":"IS_SUBSTRING","int_value":1}]}',
    '{"predicates":[{"key":"name","op":"UNKNOWN","string_value":"alpha"}]}',
    '{"predicates":[{"key":"name","op":"EQUALS"}]}',
    '{"predicates":[{"key":"name","op":"EQUALS","string_value":"a","foo":1}]}',
    '{"predicates":[{"key":"created_at","op":"LESS_THAN","timestamp_value":"yesterday"}]}',
    '{"predicates":[{"key":"name","op":"EQUALS","int_value":"ten"}]}',
]


@pytest.mark.parametrize("text", REFUSED_BY_BOTH)
def test_what_the_builder_refuses_the_emulator_refuses(
    filter_api: RunServiceApi, text: str
) -> None:
    with pytest.raises(ApiValueError):
        Filter.from_json(text)
    with pytest.raises(BadRequestException):
        filter_api.list_runs(filter=text)


def test_an_unknown_key_is_left_to_the_server(filter_api: RunServiceApi) -> None:
    f = Filter.where(eq("finished_at", "x"))

    with pytest.raises(BadRequestException, match="unrecognized field"):
        filter_api.list_runs(filter=f)


PAGED_RUNS = 301


@pytest.fixture(scope="module")
def paging_server() -> Iterator[tuple[Emulator, list[str]]]:
    with Emulator(lifecycle="manual") as server:
        ids = server.seed_runs(
            RunSeed(name=f"run-{number:03d}", created_at=_at(number))
            for number in range(PAGED_RUNS)
        )
        yield server, ids


@pytest.fixture(scope="module")
def paging_api(paging_server: tuple[Emulator, list[str]]) -> Iterator[RunServiceApi]:
    with ApiClient(Configuration(host=paging_server[0].url)) as client:
        yield RunServiceApi(client)


class CountingCalls:
    """Wraps a list method and counts the requests made through it."""

    def __init__(self, method: Callable[..., ApiListRunsResponse]) -> None:
        self.method = method
        self.calls = 0

    def __call__(self, **kwargs: object) -> ApiListRunsResponse:
        self.calls += 1
        return self.method(**kwargs)


@pytest.mark.parametrize(
    ("page_size", "requests"),
    [(1, 301), (7, 43), (100, 4), (200, 2), (300, 2), (None, 16)],  # 300 is clamped to 200
)
def test_paginate_yields_every_run_once_in_order(
    paging_server: tuple[Emulator, list[str]],
    paging_api: RunServiceApi,
    page_size: int | None,
    requests: int,
) -> None:
    list_runs = CountingCalls(paging_api.list_runs)

    ids = [run.id for run in paginate(list_runs, page_size=page_size)]

    assert ids == paging_server[1]
    assert list_runs.calls == requests


def test_pages_report_the_total_and_sorting_holds_across_them(
    paging_server: tuple[Emulator, list[str]], paging_api: RunServiceApi
) -> None:
    pages = list(iter_pages(paging_api.list_runs, page_size=64, sort_by="name desc"))

    assert [len(page.runs or []) for page in pages] == [64, 64, 64, 64, 45]
    assert {page.total_size for page in pages} == {PAGED_RUNS}
    names = [run.name for page in pages for run in page.runs or []]
    assert names == [f"run-{number:03d}" for number in reversed(range(PAGED_RUNS))]


def test_max_items_stops_without_fetching_more(
    paging_server: tuple[Emulator, list[str]], paging_api: RunServiceApi
) -> None:
    list_runs = CountingCalls(paging_api.list_runs)

    ids = [run.id for run in paginate(list_runs, page_size=50, max_items=120)]

    assert ids == paging_server[1][:120]
    assert list_runs.calls == 3


@pytest.mark.parametrize(
    "since",
    [
        pytest.param(_at(100), id="timestamp"),
        pytest.param(T0_SECONDS + 100, id="int"),
    ],
)
def test_a_filtered_sorted_walk_over_many_pages(
    paging_api: RunServiceApi, since: datetime | int
) -> None:
    f = Filter.where(gte(RunKey.CREATED_AT, since), lt(RunKey.CREATED_AT, T0_SECONDS + 250))

    names = [
        run.name
        for run in paginate(paging_api.list_runs, page_size=13, filter=f, sort_by="created_at desc")
    ]

    assert names == [f"run-{number:03d}" for number in reversed(range(100, 250))]


@pytest.fixture(scope="module")
def scratch_server() -> Iterator[Emulator]:
    """An emulator the tests below add runs to (the others keep their runs fixed)."""
    with Emulator(lifecycle="manual") as server:
        yield server


@pytest.fixture(scope="module")
def scratch_api(scratch_server: Emulator) -> Iterator[RunServiceApi]:
    with ApiClient(Configuration(host=scratch_server.url)) as client:
        yield RunServiceApi(client)


def test_read_artifact_then_list_read_and_extract(
    scratch_server: Emulator, scratch_api: RunServiceApi, tmp_path: Path
) -> None:
    (run_id,) = scratch_server.seed_runs([RunSeed(name="with-artifacts")])
    files = {"mlpipeline-metrics.json": b'{"metrics":[]}', "data/part-0.csv": b"a,b\n1,2\n"}
    stored = scratch_server.attach_artifact(run_id, "node-1", "mlpipeline-metrics", files=files)

    response = scratch_api.read_artifact(run_id, "node-1", "mlpipeline-metrics")

    assert artifact_bytes(response) == stored
    archive = ArtifactArchive(response)
    assert archive.list_files() == list(files)
    assert archive.read_file("data/part-0.csv") == b"a,b\n1,2\n"
    written = archive.extract(tmp_path)
    assert {path.relative_to(tmp_path).as_posix(): path.read_bytes() for path in written} == files


def test_an_artifact_stored_without_archive_comes_back_as_is(
    scratch_server: Emulator, scratch_api: RunServiceApi
) -> None:
    (run_id,) = scratch_server.seed_runs([RunSeed(name="raw-artifact")])
    scratch_server.attach_artifact(run_id, "node-1", "plain", b"just text")

    response = scratch_api.read_artifact(run_id, "node-1", "plain")

    assert artifact_bytes(response) == b"just text"
    with pytest.raises(ArtifactError, match="neither gzip nor tar"):
        ArtifactArchive(response)


def test_a_hostile_artifact_is_not_extracted(
    scratch_server: Emulator, scratch_api: RunServiceApi, tmp_path: Path
) -> None:
    (run_id,) = scratch_server.seed_runs([RunSeed(name="hostile-artifact")])
    hostile = _tar_gz({"ok.txt": b"ok", "../../escape.txt": b"gotcha"})
    scratch_server.attach_artifact(run_id, "node-1", "evil", hostile)
    target = tmp_path / "out"

    response = scratch_api.read_artifact(run_id, "node-1", "evil")

    with pytest.raises(ArtifactError, match=re.escape("'../../escape.txt' contains '..'")):
        extract(response, target)
    assert list(tmp_path.rglob("*")) == []


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=24))
@example(text="a+b %2B 100% %zz")
@example(text='\\u002b "quoted" \x00 tab\t')
@example(text="ünïcödé 😀 & = ? #")
def test_any_string_value_reaches_the_emulator_intact(
    scratch_server: Emulator, scratch_api: RunServiceApi, text: str
) -> None:
    name = f"exact-{uuid.uuid4()}-{text}"
    (run_id,) = scratch_server.seed_runs([RunSeed(name=name, description=text)])

    exact = scratch_api.list_runs(filter=Filter.where(eq(RunKey.NAME, name)))
    listed = scratch_api.list_runs(filter=Filter.where(in_(RunKey.NAME, [name, "other"])))
    by_substring = scratch_api.list_runs(
        filter=Filter.where(contains(RunKey.NAME, name[:43]), contains(RunKey.DESCRIPTION, text))
    )

    assert [run.id for run in exact.runs or []] == [run_id]
    assert [run.id for run in listed.runs or []] == [run_id]
    assert [run.id for run in by_substring.runs or []] == [run_id]
