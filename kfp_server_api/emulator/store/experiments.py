"""The experiments table."""

from __future__ import annotations

import sqlite3

from .listing import TableListing

__all__ = ["SCHEMA", "ExperimentTable"]

SCHEMA = """
CREATE TABLE experiments (
    uuid TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
    namespace TEXT NOT NULL, created_at INTEGER NOT NULL);
"""


class ExperimentTable(TableListing):
    """Experiments."""

    def add_experiment(
        self, uuid: str, name: str, description: str, namespace: str, created_at: int
    ) -> None:
        """Store an experiment; raises sqlite3.IntegrityError if the id is taken."""
        self._execute(
            "INSERT INTO experiments VALUES (?, ?, ?, ?, ?)",
            (uuid, name, description, namespace, created_at),
        )

    def experiment(self, uuid: str) -> sqlite3.Row | None:
        """The experiment with this id, or None."""
        return self._one("SELECT * FROM experiments WHERE uuid = ?", (uuid,))
