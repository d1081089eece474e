"""create_run's part of the run service: request validation, templates, resource references.

The checks run in the real server's order, with its messages and error chains: the request
first (``Validate create run request failed.``), then the template, the parameters and the
references while the run is being made (``Failed to create a new run.``).
"""

from __future__ import annotations

import json
import math
import sqlite3
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import errors, render
from .context import DEFAULT_SERVICE_ACCOUNT, ServiceContext
from .errors import ApiError
from .protojson import Message, enum_name, format_double
from .store import RUN_FIELDS
from .templates import MAX_PARAMETER_BYTES, go_json_size, resolve_template
from .workflow import (
    ARGO_API_VERSION,
    declared_parameters,
    unmarshal_workflow,
    workflow_name,
    workflow_service_account,
)

__all__ = [
    "CREATOR",
    "EXPERIMENT",
    "JOB",
    "NAMESPACE",
    "OWNER",
    "PIPELINE_VERSION",
    "Reference",
    "RunCreation",
]

# Resource types and relationships by number (api.ResourceType, api.Relationship).
EXPERIMENT, JOB, PIPELINE_VERSION, NAMESPACE = 1, 2, 4, 5
OWNER, CREATOR = 1, 2

_VALIDATE = "Validate create run request failed."
_CREATE = "Failed to create a new run."
_CONVERT = ("Unable to convert resource references.", "Failed to convert run model")


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


class RunCreation:
    """Makes runs from create_run requests."""

    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.store = context.store

    def create(self, run: Message) -> str:
        """Validate and store the run, as create_run does; returns its id. The caller holds a
        transaction."""
        spec: Message = run.get("pipeline_spec", {})
        references = [_reference(item) for item in run.get("resource_references", [])]
        version_id = self._validate_create(run, spec, references)
        pipeline_id = spec.get("pipeline_id", "")
        # From here on the server is creating the run; its errors read "Failed to create...".
        try:
            pipeline, manifest = self.resolve_manifest(spec, references, version_id)
        except ApiError as exc:
            raise exc.wrap(_CREATE) from None
        workflow, ir_spec = self.template(manifest)
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
            try:
                default = self.context.default_experiment()
            except ApiError as exc:
                raise exc.wrap(_CREATE) from None
            references.append(Reference(EXPERIMENT, default, OWNER))
        namespace = self.namespace_of(references)
        self.resolve_references(references)
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
        # Kept apart from the owner column: archiving an experiment archives these runs too.
        links = [
            (run_id, enum_name("api.ResourceType", r.type), r.id)
            for r in references
            if r.type in (JOB, PIPELINE_VERSION) or (r.type == EXPERIMENT and r.id != owner)
        ]
        self.store.insert_runs([tuple(values[name] for name in RUN_FIELDS)], links)
        return run_id

    def resolve_manifest(
        self, spec: Message, references: list[Reference], version_id: str
    ) -> tuple[sqlite3.Row | None, str]:
        """The pipeline of ``pipeline_id`` (or None) and the manifest to run: the referenced
        version's, else the pipeline's default version's (its PIPELINE_VERSION/CREATOR
        reference is appended), else the spec's own. ``version_id`` is what
        ``validate_source`` returned. Raises the ApiError of ``templates.resolve_template``
        (a pipeline without a default version, a default version that is gone) unwrapped."""
        pipeline_id = spec.get("pipeline_id", "")
        pipeline = self.store.pipeline(pipeline_id) if pipeline_id else None
        if pipeline is None and not version_id:
            return None, spec.get("workflow_manifest") or spec.get("pipeline_manifest", "")
        resolved = resolve_template(self.store, pipeline_id, version_id)
        if not version_id:
            references.append(Reference(PIPELINE_VERSION, resolved.version_id, CREATOR))
        return pipeline, resolved.manifest

    def _validate_create(self, run: Message, spec: Message, references: Sequence[Reference]) -> str:
        """The server's request validation; returns the pipeline version id referenced."""
        if not run.get("name"):
            error = errors.invalid_input("The run name is empty. Please specify a valid name.")
            raise error.wrap(_VALIDATE)
        try:
            return self.validate_source(spec, references)
        except ApiError as exc:
            raise exc.wrap(_VALIDATE) from None

    def validate_source(self, spec: Message, references: Sequence[Reference]) -> str:
        """The pipeline source and parameter checks create_run and create_job share; returns
        the pipeline version id referenced. Raises the ApiError unwrapped."""
        pipeline_id = spec.get("pipeline_id", "")
        workflow_manifest = spec.get("workflow_manifest", "")
        pipeline_manifest = spec.get("pipeline_manifest", "")
        version_id = ""
        for reference in references:
            if reference.type == PIPELINE_VERSION and reference.relationship == CREATOR:
                version_id = reference.id
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
                    raise errors.invalid_input("pipeline ID should be parent of pipeline version.")
        parameters = spec.get("parameters", [])
        if parameters and "runtime_config" in spec:
            raise errors.invalid_input("Please don't specify both parameters and runtime config.")
        runtime_parameters = spec.get("runtime_config", {}).get("parameters")
        for size in (
            _parameters_size(parameters),
            _runtime_parameters_size(runtime_parameters),
        ):
            if size > MAX_PARAMETER_BYTES:
                raise errors.invalid_input(
                    f"The input parameter length exceed maximum size of {MAX_PARAMETER_BYTES}."
                )
        return version_id

    def template(
        self, manifest: str, context: str | None = _CREATE
    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """(Argo workflow, None) for a v1 manifest, (None, IR spec) for a v2 one; errors are
        wrapped in ``context`` (None: not wrapped)."""

        def failure(error: ApiError) -> ApiError:
            return error if context is None else error.wrap(context)

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
                    raise failure(
                        errors.invalid_input(
                            f"Unsupported argo version. Expected: {ARGO_API_VERSION}. "
                            f"Received: {api_version}"
                        )
                    )
                return unmarshal_workflow(manifest), None
            info = document.get("pipelineInfo")
            if isinstance(info, dict) and info.get("name") and document.get("root") is not None:
                return None, document
        raise failure(
            errors.invalid_input_with_details("unknown template format", "pipeline spec is invalid")
        )

    def namespace_of(self, references: Sequence[Reference], context: str | None = _CREATE) -> str:
        """The namespace of the first EXPERIMENT reference's experiment (500 if unknown)."""
        experiment_id = next((r.id for r in references if r.type == EXPERIMENT), "")
        experiment = self.store.experiment(experiment_id)
        if experiment is None:
            cause = errors.not_found("Experiment", experiment_id).message
            error = errors.internal("Failed to get experiment.", cause)
            raise error if context is None else error.wrap(context)
        return str(experiment["namespace"]) or self.context.namespace

    def resolve_references(
        self, references: Sequence[Reference], contexts: Sequence[str] = (*_CONVERT, _CREATE)
    ) -> None:
        """Check each reference's type, relationship and target, and fill in its name; errors
        are wrapped in ``contexts``, innermost first."""

        def failure(error: ApiError, context: str) -> ApiError:
            error = error.wrap(context)
            for outer in contexts:
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


def _parameters_size(parameters: Sequence[Message]) -> int:
    if not parameters:
        return 0
    return go_json_size([{k: v for k, v in p.items() if v} for p in parameters])


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
    return go_json_size(document)


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
