"""The experiments table.

Names are unique per namespace, as the real server's unique index on (name, namespace) makes
them; the experiment service checks before it inserts (on the ``name`` listing index), so that
a database written before the check existed still opens. ``storage_state`` holds the enum's
name, as the real server stores it, so that it sorts as there (ARCHIVED before AVAILABLE).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from ..listing import ListOptions
from . import jobs
from .base import grown_table
from .listing import Table, TableListing, listing_indexes

__all__ = [
    "DERIVED",
    "EXPERIMENTS",
    "EXPERIMENT_FIELDS",
    "MIGRATIONS",
    "SCHEMA",
    "ExperimentTable",
]

_AVAILABLE = "STORAGESTATE_AVAILABLE"

SCHEMA, _GROW = grown_table(
    """
CREATE TABLE experiments (
    uuid TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
    namespace TEXT NOT NULL, created_at INTEGER NOT NULL""",
    "experiments",
    (f"storage_state TEXT NOT NULL DEFAULT '{_AVAILABLE}'",),
)

MIGRATIONS = {2: _GROW + jobs.GROWN_FOR_EXPERIMENTS}
"""Schema 2 -> 3: experiments get a storage state, jobs their experiment and enabled flag."""

EXPERIMENT_FIELDS = ("uuid", "name", "description", "namespace", "created_at", "storage_state")

EXPERIMENTS = Table(
    name="experiments",
    columns={
        "UUID": "uuid",
        "Name": "name",
        "CreatedAtInSec": "created_at",
        "Description": "description",
        "Namespace": "namespace",
        "StorageState": "storage_state",
    },
    fields=EXPERIMENT_FIELDS,
    count_sql="SELECT count(*) FROM experiments",
    text_columns=("name",),
)
"""How experiments list."""

DERIVED = listing_indexes(EXPERIMENTS)
"""The listing indexes of experiments (the ``name`` one also serves the uniqueness check)."""

_INSERT = (
    f"INSERT INTO experiments ({', '.join(EXPERIMENT_FIELDS)}) "
    f"VALUES ({', '.join('?' * len(EXPERIMENT_FIELDS))})"
)


class ExperimentTable(TableListing):
    """Experiments."""

    def add_experiment(
        self,
        uuid: str,
        name: str,
        description: str,
        namespace: str,
        created_at: int,
        storage_state: str = _AVAILABLE,
    ) -> None:
        """Store an experiment; raises sqlite3.IntegrityError if the id is taken."""
        self._execute(_INSERT, (uuid, name, description, namespace, created_at, storage_state))

    def insert_experiments(self, rows: Iterable[Sequence[Any]]) -> None:
        """Store many experiments (tuples in ``EXPERIMENT_FIELDS`` order)."""
        self._connection.executemany(_INSERT, rows)

    def experiment(self, uuid: str) -> sqlite3.Row | None:
        """The experiment with this id, or None."""
        return self._one(
            f"SELECT {EXPERIMENTS.select} FROM experiments r WHERE r.uuid = ?", (uuid,)
        )

    def experiment_named(self, name: str, namespace: str) -> sqlite3.Row | None:
        """An experiment with this name in this namespace, or None."""
        return self._one(
            f"SELECT {EXPERIMENTS.select} FROM experiments r "
            "WHERE r.name = ? AND r.namespace = ? LIMIT 1",
            (name, namespace),
        )

    def experiment_count(self) -> int:
        """The number of stored experiments."""
        row = self._one(EXPERIMENTS.count_sql)
        return 0 if row is None else int(row[0])

    def delete_experiment(self, uuid: str) -> bool:
        """Delete an experiment (its runs and jobs stay); True if it existed."""
        return self._execute("DELETE FROM experiments WHERE uuid = ?", (uuid,)).rowcount == 1

    def set_experiment_storage_state(self, uuid: str, state: str) -> None:
        """Set an experiment's storage state (nothing happens for an unknown id)."""
        self._execute("UPDATE experiments SET storage_state = ? WHERE uuid = ?", (state, uuid))

    def list_experiments(self, options: ListOptions) -> tuple[list[sqlite3.Row], int]:
        """Up to page_size + 1 experiments of the page, each with a ``sort_value``, and the
        total."""
        return self.list_rows(EXPERIMENTS, options, None)
