"""ExperimentServiceApi over real HTTP: the exact request of every endpoint and its typed result
(against the scripted loopback server), then every endpoint against the emulator."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
from endpoint_cases import Call, call_params, exercise
from servers.loopback import LoopbackServer, Reply

from kfp_server_api import (
    ApiClient,
    ApiExperiment,
    ApiExperimentStorageState,
    ApiListExperimentsResponse,
    ApiRelationship,
    ApiResourceKey,
    ApiResourceReference,
    ApiResourceType,
    ApiTypeError,
    ApiValueError,
    BadRequestException,
    Configuration,
    ConflictException,
    ExperimentServiceApi,
    NotFoundException,
)
from kfp_server_api.emulator import Emulator, ManualClock
from kfp_server_api.filters import Filter, eq
from kfp_server_api.pagination import paginate

EXPERIMENTS = "/apis/v1beta1/experiments"

NAMESPACE_OWNER_JSON = {"key": {"type": "NAMESPACE", "id": "team-a"}, "relationship": "OWNER"}
NAMESPACE_OWNER = ApiResourceReference(
    key=ApiResourceKey(type=ApiResourceType.NAMESPACE, id="team-a"),
    relationship=ApiRelationship.OWNER,
)
# As the KFP server writes it: snake_case keys, zero values omitted.
EXPERIMENT_JSON: dict[str, Any] = {
    "id": "e-1",
    "name": "demo",
    "description": "nightly models",
    "created_at": "2024-03-01T10:00:00Z",
    "resource_references": [NAMESPACE_OWNER_JSON],
    "storage_state": "STORAGESTATE_AVAILABLE",
}
EXPERIMENT = ApiExperiment(
    id="e-1",
    name="demo",
    description="nightly models",
    created_at=datetime(2024, 3, 1, 10, 0, tzinfo=timezone.utc),
    resource_references=[NAMESPACE_OWNER],
    storage_state=ApiExperimentStorageState.AVAILABLE,
)
NEW_EXPERIMENT = ApiExperiment(
    name="demo", description="nightly models", resource_references=[NAMESPACE_OWNER]
)
FILTER = Filter.where(eq("name", "demo"))
FILTER_QUERY = (
    "%7B%22predicates%22%3A%5B%7B%22key%22%3A%22name%22%2C%22op%22%3A%22EQUALS%22"
    "%2C%22string_value%22%3A%22demo%22%7D%5D%7D"
)
NOT_FOUND = "ResourceNotFoundError: Experiment e-9 not found."

CALLS = [
    Call(
        "archive_experiment",
        ("e-1",),
        method="POST",
        target=f"{EXPERIMENTS}/e-1:archive",
        reply={},
        expect={},
    ),
    Call(
        "create_experiment",
        (NEW_EXPERIMENT,),
        method="POST",
        target=EXPERIMENTS,
        body={
            "name": "demo",
            "description": "nightly models",
            "resource_references": [NAMESPACE_OWNER_JSON],
        },
        reply=EXPERIMENT_JSON,
        expect=EXPERIMENT,
    ),
    Call(
        "delete_experiment",
        ("e-1",),
        method="DELETE",
        target=f"{EXPERIMENTS}/e-1",
        reply={},
        expect={},
    ),
    Call(
        "get_experiment",
        ("e/1",),
        target=f"{EXPERIMENTS}/e%2F1",
        reply=EXPERIMENT_JSON,
        expect=EXPERIMENT,
    ),
    Call(
        "list_experiment",
        target=EXPERIMENTS,
        reply={"experiments": [EXPERIMENT_JSON], "total_size": 1, "next_page_token": "t1"},
        expect=ApiListExperimentsResponse(
            experiments=[EXPERIMENT], total_size=1, next_page_token="t1"
        ),
    ),
    # Keywords given out of order: the query follows the declared (1.8.5) order.
    Call(
        "list_experiment",
        kwargs={
            "resource_reference_key_id": "team-a",
            "filter": FILTER,
            "resource_reference_key_type": ApiResourceType.NAMESPACE,
            "sort_by": "created_at desc",
            "page_size": 5,
            "page_token": "t1",
        },
        target=f"{EXPERIMENTS}?page_token=t1&page_size=5&sort_by=created_at+desc"
        f"&filter={FILTER_QUERY}"
        "&resource_reference_key.type=NAMESPACE&resource_reference_key.id=team-a",
        reply={},
        expect=ApiListExperimentsResponse(),
    ),
    Call(
        "unarchive_experiment",
        ("e-1",),
        method="POST",
        target=f"{EXPERIMENTS}/e-1:unarchive",
        reply={},
        expect={},
    ),
    Call(
        "get_experiment",
        ("e-9",),
        target=f"{EXPERIMENTS}/e-9",
        reply=Reply.kfp_error(404, 5, NOT_FOUND),
        raises=NotFoundException,
        expect={"status": 404, "code": 5, "message": NOT_FOUND},
    ),
    Call(
        "create_experiment",
        (None,),
        raises=ApiValueError,
        expect={
            "message": "Missing the required parameter `body` when calling `create_experiment`"
        },
    ),
    Call(
        "list_experiment",
        kwargs={"namespace": "team-a"},
        raises=ApiTypeError,
        expect={
            "message": "Got an unexpected keyword argument 'namespace' to method list_experiment"
        },
    ),
]


@pytest.mark.parametrize("call", call_params(ExperimentServiceApi, CALLS))
def test_call(server: LoopbackServer, api_client: ApiClient, call: Call) -> None:
    exercise(server, ExperimentServiceApi(api_client), call)


# --- against the emulator -----------------------------------------------------------------------
# The same methods against a real server: the emulator, over real HTTP.


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator(lifecycle="manual", clock=ManualClock()) as server:
        yield server


@pytest.fixture
def experiments(emulator: Emulator) -> Iterator[ExperimentServiceApi]:
    with ApiClient(Configuration(host=emulator.url)) as client:
        yield ExperimentServiceApi(client)


CREATED_AT = datetime(2022, 3, 1, 10, 0, tzinfo=timezone.utc)  # the ManualClock's start


def test_create_then_get_returns_typed_experiments(experiments: ExperimentServiceApi) -> None:
    created = experiments.create_experiment(
        ApiExperiment(name="churn", description="nightly models")
    )

    assert isinstance(created, ApiExperiment)
    assert created == ApiExperiment(
        id=created.id,
        name="churn",
        description="nightly models",
        created_at=CREATED_AT,
        storage_state=ApiExperimentStorageState.AVAILABLE,
    )
    assert experiments.get_experiment(created.id) == created
    data, status, headers = experiments.get_experiment_with_http_info(created.id)
    assert (data, status, headers["Content-Type"]) == (created, 200, "application/json")


def test_errors_are_typed_with_the_servers_message(experiments: ExperimentServiceApi) -> None:
    experiments.create_experiment(ApiExperiment(name="taken"))

    with pytest.raises(ConflictException) as conflict:
        experiments.create_experiment(ApiExperiment(name="taken"))
    with pytest.raises(BadRequestException) as empty:
        experiments.create_experiment(ApiExperiment(description="no name"))
    with pytest.raises(BadRequestException) as namespaced:
        experiments.create_experiment(NEW_EXPERIMENT)
    with pytest.raises(NotFoundException) as missing:
        experiments.delete_experiment("e-9")

    assert (conflict.value.status, conflict.value.code) == (409, 6)
    assert conflict.value.message == (
        "Create experiment failed.: Already exist error: Failed to create a new experiment. "
        "The name taken already exists. Please specify a new name."
    )
    assert (empty.value.status, empty.value.code) == (400, 3)
    assert "Experiment name is empty" in empty.value.message
    assert "shouldn't contain resource references" in namespaced.value.message
    assert missing.value.message == "Delete experiment failed: " + NOT_FOUND
    listed = experiments.list_experiment(sort_by="name").experiments
    assert [e.name for e in listed] == ["Default", "taken"]


def test_list_pages_sorts_and_filters(experiments: ExperimentServiceApi) -> None:
    for name in ("demo", "alpha", "zeta", "demo-2"):
        experiments.create_experiment(ApiExperiment(name=name))

    first = experiments.list_experiment(page_size=2, sort_by="name desc")
    rest = experiments.list_experiment(page_token=first.next_page_token, page_size=10)
    found = experiments.list_experiment(filter=FILTER)
    every = [e.name for e in paginate(experiments.list_experiment, page_size=2, sort_by="name")]

    assert isinstance(first, ApiListExperimentsResponse)
    assert [e.name for e in first.experiments] == ["zeta", "demo-2"]
    assert first.total_size == 5
    assert [e.name for e in rest.experiments] == ["demo", "alpha", "Default"]
    assert rest.next_page_token is None
    assert [e.name for e in found.experiments] == ["demo"]
    assert every == ["Default", "alpha", "demo", "demo-2", "zeta"]
    with pytest.raises(BadRequestException, match="cannot filter by namespace"):
        experiments.list_experiment(
            resource_reference_key_type=ApiResourceType.NAMESPACE, resource_reference_key_id="a"
        )


def test_archive_unarchive_delete(experiments: ExperimentServiceApi, emulator: Emulator) -> None:
    experiment = experiments.create_experiment(ApiExperiment(name="demo"))
    archived_only = Filter.where(eq("storage_state", ApiExperimentStorageState.ARCHIVED))

    assert experiments.archive_experiment(experiment.id) == {}
    archived = experiments.list_experiment(filter=archived_only).experiments
    assert experiments.unarchive_experiment_with_http_info(experiment.id)[:2] == ({}, 200)
    restored = experiments.get_experiment(experiment.id).storage_state
    assert experiments.delete_experiment(experiment.id) == {}

    assert [e.id for e in archived] == [experiment.id]
    assert archived[0].storage_state == ApiExperimentStorageState.ARCHIVED
    assert restored == ApiExperimentStorageState.AVAILABLE
    with pytest.raises(NotFoundException):
        experiments.get_experiment(experiment.id)
    assert [e.id for e in experiments.list_experiment().experiments] == [
        emulator.default_experiment_id
    ]


def test_async_req_and_preload_content(experiments: ExperimentServiceApi) -> None:
    created = experiments.create_experiment(ApiExperiment(name="async"))

    pending = experiments.get_experiment(created.id, async_req=True)
    raw = experiments.get_experiment(created.id, _preload_content=False)

    assert pending.get(timeout=30) == created
    assert json.loads(raw.data) == {
        "id": created.id,
        "name": "async",
        "created_at": "2022-03-01T10:00:00Z",
        "storage_state": "STORAGESTATE_AVAILABLE",
    }
