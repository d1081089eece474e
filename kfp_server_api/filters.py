"""Typed, immutable builder for the ``filter`` parameter of the ``list_*`` methods.

The KFP server takes ``filter`` as the JSON form of its ``api.Filter`` message: a list of
predicates, all AND-ed, each naming a key, an operation and exactly one typed value. Writing that
JSON by hand means remembering snake_case field names, that int64 values travel as strings and
that arrays are wrapped in ``{"values": [...]}``. This module builds it from Python values::

    from kfp_server_api.filters import Filter, RunKey, contains, eq, gt, in_

    f = Filter.where(eq(RunKey.STATUS, "Succeeded"), gt(RunKey.CREATED_AT, since))
    api.list_runs(filter=f)           # or filter=str(f); str(f) == f.to_json()

Every operation, with the JSON it produces::

    eq("status", "Succeeded")          {"key":"status","op":"EQUALS","string_value":"Succeeded"}
    ne("status", "Failed")             {"key":"status","op":"NOT_EQUALS","string_value":"Failed"}
    gt("created_at", datetime(2018, 12, 1, tzinfo=timezone.utc))
                                       {"key":"created_at","op":"GREATER_THAN",
                                        "timestamp_value":"2018-12-01T00:00:00Z"}
    gte("size", 10)                    {"key":"size","op":"GREATER_THAN_EQUALS","int_value":10}
    lt("size", 2**40)                  {"key":"size","op":"LESS_THAN","long_value":"1099511627776"}
    lte("size", Long(7))               {"key":"size","op":"LESS_THAN_EQUALS","long_value":"7"}
    in_("name", ["a", "b"])            {"key":"name","op":"IN","string_values":{"values":["a","b"]}}
    in_("code", [1, 2])                {"key":"code","op":"IN","int_values":{"values":[1,2]}}
    in_("code", [Long(1)])             {"key":"code","op":"IN","long_values":{"values":["1"]}}
    contains("name", "nightly")        {"key":"name","op":"IS_SUBSTRING","string_value":"nightly"}

A whole filter is ``{"predicates":[...]}`` with the predicates in the order they were added;
``eq(...) & gt(...)`` and ``f.and_(p)`` build filters too.

Archived or not: use :func:`archived` and :func:`not_archived`, not ``storage_state`` compared
with ``"STORAGESTATE_ARCHIVED"``. KFP 2.x servers store ``ARCHIVED`` / ``AVAILABLE`` (while still
answering ``STORAGESTATE_*``) and compare filter values with what is stored, so
``ne("storage_state", "STORAGESTATE_ARCHIVED")`` also returns archived runs and experiments
there, and ``eq(..., "STORAGESTATE_ARCHIVED")`` returns none. The helpers name both spellings,
which also covers a database upgraded from 1.x that holds both::

    api.list_runs(filter=not_archived() & eq(RunKey.STATUS, "Succeeded"))

Value kinds are inferred from the Python value; pass ``kind=ValueKind.X`` to choose one:

- ``str`` gives ``string_value`` (a ``str`` enum member counts as its value).
- ``int`` gives ``int_value`` when it fits int32, ``long_value`` when it only fits int64.
  ``Long(n)`` or ``kind=ValueKind.LONG`` forces ``long_value``. int64 values are written as JSON
  strings, as protobuf's JSON mapping does; int32 values as JSON numbers.
- ``datetime`` gives ``timestamp_value``: RFC 3339 in UTC with ``Z``. A naive datetime is taken
  as UTC, like every other datetime this SDK sends. Microseconds are kept (3 or 6 digits); the
  server itself compares whole seconds. With ``kind=ValueKind.TIMESTAMP`` an RFC 3339 string is
  accepted too.
- a list, tuple or other iterable (for ``IN``) gives ``int_values``, ``long_values`` or
  ``string_values``; one ``Long`` or one int beyond int32 makes the whole list ``long_values``.
  Sets are sorted so the JSON is stable. An empty list is allowed (the server then matches
  nothing) and is sent as ``string_values`` unless ``kind`` says otherwise. The filter message
  has no array of timestamps.

Design decisions:

- Values are checked when a predicate is built, before any request: a mistake fails at the line
  that made it. ``ApiTypeError`` when a Python value can never be a filter value (``bool``,
  ``float``, ``None``, ``date``, a list mixing kinds, a value that does not match an explicit
  ``kind``); ``ApiValueError`` when the value is a fine filter value but not for this operation
  (``IN`` with a scalar, a scalar operation with a list, ``IS_SUBSTRING`` with a non-string) or out
  of range (int32/int64 bounds, empty key, unparsable timestamp text).
- ``bool`` is refused although it is an ``int`` in Python: the filter message has no boolean kind
  and ``True`` silently becoming ``1`` would hide a bug.
- Keys are not checked against a list: each resource type accepts its own keys and the server
  reports an unknown one. ``RunKey`` names the keys runs accept.
- JSON is compact, predicate fields in the order key, op, value (any order parses). The server
  URL-decodes the filter a second time after the HTTP layer has done so, which would turn ``+``
  into a space and fail on a ``%`` that is not an escape. Both characters are therefore written as
  the JSON escapes ``\\u002b`` and ``\\u0025``: the same JSON for any parser, and immune to the
  extra decoding.
- ``Filter``, ``Predicate`` and ``Long`` are frozen and hashable; ``and_`` and ``&`` return new
  objects. ``Filter.from_json`` parses what the server parses (snake_case or lowerCamelCase
  keys, op names or numbers, numbers or quoted numbers) for round trips. Sub-microsecond digits of
  a timestamp are dropped, since ``datetime`` cannot hold them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final

from kfp_server_api._filter_values import (
    KIND_BY_JSON_KEY,
    ArrayValue,
    Long,
    Op,
    ScalarValue,
    StoredValue,
    ValueKind,
    coerce_kind,
    coerce_op,
    encode,
    json_type,
    normalise,
    value_from_json,
)
from kfp_server_api.exceptions import ApiTypeError, ApiValueError

__all__ = [
    "RUN_FILTER_KEYS",
    "Filter",
    "Long",
    "Op",
    "Predicate",
    "RunKey",
    "ValueKind",
    "archived",
    "contains",
    "eq",
    "gt",
    "gte",
    "in_",
    "lt",
    "lte",
    "ne",
    "not_archived",
]


class RunKey:
    """The keys ``list_runs`` accepts in a filter (exact and case-sensitive)."""

    ID: Final = "id"
    NAME: Final = "name"
    CREATED_AT: Final = "created_at"
    DESCRIPTION: Final = "description"
    SCHEDULED_AT: Final = "scheduled_at"
    STORAGE_STATE: Final = "storage_state"
    #: Values differ by server: KFP 2.x reports only Pending, Running, Succeeded, Skipped,
    #: Failed, Terminating and Unknown (see ``ApiRun``).
    STATUS: Final = "status"


RUN_FILTER_KEYS: Final[frozenset[str]] = frozenset(
    value for name, value in vars(RunKey).items() if name.isupper()
)


@dataclass(frozen=True, init=False)
class Predicate:
    """One condition: ``key op value``. Build it with ``eq``/``in_``/... or directly.

    ``value`` may be any Python value described in the module docstring and ``kind`` an explicit
    value field. After construction ``value`` holds the normalised value (a tuple for arrays, an
    aware UTC datetime, a plain int or str) and ``kind`` the value field that will be sent.
    ``op`` may also be given as an ``Op`` name or number.
    """

    key: str
    op: Op
    value: StoredValue
    kind: ValueKind

    def __init__(
        self,
        key: str,
        op: Op | str | int,
        value: ScalarValue | ArrayValue,
        kind: ValueKind | str | None = None,
    ) -> None:
        if not isinstance(key, str):
            raise ApiTypeError(f"filter key must be a str, got {type(key).__name__}")
        if not key:
            raise ApiValueError("filter key must not be empty")
        checked_op = coerce_op(op)
        checked_kind, stored = normalise(checked_op, key, value, coerce_kind(kind))
        # Frozen dataclass: assignment goes through object.__setattr__ once, here.
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "op", checked_op)
        object.__setattr__(self, "value", stored)
        object.__setattr__(self, "kind", checked_kind)

    def to_dict(self) -> dict[str, Any]:
        """The predicate as the JSON-ready dict the server parses."""
        return {
            "key": self.key,
            "op": self.op.name,
            self.kind.value: encode(self.kind, self.value),
        }

    def __and__(self, other: Predicate | Filter) -> Filter:
        return Filter((self,)).and_(other)

    def __repr__(self) -> str:
        fields = f"{self.key!r}, Op.{self.op.name}, {self.value!r}, ValueKind.{self.kind.name}"
        return f"Predicate({fields})"


@dataclass(frozen=True, init=False)
class Filter:
    """A filter: predicates that must all hold. Pass it as ``filter=f``; ``str(f)`` is its JSON.

    Empty filters are allowed and falsy; they match everything.
    """

    predicates: tuple[Predicate, ...]

    def __init__(self, predicates: Iterable[Predicate] = ()) -> None:
        if isinstance(predicates, (str, Predicate)) or not isinstance(predicates, Iterable):
            raise ApiTypeError(
                f"Filter takes an iterable of predicates, got {type(predicates).__name__}; "
                "Filter.where(p1, p2) takes them one by one"
            )
        checked = tuple(predicates)
        for position, predicate in enumerate(checked):
            if not isinstance(predicate, Predicate):
                raise ApiTypeError(
                    f"Filter takes Predicate objects, got {type(predicate).__name__} at "
                    f"position {position}; build one with eq(), in_(), ..."
                )
        object.__setattr__(self, "predicates", checked)

    @classmethod
    def where(cls, *predicates: Predicate) -> Filter:
        """A filter of the given predicates: ``Filter.where(eq(...), gt(...))``."""
        return cls(predicates)

    def and_(self, *others: Predicate | Filter) -> Filter:
        """A new filter with the predicates of ``others`` appended (AND-ed)."""
        added: list[Predicate] = []
        for other in others:
            if isinstance(other, Filter):
                added.extend(other.predicates)
            elif isinstance(other, Predicate):
                added.append(other)
            else:
                raise ApiTypeError(
                    f"and_() takes Predicate or Filter objects, got {type(other).__name__}"
                )
        return Filter(self.predicates + tuple(added))

    def __and__(self, other: Predicate | Filter) -> Filter:
        return self.and_(other)

    def __len__(self) -> int:
        return len(self.predicates)

    def __iter__(self) -> Iterator[Predicate]:
        return iter(self.predicates)

    def to_dict(self) -> dict[str, Any]:
        """The filter as the JSON-ready dict the server parses."""
        return {"predicates": [predicate.to_dict() for predicate in self.predicates]}

    def to_json(self) -> str:
        """The compact JSON the server parses (see the module docstring for the exact form)."""
        text = json.dumps(self.to_dict(), separators=(",", ":"), ensure_ascii=False)
        # '+' and '%' only occur inside JSON strings here, so escaping them textually is exact.
        return text.replace("+", "\\u002b").replace("%", "\\u0025")

    def __str__(self) -> str:
        return self.to_json()

    def __repr__(self) -> str:
        return f"Filter.where({', '.join(repr(p) for p in self.predicates)})"

    @classmethod
    def from_json(cls, text: str | bytes) -> Filter:
        """Parse the JSON form of a filter, as the server would; ``ApiValueError`` if invalid."""
        try:
            document = json.loads(text)
        except ValueError as error:
            raise ApiValueError(f"filter is not valid JSON: {error}") from error
        if not isinstance(document, dict):
            raise ApiValueError(f"filter JSON must be an object, got {json_type(document)}")
        unknown = set(document) - {"predicates"}
        if unknown:
            raise ApiValueError(f"unknown field {sorted(unknown)[0]!r} in filter")
        entries = document.get("predicates")
        if entries is None:
            return cls()
        if not isinstance(entries, list):
            raise ApiValueError(f"'predicates' must be a list, got {json_type(entries)}")
        return cls(tuple(_predicate_from_json(entry, n) for n, entry in enumerate(entries)))


def eq(key: str, value: ScalarValue, *, kind: ValueKind | None = None) -> Predicate:
    """``key == value`` (EQUALS)."""
    return Predicate(key, Op.EQUALS, value, kind)


def ne(key: str, value: ScalarValue, *, kind: ValueKind | None = None) -> Predicate:
    """``key != value`` (NOT_EQUALS)."""
    return Predicate(key, Op.NOT_EQUALS, value, kind)


def gt(key: str, value: ScalarValue, *, kind: ValueKind | None = None) -> Predicate:
    """``key > value`` (GREATER_THAN)."""
    return Predicate(key, Op.GREATER_THAN, value, kind)


def gte(key: str, value: ScalarValue, *, kind: ValueKind | None = None) -> Predicate:
    """``key >= value`` (GREATER_THAN_EQUALS)."""
    return Predicate(key, Op.GREATER_THAN_EQUALS, value, kind)


def lt(key: str, value: ScalarValue, *, kind: ValueKind | None = None) -> Predicate:
    """``key < value`` (LESS_THAN)."""
    return Predicate(key, Op.LESS_THAN, value, kind)


def lte(key: str, value: ScalarValue, *, kind: ValueKind | None = None) -> Predicate:
    """``key <= value`` (LESS_THAN_EQUALS)."""
    return Predicate(key, Op.LESS_THAN_EQUALS, value, kind)


def in_(key: str, values: ArrayValue, *, kind: ValueKind | None = None) -> Predicate:
    """``key`` is one of ``values`` (IN). An empty collection matches nothing."""
    return Predicate(key, Op.IN, values, kind)


def contains(key: str, substring: str) -> Predicate:
    """``substring`` occurs in ``key`` (IS_SUBSTRING; the server matches with SQL LIKE)."""
    return Predicate(key, Op.IS_SUBSTRING, substring)


# Both spellings of the archived state: KFP 1.x stores the first, KFP 2.x the second.
_ARCHIVED_STATES: Final = ("STORAGESTATE_ARCHIVED", "ARCHIVED")


def archived() -> Filter:
    """Archived runs or experiments, on KFP 1.x and 2.x servers alike.

    ``storage_state IN ("STORAGESTATE_ARCHIVED", "ARCHIVED")``: see the module docstring.
    """
    return Filter.where(in_(RunKey.STORAGE_STATE, _ARCHIVED_STATES))


def not_archived() -> Filter:
    """Runs or experiments that are not archived, on KFP 1.x and 2.x servers alike.

    ``storage_state`` differs from both spellings of the archived state (see the module
    docstring); AND it with other predicates: ``not_archived() & eq(...)``.
    """
    return Filter.where(*(ne(RunKey.STORAGE_STATE, state) for state in _ARCHIVED_STATES))


# ---------------------------------------------------------------------------------------------
# Parsing: JSON predicate -> Predicate


def _predicate_from_json(entry: object, position: int) -> Predicate:
    where = f"predicates[{position}]"
    if not isinstance(entry, dict):
        raise ApiValueError(f"{where} must be an object, got {json_type(entry)}")
    key = entry.get("key", "")
    if not isinstance(key, str):
        raise ApiValueError(f"{where}.key must be a string, got {json_type(key)}")
    op_field = entry.get("op")
    if op_field is None:
        raise ApiValueError(f"{where} has no op")
    try:
        op = coerce_op(op_field)
    except ApiValueError as error:
        raise ApiValueError(f"{where}: {error}") from None
    values: list[tuple[ValueKind, object]] = []
    for name, raw in entry.items():
        if name in ("key", "op"):
            continue
        kind = KIND_BY_JSON_KEY.get(name)
        if kind is None:
            raise ApiValueError(f"unknown field {name!r} in {where}")
        if raw is not None:
            values.append((kind, raw))
    if not values:
        raise ApiValueError(f"{where} has no value for key {key!r}")
    if len(values) > 1:
        raise ApiValueError(
            f"{where} sets more than one value ({', '.join(k.value for k, _ in values)})"
        )
    kind, raw = values[0]
    try:
        value = value_from_json(kind, raw)
        return Predicate(key, op, value, kind)
    except (ApiValueError, ApiTypeError) as error:
        raise ApiValueError(f"{where}: {error}") from None
