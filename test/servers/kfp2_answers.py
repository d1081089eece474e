"""Answers of a KFP 2.17 API server's v1beta1 API, as its converters write them.

The bodies follow the 2.x server's v1 converters: runs and jobs of v2 (IR) pipelines carry
``runtime_config.parameters`` as plain JSON values, references have ids but no names, job status
names are upper case, and the error bodies come in the shapes of each server generation. Tests
replay them with the scripted loopback server; :func:`route` builds a responder that answers by
method and path, for clients (such as ``kfp.Client``) that make several calls.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from servers.loopback import RecordedRequest, Reply, Responder

RUN_ID = "22222222-aaaa-4bbb-8ccc-000000000001"
V1_RUN_ID = "11111111-aaaa-4bbb-8ccc-000000000001"
JOB_ID = "33333333-aaaa-4bbb-8ccc-000000000001"
EXPERIMENT_ID = "8d3f0c1e-0000-4000-8000-000000000001"
PIPELINE_ID = "2b1c0000-0000-4000-8000-000000000001"
VERSION_ID = "5e0a0000-0000-4000-8000-000000000001"
CREATED = "2025-11-20T10:00:00Z"
EPOCH = "1970-01-01T00:00:00Z"

V2_PARAMETERS: dict[str, Any] = {"lr": 0.01, "epochs": 10, "model_name": "resnet", "use_gpu": True}
PIPELINE_ROOT = "minio://mlpipeline/v2/artifacts"
IR_YAML = "pipelineInfo:\n  name: train\nroot: {}\nschemaVersion: 2.1.0\n"
WORKFLOW = '{"metadata":{"name":"train-abcde"},"status":{"phase":"Running"}}'

REFERENCES: list[dict[str, Any]] = [
    {"key": {"type": "EXPERIMENT", "id": EXPERIMENT_ID}, "relationship": "OWNER"},
    {"key": {"type": "PIPELINE_VERSION", "id": VERSION_ID}, "relationship": "CREATOR"},
]


def v2_run(
    parameters: Mapping[str, Any] | None = None,
    *,
    run_id: str = RUN_ID,
    status: str = "Running",
    finished_at: str = EPOCH,
) -> dict[str, Any]:
    """The ``run`` object of a run of an IR pipeline with SDK 2.x parameters."""
    return {
        "id": run_id,
        "name": f"train {run_id[:8]}",
        "pipeline_spec": {
            "pipeline_id": PIPELINE_ID,
            "pipeline_name": "train",
            "pipeline_manifest": IR_YAML,
            "runtime_config": {
                "parameters": dict(V2_PARAMETERS if parameters is None else parameters),
                "pipeline_root": PIPELINE_ROOT,
            },
        },
        "resource_references": copy.deepcopy(REFERENCES),
        "service_account": "pipeline-runner",
        "created_at": CREATED,
        "scheduled_at": CREATED,
        "finished_at": finished_at,
        "status": status,
    }


def run_detail(run: dict[str, Any]) -> dict[str, Any]:
    """``GET /runs/{id}``: the run and its pipeline runtime."""
    return {"run": run, "pipeline_runtime": {"workflow_manifest": WORKFLOW}}


#: A run of a v1 (Argo) pipeline on the same server: v1 parameters, no runtime_config.
V1_RUN: dict[str, Any] = {
    "id": V1_RUN_ID,
    "name": "legacy",
    "pipeline_spec": {
        "pipeline_id": PIPELINE_ID,
        "pipeline_name": "legacy",
        "workflow_manifest": WORKFLOW,
        "parameters": [{"name": "message", "value": "hello"}],
    },
    "resource_references": copy.deepcopy(REFERENCES),
    "service_account": "pipeline-runner",
    "created_at": CREATED,
    "scheduled_at": CREATED,
    "finished_at": "2025-11-20T10:05:00Z",
    "status": "Succeeded",
}

#: ``GET /jobs/{id}``: a recurring run of an IR pipeline.
JOB: dict[str, Any] = {
    "id": JOB_ID,
    "name": "nightly",
    "pipeline_spec": {
        "pipeline_id": PIPELINE_ID,
        "pipeline_name": "train",
        "pipeline_manifest": IR_YAML,
        "runtime_config": {"parameters": {"epochs": 5}, "pipeline_root": PIPELINE_ROOT},
    },
    "resource_references": copy.deepcopy(REFERENCES),
    "service_account": "pipeline-runner",
    "max_concurrency": "10",
    "trigger": {"cron_schedule": {"cron": "0 0 2 * * *"}},
    "created_at": CREATED,
    "updated_at": CREATED,
    "status": "ENABLED",
    "enabled": True,
}

#: ``GET /experiments/{id}`` of a single-user server: a NAMESPACE reference without an id.
EXPERIMENT: dict[str, Any] = {
    "id": EXPERIMENT_ID,
    "name": "Default",
    "description": "All runs created without specifying an experiment will be grouped here.",
    "created_at": CREATED,
    "resource_references": [{"key": {"type": "NAMESPACE"}, "relationship": "OWNER"}],
    "storage_state": "STORAGESTATE_AVAILABLE",
}

#: ``GET /pipelines/{id}`` of an IR pipeline: no parameters; default_version is the latest.
PIPELINE: dict[str, Any] = {
    "id": PIPELINE_ID,
    "created_at": CREATED,
    "name": "train",
    "default_version": {
        "id": VERSION_ID,
        "name": "train v2",
        "created_at": CREATED,
        "code_source_url": "https://github.com/example/train",
        "package_url": {"pipeline_url": "https://github.com/example/train"},
        "resource_references": [
            {"key": {"type": "PIPELINE", "id": PIPELINE_ID}, "relationship": "OWNER"}
        ],
    },
}

HEALTHZ: dict[str, Any] = {"commit_sha": "4a3592cb", "tag_name": "2.17.0", "multi_user": False}
HEALTHZ_1_8: dict[str, Any] = {"commit_sha": "a1b2c3d", "tag_name": "1.8.5", "multi_user": False}

# -- error bodies, one per server generation ------------------------------------------------------

INTERNAL = (
    "Failed to get a v1beta1 run: Failed to fetch run missing: "
    "ResourceNotFoundError: Run missing not found"
)
ERROR_G0: dict[str, Any] = {
    "error": "ResourceNotFoundError: Run missing not found.",
    "code": 5,
    "message": "ResourceNotFoundError: Run missing not found.",
    "details": [
        {
            "@type": "type.googleapis.com/api.Error",
            "error_message": "Run missing not found.",
            "error_details": "ResourceNotFoundError: Run missing not found.",
        }
    ],
}
RPC_STATUS_DETAIL: dict[str, Any] = {
    "@type": "type.googleapis.com/google.rpc.Status",
    "code": 5,
    "message": "Run missing not found",
}
ERROR_G1: dict[str, Any] = {
    "error": INTERNAL,
    "code": 5,
    "message": INTERNAL,
    "details": [RPC_STATUS_DETAIL],
}
ERROR_G2: dict[str, Any] = {"code": 5, "message": INTERNAL, "details": [RPC_STATUS_DETAIL]}
UNKNOWN_FIELD = 'proto: (line 1:187): unknown field "extra_field"'
UPLOAD_TAKEN: dict[str, Any] = {
    "error_message": "Failed to create a pipeline and a pipeline version",
    "error_details": "Failed to create a pipeline and a pipeline version\ngoroutine 1 [running]:",
}
NAMESPACE_REQUIRED = "Invalid input error: Namespace is required for pipeline operations"
ARTIFACT_NOT_FOUND: dict[str, Any] = {
    "error_message": "artifact not found: <nil>",
    "error_details": "artifact not found: <nil>",
}
HAS_VERSIONS = (
    f"Failed to delete a pipeline: Failed to delete pipeline with id {PIPELINE_ID} "
    "as it has existing pipeline versions"
)


def has_versions_reply() -> Reply:
    """The 400 of ``DELETE /pipelines/{id}`` for a pipeline with versions (2.x, gateway v2)."""
    detail = {"@type": "type.googleapis.com/google.rpc.Status", "code": 9, "message": HAS_VERSIONS}
    return Reply.json({"code": 9, "message": HAS_VERSIONS, "details": [detail]}, 400)


def route(answers: Mapping[tuple[str, str], Reply | Responder]) -> Responder:
    """A responder answering ``(method, path)`` with its reply (or the reply it computes).

    The path is the raw path without the query. Anything else gets the 2.x gateway's JSON 404.
    """

    def respond(request: RecordedRequest) -> Reply:
        answer = answers.get((request.method, request.path))
        if answer is None:
            return Reply.json({"code": 5, "message": "Not Found"}, 404)
        return answer if isinstance(answer, Reply) else answer(request)

    return respond
