"""Run semantics of the KFP v1beta1 RunService, plus the control operations of the emulator.

Each endpoint method takes what the HTTP layer extracted (path parameters, the raw body or query
string) and returns the JSON response text, or raises ``ApiError``. Validation order, messages
and effects follow the real server (see the package docstring for the places that differ).

Every operation runs under the store's lock, and every write in one transaction committed
before the method returns. Before each operation, runs whose lifecycle step is due are moved
on (``tick``).
"""

from __future__ import annotations

import base64
import json
import math
import re
import sqlite3
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import errors, listing, render
from .clock import Clock, Timestamp, to_seconds
from .errors import ApiError
from .lifecycle import FINAL_STATUSES, Lifecycle
from .protojson import (
    DecodeError,
    Message,
    decode_message,
    enum_name,
    format_double,
    go_quote,
    load_json,
)
from .store import RUN_FIELDS, Store
from .workflow import (
    ARGO_API_VERSION,
    declared_parameters,
    default_workflow,
    runtime_manifest,
    unmarshal_workflow,
    workflow_name,
    workflow_service_account,
)

__all__ = ["DEFAULT_NAMESPACE", "DEFAULT_SERVICE_ACCOUNT", "RunSeed", "RunService"]

DEFAULT_NAMESPACE = "kubeflow"
DEFAULT_SERVICE_ACCOUNT = "pipeline-runner"
DEFAULT_EXPERIMENT_NAME = "Default"
MAX_PARAMETER_BYTES = 10000
MAX_NODE_ID_LENGTH = 128
METRIC_NAME_PATTERN = "^[a-zA-Z]([-_a-zA-Z0-9]{0,62}[a-zA-Z0-9])?$"
_METRIC_NAME = re.compile(METRIC_NAME_PATTERN.rstrip("$") + r"\Z")

# Resource types and relationships by number (api.ResourceType, api.Relationship).
EXPERIMENT, JOB, PIPELINE_VERSION, NAMESPACE = 1, 2, 4, 5
OWNER, CREATOR = 1, 2

_VALIDATE = "Validate create run request failed."
_V2_ARTIFACT = "read artifact from run with v2 IR spec is not supported"
_CREATE = "Failed to create a new run."
_CONVERT = ("Unable to convert resource references.", "Failed to convert run model")


@dataclass(frozen=True)
class RunSeed:
    """A run to store directly with ``RunService.seed_runs`` (no validation, no lifecycle).

    Times default to the clock's now (``created_at``), 0 (``scheduled_at``), and ``created_at``
    for a final ``status`` else 0 (``finished_at``). ``metrics`` are reported from ``node_id``.
    """

    name: str
    status: str = "Succeeded"
    description: str = ""
    created_at: Timestamp | None = None
    scheduled_at: Timestamp | None = None
    finished_at: Timestamp | None = None
    archived: bool = False
    experiment_id: str | None = None
    workflow_manifest: str | None = None
    parameters: Mapping[str, str] = field(default_factory=dict)
    metrics: Mapping[str, float] = field(default_factory=dict)
    node_id: str = "main"


@dataclass
class _Reference:
    type: int
    id: str
    relationship: int
    name: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "id": self.id,
            "name": self.name,
            "relationship": self.relationship,
        }


class RunService:
    """The RunService endpoints and the control operations, on top of a Store."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        lifecycle: Lifecycle,
        *,
        namespace: str = DEFAULT_NAMESPACE,
    ) -> None:
        self.store = store
        self.clock = clock
        self.lifecycle = lifecycle
        self.namespace = namespace
        with store.transaction():
            self.default_experiment_id = self._ensure_default_experiment()
            self._next_due = store.next_due()

    def _now(self) -> int:
        return math.floor(self.clock.now())

    def _ensure_default_experiment(self) -> str:
        experiment_id = self.store.setting("default_experiment_id")
        if experiment_id is None or self.store.experiment(experiment_id) is None:
            experiment_id = str(uuid.uuid4())
            self.store.add_experiment(
                experiment_id,
                DEFAULT_EXPERIMENT_NAME,
                "All runs created without specifying an experiment will be grouped here.",
                "",
                self._now(),
            )
            self.store.set_setting("default_experiment_id", experiment_id)
        return experiment_id

    # ------------------------------------------------------------------------------------
    # Lifecycle

    def tick(self) -> None:
        """Apply every lifecycle step that is due by now."""
        with self.store.lock:
            now = self.clock.now()
            if self._next_due is None or self._next_due > now:
                return
            with self.store.transaction():
                for row in self.store.due_runs(now):
                    self._advance(row, now)
                self._next_due = self.store.next_due()

    def _advance(self, row: sqlite3.Row, now: float) -> None:
        steps = self.lifecycle.track(row["track"] or "create")
        index, start = row["step"], row["track_start"] or 0.0
        status: str | None = None
        finished_at = 0
        while index < len(steps) and start + steps[index].at <= now:
            step = steps[index]
            status = step.status
            finished_at = math.floor(start + step.at) if step.final else 0
            index += 1
        next_at = start + steps[index].at if index < len(steps) else None
        changes: dict[str, Any] = {"step": index, "next_step_at": next_at}
        if status is not None:
            changes.update(status=status, finished_at=finished_at)
        if next_at is None:
            changes["track"] = None
        self.store.update_run(row["uuid"], **changes)

    def _start_track(self, track: str, start: float) -> dict[str, Any]:
        steps = self.lifecycle.track(track)
        next_at = start + steps[0].at if steps else None
        if next_at is not None:
            self._next_due = next_at if self._next_due is None else min(self._next_due, next_at)
        return {
            "track": track if steps else None,
            "step": 0,
            "track_start": start,
            "next_step_at": next_at,
        }

    # ------------------------------------------------------------------------------------
    # create_run

    def create_run(self, body: str) -> str:
        """``POST /apis/v1beta1/runs``: the body is the Run; answers a RunDetail."""
        run = _decode_body("api.Run", body)
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
            references.append(_Reference(PIPELINE_VERSION, version_id, CREATOR))
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
            references.append(_Reference(EXPERIMENT, self.default_experiment_id, OWNER))
        namespace = self._namespace_of(references)
        self._resolve_references(references)
        owner = next(r.id for r in references if r.type == EXPERIMENT and r.relationship == OWNER)

        run_id = str(uuid.uuid4())
        now = self.clock.now()
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
            **self._start_track("create", now),
        }
        links = [
            (run_id, enum_name("api.ResourceType", r.type), r.id)
            for r in references
            if r.type in (JOB, PIPELINE_VERSION)
        ]
        self.store.insert_runs([tuple(values[name] for name in RUN_FIELDS)], links)
        return run_id

    def _validate_create(
        self, run: Message, spec: Message, references: Sequence[_Reference]
    ) -> str:
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

    def _namespace_of(self, references: Sequence[_Reference]) -> str:
        experiment_id = next((r.id for r in references if r.type == EXPERIMENT), "")
        experiment = self.store.experiment(experiment_id)
        if experiment is None:
            cause = errors.not_found("Experiment", experiment_id).message
            raise errors.internal("Failed to get experiment.", cause).wrap(_CREATE)
        return str(experiment["namespace"]) or self.namespace

    def _resolve_references(self, references: Sequence[_Reference]) -> None:
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

    def get_run(self, run_id: str) -> str:
        """``GET /apis/v1beta1/runs/{run_id}``: a RunDetail."""
        self.tick()
        with self.store.reading():
            return self._run_detail(run_id)

    def _run_detail(self, run_id: str) -> str:
        row = self.store.run(run_id)
        if row is None:
            raise errors.not_found("Run", run_id)
        metrics = self.store.metrics_of([run_id]).get(run_id, [])
        run = render.run_json(row, metrics, self.store.manifest_quoted)
        return render.run_detail_json(run, self._runtime_workflow(row))

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

    def list_runs(self, raw_query: str) -> str:
        """``GET /apis/v1beta1/runs``: a page of runs, total_size and next_page_token."""
        query = listing.parse_query(raw_query)
        options = listing.list_options(query)
        reference = listing.reference_key(query)
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
            runs = [
                render.run_json(row, metrics.get(row["uuid"], []), self.store.manifest_quoted)
                for row in rows
            ]
        parts = []
        if runs:
            parts.append('"runs":[' + ",".join(runs) + "]")
        if total:
            parts.append(f'"total_size":{total}')
        if token:
            parts.append('"next_page_token":"' + token + '"')
        return "{" + ",".join(parts) + "}"

    # ------------------------------------------------------------------------------------
    # archive, unarchive, delete, terminate, retry

    def archive_run(self, run_id: str) -> str:
        """``POST /apis/v1beta1/runs/{id}:archive``; no existence check, idempotent."""
        return self._set_storage_state(run_id, render.ARCHIVED)

    def unarchive_run(self, run_id: str) -> str:
        """``POST /apis/v1beta1/runs/{id}:unarchive``; no existence check, idempotent."""
        return self._set_storage_state(run_id, render.AVAILABLE)

    def _set_storage_state(self, run_id: str, state: str) -> str:
        self.tick()
        with self.store.transaction():
            self.store.update_run(run_id, storage_state=state)
        return "{}"

    def _existing(self, run_id: str, operation: str) -> sqlite3.Row:
        row = self.store.run(run_id)
        if row is None:
            error = errors.not_found("Run", run_id).wrap("Check run exist failed")
            raise error.wrap(operation)
        return row

    def delete_run(self, run_id: str) -> str:
        """``DELETE /apis/v1beta1/runs/{id}``: removes the run, its metrics and artifacts."""
        self.tick()
        with self.store.transaction():
            self._existing(run_id, "Delete run failed")
            self.store.delete_run(run_id)
        return "{}"

    def terminate_run(self, run_id: str) -> str:
        """``POST /apis/v1beta1/runs/{run_id}/terminate``: only from Running, Pending or ''."""
        self.tick()
        with self.store.transaction():
            self._existing(run_id, "Terminate run failed")
            track = self._start_track("terminate", self.clock.now())
            if not self.store.terminate_run(run_id, terminated=1, **track):
                error = errors.invalid_input(f"Failed to terminate run {run_id}. Row not found.")
                raise error.wrap("Terminate run failed")
        return "{}"

    def retry_run(self, run_id: str) -> str:
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
            track = self._start_track("retry", self.clock.now())
            self.store.update_run(run_id, status="Running", finished_at=0, terminated=0, **track)
        return "{}"

    # ------------------------------------------------------------------------------------
    # report_run_metrics, read_artifact

    def report_run_metrics(self, run_id: str, body: str) -> str:
        """``POST /apis/v1beta1/runs/{run_id}:reportMetrics``: one result per metric."""
        request = _decode_body("api.ReportRunMetricsRequest", body)
        self.tick()
        results = []
        with self.store.transaction():
            if self.store.run(run_id) is None:
                raise errors.not_found("Run", run_id)
            for metric in request.get("metrics", []):
                results.append(self._report_metric(run_id, metric))
        if not results:
            return "{}"
        return render.compact_json({"results": results})

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

    def read_artifact(self, run_id: str, node_id: str, artifact_name: str) -> str:
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
        if not data:
            return "{}"
        return '{"data":"' + base64.b64encode(data).decode("ascii") + '"}'

    # ------------------------------------------------------------------------------------
    # Control operations

    def add_experiment(
        self,
        name: str,
        *,
        description: str = "",
        experiment_id: str | None = None,
        namespace: str = "",
    ) -> str:
        """Store an experiment; returns its id."""
        experiment_id = experiment_id or str(uuid.uuid4())
        with self.store.transaction():
            try:
                self.store.add_experiment(experiment_id, name, description, namespace, self._now())
            except sqlite3.IntegrityError:
                raise ValueError(f"experiment id {experiment_id!r} is taken") from None
        return experiment_id

    def add_job(self, name: str, *, job_id: str | None = None) -> str:
        """Store a job (recurring run) so that JOB references resolve; returns its id."""
        job_id = job_id or str(uuid.uuid4())
        with self.store.transaction():
            try:
                self.store.add_job(job_id, name, self._now())
            except sqlite3.IntegrityError:
                raise ValueError(f"job id {job_id!r} is taken") from None
        return job_id

    def add_pipeline(
        self,
        name: str,
        *,
        workflow_manifest: str | Mapping[str, Any] | None = None,
        description: str = "",
        pipeline_id: str | None = None,
        version_id: str | None = None,
    ) -> tuple[str, str]:
        """Store a pipeline with a default version; returns (pipeline id, version id)."""
        pipeline_id = pipeline_id or str(uuid.uuid4())
        with self.store.transaction():
            try:
                self.store.add_pipeline(pipeline_id, name, description, self._now())
            except sqlite3.IntegrityError:
                raise ValueError(f"pipeline id {pipeline_id!r} is taken") from None
            version_id = self.add_pipeline_version(
                pipeline_id,
                name,
                workflow_manifest=workflow_manifest,
                version_id=version_id,
                make_default=True,
            )
        return pipeline_id, version_id

    def add_pipeline_version(
        self,
        pipeline_id: str,
        name: str,
        *,
        workflow_manifest: str | Mapping[str, Any] | None = None,
        version_id: str | None = None,
        make_default: bool = False,
    ) -> str:
        """Store a version of a pipeline (a default workflow when no manifest is given)."""
        if workflow_manifest is None:
            workflow_manifest = default_workflow(name)
        if not isinstance(workflow_manifest, str):
            workflow_manifest = render.compact_json(workflow_manifest)
        document = unmarshal_workflow(workflow_manifest)
        if document.get("apiVersion") != ARGO_API_VERSION or document.get("kind") != "Workflow":
            raise ValueError(f"a pipeline version needs an {ARGO_API_VERSION} Workflow manifest")
        version_id = version_id or str(uuid.uuid4())
        with self.store.transaction():
            if self.store.pipeline(pipeline_id) is None:
                raise KeyError(f"no pipeline {pipeline_id!r}")
            try:
                self.store.add_pipeline_version(
                    version_id, pipeline_id, name, self._now(), workflow_manifest
                )
            except sqlite3.IntegrityError:
                raise ValueError(f"pipeline version id {version_id!r} is taken") from None
            if make_default:
                self.store.set_default_version(pipeline_id, version_id)
        return version_id

    def set_run_status(
        self, run_id: str, status: str, *, finished_at: Timestamp | None = None
    ) -> None:
        """Set a run's status; the run leaves its lifecycle track.

        ``finished_at`` defaults to now for a final status and to 0 otherwise.
        """
        self.tick()
        with self.store.transaction():
            if self.store.run(run_id) is None:
                raise KeyError(f"no run {run_id!r}")
            if finished_at is None:
                finished = self._now() if status in FINAL_STATUSES else 0
            else:
                finished = math.floor(to_seconds(finished_at))
            self.store.update_run(
                run_id,
                status=status,
                finished_at=finished,
                track=None,
                step=0,
                next_step_at=None,
            )

    def attach_artifact(self, run_id: str, node_id: str, name: str, data: bytes) -> None:
        """Store ``data`` as artifact ``name`` of node ``node_id`` of the run."""
        with self.store.transaction():
            if self.store.run(run_id) is None:
                raise KeyError(f"no run {run_id!r}")
            self.store.put_artifact(run_id, node_id, name, bytes(data))

    def run_detail(self, run_id: str) -> dict[str, Any]:
        """The run as get_run answers it, parsed; KeyError if there is no such run."""
        try:
            text = self.get_run(run_id)
        except ApiError:
            raise KeyError(f"no run {run_id!r}") from None
        detail: dict[str, Any] = json.loads(text)
        return detail

    def seed_runs(self, seeds: Iterable[RunSeed]) -> list[str]:
        """Store many runs in one transaction, without validation or lifecycle; returns ids."""
        now = self._now()
        default_manifest = render.compact_json(default_workflow("seeded"))
        ids: list[str] = []
        rows: list[tuple[Any, ...]] = []
        metrics: list[tuple[str, str, str, float, str]] = []
        with self.store.transaction():
            default_manifest_id = self.store.intern_manifest(default_manifest)
            references: dict[str, str] = {}
            for seed in seeds:
                run_id = str(uuid.uuid4())
                experiment_id = seed.experiment_id or self.default_experiment_id
                if experiment_id not in references:
                    experiment = self.store.experiment(experiment_id)
                    if experiment is None:
                        raise KeyError(f"no experiment {experiment_id!r}")
                    references[experiment_id] = render.references_json(
                        [_Reference(EXPERIMENT, experiment_id, OWNER, experiment["name"]).as_dict()]
                    )
                created = (
                    now if seed.created_at is None else math.floor(to_seconds(seed.created_at))
                )
                if seed.finished_at is not None:
                    finished = math.floor(to_seconds(seed.finished_at))
                else:
                    finished = created if seed.status in FINAL_STATUSES else 0
                scheduled = (
                    0 if seed.scheduled_at is None else math.floor(to_seconds(seed.scheduled_at))
                )
                manifest_id = (
                    default_manifest_id
                    if seed.workflow_manifest is None
                    else self.store.intern_manifest(seed.workflow_manifest)
                )
                values = {
                    "uuid": run_id,
                    "name": seed.name,
                    "description": seed.description,
                    "storage_state": render.ARCHIVED if seed.archived else render.AVAILABLE,
                    "status": seed.status,
                    "created_at": created,
                    "scheduled_at": scheduled,
                    "finished_at": finished,
                    "experiment_id": experiment_id,
                    "namespace": self.namespace,
                    "service_account": DEFAULT_SERVICE_ACCOUNT,
                    "error": "",
                    "k8s_name": f"seeded-{run_id[:8]}",
                    "pipeline_id": "",
                    "pipeline_name": "",
                    "workflow_manifest_id": manifest_id,
                    "pipeline_manifest_id": None,
                    "parameters": render.parameters_json(list(seed.parameters.items())),
                    "refs": references[experiment_id],
                    "terminated": 0,
                    "track": None,
                    "step": 0,
                    "track_start": None,
                    "next_step_at": None,
                }
                rows.append(tuple(values[name] for name in RUN_FIELDS))
                for metric_name, value in seed.metrics.items():
                    metrics.append((run_id, seed.node_id, metric_name, float(value), "UNSPECIFIED"))
                ids.append(run_id)
            self.store.insert_runs(rows, metrics=metrics)
        return ids

    def run_count(self) -> int:
        """The number of stored runs."""
        with self.store.reading():
            return self.store.run_count()


# --------------------------------------------------------------------------------------------


def _decode_body(type_name: str, body: str) -> Message:
    """Decode a request body as the gateway does; an empty body is an empty message."""
    try:
        document = load_json(body)
    except DecodeError as exc:
        if str(exc) == "EOF":
            return {}
        raise errors.gateway_error(str(exc)) from None
    try:
        return decode_message(type_name, document, allow_unknown=True)
    except DecodeError as exc:
        raise errors.gateway_error(str(exc)) from None


def _reference(message: Message) -> _Reference:
    key: Message = message.get("key", {})
    return _Reference(key.get("type", 0), key.get("id", ""), message.get("relationship", 0))


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
