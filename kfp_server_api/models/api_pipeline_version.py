"""Declaration of the ApiPipelineVersion model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field

if TYPE_CHECKING:
    from datetime import datetime

    from kfp_server_api.models.api_parameter import ApiParameter
    from kfp_server_api.models.api_resource_reference import ApiResourceReference
    from kfp_server_api.models.api_url import ApiUrl


class ApiPipelineVersion(Model):
    """One version of an uploaded pipeline."""

    id: str | None = field("str", "Unique id the server gives the version.")
    name: str | None = field("str", "Version name, unique within its pipeline.")
    created_at: datetime | None = field("datetime", "When the version was created.")
    parameters: list[ApiParameter] | None = field(
        "list[ApiParameter]",
        "Input parameters the version declares (none for v2 pipelines on KFP 2.x servers).",
    )
    code_source_url: str | None = field("str", "Where the source code of this version can be seen.")
    package_url: ApiUrl | None = field(
        "ApiUrl",
        "Where the version's package was fetched from (KFP 2.x servers echo code_source_url).",
    )
    resource_references: list[ApiResourceReference] | None = field(
        "list[ApiResourceReference]", "Links, such as to the pipeline that owns the version."
    )
    description: str | None = field("str", "Free text about the version.")
