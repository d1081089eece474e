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
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import errors, listing, render
from .context import DEFAULT_SERVICE_ACCOUNT, ServiceContext
from .errors import ApiError
from .listing import Column, Listable, ListQuery, parse_query
from .protojson import (
    Message,
    enum_name,
    format_double,
    go_quote,
)
from .render import runs as render_runs
from .routes import Route, message_body
from .store import RUN_FIELDS
from .workflow import (
    ARGO_API_VERSION,
    declared_parameters,
    runtime_manifest,
    unmarshal_workflow,
    workflow_name,
    workflow_service_account,
)

__all__ = [
    "RUN_LISTING",
    "Reference",
    "RunDetailRecord",
    "RunPage",
    "RunRecord",
    "RunService",
]

MAX_PARAMETER_BYTES = 10000
MAX_NODE_ID_LENGTH = 128
METRIC_NAME_PATTERN = "^[a-zA-Z]([-_a-zA-Z0-9]{0,62}[a-zA-Z0-9])?$"
_METRIC_NAME = re.compile(METRIC_NAME_PATTERN.rstrip("$") + r"\Z")

# Resource types and relationships by number (api.ResourceType, api.Relationship).
EXPERIMENT, JOB, PIPELINE_VERSION, NAMESPACE = 1, 2, 4, 5
OWNER, CREATOR = 1, 2

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

_VALIDATE = "Validate create run request failed."
_V2_ARTIFACT = "read artifact from run with v2 IR spec is not supported"
_CREATE = "Failed to create a new run."
_CONVERT = ("Unable to convert resource references.", "Failed to convert run model")


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


@dataclass
class Reference:
    """A resource reference of a run, by type and relationship number."""

    type: int
    id: str
    relationship: int
    name: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The fields ``render.references_json`` reads."""
        return {
            "type": self.type,
            "id": self.id,
            "name": self.name,
            "relationship": self.relationship,
        }


class RunService:
    """The RunService endpoints, on the shared ``ServiceContext``."""

    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.store = context.store
        self.tick = context.tick

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
            run_id = self._create_run(run)
            return self._run_detail(run_id)

    def _create_run(self, run: Message) -> str:
        spec: Message = run.get("pipeline_spec", {})
        references = [_reference(item) for item in run.get("resource_references", [])]
        version_id = self._validate_create(run, spec, references)
        pipeline_id = spec.get("pipeline_id", "")
        pipeline = self.store.pipeline(pipeline_id) if pipeline_id else None

        # From here on the server is creating the run; its errors read "Failed to create...".
        if pipeline is not None and not version_id:
            version_id = pipeline["default_version_id"]
            references.append(Reference(PIPELINE_VERSION, version_id, CREATOR))
        if version_id:
            version = self.store.pipeline_version(version_id)
            assert version is not None
            manifest = self.store.manifest_text(version["manifest_id"])
        else:
            manifest = spec.get("workflow_manifest") or spec.get("pipeline_manifest", "")
        workflow, ir_spec = self._template(manifest)
        parameters = [(p.get("name", ""), p.get("value", "")) for p in spec.get("parameters", [])]
        if workflow is not None:
            declared = set(declared_parameters(workflow))
            for name, _ in parameters:
                if name not in declared:
                    cause = f"Invalid input error: Unrecognized input parameter: {name}"
                    raise errors.internal("failed to generate the workflow.", cause).wrap(_CREATE)
        else:
            parameters = _flatten_runtime_parameters(spec.get("runtime_config", {}))

        if not any(r.type == EXPERIMENT and r.relationship == OWNER for r in references):
            references.append(Reference(EXPERIMENT, self.context.default_experiment_id, OWNER))
        namespace = self._namespace_of(references)
        self._resolve_references(references)
        owner = next(r.id for r in references if r.type == EXPERIMENT and r.relationship == OWNER)

        run_id = str(uuid.uuid4())
        now = self.context.clock.now()
        service_account = run.get("service_account", "")
        if not service_account:
            from_manifest = workflow_service_account(workflow) if workflow else ""
            service_account = from_manifest or DEFAULT_SERVICE_ACCOUNT
        if workflow is not None:
            k8s_name = workflow_name(workflow)
        else:
            pipeline_info = ir_spec.get("pipelineInfo", {}) if ir_spec else {}
            k8s_name = workflow_name(
                {"metadata": {"generateName": f"{pipeline_info.get('name')}-"}}
            )
        values: dict[str, Any] = {
            "uuid": run_id,
            "name": run.get("name", ""),
            "description": run.get("description", ""),
            "storage_state": render.AVAILABLE,
            "status": "",
            "created_at": math.floor(now),
            "scheduled_at": 0,
            "finished_at": 0,
            "experiment_id": owner,
            "namespace": namespace,
            "service_account": service_account,
            "error": "",
            "k8s_name": k8s_name,
            "pipeline_id": pipeline_id,
            "pipeline_name": pipeline["name"] if pipeline is not None else "",
            "workflow_manifest_id": (
                self.store.intern_manifest(manifest) if workflow is not None else None
            ),
            "pipeline_manifest_id": (
                self.store.intern_manifest(manifest) if workflow is None else None
            ),
            "parameters": render.parameters_json(parameters),
            "refs": render.references_json([r.as_dict() for r in references]),
            "terminated": 0,
            **self.context.start_track("create", now),
        }
        links = [
            (run_id, enum_name("api.ResourceType", r.type), r.id)
            for r in references
            if r.type in (JOB, PIPELINE_VERSION)
        ]
        self.store.insert_runs([tuple(values[name] for name in RUN_FIELDS)], links)
        return run_id

    def _validate_create(self, run: Message, spec: Message, references: Sequence[Reference]) -> str:
        """The server's request validation; returns the pipeline version id referenced."""
        if not run.get("name"):
            error = errors.invalid_input("The run name is empty. Please specify a valid name.")
            raise error.wrap(_VALIDATE)
        pipeline_id = spec.get("pipeline_id", "")
        workflow_manifest = spec.get("workflow_manifest", "")
        pipeline_manifest = spec.get("pipeline_manifest", "")
        version_id = ""
        for reference in references:
            if reference.type == PIPELINE_VERSION and reference.relationship == CREATOR:
                version_id = reference.id
        try:
            if workflow_manifest or pipeline_manifest:
                if workflow_manifest and pipeline_manifest:
                    raise errors.invalid_input(
                        "Please don't specify both workflow manifest and pipeline manifest."
                    )
                if pipeline_id or version_id:
                    raise errors.invalid_input(
                        "Please don't specify a pipeline version or pipeline ID when you specify "
                        "a workflow manifest or pipeline manifest."
                    )
                if workflow_manifest:
                    try:
                        unmarshal_workflow(workflow_manifest)
                    except ValueError as exc:
                        raise errors.invalid_input_with_details(
                            f"Invalid argo workflow format. Workflow: {workflow_manifest}",
                            str(exc),
                        ) from None
                if pipeline_manifest:
                    _parse_ir_spec(pipeline_manifest)
            else:
                if not pipeline_id and not version_id:
                    raise errors.invalid_input(
                        "Please specify a pipeline by providing a (workflow manifest or pipeline "
                        "manifest) or (pipeline id or/and pipeline version)."
                    )
                if pipeline_id and self.store.pipeline(pipeline_id) is None:
                    raise errors.not_found("Pipeline", pipeline_id).wrap("Get pipelineId failed.")
                if version_id:
                    version = self.store.pipeline_version(version_id)
                    if version is None:
                        error = errors.not_found("Version", version_id)
                        raise error.wrap("Get pipelineVersionId failed.")
                    if pipeline_id and version["pipeline_id"] != pipeline_id:
                        raise errors.invalid_input(
                            "pipeline ID should be parent of pipeline version."
                        )
            parameters = spec.get("parameters", [])
            if parameters and "runtime_config" in spec:
                raise errors.invalid_input(
                    "Please don't specify both parameters and runtime config."
                )
            runtime_parameters = spec.get("runtime_config", {}).get("parameters")
            for size in (
                _parameters_size(parameters),
                _runtime_parameters_size(runtime_parameters),
            ):
                if size > MAX_PARAMETER_BYTES:
                    raise errors.invalid_input(
                        f"The input parameter length exceed maximum size of {MAX_PARAMETER_BYTES}."
                    )
        except ApiError as exc:
            raise exc.wrap(_VALIDATE) from None
        return version_id

    def _template(self, manifest: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """(Argo workflow, None) for a v1 manifest, (None, IR spec) for a v2 one."""
        try:
            document = json.loads(manifest)
        except (ValueError, RecursionError):
            document = None
        if isinstance(document, dict):
            api_version = document.get("apiVersion")
            if (
                isinstance(api_version, str)
                and api_version.startswith("argoproj.io/")
                and (document.get("kind") == "Workflow")
            ):
                if api_version != ARGO_API_VERSION:
                    raise errors.invalid_input(
                        f"Unsupported argo version. Expected: {ARGO_API_VERSION}. "
                        f"Received: {api_version}"
                    ).wrap(_CREATE)
                return unmarshal_workflow(manifest), None
            info = document.get("pipelineInfo")
            if isinstance(info, dict) and info.get("name") and document.get("root") is not None:
                return None, document
        error = errors.invalid_input_with_details(
            "unknown template format", "pipeline spec is invalid"
        )
        raise error.wrap(_CREATE)

    def _namespace_of(self, references: Sequence[Reference]) -> str:
        experiment_id = next((r.id for r in references if r.type == EXPERIMENT), "")
        experiment = self.store.experiment(experiment_id)
        if experiment is None:
            cause = errors.not_found("Experiment", experiment_id).message
            raise errors.internal("Failed to get experiment.", cause).wrap(_CREATE)
        return str(experiment["namespace"]) or self.context.namespace

    def _resolve_references(self, references: Sequence[Reference]) -> None:
        """Check each reference's type, relationship and target, and fill in its name."""

        def failure(error: ApiError, context: str) -> ApiError:
            error = error.wrap(context)
            for outer in (*_CONVERT, _CREATE):
                error = error.wrap(outer)
            return error

        for reference in references:
            if reference.type not in (EXPERIMENT, JOB, PIPELINE_VERSION, NAMESPACE):
                type_name = enum_name("api.ResourceType", reference.type)
                error = errors.invalid_input(f"Unsupported resource type: {type_name}")
                raise failure(error, "Failed to convert reference type")
            if reference.relationship not in (OWNER, CREATOR):
                relationship = enum_name("api.Relationship", reference.relationship)
                error = errors.invalid_input(f"Unsupported resource relationship: {relationship}")
                raise failure(error, "Failed to convert relationship")
            if reference.type == NAMESPACE:
                reference.name = reference.id
                continue
            lookup, kind = {
                EXPERIMENT: (self.store.experiment, "Experiment"),
                JOB: (self.store.job, "Job"),
                PIPELINE_VERSION: (self.store.pipeline_version, "Version"),
            }[reference.type]
            target = lookup(reference.id)
            if target is None:
                error = errors.not_found(kind, reference.id)
                raise failure(error, "Failed to find the referred resource")
            reference.name = str(target["name"])

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


def _reference(message: Message) -> Reference:
    key: Message = message.get("key", {})
    return Reference(key.get("type", 0), key.get("id", ""), message.get("relationship", 0))


def _parse_ir_spec(manifest: str) -> None:
    try:
        document = json.loads(manifest)
    except (ValueError, RecursionError) as exc:
        raise errors.invalid_input_with_details("Invalid IR spec format.", str(exc)) from None
    if not isinstance(document, dict):
        cause = "cannot unmarshal the manifest into a PipelineSpec: not an object"
        raise errors.invalid_input_with_details("Invalid IR spec format.", cause)


def _go_json_size(document: Any) -> int:
    """Bytes of ``document`` as Go's json.Marshal writes it (it escapes <, > and &)."""
    text = render.compact_json(document)
    extra = 5 * sum(map(text.count, "<>&")) + 3 * sum(map(text.count, "\u2028\u2029"))
    return len(text.encode("utf-8")) + extra


def _parameters_size(parameters: Sequence[Message]) -> int:
    if not parameters:
        return 0
    return _go_json_size([{k: v for k, v in p.items() if v} for p in parameters])


_VALUE_GO_NAMES = {
    "int_value": "IntValue",
    "double_value": "DoubleValue",
    "string_value": "StringValue",
}


def _runtime_parameters_size(parameters: Mapping[str, Message] | None) -> int:
    if parameters is None:
        return 0
    document = {
        name: {"Value": {_VALUE_GO_NAMES[k]: v for k, v in value.items()} or None}
        for name, value in sorted(parameters.items())
    }
    return _go_json_size(document)


def _flatten_runtime_parameters(runtime_config: Message) -> list[tuple[str, str]]:
    flattened = []
    for name, value in (runtime_config.get("parameters") or {}).items():
        if "int_value" in value:
            text = str(value["int_value"])
        elif "double_value" in value:
            text = format_double(value["double_value"]).strip('"')
        else:
            text = value.get("string_value", "")
        flattened.append((name, text))
    return flattened


_RUN = message_body("api.Run")
_REPORT_METRICS = message_body("api.ReportRunMetricsRequest")
