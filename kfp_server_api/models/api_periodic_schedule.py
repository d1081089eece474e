"""Declaration of the ApiPeriodicSchedule model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field

if TYPE_CHECKING:
    from datetime import datetime


class ApiPeriodicSchedule(Model):
    """A schedule that starts runs at a fixed interval."""

    start_time: datetime | None = field("datetime", "No run is started before this time.")
    end_time: datetime | None = field("datetime", "No run is started after this time.")
    interval_second: str | None = field(
        "str", "Seconds between the starts of two runs (int64, as a string)."
    )
