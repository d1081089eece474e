"""Declaration of the ApiGetHealthzResponse model."""

from __future__ import annotations

from kfp_server_api.model import Model, field


class ApiGetHealthzResponse(Model):
    """Health and mode of the API server."""

    multi_user: bool | None = field("bool", "Whether the server runs in multi-user mode.")
