"""What differs between KFP 1.8 and 2.x servers, without sockets: parameter values, error
bodies, release numbers, archive filters and request bodies without kept unknown keys."""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest

from kfp_server_api import ApiRun, ApiValue
from kfp_server_api._error_bodies import ServerError, parse_error_body
from kfp_server_api.exceptions import ApiException, ServerVersionError
from kfp_server_api.filters import archived, eq, not_archived
from kfp_server_api.model import DecodeError, decoder_for, encode, encode_known
from kfp_server_api.parameter_values import decode_parameters, plain_parameters, plain_value
from kfp_server_api.server_version import version_tuple

# -- parameter values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "plain"),
    [
        (ApiValue(int_value="-7"), -7),
        (ApiValue(double_value=0.25), 0.25),
        (ApiValue(string_value="a"), "a"),
        (ApiValue(), None),
        (0.25, 0.25),
        ([1, 2], [1, 2]),
        ({"a": 1}, {"a": 1}),
        (None, None),
    ],
)
def test_plain_value(value: Any, plain: Any) -> None:
    assert plain_value(value) == plain
    assert type(plain_value(value)) is type(plain)


def test_plain_parameters_copies_and_accepts_none() -> None:
    parameters = {"lr": ApiValue(double_value=0.1), "epochs": 3}
    assert plain_parameters(parameters) == {"lr": 0.1, "epochs": 3}
    assert parameters["lr"] == ApiValue(double_value=0.1)
    assert plain_parameters(None) == {}


def test_non_finite_doubles_of_the_1_8_server_stay_api_values() -> None:
    decoded = decode_parameters({"x": {"double_value": "NaN"}, "y": {"double_value": "fast"}})
    assert isinstance(decoded["x"], ApiValue)
    assert decoded["x"].double_value != decoded["x"].double_value  # NaN
    assert decoded["y"] == {"double_value": "fast"}


@pytest.mark.parametrize("data", [[1], "a", 3, True])
def test_parameters_must_be_an_object(data: Any) -> None:
    with pytest.raises(DecodeError) as caught:
        decoder_for("PipelineSpecRuntimeConfig")({"parameters": data})
    assert caught.value.path == "parameters"
    assert caught.value.expected == "an object (dict(str, ApiValue))"


def test_decoded_parameters_encode_back_unchanged() -> None:
    data = {"parameters": {"a": 1, "b": {"int_value": "2"}, "c": {"k": [None]}, "d": None}}
    config = decoder_for("PipelineSpecRuntimeConfig")(data)
    assert encode(config) == data  # a null parameter included
    assert config.to_dict()["parameters"]["b"] == {
        "int_value": "2",
        "double_value": None,
        "string_value": None,
    }


# -- error bodies -------------------------------------------------------------------------------

JSON = {"Content-Type": "application/json"}
TEXT = {"content-type": "text/plain; charset=utf-8"}

ERROR_BODIES = {
    "G2 without details": (
        {"code": 5, "message": "m"},
        404,
        JSON,
        ServerError("m", 5, "m", None, "m"),
    ),
    "G1 rpc status detail": (
        {"error": "e", "code": 5, "message": "e", "details": [{"code": 5, "message": "short"}]},
        404,
        JSON,
        ServerError("e", 5, "e", [{"code": 5, "message": "short"}], "short"),
    ),
    "G0 api.Error detail": (
        {"error": "e", "code": 3, "message": "e", "details": [{"error_message": "short"}]},
        400,
        JSON,
        ServerError("e", 3, "e", [{"error_message": "short"}], "short"),
    ),
    "detail that is not an object": (
        {"code": 5, "message": "m", "details": ["x"]},
        404,
        JSON,
        ServerError("m", 5, "m", ["x"], "m"),
    ),
    "upload without details": (
        {"error_message": "short"},
        500,
        JSON,
        ServerError("short", None, "short", [{"error_message": "short"}], "short"),
    ),
    "short plain text 4xx": (
        "Invalid input\n",
        400,
        TEXT,
        ServerError("Invalid input", None, "Invalid input", None, "Invalid input"),
    ),
    "plain text 5xx": ("busy", 503, TEXT, None),
    "plain text of several lines": ("a\nb", 400, TEXT, None),
    "long plain text": ("x" * 501, 400, TEXT, None),
    "HTML": ("<h1>no</h1>", 404, {"Content-Type": "text/html"}, None),
    "text without a type": ("Not Found", 404, {}, None),
    "other JSON": ({"unrelated": 1}, 400, JSON, None),
}


@pytest.mark.parametrize(
    ("body", "status", "headers", "expected"), ERROR_BODIES.values(), ids=ERROR_BODIES
)
def test_error_bodies(body: Any, status: int, headers: dict[str, str], expected: Any) -> None:
    text = body if isinstance(body, str) else json.dumps(body)
    assert parse_error_body(text, status, headers) == expected


def test_user_message_falls_back_to_the_full_text() -> None:
    error = ApiException(status=0, reason="refused")
    assert error.user_message == error.message == str(error)


def test_server_version_error_keeps_the_404() -> None:
    not_found = ApiException(status=404, reason="Not Found")
    not_found.body, not_found.headers = "Not Found", {"a": "b"}
    error = ServerVersionError(not_found, "call_x", "2.0.0", "1.8.5")
    assert (error.status, error.body, error.headers) == (404, "Not Found", {"a": "b"})
    assert error.message == "call_x needs a KFP API server 2.0.0 or later; this server is 1.8.5"
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is ServerVersionError
    assert (str(copy), copy.message, copy.server_version) == (str(error), error.message, "1.8.5")


# -- releases -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("2.17.0", (2, 17, 0)),
        ("v1.8.5", (1, 8, 5)),
        ("2.0.0-alpha.7", (2, 0, 0)),
        ("2", (2,)),
        ("dev", None),
        ("", None),
        (None, None),
    ],
)
def test_version_tuple(tag: str | None, expected: tuple[int, ...] | None) -> None:
    assert version_tuple(tag) == expected


# -- archive filters ----------------------------------------------------------------------------


def test_archive_filters_name_both_spellings() -> None:
    assert archived().to_dict() == {
        "predicates": [
            {
                "key": "storage_state",
                "op": "IN",
                "string_values": {"values": ["STORAGESTATE_ARCHIVED", "ARCHIVED"]},
            }
        ]
    }
    combined = not_archived() & eq("name", "a")
    assert [(p.op.name, p.value) for p in combined] == [
        ("NOT_EQUALS", "STORAGESTATE_ARCHIVED"),
        ("NOT_EQUALS", "ARCHIVED"),
        ("EQUALS", "a"),
    ]


# -- request bodies without kept unknown keys ---------------------------------------------------


def test_encode_known_drops_unknown_keys_at_every_level() -> None:
    data = {
        "name": "r",
        "extra": 1,
        "pipeline_spec": {"runtime_config": {"parameters": {"p": {"k": 1}}, "new": True}},
        "resource_references": [{"key": {"id": "e", "more": 2}}],
    }
    run = decoder_for("ApiRun")(data)
    assert encode(run) == data
    assert encode_known(run) == {
        "name": "r",
        "pipeline_spec": {"runtime_config": {"parameters": {"p": {"k": 1}}}},
        "resource_references": [{"key": {"id": "e"}}],
    }
    assert run.unknown_fields() == {"extra": 1}
    run.unknown_fields()["extra"] = 2
    assert run.unknown_fields() == {"extra": 1}
    assert ApiRun(name="x").unknown_fields() == {}
