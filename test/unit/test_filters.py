"""The filter builder: exact JSON per op and value kind, validation, parsing and round trips."""

from __future__ import annotations

import enum
import json
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kfp_server_api.exceptions import ApiTypeError, ApiValueError, OpenApiException
from kfp_server_api.filters import (
    RUN_FILTER_KEYS,
    Filter,
    Long,
    Op,
    Predicate,
    RunKey,
    ValueKind,
    contains,
    eq,
    gt,
    gte,
    in_,
    lt,
    lte,
    ne,
)

UTC = timezone.utc
DEC_1 = datetime(2018, 12, 1, tzinfo=UTC)


class Phase(str, enum.Enum):
    SUCCEEDED = "Succeeded"


class Code(enum.IntEnum):
    SEVEN = 7


# (predicate, the exact JSON of that predicate inside {"predicates":[...]})
EXACT_JSON = [
    # every op with a string value
    (eq("status", "Succeeded"), '{"key":"status","op":"EQUALS","string_value":"Succeeded"}'),
    (ne("status", "Failed"), '{"key":"status","op":"NOT_EQUALS","string_value":"Failed"}'),
    (gt("name", "b"), '{"key":"name","op":"GREATER_THAN","string_value":"b"}'),
    (gte("name", "b"), '{"key":"name","op":"GREATER_THAN_EQUALS","string_value":"b"}'),
    (lt("name", "b"), '{"key":"name","op":"LESS_THAN","string_value":"b"}'),
    (lte("name", "b"), '{"key":"name","op":"LESS_THAN_EQUALS","string_value":"b"}'),
    (contains("name", "night"), '{"key":"name","op":"IS_SUBSTRING","string_value":"night"}'),
    (eq("name", ""), '{"key":"name","op":"EQUALS","string_value":""}'),
    (eq("status", Phase.SUCCEEDED), '{"key":"status","op":"EQUALS","string_value":"Succeeded"}'),
    # int32 -> JSON number, at both bounds
    (eq("n", 0), '{"key":"n","op":"EQUALS","int_value":0}'),
    (gt("n", 2**31 - 1), '{"key":"n","op":"GREATER_THAN","int_value":2147483647}'),
    (lt("n", -(2**31)), '{"key":"n","op":"LESS_THAN","int_value":-2147483648}'),
    (eq("n", Code.SEVEN), '{"key":"n","op":"EQUALS","int_value":7}'),
    # int64 -> JSON string, inferred beyond int32 or asked for
    (gte("n", 2**31), '{"key":"n","op":"GREATER_THAN_EQUALS","long_value":"2147483648"}'),
    (lte("n", -(2**31) - 1), '{"key":"n","op":"LESS_THAN_EQUALS","long_value":"-2147483649"}'),
    (ne("n", 2**63 - 1), '{"key":"n","op":"NOT_EQUALS","long_value":"9223372036854775807"}'),
    (eq("n", -(2**63)), '{"key":"n","op":"EQUALS","long_value":"-9223372036854775808"}'),
    (eq("n", Long(5)), '{"key":"n","op":"EQUALS","long_value":"5"}'),
    (eq("n", 5, kind=ValueKind.LONG), '{"key":"n","op":"EQUALS","long_value":"5"}'),
    (eq("n", 5, kind="long_value"), '{"key":"n","op":"EQUALS","long_value":"5"}'),
    # timestamps -> RFC 3339 UTC with Z
    (
        gt("created_at", DEC_1),
        '{"key":"created_at","op":"GREATER_THAN","timestamp_value":"2018-12-01T00:00:00Z"}',
    ),
    (  # naive is taken as UTC
        lt("created_at", datetime(2018, 12, 1, 5, 6, 7)),
        '{"key":"created_at","op":"LESS_THAN","timestamp_value":"2018-12-01T05:06:07Z"}',
    ),
    (  # an offset is converted to UTC
        gte("scheduled_at", datetime(2018, 12, 1, 1, 30, tzinfo=timezone(timedelta(hours=2)))),
        '{"key":"scheduled_at","op":"GREATER_THAN_EQUALS",'
        '"timestamp_value":"2018-11-30T23:30:00Z"}',
    ),
    (
        eq("created_at", datetime(2020, 1, 2, 3, 4, 5, 120000, tzinfo=UTC)),
        '{"key":"created_at","op":"EQUALS","timestamp_value":"2020-01-02T03:04:05.120Z"}',
    ),
    (
        eq("created_at", datetime(2020, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)),
        '{"key":"created_at","op":"EQUALS","timestamp_value":"2020-01-02T03:04:05.123456Z"}',
    ),
    (
        ne("created_at", datetime(1, 1, 1, tzinfo=UTC)),
        '{"key":"created_at","op":"NOT_EQUALS","timestamp_value":"0001-01-01T00:00:00Z"}',
    ),
    (
        lte("created_at", "2018-12-01T01:00:00+01:00", kind=ValueKind.TIMESTAMP),
        '{"key":"created_at","op":"LESS_THAN_EQUALS","timestamp_value":"2018-12-01T00:00:00Z"}',
    ),
    # array forms for IN
    (in_("name", ["a", "b"]), '{"key":"name","op":"IN","string_values":{"values":["a","b"]}}'),
    (in_("name", ("b", "a")), '{"key":"name","op":"IN","string_values":{"values":["b","a"]}}'),
    (in_("name", {"b", "a"}), '{"key":"name","op":"IN","string_values":{"values":["a","b"]}}'),
    (in_("name", []), '{"key":"name","op":"IN","string_values":{"values":[]}}'),
    (in_("n", [], kind=ValueKind.INTS), '{"key":"n","op":"IN","int_values":{"values":[]}}'),
    (in_("n", [3, 1]), '{"key":"n","op":"IN","int_values":{"values":[3,1]}}'),
    (in_("n", range(3)), '{"key":"n","op":"IN","int_values":{"values":[0,1,2]}}'),
    (in_("n", [1, 2**40]), '{"key":"n","op":"IN","long_values":{"values":["1","1099511627776"]}}'),
    (in_("n", [1, Long(2)]), '{"key":"n","op":"IN","long_values":{"values":["1","2"]}}'),
    (
        in_("n", [1, 2], kind=ValueKind.LONGS),
        '{"key":"n","op":"IN","long_values":{"values":["1","2"]}}',
    ),
    # '+' and '%' survive the server's second URL-decoding as JSON escapes
    (eq("name", "a+b 100%"), '{"key":"name","op":"EQUALS","string_value":"a\\u002bb 100\\u0025"}'),
    (eq("name", 'q"\\é'), '{"key":"name","op":"EQUALS","string_value":"q\\"\\\\é"}'),
]


@pytest.mark.parametrize(("predicate", "expected"), EXACT_JSON)
def test_predicate_json_is_exact(predicate: Predicate, expected: str) -> None:
    text = Filter.where(predicate).to_json()

    assert text == '{"predicates":[' + expected + "]}"
    assert json.loads(text)["predicates"][0] == predicate.to_dict()


@pytest.mark.parametrize(("predicate", "expected"), EXACT_JSON)
def test_predicate_json_parses_back_to_the_same_predicate(
    predicate: Predicate, expected: str
) -> None:
    assert Filter.from_json(str(Filter.where(predicate))) == Filter.where(predicate)


def test_every_op_has_a_helper_with_the_servers_number() -> None:
    helpers = [eq, ne, gt, gte, lt, lte]
    ops = [Op.EQUALS, Op.NOT_EQUALS, Op.GREATER_THAN, Op.GREATER_THAN_EQUALS]
    ops += [Op.LESS_THAN, Op.LESS_THAN_EQUALS]
    assert [helper("k", "v").op for helper in helpers] == ops
    assert in_("k", ["v"]).op is Op.IN
    assert contains("k", "v").op is Op.IS_SUBSTRING
    assert {op.name: op.value for op in Op} == {
        "EQUALS": 1,
        "NOT_EQUALS": 2,
        "GREATER_THAN": 3,
        "GREATER_THAN_EQUALS": 5,
        "LESS_THAN": 6,
        "LESS_THAN_EQUALS": 7,
        "IN": 8,
        "IS_SUBSTRING": 9,
    }


def test_filter_keeps_predicate_order_and_str_is_the_json() -> None:
    f = Filter.where(eq(RunKey.STATUS, "Succeeded"), gt(RunKey.CREATED_AT, DEC_1))

    assert str(f) == f.to_json() == f"{f}"
    assert str(f) == (
        '{"predicates":[{"key":"status","op":"EQUALS","string_value":"Succeeded"},'
        '{"key":"created_at","op":"GREATER_THAN","timestamp_value":"2018-12-01T00:00:00Z"}]}'
    )


def test_combining_returns_new_filters_and_leaves_the_old_ones_alone() -> None:
    first = Filter.where(eq("status", "Succeeded"))
    second = first.and_(ne("storage_state", "STORAGESTATE_ARCHIVED"))
    third = second & Filter.where(contains("name", "x"), in_("id", ["a"]))

    assert len(first) == 1
    assert len(second) == 2
    assert [p.op for p in third] == [Op.EQUALS, Op.NOT_EQUALS, Op.IS_SUBSTRING, Op.IN]
    assert eq("a", "1") & eq("b", "2") == Filter((eq("a", "1"), eq("b", "2")))
    assert eq("a", "1") & Filter.where(eq("b", "2")) == Filter([eq("a", "1"), eq("b", "2")])


def test_values_are_frozen_and_hashable() -> None:
    f = Filter.where(in_("name", ["a"]), eq("n", 1))

    with pytest.raises(AttributeError):
        f.predicates = ()
    with pytest.raises(AttributeError):
        f.predicates[0].key = "other"
    assert hash(f) == hash(Filter.where(in_("name", ("a",)), eq("n", 1)))
    assert f.predicates[0].value == ("a",)


def test_empty_filter_is_falsy_and_matches_everything() -> None:
    assert not Filter()
    assert str(Filter()) == '{"predicates":[]}'
    assert Filter.from_json("{}") == Filter() == Filter.from_json('{"predicates":[]}')


def test_int_and_long_of_the_same_number_are_different_predicates() -> None:
    assert eq("n", 5) != eq("n", Long(5))
    assert eq("n", 5).kind is ValueKind.INT
    assert eq("n", Long(5)).kind is ValueKind.LONG


def test_predicate_takes_op_names_numbers_and_kind_names() -> None:
    assert Predicate("k", "GREATER_THAN_EQUALS", 1) == gte("k", 1)
    assert Predicate("k", 5, 1) == gte("k", 1)
    assert Predicate("k", Op.IN, [1], "long_values") == in_("k", [Long(1)])


def test_repr_shows_the_normalised_values() -> None:
    assert repr(Filter.where(eq("n", Long(3)))) == (
        "Filter.where(Predicate('n', Op.EQUALS, 3, ValueKind.LONG))"
    )


def test_run_keys_are_the_keys_runs_accept() -> None:
    assert {
        "id",
        "name",
        "created_at",
        "description",
        "scheduled_at",
        "storage_state",
        "status",
    } == RUN_FILTER_KEYS
    assert RunKey.CREATED_AT == "created_at"


# (what is built, expected exception type, words the message must contain)
INVALID = [
    (lambda: in_("name", "abc"), ApiValueError, ["IN on 'name' needs a list", "eq()"]),
    (lambda: in_("n", 5), ApiValueError, ["IN on 'n' needs a list"]),
    (lambda: in_("n", [1], kind=ValueKind.INT), ApiValueError, ["array kind", "INTS"]),
    (lambda: eq("name", ["a"]), ApiValueError, ["EQUALS on 'name' takes a single", "in_()"]),
    (lambda: lte("name", ("a",)), ApiValueError, ["LESS_THAN_EQUALS", "single value"]),
    (lambda: eq("n", 1, kind=ValueKind.INTS), ApiValueError, ["single value, not int_values"]),
    (lambda: contains("name", 5), ApiValueError, ["IS_SUBSTRING on 'name' needs a string"]),
    (lambda: contains("created_at", DEC_1), ApiValueError, ["IS_SUBSTRING", "timestamp_value"]),
    (lambda: eq("done", True), ApiTypeError, ["bool", "no boolean kind"]),
    (lambda: in_("done", [1, False]), ApiTypeError, ["bool"]),
    (lambda: eq("x", 1.5), ApiTypeError, ["unsupported filter value type float"]),
    (lambda: eq("x", None), ApiTypeError, ["unsupported filter value type NoneType"]),
    (lambda: eq("x", b"raw"), ApiTypeError, ["unsupported filter value type bytes"]),
    (lambda: eq("x", {"a": 1}), ApiTypeError, ["unsupported filter value type dict"]),
    (lambda: eq("x", date(2020, 1, 1)), ApiTypeError, ["is a date", "datetime"]),
    (lambda: in_("x", ["a", 1]), ApiTypeError, ["mix types (int, str)"]),
    (lambda: in_("x", {"a", 1}), ApiTypeError, ["mix types"]),
    (lambda: in_("x", [1.0]), ApiTypeError, ["float"]),
    (lambda: in_("t", [DEC_1]), ApiTypeError, ["no array of timestamps"]),
    (lambda: in_("x", ["a"], kind=ValueKind.INTS), ApiTypeError, ["cannot be sent as int_value"]),
    (lambda: eq("x", "5", kind=ValueKind.INT), ApiTypeError, ["str, which cannot be sent"]),
    (lambda: eq("x", Long(5), kind=ValueKind.INT), ApiTypeError, ["cannot be sent as int_value"]),
    (lambda: eq("x", DEC_1, kind=ValueKind.STRING), ApiTypeError, ["datetime"]),
    (lambda: eq("x", 1, kind="double_value"), ApiValueError, ["unknown value kind"]),
    (lambda: eq("x", 2**31, kind=ValueKind.INT), ApiValueError, ["outside the int32 range"]),
    (lambda: eq("x", 2**63), ApiValueError, ["9223372036854775808", "int64 range"]),
    (lambda: in_("x", [-(2**63) - 1]), ApiValueError, ["int64 range"]),
    (lambda: Long(2**63), ApiValueError, ["int64 range"]),
    (lambda: Long("5"), ApiTypeError, ["Long() takes an int"]),
    (lambda: eq("", "v"), ApiValueError, ["key must not be empty"]),
    (lambda: eq(5, "v"), ApiTypeError, ["key must be a str"]),
    (lambda: Predicate("k", "UNKNOWN", 1), ApiValueError, ["invalid predicate operation"]),
    (lambda: Predicate("k", 4, 1), ApiValueError, ["invalid predicate operation 4"]),
    (
        lambda: eq("t", "2018-12-01", kind=ValueKind.TIMESTAMP),
        ApiValueError,
        ["not RFC 3339"],
    ),
    (
        lambda: eq("t", "2018-02-30T00:00:00Z", kind=ValueKind.TIMESTAMP),
        ApiValueError,
        ["not a valid time"],
    ),
    (
        lambda: eq("t", datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1)))),
        ApiValueError,
        ["outside years 1-9999"],
    ),
    (lambda: Filter(["not a predicate"]), ApiTypeError, ["Predicate objects", "position 0"]),
    (lambda: Filter().and_("x"), ApiTypeError, ["and_() takes"]),
]


@pytest.mark.parametrize(("build", "error", "words"), INVALID)
def test_invalid_values_fail_at_construction_with_a_clear_message(
    build: object, error: type[OpenApiException], words: list[str]
) -> None:
    with pytest.raises(error) as caught:
        build()

    for word in words:
        assert word in caught.value.message


def test_every_validation_error_is_an_sdk_error() -> None:
    for build, _, _ in INVALID:
        with pytest.raises(OpenApiException):
            build()


# What the server's parser accepts besides our own output.
PARSES_AS = [
    ('{"predicates":[{"op":1,"key":"a","stringValue":"x"}]}', eq("a", "x")),
    ('{"predicates":[{"key":"a","op":"EQUALS","int_value":"12"}]}', eq("a", 12)),
    ('{"predicates":[{"key":"a","op":"EQUALS","intValue":12}]}', eq("a", 12)),
    ('{"predicates":[{"key":"a","op":"EQUALS","long_value":12}]}', eq("a", Long(12))),
    ('{"predicates":[{"key":"a","op":"EQUALS","longValue":"-12"}]}', eq("a", Long(-12))),
    (
        '{"predicates":[{"key":"a","op":"IN","longValues":{"values":[1,"2"]}}]}',
        in_("a", [Long(1), Long(2)]),
    ),
    ('{"predicates":[{"key":"a","op":"IN","intValues":{}}]}', in_("a", [], kind=ValueKind.INTS)),
    (
        '{"predicates":[{"key":"t","op":"GREATER_THAN","timestampValue":"2018-12-01T00:00:00Z"}]}',
        gt("t", DEC_1),
    ),
    (
        '{"predicates":[{"key":"t","op":"LESS_THAN","timestamp_value":"2018-12-01T00:00:00.5-01:00"}]}',
        lt("t", datetime(2018, 12, 1, 1, 0, 0, 500000, tzinfo=UTC)),
    ),
    (
        '{"predicates":[{"key":"t","op":"EQUALS","timestamp_value":"2018-12-01T00:00:00.123456789Z"}]}',
        eq("t", datetime(2018, 12, 1, 0, 0, 0, 123456, tzinfo=UTC)),
    ),
    ('{"predicates":[{"key":"a","op":"EQUALS","string_value":"\\u002b"}]}', eq("a", "+")),
]


@pytest.mark.parametrize(("text", "expected"), PARSES_AS)
def test_from_json_accepts_what_the_server_accepts(text: str, expected: Predicate) -> None:
    assert Filter.from_json(text) == Filter.where(expected)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "not valid JSON"),
        ("[1]", "must be an object, got array"),
        ('{"predicate":[]}', "unknown field 'predicate' in filter"),
        ('{"predicates":{}}', "'predicates' must be a list"),
        ('{"predicates":[1]}', "predicates[0] must be an object"),
        ('{"predicates":[{"key":"a","string_value":"x"}]}', "predicates[0] has no op"),
        ('{"predicates":[{"key":"a","op":"UNKNOWN","string_value":"x"}]}', "invalid predicate"),
        ('{"predicates":[{"key":"a","op":"EQUALS"}]}', "has no value for key 'a'"),
        ('{"predicates":[{"key":"a","op":"EQUALS","foo":1}]}', "unknown field 'foo'"),
        (
            '{"predicates":[{"key":"a","op":"EQUALS","int_value":1,"string_value":"x"}]}',
            "more than one value",
        ),
        ('{"predicates":[{"key":"a","op":"EQUALS","int_value":"x"}]}', "must be an integer"),
        ('{"predicates":[{"key":"a","op":"EQUALS","int_value":1.5}]}', "must be an integer"),
        ('{"predicates":[{"key":"a","op":"EQUALS","int_value":true}]}', "must be an integer"),
        ('{"predicates":[{"key":"a","op":"EQUALS","int_value":3000000000}]}', "int32 range"),
        ('{"predicates":[{"key":"a","op":"EQUALS","string_value":1}]}', "must be a JSON string"),
        ('{"predicates":[{"key":"a","op":"EQUALS","timestamp_value":"x"}]}', "not RFC 3339"),
        ('{"predicates":[{"key":"a","op":"IN","string_values":["x"]}]}', '{"values": [...]}'),
        ('{"predicates":[{"key":"a","op":"IN","string_values":{"values":"x"}}]}', "a list"),
        ('{"predicates":[{"key":"a","op":"IN","string_value":"x"}]}', "needs an array kind"),
        ('{"predicates":[{"key":"a","op":"EQUALS","string_values":{}}]}', "single value"),
        ('{"predicates":[{"key":7,"op":"EQUALS","string_value":"x"}]}', "key must be a string"),
    ],
)
def test_from_json_rejects_what_the_server_rejects(text: str, words: str) -> None:
    with pytest.raises(ApiValueError) as caught:
        Filter.from_json(text)

    assert words in caught.value.message


# Property: anything the builder can make survives a JSON round trip unchanged.
_keys = st.text(min_size=1, max_size=12)
_strings = st.text(max_size=20)
_int32 = st.integers(-(2**31), 2**31 - 1)
_int64 = st.integers(-(2**63), 2**63 - 1)
_times = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
)
_scalar_ops = st.sampled_from([eq, ne, gt, gte, lt, lte])
_predicates = st.one_of(
    st.builds(lambda op, k, v: op(k, v), _scalar_ops, _keys, st.one_of(_strings, _int64, _times)),
    st.builds(lambda op, k, v: op(k, Long(v)), _scalar_ops, _keys, _int64),
    st.builds(contains, _keys, _strings),
    st.builds(in_, _keys, st.one_of(st.lists(_strings), st.lists(_int32), st.lists(_int64))),
    st.builds(lambda k, v: in_(k, [Long(n) for n in v]), _keys, st.lists(_int64)),
)


@given(st.lists(_predicates, max_size=5))
def test_any_filter_round_trips_through_json(predicates: list[Predicate]) -> None:
    f = Filter(predicates)
    text = f.to_json()

    assert Filter.from_json(text) == f
    assert "+" not in text
    assert "%" not in text
    assert json.loads(text) == f.to_dict()


@pytest.mark.parametrize("wrong", [eq("a", "b"), "predicates", 5])
def test_filter_takes_an_iterable_of_predicates(wrong: object) -> None:
    with pytest.raises(ApiTypeError, match="iterable of predicates"):
        Filter(wrong)
