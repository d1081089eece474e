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

import enum
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Final, Union

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

INT32_MIN: Final = -(2**31)
INT32_MAX: Final = 2**31 - 1
INT64_MIN: Final = -(2**63)
INT64_MAX: Final = 2**63 - 1


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


class Op(enum.IntEnum):
    """Predicate operations, numbered as in the server's ``Predicate.Op`` (there is no 4).

    ``UNKNOWN`` (0) is left out: the server rejects it.
    """

    EQUALS = 1
    NOT_EQUALS = 2
    GREATER_THAN = 3
    GREATER_THAN_EQUALS = 5
    LESS_THAN = 6
    LESS_THAN_EQUALS = 7
    IN = 8
    IS_SUBSTRING = 9


class ValueKind(str, enum.Enum):
    """The value fields of a predicate; each member's value is its JSON key."""

    INT = "int_value"
    LONG = "long_value"
    STRING = "string_value"
    TIMESTAMP = "timestamp_value"
    INTS = "int_values"
    LONGS = "long_values"
    STRINGS = "string_values"

    @property
    def is_array(self) -> bool:
        """True for the ``{"values": [...]}`` kinds that ``IN`` takes."""
        return self in _ARRAY_KINDS


_ARRAY_KINDS: Final = frozenset({ValueKind.INTS, ValueKind.LONGS, ValueKind.STRINGS})
_ELEMENT_KIND: Final = {
    ValueKind.INTS: ValueKind.INT,
    ValueKind.LONGS: ValueKind.LONG,
    ValueKind.STRINGS: ValueKind.STRING,
}
_ARRAY_OF: Final = {element: array for array, element in _ELEMENT_KIND.items()}
# lowerCamelCase spellings the server's JSON parser accepts besides the proto names.
_KIND_BY_JSON_KEY: Final = {
    **{kind.value: kind for kind in ValueKind},
    **{re.sub(r"_(\w)", lambda m: m.group(1).upper(), kind.value): kind for kind in ValueKind},
}


@dataclass(frozen=True)
class Long:
    """Marks an int as an int64 (``long_value``) even when it would fit int32."""

    value: int

    def __post_init__(self) -> None:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise ApiTypeError(f"Long() takes an int, got {type(self.value).__name__}")
        _check_range(int(self.value), ValueKind.LONG)


ScalarValue = Union[str, int, Long, datetime]
"""A value for the scalar operations (``eq`` ... ``lte``, ``contains``)."""
ArrayValue = Iterable[Union[str, int, Long]]
"""A value for ``IN``."""
StoredValue = Union[str, int, datetime, tuple[int, ...], tuple[str, ...]]
"""A predicate's value after normalisation (arrays become tuples, ``Long`` becomes int)."""


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
        checked_op = _coerce_op(op)
        checked_kind, stored = _normalise(checked_op, key, value, _coerce_kind(kind))
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
            self.kind.value: _encode(self.kind, self.value),
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
            raise ApiValueError(f"filter JSON must be an object, got {_json_type(document)}")
        unknown = set(document) - {"predicates"}
        if unknown:
            raise ApiValueError(f"unknown field {sorted(unknown)[0]!r} in filter")
        entries = document.get("predicates")
        if entries is None:
            return cls()
        if not isinstance(entries, list):
            raise ApiValueError(f"'predicates' must be a list, got {_json_type(entries)}")
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
# Normalisation: Python value (+ optional explicit kind) -> (kind, stored value)


def _coerce_op(op: object) -> Op:
    if isinstance(op, Op):
        return op
    if isinstance(op, str) and op in Op.__members__:
        return Op[op]
    if isinstance(op, int) and not isinstance(op, bool) and op in Op._value2member_map_:
        return Op(op)
    raise ApiValueError(
        f"invalid predicate operation {op!r}; use one of {', '.join(Op.__members__)}"
    )


def _coerce_kind(kind: object) -> ValueKind | None:
    if kind is None or isinstance(kind, ValueKind):
        return kind
    if isinstance(kind, str) and kind in _KIND_BY_JSON_KEY:
        return _KIND_BY_JSON_KEY[kind]
    raise ApiValueError(
        f"unknown value kind {kind!r}; use one of {', '.join(k.value for k in ValueKind)}"
    )


def _normalise(
    op: Op, key: str, value: object, kind: ValueKind | None
) -> tuple[ValueKind, StoredValue]:
    if op is Op.IN:
        if kind is not None and not kind.is_array:
            raise ApiValueError(
                f"IN on {key!r} needs an array kind, not {kind.value}; "
                f"use kind=ValueKind.{_ARRAY_OF[kind].name if kind in _ARRAY_OF else 'STRINGS'}"
            )
        if _is_scalar(value):
            raise ApiValueError(
                f"IN on {key!r} needs a list of values, got the scalar {value!r}; "
                "wrap it in a list or use eq()"
            )
        return _normalise_array(key, value, kind)
    if kind is not None and kind.is_array:
        raise ApiValueError(f"{op.name} on {key!r} takes a single value, not {kind.value}")
    if not _is_scalar(value):
        raise ApiValueError(
            f"{op.name} on {key!r} takes a single value, got a {type(value).__name__}; "
            "use in_() to match any of several values"
        )
    kind, stored = _normalise_scalar(key, value, kind)
    if op is Op.IS_SUBSTRING and kind is not ValueKind.STRING:
        raise ApiValueError(
            f"IS_SUBSTRING on {key!r} needs a string value, got {kind.value} {stored!r}"
        )
    return kind, stored


def _is_scalar(value: object) -> bool:
    # str and bytes are iterable but are single values; so is anything that is not iterable.
    return isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable)


def _primitive(key: str, value: object) -> tuple[ValueKind, str | int | datetime]:
    """The kind a Python value stands for, and the value as a plain str, int or UTC datetime."""
    if isinstance(value, bool):
        raise ApiTypeError(
            f"filter value for {key!r} is a bool ({value!r}); the filter message has no "
            "boolean kind - compare with the string or number the field actually holds"
        )
    if isinstance(value, Long):
        return ValueKind.LONG, value.value
    if isinstance(value, str):
        return ValueKind.STRING, str.__str__(value)  # a plain str, also for str enum members
    if isinstance(value, int):
        return ValueKind.INT, int(value)
    if isinstance(value, datetime):
        return ValueKind.TIMESTAMP, _to_utc(key, value)
    if isinstance(value, date):
        raise ApiTypeError(
            f"filter value for {key!r} is a date ({value!r}); pass a datetime for a timestamp"
        )
    raise ApiTypeError(
        f"unsupported filter value type {type(value).__name__} for {key!r}; "
        "use str, int, Long or datetime (or a list of str or int for IN)"
    )


# (kind of the Python value, explicit kind) pairs where the explicit kind is honoured.
_ALLOWED_OVERRIDES: Final = frozenset(
    {
        (ValueKind.INT, ValueKind.LONG),  # a small int sent as int64
        (ValueKind.STRING, ValueKind.TIMESTAMP),  # RFC 3339 text given directly
    }
)


def _normalise_scalar(
    key: str, value: object, kind: ValueKind | None
) -> tuple[ValueKind, str | int | datetime]:
    base, primitive = _primitive(key, value)
    if kind is None:
        kind = base
        if isinstance(primitive, int) and base is ValueKind.INT and not _fits_int32(primitive):
            kind = ValueKind.LONG
    elif kind is not base and (base, kind) not in _ALLOWED_OVERRIDES:
        raise ApiTypeError(
            f"filter value {value!r} for {key!r} is a {type(value).__name__}, "
            f"which cannot be sent as {kind.value}"
        )
    if kind is ValueKind.TIMESTAMP and isinstance(primitive, str):
        primitive = _parse_timestamp(key, primitive)
    if isinstance(primitive, int):
        _check_range(primitive, kind, key)
    return kind, primitive


def _normalise_array(
    key: str, values: object, kind: ValueKind | None
) -> tuple[ValueKind, tuple[Any, ...]]:
    assert isinstance(values, Iterable)  # _is_scalar() said so
    items = list(values)
    typed = [_primitive(key, item) for item in items]
    bases = {base for base, _ in typed}
    if ValueKind.TIMESTAMP in bases:
        raise ApiTypeError(
            f"IN values for {key!r} include a datetime; the filter message has no array of "
            "timestamps - use gte() and lte() for a range"
        )
    if len(bases) > 1 and bases != {ValueKind.INT, ValueKind.LONG}:
        names = ", ".join(sorted({type(item).__name__ for item in items}))
        raise ApiTypeError(f"IN values for {key!r} mix types ({names}); use only str or only int")
    if kind is None:
        if not bases or bases == {ValueKind.STRING}:
            kind = ValueKind.STRINGS  # an empty list has nothing to infer from; it matches nothing
        elif ValueKind.LONG in bases or not all(
            _fits_int32(number) for _, number in typed if isinstance(number, int)
        ):
            kind = ValueKind.LONGS
        else:
            kind = ValueKind.INTS
    element = _ELEMENT_KIND[kind]
    stored: tuple[Any, ...] = tuple(_normalise_scalar(key, item, element)[1] for item in items)
    if isinstance(values, (set, frozenset)):
        stored = tuple(sorted(stored))  # all str or all int (checked above), so they compare
    return kind, stored


def _fits_int32(number: int) -> bool:
    return INT32_MIN <= number <= INT32_MAX


def _check_range(number: int, kind: ValueKind, key: str | None = None) -> None:
    if kind is ValueKind.INT:
        low, high, width = INT32_MIN, INT32_MAX, "int32"
    else:
        low, high, width = INT64_MIN, INT64_MAX, "int64"
    if not low <= number <= high:
        where = f" for {key!r}" if key is not None else ""
        raise ApiValueError(f"filter value {number}{where} is outside the {width} range")


def _to_utc(key: str, moment: datetime) -> datetime:
    if moment.utcoffset() is None:
        return moment.replace(tzinfo=timezone.utc)  # naive: taken as UTC
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:
        raise ApiValueError(
            f"timestamp {moment.isoformat()} for {key!r} falls outside years 1-9999 in UTC"
        ) from None


_RFC3339: Final = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?"
    r"(?:[Zz]|([+-])(\d{2}):(\d{2}))"
)


def _parse_timestamp(key: str, text: str) -> datetime:
    match = _RFC3339.fullmatch(text)
    if match is None:
        raise ApiValueError(
            f"timestamp {text!r} for {key!r} is not RFC 3339 (e.g. 2018-12-01T00:00:00Z)"
        )
    year, month, day, hour, minute, second, fraction, sign, off_h, off_m = match.groups()
    offset = timedelta(0)
    if sign:
        offset = timedelta(hours=int(off_h), minutes=int(off_m)) * (-1 if sign == "-" else 1)
    try:
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            int((fraction or "0")[:6].ljust(6, "0")),
            tzinfo=timezone(offset),
        )
    except ValueError as error:
        raise ApiValueError(
            f"timestamp {text!r} for {key!r} is not a valid time: {error}"
        ) from None
    return _to_utc(key, moment)


def _format_timestamp(moment: datetime) -> str:
    text = (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )
    micros = moment.microsecond
    if micros:
        # protobuf's JSON form: 3 digits when that is exact, else 6 (datetime has no nanos).
        text += f".{micros // 1000:03d}" if micros % 1000 == 0 else f".{micros:06d}"
    return text + "Z"


def _encode(kind: ValueKind, value: StoredValue) -> Any:
    if isinstance(value, tuple):
        items = [str(item) for item in value] if kind is ValueKind.LONGS else list(value)
        return {"values": items}
    if isinstance(value, datetime):
        return _format_timestamp(value)
    if kind is ValueKind.LONG:
        return str(value)  # int64 travels as a JSON string, as protobuf's JSON mapping has it
    return value


# ---------------------------------------------------------------------------------------------
# Parsing: JSON predicate -> Predicate


def _predicate_from_json(entry: object, position: int) -> Predicate:
    where = f"predicates[{position}]"
    if not isinstance(entry, dict):
        raise ApiValueError(f"{where} must be an object, got {_json_type(entry)}")
    key = entry.get("key", "")
    if not isinstance(key, str):
        raise ApiValueError(f"{where}.key must be a string, got {_json_type(key)}")
    op_field = entry.get("op")
    if op_field is None:
        raise ApiValueError(f"{where} has no op")
    try:
        op = _coerce_op(op_field)
    except ApiValueError as error:
        raise ApiValueError(f"{where}: {error}") from None
    values: list[tuple[ValueKind, object]] = []
    for name, raw in entry.items():
        if name in ("key", "op"):
            continue
        kind = _KIND_BY_JSON_KEY.get(name)
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
        value = _value_from_json(kind, raw)
        return Predicate(key, op, value, kind)
    except (ApiValueError, ApiTypeError) as error:
        raise ApiValueError(f"{where}: {error}") from None


def _value_from_json(kind: ValueKind, raw: object) -> str | int | list[str | int]:
    if kind.is_array:
        if not isinstance(raw, dict) or set(raw) - {"values"}:
            raise ApiValueError(f'{kind.value} must be an object {{"values": [...]}}')
        items = raw.get("values") or []
        if not isinstance(items, list):
            raise ApiValueError(f"{kind.value}.values must be a list, got {_json_type(items)}")
        return [_scalar_from_json(_ELEMENT_KIND[kind], item) for item in items]
    return _scalar_from_json(kind, raw)


def _scalar_from_json(kind: ValueKind, raw: object) -> str | int:
    if kind in (ValueKind.STRING, ValueKind.TIMESTAMP):
        if not isinstance(raw, str):
            raise ApiValueError(f"{kind.value} must be a JSON string, got {_json_type(raw)}")
        return raw
    # int32 and int64 both accept a JSON number or a quoted one; fractional values are invalid.
    if isinstance(raw, bool) or not isinstance(raw, (int, str, float)):
        raise ApiValueError(f"{kind.value} must be an integer, got {_json_type(raw)}")
    if isinstance(raw, float):
        if not raw.is_integer():
            raise ApiValueError(f"{kind.value} must be an integer, got {raw!r}")
        return int(raw)
    if isinstance(raw, str):
        if not re.fullmatch(r"-?\d+", raw):
            raise ApiValueError(f"{kind.value} must be an integer, got {raw!r}")
        return int(raw)
    return raw


def _json_type(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")
