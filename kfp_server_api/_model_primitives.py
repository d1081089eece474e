"""`DecodeError`, and the conversions of JSON scalars into field values, as lenient as 1.8.5.

Used by the decoders of :mod:`kfp_server_api._model_decoding`; described in
:mod:`kfp_server_api.model`.
"""

from __future__ import annotations

import re
import sys
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, NamedTuple

from kfp_server_api._model_base import Decoder

__all__ = ["DecodeError"]


class DecodeError(ValueError):
    """JSON data does not have the shape its declared type needs.

    `path` locates the value from the top of the decoded document, e.g.
    ``run.metrics[0].number_value`` (empty for the top itself); `expected` and `got` describe
    the mismatch.
    """

    def __init__(self, expected: str, got: str, path: str = "") -> None:
        super().__init__(expected, got, path)
        self.expected = expected
        self.got = got
        self._segments = [path] if path else []

    @classmethod
    def for_value(cls, expected: str, value: Any) -> DecodeError:
        """An error for `value` (parsed JSON) where `expected` was needed."""
        return cls(expected, _describe(value))

    def __reduce__(self) -> tuple[type[DecodeError], tuple[str, str, str]]:
        return (type(self), (self.expected, self.got, self.path))

    @property
    def path(self) -> str:
        """Where the bad value is, from the top of the decoded document."""
        parts: list[str] = []
        for segment in reversed(self._segments):
            if parts and not segment.startswith("["):
                parts.append(".")
            parts.append(segment)
        return "".join(parts)

    def add_parent(self, segment: str) -> None:
        """Record that the bad value sits under `segment` (a key, ``[index]`` or ``["key"]``)."""
        self._segments.append(segment)

    def __str__(self) -> str:
        where = f" at {self.path}" if self._segments else ""
        return f"expected {self.expected}{where}, got {self.got}"


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {text!r}"
    return f"a {type(value).__name__}"


class _NoFastPath:
    """Stands for "no type can be stored without conversion"; never instantiated."""


class _Kind(NamedTuple):
    """How values of one type are decoded: stored as they are when their class is `fast`,
    otherwise (and when not None) passed to `convert`."""

    fast: type
    convert: Decoder


def _convert_str(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    raise DecodeError.for_value("a string", value)


def _convert_int(value: Any) -> Any:
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
    raise DecodeError.for_value("an integer", value)


def _convert_float(value: Any) -> Any:
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:  # an integer beyond the range of a float
            raise DecodeError("a number within the range of a float", "a larger integer") from None
    if isinstance(value, str):
        try:
            return float(value)  # accepts "NaN", "Infinity", "-Infinity" as the server sends them
        except ValueError:
            pass
    raise DecodeError.for_value("a number", value)


def _convert_bool(value: Any) -> Any:
    if isinstance(value, (bool, int)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise DecodeError.for_value("a boolean", value)


def _keep(value: Any) -> Any:
    return value


# RFC 3339 with any case of T/Z and up to nanoseconds; the fallback before dateutil for what
# datetime.fromisoformat does not read (lower-case letters; before 3.11, fractions of other
# than 3 or 6 digits).
_RFC3339 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?"
    r"(?:([Zz])|([+-])(\d\d):(\d\d))?"
)


def _parse_rfc3339(text: str) -> datetime:
    match = _RFC3339.fullmatch(text)
    if match is None:
        raise ValueError(text)
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    tz: timezone | None = None
    if zulu:
        tz = timezone.utc
    elif sign:
        offset = timedelta(hours=int(off_h), minutes=int(off_m))
        tz = timezone(-offset if sign == "-" else offset)
    micro = int(fraction[:6].ljust(6, "0")) if fraction else 0
    return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tz)


def _parse_iso_before_311(text: str) -> datetime:
    """`datetime.fromisoformat` for RFC 3339 text, on Pythons whose version does not read "Z".

    Several times faster than the regular expression for what servers send
    (``2022-03-01T08:00:27Z``); text it does not read raises ValueError, and the caller then
    tries the regular expression.
    """
    if text[10:11] not in ("T", "t", " "):
        raise ValueError(text)
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    return datetime.fromisoformat(text)


_parse_iso: Callable[[str], datetime] = (
    datetime.fromisoformat if sys.version_info >= (3, 11) else _parse_iso_before_311
)


def _convert_datetime(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return _parse_iso(value)
        except ValueError:
            pass
        try:
            return _parse_rfc3339(value)
        except ValueError:
            pass
        from dateutil.parser import parse  # unusual formats only; slow to import

        try:
            return parse(value)
        except (ValueError, OverflowError):
            pass
    raise DecodeError.for_value("an RFC 3339 date-time string", value)


def _convert_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
        from dateutil.parser import parse

        try:
            return parse(value).date()
        except (ValueError, OverflowError):
            pass
    raise DecodeError.for_value("a date string (YYYY-MM-DD)", value)


_PRIMITIVE_KINDS: dict[str, _Kind] = {
    "str": _Kind(str, _convert_str),
    "int": _Kind(int, _convert_int),
    "long": _Kind(int, _convert_int),
    "float": _Kind(float, _convert_float),
    "bool": _Kind(bool, _convert_bool),
    "datetime": _Kind(_NoFastPath, _convert_datetime),
    "date": _Kind(_NoFastPath, _convert_date),
    "object": _Kind(_NoFastPath, _keep),
}
