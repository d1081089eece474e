"""The pipeline service over raw HTTP: create from a URL (served by a loopback file server),
get, delete, templates, versions, default versions, listing, runs from stored pipelines and
persistence."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from emulator_http import RUNS, Client, kfp_error, workflow
from pipeline_data import (
    ARGUMENTS,
    ARGUMENTS_YAML,
    COMPILED,
    COMPONENT_YAML,
    PIPELINES,
    V2_SPEC,
    VERSIONS,
    tar_gz_of,
    upload,
)
from servers.loopback import LoopbackServer, RecordedRequest, Reply

from kfp_server_api.emulator import Emulator, Lifecycle, ManualClock

FILES = {
    "/arguments-parameters.yaml": ARGUMENTS_YAML,
    "/compiled.yaml": COMPILED,
    "/v2-hello-world.json": V2_SPEC,
    "/arguments.tar.gz": tar_gz_of({"pipeline.yaml": ARGUMENTS_YAML}),
    "/component.yaml": COMPONENT_YAML,
    "/huge.zip": b"PK" + bytes(32 << 20),
}


def _serve(request: RecordedRequest) -> Reply:
    if request.path == "/moved.yaml":
        return Reply(302, (("Location", "/arguments-parameters.yaml"),))
    content = FILES.get(request.path)
    if content is None:
        return Reply.text("404 page not found", 404)
    return Reply.raw(content)


@pytest.fixture(scope="module")
def files() -> Iterator[str]:
    """The URL of a loopback server serving ``FILES``."""
    with LoopbackServer() as server:
        server.responder = _serve
        yield server.url


def create(client: Client, url: str, **fields: Any) -> Any:
    return client.post(PIPELINES, {"url": {"pipeline_url": url}, **fields})


def create_version(client: Client, url: str, pipeline_id: str, **fields: Any) -> Any:
    owner = {"key": {"type": "PIPELINE", "id": pipeline_id}, "relationship": "OWNER"}
    body = {"package_url": {"pipeline_url": url}, "resource_references": [owner], **fields}
    return client.post(VERSIONS, body)


def ok(reply: Any) -> Any:
    assert reply.status == 200, reply.text
    return reply.json


# --------------------------------------------------------------------------------------------
# create_pipeline, get_pipeline, get_template, delete_pipeline


def test_create_pipeline_from_a_url(client: Client, files: str) -> None:
    pipeline = ok(create(client, f"{files}/arguments-parameters.yaml", description="d"))

    assert pipeline["name"] == "arguments-parameters.yaml"
    assert pipeline["description"] == "d"
    assert pipeline["parameters"] == ARGUMENTS
    assert pipeline["default_version"]["id"] == pipeline["id"]
    assert ok(client.get(f"{PIPELINES}/{pipeline['id']}")) == pipeline
    template = ok(client.get(f"{PIPELINES}/{pipeline['id']}/templates"))["template"]
    assert json.loads(template)["spec"]["arguments"]["parameters"] == ARGUMENTS


def test_create_pipeline_follows_redirects_and_reads_archives(client: Client, files: str) -> None:
    assert ok(create(client, f"{files}/moved.yaml", name="moved"))["parameters"] == ARGUMENTS
    assert ok(create(client, f"{files}/arguments.tar.gz"))["name"] == "arguments.tar.gz"
    named = ok(create(client, f"{files}/v2-hello-world.json", name="a+b%41"))
    assert named["name"] == "a bA"  # the JSON name is URL-unescaped too


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("", 400, "Invalid input error: Pipeline URL is empty. Please specify a valid URL."),
        (
            "pipeline.yaml",
            400,
            "Invalid input error: Invalid Pipeline URL pipeline.yaml. Please specify a valid URL",
        ),
        (
            "ftp://example.com/p.yaml",
            500,
            "InternalServerError: Failed to download the pipeline from ftp://example.com/p.yaml "
            "Please double check the URL is valid and can be accessed by the pipeline system.: "
            'Get "ftp://example.com/p.yaml": unsupported protocol scheme "ftp"',
        ),
        (
            "{files}/missing.yaml",
            500,
            "InternalServerError: Failed to download the pipeline from {files}/missing.yaml "
            "Please double check the URL is valid and can be accessed by the pipeline system. "
            "(HTTP status 404)",
        ),
        (
            "{files}/huge.zip",
            400,
            "The URL is valid but pipeline system failed to read the file.: Error read pipeline "
            "file.: Invalid input error: File size too large. Maximum supported size: 33554432",
        ),
        (
            "{files}/component.yaml",
            400,
            "Create pipeline failed.: Create pipeline failed: InvalidInputError: unknown "
            "template format: pipeline spec is invalid",
        ),
    ],
    ids=["empty", "relative", "scheme", "not-found", "too-large", "not-a-pipeline"],
)
def test_create_pipeline_errors(
    client: Client, files: str, url: str, status: int, message: str
) -> None:
    reply = create(client, url.format(files=files))

    assert reply.status == status, reply.text
    assert reply.json["error"] == message.format(files=files)
    assert ok(client.get(PIPELINES)) == {}


def test_an_unreachable_url_is_an_internal_error(client: Client) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/p.yaml"
    reply = create(client, url)
    assert reply.status == 500
    assert reply.json["message"].startswith(
        f"InternalServerError: Failed to download the pipeline from {url} Please double check"
    )
    assert reply.json["details"][0]["error_message"] == "Internal Server Error"


def test_pipeline_names_are_unique(client: Client, files: str) -> None:
    ok(create(client, f"{files}/compiled.yaml", name="train"))
    reply = create(client, f"{files}/arguments-parameters.yaml", name="train")
    message = (
        "Create pipeline failed.: Create pipeline failed: Already exist error: Failed to create a "
        "new pipeline. The name train already exist. Please specify a new name."
    )
    external = (
        "Failed to create a new pipeline. The name train already exist. Please specify a new name."
    )
    assert (reply.status, reply.json) == (409, kfp_error(message, 6, external))


def test_get_delete_and_templates_of_unknown_pipelines(client: Client) -> None:
    for method, path, message in [
        (
            "GET",
            f"{PIPELINES}/p-9",
            "Get pipeline failed.: ResourceNotFoundError: Pipeline p-9 not found.",
        ),
        (
            "DELETE",
            f"{PIPELINES}/p-9",
            "Delete pipelines failed.: Delete pipeline failed: ResourceNotFoundError: Pipeline "
            "p-9 not found.",
        ),
        (
            "GET",
            f"{PIPELINES}/p-9/templates",
            "Get pipeline template failed.: Get pipeline template failed: ResourceNotFoundError: "
            "Pipeline p-9 not found.",
        ),
        (
            "GET",
            f"{VERSIONS}/v-9",
            "Get pipeline version failed.: ResourceNotFoundError: Version v-9 not found.",
        ),
        (
            "DELETE",
            f"{VERSIONS}/v-9",
            "Failed to get Pipeline Version.: ResourceNotFoundError: Version v-9 not found.",
        ),
        (
            "GET",
            f"{VERSIONS}/v-9/templates",
            "Get pipeline template failed.: Get pipeline version template failed: "
            "ResourceNotFoundError: Version v-9 not found.",
        ),
    ]:
        reply = client.request(method, path)
        external = "Pipeline p-9 not found." if "p-9" in path else "Version v-9 not found."
        assert (reply.status, reply.json) == (404, kfp_error(message, 5, external)), path


def test_delete_pipeline_removes_its_versions(client: Client, emulator: Emulator) -> None:
    ids = emulator.add_pipeline("p")
    version = emulator.add_pipeline_version(ids.pipeline_id, "v2")

    assert ok(client.request("DELETE", f"{PIPELINES}/{ids.pipeline_id}")) == {}

    for path in (
        f"{PIPELINES}/{ids.pipeline_id}",
        f"{VERSIONS}/{version}",
        f"{VERSIONS}/{ids.version_id}",
    ):
        assert client.get(path).status == 404


# --------------------------------------------------------------------------------------------
# Versions and default versions


def test_create_pipeline_version_from_a_url(client: Client, files: str, emulator: Emulator) -> None:
    pipeline = ok(create(client, f"{files}/arguments-parameters.yaml", name="p"))
    emulator.advance_clock(5)

    version = ok(
        create_version(
            client,
            f"{files}/compiled.yaml",
            pipeline["id"],
            name="v2",
            description="second",
            code_source_url="https://git/x",
        )
    )

    assert version == {
        "id": version["id"],
        "name": "v2",
        "created_at": "2022-03-01T10:00:05Z",
        "parameters": version["parameters"],
        "code_source_url": "https://git/x",
        "resource_references": [
            {"key": {"type": "PIPELINE", "id": pipeline["id"]}, "relationship": "OWNER"}
        ],
        "description": "second",
    }
    current = ok(client.get(f"{PIPELINES}/{pipeline['id']}"))
    assert current["default_version"] == version
    assert current["parameters"] == ARGUMENTS
    template = ok(client.get(f"{VERSIONS}/{version['id']}/templates"))["template"]
    assert ok(client.get(f"{PIPELINES}/{pipeline['id']}/templates"))["template"] == template


def test_create_pipeline_version_errors(client: Client, files: str) -> None:
    pipeline = ok(create(client, f"{files}/arguments-parameters.yaml", name="p"))
    url = f"{files}/compiled.yaml"

    no_owner = client.post(VERSIONS, {"package_url": {"pipeline_url": url}, "name": "x"})
    marshal = "grpc: error while marshaling: proto: Marshal called with nil"
    assert (no_owner.status, no_owner.json) == (500, kfp_error(marshal, 13, None))

    unknown = create_version(client, url, "p-9", name="x")
    assert (unknown.status, unknown.json["error"]) == (
        404,
        "Failed to create a version.: Create pipeline version failed: ResourceNotFoundError: "
        "Pipeline p-9 not found.",
    )
    taken = create_version(client, url, pipeline["id"], name="p")
    assert taken.status == 409
    assert taken.json["details"][0]["error_message"].startswith(
        "Failed to create a new pipeline version. The name p already exist."
    )
    wrapped = client.post(VERSIONS, {"version": {"package_url": {"pipeline_url": url}}})
    assert wrapped.status == 400  # the request wrapper is an unknown key: no URL
    assert len(ok(client.get(VERSIONS, **{"resource_key.id": pipeline["id"]}))["versions"]) == 1


def test_deleting_the_default_version_picks_the_newest_remaining(
    client: Client, emulator: Emulator
) -> None:
    ids = emulator.add_pipeline("p")
    emulator.advance_clock(1)
    second = emulator.add_pipeline_version(ids.pipeline_id, "second", make_default=True)
    emulator.advance_clock(1)
    third = emulator.add_pipeline_version(ids.pipeline_id, "third")

    ok(client.request("DELETE", f"{VERSIONS}/{second}"))
    assert ok(client.get(f"{PIPELINES}/{ids.pipeline_id}"))["default_version"]["id"] == third
    ok(client.request("DELETE", f"{VERSIONS}/{third}"))
    ok(client.request("DELETE", f"{VERSIONS}/{ids.version_id}"))

    pipeline = ok(client.get(f"{PIPELINES}/{ids.pipeline_id}"))
    assert "default_version" not in pipeline
    assert ok(client.get(f"{PIPELINES}/{ids.pipeline_id}/templates")) == {}
    run = client.post(RUNS, {"name": "r", "pipeline_spec": {"pipeline_id": ids.pipeline_id}})
    assert run.status == 400
    assert run.json["error"] == (
        "Failed to create a new run.: Invalid input error: No pipeline version."
    )


def test_update_default_version_is_unchecked(client: Client, emulator: Emulator) -> None:
    first = emulator.add_pipeline("first")
    second = emulator.add_pipeline("second")
    path = f"{PIPELINES}/{first.pipeline_id}/default_version"

    assert ok(client.post(f"{path}/{second.version_id}")) == {}
    default = ok(client.get(f"{PIPELINES}/{first.pipeline_id}"))["default_version"]
    assert default["resource_references"][0]["key"]["id"] == second.pipeline_id
    assert ok(client.post(f"{PIPELINES}/nope/default_version/x")) == {}

    assert ok(client.post(f"{path}/gone")) == {}
    assert ok(client.get(f"{PIPELINES}/{first.pipeline_id}"))["default_version"] == {
        "created_at": "1970-01-01T00:00:00Z",
        "resource_references": [{"key": {"type": "PIPELINE"}, "relationship": "OWNER"}],
    }
    assert ok(client.get(f"{PIPELINES}/{first.pipeline_id}/templates")) == {}


# --------------------------------------------------------------------------------------------
# Listing


@pytest.fixture
def listed(emulator: Emulator) -> list[str]:
    """Five pipelines, one second apart, named in an order unlike their creation order."""
    ids = []
    for name in ("delta", "alpha", "echo", "bravo", "charlie"):
        ids.append(emulator.add_pipeline(name, description=f"about {name}").pipeline_id)
        emulator.advance_clock(1)
    return ids


def _names(document: dict[str, Any], key: str = "pipelines") -> list[str]:
    return [item["name"] for item in document.get(key, [])]


def test_list_pipelines_pages_in_creation_order(client: Client, listed: list[str]) -> None:
    first = ok(client.get(PIPELINES, page_size=2))
    assert _names(first) == ["delta", "alpha"]
    assert first["total_size"] == 5
    second = ok(client.get(PIPELINES, page_size=2, page_token=first["next_page_token"]))
    third = ok(client.get(PIPELINES, page_size=2, page_token=second["next_page_token"]))
    assert _names(second) + _names(third) == ["echo", "bravo", "charlie"]
    assert "next_page_token" not in third


@pytest.mark.parametrize(
    ("sort_by", "expected"),
    [
        ("name", ["alpha", "bravo", "charlie", "delta", "echo"]),
        ("name desc", ["echo", "delta", "charlie", "bravo", "alpha"]),
        ("created_at desc", ["charlie", "bravo", "echo", "alpha", "delta"]),
        ("description", ["alpha", "bravo", "charlie", "delta", "echo"]),
        ("namespace", ["delta", "alpha", "echo", "bravo", "charlie"]),
    ],
)
def test_list_pipelines_sorts(
    client: Client, listed: list[str], sort_by: str, expected: list[str]
) -> None:
    pages: list[str] = []
    token = ""
    while True:
        page = ok(client.get(PIPELINES, page_size=2, sort_by=sort_by, page_token=token))
        pages += _names(page)
        token = page.get("next_page_token", "")
        if not token:
            break
    if sort_by == "namespace":
        assert sorted(pages) == sorted(expected)
    else:
        assert pages == expected
    by_id = ok(client.get(PIPELINES, sort_by="id"))
    assert [p["id"] for p in by_id["pipelines"]] == sorted(listed)


@pytest.mark.parametrize(
    ("predicate", "expected"),
    [
        ({"key": "name", "op": "EQUALS", "string_value": "echo"}, ["echo"]),
        ({"key": "description", "op": "IS_SUBSTRING", "string_value": "lph"}, ["alpha"]),
        (
            {"key": "created_at", "op": "GREATER_THAN", "timestamp_value": "2022-03-01T10:00:02Z"},
            ["bravo", "charlie"],
        ),
        (
            {"key": "namespace", "op": "EQUALS", "string_value": ""},
            ["delta", "alpha", "echo", "bravo", "charlie"],
        ),
        ({"key": "id", "op": "IN", "string_values": {"values": []}}, []),
    ],
)
def test_list_pipelines_filters(
    client: Client, listed: list[str], predicate: dict[str, Any], expected: list[str]
) -> None:
    page = ok(client.get(PIPELINES, filter=json.dumps({"predicates": [predicate]})))
    assert _names(page) == expected
    assert page.get("total_size", 0) == len(expected)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"sort_by": "status"},
            'Failed to create list options: Invalid input error: Invalid sorting field: "status" '
            "on listable type Pipeline",
        ),
        (
            {"resource_reference_key.type": "EXPERIMENT", "resource_reference_key.id": "e"},
            "Invalid input error: Invalid resource references for pipelines. ListPipelines "
            "requires filtering by namespace.",
        ),
        (
            {"resource_reference_key.type": "PIPELINE", "resource_reference_key.id": "p"},
            "Validating filter failed.: Unrecognized resource reference type.: Invalid input "
            "error: Unsupported resource type: PIPELINE",
        ),
    ],
    ids=["sort-field", "experiment-key", "pipeline-key"],
)
def test_list_pipelines_errors(client: Client, query: dict[str, str], message: str) -> None:
    reply = client.get(PIPELINES, **query)
    assert (reply.status, reply.json["error"]) == (400, message)


def test_list_pipelines_of_a_namespace(client: Client, files: str, listed: list[str]) -> None:
    namespace = {"key": {"type": "NAMESPACE", "id": "team-a"}, "relationship": "OWNER"}
    ok(create(client, f"{files}/compiled.yaml", name="team", resource_references=[namespace]))

    team = ok(
        client.get(
            PIPELINES,
            **{"resource_reference_key.type": "NAMESPACE", "resource_reference_key.id": "team-a"},
        )
    )
    assert _names(team) == ["team"]
    assert "team" not in _names(ok(client.get(PIPELINES)))


def test_list_pipeline_versions(client: Client, emulator: Emulator) -> None:
    ids = emulator.add_pipeline("p")
    other = emulator.add_pipeline("other")
    for name in ("v3", "v1", "v2"):
        emulator.advance_clock(1)
        emulator.add_pipeline_version(ids.pipeline_id, name)
    emulator.add_pipeline_version(other.pipeline_id, "elsewhere")
    key = {"resource_key.type": "PIPELINE", "resource_key.id": ids.pipeline_id}

    first = ok(client.get(VERSIONS, page_size=3, **key))
    assert _names(first, "versions") == ["p", "v3", "v1"]
    assert list(first) == ["versions", "next_page_token", "total_size"]
    rest = ok(client.get(VERSIONS, page_token=first["next_page_token"], **key))
    assert _names(rest, "versions") == ["v2"]
    by_name = ok(client.get(VERSIONS, sort_by="name desc", **key))
    assert _names(by_name, "versions") == ["v3", "v2", "v1", "p"]
    ready = {"predicates": [{"key": "status", "op": "EQUALS", "string_value": "READY"}]}
    assert ok(client.get(VERSIONS, filter=json.dumps(ready), **key))["total_size"] == 4
    # The type of the key is not checked, and resource_reference_key is not this call's.
    untyped = ok(client.get(VERSIONS, **{"resourceKey.id": ids.pipeline_id, "sort_by": "id"}))
    assert len(untyped["versions"]) == 4


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({}, 400, "Invalid input error: ResourceKey must be set in the input"),
        (
            {"resource_reference_key.id": "p"},
            400,
            "Invalid input error: ResourceKey must be set in the input",
        ),
        (
            {"resource_key.type": "PIPELINE", "resource_key.id": "p-9"},
            404,
            "Failed to get namespace from pipelineId.: Failed to get namespace from Pipeline ID: "
            "ResourceNotFoundError: Pipeline p-9 not found.",
        ),
        ({"resource_key.type": "WHAT"}, 400, "WHAT is not a valid api.ResourceType"),
        (
            {"resource_key.id": "p", "sort_by": "description"},
            400,
            "Failed to create list options: Invalid input error: Invalid sorting field: "
            '"description" on listable type PipelineVersion',
        ),
    ],
    ids=["no-key", "wrong-key", "unknown-pipeline", "bad-type", "bad-sort"],
)
def test_list_pipeline_versions_errors(
    client: Client, query: dict[str, str], status: int, message: str
) -> None:
    reply = client.get(VERSIONS, **query)
    assert (reply.status, reply.json["error"]) == (status, message)


# --------------------------------------------------------------------------------------------
# Runs from stored pipelines, persistence


def test_runs_from_an_uploaded_pipeline_and_version(client: Client) -> None:
    pipeline = ok(upload(client, COMPILED, name="addition"))
    version = ok(
        upload(
            client,
            V2_SPEC,
            "v2.json",
            path=f"{PIPELINES}/upload_version",
            pipelineid=pipeline["id"],
            name="ir",
        )
    )

    by_version = client.post(
        RUNS,
        {
            "name": "from v2",
            "pipeline_spec": {"runtime_config": {"parameters": {"text": {"string_value": "x"}}}},
            "resource_references": [
                {
                    "key": {"type": "PIPELINE_VERSION", "id": pipeline["id"]},
                    "relationship": "CREATOR",
                }
            ],
        },
    )
    run = ok(by_version)["run"]
    assert "workflow_manifest" in run["pipeline_spec"]
    by_default = ok(
        client.post(RUNS, {"name": "default", "pipeline_spec": {"pipeline_id": pipeline["id"]}})
    )
    spec = by_default["run"]["pipeline_spec"]
    assert json.loads(spec["pipeline_manifest"])["pipelineInfo"]["name"] == "pipeline/addition"
    assert spec["pipeline_name"] == "addition"
    assert by_default["run"]["resource_references"][0]["key"]["id"] == version["id"]
    assert by_default["pipeline_runtime"] == {}


def test_pipelines_persist_with_a_database_file(tmp_path: Path, files: str) -> None:
    db = str(tmp_path / "kfp.db")
    with Emulator(db=db, clock=ManualClock(), lifecycle=Lifecycle.manual()) as first:
        client = Client(first.url)
        pipeline = ok(upload(client, ARGUMENTS_YAML, name="kept"))
        version = ok(create_version(client, f"{files}/compiled.yaml", pipeline["id"], name="v2"))
        client.close()
    with Emulator(db=db, lifecycle=Lifecycle.manual()) as second:
        client = Client(second.url)
        again = ok(client.get(f"{PIPELINES}/{pipeline['id']}"))
        template = ok(client.get(f"{VERSIONS}/{version['id']}/templates"))
        client.close()
    assert again["default_version"] == version
    assert json.loads(template["template"])["kind"] == "Workflow"


def test_control_and_http_pipelines_are_the_same_kind(client: Client, emulator: Emulator) -> None:
    ids = emulator.add_pipeline("control", workflow_manifest=workflow(("message",)))
    pipeline = ok(client.get(f"{PIPELINES}/{ids.pipeline_id}"))
    assert pipeline["parameters"] == [{"name": "message", "value": "x"}]
    assert pipeline["default_version"]["id"] == ids.pipeline_id == ids.version_id
    with pytest.raises(ValueError, match="The name control already exist"):
        emulator.add_pipeline("control")


def test_snapshot_restore_and_reset_cover_pipelines(client: Client, emulator: Emulator) -> None:
    kept = ok(upload(client, ARGUMENTS_YAML, name="kept"))
    snapshot = emulator.snapshot()
    ok(upload(client, COMPILED, name="later"))

    emulator.restore(snapshot)
    assert _names(ok(client.get(PIPELINES))) == ["kept"]
    assert ok(client.get(f"{PIPELINES}/{kept['id']}/templates"))["template"]
    emulator.reset()
    assert ok(client.get(PIPELINES)) == {}
    again = ok(upload(client, COMPILED, name="after reset"))
    template = json.loads(ok(client.get(f"{PIPELINES}/{again['id']}/templates"))["template"])
    assert template["metadata"]["generateName"] == "addition-pipeline-"


def test_a_job_of_an_uploaded_pipeline_runs_its_default_version(client: Client) -> None:
    pipeline = ok(upload(client, COMPILED, name="addition"))
    job = {
        "name": "hourly",
        "pipeline_spec": {"pipeline_id": pipeline["id"]},
        "trigger": {"periodic_schedule": {"interval_second": "3600"}},
        "max_concurrency": "1",
        "enabled": True,
    }

    created = ok(client.post("/apis/v1beta1/jobs", job))

    spec = created["pipeline_spec"]
    assert spec["pipeline_name"] == "addition"
    assert json.loads(spec["workflow_manifest"])["metadata"]["generateName"] == "addition-pipeline-"
    versions = [
        r["key"]["id"]
        for r in created["resource_references"]
        if r["key"]["type"] == "PIPELINE_VERSION"
    ]
    assert versions == [pipeline["id"]]
