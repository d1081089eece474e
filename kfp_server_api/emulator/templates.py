"""Pipeline templates: what a pipeline file is, its parameters, the text stored for it, and the
template a run or job made from a stored pipeline uses.

The real server's second layer (``template.New``): a file is an Argo Workflow if it reads as YAML
(JSON is YAML too) with an ``apiVersion`` starting ``argoproj.io/`` and ``kind: Workflow``; else
a v2 pipeline spec if it is strict JSON of a ``PipelineSpec`` with a ``pipelineInfo.name`` and a
``root``; else "unknown template format". YAML is read by ``yaml_subset`` (bounded; see there
for what it reads). The top-level keys of a v2 spec are checked strictly; nested ones are not.

Parameters come from an Argo workflow's ``spec.arguments.parameters`` (values as Argo reads
them: numbers in Go's shortest form, booleans ``true``/``false``, lists and maps as no value); a
v2 spec has none. What is stored, and what get_template answers, is JSON, not the uploaded
text: for Argo the workflow in Go's field order with ``metadata.creationTimestamp`` null and an
empty ``status``; for v2 the spec with ``pipelineInfo.name`` set to ``pipeline/<name>``.

``resolve_template`` is what create_run (and create_job) call for a run made from a pipeline
id, a PIPELINE_VERSION reference, or a pipeline's default version.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from . import errors, render
from .protojson import MAX_DEPTH, format_double, nesting_depth
from .store import Store
from .workflow import ARGO_API_VERSION, unmarshal_workflow
from .yaml_subset import YamlError, load_yaml

__all__ = [
    "MAX_PARAMETER_BYTES",
    "ResolvedTemplate",
    "Template",
    "go_json_size",
    "parse_template",
    "resolve_template",
]

MAX_PARAMETER_BYTES = 10000
"""Longest the parameters of a pipeline may be, as the server stores them (JSON)."""

V2_PIPELINE_ANNOTATION = "pipelines.kubeflow.org/v2_pipeline"
_V2_NAME = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
# PipelineSpec's fields in declaration order, by JSON name, with their proto names.
_SPEC_FIELDS = {
    "pipelineInfo": "pipeline_info",
    "deploymentSpec": "deployment_spec",
    "sdkVersion": "sdk_version",
    "schemaVersion": "schema_version",
    "components": "components",
    "root": "root",
    "defaultPipelineRoot": "default_pipeline_root",
}
_ARGO_PARAMETER_KEYS = (
    "name",
    "default",
    "value",
    "valueFrom",
    "globalName",
    "enum",
    "description",
)


@dataclass(frozen=True)
class Template:
    """A parsed pipeline file: an Argo workflow or a v2 spec, and its parameters."""

    workflow: dict[str, Any] | None
    spec: dict[str, Any] | None
    parameters: tuple[tuple[str, str], ...]

    @property
    def parameters_json(self) -> str:
        """The parameters as the API shows them (a JSON fragment, '' for none)."""
        return render.parameters_json(self.parameters)

    def stored(self, pipeline_name: str, namespace: str = "") -> str:
        """The text stored for this template in a pipeline named ``pipeline_name``."""
        v2_name = f"pipeline/{pipeline_name}"
        if namespace:
            v2_name = f"namespace/{namespace}/{v2_name}"
        if self.spec is not None:
            spec = dict(self.spec)
            info = dict(spec.get("pipelineInfo") or {})
            info["name"] = v2_name
            spec["pipelineInfo"] = info
            ordered = {key: spec[key] for key in _SPEC_FIELDS if key in spec}
            return render.compact_json(ordered)
        assert self.workflow is not None
        workflow = self.workflow
        metadata = dict(workflow.get("metadata") or {})
        metadata["creationTimestamp"] = None
        spec = dict(workflow.get("spec") or {})
        arguments = dict(spec.get("arguments") or {})
        parameters = [_stored_parameter(p) for p in arguments.get("parameters") or []]
        annotations = metadata.get("annotations") or {}
        if annotations.get(V2_PIPELINE_ANNOTATION) == "true":
            # The server names the pipeline in its "pipeline-name" parameter and, doing so,
            # keeps only the name and value of every parameter.
            parameters = [
                {
                    "name": p.get("name", ""),
                    **({"value": v2_name} if p.get("name") == "pipeline-name" else {}),
                    **(
                        {"value": p["value"]}
                        if "value" in p and p.get("name") != "pipeline-name"
                        else {}
                    ),
                }
                for p in parameters
            ]
        if parameters:
            arguments["parameters"] = parameters
        spec["arguments"] = arguments
        stored = {
            "kind": workflow.get("kind"),
            "apiVersion": workflow.get("apiVersion"),
            "metadata": metadata,
            "spec": spec,
            "status": {"startedAt": None, "finishedAt": None},
        }
        return render.compact_json(stored)


def parse_template(content: bytes) -> Template:
    """What a pipeline file holds. Raises ApiError (400) as the server's template layer does."""
    if nesting_depth(content.decode("utf-8", "replace")) > MAX_DEPTH:
        # Refused before parsing: re-encoding such a document would exhaust the stack.
        error = errors.invalid_input_with_details(
            "unknown template format", "pipeline spec is invalid"
        )
        error.reason = f"the file nests deeper than {MAX_DEPTH} levels"
        raise error
    document, unreadable = _read_document(content) if content else (None, "the file is empty")
    if isinstance(document, dict) and _is_argo(document):
        return _argo_template(document)
    spec = _v2_spec(content)
    if spec is not None:
        name = spec["pipelineInfo"]["name"]
        if not _V2_NAME.search(name):
            raise errors.invalid_input_with_details(
                "invalid v2 pipeline spec: name should consist of lower case alphanumeric "
                "characters, '-' or '.', and must start and end with an alphanumeric character",
                "pipeline spec is invalid",
            )
        return Template(None, spec, ())
    error = errors.invalid_input_with_details("unknown template format", "pipeline spec is invalid")
    if unreadable is None:
        unreadable = (
            "neither an Argo Workflow (argoproj.io/*, kind Workflow) nor a v2 pipeline spec"
        )
    error.reason = unreadable
    raise error


def _read_document(content: bytes) -> tuple[Any, str | None]:
    """The document in ``content`` (JSON, else YAML), or None and why it cannot be read."""
    try:
        return json.loads(content, parse_constant=_no_constant), None
    except (ValueError, RecursionError):
        pass
    try:
        return load_yaml(content), None
    except YamlError as exc:
        return None, str(exc)


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def _is_argo(document: dict[str, Any]) -> bool:
    api_version = document.get("apiVersion")
    return (
        isinstance(api_version, str)
        and api_version.startswith("argoproj.io/")
        and document.get("kind") == "Workflow"
    )


def _argo_template(document: dict[str, Any]) -> Template:
    api_version = document["apiVersion"]
    if api_version != ARGO_API_VERSION:
        raise errors.invalid_input(
            f"Unsupported argo version. Expected: {ARGO_API_VERSION}. Received: {api_version}"
        )
    try:
        workflow = unmarshal_workflow(render.compact_json(document))
    except ValueError as exc:
        raise errors.invalid_input_with_details(
            "Failed to parse the workflow template.", str(exc)
        ) from None
    raw = ((workflow.get("spec") or {}).get("arguments") or {}).get("parameters") or []
    stored = [_stored_parameter(p) for p in raw]
    if go_json_size(stored) > MAX_PARAMETER_BYTES:
        raise errors.invalid_input(
            f"The input parameter length exceed maximum size of {MAX_PARAMETER_BYTES}."
        )
    parameters = tuple((str(p.get("name", "")), str(p.get("value", ""))) for p in stored)
    return Template(workflow, None, parameters)


def _stored_parameter(parameter: dict[str, Any]) -> dict[str, Any]:
    """An Argo parameter as the server keeps it: known keys, values as strings."""
    kept: dict[str, Any] = {}
    for key in _ARGO_PARAMETER_KEYS:
        if key not in parameter or parameter[key] is None:
            continue
        value = parameter[key]
        if key in ("default", "value"):
            value = _any_string(value)
            if value is None:
                continue
        kept[key] = value
    return kept


def _any_string(value: Any) -> str | None:
    """A parameter value as Argo's AnyString reads it from JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        text = format_double(float(value)) if isinstance(value, float) else str(value)
        if "e" in text:  # Go's 'f' format never uses an exponent
            text = format(float(value), "f").rstrip("0").rstrip(".")
        return text
    if isinstance(value, str):
        return value
    return "" if isinstance(value, (list, dict)) else None


def go_json_size(document: Any) -> int:
    """Bytes of ``document`` as Go's json.Marshal writes it (it escapes <, > and &)."""
    text = render.compact_json(document)
    extra = 5 * sum(map(text.count, "<>&")) + 3 * sum(map(text.count, "\u2028\u2029"))
    return len(text.encode("utf-8")) + extra


def _v2_spec(content: bytes) -> dict[str, Any] | None:
    """The v2 PipelineSpec in ``content`` (strict JSON), or None."""
    try:
        document = json.loads(content, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return None
    if not isinstance(document, dict):
        return None
    spec: dict[str, Any] = {}
    for key, value in document.items():
        json_name = next((j for j, p in _SPEC_FIELDS.items() if key in (j, p)), None)
        if json_name is None:
            return None  # protojson refuses unknown fields
        spec[json_name] = value
    info = spec.get("pipelineInfo")
    if not isinstance(info, dict) or not isinstance(info.get("name"), str) or not info["name"]:
        return None
    if not isinstance(spec.get("root"), dict):
        return None
    return spec


# --------------------------------------------------------------------------------------------
# Runs and jobs made from stored pipelines


@dataclass(frozen=True)
class ResolvedTemplate:
    """The version a run made from a pipeline uses, and its stored template text."""

    version_id: str
    manifest: str


def resolve_template(store: Store, pipeline_id: str, version_id: str) -> ResolvedTemplate:
    """The template of ``version_id``, or of the pipeline's default version when it is ''.

    The caller has checked that the pipeline and the version exist, as request validation
    does. Raises ApiError as the server does while creating: 400 ``No pipeline version.`` for a
    pipeline without a default version, 404 for a default version that no longer exists.
    """
    if not version_id:
        pipeline = store.pipeline(pipeline_id)
        version_id = "" if pipeline is None else str(pipeline["default_version_id"])
        if not version_id:
            raise errors.invalid_input("No pipeline version.")
    version = store.pipeline_version(version_id)
    if version is None:
        raise errors.not_found("Version", version_id)
    return ResolvedTemplate(version_id, store.manifest_text(version["manifest_id"]))
