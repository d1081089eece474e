"""The runs and what belongs to them: metrics, artifacts, references, lifecycle, counts.

Listing runs by a column is the shared listing (``listing.py``) on the ``RUNS`` description;
what is particular to runs is kept here:

- a metric sort walks the metric's values in order, looking each run up, or gathers the
  matching runs and looks up each one's value. Runs without the metric are looked for only if
  the count of its values (cached until the next write) says some run lacks it, and when those
  are just the runs without any metric, in the table kept of them;
- run counts are kept per combination of experiment, namespace, status and storage state,
  updated with every write, so ``total_size`` of a listing filtered only on those (or not at
  all) sums a handful of rows instead of counting runs; other counts are cached until the
  next write;
- manifests are stored once per distinct text and shared by runs (``manifests.py``).

What remains proportional to the number of runs: a substring filter cannot seek, so one that
few runs pass costs a pass over an index (per page, and to count it after each write); a metric
that a few runs lack although they have other metrics is found missing by probing every run
(on the first page ascending, the last descending). Covering indexes make a store about half
as large again as indexes on the sort keys alone would, and bulk inserts about a third slower.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..listing import ListOptions, ReferenceKey
from .listing import Table, TableListing, conditions, listing_indexes, order, where

__all__ = ["DERIVED", "FACETS", "MIGRATIONS", "RUNS", "RUN_FIELDS", "SCHEMA", "RunTable"]

_METRICLESS = "CREATE TABLE runs_without_metrics (run_uuid TEXT PRIMARY KEY) WITHOUT ROWID"

# The tables of runs. Their indexes and triggers are in DERIVED.
SCHEMA = f"""
CREATE TABLE runs (
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    storage_state TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    scheduled_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    experiment_id TEXT NOT NULL,
    namespace TEXT NOT NULL,
    service_account TEXT NOT NULL,
    error TEXT NOT NULL,
    k8s_name TEXT NOT NULL,
    pipeline_id TEXT NOT NULL,
    pipeline_name TEXT NOT NULL,
    workflow_manifest_id INTEGER,
    pipeline_manifest_id INTEGER,
    parameters TEXT NOT NULL,
    refs TEXT NOT NULL,
    terminated INTEGER NOT NULL DEFAULT 0,
    track TEXT,
    step INTEGER NOT NULL DEFAULT 0,
    track_start REAL,
    next_step_at REAL);
CREATE TABLE run_references (run_uuid TEXT NOT NULL, ref_type TEXT NOT NULL, ref_id TEXT NOT NULL);
CREATE TABLE metrics (
    seq INTEGER PRIMARY KEY, run_uuid TEXT NOT NULL, node_id TEXT NOT NULL, name TEXT NOT NULL,
    number_value REAL NOT NULL, format TEXT NOT NULL, UNIQUE (run_uuid, node_id, name));
CREATE TABLE run_sort_metrics (
    run_uuid TEXT NOT NULL, name TEXT NOT NULL, value REAL NOT NULL,
    PRIMARY KEY (run_uuid, name)) WITHOUT ROWID;
CREATE TABLE artifacts (
    run_uuid TEXT NOT NULL, node_id TEXT NOT NULL, name TEXT NOT NULL, data BLOB NOT NULL,
    seq INTEGER NOT NULL, PRIMARY KEY (run_uuid, node_id, name)) WITHOUT ROWID;
CREATE TABLE run_facets (
    experiment_id TEXT NOT NULL, namespace TEXT NOT NULL, status TEXT NOT NULL,
    storage_state TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (experiment_id, namespace, status, storage_state)) WITHOUT ROWID;
{_METRICLESS};
"""

MIGRATIONS = {
    1: f"{_METRICLESS}; INSERT INTO runs_without_metrics SELECT uuid FROM runs "
    "WHERE uuid NOT IN (SELECT run_uuid FROM run_sort_metrics);",
}
"""The script that takes a database from each earlier schema version to the next."""

RUN_FIELDS = (
    "uuid",
    "name",
    "description",
    "storage_state",
    "status",
    "created_at",
    "scheduled_at",
    "finished_at",
    "experiment_id",
    "namespace",
    "service_account",
    "error",
    "k8s_name",
    "pipeline_id",
    "pipeline_name",
    "workflow_manifest_id",
    "pipeline_manifest_id",
    "parameters",
    "refs",
    "terminated",
    "track",
    "step",
    "track_start",
    "next_step_at",
)
_RUN_INSERT = (
    f"INSERT INTO runs ({', '.join(RUN_FIELDS)}) VALUES ({', '.join('?' * len(RUN_FIELDS))})"
)

FACETS = ("experiment_id", "namespace", "status", "storage_state")
"""Run columns whose combinations are counted, so that listings filtered on them count fast."""
_FACET_SET = frozenset(FACETS)
_FACET_INDEXES = tuple(RUN_FIELDS.index(name) for name in FACETS)
_UUID_INDEX = RUN_FIELDS.index("uuid")

RUNS = Table(
    name="runs",
    columns={
        "UUID": "uuid",
        "DisplayName": "name",
        "CreatedAtInSec": "created_at",
        "Description": "description",
        "ScheduledAtInSec": "scheduled_at",
        "StorageState": "storage_state",
        "Conditions": "status",
    },
    fields=RUN_FIELDS,
    count_sql="SELECT coalesce(sum(n), 0) FROM run_facets",
    reference_columns={"EXPERIMENT": "experiment_id", "NAMESPACE": "namespace"},
    references="SELECT run_uuid FROM run_references WHERE ref_type = ? AND ref_id = ?",
    facets="run_facets",
    facet_columns=FACETS,
    text_columns=("name",),
)
"""How runs list; the resource_reference_key types without a column are in run_references."""


def _trigger(name: str, event: str, *statements: str) -> str:
    return f"CREATE TRIGGER {name} {event} BEGIN {' '.join(f'{s};' for s in statements)} END"


DERIVED = {
    **listing_indexes(RUNS),
    "runs_due": "CREATE INDEX runs_due ON runs (next_step_at) WHERE next_step_at IS NOT NULL",
    "run_references_by_target": (
        "CREATE INDEX run_references_by_target ON run_references (ref_type, ref_id, run_uuid)"
    ),
    "run_references_by_run": "CREATE INDEX run_references_by_run ON run_references (run_uuid)",
    "run_sort_metrics_by_value": (
        "CREATE INDEX run_sort_metrics_by_value ON run_sort_metrics (name, value, run_uuid)"
    ),
    "runs_deleted": _trigger(
        "runs_deleted",
        "AFTER DELETE ON runs",
        *(
            f"DELETE FROM {table} WHERE run_uuid = OLD.uuid"
            for table in (
                "run_references",
                "metrics",
                "run_sort_metrics",
                "artifacts",
                "runs_without_metrics",
            )
        ),
    ),
}
"""The indexes and trigger of the runs tables."""


class RunTable(TableListing):
    """Runs, their metrics, artifacts and references, and the counts kept of them."""

    def insert_runs(
        self,
        runs: Iterable[Sequence[Any]],
        references: Iterable[tuple[str, str, str]] = (),
        metrics: Iterable[tuple[str, str, str, float, str]] = (),
    ) -> None:
        """Insert runs (tuples in RUN_FIELDS order), their (run, type, id) references and
        their (run, node, name, value, format) metrics, the first report of each winning."""
        counts: Counter[tuple[Any, ...]] = Counter()
        ids: list[str] = []

        def counted(rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
            for row in rows:
                counts[tuple(row[index] for index in _FACET_INDEXES)] += 1
                ids.append(row[_UUID_INDEX])
                yield row

        self._connection.executemany(_RUN_INSERT, counted(runs))
        self._connection.executemany("INSERT INTO run_references VALUES (?, ?, ?)", references)
        self._count_facets(counts)
        reports = list(metrics)
        self._connection.executemany(
            "INSERT OR IGNORE INTO metrics (run_uuid, node_id, name, number_value, format) "
            "VALUES (?, ?, ?, ?, ?)",
            reports,
        )
        self._connection.executemany(
            "INSERT OR IGNORE INTO run_sort_metrics VALUES (?, ?, ?)",
            [(run, name, value) for run, _, name, value, _ in reports],
        )
        metered = {report[0] for report in reports}
        self._connection.executemany(
            "INSERT INTO runs_without_metrics VALUES (?)",
            [(run,) for run in ids if run not in metered],
        )

    def _count_facets(self, counts: Counter[tuple[Any, ...]]) -> None:
        """Add ``counts`` to the run counts kept per facet combination."""
        facets = [facet for facet, change in counts.items() if change]
        self._connection.executemany(
            "INSERT OR IGNORE INTO run_facets VALUES (?, ?, ?, ?, 0)", facets
        )
        self._connection.executemany(
            "UPDATE run_facets SET n = n + ? WHERE experiment_id = ? AND namespace = ? "
            "AND status = ? AND storage_state = ?",
            [(counts[facet], *facet) for facet in facets],
        )

    def _facets(self, uuid: str) -> tuple[Any, ...] | None:
        row = self._one(f"SELECT {', '.join(FACETS)} FROM runs WHERE uuid = ?", (uuid,))
        return None if row is None else tuple(row)

    def _move_facets(self, before: tuple[Any, ...] | None, changes: dict[str, Any]) -> None:
        """Recount a run whose facet columns changed from ``before`` by ``changes``."""
        if before is None:
            return
        after = tuple(changes.get(name, value) for name, value in zip(FACETS, before))
        if after != before:
            self._count_facets(Counter({before: -1, after: 1}))

    def run(self, uuid: str) -> sqlite3.Row | None:
        """The run with this id, or None."""
        return self._one(f"SELECT {RUNS.select} FROM runs r WHERE r.uuid = ?", (uuid,))

    def update_run(self, uuid: str, **fields: Any) -> int:
        """Set the given columns of a run; returns the number of rows changed."""
        assignments = ", ".join(f"{name} = ?" for name in fields if name in RUN_FIELDS)
        if len(fields) != assignments.count("?"):
            raise ValueError(f"unknown run fields: {sorted(set(fields) - set(RUN_FIELDS))}")
        before = self._facets(uuid) if _FACET_SET.intersection(fields) else None
        cursor = self._execute(
            f"UPDATE runs SET {assignments} WHERE uuid = ?", (*fields.values(), uuid)
        )
        self._move_facets(before, fields)
        return int(cursor.rowcount)

    def terminate_run(self, uuid: str, **fields: Any) -> bool:
        """Mark a run Terminating if its status is Running, Pending or empty."""
        assignments = ", ".join(f"{name} = ?" for name in fields)
        before = self._facets(uuid)
        cursor = self._execute(
            f"UPDATE runs SET status = 'Terminating', {assignments} "
            "WHERE uuid = ? AND status IN ('Running', 'Pending', '')",
            (*fields.values(), uuid),
        )
        if cursor.rowcount != 1:
            return False
        self._move_facets(before, {"status": "Terminating"})
        return True

    def delete_run(self, uuid: str) -> bool:
        """Delete a run with its metrics, references and artifacts."""
        before = self._facets(uuid)
        if before is None:
            return False
        self._execute("DELETE FROM runs WHERE uuid = ?", (uuid,))
        self._count_facets(Counter({before: -1}))
        return True

    def archive_runs_of_experiment(self, experiment_id: str) -> None:
        """Archive every run the experiment owns or that refers to it, keeping the counts."""
        match = (
            "storage_state <> 'STORAGESTATE_ARCHIVED' AND (experiment_id = ? OR uuid IN "
            "(SELECT run_uuid FROM run_references WHERE ref_type = 'EXPERIMENT' AND ref_id = ?))"
        )
        params = (experiment_id, experiment_id)
        counts: Counter[tuple[Any, ...]] = Counter()
        for row in self._execute(
            f"SELECT {', '.join(FACETS)}, count(*) FROM runs WHERE {match} "
            f"GROUP BY {', '.join(FACETS)}",
            params,
        ):
            *facet, number = tuple(row)
            counts[tuple(facet)] -= number
            archived = dict(zip(FACETS, facet), storage_state="STORAGESTATE_ARCHIVED")
            counts[tuple(archived[name] for name in FACETS)] += number
        self._execute(
            f"UPDATE runs SET storage_state = 'STORAGESTATE_ARCHIVED' WHERE {match}", params
        )
        self._count_facets(counts)

    def due_runs(self, now: float) -> list[sqlite3.Row]:
        """Runs whose next lifecycle step is due at ``now``."""
        return list(
            self._execute(
                "SELECT uuid, track, step, track_start, next_step_at FROM runs "
                "WHERE next_step_at IS NOT NULL AND next_step_at <= ? ORDER BY next_step_at",
                (now,),
            )
        )

    def next_due(self) -> float | None:
        """When the earliest pending lifecycle step is due, or None."""
        row = self._one("SELECT min(next_step_at) FROM runs WHERE next_step_at IS NOT NULL")
        return None if row is None or row[0] is None else float(row[0])

    def run_count(self) -> int:
        """The number of stored runs."""
        row = self._one(RUNS.count_sql)
        return 0 if row is None else int(row[0])

    def list_runs(
        self, options: ListOptions, reference: ReferenceKey | None
    ) -> tuple[list[sqlite3.Row], int]:
        """Up to page_size + 1 runs of the page, each with a ``sort_value``, and the total."""
        sort = options.sort
        if sort.column is not None:
            return self.list_rows(RUNS, options, reference)
        clauses, params = conditions(RUNS, options.filter, reference)
        total = self._count(RUNS, options, reference, clauses, params)
        if not total:
            return [], 0
        limit = options.page_size + 1
        # Runs without the metric come first in ascending order and last in descending order.
        lacking = self.run_count() - self._cached_count(
            ("metric", sort.metric),
            "SELECT count(*) FROM run_sort_metrics WHERE name = ?",
            (sort.metric,),
        )
        rows = []
        if lacking > 0 and not sort.desc and options.cursor is None:
            rows += self._unmetered_page(sort.metric, clauses, params, limit, total, lacking, False)
        if len(rows) < limit:
            rows += self._metric_page(options, clauses, params, limit - len(rows), total)
        if lacking > 0 and sort.desc and len(rows) < limit:
            remaining = limit - len(rows)
            rows += self._unmetered_page(
                sort.metric, clauses, params, remaining, total, lacking, True
            )
        return rows, total

    def _metric_page(
        self,
        options: ListOptions,
        clauses: list[str],
        params: list[Any],
        limit: int,
        total: int,
    ) -> list[sqlite3.Row]:
        desc = options.sort.desc
        filters = ["s.name = ?", *clauses]
        values: list[Any] = [options.sort.metric, *params]
        if options.cursor is not None:
            filters.append(f"(s.value, s.run_uuid) {'<=' if desc else '>='} (?, ?)")
            values += [options.cursor.sort_value, options.cursor.key]
        # The walk reads the metric's values in order and looks each run up; the gather reads
        # the runs that pass the filter and looks each one's value up.
        walk = self._walks(RUNS, limit, total, total)
        source = (
            "run_sort_metrics s INDEXED BY run_sort_metrics_by_value "
            f"CROSS JOIN runs r INDEXED BY {RUNS.index('uuid')} ON r.uuid = s.run_uuid"
            if walk
            else "runs r CROSS JOIN run_sort_metrics s ON s.run_uuid = r.uuid"
        )
        page = (
            f"SELECT r.rowid AS id, s.value AS sort_value, s.run_uuid AS key FROM {source} "
            f"{where(filters)} {order(walk, desc, 's.value', 's.run_uuid')} LIMIT ?"
        )
        return self._page(RUNS, page, [*values, limit], desc)

    def _unmetered_page(
        self,
        metric: str,
        clauses: list[str],
        params: list[Any],
        limit: int,
        total: int,
        lacking: int,
        desc: bool,
    ) -> list[sqlite3.Row]:
        """The runs without ``metric`` (``lacking`` of all runs), in id order."""
        lacks = (
            "NOT EXISTS (SELECT 1 FROM run_sort_metrics s WHERE s.run_uuid = r.uuid AND s.name = ?)"
        )
        gather = ("runs r", "r.uuid", [lacks, *clauses], [metric, *params])
        by_id = f"runs r INDEXED BY {RUNS.index('uuid')}"
        metricless = self._cached_count(
            ("metricless",), "SELECT count(*) FROM runs_without_metrics"
        )
        if metricless == lacking:
            # Every run without this metric has none at all. Those runs have a table of their
            # own, whose key order is page order, and the filter passes as large a share of
            # them as of all runs.
            walk = self._walks(RUNS, limit, total, total)
            source = f"runs_without_metrics m CROSS JOIN {by_id} ON r.uuid = m.run_uuid"
            plan = (source, "m.run_uuid", clauses, params) if walk else gather
        else:
            share = max(1, lacking * total // max(self.run_count(), 1))
            walk = self._walks(RUNS, limit, share, total)
            plan = (by_id, *gather[1:]) if walk else gather
        source, key, filters, values = plan
        page = (
            f"SELECT r.rowid AS id, NULL AS sort_value, r.uuid AS key FROM {source} "
            f"{where(filters)} {order(walk, desc, key)} LIMIT ?"
        )
        return self._page(RUNS, page, [*values, limit], desc)

    # ------------------------------------------------------------------------------------
    # Metrics and artifacts

    def add_metric(
        self, run_uuid: str, node_id: str, name: str, value: float, metric_format: str
    ) -> bool:
        """Store a metric unless (run, node, name) was reported before; True if stored."""
        cursor = self._execute(
            "INSERT OR IGNORE INTO metrics (run_uuid, node_id, name, number_value, format) "
            "VALUES (?, ?, ?, ?, ?)",
            (run_uuid, node_id, name, value, metric_format),
        )
        if cursor.rowcount != 1:
            return False
        self._execute(
            "INSERT OR IGNORE INTO run_sort_metrics VALUES (?, ?, ?)", (run_uuid, name, value)
        )
        self._execute("DELETE FROM runs_without_metrics WHERE run_uuid = ?", (run_uuid,))
        return True

    def metrics_of(self, run_uuids: Sequence[str]) -> dict[str, list[sqlite3.Row]]:
        """Metrics of the given runs, in the order they were reported."""
        result: dict[str, list[sqlite3.Row]] = {}
        for start in range(0, len(run_uuids), 500):
            chunk = run_uuids[start : start + 500]
            rows = self._execute(
                "SELECT run_uuid, name, node_id, number_value, format FROM metrics "
                f"WHERE run_uuid IN ({', '.join('?' * len(chunk))}) ORDER BY seq",
                chunk,
            )
            for row in rows:
                result.setdefault(row[0], []).append(row)
        return result

    def put_artifact(self, run_uuid: str, node_id: str, name: str, data: bytes) -> None:
        """Store (or replace) an artifact of a run's node."""
        self._execute(
            "INSERT OR REPLACE INTO artifacts VALUES (?, ?, ?, ?, "
            "(SELECT coalesce(max(seq), 0) + 1 FROM artifacts WHERE run_uuid = ?))",
            (run_uuid, node_id, name, data, run_uuid),
        )

    def artifact(self, run_uuid: str, node_id: str, name: str) -> bytes | None:
        """The bytes of an artifact, or None."""
        row = self._one(
            "SELECT data FROM artifacts WHERE run_uuid = ? AND node_id = ? AND name = ?",
            (run_uuid, node_id, name),
        )
        return None if row is None else bytes(row[0])

    def artifact_names(self, run_uuid: str) -> list[tuple[str, str]]:
        """(node_id, name) of every artifact of a run, in the order they were attached."""
        rows = self._execute(
            "SELECT node_id, name FROM artifacts WHERE run_uuid = ? ORDER BY seq", (run_uuid,)
        )
        return [(str(row[0]), str(row[1])) for row in rows]
