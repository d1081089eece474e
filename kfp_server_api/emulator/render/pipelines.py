"""Answers of the pipeline and upload services: Pipeline, PipelineVersion, their lists,
templates, and the upload handler's own error body."""

from __future__ import annotations

import sqlite3
from json.encoder import encode_basestring
from typing import TYPE_CHECKING

from ..errors import ApiError
from . import compact_json, timestamp

if TYPE_CHECKING:
    from ..pipelines import PipelinePage, PipelineRecord, VersionPage

__all__ = [
    "pipeline",
    "pipeline_page",
    "template",
    "upload_error",
    "version",
    "version_page",
]

# The default version of a pipeline whose default version id names no version: the server's
# join yields an empty row, which it still converts.
_DANGLING_VERSION = (
    '{"created_at":"1970-01-01T00:00:00Z",'
    '"resource_references":[{"key":{"type":"PIPELINE"},"relationship":"OWNER"}]}'
)


def version(row: sqlite3.Row) -> str:
    """A PipelineVersion: id, name, created_at, parameters, code_source_url,
    resource_references (its pipeline, as OWNER), description; empty ones left out."""
    parts = ['{"id":', encode_basestring(row["uuid"])]
    if row["name"]:
        parts += [',"name":', encode_basestring(row["name"])]
    parts += [',"created_at":', timestamp(row["created_at"])]
    if row["parameters"]:
        parts += [',"parameters":', row["parameters"]]
    if row["code_source_url"]:
        parts += [',"code_source_url":', encode_basestring(row["code_source_url"])]
    owner = encode_basestring(row["pipeline_id"])
    parts.append(
        ',"resource_references":[{"key":{"type":"PIPELINE","id":' + owner + "},"
        '"relationship":"OWNER"}]'
    )
    if row["description"]:
        parts += [',"description":', encode_basestring(row["description"])]
    parts.append("}")
    return "".join(parts)


def pipeline(record: PipelineRecord) -> str:
    """A Pipeline: id, created_at, name, description, parameters, default_version."""
    row = record.row
    parts = [
        '{"id":',
        encode_basestring(row["uuid"]),
        ',"created_at":',
        timestamp(row["created_at"]),
    ]
    if row["name"]:
        parts += [',"name":', encode_basestring(row["name"])]
    if row["description"]:
        parts += [',"description":', encode_basestring(row["description"])]
    if row["parameters"]:
        parts += [',"parameters":', row["parameters"]]
    if row["default_version_id"]:
        default = record.default_version
        parts += [',"default_version":', _DANGLING_VERSION if default is None else version(default)]
    parts.append("}")
    return "".join(parts)


def pipeline_page(page: PipelinePage) -> str:
    """A ListPipelinesResponse: pipelines, total_size, next_page_token; zero ones left out."""
    parts = []
    if page.pipelines:
        parts.append('"pipelines":[' + ",".join(pipeline(p) for p in page.pipelines) + "]")
    if page.total_size:
        parts.append(f'"total_size":{page.total_size}')
    if page.next_page_token:
        parts.append('"next_page_token":' + encode_basestring(page.next_page_token))
    return "{" + ",".join(parts) + "}"


def version_page(page: VersionPage) -> str:
    """A ListPipelineVersionsResponse: versions, next_page_token, total_size."""
    parts = []
    if page.versions:
        parts.append('"versions":[' + ",".join(version(v) for v in page.versions) + "]")
    if page.next_page_token:
        parts.append('"next_page_token":' + encode_basestring(page.next_page_token))
    if page.total_size:
        parts.append(f'"total_size":{page.total_size}')
    return "{" + ",".join(parts) + "}"


def template(text: str) -> str:
    """A GetTemplateResponse (``{}`` when there is no template)."""
    return '{"template":' + encode_basestring(text) + "}" if text else "{}"


def upload_error(error: ApiError) -> str:
    """The upload handler's error body: ``{"error_message", "error_details"}``; the details
    add the error's reason, if it has one, on a line of its own."""
    details = error.message if error.reason is None else f"{error.message}\n{error.reason}"
    return compact_json({"error_message": error.message, "error_details": details})
