"""Declaration of the ApiGetTemplateResponse model."""

from __future__ import annotations

from kfp_server_api.model import Model, field


class ApiGetTemplateResponse(Model):
    """The workflow template of a pipeline or pipeline version."""

    template: str | None = field("str", "The template, as YAML text.")
