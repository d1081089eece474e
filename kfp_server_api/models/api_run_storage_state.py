"""Declaration of the ApiRunStorageState enum constants."""

from __future__ import annotations

from kfp_server_api.model import EnumModel


class ApiRunStorageState(EnumModel):
    """Whether a run is available or archived."""

    AVAILABLE = "STORAGESTATE_AVAILABLE"
    ARCHIVED = "STORAGESTATE_ARCHIVED"
