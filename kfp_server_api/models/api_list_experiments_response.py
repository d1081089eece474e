"""Declaration of the ApiListExperimentsResponse model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field

if TYPE_CHECKING:
    from kfp_server_api.models.api_experiment import ApiExperiment


class ApiListExperimentsResponse(Model):
    """One page of an experiment listing."""

    experiments: list[ApiExperiment] | None = field(
        "list[ApiExperiment]", "The experiments on this page."
    )
    total_size: int | None = field("int", "How many experiments match the query, over all pages.")
    next_page_token: str | None = field(
        "str", "Token that fetches the next page; absent on the last page."
    )
