"""Declaration of the ApiReadArtifactResponse model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import BASE64_PATTERN, Model, field

if TYPE_CHECKING:
    from kfp_server_api.artifacts import ArtifactArchive


class ApiReadArtifactResponse(Model):
    """The content of one output artifact of a run.

    ``to_bytes()`` gives the artifact as stored (``data`` decoded from base64), and
    ``archive()`` the files of the gzip tar archive Argo stores (see
    :mod:`kfp_server_api.artifacts`). Neither is a field: ``openapi_types`` and ``to_dict()``
    hold ``data`` only.
    """

    data: str | None = field(
        "str",
        "Artifact bytes, base64-encoded (often a gzipped tar archive).",
        pattern=BASE64_PATTERN,
    )

    def to_bytes(self) -> bytes:
        """The artifact as stored: ``data`` decoded from base64 (``b""`` without data).

        Raises:
            ArtifactError: ``data`` is not valid base64.
        """
        from kfp_server_api.artifacts import artifact_bytes

        return artifact_bytes(self)

    def archive(self) -> ArtifactArchive:
        """The tar archive in ``data``, read and checked once, to list, read or extract files.

        Raises:
            ArtifactError: ``data`` is not a (gzip-compressed) tar archive, or one of its
                members could escape the target directory.
        """
        from kfp_server_api.artifacts import ArtifactArchive

        return ArtifactArchive(self)
