"""Declaration of the ApiListPipelineVersionsResponse model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field

if TYPE_CHECKING:
    from kfp_server_api.models.api_pipeline_version import ApiPipelineVersion


class ApiListPipelineVersionsResponse(Model):
    """One page of a pipeline version listing."""

    versions: list[ApiPipelineVersion] | None = field(
        "list[ApiPipelineVersion]", "The pipeline versions on this page."
    )
    next_page_token: str | None = field(
        "str", "Token that fetches the next page; absent on the last page."
    )
    total_size: int | None = field("int", "How many versions match the query, over all pages.")
