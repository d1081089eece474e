"""Declaration of the ApiResourceType enum constants."""

from __future__ import annotations

from kfp_server_api.model import EnumModel


class ApiResourceType(EnumModel):
    """Kinds of resource that a resource reference can point to."""

    UNKNOWN_RESOURCE_TYPE = "UNKNOWN_RESOURCE_TYPE"
    EXPERIMENT = "EXPERIMENT"
    JOB = "JOB"
    PIPELINE = "PIPELINE"
    PIPELINE_VERSION = "PIPELINE_VERSION"
    NAMESPACE = "NAMESPACE"
