"""The control routes under /emulator/v1/, over raw HTTP: each one's effect is observed through
the KFP API, and rejected requests answer in the KFP error format and change nothing."""

from __future__ import annotations

import base64
import gzip
import io
import json
import tarfile
from collections.abc import Iterator
from typing import Any

import pytest
from emulator_http import RUNS, Client, create_run, kfp_error, workflow

from kfp_server_api.emulator import Emulator, Lifecycle, ManualClock

CONTROL = "/emulator/v1"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def read_artifact(client: Client, run_id: str, node: str, name: str) -> bytes:
    reply = client.get(f"{RUNS}/{run_id}/nodes/{node}/artifacts/{name}:read")
    assert reply.status == 200, reply.text
    return base64.b64decode(reply.json.get("data", ""))


def invalid(message: str) -> dict[str, Any]:
    return kfp_error(f"Invalid input error: {message}", 3, message)


def test_set_run_status_with_rfc3339_finish(client: Client) -> None:
    run = create_run(client)
    body = {"status": "Failed", "finished_at": "2022-03-01T11:00:00Z"}
    reply = client.post(f"{CONTROL}/runs/{run['id']}/status", body)
    assert reply.status == 200, reply.text
    assert reply.json["run"]["status"] == "Failed"
    seen = client.get(f"{RUNS}/{run['id']}").json["run"]
    assert (seen["status"], seen["finished_at"]) == ("Failed", "2022-03-01T11:00:00Z")


def test_set_run_status_with_unix_seconds_finish(client: Client) -> None:
    run = create_run(client)
    body = {"status": "Succeeded", "finished_at": 1646132400}
    assert client.post(f"{CONTROL}/runs/{run['id']}/status", body).status == 200
    seen = client.get(f"{RUNS}/{run['id']}").json["run"]
    assert (seen["status"], seen["finished_at"]) == ("Succeeded", "2022-03-01T11:00:00Z")


def test_attach_artifact_data(client: Client) -> None:
    run = create_run(client)
    path = f"{CONTROL}/runs/{run['id']}/nodes/train/artifacts/model"
    reply = client.post(path, {"data": b64(b"weights")})
    assert (reply.status, reply.json) == (200, {"size": 7})
    assert read_artifact(client, run["id"], "train", "model") == b"weights"


def test_attach_artifact_files_as_gzip_tar(client: Client) -> None:
    run = create_run(client)
    path = f"{CONTROL}/runs/{run['id']}/nodes/train/artifacts/model"
    assert client.post(path, {"files": {"model.txt": b64(b"weights")}}).status == 200
    archive = read_artifact(client, run["id"], "train", "model")
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(archive))) as tar:
        member = tar.extractfile("model.txt")
        assert member is not None
        assert member.read() == b"weights"


def test_add_experiment_then_create_run_in_it(client: Client) -> None:
    reply = client.post(f"{CONTROL}/experiments", {"name": "exp", "experiment_id": "e1"})
    assert (reply.status, reply.json) == (200, {"experiment_id": "e1"})
    reference = {"key": {"type": "EXPERIMENT", "id": "e1"}, "relationship": "OWNER"}
    run = create_run(client, resource_references=[reference])
    assert {"key": {"type": "EXPERIMENT", "id": "e1"}, "name": "exp", "relationship": "OWNER"} in (
        run["resource_references"]
    )


def test_add_pipeline_and_version_then_create_runs(client: Client) -> None:
    manifest = workflow(("message", "count"))
    reply = client.post(f"{CONTROL}/pipelines", {"name": "pipe", "workflow_manifest": manifest})
    assert reply.status == 200, reply.text
    pipeline_id, version_id = reply.json["pipeline_id"], reply.json["version_id"]
    run = create_run(client, pipeline_spec={"pipeline_id": pipeline_id})
    assert run["pipeline_spec"]["pipeline_id"] == pipeline_id
    reply = client.post(
        f"{CONTROL}/pipelines/{pipeline_id}/versions",
        {"name": "v2", "workflow_manifest": json.dumps(workflow()), "make_default": True},
    )
    assert reply.status == 200, reply.text
    new_version = reply.json["version_id"]
    assert new_version != version_id
    reference = {"key": {"type": "PIPELINE_VERSION", "id": new_version}, "relationship": "CREATOR"}
    run = create_run(client, pipeline_spec={}, resource_references=[reference])
    assert any(r["key"]["id"] == new_version for r in run["resource_references"])


def test_add_job_then_reference_it(client: Client) -> None:
    reply = client.post(f"{CONTROL}/jobs", {"name": "nightly"})
    assert reply.status == 200, reply.text
    job_id = reply.json["job_id"]
    reference = {"key": {"type": "JOB", "id": job_id}, "relationship": "CREATOR"}
    run = create_run(client, resource_references=[reference])
    assert any(r["key"]["id"] == job_id for r in run["resource_references"])


def test_advance_clock_moves_runs() -> None:
    lifecycle = Lifecycle.parse("Pending:0,Running:5,Succeeded:10")
    with Emulator(clock=ManualClock(), lifecycle=lifecycle) as emulator:
        client = Client(emulator.url)
        try:
            run = create_run(client)
            reply = client.post(f"{CONTROL}/clock:advance", {"seconds": 10})
            assert (reply.status, reply.json) == (200, {"now": "2022-03-01T10:00:10Z"})
            assert client.get(f"{RUNS}/{run['id']}").json["run"]["status"] == "Succeeded"
        finally:
            client.close()


@pytest.fixture
def run_id(client: Client) -> str:
    return str(create_run(client)["id"])


REJECTED = [
    ("runs/{run}/status", "{bad", 400, None),
    ("runs/{run}/status", "[1]", 400, None),
    ("runs/{run}/status", {}, 400, invalid("missing field 'status'")),
    ("runs/{run}/status", {"status": 5}, 400, invalid("field 'status': must be a string")),
    ("runs/{run}/status", {"status": "Failed", "x": 1}, 400, invalid("unknown field 'x'")),
    ("runs/{run}/status", {"status": "Failed", "finished_at": "noon"}, 400, None),
    (
        "runs/nope/status",
        {"status": "Failed"},
        404,
        kfp_error("ResourceNotFoundError: run nope not found.", 5, "run nope not found."),
    ),
    ("runs/{run}/nodes/n/artifacts/a", {}, 400, invalid("give either data or files")),
    ("runs/{run}/nodes/n/artifacts/a", {"data": "%%"}, 400, None),
    ("runs/nope/nodes/n/artifacts/a", {"data": "aGk="}, 404, None),
    ("experiments", {"description": "no name"}, 400, invalid("missing field 'name'")),
    (
        "pipelines",
        {"name": "p", "pipeline_id": "p", "workflow_manifest": {"kind": "Pod"}},
        400,
        None,
    ),
    (
        "pipelines/nope/versions",
        {"name": "v"},
        404,
        kfp_error("ResourceNotFoundError: pipeline nope not found.", 5, "pipeline nope not found."),
    ),
    ("jobs", {"name": ["x"]}, 400, invalid("field 'name': must be a string")),
    ("clock:advance", {"seconds": -1}, 400, invalid("a clock only moves forward")),
    ("clock:advance", {"seconds": "1"}, 400, invalid("field 'seconds': must be a finite number")),
    ("clock:advance", '{"seconds": 1e999}', 400, None),
]


@pytest.mark.parametrize(("path", "body", "status", "expected"), REJECTED)
def test_rejected_requests_change_nothing(
    emulator: Emulator,
    client: Client,
    run_id: str,
    path: str,
    body: Any,
    status: int,
    expected: dict[str, Any] | None,
) -> None:
    before = (client.get(RUNS).json, emulator.clock.now())
    reply = client.post(f"{CONTROL}/{path.format(run=run_id)}", body)
    assert reply.status == status, reply.text
    assert reply.headers["Content-Type"] == "application/json"
    document = reply.json
    assert document["code"] == {400: 3, 404: 5}[status]
    assert document["error"] == document["message"]
    if expected is not None:
        assert document == expected
    assert (client.get(RUNS).json, emulator.clock.now()) == before
    assert client.get(f"{RUNS}/{run_id}/nodes/n/artifacts/a:read").status == 404


def test_rejected_pipeline_is_not_stored(client: Client) -> None:
    bad = {"name": "p", "pipeline_id": "p1", "workflow_manifest": {"kind": "Pod"}}
    assert client.post(f"{CONTROL}/pipelines", bad).status == 400
    body = {"name": "x", "pipeline_spec": {"pipeline_id": "p1"}}
    assert client.post(RUNS, body).status == 404
    assert client.post(f"{CONTROL}/pipelines", {"name": "p", "pipeline_id": "p1"}).status == 200
    assert create_run(client, pipeline_spec={"pipeline_id": "p1"})["name"] == "my run"


@pytest.mark.parametrize(
    ("method", "path", "status", "text"),
    [
        ("GET", "experiments", 405, "Method Not Allowed\n"),
        ("POST", "clock:rewind", 404, "Not Found\n"),
        ("POST", "unknown", 404, "Not Found\n"),
    ],
)
def test_unknown_routes_and_methods(
    client: Client, method: str, path: str, status: int, text: str
) -> None:
    reply = client.request(method, f"{CONTROL}/{path}", "{}")
    assert (reply.status, reply.text) == (status, text)


def test_control_can_be_switched_off() -> None:
    with Emulator(http_control=False) as emulator:
        client = Client(emulator.url)
        try:
            reply = client.post(f"{CONTROL}/jobs", {"name": "j"})
            assert (reply.status, reply.text) == (404, "404 page not found\n")
        finally:
            client.close()


@pytest.fixture
def guarded() -> Iterator[Emulator]:
    with Emulator(token="s3cret", lifecycle=Lifecycle.manual()) as emulator:
        yield emulator


def test_token_required(guarded: Emulator) -> None:
    anonymous, holder = Client(guarded.url), Client(guarded.url, token="s3cret")
    try:
        run = create_run(holder)
        path = f"{CONTROL}/runs/{run['id']}/status"
        reply = anonymous.post(path, {"status": "Failed"})
        assert reply.status == 401
        assert reply.json["code"] == 16
        assert holder.get(f"{RUNS}/{run['id']}").json["run"].get("status") != "Failed"
        assert holder.post(path, {"status": "Failed"}).status == 200
        assert holder.get(f"{RUNS}/{run['id']}").json["run"]["status"] == "Failed"
    finally:
        anonymous.close()
        holder.close()
