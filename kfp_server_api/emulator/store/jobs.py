"""The jobs table (recurring runs)."""

from __future__ import annotations

import sqlite3

from .base import grown_table
from .listing import TableListing

__all__ = ["GROWN_FOR_EXPERIMENTS", "SCHEMA", "JobTable"]

SCHEMA, _GROW = grown_table(
    "\nCREATE TABLE jobs (uuid TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL",
    "jobs",
    (
        "experiment_id TEXT NOT NULL DEFAULT ''",
        "enabled INTEGER NOT NULL DEFAULT 1",
        "updated_at INTEGER NOT NULL DEFAULT 0",
    ),
)
GROWN_FOR_EXPERIMENTS = _GROW + "UPDATE jobs SET updated_at = created_at; "
"""Schema 2 -> 3: a job's experiment (archiving it disables the job), enabled flag and
updated_at."""


class JobTable(TableListing):
    """Jobs."""

    def add_job(
        self,
        uuid: str,
        name: str,
        created_at: int,
        experiment_id: str = "",
        enabled: bool = True,
    ) -> None:
        """Store a job (a recurring run) so that JOB references resolve."""
        self._execute(
            "INSERT INTO jobs (uuid, name, created_at, experiment_id, enabled, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (uuid, name, created_at, experiment_id, int(enabled), created_at),
        )

    def job(self, uuid: str) -> sqlite3.Row | None:
        """The job with this id, or None."""
        return self._one("SELECT * FROM jobs WHERE uuid = ?", (uuid,))

    def disable_jobs_of_experiment(self, experiment_id: str, now: int) -> None:
        """Disable the enabled jobs of an experiment; their ``updated_at`` becomes ``now``."""
        self._execute(
            "UPDATE jobs SET enabled = 0, updated_at = ? WHERE experiment_id = ? AND enabled = 1",
            (now, experiment_id),
        )
