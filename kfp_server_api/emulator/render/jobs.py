"""Answers of the job service: Job and ListJobsResponse."""

from __future__ import annotations

from json.encoder import encode_basestring
from typing import TYPE_CHECKING

from . import timestamp
from .runs import pipeline_spec_json

if TYPE_CHECKING:
    from ..jobs import JobPage, JobRecord

__all__ = ["job_json", "job_page"]


def job_json(record: JobRecord) -> str:
    """A Job, keys in proto order; ``mode`` is never set, ``trigger`` always present,
    ``max_concurrency`` an int64 as a string, ``enabled`` and ``no_catchup`` left out when
    false."""
    row = record.row
    parts = ['{"id":', encode_basestring(row["uuid"])]
    if row["name"]:
        parts += [',"name":', encode_basestring(row["name"])]
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
    if row["max_concurrency"]:
        parts += [',"max_concurrency":"', str(row["max_concurrency"]), '"']
    parts += [
        ',"trigger":',
        row["trigger"],
        ',"created_at":',
        timestamp(row["created_at"]),
        ',"updated_at":',
        timestamp(row["updated_at"]),
    ]
    if row["status"]:
        parts += [',"status":', encode_basestring(row["status"])]
    if row["enabled"]:
        parts.append(',"enabled":true')
    if row["no_catchup"]:
        parts.append(',"no_catchup":true')
    parts.append("}")
    return "".join(parts)


def job_page(page: JobPage) -> str:
    """A ListJobsResponse: jobs, total_size and next_page_token, each left out when zero."""
    parts = []
    if page.jobs:
        parts.append('"jobs":[' + ",".join(job_json(job) for job in page.jobs) + "]")
    if page.total_size:
        parts.append(f'"total_size":{page.total_size}')
    if page.next_page_token:
        parts.append('"next_page_token":"' + page.next_page_token + '"')
    return "{" + ",".join(parts) + "}"
