"""Declaration of the ApiPipelineRuntime model."""

from __future__ import annotations

from kfp_server_api.model import Model, field


class ApiPipelineRuntime(Model):
    """Runtime manifests of a run, with the status of its steps."""

    pipeline_manifest: str | None = field(
        "str", "Runtime pipeline manifest (JSON) with step status."
    )
    workflow_manifest: str | None = field(
        "str", "Runtime Argo workflow (JSON) with the status of each node."
    )
