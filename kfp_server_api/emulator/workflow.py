"""Argo Workflow manifests: checking the ones clients send, and rendering the runtime one.

A v1 run carries the Argo Workflow it was created from (``pipeline_spec.workflow_manifest``)
and, in ``get_run``, the workflow as the cluster sees it (``pipeline_runtime.workflow_manifest``):
the same workflow with the run's name, labels, parameters, service account and a ``status``
with the phase, start and finish times and one node per node that has artifacts. Artifacts
attached through the control API appear there as S3 output artifacts, which is where the real
server looks them up for read_artifact.

``argo_artifact_archive`` builds what Argo stores for an output artifact: a gzip-compressed tar
archive of the files.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import re
import string
import tarfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .protojson import MAX_DEPTH, format_timestamp, nesting_depth

__all__ = [
    "ARGO_API_VERSION",
    "argo_artifact_archive",
    "declared_parameters",
    "default_workflow",
    "runtime_manifest",
    "swf_name",
    "unmarshal_workflow",
    "workflow_service_account",
]

ARGO_API_VERSION = "argoproj.io/v1alpha1"

# Top-level and metadata fields of an Argo Workflow with the JSON type Go's decoder demands.
_OBJECT_TYPES: Mapping[str, type] = {
    "apiVersion": str,
    "kind": str,
    "metadata": dict,
    "spec": dict,
    "status": dict,
}
_METADATA_TYPES: Mapping[str, type] = {
    "name": str,
    "generateName": str,
    "namespace": str,
    "uid": str,
    "labels": dict,
    "annotations": dict,
}


def unmarshal_workflow(manifest: str) -> dict[str, Any]:
    """Parse a workflow manifest the way ``json.Unmarshal`` into an Argo Workflow would.

    Raises ValueError with a Go-style cause when the text is not JSON or its known top-level
    fields have the wrong JSON type. The emulator does not check the whole Argo schema.
    """
    if nesting_depth(manifest) > MAX_DEPTH:
        raise ValueError("exceeded max depth")
    try:
        document = json.loads(manifest, parse_constant=_reject_constant)
    except ValueError as exc:
        raise ValueError(_json_error(exc)) from None
    except RecursionError:
        raise ValueError("exceeded max depth") from None
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise ValueError(_type_mismatch(document, "v1alpha1.Workflow"))
    _check_types(document, _OBJECT_TYPES, "Workflow")
    metadata = document.get("metadata") or {}
    _check_types(metadata, _METADATA_TYPES, "ObjectMeta")
    for key in ("labels", "annotations"):
        for value in (metadata.get(key) or {}).values():
            if not isinstance(value, str):
                raise ValueError(_type_mismatch(value, "string", f"ObjectMeta.metadata.{key}"))
    spec = document.get("spec") or {}
    arguments = spec.get("arguments")
    if arguments is not None:
        if not isinstance(arguments, dict):
            raise ValueError(_type_mismatch(arguments, "v1alpha1.Arguments", "Workflow.spec"))
        parameters = arguments.get("parameters")
        if parameters is not None and not (
            isinstance(parameters, list)
            and all(isinstance(p, dict) and isinstance(p.get("name", ""), str) for p in parameters)
        ):
            raise ValueError(
                _type_mismatch(parameters, "[]v1alpha1.Parameter", "Workflow.spec.arguments")
            )
    if not isinstance(spec.get("serviceAccountName", ""), str):
        raise ValueError(_type_mismatch(spec["serviceAccountName"], "string", "Workflow.spec"))
    return document


def _reject_constant(name: str) -> Any:
    raise ValueError(f"invalid character '{name[0]}' looking for beginning of value")


def _json_error(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        if exc.pos >= len(exc.doc.rstrip()):
            return "unexpected end of JSON input"
        return f"invalid character {exc.doc[exc.pos]!r} looking for beginning of value"
    return str(exc)


def _json_kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _type_mismatch(value: object, go_type: str, field: str = "") -> str:
    where = f" into Go struct field {field}" if field else " into Go value"
    return f"json: cannot unmarshal {_json_kind(value)}{where} of type {go_type}"


def _check_types(document: Mapping[str, Any], types: Mapping[str, type], owner: str) -> None:
    for key, expected in types.items():
        value = document.get(key)
        if value is not None and not isinstance(value, expected):
            go_type = "string" if expected is str else "struct"
            raise ValueError(_type_mismatch(value, go_type, f"{owner}.{key}"))


def declared_parameters(workflow: Mapping[str, Any]) -> list[str]:
    """Names of the parameters the workflow declares in ``spec.arguments.parameters``."""
    spec = workflow.get("spec") or {}
    arguments = spec.get("arguments") or {}
    return [str(p.get("name", "")) for p in arguments.get("parameters") or []]


def workflow_service_account(workflow: Mapping[str, Any]) -> str:
    """``spec.serviceAccountName`` of the workflow, or ''."""
    spec = workflow.get("spec") or {}
    return str(spec.get("serviceAccountName") or "")


def default_workflow(name: str) -> dict[str, Any]:
    """A small, valid Argo Workflow for pipelines added without a manifest."""
    safe = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-") or "pipeline"
    return {
        "apiVersion": ARGO_API_VERSION,
        "kind": "Workflow",
        "metadata": {"generateName": f"{safe[:50]}-"},
        "spec": {
            "entrypoint": "main",
            "arguments": {"parameters": []},
            "templates": [
                {
                    "name": "main",
                    "container": {
                        "image": "python:3.9-slim",
                        "command": ["python", "-c", "print('hello from the emulator')"],
                    },
                    "outputs": {
                        "artifacts": [
                            {"name": "mlpipeline-metrics", "path": "/mlpipeline-metrics.json"}
                        ]
                    },
                }
            ],
        },
    }


# Kubernetes' generateName suffix alphabet (no vowels, no look-alikes).
_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
_SWF_NAME_LIMIT = 25


def swf_name(job_name: str) -> str:
    """The ScheduledWorkflow's Kubernetes name: the cleaned job name (at most 25 characters,
    ``job-`` if nothing is left) and five random characters, as Kubernetes generates it."""
    cleaned = re.sub(r"[^a-z0-9-]", "", job_name.lower()) or "job-"
    suffix = "".join(random.choice(_SUFFIX_ALPHABET) for _ in range(5))
    return cleaned.encode("utf-8")[:_SWF_NAME_LIMIT].decode("utf-8", "ignore") + suffix


def _random_suffix(length: int = 5) -> str:
    alphabet = string.ascii_lowercase + string.digits
    return "".join(random.choice(alphabet) for _ in range(length))


def workflow_name(workflow: Mapping[str, Any]) -> str:
    """The name Kubernetes gives the workflow: ``metadata.name``, or generateName + 5 chars."""
    metadata = workflow.get("metadata") or {}
    name = metadata.get("name")
    if name:
        return str(name)
    return str(metadata.get("generateName") or "run-") + _random_suffix()


def runtime_manifest(
    workflow: Mapping[str, Any],
    *,
    run_id: str,
    run_name: str,
    k8s_name: str,
    namespace: str,
    service_account: str,
    parameters: Sequence[tuple[str, str]],
    created_at: int,
    finished_at: int,
    status: str,
    terminated: bool,
    artifacts: Iterable[tuple[str, str]],
) -> str:
    """The runtime workflow JSON of a v1 run, with its current status and artifact nodes."""
    document = json.loads(json.dumps(workflow))  # a deep copy the caller cannot observe
    metadata = document.setdefault("metadata", {})
    metadata.pop("generateName", None)
    metadata["name"] = k8s_name
    metadata["namespace"] = namespace
    metadata["uid"] = run_id
    metadata["creationTimestamp"] = format_timestamp(created_at)
    labels = metadata.setdefault("labels", {})
    labels["pipeline/runid"] = run_id
    # Terminating is a KFP status; Argo still reports the workflow as Running until it stops.
    phase = "Running" if status == "Terminating" else status
    if phase:
        labels["workflows.argoproj.io/phase"] = phase
    if finished_at:
        labels["workflows.argoproj.io/completed"] = "true"
    metadata.setdefault("annotations", {})["pipelines.kubeflow.org/run_name"] = run_name
    spec = document.setdefault("spec", {})
    spec["serviceAccountName"] = service_account
    if terminated:
        spec["activeDeadlineSeconds"] = 0
    given = dict(parameters)
    for parameter in (spec.get("arguments") or {}).get("parameters") or []:
        if parameter.get("name") in given:
            parameter["value"] = given[parameter["name"]]
    document["status"] = _status(k8s_name, phase, created_at, finished_at, artifacts)
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def _status(
    k8s_name: str,
    phase: str,
    created_at: int,
    finished_at: int,
    artifacts: Iterable[tuple[str, str]],
) -> dict[str, Any]:
    if not phase:
        return {}
    status: dict[str, Any] = {"phase": phase, "startedAt": format_timestamp(created_at)}
    status["finishedAt"] = format_timestamp(finished_at) if finished_at else None
    nodes: dict[str, Any] = {
        k8s_name: {
            "id": k8s_name,
            "name": k8s_name,
            "displayName": k8s_name,
            "type": "DAG",
            "phase": phase,
            "startedAt": status["startedAt"],
            "finishedAt": status["finishedAt"],
        }
    }
    for node_id, artifact_name in artifacts:
        node = nodes.get(node_id)
        if node is None:
            node = nodes[node_id] = {
                "id": node_id,
                "name": f"{k8s_name}.{node_id}",
                "displayName": node_id,
                "type": "Pod",
                "phase": phase,
                "boundaryID": k8s_name,
                "startedAt": status["startedAt"],
                "finishedAt": status["finishedAt"],
            }
        outputs = node.setdefault("outputs", {}).setdefault("artifacts", [])
        outputs.append(
            {
                "name": artifact_name,
                "s3": {"key": f"artifacts/{k8s_name}/{node_id}/{artifact_name}.tgz"},
            }
        )
        if node_id != k8s_name:
            nodes[k8s_name].setdefault("children", []).append(node_id)
    status["nodes"] = nodes
    return status


def argo_artifact_archive(files: Mapping[str, bytes]) -> bytes:
    """A gzip-compressed tar archive of ``files`` ({name: content}), as Argo stores artifacts.

    The archive is deterministic (no timestamps), so equal input gives equal bytes.
    """
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(content))
    return gzip.compress(raw.getvalue(), mtime=0)
