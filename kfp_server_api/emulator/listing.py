"""list_runs: query parameters, the ``filter`` JSON, ``sort_by``, page tokens and keyset SQL.

The stages and their errors follow the real server:

1. The gateway reads the query string (``parse_query``): ``page_size`` is an int32 parsed like
   Go's ``strconv.ParseInt(s, 0, 32)``, ``resource_reference_key.type`` an enum name or number.
   Failures are gateway errors (400, no details).
2. ``list_options`` builds the listing options; its errors are wrapped in
   ``Failed to create list options``. Without a page token: filter JSON, page size, sort_by
   format, sort field, filter keys and predicates. With a token: page size, token, then (only
   if ``sort_by`` or ``filter`` is also sent) a check that they equal the token's.
3. ``reference_key`` validates ``resource_reference_key`` (``Validating filter failed.``).

Paging is keyset (seek) paging: a page token names the first row of the next page by its sort
value and id, and the next query asks for rows at or after that pair in index order, so a page
costs the same wherever it is and never uses OFFSET. ``page_size`` + 1 rows are fetched; only
when the extra row exists is a token returned, so there is never an empty trailing page.

A page token is standard base64 of JSON with the keys the real server uses (``SortByFieldName``,
``SortByFieldValue``, ``KeyFieldName``, ``KeyFieldValue``, ``IsDesc``, ``Filter``, ...). It is
opaque to clients.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Union

from . import errors
from .errors import ApiError
from .protojson import (
    INT64_MAX,
    INT64_MIN,
    DecodeError,
    Message,
    decode_message,
    enum_name,
    format_timestamp,
    go_quote,
    load_json,
    parse_go_int,
    query_unescape,
)

__all__ = [
    "COLUMNS",
    "Column",
    "Cursor",
    "Filter",
    "ListOptions",
    "ListRunsQuery",
    "Predicate",
    "ReferenceKey",
    "SortOrder",
    "encode_page_token",
    "list_options",
    "parse_query",
    "reference_key",
]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 200
MAX_FILTER_VALUES = 500
"""Most values one filter may hold (each predicate's value, each value of an IN list): the
store's query language bounds the size of a query (the real server has no such limit)."""
MAX_SUBSTRING_BYTES = 49_998
"""Longest IS_SUBSTRING value, in UTF-8 bytes: the longest pattern the store can match."""

SqlValue = Union[int, float, str]


@dataclass(frozen=True)
class Column:
    """A sortable and filterable run field: API name, the real server's column name, ours."""

    api: str
    model: str
    sql: str
    integer: bool


COLUMNS: dict[str, Column] = {
    column.api: column
    for column in (
        Column("id", "UUID", "uuid", integer=False),
        Column("name", "DisplayName", "name", integer=False),
        Column("created_at", "CreatedAtInSec", "created_at", integer=True),
        Column("description", "Description", "description", integer=False),
        Column("scheduled_at", "ScheduledAtInSec", "scheduled_at", integer=True),
        Column("storage_state", "StorageState", "storage_state", integer=False),
        Column("status", "Conditions", "status", integer=False),
    )
}
_COLUMNS_BY_MODEL = {column.model: column for column in COLUMNS.values()}
_DEFAULT_SORT = COLUMNS["created_at"]
_METRIC_PREFIX = "metric:"

# Predicate.Op numbers, and the SQL comparison of the scalar ones.
EQUALS, NOT_EQUALS, GREATER_THAN, GREATER_THAN_EQUALS = 1, 2, 3, 5
LESS_THAN, LESS_THAN_EQUALS, IN, IS_SUBSTRING = 6, 7, 8, 9
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
# The Go type names the server's messages show for each oneof member of Predicate.value.
_VALUE_TYPES = {
    "int_value": "*api.Predicate_IntValue",
    "long_value": "*api.Predicate_LongValue",
    "string_value": "*api.Predicate_StringValue",
    "timestamp_value": "*api.Predicate_TimestampValue",
    "int_values": "*api.Predicate_IntValues",
    "string_values": "*api.Predicate_StringValues",
    "long_values": "*api.Predicate_LongValues",
}
_ARRAY_MEMBERS = ("int_values", "string_values", "long_values")
# The filter-map keys of the real token's Filter, by op.
_TOKEN_FILTER_MAPS = {
    EQUALS: "EQ",
    NOT_EQUALS: "NEQ",
    GREATER_THAN: "GT",
    GREATER_THAN_EQUALS: "GTE",
    LESS_THAN: "LT",
    LESS_THAN_EQUALS: "LTE",
    IN: "IN",
    IS_SUBSTRING: "SUBSTRING",
}

_CREATE_OPTIONS = "Failed to create list options"
_VALIDATE_FILTER = "Validating filter failed."
_INVALID_TOKEN = "Invalid package token."


# --------------------------------------------------------------------------------------------
# Parsed forms


@dataclass(frozen=True)
class Predicate:
    """One filter predicate on a column: an op and a scalar or a tuple of values."""

    column: Column
    op: int
    value: SqlValue | tuple[SqlValue, ...]


@dataclass(frozen=True)
class Filter:
    """A parsed filter: its predicates (AND-ed) and the filter as canonical JSON."""

    predicates: tuple[Predicate, ...]
    proto_json: str


@dataclass(frozen=True)
class SortOrder:
    """Sort by a column, or by the value of a metric (``column`` is None then)."""

    column: Column | None
    metric: str
    desc: bool

    @property
    def field_name(self) -> str:
        """The name the page token carries."""
        return self.column.model if self.column else _METRIC_PREFIX + self.metric


@dataclass(frozen=True)
class Cursor:
    """The first row of the next page: its sort value and its id."""

    sort_value: SqlValue
    key: str


@dataclass(frozen=True)
class ListOptions:
    """Everything that decides which page of runs is returned."""

    page_size: int
    sort: SortOrder
    filter: Filter | None
    cursor: Cursor | None


@dataclass(frozen=True)
class ReferenceKey:
    """``resource_reference_key``: only runs related to this resource."""

    type: str
    id: str


@dataclass(frozen=True)
class ListRunsQuery:
    """The list_runs request after the gateway read the query string."""

    page_token: str = ""
    page_size: int = 0
    sort_by: str = ""
    filter: str = ""
    reference_type: int | None = None
    reference_id: str | None = None


# --------------------------------------------------------------------------------------------
# Stage 1: the gateway


_QUERY_FIELDS = {
    "page_token": "page_token",
    "pageToken": "page_token",
    "page_size": "page_size",
    "pageSize": "page_size",
    "sort_by": "sort_by",
    "sortBy": "sort_by",
    "filter": "filter",
    "resource_reference_key.type": "reference_type",
    "resourceReferenceKey.type": "reference_type",
    "resource_reference_key.id": "reference_id",
    "resourceReferenceKey.id": "reference_id",
}


def parse_query(raw_query: str) -> ListRunsQuery:
    """Read list_runs' query string as grpc-gateway does. Raises gateway ApiErrors."""
    values: dict[str, Any] = {}
    for pair in raw_query.split("&"):
        if not pair:
            continue
        raw_key, _, raw_value = pair.partition("=")
        try:
            key = query_unescape(raw_key)
            value = query_unescape(raw_value)
        except ValueError as exc:
            raise errors.gateway_error(str(exc)) from None
        field = _QUERY_FIELDS.get(key)
        if field is None or field in values:  # unknown parameters are ignored; first value wins
            continue
        if field == "page_size":
            try:
                values[field] = parse_go_int(value, 32)
            except ValueError as exc:
                raise errors.gateway_error(str(exc)) from None
        elif field == "reference_type":
            values[field] = _parse_resource_type(value)
        else:
            values[field] = value
    return ListRunsQuery(**values)


def _parse_resource_type(text: str) -> int:
    numbers = {"UNKNOWN_RESOURCE_TYPE": 0, "EXPERIMENT": 1, "JOB": 2, "PIPELINE": 3}
    numbers.update({"PIPELINE_VERSION": 4, "NAMESPACE": 5})
    if text in numbers:
        return numbers[text]
    try:
        number = parse_go_int(text, 32)
    except ValueError:
        number = -1
    if number in numbers.values():
        return number
    raise errors.gateway_error(f"{text} is not a valid api.ResourceType")


# --------------------------------------------------------------------------------------------
# Stage 2: listing options


def list_options(query: ListRunsQuery) -> ListOptions:
    """Validate paging, sorting and filtering. Raises ApiError (400) as the server does."""
    try:
        return _list_options(query)
    except ApiError as exc:
        raise exc.wrap(_CREATE_OPTIONS) from None


def _list_options(query: ListRunsQuery) -> ListOptions:
    if not query.page_token:
        return _fresh_options(query)
    page_size = _page_size(query.page_size)
    options = _decode_page_token(query.page_token, page_size)
    if query.sort_by or query.filter:
        supplied = _fresh_options(query)
        if supplied.sort != options.sort or _filter_key(supplied.filter) != _filter_key(
            options.filter
        ):
            raise errors.invalid_input(
                "page token does not match the supplied sort by and/or filtering criteria. "
                "Either specify the same criteria or leave the latter empty if page token is "
                "specified."
            )
    return options


def _fresh_options(query: ListRunsQuery) -> ListOptions:
    message = _parse_filter_json(query.filter) if query.filter else None
    page_size = _page_size(query.page_size)
    sort = _parse_sort_by(query.sort_by)
    parsed = _filter_from_message(message) if message is not None else None
    return ListOptions(page_size, sort, parsed, None)


def _page_size(page_size: int) -> int:
    if page_size < 0:
        # The server formats the number with Go's %q, which prints a negative int as U+FFFD.
        raise errors.invalid_input("The page size should be greater than 0. Got '\ufffd'")
    if page_size == 0:
        return DEFAULT_PAGE_SIZE
    return min(page_size, MAX_PAGE_SIZE)


def _parse_sort_by(sort_by: str) -> SortOrder:
    words = sort_by.lower().split()
    if len(words) > 2 or (len(words) == 2 and words[1] not in ("asc", "desc")):
        raise errors.invalid_input(
            f"Received invalid sort by format {go_quote(sort_by)}. Supported format: "
            '"field_name", "field_name desc", or "field_name asc"'
        )
    desc = len(words) == 2 and words[1] == "desc"
    if not words:
        return SortOrder(_DEFAULT_SORT, "", desc)
    field = words[0]
    if field.startswith(_METRIC_PREFIX):
        return SortOrder(None, field[len(_METRIC_PREFIX) :], desc)
    column = COLUMNS.get(field)
    if column is None:
        raise errors.invalid_input(f"Invalid sorting field: {go_quote(field)} on listable type Run")
    return SortOrder(column, "", desc)


def _parse_filter_json(encoded: str) -> Message:
    def failure(reason: str) -> ApiError:
        return errors.invalid_input(
            f"failed to parse valid filter from {go_quote(encoded)}: {reason}"
        )

    try:
        decoded = query_unescape(encoded)
    except ValueError as exc:
        raise failure(str(exc)) from None
    try:
        return decode_message("api.Filter", load_json(decoded), allow_unknown=False)
    except DecodeError as exc:
        raise failure(str(exc)) from None


def _filter_from_message(message: Message) -> Filter:
    raw_predicates: list[Message] = message.get("predicates", [])
    columns = []
    for predicate in raw_predicates:  # every key is mapped before any predicate is checked
        key = predicate.get("key", "")
        column = COLUMNS.get(key)
        if column is None:
            raise errors.invalid_input(
                f"no support for filtering on unrecognized field {go_quote(key)}"
            )
        columns.append(column)
    values = sum(_value_count(predicate) for predicate in raw_predicates)
    if values > MAX_FILTER_VALUES:
        raise errors.invalid_input(
            f"the filter holds {values} values; the emulator accepts at most {MAX_FILTER_VALUES}"
        )
    predicates = tuple(
        _predicate(column, predicate) for column, predicate in zip(columns, raw_predicates)
    )
    return Filter(predicates, _canonical_filter_json(raw_predicates))


def _predicate(column: Column, predicate: Message) -> Predicate:
    op = predicate.get("op", 0)
    member = next((name for name in _VALUE_TYPES if name in predicate), None)
    if op in _SCALAR_SQL:
        if member is None:
            raise errors.invalid_input(
                f"no value set for predicate on key {go_quote(column.model)}"
            )
        if member in _ARRAY_MEMBERS:
            raise errors.invalid_input(
                f"cannot use scalar operator {enum_name('api.Predicate.Op', op)} on array type "
                f"{_VALUE_TYPES[member]}"
            )
        return Predicate(column, op, predicate[member])
    if op == IN:
        if member not in _ARRAY_MEMBERS:
            shown = _VALUE_TYPES[member] if member else "<nil>"
            raise errors.invalid_input(f"cannot use IN operator with scalar type {shown}")
        assert member is not None
        return Predicate(column, op, tuple(predicate[member].get("values", [])))
    if op == IS_SUBSTRING:
        if member != "string_value":
            # The server passes its two format arguments in swapped order; so does this.
            raise errors.invalid_input(
                "cannot use non string value type api.Predicate_Op with operator "
                f"{_go_value_text(member, predicate)}"
            )
        size = len(predicate[member].encode("utf-8", "replace"))
        if size > MAX_SUBSTRING_BYTES:
            raise errors.invalid_input(
                f"the IS_SUBSTRING value for key {go_quote(column.api)} is {size} bytes long; "
                f"the emulator accepts at most {MAX_SUBSTRING_BYTES}"
            )
        return Predicate(column, op, predicate[member])
    raise errors.invalid_input(f"invalid predicate operation: {enum_name('api.Predicate.Op', op)}")


def _value_count(predicate: Message) -> int:
    """How many values a predicate holds: one, or each value of its list."""
    for member in _ARRAY_MEMBERS:
        if member in predicate:
            return max(1, len(predicate[member].get("values", [])))
    return 1


def _go_value_text(member: str | None, predicate: Message) -> str:
    """How Go's %v prints the oneof wrapper of a predicate value."""
    if member is None:
        return "<nil>"
    value = predicate[member]
    if member == "timestamp_value":
        return f"&{{seconds:{value}}}"
    if member in _ARRAY_MEMBERS:
        items = value.get("values", [])
        shown = [go_quote(v) if isinstance(v, str) else str(v) for v in items]
        return "&{" + " ".join(f"values:{v}" for v in shown) + "}"
    return f"&{{{value}}}"


def _canonical_filter_json(predicates: Sequence[Message]) -> str:
    """The filter as jsonpb would print it (lowerCamel names, enums by name)."""
    rendered = []
    for predicate in predicates:
        item: dict[str, Any] = {}
        for name, value in predicate.items():
            camel = name.split("_")[0] + "".join(p.title() for p in name.split("_")[1:])
            shown = value
            if name == "op":
                shown = enum_name("api.Predicate.Op", value)
            elif name == "long_value":
                shown = str(value)
            elif name == "timestamp_value":
                shown = format_timestamp(value)
            elif name == "long_values":
                shown = {"values": [str(v) for v in value.get("values", [])]}
            item[camel] = shown
        rendered.append(item)
    document = {"predicates": rendered} if rendered else {}
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def _filter_key(parsed: Filter | None) -> tuple[Predicate, ...] | None:
    return parsed.predicates if parsed is not None else None


# --------------------------------------------------------------------------------------------
# Page tokens


def encode_page_token(options: ListOptions, sort_value: SqlValue, key: str) -> str:
    """The token naming the row (sort_value, key) as the first of the next page."""
    token: dict[str, Any] = {
        "SortByFieldName": options.sort.field_name,
        "SortByFieldValue": sort_value,
        "SortByFieldPrefix": "",
        "KeyFieldName": "UUID",
        "KeyFieldValue": key,
        "KeyFieldPrefix": "",
        "IsDesc": options.sort.desc,
        "ModelName": "",
        "Filter": _token_filter(options.filter),
    }
    text = json.dumps(token, separators=(",", ":"), ensure_ascii=False)
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _token_filter(parsed: Filter | None) -> dict[str, Any] | None:
    if parsed is None:
        return None
    document: dict[str, Any] = {"FilterProto": parsed.proto_json}
    for op_map in _TOKEN_FILTER_MAPS.values():
        document[op_map] = {}
    for predicate in parsed.predicates:
        values = document[_TOKEN_FILTER_MAPS[predicate.op]].setdefault(predicate.column.model, [])
        value = predicate.value
        values.append(list(value) if isinstance(value, tuple) else value)
    return document


_BASE64_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def _go_base64_decode(text: str) -> bytes:
    """Go's ``base64.StdEncoding.DecodeString``: strict padding; CR and LF are skipped."""
    compact = text.replace("\r", "").replace("\n", "")
    for index, char in enumerate(compact):
        if char not in _BASE64_ALPHABET and char != "=":
            raise ValueError(f"illegal base64 data at input byte {index}")
    padding = compact.find("=")
    if (padding != -1 and compact[padding:].strip("=")) or len(compact) % 4:
        raise ValueError(f"illegal base64 data at input byte {max(padding, 0) or len(compact)}")
    try:
        return base64.b64decode(compact, validate=True)
    except binascii.Error:
        raise ValueError(f"illegal base64 data at input byte {len(compact)}") from None


def _decode_page_token(token: str, page_size: int) -> ListOptions:
    def invalid(reason: str) -> ApiError:
        return errors.invalid_input_with_details(_INVALID_TOKEN, reason)

    try:
        document = json.loads(_go_base64_decode(token).decode("utf-8"), parse_constant=_no_nan)
    except (ValueError, RecursionError) as exc:
        raise invalid(str(exc) or type(exc).__name__) from None
    if not isinstance(document, dict):
        raise invalid("json: cannot unmarshal token: not an object")
    name = document.get("SortByFieldName")
    desc = document.get("IsDesc", False)
    key = document.get("KeyFieldValue")
    if (
        not isinstance(name, str)
        or not isinstance(desc, bool)
        or not isinstance(key, str)
        or document.get("KeyFieldName") != "UUID"
    ):
        raise invalid("the token does not name a sort field, a direction and a key")
    if name.startswith(_METRIC_PREFIX):
        sort = SortOrder(None, name[len(_METRIC_PREFIX) :], desc)
    elif name in _COLUMNS_BY_MODEL:
        sort = SortOrder(_COLUMNS_BY_MODEL[name], "", desc)
    else:
        raise invalid(f"unknown sort field {go_quote(name)}")
    value = _token_sort_value(sort, document.get("SortByFieldValue"))
    if value is None:
        raise invalid(f"bad value for sort field {go_quote(name)}")
    parsed: Filter | None = None
    token_filter = document.get("Filter")
    if token_filter is not None:
        proto = token_filter.get("FilterProto") if isinstance(token_filter, dict) else None
        if not isinstance(proto, str):
            raise invalid("bad filter")
        try:
            parsed = _filter_from_message(
                decode_message("api.Filter", load_json(proto), allow_unknown=False)
            )
        except (DecodeError, ApiError) as exc:
            raise invalid(f"bad filter: {exc}") from None
    return ListOptions(page_size, sort, parsed, Cursor(value, key))


def _no_nan(name: str) -> Any:
    raise ValueError(f"invalid character {name[0]!r} looking for beginning of value")


def _token_sort_value(sort: SortOrder, value: object) -> SqlValue | None:
    if isinstance(value, bool):
        return None
    if sort.column is None:
        if isinstance(value, (int, float)) and math.isfinite(value):
            return float(value)
        return None
    if sort.column.integer:
        if isinstance(value, int) and INT64_MIN <= value <= INT64_MAX:
            return value
        return None
    return value if isinstance(value, str) else None


# --------------------------------------------------------------------------------------------
# Stage 3: resource_reference_key


_FILTERABLE_REFERENCES = {1: "EXPERIMENT", 2: "JOB", 4: "PIPELINE_VERSION", 5: "NAMESPACE"}
# The run column that names the referenced resource; the other types are in run_references.
_REFERENCE_COLUMNS = {"EXPERIMENT": "experiment_id", "NAMESPACE": "namespace"}


def reference_key(query: ListRunsQuery) -> ReferenceKey | None:
    """The reference filter, or None when neither type nor id was sent."""
    if query.reference_type is None and query.reference_id is None:
        return None
    number = query.reference_type or 0
    if number not in _FILTERABLE_REFERENCES:
        error = errors.invalid_input(
            f"Unsupported resource type: {enum_name('api.ResourceType', number)}"
        )
        raise error.wrap("Unrecognized resource reference type.").wrap(_VALIDATE_FILTER)
    return ReferenceKey(_FILTERABLE_REFERENCES[number], query.reference_id or "")


# --------------------------------------------------------------------------------------------
# SQL


def conditions(
    parsed: Filter | None, reference: ReferenceKey | None
) -> tuple[list[str], list[Any]]:
    """SQL conditions (on the runs table as ``r``) for the filter and the reference key."""
    clauses: list[str] = []
    params: list[Any] = []
    if reference is not None:
        column = _REFERENCE_COLUMNS.get(reference.type)
        if column is not None:
            clauses.append(f"r.{column} = ?")
            params.append(reference.id)
        else:
            clauses.append(
                "r.uuid IN (SELECT run_uuid FROM run_references WHERE ref_type = ? AND ref_id = ?)"
            )
            params.extend((reference.type, reference.id))
    for predicate in parsed.predicates if parsed else ():
        column = f"r.{predicate.column.sql}"
        if predicate.op == IN:
            values = predicate.value
            assert isinstance(values, tuple)
            if not values:
                clauses.append("0")
            else:
                clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
                params.extend(values)
        elif predicate.op == IS_SUBSTRING:
            clauses.append(f"{column} LIKE ?")
            params.append(f"%{predicate.value}%")
        else:
            clauses.append(f"{column} {_SCALAR_SQL[predicate.op]} ?")
            params.append(predicate.value)
    return clauses, params


def seekable_columns(parsed: Filter | None, reference: ReferenceKey | None) -> set[str]:
    """The columns (SQL names) that ``conditions`` limit to values or ranges an index on them
    can seek to, rather than needing every entry checked."""
    columns = {p.column.sql for p in (parsed.predicates if parsed else ()) if p.op in _SEEKABLE}
    if reference is not None:
        columns.add(_REFERENCE_COLUMNS.get(reference.type, "uuid"))
    return columns


def countable_by_facets(
    parsed: Filter | None, reference: ReferenceKey | None, facets: Sequence[str]
) -> bool:
    """Whether ``conditions`` only involve the given columns (so a table of counts per
    combination of them can answer the count)."""
    if reference is not None and reference.type not in _REFERENCE_COLUMNS:
        return False
    return all(p.column.sql in facets for p in (parsed.predicates if parsed else ()))
