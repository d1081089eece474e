"""Load: one ApiClient shared by 16 threads, or driving async calls on 8 pool threads, against the
emulator; then what close() releases, and whether a script that never closes still exits.

Each of the 16 workers owns an experiment and the runs it creates in it, so it knows exactly what
the server must hold for them: it checks every answer against its own record as it goes (a
``get_run`` shows the name, storage state, status and metrics sent; a ``list_runs`` of its
experiment counts exactly its live runs), and at the end every stored run is compared with the
record through the emulator's control API.
"""

from __future__ import annotations

import random
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from servers.loopback import LoopbackServer, Reply

from kfp_server_api import (
    ApiClient,
    ApiPipelineSpec,
    ApiReportRunMetricsRequest,
    ApiResourceKey,
    ApiResourceReference,
    ApiRun,
    ApiRunMetric,
    Configuration,
    RunServiceApi,
)
from kfp_server_api.emulator import Emulator

from .figures import Figures
from .process_resources import AVAILABLE, take_census

pytestmark = pytest.mark.timeout(120)

TOTAL_CALLS = 10_000
WORKERS = 16
POOL_THREADS = 8
#: How often each operation is picked (when the worker has a run it applies to).
OPERATION_WEIGHTS = {
    "create_run": 18,
    "get_run": 25,
    "list_runs": 10,
    "archive_run": 10,
    "unarchive_run": 8,
    "report_run_metrics": 12,
    "terminate_run": 7,
    "delete_run": 10,
}
ARCHIVED = "STORAGESTATE_ARCHIVED"
#: Emulator threads serve connections; the client's own threads are what these tests count.
EMULATOR_THREADS = "kfp-emulator"


@dataclass(frozen=True)
class Call:
    """One API call: a RunServiceApi method name and its arguments."""

    method: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class ExpectedRun:
    """What the server must hold for one run, as far as its worker knows."""

    name: str
    archived: bool = False
    terminated: bool = False
    metrics: dict[str, float] = field(default_factory=dict)


Script = Generator[Call, Any, None]


class Worker:
    """One client's share of the load: ``calls`` calls on runs of its own experiment.

    :meth:`script` yields each call and receives its result; mismatches between a result and
    the worker's record go to ``mismatches``.
    """

    def __init__(self, index: int, experiment_id: str, pipeline_id: str, calls: int) -> None:
        self.index = index
        self.experiment_id = experiment_id
        self.pipeline_id = pipeline_id
        self.calls = calls
        self.runs: dict[str, ExpectedRun] = {}
        self.deleted: set[str] = set()
        self.mismatches: list[str] = []
        self._rng = random.Random(index)
        self._serial = 0

    def script(self) -> Script:
        """The worker's calls, each chosen from the state its earlier calls produced."""
        operations = list(OPERATION_WEIGHTS)
        weights = list(OPERATION_WEIGHTS.values())
        for _ in range(self.calls):
            operation = self._rng.choices(operations, weights)[0]
            if not self.runs:
                operation = "create_run"
            yield from getattr(self, "_" + operation)()

    def _expect(self, condition: bool, what: str) -> None:
        if not condition:
            self.mismatches.append(f"worker {self.index}: {what}")

    def _pick(self, runs: list[str] | None = None) -> str:
        return self._rng.choice(sorted(self.runs) if runs is None else runs)

    def _next_serial(self) -> int:
        self._serial += 1
        return self._serial

    def _create_run(self) -> Script:
        name = f"load-{self.index}-{self._next_serial()}"
        reference = ApiResourceReference(
            key=ApiResourceKey(type="EXPERIMENT", id=self.experiment_id), relationship="OWNER"
        )
        run = ApiRun(
            name=name,
            description=f"created by worker {self.index}",
            pipeline_spec=ApiPipelineSpec(pipeline_id=self.pipeline_id),
            resource_references=[reference],
        )
        detail = yield Call("create_run", (run,))
        self._expect(detail.run.name == name, f"create_run answered {detail.run.name!r}")
        self.runs[detail.run.id] = ExpectedRun(name)

    def _get_run(self) -> Script:
        run_id = self._pick()
        expected = self.runs[run_id]
        run = (yield Call("get_run", (run_id,))).run
        metrics = {metric.name: metric.number_value for metric in run.metrics or []}
        seen = (run.name, run.storage_state == ARCHIVED, run.status == "Terminating", metrics)
        wanted = (expected.name, expected.archived, expected.terminated, expected.metrics)
        self._expect(seen == wanted, f"get_run {run_id}: {seen} != {wanted}")

    def _list_runs(self) -> Script:
        page = yield Call(
            "list_runs",
            kwargs={
                "resource_reference_key_type": "EXPERIMENT",
                "resource_reference_key_id": self.experiment_id,
                "page_size": 20,
                "sort_by": "created_at desc",
            },
        )
        listed = {run.id for run in page.runs or []}
        self._expect((page.total_size or 0) == len(self.runs), "list_runs total_size")
        self._expect(listed <= set(self.runs), f"list_runs shows unknown runs {listed}")

    def _archive_run(self) -> Script:
        run_id = self._pick()
        self._expect((yield Call("archive_run", (run_id,))) == {}, "archive_run answer")
        self.runs[run_id].archived = True

    def _unarchive_run(self) -> Script:
        run_id = self._pick()
        self._expect((yield Call("unarchive_run", (run_id,))) == {}, "unarchive_run answer")
        self.runs[run_id].archived = False

    def _report_run_metrics(self) -> Script:
        run_id = self._pick()
        name, value = f"m{self._next_serial()}", round(self._rng.uniform(-1e6, 1e6), 6)
        request = ApiReportRunMetricsRequest(
            run_id=run_id, metrics=[ApiRunMetric(name=name, node_id="node-1", number_value=value)]
        )
        answer = yield Call("report_run_metrics", (run_id, request))
        statuses = [result.status for result in answer.results or []]
        self._expect(statuses == ["OK"], f"report_run_metrics {run_id}: {statuses}")
        self.runs[run_id].metrics[name] = value

    def _terminate_run(self) -> Script:
        candidates = sorted(run_id for run_id, run in self.runs.items() if not run.terminated)
        if not candidates:
            yield from self._get_run()
            return
        run_id = self._pick(candidates)
        self._expect((yield Call("terminate_run", (run_id,))) == {}, "terminate_run answer")
        self.runs[run_id].terminated = True

    def _delete_run(self) -> Script:
        run_id = self._pick()
        self._expect((yield Call("delete_run", (run_id,))) == {}, "delete_run answer")
        del self.runs[run_id]
        self.deleted.add(run_id)


@dataclass
class Outcome:
    """What a load run did: calls made and errors raised."""

    calls: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, calls: int, error: BaseException | None = None) -> None:
        with self.lock:
            self.calls += calls
            if error is not None:
                self.errors.append(f"{type(error).__name__}: {error}")


def _perform(api: RunServiceApi, call: Call, **options: Any) -> Any:
    return getattr(api, call.method)(*call.args, **call.kwargs, **options)


def _drive_in_threads(api: RunServiceApi, workers: list[Worker], outcome: Outcome) -> None:
    """One thread per worker, all sharing ``api``."""

    def run(worker: Worker) -> None:
        calls, script = 0, worker.script()
        try:
            call = next(script)
            while True:
                result = _perform(api, call)
                calls += 1
                call = script.send(result)
        except StopIteration:
            outcome.record(calls)
        except Exception as error:
            outcome.record(calls, error)

    threads = [threading.Thread(target=run, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _drive_async(api: RunServiceApi, workers: list[Worker], outcome: Outcome) -> None:
    """One thread keeps one async call of every worker in flight on the client's pool."""
    in_flight: deque[tuple[Script, Any]] = deque()
    for worker in workers:
        script = worker.script()
        in_flight.append((script, _perform(api, next(script), async_req=True)))
    while in_flight:
        script, pending = in_flight.popleft()
        try:
            result = pending.get(timeout=60)
            outcome.record(1)
            call = script.send(result)
        except StopIteration:
            continue
        except Exception as error:
            outcome.record(0, error)
            continue
        in_flight.append((script, _perform(api, call, async_req=True)))


def _check_stored_state(emulator: Emulator, workers: list[Worker]) -> int:
    """Compare every run the workers know of with the emulator's state; returns runs checked."""
    problems: list[str] = []
    checked = 0
    for worker in workers:
        for run_id, expected in worker.runs.items():
            stored = emulator.get_run(run_id)["run"]
            metrics = {m["name"]: m.get("number_value", 0.0) for m in stored.get("metrics", [])}
            seen = (
                stored["name"],
                stored.get("storage_state") == ARCHIVED,
                stored.get("status") == "Terminating",
                metrics,
            )
            wanted = (expected.name, expected.archived, expected.terminated, expected.metrics)
            if seen != wanted:
                problems.append(f"{run_id}: stored {seen}, sent {wanted}")
            checked += 1
        for run_id in worker.deleted:
            with pytest.raises(KeyError):
                emulator.get_run(run_id)
            checked += 1
    assert problems == []
    assert emulator.run_count() == sum(len(worker.runs) for worker in workers)
    return checked


def _workers(emulator: Emulator) -> list[Worker]:
    pipeline_id = emulator.add_pipeline("load").pipeline_id
    return [
        Worker(index, emulator.add_experiment(f"load-{index}"), pipeline_id, TOTAL_CALLS // WORKERS)
        for index in range(WORKERS)
    ]


Driver = Callable[[RunServiceApi, list[Worker], Outcome], None]
DRIVERS: dict[str, tuple[Driver, int]] = {
    "16 threads": (_drive_in_threads, 1),
    "async_req on 8 pool threads": (_drive_async, POOL_THREADS),
}


@pytest.mark.parametrize("driver", list(DRIVERS))
def test_ten_thousand_mixed_calls_without_an_error(
    emulator: Emulator, driver: str, figures: Figures
) -> None:
    drive, pool_threads = DRIVERS[driver]
    workers = _workers(emulator)
    outcome = Outcome()
    with ApiClient(Configuration(emulator.url), pool_threads=pool_threads) as client:
        drive(RunServiceApi(client), workers, outcome)

    figures.add("load_calls", outcome.calls)
    figures.add("load_errors", len(outcome.errors))
    assert outcome.errors == []
    assert outcome.calls == TOTAL_CALLS
    assert [m for worker in workers for m in worker.mismatches] == []
    figures.add("state_checks", _check_stored_state(emulator, workers))


# -- what close() releases ----------------------------------------------------------------------

needs_proc = pytest.mark.skipif(not AVAILABLE, reason="needs /proc to count descriptors")


def _busy_client(emulator: Emulator) -> ApiClient:
    """A client that has run 32 concurrent calls (async and from threads), still open."""
    client = ApiClient(Configuration(emulator.url), pool_threads=POOL_THREADS)
    api = RunServiceApi(client)
    pending = [api.list_runs(page_size=1, async_req=True) for _ in range(16)]
    threads = [threading.Thread(target=api.list_runs) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in pending:
        result.get(timeout=30)
    return client


def _port(emulator: Emulator) -> int:
    return int(urlsplit(emulator.url).port or 0)


def _close(client: ApiClient, how: str) -> None:
    if how == "close":
        client.close()
    else:
        with client:
            pass


@needs_proc
@pytest.mark.parametrize("how", ["close", "context manager"])
def test_close_joins_every_pool_thread(emulator: Emulator, how: str, figures: Figures) -> None:
    before = take_census()
    client = _busy_client(emulator)
    assert take_census().leaks_since(before, EMULATOR_THREADS)  # the pool is running

    _close(client, how)

    after = take_census()
    new_threads = after.threads - before.threads
    assert [t.name for t in new_threads if not t.name.startswith(EMULATOR_THREADS)] == []
    figures.add("leak_checks")


@needs_proc
@pytest.mark.parametrize("how", ["close", "context manager"])
def test_close_closes_every_connection(emulator: Emulator, how: str) -> None:
    client = _busy_client(emulator)
    assert take_census().sockets_to(_port(emulator))  # connections are open

    _close(client, how)

    assert take_census().sockets_to(_port(emulator)) == set()


@needs_proc
def test_nothing_outlives_a_closed_and_dropped_client(no_leaks: object, figures: Figures) -> None:
    with Emulator() as emulator:
        _close(_busy_client(emulator), "close")
    figures.add("leak_checks")


# -- exiting without close() --------------------------------------------------------------------

EXIT_SCRIPT = Path(__file__).with_name("async_exit_script.py")
#: How long a script may take to do its work and exit (start-up and import included).
EXIT_DEADLINE_SECONDS = 30
#: How long a script whose work is abandoned may take to exit.
ABANDON_DEADLINE_SECONDS = 8


@pytest.fixture
def answering_server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as server:
        server.default_reply = Reply.json({"run": {"id": "r-1"}})
        yield server


def _run_exit_script(url: str, mode: str, deadline: float) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [sys.executable, str(EXIT_SCRIPT), url, mode],
            capture_output=True,
            text=True,
            timeout=deadline,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"the script had not exited after {deadline} s (output: {expired.stdout!r})")


def test_script_using_async_req_without_close_exits(
    answering_server: LoopbackServer, figures: Figures
) -> None:
    finished = _run_exit_script(answering_server.url, "collect", EXIT_DEADLINE_SECONDS)

    assert (finished.returncode, finished.stderr) == (0, "")
    assert finished.stdout == "8 results collected\n"
    figures.add("leak_checks")


def test_script_exits_with_an_async_call_still_in_flight() -> None:
    with LoopbackServer() as server:
        server.default_reply = Reply.stall()
        finished = _run_exit_script(server.url, "abandon", ABANDON_DEADLINE_SECONDS)
    assert finished.returncode == 0
