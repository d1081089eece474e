"""The pipelines and pipeline_versions tables.

A pipeline row holds what the real server's ``pipelines`` table holds (name, description,
namespace, the parameters of its first file as a JSON fragment, the default version's id, ''
for none); a version row its pipeline, name, parameters, description, code source URL and its
template, stored once in ``manifests``. Versions are READY as soon as they exist (the real
server's CREATING and DELETING states last only for the length of a call), so ``status`` is
always ``READY``; it is a column so that listings can sort and filter on it.
"""

from __future__ import annotations

import sqlite3

from .listing import Table, listing_indexes
from .manifests import ManifestTable

__all__ = ["DERIVED", "MIGRATIONS", "PIPELINES", "SCHEMA", "VERSIONS", "PipelineTable"]

_PIPELINES_TABLE = """CREATE TABLE pipelines (
    uuid TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
    created_at INTEGER NOT NULL, default_version_id TEXT NOT NULL,
    namespace TEXT NOT NULL DEFAULT '', parameters TEXT NOT NULL DEFAULT '')"""
_VERSIONS_TABLE = """CREATE TABLE pipeline_versions (
    uuid TEXT PRIMARY KEY, pipeline_id TEXT NOT NULL, name TEXT NOT NULL,
    created_at INTEGER NOT NULL, manifest_id INTEGER NOT NULL,
    parameters TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',
    code_source_url TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'READY')"""

SCHEMA = f"\n{_PIPELINES_TABLE};\n{_VERSIONS_TABLE};\n"

MIGRATIONS = {
    4: "ALTER TABLE pipelines RENAME TO pipelines_v2; "
    "ALTER TABLE pipeline_versions RENAME TO pipeline_versions_v2; "
    f"{_PIPELINES_TABLE}; {_VERSIONS_TABLE}; "
    "INSERT INTO pipelines (uuid, name, description, created_at, default_version_id) "
    "SELECT uuid, name, description, created_at, default_version_id FROM pipelines_v2; "
    "INSERT INTO pipeline_versions (uuid, pipeline_id, name, created_at, manifest_id) "
    "SELECT uuid, pipeline_id, name, created_at, manifest_id FROM pipeline_versions_v2; "
    "DROP TABLE pipelines_v2; DROP TABLE pipeline_versions_v2;",
}
"""Schema version 4 had pipelines without namespace and parameters, versions without
parameters, description, code source URL and status. The tables are rebuilt (rather than
altered) so that a migrated database has exactly the schema of a new one."""

PIPELINE_FIELDS = (
    "uuid",
    "name",
    "description",
    "created_at",
    "default_version_id",
    "namespace",
    "parameters",
)
VERSION_FIELDS = (
    "uuid",
    "pipeline_id",
    "name",
    "created_at",
    "manifest_id",
    "parameters",
    "description",
    "code_source_url",
    "status",
)

PIPELINES = Table(
    name="pipelines",
    columns={
        "UUID": "uuid",
        "Name": "name",
        "CreatedAtInSec": "created_at",
        "Description": "description",
        "Namespace": "namespace",
    },
    fields=PIPELINE_FIELDS,
    count_sql="SELECT count(*) FROM pipelines",
    reference_columns={"NAMESPACE": "namespace"},
    partition="namespace",
)
"""How pipelines list: always within one namespace ('' unless a NAMESPACE key is given)."""

VERSIONS = Table(
    name="pipeline_versions",
    columns={
        "UUID": "uuid",
        "Name": "name",
        "CreatedAtInSec": "created_at",
        "Status": "status",
    },
    fields=VERSION_FIELDS,
    count_sql="SELECT count(*) FROM pipeline_versions",
    reference_columns={"PIPELINE": "pipeline_id"},
    partition="pipeline_id",
)
"""How versions list: always those of one pipeline."""

DERIVED = {
    **listing_indexes(PIPELINES),
    **listing_indexes(VERSIONS),
    "pipelines_by_default_version": (
        "CREATE INDEX pipelines_by_default_version ON pipelines (default_version_id)"
    ),
}
"""The listing indexes (each led by the namespace, or the pipeline), and the lookup of the
pipelines a version is the default of."""


class PipelineTable(ManifestTable):
    """Pipelines and their versions (whose templates are stored as manifests)."""

    def add_pipeline(
        self,
        uuid: str,
        name: str,
        description: str,
        created_at: int,
        *,
        namespace: str = "",
        parameters: str = "",
    ) -> None:
        """Store a pipeline; its default version is set by ``set_default_version``.

        Raises sqlite3.IntegrityError if the id is taken."""
        self._execute(
            "INSERT INTO pipelines (uuid, name, description, created_at, default_version_id, "
            "namespace, parameters) VALUES (?, ?, ?, ?, '', ?, ?)",
            (uuid, name, description, created_at, namespace, parameters),
        )

    def set_default_version(self, pipeline_id: str, version_id: str) -> None:
        """Make ``version_id`` the pipeline's default version ('' for none); unchecked."""
        self._execute(
            "UPDATE pipelines SET default_version_id = ? WHERE uuid = ?", (version_id, pipeline_id)
        )

    def pipeline(self, uuid: str) -> sqlite3.Row | None:
        """The pipeline with this id, or None."""
        return self._one("SELECT * FROM pipelines WHERE uuid = ?", (uuid,))

    def pipeline_named(self, name: str, namespace: str) -> sqlite3.Row | None:
        """The pipeline with this name in this namespace, or None."""
        return self._one(
            "SELECT * FROM pipelines INDEXED BY pipelines_by_name WHERE namespace = ? AND name = ?",
            (namespace, name),
        )

    def delete_pipeline(self, uuid: str) -> None:
        """Delete a pipeline and all its versions."""
        self._execute("DELETE FROM pipeline_versions WHERE pipeline_id = ?", (uuid,))
        self._execute("DELETE FROM pipelines WHERE uuid = ?", (uuid,))

    def add_pipeline_version(
        self,
        uuid: str,
        pipeline_id: str,
        name: str,
        created_at: int,
        manifest: str,
        *,
        parameters: str = "",
        description: str = "",
        code_source_url: str = "",
    ) -> None:
        """Store a pipeline version with its template.

        Raises sqlite3.IntegrityError if the id is taken."""
        self._execute(
            "INSERT INTO pipeline_versions (uuid, pipeline_id, name, created_at, manifest_id, "
            "parameters, description, code_source_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                uuid,
                pipeline_id,
                name,
                created_at,
                self.intern_manifest(manifest),
                parameters,
                description,
                code_source_url,
            ),
        )

    def pipeline_version(self, uuid: str) -> sqlite3.Row | None:
        """The pipeline version with this id, or None."""
        return self._one("SELECT * FROM pipeline_versions WHERE uuid = ?", (uuid,))

    def version_named(self, pipeline_id: str, name: str) -> sqlite3.Row | None:
        """The version of this pipeline with this name, or None."""
        return self._one(
            "SELECT * FROM pipeline_versions INDEXED BY pipeline_versions_by_name "
            "WHERE pipeline_id = ? AND name = ?",
            (pipeline_id, name),
        )

    def delete_pipeline_version(self, uuid: str) -> None:
        """Delete a version; every pipeline it was the default of gets its own newest
        remaining version as default (none: '')."""
        owners = [
            str(row[0])
            for row in self._execute(
                "SELECT uuid FROM pipelines WHERE default_version_id = ?", (uuid,)
            )
        ]
        self._execute("DELETE FROM pipeline_versions WHERE uuid = ?", (uuid,))
        for pipeline_id in owners:
            newest = self._one(
                "SELECT uuid FROM pipeline_versions INDEXED BY pipeline_versions_by_created_at "
                "WHERE pipeline_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1",
                (pipeline_id,),
            )
            self.set_default_version(pipeline_id, "" if newest is None else str(newest[0]))
