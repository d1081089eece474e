"""The KFP SDK 1.x (``kfp.Client``), built against kfp-server-api 1.8.5, driving this package.

It runs in the tox environment ``kfp1``, which installs ``kfp==1.8.22`` and then this package over
the kfp-server-api it brings along; elsewhere it is skipped. The client talks to the emulator
over real HTTP, through the same calls a user of ``kfp.Client`` makes.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest

import kfp_server_api
from kfp_server_api.emulator import Emulator

with warnings.catch_warnings():
    # The SDK's own dependencies warn about their deprecations on import; not ours to fix.
    warnings.simplefilter("ignore")
    kfp = pytest.importorskip("kfp", minversion="1.8", reason="needs the KFP SDK 1.x (tox -e kfp1)")

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator(lifecycle="instant") as server:
        yield server


@pytest.fixture
def client(emulator: Emulator) -> Any:
    return kfp.Client(host=emulator.url)


def test_the_sdk_uses_this_package(client: Any) -> None:
    assert isinstance(client._run_api, kfp_server_api.RunServiceApi)
    assert client._run_api.api_client.configuration.host.startswith("http://127.0.0.1:")


def test_run_pipeline_wait_list_get_archive(client: Any, emulator: Emulator) -> None:
    pipeline = emulator.add_pipeline("training")

    run = client.run_pipeline(
        experiment_id=emulator.default_experiment_id,
        job_name="nightly",
        pipeline_id=pipeline.pipeline_id,
        params={},
    )
    finished = client.wait_for_run_completion(run.id, timeout=30)
    listed = client.list_runs(page_size=10, sort_by="created_at desc")
    client._run_api.archive_run(run.id)

    assert isinstance(run, kfp_server_api.ApiRun)
    assert finished.run.status == "Succeeded"
    assert listed.total_size == 1
    assert [r.id for r in listed.runs] == [run.id]
    assert client.get_run(run.id).run.storage_state == kfp_server_api.ApiRunStorageState.ARCHIVED


def test_list_runs_of_an_experiment(client: Any, emulator: Emulator) -> None:
    pipeline = emulator.add_pipeline("training")
    other = emulator.add_experiment("other")
    for experiment_id in (emulator.default_experiment_id, other, other):
        client.run_pipeline(
            experiment_id=experiment_id, job_name="run", pipeline_id=pipeline.pipeline_id
        )

    assert client.list_runs(experiment_id=other).total_size == 2
    assert client.list_runs(experiment_id=emulator.default_experiment_id).total_size == 1


def test_errors_reach_the_sdk_as_api_exceptions(client: Any) -> None:
    with pytest.raises(kfp_server_api.ApiException) as raised:
        client.get_run("no-such-run")

    assert raised.value.status == 404
    assert "Run no-such-run not found" in raised.value.message
