"""create_run: the stored and echoed run, validation order and every documented error."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from emulator_http import RUNS, Client, create_run, kfp_error, run_body, workflow

from kfp_server_api.emulator import Emulator

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
VALIDATE = "Validate create run request failed.: "
CREATE = "Failed to create a new run.: "


def invalid(message: str, context: str = VALIDATE) -> dict[str, Any]:
    return kfp_error(f"{context}Invalid input error: {message}", 3, message)


def test_fresh_run_has_the_server_filled_fields(client: Client, emulator: Emulator) -> None:
    manifest = json.dumps(workflow())
    reply = client.post(
        RUNS,
        {
            "name": "my run",
            "description": "first",
            "pipeline_spec": {
                "workflow_manifest": manifest,
                "parameters": [{"name": "message", "value": "hi"}],
            },
            # Output-only fields sent by a client are ignored.
            "id": "mine",
            "status": "Succeeded",
            "created_at": "2000-01-01T00:00:00Z",
            "storage_state": "STORAGESTATE_ARCHIVED",
        },
    )
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/json"
    detail = reply.json
    assert list(detail) == ["run", "pipeline_runtime"]
    run = detail["run"]
    assert UUID4.fullmatch(run["id"])
    assert run == {
        "id": run["id"],
        "name": "my run",
        "description": "first",
        "pipeline_spec": {
            "workflow_manifest": manifest,
            "parameters": [{"name": "message", "value": "hi"}],
        },
        "resource_references": [
            {
                "key": {"type": "EXPERIMENT", "id": emulator.default_experiment_id},
                "name": "Default",
                "relationship": "OWNER",
            }
        ],
        "service_account": "pipeline-runner",
        "created_at": "2022-03-01T10:00:00Z",
        "scheduled_at": "1970-01-01T00:00:00Z",
        "finished_at": "1970-01-01T00:00:00Z",
    }
    # Keys come in the order the proto declares them.
    assert list(run) == [
        "id",
        "name",
        "description",
        "pipeline_spec",
        "resource_references",
        "service_account",
        "created_at",
        "scheduled_at",
        "finished_at",
    ]
    runtime = json.loads(detail["pipeline_runtime"]["workflow_manifest"])
    assert runtime["kind"] == "Workflow"
    assert runtime["metadata"]["name"].startswith("hello-world-")
    assert runtime["metadata"]["namespace"] == "kubeflow"
    assert runtime["metadata"]["labels"]["pipeline/runid"] == run["id"]
    assert runtime["spec"]["arguments"]["parameters"] == [{"name": "message", "value": "hi"}]
    assert runtime["spec"]["serviceAccountName"] == "pipeline-runner"
    assert runtime["status"] == {}


def test_response_is_compact_json_without_trailing_newline(client: Client) -> None:
    reply = client.post(RUNS, run_body())
    assert not reply.body.endswith(b"\n")
    assert b": " not in reply.body.split(b'"pipeline_spec"')[0]
    assert int(reply.headers["Content-Length"]) == len(reply.body)


def test_camel_case_keys_and_unknown_keys_are_accepted(client: Client) -> None:
    manifest = json.dumps(workflow())
    reply = client.post(
        RUNS,
        {
            "name": "camel",
            "pipelineSpec": {"workflowManifest": manifest},
            "serviceAccount": "robot",
            "somethingNew": {"nested": [1, 2]},
        },
    )
    assert reply.status == 200
    run = reply.json["run"]
    assert run["pipeline_spec"] == {"workflow_manifest": manifest}
    assert run["service_account"] == "robot"


def test_service_account_comes_from_the_manifest_when_not_given(client: Client) -> None:
    manifest = json.dumps(workflow(serviceAccountName="builder"))
    run = create_run(client, pipeline_spec={"workflow_manifest": manifest})
    assert run["service_account"] == "builder"


def test_run_from_a_pipeline_id_gets_its_default_version(
    client: Client, emulator: Emulator
) -> None:
    pipeline = emulator.add_pipeline("flip coin", workflow_manifest=workflow(("seed",)))
    reply = client.post(
        RUNS,
        {
            "name": "from pipeline",
            "pipeline_spec": {
                "pipeline_id": pipeline.pipeline_id,
                "parameters": [{"name": "seed", "value": "7"}],
            },
        },
    )
    assert reply.status == 200, reply.text
    run = reply.json["run"]
    spec = run["pipeline_spec"]
    assert spec["pipeline_id"] == pipeline.pipeline_id
    assert spec["pipeline_name"] == "flip coin"
    # The template as the server stores it: Go's Workflow struct as JSON.
    stored = workflow(("seed",))
    stored["metadata"]["creationTimestamp"] = None
    stored["status"] = {"startedAt": None, "finishedAt": None}
    assert json.loads(spec["workflow_manifest"]) == stored
    assert list(json.loads(spec["workflow_manifest"])) == [
        "kind",
        "apiVersion",
        "metadata",
        "spec",
        "status",
    ]
    assert run["resource_references"] == [
        {
            "key": {"type": "PIPELINE_VERSION", "id": pipeline.version_id},
            "name": "flip coin",
            "relationship": "CREATOR",
        },
        {
            "key": {"type": "EXPERIMENT", "id": emulator.default_experiment_id},
            "name": "Default",
            "relationship": "OWNER",
        },
    ]


def test_run_from_a_pipeline_version_reference(client: Client, emulator: Emulator) -> None:
    pipeline = emulator.add_pipeline("p")
    version = emulator.add_pipeline_version(
        pipeline.pipeline_id, "v2", workflow_manifest=workflow()
    )
    experiment = emulator.add_experiment("mine")
    references = [
        {"key": {"type": "EXPERIMENT", "id": experiment}, "relationship": "OWNER"},
        {"key": {"type": "PIPELINE_VERSION", "id": version}, "relationship": "CREATOR"},
    ]
    run = create_run(client, pipeline_spec={}, resource_references=references)
    assert "pipeline_id" not in run["pipeline_spec"]
    assert "pipeline_name" not in run["pipeline_spec"]
    assert run["resource_references"] == [
        {"key": {"type": "EXPERIMENT", "id": experiment}, "name": "mine", "relationship": "OWNER"},
        {
            "key": {"type": "PIPELINE_VERSION", "id": version},
            "name": "v2",
            "relationship": "CREATOR",
        },
    ]


def test_job_and_namespace_references_are_kept(client: Client, emulator: Emulator) -> None:
    job = emulator.add_job("nightly")
    references = [
        {"key": {"type": "JOB", "id": job}, "relationship": "CREATOR"},
        {"key": {"type": 5, "id": "team-a"}, "relationship": 1},
    ]
    run = create_run(client, resource_references=references)
    assert run["resource_references"][:2] == [
        {"key": {"type": "JOB", "id": job}, "name": "nightly", "relationship": "CREATOR"},
        {"key": {"type": "NAMESPACE", "id": "team-a"}, "name": "team-a", "relationship": "OWNER"},
    ]
    assert run["resource_references"][2]["name"] == "Default"


def test_v2_pipeline_manifest_run(client: Client) -> None:
    ir = {"pipelineInfo": {"name": "my-pipeline"}, "root": {"dag": {"tasks": {}}}}
    reply = client.post(
        RUNS,
        {
            "name": "v2",
            "pipeline_spec": {
                "pipeline_manifest": json.dumps(ir),
                "runtime_config": {
                    "parameters": {
                        "n": {"int_value": "3"},
                        "x": {"double_value": 0.5},
                        "s": {"string_value": "hi"},
                    },
                    "pipeline_root": "gs://bucket",
                },
            },
        },
    )
    assert reply.status == 200, reply.text
    detail = reply.json
    assert detail["pipeline_runtime"] == {}
    assert detail["run"]["pipeline_spec"] == {
        "pipeline_manifest": json.dumps(ir),
        "parameters": [
            {"name": "n", "value": "3"},
            {"name": "x", "value": "0.5"},
            {"name": "s", "value": "hi"},
        ],
    }


VALIDATION_CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "empty name",
        {"pipeline_spec": {"workflow_manifest": json.dumps(workflow())}},
        invalid("The run name is empty. Please specify a valid name."),
    ),
    (
        "no pipeline source",
        {"name": "r"},
        invalid(
            "Please specify a pipeline by providing a (workflow manifest or pipeline manifest) "
            "or (pipeline id or/and pipeline version)."
        ),
    ),
    (
        "both manifests",
        {"name": "r", "pipeline_spec": {"workflow_manifest": "{}", "pipeline_manifest": "{}"}},
        invalid("Please don't specify both workflow manifest and pipeline manifest."),
    ),
    (
        "manifest and pipeline id",
        {"name": "r", "pipeline_spec": {"workflow_manifest": "{}", "pipeline_id": "p"}},
        invalid(
            "Please don't specify a pipeline version or pipeline ID when you specify a workflow "
            "manifest or pipeline manifest."
        ),
    ),
    (
        "manifest and version reference",
        {
            "name": "r",
            "pipeline_spec": {"pipeline_manifest": "{}"},
            "resource_references": [
                {"key": {"type": "PIPELINE_VERSION", "id": "v"}, "relationship": "CREATOR"}
            ],
        },
        invalid(
            "Please don't specify a pipeline version or pipeline ID when you specify a workflow "
            "manifest or pipeline manifest."
        ),
    ),
    (
        "parameters and runtime config",
        {
            "name": "r",
            "pipeline_spec": {
                "workflow_manifest": json.dumps(workflow()),
                "parameters": [{"name": "message", "value": "x"}],
                "runtime_config": {},
            },
        },
        invalid("Please don't specify both parameters and runtime config."),
    ),
    (
        "parameters too long",
        {
            "name": "r",
            "pipeline_spec": {
                "workflow_manifest": json.dumps(workflow()),
                "parameters": [{"name": "message", "value": "x" * 10000}],
            },
        },
        invalid("The input parameter length exceed maximum size of 10000."),
    ),
    (
        "runtime parameters too long",
        {
            "name": "r",
            "pipeline_spec": {
                "pipeline_manifest": '{"pipelineInfo": {"name": "p"}, "root": {}}',
                "runtime_config": {"parameters": {"p": {"string_value": "x" * 10000}}},
            },
        },
        invalid("The input parameter length exceed maximum size of 10000."),
    ),
    (
        "unknown pipeline id",
        {"name": "r", "pipeline_spec": {"pipeline_id": "nope"}},
        kfp_error(
            VALIDATE + "Get pipelineId failed.: ResourceNotFoundError: Pipeline nope not found.",
            5,
            "Pipeline nope not found.",
        ),
    ),
    (
        "unknown pipeline version",
        {
            "name": "r",
            "resource_references": [
                {"key": {"type": "PIPELINE_VERSION", "id": "nope"}, "relationship": "CREATOR"}
            ],
        },
        kfp_error(
            VALIDATE
            + "Get pipelineVersionId failed.: ResourceNotFoundError: Version nope not found.",
            5,
            "Version nope not found.",
        ),
    ),
    (
        "v1 manifest that is YAML",
        {"name": "r", "pipeline_spec": {"workflow_manifest": "kind: Workflow"}},
        kfp_error(
            VALIDATE + "InvalidInputError: Invalid argo workflow format. Workflow: kind: Workflow"
            ": invalid character 'k' looking for beginning of value",
            3,
            "Invalid argo workflow format. Workflow: kind: Workflow",
        ),
    ),
    (
        "v1 manifest of the wrong shape",
        {"name": "r", "pipeline_spec": {"workflow_manifest": '{"spec": []}'}},
        kfp_error(
            VALIDATE + 'InvalidInputError: Invalid argo workflow format. Workflow: {"spec": []}'
            ": json: cannot unmarshal array into Go struct field Workflow.spec of type struct",
            3,
            'Invalid argo workflow format. Workflow: {"spec": []}',
        ),
    ),
    (
        "unknown template format",
        {"name": "r", "pipeline_spec": {"workflow_manifest": '{"kind": "Pod"}'}},
        kfp_error(
            CREATE + "InvalidInputError: unknown template format: pipeline spec is invalid",
            3,
            "unknown template format",
        ),
    ),
    (
        "unsupported argo version",
        {
            "name": "r",
            "pipeline_spec": {
                "workflow_manifest": json.dumps(
                    {"apiVersion": "argoproj.io/v2", "kind": "Workflow"}
                )
            },
        },
        invalid(
            "Unsupported argo version. Expected: argoproj.io/v1alpha1. Received: argoproj.io/v2",
            CREATE,
        ),
    ),
    (
        "undeclared parameter",
        {
            "name": "r",
            "pipeline_spec": {
                "workflow_manifest": json.dumps(workflow()),
                "parameters": [{"name": "other", "value": "1"}],
            },
        },
        kfp_error(
            CREATE + "InternalServerError: failed to generate the workflow.: "
            "Invalid input error: Unrecognized input parameter: other",
            13,
            "Internal Server Error",
        ),
    ),
    (
        "missing experiment",
        {
            "name": "r",
            "pipeline_spec": {"workflow_manifest": json.dumps(workflow())},
            "resource_references": [
                {"key": {"type": "EXPERIMENT", "id": "gone"}, "relationship": "OWNER"}
            ],
        },
        kfp_error(
            CREATE + "InternalServerError: Failed to get experiment.: "
            "ResourceNotFoundError: Experiment gone not found.",
            13,
            "Internal Server Error",
        ),
    ),
    (
        "pipeline reference",
        {
            "name": "r",
            "pipeline_spec": {"workflow_manifest": json.dumps(workflow())},
            "resource_references": [
                {"key": {"type": "PIPELINE", "id": "p"}, "relationship": "OWNER"}
            ],
        },
        invalid(
            "Unsupported resource type: PIPELINE",
            CREATE + "Failed to convert run model: Unable to convert resource references.: "
            "Failed to convert reference type: ",
        ),
    ),
    (
        "unknown relationship",
        {
            "name": "r",
            "pipeline_spec": {"workflow_manifest": json.dumps(workflow())},
            "resource_references": [{"key": {"type": "NAMESPACE", "id": "ns"}}],
        },
        invalid(
            "Unsupported resource relationship: UNKNOWN_RELATIONSHIP",
            CREATE + "Failed to convert run model: Unable to convert resource references.: "
            "Failed to convert relationship: ",
        ),
    ),
    (
        "unknown job",
        {
            "name": "r",
            "pipeline_spec": {"workflow_manifest": json.dumps(workflow())},
            "resource_references": [{"key": {"type": "JOB", "id": "j"}, "relationship": "CREATOR"}],
        },
        kfp_error(
            CREATE + "Failed to convert run model: Unable to convert resource references.: "
            "Failed to find the referred resource: ResourceNotFoundError: Job j not found.",
            5,
            "Job j not found.",
        ),
    ),
]


@pytest.mark.parametrize(
    ("body", "expected"),
    [case[1:] for case in VALIDATION_CASES],
    ids=[case[0] for case in VALIDATION_CASES],
)
def test_create_run_errors(
    client: Client, emulator: Emulator, body: dict[str, Any], expected: dict[str, Any]
) -> None:
    reply = client.post(RUNS, body)
    status = {3: 400, 5: 404, 13: 500}[expected["code"]]
    assert (reply.status, reply.json) == (status, expected)
    assert emulator.run_count() == 0


def test_first_failing_check_wins(client: Client) -> None:
    # No name and no pipeline: the name is checked first.
    reply = client.post(RUNS, {"pipeline_spec": {"pipeline_id": "nope"}})
    assert reply.json["details"][0]["error_message"] == (
        "The run name is empty. Please specify a valid name."
    )


def test_version_of_another_pipeline(client: Client, emulator: Emulator) -> None:
    first = emulator.add_pipeline("first")
    second = emulator.add_pipeline("second")
    reply = client.post(
        RUNS,
        {
            "name": "r",
            "pipeline_spec": {"pipeline_id": first.pipeline_id},
            "resource_references": [
                {
                    "key": {"type": "PIPELINE_VERSION", "id": second.version_id},
                    "relationship": "CREATOR",
                }
            ],
        },
    )
    assert (reply.status, reply.json) == (
        400,
        invalid("pipeline ID should be parent of pipeline version."),
    )


GATEWAY_CASES = [
    ("malformed JSON", b'{"name": ', "unexpected EOF"),
    ("not JSON", b"name=x", "invalid character 'n' looking for beginning of value"),
    (
        "wrong type",
        b'{"name": 5}',
        "invalid value for string field api.Run.name: 5",
    ),
    (
        "array body",
        b"[1]",
        "json: cannot unmarshal array into Go value of type map[string]json.RawMessage",
    ),
    (
        "bad enum",
        b'{"name": "r", "resource_references": [{"relationship": "FRIEND"}]}',
        'invalid value for api.Relationship field api.ResourceReference.relationship: "FRIEND"',
    ),
    (
        "bad timestamp",
        b'{"name": "r", "created_at": "yesterday"}',
        'bad Timestamp: "yesterday" is not in RFC 3339 format',
    ),
    ("NaN literal", b'{"name": NaN}', "invalid character 'N' looking for beginning of value"),
]


@pytest.mark.parametrize(
    ("body", "message"),
    [case[1:] for case in GATEWAY_CASES],
    ids=[case[0] for case in GATEWAY_CASES],
)
def test_undecodable_bodies_are_gateway_errors(
    client: Client, emulator: Emulator, body: bytes, message: str
) -> None:
    reply = client.post(RUNS, body)
    assert (reply.status, reply.json) == (400, kfp_error(message, 3, None))
    assert emulator.run_count() == 0


def test_non_utf8_body_is_rejected(client: Client, emulator: Emulator) -> None:
    reply = client.post(RUNS, b'{"name": "\xff\xfe"}')
    assert (reply.status, reply.json) == (
        400,
        kfp_error("invalid UTF-8 in request body at byte 10", 3, None),
    )
    assert emulator.run_count() == 0


def test_empty_body_is_an_empty_run(client: Client) -> None:
    reply = client.post(RUNS, b"")
    assert reply.status == 400
    assert reply.json == invalid("The run name is empty. Please specify a valid name.")


def test_lone_surrogate_escapes_become_replacement_characters(client: Client) -> None:
    run = create_run(client, name="a\ud800b")
    assert run["name"] == "a\ufffdb"


@pytest.mark.parametrize("depth", [201, 5000, 100_000])
def test_deeply_nested_input_is_refused_without_a_500(
    client: Client, emulator: Emulator, depth: int
) -> None:
    nested = "[" * depth + "]" * depth
    reply = client.post(RUNS, f'{{"name": "r", "x": {nested}}}')
    assert (reply.status, reply.json) == (400, kfp_error("exceeded max depth", 3, None))
    manifest = json.dumps({**workflow(), "extra": json.loads("[" * 150 + "]" * 150)})
    deep_manifest = manifest[:-1] + ', "deep": ' + nested + "}"
    reply = client.post(RUNS, {"name": "r", "pipeline_spec": {"workflow_manifest": deep_manifest}})
    assert reply.status == 400
    assert reply.json["error"].endswith(": exceeded max depth")
    assert (
        client.post(RUNS, {"name": "r", "pipeline_spec": {"workflow_manifest": manifest}}).status
        == 200
    )
    short = "[" * min(depth, 5000) + "]" * min(depth, 5000)  # a query string stays < 64 KiB
    reply = client.get(RUNS, filter='{"predicates": ' + short + "}")
    assert reply.status == 400
    assert reply.json["error"].endswith(": exceeded max depth")
    assert emulator.run_count() == 1
