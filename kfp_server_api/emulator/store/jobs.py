"""The jobs table (recurring runs), their references, and the scheduler's state of each job.

A job row holds what the API shows (name, pipeline spec, references as a JSON fragment,
trigger, ...) and what the ScheduledWorkflow controller keeps in the custom resource's status:
the nominal time of the last run fired (``last_triggered``), its index (``last_index``), and the
scheduler's own bookkeeping (``next_fire_at``, ``blocked``, ``paced_until``; see
``scheduler.py``). Firing a run and updating these happen in one transaction, so a restart
never fires a run twice.

Schema 2 of this table held only uuid, name and created_at; schema 3 added the experiment, the
enabled flag and updated_at, schema 4 the rest (``grown_table``: the same columns, added by a
migration to older files, are part of the table for new ones).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from ..listing import ListOptions, ReferenceKey
from .base import grown_table
from .listing import Table, TableListing, listing_indexes

__all__ = [
    "DERIVED",
    "GROWN_FOR_EXPERIMENTS",
    "GROWN_FOR_SCHEDULING",
    "JOBS",
    "JOB_FIELDS",
    "MIGRATIONS",
    "SCHEMA",
    "JobTable",
]

_ORIGINAL = (
    "\nCREATE TABLE jobs (uuid TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL"
)
# Schema 3: the columns experiments needed (archiving an experiment disables its jobs).
_FOR_EXPERIMENTS = (
    "experiment_id TEXT NOT NULL DEFAULT ''",
    "enabled INTEGER NOT NULL DEFAULT 1",
    "updated_at INTEGER NOT NULL DEFAULT 0",
)
# Schema 4: everything the job service shows and the scheduler keeps.
_FOR_SCHEDULING = (
    "description TEXT NOT NULL DEFAULT ''",
    "namespace TEXT NOT NULL DEFAULT ''",
    "pipeline_id TEXT NOT NULL DEFAULT ''",
    "pipeline_name TEXT NOT NULL DEFAULT ''",
    "workflow_manifest_id INTEGER",
    "pipeline_manifest_id INTEGER",
    "parameters TEXT NOT NULL DEFAULT ''",
    "refs TEXT NOT NULL DEFAULT ''",
    "service_account TEXT NOT NULL DEFAULT ''",
    "max_concurrency INTEGER NOT NULL DEFAULT 1",
    "trigger TEXT NOT NULL DEFAULT '{}'",
    "no_catchup INTEGER NOT NULL DEFAULT 0",
    "status TEXT NOT NULL DEFAULT 'NO_STATUS'",
    "k8s_name TEXT NOT NULL DEFAULT 'job-'",
    "last_triggered INTEGER",
    "last_index INTEGER NOT NULL DEFAULT 0",
    "next_fire_at INTEGER",
    "blocked INTEGER NOT NULL DEFAULT 0",
    "paced_until INTEGER",
)
_V3, _GROW = grown_table(_ORIGINAL, "jobs", _FOR_EXPERIMENTS)
GROWN_FOR_EXPERIMENTS = _GROW + "UPDATE jobs SET updated_at = created_at; "
"""Schema 2 -> 3: a job's experiment (archiving it disables the job), enabled flag and
updated_at."""
_REFERENCES = (
    "CREATE TABLE job_references (job_uuid TEXT NOT NULL, ref_type TEXT NOT NULL, "
    "ref_id TEXT NOT NULL);\n"
)
_TABLE, _GROW_MORE = grown_table(_V3.rstrip().removesuffix(");"), "jobs", _FOR_SCHEDULING)
SCHEMA = _TABLE + _REFERENCES
GROWN_FOR_SCHEDULING = _GROW_MORE + _REFERENCES
"""Schema 3 -> 4: what the job service shows and the scheduler keeps; job references."""
MIGRATIONS = {3: GROWN_FOR_SCHEDULING}

JOB_FIELDS = tuple(
    column.split()[0]
    for column in ("uuid", "name", "created_at", *_FOR_EXPERIMENTS, *_FOR_SCHEDULING)
)

JOBS = Table(
    name="jobs",
    columns={
        "UUID": "uuid",
        "DisplayName": "name",
        "CreatedAtInSec": "created_at",
        "PipelineId": "pipeline_id",
    },
    fields=JOB_FIELDS,
    count_sql="SELECT count(*) FROM jobs",
    reference_columns={"EXPERIMENT": "experiment_id", "NAMESPACE": "namespace"},
    references="SELECT job_uuid FROM job_references WHERE ref_type = ? AND ref_id = ?",
)
"""How jobs list; PIPELINE_VERSION and JOB reference keys go through job_references."""

DERIVED = {
    **listing_indexes(JOBS),
    "jobs_due": "CREATE INDEX jobs_due ON jobs (next_fire_at) WHERE next_fire_at IS NOT NULL",
    "job_references_by_target": (
        "CREATE INDEX job_references_by_target ON job_references (ref_type, ref_id, job_uuid)"
    ),
    "job_references_by_job": "CREATE INDEX job_references_by_job ON job_references (job_uuid)",
    "jobs_deleted": (
        "CREATE TRIGGER jobs_deleted AFTER DELETE ON jobs BEGIN "
        "DELETE FROM job_references WHERE job_uuid = OLD.uuid; END"
    ),
}


class JobTable(TableListing):
    """Jobs, their references, and the JOB references runs hold to them."""

    def add_job(self, uuid: str, name: str, created_at: int, **fields: Any) -> None:
        """Store a job; columns not given take their defaults (a disabled one-off job)."""
        unknown = set(fields) - set(JOB_FIELDS)
        if unknown:
            raise ValueError(f"unknown job fields: {sorted(unknown)}")
        values = {"uuid": uuid, "name": name, "created_at": created_at, "updated_at": created_at}
        values.update(fields)
        names = list(values)
        self._execute(
            f"INSERT INTO jobs ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            list(values.values()),
        )

    def add_job_references(self, references: Sequence[tuple[str, str, str]]) -> None:
        """Store (job, type name, id) references that list_jobs filters on."""
        self._connection.executemany("INSERT INTO job_references VALUES (?, ?, ?)", references)

    def job(self, uuid: str) -> sqlite3.Row | None:
        """The job with this id, or None."""
        return self._one(f"SELECT {JOBS.select} FROM jobs r WHERE r.uuid = ?", (uuid,))

    def update_job(self, uuid: str, **fields: Any) -> int:
        """Set the given columns of a job; returns the number of rows changed."""
        unknown = set(fields) - set(JOB_FIELDS)
        if unknown:
            raise ValueError(f"unknown job fields: {sorted(unknown)}")
        assignments = ", ".join(f"{name} = ?" for name in fields)
        cursor = self._execute(
            f"UPDATE jobs SET {assignments} WHERE uuid = ?", (*fields.values(), uuid)
        )
        return int(cursor.rowcount)

    def set_job_enabled(self, uuid: str, enabled: bool, now: int, **fields: Any) -> bool:
        """Enable or disable a job; ``updated_at`` (and ``fields``) change only if it flips."""
        assignments = "".join(f", {name} = ?" for name in fields)
        cursor = self._execute(
            f"UPDATE jobs SET enabled = ?, updated_at = ?{assignments} "
            "WHERE uuid = ? AND enabled = ?",
            (int(enabled), now, *fields.values(), uuid, int(not enabled)),
        )
        return cursor.rowcount == 1

    def disable_jobs_of_experiment(self, experiment_id: str, now: int) -> int:
        """Disable every enabled job of an experiment (archive_experiment does this)."""
        cursor = self._execute(
            # The scheduler looks at them at once and shows them Disabled.
            "UPDATE jobs SET enabled = 0, updated_at = ?, next_fire_at = ?, blocked = 0 "
            "WHERE experiment_id = ? AND enabled = 1",
            (now, now, experiment_id),
        )
        return int(cursor.rowcount)

    def delete_job(self, uuid: str) -> bool:
        """Delete a job; the runs it started keep everything but their JOB references."""
        cursor = self._execute("DELETE FROM jobs WHERE uuid = ?", (uuid,))
        if cursor.rowcount != 1:
            return False
        runs = [
            row[0]
            for row in self._execute(
                "SELECT run_uuid FROM run_references WHERE ref_type = 'JOB' AND ref_id = ?",
                (uuid,),
            )
        ]
        self._execute("DELETE FROM run_references WHERE ref_type = 'JOB' AND ref_id = ?", (uuid,))
        for run in runs:
            row = self._one("SELECT refs FROM runs WHERE uuid = ?", (run,))
            if row is None or not row[0]:
                continue
            kept = [
                ref
                for ref in json.loads(row[0])
                if ref.get("key", {}) != {"type": "JOB", "id": uuid}
            ]
            text = json.dumps(kept, ensure_ascii=False, separators=(",", ":")) if kept else ""
            self._execute("UPDATE runs SET refs = ? WHERE uuid = ?", (text, run))
        return True

    def due_jobs(self, now: float) -> list[sqlite3.Row]:
        """Jobs the scheduler must look at by ``now`` (blocked ones included)."""
        return list(
            self._execute(
                "SELECT r.uuid FROM jobs r INDEXED BY jobs_due "
                "WHERE r.next_fire_at IS NOT NULL AND r.next_fire_at <= ? "
                "ORDER BY r.next_fire_at, r.uuid",
                (now,),
            )
        )

    def next_job_wake(self) -> int | None:
        """When the scheduler must next look at a job (blocked ones aside), or None."""
        row = self._one(
            "SELECT min(next_fire_at) FROM jobs WHERE next_fire_at IS NOT NULL AND blocked = 0"
        )
        return None if row is None or row[0] is None else int(row[0])

    def active_runs_of_job(self, uuid: str, final: Sequence[str]) -> int:
        """How many runs started by a job have a status that is not final.

        The status index is read in the ranges between the final statuses, so the cost grows
        with the active runs of the store, not with every run the job ever started.
        """
        finals = sorted(final)
        bounds = [("", finals[0])] if finals else []
        bounds += list(zip(finals, finals[1:]))
        ranges = [
            f"SELECT uuid FROM runs WHERE status {'>=' if not low else '>'} ? AND status < ?"
            for low, _ in bounds
        ]
        ranges.append("SELECT uuid FROM runs WHERE status > ?")
        values: list[str] = [value for pair in bounds for value in pair]
        values.append(finals[-1] if finals else "")
        row = self._one(
            f"SELECT count(*) FROM ({' UNION ALL '.join(ranges)}) AS active WHERE EXISTS "
            "(SELECT 1 FROM run_references x WHERE x.ref_type = 'JOB' AND x.ref_id = ? "
            "AND x.run_uuid = active.uuid)",
            (*values, uuid),
        )
        return 0 if row is None else int(row[0])

    def list_jobs(
        self, options: ListOptions, reference: ReferenceKey | None
    ) -> tuple[list[sqlite3.Row], int]:
        """Up to page_size + 1 jobs of the page, each with a ``sort_value``, and the total."""
        return self.list_rows(JOBS, options, reference)
