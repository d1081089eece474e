"""Declaration of the ApiReportRunMetricsRequest model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field

if TYPE_CHECKING:
    from kfp_server_api.models.api_run_metric import ApiRunMetric


class ApiReportRunMetricsRequest(Model):
    """Metrics to record for a run."""

    run_id: str | None = field("str", "Id of the run the metrics belong to.")
    metrics: list[ApiRunMetric] | None = field("list[ApiRunMetric]", "The metrics to record.")
