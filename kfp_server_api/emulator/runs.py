"""The run service: the ten RunService endpoints of KFP v1beta1.

Each endpoint method takes its arguments as the route table in ``routes()`` shapes them (path
parameters, then the parsed query or the decoded body message) and returns a record (below) or
None, or raises ``ApiError``; ``render/runs.py`` writes the answer. Validation order, messages
and effects follow the real server (see the package docstring for the places that differ).

Every operation runs under the store's lock, and every write in one transaction committed
before the method returns. Before each operation, runs whose lifecycle step is due are moved
on (``ServiceContext.tick``).
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from . import errors, listing, render
from .context import ServiceContext
from .listing import Column, Listable, ListQuery, parse_query
from .protojson import (
    Message,
    enum_name,
    go_quote,
)
from .render import runs as render_runs
from .routes import Route, message_body
from .run_creation import EXPERIMENT, JOB, NAMESPACE, PIPELINE_VERSION, RunCreation
from .workflow import (
    runtime_manifest,
)

__all__ = [
    "RUN_LISTING",
    "RunDetailRecord",
    "RunPage",
    "RunRecord",
    "RunService",
]

MAX_NODE_ID_LENGTH = 128
METRIC_NAME_PATTERN = "^[a-zA-Z]([-_a-zA-Z0-9]{0,62}[a-zA-Z0-9])?$"
_METRIC_NAME = re.compile(METRIC_NAME_PATTERN.rstrip("$") + r"\Z")


RUN_LISTING = Listable(
    "Run",
    (
        Column("id", "UUID", integer=False),
        Column("name", "DisplayName", integer=False),
        Column("created_at", "CreatedAtInSec", integer=True),
        Column("description", "Description", integer=False),
        Column("scheduled_at", "ScheduledAtInSec", integer=True),
        Column("storage_state", "StorageState", integer=False),
        Column("status", "Conditions", integer=False),
    ),
    metric_sort=True,
    reference_types=frozenset({EXPERIMENT, JOB, PIPELINE_VERSION, NAMESPACE}),
)
"""How runs list: sortable and filterable fields, metric sorts, reference key types."""

_V2_ARTIFACT = "read artifact from run with v2 IR spec is not supported"


@dataclass(frozen=True)
class RunRecord:
    """A stored run: its row, its metrics (in report order) and its manifests as JSON strings."""

    row: sqlite3.Row
    metrics: Sequence[sqlite3.Row]
    workflow_manifest: str | None
    pipeline_manifest: str | None


@dataclass(frozen=True)
class RunDetailRecord:
    """A run and its runtime workflow (None for a v2 run)."""

    run: RunRecord
    runtime_workflow: str | None


@dataclass(frozen=True)
class RunPage:
    """A page of runs, the total that matched, and the token of the next page ('' if last)."""

    runs: list[RunRecord]
    total_size: int
    next_page_token: str


class RunService:
    """The RunService endpoints, on the shared ``ServiceContext``."""

    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.store = context.store
        self.tick = context.tick
        self._creation = RunCreation(context)

    def routes(self) -> list[Route]:
        """The run service's routes (see ``routes.py``)."""
        prefix = "/apis/v1beta1/runs"
        return [
            Route.parse("GET", prefix, self.list_runs, render_runs.run_page, query=parse_query),
            Route.parse("POST", prefix, self.create_run, render_runs.run_detail, body=_RUN),
            Route.parse("GET", f"{prefix}/{{run_id}}", self.get_run, render_runs.run_detail),
            Route.parse("DELETE", f"{prefix}/{{id}}", self.delete_run, render.empty),
            Route.parse("POST", f"{prefix}/{{id}}:archive", self.archive_run, render.empty),
            Route.parse("POST", f"{prefix}/{{id}}:unarchive", self.unarchive_run, render.empty),
            Route.parse(
                "POST",
                f"{prefix}/{{run_id}}:reportMetrics",
                self.report_run_metrics,
                render_runs.metric_results,
                body=_REPORT_METRICS,
            ),
            Route.parse(
                "GET",
                f"{prefix}/{{run_id}}/nodes/{{node_id}}/artifacts/{{artifact_name}}:read",
                self.read_artifact,
                render_runs.artifact,
            ),
            Route.parse("POST", f"{prefix}/{{run_id}}/terminate", self.terminate_run, render.empty),
            Route.parse("POST", f"{prefix}/{{run_id}}/retry", self.retry_run, render.empty),
        ]

    # ------------------------------------------------------------------------------------
    # create_run

    def create_run(self, run: Message) -> RunDetailRecord:
        """``POST /apis/v1beta1/runs``: the body is the Run; answers a RunDetail."""
        self.tick()
        with self.store.transaction():
            run_id = self._creation.create(run)
            return self._run_detail(run_id)

    # ------------------------------------------------------------------------------------
    # get_run, list_runs

    def get_run(self, run_id: str) -> RunDetailRecord:
        """``GET /apis/v1beta1/runs/{run_id}``: a RunDetail."""
        self.tick()
        with self.store.reading():
            return self._run_detail(run_id)

    def _run_detail(self, run_id: str) -> RunDetailRecord:
        row = self.store.run(run_id)
        if row is None:
            raise errors.not_found("Run", run_id)
        metrics = self.store.metrics_of([run_id]).get(run_id, [])
        return RunDetailRecord(self._record(row, metrics), self._runtime_workflow(row))

    def _record(self, row: sqlite3.Row, metrics: Sequence[sqlite3.Row]) -> RunRecord:
        def quoted(manifest_id: int | None) -> str | None:
            return None if manifest_id is None else self.store.manifest_quoted(manifest_id)

        return RunRecord(
            row,
            metrics,
            quoted(row["workflow_manifest_id"]),
            quoted(row["pipeline_manifest_id"]),
        )

    def _runtime_workflow(self, row: sqlite3.Row) -> str | None:
        if row["workflow_manifest_id"] is None:
            return None
        workflow = json.loads(self.store.manifest_text(row["workflow_manifest_id"]))
        parameters = json.loads(row["parameters"]) if row["parameters"] else []
        return runtime_manifest(
            workflow if isinstance(workflow, dict) else {},
            run_id=row["uuid"],
            run_name=row["name"],
            k8s_name=row["k8s_name"],
            namespace=row["namespace"],
            service_account=row["service_account"],
            parameters=[(p.get("name", ""), p.get("value", "")) for p in parameters],
            created_at=row["created_at"],
            finished_at=row["finished_at"],
            status=row["status"],
            terminated=bool(row["terminated"]),
            artifacts=self.store.artifact_names(row["uuid"]),
        )

    def list_runs(self, query: ListQuery) -> RunPage:
        """``GET /apis/v1beta1/runs``: a page of runs, total_size and next_page_token."""
        options = listing.list_options(query, RUN_LISTING)
        reference = listing.reference_key(query, RUN_LISTING)
        self.tick()
        with self.store.reading():
            rows, total = self.store.list_runs(options, reference)
            token = ""
            if len(rows) > options.page_size:
                following = rows[options.page_size]
                if following["sort_value"] is None:
                    error = errors.invalid_input(
                        f'cannot sort by field {go_quote(options.sort.metric)} on type "Run"'
                    )
                    raise error.wrap("Failed to list runs.")
                token = listing.encode_page_token(
                    options, following["sort_value"], following["uuid"]
                )
                rows = rows[: options.page_size]
            metrics = self.store.metrics_of([row["uuid"] for row in rows])
            runs = [self._record(row, metrics.get(row["uuid"], [])) for row in rows]
        return RunPage(runs, total, token)

    # ------------------------------------------------------------------------------------
    # archive, unarchive, delete, terminate, retry

    def archive_run(self, run_id: str) -> None:
        """``POST /apis/v1beta1/runs/{id}:archive``; no existence check, idempotent."""
        self._set_storage_state(run_id, render.ARCHIVED)

    def unarchive_run(self, run_id: str) -> None:
        """``POST /apis/v1beta1/runs/{id}:unarchive``; no existence check, idempotent."""
        self._set_storage_state(run_id, render.AVAILABLE)

    def _set_storage_state(self, run_id: str, state: str) -> None:
        self.tick()
        with self.store.transaction():
            self.store.update_run(run_id, storage_state=state)

    def _existing(self, run_id: str, operation: str) -> sqlite3.Row:
        row = self.store.run(run_id)
        if row is None:
            error = errors.not_found("Run", run_id).wrap("Check run exist failed")
            raise error.wrap(operation)
        return row

    def delete_run(self, run_id: str) -> None:
        """``DELETE /apis/v1beta1/runs/{id}``: removes the run, its metrics and artifacts."""
        self.tick()
        with self.store.transaction():
            self._existing(run_id, "Delete run failed")
            self.store.delete_run(run_id)

    def terminate_run(self, run_id: str) -> None:
        """``POST /apis/v1beta1/runs/{run_id}/terminate``: only from Running, Pending or ''."""
        self.tick()
        with self.store.transaction():
            self._existing(run_id, "Terminate run failed")
            track = self.context.start_track("terminate", self.context.clock.now())
            if not self.store.terminate_run(run_id, terminated=1, **track):
                error = errors.invalid_input(f"Failed to terminate run {run_id}. Row not found.")
                raise error.wrap("Terminate run failed")

    def retry_run(self, run_id: str) -> None:
        """``POST /apis/v1beta1/runs/{run_id}/retry``: only from Failed or Error."""
        self.tick()
        with self.store.transaction():
            row = self._existing(run_id, "Retry run failed")
            if row["workflow_manifest_id"] is None:
                cause = "workflow cannot be retried"
                raise errors.aborted("Workflow must be with v1 mode to retry", cause)
            phase = "Running" if row["status"] == "Terminating" else row["status"]
            if phase not in ("Failed", "Error"):
                error = errors.aborted(
                    "Workflow must be Failed/Error to retry", "workflow cannot be retried"
                )
                raise error.wrap("Retry run failed.")
            track = self.context.start_track("retry", self.context.clock.now())
            self.store.update_run(run_id, status="Running", finished_at=0, terminated=0, **track)

    # ------------------------------------------------------------------------------------
    # report_run_metrics, read_artifact

    def report_run_metrics(self, run_id: str, request: Message) -> list[dict[str, str]]:
        """``POST /apis/v1beta1/runs/{run_id}:reportMetrics``: one result per metric."""
        self.tick()
        results = []
        with self.store.transaction():
            if self.store.run(run_id) is None:
                raise errors.not_found("Run", run_id)
            for metric in request.get("metrics", []):
                results.append(self._report_metric(run_id, metric))
        return results

    def _report_metric(self, run_id: str, metric: Message) -> dict[str, str]:
        name, node_id = metric.get("name", ""), metric.get("node_id", "")
        result = {}
        if name:
            result["metric_name"] = name
        if node_id:
            result["metric_node_id"] = node_id
        status, message = "OK", ""
        if not _METRIC_NAME.match(name):
            status = "INVALID_ARGUMENT"
            message = f"metric.name '{name}' doesn't match with the pattern '{METRIC_NAME_PATTERN}'"
        elif not node_id:
            status, message = "INVALID_ARGUMENT", "metric.node_id must not be empty"
        elif len(node_id) > MAX_NODE_ID_LENGTH:
            status = "INVALID_ARGUMENT"
            message = (
                f"metric.node_id '{node_id}' cannot be longer than {MAX_NODE_ID_LENGTH} characters"
            )
        else:
            value = metric.get("number_value", 0.0)
            metric_format = enum_name("api.RunMetric.Format", metric.get("format", 0))
            if not math.isfinite(value):
                # MySQL rejects NaN and infinities in a DOUBLE column: a storage error.
                status, message = "INTERNAL_ERROR", "Internal Server Error"
            elif not self.store.add_metric(run_id, node_id, name, value, metric_format):
                status = "DUPLICATE_REPORTING"
                message = f"same metric has been reported before: {node_id}/{name}"
        result["status"] = status
        if message:
            result["message"] = message
        return result

    def read_artifact(self, run_id: str, node_id: str, artifact_name: str) -> bytes:
        """``GET .../runs/{run_id}/nodes/{node_id}/artifacts/{artifact_name}:read``."""
        request_text = " ".join(
            f"{key}:{go_quote(value)}"
            for key, value in (
                ("run_id", run_id),
                ("node_id", node_id),
                ("artifact_name", artifact_name),
            )
            if value
        )
        context = f"failed to read artifact '{request_text}'."
        self.tick()
        with self.store.reading():
            row = self.store.run(run_id)
            if row is None:
                raise errors.not_found("Run", run_id).wrap(context)
            if row["workflow_manifest_id"] is None:
                error = errors.invalid_input(_V2_ARTIFACT)
                raise error.wrap(context)
            data = self.store.artifact(run_id, node_id, artifact_name)
        if data is None:
            path = f"runs/{run_id}/nodes/{node_id}/artifacts/{artifact_name}"
            raise errors.not_found("artifact", path).wrap(context)
        return data


# --------------------------------------------------------------------------------------------


_RUN = message_body("api.Run")
_REPORT_METRICS = message_body("api.ReportRunMetricsRequest")
