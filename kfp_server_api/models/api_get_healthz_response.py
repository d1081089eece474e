"""Declaration of the ApiGetHealthzResponse model."""

from __future__ import annotations

from kfp_server_api.model import Model, field


class ApiGetHealthzResponse(Model):
    """Health and mode of the API server.

    The server also reports its release (``tag_name``, e.g. ``"2.17.0"``) and build
    (``commit_sha``); 1.8.5 declares neither field, so they are read-only properties here and
    ``to_dict()`` and ``openapi_types`` stay as in 1.8.5.
    """

    multi_user: bool | None = field("bool", "Whether the server runs in multi-user mode.")

    @property
    def tag_name(self) -> str | None:
        """The server's release, e.g. ``"1.8.5"`` or ``"2.17.0"`` (None if it did not say)."""
        value = self.unknown_fields().get("tag_name")
        return value if isinstance(value, str) else None

    @property
    def commit_sha(self) -> str | None:
        """The commit the server was built from (None if it did not say)."""
        value = self.unknown_fields().get("commit_sha")
        return value if isinstance(value, str) else None
