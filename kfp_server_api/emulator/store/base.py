"""The store's connection, schema, locking and transactions, shared by every table module.

One connection serves all threads, guarded by a re-entrant lock: SQLite's own locking never
sees two writers, so concurrent clients never get "database is locked". ``:memory:`` keeps
everything in the process; a file path keeps it across restarts. A file database uses WAL
journaling, and every write is committed before the caller answers its client, so killing the
process loses no acknowledged write (an operating-system crash may lose the last ones, as
``synchronous=NORMAL`` allows).

Callers hold ``lock`` (``reading()``) or a transaction (``transaction()``) around each
operation; the methods themselves do not lock.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar

from ..dbfile import prepare_database_file

__all__ = ["StoreBase", "StoreError", "grown_table"]

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
        """Per-instance state of the table modules (caches); each extends it."""

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
    # Settings

    def setting(self, key: str) -> str | None:
        """A stored setting, or None."""
        row = self._one("SELECT value FROM settings WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting."""
        self._execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (key, value))
