"""RunServiceApi over real HTTP: the exact request of every endpoint and its typed result."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from multiprocessing.pool import ApplyResult
from typing import Any, Callable

import pytest
from servers.loopback import LoopbackServer, Reply

from kfp_server_api import (
    ApiClient,
    ApiListRunsResponse,
    ApiParameter,
    ApiPipelineSpec,
    ApiReadArtifactResponse,
    ApiRelationship,
    ApiReportRunMetricsRequest,
    ApiReportRunMetricsResponse,
    ApiResourceKey,
    ApiResourceReference,
    ApiResourceType,
    ApiRun,
    ApiRunDetail,
    ApiRunMetric,
    ApiRunStorageState,
    ApiTypeError,
    ApiValueError,
    Configuration,
    NotFoundException,
    RunMetricFormat,
    RunServiceApi,
)
from kfp_server_api.api.run_service_api import RUN_SERVICE_ENDPOINTS

RUNS = "/apis/v1beta1/runs"

# A run as the KFP server writes it: snake_case keys, zero values omitted, whole-second UTC times.
RUN_JSON: dict[str, Any] = {
    "id": "3f1c2d9e-0001",
    "name": "nightly training",
    "storage_state": "STORAGESTATE_ARCHIVED",
    "pipeline_spec": {
        "pipeline_id": "p-1",
        "pipeline_name": "train",
        "parameters": [{"name": "lr", "value": "0.1"}],
        "runtime_config": {
            "parameters": {"epochs": {"int_value": "3"}, "rate": {"double_value": 0.5}},
            "pipeline_root": "gs://bucket/root",
        },
    },
    "resource_references": [
        {"key": {"type": "EXPERIMENT", "id": "e-1"}, "name": "default", "relationship": "OWNER"}
    ],
    "service_account": "pipeline-runner",
    "created_at": "2024-03-01T10:00:00Z",
    "scheduled_at": "2024-03-01T10:00:00Z",
    "finished_at": "1970-01-01T00:00:00Z",
    "status": "Running",
    "metrics": [{"name": "accuracy", "node_id": "node-a", "number_value": 0.93, "format": "RAW"}],
}
RUN_DETAIL_JSON = {
    "run": RUN_JSON,
    "pipeline_runtime": {"workflow_manifest": '{"kind":"Workflow"}'},
}


def check_run_detail(result: Any) -> None:
    assert isinstance(result, ApiRunDetail)
    run = result.run
    assert isinstance(run, ApiRun)
    assert run.id == "3f1c2d9e-0001"
    assert run.storage_state == ApiRunStorageState.ARCHIVED
    assert type(run.storage_state) is str
    assert run.created_at == datetime(2024, 3, 1, 10, 0, tzinfo=timezone.utc)
    assert run.resource_references[0].key.type == ApiResourceType.EXPERIMENT
    assert run.resource_references[0].relationship == ApiRelationship.OWNER
    assert isinstance(run.metrics[0], ApiRunMetric)
    assert run.metrics[0].number_value == 0.93
    assert run.pipeline_spec.runtime_config.parameters["epochs"].int_value == "3"
    assert result.pipeline_runtime.workflow_manifest == '{"kind":"Workflow"}'


def check_list(result: Any) -> None:
    assert isinstance(result, ApiListRunsResponse)
    assert [run.id for run in result.runs] == ["3f1c2d9e-0001", "r-2"]
    assert result.total_size == 2
    assert result.next_page_token == "tok"


def check_artifact(result: Any) -> None:
    assert isinstance(result, ApiReadArtifactResponse)
    assert result.data == "aGVsbG8="


def check_metrics(result: Any) -> None:
    assert isinstance(result, ApiReportRunMetricsResponse)
    assert [(r.metric_name, r.status) for r in result.results] == [
        ("accuracy", "OK"),
        ("loss", "DUPLICATE_REPORTING"),
    ]
    assert result.results[1].message == "same metric has been reported before: node-a/loss"


def check_empty_object(result: Any) -> None:
    assert result == {}
    assert type(result) is dict


NEW_RUN = ApiRun(
    name="nightly training",
    description="",
    pipeline_spec=ApiPipelineSpec(
        pipeline_id="p-1", parameters=[ApiParameter(name="lr", value="0.1")]
    ),
    resource_references=[
        ApiResourceReference(
            key=ApiResourceKey(type=ApiResourceType.EXPERIMENT, id="e-1"),
            relationship=ApiRelationship.OWNER,
        )
    ],
    metrics=[],
    scheduled_at=datetime(2024, 3, 1, 10, 0),  # naive: sent as UTC
)
NEW_RUN_JSON = {
    "name": "nightly training",
    "description": "",
    "pipeline_spec": {"pipeline_id": "p-1", "parameters": [{"name": "lr", "value": "0.1"}]},
    "resource_references": [{"key": {"type": "EXPERIMENT", "id": "e-1"}, "relationship": "OWNER"}],
    "metrics": [],
    "scheduled_at": "2024-03-01T10:00:00Z",
}
METRICS_REQUEST = ApiReportRunMetricsRequest(
    metrics=[
        ApiRunMetric(name="accuracy", node_id="node-a", number_value=0.93, format="RAW"),
        ApiRunMetric(name="loss", node_id="node-a", number_value=0.1),
    ]
)


@dataclass(frozen=True)
class Case:
    """One endpoint call: arguments, the exact request expected, the reply and the result."""

    name: str
    args: tuple[Any, ...]
    method: str
    target: str
    reply: Any
    check: Callable[[Any], None]
    kwargs: dict[str, Any] = field(default_factory=dict)
    body: Any = None


CASES = [
    Case("archive_run", ("r-1",), "POST", f"{RUNS}/r-1:archive", {}, check_empty_object),
    Case(
        "create_run",
        (NEW_RUN,),
        "POST",
        RUNS,
        RUN_DETAIL_JSON,
        check_run_detail,
        body=NEW_RUN_JSON,
    ),
    Case("delete_run", ("r-1",), "DELETE", f"{RUNS}/r-1", {}, check_empty_object),
    Case("get_run", ("r-1",), "GET", f"{RUNS}/r-1", RUN_DETAIL_JSON, check_run_detail),
    Case(
        "list_runs",
        (),
        "GET",
        RUNS,
        {"runs": [RUN_JSON, {"id": "r-2"}], "total_size": 2, "next_page_token": "tok"},
        check_list,
    ),
    Case(
        "list_runs",
        (),
        "GET",
        f"{RUNS}?page_token=t0&page_size=5&sort_by=name+desc"
        "&resource_reference_key.type=EXPERIMENT&resource_reference_key.id=e-1"
        "&filter=%7B%22predicates%22%3A+%5B%5D%7D",
        {"runs": [RUN_JSON, {"id": "r-2"}], "total_size": 2, "next_page_token": "tok"},
        check_list,
        kwargs={
            # Given out of order on purpose: the query follows the declared order.
            "filter": json.dumps({"predicates": []}),
            "resource_reference_key_id": "e-1",
            "resource_reference_key_type": ApiResourceType.EXPERIMENT,
            "sort_by": "name desc",
            "page_size": 5,
            "page_token": "t0",
        },
    ),
    Case(
        "read_artifact",
        ("r-1", "node-a", "mlpipeline-metrics"),
        "GET",
        f"{RUNS}/r-1/nodes/node-a/artifacts/mlpipeline-metrics:read",
        {"data": "aGVsbG8="},
        check_artifact,
    ),
    Case(
        "report_run_metrics",
        ("r-1", METRICS_REQUEST),
        "POST",
        f"{RUNS}/r-1:reportMetrics",
        {
            "results": [
                {"metric_name": "accuracy", "metric_node_id": "node-a", "status": "OK"},
                {
                    "metric_name": "loss",
                    "metric_node_id": "node-a",
                    "status": "DUPLICATE_REPORTING",
                    "message": "same metric has been reported before: node-a/loss",
                },
            ]
        },
        check_metrics,
        body={
            "metrics": [
                {"name": "accuracy", "node_id": "node-a", "number_value": 0.93, "format": "RAW"},
                {"name": "loss", "node_id": "node-a", "number_value": 0.1},
            ]
        },
    ),
    Case("retry_run", ("r-1",), "POST", f"{RUNS}/r-1/retry", {}, check_empty_object),
    Case("terminate_run", ("r-1",), "POST", f"{RUNS}/r-1/terminate", {}, check_empty_object),
    Case("unarchive_run", ("r-1",), "POST", f"{RUNS}/r-1:unarchive", {}, check_empty_object),
]
CASE_IDS = [f"{case.name}-{index}" for index, case in enumerate(CASES)]
ONE_CASE_PER_ENDPOINT = {case.name: case for case in reversed(CASES)}


def assert_request(server: LoopbackServer, case: Case) -> None:
    request = server.last
    assert request.method == case.method
    assert request.target == case.target
    assert request.header("Accept") == "application/json"
    assert request.header("Content-Type") == "application/json"
    assert request.header("User-Agent") == "OpenAPI-Generator/1.8.5/python"
    assert "authorization" not in request.header_names()  # no api key configured
    if case.body is None:
        assert request.body == b""
    else:
        assert request.json() == case.body


def test_every_endpoint_has_a_case() -> None:
    assert set(ONE_CASE_PER_ENDPOINT) == set(RUN_SERVICE_ENDPOINTS)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_request_sent_and_typed_result(
    server: LoopbackServer, run_api: RunServiceApi, case: Case
) -> None:
    server.enqueue(Reply.json(case.reply))

    result = getattr(run_api, case.name)(*case.args, **case.kwargs)

    assert_request(server, case)
    case.check(result)


@pytest.mark.parametrize("case", ONE_CASE_PER_ENDPOINT.values(), ids=ONE_CASE_PER_ENDPOINT)
def test_with_http_info_returns_data_status_and_headers(
    server: LoopbackServer, run_api: RunServiceApi, case: Case
) -> None:
    server.enqueue(Reply.json(case.reply, headers=[("X-Trace", "abc")]))

    data, status, headers = getattr(run_api, f"{case.name}_with_http_info")(*case.args)

    case.check(data)
    assert status == 200
    assert headers["x-trace"] == "abc"
    assert headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("case", ONE_CASE_PER_ENDPOINT.values(), ids=ONE_CASE_PER_ENDPOINT)
def test_with_http_info_can_return_data_only(
    server: LoopbackServer, run_api: RunServiceApi, case: Case
) -> None:
    server.enqueue(Reply.json(case.reply))

    data = getattr(run_api, f"{case.name}_with_http_info")(*case.args, _return_http_data_only=True)

    case.check(data)


@pytest.mark.parametrize("case", ONE_CASE_PER_ENDPOINT.values(), ids=ONE_CASE_PER_ENDPOINT)
def test_async_req_returns_an_apply_result(
    server: LoopbackServer, run_api: RunServiceApi, case: Case
) -> None:
    server.enqueue(Reply.json(case.reply))

    pending = getattr(run_api, case.name)(*case.args, async_req=True)

    assert isinstance(pending, ApplyResult)
    case.check(pending.get(timeout=30))
    assert_request(server, case)


def test_async_req_delivers_errors_through_get(
    server: LoopbackServer, run_api: RunServiceApi
) -> None:
    server.enqueue(Reply.kfp_error(404, 5, "ResourceNotFoundError: Run r-9 not found."))

    pending = run_api.get_run("r-9", async_req=True)

    with pytest.raises(NotFoundException) as caught:
        pending.get(timeout=30)
    assert caught.value.status == 404


@pytest.mark.parametrize("case", ONE_CASE_PER_ENDPOINT.values(), ids=ONE_CASE_PER_ENDPOINT)
def test_preload_content_false_returns_the_raw_response(
    server: LoopbackServer, run_api: RunServiceApi, case: Case
) -> None:
    body = json.dumps(case.reply).encode()
    server.enqueue(Reply.raw(body, content_type="application/json"))

    raw = getattr(run_api, case.name)(*case.args, _preload_content=False)
    try:
        assert raw.status == 200
        assert raw.read() == body
    finally:
        raw.release_conn()
    assert run_api.api_client.last_response is raw


@pytest.mark.parametrize("case", ONE_CASE_PER_ENDPOINT.values(), ids=ONE_CASE_PER_ENDPOINT)
def test_not_found_raises_not_found_exception(
    server: LoopbackServer, run_api: RunServiceApi, case: Case
) -> None:
    message = "ResourceNotFoundError: Run r-1 not found."
    server.enqueue(Reply.kfp_error(404, 5, message, "Run r-1 not found."))

    with pytest.raises(NotFoundException) as caught:
        getattr(run_api, case.name)(*case.args)

    error = caught.value
    assert (error.status, error.code, error.message) == (404, 5, message)
    assert error.details[0]["error_message"] == "Run r-1 not found."


@pytest.mark.parametrize("case", ONE_CASE_PER_ENDPOINT.values(), ids=ONE_CASE_PER_ENDPOINT)
@pytest.mark.parametrize("with_http_info", [False, True])
def test_unknown_keyword_raises_api_type_error_before_sending(
    server: LoopbackServer, run_api: RunServiceApi, case: Case, with_http_info: bool
) -> None:
    name = f"{case.name}_with_http_info" if with_http_info else case.name

    with pytest.raises(ApiTypeError) as caught:
        getattr(run_api, name)(*case.args, page_sise=3)

    assert isinstance(caught.value, TypeError)
    assert "unexpected keyword argument" in caught.value.message
    assert "page_sise" in caught.value.message
    assert case.name in caught.value.message
    assert server.requests == []


REQUIRED = [
    (case.name, index) for case in ONE_CASE_PER_ENDPOINT.values() for index in range(len(case.args))
]


@pytest.mark.parametrize(("name", "index"), REQUIRED)
def test_missing_required_argument_raises_api_value_error_before_sending(
    server: LoopbackServer, run_api: RunServiceApi, name: str, index: int
) -> None:
    args = list(ONE_CASE_PER_ENDPOINT[name].args)
    args[index] = None

    with pytest.raises(ApiValueError) as caught:
        getattr(run_api, name)(*args)

    param = RUN_SERVICE_ENDPOINTS[name].params[index].name
    assert caught.value.message == f"Missing the required parameter `{param}` when calling `{name}`"
    assert server.requests == []


def test_empty_path_parameter_is_refused_before_sending(
    server: LoopbackServer, run_api: RunServiceApi
) -> None:
    # GET .../runs/ would silently become a different call.
    with pytest.raises(ApiValueError, match="run_id"):
        run_api.get_run("")
    assert server.requests == []


def test_required_none_is_sent_when_client_side_validation_is_off(
    server: LoopbackServer, configuration: Configuration
) -> None:
    configuration.client_side_validation = False
    server.enqueue(Reply.json({}))
    with ApiClient(configuration) as client:
        RunServiceApi(client).archive_run(None)  # type: ignore[arg-type]
    assert server.last.path == f"{RUNS}/None:archive"


@pytest.mark.parametrize(
    ("run_id", "segment"),
    [
        ("../x?y#z", "..%2Fx%3Fy%23z"),
        ("..", "%2E%2E"),
        (".", "%2E"),
        ("a/b", "a%2Fb"),
        ("sp ace+plus", "sp%20ace%2Bplus"),
        ("%2F", "%252F"),
        ("ünï", "%C3%BCn%C3%AF"),
    ],
)
def test_path_parameters_reach_the_server_as_one_segment(
    server: LoopbackServer, run_api: RunServiceApi, run_id: str, segment: str
) -> None:
    server.enqueue(Reply.json(RUN_DETAIL_JSON))

    run_api.get_run(run_id)

    assert server.last.path == f"{RUNS}/{segment}"
    assert server.last.path_segments == ["apis", "v1beta1", "runs", run_id]


def test_every_path_parameter_of_read_artifact_is_quoted(
    server: LoopbackServer, run_api: RunServiceApi
) -> None:
    server.enqueue(Reply.json({"data": ""}))

    run_api.read_artifact("r/1", "n?2", "a#3")

    assert server.last.path_segments[3:] == ["r/1", "nodes", "n?2", "artifacts", "a#3:read"]


def test_list_runs_sends_no_query_for_omitted_or_none_arguments(
    server: LoopbackServer, run_api: RunServiceApi
) -> None:
    server.enqueue(Reply.json({}))

    result = run_api.list_runs(page_token=None, filter=None)

    assert server.last.target == RUNS
    assert result.runs is None


def test_query_parameters_are_keywords_and_1_8_5_keyword_dicts_still_work(
    server: LoopbackServer, run_api: RunServiceApi
) -> None:
    server.enqueue(Reply.json({}))
    server.enqueue(Reply.json({}))
    options: dict[str, Any] = {"page_size": 2, "resource_reference_key_type": "EXPERIMENT"}

    run_api.list_runs(page_size=2, resource_reference_key_type="EXPERIMENT")
    run_api.list_runs_with_http_info(**options)

    expected = f"{RUNS}?page_size=2&resource_reference_key.type=EXPERIMENT"
    assert [request.target for request in server.requests] == [expected, expected]
    with pytest.raises(TypeError):
        run_api.list_runs("positional")


def test_an_error_names_the_request_without_credentials(
    server: LoopbackServer, configuration: Configuration
) -> None:
    server.enqueue(Reply.kfp_error(404, 5, "not found", "not found"))
    configuration.api_key["authorization"] = "s3cret"
    configuration.api_key_prefix["authorization"] = "Bearer"

    with ApiClient(configuration) as client, pytest.raises(NotFoundException) as caught:
        RunServiceApi(client).list_runs(page_size=5, sort_by="name")

    error = caught.value
    assert (error.method, error.url) == ("GET", f"{server.url}{RUNS}?page_size=5&sort_by=name")
    assert f"Request: GET {error.url}" in str(error)
    assert "s3cret" not in str(error)


def test_default_api_client_is_created_when_none_is_given() -> None:
    api = RunServiceApi()
    try:
        assert isinstance(api.api_client, ApiClient)
        assert api.api_client.configuration.host == "http://localhost"
    finally:
        api.api_client.close()


def test_enum_constants_round_trip_as_plain_strings(
    server: LoopbackServer, run_api: RunServiceApi
) -> None:
    server.enqueue(Reply.json({"run": {"id": "r", "metrics": [{"format": "PERCENTAGE"}]}}))

    run = run_api.get_run("r").run

    assert run.metrics[0].format == RunMetricFormat.PERCENTAGE
    assert type(run.metrics[0].format) is str


class _TextForm:
    def __str__(self) -> str:
        return '{"predicates":[]}'


def test_str_query_parameters_send_the_text_of_other_objects(
    server: LoopbackServer, run_api: RunServiceApi
) -> None:
    server.enqueue(Reply.json({}))

    run_api.list_runs(filter=_TextForm(), page_size=7)

    assert server.last.query == [("page_size", "7"), ("filter", '{"predicates":[]}')]
