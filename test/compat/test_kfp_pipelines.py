"""The KFP SDK 1.x (``kfp.Client`` and the ``kfp pipeline`` commands) managing pipelines on
the emulator: uploads, versions, lookups, deletions and runs of stored pipelines.

It runs in the tox environment ``kfp1`` (kfp 1.8.22 with this package over the kfp-server-api it
brings along); elsewhere it is skipped. Pipelines are compiled by the SDK itself.
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

pytestmark = pytest.mark.filterwarnings("ignore")

ROOT = Path(__file__).resolve().parents[2]


def _multiply(x: float, factor: float) -> float:
    """Multiplies x by factor."""
    return x * factor


@dsl.pipeline(name="scaling", description="Scales a number & checks it")
def scaling(x: float = 2.5, factor: float = 4.0, label: str = "a & b") -> None:
    multiply = create_component_from_func(_multiply, base_image="python:3.9")
    first = multiply(x, factor)
    multiply(first.output, factor)


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """``scaling`` compiled by the SDK into a YAML file."""
    path = tmp_path / "scaling.yaml"
    kfp.compiler.Compiler().compile(scaling, str(path))
    return path


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """``scaling`` compiled by the SDK into a tar.gz package."""
    path = tmp_path / "scaling.tar.gz"
    kfp.compiler.Compiler().compile(scaling, str(path))
    return path


EXPECTED_PARAMETERS = [("x", "2.5"), ("factor", "4.0"), ("label", "a & b")]


def _parameters(pipeline: Any) -> list[tuple[str, str]]:
    return [(p.name, p.value) for p in pipeline.parameters or []]


def test_upload_pipeline_from_a_yaml_file(client: Any, package: Path) -> None:
    pipeline = client.upload_pipeline(str(package), pipeline_name="scaling", description="d")

    assert isinstance(pipeline, kfp_server_api.ApiPipeline)
    assert (pipeline.name, pipeline.description) == ("scaling", "d")
    assert _parameters(pipeline) == EXPECTED_PARAMETERS
    assert pipeline.default_version.id == pipeline.id
    template = json.loads(client._pipelines_api.get_template(pipeline.id).template)
    assert template["metadata"]["generateName"] == "scaling-"


def test_upload_pipeline_from_a_compiled_package(client: Any, archive: Path) -> None:
    pipeline = client.upload_pipeline(str(archive))

    assert pipeline.name == "scaling.tar.gz"
    assert _parameters(pipeline) == EXPECTED_PARAMETERS


def test_versions_by_pipeline_id_and_by_name(
    client: Any, emulator: Emulator, package: Path, archive: Path
) -> None:
    pipeline = client.upload_pipeline(str(package), pipeline_name="scaling")
    emulator.advance_clock(1)

    by_id = client.upload_pipeline_version(
        str(archive), "v2", pipeline_id=pipeline.id, description="second"
    )
    emulator.advance_clock(1)
    by_name = client.upload_pipeline_version(str(package), "v3", pipeline_name="scaling")

    assert isinstance(by_id, kfp_server_api.ApiPipelineVersion)
    assert by_id.description == "second"
    assert by_id.resource_references[0].key.id == pipeline.id
    assert client.get_pipeline(pipeline.id).default_version.id == by_name.id
    versions = client.list_pipeline_versions(pipeline.id, sort_by="created_at desc")
    assert [v.name for v in versions.versions] == ["v3", "v2", "scaling"]
    assert versions.total_size == 3

    client.delete_pipeline_version(by_name.id)

    assert client.get_pipeline(pipeline.id).default_version.id == by_id.id
    assert client.list_pipeline_versions(pipeline.id).total_size == 2


def test_get_pipeline_id_get_list_and_delete(client: Any, package: Path) -> None:
    first = client.upload_pipeline(str(package), pipeline_name="first")
    second = client.upload_pipeline(str(package), pipeline_name="second")

    assert client.get_pipeline_id("second") == second.id
    assert client.get_pipeline_id("third") is None
    assert client.get_pipeline(first.id).name == "first"
    listed = client.list_pipelines(page_size=1, sort_by="name desc")
    assert [p.name for p in listed.pipelines] == ["second"]
    assert listed.total_size == 2
    assert listed.next_page_token

    client.delete_pipeline(first.id)

    assert [p.id for p in client.list_pipelines().pipelines] == [second.id]
    with pytest.raises(kfp_server_api.ApiException) as raised:
        client.get_pipeline(first.id)
    assert raised.value.status == 404


def test_a_taken_name_is_refused(client: Any, package: Path) -> None:
    client.upload_pipeline(str(package), pipeline_name="scaling")

    with pytest.raises(kfp_server_api.ApiException) as raised:
        client.upload_pipeline(str(package), pipeline_name="scaling")

    assert raised.value.status == 500
    assert "The name scaling already exist" in raised.value.body


def test_run_pipeline_by_pipeline_id_and_by_version_id(
    client: Any, emulator: Emulator, package: Path
) -> None:
    pipeline = client.upload_pipeline(str(package), pipeline_name="scaling")
    version = client.upload_pipeline_version(str(package), "v2", pipeline_id=pipeline.id)
    experiment = emulator.default_experiment_id

    by_pipeline = client.run_pipeline(
        experiment, "by pipeline", pipeline_id=pipeline.id, params={"x": "3"}
    )
    by_version = client.run_pipeline(experiment, "by version", version_id=version.id)

    assert by_pipeline.pipeline_spec.pipeline_name == "scaling"
    assert [(p.name, p.value) for p in by_pipeline.pipeline_spec.parameters] == [("x", "3")]
    manifest = json.loads(by_pipeline.pipeline_spec.workflow_manifest)
    assert manifest["metadata"]["generateName"] == "scaling-"
    versions = {
        r.key.id for r in by_version.resource_references if r.key.type == "PIPELINE_VERSION"
    }
    assert versions == {version.id}
    finished = client.wait_for_run_completion(by_version.id, timeout=30)
    assert finished.run.status == "Succeeded"
    default_version = {
        r.key.id for r in by_pipeline.resource_references if r.key.type == "PIPELINE_VERSION"
    }
    assert default_version == {version.id}  # the newest version became the default


def _run_cli(emulator: Emulator, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-c",
        "import sys; from kfp.__main__ import main; sys.argv[0] = 'kfp'; main()",
        "--endpoint",
        emulator.url,
        "--output",
        "json",
        *arguments,
    ]
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, env=environment, check=False
    )


def _kfp_cli(emulator: Emulator, *arguments: str) -> Any:
    result = _run_cli(emulator, *arguments)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout) if result.stdout.startswith(("{", "[")) else result.stdout


def test_the_kfp_pipeline_commands(
    client: Any, emulator: Emulator, package: Path, archive: Path
) -> None:
    uploaded = _kfp_cli(emulator, "pipeline", "upload", "-p", "cli", str(package))
    pipeline_id = uploaded["Pipeline Details"]["Pipeline ID"]
    by_id = _kfp_cli(
        emulator, "pipeline", "upload-version", "-p", pipeline_id, "-v", "v2", str(archive)
    )
    by_name = _kfp_cli(
        emulator, "pipeline", "upload-version", "-n", "cli", "-v", "v3", str(package)
    )
    listed = _kfp_cli(emulator, "pipeline", "list")
    got = _kfp_cli(emulator, "pipeline", "get", pipeline_id)
    _kfp_cli(emulator, "pipeline", "delete-version", by_name["Version ID"])
    versions_left = client.list_pipeline_versions(pipeline_id).versions
    deleted = _kfp_cli(emulator, "pipeline", "delete", pipeline_id)

    assert uploaded["Pipeline Details"]["Name"] == "cli"
    parameters = [p["Parameter Name"] for p in uploaded["Pipeline Parameters"]]
    assert parameters == ["x", "factor", "label"]
    assert (by_id["Version name"], by_id["Pipeline ID"]) == ("v2", pipeline_id)
    assert [p["Pipeline ID"] for p in listed] == [pipeline_id]
    assert got["Pipeline Details"]["Version ID"] == by_name["Version ID"]
    assert sorted(v.name for v in versions_left) == ["cli", "v2"]
    assert deleted.strip() == f"{pipeline_id} is deleted"
    assert _kfp_cli(emulator, "pipeline", "list") == []


def test_kfp_pipeline_list_versions_fails_inside_the_sdk(emulator: Emulator) -> None:
    # kfp 1.8.22's command passes filter= to Client.list_pipeline_versions, which takes no
    # such argument: it fails before any request, whatever the server.
    result = _run_cli(emulator, "pipeline", "list-versions", "some-pipeline")

    assert result.returncode != 0
    assert "unexpected keyword argument 'filter'" in result.stderr
