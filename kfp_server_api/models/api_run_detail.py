"""Declaration of the ApiRunDetail model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field

if TYPE_CHECKING:
    from kfp_server_api.models.api_pipeline_runtime import ApiPipelineRuntime
    from kfp_server_api.models.api_run import ApiRun


class ApiRunDetail(Model):
    """A run together with its runtime state."""

    run: ApiRun | None = field("ApiRun", "The run itself.")
    pipeline_runtime: ApiPipelineRuntime | None = field(
        "ApiPipelineRuntime", "Runtime manifests of the run's workflow."
    )
