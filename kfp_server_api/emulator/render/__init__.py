"""The rendering layer: every answer written as the KFP gateway writes it.

Proto field names in declaration order, zero values left out, timestamps always present, int64
as strings, enums by name, Go's float format. Services return records; the functions here and
in this package's per-resource modules (``runs.py``, ...) are the only code that writes JSON
answers. This module holds the pieces every resource shares.

Responses are assembled from pre-encoded pieces (manifests are stored as JSON string literals,
parameters and references as JSON fragments) because a page of runs is mostly manifest text
that needs no re-encoding.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from json.encoder import encode_basestring
from typing import Any

from ..protojson import ENUM_NAMES, format_timestamp

__all__ = [
    "ARCHIVED",
    "AVAILABLE",
    "compact_json",
    "empty",
    "parameters_json",
    "references_json",
    "timestamp",
]

ARCHIVED = "STORAGESTATE_ARCHIVED"
AVAILABLE = "STORAGESTATE_AVAILABLE"
_EPOCH_TEXT = '"1970-01-01T00:00:00Z"'


def compact_json(document: Any) -> str:
    """A JSON document without spaces, non-ASCII kept as UTF-8 (like Go's encoder)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def timestamp(seconds: int) -> str:
    """A Timestamp field's JSON value: the epoch for 0, as the gateway writes an unset one."""
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


def empty(result: None = None) -> str:
    """The empty message, the answer of every endpoint that returns nothing."""
    return "{}"
