"""Declaration of the ApiResourceKey model."""

from __future__ import annotations

from kfp_server_api.model import Model, field


class ApiResourceKey(Model):
    """Identifies a resource by its type and id."""

    type: str | None = field("ApiResourceType", "Kind of the resource.")
    id: str | None = field(
        "str", "Id of the resource (absent for the NAMESPACE of single-user KFP 2.x servers)."
    )
