"""Listing queries, written once for every table: filters and reference keys as SQL
conditions, keyset paging, and the choice between walking an index and gathering matches.

A table that lists describes itself with a ``Table``; the listing layer (``../listing.py``)
hands ``list_rows`` its ``ListOptions`` and ``ReferenceKey``. Every column a listing sorts or
filters on leads an index (``listing_indexes``) that also holds every other such column (after
uuid, the tie-break of keyset paging), so a filter is checked on index entries and only the
page's own rows are read from the table.

The total is known before the page is looked for (an empty one needs no page query), and it
decides how: a walk reads the sort column's index in page order and stops when the page is
full, about page size x rows / matches entries when matches are spread evenly, so it wins when
many rows match; a gather reads the matches through the filter's own index and sorts them, so
it wins when few do (at 100,000 runs and pages of 100, the two meet near 3,000 matches). A
filter that bounds the sort column always walks, as a seek into the range, and so does one
that bounds no column, which no index could narrow. Either way no page costs more than one
pass over one index (about 10 ms per 100,000 runs) plus reading its rows.

``IS_SUBSTRING`` cannot seek in an ordinary index. Where SQLite has FTS5 with the trigram
tokenizer (3.34 and later, when FTS5 is compiled in; checked when the store opens), each
column a ``Table`` names in ``text_columns`` is also kept in a trigram index (a virtual table
``<table>_text``, kept by triggers), and a substring of three or more characters is looked up
there when the plan gathers, so that a substring few rows contain costs about as much as those
rows. FTS5 applies LIKE's own test to what the trigrams find, so the result is the same as
with LIKE. A walk, and any store without FTS5, tests LIKE on the index entries as before.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..listing import (
    EQUALS,
    GREATER_THAN,
    GREATER_THAN_EQUALS,
    IN,
    IS_SUBSTRING,
    LESS_THAN,
    LESS_THAN_EQUALS,
    NOT_EQUALS,
    Filter,
    ListOptions,
    ReferenceKey,
)
from .base import StoreBase

__all__ = ["Table", "TableListing", "listing_indexes"]

_SCALAR_SQL = {
    EQUALS: "=",
    NOT_EQUALS: "<>",
    GREATER_THAN: ">",
    GREATER_THAN_EQUALS: ">=",
    LESS_THAN: "<",
    LESS_THAN_EQUALS: "<=",
}
# Ops an index on the predicate's column can seek to; the others need a scan.
_SEEKABLE = frozenset({EQUALS, GREATER_THAN, GREATER_THAN_EQUALS, LESS_THAN, LESS_THAN_EQUALS, IN})
# A trigram index finds substrings of at least three characters; shorter ones scan it all.
_TRIGRAM = 3


@dataclass(frozen=True)
class Table:
    """How a table lists.

    ``columns`` maps each listed field's model name (``listing.Column.model``) to its column;
    ``fields`` are the columns a page's rows carry. ``reference_columns`` maps a reference type
    (by name) to the column holding the referenced id; ``references`` selects the ids of rows
    related to (type, id) for the other types. ``facets``, if set, is a table of row counts per
    combination of ``facet_columns`` (with a count column ``n``), kept by every write, so that
    a count on those columns alone sums a few rows; ``count_sql`` counts all rows.
    """

    name: str
    columns: Mapping[str, str]
    fields: tuple[str, ...]
    count_sql: str
    reference_columns: Mapping[str, str] = field(default_factory=dict)
    references: str | None = None
    facets: str | None = None
    facet_columns: tuple[str, ...] = ()
    text_columns: tuple[str, ...] = ()
    partition: str | None = None
    """A reference column every listing of the table is limited to one value of (versions:
    their pipeline). Each listing index then leads with it, so a page is a seek into one
    partition whatever the other partitions hold."""

    @property
    def text_table(self) -> str:
        """The trigram index of ``text_columns`` (an FTS5 table), where SQLite has one."""
        return f"{self.name}_text"

    @property
    def listed(self) -> tuple[str, ...]:
        """Every column a listing can sort or filter on, including the reference columns."""
        return tuple(
            dict.fromkeys(
                [*self.columns.values(), *self.facet_columns, *self.reference_columns.values()]
            )
        )

    def index(self, column: str) -> str:
        """The name of the listing index led by ``column`` (after the partition, if any; the
        partition's own order is that of its index on uuid)."""
        if column == self.partition:
            column = "uuid"
        return f"{self.name}_by_{column}"

    @property
    def select(self) -> str:
        """The page's columns, on the table as ``r``."""
        return ", ".join(f"r.{name}" for name in self.fields)


def listing_indexes(table: Table) -> dict[str, str]:
    """The listing indexes of ``table`` by name, with the statements that create them."""
    statements = {}
    lead = (table.partition,) if table.partition else ()
    for column in table.listed:
        if column == table.partition:
            continue  # the partition's index is the one on uuid
        keys = dict.fromkeys((*lead, column, "uuid"))
        covered = [*keys, *(name for name in table.listed if name not in keys)]
        statements[table.index(column)] = (
            f"CREATE INDEX {table.index(column)} ON {table.name} ({', '.join(covered)})"
        )
    return statements


def text_index(table: Table) -> tuple[str, dict[str, str]]:
    """The statement creating ``table``'s trigram index, and the triggers keeping it."""
    columns = ", ".join(table.text_columns)
    new = ", ".join(f"new.{column}" for column in table.text_columns)
    old = ", ".join(f"old.{column}" for column in table.text_columns)
    text = table.text_table
    create = (
        f"CREATE VIRTUAL TABLE {text} USING fts5({columns}, content='{table.name}', "
        "content_rowid='rowid', tokenize='trigram')"
    )
    remove = f"INSERT INTO {text} ({text}, rowid, {columns}) VALUES ('delete', old.rowid, {old});"
    add = f"INSERT INTO {text} (rowid, {columns}) VALUES (new.rowid, {new});"
    triggers = {
        f"{text}_added": (
            f"CREATE TRIGGER {text}_added AFTER INSERT ON {table.name} BEGIN {add} END"
        ),
        f"{text}_removed": (
            f"CREATE TRIGGER {text}_removed AFTER DELETE ON {table.name} BEGIN {remove} END"
        ),
        f"{text}_changed": (
            f"CREATE TRIGGER {text}_changed AFTER UPDATE OF {columns} ON {table.name} "
            f"BEGIN {remove} {add} END"
        ),
    }
    return create, triggers


def text_search_supported(connection: sqlite3.Connection) -> bool:
    """Whether this SQLite has FTS5 with the trigram tokenizer."""
    if sqlite3.sqlite_version_info < (3, 34, 0):
        return False
    try:
        connection.execute(
            "CREATE VIRTUAL TABLE temp.trigram_probe USING fts5(x, tokenize='trigram')"
        )
        connection.execute("DROP TABLE temp.trigram_probe")
    except sqlite3.Error:
        return False
    return True


def _uses_text_index(table: Table, column: str, value: object, text_search: bool) -> bool:
    return (
        text_search
        and column in table.text_columns
        and isinstance(value, str)
        and len(value) >= _TRIGRAM
    )


def conditions(
    table: Table,
    parsed: Filter | None,
    reference: ReferenceKey | None,
    *,
    text_search: bool = False,
) -> tuple[list[str], list[Any]]:
    """SQL conditions (on ``table`` as ``r``) for the filter and the reference key.

    ``text_search``: substrings are looked up in the table's trigram index where it has one.
    """
    clauses: list[str] = []
    params: list[Any] = []
    if reference is not None:
        column = table.reference_columns.get(reference.type)
        if column is not None:
            clauses.append(f"r.{column} = ?")
            params.append(reference.id)
        else:
            clauses.append(f"r.uuid IN ({table.references})")
            params.extend((reference.type, reference.id))
    for predicate in parsed.predicates if parsed else ():
        column = f"r.{table.columns[predicate.column.model]}"
        if predicate.op == IN:
            values = predicate.value
            assert isinstance(values, tuple)
            if not values:
                clauses.append("0")
            else:
                clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
                params.extend(values)
        elif predicate.op == IS_SUBSTRING:
            name = table.columns[predicate.column.model]
            if _uses_text_index(table, name, predicate.value, text_search):
                clauses.append(
                    f"r.rowid IN (SELECT rowid FROM {table.text_table} WHERE {name} LIKE ?)"
                )
            else:
                clauses.append(f"{column} LIKE ?")
            params.append(f"%{predicate.value}%")
        else:
            clauses.append(f"{column} {_SCALAR_SQL[predicate.op]} ?")
            params.append(predicate.value)
    return clauses, params


def seekable_columns(
    table: Table,
    parsed: Filter | None,
    reference: ReferenceKey | None,
    *,
    text_search: bool = False,
) -> set[str]:
    """The columns that ``conditions`` limit to values or ranges an index on them can seek
    to, rather than needing every entry checked (``rowid`` for a trigram index lookup)."""
    predicates = parsed.predicates if parsed else ()
    columns = {table.columns[p.column.model] for p in predicates if p.op in _SEEKABLE}
    for p in predicates:
        name = table.columns[p.column.model]
        if p.op == IS_SUBSTRING and _uses_text_index(table, name, p.value, text_search):
            columns.add("rowid")
    if reference is not None:
        columns.add(table.reference_columns.get(reference.type, "uuid"))
    return columns


def countable_by_facets(
    table: Table, parsed: Filter | None, reference: ReferenceKey | None
) -> bool:
    """Whether ``conditions`` only involve the facet columns (so the facet table, whose rows
    carry the counts per combination of them, can answer the count)."""
    if table.facets is None:
        return False
    if reference is not None and reference.type not in table.reference_columns:
        return False
    predicates = parsed.predicates if parsed else ()
    return all(table.columns[p.column.model] in table.facet_columns for p in predicates)


def where(clauses: Sequence[str]) -> str:
    """A WHERE clause AND-ing ``clauses`` (nothing for none)."""
    return "WHERE " + " AND ".join(clauses) if clauses else ""


def order(walk: bool, desc: bool, *keys: str) -> str:
    """ORDER BY ``keys``. For a gather each key gets a unary plus, which keeps SQLite from
    producing the order by walking an index: it then reads the filter's index and sorts."""
    plus = "" if walk else "+"
    direction = "DESC" if desc else "ASC"
    return "ORDER BY " + ", ".join(f"{plus}{key} {direction}" for key in keys)


class TableListing(StoreBase):
    """The listing queries of any ``Table``."""

    text_searched: ClassVar[tuple[Table, ...]] = ()
    """The tables whose ``text_columns`` get a trigram index where SQLite has FTS5."""

    def _open(self) -> None:
        self.text_search = text_search_supported(self._connection)
        super()._open()

    def _derived(self) -> dict[str, str]:
        derived = super()._derived()
        if self.text_search:
            for table in self.text_searched:
                derived.update(text_index(table)[1])
        return derived

    def _reconcile(self) -> None:
        # A trigram index is (re)built whenever its triggers were missing: it is new, or the
        # file was written by a SQLite without FTS5 (which dropped the triggers).
        stale = []
        if self.text_search:
            triggers = {
                str(row[0])
                for row in self._execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            }
            for table in self.text_searched:
                create, table_triggers = text_index(table)
                exists = self._one(
                    "SELECT 1 FROM sqlite_master WHERE name = ?", (table.text_table,)
                )
                if exists is None:
                    self._execute(create)
                if exists is None or not set(table_triggers) <= triggers:
                    stale.append(table)
        super()._reconcile()
        for table in stale:
            text = table.text_table
            self._execute(f"INSERT INTO {text} ({text}) VALUES ('rebuild')")

    def row_count(self, table: Table) -> int:
        """How many rows ``table`` holds."""
        return self._cached_count(("rows", table.name), table.count_sql)

    def list_rows(
        self, table: Table, options: ListOptions, reference: ReferenceKey | None
    ) -> tuple[list[sqlite3.Row], int]:
        """Up to page_size + 1 rows of the page sorted on a column, each with a
        ``sort_value``, and the total."""
        clauses, params = conditions(table, options.filter, reference, text_search=self.text_search)
        total = self._count(table, options, reference, clauses, params)
        if not total:
            return [], 0
        assert options.sort.column is not None
        column = table.columns[options.sort.column.model]
        limit = options.page_size + 1
        rows = self._column_page(table, column, options, reference, limit, total)
        return rows, total

    def _walks(
        self, table: Table, limit: int, matches: int, candidates: int, *, surely: bool = False
    ) -> bool:
        """Whether to walk an index in page order rather than gather the candidates and sort.

        A walk reads entries in page order until it has ``limit`` matches: about
        ``limit * rows / matches`` entries when matches are spread evenly. A gather reads the
        ``candidates`` (the rows that pass the filter) through the filter's own index and
        sorts them, at about the same cost per entry (SQLite's sorter keeps only the best
        ``limit``). Either way the filter is checked on index entries, not table rows.
        ``surely``: the caller knows the walk costs no more.
        """
        return surely or limit * self.row_count(table) <= matches * candidates

    def _page(
        self, table: Table, page_sql: str, params: Sequence[Any], desc: bool
    ) -> list[sqlite3.Row]:
        """The rows of a query yielding ``id`` (rowid), ``sort_value`` and ``key`` in page
        order. Only the page's rows are read from the table."""
        direction = "DESC" if desc else "ASC"
        sql = (
            f"SELECT {table.select}, page.sort_value FROM ({page_sql}) AS page "
            f"CROSS JOIN {table.name} r ON r.rowid = page.id "
            f"ORDER BY page.sort_value {direction}, page.key {direction}"
        )
        return list(self._execute(sql, params))

    def _column_page(
        self,
        table: Table,
        column: str,
        options: ListOptions,
        reference: ReferenceKey | None,
        limit: int,
        total: int,
    ) -> list[sqlite3.Row]:
        desc = options.sort.desc
        # When the filter bounds the sort column, the walk is a seek into its range; when it
        # bounds no column, a gather would read every entry too, without stopping early.
        seekable = seekable_columns(table, options.filter, reference, text_search=self.text_search)
        seekable.discard(table.partition or "")  # every index leads with the partition
        walk = self._walks(table, limit, total, total, surely=column in seekable or not seekable)
        # A walk tests substrings on its index entries; a gather finds them by trigrams.
        filters, values = conditions(
            table, options.filter, reference, text_search=self.text_search and not walk
        )
        if options.cursor is not None:
            filters.append(f"(r.{column}, r.uuid) {'<=' if desc else '>='} (?, ?)")
            values += [options.cursor.sort_value, options.cursor.key]
        source = f"{table.name} r INDEXED BY {table.index(column)}" if walk else f"{table.name} r"
        keys = dict.fromkeys((f"r.{column}", "r.uuid"))
        page = (
            f"SELECT r.rowid AS id, r.{column} AS sort_value, r.uuid AS key FROM {source} "
            f"{where(filters)} {order(walk, desc, *keys)} LIMIT ?"
        )
        return self._page(table, page, [*values, limit], desc)

    def _count(
        self,
        table: Table,
        options: ListOptions,
        reference: ReferenceKey | None,
        clauses: list[str],
        params: list[Any],
    ) -> int:
        if countable_by_facets(table, options.filter, reference):
            # The same conditions hold on the facet table, whose rows carry the counts.
            row = self._one(
                f"SELECT coalesce(sum(n), 0) FROM {table.facets} r {where(clauses)}", params
            )
            return 0 if row is None else int(row[0])
        sql = f"SELECT count(*) FROM {table.name} r {where(clauses)}"
        return self._cached_count((table.name, tuple(clauses), tuple(params)), sql, params)
