"""Declaration of the ApiValue model."""

from __future__ import annotations

from kfp_server_api.model import Model, field


class ApiValue(Model):
    """A typed parameter value; one of its fields is set."""

    int_value: str | None = field("str", "An integer, carried as a decimal string (int64).")
    double_value: float | None = field("float", "A floating-point number.")
    string_value: str | None = field("str", "A string.")
