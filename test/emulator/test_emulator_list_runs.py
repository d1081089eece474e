"""list_runs: paging, sorting, filtering, resource_reference_key and every documented error."""

from __future__ import annotations

import base64
import json
import urllib.parse
from collections.abc import Sequence
from typing import Any

import pytest
from emulator_http import RUNS, Client, create_run, kfp_error

from kfp_server_api.emulator import Emulator, ManualClock, RunSeed

OPTIONS = "Failed to create list options: "


def invalid(message: str, context: str = OPTIONS) -> dict[str, Any]:
    return kfp_error(f"{context}Invalid input error: {message}", 3, message)


def list_runs(client: Client, **query: Any) -> dict[str, Any]:
    reply = client.get(RUNS, **query)
    assert reply.status == 200, reply.text
    document: dict[str, Any] = reply.json
    return document


def names(document: dict[str, Any]) -> list[str]:
    return [run["name"] for run in document.get("runs", [])]


def every_page(client: Client, **query: Any) -> list[dict[str, Any]]:
    """All pages of a listing, following next_page_token."""
    pages = [list_runs(client, **query)]
    while "next_page_token" in pages[-1]:
        token = pages[-1]["next_page_token"]
        pages.append(list_runs(client, page_token=token, page_size=query.get("page_size", 0)))
    return pages


def filter_json(*predicates: dict[str, Any]) -> str:
    return json.dumps({"predicates": list(predicates)})


@pytest.fixture
def seeded(emulator: Emulator, clock: ManualClock) -> list[str]:
    """Five runs with distinct names, times, statuses, descriptions and metrics."""
    start = clock.now()
    seeds = [
        RunSeed(
            "charlie",
            status="Succeeded",
            description="nightly",
            created_at=start + 30,
            scheduled_at=start + 300,
            metrics={"accuracy": 0.7},
        ),
        RunSeed(
            "alpha",
            status="Failed",
            description="adhoc",
            created_at=start + 10,
            scheduled_at=start + 500,
            metrics={"accuracy": 0.9},
        ),
        RunSeed(
            "echo",
            status="Running",
            description="nightly 100%",
            created_at=start + 50,
            archived=True,
            metrics={"accuracy": 0.8, "loss": 3},
        ),
        RunSeed("bravo", status="Succeeded", description="", created_at=start + 20),
        RunSeed("delta", status="Pending", description="adhoc", created_at=start + 40),
    ]
    return emulator.seed_runs(seeds)


def test_empty_listing_is_an_empty_object(client: Client) -> None:
    reply = client.get(RUNS)
    assert (reply.status, reply.body) == (200, b"{}")


def test_default_order_is_created_at_ascending(client: Client, seeded: list[str]) -> None:
    document = list_runs(client)
    assert names(document) == ["alpha", "bravo", "charlie", "delta", "echo"]
    assert document["total_size"] == 5
    assert "next_page_token" not in document
    assert list(document) == ["runs", "total_size"]


def test_list_items_are_runs_with_metrics(client: Client, seeded: list[str]) -> None:
    run = list_runs(client)["runs"][-1]
    assert run["name"] == "echo"
    assert run["storage_state"] == "STORAGESTATE_ARCHIVED"
    assert run["metrics"] == [
        {"name": "accuracy", "node_id": "main", "number_value": 0.8},
        {"name": "loss", "node_id": "main", "number_value": 3},
    ]
    assert "workflow_manifest" in run["pipeline_spec"]
    assert "pipeline_runtime" not in run


def test_paging_walks_every_run_once_without_an_empty_last_page(
    client: Client, seeded: list[str]
) -> None:
    pages = every_page(client, page_size=2)
    assert [names(page) for page in pages] == [["alpha", "bravo"], ["charlie", "delta"], ["echo"]]
    assert [page["total_size"] for page in pages] == [5, 5, 5]
    assert "next_page_token" not in pages[-1]


def test_exact_multiple_of_the_page_size_has_no_trailing_page(
    client: Client, emulator: Emulator
) -> None:
    emulator.seed_runs(RunSeed(f"r{i}") for i in range(4))
    pages = every_page(client, page_size=2)
    assert [len(page["runs"]) for page in pages] == [2, 2]


def test_page_size_defaults_to_20_and_is_capped_at_200(client: Client, emulator: Emulator) -> None:
    emulator.seed_runs(RunSeed(f"r{i}") for i in range(250))
    assert len(list_runs(client)["runs"]) == 20
    assert len(list_runs(client, page_size=0)["runs"]) == 20
    assert len(list_runs(client, page_size=1000)["runs"]) == 200
    assert len(list_runs(client, pageSize=7)["runs"]) == 7
    assert len(list_runs(client, page_size="0x10")["runs"]) == 16


def test_token_carries_sort_and_filter_but_not_page_size(client: Client, seeded: list[str]) -> None:
    query = {
        "page_size": 1,
        "sort_by": "name desc",
        "filter": filter_json({"key": "status", "op": "EQUALS", "string_value": "Succeeded"}),
    }
    first = list_runs(client, **query)
    assert names(first) == ["charlie"]
    second = list_runs(client, page_token=first["next_page_token"])
    assert names(second) == ["bravo"]
    assert second["total_size"] == 2
    assert "next_page_token" not in second


def test_token_is_base64_json_naming_the_next_row(client: Client, seeded: list[str]) -> None:
    token = list_runs(client, page_size=1)["next_page_token"]
    document = json.loads(base64.standard_b64decode(token))
    assert document["SortByFieldName"] == "CreatedAtInSec"
    assert document["KeyFieldName"] == "UUID"
    assert document["KeyFieldValue"] == seeded[3]  # bravo, the second oldest
    assert document["IsDesc"] is False
    assert document["Filter"] is None


def test_same_criteria_may_be_resent_with_a_token(client: Client, seeded: list[str]) -> None:
    query = {"page_size": 2, "sort_by": "name", "filter": filter_json()}
    first = list_runs(client, **query)
    second = list_runs(client, page_token=first["next_page_token"], **query)
    assert names(second) == ["charlie", "delta"]


@pytest.mark.parametrize(
    "changed",
    [{"sort_by": "name desc"}, {"sort_by": "id"}, {"filter": filter_json()}, {"sort_by": ""}],
)
def test_token_with_other_criteria_is_rejected(
    client: Client, seeded: list[str], changed: dict[str, str]
) -> None:
    first = list_runs(client, page_size=2, sort_by="name")
    if changed == {"sort_by": ""}:
        changed = {"filter": filter_json()}  # no sort_by means the default sort
    reply = client.get(RUNS, page_token=first["next_page_token"], **changed)
    assert (reply.status, reply.json) == (
        400,
        invalid(
            "page token does not match the supplied sort by and/or filtering criteria. Either "
            "specify the same criteria or leave the latter empty if page token is specified."
        ),
    )


@pytest.mark.parametrize(
    "token",
    ["not base64!", "bm90IGpzb24=", "e30", "WzFd", base64.b64encode(b'{"SortByFieldName":"X"}')],
)
def test_bad_page_tokens(client: Client, seeded: list[str], token: str | bytes) -> None:
    reply = client.get(RUNS, page_token=token)
    assert reply.status == 400
    body = reply.json
    assert body["code"] == 3
    assert body["details"][0]["error_message"] == "Invalid package token."
    assert body["error"].startswith(OPTIONS + "InvalidInputError: Invalid package token.: ")


def test_bad_base64_reports_the_position(client: Client) -> None:
    reply = client.get(RUNS, page_token="ab!d")
    assert reply.json["error"] == (
        OPTIONS + "InvalidInputError: Invalid package token.: illegal base64 data at input byte 2"
    )


def test_listing_stays_consistent_while_runs_are_added(
    client: Client, emulator: Emulator, seeded: list[str]
) -> None:
    first = list_runs(client, page_size=2)
    emulator.seed_runs([RunSeed("zulu", created_at=0)])  # sorts before every page boundary
    second = list_runs(client, page_token=first["next_page_token"], page_size=2)
    assert names(second) == ["charlie", "delta"]
    assert second["total_size"] == 6


def sort_key(run: dict[str, Any], field: str) -> tuple[Any, ...]:
    """The value a run is sorted by, then its id; runs without a metric have None first."""
    if field.startswith("metric:"):
        values = [m["number_value"] for m in run.get("metrics", []) if m["name"] == field[7:]]
        return (values[0] if values else None, run["id"])
    default = "STORAGESTATE_AVAILABLE" if field == "storage_state" else ""
    return (run.get(field, default), run["id"])


def expected_order(runs: list[dict[str, Any]], field: str, desc: bool) -> list[str]:
    def key(run: dict[str, Any]) -> tuple[Any, ...]:
        value, run_id = sort_key(run, field)
        return (value is not None, value if value is not None else 0, run_id)

    return [run["id"] for run in sorted(runs, key=key, reverse=desc)]


SORT_FIELDS = ["name", "created_at", "description", "scheduled_at", "status", "storage_state"]


@pytest.mark.parametrize("field", [*SORT_FIELDS, "id", "metric:accuracy", "metric:loss"])
@pytest.mark.parametrize("direction", ["", " asc", " desc", " DESC"])
def test_sort_fields(client: Client, seeded: list[str], field: str, direction: str) -> None:
    document = list_runs(client, sort_by=field.upper() + direction, page_size=100)
    listed = [run["id"] for run in document["runs"]]
    key_field = "id" if field == "id" else field
    assert listed == expected_order(document["runs"], key_field, direction.lower() == " desc")


def test_sort_by_name_descending(client: Client, seeded: list[str]) -> None:
    assert names(list_runs(client, sort_by="name desc")) == [
        "echo",
        "delta",
        "charlie",
        "bravo",
        "alpha",
    ]


def test_sort_by_id_pages_in_id_order(client: Client, seeded: list[str]) -> None:
    pages = every_page(client, sort_by="id", page_size=2)
    ids = [run["id"] for page in pages for run in page["runs"]]
    assert ids == sorted(seeded)


def test_metric_sort_ascending_puts_runs_without_the_metric_first(
    client: Client, seeded: list[str]
) -> None:
    document = list_runs(client, sort_by="metric:accuracy", page_size=10)
    assert set(names(document)[:2]) == {"bravo", "delta"}
    assert names(document)[2:] == ["charlie", "echo", "alpha"]


def test_metric_sort_pages(client: Client, emulator: Emulator) -> None:
    scores = [3, 1, 2, 5, 4.5]
    emulator.seed_runs(RunSeed(f"s{score}", metrics={"score": score}) for score in scores)
    pages = every_page(client, sort_by="metric:score desc", page_size=2)
    assert [names(page) for page in pages] == [["s5", "s4.5"], ["s3", "s2"], ["s1"]]
    token = json.loads(base64.b64decode(pages[0]["next_page_token"]))
    assert (token["SortByFieldName"], token["SortByFieldValue"]) == ("metric:score", 3)


@pytest.mark.parametrize("query", [{"page_size": 1}, {"page_size": 2, "desc": True}])
def test_metric_sort_cannot_page_into_runs_without_the_metric(
    client: Client, seeded: list[str], query: dict[str, Any]
) -> None:
    # Two runs lack "accuracy". Ascending, they come first and the second page would start on
    # one of them; descending, the second page would end right before one of them.
    sort_by = "metric:accuracy desc" if query.pop("desc", False) else "metric:accuracy"
    reply = client.get(RUNS, sort_by=sort_by, **query)
    if reply.status == 200:
        reply = client.get(RUNS, page_token=reply.json["next_page_token"], **query)
    message = 'cannot sort by field "accuracy" on type "Run"'
    assert (reply.status, reply.json) == (400, invalid(message, "Failed to list runs.: "))


FILTER_CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    (
        "equals",
        {"key": "status", "op": "EQUALS", "string_value": "Succeeded"},
        ["bravo", "charlie"],
    ),
    (
        "not equals",
        {"key": "storage_state", "op": "NOT_EQUALS", "string_value": "STORAGESTATE_ARCHIVED"},
        ["alpha", "bravo", "charlie", "delta"],
    ),
    (
        "greater than timestamp",
        {"key": "created_at", "op": "GREATER_THAN", "timestamp_value": "2022-03-01T10:00:30Z"},
        ["delta", "echo"],
    ),
    (
        "greater or equal timestamp with offset",
        {"key": "created_at", "op": 5, "timestamp_value": "2022-03-01T09:00:30-01:00"},
        ["charlie", "delta", "echo"],
    ),
    (
        "less than long",
        {"key": "created_at", "op": "LESS_THAN", "long_value": "1646128830"},
        ["alpha", "bravo"],
    ),
    (
        "less or equal int",
        {"key": "scheduled_at", "op": "LESS_THAN_EQUALS", "int_value": 0},
        ["bravo", "delta", "echo"],
    ),
    (
        "in strings",
        {"key": "name", "op": "IN", "string_values": {"values": ["alpha", "echo", "x"]}},
        ["alpha", "echo"],
    ),
    (
        "in longs",
        {"key": "created_at", "op": "IN", "long_values": {"values": ["1646128810", 1646128840]}},
        ["alpha", "delta"],
    ),
    (
        "in ints",
        {"key": "scheduled_at", "op": "IN", "int_values": {"values": [0]}},
        ["bravo", "delta", "echo"],
    ),
    ("in nothing", {"key": "name", "op": "IN", "string_values": {}}, []),
    (
        "substring",
        {"key": "description", "op": "IS_SUBSTRING", "string_value": "night"},
        ["charlie", "echo"],
    ),
    (
        "substring wildcard",
        {"key": "description", "op": "IS_SUBSTRING", "string_value": "_"},
        ["alpha", "charlie", "delta", "echo"],
    ),
    ("id", {"key": "id", "op": "EQUALS", "string_value": "nope"}, []),
]


@pytest.mark.parametrize(
    ("predicate", "expected"),
    [case[1:] for case in FILTER_CASES],
    ids=[case[0] for case in FILTER_CASES],
)
def test_filter_ops_and_value_kinds(
    client: Client, seeded: list[str], predicate: dict[str, Any], expected: list[str]
) -> None:
    document = list_runs(client, filter=filter_json(predicate))
    assert names(document) == expected
    assert document.get("total_size", 0) == len(expected)


def test_predicates_are_and_ed_and_keys_may_repeat(client: Client, seeded: list[str]) -> None:
    document = list_runs(
        client,
        filter=filter_json(
            {"key": "created_at", "op": "GREATER_THAN", "long_value": 1646128810},
            {"key": "created_at", "op": "LESS_THAN", "long_value": 1646128850},
            {"key": "status", "op": "NOT_EQUALS", "string_value": "Pending"},
        ),
    )
    assert names(document) == ["bravo", "charlie"]


def test_filter_survives_double_encoding(client: Client, seeded: list[str]) -> None:
    encoded_once = urllib.parse.quote(
        filter_json({"key": "name", "op": "EQUALS", "string_value": "alpha"}), safe=""
    )
    document = list_runs(client, filter=encoded_once)  # urlencode encodes it a second time
    assert names(document) == ["alpha"]


def test_plus_in_a_filter_becomes_a_space(client: Client, emulator: Emulator) -> None:
    emulator.seed_runs([RunSeed("a b"), RunSeed("a+b")])
    raw = filter_json({"key": "name", "op": "EQUALS", "string_value": "a+b"})
    assert names(list_runs(client, filter=raw)) == ["a b"]


def test_positive_offsets_need_double_encoding(client: Client, seeded: list[str]) -> None:
    # The server unescapes the filter a second time, so a "+" sent once-encoded is a space.
    raw = filter_json(
        {"key": "created_at", "op": "LESS_THAN", "timestamp_value": "2022-03-01T11:00:30+01:00"}
    )
    reply = client.get(RUNS, filter=raw)
    assert reply.status == 400
    assert reply.json["details"][0]["error_message"].endswith(
        'bad Timestamp: "2022-03-01T11:00:30 01:00" is not in RFC 3339 format'
    )
    document = list_runs(client, filter=urllib.parse.quote(raw, safe=""))
    assert names(document) == ["alpha", "bravo"]


def test_camel_case_filter_keys(client: Client, seeded: list[str]) -> None:
    raw = json.dumps(
        {"predicates": [{"key": "name", "op": "IN", "stringValues": {"values": ["alpha"]}}]}
    )
    assert names(list_runs(client, filter=raw)) == ["alpha"]


FILTER_ERRORS: list[tuple[str, str, str]] = [
    (
        "unknown key",
        filter_json({"key": "finished_at", "op": 1, "long_value": 0}),
        'no support for filtering on unrecognized field "finished_at"',
    ),
    (
        "metric key",
        filter_json({"key": "metric:accuracy", "op": 1, "long_value": 0}),
        'no support for filtering on unrecognized field "metric:accuracy"',
    ),
    (
        "IN with scalar",
        filter_json({"key": "name", "op": "IN", "string_value": "a"}),
        "cannot use IN operator with scalar type *api.Predicate_StringValue",
    ),
    (
        "IN without value",
        filter_json({"key": "name", "op": "IN"}),
        "cannot use IN operator with scalar type <nil>",
    ),
    (
        "scalar with array",
        filter_json({"key": "name", "op": "EQUALS", "string_values": {"values": []}}),
        "cannot use scalar operator EQUALS on array type *api.Predicate_StringValues",
    ),
    (
        "substring of int",
        filter_json({"key": "name", "op": "IS_SUBSTRING", "int_value": 5}),
        "cannot use non string value type api.Predicate_Op with operator &{5}",
    ),
    (
        "unknown op",
        filter_json({"key": "name", "op": "UNKNOWN", "string_value": "a"}),
        "invalid predicate operation: UNKNOWN",
    ),
    (
        "undefined op number",
        filter_json({"key": "name", "op": 4, "string_value": "a"}),
        "invalid predicate operation: 4",
    ),
    (
        "no value",
        filter_json({"key": "status", "op": "EQUALS"}),
        'no value set for predicate on key "Conditions"',
    ),
]


@pytest.mark.parametrize(
    ("raw", "message"),
    [case[1:] for case in FILTER_ERRORS],
    ids=[case[0] for case in FILTER_ERRORS],
)
def test_filter_predicate_errors(client: Client, raw: str, message: str) -> None:
    reply = client.get(RUNS, filter=raw)
    assert (reply.status, reply.json) == (400, invalid(message))


PARSE_ERRORS: list[tuple[str, str, str]] = [
    ("not JSON", "{nope", "invalid character 'n' looking for beginning of object key string"),
    ("unknown field", '{"foo": 1}', 'unknown field "foo" in api.Filter'),
    (
        "unknown op name",
        '{"predicates": [{"op": "LIKE"}]}',
        'invalid value for api.Predicate.Op field api.Predicate.op: "LIKE"',
    ),
    (
        "bad timestamp",
        '{"predicates": [{"timestamp_value": "2022-13-01T00:00:00Z"}]}',
        'bad Timestamp: "2022-13-01T00:00:00Z": month must be in 1..12',
    ),
    ("bare percent", '{"predicates": [{"string_value": "100%"}]}', 'invalid URL escape "%\\"}"'),
    (
        "two values",
        '{"predicates": [{"int_value": 1, "long_value": 2}]}',
        "oneof api.Predicate.value is already set by field int_value",
    ),
]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [case[1:] for case in PARSE_ERRORS],
    ids=[case[0] for case in PARSE_ERRORS],
)
def test_filter_parse_errors(client: Client, raw: str, reason: str) -> None:
    reply = client.get(RUNS, filter=raw)
    raw_quoted = json.dumps(raw)  # Go's %q of these ASCII strings equals JSON quoting
    assert (reply.status, reply.json) == (
        400,
        invalid(f"failed to parse valid filter from {raw_quoted}: {reason}"),
    )


def test_sort_by_errors(client: Client) -> None:
    reply = client.get(RUNS, sort_by="finished_at")
    assert reply.json == invalid('Invalid sorting field: "finished_at" on listable type Run')
    reply = client.get(RUNS, sort_by="Name Up")
    assert (reply.status, reply.json) == (
        400,
        invalid(
            'Received invalid sort by format "Name Up". Supported format: "field_name", '
            '"field_name desc", or "field_name asc"'
        ),
    )
    assert client.get(RUNS, sort_by="name desc extra").status == 400


def test_negative_page_size(client: Client) -> None:
    reply = client.get(RUNS, page_size=-1)
    assert (reply.status, reply.json) == (
        400,
        invalid("The page size should be greater than 0. Got '\ufffd'"),
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page_size=abc", 'strconv.ParseInt: parsing "abc": invalid syntax'),
        ("page_size=99999999999", 'strconv.ParseInt: parsing "99999999999": value out of range'),
        ("resource_reference_key.type=FOO", "FOO is not a valid api.ResourceType"),
        ("sort_by=%zz", 'invalid URL escape "%zz"'),
    ],
)
def test_gateway_query_errors(client: Client, query: str, message: str) -> None:
    reply = client.request("GET", f"{RUNS}?{query}")
    assert (reply.status, reply.json) == (400, kfp_error(message, 3, None))


def test_validation_order_filter_before_page_size(client: Client) -> None:
    reply = client.get(RUNS, filter="{", page_size=-1, sort_by="bad")
    assert "failed to parse valid filter" in reply.json["error"]
    reply = client.get(RUNS, page_size=-1, sort_by="bad")
    assert "page size" in reply.json["error"]


def test_unknown_and_repeated_parameters(client: Client, seeded: list[str]) -> None:
    reply = client.request("GET", f"{RUNS}?page_size=1&page_size=3&color=blue")
    assert len(reply.json["runs"]) == 1


@pytest.fixture
def related(emulator: Emulator, client: Client) -> dict[str, Any]:
    """Runs in two experiments, one created by a job, one from a pipeline version."""
    experiment = emulator.add_experiment("exp")
    job = emulator.add_job("nightly")
    pipeline = emulator.add_pipeline("p")
    owned = [{"key": {"type": "EXPERIMENT", "id": experiment}, "relationship": "OWNER"}]
    create_run(client, "in experiment", resource_references=owned)
    create_run(
        client,
        "by job",
        resource_references=[{"key": {"type": "JOB", "id": job}, "relationship": "CREATOR"}],
    )
    create_run(client, "from pipeline", pipeline_spec={"pipeline_id": pipeline.pipeline_id})
    return {"experiment": experiment, "job": job, "version": pipeline.version_id}


@pytest.mark.parametrize(
    ("kind", "target", "expected"),
    [
        ("EXPERIMENT", "experiment", ["in experiment"]),
        ("EXPERIMENT", "default", ["by job", "from pipeline"]),
        ("JOB", "job", ["by job"]),
        ("PIPELINE_VERSION", "version", ["from pipeline"]),
        ("NAMESPACE", "kubeflow", ["in experiment", "by job", "from pipeline"]),
        ("NAMESPACE", "other", []),
        ("EXPERIMENT", "unknown", []),
        ("JOB", "", []),
        ("1", "experiment", ["in experiment"]),
    ],
)
def test_resource_reference_key(
    client: Client,
    emulator: Emulator,
    related: dict[str, Any],
    kind: str,
    target: str,
    expected: Sequence[str],
) -> None:
    ids = {**related, "default": emulator.default_experiment_id}
    document = list_runs(
        client,
        **{
            "resource_reference_key.type": kind,
            "resource_reference_key.id": ids.get(target, target),
        },
    )
    assert sorted(names(document)) == sorted(expected)
    assert document.get("total_size", 0) == len(expected)


@pytest.mark.parametrize(
    ("query", "type_name"),
    [
        ({"resource_reference_key.type": "PIPELINE", "resource_reference_key.id": "p"}, "PIPELINE"),
        ({"resource_reference_key.id": "x"}, "UNKNOWN_RESOURCE_TYPE"),
    ],
)
def test_unsupported_reference_types(client: Client, query: dict[str, str], type_name: str) -> None:
    reply = client.get(RUNS, **query)
    assert (reply.status, reply.json) == (
        400,
        invalid(
            f"Unsupported resource type: {type_name}",
            "Validating filter failed.: Unrecognized resource reference type.: ",
        ),
    )


def test_reference_key_is_not_in_the_token_and_must_be_resent(
    client: Client, emulator: Emulator
) -> None:
    experiment = emulator.add_experiment("e")
    emulator.seed_runs(RunSeed(f"in-{i}", experiment_id=experiment) for i in range(3))
    emulator.seed_runs(RunSeed(f"out-{i}") for i in range(3))
    key = {"resource_reference_key.type": "EXPERIMENT", "resource_reference_key.id": experiment}
    first = list_runs(client, page_size=2, **key)
    assert first["total_size"] == 3
    with_key = list_runs(client, page_token=first["next_page_token"], page_size=2, **key)
    assert [name.split("-")[0] for name in names(with_key)] == ["in"]
    without = list_runs(client, page_token=first["next_page_token"], page_size=10)
    assert without["total_size"] == 6


def test_total_size_follows_writes(client: Client, emulator: Emulator) -> None:
    ids = emulator.seed_runs(RunSeed(f"r{i}", status="Failed") for i in range(3))
    query = {"filter": filter_json({"key": "status", "op": "EQUALS", "string_value": "Failed"})}
    assert list_runs(client, **query)["total_size"] == 3
    emulator.set_run_status(ids[0], "Succeeded")
    assert list_runs(client, **query)["total_size"] == 2
    assert client.request("DELETE", f"{RUNS}/{ids[1]}").status == 200
    assert list_runs(client, **query)["total_size"] == 1
    assert list_runs(client)["total_size"] == 2


def test_kept_counts_agree_with_counting_runs(clock: ManualClock) -> None:
    """total_size of status/storage_state filters comes from kept counts; counting the runs
    (the name predicate forces that path) must give the same numbers after every kind of write."""
    with Emulator(clock=clock, lifecycle="timed") as server:
        client = Client(server.url)
        experiment = server.add_experiment("e")
        owned = [{"key": {"type": "EXPERIMENT", "id": experiment}, "relationship": "OWNER"}]
        ids = [create_run(client, f"r{i}", resource_references=owned)["id"] for i in range(6)]
        ids += server.seed_runs(RunSeed(f"s{i}", status="Failed") for i in range(4))
        server.advance_clock(1)
        client.post(f"{RUNS}/{ids[0]}/terminate")
        client.post(f"{RUNS}/{ids[1]}:archive")
        client.post(f"{RUNS}/{ids[2]}:archive")
        client.post(f"{RUNS}/{ids[2]}:unarchive")
        client.request("DELETE", f"{RUNS}/{ids[3]}")
        client.post(f"{RUNS}/{ids[7]}/retry")
        server.set_run_status(ids[8], "Error")
        server.advance_clock(1)
        everything = {"key": "name", "op": "IS_SUBSTRING", "string_value": ""}
        for key, value in [
            ("status", "Failed"),
            ("status", "Succeeded"),
            ("status", "Running"),
            ("status", "Error"),
            ("storage_state", "STORAGESTATE_ARCHIVED"),
            ("storage_state", "STORAGESTATE_AVAILABLE"),
        ]:
            predicate = {"key": key, "op": "EQUALS", "string_value": value}
            for reference in (
                {},
                {
                    "resource_reference_key.type": "EXPERIMENT",
                    "resource_reference_key.id": experiment,
                },
            ):
                kept = list_runs(client, filter=filter_json(predicate), **reference)
                counted = list_runs(client, filter=filter_json(predicate, everything), **reference)
                assert kept.get("total_size", 0) == counted.get("total_size", 0), (key, value)
                assert kept.get("total_size", 0) == len(kept.get("runs", []))
        assert list_runs(client)["total_size"] == server.run_count() == 9
        client.close()


def test_token_carries_a_timestamp_filter(client: Client, seeded: list[str]) -> None:
    raw = filter_json(
        {"key": "created_at", "op": "GREATER_THAN", "timestamp_value": "2022-03-01T10:00:15Z"}
    )
    pages = every_page(client, filter=raw, page_size=1)
    assert [names(page) for page in pages] == [["bravo"], ["charlie"], ["delta"], ["echo"]]
    token = json.loads(base64.b64decode(pages[0]["next_page_token"]))
    assert "2022-03-01T10:00:15Z" in token["Filter"]["FilterProto"]
    again = list_runs(client, page_token=pages[0]["next_page_token"], filter=raw, page_size=1)
    assert names(again) == ["charlie"]
