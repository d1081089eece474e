"""Declaration of the ApiListJobsResponse model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field

if TYPE_CHECKING:
    from kfp_server_api.models.api_job import ApiJob


class ApiListJobsResponse(Model):
    """One page of a job listing."""

    jobs: list[ApiJob] | None = field("list[ApiJob]", "The jobs on this page.")
    total_size: int | None = field("int", "How many jobs match the query, over all pages.")
    next_page_token: str | None = field(
        "str", "Token that fetches the next page; absent on the last page."
    )
