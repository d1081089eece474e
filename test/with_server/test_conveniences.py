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
import tarfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote_plus

import pytest
from loopback import LoopbackServer, Reply

from kfp_server_api import ApiClient, ApiReadArtifactResponse, Configuration, RunServiceApi
from kfp_server_api.artifacts import artifact_bytes, extract
from kfp_server_api.filters import Filter, Long, RunKey, contains, eq, in_, ne
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
