"""Declaration of the ApiTrigger model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field

if TYPE_CHECKING:
    from kfp_server_api.models.api_cron_schedule import ApiCronSchedule
    from kfp_server_api.models.api_periodic_schedule import ApiPeriodicSchedule


class ApiTrigger(Model):
    """When a job starts runs; one of the schedules is set."""

    cron_schedule: ApiCronSchedule | None = field(
        "ApiCronSchedule", "Start runs at the times of a cron expression."
    )
    periodic_schedule: ApiPeriodicSchedule | None = field(
        "ApiPeriodicSchedule", "Start runs at a fixed interval."
    )
