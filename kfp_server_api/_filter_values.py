"""Filter values: their kinds, and how a Python or JSON value becomes one and back.

The value side of :mod:`kfp_server_api.filters` (whose docstring states the rules): the
operations (``Op``), the value kinds (``ValueKind``), ``Long``, the checks and normalisation of a
Python value for a predicate, its JSON encoding, and the parsing of a JSON value. ``Op``,
``ValueKind`` and ``Long`` are re-exported by :mod:`kfp_server_api.filters`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Final, Union

from kfp_server_api.exceptions import ApiTypeError, ApiValueError

__all__ = [
    "KIND_BY_JSON_KEY",
    "ArrayValue",
    "Long",
    "Op",
    "ScalarValue",
    "StoredValue",
    "ValueKind",
    "coerce_kind",
    "coerce_op",
    "encode",
    "json_type",
    "normalise",
    "value_from_json",
]

INT32_MIN: Final = -(2**31)
INT32_MAX: Final = 2**31 - 1
INT64_MIN: Final = -(2**63)
INT64_MAX: Final = 2**63 - 1


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
KIND_BY_JSON_KEY: Final = {
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


# ---------------------------------------------------------------------------------------------
# Normalisation: Python value (+ optional explicit kind) -> (kind, stored value)


def coerce_op(op: object) -> Op:
    if isinstance(op, Op):
        return op
    if isinstance(op, str) and op in Op.__members__:
        return Op[op]
    if isinstance(op, int) and not isinstance(op, bool) and op in Op._value2member_map_:
        return Op(op)
    raise ApiValueError(
        f"invalid predicate operation {op!r}; use one of {', '.join(Op.__members__)}"
    )


def coerce_kind(kind: object) -> ValueKind | None:
    if kind is None or isinstance(kind, ValueKind):
        return kind
    if isinstance(kind, str) and kind in KIND_BY_JSON_KEY:
        return KIND_BY_JSON_KEY[kind]
    raise ApiValueError(
        f"unknown value kind {kind!r}; use one of {', '.join(k.value for k in ValueKind)}"
    )


def normalise(
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


def encode(kind: ValueKind, value: StoredValue) -> Any:
    if isinstance(value, tuple):
        items = [str(item) for item in value] if kind is ValueKind.LONGS else list(value)
        return {"values": items}
    if isinstance(value, datetime):
        return _format_timestamp(value)
    if kind is ValueKind.LONG:
        return str(value)  # int64 travels as a JSON string, as protobuf's JSON mapping has it
    return value


# ---------------------------------------------------------------------------------------------
# Parsing: JSON value -> Python value


def value_from_json(kind: ValueKind, raw: object) -> str | int | list[str | int]:
    if kind.is_array:
        if not isinstance(raw, dict) or set(raw) - {"values"}:
            raise ApiValueError(f'{kind.value} must be an object {{"values": [...]}}')
        items = raw.get("values") or []
        if not isinstance(items, list):
            raise ApiValueError(f"{kind.value}.values must be a list, got {json_type(items)}")
        return [_scalar_from_json(_ELEMENT_KIND[kind], item) for item in items]
    return _scalar_from_json(kind, raw)


def _scalar_from_json(kind: ValueKind, raw: object) -> str | int:
    if kind in (ValueKind.STRING, ValueKind.TIMESTAMP):
        if not isinstance(raw, str):
            raise ApiValueError(f"{kind.value} must be a JSON string, got {json_type(raw)}")
        return raw
    # int32 and int64 both accept a JSON number or a quoted one; fractional values are invalid.
    if isinstance(raw, bool) or not isinstance(raw, (int, str, float)):
        raise ApiValueError(f"{kind.value} must be an integer, got {json_type(raw)}")
    if isinstance(raw, float):
        if not raw.is_integer():
            raise ApiValueError(f"{kind.value} must be an integer, got {raw!r}")
        return int(raw)
    if isinstance(raw, str):
        if not re.fullmatch(r"-?\d+", raw):
            raise ApiValueError(f"{kind.value} must be an integer, got {raw!r}")
        return int(raw)
    return raw


def json_type(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")
