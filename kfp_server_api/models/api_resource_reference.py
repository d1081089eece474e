"""Declaration of the ApiResourceReference model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field

if TYPE_CHECKING:
    from kfp_server_api.models.api_resource_key import ApiResourceKey


class ApiResourceReference(Model):
    """A link from one resource to another, such as from a run to its experiment."""

    key: ApiResourceKey | None = field("ApiResourceKey", "Type and id of the referenced resource.")
    name: str | None = field(
        "str", "Name of the referenced resource (KFP 2.x servers leave it out for runs and jobs)."
    )
    relationship: str | None = field(
        "ApiRelationship", "How the referenced resource relates to the referring one."
    )
