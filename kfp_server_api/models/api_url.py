"""Declaration of the ApiUrl model."""

from __future__ import annotations

from kfp_server_api.model import Model, field


class ApiUrl(Model):
    """A URL of a pipeline package."""

    pipeline_url: str | None = field("str", "The URL.")
