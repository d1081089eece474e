"""Durability: SIGKILL the emulator in the middle of a write burst, restart it, lose nothing.

The emulator runs as a subprocess on a database file. Writer threads create runs through the SDK
and record each create the server acknowledged; a killer thread waits until a randomly chosen
number of acknowledgements has arrived and sends SIGKILL while the writers are still busy. After
each kill the file passes SQLite's integrity check, and after the restart every acknowledged run
is there, with the name it was created with. Several rounds run on the same file.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import threading
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kfp_server_api import (
    ApiClient,
    ApiConnectionError,
    ApiPipelineSpec,
    ApiRun,
    Configuration,
    RunServiceApi,
)
from kfp_server_api.pagination import paginate

from .emulator_process import PROCESS_DEADLINE_SECONDS, EmulatorProcess
from .figures import Figures

pytestmark = [
    pytest.mark.timeout(120),
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
]

ROUNDS = 5
WRITERS = 4
#: The kill comes after this many acknowledged creates (chosen at random in the range).
KILL_AFTER = (100, 1000)
WORKFLOW = (
    '{"apiVersion":"argoproj.io/v1alpha1","kind":"Workflow","metadata":{"generateName":"d-"},'
    '"spec":{"entrypoint":"main","templates":[{"name":"main","container":{"image":"alpine"}}]}}'
)


@dataclass
class Burst:
    """Acknowledged creates of one write burst: run id -> name."""

    acknowledged: dict[str, str] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def acknowledge(self, run_id: str, name: str) -> None:
        with self.changed:
            self.acknowledged[run_id] = name
            self.changed.notify_all()

    def wait_for(self, count: int) -> bool:
        with self.changed:
            return self.changed.wait_for(
                lambda: len(self.acknowledged) >= count or bool(self.unexpected),
                PROCESS_DEADLINE_SECONDS,
            )


def _write_until_killed(api: RunServiceApi, burst: Burst, prefix: str) -> None:
    """Create runs until the server goes away; record each acknowledged one."""
    for number in range(1_000_000):
        name = f"{prefix}-{number}"
        run = ApiRun(name=name, pipeline_spec=ApiPipelineSpec(workflow_manifest=WORKFLOW))
        try:
            detail = api.create_run(run, _request_timeout=PROCESS_DEADLINE_SECONDS)
        except ApiConnectionError:
            return  # killed: this create's outcome is unknown, and it was not acknowledged
        except Exception as error:
            with burst.changed:
                burst.unexpected.append(f"{type(error).__name__}: {error}")
                burst.changed.notify_all()
            return
        burst.acknowledge(detail.run.id, name)


def _burst_then_kill(emulator: EmulatorProcess, kill_after: int, round_number: int) -> Burst:
    burst = Burst()
    configuration = Configuration(emulator.url)
    configuration.retries = False  # a create the kill interrupted must not be sent again
    with ApiClient(configuration) as client:
        api = RunServiceApi(client)
        writers = [
            threading.Thread(target=_write_until_killed, args=(api, burst, f"r{round_number}w{n}"))
            for n in range(WRITERS)
        ]
        for writer in writers:
            writer.start()
        reached = burst.wait_for(kill_after)
        emulator.kill()
        for writer in writers:
            writer.join()
    assert reached, f"only {len(burst.acknowledged)} creates were acknowledged"
    assert burst.unexpected == []
    return burst


def _integrity(db: Path) -> str:
    with closing(sqlite3.connect(db)) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def _stored_runs(url: str) -> dict[str, str]:
    with ApiClient(Configuration(url)) as client:
        runs = paginate(RunServiceApi(client).list_runs, page_size=200)
        return {run.id: run.name for run in runs}


def test_no_acknowledged_write_is_lost_to_sigkill(tmp_path: Path, figures: Figures) -> None:
    database = tmp_path / "emulator.sqlite"
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    acknowledged: dict[str, str] = {}
    emulator = EmulatorProcess("--db", str(database), "--lifecycle", "manual")
    try:
        for round_number in range(ROUNDS):
            kill_after = rng.randint(*KILL_AFTER)
            burst = _burst_then_kill(emulator, kill_after, round_number)
            figures.add("kills")
            acknowledged.update(burst.acknowledged)

            assert _integrity(database) == "ok", f"seed {seed}, round {round_number}"
            emulator = EmulatorProcess("--db", str(database), "--lifecycle", "manual")
            stored = _stored_runs(emulator.url)
            lost = {
                run_id: name for run_id, name in acknowledged.items() if stored.get(run_id) != name
            }
            figures.add("acknowledged_writes", len(burst.acknowledged))
            figures.add("lost_writes", len(lost))
            assert lost == {}, f"seed {seed}, round {round_number}: lost {sorted(lost.values())}"
    finally:
        emulator.terminate()
    assert _integrity(database) == "ok"
