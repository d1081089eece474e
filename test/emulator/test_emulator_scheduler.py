"""The scheduler fires jobs' runs on the emulator's clock, as the ScheduledWorkflow controller.

Jobs are created over HTTP; the clock is a ManualClock moved with ``advance_clock``; the runs
fired are read back with list_runs filtered on the job.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from emulator_http import API, Client

from kfp_server_api.emulator import Emulator, Lifecycle, ManualClock, scheduler
from kfp_server_api.emulator.scheduler import run_name

JOBS = f"{API}/jobs"
HOUR = 3600
DAY = 24 * HOUR


@pytest.fixture
def instant(clock: ManualClock) -> Iterator[Emulator]:
    """An emulator whose runs succeed at once, so max_concurrency never holds a job back."""
    with Emulator(clock=clock, lifecycle=Lifecycle.instant()) as server:
        yield server


@pytest.fixture
def fast(instant: Emulator) -> Iterator[Client]:
    raw = Client(instant.url)
    yield raw
    raw.close()


def periodic(seconds: int, **bounds: str) -> dict[str, Any]:
    return {"periodic_schedule": {"interval_second": str(seconds), **bounds}}


def cron(spec: str, **bounds: str) -> dict[str, Any]:
    return {"cron_schedule": {"cron": spec, **bounds}}


def create_job(
    client: Client, trigger: dict[str, Any] | None, *, name: str = "hourly", **fields: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "pipeline_spec": {
            "workflow_manifest": '{"apiVersion":"argoproj.io/v1alpha1","kind":"Workflow",'
            '"metadata":{"generateName":"w-"},"spec":{"entrypoint":"main","arguments":'
            '{"parameters":[{"name":"when"}]}}}'
        },
        "max_concurrency": "1",
        "enabled": True,
        **fields,
    }
    if trigger is not None:
        body["trigger"] = trigger
    reply = client.post(JOBS, body)
    assert reply.status == 200, reply.text
    job: dict[str, Any] = reply.json
    return job


def runs_of(client: Client, job_id: str) -> list[dict[str, Any]]:
    reply = client.get(
        f"{API}/runs",
        page_size=200,
        sort_by="created_at",
        **{"resource_reference_key.type": "JOB", "resource_reference_key.id": job_id},
    )
    assert reply.status == 200, reply.text
    runs: list[dict[str, Any]] = reply.json.get("runs", [])
    return sorted(runs, key=lambda run: run["scheduled_at"])


def scheduled(runs: list[dict[str, Any]]) -> list[str]:
    return [run["scheduled_at"] for run in runs]


# --------------------------------------------------------------------------------------------
# Catch-up and no catch-up


def test_a_day_of_an_hourly_job_fires_24_runs(instant: Emulator, fast: Client) -> None:
    job = create_job(fast, periodic(HOUR))
    instant.advance_clock(DAY)
    runs = runs_of(fast, job["id"])
    assert len(runs) == 24
    assert scheduled(runs)[:2] == ["2022-03-01T11:00:00Z", "2022-03-01T12:00:00Z"]
    assert scheduled(runs)[-1] == "2022-03-02T10:00:00Z"


def test_no_catchup_collapses_a_day_into_one_run(instant: Emulator, fast: Client) -> None:
    job = create_job(fast, periodic(HOUR), no_catchup=True)
    instant.advance_clock(DAY)
    assert scheduled(runs_of(fast, job["id"])) == ["2022-03-02T10:00:00Z"]


def test_cron_catch_up_and_no_catch_up(instant: Emulator, fast: Client) -> None:
    catching_up = create_job(fast, cron("0 0 * * * *"))
    latest_only = create_job(fast, cron("0 0 * * * *"), no_catchup=True)
    instant.advance_clock(DAY + 1800)
    assert len(runs_of(fast, catching_up["id"])) == 24
    assert scheduled(runs_of(fast, latest_only["id"])) == ["2022-03-02T10:00:00Z"]


def test_the_reference_window_with_start_and_end(instant: Emulator, fast: Client) -> None:
    """start 10:00:00, end 10:02:00 on the epoch's first day, job created much later: catch-up
    fires 10:01 and 10:02 (one per 10 s sync), no catch-up only the end."""
    window = {"start_time": "1970-01-01T10:00:00Z", "end_time": "1970-01-01T10:02:00Z"}
    jobs = {
        "periodic": create_job(fast, periodic(60, **window)),
        "periodic no catchup": create_job(fast, periodic(60, **window), no_catchup=True),
        "cron": create_job(fast, cron("0 * * * * ?", **window)),
        "cron no catchup": create_job(fast, cron("0 * * * * ?", **window), no_catchup=True),
    }
    instant.advance_clock(10)
    both = ["1970-01-01T10:01:00Z", "1970-01-01T10:02:00Z"]
    assert scheduled(runs_of(fast, jobs["periodic"]["id"])) == both
    assert scheduled(runs_of(fast, jobs["cron"]["id"])) == both
    assert scheduled(runs_of(fast, jobs["periodic no catchup"]["id"])) == both[1:]
    assert scheduled(runs_of(fast, jobs["cron no catchup"]["id"])) == both[1:]


def test_start_time_in_the_future_delays_the_first_run(instant: Emulator, fast: Client) -> None:
    job = create_job(fast, periodic(HOUR, start_time="2022-03-01T15:00:00Z"))
    instant.advance_clock(5 * HOUR + HOUR - 1)
    assert runs_of(fast, job["id"]) == []
    instant.advance_clock(1)
    assert scheduled(runs_of(fast, job["id"])) == ["2022-03-01T16:00:00Z"]


def test_end_time_stops_the_job_and_is_inclusive(instant: Emulator, fast: Client) -> None:
    job = create_job(fast, periodic(HOUR, end_time="2022-03-01T13:00:00Z"))
    instant.advance_clock(DAY)
    assert scheduled(runs_of(fast, job["id"])) == [
        "2022-03-01T11:00:00Z",
        "2022-03-01T12:00:00Z",
        "2022-03-01T13:00:00Z",
    ]


def test_a_one_off_job_fires_once_at_its_creation(instant: Emulator, fast: Client) -> None:
    job = create_job(fast, None)
    assert job["trigger"] == {}
    assert job["status"] == "NO_STATUS"
    instant.advance_clock(DAY)
    assert scheduled(runs_of(fast, job["id"])) == ["2022-03-01T10:00:00Z"]
    assert fast.get(f"{JOBS}/{job['id']}").json["status"] == "Succeeded"


# --------------------------------------------------------------------------------------------
# The fired runs


def test_a_fired_run_is_named_referenced_and_labelled_as_on_a_cluster(
    instant: Emulator, fast: Client
) -> None:
    job = create_job(
        fast,
        periodic(HOUR),
        name="Hello World!",
        pipeline_spec={
            "workflow_manifest": '{"apiVersion":"argoproj.io/v1alpha1","kind":"Workflow",'
            '"metadata":{"generateName":"w-"},"spec":{"arguments":{"parameters":'
            '[{"name":"when"},{"name":"id"}]}}}',
            "parameters": [
                {"name": "when", "value": "[[ScheduledTime]]"},
                {"name": "id", "value": "[[Index]]-[[RunUUID]]"},
            ],
        },
    )
    instant.advance_clock(HOUR)
    (run,) = runs_of(fast, job["id"])
    swf = run["name"].rsplit("-", 2)[0]
    assert swf.startswith("helloworld")
    assert len(swf) == len("helloworld") + 5
    assert run["name"] == run_name(swf, 1)
    assert run["resource_references"] == [
        {
            "key": {"type": "EXPERIMENT", "id": instant.default_experiment_id},
            "name": "Default",
            "relationship": "OWNER",
        },
        {
            "key": {"type": "JOB", "id": job["id"]},
            "name": "Hello World!",
            "relationship": "CREATOR",
        },
    ]
    assert run["scheduled_at"] == "2022-03-01T11:00:00Z"
    assert run["created_at"] == "2022-03-01T11:00:00Z"
    assert run["status"] == "Succeeded"
    assert "parameters" not in run["pipeline_spec"]
    assert "service_account" not in run
    workflow = instant.get_run(run["id"])["pipeline_runtime"]["workflow_manifest"]
    assert '"scheduledworkflows.kubeflow.org/workflowEpoch":"1646132400"' in workflow
    assert '"scheduledworkflows.kubeflow.org/workflowIndex":"1"' in workflow
    assert f'"scheduledworkflows.kubeflow.org/scheduledWorkflowName":"{swf}"' in workflow
    assert '"name":"when","value":"20220301110000"' in workflow
    assert f'"name":"id","value":"1-{run["id"]}"' in workflow


def test_the_name_hash_is_fnv_1a() -> None:
    assert run_name("helloworldx7k2p", 1).startswith("helloworldx7k2p-1-")
    assert run_name("a", 1) == "a-1-" + str(_fnv("a-1"))


def _fnv(text: str) -> int:
    value = 2166136261
    for byte in text.encode():
        value = ((value ^ byte) * 16777619) % 2**32
    return value


# --------------------------------------------------------------------------------------------
# max_concurrency, enable and disable


def test_max_concurrency_counts_runs_still_active(emulator: Emulator, client: Client) -> None:
    """With runs that do not finish on their own, only max_concurrency of them fire; a tick
    held back fires, with its own scheduled_at, once a run has finished."""
    job = create_job(client, periodic(HOUR), max_concurrency="2")
    emulator.advance_clock(5 * HOUR)
    runs = runs_of(client, job["id"])
    assert scheduled(runs) == ["2022-03-01T11:00:00Z", "2022-03-01T12:00:00Z"]
    emulator.set_run_status(runs[0]["id"], "Succeeded")
    runs = runs_of(client, job["id"])
    assert scheduled(runs)[2:] == ["2022-03-01T13:00:00Z"]
    assert runs[2]["created_at"] == "2022-03-01T15:00:00Z"


def test_disable_stops_firing_and_enable_backfills(instant: Emulator, fast: Client) -> None:
    job = create_job(fast, periodic(HOUR))
    instant.advance_clock(HOUR + 1)
    assert fast.post(f"{JOBS}/{job['id']}/disable").status == 200
    instant.advance_clock(4 * HOUR)
    assert len(runs_of(fast, job["id"])) == 1
    assert fast.get(f"{JOBS}/{job['id']}").json["status"] == "Disabled"
    assert fast.post(f"{JOBS}/{job['id']}/enable").status == 200
    # The controller fires one run per sync, and syncs a job every 10 seconds.
    assert len(runs_of(fast, job["id"])) == 2
    instant.advance_clock(30)
    assert scheduled(runs_of(fast, job["id"])) == [
        f"2022-03-01T{hour}:00:00Z" for hour in (11, 12, 13, 14, 15)
    ]
    assert fast.get(f"{JOBS}/{job['id']}").json["status"] == "Enabled"


def test_enable_without_catch_up_fires_once_for_the_backlog(
    instant: Emulator, fast: Client
) -> None:
    job = create_job(fast, periodic(HOUR), no_catchup=True, enabled=False)
    instant.advance_clock(5 * HOUR)
    assert runs_of(fast, job["id"]) == []
    assert fast.post(f"{JOBS}/{job['id']}/enable").status == 200
    assert scheduled(runs_of(fast, job["id"])) == ["2022-03-01T15:00:00Z"]
    instant.advance_clock(HOUR)
    assert len(runs_of(fast, job["id"])) == 2


def test_a_job_firing_every_second_is_paced_by_the_controller(
    instant: Emulator, fast: Client
) -> None:
    job = create_job(fast, periodic(1))
    instant.advance_clock(100)
    runs = runs_of(fast, job["id"])
    assert len(runs) == 11  # one per 10 s sync, the backlog of ticks in order
    assert scheduled(runs)[:3] == [
        "2022-03-01T10:00:01Z",
        "2022-03-01T10:00:02Z",
        "2022-03-01T10:00:03Z",
    ]


def test_a_year_of_a_job_firing_every_second_is_bounded(emulator: Emulator, client: Client) -> None:
    """Runs that take time bound a backlog by max_concurrency: advancing a year creates ten
    runs, not thirty million, and costs no more than those ten."""
    every_second = create_job(client, periodic(1), max_concurrency="10")
    every_second_cron = create_job(client, cron("* * * * * *"), max_concurrency="10")
    latest = create_job(client, cron("* * * * * *"), no_catchup=True)
    emulator.advance_clock(365 * DAY)
    assert len(runs_of(client, every_second["id"])) == 10
    assert len(runs_of(client, every_second_cron["id"])) == 10
    assert scheduled(runs_of(client, latest["id"])) == ["2023-03-01T10:00:00Z"]


# --------------------------------------------------------------------------------------------
# Interactions


def test_delete_job_keeps_its_runs_without_the_job_reference(
    instant: Emulator, fast: Client
) -> None:
    job = create_job(fast, periodic(HOUR))
    instant.advance_clock(2 * HOUR)
    runs = runs_of(fast, job["id"])
    assert len(runs) == 2
    assert fast.request("DELETE", f"{JOBS}/{job['id']}").status == 200
    assert runs_of(fast, job["id"]) == []
    kept = fast.get(f"{API}/runs/{runs[0]['id']}").json["run"]
    assert [ref["key"]["type"] for ref in kept["resource_references"]] == ["EXPERIMENT"]
    instant.advance_clock(DAY)
    assert instant.run_count() == 2


def test_archiving_an_experiment_disables_its_jobs(instant: Emulator, fast: Client) -> None:
    experiment = instant.add_experiment("nightly")
    owner = {"key": {"type": "EXPERIMENT", "id": experiment}, "relationship": "OWNER"}
    job = create_job(fast, periodic(HOUR), resource_references=[owner])
    assert fast.post(f"{API}/experiments/{experiment}:archive").status == 200
    instant.advance_clock(DAY)
    assert runs_of(fast, job["id"]) == []
    archived = fast.get(f"{JOBS}/{job['id']}").json
    assert "enabled" not in archived
    assert archived["status"] == "Disabled"
    assert archived["updated_at"] == "2022-03-01T10:00:00Z"


# --------------------------------------------------------------------------------------------
# Restart and the real clock


def test_jobs_survive_a_restart_and_no_run_fires_twice(tmp_path: Path) -> None:
    db = str(tmp_path / "kfp.db")
    clock = ManualClock()
    with Emulator(db=db, clock=clock, lifecycle=Lifecycle.instant()) as server:
        client = Client(server.url)
        job = create_job(client, periodic(HOUR))
        server.advance_clock(3 * HOUR)
        before = runs_of(client, job["id"])
        client.close()
    assert len(before) == 3
    with Emulator(db=db, clock=clock, lifecycle=Lifecycle.instant()) as server:
        client = Client(server.url)
        assert runs_of(client, job["id"]) == before
        server.advance_clock(2 * HOUR)
        after = runs_of(client, job["id"])
        client.close()
    assert scheduled(after) == [f"2022-03-01T{hour}:00:00Z" for hour in (11, 12, 13, 14, 15)]
    assert [run["id"] for run in after[:3]] == [run["id"] for run in before]
    assert len({run["name"] for run in after}) == 5


def test_with_the_system_clock_a_due_run_appears_without_a_request() -> None:
    """The timer thread wakes at the due time; the test waits for the run, not for a time."""
    with Emulator(lifecycle="instant") as server:
        client = Client(server.url)
        create_job(client, periodic(1))
        client.close()
        arrived = threading.Event()
        for _ in range(200):
            if server.run_count():
                arrived.set()
                break
            arrived.wait(0.05)
        assert arrived.is_set()


def test_a_year_of_runs_that_finish_at_once_is_bounded_too(instant: Emulator, fast: Client) -> None:
    """With runs that finish at once only the controller's pace holds a backlog back; one sync
    fires at most MAX_CATCH_UP runs of a job, then one run per sync (10 s) follows."""
    job = create_job(fast, periodic(1), max_concurrency="10")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scheduler, "MAX_CATCH_UP", 50)
        instant.advance_clock(365 * DAY)
        assert instant.run_count() == 50
        instant.advance_clock(10)
        assert instant.run_count() == 51
    assert scheduled(runs_of(fast, job["id"]))[-1] == "2022-03-01T10:00:51Z"


def test_ticks_beyond_the_last_timestamp_never_come(instant: Emulator, fast: Client) -> None:
    huge = create_job(fast, periodic(2**63 - 1))
    last_day = create_job(fast, cron("59 59 23 31 12 *", start_time="9999-12-31T23:59:58Z"))
    after_the_last = create_job(fast, cron("@daily", start_time="9999-12-31T23:59:59Z"))
    instant.advance_clock(DAY)
    assert fast.get(f"{JOBS}/{huge['id']}").json["status"] == "Enabled"
    assert runs_of(fast, huge["id"]) == []
    assert runs_of(fast, last_day["id"]) == []
    assert runs_of(fast, after_the_last["id"]) == []
    assert fast.get(f"{JOBS}/{after_the_last['id']}").json["status"] == "Enabled"


def test_a_job_the_scheduler_cannot_read_is_left_out_not_fatal(
    instant: Emulator, fast: Client, caplog: pytest.LogCaptureFixture
) -> None:
    broken = create_job(fast, periodic(HOUR))
    healthy = create_job(fast, periodic(HOUR))
    with instant.store.transaction():
        instant.store.update_job(broken["id"], trigger='{"cron_schedule":')
    instant.advance_clock(2 * HOUR)
    assert fast.get(f"{API}/runs").status == 200
    assert runs_of(fast, broken["id"]) == []
    assert len(runs_of(fast, healthy["id"])) == 2
    assert f"cannot schedule job {broken['id']}" in caplog.text


def test_a_restored_snapshot_goes_on_firing_where_it_stood(instant: Emulator, fast: Client) -> None:
    job = create_job(fast, periodic(HOUR))
    instant.advance_clock(HOUR)
    saved = instant.snapshot()
    instant.advance_clock(2 * HOUR)
    assert len(runs_of(fast, job["id"])) == 3
    instant.restore(saved)
    assert len(runs_of(fast, job["id"])) == 3  # 12:00 and 13:00 are due again at 13:00
    instant.reset()
    assert fast.get(f"{JOBS}/{job['id']}").status == 404
    instant.advance_clock(DAY)
    assert instant.run_count() == 0
