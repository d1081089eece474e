"""PipelineServiceApi over real HTTP: the exact request of every endpoint and its typed result
(against the scripted loopback server), and every endpoint against the emulator."""

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
    ApiGetTemplateResponse,
    ApiListPipelinesResponse,
    ApiListPipelineVersionsResponse,
    ApiParameter,
    ApiPipeline,
    ApiPipelineVersion,
    ApiRelationship,
    ApiResourceKey,
    ApiResourceReference,
    ApiResourceType,
    ApiTypeError,
    ApiUrl,
    ApiValueError,
    BadRequestException,
    Configuration,
    ConflictException,
    NotFoundException,
    PipelineServiceApi,
)
from kfp_server_api.emulator import Emulator

PIPELINES = "/apis/v1beta1/pipelines"
VERSIONS = "/apis/v1beta1/pipeline_versions"
CREATED = "2024-03-01T10:00:00Z"
CREATED_AT = datetime(2024, 3, 1, 10, 0, tzinfo=timezone.utc)
PACKAGE_URL = "https://example.com/pipelines/train.yaml"

PIPELINE_OWNER_JSON = {"key": {"type": "PIPELINE", "id": "p-1"}, "relationship": "OWNER"}
PIPELINE_OWNER = ApiResourceReference(
    key=ApiResourceKey(type=ApiResourceType.PIPELINE, id="p-1"),
    relationship=ApiRelationship.OWNER,
)
VERSION_JSON: dict[str, Any] = {
    "id": "v-1",
    "name": "train",
    "created_at": CREATED,
    "parameters": [{"name": "lr", "value": "0.1"}],
    "package_url": {"pipeline_url": PACKAGE_URL},
    "resource_references": [PIPELINE_OWNER_JSON],
}
VERSION = ApiPipelineVersion(
    id="v-1",
    name="train",
    created_at=CREATED_AT,
    parameters=[ApiParameter(name="lr", value="0.1")],
    package_url=ApiUrl(pipeline_url=PACKAGE_URL),
    resource_references=[PIPELINE_OWNER],
)
PIPELINE_JSON: dict[str, Any] = {
    "id": "p-1",
    "created_at": CREATED,
    "name": "train",
    "description": "trains the model",
    "parameters": [{"name": "lr", "value": "0.1"}],
    "default_version": VERSION_JSON,
}
PIPELINE = ApiPipeline(
    id="p-1",
    created_at=CREATED_AT,
    name="train",
    description="trains the model",
    parameters=[ApiParameter(name="lr", value="0.1")],
    default_version=VERSION,
)
TEMPLATE = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n"
NOT_FOUND = "ResourceNotFoundError: Pipeline p-9 not found."

CALLS = [
    Call(
        "create_pipeline",
        (ApiPipeline(name="train", url=ApiUrl(pipeline_url=PACKAGE_URL)),),
        method="POST",
        target=PIPELINES,
        body={"name": "train", "url": {"pipeline_url": PACKAGE_URL}},
        reply=PIPELINE_JSON,
        expect=PIPELINE,
    ),
    Call(
        "create_pipeline_version",
        (
            ApiPipelineVersion(
                name="train",
                package_url=ApiUrl(pipeline_url=PACKAGE_URL),
                resource_references=[PIPELINE_OWNER],
            ),
        ),
        method="POST",
        target=VERSIONS,
        body={
            "name": "train",
            "package_url": {"pipeline_url": PACKAGE_URL},
            "resource_references": [PIPELINE_OWNER_JSON],
        },
        reply=VERSION_JSON,
        expect=VERSION,
    ),
    Call(
        "delete_pipeline", ("p-1",), method="DELETE", target=f"{PIPELINES}/p-1", reply={}, expect={}
    ),
    Call(
        "delete_pipeline_version",
        ("v-1",),
        method="DELETE",
        target=f"{VERSIONS}/v-1",
        reply={},
        expect={},
    ),
    Call("get_pipeline", ("p-1",), target=f"{PIPELINES}/p-1", reply=PIPELINE_JSON, expect=PIPELINE),
    Call(
        "get_pipeline_by_name",
        ("train",),
        target="/apis/v1beta1/namespaces/-/pipelines/train",
        reply=PIPELINE_JSON,
        expect=PIPELINE,
    ),
    Call(
        "get_pipeline_by_name",
        ("a/b",),
        {"namespace": "team a"},
        target="/apis/v1beta1/namespaces/team%20a/pipelines/a%2Fb",
        reply=PIPELINE_JSON,
        expect=PIPELINE,
    ),
    Call(
        "get_pipeline_version",
        ("v-1",),
        target=f"{VERSIONS}/v-1",
        reply=VERSION_JSON,
        expect=VERSION,
    ),
    Call(
        "get_pipeline_version_template",
        ("v?1",),
        target=f"{VERSIONS}/v%3F1/templates",
        reply={"template": TEMPLATE},
        expect=ApiGetTemplateResponse(template=TEMPLATE),
    ),
    Call(
        "get_template",
        ("p-1",),
        target=f"{PIPELINES}/p-1/templates",
        reply={"template": TEMPLATE},
        expect=ApiGetTemplateResponse(template=TEMPLATE),
    ),
    # Keywords given out of order: the query follows the declared (1.8.5) order.
    Call(
        "list_pipeline_versions",
        kwargs={
            "sort_by": "created_at desc",
            "page_size": 10,
            "resource_key_id": "p-1",
            "resource_key_type": ApiResourceType.PIPELINE,
        },
        target=f"{VERSIONS}?resource_key.type=PIPELINE&resource_key.id=p-1&page_size=10"
        "&sort_by=created_at+desc",
        reply={"versions": [VERSION_JSON], "next_page_token": "t1", "total_size": 3},
        expect=ApiListPipelineVersionsResponse(
            versions=[VERSION], next_page_token="t1", total_size=3
        ),
    ),
    Call(
        "list_pipeline_versions",
        kwargs={"filter": '{"predicates":[]}', "page_token": "t1"},
        target=f"{VERSIONS}?page_token=t1&filter=%7B%22predicates%22%3A%5B%5D%7D",
        reply={},
        expect=ApiListPipelineVersionsResponse(),
    ),
    Call(
        "list_pipelines",
        target=PIPELINES,
        reply={"pipelines": [PIPELINE_JSON], "total_size": 1},
        expect=ApiListPipelinesResponse(pipelines=[PIPELINE], total_size=1),
    ),
    Call(
        "list_pipelines",
        kwargs={
            "resource_reference_key_id": "team-a",
            "resource_reference_key_type": ApiResourceType.NAMESPACE,
            "filter": '{"predicates":[]}',
            "sort_by": "name",
            "page_size": 200,
            "page_token": "t3",
        },
        target=f"{PIPELINES}?page_token=t3&page_size=200&sort_by=name"
        "&filter=%7B%22predicates%22%3A%5B%5D%7D"
        "&resource_reference_key.type=NAMESPACE&resource_reference_key.id=team-a",
        reply={},
        expect=ApiListPipelinesResponse(),
    ),
    Call(
        "update_pipeline_default_version",
        ("p-1", "v/2"),
        method="POST",
        target=f"{PIPELINES}/p-1/default_version/v%2F2",
        reply={},
        expect={},
    ),
    Call(
        "get_template",
        ("p-9",),
        target=f"{PIPELINES}/p-9/templates",
        reply=Reply.kfp_error(404, 5, NOT_FOUND),
        raises=NotFoundException,
        expect={"status": 404, "code": 5, "message": NOT_FOUND},
    ),
    Call(
        "update_pipeline_default_version",
        ("p-1", None),
        raises=ApiValueError,
        expect={
            "message": "Missing the required parameter `version_id` when calling "
            "`update_pipeline_default_version`"
        },
    ),
    Call(
        "list_pipeline_versions",
        kwargs={"pipeline_id": "p-1"},
        raises=ApiTypeError,
        expect={
            "message": "Got an unexpected keyword argument 'pipeline_id' to method "
            "list_pipeline_versions"
        },
    ),
]


@pytest.mark.parametrize("call", call_params(PipelineServiceApi, CALLS))
def test_call(server: LoopbackServer, api_client: ApiClient, call: Call) -> None:
    exercise(server, PipelineServiceApi(api_client), call)


# --- against the emulator ----------------------------------------------------------------------

WORKFLOW_YAML = b"""\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: train-}
spec:
  entrypoint: train
  arguments:
    parameters:
    - {name: lr, value: 0.1}
    - {name: epochs}
  templates:
  - name: train
    container: {image: alpine}
"""


@pytest.fixture
def emulated() -> Iterator[tuple[PipelineServiceApi, str]]:
    """The pipeline API of a fresh emulator, and the URL of a loopback package server."""
    with Emulator(lifecycle="manual") as emulator, LoopbackServer() as packages:
        packages.default_reply = Reply.raw(WORKFLOW_YAML)
        with ApiClient(Configuration(host=emulator.url)) as client:
            yield PipelineServiceApi(client), packages.url


def test_every_endpoint_against_the_emulator(emulated: tuple[PipelineServiceApi, str]) -> None:
    api, packages = emulated
    lr = [ApiParameter(name="lr", value="0.1"), ApiParameter(name="epochs")]

    created = api.create_pipeline(
        ApiPipeline(name="train", url=ApiUrl(pipeline_url=f"{packages}/train.yaml"))
    )
    owner = ApiResourceReference(
        key=ApiResourceKey(type=ApiResourceType.PIPELINE, id=created.id),
        relationship=ApiRelationship.OWNER,
    )
    version = api.create_pipeline_version(
        ApiPipelineVersion(
            name="v2",
            package_url=ApiUrl(pipeline_url=f"{packages}/v2.yaml"),
            resource_references=[owner],
            description="second",
        )
    )
    fetched = api.get_pipeline(created.id)
    fetched_version = api.get_pipeline_version(version.id)
    pipelines = api.list_pipelines(page_size=10, sort_by="name")
    versions = api.list_pipeline_versions(
        resource_key_type=ApiResourceType.PIPELINE,
        resource_key_id=created.id,
        sort_by="name desc",
    )
    template = api.get_template(created.id)
    version_template = api.get_pipeline_version_template(created.id)
    restored = api.update_pipeline_default_version(created.id, created.id)
    default_after_update = api.get_pipeline(created.id).default_version.id
    deleted_version = api.delete_pipeline_version(version.id)
    deleted = api.delete_pipeline(created.id)

    assert isinstance(created, ApiPipeline)
    assert (created.name, created.parameters, created.default_version.id) == (
        "train",
        lr,
        created.id,
    )
    assert isinstance(version, ApiPipelineVersion)
    assert (version.name, version.description, version.resource_references) == (
        "v2",
        "second",
        [owner],
    )
    assert fetched.default_version == version == fetched_version
    assert isinstance(pipelines, ApiListPipelinesResponse)
    assert [p.id for p in pipelines.pipelines] == [created.id]
    assert isinstance(versions, ApiListPipelineVersionsResponse)
    assert [v.name for v in versions.versions] == ["v2", "train"]
    assert versions.total_size == 2
    assert isinstance(template, ApiGetTemplateResponse)
    assert json.loads(template.template)["kind"] == "Workflow"
    assert version_template.template == template.template  # both versions have one package
    assert (restored, default_after_update) == ({}, created.id)
    assert deleted_version == deleted == {}
    with pytest.raises(NotFoundException) as caught:
        api.get_pipeline(created.id)
    assert (
        caught.value.message
        == f"Get pipeline failed.: ResourceNotFoundError: Pipeline {created.id} not found."
    )


def test_emulator_errors_reach_the_client_typed(emulated: tuple[PipelineServiceApi, str]) -> None:
    api, packages = emulated
    body = ApiPipeline(name="train", url=ApiUrl(pipeline_url=f"{packages}/train.yaml"))
    api.create_pipeline(body)

    with pytest.raises(ConflictException) as taken:
        api.create_pipeline(body)
    with pytest.raises(BadRequestException) as empty:
        api.create_pipeline(ApiPipeline(name="no url"))

    assert taken.value.code == 6
    assert empty.value.details[0]["error_message"] == (
        "Pipeline URL is empty. Please specify a valid URL."
    )
