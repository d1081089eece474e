"""The KFP SDK 1.x (``kfp.Client``), built against kfp-server-api 1.8.5, driving this package.

It runs in the tox environment ``kfp1``, which installs ``kfp==1.8.22`` and then this package over
the kfp-server-api it brings along; elsewhere it is skipped. The client talks to the emulator
over real HTTP, through the same calls a user of ``kfp.Client`` makes; and, for what a KFP 2.x
server answers differently, with a scripted loopback server replaying a 2.17 server's answers.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from servers import kfp2_answers as kfp2
from servers.loopback import LoopbackServer, Reply

import kfp_server_api
from kfp_server_api.emulator import Emulator

with warnings.catch_warnings():
    # The SDK's own dependencies warn about their deprecations on import; not ours to fix.
    warnings.simplefilter("ignore")
    kfp = pytest.importorskip("kfp", minversion="1.8", reason="needs the KFP SDK 1.x (tox -e kfp1)")

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


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


# -- a KFP 2.x server ---------------------------------------------------------------------------


@pytest.fixture
def kfp2_server() -> Iterator[Any]:
    """A scripted loopback server answering as a KFP 2.17 server (the emulator is 1.8.5)."""
    finished = kfp2.v2_run(status="Succeeded", finished_at="2025-11-20T10:30:00Z")
    answers = {
        ("GET", "/apis/v1beta1/runs"): Reply.json(
            {"runs": [kfp2.V1_RUN, kfp2.v2_run()], "total_size": 2}
        ),
        ("GET", f"/apis/v1beta1/runs/{kfp2.RUN_ID}"): Reply.json(kfp2.run_detail(finished)),
        ("GET", "/apis/v1beta1/healthz"): Reply.json(kfp2.HEALTHZ),
    }
    with LoopbackServer(responder=kfp2.route(answers)) as server:
        yield server


def test_runs_with_v2_parameters_from_a_kfp_2_server(kfp2_server: Any) -> None:
    client = kfp.Client(host=kfp2_server.url)

    listed = client.list_runs(page_size=10)
    fetched = client.get_run(kfp2.RUN_ID)
    finished = client.wait_for_run_completion(kfp2.RUN_ID, timeout=30)

    assert [run.id for run in listed.runs] == [kfp2.V1_RUN_ID, kfp2.RUN_ID]
    assert listed.runs[1].pipeline_spec.runtime_config.parameters == kfp2.V2_PARAMETERS
    assert fetched.run.pipeline_spec.runtime_config.parameters == kfp2.V2_PARAMETERS
    assert fetched.run.pipeline_spec.runtime_config.pipeline_root == kfp2.PIPELINE_ROOT
    assert finished.run.status == "Succeeded"
    assert finished.run.finished_at.year == 2025
