"""JSON of runs as the KFP gateway writes it: proto field names in declaration order, zero
values left out, timestamps always present, int64 as strings, Go's float format.

Responses are assembled from pre-encoded pieces (manifests are stored as JSON string literals)
because a page of runs is mostly manifest text that needs no re-encoding.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from json.encoder import encode_basestring
from typing import Any

from .protojson import ENUM_NAMES, format_double, format_timestamp

__all__ = [
    "compact_json",
    "metric_json",
    "parameters_json",
    "references_json",
    "run_detail_json",
    "run_json",
]

ARCHIVED = "STORAGESTATE_ARCHIVED"
AVAILABLE = "STORAGESTATE_AVAILABLE"
_EPOCH_TEXT = '"1970-01-01T00:00:00Z"'
_DISPLAYED_FORMATS = frozenset({"RAW", "PERCENTAGE"})


def compact_json(document: Any) -> str:
    """A JSON document without spaces, non-ASCII kept as UTF-8 (like Go's encoder)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _timestamp(seconds: int) -> str:
    return _EPOCH_TEXT if not seconds else '"' + format_timestamp(seconds) + '"'


def parameters_json(parameters: Sequence[tuple[str, str]]) -> str:
    """``[{"name":..,"value":..}]`` with empty strings left out, or '' for no parameters."""
    if not parameters:
        return ""
    items = []
    for name, value in parameters:
        fields = []
        if name:
            fields.append('"name":' + encode_basestring(name))
        if value:
            fields.append('"value":' + encode_basestring(value))
        items.append("{" + ",".join(fields) + "}")
    return "[" + ",".join(items) + "]"


def references_json(references: Sequence[Mapping[str, Any]]) -> str:
    """Resource references as JSON (``key``, ``name``, ``relationship``), or '' for none."""
    if not references:
        return ""
    items = []
    for reference in references:
        key_fields = []
        type_number = reference["type"]
        if type_number:
            type_name = ENUM_NAMES["api.ResourceType"].get(type_number, str(type_number))
            key_fields.append('"type":' + encode_basestring(type_name))
        if reference["id"]:
            key_fields.append('"id":' + encode_basestring(reference["id"]))
        fields = ['"key":{' + ",".join(key_fields) + "}"]
        if reference["name"]:
            fields.append('"name":' + encode_basestring(reference["name"]))
        relationship = reference["relationship"]
        if relationship:
            name = ENUM_NAMES["api.Relationship"].get(relationship, str(relationship))
            fields.append('"relationship":' + encode_basestring(name))
        items.append("{" + ",".join(fields) + "}")
    return "[" + ",".join(items) + "]"


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


def run_json(
    row: sqlite3.Row,
    metrics: Sequence[sqlite3.Row],
    manifest_quoted: Callable[[int], str],
) -> str:
    """A Run, keys in proto order: id, name, storage_state, description, pipeline_spec, ..."""
    parts = ['{"id":', encode_basestring(row["uuid"])]
    if row["name"]:
        parts += [',"name":', encode_basestring(row["name"])]
    if row["storage_state"] != AVAILABLE:
        parts += [',"storage_state":', encode_basestring(row["storage_state"])]
    if row["description"]:
        parts += [',"description":', encode_basestring(row["description"])]
    parts += [',"pipeline_spec":', _pipeline_spec_json(row, manifest_quoted)]
    if row["refs"]:
        parts += [',"resource_references":', row["refs"]]
    if row["service_account"]:
        parts += [',"service_account":', encode_basestring(row["service_account"])]
    parts += [
        ',"created_at":',
        _timestamp(row["created_at"]),
        ',"scheduled_at":',
        _timestamp(row["scheduled_at"]),
        ',"finished_at":',
        _timestamp(row["finished_at"]),
    ]
    if row["status"]:
        parts += [',"status":', encode_basestring(row["status"])]
    if row["error"]:
        parts += [',"error":', encode_basestring(row["error"])]
    if metrics:
        parts += [',"metrics":[', ",".join(metric_json(metric) for metric in metrics), "]"]
    parts.append("}")
    return "".join(parts)


def _pipeline_spec_json(row: sqlite3.Row, manifest_quoted: Callable[[int], str]) -> str:
    fields = []
    if row["pipeline_id"]:
        fields.append('"pipeline_id":' + encode_basestring(row["pipeline_id"]))
    if row["pipeline_name"]:
        fields.append('"pipeline_name":' + encode_basestring(row["pipeline_name"]))
    if row["workflow_manifest_id"] is not None:
        fields.append('"workflow_manifest":' + manifest_quoted(row["workflow_manifest_id"]))
    if row["pipeline_manifest_id"] is not None:
        fields.append('"pipeline_manifest":' + manifest_quoted(row["pipeline_manifest_id"]))
    if row["parameters"]:
        fields.append('"parameters":' + row["parameters"])
    return "{" + ",".join(fields) + "}"


def run_detail_json(run: str, runtime_workflow: str | None) -> str:
    """A RunDetail: the run and its pipeline_runtime (``{}`` without a workflow)."""
    runtime = "{}"
    if runtime_workflow:
        runtime = '{"workflow_manifest":' + encode_basestring(runtime_workflow) + "}"
    return '{"run":' + run + ',"pipeline_runtime":' + runtime + "}"
