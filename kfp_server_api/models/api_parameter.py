"""Declaration of the ApiParameter model."""

from __future__ import annotations

from kfp_server_api.model import Model, field


class ApiParameter(Model):
    """A named pipeline parameter with its value."""

    name: str | None = field("str", "Parameter name.")
    value: str | None = field("str", "Parameter value, as text.")
