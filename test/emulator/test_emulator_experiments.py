"""The experiment service over raw HTTP: create, get, delete, archive, unarchive, and the
experiment Default (listing is in test_emulator_list_experiments.py)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest
from emulator_http import API, RUNS, TO_SCHEMA_2, Client, create_run, kfp_error, run_body

from kfp_server_api.emulator import Emulator, ManualClock

EXPERIMENTS = f"{API}/experiments"
NOW = "2022-03-01T10:00:00Z"  # the ManualClock's start
ARCHIVED = "STORAGESTATE_ARCHIVED"
DEFAULT_DESCRIPTION = "All runs created without specifying an experiment will be grouped here."


def create(client: Client, name: str = "training", **fields: Any) -> dict[str, Any]:
    reply = client.post(EXPERIMENTS, {"name": name, **fields})
    assert reply.status == 200, reply.text
    experiment: dict[str, Any] = reply.json
    return experiment


def invalid(message: str, context: str = "Validate experiment request failed.") -> dict[str, Any]:
    return kfp_error(f"{context}: Invalid input error: {message}", 3, message)


def not_found(experiment_id: str, context: str) -> dict[str, Any]:
    external = f"Experiment {experiment_id} not found."
    return kfp_error(f"{context}: ResourceNotFoundError: {external}", 5, external)


def owner_of(run: dict[str, Any]) -> dict[str, Any]:
    """The id and name of the experiment owning ``run``."""
    (owner,) = [r for r in run["resource_references"] if r["relationship"] == "OWNER"]
    return {"id": owner["key"]["id"], "name": owner["name"]}


# --- create ------------------------------------------------------------------------------------


def test_create_answers_the_stored_experiment_in_the_servers_form(client: Client) -> None:
    reply = client.post(EXPERIMENTS, {"name": "training", "description": "my first experiment"})

    assert reply.status == 200
    experiment = reply.json
    assert list(experiment) == ["id", "name", "description", "created_at", "storage_state"]
    assert len(experiment["id"]) == 36
    assert (
        reply.body
        == (
            f'{{"id":"{experiment["id"]}","name":"training","description":"my first experiment",'
            f'"created_at":"{NOW}","storage_state":"STORAGESTATE_AVAILABLE"}}'
        ).encode()
    )
    assert client.get(f"{EXPERIMENTS}/{experiment['id']}").json == experiment


def test_create_ignores_output_fields_and_leaves_an_empty_description_out(client: Client) -> None:
    experiment = create(
        client,
        "plain",
        id="chosen",
        created_at="2001-01-01T00:00:00Z",
        storage_state="STORAGESTATE_ARCHIVED",
        resource_references=[],
    )

    assert experiment["id"] != "chosen"
    assert experiment == {
        "id": experiment["id"],
        "name": "plain",
        "created_at": NOW,
        "storage_state": "STORAGESTATE_AVAILABLE",
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"", invalid("Experiment name is empty. Please specify a valid experiment name.")),
        (b"{}", invalid("Experiment name is empty. Please specify a valid experiment name.")),
        (
            {"name": "", "resource_references": [{"key": {}}]},
            invalid("Experiment name is empty. Please specify a valid experiment name."),
        ),
        (
            {"name": "x", "resource_references": [{}]},
            invalid(
                "In single-user mode, CreateExperimentRequest shouldn't contain resource "
                "references."
            ),
        ),
        (
            {
                "name": "x",
                "resource_references": [
                    {"key": {"type": "NAMESPACE", "id": "team-a"}, "relationship": "OWNER"}
                ],
            },
            invalid(
                "In single-user mode, CreateExperimentRequest shouldn't contain resource "
                "references."
            ),
        ),
        (b'{"name": ', kfp_error("unexpected EOF", 3, None)),
        (
            {"name": 5},
            kfp_error("invalid value for string field api.Experiment.name: 5", 3, None),
        ),
    ],
    ids=["empty body", "no name", "empty name first", "reference", "namespace", "json", "type"],
)
def test_create_refuses_bad_input_and_stores_nothing(
    client: Client, body: Any, expected: dict[str, Any]
) -> None:
    reply = client.post(EXPERIMENTS, body)

    assert (reply.status, reply.json) == (400, expected)
    assert client.get(EXPERIMENTS).json["total_size"] == 1  # Default only


def test_a_taken_name_is_a_conflict(client: Client) -> None:
    first = create(client, "training")

    reply = client.post(EXPERIMENTS, {"name": "training", "description": "again"})

    message = (
        "Failed to create a new experiment. The name training already exists. "
        "Please specify a new name."
    )
    assert (reply.status, reply.json) == (
        409,
        kfp_error(f"Create experiment failed.: Already exist error: {message}", 6, message),
    )
    assert client.get(EXPERIMENTS).json["total_size"] == 2
    # Names compare exactly: another case or a trailing space is another name.
    assert create(client, "Training")["name"] == "Training"
    assert create(client, "training ")["id"] != first["id"]


def test_any_name_the_server_accepts_is_kept_as_given(client: Client) -> None:
    for name in ("  ", "ünïcødé ✓", "a/b?c#d", "x" * 1000):
        assert create(client, name)["name"] == name


# --- get, delete ---------------------------------------------------------------------------------


@pytest.mark.parametrize("experiment_id", ["nope", "a%20b", ""])
def test_get_unknown_is_not_found(client: Client, experiment_id: str) -> None:
    reply = client.get(f"{EXPERIMENTS}/{experiment_id}")
    shown = experiment_id.replace("%20", " ")
    assert (reply.status, reply.json) == (404, not_found(shown, "Get experiment failed."))


def test_delete_removes_the_experiment_and_keeps_its_runs(client: Client) -> None:
    experiment = create(client)
    reference = {"key": {"type": "EXPERIMENT", "id": experiment["id"]}, "relationship": "OWNER"}
    run = create_run(client, resource_references=[reference])

    reply = client.request("DELETE", f"{EXPERIMENTS}/{experiment['id']}")

    assert (reply.status, reply.body) == (200, b"{}")
    gone = client.get(f"{EXPERIMENTS}/{experiment['id']}")
    assert (gone.status, gone.json) == (404, not_found(experiment["id"], "Get experiment failed."))
    again = client.request("DELETE", f"{EXPERIMENTS}/{experiment['id']}")
    assert (again.status, again.json) == (
        404,
        not_found(experiment["id"], "Delete experiment failed"),
    )
    kept = client.get(f"{RUNS}/{run['id']}").json["run"]
    assert kept == run
    assert owner_of(kept)["name"] == "training"
    listed = client.get(
        RUNS,
        **{
            "resource_reference_key.type": "EXPERIMENT",
            "resource_reference_key.id": experiment["id"],
        },
    )
    assert [r["id"] for r in listed.json["runs"]] == [run["id"]]


def test_a_run_in_a_deleted_experiment_is_the_servers_500(client: Client) -> None:
    experiment = create(client)
    client.request("DELETE", f"{EXPERIMENTS}/{experiment['id']}")

    reply = client.post(
        RUNS, run_body(resource_references=[experiment_reference(experiment["id"])])
    )

    cause = f"ResourceNotFoundError: Experiment {experiment['id']} not found."
    message = (
        f"Failed to create a new run.: InternalServerError: Failed to get experiment.: {cause}"
    )
    assert (reply.status, reply.json) == (500, kfp_error(message, 13, "Internal Server Error"))
    assert client.get(RUNS).json == {}


# --- archive, unarchive ------------------------------------------------------------------------


def experiment_reference(experiment_id: str, relationship: str = "OWNER") -> dict[str, Any]:
    return {"key": {"type": "EXPERIMENT", "id": experiment_id}, "relationship": relationship}


def test_archive_archives_every_run_and_disables_the_jobs(
    client: Client, emulator: Emulator, clock: ManualClock
) -> None:
    experiment = create(client)
    other = create(client, "other")
    owned = create_run(
        client, "owned", resource_references=[experiment_reference(experiment["id"])]
    )
    referring = create_run(
        client,
        "referring",
        resource_references=[
            experiment_reference(other["id"]),
            experiment_reference(experiment["id"], "CREATOR"),
        ],
    )
    elsewhere = create_run(
        client, "elsewhere", resource_references=[experiment_reference(other["id"])]
    )
    emulator.set_run_status(owned["id"], "Running")
    enabled = emulator.add_job("nightly", experiment_id=experiment["id"])
    disabled = emulator.add_job("paused", experiment_id=experiment["id"], enabled=False)
    unrelated = emulator.add_job("other", experiment_id=other["id"])
    clock.advance(60)

    for _ in range(2):  # idempotent
        reply = client.post(f"{EXPERIMENTS}/{experiment['id']}:archive", b"ignored {")
        assert (reply.status, reply.body) == (200, b"{}")

    archived = client.get(f"{EXPERIMENTS}/{experiment['id']}").json
    assert archived == {**experiment, "storage_state": "STORAGESTATE_ARCHIVED"}
    for run in (owned, referring):
        stored = client.get(f"{RUNS}/{run['id']}").json["run"]
        assert stored["storage_state"] == "STORAGESTATE_ARCHIVED"
    assert client.get(f"{RUNS}/{owned['id']}").json["run"]["status"] == "Running"  # not stopped
    assert "storage_state" not in client.get(f"{RUNS}/{elsewhere['id']}").json["run"]
    created = emulator.get_job(unrelated)["updated_at"]
    assert emulator.get_job(enabled) == {
        "name": "nightly",
        "experiment_id": experiment["id"],
        "enabled": False,
        "updated_at": created + 60,
    }
    assert emulator.get_job(disabled)["updated_at"] == created  # was already disabled
    assert emulator.get_job(unrelated)["enabled"] is True
    # The counts the listing keeps follow the runs.
    archived_filter = json.dumps(
        {"predicates": [{"key": "storage_state", "op": "EQUALS", "string_value": ARCHIVED}]}
    )
    assert client.get(RUNS, filter=archived_filter).json["total_size"] == 2
    running_archived = json.dumps(
        {
            "predicates": [
                {"key": "storage_state", "op": "EQUALS", "string_value": ARCHIVED},
                {"key": "status", "op": "EQUALS", "string_value": "Running"},
            ]
        }
    )
    assert client.get(RUNS, filter=running_archived).json["total_size"] == 1
    assert client.get(RUNS).json["total_size"] == 3


def test_unarchive_restores_only_the_experiment(client: Client, emulator: Emulator) -> None:
    experiment = create(client)
    run = create_run(client, resource_references=[experiment_reference(experiment["id"])])
    job = emulator.add_job("nightly", experiment_id=experiment["id"])
    client.post(f"{EXPERIMENTS}/{experiment['id']}:archive")

    for _ in range(2):
        reply = client.post(f"{EXPERIMENTS}/{experiment['id']}:unarchive")
        assert (reply.status, reply.body) == (200, b"{}")

    assert client.get(f"{EXPERIMENTS}/{experiment['id']}").json == experiment
    stored = client.get(f"{RUNS}/{run['id']}").json["run"]
    assert stored["storage_state"] == "STORAGESTATE_ARCHIVED"
    assert emulator.get_job(job)["enabled"] is False


@pytest.mark.parametrize("verb", ["archive", "unarchive"])
def test_archive_and_unarchive_do_not_look_the_id_up(client: Client, verb: str) -> None:
    before = client.get(EXPERIMENTS).json

    reply = client.post(f"{EXPERIMENTS}/no-such-experiment:{verb}")

    assert (reply.status, reply.body) == (200, b"{}")
    assert client.get(EXPERIMENTS).json == before


def test_a_run_can_be_created_in_an_archived_experiment(client: Client) -> None:
    experiment = create(client)
    client.post(f"{EXPERIMENTS}/{experiment['id']}:archive")

    run = create_run(client, resource_references=[experiment_reference(experiment["id"])])

    assert "storage_state" not in run
    assert owner_of(run)["id"] == experiment["id"]


# --- the experiment Default --------------------------------------------------------------------


def test_default_exists_from_the_start(client: Client, emulator: Emulator) -> None:
    listed = client.get(EXPERIMENTS).json

    assert listed == {
        "experiments": [
            {
                "id": emulator.default_experiment_id,
                "name": "Default",
                "description": DEFAULT_DESCRIPTION,
                "created_at": NOW,
                "storage_state": "STORAGESTATE_AVAILABLE",
            }
        ],
        "total_size": 1,
    }


def test_default_can_be_archived_and_still_takes_runs(client: Client, emulator: Emulator) -> None:
    default = emulator.default_experiment_id
    client.post(f"{EXPERIMENTS}/{default}:archive")

    run = create_run(client)

    assert owner_of(run)["id"] == default
    assert "storage_state" not in run


def test_deleted_default_is_created_again_by_the_next_run(
    client: Client, emulator: Emulator, clock: ManualClock
) -> None:
    first = emulator.default_experiment_id
    assert client.request("DELETE", f"{EXPERIMENTS}/{first}").status == 200
    assert client.get(EXPERIMENTS).json == {}
    clock.advance(5)

    run = create_run(client)

    second = owner_of(run)["id"]
    assert second != first
    assert owner_of(run)["name"] == "Default"
    assert client.get(f"{EXPERIMENTS}/{second}").json == {
        "id": second,
        "name": "Default",
        "description": DEFAULT_DESCRIPTION,
        "created_at": "2022-03-01T10:00:05Z",
        "storage_state": "STORAGESTATE_AVAILABLE",
    }
    assert emulator.default_experiment_id == second
    assert client.get(EXPERIMENTS).json["total_size"] == 1


def test_a_run_needing_default_when_its_name_is_taken_is_the_servers_500(client: Client) -> None:
    default = client.get(EXPERIMENTS).json["experiments"][0]["id"]
    client.request("DELETE", f"{EXPERIMENTS}/{default}")
    mine = create(client, "Default")

    reply = client.post(RUNS, run_body())

    cause = (
        "InternalServerError: Failed to create new default experiment: Failed to create default "
        "experiment. Err: Already exist error: Failed to create a new experiment. The name "
        "Default already exists. Please specify a new name."
    )
    assert (reply.status, reply.json) == (
        500,
        kfp_error(f"Failed to create a new run.: {cause}", 13, "Internal Server Error"),
    )
    assert client.get(RUNS).json == {}
    assert client.get(EXPERIMENTS).json["experiments"] == [mine]
    # A run that names its experiment is not affected.
    assert owner_of(create_run(client, resource_references=[experiment_reference(mine["id"])]))


def test_experiments_and_their_state_survive_a_restart(tmp_path: Any) -> None:
    db = str(tmp_path / "kfp.db")
    with Emulator(db=db, lifecycle="manual") as server:
        client = Client(server.url)
        experiment = create(client)
        client.post(f"{EXPERIMENTS}/{experiment['id']}:archive")
        client.request("DELETE", f"{EXPERIMENTS}/{server.default_experiment_id}")
        client.close()
    with Emulator(db=db, lifecycle="manual") as server:
        client = Client(server.url)
        listed = client.get(EXPERIMENTS, sort_by="name").json["experiments"]
        client.close()
    # Default was deleted: the restarted server creates a new one, as the real one does.
    assert [e["name"] for e in listed] == ["Default", "training"]
    assert listed[1] == {**experiment, "storage_state": "STORAGESTATE_ARCHIVED"}


# --- the control API's jobs, and a database of schema version 2 ---------------------------------


def test_control_jobs_over_http_belong_to_an_experiment(client: Client, emulator: Emulator) -> None:
    experiment = create(client)
    control = "/emulator/v1/jobs"

    made = client.post(control, {"name": "nightly", "experiment_id": experiment["id"]})
    paused = client.post(
        control, {"name": "paused", "experiment_id": experiment["id"], "enabled": False}
    )
    unknown = client.post(control, {"name": "lost", "experiment_id": "no-such-experiment"})
    wrong = client.post(control, {"name": "odd", "enabled": "yes"})

    assert made.status == paused.status == 200
    assert emulator.get_job(made.json["job_id"])["enabled"] is True
    assert emulator.get_job(paused.json["job_id"])["enabled"] is False
    assert (unknown.status, unknown.json["message"]) == (
        400,
        "Invalid input error: no experiment 'no-such-experiment'",
    )
    assert (wrong.status, wrong.json["message"]) == (
        400,
        "Invalid input error: field 'enabled': must be true or false",
    )
    with pytest.raises(KeyError):
        emulator.get_job("no-such-job")


VERSION_2 = (
    TO_SCHEMA_2
    + """
INSERT INTO jobs VALUES ('job-1', 'nightly', 1646128800);
PRAGMA user_version = 2;
"""
)


def test_a_database_of_schema_version_2_gets_experiment_states(tmp_path: Any) -> None:
    db = str(tmp_path / "kfp.db")
    with Emulator(db=db, lifecycle="manual") as server:
        default = server.default_experiment_id
        client = Client(server.url)
        experiment = create(client)
        before = client.get(EXPERIMENTS, sort_by="name").json["experiments"]
        client.close()
    connection = sqlite3.connect(db)
    connection.executescript(VERSION_2)
    connection.close()

    with Emulator(db=db, lifecycle="manual") as server:
        client = Client(server.url)
        listed = client.get(EXPERIMENTS, sort_by="name").json["experiments"]
        found = client.get(
            EXPERIMENTS,
            filter=json.dumps(
                {"predicates": [{"key": "name", "op": "IS_SUBSTRING", "string_value": "rain"}]}
            ),
        ).json
        client.post(f"{EXPERIMENTS}/{experiment['id']}:archive")
        client.close()
        job = server.get_job("job-1")
        assert server.default_experiment_id == default

    assert [e["id"] for e in listed] == [default, experiment["id"]]
    assert listed == before
    assert found["experiments"] == [experiment]  # the substring index was built
    assert job == {
        "name": "nightly",
        "experiment_id": "",
        "enabled": True,
        "updated_at": 1646128800,
    }


def test_the_python_api_names_a_taken_default(client: Client, emulator: Emulator) -> None:
    client.request("DELETE", f"{EXPERIMENTS}/{emulator.default_experiment_id}")
    create(client, "Default")

    with pytest.raises(ValueError, match="The name Default already exists"):
        assert emulator.default_experiment_id
