"""The KFP SDK 1.x on experiments: ``kfp.Client`` and the ``kfp`` command line, driving this
package against the emulator over real HTTP.

Runs in the tox environment ``kfp1`` (``kfp==1.8.22``); elsewhere it is skipped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

import kfp_server_api
from kfp_server_api.emulator import Emulator

with warnings.catch_warnings():
    # The SDK's own dependencies warn about their deprecations on import; not ours to fix.
    warnings.simplefilter("ignore")
    kfp = pytest.importorskip("kfp", minversion="1.8", reason="needs the KFP SDK 1.x (tox -e kfp1)")
    from kfp import dsl
    from kfp.components import create_component_from_func

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    # The SDK warns about its own API when it compiles a pipeline; not ours to fix.
    pytest.mark.filterwarnings("ignore::PendingDeprecationWarning"),
    pytest.mark.filterwarnings("ignore::FutureWarning"),
]

ROOT = Path(__file__).resolve().parents[2]
ARCHIVED = kfp_server_api.ApiExperimentStorageState.ARCHIVED
AVAILABLE = kfp_server_api.ApiExperimentStorageState.AVAILABLE


def add(a: float, b: float) -> float:
    return a + b


@dsl.pipeline(name="adder")
def adder(a: float = 1, b: float = 2) -> None:
    create_component_from_func(add, base_image="python:3.9")(a, b)


@pytest.fixture
def package(tmp_path: Path) -> str:
    path = str(tmp_path / "adder.yaml")
    kfp.compiler.Compiler().compile(adder, path)
    return path


def test_create_get_by_id_and_by_name(client: Any) -> None:
    created = client.create_experiment("training", description="nightly models")

    by_id = client.get_experiment(experiment_id=created.id)
    by_name = client.get_experiment(experiment_name="training")
    again = client.create_experiment("training")  # the SDK finds it by name instead

    assert isinstance(created, kfp_server_api.ApiExperiment)
    assert created.storage_state == AVAILABLE
    assert created.description == "nightly models"
    assert by_id == by_name == again == created
    with pytest.raises(ValueError, match="No experiment is found with name absent"):
        client.get_experiment(experiment_name="absent")
    with pytest.raises(kfp_server_api.ApiException) as raised:
        client.get_experiment(experiment_id="no-such-experiment")
    assert raised.value.status == 404


def test_list_pages_sorts_and_filters(client: Any) -> None:
    for name in ("a", "b", "c", "d"):
        client.create_experiment(name)

    first = client.list_experiments(page_size=2, sort_by="name desc")
    second = client.list_experiments(page_token=first.next_page_token, page_size=2)
    third = client.list_experiments(page_token=second.next_page_token, page_size=2)
    found = client.list_experiments(
        filter=json.dumps({"predicates": [{"op": 9, "key": "name", "stringValue": "b"}]})
    )

    assert first.total_size == 5  # and Default
    assert [e.name for e in first.experiments + second.experiments + third.experiments] == [
        "d",
        "c",
        "b",
        "a",
        "Default",
    ]
    assert third.next_page_token is None
    assert [e.name for e in found.experiments] == ["b"]


def test_archive_and_delete(client: Any, emulator: Emulator) -> None:
    experiment = client.create_experiment("short-lived")
    pipeline = emulator.add_pipeline("training")
    run = client.run_pipeline(experiment.id, "one", pipeline_id=pipeline.pipeline_id)

    client.archive_experiment(experiment.id)
    archived = client.get_experiment(experiment_id=experiment.id)
    run_state = client.get_run(run.id).run.storage_state
    client.delete_experiment(experiment.id)

    assert archived.storage_state == ARCHIVED
    assert run_state == kfp_server_api.ApiRunStorageState.ARCHIVED
    with pytest.raises(kfp_server_api.ApiException) as raised:
        client.get_experiment(experiment_id=experiment.id)
    assert raised.value.status == 404
    assert client.get_run(run.id).run.id == run.id  # runs outlive their experiment


def test_create_run_from_pipeline_func_in_a_named_experiment(client: Any) -> None:
    result = client.create_run_from_pipeline_func(
        adder, arguments={"a": 3}, experiment_name="from-func", run_name="func run"
    )

    finished = result.wait_for_run_completion(timeout=30)
    experiment = client.get_experiment(experiment_name="from-func")

    assert finished.run.status == "Succeeded"
    (owner,) = finished.run.resource_references
    assert (owner.key.id, owner.name) == (experiment.id, "from-func")
    assert client.list_runs(experiment_id=experiment.id).total_size == 1


def test_create_run_from_pipeline_package_and_run_pipeline(client: Any, package: str) -> None:
    result = client.create_run_from_pipeline_package(
        package, arguments={"b": 5}, experiment_name="from-package", run_name="package run"
    )
    experiment = client.get_experiment(experiment_name="from-package")
    again = client.run_pipeline(experiment.id, "again", pipeline_package_path=package)

    assert result.wait_for_run_completion(timeout=30).run.status == "Succeeded"
    listed = client.list_runs(experiment_id=experiment.id, sort_by="name")
    assert [r.name for r in listed.runs] == ["again", "package run"]
    assert again.resource_references[0].key.id == experiment.id
    parameters = {p.name: p.value for p in listed.runs[1].pipeline_spec.parameters}
    assert parameters == {"b": "5"}  # the SDK sends only the arguments given


# --- the kfp command line ----------------------------------------------------------------------


def kfp_cli(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``kfp --endpoint url ...`` with this package first on the path."""
    environment = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONWARNINGS="ignore")
    command = [sys.executable, "-c", "from kfp.__main__ import main; main()"]
    return subprocess.run(
        [*command, "--endpoint", url, "--output", "json", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=environment,
    )


def json_output(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_experiment_commands(emulator: Emulator) -> None:
    url = emulator.url

    created = json_output(kfp_cli(url, "experiment", "create", "cli-made", "-d", "by hand"))
    experiment_id = created["ID"]
    fetched = json_output(kfp_cli(url, "experiment", "get", experiment_id))
    listed = json_output(kfp_cli(url, "experiment", "list", "--sort-by", "name"))
    archived = kfp_cli(url, "experiment", "archive", "--experiment-name", "cli-made")
    deleted = kfp_cli(url, "experiment", "delete", experiment_id, stdin="y\n")
    missing = kfp_cli(url, "experiment", "get", experiment_id)

    assert created["Name"] == "cli-made"
    assert created["Description"] == "by hand"
    assert fetched == created
    assert [row["Name"] for row in listed] == ["Default", "cli-made"]
    assert archived.returncode == 0, archived.stderr
    assert deleted.returncode == 0, deleted.stderr
    assert f"{experiment_id} is deleted." in deleted.stdout
    assert missing.returncode != 0
    assert f"Experiment {experiment_id} not found." in missing.stdout + missing.stderr


def test_archive_through_the_cli_reaches_the_server(emulator: Emulator) -> None:
    client = kfp.Client(host=emulator.url)
    experiment = client.create_experiment("to-archive")

    result = kfp_cli(emulator.url, "experiment", "archive", "--experiment-id", experiment.id)

    assert result.returncode == 0, result.stderr
    assert client.get_experiment(experiment_id=experiment.id).storage_state == ARCHIVED


def test_run_submit_creates_the_experiment_and_the_run(emulator: Emulator, package: str) -> None:
    result = kfp_cli(
        emulator.url,
        "run",
        "submit",
        "-e",
        "submitted",
        "-r",
        "cli run",
        "-f",
        package,
        "--timeout",
        "30",
        "a=7",
    )

    assert result.returncode == 0, result.stderr
    client = kfp.Client(host=emulator.url)
    experiment = client.get_experiment(experiment_name="submitted")
    (run,) = client.list_runs(experiment_id=experiment.id).runs
    assert (run.name, run.status) == ("cli run", "Succeeded")
    assert {p.name: p.value for p in run.pipeline_spec.parameters}["a"] == "7"
