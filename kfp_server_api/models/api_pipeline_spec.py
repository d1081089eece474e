"""Declaration of the ApiPipelineSpec model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field

if TYPE_CHECKING:
    from kfp_server_api.models.api_parameter import ApiParameter
    from kfp_server_api.models.pipeline_spec_runtime_config import PipelineSpecRuntimeConfig


class ApiPipelineSpec(Model):
    """What a run or job executes, and with which parameters."""

    pipeline_id: str | None = field("str", "Id of an uploaded pipeline to execute.")
    pipeline_name: str | None = field("str", "Name of that pipeline, filled in by the server.")
    workflow_manifest: str | None = field("str", "Argo workflow to execute, as a JSON string.")
    pipeline_manifest: str | None = field(
        "str", "Pipeline spec (v2 IR) to execute, as a JSON string."
    )
    parameters: list[ApiParameter] | None = field(
        "list[ApiParameter]", "Values for the pipeline's input parameters (v1 pipelines)."
    )
    runtime_config: PipelineSpecRuntimeConfig | None = field(
        "PipelineSpecRuntimeConfig", "Parameter values and pipeline root for v2 pipelines."
    )
