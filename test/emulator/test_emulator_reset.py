"""Reset, snapshots and restore: the whole state goes back, every table and every cache with it.

The store is checked table by table from ``sqlite_master``, so a table added later is covered
without editing these tests; what the API answers after a reset or a restore is checked over
HTTP.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from emulator_http import RUNS, Client, create_run, run_body, workflow

from kfp_server_api.emulator import Emulator, Lifecycle, ManualClock, RunSeed, Snapshot

CONTROL = "/emulator/v1"


def table_counts(path: Path) -> dict[str, int]:
    """Rows per table of a database file, read through a connection of its own."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in names
        }


def schema(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        return sorted(connection.execute("SELECT type, name, sql FROM sqlite_master"))


def fill(emulator: Emulator, client: Client) -> str:
    """Something in every kind of table; returns a run created through the API."""
    experiment = emulator.add_experiment("exp")
    emulator.add_pipeline("pipe")
    emulator.add_job("job")
    emulator.seed_runs(
        RunSeed(name=f"seeded {i}", experiment_id=experiment, metrics={"acc": i}) for i in range(5)
    )
    run = create_run(client, "searchable run")
    emulator.attach_artifact(run["id"], "train", "model", b"weights")
    assert client.post(f"{RUNS}/{run['id']}:archive").status == 200
    return str(run["id"])


def names(client: Client, **query: str) -> list[str]:
    reply = client.get(RUNS, **query)
    assert reply.status == 200, reply.text
    return [run["name"] for run in reply.json.get("runs", [])]


def substring(value: str) -> str:
    return (
        '{"predicates": [{"op": "IS_SUBSTRING", "key": "name", "string_value": "' + value + '"}]}'
    )


@pytest.fixture
def file_emulator(tmp_path: Path) -> Iterator[Emulator]:
    with Emulator(db=str(tmp_path / "state.db"), clock=ManualClock(), lifecycle="manual") as server:
        yield server


def test_reset_leaves_every_table_as_a_new_store_has_it(
    tmp_path: Path, file_emulator: Emulator
) -> None:
    with Emulator(db=str(tmp_path / "new.db")):
        pass
    client = Client(file_emulator.url)
    fill(file_emulator, client)
    assert table_counts(tmp_path / "state.db") != table_counts(tmp_path / "new.db")
    file_emulator.reset()
    assert table_counts(tmp_path / "state.db") == table_counts(tmp_path / "new.db")
    assert schema(tmp_path / "state.db") == schema(tmp_path / "new.db")
    client.close()


def test_reset_over_http(emulator: Emulator, client: Client) -> None:
    before = emulator.default_experiment_id
    fill(emulator, client)
    reply = client.post(f"{CONTROL}/reset")
    assert reply.status == 200, reply.text
    assert reply.json == {"default_experiment_id": emulator.default_experiment_id}
    assert emulator.default_experiment_id != before
    assert client.get(RUNS).json == {}
    assert emulator.run_count() == 0
    experiments = client.get("/apis/v1beta1/experiments").json["experiments"]
    assert [(e["id"], e["name"]) for e in experiments] == [
        (emulator.default_experiment_id, "Default")
    ]
    run = create_run(client, "after reset")
    owner = [r for r in run["resource_references"] if r["relationship"] == "OWNER"]
    assert owner[0]["key"] == {"type": "EXPERIMENT", "id": emulator.default_experiment_id}


def test_reset_over_http_takes_no_fields(emulator: Emulator, client: Client) -> None:
    create_run(client)
    reply = client.post(f"{CONTROL}/reset", {"keep": True})
    assert reply.status == 400
    assert reply.json["message"] == "Invalid input error: unknown field 'keep'"
    assert emulator.run_count() == 1


def test_reset_forgets_cached_counts_and_manifests(emulator: Emulator, client: Client) -> None:
    manifest = workflow(entrypoint="main")
    create_run(client, "alpha", pipeline_spec={"workflow_manifest": json.dumps(manifest)})
    query = {"filter": substring("alp")}
    assert client.get(RUNS, **query).json["total_size"] == 1
    emulator.reset()
    assert client.get(RUNS, **query).json == {}
    # The same manifest text again: it must be stored again, not found in a stale cache.
    run = create_run(client, "alpha", pipeline_spec={"workflow_manifest": json.dumps(manifest)})
    detail = client.get(f"{RUNS}/{run['id']}").json
    assert detail["pipeline_runtime"]["workflow_manifest"]
    assert client.get(RUNS, **query).json["total_size"] == 1
    assert client.get(RUNS).json["total_size"] == 1


def test_reset_keeps_the_clock_unless_given_one(emulator: Emulator, client: Client) -> None:
    emulator.advance_clock(3600)
    moved = emulator.clock.now()
    emulator.reset()
    assert emulator.clock.now() == moved
    fresh = ManualClock()
    emulator.reset(clock=fresh)
    assert emulator.clock is fresh
    assert create_run(client)["created_at"] == "2022-03-01T10:00:00Z"


def test_lifecycle_runs_on_after_reset(emulator: Emulator, client: Client) -> None:
    emulator.lifecycle = Lifecycle.timed()
    create_run(client, "before")
    emulator.reset()
    run = create_run(client, "after")
    emulator.advance_clock(5)
    assert client.get(f"{RUNS}/{run['id']}").json["run"]["status"] == "Succeeded"


def test_restore_brings_back_runs_artifacts_and_the_text_index(
    emulator: Emulator, client: Client
) -> None:
    run_id = fill(emulator, client)
    default = emulator.default_experiment_id
    snapshot = emulator.snapshot()
    listing = client.get(RUNS, page_size="3", sort_by="name").json
    emulator.reset()
    create_run(client, "only after the snapshot")
    for _ in range(2):  # a snapshot is restored as many times as asked
        emulator.restore(snapshot)
        assert emulator.default_experiment_id == default
        assert client.get(RUNS, page_size="3", sort_by="name").json == listing
        assert names(client, filter=substring("searchable")) == ["searchable run"]
        assert names(client, filter=substring("only after")) == []
        artifact = client.get(f"{RUNS}/{run_id}/nodes/train/artifacts/model:read")
        assert artifact.json == {"data": "d2VpZ2h0cw=="}
        create_run(client, "changed after the restore")
    assert isinstance(snapshot, Snapshot)
    assert snapshot.size > 0


def test_restored_runs_take_their_lifecycle_steps(emulator: Emulator, client: Client) -> None:
    emulator.lifecycle = Lifecycle.timed()
    run = create_run(client)
    snapshot = emulator.snapshot()
    emulator.reset()
    emulator.restore(snapshot)
    emulator.advance_clock(5)
    assert client.get(f"{RUNS}/{run['id']}").json["run"]["status"] == "Succeeded"


def test_snapshot_restores_into_another_emulator_and_into_a_file(
    tmp_path: Path, emulator: Emulator, client: Client
) -> None:
    emulator.seed_runs(RunSeed(name=f"run {i}") for i in range(50))
    snapshot = emulator.snapshot()
    path = tmp_path / "copy.db"
    with Emulator(db=str(path)) as other:
        other.restore(snapshot)
        assert other.run_count() == 50
        assert other.default_experiment_id == emulator.default_experiment_id
    with Emulator(db=str(path)) as reopened:
        assert reopened.run_count() == 50
        reopened.reset()
    with Emulator(db=str(path)) as reopened:
        assert reopened.run_count() == 0


def test_file_of_another_page_size_takes_a_snapshot(tmp_path: Path, emulator: Emulator) -> None:
    path = tmp_path / "large-pages.db"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA page_size = 8192")
        connection.execute("VACUUM")
    emulator.seed_runs([RunSeed(name="one")])
    with Emulator(db=str(path)) as other:
        other.restore(emulator.snapshot())
        assert other.run_count() == 1
        other.reset()
        assert other.run_count() == 0
    with Emulator(db=str(path)) as reopened:
        assert reopened.run_count() == 0


def test_restore_refuses_what_is_not_an_open_snapshot(emulator: Emulator) -> None:
    with pytest.raises(TypeError, match="expected a Snapshot, got str"):
        emulator.restore("state.db")  # type: ignore[arg-type]
    snapshot = emulator.snapshot()
    snapshot.close()
    assert repr(snapshot) == "Snapshot(closed)"
    with pytest.raises(ValueError, match="this snapshot is closed"):
        emulator.restore(snapshot)
    assert emulator.run_count() == 0


def test_failed_write_leaves_no_stale_manifest(emulator: Emulator) -> None:
    manifest = json.dumps(workflow(entrypoint="other"))
    with pytest.raises(KeyError, match="no experiment"):
        # The first run's manifest is stored, then the second run fails the whole write.
        emulator.seed_runs(
            [RunSeed(name="x", workflow_manifest=manifest), RunSeed("y", experiment_id="nope")]
        )
    (run_id,) = emulator.seed_runs([RunSeed(name="y", workflow_manifest=manifest)])
    stored = json.loads(emulator.get_run(run_id)["pipeline_runtime"]["workflow_manifest"])
    assert stored["spec"]["entrypoint"] == "other"


def test_reset_and_restore_while_clients_call(emulator: Emulator) -> None:
    emulator.seed_runs(RunSeed(name=f"run {i}") for i in range(100))
    snapshot = emulator.snapshot()
    statuses: list[int] = []
    done = threading.Event()

    def call() -> None:
        client = Client(emulator.url)
        try:
            while not done.is_set():
                statuses.append(client.post(RUNS, run_body()).status)
                statuses.append(client.get(RUNS, page_size="5").status)
        finally:
            client.close()

    callers = [threading.Thread(target=call) for _ in range(3)]
    for caller in callers:
        caller.start()
    try:
        for _ in range(20):
            emulator.reset()
            emulator.restore(snapshot)
    finally:
        done.set()
        for caller in callers:
            caller.join()
    assert statuses
    assert set(statuses) == {200}
    assert emulator.run_count() >= 100
