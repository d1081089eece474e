"""SQLite storage of runs, metrics, artifacts, experiments, jobs and pipelines.

One connection serves all threads, guarded by a re-entrant lock: SQLite's own locking never
sees two writers, so concurrent clients never get "database is locked". ``:memory:`` keeps
everything in the process; a file path keeps it across restarts. A file database uses WAL
journaling, and every write is committed before the caller answers its client, so killing the
process loses no acknowledged write (an operating-system crash may lose the last ones, as
``synchronous=NORMAL`` allows).

Listing stays cheap as the table grows:

- each column a listing sorts or filters on leads an index that also holds every other such
  column (after uuid, the tie-break of keyset paging), so a filter is checked on index entries
  and only the page's own rows are read from the table;
- the total is known before the page is looked for (an empty one needs no page query), and it
  decides how: a walk reads the sort column's index in page order and stops when the page is
  full, about page size x runs / matches entries when matches are spread evenly, so it wins
  when many runs match; a gather reads the matches through the filter's own index and sorts
  them, so it wins when few do (at 100,000 runs and pages of 100, the two meet near 3,000
  matches). A filter that bounds the sort column always walks, as a seek into the range, and
  so does one that bounds no column, which no index could narrow. Either way no page costs
  more than one pass over one index (about 10 ms per 100,000 runs) plus reading its rows;
- a metric sort likewise walks the metric's values in order, looking each run up, or gathers
  the matching runs and looks up each one's value. Runs without the metric are looked for only
  if the count of its values (cached until the next write) says some run lacks it, and when
  those are just the runs without any metric, in the table kept of them;
- run counts are kept per combination of experiment, namespace, status and storage state,
  updated with every write, so ``total_size`` of a listing filtered only on those (or not at
  all) sums a handful of rows instead of counting runs; other counts are cached until the
  next write;
- manifests are stored once per distinct text and shared by runs.

What remains proportional to the number of runs: a substring filter cannot seek, so one that
few runs pass costs a pass over an index (per page, and to count it after each write); a metric
that a few runs lack although they have other metrics is found missing by probing every run
(on the first page ascending, the last descending). Covering indexes make a store about half
as large again as indexes on the sort keys alone would, and bulk inserts about a third slower.

Callers hold ``lock`` (``reading()``) or a transaction (``transaction()``) around each
operation; the methods themselves do not lock.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from .dbfile import prepare_database_file
from .listing import (
    COLUMNS,
    ListOptions,
    ReferenceKey,
    conditions,
    countable_by_facets,
    seekable_columns,
)

__all__ = ["SCHEMA_VERSION", "Store", "StoreError"]

SCHEMA_VERSION = 2

# Runs that have no metric at all, so that a metric sort can find the runs without its metric
# without probing every run. Kept by insert_runs and add_metric (and a trigger on delete).
_METRICLESS = "CREATE TABLE runs_without_metrics (run_uuid TEXT PRIMARY KEY) WITHOUT ROWID"

# The tables. Their indexes and triggers are in _DERIVED.
_SCHEMA = f"""
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE experiments (
    uuid TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
    namespace TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE jobs (uuid TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE pipelines (
    uuid TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
    created_at INTEGER NOT NULL, default_version_id TEXT NOT NULL);
CREATE TABLE pipeline_versions (
    uuid TEXT PRIMARY KEY, pipeline_id TEXT NOT NULL, name TEXT NOT NULL,
    created_at INTEGER NOT NULL, manifest_id INTEGER NOT NULL);
CREATE TABLE manifests (
    id INTEGER PRIMARY KEY, digest TEXT NOT NULL UNIQUE, text TEXT NOT NULL,
    quoted TEXT NOT NULL);
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

_MIGRATIONS = {
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
_RUN_SELECT = ", ".join(f"r.{name}" for name in RUN_FIELDS)
_RUN_INSERT = (
    f"INSERT INTO runs ({', '.join(RUN_FIELDS)}) VALUES ({', '.join('?' * len(RUN_FIELDS))})"
)

FACETS = ("experiment_id", "namespace", "status", "storage_state")
"""Run columns whose combinations are counted, so that listings filtered on them count fast."""
_FACET_SET = frozenset(FACETS)
_FACET_INDEXES = tuple(RUN_FIELDS.index(name) for name in FACETS)
_UUID_INDEX = RUN_FIELDS.index("uuid")

# Every run column a listing can sort or filter on: the API's fields, and the columns that
# resource_reference_key selects by.
_LISTED = tuple(dict.fromkeys([*(column.sql for column in COLUMNS.values()), *FACETS]))


def _listing_index(column: str) -> str:
    """The name of the listing index led by ``column``."""
    return f"runs_by_{column}"


def _listing_index_sql(column: str) -> str:
    keys = dict.fromkeys((column, "uuid"))
    covered = [*keys, *(name for name in _LISTED if name not in keys)]
    return f"CREATE INDEX {_listing_index(column)} ON runs ({', '.join(covered)})"


def _trigger(name: str, event: str, *statements: str) -> str:
    return f"CREATE TRIGGER {name} {event} BEGIN {' '.join(f'{s};' for s in statements)} END"


_DERIVED = {
    **{_listing_index(column): _listing_index_sql(column) for column in _LISTED},
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
"""Every index and trigger by name, with the statement that creates it. They hold nothing of
their own, so a database is brought to exactly these when it is opened."""

_MANIFEST_CACHE_SIZE = 512
_COUNT_CACHE_SIZE = 256


class StoreError(RuntimeError):
    """The database file cannot be used (for example, a different schema version)."""


class Store:
    """The emulator's database. See the module docstring for the locking contract."""

    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self.lock = threading.RLock()
        prepare_database_file(path)
        self._connection = sqlite3.connect(
            path, check_same_thread=False, isolation_level=None, timeout=30.0
        )
        self._connection.row_factory = sqlite3.Row
        self._depth = 0
        self._generation = 0
        self._count_cache: OrderedDict[tuple[Any, ...], int] = OrderedDict()
        self._manifest_cache: OrderedDict[int, str] = OrderedDict()
        self._manifest_ids: dict[str, int] = {}
        try:
            self._open()
        except Exception:
            self._connection.close()
            raise

    def _open(self) -> None:
        execute = self._connection.execute
        if self.path != ":memory:":
            execute("PRAGMA journal_mode=WAL")
            execute("PRAGMA synchronous=NORMAL")
        version = execute("PRAGMA user_version").fetchone()[0]
        has_tables = execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if version == 0 and not has_tables:
            self._connection.executescript(
                f"BEGIN; {_SCHEMA} PRAGMA user_version={SCHEMA_VERSION}; COMMIT;"
            )
            version = SCHEMA_VERSION
        while version in _MIGRATIONS:
            self._connection.executescript(
                f"BEGIN; {_MIGRATIONS[version]} PRAGMA user_version={version + 1}; COMMIT;"
            )
            version += 1
        if version != SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} is not an emulator database of schema version {SCHEMA_VERSION}"
            )
        self._reconcile()

    def _reconcile(self) -> None:
        """Make the indexes and triggers exactly those of ``_DERIVED``: a file written by an
        earlier version gets the current ones (built once, on open)."""
        existing = {
            name: (kind, sql)
            for kind, name, sql in self._connection.execute(
                "SELECT type, name, sql FROM sqlite_master "
                "WHERE type IN ('index', 'trigger') AND sql IS NOT NULL"
            )
        }
        stale = [
            f"DROP {kind.upper()} {name}; "
            for name, (kind, sql) in existing.items()
            if _DERIVED.get(name) != sql
        ]
        missing = [
            f"{sql}; " for name, sql in _DERIVED.items() if existing.get(name, ("", ""))[1] != sql
        ]
        if stale or missing:
            self._connection.executescript(f"BEGIN; {''.join(stale + missing)}COMMIT;")

    def close(self) -> None:
        """Close the database connection."""
        with self.lock:
            self._connection.close()

    # ------------------------------------------------------------------------------------
    # Locking and transactions

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Hold the store for a read-only operation."""
        with self.lock:
            yield

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the store and run the body in one transaction, committed before returning."""
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._connection.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._depth = 0
                self._connection.execute("ROLLBACK")
                self._changed()
                raise
            self._depth = 0
            self._connection.execute("COMMIT")
            self._changed()

    def _changed(self) -> None:
        self._generation += 1
        self._count_cache.clear()

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self._connection.execute(sql, params)

    def _one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self._connection.execute(sql, params).fetchone()
        return row

    # ------------------------------------------------------------------------------------
    # Settings, experiments, jobs, pipelines

    def setting(self, key: str) -> str | None:
        """A stored setting, or None."""
        row = self._one("SELECT value FROM settings WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting."""
        self._execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (key, value))

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

    def add_job(self, uuid: str, name: str, created_at: int) -> None:
        """Store a job (a recurring run) so that JOB references resolve."""
        self._execute("INSERT INTO jobs VALUES (?, ?, ?)", (uuid, name, created_at))

    def job(self, uuid: str) -> sqlite3.Row | None:
        """The job with this id, or None."""
        return self._one("SELECT * FROM jobs WHERE uuid = ?", (uuid,))

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

    # ------------------------------------------------------------------------------------
    # Manifests

    def intern_manifest(self, text: str) -> int:
        """The id of a stored manifest with this text, storing it on first use."""
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        known = self._manifest_ids.get(digest)
        if known is not None:
            return known
        row = self._one("SELECT id FROM manifests WHERE digest = ?", (digest,))
        if row is None:
            quoted = _quote(text)
            cursor = self._execute(
                "INSERT INTO manifests (digest, text, quoted) VALUES (?, ?, ?)",
                (digest, text, quoted),
            )
            manifest_id = int(cursor.lastrowid or 0)
        else:
            manifest_id = int(row[0])
        if len(self._manifest_ids) < 4096:
            self._manifest_ids[digest] = manifest_id
        return manifest_id

    def manifest_text(self, manifest_id: int) -> str:
        """The text of a stored manifest."""
        row = self._one("SELECT text FROM manifests WHERE id = ?", (manifest_id,))
        return "" if row is None else str(row[0])

    def manifest_quoted(self, manifest_id: int) -> str:
        """The manifest as a JSON string literal, ready to embed in a response."""
        cached = self._manifest_cache.get(manifest_id)
        if cached is not None:
            self._manifest_cache.move_to_end(manifest_id)
            return cached
        row = self._one("SELECT quoted FROM manifests WHERE id = ?", (manifest_id,))
        quoted = '""' if row is None else str(row[0])
        self._manifest_cache[manifest_id] = quoted
        if len(self._manifest_cache) > _MANIFEST_CACHE_SIZE:
            self._manifest_cache.popitem(last=False)
        return quoted

    # ------------------------------------------------------------------------------------
    # Runs

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
        return self._one(f"SELECT {_RUN_SELECT} FROM runs r WHERE r.uuid = ?", (uuid,))

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
        row = self._one("SELECT coalesce(sum(n), 0) FROM run_facets")
        return 0 if row is None else int(row[0])

    # ------------------------------------------------------------------------------------
    # Listing

    def list_runs(
        self, options: ListOptions, reference: ReferenceKey | None
    ) -> tuple[list[sqlite3.Row], int]:
        """Up to page_size + 1 runs of the page, each with a ``sort_value``, and the total."""
        clauses, params = conditions(options.filter, reference)
        total = self._count(options, reference, clauses, params)
        if not total:
            return [], 0
        limit = options.page_size + 1
        sort = options.sort
        column = sort.column.sql if sort.column is not None else None
        if column is not None:
            rows = self._column_page(column, options, reference, clauses, params, limit, total)
            return rows, total
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

    def _walks(self, limit: int, matches: int, candidates: int, *, surely: bool = False) -> bool:
        """Whether to walk an index in page order rather than gather the candidates and sort.

        A walk reads entries in page order until it has ``limit`` matches: about
        ``limit * runs / matches`` entries when matches are spread evenly. A gather reads the
        ``candidates`` (the runs that pass the filter) through the filter's own index and
        sorts them, at about the same cost per entry (SQLite's sorter keeps only the best
        ``limit``). Either way the filter is checked on index entries, not table rows.
        ``surely``: the caller knows the walk costs no more.
        """
        return surely or limit * self.run_count() <= matches * candidates

    def _page(self, page_sql: str, params: Sequence[Any], desc: bool) -> list[sqlite3.Row]:
        """The runs of a query yielding ``id`` (rowid), ``sort_value`` and ``key`` in page
        order. Only the page's rows are read from the table."""
        direction = "DESC" if desc else "ASC"
        sql = (
            f"SELECT {_RUN_SELECT}, page.sort_value FROM ({page_sql}) AS page "
            f"CROSS JOIN runs r ON r.rowid = page.id "
            f"ORDER BY page.sort_value {direction}, page.key {direction}"
        )
        return list(self._execute(sql, params))

    def _column_page(
        self,
        column: str,
        options: ListOptions,
        reference: ReferenceKey | None,
        clauses: list[str],
        params: list[Any],
        limit: int,
        total: int,
    ) -> list[sqlite3.Row]:
        desc = options.sort.desc
        where = list(clauses)
        values = list(params)
        if options.cursor is not None:
            where.append(f"(r.{column}, r.uuid) {'<=' if desc else '>='} (?, ?)")
            values += [options.cursor.sort_value, options.cursor.key]
        # When the filter bounds the sort column, the walk is a seek into its range; when it
        # bounds no column, a gather would read every entry too, without stopping early.
        seekable = seekable_columns(options.filter, reference)
        walk = self._walks(limit, total, total, surely=column in seekable or not seekable)
        source = f"runs r INDEXED BY {_listing_index(column)}" if walk else "runs r"
        keys = dict.fromkeys((f"r.{column}", "r.uuid"))
        page = (
            f"SELECT r.rowid AS id, r.{column} AS sort_value, r.uuid AS key FROM {source} "
            f"{_where(where)} {_order(walk, desc, *keys)} LIMIT ?"
        )
        return self._page(page, [*values, limit], desc)

    def _metric_page(
        self,
        options: ListOptions,
        clauses: list[str],
        params: list[Any],
        limit: int,
        total: int,
    ) -> list[sqlite3.Row]:
        desc = options.sort.desc
        where = ["s.name = ?", *clauses]
        values: list[Any] = [options.sort.metric, *params]
        if options.cursor is not None:
            where.append(f"(s.value, s.run_uuid) {'<=' if desc else '>='} (?, ?)")
            values += [options.cursor.sort_value, options.cursor.key]
        # The walk reads the metric's values in order and looks each run up; the gather reads
        # the runs that pass the filter and looks each one's value up.
        walk = self._walks(limit, total, total)
        source = (
            "run_sort_metrics s INDEXED BY run_sort_metrics_by_value "
            f"CROSS JOIN runs r INDEXED BY {_listing_index('uuid')} ON r.uuid = s.run_uuid"
            if walk
            else "runs r CROSS JOIN run_sort_metrics s ON s.run_uuid = r.uuid"
        )
        page = (
            f"SELECT r.rowid AS id, s.value AS sort_value, s.run_uuid AS key FROM {source} "
            f"{_where(where)} {_order(walk, desc, 's.value', 's.run_uuid')} LIMIT ?"
        )
        return self._page(page, [*values, limit], desc)

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
        by_id = f"runs r INDEXED BY {_listing_index('uuid')}"
        metricless = self._cached_count(
            ("metricless",), "SELECT count(*) FROM runs_without_metrics"
        )
        if metricless == lacking:
            # Every run without this metric has none at all. Those runs have a table of their
            # own, whose key order is page order, and the filter passes as large a share of
            # them as of all runs.
            walk = self._walks(limit, total, total)
            source = f"runs_without_metrics m CROSS JOIN {by_id} ON r.uuid = m.run_uuid"
            plan = (source, "m.run_uuid", clauses, params) if walk else gather
        else:
            share = max(1, lacking * total // max(self.run_count(), 1))
            walk = self._walks(limit, share, total)
            plan = (by_id, *gather[1:]) if walk else gather
        source, key, where, values = plan
        page = (
            f"SELECT r.rowid AS id, NULL AS sort_value, r.uuid AS key FROM {source} "
            f"{_where(where)} {_order(walk, desc, key)} LIMIT ?"
        )
        return self._page(page, [*values, limit], desc)

    def _count(
        self,
        options: ListOptions,
        reference: ReferenceKey | None,
        clauses: list[str],
        params: list[Any],
    ) -> int:
        if countable_by_facets(options.filter, reference, FACETS):
            # The same conditions hold on the facet table, whose rows carry the counts.
            row = self._one(
                f"SELECT coalesce(sum(n), 0) FROM run_facets r {_where(clauses)}", params
            )
            return 0 if row is None else int(row[0])
        sql = f"SELECT count(*) FROM runs r {_where(clauses)}"
        return self._cached_count((tuple(clauses), tuple(params)), sql, params)

    def _cached_count(self, key: tuple[Any, ...], sql: str, params: Sequence[Any] = ()) -> int:
        """The count ``sql`` selects, kept under ``key`` until the next write."""
        cached = self._count_cache.get(key)
        if cached is not None:
            return cached
        row = self._one(sql, params)
        count = 0 if row is None else int(row[0])
        self._count_cache[key] = count
        if len(self._count_cache) > _COUNT_CACHE_SIZE:
            self._count_cache.popitem(last=False)
        return count

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


def _where(clauses: Sequence[str]) -> str:
    return "WHERE " + " AND ".join(clauses) if clauses else ""


def _order(walk: bool, desc: bool, *keys: str) -> str:
    """ORDER BY ``keys``. For a gather each key gets a unary plus, which keeps SQLite from
    producing the order by walking an index: it then reads the filter's index and sorts."""
    plus = "" if walk else "+"
    direction = "DESC" if desc else "ASC"
    return "ORDER BY " + ", ".join(f"{plus}{key} {direction}" for key in keys)


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
