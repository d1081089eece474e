"""Declaration of the JobMode enum constants."""

from __future__ import annotations

from kfp_server_api.model import EnumModel


class JobMode(EnumModel):
    """Whether a job is enabled."""

    UNKNOWN_MODE = "UNKNOWN_MODE"
    ENABLED = "ENABLED"
    DISABLED = "DISABLED"
