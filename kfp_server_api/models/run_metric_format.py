"""Declaration of the RunMetricFormat enum constants."""

from __future__ import annotations

from kfp_server_api.model import EnumModel


class RunMetricFormat(EnumModel):
    """How the value of a run metric is meant to be shown."""

    UNSPECIFIED = "UNSPECIFIED"
    RAW = "RAW"
    PERCENTAGE = "PERCENTAGE"
