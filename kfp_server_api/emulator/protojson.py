"""Proto-JSON the way the KFP API server reads and writes it, plus the Go text formats it shows.

Reading: request bodies and the ``filter`` parameter are decoded against message schemas declared
below as data (one tuple of fields per message). Decoding follows jsonpb: proto or lowerCamel
key names, ``null`` means unset, enums by name or number, 64-bit integers as numbers or strings,
timestamps as RFC 3339 strings, oneof members exclusive. Unknown keys are ignored in bodies and
rejected in filters.

Writing: ``format_double`` (Go's shortest float format), ``format_timestamp`` (RFC 3339 in UTC,
whole seconds), ``go_quote`` (Go's ``%q``).

Error texts imitate Go's where they are well known (``strconv``, ``url``, ``encoding/json``
syntax errors); the rest say the same thing in their own words.
"""

from __future__ import annotations

import datetime
import decimal
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Union

__all__ = [
    "MAX_DEPTH",
    "DecodeError",
    "Field",
    "decode_message",
    "format_double",
    "format_timestamp",
    "go_quote",
    "load_json",
    "nesting_depth",
    "parse_go_int",
    "parse_timestamp",
    "query_unescape",
]

JsonValue = Union[None, bool, int, float, str, list[Any], dict[str, Any]]

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
TIMESTAMP_MIN = -62135596800  # 0001-01-01T00:00:00Z
TIMESTAMP_MAX = 253402300799  # 9999-12-31T23:59:59Z
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


class DecodeError(ValueError):
    """A request value that jsonpb (or the Go parser behind it) would reject."""


# --------------------------------------------------------------------------------------------
# Go text formats


def go_quote(text: str) -> str:
    """Go's ``strconv.Quote`` / ``%q``: a double-quoted literal with Go escapes."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char in _GO_SHORT_ESCAPES:
            out.append(_GO_SHORT_ESCAPES[char])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif char.isprintable() or char == " ":
            out.append(char)
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


_GO_SHORT_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
}


def format_double(value: float) -> str:
    """A double as Go's JSON encoder writes it: ``1`` not ``1.0``, ``1e-7``, ``"NaN"``."""
    if math.isnan(value):
        return '"NaN"'
    if math.isinf(value):
        return '"Infinity"' if value > 0 else '"-Infinity"'
    magnitude = abs(value)
    shortest = repr(value)
    if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21):
        mantissa, _, exponent = shortest.partition("e")
        if not exponent:  # repr chose positional notation; force the exponent form
            mantissa, _, exponent = f"{decimal.Decimal(shortest):e}".partition("e")
        if mantissa.endswith(".0"):
            mantissa = mantissa[:-2]
        sign = "-" if exponent.startswith("-") else "+"
        digits = exponent.lstrip("+-").lstrip("0") or "0"
        if len(digits) == 1 and sign == "+":
            digits = "0" + digits
        return f"{mantissa}e{sign}{digits}"
    positional = format(decimal.Decimal(shortest), "f")
    if "." in positional:
        positional = positional.rstrip("0").rstrip(".")
    return positional


def format_timestamp(seconds: int) -> str:
    """A ``google.protobuf.Timestamp`` of whole seconds as jsonpb writes it (RFC 3339, ``Z``)."""
    seconds = min(max(seconds, TIMESTAMP_MIN), TIMESTAMP_MAX)
    moment = _EPOCH + datetime.timedelta(seconds=seconds)
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"
    )


_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))"
)


def parse_timestamp(text: str) -> int:
    """Unix seconds (floored) of an RFC 3339 timestamp, as jsonpb accepts it."""
    match = _RFC3339.fullmatch(text)
    if match is None:
        raise DecodeError(f"bad Timestamp: {go_quote(text)} is not in RFC 3339 format")
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    try:
        moment = datetime.datetime(
            year, month, day, hour, minute, second, tzinfo=datetime.timezone.utc
        )
    except ValueError as exc:
        raise DecodeError(f"bad Timestamp: {go_quote(text)}: {exc}") from None
    seconds = int((moment - _EPOCH).total_seconds())
    if match.group(9):
        offset = int(match.group(10)) * 3600 + int(match.group(11)) * 60
        seconds -= offset if match.group(9) == "+" else -offset
    if not TIMESTAMP_MIN <= seconds <= TIMESTAMP_MAX:
        raise DecodeError(f"bad Timestamp: {go_quote(text)} is out of range")
    return seconds


_GO_INT = re.compile(r"[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|0[0-7_]*|[1-9][0-9_]*)")


def parse_go_int(text: str, bits: int) -> int:
    """Go's ``strconv.ParseInt(text, 0, bits)``: base prefixes, ``_`` separators, Go's errors."""
    if not _GO_INT.fullmatch(text) or "__" in text or text.endswith("_"):
        raise ValueError(f"strconv.ParseInt: parsing {go_quote(text)}: invalid syntax")
    body = text.lstrip("+-").replace("_", "")
    if body[:2].lower() in ("0x", "0b", "0o"):
        if len(body) == 2:
            raise ValueError(f"strconv.ParseInt: parsing {go_quote(text)}: invalid syntax")
        value = int(body, 0)
    elif len(body) > 1 and body.startswith("0"):
        value = int(body, 8)
    else:
        value = int(body)
    if text.startswith("-"):
        value = -value
    if not -(2 ** (bits - 1)) <= value <= 2 ** (bits - 1) - 1:
        raise ValueError(f"strconv.ParseInt: parsing {go_quote(text)}: value out of range")
    return value


_HEX = frozenset("0123456789abcdefABCDEF")


def query_unescape(text: str) -> str:
    """Go's ``url.QueryUnescape``: ``+`` is a space, ``%XX`` a byte; a bad escape is an error."""
    if "%" not in text and "+" not in text:
        return text
    out = bytearray()
    index = 0
    while index < len(text):
        char = text[index]
        if char == "%":
            pair = text[index + 1 : index + 3]
            if len(pair) < 2 or not set(pair) <= _HEX:
                raise ValueError(f"invalid URL escape {go_quote(text[index : index + 3])}")
            out.append(int(pair, 16))
            index += 3
            continue
        out.extend(b" " if char == "+" else char.encode("utf-8"))
        index += 1
    return out.decode("utf-8", "replace")


# --------------------------------------------------------------------------------------------
# JSON text


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def load_json(text: str) -> JsonValue:
    """The first JSON value in ``text``, as Go's ``json.Decoder`` reads it (the rest is ignored).

    Raises DecodeError with a Go-style message; an empty document raises ``EOF``.
    """
    start = len(text) - len(text.lstrip(" \t\r\n"))
    if start == len(text):
        raise DecodeError("EOF")
    if nesting_depth(text) > MAX_DEPTH:
        raise DecodeError("exceeded max depth")
    try:
        value: JsonValue
        value, _ = _DECODER.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        raise DecodeError(_go_syntax_message(text, exc)) from None
    except ValueError as exc:  # NaN / Infinity literals, which Go does not accept
        first = go_char(str(exc)[0])
        raise DecodeError(f"invalid character {first} looking for beginning of value") from None
    except RecursionError:
        raise DecodeError("exceeded max depth") from None
    cleaned: JsonValue = _clean_strings(value)
    return cleaned


MAX_DEPTH = 200
"""Deepest nesting of JSON arrays and objects accepted (Go's decoder allows 10000)."""

_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]')


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON ``text``, brackets in strings ignored.

    Counted without recursion, so that nothing downstream (parsing, re-encoding, cleaning)
    can exhaust Python's stack on a hostile document.
    """
    depth = deepest = 0
    for match in _BRACKETS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


def go_char(char: str) -> str:
    """A character as Go's JSON scanner names it in errors (``'x'``)."""
    if char == "'":
        return "'\\''"
    if char == '"':
        return "'\"'"
    return "'" + go_quote(char)[1:-1] + "'"


_SYNTAX_CONTEXTS = (
    ("Expecting property name", "looking for beginning of object key string"),
    ("Expecting ':'", "after object key"),
    ("Invalid control character", "in string literal"),
    ("Invalid \\", "in string escape code"),
)


def _go_syntax_message(text: str, exc: json.JSONDecodeError) -> str:
    position = exc.pos
    if exc.msg.startswith("Unterminated string") or position >= len(text.rstrip(" \t\r\n")):
        return "unexpected EOF"
    char = go_char(text[position])
    for prefix, context in _SYNTAX_CONTEXTS:
        if exc.msg.startswith(prefix):
            return f"invalid character {char} {context}"
    if exc.msg.startswith("Expecting ','"):
        inside = (
            "array element"
            if _innermost_container(text, position) == "["
            else ("object key:value pair")
        )
        return f"invalid character {char} after {inside}"
    return f"invalid character {char} looking for beginning of value"


def _innermost_container(text: str, end: int) -> str:
    """The bracket (``[`` or ``{``) still open at ``end``, ignoring brackets inside strings."""
    stack: list[str] = []
    in_string = escaped = False
    for char in text[:end]:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            stack.append(char)
        elif char in "]}" and stack:
            stack.pop()
    return stack[-1] if stack else ""


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean_strings(value: Any) -> Any:
    """Replace lone surrogates (from ``\\ud800`` escapes) with U+FFFD, as Go's decoder does."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value
    if isinstance(value, list):
        return [_clean_strings(item) for item in value]
    if isinstance(value, dict):
        return {_clean_strings(key): _clean_strings(item) for key, item in value.items()}
    return value


# --------------------------------------------------------------------------------------------
# Message schemas and decoding


@dataclass(frozen=True)
class Field:
    """One field of a proto message: its proto name, kind and, for messages and enums, type."""

    name: str
    kind: str  # string, int32, int64, double, bool, enum, message, timestamp, map
    type: str = ""  # message or enum full name; for maps, the value message
    repeated: bool = False
    oneof: str = ""

    @property
    def json_name(self) -> str:
        """The lowerCamel name jsonpb also accepts."""
        head, *rest = self.name.split("_")
        return head + "".join(part[:1].upper() + part[1:] for part in rest)


ENUMS: dict[str, dict[str, int]] = {
    "api.Run.StorageState": {"STORAGESTATE_AVAILABLE": 0, "STORAGESTATE_ARCHIVED": 1},
    "api.Experiment.StorageState": {
        "STORAGESTATE_UNSPECIFIED": 0,
        "STORAGESTATE_AVAILABLE": 1,
        "STORAGESTATE_ARCHIVED": 2,
    },
    "api.ResourceType": {
        "UNKNOWN_RESOURCE_TYPE": 0,
        "EXPERIMENT": 1,
        "JOB": 2,
        "PIPELINE": 3,
        "PIPELINE_VERSION": 4,
        "NAMESPACE": 5,
    },
    "api.Relationship": {"UNKNOWN_RELATIONSHIP": 0, "OWNER": 1, "CREATOR": 2},
    "api.RunMetric.Format": {"UNSPECIFIED": 0, "RAW": 1, "PERCENTAGE": 2},
    "api.Job.Mode": {"UNKNOWN_MODE": 0, "ENABLED": 1, "DISABLED": 2},
    "api.Predicate.Op": {
        "UNKNOWN": 0,
        "EQUALS": 1,
        "NOT_EQUALS": 2,
        "GREATER_THAN": 3,
        "GREATER_THAN_EQUALS": 5,
        "LESS_THAN": 6,
        "LESS_THAN_EQUALS": 7,
        "IN": 8,
        "IS_SUBSTRING": 9,
    },
}

ENUM_NAMES: dict[str, dict[int, str]] = {
    enum_name: {number: name for name, number in values.items()}
    for enum_name, values in ENUMS.items()
}

MESSAGES: dict[str, tuple[Field, ...]] = {
    "api.Run": (
        Field("id", "string"),
        Field("name", "string"),
        Field("storage_state", "enum", "api.Run.StorageState"),
        Field("description", "string"),
        Field("pipeline_spec", "message", "api.PipelineSpec"),
        Field("resource_references", "message", "api.ResourceReference", repeated=True),
        Field("service_account", "string"),
        Field("created_at", "timestamp"),
        Field("scheduled_at", "timestamp"),
        Field("finished_at", "timestamp"),
        Field("status", "string"),
        Field("error", "string"),
        Field("metrics", "message", "api.RunMetric", repeated=True),
    ),
    "api.PipelineSpec": (
        Field("pipeline_id", "string"),
        Field("pipeline_name", "string"),
        Field("workflow_manifest", "string"),
        Field("pipeline_manifest", "string"),
        Field("parameters", "message", "api.Parameter", repeated=True),
        Field("runtime_config", "message", "api.PipelineSpec.RuntimeConfig"),
    ),
    "api.Parameter": (Field("name", "string"), Field("value", "string")),
    "api.PipelineSpec.RuntimeConfig": (
        Field("parameters", "map", "api.Value"),
        Field("pipeline_root", "string"),
    ),
    "api.Value": (
        Field("int_value", "int64", oneof="value"),
        Field("double_value", "double", oneof="value"),
        Field("string_value", "string", oneof="value"),
    ),
    "api.ResourceReference": (
        Field("key", "message", "api.ResourceKey"),
        Field("name", "string"),
        Field("relationship", "enum", "api.Relationship"),
    ),
    "api.ResourceKey": (
        Field("type", "enum", "api.ResourceType"),
        Field("id", "string"),
    ),
    "api.RunMetric": (
        Field("name", "string"),
        Field("node_id", "string"),
        Field("number_value", "double", oneof="value"),
        Field("format", "enum", "api.RunMetric.Format"),
    ),
    "api.ReportRunMetricsRequest": (
        Field("run_id", "string"),
        Field("metrics", "message", "api.RunMetric", repeated=True),
    ),
    "api.Pipeline": (
        Field("id", "string"),
        Field("created_at", "timestamp"),
        Field("name", "string"),
        Field("description", "string"),
        Field("parameters", "message", "api.Parameter", repeated=True),
        Field("url", "message", "api.Url"),
        Field("error", "string"),
        Field("default_version", "message", "api.PipelineVersion"),
        Field("resource_references", "message", "api.ResourceReference", repeated=True),
    ),
    "api.PipelineVersion": (
        Field("id", "string"),
        Field("name", "string"),
        Field("created_at", "timestamp"),
        Field("parameters", "message", "api.Parameter", repeated=True),
        Field("code_source_url", "string"),
        Field("package_url", "message", "api.Url"),
        Field("resource_references", "message", "api.ResourceReference", repeated=True),
        Field("description", "string"),
    ),
    "api.Url": (Field("pipeline_url", "string"),),
    "api.Job": (
        Field("id", "string"),
        Field("name", "string"),
        Field("description", "string"),
        Field("pipeline_spec", "message", "api.PipelineSpec"),
        Field("resource_references", "message", "api.ResourceReference", repeated=True),
        Field("service_account", "string"),
        Field("max_concurrency", "int64"),
        Field("trigger", "message", "api.Trigger"),
        Field("mode", "enum", "api.Job.Mode"),
        Field("created_at", "timestamp"),
        Field("updated_at", "timestamp"),
        Field("status", "string"),
        Field("error", "string"),
        Field("enabled", "bool"),
        Field("no_catchup", "bool"),
    ),
    "api.Trigger": (
        Field("cron_schedule", "message", "api.CronSchedule", oneof="trigger"),
        Field("periodic_schedule", "message", "api.PeriodicSchedule", oneof="trigger"),
    ),
    "api.CronSchedule": (
        Field("start_time", "timestamp"),
        Field("end_time", "timestamp"),
        Field("cron", "string"),
    ),
    "api.PeriodicSchedule": (
        Field("start_time", "timestamp"),
        Field("end_time", "timestamp"),
        Field("interval_second", "int64"),
    ),
    "api.Filter": (Field("predicates", "message", "api.Predicate", repeated=True),),
    "api.Predicate": (
        Field("op", "enum", "api.Predicate.Op"),
        Field("key", "string"),
        Field("int_value", "int32", oneof="value"),
        Field("long_value", "int64", oneof="value"),
        Field("string_value", "string", oneof="value"),
        Field("timestamp_value", "timestamp", oneof="value"),
        Field("int_values", "message", "api.IntValues", oneof="value"),
        Field("string_values", "message", "api.StringValues", oneof="value"),
        Field("long_values", "message", "api.LongValues", oneof="value"),
    ),
    "api.Experiment": (
        Field("id", "string"),
        Field("name", "string"),
        Field("description", "string"),
        Field("created_at", "timestamp"),
        Field("resource_references", "message", "api.ResourceReference", repeated=True),
        Field("storage_state", "enum", "api.Experiment.StorageState"),
    ),
    "api.IntValues": (Field("values", "int32", repeated=True),),
    "api.StringValues": (Field("values", "string", repeated=True),),
    "api.LongValues": (Field("values", "int64", repeated=True),),
}

_FIELDS_BY_KEY: dict[str, dict[str, Field]] = {
    message: {key: field for field in fields for key in (field.name, field.json_name)}
    for message, fields in MESSAGES.items()
}

Message = dict[str, Any]


def decode_message(type_name: str, value: JsonValue, *, allow_unknown: bool) -> Message:
    """Decode a parsed JSON value into a message: a dict keyed by proto field name.

    Only fields present (and not ``null``) appear. Enums become numbers, timestamps Unix seconds,
    nested messages dicts, repeated fields lists, maps dicts.
    """
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DecodeError(
            f"json: cannot unmarshal {_json_kind(value)} into Go value of type "
            "map[string]json.RawMessage"
        )
    fields = _FIELDS_BY_KEY[type_name]
    result: Message = {}
    oneofs: dict[str, str] = {}
    for key, item in value.items():
        field = fields.get(key)
        if field is None:
            if allow_unknown:
                continue
            raise DecodeError(f"unknown field {go_quote(key)} in {type_name}")
        if field.name in result:
            raise DecodeError(f"field {type_name}.{field.name} is given twice")
        if item is None:
            continue
        if field.oneof:
            other = oneofs.get(field.oneof)
            if other is not None:
                raise DecodeError(
                    f"oneof {type_name}.{field.oneof} is already set by field {other}"
                )
            oneofs[field.oneof] = field.name
        result[field.name] = _decode_field(type_name, field, item, allow_unknown)
    return result


def _decode_field(owner: str, field: Field, value: JsonValue, allow_unknown: bool) -> Any:
    if field.kind == "map":
        if not isinstance(value, dict):
            raise _type_error(owner, field, value)
        return {
            key: decode_message(field.type, item, allow_unknown=allow_unknown)
            for key, item in value.items()
        }
    if field.repeated:
        if not isinstance(value, list):
            raise _type_error(owner, field, value)
        if any(item is None for item in value):
            raise DecodeError(f"null is not a valid element of repeated field {owner}.{field.name}")
        return [_decode_scalar(owner, field, item, allow_unknown) for item in value]
    return _decode_scalar(owner, field, value, allow_unknown)


def _decode_scalar(owner: str, field: Field, value: JsonValue, allow_unknown: bool) -> Any:
    kind = field.kind
    if kind == "string":
        if isinstance(value, str):
            return value
    elif kind in ("int32", "int64"):
        number = _to_integer(value)
        low, high = (INT32_MIN, INT32_MAX) if kind == "int32" else (INT64_MIN, INT64_MAX)
        if number is not None and low <= number <= high:
            return number
    elif kind == "double":
        double = _to_double(value)
        if double is not None:
            return double
    elif kind == "bool":
        if isinstance(value, bool):
            return value
    elif kind == "enum":
        number = _to_enum(field.type, value)
        if number is not None:
            return number
    elif kind == "timestamp":
        if isinstance(value, str):
            return parse_timestamp(value)
    elif kind == "message" and isinstance(value, dict):
        return decode_message(field.type, value, allow_unknown=allow_unknown)
    raise _type_error(owner, field, value)


def _to_integer(value: JsonValue) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            number = decimal.Decimal(value.strip())
        except decimal.InvalidOperation:
            return None
        if value != value.strip() or not number.is_finite() or number != number.to_integral():
            return None
        return int(number)
    return None


_SPECIAL_DOUBLES = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def _to_double(value: JsonValue) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:
            return None
    if isinstance(value, str):
        if value in _SPECIAL_DOUBLES:
            return _SPECIAL_DOUBLES[value]
        try:
            number = float(value)
        except ValueError:
            return None
        if not math.isfinite(number) or value.strip() != value or "_" in value:
            return None
        return number
    return None


def _to_enum(enum_name: str, value: JsonValue) -> int | None:
    if isinstance(value, str):
        return ENUMS[enum_name].get(value)
    number = _to_integer(value) if not isinstance(value, str) else None
    if number is not None and INT32_MIN <= number <= INT32_MAX:
        return number
    return None


def _json_kind(value: JsonValue) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _type_error(owner: str, field: Field, value: JsonValue) -> DecodeError:
    shown = json.dumps(value, ensure_ascii=False)
    if len(shown) > 100:
        shown = shown[:100] + "..."
    expected = field.type if field.kind in ("enum", "message") else field.kind
    if field.repeated:
        expected = f"repeated {expected}"
    return DecodeError(f"invalid value for {expected} field {owner}.{field.name}: {shown}")


def enum_name(enum_type: str, number: int) -> str:
    """The name of an enum value, or the number as text when the value is undefined."""
    return ENUM_NAMES[enum_type].get(number, str(number))


def message_fields(type_name: str) -> Mapping[str, Field]:
    """The fields of a message by proto name."""
    return {field.name: field for field in MESSAGES[type_name]}
