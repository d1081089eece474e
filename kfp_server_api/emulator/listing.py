"""Listing, written once for every resource: query parameters, the ``filter`` JSON,
``sort_by``, page tokens and ``resource_reference_key``.

What differs between resources is data: a ``Listable`` names the resource's type (as the
server's messages show it), its sortable and filterable fields, and the reference types its
``resource_reference_key`` accepts. The store turns the resulting ``ListOptions`` and
``ReferenceKey`` into a query on the resource's table (``store/listing.py``); no SQL is here.

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
    ENUMS,
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
    "Column",
    "Cursor",
    "Filter",
    "ListOptions",
    "ListQuery",
    "Listable",
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
    """A sortable and filterable field: its API name, and the real server's model field name
    (which page tokens carry and the store maps to its column)."""

    api: str
    model: str
    integer: bool


_RESOURCE_TYPES = ENUMS["api.ResourceType"]


@dataclass(frozen=True)
class Listable:
    """How one resource lists: the description every listing stage is parameterised by.

    ``type_name`` is the name the server's messages use (``Run``); ``columns`` the sortable
    and filterable fields; ``default_sort`` the API name of the default order;
    ``metric_sort`` whether ``metric:<name>`` sorts are accepted; ``reference_types`` the
    ``resource_reference_key`` types accepted, by number; ``model_prefix`` the table qualifier
    the server puts before model field names in its messages and page tokens
    (``experiments.``).
    """

    type_name: str
    columns: tuple[Column, ...]
    default_sort: str = "created_at"
    metric_sort: bool = False
    reference_types: frozenset[int] = frozenset()
    model_prefix: str = ""

    @property
    def default_column(self) -> Column:
        """The field of the default order."""
        column = self.column(self.default_sort)
        assert column is not None, self.default_sort
        return column

    def column(self, api_name: str) -> Column | None:
        """The field with this API name, or None."""
        return next((c for c in self.columns if c.api == api_name), None)

    def column_of_model(self, model_name: str) -> Column | None:
        """The field with this model name (as page tokens carry it), or None."""
        return next((c for c in self.columns if c.model == model_name), None)


_METRIC_PREFIX = "metric:"

# Predicate.Op numbers; the scalar ones compare with one value.
EQUALS, NOT_EQUALS, GREATER_THAN, GREATER_THAN_EQUALS = 1, 2, 3, 5
LESS_THAN, LESS_THAN_EQUALS, IN, IS_SUBSTRING = 6, 7, 8, 9
SCALAR_OPS = frozenset(
    {EQUALS, NOT_EQUALS, GREATER_THAN, GREATER_THAN_EQUALS, LESS_THAN, LESS_THAN_EQUALS}
)
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
    """Everything that decides which page is returned."""

    page_size: int
    sort: SortOrder
    filter: Filter | None
    cursor: Cursor | None


@dataclass(frozen=True)
class ReferenceKey:
    """``resource_reference_key``: only resources related to this one (type by name)."""

    type: str
    id: str


@dataclass(frozen=True)
class ListQuery:
    """A list request after the gateway read the query string."""

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


def parse_query(raw_query: str) -> ListQuery:
    """Read a list request's query string as grpc-gateway does. Raises gateway ApiErrors."""
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
    return ListQuery(**values)


def _parse_resource_type(text: str) -> int:
    numbers = _RESOURCE_TYPES
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


def list_options(query: ListQuery, listable: Listable) -> ListOptions:
    """Validate paging, sorting and filtering. Raises ApiError (400) as the server does."""
    try:
        return _list_options(query, listable)
    except ApiError as exc:
        raise exc.wrap(_CREATE_OPTIONS) from None


def _list_options(query: ListQuery, listable: Listable) -> ListOptions:
    if not query.page_token:
        return _fresh_options(query, listable)
    page_size = _page_size(query.page_size)
    options = _decode_page_token(query.page_token, page_size, listable)
    if query.sort_by or query.filter:
        supplied = _fresh_options(query, listable)
        if supplied.sort != options.sort or _filter_key(supplied.filter) != _filter_key(
            options.filter
        ):
            raise errors.invalid_input(
                "page token does not match the supplied sort by and/or filtering criteria. "
                "Either specify the same criteria or leave the latter empty if page token is "
                "specified."
            )
    return options


def _fresh_options(query: ListQuery, listable: Listable) -> ListOptions:
    message = _parse_filter_json(query.filter) if query.filter else None
    page_size = _page_size(query.page_size)
    sort = _parse_sort_by(query.sort_by, listable)
    parsed = _filter_from_message(message, listable) if message is not None else None
    return ListOptions(page_size, sort, parsed, None)


def _page_size(page_size: int) -> int:
    if page_size < 0:
        # The server formats the number with Go's %q, which prints a negative int as U+FFFD.
        raise errors.invalid_input("The page size should be greater than 0. Got '\ufffd'")
    if page_size == 0:
        return DEFAULT_PAGE_SIZE
    return min(page_size, MAX_PAGE_SIZE)


def _parse_sort_by(sort_by: str, listable: Listable) -> SortOrder:
    words = sort_by.lower().split()
    if len(words) > 2 or (len(words) == 2 and words[1] not in ("asc", "desc")):
        raise errors.invalid_input(
            f"Received invalid sort by format {go_quote(sort_by)}. Supported format: "
            '"field_name", "field_name desc", or "field_name asc"'
        )
    desc = len(words) == 2 and words[1] == "desc"
    if not words:
        return SortOrder(listable.default_column, "", desc)
    field = words[0]
    if listable.metric_sort and field.startswith(_METRIC_PREFIX):
        return SortOrder(None, field[len(_METRIC_PREFIX) :], desc)
    column = listable.column(field)
    if column is None:
        raise errors.invalid_input(
            f"Invalid sorting field: {go_quote(field)} on listable type {listable.type_name}"
        )
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


def _filter_from_message(message: Message, listable: Listable) -> Filter:
    raw_predicates: list[Message] = message.get("predicates", [])
    columns = []
    for predicate in raw_predicates:  # every key is mapped before any predicate is checked
        key = predicate.get("key", "")
        column = listable.column(key)
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
        _predicate(column, predicate, listable.model_prefix)
        for column, predicate in zip(columns, raw_predicates)
    )
    return Filter(predicates, _canonical_filter_json(raw_predicates))


def _predicate(column: Column, predicate: Message, prefix: str) -> Predicate:
    op = predicate.get("op", 0)
    member = next((name for name in _VALUE_TYPES if name in predicate), None)
    if op in SCALAR_OPS:
        if member is None:
            raise errors.invalid_input(
                f"no value set for predicate on key {go_quote(prefix + column.model)}"
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


def encode_page_token(
    options: ListOptions, sort_value: SqlValue, key: str, prefix: str = ""
) -> str:
    """The token naming the row (sort_value, key) as the first of the next page; ``prefix``
    is the listable's ``model_prefix``."""
    token: dict[str, Any] = {
        "SortByFieldName": options.sort.field_name,
        "SortByFieldValue": sort_value,
        "SortByFieldPrefix": prefix,
        "KeyFieldName": "UUID",
        "KeyFieldValue": key,
        "KeyFieldPrefix": prefix,
        "IsDesc": options.sort.desc,
        "ModelName": prefix.rstrip("."),
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


def _decode_page_token(token: str, page_size: int, listable: Listable) -> ListOptions:
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
    token_column = listable.column_of_model(name)
    if listable.metric_sort and name.startswith(_METRIC_PREFIX):
        sort = SortOrder(None, name[len(_METRIC_PREFIX) :], desc)
    elif token_column is not None:
        sort = SortOrder(token_column, "", desc)
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
                decode_message("api.Filter", load_json(proto), allow_unknown=False), listable
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


def reference_key(query: ListQuery, listable: Listable) -> ReferenceKey | None:
    """The reference filter, or None when neither type nor id was sent."""
    if query.reference_type is None and query.reference_id is None:
        return None
    number = query.reference_type or 0
    if number not in listable.reference_types:
        error = errors.invalid_input(
            f"Unsupported resource type: {enum_name('api.ResourceType', number)}"
        )
        raise error.wrap("Unrecognized resource reference type.").wrap(_VALIDATE_FILTER)
    return ReferenceKey(enum_name("api.ResourceType", number), query.reference_id or "")
