"""Declaration of the ApiRunMetric model."""

from __future__ import annotations

from kfp_server_api.model import Model, field


class ApiRunMetric(Model):
    """A number reported by one step of a run."""

    name: str | None = field(
        "str", "Metric name: lower-case letters, digits and dashes, starting with a letter."
    )
    node_id: str | None = field("str", "Id of the workflow node that reports the metric.")
    number_value: float | None = field("float", "The value of the metric.")
    format: str | None = field(
        "RunMetricFormat", "How the value is meant to be shown (raw or as a percentage)."
    )
