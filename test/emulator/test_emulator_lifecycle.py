"""Run lifecycles driven by the emulator's clock, and the control API that drives runs."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Any

import pytest
from emulator_http import RUNS, Client, create_run

from kfp_server_api.emulator import Emulator, Lifecycle, ManualClock, RunSeed, Step, SystemClock


@pytest.fixture
def timed(clock: ManualClock) -> Iterator[tuple[Emulator, Client]]:
    with Emulator(clock=clock, lifecycle=Lifecycle.timed()) as server:
        client = Client(server.url)
        yield server, client
        client.close()


def status(client: Client, run_id: str) -> tuple[str, str]:
    run = client.get(f"{RUNS}/{run_id}").json["run"]
    return run.get("status", ""), run["finished_at"]


UNSET = "1970-01-01T00:00:00Z"


def test_timed_lifecycle_follows_the_clock(
    timed: tuple[Emulator, Client], clock: ManualClock
) -> None:
    server, client = timed
    run = create_run(client)
    assert "status" not in run  # the create response shows the run as just created
    assert status(client, run["id"]) == ("Pending", UNSET)
    server.advance_clock(0.999)
    assert status(client, run["id"]) == ("Pending", UNSET)
    clock.advance(0.001)  # moving the clock alone is enough: the next request catches up
    assert status(client, run["id"]) == ("Running", UNSET)
    server.advance_clock(5)
    assert status(client, run["id"]) == ("Succeeded", "2022-03-01T10:00:02Z")
    runtime = json.loads(
        client.get(f"{RUNS}/{run['id']}").json["pipeline_runtime"]["workflow_manifest"]
    )
    assert runtime["status"]["phase"] == "Succeeded"
    assert runtime["status"]["finishedAt"] == "2022-03-01T10:00:02Z"
    assert runtime["metadata"]["labels"]["workflows.argoproj.io/completed"] == "true"


def test_steps_skipped_over_in_one_jump_still_end_in_the_final_state(
    timed: tuple[Emulator, Client],
) -> None:
    server, client = timed
    run = create_run(client)
    server.advance_clock(3600)
    assert status(client, run["id"]) == ("Succeeded", "2022-03-01T10:00:02Z")


def test_listing_and_filters_see_lifecycle_changes(timed: tuple[Emulator, Client]) -> None:
    server, client = timed
    create_run(client, "a")
    server.advance_clock(1)
    create_run(client, "b")
    query = json.dumps(
        {"predicates": [{"key": "status", "op": "EQUALS", "string_value": "Running"}]}
    )
    running = client.get(RUNS, filter=query).json
    assert [r["name"] for r in running["runs"]] == ["a"]
    server.advance_clock(1)
    running = client.get(RUNS, filter=query).json
    assert [r["name"] for r in running["runs"]] == ["b"]


def test_terminated_run_becomes_failed(timed: tuple[Emulator, Client]) -> None:
    server, client = timed
    run = create_run(client)
    server.advance_clock(1)
    assert client.post(f"{RUNS}/{run['id']}/terminate").status == 200
    assert status(client, run["id"]) == ("Terminating", UNSET)
    server.advance_clock(1)
    assert status(client, run["id"]) == ("Failed", "2022-03-01T10:00:02Z")


def test_retried_run_runs_again(timed: tuple[Emulator, Client]) -> None:
    server, client = timed
    run = create_run(client)
    server.set_run_status(run["id"], "Failed")
    assert client.post(f"{RUNS}/{run['id']}/retry").status == 200
    assert status(client, run["id"]) == ("Running", UNSET)
    server.advance_clock(1)
    assert status(client, run["id"]) == ("Succeeded", "2022-03-01T10:00:01Z")


def test_instant_lifecycle(clock: ManualClock) -> None:
    with Emulator(clock=clock, lifecycle="instant") as server:
        client = Client(server.url)
        run = create_run(client)
        assert status(client, run["id"]) == ("Succeeded", "2022-03-01T10:00:00Z")
        client.close()


def test_final_status_is_configurable(clock: ManualClock) -> None:
    with Emulator(clock=clock, lifecycle=Lifecycle.timed(final="Failed")) as server:
        client = Client(server.url)
        run = create_run(client)
        server.advance_clock(2)
        assert status(client, run["id"]) == ("Failed", "2022-03-01T10:00:02Z")
        assert client.post(f"{RUNS}/{run['id']}/retry").status == 200
        server.advance_clock(1)
        assert status(client, run["id"]) == ("Failed", "2022-03-01T10:00:03Z")
        client.close()


def test_manual_lifecycle_moves_only_when_driven(client: Client, emulator: Emulator) -> None:
    run = create_run(client)
    emulator.advance_clock(86400)
    assert status(client, run["id"]) == ("", UNSET)
    assert client.post(f"{RUNS}/{run['id']}/terminate").status == 200
    emulator.advance_clock(86400)
    assert status(client, run["id"]) == ("Terminating", UNSET)


def test_custom_steps(clock: ManualClock) -> None:
    lifecycle = Lifecycle([Step("Running", 10), Step("Error", 20)], on_terminate=[])
    with Emulator(clock=clock, lifecycle=lifecycle) as server:
        client = Client(server.url)
        run = create_run(client)
        server.advance_clock(10)
        assert status(client, run["id"]) == ("Running", UNSET)
        server.advance_clock(10)
        assert status(client, run["id"]) == ("Error", "2022-03-01T10:00:20Z")
        client.close()


def test_setting_a_status_takes_the_run_off_its_track(
    timed: tuple[Emulator, Client],
) -> None:
    server, client = timed
    run = create_run(client)
    server.set_run_status(run["id"], "Running")
    server.advance_clock(100)
    assert status(client, run["id"]) == ("Running", UNSET)
    server.set_run_status(
        run["id"], "Succeeded", finished_at=datetime.datetime(2022, 3, 2, 8, 30, 15)
    )
    assert status(client, run["id"]) == ("Succeeded", "2022-03-02T08:30:15Z")
    server.set_run_status(run["id"], "Failed", finished_at=1646128800.9)
    assert status(client, run["id"]) == ("Failed", "2022-03-01T10:00:00Z")


def test_lifecycle_can_be_changed(client: Client, emulator: Emulator) -> None:
    emulator.lifecycle = "instant"
    run = create_run(client)
    assert status(client, run["id"])[0] == "Succeeded"


def test_control_api_errors(emulator: Emulator) -> None:
    with pytest.raises(KeyError):
        emulator.set_run_status("nope", "Running")
    with pytest.raises(KeyError):
        emulator.attach_artifact("nope", "n", "a", b"")
    with pytest.raises(KeyError):
        emulator.get_run("nope")
    with pytest.raises(ValueError, match="either data or files"):
        emulator.attach_artifact("nope", "n", "a")
    with pytest.raises(KeyError):
        emulator.add_pipeline_version("nope", "v")
    with pytest.raises(ValueError, match="taken"):
        emulator.add_experiment("again", experiment_id=emulator.default_experiment_id)
    with pytest.raises(ValueError, match="Workflow manifest"):
        emulator.add_pipeline("p", workflow_manifest={"kind": "Pod"})
    with pytest.raises(KeyError):
        emulator.seed_runs([RunSeed("r", experiment_id="nope")])


def test_control_api_works_without_serving(clock: ManualClock) -> None:
    emulator = Emulator(clock=clock)
    try:
        assert not emulator.serving
        with pytest.raises(RuntimeError):
            _ = emulator.url
        (run_id,) = emulator.seed_runs([RunSeed("offline", status="Running")])
        emulator.set_run_status(run_id, "Succeeded")
        detail: dict[str, Any] = emulator.get_run(run_id)
        assert detail["run"]["status"] == "Succeeded"
        emulator.start()
        client = Client(emulator.url)
        assert status(client, run_id)[0] == "Succeeded"
        client.close()
    finally:
        emulator.close()
    with pytest.raises(RuntimeError):
        emulator.start()


def test_system_clock_can_be_advanced() -> None:
    clock = SystemClock()
    before = clock.now()
    clock.advance(3600)
    assert clock.now() - before >= 3600


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("instant", Lifecycle.instant()),
        ("manual", Lifecycle.manual()),
        ("timed", Lifecycle.timed()),
        (
            "Pending:0, Running:5,Failed:30",
            Lifecycle([Step("Pending", 0), Step("Running", 5), Step("Failed", 30)]),
        ),
    ],
)
def test_lifecycle_parse(text: str, expected: Lifecycle) -> None:
    assert Lifecycle.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Running", "expected STATUS:SECONDS"),
        ("Running:soon", "not a number of seconds"),
        ("Running:5,Pending:1", "in time order"),
        (":1", "needs a status"),
        ("X:-1", "must be >= 0"),
    ],
)
def test_lifecycle_parse_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Lifecycle.parse(text)


def test_retry_steps_default_to_what_follows_running() -> None:
    lifecycle = Lifecycle([Step("Pending", 0), Step("Running", 4), Step("Succeeded", 10)])
    assert lifecycle.retry_steps() == (Step("Succeeded", 6),)
    assert Lifecycle.instant().retry_steps() == (Step("Succeeded", 0),)
    assert Lifecycle.manual().retry_steps() == ()
