"""The pipelines and pipeline_versions tables."""

from __future__ import annotations

import sqlite3

from .manifests import ManifestTable

__all__ = ["SCHEMA", "PipelineTable"]

SCHEMA = """
CREATE TABLE pipelines (
    uuid TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
    created_at INTEGER NOT NULL, default_version_id TEXT NOT NULL);
CREATE TABLE pipeline_versions (
    uuid TEXT PRIMARY KEY, pipeline_id TEXT NOT NULL, name TEXT NOT NULL,
    created_at INTEGER NOT NULL, manifest_id INTEGER NOT NULL);
"""


class PipelineTable(ManifestTable):
    """Pipelines and their versions (whose workflows are stored as manifests)."""

    def add_pipeline(self, uuid: str, name: str, description: str, created_at: int) -> None:
        """Store a pipeline; its default version is set by ``set_default_version``."""
        self._execute(
            "INSERT INTO pipelines VALUES (?, ?, ?, ?, '')", (uuid, name, description, created_at)
        )

    def set_default_version(self, pipeline_id: str, version_id: str) -> None:
        """Make ``version_id`` the pipeline's default version."""
        self._execute(
            "UPDATE pipelines SET default_version_id = ? WHERE uuid = ?", (version_id, pipeline_id)
        )

    def pipeline(self, uuid: str) -> sqlite3.Row | None:
        """The pipeline with this id, or None."""
        return self._one("SELECT * FROM pipelines WHERE uuid = ?", (uuid,))

    def add_pipeline_version(
        self, uuid: str, pipeline_id: str, name: str, created_at: int, manifest: str
    ) -> None:
        """Store a pipeline version with its workflow manifest."""
        self._execute(
            "INSERT INTO pipeline_versions VALUES (?, ?, ?, ?, ?)",
            (uuid, pipeline_id, name, created_at, self.intern_manifest(manifest)),
        )

    def pipeline_version(self, uuid: str) -> sqlite3.Row | None:
        """The pipeline version with this id, or None."""
        return self._one("SELECT * FROM pipeline_versions WHERE uuid = ?", (uuid,))
