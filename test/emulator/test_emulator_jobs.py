"""The job service over raw HTTP: the JSON the server writes, validation order and messages,
listing, enable/disable, delete."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from emulator_http import API, TO_SCHEMA_2, Client

from kfp_server_api.emulator import Emulator, ManualClock

JOBS = f"{API}/jobs"
MANIFEST = (
    '{"apiVersion":"argoproj.io/v1alpha1","kind":"Workflow","metadata":{"generateName":"w-"},'
    '"spec":{"arguments":{"parameters":[{"name":"p1"}]}}}'
)
VALIDATE = "Validate create job request failed.: "


def job_body(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "nightly",
        "pipeline_spec": {"workflow_manifest": MANIFEST},
        "max_concurrency": 1,
        "trigger": {"periodic_schedule": {"interval_second": 3600}},
        "enabled": True,
    }
    body.update(fields)
    return body


def create(client: Client, **fields: Any) -> dict[str, Any]:
    reply = client.post(JOBS, job_body(**fields))
    assert reply.status == 200, reply.text
    job: dict[str, Any] = reply.json
    return job


def test_create_answers_the_job_as_the_server_writes_it(emulator: Emulator, client: Client) -> None:
    reply = client.post(
        JOBS,
        job_body(
            pipeline_spec={
                "workflow_manifest": MANIFEST,
                "parameters": [{"name": "p1", "value": "x"}],
            },
            max_concurrency="10",
            trigger={
                "periodic_schedule": {
                    "start_time": "2022-03-01T10:00:00.900Z",
                    "interval_second": "3600",
                }
            },
        ),
    )
    assert reply.status == 200, reply.text
    job = reply.json
    assert list(job) == [
        "id",
        "name",
        "pipeline_spec",
        "resource_references",
        "service_account",
        "max_concurrency",
        "trigger",
        "created_at",
        "updated_at",
        "status",
        "enabled",
    ]
    assert job["pipeline_spec"] == {
        "workflow_manifest": MANIFEST,
        "parameters": [{"name": "p1", "value": "x"}],
    }
    assert job["resource_references"] == [
        {
            "key": {"type": "EXPERIMENT", "id": emulator.default_experiment_id},
            "name": "Default",
            "relationship": "OWNER",
        }
    ]
    assert job["service_account"] == "pipeline-runner"
    assert job["max_concurrency"] == "10"
    assert job["trigger"] == {
        "periodic_schedule": {"start_time": "2022-03-01T10:00:00Z", "interval_second": "3600"}
    }
    assert job["created_at"] == job["updated_at"] == "2022-03-01T10:00:00Z"
    assert job["status"] == "NO_STATUS"
    assert client.get(f"{JOBS}/{job['id']}").json["status"] == "Enabled"


def test_disabled_jobs_leave_enabled_out_and_no_catchup_shows(client: Client) -> None:
    job = create(
        client, enabled=False, no_catchup=True, trigger={"cron_schedule": {"cron": "@daily"}}
    )
    assert "enabled" not in job
    assert job["no_catchup"] is True
    assert job["trigger"] == {"cron_schedule": {"cron": "@daily"}}


def test_a_job_from_a_pipeline_gets_its_default_version(emulator: Emulator, client: Client) -> None:
    pipeline = emulator.add_pipeline("train")
    job = create(client, pipeline_spec={"pipeline_id": pipeline.pipeline_id})
    assert job["pipeline_spec"]["pipeline_id"] == pipeline.pipeline_id
    assert job["pipeline_spec"]["pipeline_name"] == "train"
    version = {"type": "PIPELINE_VERSION", "id": pipeline.version_id}
    assert job["resource_references"][0] == {
        "key": version,
        "name": "train",
        "relationship": "CREATOR",
    }
    listed = client.get(
        JOBS,
        **{
            "resource_reference_key.type": "PIPELINE_VERSION",
            "resource_reference_key.id": version["id"],
        },
    ).json
    assert [j["id"] for j in listed["jobs"]] == [job["id"]]


INVALID = [
    # (fields, status, message); the first failure in the server's order wins.
    (
        {"pipeline_spec": {}},
        400,
        VALIDATE + "Invalid input error: Please specify a pipeline by "
        "providing a (workflow manifest or pipeline manifest) or (pipeline id or/and pipeline "
        "version).",
    ),
    (
        {"max_concurrency": 0, "trigger": {"periodic_schedule": {"interval_second": -1}}},
        400,
        VALIDATE + "Invalid input error: The max concurrency of the job is out of range. Support "
        "1-10. Received 0.",
    ),
    (
        {"max_concurrency": 11},
        400,
        VALIDATE + "Invalid input error: The max concurrency of the "
        "job is out of range. Support 1-10. Received 11.",
    ),
    (
        {"trigger": {"cron_schedule": {"cron": "*/5 * *"}}},
        400,
        VALIDATE + "Invalid input error: "
        "Schedule cron is not a supported format(https://godoc.org/github.com/robfig/cron). Error: "
        "Expected 5 to 6 fields, found 3: */5 * *",
    ),
    (
        {"trigger": {"cron_schedule": {}}},
        400,
        VALIDATE + "Invalid input error: Schedule cron is not a supported "
        "format(https://godoc.org/github.com/robfig/cron). Error: Empty spec string",
    ),
    (
        {"trigger": {"periodic_schedule": {}}},
        400,
        VALIDATE + "Invalid input error: Found invalid "
        "period schedule interval 0. Set at interval to least 1 second.",
    ),
    (
        {"pipeline_spec": {"pipeline_id": "nope"}},
        404,
        VALIDATE + "Get pipelineId failed.: ResourceNotFoundError: Pipeline nope not found.",
    ),
    (
        {"pipeline_spec": {"workflow_manifest": MANIFEST, "parameters": [{"name": "zz"}]}},
        400,
        "failed to generate the scheduledWorkflow.: Failed to verify parameters.: Invalid input "
        "error: Unrecognized input parameter: zz",
    ),
    (
        {
            "resource_references": [
                {"key": {"type": "EXPERIMENT", "id": "nope"}, "relationship": "OWNER"}
            ]
        },
        500,
        "InternalServerError: Failed to get experiment.: ResourceNotFoundError: Experiment "
        "nope not found.",
    ),
    (
        {"pipeline_spec": {"workflow_manifest": "{}"}},
        400,
        "InvalidInputError: unknown template format: pipeline spec is invalid",
    ),
]


@pytest.mark.parametrize(("fields", "status", "message"), INVALID)
def test_invalid_jobs_get_the_server_message(
    client: Client, fields: dict[str, Any], status: int, message: str
) -> None:
    reply = client.post(JOBS, job_body(**fields))
    assert (reply.status, reply.json["message"]) == (status, message)
    assert client.get(JOBS).json == {}


def test_a_job_without_a_name_or_trigger_is_valid(client: Client) -> None:
    job = create(client, name="", trigger=None)
    assert "name" not in job
    assert job["trigger"] == {}


def test_get_unknown_job_is_404(client: Client) -> None:
    reply = client.get(f"{JOBS}/nope")
    assert (reply.status, reply.json["message"]) == (
        404,
        "ResourceNotFoundError: Job nope not found.",
    )


def test_enable_and_disable_change_updated_at_only_on_a_change(
    emulator: Emulator, client: Client, clock: ManualClock
) -> None:
    job = create(client)
    path = f"{JOBS}/{job['id']}"
    emulator.advance_clock(60)
    assert client.post(f"{path}/enable").json == {}
    assert client.get(path).json["updated_at"] == "2022-03-01T10:00:00Z"
    assert client.post(f"{path}/disable").json == {}
    disabled = client.get(path).json
    assert "enabled" not in disabled
    assert disabled["updated_at"] == "2022-03-01T10:01:00Z"
    assert disabled["status"] == "Disabled"
    emulator.advance_clock(60)
    assert client.post(f"{path}/disable").status == 200
    assert client.get(path).json["updated_at"] == "2022-03-01T10:01:00Z"
    assert client.post(f"{path}/enable").status == 200
    enabled = client.get(path).json
    assert (enabled["enabled"], enabled["updated_at"]) == (True, "2022-03-01T10:02:00Z")


def test_delete_then_get_is_404(client: Client) -> None:
    job = create(client)
    assert client.request("DELETE", f"{JOBS}/{job['id']}").json == {}
    assert client.get(f"{JOBS}/{job['id']}").status == 404
    reply = client.request("DELETE", f"{JOBS}/{job['id']}")
    assert (
        reply.json["message"]
        == f"Delete job failed: ResourceNotFoundError: Job {job['id']} not found."
    )


def test_list_sorts_pages_and_filters(emulator: Emulator, client: Client) -> None:
    names = ["delta", "alpha", "charlie", "bravo"]
    ids = {}
    for name in names:
        ids[name] = create(client, name=name)["id"]
        emulator.advance_clock(1)
    first = client.get(JOBS, page_size=3).json
    assert [job["name"] for job in first["jobs"]] == names[:3]  # created_at ascending
    assert first["total_size"] == 4
    rest = client.get(JOBS, page_size=3, page_token=first["next_page_token"]).json
    assert [job["name"] for job in rest["jobs"]] == names[3:]
    by_name = client.get(JOBS, sort_by="name desc").json
    assert [job["name"] for job in by_name["jobs"]] == sorted(names, reverse=True)
    predicate = {"key": "name", "op": "IN", "string_values": {"values": ["alpha", "bravo"]}}
    filtered = client.get(JOBS, filter=json.dumps({"predicates": [predicate]})).json
    assert sorted(job["id"] for job in filtered["jobs"]) == sorted([ids["alpha"], ids["bravo"]])
    experiment = client.get(
        JOBS,
        **{
            "resource_reference_key.type": "EXPERIMENT",
            "resource_reference_key.id": emulator.default_experiment_id,
        },
    ).json
    assert experiment["total_size"] == 4
    namespace = client.get(
        JOBS,
        **{"resource_reference_key.type": "NAMESPACE", "resource_reference_key.id": "kubeflow"},
    ).json
    assert namespace["total_size"] == 4


LIST_ERRORS = [
    (
        {"sort_by": "updated_at"},
        "Failed to create list options: Invalid input error: Invalid "
        'sorting field: "updated_at" on listable type Job',
    ),
    (
        {"filter": '{"predicates":[{"key":"enabled","op":"EQUALS","string_value":"x"}]}'},
        "Failed to create list options: Invalid input error: no support for filtering on "
        'unrecognized field "enabled"',
    ),
    (
        {"resource_reference_key.type": "PIPELINE"},
        "Validating filter failed.: Unrecognized "
        "resource reference type.: Invalid input error: Unsupported resource type: PIPELINE",
    ),
]


@pytest.mark.parametrize(("query", "message"), LIST_ERRORS)
def test_list_errors(client: Client, query: dict[str, str], message: str) -> None:
    reply = client.get(JOBS, **query)
    assert (reply.status, reply.json["message"]) == (400, message)


def test_a_database_of_schema_version_2_keeps_its_jobs(tmp_path: Path) -> None:
    """Version 2 stored jobs as (uuid, name, created_at) only; opening it adds the rest
    (schema 3 their experiment and enabled flag, schema 4 what the job service shows)."""
    db = str(tmp_path / "kfp.db")
    Emulator(db=db).close()
    connection = sqlite3.connect(db)
    connection.executescript(
        TO_SCHEMA_2
        + "INSERT INTO jobs VALUES ('j-1', 'old job', 1646128800); PRAGMA user_version = 2;"
    )
    connection.close()
    with Emulator(db=db, lifecycle="manual") as server:
        client = Client(server.url)
        old = client.get(f"{JOBS}/j-1").json
        listed = client.get(JOBS).json
        client.close()
    assert old["name"] == "old job"
    assert old["created_at"] == old["updated_at"] == "2022-03-01T10:00:00Z"
    assert old["trigger"] == {}
    assert old["enabled"] is True  # schema 3 took jobs as enabled
    assert listed["total_size"] == 1
