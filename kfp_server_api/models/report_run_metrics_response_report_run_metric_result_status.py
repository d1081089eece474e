"""Declaration of the ReportRunMetricsResponseReportRunMetricResultStatus enum constants."""

from __future__ import annotations

from kfp_server_api.model import EnumModel


class ReportRunMetricsResponseReportRunMetricResultStatus(EnumModel):
    """Outcome of reporting one metric."""

    UNSPECIFIED = "UNSPECIFIED"
    OK = "OK"
    INVALID_ARGUMENT = "INVALID_ARGUMENT"
    DUPLICATE_REPORTING = "DUPLICATE_REPORTING"
    INTERNAL_ERROR = "INTERNAL_ERROR"
