"""The upload handler over raw HTTP: formats, names, versions, its own error body, and hostile
uploads (each refused with its error, in bounded memory, with nothing stored)."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from typing import Any

import pytest
from emulator_http import Client, raw_exchange
from pipeline_data import (
    ARGUMENTS,
    ARGUMENTS_YAML,
    COMPILED,
    COMPILED_V2_COMPATIBLE,
    COMPONENT_YAML,
    PIPELINES,
    UPLOAD,
    UPLOAD_VERSION,
    V2_SPEC,
    multipart,
    tar_gz_of,
    upload,
    upload_error,
    zip_of,
)

from kfp_server_api.emulator import Emulator

CREATED = "2022-03-01T10:00:00Z"
MiB = 1 << 20
UNKNOWN_FORMAT = (
    "Error creating pipeline: Create pipeline failed: InvalidInputError: unknown template "
    "format: pipeline spec is invalid"
)
UNEXPECTED_FORMAT = (
    "Error read pipeline file.: Invalid input error: Unexpected pipeline file format. Support "
    ".zip, .tar.gz, .json or YAML."
)
TOO_LARGE = (
    "Error read pipeline file.: Error read pipeline file.: Invalid input error: File size too "
    "large. Maximum supported size: 33554432"
)


def created(reply: Any) -> dict[str, Any]:
    assert reply.status == 200, reply.text
    assert reply.headers["Content-Type"] == "application/json"
    document: dict[str, Any] = reply.json
    return document


def assert_upload_error(reply: Any, status: int, message: str) -> None:
    assert (reply.status, reply.json) == (status, upload_error(message))
    assert reply.headers["Content-Type"] == "text/plain; charset=utf-8"


def test_upload_names_the_pipeline_after_the_file(client: Client) -> None:
    pipeline = created(upload(client, ARGUMENTS_YAML, "arguments-parameters.yaml"))

    pipeline_id = pipeline["id"]
    assert pipeline == {
        "id": pipeline_id,
        "created_at": CREATED,
        "name": "arguments-parameters.yaml",
        "parameters": ARGUMENTS,
        "default_version": {
            "id": pipeline_id,
            "name": "arguments-parameters.yaml",
            "created_at": CREATED,
            "parameters": ARGUMENTS,
            "resource_references": [
                {"key": {"type": "PIPELINE", "id": pipeline_id}, "relationship": "OWNER"}
            ],
        },
    }
    assert client.get(f"{PIPELINES}/{pipeline_id}").json == pipeline


def test_name_and_description_are_url_decoded_twice(client: Client) -> None:
    # A client sends "a+b" as a%2Bb; the server decodes it once more, to "a b".
    reply = client.request(
        "POST",
        f"{UPLOAD}?name=a%2Bb%2541&description=x%2By",
        *_multipart("p.yaml", ARGUMENTS_YAML),
    )
    pipeline = created(reply)
    assert (pipeline["name"], pipeline["description"]) == ("a bA", "x y")
    assert "description" not in pipeline["default_version"]


def _multipart(file_name: str, content: bytes) -> tuple[bytes, dict[str, str]]:
    body, content_type = multipart(file_name, content)
    return body, {"Content-Type": content_type}


def test_every_method_reaches_the_upload_handler(client: Client) -> None:
    reply = client.request("GET", UPLOAD)
    assert_upload_error(
        reply,
        400,
        "Failed to read pipeline from file: request Content-Type isn't multipart/form-data",
    )
    assert created(upload(client, ARGUMENTS_YAML, method="PUT", name="put"))["name"] == "put"


def test_a_pipeline_compiled_by_the_kfp_sdk_keeps_its_parameters_and_template(
    client: Client,
) -> None:
    pipeline = created(upload(client, COMPILED, "addition.yaml", name="addition"))

    assert pipeline["parameters"] == [
        {"name": "a", "value": "1.5"},
        {"name": "b", "value": "7"},
        {"name": "c", "value": "3"},
        {"name": "flag", "value": "True"},
        {"name": "lst", "value": "[1, 2]"},
    ]
    template = client.get(f"{PIPELINES}/{pipeline['id']}/templates").json["template"]
    stored = json.loads(template)
    assert list(stored) == ["kind", "apiVersion", "metadata", "spec", "status"]
    assert stored["metadata"]["creationTimestamp"] is None
    assert stored["status"] == {"startedAt": None, "finishedAt": None}
    assert stored["spec"]["entrypoint"] == "addition-pipeline"
    command = stored["spec"]["templates"][0]["container"]["command"]
    assert command[3].startswith('def add(a, b):\n    """Adds & returns <sum>."""')


def test_a_v2_compatible_pipeline_is_named_in_its_pipeline_name_parameter(
    client: Client,
) -> None:
    pipeline = created(upload(client, COMPILED_V2_COMPATIBLE, "v2c.yaml", name="compat"))

    template = json.loads(client.get(f"{PIPELINES}/{pipeline['id']}/templates").json["template"])
    parameters = template["spec"]["arguments"]["parameters"]
    assert {"name": "pipeline-name", "value": "pipeline/compat"} in parameters
    assert all(set(p) <= {"name", "value"} for p in parameters)


def test_a_v2_spec_has_no_parameters_and_is_renamed(client: Client) -> None:
    pipeline = created(upload(client, V2_SPEC, "v2-hello-world.json"))

    assert "parameters" not in pipeline
    template = json.loads(client.get(f"{PIPELINES}/{pipeline['id']}/templates").json["template"])
    assert template["pipelineInfo"]["name"] == "pipeline/v2-hello-world.json"
    assert next(iter(template)) == "pipelineInfo"


@pytest.mark.parametrize(
    ("file_name", "content"),
    [
        (
            "pipeline.zip",
            zip_of({"component.yaml": COMPONENT_YAML, "pipeline.yaml": ARGUMENTS_YAML}),
        ),
        (
            "pipeline.tar.gz",
            tar_gz_of({"component.yaml": COMPONENT_YAML, "pipeline.yaml": ARGUMENTS_YAML}),
        ),
        ("any.pipeline", zip_of({"first.yml": ARGUMENTS_YAML, "second.txt": b"x"})),
        ("arguments.tgz", tar_gz_of({"arguments-parameters 2.pipeline.yaml": ARGUMENTS_YAML})),
        ("spec.zip", zip_of({"pipeline.yaml": V2_SPEC})),
    ],
    ids=["zip", "tar.gz", "first-entry", "tar-first-entry", "v2-in-archive"],
)
def test_archives_count_pipeline_yaml_or_else_their_first_entry(
    client: Client, file_name: str, content: bytes
) -> None:
    pipeline = created(upload(client, content, file_name))

    assert pipeline["name"] == file_name
    assert pipeline.get("parameters", []) in (ARGUMENTS, [])


def test_names_are_unique_and_errors_of_storing_are_500(client: Client) -> None:
    created(upload(client, ARGUMENTS_YAML, name="train"))

    assert_upload_error(
        upload(client, ARGUMENTS_YAML, name="train"),
        500,
        "Error creating pipeline: Create pipeline failed: Already exist error: Failed to create "
        "a new pipeline. The name train already exist. Please specify a new name.",
    )


def test_upload_version_by_pipeline_id(client: Client, emulator: Emulator) -> None:
    pipeline = created(upload(client, ARGUMENTS_YAML, name="train"))
    emulator.advance_clock(1)

    version = created(
        upload(
            client,
            COMPILED,
            "v2.yaml",
            path=UPLOAD_VERSION,
            name="v2",
            pipelineid=pipeline["id"],
            description="retrained",
        )
    )

    assert version["name"] == "v2"
    assert version["description"] == "retrained"
    assert version["created_at"] == "2022-03-01T10:00:01Z"
    assert version["resource_references"] == [
        {"key": {"type": "PIPELINE", "id": pipeline["id"]}, "relationship": "OWNER"}
    ]
    current = client.get(f"{PIPELINES}/{pipeline['id']}").json
    assert current["default_version"] == version
    assert current["parameters"] == ARGUMENTS  # frozen at creation
    # The first version is named like the pipeline, so that name is taken for versions too.
    assert_upload_error(
        upload(
            client, ARGUMENTS_YAML, path=UPLOAD_VERSION, name="train", pipelineid=pipeline["id"]
        ),
        500,
        "Error creating pipeline version: Create pipeline version failed: Already exist error: "
        "Failed to create a new pipeline version. The name train already exist. Please specify "
        "a new name.",
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "Please specify a pipeline id when creating versions."),
        (
            {"pipelineid": "nope"},
            "Failed to get namespace from pipelineId.: Failed to get namespace from Pipeline ID: "
            "ResourceNotFoundError: Pipeline nope not found.",
        ),
        (
            {"pipelineid": "nope", "name": "%zz"},
            "Invalid pipeline version name.: InvalidInputError: Pipeline name in the query string "
            'has invalid format.: invalid URL escape "%zz"',
        ),
    ],
    ids=["no-pipeline-id", "unknown-pipeline", "bad-name"],
)
def test_upload_version_errors(client: Client, query: dict[str, str], message: str) -> None:
    assert_upload_error(upload(client, ARGUMENTS_YAML, path=UPLOAD_VERSION, **query), 400, message)


@pytest.mark.parametrize(
    ("headers", "body", "message"),
    [
        (
            {"Content-Type": "multipart/form-data"},
            b"",
            "no multipart boundary param in Content-Type",
        ),
        (
            {"Content-Type": "multipart/form-data; boundary=zz"},
            b"no boundary here",
            "multipart: NextPart: EOF",
        ),
        (
            {"Content-Type": "multipart/form-data; boundary=b0und"},
            multipart(None, ARGUMENTS_YAML)[0],
            "http: no such file",
        ),
        (
            {"Content-Type": "multipart/form-data; boundary=b0und"},
            multipart("p.yaml", ARGUMENTS_YAML, field="file")[0],
            "http: no such file",
        ),
        (
            {"Content-Type": "multipart/form-data; boundary=b0und"},
            multipart("p.yaml", ARGUMENTS_YAML)[0][:-20],
            "unexpected EOF",
        ),
    ],
    ids=["no-boundary", "no-delimiter", "not-a-file", "other-field", "cut-short"],
)
def test_multipart_errors(
    client: Client, headers: dict[str, str], body: bytes, message: str
) -> None:
    reply = client.request("POST", UPLOAD, body, headers)
    assert_upload_error(reply, 400, f"Failed to read pipeline from file: {message}")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"name": "x" * 101},
            "Invalid pipeline name.: Invalid input error: Pipeline name too long. Support maximum "
            "length of 100",
        ),
        (
            {"name": "50%"},
            "Invalid pipeline name.: InvalidInputError: Pipeline name in the query string has "
            'invalid format.: invalid URL escape "%"',
        ),
        ({"description": "%zz"}, 'Error read pipeline description.: invalid URL escape "%zz"'),
        (
            {"namespace": "%g"},
            "Invalid pipeline namespace.: InvalidInputError: Pipeline namespace in the query "
            'string has invalid format.: invalid URL escape "%g"',
        ),
    ],
    ids=["long-name", "bad-name", "bad-description", "bad-namespace"],
)
def test_query_errors(client: Client, query: dict[str, str], message: str) -> None:
    assert_upload_error(upload(client, ARGUMENTS_YAML, **query), 400, message)


def test_a_file_name_over_100_bytes_is_refused_as_the_default_name(client: Client) -> None:
    reply = upload(client, ARGUMENTS_YAML, "p" * 100 + ".yaml")
    assert reply.status == 400
    assert "Pipeline name too long" in reply.json["error_message"]


def _zip_bomb() -> bytes:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("pipeline.yaml", b"#" * (40 * MiB))
    return raw.getvalue()


def _zip_bomb_lying_about_its_size() -> bytes:
    """A zip whose entry header claims 1 KiB while the data inflates to 40 MiB."""
    bomb = bytearray(_zip_bomb())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        position = bomb.find(signature)
        bomb[position + offset : position + offset + 4] = (1024).to_bytes(4, "little")
    return bytes(bomb)


def _tar_bomb() -> bytes:
    """A tar.gz of 70 MiB of zeros before its pipeline.yaml: the scan never gets there."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w|gz") as archive:
        info = tarfile.TarInfo("padding.bin")
        info.size = 70 * MiB
        archive.addfile(info, io.BytesIO(bytes(info.size)))
        pipeline = tarfile.TarInfo("pipeline.yaml")
        pipeline.size = len(ARGUMENTS_YAML)
        archive.addfile(pipeline, io.BytesIO(ARGUMENTS_YAML))
    return raw.getvalue()


def _alias_bomb() -> bytes:
    lines = [b'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        aliases = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{aliases}]".encode())
    return b"apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n" + b"\n".join(lines) + b"\n"


_VALID_ZIP = zip_of({"pipeline.yaml": ARGUMENTS_YAML})
_VALID_TAR = tar_gz_of({"pipeline.yaml": ARGUMENTS_YAML})
_DECOMPRESS = "Error read pipeline file.: Error decompress the pipeline file: "

HOSTILE = [
    pytest.param(
        "bomb.zip",
        _zip_bomb(),
        400,
        f"{_DECOMPRESS}Invalid input error: Error extracting pipeline from the zip file. The "
        "pipeline file is larger than 33554432 bytes when decompressed.",
        id="zip-bomb",
    ),
    pytest.param(
        "liar.zip",
        _zip_bomb_lying_about_its_size(),
        400,
        None,
        id="zip-bomb-with-false-sizes",
    ),
    pytest.param(
        "bomb.tar.gz",
        _tar_bomb(),
        400,
        f"{_DECOMPRESS}Invalid input error: Error extracting pipeline from the tarball file. The "
        "tarball is larger than 67108864 bytes when decompressed.",
        id="tar-bomb",
    ),
    pytest.param(
        "evil.zip",
        zip_of({"../../etc/evil.yaml": ARGUMENTS_YAML}),
        400,
        f"{_DECOMPRESS}Invalid input error: Error extracting pipeline from the zip file. Unsafe "
        "path of the pipeline file: ../../etc/evil.yaml",
        id="zip-path-traversal",
    ),
    pytest.param(
        "evil.tar.gz",
        tar_gz_of({"/etc/evil.yaml": ARGUMENTS_YAML}),
        400,
        f"{_DECOMPRESS}Invalid input error: Error extracting pipeline from the tarball file. "
        "Unsafe path of the pipeline file: /etc/evil.yaml",
        id="tar-absolute-path",
    ),
    pytest.param("component.yaml", COMPONENT_YAML, 500, UNKNOWN_FORMAT, id="not-a-pipeline"),
    pytest.param(
        "other.zip",
        zip_of({"non_yaml_file.foo": b"x"}),
        400,
        f"{_DECOMPRESS}Invalid input error: Error extracting pipeline from the zip file. "
        "Expecting a pipeline.yaml file inside the zip. Got: non_yaml_file.foo",
        id="zip-without-yaml",
    ),
    pytest.param(
        "cut.zip",
        _VALID_ZIP[: len(_VALID_ZIP) // 2],
        400,
        f"{_DECOMPRESS}InvalidInputError: Error extracting pipeline from the zip file. Not a valid "
        "zip file.: zip: not a valid zip file",
        id="truncated-zip",
    ),
    pytest.param("cut.tar.gz", _VALID_TAR[: len(_VALID_TAR) // 2], 400, None, id="truncated-tar"),
    pytest.param(
        "fake.zip",
        b"PK I pretended to be a zip file",
        400,
        f"{_DECOMPRESS}InvalidInputError: Error extracting pipeline from the zip file. Not a valid "
        "zip file.: zip: not a valid zip file",
        id="fake-zip",
    ),
    pytest.param("empty.tar.gz", b"", 400, UNEXPECTED_FORMAT, id="empty-file"),
    pytest.param("empty.yaml", b"", 500, UNKNOWN_FORMAT, id="empty-yaml"),
    pytest.param("plain.tar", b"I pretended to be a tarball", 400, UNEXPECTED_FORMAT, id="text"),
    pytest.param(
        "latin1.yaml",
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: caf\xe9}\n".encode(
            "latin-1"
        ),
        500,
        UNKNOWN_FORMAT,
        id="yaml-not-utf8",
    ),
    pytest.param("laughs.yaml", _alias_bomb(), 500, UNKNOWN_FORMAT, id="yaml-alias-bomb"),
    pytest.param(
        "deep.yaml",
        b"apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec: " + b"[" * 100_000,
        500,
        UNKNOWN_FORMAT,
        id="yaml-deeply-nested",
    ),
    pytest.param("huge.yaml", b"#" * (32 * MiB + 1), 400, TOO_LARGE, id="file-over-32-MiB"),
    pytest.param(
        "wrong.yaml",
        b"apiVersion: argoproj.io/v1beta1\nkind: Workflow\n",
        500,
        "Error creating pipeline: Create pipeline failed: Invalid input error: Unsupported argo "
        "version. Expected: argoproj.io/v1alpha1. Received: argoproj.io/v1beta1",
        id="argo-version",
    ),
]


@pytest.mark.parametrize(("file_name", "content", "status", "message"), HOSTILE)
def test_hostile_uploads_get_their_error_and_store_nothing(
    client: Client, file_name: str, content: bytes, status: int, message: str | None
) -> None:
    reply = upload(client, content, file_name)

    assert reply.status == status, reply.text
    assert reply.headers["Content-Type"] == "text/plain; charset=utf-8"
    if message is None:
        assert reply.json["error_message"].startswith(_DECOMPRESS), reply.text
    else:
        assert reply.json["error_message"] == message
        # The details start with the message; the emulator adds why, when it knows more.
        assert reply.json["error_details"].startswith(message)
    assert client.get(PIPELINES).json == {}
    assert created(upload(client, ARGUMENTS_YAML, name="still works"))["name"] == "still works"


def test_a_file_of_exactly_32_mib_is_accepted(client: Client) -> None:
    padding = 32 * MiB - len(ARGUMENTS_YAML) - 1
    content = ARGUMENTS_YAML + b"#" + b"x" * padding
    assert len(content) == 32 * MiB

    assert created(upload(client, content, "big.yaml"))["parameters"] == ARGUMENTS


def test_a_body_declaring_gigabytes_is_refused_unread(emulator: Emulator) -> None:
    head = (
        f"POST {UPLOAD} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
        f"Content-Length: {5 * 1024**3}\r\n\r\n--b\r\n"
    ).encode()

    answer = raw_exchange(emulator.url, head)

    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line == b"HTTP/1.1 400 Bad Request"
    assert b"Connection: close" in rest
    assert json.loads(rest.partition(b"\r\n\r\n")[2]) == upload_error(TOO_LARGE)
    client = Client(emulator.url)
    assert client.get(PIPELINES).json == {}
    client.close()


def test_a_chunked_body_over_the_limit_is_refused(emulator: Emulator) -> None:
    # Just past the limit, so that what the emulator leaves unread is little enough for it
    # to drain before closing (else the client could see a reset instead of the answer).
    chunk = b"x" * (64 << 10)
    head = (
        f"POST {UPLOAD}_version HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\n\r\n"
    ).encode()
    count = (33 * MiB) // len(chunk) + 1
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(count)) + b"0\r\n\r\n"

    answer = raw_exchange(emulator.url, head + body)

    assert answer.startswith(b"HTTP/1.1 400 Bad Request")
    assert b"Error read pipeline version file.: Error read pipeline file.:" in answer


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (_alias_bomb(), "yaml: line 10: document contains excessive aliasing"),
        (
            b"apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nx: caf\xe9\n",
            "yaml: invalid UTF-8 byte",
        ),
        (b"a:\n\tb: 1\n", "yaml: line 2: found a tab character where an indentation space is"),
        (COMPONENT_YAML, "neither an Argo Workflow (argoproj.io/*, kind Workflow) nor a v2"),
        (
            b'{"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "spec": '
            + b"[" * 900
            + b"]" * 900
            + b"}",
            "the file nests deeper than 200 levels",
        ),
    ],
    ids=["alias-bomb", "not-utf8", "tab", "component", "deep-json"],
)
def test_unknown_template_format_details_say_why(
    client: Client, content: bytes, reason: str
) -> None:
    reply = upload(client, content, "p.yaml")

    assert reply.status == 500
    message, _, why = reply.json["error_details"].partition("\n")
    assert message == UNKNOWN_FORMAT
    assert why.startswith(reason)
