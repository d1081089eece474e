"""Declaration of the ApiCronSchedule model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field

if TYPE_CHECKING:
    from datetime import datetime


class ApiCronSchedule(Model):
    """A schedule that starts runs at the times a cron expression gives."""

    start_time: datetime | None = field("datetime", "No run is started before this time.")
    end_time: datetime | None = field("datetime", "No run is started after this time.")
    cron: str | None = field(
        "str", "Cron expression, with a leading seconds field, saying when to start runs."
    )
