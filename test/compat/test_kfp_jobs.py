"""The KFP SDK 1.x's recurring runs (jobs) against the emulator: ``kfp.Client`` and ``kfp
recurring-run``.

Runs in the tox environment ``kfp1`` (kfp 1.8.22 with this package over its kfp-server-api);
skipped elsewhere. Experiments come from ``kfp.Client.create_experiment`` (and ``kfp
recurring-run create --experiment-name``) or from the emulator's control API.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kfp_server_api
from kfp_server_api.emulator import Emulator, Lifecycle, ManualClock

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    kfp = pytest.importorskip("kfp", minversion="1.8", reason="needs the KFP SDK 1.x (tox -e kfp1)")
    from kfp import compiler, dsl

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ROOT = Path(__file__).resolve().parent.parent.parent
HOUR = 3600


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator(clock=ManualClock(), lifecycle=Lifecycle.instant()) as server:
        yield server


@pytest.fixture
def client(emulator: Emulator) -> Any:
    return kfp.Client(host=emulator.url)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A pipeline compiled by the SDK (an Argo workflow in YAML)."""

    @dsl.pipeline(name="hello")
    def hello(message: str = "hi") -> None:
        dsl.ContainerOp(name="echo", image="alpine", command=["echo", message])

    path = str(tmp_path_factory.mktemp("pipeline") / "hello.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compiler.Compiler().compile(hello, path)
    return path


def job_runs(client: Any, job_id: str) -> list[Any]:
    response = client._run_api.list_runs(
        page_size=100,
        resource_reference_key_type=kfp_server_api.ApiResourceType.JOB,
        resource_reference_key_id=job_id,
    )
    return response.runs or []


def test_create_recurring_run_with_a_cron_trigger(
    client: Any, emulator: Emulator, package: str
) -> None:
    experiment = client.create_experiment("nightly").id
    job = client.create_recurring_run(
        experiment_id=experiment,
        job_name="hello cron",
        cron_expression="0 0 * * * *",
        pipeline_package_path=package,
        params={"message": "from cron"},
        max_concurrency=2,
    )

    assert isinstance(job, kfp_server_api.ApiJob)
    assert job.trigger.cron_schedule.cron == "0 0 * * * *"
    assert job.max_concurrency == "2"
    assert job.enabled is True
    assert job.resource_references[0].key.id == experiment
    emulator.advance_clock(3 * HOUR)
    runs = job_runs(client, job.id)
    assert len(runs) == 3
    assert all(run.name.startswith("hellocron") for run in runs)
    detail = client.get_run(runs[0].id)
    assert "from cron" in detail.pipeline_runtime.workflow_manifest


def test_create_recurring_run_with_an_interval(
    client: Any, emulator: Emulator, package: str
) -> None:
    experiment = emulator.add_experiment("hourly")
    job = client.create_recurring_run(
        experiment_id=experiment,
        job_name="hello interval",
        interval_second=HOUR,
        start_time="2022-03-01T10:00:00Z",
        end_time="2022-03-01T12:00:00Z",
        pipeline_package_path=package,
        no_catchup=False,
    )

    assert job.trigger.periodic_schedule.interval_second == str(HOUR)
    emulator.advance_clock(24 * HOUR)
    assert len(job_runs(client, job.id)) == 2  # 11:00 and 12:00, end inclusive


def test_list_get_disable_and_delete(client: Any, emulator: Emulator, package: str) -> None:
    experiment = emulator.add_experiment("listed")
    other = emulator.add_experiment("other")
    created = [
        client.create_recurring_run(
            experiment_id=experiment_id,
            job_name=name,
            interval_second=HOUR,
            pipeline_package_path=package,
        )
        for name, experiment_id in (("first", experiment), ("second", experiment), ("x", other))
    ]

    listed = client.list_recurring_runs(experiment_id=experiment, sort_by="name desc")
    assert [job.name for job in listed.jobs] == ["second", "first"]
    assert listed.total_size == 2
    assert client.list_recurring_runs(page_size=10).total_size == 3
    fetched = client.get_recurring_run(created[0].id)
    assert (fetched.id, fetched.name) == (created[0].id, "first")

    client.disable_job(created[0].id)
    disabled = client.get_recurring_run(created[0].id)
    assert disabled.enabled is None  # false is left out of the JSON, as the server does
    assert disabled.status == "Disabled"
    emulator.advance_clock(2 * HOUR)
    assert job_runs(client, created[0].id) == []
    assert len(job_runs(client, created[1].id)) == 2

    client.delete_job(created[1].id)
    with pytest.raises(kfp_server_api.ApiException) as raised:
        client.get_recurring_run(created[1].id)
    assert raised.value.status == 404
    assert emulator.run_count() == 4  # the deleted job's runs are kept


def test_invalid_cron_reaches_the_sdk_as_a_bad_request(
    client: Any, emulator: Emulator, package: str
) -> None:
    with pytest.raises(kfp_server_api.ApiException) as raised:
        client.create_recurring_run(
            experiment_id=emulator.default_experiment_id,
            job_name="bad",
            cron_expression="every hour",
            pipeline_package_path=package,
        )
    assert raised.value.status == 400
    assert "Expected 5 to 6 fields, found 2: every hour" in raised.value.body


def kfp_cli(url: str, *args: str) -> str:
    """``kfp --endpoint URL --output json ARGS`` in a subprocess; its standard output."""
    code = (
        "import sys, warnings; warnings.simplefilter('ignore'); "
        "from kfp.__main__ import main; sys.argv[0] = 'kfp'; main()"
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"}
    finished = subprocess.run(
        [sys.executable, "-c", code, "--endpoint", url, "--output", "json", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout


def test_the_recurring_run_cli(emulator: Emulator, package: str) -> None:
    created = json.loads(
        kfp_cli(
            emulator.url,
            "recurring-run",
            "create",
            "--experiment-name",
            "cli",
            "--job-name",
            "from the cli",
            "--interval-second",
            "3600",
            "--max-concurrency",
            "1",
            "--pipeline-package-path",
            package,
            "message=cli",
        )
    )
    job_id = created["Recurring Run ID"]
    assert created["Name"] == "from the cli"
    (experiment,) = [
        e["Experiment ID"]
        for e in json.loads(kfp_cli(emulator.url, "experiment", "list"))
        if e["Name"] == "cli"
    ]

    listed = json.loads(kfp_cli(emulator.url, "recurring-run", "list", "-e", experiment))
    assert [(job["Recurring Run ID"], job["Name"]) for job in listed] == [(job_id, "from the cli")]
    fetched = json.loads(kfp_cli(emulator.url, "recurring-run", "get", job_id))
    assert fetched == {"Recurring Run ID": job_id, "Name": "from the cli"}

    kfp_cli(emulator.url, "recurring-run", "delete", job_id)
    assert json.loads(kfp_cli(emulator.url, "recurring-run", "list")) == []
