"""Declaration of the ApiReportRunMetricsResponse model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field

if TYPE_CHECKING:
    from kfp_server_api.models.report_run_metrics_response_report_run_metric_result import (
        ReportRunMetricsResponseReportRunMetricResult,
    )


class ApiReportRunMetricsResponse(Model):
    """The outcome of reporting metrics, one result per metric sent."""

    results: list[ReportRunMetricsResponseReportRunMetricResult] | None = field(
        "list[ReportRunMetricsResponseReportRunMetricResult]",
        "One result per metric, in the order they were sent.",
    )
