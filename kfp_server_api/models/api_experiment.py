"""Declaration of the ApiExperiment model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field

if TYPE_CHECKING:
    from datetime import datetime

    from kfp_server_api.models.api_resource_reference import ApiResourceReference


class ApiExperiment(Model):
    """A named group of related runs and jobs."""

    id: str | None = field("str", "Unique id the server gives the experiment.")
    name: str | None = field("str", "Experiment name, unique within its namespace.")
    description: str | None = field("str", "Free text about the experiment.")
    created_at: datetime | None = field("datetime", "When the server created the experiment.")
    resource_references: list[ApiResourceReference] | None = field(
        "list[ApiResourceReference]", "Links, such as to the namespace the experiment lives in."
    )
    storage_state: str | None = field(
        "ApiExperimentStorageState", "Whether the experiment is available or archived."
    )
