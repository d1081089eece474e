"""Deterministic, realistic Kubeflow Pipelines run data for the benchmarks.

The JSON is shaped the way the KFP v1beta1 API server writes it: snake_case field names in proto
declaration order, zero values left out (an available run has no ``storage_state``), enums as
names, timestamps as whole-second RFC 3339 strings with ``Z``, int64 values as strings, compact
separators and no trailing newline. Every run carries a pipeline spec whose workflow manifest is
a compiled Argo Workflow of a few KB, 8 parameters, 2 resource references (the owning experiment
and the pipeline version it was created from), 3 metrics and the 3 timestamps.

Everything is derived from a seeded ``random.Random`` so two interpreters (this SDK's and the
1.8.5 one the comparison runs in) build byte-identical payloads; ``digest`` lets them prove it.
This module uses the standard library only, because it is imported by both.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

SEED = 20220301
"""Default seed of every generated payload."""

_EPOCH_ZERO = "1970-01-01T00:00:00Z"
_START = datetime(2022, 3, 1, 8, 0, 0, tzinfo=timezone.utc)
_PIPELINES = ("xgboost-trainer", "tfx-taxi-cab", "data-validation", "feature-pipeline")
_EXPERIMENTS = ("Default", "nightly-training", "hyperparameter-sweep", "release-candidates")
_STEPS = ("preprocess", "train", "evaluate")
_PARAMETER_NAMES = (
    "learning-rate",
    "epochs",
    "batch-size",
    "dataset-uri",
    "model-name",
    "max-depth",
    "seed",
    "output-dir",
)
_STATUSES = ("Succeeded",) * 7 + ("Failed", "Error", "Running")
_COMPACT = {"separators": (",", ":"), "ensure_ascii": False}


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _parameter_values(rng: random.Random, index: int) -> list[str]:
    return [
        f"{rng.choice((0.1, 0.05, 0.01, 0.001))}",
        str(rng.randint(5, 200)),
        str(rng.choice((32, 64, 128, 256))),
        f"gs://ml-datasets/taxi/{2022 - rng.randint(0, 3)}/part-{rng.randint(0, 999):05d}.csv",
        f"model-{index:06d}",
        str(rng.randint(2, 12)),
        str(rng.getrandbits(31)),
        f"gs://ml-artifacts/runs/{index:06d}/",
    ]


def _container_template(rng: random.Random, step: str, generate_name: str) -> dict[str, Any]:
    return {
        "name": step,
        "container": {
            "args": [
                "--input",
                "{{inputs.parameters.dataset-uri}}",
                "--learning-rate",
                "{{inputs.parameters.learning-rate}}",
                "--output",
                f"/tmp/outputs/{step}/data",
            ],
            "command": ["python3", "-u", f"/app/{step}.py"],
            "image": f"gcr.io/ml-pipeline/{step}:{rng.randint(1, 9)}.{rng.randint(0, 20)}.0",
        },
        "inputs": {
            "parameters": [{"name": "dataset-uri"}, {"name": "learning-rate"}],
        },
        "outputs": {
            "artifacts": [
                {"name": "mlpipeline-ui-metadata", "path": "/tmp/outputs/mlpipeline-ui-metadata"},
                {"name": "mlpipeline-metrics", "path": "/tmp/outputs/mlpipeline-metrics.json"},
                {"name": f"{step}-data", "path": f"/tmp/outputs/{step}/data"},
            ],
        },
        "metadata": {
            "annotations": {
                "pipelines.kubeflow.org/component_spec": json.dumps(
                    {"name": step.title(), "implementation": {"container": {"image": step}}},
                    **_COMPACT,
                ),
                "pipelines.kubeflow.org/max_cache_staleness": "P0D",
            },
            "labels": {
                "pipelines.kubeflow.org/kfp_sdk_version": "1.8.22",
                "workflows.argoproj.io/workflow": generate_name,
            },
        },
    }


def _workflow_manifest(
    rng: random.Random, pipeline: str, parameters: list[dict[str, str]]
) -> dict[str, Any]:
    generate_name = f"{pipeline}-"
    dag = {
        "name": pipeline,
        "dag": {
            "tasks": [
                {
                    "name": step,
                    "template": step,
                    **({"dependencies": [_STEPS[i - 1]]} if i else {}),
                    "arguments": {
                        "parameters": [
                            {"name": "dataset-uri", "value": "{{workflow.parameters.dataset-uri}}"},
                            {
                                "name": "learning-rate",
                                "value": "{{workflow.parameters.learning-rate}}",
                            },
                        ]
                    },
                }
                for i, step in enumerate(_STEPS)
            ]
        },
    }
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {
            "generateName": generate_name,
            "annotations": {
                "pipelines.kubeflow.org/kfp_sdk_version": "1.8.22",
                "pipelines.kubeflow.org/pipeline_compilation_time": "2022-02-28T17:12:05.317264",
                "pipelines.kubeflow.org/run_name": pipeline,
            },
            "labels": {"pipelines.kubeflow.org/kfp_sdk_version": "1.8.22"},
        },
        "spec": {
            "entrypoint": pipeline,
            "templates": [dag] + [_container_template(rng, s, generate_name) for s in _STEPS],
            "arguments": {"parameters": parameters},
            "serviceAccountName": "pipeline-runner",
        },
    }


def run_json(rng: random.Random, index: int) -> dict[str, Any]:
    """One run as the server emits it in ``list_runs`` (a plain dict in key order)."""
    pipeline = _PIPELINES[index % len(_PIPELINES)]
    parameters = [
        {"name": name, "value": value}
        for name, value in zip(_PARAMETER_NAMES, _parameter_values(rng, index))
    ]
    created = _START + timedelta(seconds=index * 37 + rng.randint(0, 30))
    recurring = rng.random() < 0.3
    status = rng.choice(_STATUSES)
    finished = status != "Running"
    node = f"{pipeline}-{rng.getrandbits(32):010d}"
    run: dict[str, Any] = {"id": _uuid(rng), "name": f"{pipeline} run {index:06d}"}
    if rng.random() < 0.1:
        run["storage_state"] = "STORAGESTATE_ARCHIVED"
    if rng.random() < 0.5:
        run["description"] = f"Nightly {pipeline} training on the {created:%B} data snapshot."
    run["pipeline_spec"] = {
        "pipeline_id": _uuid(rng),
        "pipeline_name": pipeline,
        "workflow_manifest": json.dumps(_workflow_manifest(rng, pipeline, parameters), **_COMPACT),
        "parameters": parameters,
    }
    experiment = _EXPERIMENTS[index % len(_EXPERIMENTS)]
    run["resource_references"] = [
        {
            "key": {"type": "EXPERIMENT", "id": _uuid(rng)},
            "name": experiment,
            "relationship": "OWNER",
        },
        {
            "key": {"type": "PIPELINE_VERSION", "id": _uuid(rng)},
            "name": f"{pipeline} v{rng.randint(1, 40)}",
            "relationship": "CREATOR",
        },
    ]
    run["service_account"] = "pipeline-runner"
    run["created_at"] = _timestamp(created)
    run["scheduled_at"] = _timestamp(created - timedelta(seconds=2)) if recurring else _EPOCH_ZERO
    run["finished_at"] = (
        _timestamp(created + timedelta(seconds=rng.randint(60, 7200))) if finished else _EPOCH_ZERO
    )
    run["status"] = status
    if status in ("Failed", "Error"):
        run["error"] = f"step {rng.choice(_STEPS)} exited with code {rng.randint(1, 137)}"
    run["metrics"] = [
        {
            "name": "accuracy-score",
            "node_id": node,
            "number_value": round(rng.uniform(0.5, 0.99), 4),
            "format": "PERCENTAGE",
        },
        {"name": "roc-auc", "node_id": node, "number_value": round(rng.uniform(0.5, 1), 6)},
        {
            "name": "training-loss",
            "node_id": node,
            "number_value": round(rng.uniform(0.01, 3), 5),
            "format": "RAW",
        },
    ]
    return run


def runs(count: int, seed: int = SEED) -> list[dict[str, Any]]:
    """``count`` runs as plain dicts, identical for the same ``count`` and ``seed``."""
    rng = random.Random(seed)
    return [run_json(rng, index) for index in range(count)]


def _page_token(last: dict[str, Any]) -> str:
    token = {
        "SortByFieldName": "CreatedAtInSec",
        "SortByFieldValue": int(
            datetime.strptime(last["created_at"], "%Y-%m-%dT%H:%M:%SZ")
            .replace(tzinfo=timezone.utc)
            .timestamp()
        ),
        "SortByFieldPrefix": "",
        "KeyFieldName": "UUID",
        "KeyFieldValue": last["id"],
        "KeyFieldPrefix": "",
        "IsDesc": False,
        "ModelName": "",
        "Filter": None,
    }
    return base64.b64encode(json.dumps(token, **_COMPACT).encode()).decode()


def encode(document: Any) -> bytes:
    """Serialize like the server: compact JSON, UTF-8, no trailing newline."""
    return json.dumps(document, **_COMPACT).encode("utf-8")


def list_runs_document(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``list_runs`` response wrapping ``items`` (with a total and a next-page token)."""
    if not items:
        return {}
    return {
        "runs": items,
        "total_size": len(items) * 3,
        "next_page_token": _page_token(items[-1]),
    }


def list_runs_payload(count: int, seed: int = SEED) -> bytes:
    """Body of a ``GET /apis/v1beta1/runs`` response holding ``count`` runs."""
    return encode(list_runs_document(runs(count, seed)))


def run_detail_payload(seed: int = SEED) -> bytes:
    """Body of a ``GET /apis/v1beta1/runs/{run_id}`` response: one run and its runtime."""
    rng = random.Random(seed)
    run = run_json(rng, 0)
    runtime = json.loads(run["pipeline_spec"]["workflow_manifest"])
    runtime["metadata"]["name"] = runtime["metadata"]["generateName"] + "x7k2p"
    runtime["status"] = {
        "phase": run["status"],
        "startedAt": run["created_at"],
        "finishedAt": run["finished_at"],
        "nodes": {
            f"{runtime['metadata']['name']}-{rng.getrandbits(32)}": {
                "displayName": step,
                "phase": "Succeeded",
                "templateName": step,
                "outputs": {
                    "artifacts": [
                        {
                            "name": "mlpipeline-metrics",
                            "s3": {"key": f"artifacts/{step}/mlpipeline-metrics.tgz"},
                        }
                    ]
                },
            }
            for step in _STEPS
        },
    }
    document = {"run": run, "pipeline_runtime": {"workflow_manifest": json.dumps(runtime)}}
    return encode(document)


def digest(payload: bytes) -> str:
    """Short fingerprint used to check two interpreters measured the same bytes."""
    return hashlib.sha256(payload).hexdigest()[:16]
