"""Declaration of the ApiPipeline model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field

if TYPE_CHECKING:
    from datetime import datetime

    from kfp_server_api.models.api_parameter import ApiParameter
    from kfp_server_api.models.api_pipeline_version import ApiPipelineVersion
    from kfp_server_api.models.api_resource_reference import ApiResourceReference
    from kfp_server_api.models.api_url import ApiUrl


class ApiPipeline(Model):
    """An uploaded pipeline, with its default version."""

    id: str | None = field("str", "Unique id the server gives the pipeline.")
    created_at: datetime | None = field("datetime", "When the pipeline was uploaded.")
    name: str | None = field("str", "Pipeline name, unique on the server.")
    description: str | None = field("str", "Free text about the pipeline.")
    parameters: list[ApiParameter] | None = field(
        "list[ApiParameter]",
        "Input parameters the pipeline declares (none for v2 pipelines on KFP 2.x servers).",
    )
    url: ApiUrl | None = field(
        "ApiUrl", "Where the pipeline package was fetched from, when created from a URL."
    )
    error: str | None = field("str", "Why the pipeline could not be created, if it could not.")
    default_version: ApiPipelineVersion | None = field(
        "ApiPipelineVersion",
        "The version used when a run names only the pipeline (the latest on KFP 2.x servers).",
    )
    resource_references: list[ApiResourceReference] | None = field(
        "list[ApiResourceReference]", "Links, such as to the namespace the pipeline belongs to."
    )
