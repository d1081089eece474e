"""Declaration of the PipelineSpecRuntimeConfig model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field

if TYPE_CHECKING:
    from kfp_server_api.models.api_value import ApiValue


class PipelineSpecRuntimeConfig(Model):
    """Runtime settings of a v2 pipeline."""

    parameters: dict[str, ApiValue] | None = field(
        "dict(str, ApiValue)", "Input parameter values, by parameter name."
    )
    pipeline_root: str | None = field(
        "str", "Object store path under which the pipeline writes its outputs."
    )
