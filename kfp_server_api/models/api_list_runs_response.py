"""Declaration of the ApiListRunsResponse model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field

if TYPE_CHECKING:
    from kfp_server_api.models.api_run import ApiRun


class ApiListRunsResponse(Model):
    """One page of a run listing."""

    runs: list[ApiRun] | None = field("list[ApiRun]", "The runs on this page.")
    total_size: int | None = field("int", "How many runs match the query, over all pages.")
    next_page_token: str | None = field(
        "str", "Token that fetches the next page; absent on the last page."
    )
