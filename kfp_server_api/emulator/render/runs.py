"""Answers of the run service: Run, RunDetail, ListRunsResponse, metric reports, artifacts."""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Sequence
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

from ..protojson import format_double
from . import AVAILABLE, compact_json, timestamp

if TYPE_CHECKING:
    from ..runs import RunDetailRecord, RunPage, RunRecord

__all__ = [
    "artifact",
    "metric_json",
    "metric_results",
    "pipeline_spec_json",
    "run_detail",
    "run_json",
    "run_page",
]

_DISPLAYED_FORMATS = frozenset({"RAW", "PERCENTAGE"})


def metric_json(row: sqlite3.Row | Sequence[Any]) -> str:
    """A RunMetric from a (run, name, node_id, number_value, format) row."""
    _, name, node_id, value, metric_format = row
    fields = []
    if name:
        fields.append('"name":' + encode_basestring(name))
    if node_id:
        fields.append('"node_id":' + encode_basestring(node_id))
    fields.append('"number_value":' + format_double(value))
    if metric_format in _DISPLAYED_FORMATS:
        fields.append('"format":"' + metric_format + '"')
    return "{" + ",".join(fields) + "}"


def run_json(record: RunRecord) -> str:
    """A Run, keys in proto order: id, name, storage_state, description, pipeline_spec, ..."""
    row = record.row
    parts = ['{"id":', encode_basestring(row["uuid"])]
    if row["name"]:
        parts += [',"name":', encode_basestring(row["name"])]
    if row["storage_state"] != AVAILABLE:
        parts += [',"storage_state":', encode_basestring(row["storage_state"])]
    if row["description"]:
        parts += [',"description":', encode_basestring(row["description"])]
    parts += [
        ',"pipeline_spec":',
        pipeline_spec_json(row, record.workflow_manifest, record.pipeline_manifest),
    ]
    if row["refs"]:
        parts += [',"resource_references":', row["refs"]]
    if row["service_account"]:
        parts += [',"service_account":', encode_basestring(row["service_account"])]
    parts += [
        ',"created_at":',
        timestamp(row["created_at"]),
        ',"scheduled_at":',
        timestamp(row["scheduled_at"]),
        ',"finished_at":',
        timestamp(row["finished_at"]),
    ]
    if row["status"]:
        parts += [',"status":', encode_basestring(row["status"])]
    if row["error"]:
        parts += [',"error":', encode_basestring(row["error"])]
    if record.metrics:
        parts += [',"metrics":[', ",".join(metric_json(m) for m in record.metrics), "]"]
    parts.append("}")
    return "".join(parts)


def pipeline_spec_json(
    row: sqlite3.Row, workflow_manifest: str | None, pipeline_manifest: str | None
) -> str:
    """A PipelineSpec from a run's or a job's row and its manifests (JSON string literals)."""
    fields = []
    if row["pipeline_id"]:
        fields.append('"pipeline_id":' + encode_basestring(row["pipeline_id"]))
    if row["pipeline_name"]:
        fields.append('"pipeline_name":' + encode_basestring(row["pipeline_name"]))
    if workflow_manifest is not None:
        fields.append('"workflow_manifest":' + workflow_manifest)
    if pipeline_manifest is not None:
        fields.append('"pipeline_manifest":' + pipeline_manifest)
    if row["parameters"]:
        fields.append('"parameters":' + row["parameters"])
    return "{" + ",".join(fields) + "}"


def run_detail(detail: RunDetailRecord) -> str:
    """A RunDetail: the run and its pipeline_runtime (``{}`` without a workflow)."""
    runtime = "{}"
    if detail.runtime_workflow:
        runtime = '{"workflow_manifest":' + encode_basestring(detail.runtime_workflow) + "}"
    return '{"run":' + run_json(detail.run) + ',"pipeline_runtime":' + runtime + "}"


def run_page(page: RunPage) -> str:
    """A ListRunsResponse: runs, total_size and next_page_token, each left out when zero."""
    parts = []
    if page.runs:
        parts.append('"runs":[' + ",".join(run_json(run) for run in page.runs) + "]")
    if page.total_size:
        parts.append(f'"total_size":{page.total_size}')
    if page.next_page_token:
        parts.append('"next_page_token":"' + page.next_page_token + '"')
    return "{" + ",".join(parts) + "}"


def metric_results(results: Sequence[dict[str, str]]) -> str:
    """A ReportRunMetricsResponse: one result per reported metric."""
    if not results:
        return "{}"
    return compact_json({"results": list(results)})


def artifact(data: bytes) -> str:
    """A ReadArtifactResponse: the artifact's bytes in base64."""
    if not data:
        return "{}"
    return '{"data":"' + base64.b64encode(data).decode("ascii") + '"}'
