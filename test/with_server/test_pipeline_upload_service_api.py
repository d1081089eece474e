"""PipelineUploadServiceApi over real HTTP: the multipart request of every endpoint and its result.

Each call runs in a temporary working directory holding ``pipeline.yaml``, so the cases name the
file by a relative path, as scripts usually do. The last tests upload to the emulator.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from endpoint_cases import Call, call_params, exercise
from servers.loopback import LoopbackServer, Reply

from kfp_server_api import (
    ApiClient,
    ApiPipeline,
    ApiPipelineVersion,
    ApiTypeError,
    ApiValueError,
    BadRequestException,
    Configuration,
    PipelineUploadServiceApi,
    ServiceException,
)
from kfp_server_api.emulator import Emulator

UPLOAD = "/apis/v1beta1/pipelines/upload"
FILE_NAME = "pipeline.yaml"
# Bytes that must arrive untouched: CRLF, a NUL and a byte that is not UTF-8.
PACKAGE = b"apiVersion: argoproj.io/v1alpha1\r\nkind: Workflow\n\x00\xff"
PARTS = {"uploadfile": (FILE_NAME, PACKAGE)}
PIPELINE_JSON = {"id": "p-1", "name": "train", "default_version": {"id": "v-1", "name": "train"}}
PIPELINE = ApiPipeline(
    id="p-1", name="train", default_version=ApiPipelineVersion(id="v-1", name="train")
)
VERSION_JSON = {"id": "v-2", "name": "v2", "description": "retrained"}
VERSION = ApiPipelineVersion(id="v-2", name="v2", description="retrained")
# The upload endpoint's own error body (not the ApiStatus of the other services).
TAKEN = {
    "error_message": "Error creating pipeline: The name train already exist.",
    "error_details": "Error creating pipeline: The name train already exist.",
}

CALLS = [
    Call(
        "upload_pipeline",
        (FILE_NAME,),
        method="POST",
        target=UPLOAD,
        parts=PARTS,
        reply=PIPELINE_JSON,
        expect=PIPELINE,
    ),
    Call(
        "upload_pipeline",
        (Path(FILE_NAME),),
        kwargs={"description": "from CI", "name": "train v1"},
        method="POST",
        target=f"{UPLOAD}?name=train+v1&description=from+CI",
        parts=PARTS,
        reply=PIPELINE_JSON,
        expect=PIPELINE,
    ),
    # As the KFP SDK calls it: the file by keyword.
    Call(
        "upload_pipeline",
        kwargs={"uploadfile": FILE_NAME, "name": "train"},
        method="POST",
        target=f"{UPLOAD}?name=train",
        parts=PARTS,
        reply=PIPELINE_JSON,
        expect=PIPELINE,
    ),
    # Keywords given out of order: the query follows the declared (1.8.5) order.
    Call(
        "upload_pipeline_version",
        (FILE_NAME,),
        kwargs={"description": "retrained", "pipelineid": "p-1", "name": "v2"},
        method="POST",
        target=f"{UPLOAD}_version?name=v2&pipelineid=p-1&description=retrained",
        parts=PARTS,
        reply=VERSION_JSON,
        expect=VERSION,
    ),
    Call(
        "upload_pipeline",
        (FILE_NAME,),
        method="POST",
        target=UPLOAD,
        parts=PARTS,
        reply=Reply.json(TAKEN, 500),
        raises=ServiceException,
        expect={"status": 500, "body": json.dumps(TAKEN, separators=(",", ":"))},
    ),
    Call(
        "upload_pipeline",
        (None,),
        raises=ApiValueError,
        expect={
            "message": "Missing the required parameter `uploadfile` when calling `upload_pipeline`"
        },
    ),
    Call(
        "upload_pipeline_version",
        ("missing.yaml",),
        kwargs={"pipelineid": "p-1"},
        raises=FileNotFoundError,
        expect={"filename": "missing.yaml"},
    ),
    Call(
        "upload_pipeline",
        (FILE_NAME,),
        kwargs={"pipelineid": "p-1"},
        raises=ApiTypeError,
        expect={
            "message": "Got an unexpected keyword argument 'pipelineid' to method upload_pipeline"
        },
    ),
]


@pytest.mark.parametrize("call", call_params(PipelineUploadServiceApi, CALLS))
def test_call(
    server: LoopbackServer,
    api_client: ApiClient,
    call: Call,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / FILE_NAME).write_bytes(PACKAGE)
    monkeypatch.chdir(tmp_path)
    exercise(server, PipelineUploadServiceApi(api_client), call)


# --- against the emulator ----------------------------------------------------------------------

WORKFLOW_YAML = b"""\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: train-}
spec:
  entrypoint: train
  arguments:
    parameters: [{name: lr, value: '0.1'}]
  templates:
  - {name: train, container: {image: alpine}}
"""


@pytest.fixture
def uploads(tmp_path: Path) -> Iterator[PipelineUploadServiceApi]:
    """The upload API of a fresh emulator; ``pipeline.yaml`` in ``tmp_path`` is a workflow."""
    (tmp_path / FILE_NAME).write_bytes(WORKFLOW_YAML)
    with (
        Emulator(lifecycle="manual") as emulator,
        ApiClient(Configuration(host=emulator.url)) as client,
    ):
        yield PipelineUploadServiceApi(client)


def test_uploads_against_the_emulator(uploads: PipelineUploadServiceApi, tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME

    unnamed = uploads.upload_pipeline(str(path))
    # The server URL-decodes names a second time: "a+b" arrives as "a b".
    named = uploads.upload_pipeline(path, name="a+b", description="from CI")
    version, status, _ = uploads.upload_pipeline_version_with_http_info(
        str(path), name="v2", pipelineid=named.id, description="retrained"
    )

    assert isinstance(unnamed, ApiPipeline)
    assert (unnamed.name, unnamed.default_version.name) == (FILE_NAME, FILE_NAME)
    assert (named.name, named.description) == ("a b", "from CI")
    assert [(p.name, p.value) for p in named.parameters] == [("lr", "0.1")]
    assert isinstance(version, ApiPipelineVersion)
    assert (status, version.name, version.description) == (200, "v2", "retrained")
    assert version.resource_references[0].key.id == named.id


def test_upload_errors_against_the_emulator(
    uploads: PipelineUploadServiceApi, tmp_path: Path
) -> None:
    path = tmp_path / FILE_NAME
    uploads.upload_pipeline(str(path), name="train")
    (tmp_path / "notes.txt").write_bytes(b"not a pipeline")

    with pytest.raises(ServiceException) as taken:
        uploads.upload_pipeline(str(path), name="train")
    with pytest.raises(BadRequestException) as unknown:
        uploads.upload_pipeline(str(tmp_path / "notes.txt"))
    with pytest.raises(BadRequestException) as no_pipeline:
        uploads.upload_pipeline_version(str(path), pipelineid="p-9")

    assert taken.value.status == 500
    assert json.loads(taken.value.body)["error_message"] == (
        "Error creating pipeline: Create pipeline failed: Already exist error: Failed to create a "
        "new pipeline. The name train already exist. Please specify a new name."
    )
    assert "Unexpected pipeline file format" in json.loads(unknown.value.body)["error_message"]
    assert "Pipeline p-9 not found." in json.loads(no_pipeline.value.body)["error_details"]
