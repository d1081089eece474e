"""Declaration of the ApiExperimentStorageState enum constants."""

from __future__ import annotations

from kfp_server_api.model import EnumModel


class ApiExperimentStorageState(EnumModel):
    """Whether an experiment is available or archived."""

    UNSPECIFIED = "STORAGESTATE_UNSPECIFIED"
    AVAILABLE = "STORAGESTATE_AVAILABLE"
    ARCHIVED = "STORAGESTATE_ARCHIVED"
