"""Declaration of the ReportRunMetricsResponseReportRunMetricResult model."""

from __future__ import annotations

from kfp_server_api.model import Model, field


class ReportRunMetricsResponseReportRunMetricResult(Model):
    """The outcome of reporting one metric."""

    metric_name: str | None = field("str", "Name of the metric, as it was sent.")
    metric_node_id: str | None = field("str", "Node id of the metric, as it was sent.")
    status: str | None = field(
        "ReportRunMetricsResponseReportRunMetricResultStatus",
        "Whether the metric was recorded, or why not.",
    )
    message: str | None = field("str", "Details when the metric was not recorded.")
