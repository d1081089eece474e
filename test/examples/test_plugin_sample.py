"""Tests of code that starts Kubeflow Pipelines runs, against the emulator: no cluster needed."""

import json

import pytest

from kfp_server_api import ApiPipelineSpec, ApiRun, RunServiceApi
from kfp_server_api.emulator import Emulator, RunSeed, Snapshot

WORKFLOW = {
    "apiVersion": "argoproj.io/v1alpha1",
    "kind": "Workflow",
    "metadata": {"generateName": "train-"},
    "spec": {
        "entrypoint": "train",
        "templates": [{"name": "train", "container": {"image": "python:3.12"}}],
    },
}


def start_training(runs: RunServiceApi, name: str) -> str:
    """The code under test: start a training run, return its id."""
    spec = ApiPipelineSpec(workflow_manifest=json.dumps(WORKFLOW))
    return runs.create_run(ApiRun(name=name, pipeline_spec=spec)).run.id


def test_training_run_succeeds(kfp_run_api: RunServiceApi) -> None:
    run_id = start_training(kfp_run_api, "nightly")
    # Runs are final by their first read (lifecycle "instant", the plugin's default).
    assert kfp_run_api.get_run(run_id).run.status == "Succeeded"


def test_each_test_starts_from_an_empty_server(kfp_run_api: RunServiceApi) -> None:
    assert not kfp_run_api.list_runs().runs  # "nightly" is gone


@pytest.mark.kfp_emulator(lifecycle="timed", manual_clock=True)
def test_run_finishes_when_the_clock_moves(
    kfp_emulator: Emulator, kfp_run_api: RunServiceApi
) -> None:
    run_id = start_training(kfp_run_api, "slow")
    assert kfp_run_api.get_run(run_id).run.status == "Pending"
    kfp_emulator.advance_clock(2)  # the timed lifecycle: Running after 1 s, Succeeded after 2 s
    assert kfp_run_api.get_run(run_id).run.status == "Succeeded"


def test_a_failure_reported_by_the_cluster(
    kfp_emulator: Emulator, kfp_run_api: RunServiceApi
) -> None:
    run_id = start_training(kfp_run_api, "flaky")
    kfp_emulator.set_run_status(run_id, "Failed")
    assert kfp_run_api.get_run(run_id).run.status == "Failed"


@pytest.fixture(scope="session")
def many_runs(kfp_emulator_session: Emulator) -> Snapshot:
    """A large store, seeded once per session; each test restores it in milliseconds."""
    kfp_emulator_session.reset()
    kfp_emulator_session.seed_runs(RunSeed(name=f"run {i:05}") for i in range(2_000))
    return kfp_emulator_session.snapshot()


def test_paging_through_a_large_store(
    kfp_emulator: Emulator, kfp_run_api: RunServiceApi, many_runs: Snapshot
) -> None:
    kfp_emulator.restore(many_runs)
    page = kfp_run_api.list_runs(page_size=100, sort_by="name desc")
    assert page.total_size == 2_000
    assert page.runs[0].name == "run 01999"
