"""The client against the answers of a KFP 2.x API server's v1beta1 API, over real HTTP.

A scripted loopback server replays what a 2.17 server sends (see ``kfp2_answers``): runs and
jobs with v2 runtime parameters, the error bodies of each server generation, the upload
handler's answers, and the 2.x-only routes. Every decoded value and error attribute is checked.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from servers import kfp2_answers as kfp2
from servers.loopback import LoopbackServer, RecordedRequest, Reply

from kfp_server_api import (
    ApiClient,
    ApiException,
    ApiGetHealthzResponse,
    ApiPipelineSpec,
    ApiRelationship,
    ApiResourceType,
    ApiRun,
    ApiValue,
    BadRequestException,
    Configuration,
    ConflictException,
    ExperimentServiceApi,
    HealthzServiceApi,
    JobServiceApi,
    NotFoundException,
    PipelineServiceApi,
    PipelineSpecRuntimeConfig,
    PipelineUploadServiceApi,
    RunServiceApi,
    ServiceException,
    UnauthorizedException,
    paginate,
)
from kfp_server_api.emulator import Emulator
from kfp_server_api.exceptions import ServerVersionError
from kfp_server_api.filters import Filter, RunKey, archived, eq, not_archived
from kfp_server_api.parameter_values import plain_parameters

RUNS = "/apis/v1beta1/runs"
CREATED_AT = datetime(2025, 11, 20, 10, 0, tzinfo=timezone.utc)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _check_references(references: Any) -> None:
    """The references a 2.x server rebuilds from ids: no names."""
    assert [(r.key.type, r.key.id, r.relationship, r.name) for r in references] == [
        (ApiResourceType.EXPERIMENT, kfp2.EXPERIMENT_ID, ApiRelationship.OWNER, None),
        (ApiResourceType.PIPELINE_VERSION, kfp2.VERSION_ID, ApiRelationship.CREATOR, None),
    ]


# -- F1: runs and jobs with v2 runtime parameters ------------------------------------------------


def test_get_run_of_a_v2_pipeline_decodes_every_value(
    server: LoopbackServer, run_api: RunServiceApi
) -> None:
    server.enqueue(Reply.json(kfp2.run_detail(kfp2.v2_run())))

    detail = run_api.get_run(kfp2.RUN_ID)

    run = detail.run
    assert (run.id, run.name, run.status, run.service_account) == (
        kfp2.RUN_ID,
        "train 22222222",
        "Running",
        "pipeline-runner",
    )
    assert (run.created_at, run.scheduled_at, run.finished_at) == (CREATED_AT, CREATED_AT, EPOCH)
    assert (run.storage_state, run.description, run.error, run.metrics) == (None,) * 4
    spec = run.pipeline_spec
    assert (spec.pipeline_id, spec.pipeline_name, spec.pipeline_manifest) == (
        kfp2.PIPELINE_ID,
        "train",
        kfp2.IR_YAML,
    )
    assert (spec.workflow_manifest, spec.parameters) == (None, None)
    parameters = spec.runtime_config.parameters
    assert parameters == {"lr": 0.01, "epochs": 10, "model_name": "resnet", "use_gpu": True}
    assert [type(value) for value in parameters.values()] == [float, int, str, bool]
    assert spec.runtime_config.pipeline_root == kfp2.PIPELINE_ROOT
    _check_references(run.resource_references)
    assert detail.pipeline_runtime.workflow_manifest == kfp2.WORKFLOW
    assert PipelineSpecRuntimeConfig.openapi_types["parameters"] == "dict(str, ApiValue)"


@pytest.mark.parametrize(
    ("sent", "decoded"),
    [
        pytest.param(0.5, 0.5, id="number"),
        pytest.param(3, 3, id="integer"),
        pytest.param("text", "text", id="string"),
        pytest.param(False, False, id="bool"),
        pytest.param([1, "a", None], [1, "a", None], id="list"),
        pytest.param({"a": 1, "b": [True]}, {"a": 1, "b": [True]}, id="struct"),
        pytest.param(None, None, id="null"),
        pytest.param({"double_value": 0.1}, ApiValue(double_value=0.1), id="ApiValue double"),
        pytest.param({"int_value": "3"}, ApiValue(int_value="3"), id="ApiValue int64"),
        pytest.param({"string_value": "a"}, ApiValue(string_value="a"), id="ApiValue string"),
        pytest.param({}, ApiValue(), id="empty ApiValue"),
        pytest.param({"int_value": 3}, {"int_value": 3}, id="struct with an ApiValue key"),
        pytest.param({"string_value": "a", "x": 1}, {"string_value": "a", "x": 1}, id="struct"),
    ],
)
def test_each_kind_of_parameter_value(
    server: LoopbackServer, run_api: RunServiceApi, sent: Any, decoded: Any
) -> None:
    server.enqueue(Reply.json(kfp2.run_detail(kfp2.v2_run({"p": sent}))))

    parameters = run_api.get_run(kfp2.RUN_ID).run.pipeline_spec.runtime_config.parameters

    assert parameters == {"p": decoded}
    assert type(parameters["p"]) is type(decoded)


def test_get_run_then_create_run_sends_back_what_the_server_sent(
    server: LoopbackServer, run_api: RunServiceApi
) -> None:
    parameters = {
        **kfp2.V2_PARAMETERS,
        "layers": [64, 32],
        "opts": {"a": 1},
        "v": {"int_value": "3"},
    }
    sent_run = kfp2.v2_run(parameters)
    server.enqueue(Reply.json(kfp2.run_detail(sent_run)), Reply.json(kfp2.run_detail(sent_run)))

    run = run_api.get_run(kfp2.RUN_ID).run
    created = run_api.create_run(run)

    assert server.last.json() == sent_run
    assert created.run.pipeline_spec.runtime_config.parameters["layers"] == [64, 32]


def test_create_run_reply_with_v2_parameters_is_decoded(
    server: LoopbackServer, run_api: RunServiceApi
) -> None:
    server.enqueue(Reply.json(kfp2.run_detail(kfp2.v2_run())))
    body = ApiRun(
        name="train",
        pipeline_spec=ApiPipelineSpec(
            pipeline_id=kfp2.PIPELINE_ID,
            runtime_config=PipelineSpecRuntimeConfig(parameters={"lr": 0.01, "epochs": 10}),
        ),
    )

    created = run_api.create_run(body)

    assert created.run.id == kfp2.RUN_ID
    assert server.last.json()["pipeline_spec"]["runtime_config"] == {
        "parameters": {"lr": 0.01, "epochs": 10}
    }


def test_list_runs_page_mixing_v1_and_v2_runs(
    server: LoopbackServer, run_api: RunServiceApi
) -> None:
    server.enqueue(
        Reply.json({"runs": [kfp2.V1_RUN], "total_size": 2, "next_page_token": "t2"}),
        Reply.json({"runs": [kfp2.v2_run()], "total_size": 2}),
    )

    runs = list(paginate(run_api.list_runs, page_size=1))

    assert [run.id for run in runs] == [kfp2.V1_RUN_ID, kfp2.RUN_ID]
    legacy, current = runs
    assert [(p.name, p.value) for p in legacy.pipeline_spec.parameters] == [("message", "hello")]
    assert legacy.pipeline_spec.runtime_config is None
    assert current.pipeline_spec.runtime_config.parameters == kfp2.V2_PARAMETERS
    assert server.requests[1].query == [("page_token", "t2"), ("page_size", "1")]


def test_get_job_and_list_jobs_of_an_ir_pipeline(
    server: LoopbackServer, api_client: ApiClient
) -> None:
    server.enqueue(Reply.json(kfp2.JOB), Reply.json({"jobs": [kfp2.JOB], "total_size": 1}))
    jobs = JobServiceApi(api_client)

    job = jobs.get_job(kfp2.JOB_ID)
    listed = jobs.list_jobs()

    assert listed.jobs == [job]
    assert (job.id, job.name, job.service_account, job.max_concurrency) == (
        kfp2.JOB_ID,
        "nightly",
        "pipeline-runner",
        "10",
    )
    assert (job.status, job.enabled, job.mode, job.no_catchup) == ("ENABLED", True, None, None)
    assert job.trigger.cron_schedule.cron == "0 0 2 * * *"
    assert (job.created_at, job.updated_at) == (CREATED_AT, CREATED_AT)
    assert job.pipeline_spec.runtime_config.parameters == {"epochs": 5}
    assert job.pipeline_spec.runtime_config.pipeline_root == kfp2.PIPELINE_ROOT
    _check_references(job.resource_references)


def test_apivalue_parameters_are_sent_as_1_8_5_did_and_plain_ones_as_given(
    server: LoopbackServer, run_api: RunServiceApi
) -> None:
    typed = {
        "lr": ApiValue(double_value=0.1),
        "name": ApiValue(string_value="a"),
        "n": ApiValue(int_value="3"),
    }
    server.default_reply = Reply.json(kfp2.run_detail(kfp2.v2_run()))
    for parameters in (typed, plain_parameters(typed)):
        config = PipelineSpecRuntimeConfig(parameters=parameters)
        run_api.create_run(ApiRun(name="r", pipeline_spec=ApiPipelineSpec(runtime_config=config)))

    sent = [request.json()["pipeline_spec"]["runtime_config"] for request in server.requests]
    assert sent == [
        {
            "parameters": {
                "lr": {"double_value": 0.1},
                "name": {"string_value": "a"},
                "n": {"int_value": "3"},
            }
        },
        {"parameters": {"lr": 0.1, "name": "a", "n": 3}},
    ]


# -- other 2.x answers ------------------------------------------------------------------------


def test_experiment_of_a_single_user_server(server: LoopbackServer, api_client: ApiClient) -> None:
    server.enqueue(Reply.json(kfp2.EXPERIMENT))

    experiment = ExperimentServiceApi(api_client).get_experiment(kfp2.EXPERIMENT_ID)

    assert (experiment.id, experiment.name, experiment.created_at) == (
        kfp2.EXPERIMENT_ID,
        "Default",
        CREATED_AT,
    )
    assert experiment.description == kfp2.EXPERIMENT["description"]
    assert experiment.storage_state == "STORAGESTATE_AVAILABLE"
    (namespace,) = experiment.resource_references
    assert (namespace.key.type, namespace.key.id, namespace.relationship, namespace.name) == (
        ApiResourceType.NAMESPACE,
        None,
        ApiRelationship.OWNER,
        None,
    )


def test_pipeline_of_an_ir_package(server: LoopbackServer, api_client: ApiClient) -> None:
    server.enqueue(Reply.json(kfp2.PIPELINE))

    pipeline = PipelineServiceApi(api_client).get_pipeline(kfp2.PIPELINE_ID)

    assert (pipeline.id, pipeline.name, pipeline.parameters) == (kfp2.PIPELINE_ID, "train", None)
    version = pipeline.default_version
    assert (version.id, version.name, version.parameters) == (kfp2.VERSION_ID, "train v2", None)
    assert version.package_url.pipeline_url == version.code_source_url


def test_healthz_gives_the_release_and_build(server: LoopbackServer, api_client: ApiClient) -> None:
    server.enqueue(Reply.json(kfp2.HEALTHZ))

    health = HealthzServiceApi(api_client).get_healthz()

    assert (health.multi_user, health.tag_name, health.commit_sha) == (False, "2.17.0", "4a3592cb")
    assert health.to_dict() == {"multi_user": False}
    assert health.unknown_fields() == {"commit_sha": "4a3592cb", "tag_name": "2.17.0"}
    assert ApiGetHealthzResponse.openapi_types == {"multi_user": "bool"}
    assert (ApiGetHealthzResponse().tag_name, ApiGetHealthzResponse().commit_sha) == (None, None)


# -- F5, F10, F12, F14: errors of every generation ----------------------------------------------

GATEWAY_ERRORS = {
    "1.8 gateway": (
        kfp2.ERROR_G0,
        "ResourceNotFoundError: Run missing not found.",
        "Run missing not found.",
    ),
    "2.0-2.5 gateway": (kfp2.ERROR_G1, kfp2.INTERNAL, "Run missing not found"),
    "2.14+ gateway": (kfp2.ERROR_G2, kfp2.INTERNAL, "Run missing not found"),
}


@pytest.mark.parametrize(("body", "full", "short"), GATEWAY_ERRORS.values(), ids=GATEWAY_ERRORS)
def test_not_found_of_every_gateway_generation(
    server: LoopbackServer, run_api: RunServiceApi, body: dict[str, Any], full: str, short: str
) -> None:
    server.enqueue(Reply.json(body, 404))

    with pytest.raises(NotFoundException) as caught:
        run_api.get_run("missing")

    error = caught.value
    assert (error.status, error.error, error.code, error.message) == (404, full, 5, full)
    assert error.details == body["details"]
    assert error.user_message == short
    assert error.body == json.dumps(body, separators=(",", ":"))


GATEWAY_V2_ERRORS = {
    "401": (401, UnauthorizedException, 16, "Unauthenticated"),
    "unknown request field": (400, BadRequestException, 3, kfp2.UNKNOWN_FIELD),
    "unknown route": (404, NotFoundException, 5, "Not Found"),
    "wrong method": (501, ServiceException, 12, "Method Not Allowed"),
}


@pytest.mark.parametrize(
    ("status", "cls", "code", "message"), GATEWAY_V2_ERRORS.values(), ids=GATEWAY_V2_ERRORS
)
def test_gateway_v2_errors_without_details(
    server: LoopbackServer,
    run_api: RunServiceApi,
    status: int,
    cls: type[ApiException],
    code: int,
    message: str,
) -> None:
    server.enqueue(Reply.json({"code": code, "message": message}, status))

    with pytest.raises(cls) as caught:
        run_api.get_run("r-1")

    error = caught.value
    assert (error.error, error.code, error.message, error.user_message) == (
        message,
        code,
        message,
        message,
    )
    assert error.details is None
    assert len(server.requests) == 1  # none of these is retried


@pytest.fixture
def package(tmp_path: Path) -> Path:
    path = tmp_path / "train.yaml"
    path.write_text(kfp2.IR_YAML)
    return path


def test_upload_name_taken_on_2_15(
    server: LoopbackServer, api_client: ApiClient, package: Path
) -> None:
    server.enqueue(Reply.json(kfp2.UPLOAD_TAKEN, 409))

    with pytest.raises(ConflictException) as caught:
        PipelineUploadServiceApi(api_client).upload_pipeline(str(package), name="train")

    error = caught.value
    message = kfp2.UPLOAD_TAKEN["error_message"]
    assert (error.message, error.user_message, error.code) == (message, message, None)
    assert error.error == kfp2.UPLOAD_TAKEN["error_details"]
    assert error.details == [kfp2.UPLOAD_TAKEN]


def test_upload_namespace_required_in_plain_text(
    server: LoopbackServer, api_client: ApiClient, package: Path
) -> None:
    server.enqueue(Reply.text(kfp2.NAMESPACE_REQUIRED + "\n", 400))

    with pytest.raises(BadRequestException) as caught:
        PipelineUploadServiceApi(api_client).upload_pipeline(str(package))

    error = caught.value
    text = kfp2.NAMESPACE_REQUIRED
    assert (error.message, error.user_message, error.error) == (text, text, text)
    assert (error.code, error.details, error.body) == (None, None, text + "\n")


def test_upload_with_a_namespace(
    server: LoopbackServer, api_client: ApiClient, package: Path
) -> None:
    uploads = PipelineUploadServiceApi(api_client)
    server.enqueue(Reply.json(kfp2.PIPELINE), Reply.json(kfp2.PIPELINE["default_version"]))

    pipeline = uploads.upload_pipeline(str(package), name="train", namespace="team-a")
    version = uploads.upload_pipeline_version(
        str(package), name="v2", pipelineid=kfp2.PIPELINE_ID, namespace="team-a"
    )

    assert (pipeline.id, version.id) == (kfp2.PIPELINE_ID, kfp2.VERSION_ID)
    assert [request.query for request in server.requests] == [
        [("name", "train"), ("namespace", "team-a")],
        [("name", "v2"), ("pipelineid", kfp2.PIPELINE_ID), ("namespace", "team-a")],
    ]


def test_read_artifact_not_found_on_2_15(server: LoopbackServer, run_api: RunServiceApi) -> None:
    # Written before the handler sets a Content-Type: the body is JSON, the type sniffed.
    body = json.dumps(kfp2.ARTIFACT_NOT_FOUND)
    server.enqueue(Reply.text(body, 404))

    with pytest.raises(NotFoundException) as caught:
        run_api.read_artifact(kfp2.RUN_ID, "node-1", "model")

    error = caught.value
    text = "artifact not found: <nil>"
    assert (error.error, error.message, error.user_message, error.code) == (text, text, text, None)


# -- F3: delete_pipeline with cascade -----------------------------------------------------------

VERSIONS_PATH = "/apis/v1beta1/pipeline_versions"
PIPELINE_PATH = f"/apis/v1beta1/pipelines/{kfp2.PIPELINE_ID}"


def _versions_page(request: RecordedRequest) -> Reply:
    if ("page_token", "next") in request.query:
        return Reply.json({"versions": [{"id": "v-3"}], "total_size": 3})
    return Reply.json(
        {"versions": [{"id": "v-1"}, {"id": "v-2"}], "total_size": 3, "next_page_token": "next"}
    )


def _cascade_routes() -> dict[tuple[str, str], Any]:
    answers: dict[tuple[str, str], Any] = {("GET", VERSIONS_PATH): _versions_page}
    for version_id in ("v-1", "v-3"):
        answers["DELETE", f"{VERSIONS_PATH}/{version_id}"] = Reply.json({})
    answers["DELETE", f"{VERSIONS_PATH}/v-2"] = Reply.json(
        {"code": 5, "message": "gone meanwhile"}, 404
    )
    answers["DELETE", PIPELINE_PATH] = Reply.json({})
    return answers


def test_delete_pipeline_with_versions_fails_on_2_x(
    server: LoopbackServer, api_client: ApiClient
) -> None:
    server.enqueue(kfp2.has_versions_reply())

    with pytest.raises(BadRequestException) as caught:
        PipelineServiceApi(api_client).delete_pipeline(kfp2.PIPELINE_ID)

    assert (caught.value.code, caught.value.user_message) == (9, kfp2.HAS_VERSIONS)
    assert [request.method for request in server.requests] == ["DELETE"]


@pytest.mark.parametrize("async_req", [False, True])
def test_delete_pipeline_cascade_deletes_the_versions_first(
    server: LoopbackServer, api_client: ApiClient, async_req: bool
) -> None:
    server.responder = kfp2.route(_cascade_routes())
    pipelines = PipelineServiceApi(api_client)

    if async_req:
        result = pipelines.delete_pipeline(kfp2.PIPELINE_ID, cascade=True, async_req=True).get(10)
    else:
        result = pipelines.delete_pipeline(kfp2.PIPELINE_ID, cascade=True)

    assert result == {}
    assert [(request.method, request.path) for request in server.requests] == [
        ("GET", VERSIONS_PATH),
        ("GET", VERSIONS_PATH),
        ("DELETE", f"{VERSIONS_PATH}/v-1"),
        ("DELETE", f"{VERSIONS_PATH}/v-2"),
        ("DELETE", f"{VERSIONS_PATH}/v-3"),
        ("DELETE", PIPELINE_PATH),
    ]
    assert server.requests[0].query == [
        ("resource_key.type", "PIPELINE"),
        ("resource_key.id", kfp2.PIPELINE_ID),
    ]


def test_delete_pipeline_cascade_with_http_info_and_a_bad_keyword(
    server: LoopbackServer, api_client: ApiClient
) -> None:
    server.responder = kfp2.route(_cascade_routes())
    pipelines = PipelineServiceApi(api_client)

    with pytest.raises(TypeError, match="unexpected keyword argument 'force'"):
        pipelines.delete_pipeline(kfp2.PIPELINE_ID, cascade=True, force=True)
    assert server.requests == []
    data, status, _ = pipelines.delete_pipeline_with_http_info(kfp2.PIPELINE_ID, cascade=True)

    assert (data, status) == ({}, 200)


# -- F15: get_pipeline_by_name ------------------------------------------------------------------


def test_get_pipeline_by_name(server: LoopbackServer, api_client: ApiClient) -> None:
    server.enqueue(Reply.json(kfp2.PIPELINE), Reply.json(kfp2.PIPELINE))
    pipelines = PipelineServiceApi(api_client)

    shared = pipelines.get_pipeline_by_name("train")
    namespaced = pipelines.get_pipeline_by_name("a/b c", namespace="team-a")

    assert shared.id == namespaced.id == kfp2.PIPELINE_ID
    assert [request.path for request in server.requests] == [
        "/apis/v1beta1/namespaces/-/pipelines/train",
        "/apis/v1beta1/namespaces/team-a/pipelines/a%2Fb%20c",
    ]


def test_get_pipeline_by_name_not_found_on_2_x(
    server: LoopbackServer, api_client: ApiClient
) -> None:
    message = "Failed to get a pipeline by name: ResourceNotFoundError: Pipeline train not found"
    server.enqueue(Reply.json({"code": 5, "message": message}, 404))

    with pytest.raises(NotFoundException) as caught:
        PipelineServiceApi(api_client).get_pipeline_by_name("train")

    assert type(caught.value) is NotFoundException
    assert caught.value.message == message
    assert len(server.requests) == 1  # a real "not found": no health check


def test_get_pipeline_by_name_on_a_1_8_server_names_the_release_needed(
    server: LoopbackServer, api_client: ApiClient
) -> None:
    server.enqueue(Reply.text("Not Found\n", 404), Reply.json(kfp2.HEALTHZ_1_8))

    with pytest.raises(ServerVersionError) as caught:
        PipelineServiceApi(api_client).get_pipeline_by_name("train")

    error = caught.value
    expected = "get_pipeline_by_name needs a KFP API server 2.0.0 or later; this server is 1.8.5"
    assert isinstance(error, NotFoundException)
    assert (error.status, error.reason, error.message, error.user_message) == (
        404,
        expected,
        expected,
        expected,
    )
    assert (error.call, error.needed_version, error.server_version) == (
        "get_pipeline_by_name",
        "2.0.0",
        "1.8.5",
    )
    assert error.body == "Not Found\n"
    assert isinstance(error.__cause__, NotFoundException)
    assert expected in str(error)
    assert [request.path for request in server.requests] == [
        "/apis/v1beta1/namespaces/-/pipelines/train",
        "/apis/v1beta1/healthz",
    ]


@pytest.mark.parametrize(
    "healthz",
    [
        pytest.param(Reply.json(kfp2.HEALTHZ), id="a 2.x release"),
        pytest.param(Reply.json({"multi_user": False}), id="no release"),
        pytest.param(Reply.json({"tag_name": "dev"}), id="a development build"),
        pytest.param(Reply.text("down", 503), id="healthz failing"),
    ],
)
def test_a_route_404_stays_a_plain_not_found_when_the_release_is_not_older(
    server: LoopbackServer, healthz: Reply
) -> None:
    server.enqueue(Reply.text("Not Found\n", 404), healthz)
    configuration = Configuration(host=server.url)
    configuration.retry_policy = None
    with ApiClient(configuration) as client, pytest.raises(NotFoundException) as caught:
        PipelineServiceApi(client).get_pipeline_by_name("train")

    assert type(caught.value) is NotFoundException
    assert caught.value.body == "Not Found\n"


# -- F13: request bodies without the keys kept from a response ----------------------------------


def test_discard_unknown_keys_drops_kept_keys_from_request_bodies(
    server: LoopbackServer,
) -> None:
    run = kfp2.v2_run()
    run["extra_field"] = "from a newer server"
    run["pipeline_spec"]["runtime_config"]["extra_nested"] = 1
    server.default_reply = Reply.json(kfp2.run_detail(kfp2.v2_run()))
    sent = []
    for discard in (False, True):
        with ApiClient(Configuration(host=server.url, discard_unknown_keys=discard)) as client:
            api = RunServiceApi(client)
            server.enqueue(Reply.json(kfp2.run_detail(run)))
            api.create_run(api.get_run(kfp2.RUN_ID).run)
            sent.append(server.last.json())

    kept, dropped = sent
    assert kept == run
    assert "extra_field" not in dropped
    assert "extra_nested" not in dropped["pipeline_spec"]["runtime_config"]
    assert dropped == kfp2.v2_run()


# -- the same calls against the emulator, which behaves as a KFP 1.8.5 server -------------------


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(lifecycle="manual") as server:
        yield server


@pytest.fixture
def emulator_client(emulator: Emulator) -> Iterator[ApiClient]:
    with ApiClient(Configuration(host=emulator.url)) as client:
        yield client


def test_archive_filters_on_a_1_8_server(emulator: Emulator, emulator_client: ApiClient) -> None:
    runs = RunServiceApi(emulator_client)
    pipeline = emulator.add_pipeline("filtered")
    spec = ApiPipelineSpec(pipeline_id=pipeline.pipeline_id)
    kept, archived_run = (
        runs.create_run(ApiRun(name=name, pipeline_spec=spec)).run.id for name in ("kept", "old")
    )
    runs.archive_run(archived_run)

    def names(run_filter: Filter) -> set[str]:
        return {run.id for run in paginate(runs.list_runs, filter=run_filter)} & {
            kept,
            archived_run,
        }

    assert names(not_archived()) == {kept}
    assert names(archived()) == {archived_run}
    assert names(not_archived() & eq(RunKey.NAME, "old")) == set()


def test_get_pipeline_by_name_on_a_1_8_server(emulator_client: ApiClient) -> None:
    with pytest.raises(ServerVersionError) as caught:
        PipelineServiceApi(emulator_client).get_pipeline_by_name("training")

    assert (caught.value.status, caught.value.server_version) == (404, "1.8.5")
