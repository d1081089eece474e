"""ExperimentServiceApi over real HTTP: the exact request of every endpoint and its typed result."""

from __future__ import annotations

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
    ExperimentServiceApi,
    NotFoundException,
)
from kfp_server_api.filters import Filter, eq

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
