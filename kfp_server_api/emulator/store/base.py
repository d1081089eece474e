"""The store's connection, schema, locking and transactions, shared by every table module.

One connection serves all threads, guarded by a re-entrant lock: SQLite's own locking never
sees two writers, so concurrent clients never get "database is locked". ``:memory:`` keeps
everything in the process; a file path keeps it across restarts. A file database uses WAL
journaling, and every write is committed before the caller answers its client, so killing the
process loses no acknowledged write (an operating-system crash may lose the last ones, as
``synchronous=NORMAL`` allows).

Callers hold ``lock`` (``reading()``) or a transaction (``transaction()``) around each
operation; the methods themselves do not lock.

Whole-database operations go through SQLite's backup API, so they know no table by name and
cover every table a module adds: ``snapshot()`` copies the database into memory, ``restore()``
copies a ``Snapshot`` back over it, and ``reset()`` restores the image of a new, empty store of
the same class (built once per process), which is faster than emptying tables whose triggers
fire per row. Indexes, triggers, the trigram index and the kept counts travel with the pages,
so they stay consistent; the in-memory caches are dropped.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar

from ..dbfile import prepare_database_file

__all__ = ["Snapshot", "StoreBase", "StoreError", "grown_table"]

_COUNT_CACHE_SIZE = 256

SETTINGS_SCHEMA = "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"


def grown_table(create: str, table: str, added: Sequence[str]) -> tuple[str, str]:
    """A table that a migration grew by the columns ``added``: its CREATE statement as SQLite
    records it after ``ALTER TABLE ADD COLUMN`` (so that new and migrated databases have the
    same schema), and the migration's statements.

    ``create`` is the earlier CREATE TABLE statement, without its closing ``);``.
    """
    grown = create + "".join(f", {column}" for column in added) + ");\n"
    alter = "".join(f"ALTER TABLE {table} ADD COLUMN {column}; " for column in added)
    return grown, alter


class StoreError(RuntimeError):
    """The database file cannot be used (for example, a different schema version)."""


class Snapshot:
    """A copy of an emulator's whole stored state, kept in memory.

    ``Emulator.snapshot()`` takes one and ``Emulator.restore(snapshot)`` brings it back, any
    number of times, into that emulator or another of the same version (in memory or
    file-backed). It is opaque: its only use is to be restored. ``close()`` frees its memory
    early; garbage collection does too.
    """

    def __init__(self, image: sqlite3.Connection, schema_version: int, page_size: int) -> None:
        self._image: sqlite3.Connection | None = image
        self._lock = threading.Lock()
        self.schema_version = schema_version
        self.page_size = page_size

    @property
    def size(self) -> int:
        """Its size in bytes."""
        pages = self._opened().execute("PRAGMA page_count").fetchone()[0]
        return int(pages) * self.page_size

    def _opened(self) -> sqlite3.Connection:
        if self._image is None:
            raise ValueError("this snapshot is closed")
        return self._image

    def _copy_to(self, target: sqlite3.Connection) -> None:
        with self._lock:
            self._opened().backup(target)

    def close(self) -> None:
        """Free the copy; the snapshot cannot be restored afterwards."""
        with self._lock:
            if self._image is not None:
                self._image.close()
                self._image = None

    def __repr__(self) -> str:
        if self._image is None:
            return "Snapshot(closed)"
        return f"Snapshot({self.size} bytes)"


_EMPTY: dict[type[StoreBase], Snapshot] = {}
_EMPTY_LOCK = threading.Lock()


class StoreBase:
    """Connection, schema and transactions; ``Store`` adds each table's methods to it."""

    schema_version: ClassVar[int]
    schema: ClassVar[str]
    """Every CREATE TABLE statement, for a new database."""
    migrations: ClassVar[Mapping[int, str]]
    """The script that takes a database from each earlier schema version to the next."""
    derived: ClassVar[Mapping[str, str]]
    """Every index and trigger by name, with the statement that creates it. They hold nothing
    of their own, so a database is brought to exactly these when it is opened."""

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
        self._setup()
        try:
            self._open()
        except Exception:
            self._connection.close()
            raise

    def _setup(self) -> None:
        """Per-instance caches of the table modules; each extends it. It runs again whenever
        the content may differ from what they saw (a rollback, a restore), so it must set up
        only what can be read again from the database."""

    def _open(self) -> None:
        execute = self._connection.execute
        if self.path != ":memory:":
            execute("PRAGMA journal_mode=WAL")
            execute("PRAGMA synchronous=NORMAL")
        version = execute("PRAGMA user_version").fetchone()[0]
        has_tables = execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if version == 0 and not has_tables:
            self._connection.executescript(
                f"BEGIN; {self.schema} PRAGMA user_version={self.schema_version}; COMMIT;"
            )
            version = self.schema_version
        while version in self.migrations:
            self._connection.executescript(
                f"BEGIN; {self.migrations[version]} PRAGMA user_version={version + 1}; COMMIT;"
            )
            version += 1
        if version != self.schema_version:
            raise StoreError(
                f"{self.path} is not an emulator database of schema version {self.schema_version}"
            )
        self._reconcile()

    def _reconcile(self) -> None:
        """Make the indexes and triggers exactly those of ``derived``: a file written by an
        earlier version gets the current ones (built once, on open)."""
        derived = self._derived()
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
            if derived.get(name) != sql
        ]
        missing = [
            f"{sql}; " for name, sql in derived.items() if existing.get(name, ("", ""))[1] != sql
        ]
        if stale or missing:
            self._connection.executescript(f"BEGIN; {''.join(stale + missing)}COMMIT;")

    def _derived(self) -> dict[str, str]:
        """The indexes and triggers this database should have (``derived``, and any that
        depend on what this SQLite supports)."""
        return dict(self.derived)

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
                self._setup()
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
    # Whole-database operations

    def snapshot(self) -> Snapshot:
        """A copy of the whole database, in memory."""
        image = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        with self.lock:
            self._check_idle("snapshot")
            # An in-memory copy must have the pages' size from the start.
            page_size = self._page_size()
            image.execute(f"PRAGMA page_size = {page_size}")
            self._connection.backup(image)
        return Snapshot(image, self.schema_version, page_size)

    def restore(self, snapshot: Snapshot) -> None:
        """Replace the whole database by ``snapshot``'s copy."""
        if not isinstance(snapshot, Snapshot):
            raise TypeError(f"expected a Snapshot, got {type(snapshot).__name__}")
        if snapshot.schema_version != self.schema_version:
            raise ValueError(
                f"the snapshot has schema version {snapshot.schema_version}; this store has "
                f"{self.schema_version}"
            )
        with self.lock:
            self._check_idle("restore")
            if snapshot.page_size != self._page_size() and self.path == ":memory:":
                raise ValueError(
                    f"the snapshot's pages are {snapshot.page_size} bytes, this in-memory "
                    f"store's {self._page_size()}: restore it into a file-backed emulator"
                )
            empty = self._empty()
            try:
                # Copying over a full database keeps each page it overwrites for a rollback;
                # emptying it first costs a few milliseconds and makes the copy several times
                # faster.
                if snapshot is not empty:
                    self._copy(empty)
                self._copy(snapshot)
            finally:
                # Whatever was copied, no cached fact about the old content is true any more.
                self._setup()
                self._changed()

    def _copy(self, snapshot: Snapshot) -> None:
        resized = snapshot.page_size != self._page_size()
        if resized:
            # SQLite copies pages of another size only into a rollback-journal file.
            self._connection.execute("PRAGMA journal_mode=DELETE")
        try:
            snapshot._copy_to(self._connection)
        finally:
            if resized:
                self._connection.execute("PRAGMA journal_mode=WAL")

    def reset(self) -> None:
        """Make the database what a new store's is: every table empty."""
        self.restore(self._empty())

    def _empty(self) -> Snapshot:
        with _EMPTY_LOCK:
            empty = _EMPTY.get(type(self))
            if empty is None:
                store = type(self)(":memory:")
                try:
                    empty = _EMPTY[type(self)] = store.snapshot()
                finally:
                    store.close()
        return empty

    def _page_size(self) -> int:
        return int(self._connection.execute("PRAGMA page_size").fetchone()[0])

    def _check_idle(self, operation: str) -> None:
        if self._depth:
            raise RuntimeError(f"cannot {operation} the store inside a transaction")

    # ------------------------------------------------------------------------------------
    # Settings

    def setting(self, key: str) -> str | None:
        """A stored setting, or None."""
        row = self._one("SELECT value FROM settings WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting."""
        self._execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (key, value))
