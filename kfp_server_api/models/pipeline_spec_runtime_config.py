"""Declaration of the PipelineSpecRuntimeConfig model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field
from kfp_server_api.parameter_values import decode_parameters

if TYPE_CHECKING:
    from kfp_server_api.parameter_values import ParameterValue


class PipelineSpecRuntimeConfig(Model):
    """Runtime settings of a v2 pipeline.

    ``parameters`` holds ``ApiValue`` objects as KFP 1.8 servers write them, and plain JSON
    values (numbers, strings, booleans, lists, dicts, None) as KFP 2.x servers write them; each
    is decoded as it came and sent back unchanged. Send plain values to a KFP 2.x server: it
    reads an ``ApiValue`` as a struct parameter (see :mod:`kfp_server_api.parameter_values`).
    """

    parameters: dict[str, ParameterValue] | None = field(
        "dict(str, ApiValue)",
        "Input parameter values, by parameter name: ApiValue (KFP 1.8) or plain JSON (KFP 2.x).",
        decode=decode_parameters,
    )
    pipeline_root: str | None = field(
        "str", "Object store path under which the pipeline writes its outputs."
    )
