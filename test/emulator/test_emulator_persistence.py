"""A file database keeps everything across restarts; concurrent clients get correct answers."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from emulator_http import RUNS, Client, create_run

from kfp_server_api.emulator import Emulator, Lifecycle, ManualClock, RunSeed
from kfp_server_api.emulator.store import StoreError


def test_state_survives_a_restart(tmp_path: Path, clock: ManualClock) -> None:
    db = str(tmp_path / "kfp.db")
    with Emulator(db=db, clock=clock, lifecycle=Lifecycle.manual()) as first:
        client = Client(first.url)
        experiment = first.add_experiment("kept")
        pipeline = first.add_pipeline("pipe")
        run = create_run(
            client,
            resource_references=[
                {"key": {"type": "EXPERIMENT", "id": experiment}, "relationship": "OWNER"}
            ],
        )
        client.post(
            f"{RUNS}/{run['id']}:reportMetrics",
            {"metrics": [{"name": "m", "node_id": "n", "number_value": 0.5}]},
        )
        client.post(f"{RUNS}/{run['id']}:archive")
        first.attach_artifact(run["id"], "n", "a", b"bytes")
        first.seed_runs(RunSeed(f"seed-{i}") for i in range(10))
        before = client.get(f"{RUNS}/{run['id']}").json
        default_experiment = first.default_experiment_id
        client.close()
    with Emulator(db=db, clock=clock, lifecycle=Lifecycle.manual()) as second:
        client = Client(second.url)
        assert second.default_experiment_id == default_experiment
        assert client.get(f"{RUNS}/{run['id']}").json == before
        listing = client.get(
            RUNS,
            **{
                "resource_reference_key.type": "EXPERIMENT",
                "resource_reference_key.id": experiment,
            },
        ).json
        assert [r["id"] for r in listing["runs"]] == [run["id"]]
        assert client.get(RUNS).json["total_size"] == 11
        artifact = client.get(f"{RUNS}/{run['id']}/nodes/n/artifacts/a:read").json
        assert artifact == {"data": "Ynl0ZXM="}
        created = create_run(client, pipeline_spec={"pipeline_id": pipeline.pipeline_id})
        assert created["pipeline_spec"]["pipeline_name"] == "pipe"
        client.close()


def test_lifecycle_resumes_after_a_restart(tmp_path: Path, clock: ManualClock) -> None:
    db = str(tmp_path / "kfp.db")
    with Emulator(db=db, clock=clock, lifecycle="timed") as first:
        client = Client(first.url)
        run_id = create_run(client)["id"]
        client.close()
    clock.advance(10)
    with Emulator(db=db, clock=clock, lifecycle="timed") as second:
        client = Client(second.url)
        assert client.get(f"{RUNS}/{run_id}").json["run"]["status"] == "Succeeded"
        client.close()


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match="schema version"):
        Emulator(db=str(path))


def test_sixteen_clients_at_once(emulator: Emulator) -> None:
    threads = 16
    rounds = 40
    created: dict[int, list[str]] = {}
    failures: list[str] = []
    start = threading.Barrier(threads)

    def work(worker: int) -> None:
        client = Client(emulator.url)
        mine: list[str] = []
        try:
            start.wait()
            for round_ in range(rounds):
                run = create_run(client, f"w{worker}-{round_}")
                mine.append(run["id"])
                reply = client.post(
                    f"{RUNS}/{run['id']}:reportMetrics",
                    {
                        "metrics": [
                            {"name": "round", "node_id": f"w{worker}", "number_value": round_}
                        ]
                    },
                )
                if reply.json["results"][0]["status"] != "OK":
                    failures.append(reply.text)
                detail = client.get(f"{RUNS}/{run['id']}").json["run"]
                if detail["name"] != f"w{worker}-{round_}" or len(detail["metrics"]) != 1:
                    failures.append(str(detail))
                if round_ % 4 == 0:
                    client.post(f"{RUNS}/{run['id']}:archive")
                page = client.get(RUNS, page_size=5, sort_by="created_at desc")
                if page.status != 200:
                    failures.append(page.text)
        except Exception as exc:  # reported below, with the worker that saw it
            failures.append(f"worker {worker}: {exc!r}")
        finally:
            created[worker] = mine
            client.close()

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    assert failures == []
    assert emulator.run_count() == threads * rounds
    client = Client(emulator.url)
    archived = client.get(
        RUNS,
        filter='{"predicates":[{"key":"storage_state","op":"EQUALS",'
        '"string_value":"STORAGESTATE_ARCHIVED"}]}',
    ).json
    assert archived["total_size"] == threads * rounds // 4
    for worker, ids in created.items():
        assert len(ids) == rounds
        detail: dict[str, Any] = emulator.get_run(ids[-1])
        assert detail["run"]["metrics"][0]["node_id"] == f"w{worker}"
    client.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
@pytest.mark.parametrize("umask", [0o022, 0o000, 0o277], ids=oct)
def test_a_new_database_and_its_side_files_are_private(tmp_path: Path, umask: int) -> None:
    previous = os.umask(umask)
    try:
        with Emulator(db=str(tmp_path / "kfp.db")) as emulator:
            emulator.seed_runs([RunSeed("written")])  # the -wal and -shm files exist now
            modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in tmp_path.iterdir()}
    finally:
        os.umask(previous)
    assert modes == {"kfp.db": 0o600, "kfp.db-wal": 0o600, "kfp.db-shm": 0o600}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_an_existing_database_keeps_its_mode_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "kfp.db"
    Emulator(db=str(db)).close()
    db.chmod(0o644)  # shared on purpose, or made by an older version
    with caplog.at_level(logging.WARNING, logger="kfp_server_api.emulator"):
        Emulator(db=str(db)).close()
    assert stat.S_IMODE(db.stat().st_mode) == 0o644
    assert f"{db} is accessible to other users (mode 0o644)" in caplog.text
