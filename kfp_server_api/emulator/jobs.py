"""The job service: the six JobService endpoints of KFP v1beta1 (recurring runs).

Each endpoint method takes what its route shapes (path parameters, then the parsed query or
the decoded Job) and returns a record or None, or raises ``ApiError``; ``render/jobs.py`` writes
the answer. Validation order and messages follow the real server: the request checks wrapped
in ``Validate create job request failed.`` (pipeline source and parameters as create_run's,
max_concurrency 1 to 10, the cron spec as robfig/cron reads it, a periodic interval of at
least one second; start and end times are not checked), then the template, the parameters,
the Default experiment and the references. Firing runs is the scheduler's part
(``scheduler.py``); every operation lets it catch up first (``ServiceContext.tick``).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

from . import cron, errors, listing, render
from .context import DEFAULT_SERVICE_ACCOUNT, ServiceContext
from .errors import ApiError
from .listing import Column, Listable, ListQuery, parse_query
from .protojson import Message, enum_name, format_timestamp
from .render import jobs as render_jobs
from .routes import Route, message_body
from .run_creation import (
    EXPERIMENT,
    JOB,
    NAMESPACE,
    OWNER,
    PIPELINE_VERSION,
    Reference,
    RunCreation,
)
from .scheduler import Scheduler
from .workflow import declared_parameters, swf_name, workflow_service_account

__all__ = ["JOB_LISTING", "JobPage", "JobRecord", "JobService"]

MIN_CONCURRENCY, MAX_CONCURRENCY = 1, 10

JOB_LISTING = Listable(
    "Job",
    (
        Column("id", "UUID", integer=False),
        Column("name", "DisplayName", integer=False),
        Column("created_at", "CreatedAtInSec", integer=True),
        Column("package_id", "PipelineId", integer=False),
    ),
    reference_types=frozenset({EXPERIMENT, JOB, PIPELINE_VERSION, NAMESPACE}),
)
"""How jobs list: sortable and filterable fields and reference key types."""

_VALIDATE = "Validate create job request failed."
_CONVERT = ("Error to convert resource references.", "Create job failed")
_CRON_FORMAT = (
    "Schedule cron is not a supported format(https://godoc.org/github.com/robfig/cron). Error: "
)


@dataclass(frozen=True)
class JobRecord:
    """A stored job and its manifests as JSON string literals."""

    row: sqlite3.Row
    workflow_manifest: str | None
    pipeline_manifest: str | None


@dataclass(frozen=True)
class JobPage:
    """A page of jobs, the total that matched, and the token of the next page ('' if last)."""

    jobs: list[JobRecord]
    total_size: int
    next_page_token: str


class JobService:
    """The JobService endpoints, on the shared ``ServiceContext``."""

    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.store = context.store
        self.tick = context.tick
        self.scheduler = Scheduler(context)
        self._creation = RunCreation(context)

    def routes(self) -> list[Route]:
        """The job service's routes (see ``routes.py``)."""
        prefix = "/apis/v1beta1/jobs"
        return [
            Route.parse("GET", prefix, self.list_jobs, render_jobs.job_page, query=parse_query),
            Route.parse("POST", prefix, self.create_job, render_jobs.job_json, body=_JOB),
            Route.parse("GET", f"{prefix}/{{id}}", self.get_job, render_jobs.job_json),
            Route.parse("DELETE", f"{prefix}/{{id}}", self.delete_job, render.empty),
            Route.parse("POST", f"{prefix}/{{id}}/enable", self.enable_job, render.empty),
            Route.parse("POST", f"{prefix}/{{id}}/disable", self.disable_job, render.empty),
        ]

    # ------------------------------------------------------------------------------------
    # create_job

    def create_job(self, job: Message) -> JobRecord:
        """``POST /apis/v1beta1/jobs``: the body is the Job; answers the stored Job."""
        self.tick()
        with self.store.transaction():
            job_id = self._create(job)
            record = self._record(job_id)
        self.scheduler.wake()
        return record

    def _create(self, job: Message) -> str:
        spec: Message = job.get("pipeline_spec", {})
        references = [_reference(item) for item in job.get("resource_references", [])]
        try:
            version_id = self._creation.validate_source(spec, references)
            _validate_schedule(job)
        except ApiError as exc:
            raise exc.wrap(_VALIDATE) from None

        pipeline_id = spec.get("pipeline_id", "")
        pipeline, manifest = self._creation.resolve_manifest(spec, references, version_id)
        workflow, _ = self._creation.template(manifest, None)
        parameters = [(p.get("name", ""), p.get("value", "")) for p in spec.get("parameters", [])]
        if workflow is not None:
            declared = set(declared_parameters(workflow))
            for name, _value in parameters:
                if name not in declared:
                    error = errors.invalid_input(f"Unrecognized input parameter: {name}")
                    error = error.wrap("Failed to verify parameters.")
                    raise error.wrap("failed to generate the scheduledWorkflow.")

        if not any(r.type == EXPERIMENT and r.relationship == OWNER for r in references):
            references.append(Reference(EXPERIMENT, self.context.default_experiment(), OWNER))
        namespace = self._creation.namespace_of(references, None)
        self._creation.resolve_references(references, _CONVERT)
        experiment_id = next(r.id for r in references if r.type == EXPERIMENT)

        service_account = job.get("service_account", "")
        if not service_account:
            from_manifest = workflow_service_account(workflow) if workflow else ""
            service_account = from_manifest or DEFAULT_SERVICE_ACCOUNT
        job_id = str(uuid.uuid4())
        now = self.context.now()
        self.store.add_job(
            job_id,
            job.get("name", ""),
            now,
            description=job.get("description", ""),
            experiment_id=experiment_id,
            namespace=namespace,
            pipeline_id=pipeline_id,
            pipeline_name=pipeline["name"] if pipeline is not None else "",
            workflow_manifest_id=(
                self.store.intern_manifest(manifest) if workflow is not None else None
            ),
            pipeline_manifest_id=(
                self.store.intern_manifest(manifest) if workflow is None else None
            ),
            parameters=render.parameters_json(parameters),
            refs=render.references_json([r.as_dict() for r in references]),
            service_account=service_account,
            max_concurrency=job.get("max_concurrency", 0),
            trigger=_trigger_json(job.get("trigger", {})),
            enabled=int(job.get("enabled", False)),
            no_catchup=int(job.get("no_catchup", False)),
            status="NO_STATUS",
            k8s_name=swf_name(job.get("name", "")),
            next_fire_at=now,
            paced_until=self.scheduler.fresh_pace(now),
        )
        self.store.add_job_references(
            [
                (job_id, enum_name("api.ResourceType", r.type), r.id)
                for r in references
                if r.type in (JOB, PIPELINE_VERSION)
            ]
        )
        return job_id

    # ------------------------------------------------------------------------------------
    # get_job, list_jobs

    def get_job(self, job_id: str) -> JobRecord:
        """``GET /apis/v1beta1/jobs/{id}``: the Job."""
        self.tick()
        with self.store.reading():
            return self._record(job_id)

    def _record(self, job_id: str) -> JobRecord:
        row = self.store.job(job_id)
        if row is None:
            raise errors.not_found("Job", job_id)
        return self._from_row(row)

    def _from_row(self, row: sqlite3.Row) -> JobRecord:
        def quoted(manifest_id: int | None) -> str | None:
            return None if manifest_id is None else self.store.manifest_quoted(manifest_id)

        return JobRecord(
            row, quoted(row["workflow_manifest_id"]), quoted(row["pipeline_manifest_id"])
        )

    def list_jobs(self, query: ListQuery) -> JobPage:
        """``GET /apis/v1beta1/jobs``: a page of jobs, total_size and next_page_token."""
        options = listing.list_options(query, JOB_LISTING)
        reference = listing.reference_key(query, JOB_LISTING)
        self.tick()
        with self.store.reading():
            rows, total = self.store.list_jobs(options, reference)
            token = ""
            if len(rows) > options.page_size:
                following = rows[options.page_size]
                token = listing.encode_page_token(
                    options, following["sort_value"], following["uuid"]
                )
                rows = rows[: options.page_size]
            jobs = [self._from_row(row) for row in rows]
        return JobPage(jobs, total, token)

    # ------------------------------------------------------------------------------------
    # enable, disable, delete

    def enable_job(self, job_id: str) -> None:
        """``POST /apis/v1beta1/jobs/{id}/enable``; enabling an enabled job changes nothing."""
        self._set_enabled(job_id, True)

    def disable_job(self, job_id: str) -> None:
        """``POST /apis/v1beta1/jobs/{id}/disable``; disabling a disabled job changes nothing."""
        self._set_enabled(job_id, False)

    def _set_enabled(self, job_id: str, enabled: bool) -> None:
        self.tick()
        with self.store.transaction():
            if self.store.job(job_id) is None:
                error = errors.not_found("Job", job_id)
                if enabled:
                    error = error.wrap("Check job exist failed")
                raise error.wrap("Enable/Disable job failed")
            now = self.context.now()
            # The scheduler looks at the job at once: it fires a backlog or notes the change.
            self.store.set_job_enabled(
                job_id,
                enabled,
                now,
                next_fire_at=now,
                blocked=0,
                paced_until=self.scheduler.fresh_pace(now),
            )
        self.tick()
        self.scheduler.wake()

    def delete_job(self, job_id: str) -> None:
        """``DELETE /apis/v1beta1/jobs/{id}``: the runs it started stay, without their JOB
        reference."""
        self.tick()
        with self.store.transaction():
            if not self.store.delete_job(job_id):
                raise errors.not_found("Job", job_id).wrap("Delete job failed")


# --------------------------------------------------------------------------------------------


_JOB = message_body("api.Job")


def _reference(message: Message) -> Reference:
    key: Message = message.get("key", {})
    return Reference(key.get("type", 0), key.get("id", ""), message.get("relationship", 0))


def _validate_schedule(job: Message) -> None:
    """max_concurrency, then the cron spec, then the periodic interval."""
    concurrency = job.get("max_concurrency", 0)
    if not MIN_CONCURRENCY <= concurrency <= MAX_CONCURRENCY:
        raise errors.invalid_input(
            f"The max concurrency of the job is out of range. Support 1-10. Received {concurrency}."
        )
    trigger: Message = job.get("trigger", {})
    if "cron_schedule" in trigger:
        try:
            cron.parse(trigger["cron_schedule"].get("cron", ""))
        except cron.CronError as exc:
            raise errors.invalid_input(_CRON_FORMAT + str(exc)) from None
    if "periodic_schedule" in trigger:
        interval = trigger["periodic_schedule"].get("interval_second", 0)
        if interval < 1:
            raise errors.invalid_input(
                f"Found invalid period schedule interval {interval}. "
                "Set at interval to least 1 second."
            )


def _trigger_json(trigger: Message) -> str:
    """The Trigger as the server echoes it: times in whole seconds, the interval a string."""
    for member in ("cron_schedule", "periodic_schedule"):
        if member in trigger:
            schedule: Message = trigger[member]
            fields: dict[str, Any] = {}
            for bound in ("start_time", "end_time"):
                if bound in schedule:
                    fields[bound] = format_timestamp(schedule[bound])
            if member == "cron_schedule":
                if schedule.get("cron"):
                    fields["cron"] = schedule["cron"]
            elif schedule.get("interval_second"):
                fields["interval_second"] = str(schedule["interval_second"])
            return json.dumps({member: fields}, ensure_ascii=False, separators=(",", ":"))
    return "{}"
