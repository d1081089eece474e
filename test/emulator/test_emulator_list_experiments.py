"""list_experiment over raw HTTP: page size, tokens, every sort and filter field, the default
order, resource_reference_key in single-user mode and total_size."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from emulator_http import API, RUNS, Client, create_run, kfp_error

from kfp_server_api.emulator import Emulator, ExperimentSeed

EXPERIMENTS = f"{API}/experiments"
START = datetime(2022, 3, 1, 10, 0, tzinfo=timezone.utc)
AVAILABLE, ARCHIVED = "STORAGESTATE_AVAILABLE", "STORAGESTATE_ARCHIVED"
FIELDS = ("id", "name", "created_at", "description", "namespace", "storage_state")


def options_error(message: str) -> dict[str, Any]:
    full = f"Failed to create list options: Invalid input error: {message}"
    return kfp_error(full, 3, message)


def filter_json(*predicates: dict[str, Any]) -> str:
    return json.dumps({"predicates": list(predicates)})


@pytest.fixture
def seeded(emulator: Emulator) -> list[dict[str, Any]]:
    """Default plus 45 experiments: some share a creation second, names and descriptions
    repeat, every fifth is archived. Returned as get_experiment answers them."""
    emulator.seed_experiments(
        ExperimentSeed(
            name=f"exp-{index % 15:02d}-{index}",
            description=f"group {index % 3}",
            created_at=START + timedelta(seconds=index // 2),  # pairs share a second
            archived=index % 5 == 0,
        )
        for index in range(45)
    )
    client = Client(emulator.url)
    listed = client.get(EXPERIMENTS, page_size=200).json["experiments"]
    client.close()
    assert len(listed) == 46
    return list(listed)


def walk(client: Client, **query: Any) -> Iterator[dict[str, Any]]:
    """Every page of a listing, following the tokens."""
    token = ""
    while True:
        reply = client.get(EXPERIMENTS, **query, **({"page_token": token} if token else {}))
        assert reply.status == 200, reply.text
        yield reply.json
        token = reply.json.get("next_page_token", "")
        if not token:
            return


def sort_key(field: str) -> Any:
    def key(experiment: dict[str, Any]) -> tuple[Any, str]:
        value = experiment.get(field, "")
        return (value, experiment["id"])

    return key


def test_default_order_is_created_at_then_id_ascending(
    client: Client, seeded: list[dict[str, Any]]
) -> None:
    pages = list(walk(client, page_size=7))

    listed = [e for page in pages for e in page["experiments"]]
    assert listed == sorted(seeded, key=sort_key("created_at"))
    assert [len(page["experiments"]) for page in pages] == [7] * 6 + [4]
    assert {page["total_size"] for page in pages} == {46}
    assert "next_page_token" not in pages[-1]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("direction", ["", " asc", " desc"])
def test_every_sort_field_pages_in_order(
    client: Client, seeded: list[dict[str, Any]], field: str, direction: str
) -> None:
    listed = [
        e
        for page in walk(client, page_size=10, sort_by=f"{field}{direction}")
        for e in page["experiments"]
    ]

    # storage_state sorts by the stored name (ARCHIVED before AVAILABLE), as on the server.
    expected = sorted(seeded, key=sort_key(field), reverse=direction == " desc")
    assert listed == expected


def test_page_size_default_and_cap(emulator: Emulator, client: Client) -> None:
    emulator.seed_experiments(ExperimentSeed(f"e{index}") for index in range(249))

    assert len(client.get(EXPERIMENTS).json["experiments"]) == 20
    capped = client.get(EXPERIMENTS, page_size=1000).json
    assert (len(capped["experiments"]), capped["total_size"]) == (200, 250)
    last = client.get(EXPERIMENTS, page_size=50, page_token=capped["next_page_token"]).json
    assert len(last["experiments"]) == 50
    assert "next_page_token" not in last


def test_the_token_carries_the_experiment_table_prefix(
    client: Client, seeded: list[dict[str, Any]]
) -> None:
    token = client.get(EXPERIMENTS, page_size=1, sort_by="name desc").json["next_page_token"]

    decoded = json.loads(base64.b64decode(token))

    assert decoded["SortByFieldName"] == "Name"
    assert decoded["SortByFieldPrefix"] == decoded["KeyFieldPrefix"] == "experiments."
    assert decoded["ModelName"] == "experiments"
    assert decoded["IsDesc"] is True


def pick(seeded: list[dict[str, Any]], test: Any) -> list[dict[str, Any]]:
    return sorted([e for e in seeded if test(e)], key=sort_key("created_at"))


FILTER_CASES: list[tuple[str, dict[str, Any], Any]] = [
    (
        "name equals",
        {"key": "name", "op": "EQUALS", "string_value": "exp-03-18"},
        lambda e: e["name"] == "exp-03-18",
    ),
    (
        "name in",
        {"key": "name", "op": "IN", "string_values": {"values": ["exp-01-1", "Default"]}},
        lambda e: e["name"] in ("exp-01-1", "Default"),
    ),
    (
        "name substring",
        {"key": "name", "op": "IS_SUBSTRING", "string_value": "P-07"},
        lambda e: "exp-07" in e["name"],
    ),
    (
        "description",
        {"key": "description", "op": "NOT_EQUALS", "string_value": "group 1"},
        lambda e: e.get("description") != "group 1",
    ),
    (
        "not archived",
        {"key": "storage_state", "op": "NOT_EQUALS", "string_value": ARCHIVED},
        lambda e: e["storage_state"] == AVAILABLE,
    ),
    (
        "archived",
        {"key": "storage_state", "op": "EQUALS", "string_value": ARCHIVED},
        lambda e: e["storage_state"] == ARCHIVED,
    ),
    (
        "created after",
        {"key": "created_at", "op": "GREATER_THAN", "timestamp_value": "2022-03-01T10:00:20Z"},
        lambda e: e["created_at"] > "2022-03-01T10:00:20Z",
    ),
    (
        "created by seconds",
        {"key": "created_at", "op": "LESS_THAN_EQUALS", "long_value": "1646128803"},
        lambda e: e["created_at"] <= "2022-03-01T10:00:03Z",
    ),
    ("namespace", {"key": "namespace", "op": "EQUALS", "string_value": ""}, lambda e: True),
]


@pytest.mark.parametrize(
    ("predicate", "test"), [c[1:] for c in FILTER_CASES], ids=[c[0] for c in FILTER_CASES]
)
def test_every_filter_field(
    client: Client, seeded: list[dict[str, Any]], predicate: dict[str, Any], test: Any
) -> None:
    expected = pick(seeded, test)

    pages = list(walk(client, page_size=4, filter=filter_json(predicate)))

    assert [e for page in pages for e in page["experiments"]] == expected
    assert pages[0].get("total_size", 0) == len(expected)


def test_filter_by_id_and_a_filter_matching_nothing(
    client: Client, seeded: list[dict[str, Any]]
) -> None:
    wanted = seeded[7]
    by_id = filter_json({"key": "id", "op": "EQUALS", "string_value": wanted["id"]})
    nothing = filter_json({"key": "name", "op": "EQUALS", "string_value": "absent"})

    assert client.get(EXPERIMENTS, filter=by_id).json == {"experiments": [wanted], "total_size": 1}
    assert client.get(EXPERIMENTS, filter=nothing).json == {}


def test_the_sdks_camel_case_filter_finds_by_name(
    client: Client, seeded: list[dict[str, Any]]
) -> None:
    sdk_filter = json.dumps({"predicates": [{"op": 1, "key": "name", "stringValue": "Default"}]})

    found = client.get(EXPERIMENTS, filter=sdk_filter).json

    assert [e["name"] for e in found["experiments"]] == ["Default"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"sort_by": "foo"}, 'Invalid sorting field: "foo" on listable type Experiment'),
        ({"sort_by": "status"}, 'Invalid sorting field: "status" on listable type Experiment'),
        (
            {"filter": filter_json({"key": "status", "op": "EQUALS", "string_value": "x"})},
            'no support for filtering on unrecognized field "status"',
        ),
        (
            {"filter": filter_json({"key": "Name", "op": "EQUALS", "string_value": "x"})},
            'no support for filtering on unrecognized field "Name"',
        ),
        (
            {"filter": filter_json({"key": "name", "op": "EQUALS"})},
            'no value set for predicate on key "experiments.Name"',
        ),
        (
            {"filter": filter_json({"key": "storage_state", "op": "EQUALS"})},
            'no value set for predicate on key "experiments.StorageState"',
        ),
        ({"page_size": -1}, "The page size should be greater than 0. Got '\ufffd'"),
        (
            {"sort_by": "name sideways"},
            'Received invalid sort by format "name sideways". Supported format: "field_name", '
            '"field_name desc", or "field_name asc"',
        ),
    ],
    ids=["field", "run field", "filter key", "case", "no value", "no state", "size", "format"],
)
def test_bad_list_options(client: Client, query: dict[str, Any], message: str) -> None:
    reply = client.get(EXPERIMENTS, **query)
    assert (reply.status, reply.json) == (400, options_error(message))


def test_a_token_with_other_criteria_is_refused(
    client: Client, seeded: list[dict[str, Any]]
) -> None:
    token = client.get(EXPERIMENTS, page_size=2, sort_by="name").json["next_page_token"]

    reply = client.get(EXPERIMENTS, page_token=token, sort_by="created_at")

    assert reply.status == 400
    assert reply.json["message"].startswith(
        "Failed to create list options: Invalid input error: page token does not match"
    )
    same = client.get(EXPERIMENTS, page_size=2, page_token=token, sort_by="name")
    assert same.status == 200


def test_a_run_token_is_not_an_experiment_token(client: Client, emulator: Emulator) -> None:
    for name in ("a", "b"):
        create_run(client, name)
    token = client.get(RUNS, page_size=1, sort_by="status").json["next_page_token"]

    reply = client.get(EXPERIMENTS, page_token=token)

    assert reply.status == 400
    assert reply.json["message"] == (
        "Failed to create list options: InvalidInputError: Invalid package token.: "
        'unknown sort field "Conditions"'
    )


@pytest.mark.parametrize("key_type", ["EXPERIMENT", "JOB", "PIPELINE_VERSION", "NAMESPACE"])
def test_accepted_reference_keys_list_every_experiment(
    client: Client, seeded: list[dict[str, Any]], key_type: str
) -> None:
    key_id = "" if key_type == "NAMESPACE" else seeded[3]["id"]
    query = {"resource_reference_key.type": key_type, "resource_reference_key.id": key_id}

    listed = client.get(EXPERIMENTS, page_size=200, **query).json

    assert listed["total_size"] == 46
    assert listed["experiments"] == sorted(seeded, key=sort_key("created_at"))


@pytest.mark.parametrize(
    ("query", "message", "external"),
    [
        (
            {"resource_reference_key.type": "NAMESPACE", "resource_reference_key.id": "team-a"},
            "Invalid input error: In single-user mode, ListExperiment cannot filter by namespace.",
            "In single-user mode, ListExperiment cannot filter by namespace.",
        ),
        (
            {"resource_reference_key.type": "PIPELINE", "resource_reference_key.id": "p"},
            "Validating filter failed.: Unrecognized resource reference type.: Invalid input "
            "error: Unsupported resource type: PIPELINE",
            "Unsupported resource type: PIPELINE",
        ),
        (
            {"resource_reference_key.id": "x"},
            "Validating filter failed.: Unrecognized resource reference type.: Invalid input "
            "error: Unsupported resource type: UNKNOWN_RESOURCE_TYPE",
            "Unsupported resource type: UNKNOWN_RESOURCE_TYPE",
        ),
    ],
    ids=["namespace", "pipeline", "id only"],
)
def test_refused_reference_keys(
    client: Client, query: dict[str, str], message: str, external: str
) -> None:
    reply = client.get(EXPERIMENTS, **query)
    assert (reply.status, reply.json) == (400, kfp_error(message, 3, external))


def test_list_options_are_checked_before_the_reference_key(client: Client) -> None:
    reply = client.get(
        EXPERIMENTS,
        sort_by="foo",
        **{"resource_reference_key.type": "NAMESPACE", "resource_reference_key.id": "team-a"},
    )
    assert reply.json == options_error('Invalid sorting field: "foo" on listable type Experiment')


def test_a_gateway_error_in_the_query(client: Client) -> None:
    reply = client.get(EXPERIMENTS, page_size="many")
    assert reply.status == 400
    assert "details" not in reply.json
