"""Declaration of the ApiReadArtifactResponse model."""

from __future__ import annotations

from kfp_server_api.model import BASE64_PATTERN, Model, field


class ApiReadArtifactResponse(Model):
    """The content of one output artifact of a run."""

    data: str | None = field(
        "str",
        "Artifact bytes, base64-encoded (often a gzipped tar archive).",
        pattern=BASE64_PATTERN,
    )
