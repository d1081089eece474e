"""The control operations: what the cluster does, in one place.

KFP's API server only records what Argo, the persistence agent and the users' pipelines do; the
emulator has no cluster, so these operations stand in for it: set a run's status, attach an
artifact, add experiments, pipelines, versions and jobs, step the clock, store many runs at
once, and put the whole state back: empty (``reset``) or as a ``Snapshot`` held it.
``Control`` holds them; the ``Emulator`` object calls it from Python, and ``routes()`` serves
the same operations over HTTP under ``/emulator/v1/`` (JSON object in, JSON object out, KFP
error bodies: 400 for a bad field, 404 for an unknown run or pipeline).

A rejected request changes nothing: fields are checked before the operation runs, and every
write happens in one transaction. Times are bounded to what the server can represent (a
Timestamp: years 1 to 9999), so no input leaves the store unreadable.
"""

from __future__ import annotations

import base64
import json
import math
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from . import errors, render
from .clock import Clock, Timestamp, to_seconds
from .context import DEFAULT_SERVICE_ACCOUNT, ServiceContext
from .errors import ApiError
from .lifecycle import FINAL_STATUSES
from .pipeline_creation import PipelineCreation
from .protojson import (
    TIMESTAMP_MAX,
    TIMESTAMP_MIN,
    DecodeError,
    format_timestamp,
    load_json,
    parse_timestamp,
)
from .render import runs as render_runs
from .routes import CONTROL_PREFIX, Route
from .run_creation import EXPERIMENT, OWNER, Reference
from .runs import RunService
from .store import RUN_FIELDS, Snapshot
from .templates import Template, parse_template
from .workflow import (
    ARGO_API_VERSION,
    argo_artifact_archive,
    default_workflow,
    swf_name,
    unmarshal_workflow,
)

__all__ = ["Control", "ExperimentSeed", "JobSeed", "PipelineIds", "PipelineSeed", "RunSeed"]


@dataclass(frozen=True)
class RunSeed:
    """A run to store directly with ``seed_runs`` (no validation, no lifecycle).

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


@dataclass(frozen=True)
class ExperimentSeed:
    """An experiment to store directly with ``seed_experiments`` (no name check).

    ``created_at`` defaults to the clock's now.
    """

    name: str
    description: str = ""
    created_at: Timestamp | None = None
    archived: bool = False


@dataclass(frozen=True)
class JobSeed:
    """A job to store directly with ``seed_jobs``: disabled, without a trigger, running a
    small default workflow, in ``experiment_id`` (Default if None); ``created_at`` defaults to
    the clock's now."""

    name: str
    created_at: Timestamp | None = None
    experiment_id: str | None = None


@dataclass(frozen=True)
class PipelineSeed:
    """A pipeline to store with ``seed_pipelines``: its name and the names of the versions to
    add after its first one (all with ``workflow_manifest``, a small workflow when None)."""

    name: str
    versions: Sequence[str] = ()
    description: str = ""
    workflow_manifest: str | None = None


class PipelineIds(NamedTuple):
    """Ids of a pipeline added through the control API and of its default version."""

    pipeline_id: str
    version_id: str


class Control:
    """The control operations, on the services' shared state."""

    def __init__(self, context: ServiceContext, runs: RunService) -> None:
        self.context = context
        self.store = context.store
        self.runs = runs
        self.creation = PipelineCreation(context)

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
                self.store.add_experiment(
                    experiment_id, name, description, namespace, self.context.now()
                )
            except sqlite3.IntegrityError:
                raise ValueError(f"experiment id {experiment_id!r} is taken") from None
        return experiment_id

    def seed_jobs(self, seeds: Iterable[JobSeed]) -> list[str]:
        """Store many jobs in one transaction, without validation; returns their ids."""
        manifest = render.compact_json(default_workflow("seeded"))
        ids: list[str] = []
        with self.store.transaction():
            manifest_id = self.store.intern_manifest(manifest)
            references: dict[str, str] = {}
            for seed in seeds:
                experiment_id = seed.experiment_id or self.context.default_experiment_id
                if experiment_id not in references:
                    experiment = self.store.experiment(experiment_id)
                    if experiment is None:
                        raise KeyError(f"no experiment {experiment_id!r}")
                    owner = Reference(EXPERIMENT, experiment_id, OWNER, experiment["name"])
                    references[experiment_id] = render.references_json([owner.as_dict()])
                job_id = str(uuid.uuid4())
                created = (
                    self.context.now()
                    if seed.created_at is None
                    else _seconds(seed.created_at, "created_at")
                )
                self.store.add_job(
                    job_id,
                    seed.name,
                    created,
                    experiment_id=experiment_id,
                    namespace=self.context.namespace,
                    workflow_manifest_id=manifest_id,
                    refs=references[experiment_id],
                    service_account=DEFAULT_SERVICE_ACCOUNT,
                    k8s_name=f"seeded{job_id[:5]}",
                )
                ids.append(job_id)
        return ids

    def add_job(
        self,
        name: str,
        *,
        job_id: str | None = None,
        experiment_id: str | None = None,
        enabled: bool = True,
    ) -> str:
        """Store a job (recurring run) so that JOB references resolve; returns its id.

        It runs a small default workflow, has no trigger and never fires: jobs with a schedule
        come from create_job. ``experiment_id`` must name an experiment (or be None for none).
        """
        job_id = job_id or str(uuid.uuid4())
        with self.store.transaction():
            references = []
            if experiment_id is not None:
                experiment = self.store.experiment(experiment_id)
                if experiment is None:
                    raise ValueError(f"no experiment {experiment_id!r}")
                owner = Reference(EXPERIMENT, experiment_id, OWNER, experiment["name"])
                references.append(owner.as_dict())
            manifest = render.compact_json(default_workflow(name))
            try:
                self.store.add_job(
                    job_id,
                    name,
                    self.context.now(),
                    experiment_id=experiment_id or "",
                    enabled=int(enabled),
                    namespace=self.context.namespace,
                    workflow_manifest_id=self.store.intern_manifest(manifest),
                    refs=render.references_json(references),
                    service_account=DEFAULT_SERVICE_ACCOUNT,
                    k8s_name=swf_name(name),
                )
            except sqlite3.IntegrityError:
                raise ValueError(f"job id {job_id!r} is taken") from None
        return job_id

    def get_job(self, job_id: str) -> dict[str, Any]:
        """A job's name, experiment, enabled flag and updated_at; KeyError if unknown."""
        with self.store.reading():
            row = self.store.job(job_id)
        if row is None:
            raise KeyError(f"no job {job_id!r}")
        return {
            "name": row["name"],
            "experiment_id": row["experiment_id"],
            "enabled": bool(row["enabled"]),
            "updated_at": row["updated_at"],
        }

    def seed_experiments(self, seeds: Iterable[ExperimentSeed]) -> list[str]:
        """Store many experiments in one transaction, without checks; returns their ids."""
        now = self.context.now()
        ids: list[str] = []
        rows: list[tuple[Any, ...]] = []
        for seed in seeds:
            experiment_id = str(uuid.uuid4())
            created = now if seed.created_at is None else _seconds(seed.created_at, "created_at")
            state = render.ARCHIVED if seed.archived else render.AVAILABLE
            rows.append((experiment_id, seed.name, seed.description, "", created, state))
            ids.append(experiment_id)
        with self.store.transaction():
            self.store.insert_experiments(rows)
        return ids

    def add_pipeline(
        self,
        name: str,
        *,
        workflow_manifest: str | Mapping[str, Any] | None = None,
        description: str = "",
        pipeline_id: str | None = None,
        version_id: str | None = None,
    ) -> PipelineIds:
        """Store a pipeline with its first version (the default version), as an upload of
        the workflow would; returns (pipeline id, version id). The version's id is the
        pipeline's unless given."""
        template = _workflow_template(name, workflow_manifest)
        with self.store.transaction():
            if pipeline_id and self.store.pipeline(pipeline_id) is not None:
                raise ValueError(f"pipeline id {pipeline_id!r} is taken")
            if version_id and self.store.pipeline_version(version_id) is not None:
                raise ValueError(f"pipeline version id {version_id!r} is taken")
            try:
                pipeline_id = self.creation.create_pipeline(
                    name, description, template, pipeline_id=pipeline_id, version_id=version_id
                )
            except ApiError as exc:
                raise ValueError(exc.message) from None
            pipeline = self.store.pipeline(pipeline_id)
            assert pipeline is not None
        return PipelineIds(pipeline_id, str(pipeline["default_version_id"]))

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
        template = _workflow_template(name, workflow_manifest)
        with self.store.transaction():
            if self.store.pipeline(pipeline_id) is None:
                raise KeyError(f"no pipeline {pipeline_id!r}")
            if version_id and self.store.pipeline_version(version_id) is not None:
                raise ValueError(f"pipeline version id {version_id!r} is taken")
            try:
                return self.creation.create_version(
                    pipeline_id, name, template, version_id=version_id, make_default=make_default
                )
            except ApiError as exc:
                raise ValueError(exc.message) from None

    def seed_pipelines(self, seeds: Iterable[PipelineSeed]) -> list[str]:
        """Store many pipelines (and versions) in one transaction; returns the pipelines' ids.

        Each distinct manifest is read once; names must be unique as for any pipeline."""
        templates: dict[str | None, Template] = {}
        ids = []
        with self.store.transaction():
            for seed in seeds:
                template = templates.get(seed.workflow_manifest)
                if template is None:
                    template = _workflow_template(seed.name, seed.workflow_manifest)
                    templates[seed.workflow_manifest] = template
                try:
                    pipeline_id = self.creation.create_pipeline(
                        seed.name, seed.description, template
                    )
                    for version in seed.versions:
                        self.creation.create_version(pipeline_id, version, template)
                except ApiError as exc:
                    raise ValueError(exc.message) from None
                ids.append(pipeline_id)
        return ids

    def set_run_status(
        self, run_id: str, status: str, *, finished_at: Timestamp | None = None
    ) -> None:
        """Set a run's status; the run leaves its lifecycle track.

        ``finished_at`` defaults to now for a final status and to 0 otherwise.
        """
        self.context.tick()
        with self.store.transaction():
            if self.store.run(run_id) is None:
                raise KeyError(f"no run {run_id!r}")
            if finished_at is None:
                finished = self.context.now() if status in FINAL_STATUSES else 0
            else:
                finished = _seconds(finished_at, "finished_at")
            self.store.update_run(
                run_id,
                status=status,
                finished_at=finished,
                track=None,
                step=0,
                next_step_at=None,
            )
        # A run that finished may let a job waiting on max_concurrency fire.
        self.context.tick()

    def attach_artifact(
        self,
        run_id: str,
        node_id: str,
        name: str,
        data: bytes | None = None,
        *,
        files: Mapping[str, bytes] | None = None,
    ) -> bytes:
        """Store ``data``, or ``files`` packed as Argo packs them, as artifact ``name`` of
        node ``node_id`` of the run; returns the stored bytes."""
        if (data is None) == (files is None):
            raise ValueError("give either data or files")
        stored = argo_artifact_archive(files) if files is not None else bytes(data or b"")
        with self.store.transaction():
            if self.store.run(run_id) is None:
                raise KeyError(f"no run {run_id!r}")
            self.store.put_artifact(run_id, node_id, name, stored)
        return stored

    def advance_clock(self, seconds: float) -> None:
        """Move the clock forward; runs take the lifecycle steps that became due.

        The clock cannot pass the latest time a Timestamp can hold (9999-12-31T23:59:59Z).
        """
        try:
            step = float(seconds)
        except OverflowError:
            raise ValueError(f"cannot advance the clock by {seconds} seconds") from None
        if step < 0:
            raise ValueError("a clock only moves forward")
        if not math.isfinite(step):
            raise ValueError("the clock moves forward by a finite number of seconds")
        with self.store.lock:
            if self.context.clock.now() + step > TIMESTAMP_MAX:
                raise ValueError(
                    f"cannot advance the clock past {format_timestamp(TIMESTAMP_MAX)}, the "
                    "latest time the server can represent"
                )
            self.context.clock.advance(step)
        self.context.tick()

    def get_run(self, run_id: str) -> dict[str, Any]:
        """The run as get_run answers it, as a JSON object; KeyError if there is no such run."""
        try:
            record = self.runs.get_run(run_id)
        except ApiError:
            raise KeyError(f"no run {run_id!r}") from None
        # The answer's exact form (key order, zero values left out) is the rendering layer's.
        detail: dict[str, Any] = json.loads(render_runs.run_detail(record))
        return detail

    def seed_runs(self, seeds: Iterable[RunSeed]) -> list[str]:
        """Store many runs in one transaction, without validation or lifecycle; returns ids."""
        now = self.context.now()
        default_manifest = render.compact_json(default_workflow("seeded"))
        ids: list[str] = []
        rows: list[tuple[Any, ...]] = []
        metrics: list[tuple[str, str, str, float, str]] = []
        with self.store.transaction():
            default_manifest_id = self.store.intern_manifest(default_manifest)
            references: dict[str, str] = {}
            for seed in seeds:
                run_id = str(uuid.uuid4())
                experiment_id = seed.experiment_id or self.context.default_experiment_id
                if experiment_id not in references:
                    experiment = self.store.experiment(experiment_id)
                    if experiment is None:
                        raise KeyError(f"no experiment {experiment_id!r}")
                    references[experiment_id] = render.references_json(
                        [Reference(EXPERIMENT, experiment_id, OWNER, experiment["name"]).as_dict()]
                    )
                created = (
                    now if seed.created_at is None else _seconds(seed.created_at, "created_at")
                )
                if seed.finished_at is not None:
                    finished = _seconds(seed.finished_at, "finished_at")
                else:
                    finished = created if seed.status in FINAL_STATUSES else 0
                scheduled = (
                    0 if seed.scheduled_at is None else _seconds(seed.scheduled_at, "scheduled_at")
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
                    "namespace": self.context.namespace,
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

    def reset(self, clock: Clock | None = None) -> str:
        """Empty every table, re-create the Default experiment; returns its new id.

        The clock keeps its time unless ``clock`` replaces it.
        """
        with self.store.lock:
            if clock is not None:
                self.context.clock = clock
            self.store.reset()
            self.context.reload()
            return self.context.default_experiment_id

    def snapshot(self) -> Snapshot:
        """A copy of the whole stored state, to ``restore`` later."""
        return self.store.snapshot()

    def restore(self, snapshot: Snapshot) -> None:
        """Bring back the state ``snapshot`` holds (the clock is not part of it)."""
        with self.store.lock:
            self.store.restore(snapshot)
            self.context.reload()

    def routes(self) -> list[Route]:
        """The control routes: each checks its JSON fields, then calls an operation above."""
        name = {"name": (_string, True)}
        table: list[tuple[str, _Fields, str | None, _Action]] = [
            (
                "runs/{run_id}/status",
                {"status": (_string, True), "finished_at": (_moment, False)},
                "run",
                self._set_run_status_over_http,
            ),
            (
                "runs/{run_id}/nodes/{node_id}/artifacts/{name}",
                {"data": (_base64, False), "files": (_files, False)},
                "run",
                lambda *path, **fields: {"size": len(self.attach_artifact(*path, **fields))},
            ),
            (
                "experiments",
                {
                    **name,
                    "description": (_string, False),
                    "experiment_id": (_string, False),
                    "namespace": (_string, False),
                },
                None,
                lambda **fields: {"experiment_id": self.add_experiment(**fields)},
            ),
            (
                "pipelines",
                {
                    **name,
                    "workflow_manifest": (_manifest, False),
                    "description": (_string, False),
                    "pipeline_id": (_string, False),
                    "version_id": (_string, False),
                },
                None,
                lambda **fields: self.add_pipeline(**fields)._asdict(),
            ),
            (
                "pipelines/{pipeline_id}/versions",
                {
                    **name,
                    "workflow_manifest": (_manifest, False),
                    "version_id": (_string, False),
                    "make_default": (_boolean, False),
                },
                "pipeline",
                lambda pipeline_id, **fields: {
                    "version_id": self.add_pipeline_version(pipeline_id, **fields)
                },
            ),
            (
                "jobs",
                {
                    **name,
                    "job_id": (_string, False),
                    "experiment_id": (_string, False),
                    "enabled": (_boolean, False),
                },
                None,
                lambda **fields: {"job_id": self.add_job(**fields)},
            ),
            ("clock:advance", {"seconds": (_number, True)}, None, self._advance_clock_over_http),
            ("reset", {}, None, lambda: {"default_experiment_id": self.reset()}),
        ]
        return [
            Route.parse(
                "POST",
                CONTROL_PREFIX + path,
                _http_handler(fields, owner, action),
                render.compact_json,
                body=_json_object,
            )
            for path, fields, owner, action in table
        ]

    def _set_run_status_over_http(self, run_id: str, **fields: Any) -> Mapping[str, Any]:
        self.set_run_status(run_id, **fields)
        return self.get_run(run_id)

    def _advance_clock_over_http(self, seconds: float) -> Mapping[str, Any]:
        self.advance_clock(seconds)
        return {"now": format_timestamp(math.floor(self.context.clock.now()))}


def _workflow_template(name: str, manifest: str | Mapping[str, Any] | None) -> Template:
    """The template of a workflow given to the control API (a small one when None)."""
    if manifest is None:
        manifest = default_workflow(name)
    if not isinstance(manifest, str):
        manifest = render.compact_json(manifest)
    document = unmarshal_workflow(manifest)
    if document.get("apiVersion") != ARGO_API_VERSION or document.get("kind") != "Workflow":
        raise ValueError(f"a pipeline version needs an {ARGO_API_VERSION} Workflow manifest")
    try:
        return parse_template(manifest.encode("utf-8"))
    except ApiError as exc:
        raise ValueError(exc.message) from None


def _seconds(moment: Timestamp, name: str) -> int:
    """Whole Unix seconds of ``moment``, which must be a time a Timestamp can hold."""
    try:
        seconds = to_seconds(moment)
        if math.isfinite(seconds) and TIMESTAMP_MIN <= seconds < TIMESTAMP_MAX + 1:
            return math.floor(seconds)
    except OverflowError:
        pass
    raise ValueError(
        f"{name} must be between {format_timestamp(TIMESTAMP_MIN)} and "
        f"{format_timestamp(TIMESTAMP_MAX)}"
    )


def _json_object(text: str) -> dict[str, Any]:
    """A control route's body: a JSON object (an empty body is an empty one)."""
    if not text.strip(" \t\r\n\x0b\x0c"):
        return {}
    try:
        document = load_json(text)
    except DecodeError as exc:
        raise errors.gateway_error(str(exc)) from None
    if not isinstance(document, dict):
        raise errors.gateway_error("the request body must be a JSON object")
    return document


# A control route's fields: name -> (converter of the JSON value, required).
_Fields = Mapping[str, "tuple[Callable[[Any], Any], bool]"]
_Action = Callable[..., Mapping[str, Any]]


def _http_handler(fields: _Fields, owner: str | None, action: _Action) -> Callable[..., Any]:
    """A handler that checks every field before ``action`` runs, so that a rejected request
    changes nothing, and answers the control methods' exceptions in the KFP error format:
    KeyError (the ``owner`` named by the first path parameter is unknown) 404, ValueError 400.
    """

    def handle(*arguments: Any) -> Mapping[str, Any]:
        *path, document = arguments
        unknown = sorted(set(document) - set(fields))
        if unknown:
            raise errors.invalid_input(f"unknown field {unknown[0]!r}")
        values: dict[str, Any] = {}
        for name, (convert, required) in fields.items():
            if document.get(name) is None:
                if required:
                    raise errors.invalid_input(f"missing field {name!r}")
                continue
            try:
                values[name] = convert(document[name])
            except (TypeError, ValueError) as exc:
                raise errors.invalid_input(f"field {name!r}: {exc}") from None
        try:
            return action(*path, **values)
        except KeyError:
            if owner is None:
                raise
            raise errors.not_found(owner, path[0]) from None
        except ValueError as exc:
            raise errors.invalid_input(str(exc)) from None

    return handle


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("must be a string")
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("must be true or false")
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("must be a finite number")
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an integer beyond every float
        finite = False
    if not finite:
        raise TypeError("must be a finite number")
    return value


def _moment(value: Any) -> float:
    """Unix seconds, or an RFC 3339 timestamp."""
    if isinstance(value, str):
        return parse_timestamp(value)
    try:
        return _number(value)
    except TypeError:
        raise TypeError("must be Unix seconds or an RFC 3339 timestamp") from None


def _base64(value: Any) -> bytes:
    return base64.b64decode(_string(value), validate=True)


def _files(value: Any) -> dict[str, bytes]:
    if not isinstance(value, dict):
        raise TypeError("must be an object of file names and base64 contents")
    return {name: _base64(content) for name, content in value.items()}


def _manifest(value: Any) -> str | Mapping[str, Any]:
    if not isinstance(value, (str, dict)):
        raise TypeError("must be a workflow object or its JSON text")
    return value
