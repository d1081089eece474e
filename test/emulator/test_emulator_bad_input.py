"""Inputs that once made the emulator answer 500, or left it broken: each is a 400 in the KFP
error format now, and the emulator keeps serving afterwards."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

import pytest
from emulator_http import RUNS, Client, create_run

from kfp_server_api.emulator import Emulator, RunSeed

CONTROL = "/emulator/v1"


def assert_invalid_input(reply: Any, *fragments: str) -> None:
    assert reply.status == 400, reply.text
    body = reply.json
    assert body["code"] == 3
    assert body["message"].startswith(("Invalid input error", "Failed to create list options"))
    assert body["details"][0]["@type"] == "type.googleapis.com/api.Error"
    for fragment in fragments:
        assert fragment in body["message"]


def filter_query(*predicates: dict[str, Any]) -> str:
    return json.dumps({"predicates": list(predicates)}, separators=(",", ":"))


def test_a_substring_longer_than_any_pattern_is_refused(client: Client) -> None:
    create_run(client, "a")
    predicate = {"key": "name", "op": "IS_SUBSTRING", "string_value": "x" * 60_000}
    reply = client.get(RUNS, filter=filter_query(predicate))
    assert_invalid_input(reply, "IS_SUBSTRING", "name")
    assert client.get(RUNS).json["total_size"] == 1


def test_a_substring_just_inside_the_limit_is_served(client: Client) -> None:
    create_run(client, "a")
    predicate = {"key": "name", "op": "IS_SUBSTRING", "string_value": "x" * 20_000}
    reply = client.get(RUNS, filter=filter_query(predicate))
    assert (reply.status, reply.json) == (200, {})


def test_a_filter_of_too_many_predicates_is_refused(client: Client) -> None:
    create_run(client, "a")
    predicate = {"key": "id", "op": 2, "string_value": "b"}
    # JSON punctuation left unescaped, so that the request line stays within its limit.
    query = urllib.parse.quote(filter_query(*[predicate] * 1001), safe='{}[]":,')
    reply = client.request("GET", f"{RUNS}?filter={query}")
    assert_invalid_input(reply, "1001")
    assert client.get(RUNS).json["total_size"] == 1


def test_an_in_list_of_too_many_values_is_refused(client: Client) -> None:
    predicate = {"key": "created_at", "op": "IN", "int_values": {"values": [1] * 1001}}
    assert_invalid_input(client.get(RUNS, filter=filter_query(predicate)), "1001")


def test_many_predicates_within_the_limit_are_served(client: Client) -> None:
    run = create_run(client, "a")
    predicate = {"key": "id", "op": 2, "string_value": "b"}
    reply = client.get(RUNS, filter=filter_query(*[predicate] * 500))
    assert reply.status == 200, reply.text
    assert [found["id"] for found in reply.json["runs"]] == [run["id"]]


@pytest.mark.parametrize("finished_at", [1e19, -1e19, 10**30, "10000-01-01T00:00:00Z"])
def test_a_finish_time_no_timestamp_can_hold_is_refused(client: Client, finished_at: Any) -> None:
    run = create_run(client)
    body = {"status": "Failed", "finished_at": finished_at}
    reply = client.post(f"{CONTROL}/runs/{run['id']}/status", body)
    assert reply.status == 400, reply.text
    assert reply.json["code"] == 3
    assert "finished_at" in reply.json["message"]
    assert client.get(f"{RUNS}/{run['id']}").json["run"].get("status") is None


@pytest.mark.parametrize("seconds", [10**400, 1e300, 1e12], ids=["10**400", "1e300", "1e12"])
def test_the_clock_cannot_be_advanced_past_what_a_timestamp_holds(
    client: Client, seconds: Any
) -> None:
    reply = client.post(f"{CONTROL}/clock:advance", {"seconds": seconds})
    assert reply.status == 400, reply.text
    assert reply.json["code"] == 3
    created = create_run(client, "after")
    assert created["created_at"] == "2022-03-01T10:00:00Z"
    assert client.get(f"{RUNS}/{created['id']}").status == 200


def test_the_clock_can_be_advanced_to_the_last_representable_year(client: Client) -> None:
    reply = client.post(f"{CONTROL}/clock:advance", {"seconds": 250_000_000_000})
    assert reply.status == 200, reply.text
    assert reply.json["now"].startswith("9944-")
    created = create_run(client, "late")
    assert created["created_at"].startswith("9944-")
    assert client.get(RUNS, sort_by="created_at desc").json["runs"][0]["id"] == created["id"]


def test_the_python_control_api_refuses_the_same_times(emulator: Emulator, client: Client) -> None:
    with pytest.raises(ValueError, match="clock"):
        emulator.advance_clock(1e300)
    with pytest.raises(ValueError, match="created_at"):
        emulator.seed_runs([RunSeed("far", created_at=1e19)])
    assert emulator.run_count() == 0
    created = create_run(client, "after")
    assert created["created_at"] == "2022-03-01T10:00:00Z"
