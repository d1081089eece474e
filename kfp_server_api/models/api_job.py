"""Declaration of the ApiJob model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field

if TYPE_CHECKING:
    from datetime import datetime

    from kfp_server_api.models.api_pipeline_spec import ApiPipelineSpec
    from kfp_server_api.models.api_resource_reference import ApiResourceReference
    from kfp_server_api.models.api_trigger import ApiTrigger


class ApiJob(Model):
    """A recurring run: starts runs of a pipeline on a schedule.

    ``status`` is "Enabled", "Disabled", ... on KFP 1.x servers and "ENABLED", "DISABLED" or
    "STATUS_UNSPECIFIED" on 2.x servers: read ``enabled`` to know whether the job starts runs.
    """

    id: str | None = field("str", "Unique id the server gives the job.")
    name: str | None = field("str", "Display name of the job; required when creating.")
    description: str | None = field("str", "Free text about the job.")
    pipeline_spec: ApiPipelineSpec | None = field(
        "ApiPipelineSpec", "What each run of the job executes."
    )
    resource_references: list[ApiResourceReference] | None = field(
        "list[ApiResourceReference]", "Links to the experiment or pipeline version of the job."
    )
    service_account: str | None = field("str", "Kubernetes service account the runs' pods use.")
    max_concurrency: str | None = field(
        "str", "Most runs of the job allowed at the same time (int64, as a string)."
    )
    trigger: ApiTrigger | None = field("ApiTrigger", "When the job starts runs.")
    mode: str | None = field("JobMode", "Whether the job is enabled or disabled.")
    created_at: datetime | None = field("datetime", "When the server created the job.")
    updated_at: datetime | None = field("datetime", "When the job was last changed.")
    status: str | None = field(
        "str",
        "Status of the schedule: Enabled, Disabled, Running, Succeeded, Error or NO_STATUS on "
        "KFP 1.x; ENABLED, DISABLED or STATUS_UNSPECIFIED on 2.x (read enabled instead).",
    )
    error: str | None = field("str", "Why the job could not proceed, if it could not.")
    enabled: bool | None = field("bool", "Whether the job starts runs.")
    no_catchup: bool | None = field(
        "bool",
        "Whether intervals missed while the job was paused are skipped rather than caught up.",
    )
