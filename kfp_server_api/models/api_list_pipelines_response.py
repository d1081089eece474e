"""Declaration of the ApiListPipelinesResponse model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field

if TYPE_CHECKING:
    from kfp_server_api.models.api_pipeline import ApiPipeline


class ApiListPipelinesResponse(Model):
    """One page of a pipeline listing."""

    pipelines: list[ApiPipeline] | None = field("list[ApiPipeline]", "The pipelines on this page.")
    total_size: int | None = field("int", "How many pipelines match the query, over all pages.")
    next_page_token: str | None = field(
        "str", "Token that fetches the next page; absent on the last page."
    )
