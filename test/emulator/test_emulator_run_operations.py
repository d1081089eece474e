"""get, archive, unarchive, delete, terminate, retry, report_run_metrics and read_artifact."""

from __future__ import annotations

import base64
import gzip
import io
import json
import tarfile
from typing import Any

import pytest
from emulator_http import RUNS, Client, create_run, kfp_error

from kfp_server_api.emulator import Emulator, RunSeed, argo_artifact_archive


def not_found(run_id: str, context: str = "") -> dict[str, Any]:
    return kfp_error(
        f"{context}ResourceNotFoundError: Run {run_id} not found.", 5, f"Run {run_id} not found."
    )


@pytest.fixture
def run(client: Client) -> dict[str, Any]:
    return create_run(client)


def test_get_run_returns_the_run_detail(client: Client, run: dict[str, Any]) -> None:
    reply = client.get(f"{RUNS}/{run['id']}")
    assert reply.status == 200
    assert reply.json["run"] == run
    assert "workflow_manifest" in reply.json["pipeline_runtime"]


@pytest.mark.parametrize("run_id", ["nope", "a b", "x:y"])
def test_get_unknown_run(client: Client, run_id: str) -> None:
    reply = client.get(f"{RUNS}/{run_id.replace(' ', '%20')}")
    assert (reply.status, reply.json) == (404, not_found(run_id))


def test_get_run_with_empty_id_is_not_found(client: Client) -> None:
    reply = client.get(f"{RUNS}/")
    assert (reply.status, reply.json) == (404, not_found(""))


def test_archive_and_unarchive(client: Client, run: dict[str, Any]) -> None:
    path = f"{RUNS}/{run['id']}"
    for _ in range(2):  # idempotent
        reply = client.post(f"{path}:archive", b"ignored {")
        assert (reply.status, reply.body) == (200, b"{}")
    archived = client.get(path).json["run"]
    assert archived["storage_state"] == "STORAGESTATE_ARCHIVED"
    assert {k: v for k, v in archived.items() if k != "storage_state"} == run
    for _ in range(2):
        reply = client.post(f"{path}:unarchive")
        assert (reply.status, reply.body) == (200, b"{}")
    assert client.get(path).json["run"] == run


def test_archive_of_an_unknown_run_succeeds(client: Client, emulator: Emulator) -> None:
    assert client.post(f"{RUNS}/nope:archive").status == 200
    assert client.post(f"{RUNS}/nope:unarchive").status == 200
    assert emulator.run_count() == 0


def test_delete(client: Client, emulator: Emulator, run: dict[str, Any]) -> None:
    emulator.attach_artifact(run["id"], "n", "a", b"x")
    client.post(f"{RUNS}/{run['id']}:reportMetrics", {"metrics": [{"name": "m", "node_id": "n"}]})
    path = f"{RUNS}/{run['id']}"
    reply = client.request("DELETE", path)
    assert (reply.status, reply.body) == (200, b"{}")
    assert (client.get(path).status, emulator.run_count()) == (404, 0)
    reply = client.request("DELETE", path)
    assert (reply.status, reply.json) == (
        404,
        not_found(run["id"], "Delete run failed: Check run exist failed: "),
    )


def test_delete_works_for_any_state(client: Client, emulator: Emulator) -> None:
    ids = emulator.seed_runs([RunSeed("a", status="Running", archived=True)])
    assert client.request("DELETE", f"{RUNS}/{ids[0]}").status == 200


@pytest.mark.parametrize("status", ["", "Pending", "Running"])
def test_terminate_from_a_live_status(client: Client, emulator: Emulator, status: str) -> None:
    run_id = create_run(client)["id"]
    if status:
        emulator.set_run_status(run_id, status)
    reply = client.post(f"{RUNS}/{run_id}/terminate")
    assert (reply.status, reply.body) == (200, b"{}")
    detail = client.get(f"{RUNS}/{run_id}").json
    assert detail["run"]["status"] == "Terminating"
    runtime = json.loads(detail["pipeline_runtime"]["workflow_manifest"])
    assert runtime["spec"]["activeDeadlineSeconds"] == 0


@pytest.mark.parametrize("status", ["Succeeded", "Failed", "Error", "Terminating"])
def test_terminate_from_other_statuses_is_rejected(
    client: Client, emulator: Emulator, status: str
) -> None:
    run_id = create_run(client)["id"]
    emulator.set_run_status(run_id, status)
    reply = client.post(f"{RUNS}/{run_id}/terminate")
    message = f"Failed to terminate run {run_id}. Row not found."
    assert (reply.status, reply.json) == (
        400,
        kfp_error(f"Terminate run failed: Invalid input error: {message}", 3, message),
    )
    assert client.get(f"{RUNS}/{run_id}").json["run"]["status"] == status


def test_terminate_unknown_run(client: Client) -> None:
    reply = client.post(f"{RUNS}/nope/terminate")
    assert (reply.status, reply.json) == (
        404,
        not_found("nope", "Terminate run failed: Check run exist failed: "),
    )


@pytest.mark.parametrize("status", ["Failed", "Error"])
def test_retry_from_failed_or_error(client: Client, emulator: Emulator, status: str) -> None:
    run_id = create_run(client)["id"]
    emulator.set_run_status(run_id, status)
    assert client.get(f"{RUNS}/{run_id}").json["run"]["finished_at"] == "2022-03-01T10:00:00Z"
    reply = client.post(f"{RUNS}/{run_id}/retry")
    assert (reply.status, reply.body) == (200, b"{}")
    run = client.get(f"{RUNS}/{run_id}").json["run"]
    assert (run["status"], run["finished_at"]) == ("Running", "1970-01-01T00:00:00Z")


@pytest.mark.parametrize("status", ["", "Pending", "Running", "Succeeded", "Terminating"])
def test_retry_from_other_statuses_is_rejected(
    client: Client, emulator: Emulator, status: str
) -> None:
    run_id = create_run(client)["id"]
    if status:
        emulator.set_run_status(run_id, status)
    reply = client.post(f"{RUNS}/{run_id}/retry")
    message = "Workflow must be Failed/Error to retry"
    assert (reply.status, reply.json) == (
        409,
        kfp_error(
            f"Retry run failed.: BadRequestError: {message}: workflow cannot be retried",
            10,
            message,
        ),
    )


def test_retry_of_a_v2_run_is_rejected(client: Client, emulator: Emulator) -> None:
    manifest = json.dumps({"pipelineInfo": {"name": "p"}, "root": {}})
    run_id = create_run(client, pipeline_spec={"pipeline_manifest": manifest})["id"]
    emulator.set_run_status(run_id, "Failed")
    reply = client.post(f"{RUNS}/{run_id}/retry")
    message = "Workflow must be with v1 mode to retry"
    assert (reply.status, reply.json) == (
        409,
        kfp_error(f"BadRequestError: {message}: workflow cannot be retried", 10, message),
    )


def test_retry_unknown_run(client: Client) -> None:
    reply = client.post(f"{RUNS}/nope/retry")
    assert (reply.status, reply.json) == (
        404,
        not_found("nope", "Retry run failed: Check run exist failed: "),
    )


def report(client: Client, run_id: str, *metrics: dict[str, Any]) -> Any:
    reply = client.post(f"{RUNS}/{run_id}:reportMetrics", {"metrics": list(metrics)})
    assert reply.status == 200, reply.text
    return reply.json


PATTERN = "^[a-zA-Z]([-_a-zA-Z0-9]{0,62}[a-zA-Z0-9])?$"


def test_report_metrics_results_per_metric(client: Client, run: dict[str, Any]) -> None:
    long_node = "n" * 129
    results = report(
        client,
        run["id"],
        {"name": "accuracy", "node_id": "train", "number_value": 0.91, "format": "PERCENTAGE"},
        {"name": "Loss_2", "node_id": "train", "number_value": "1e-7"},
        {"name": "accuracy", "node_id": "train", "number_value": 0.5},
        {"name": "bad name", "node_id": "train"},
        {"name": "x-", "node_id": "train"},
        {"node_id": "train"},
        {"name": "recall"},
        {"name": "recall", "node_id": long_node},
        {"name": "nan", "node_id": "train", "number_value": "NaN"},
        {"name": "a" * 64, "node_id": "train", "format": 7},
    )
    assert results == {
        "results": [
            {"metric_name": "accuracy", "metric_node_id": "train", "status": "OK"},
            {"metric_name": "Loss_2", "metric_node_id": "train", "status": "OK"},
            {
                "metric_name": "accuracy",
                "metric_node_id": "train",
                "status": "DUPLICATE_REPORTING",
                "message": "same metric has been reported before: train/accuracy",
            },
            {
                "metric_name": "bad name",
                "metric_node_id": "train",
                "status": "INVALID_ARGUMENT",
                "message": f"metric.name 'bad name' doesn't match with the pattern '{PATTERN}'",
            },
            {
                "metric_name": "x-",
                "metric_node_id": "train",
                "status": "INVALID_ARGUMENT",
                "message": f"metric.name 'x-' doesn't match with the pattern '{PATTERN}'",
            },
            {
                "metric_node_id": "train",
                "status": "INVALID_ARGUMENT",
                "message": f"metric.name '' doesn't match with the pattern '{PATTERN}'",
            },
            {
                "metric_name": "recall",
                "status": "INVALID_ARGUMENT",
                "message": "metric.node_id must not be empty",
            },
            {
                "metric_name": "recall",
                "metric_node_id": long_node,
                "status": "INVALID_ARGUMENT",
                "message": f"metric.node_id '{long_node}' cannot be longer than 128 characters",
            },
            {
                "metric_name": "nan",
                "metric_node_id": "train",
                "status": "INTERNAL_ERROR",
                "message": "Internal Server Error",
            },
            {"metric_name": "a" * 64, "metric_node_id": "train", "status": "OK"},
        ]
    }
    stored = client.get(f"{RUNS}/{run['id']}").json["run"]["metrics"]
    assert stored == [
        {"name": "accuracy", "node_id": "train", "number_value": 0.91, "format": "PERCENTAGE"},
        {"name": "Loss_2", "node_id": "train", "number_value": 1e-7},
        {"name": "a" * 64, "node_id": "train", "number_value": 0},
    ]
    raw = client.get(f"{RUNS}/{run['id']}").text
    assert '"number_value":1e-7' in raw
    assert '"number_value":0}' in raw


def test_first_report_wins_across_calls(client: Client, run: dict[str, Any]) -> None:
    report(client, run["id"], {"name": "m", "node_id": "a", "number_value": 1})
    second = report(
        client,
        run["id"],
        {"name": "m", "node_id": "a", "number_value": 2},
        {"name": "m", "node_id": "b", "number_value": 3},
    )
    assert [r["status"] for r in second["results"]] == ["DUPLICATE_REPORTING", "OK"]
    metrics = client.get(f"{RUNS}/{run['id']}").json["run"]["metrics"]
    assert [(m["node_id"], m["number_value"]) for m in metrics] == [("a", 1), ("b", 3)]


def test_report_metrics_path_run_id_wins(client: Client, emulator: Emulator) -> None:
    first, second = (create_run(client, name)["id"] for name in ("first", "second"))
    reply = client.post(
        f"{RUNS}/{first}:reportMetrics",
        {"run_id": second, "metrics": [{"name": "m", "node_id": "n", "number_value": 1}]},
    )
    assert reply.status == 200
    assert "metrics" in client.get(f"{RUNS}/{first}").json["run"]
    assert "metrics" not in client.get(f"{RUNS}/{second}").json["run"]


def test_report_no_metrics(client: Client, run: dict[str, Any]) -> None:
    reply = client.post(f"{RUNS}/{run['id']}:reportMetrics", {})
    assert (reply.status, reply.body) == (200, b"{}")


def test_report_metrics_for_unknown_run(client: Client) -> None:
    reply = client.post(f"{RUNS}/nope:reportMetrics", {"metrics": [{"name": "m", "node_id": "n"}]})
    assert (reply.status, reply.json) == (404, not_found("nope"))


def test_report_metrics_bad_body(client: Client, run: dict[str, Any]) -> None:
    reply = client.post(f"{RUNS}/{run['id']}:reportMetrics", b'{"metrics": {}}')
    assert reply.status == 400
    assert "details" not in reply.json


def test_read_artifact(client: Client, emulator: Emulator, run: dict[str, Any]) -> None:
    files = {"mlpipeline-metrics.json": b'{"metrics": []}'}
    stored = emulator.attach_artifact(run["id"], "train-123", "mlpipeline-metrics", files=files)
    reply = client.get(f"{RUNS}/{run['id']}/nodes/train-123/artifacts/mlpipeline-metrics:read")
    assert reply.status == 200
    data = base64.b64decode(reply.json["data"])
    assert data == stored
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(data))) as archive:
        member = archive.extractfile("mlpipeline-metrics.json")
        assert member is not None
        assert member.read() == b'{"metrics": []}'


def test_artifacts_appear_in_the_runtime_workflow(
    client: Client, emulator: Emulator, run: dict[str, Any]
) -> None:
    emulator.set_run_status(run["id"], "Succeeded")
    emulator.attach_artifact(run["id"], "train-123", "model", b"weights")
    runtime = json.loads(
        client.get(f"{RUNS}/{run['id']}").json["pipeline_runtime"]["workflow_manifest"]
    )
    node = runtime["status"]["nodes"]["train-123"]
    assert node["outputs"]["artifacts"][0]["name"] == "model"
    assert node["outputs"]["artifacts"][0]["s3"]["key"].endswith("/train-123/model.tgz")
    assert runtime["status"]["phase"] == "Succeeded"


def test_read_raw_bytes_and_empty_artifacts(
    client: Client, emulator: Emulator, run: dict[str, Any]
) -> None:
    emulator.attach_artifact(run["id"], "n", "raw", b"\x00\xff")
    emulator.attach_artifact(run["id"], "n", "empty", b"")
    base = f"{RUNS}/{run['id']}/nodes/n/artifacts"
    assert client.get(f"{base}/raw:read").json == {"data": "AP8="}
    assert client.get(f"{base}/empty:read").body == b"{}"


def test_read_missing_artifact(client: Client, emulator: Emulator, run: dict[str, Any]) -> None:
    emulator.attach_artifact(run["id"], "n", "a", b"x")
    run_id = run["id"]
    request = f'run_id:"{run_id}" node_id:"other" artifact_name:"a"'
    path = f"runs/{run_id}/nodes/other/artifacts/a"
    reply = client.get(f"{RUNS}/{run_id}/nodes/other/artifacts/a:read")
    assert (reply.status, reply.json) == (
        404,
        kfp_error(
            f"failed to read artifact '{request}'.: ResourceNotFoundError: artifact {path} "
            "not found.",
            5,
            f"artifact {path} not found.",
        ),
    )


def test_read_artifact_of_unknown_run(client: Client) -> None:
    reply = client.get(f"{RUNS}/nope/nodes/n/artifacts/a:read")
    request = 'run_id:"nope" node_id:"n" artifact_name:"a"'
    assert (reply.status, reply.json) == (
        404,
        not_found("nope", f"failed to read artifact '{request}'.: "),
    )


def test_read_artifact_of_a_v2_run(client: Client, emulator: Emulator) -> None:
    manifest = json.dumps({"pipelineInfo": {"name": "p"}, "root": {}})
    run_id = create_run(client, pipeline_spec={"pipeline_manifest": manifest})["id"]
    emulator.attach_artifact(run_id, "n", "a", b"x")
    reply = client.get(f"{RUNS}/{run_id}/nodes/n/artifacts/a:read")
    message = "read artifact from run with v2 IR spec is not supported"
    request = f'run_id:"{run_id}" node_id:"n" artifact_name:"a"'
    assert (reply.status, reply.json) == (
        400,
        kfp_error(
            f"failed to read artifact '{request}'.: Invalid input error: {message}", 3, message
        ),
    )


def test_artifact_name_may_contain_colons(
    client: Client, emulator: Emulator, run: dict[str, Any]
) -> None:
    emulator.attach_artifact(run["id"], "n", "a:b", b"x")
    assert client.get(f"{RUNS}/{run['id']}/nodes/n/artifacts/a:b:read").json == {"data": "eA=="}


def test_archive_is_deterministic() -> None:
    files = {"b.txt": b"2", "a.txt": b"1"}
    assert argo_artifact_archive(files) == argo_artifact_archive(dict(files))
