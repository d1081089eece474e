"""The Go text formats the emulator reproduces: floats, timestamps, ints, quoting, unescaping."""

from __future__ import annotations

import pytest

from kfp_server_api.emulator.protojson import (
    DecodeError,
    decode_message,
    format_double,
    format_timestamp,
    go_quote,
    load_json,
    parse_go_int,
    parse_timestamp,
    query_unescape,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1"),
        (0.0, "0"),
        (-0.0, "-0"),
        (0.88, "0.88"),
        (100.0, "100"),
        (1e-6, "0.000001"),
        (1.234e-5, "0.00001234"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (1e16, "10000000000000000"),
        (1.2345678901234567e20, "123456789012345670000"),
        (1e21, "1e+21"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (5e-324, "5e-324"),
        (float("nan"), '"NaN"'),
        (float("inf"), '"Infinity"'),
        (float("-inf"), '"-Infinity"'),
    ],
)
def test_format_double_like_go(value: float, text: str) -> None:
    assert format_double(value) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "1970-01-01T00:00:00Z"),
        (1646128800, "2022-03-01T10:00:00Z"),
        (-62135596800, "0001-01-01T00:00:00Z"),
        (253402300799, "9999-12-31T23:59:59Z"),
    ],
)
def test_format_timestamp(seconds: int, text: str) -> None:
    assert format_timestamp(seconds) == text


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("2018-12-01T00:00:00Z", 1543622400),
        ("2018-12-01T00:00:00.999999999Z", 1543622400),
        ("2018-12-01t01:00:00+01:00", 1543622400),
        ("2018-11-30T23:00:00-01:00", 1543622400),
        ("1969-12-31T23:59:59.5Z", -1),
    ],
)
def test_parse_timestamp(text: str, seconds: int) -> None:
    assert parse_timestamp(text) == seconds


@pytest.mark.parametrize(
    "text", ["2018-12-01", "2018-12-01T00:00:00", "2018-02-30T00:00:00Z", "10000-01-01T00:00:00Z"]
)
def test_parse_timestamp_rejects(text: str) -> None:
    with pytest.raises(DecodeError, match="bad Timestamp"):
        parse_timestamp(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("20", 20),
        ("+3", 3),
        ("-5", -5),
        ("0x10", 16),
        ("0o17", 15),
        ("017", 15),
        ("0b101", 5),
        ("1_000", 1000),
        ("2147483647", 2**31 - 1),
        ("-2147483648", -(2**31)),
    ],
)
def test_parse_go_int(text: str, value: int) -> None:
    assert parse_go_int(text, 32) == value


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("abc", "invalid syntax"),
        ("", "invalid syntax"),
        ("08", "invalid syntax"),
        ("0x", "invalid syntax"),
        ("1__0", "invalid syntax"),
        ("_1", "invalid syntax"),
        ("1.5", "invalid syntax"),
        ("2147483648", "value out of range"),
    ],
)
def test_parse_go_int_errors(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=f"strconv.ParseInt: parsing .*: {reason}"):
        parse_go_int(text, 32)


def test_go_quote() -> None:
    assert go_quote('a"b\\c') == '"a\\"b\\\\c"'
    assert go_quote("\n\t\x01\x7f") == '"\\n\\t\\x01\\x7f"'
    assert go_quote("é日本") == '"é日本"'
    assert go_quote("\u200b") == '"\\u200b"'


def test_query_unescape() -> None:
    assert query_unescape("a+b%20c%2B") == "a b c+"
    assert query_unescape("%E6%97%A5") == "日"
    for bad, shown in (("%", '"%"'), ("%4", '"%4"'), ("%zz1", '"%zz"')):
        with pytest.raises(ValueError, match=f"invalid URL escape {shown}"):
            query_unescape(bad)


def test_load_json_reads_the_first_value_only() -> None:
    assert load_json(' {"a": 1} trailing') == {"a": 1}
    with pytest.raises(DecodeError, match=r"^EOF$"):
        load_json("  ")
    with pytest.raises(DecodeError, match="exceeded max depth"):
        load_json("[" * 100_000)


def test_decode_accepts_numbers_in_strings_and_enum_numbers() -> None:
    message = decode_message(
        "api.RunMetric",
        {"name": "m", "numberValue": "2.5", "format": 1},
        allow_unknown=False,
    )
    assert message == {"name": "m", "number_value": 2.5, "format": 1}
    predicate = decode_message(
        "api.Predicate",
        {"op": "IN", "long_values": {"values": ["9007199254740993"]}},
        allow_unknown=False,
    )
    assert predicate["long_values"]["values"] == [9007199254740993]


@pytest.mark.parametrize(
    ("message", "value"),
    [
        ("api.Predicate", {"int_value": 2**31}),
        ("api.Predicate", {"int_value": 1.5}),
        ("api.Predicate", {"int_value": True}),
        ("api.Predicate", {"long_value": "12abc"}),
        ("api.RunMetric", {"number_value": "1e999"}),
        ("api.Filter", {"predicates": [None]}),
        ("api.Filter", {"predicates": {}}),
        ("api.Run", {"pipeline_spec": "x"}),
    ],
)
def test_decode_rejects_wrong_types(message: str, value: dict[str, object]) -> None:
    with pytest.raises(DecodeError):
        decode_message(message, value, allow_unknown=True)
