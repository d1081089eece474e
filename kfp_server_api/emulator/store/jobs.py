"""The jobs table (recurring runs)."""

from __future__ import annotations

import sqlite3

from .listing import TableListing

__all__ = ["SCHEMA", "JobTable"]

SCHEMA = """
CREATE TABLE jobs (uuid TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL);
"""


class JobTable(TableListing):
    """Jobs."""

    def add_job(self, uuid: str, name: str, created_at: int) -> None:
        """Store a job (a recurring run) so that JOB references resolve."""
        self._execute("INSERT INTO jobs VALUES (?, ?, ?)", (uuid, name, created_at))

    def job(self, uuid: str) -> sqlite3.Row | None:
        """The job with this id, or None."""
        return self._one("SELECT * FROM jobs WHERE uuid = ?", (uuid,))
