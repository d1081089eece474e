"""The models and their JSON codec: the 1.8.5 surface, decoding, encoding, copying, import paths."""

from __future__ import annotations

import copy
import inspect
import json
import logging
import math
import pickle
import pprint
import re
import subprocess
import sys
import traceback
import typing
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any, Union

import pytest

from kfp_server_api import models
from kfp_server_api.model import (
    DecodeError,
    EnumModel,
    FieldInfo,
    Model,
    decoder_for,
    encode,
    resolve_model,
)
from kfp_server_api.models import (
    ApiListRunsResponse,
    ApiParameter,
    ApiPipelineSpec,
    ApiReadArtifactResponse,
    ApiRelationship,
    ApiResourceKey,
    ApiResourceReference,
    ApiResourceType,
    ApiRun,
    ApiRunDetail,
    ApiRunMetric,
    ApiRunStorageState,
    ApiValue,
    PipelineSpecRuntimeConfig,
    ProtobufAny,
    RunMetricFormat,
)
from kfp_server_api.parameter_values import ParameterValue

# The fields of every model in kfp-server-api 1.8.5, in constructor order, with their
# openapi_types strings. attribute_map maps each name to itself.
FIELDS_1_8_5: dict[str, list[tuple[str, str]]] = {
    "ApiRun": [
        ("id", "str"),
        ("name", "str"),
        ("storage_state", "ApiRunStorageState"),
        ("description", "str"),
        ("pipeline_spec", "ApiPipelineSpec"),
        ("resource_references", "list[ApiResourceReference]"),
        ("service_account", "str"),
        ("created_at", "datetime"),
        ("scheduled_at", "datetime"),
        ("finished_at", "datetime"),
        ("status", "str"),
        ("error", "str"),
        ("metrics", "list[ApiRunMetric]"),
    ],
    "ApiRunDetail": [("run", "ApiRun"), ("pipeline_runtime", "ApiPipelineRuntime")],
    "ApiListRunsResponse": [
        ("runs", "list[ApiRun]"),
        ("total_size", "int"),
        ("next_page_token", "str"),
    ],
    "ApiPipelineSpec": [
        ("pipeline_id", "str"),
        ("pipeline_name", "str"),
        ("workflow_manifest", "str"),
        ("pipeline_manifest", "str"),
        ("parameters", "list[ApiParameter]"),
        ("runtime_config", "PipelineSpecRuntimeConfig"),
    ],
    "ApiParameter": [("name", "str"), ("value", "str")],
    "PipelineSpecRuntimeConfig": [("parameters", "dict(str, ApiValue)"), ("pipeline_root", "str")],
    "ApiValue": [("int_value", "str"), ("double_value", "float"), ("string_value", "str")],
    "ApiResourceReference": [
        ("key", "ApiResourceKey"),
        ("name", "str"),
        ("relationship", "ApiRelationship"),
    ],
    "ApiResourceKey": [("type", "ApiResourceType"), ("id", "str")],
    "ApiPipelineRuntime": [("pipeline_manifest", "str"), ("workflow_manifest", "str")],
    "ApiRunMetric": [
        ("name", "str"),
        ("node_id", "str"),
        ("number_value", "float"),
        ("format", "RunMetricFormat"),
    ],
    "ApiReadArtifactResponse": [("data", "str")],
    "ApiReportRunMetricsRequest": [("run_id", "str"), ("metrics", "list[ApiRunMetric]")],
    "ApiReportRunMetricsResponse": [
        ("results", "list[ReportRunMetricsResponseReportRunMetricResult]")
    ],
    "ReportRunMetricsResponseReportRunMetricResult": [
        ("metric_name", "str"),
        ("metric_node_id", "str"),
        ("status", "ReportRunMetricsResponseReportRunMetricResultStatus"),
        ("message", "str"),
    ],
    "ApiStatus": [("error", "str"), ("code", "int"), ("details", "list[ProtobufAny]")],
    "ProtobufAny": [("type_url", "str"), ("value", "str")],
    "ApiCronSchedule": [("start_time", "datetime"), ("end_time", "datetime"), ("cron", "str")],
    "ApiJob": [
        ("id", "str"),
        ("name", "str"),
        ("description", "str"),
        ("pipeline_spec", "ApiPipelineSpec"),
        ("resource_references", "list[ApiResourceReference]"),
        ("service_account", "str"),
        ("max_concurrency", "str"),
        ("trigger", "ApiTrigger"),
        ("mode", "JobMode"),
        ("created_at", "datetime"),
        ("updated_at", "datetime"),
        ("status", "str"),
        ("error", "str"),
        ("enabled", "bool"),
        ("no_catchup", "bool"),
    ],
    "ApiListJobsResponse": [
        ("jobs", "list[ApiJob]"),
        ("total_size", "int"),
        ("next_page_token", "str"),
    ],
    "ApiPeriodicSchedule": [
        ("start_time", "datetime"),
        ("end_time", "datetime"),
        ("interval_second", "str"),
    ],
    "ApiTrigger": [
        ("cron_schedule", "ApiCronSchedule"),
        ("periodic_schedule", "ApiPeriodicSchedule"),
    ],
    "ApiExperiment": [
        ("id", "str"),
        ("name", "str"),
        ("description", "str"),
        ("created_at", "datetime"),
        ("resource_references", "list[ApiResourceReference]"),
        ("storage_state", "ApiExperimentStorageState"),
    ],
    "ApiListExperimentsResponse": [
        ("experiments", "list[ApiExperiment]"),
        ("total_size", "int"),
        ("next_page_token", "str"),
    ],
    "ApiGetTemplateResponse": [("template", "str")],
    "ApiListPipelineVersionsResponse": [
        ("versions", "list[ApiPipelineVersion]"),
        ("next_page_token", "str"),
        ("total_size", "int"),
    ],
    "ApiListPipelinesResponse": [
        ("pipelines", "list[ApiPipeline]"),
        ("total_size", "int"),
        ("next_page_token", "str"),
    ],
    "ApiPipeline": [
        ("id", "str"),
        ("created_at", "datetime"),
        ("name", "str"),
        ("description", "str"),
        ("parameters", "list[ApiParameter]"),
        ("url", "ApiUrl"),
        ("error", "str"),
        ("default_version", "ApiPipelineVersion"),
        ("resource_references", "list[ApiResourceReference]"),
    ],
    "ApiPipelineVersion": [
        ("id", "str"),
        ("name", "str"),
        ("created_at", "datetime"),
        ("parameters", "list[ApiParameter]"),
        ("code_source_url", "str"),
        ("package_url", "ApiUrl"),
        ("resource_references", "list[ApiResourceReference]"),
        ("description", "str"),
    ],
    "ApiUrl": [("pipeline_url", "str")],
    "ApiGetHealthzResponse": [("multi_user", "bool")],
}

ENUMS_1_8_5: dict[str, dict[str, str]] = {
    "ApiResourceType": {
        "UNKNOWN_RESOURCE_TYPE": "UNKNOWN_RESOURCE_TYPE",
        "EXPERIMENT": "EXPERIMENT",
        "JOB": "JOB",
        "PIPELINE": "PIPELINE",
        "PIPELINE_VERSION": "PIPELINE_VERSION",
        "NAMESPACE": "NAMESPACE",
    },
    "ApiRelationship": {
        "UNKNOWN_RELATIONSHIP": "UNKNOWN_RELATIONSHIP",
        "OWNER": "OWNER",
        "CREATOR": "CREATOR",
    },
    "ApiRunStorageState": {
        "AVAILABLE": "STORAGESTATE_AVAILABLE",
        "ARCHIVED": "STORAGESTATE_ARCHIVED",
    },
    "RunMetricFormat": {"UNSPECIFIED": "UNSPECIFIED", "RAW": "RAW", "PERCENTAGE": "PERCENTAGE"},
    "ReportRunMetricsResponseReportRunMetricResultStatus": {
        "UNSPECIFIED": "UNSPECIFIED",
        "OK": "OK",
        "INVALID_ARGUMENT": "INVALID_ARGUMENT",
        "DUPLICATE_REPORTING": "DUPLICATE_REPORTING",
        "INTERNAL_ERROR": "INTERNAL_ERROR",
    },
    "ApiExperimentStorageState": {
        "UNSPECIFIED": "STORAGESTATE_UNSPECIFIED",
        "AVAILABLE": "STORAGESTATE_AVAILABLE",
        "ARCHIVED": "STORAGESTATE_ARCHIVED",
    },
    "JobMode": {"UNKNOWN_MODE": "UNKNOWN_MODE", "ENABLED": "ENABLED", "DISABLED": "DISABLED"},
}

RUN_SERVICE_MODELS = [
    "ApiRun",
    "ApiRunDetail",
    "ApiListRunsResponse",
    "ApiPipelineSpec",
    "ApiParameter",
    "PipelineSpecRuntimeConfig",
    "ApiValue",
    "ApiResourceReference",
    "ApiResourceKey",
    "ApiResourceType",
    "ApiRelationship",
    "ApiRunStorageState",
    "ApiPipelineRuntime",
    "ApiRunMetric",
    "RunMetricFormat",
    "ApiReadArtifactResponse",
    "ApiReportRunMetricsRequest",
    "ApiReportRunMetricsResponse",
    "ReportRunMetricsResponseReportRunMetricResult",
    "ReportRunMetricsResponseReportRunMetricResultStatus",
    "ApiStatus",
    "ProtobufAny",
]

# A get_run response as the KFP API server writes it: zero values left out (no storage_state
# for an available run, no description), enums as names, int64 as strings, "NaN" for a NaN.
RUN_DETAIL_JSON: dict[str, Any] = {
    "run": {
        "id": "8a1c1e3e-1d5f-4c1e-9f57-4b1c2f0b6a11",
        "name": "nightly-training",
        "pipeline_spec": {
            "pipeline_id": "p-1",
            "pipeline_name": "xgboost-trainer",
            "workflow_manifest": '{"kind":"Workflow"}',
            "parameters": [{"name": "learning-rate", "value": "0.1"}, {"name": "empty"}],
            "runtime_config": {
                "parameters": {
                    "epochs": {"int_value": "9007199254740993"},
                    "rate": {"double_value": 0.5},
                    "model": {"string_value": "m"},
                },
                "pipeline_root": "gs://bucket/root",
            },
        },
        "resource_references": [
            {
                "key": {"type": "EXPERIMENT", "id": "e-1"},
                "name": "Default",
                "relationship": "OWNER",
            },
            {"key": {"type": "PIPELINE_VERSION", "id": "v-1"}, "relationship": "CREATOR"},
        ],
        "service_account": "pipeline-runner",
        "created_at": "2022-03-01T08:00:00Z",
        "scheduled_at": "2022-03-01T08:00:05Z",
        "finished_at": "1970-01-01T00:00:00Z",
        "status": "Running",
        "metrics": [
            {"name": "accuracy", "node_id": "n-1", "number_value": 0.88, "format": "PERCENTAGE"},
            {"name": "loss", "node_id": "n-1", "number_value": "NaN"},
            {"name": "zero", "node_id": "n-2", "number_value": 0},
        ],
    },
    "pipeline_runtime": {"workflow_manifest": '{"status":{}}'},
}

UTC = timezone.utc


def _model_names() -> list[str]:
    return [name for name in models.__all__ if not issubclass(resolve_model(name), EnumModel)]


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# --- the 1.8.5 surface ---------------------------------------------------------------------------


def test_every_1_8_5_model_and_enum_is_exported() -> None:
    assert sorted(models.__all__) == sorted([*FIELDS_1_8_5, *ENUMS_1_8_5])
    assert set(RUN_SERVICE_MODELS) <= set(models.__all__)


@pytest.mark.parametrize("name", sorted(FIELDS_1_8_5))
def test_openapi_types_and_attribute_map_match_1_8_5(name: str) -> None:
    cls = resolve_model(name)
    expected = FIELDS_1_8_5[name]
    assert list(cls.openapi_types.items()) == expected
    assert cls.attribute_map == {field: field for field, _ in expected}
    assert list(cls.attribute_map) == [field for field, _ in expected]
    assert cls.discriminator is None


@pytest.mark.parametrize("name", sorted(FIELDS_1_8_5))
def test_constructor_signature_lists_fields_in_order(name: str) -> None:
    cls = resolve_model(name)
    parameters = inspect.signature(cls).parameters
    assert list(parameters) == [field for field, _ in FIELDS_1_8_5[name]] + [
        "local_vars_configuration"
    ]
    for parameter in parameters.values():
        assert parameter.default is None
        assert parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD


def test_positional_arguments_fill_fields_in_constructor_order() -> None:
    run = ApiRun("id-1", "name-1", ApiRunStorageState.ARCHIVED, "about")
    assert (run.id, run.name, run.storage_state, run.description) == (
        "id-1",
        "name-1",
        "STORAGESTATE_ARCHIVED",
        "about",
    )
    assert run.metrics is None
    assert ApiParameter("p", "v") == ApiParameter(name="p", value="v")


def test_constructor_rejects_bad_arguments_like_a_python_function() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'nme'"):
        ApiRun(nme="x")
    with pytest.raises(TypeError, match="multiple values for argument 'name'"):
        ApiParameter("a", name="b")
    with pytest.raises(TypeError, match="at most 3 positional arguments"):
        ApiParameter("a", "b", None, "extra")


def test_local_vars_configuration_is_accepted_and_not_a_field() -> None:
    configuration = SimpleNamespace(client_side_validation=True)
    parameter = ApiParameter(name="a", local_vars_configuration=configuration)
    assert parameter.local_vars_configuration is configuration
    assert ApiParameter().local_vars_configuration is None
    assert parameter.to_dict() == {"name": "a", "value": None}
    assert parameter == ApiParameter(name="a")
    positional = ApiParameter("a", "b", configuration)
    assert positional.local_vars_configuration is configuration


@pytest.mark.parametrize("name", sorted(ENUMS_1_8_5))
def test_enum_classes_carry_their_1_8_5_constants(name: str) -> None:
    cls = resolve_model(name)
    assert issubclass(cls, EnumModel)
    constants = ENUMS_1_8_5[name]
    for constant, value in constants.items():
        assert getattr(cls, constant) == value
    assert cls.allowable_values == list(constants.values())
    assert cls.openapi_types == {}
    assert cls.attribute_map == {}
    assert cls.discriminator is None
    instance = cls()
    assert instance.to_dict() == {}
    assert instance == cls()
    assert list(inspect.signature(cls).parameters) == ["local_vars_configuration"]


def test_enum_instances_of_different_classes_are_not_equal() -> None:
    assert RunMetricFormat() != ApiRunStorageState()
    assert not RunMetricFormat().__eq__(ApiRunStorageState())


# --- to_dict, to_str, repr, equality --------------------------------------------------------------


def _sample_run() -> ApiRun:
    return ApiRun(
        id="r-1",
        name="run",
        pipeline_spec=ApiPipelineSpec(
            parameters=[ApiParameter(name="a", value="1")],
            runtime_config=PipelineSpecRuntimeConfig(parameters={"x": ApiValue(int_value="3")}),
        ),
        resource_references=[
            ApiResourceReference(
                key=ApiResourceKey(type=ApiResourceType.EXPERIMENT, id="e"),
                relationship=ApiRelationship.OWNER,
            )
        ],
        created_at=datetime(2022, 3, 1, tzinfo=UTC),
        metrics=[],
    )


def test_to_dict_uses_attribute_names_keeps_none_and_recurses() -> None:
    result = _sample_run().to_dict()
    assert list(result) == [field for field, _ in FIELDS_1_8_5["ApiRun"]]
    assert result["description"] is None
    assert result["metrics"] == []
    assert result["created_at"] == datetime(2022, 3, 1, tzinfo=UTC)
    assert result["pipeline_spec"] == {
        "pipeline_id": None,
        "pipeline_name": None,
        "workflow_manifest": None,
        "pipeline_manifest": None,
        "parameters": [{"name": "a", "value": "1"}],
        "runtime_config": {
            "parameters": {"x": {"int_value": "3", "double_value": None, "string_value": None}},
            "pipeline_root": None,
        },
    }
    assert result["resource_references"] == [
        {
            "key": {"type": "EXPERIMENT", "id": "e"},
            "name": None,
            "relationship": "OWNER",
        }
    ]


def test_to_str_and_repr_pretty_print_to_dict() -> None:
    run = _sample_run()
    assert run.to_str() == pprint.pformat(run.to_dict())
    assert repr(run) == run.to_str()


def test_equality_compares_to_dict_within_one_class() -> None:
    assert _sample_run() == _sample_run()
    assert not _sample_run().__ne__(_sample_run())
    changed = _sample_run()
    changed.pipeline_spec.parameters[0].value = "2"
    assert changed != _sample_run()
    assert not changed.__eq__(_sample_run())
    assert ApiParameter(name="a") != {"name": "a", "value": None}
    assert ApiParameter(name="a") != ApiResourceKey(id="a")


def test_models_are_mutable_and_unhashable() -> None:
    run = ApiRun()
    run.name = "renamed"
    run.metrics = [ApiRunMetric(name="m")]
    assert run.to_dict()["name"] == "renamed"
    with pytest.raises(TypeError):
        hash(run)


def test_field_metadata_is_available_at_run_time() -> None:
    fields = ApiRunMetric.model_fields()
    assert [info.name for info in fields] == ["name", "node_id", "number_value", "format"]
    assert fields[3] == FieldInfo("format", "format", "RunMetricFormat", fields[3].description)
    assert ApiRunMetric.number_value == fields[2]  # class access gives the field's info


@pytest.mark.parametrize("name", sorted(FIELDS_1_8_5))
def test_declarations_are_documented_and_annotations_agree_with_types(name: str) -> None:
    cls = resolve_model(name)
    assert (cls.__doc__ or "").strip()
    annotations = vars(cls)["__annotations__"]
    for info in cls.model_fields():
        assert info.description.strip()
        assert "\n" not in info.description
        expected = WIDER_ANNOTATIONS.get(f"{name}.{info.name}", _python_annotation(info.type_name))
        assert annotations[info.name] == f"{expected} | None"


# Fields whose values may be more than their 1.8.5 type says (what KFP 2.x servers send).
WIDER_ANNOTATIONS = {"PipelineSpecRuntimeConfig.parameters": "dict[str, ParameterValue]"}
WIDER_TYPES: dict[str, Any] = {
    "PipelineSpecRuntimeConfig.parameters": dict[
        str, Union[ApiValue, bool, int, float, str, list[Any], dict[str, Any], None]
    ]
}


def _python_annotation(type_name: str) -> str:
    inner = re.fullmatch(r"list\[(.+)\]", type_name)
    if inner:
        return f"list[{_python_annotation(inner.group(1))}]"
    inner = re.fullmatch(r"dict\(str, (.+)\)", type_name)
    if inner:
        return f"dict[str, {_python_annotation(inner.group(1))}]"
    if type_name in ENUMS_1_8_5:
        return "str"
    return type_name


def _runtime_type(type_name: str) -> Any:
    """The Python type a field of this 1.8.5 type string holds."""
    inner = re.fullmatch(r"list\[(.+)\]", type_name)
    if inner:
        return list[_runtime_type(inner.group(1))]
    inner = re.fullmatch(r"dict\(str, (.+)\)", type_name)
    if inner:
        return dict[str, _runtime_type(inner.group(1))]
    simple = {"str": str, "int": int, "float": float, "bool": bool, "datetime": datetime}
    if type_name in simple:
        return simple[type_name]
    return str if type_name in ENUMS_1_8_5 else resolve_model(type_name)


@pytest.mark.skipif(sys.version_info < (3, 10), reason="`X | None` evaluates from Python 3.10 on")
@pytest.mark.parametrize("name", sorted(FIELDS_1_8_5))
def test_annotations_evaluate_to_the_types_of_the_1_8_5_type_strings(name: str) -> None:
    # What a type checker sees (the annotation, evaluated) against what 1.8.5 declares
    # (openapi_types, pinned in FIELDS_1_8_5) and what the decoder produces.
    cls = resolve_model(name)
    names = {model: resolve_model(model) for model in FIELDS_1_8_5}
    localns = {**names, "datetime": datetime, "ParameterValue": ParameterValue}
    hints = typing.get_type_hints(cls, localns=localns)
    for field_name, type_name in FIELDS_1_8_5[name]:
        assert cls.openapi_types[field_name] == type_name
        expected = WIDER_TYPES.get(f"{name}.{field_name}") or _runtime_type(type_name)
        assert hints[field_name] == typing.Optional[expected], field_name


def test_a_traceback_through_a_decoder_shows_the_generated_line() -> None:
    decode = decoder_for("ApiRunMetric")
    with pytest.raises(DecodeError) as caught:
        decode({"name": "accuracy", "number_value": [0.5]})

    text = "".join(traceback.format_exception(caught.type, caught.value, caught.tb))
    assert 'File "<ApiRunMetric decoder>", line ' in text
    assert "values['number_value'] = convert_2(value)" in text
    assert "def decode(data):" in inspect.getsource(decode)  # what debuggers show


def test_annotated_attribute_without_field_is_rejected() -> None:
    with pytest.raises(TypeError, match=r"Broken\.name is annotated but not declared"):

        class Broken(Model):
            name: str | None = None


def test_building_models_has_no_side_effects(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(logging.Logger, "setLevel", lambda *args: calls.append(args))
    monkeypatch.setattr(logging.Logger, "addHandler", lambda *args: calls.append(args))
    _sample_run()
    decoder_for("ApiRunDetail")(RUN_DETAIL_JSON)
    assert calls == []


# --- base64 validation -------------------------------------------------------------------------

VALID_BASE64 = ["", "QUJD", "QUI=", "QQ==", "SGVsbG8sIHdvcmxkIQ=="]
INVALID_BASE64 = ["abc", "QUJ", "Q===", "QU=D", "not base64!", "QUJD-_"]


@pytest.mark.parametrize("value", VALID_BASE64)
def test_base64_fields_accept_valid_values(value: str) -> None:
    assert ApiReadArtifactResponse(data=value).data == value
    any_value = ProtobufAny(type_url="t", value=value)
    any_value.value = value
    assert any_value.value == value


@pytest.mark.parametrize("value", INVALID_BASE64)
def test_base64_fields_reject_invalid_values_on_construction_and_assignment(value: str) -> None:
    with pytest.raises(ValueError, match="Invalid value for `data`"):
        ApiReadArtifactResponse(data=value)
    with pytest.raises(ValueError, match="Invalid value for `value`"):
        ProtobufAny(value=value)
    response = ApiReadArtifactResponse(data="QUJD")
    with pytest.raises(ValueError, match="Invalid value for `data`"):
        response.data = value
    assert response.data == "QUJD"


def test_base64_fields_accept_none() -> None:
    response = ApiReadArtifactResponse(data=None)
    response.data = None
    assert response.to_dict() == {"data": None}


def _configurations_without_validation() -> list[Any]:
    namespace = SimpleNamespace(client_side_validation=False)
    try:
        from kfp_server_api.configuration import Configuration
    except ImportError:
        return [namespace]
    configuration = Configuration()
    configuration.client_side_validation = False
    return [namespace, configuration]


@pytest.mark.parametrize("configuration", _configurations_without_validation())
def test_base64_validation_can_be_turned_off(configuration: Any) -> None:
    response = ApiReadArtifactResponse(data="abc", local_vars_configuration=configuration)
    response.data = "still not base64"
    assert response.data == "still not base64"
    assert ProtobufAny(value="%%", local_vars_configuration=configuration).value == "%%"


def test_base64_is_checked_when_decoding() -> None:
    decode = decoder_for("ApiReadArtifactResponse")
    assert decode({"data": "QUJD"}).data == "QUJD"
    with pytest.raises(DecodeError) as caught:
        decode({"data": "abc"})
    assert caught.value.path == "data"
    with pytest.raises(DecodeError) as caught:
        decoder_for("ApiStatus")({"details": [{"type_url": "t", "value": "!"}]})
    assert caught.value.path == "details[0].value"


# --- decoding ------------------------------------------------------------------------------------


def test_decodes_a_realistic_get_run_response() -> None:
    detail = decoder_for("ApiRunDetail")(json.loads(json.dumps(RUN_DETAIL_JSON)))
    assert isinstance(detail, ApiRunDetail)
    run = detail.run
    assert isinstance(run, ApiRun)
    assert run.id == "8a1c1e3e-1d5f-4c1e-9f57-4b1c2f0b6a11"
    assert run.storage_state is None  # left out by the server for available runs
    assert run.description is None
    assert run.error is None
    assert run.created_at == datetime(2022, 3, 1, 8, 0, 0, tzinfo=UTC)
    assert run.finished_at == datetime(1970, 1, 1, tzinfo=UTC)
    spec = run.pipeline_spec
    assert isinstance(spec, ApiPipelineSpec)
    assert spec.parameters == [
        ApiParameter(name="learning-rate", value="0.1"),
        ApiParameter(name="empty"),
    ]
    runtime = spec.runtime_config
    assert isinstance(runtime, PipelineSpecRuntimeConfig)
    assert runtime.parameters == {
        "epochs": ApiValue(int_value="9007199254740993"),
        "rate": ApiValue(double_value=0.5),
        "model": ApiValue(string_value="m"),
    }
    references = run.resource_references
    assert references is not None
    assert references[0].key == ApiResourceKey(type="EXPERIMENT", id="e-1")
    assert references[0].key.type == ApiResourceType.EXPERIMENT
    assert type(references[0].relationship) is str
    assert references[1].name is None
    metrics = run.metrics
    assert metrics is not None
    assert metrics[0].number_value == 0.88
    assert metrics[0].format == RunMetricFormat.PERCENTAGE
    assert metrics[1].number_value is not None
    assert math.isnan(metrics[1].number_value)
    assert metrics[2].number_value == 0.0
    assert type(metrics[2].number_value) is float
    assert detail.pipeline_runtime.workflow_manifest == '{"status":{}}'


def test_decodes_an_empty_list_response() -> None:
    response = decoder_for("ApiListRunsResponse")({})
    assert response == ApiListRunsResponse()
    assert response.runs is None
    assert response.total_size is None


def test_storage_state_and_unknown_enum_values_pass_through_as_strings() -> None:
    run = decoder_for("ApiRun")({"storage_state": "STORAGESTATE_ARCHIVED"})
    assert run.storage_state == ApiRunStorageState.ARCHIVED
    key = decoder_for("ApiResourceKey")({"type": "SOMETHING_NEW", "id": "x"})
    assert key.type == "SOMETHING_NEW"
    assert decoder_for("ApiResourceType")("JOB") == "JOB"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-03-01T08:00:00Z", datetime(2022, 3, 1, 8, tzinfo=UTC)),
        ("2022-03-01T08:00:00.123Z", datetime(2022, 3, 1, 8, 0, 0, 123000, tzinfo=UTC)),
        ("2022-03-01T08:00:00.123456Z", datetime(2022, 3, 1, 8, 0, 0, 123456, tzinfo=UTC)),
        ("2022-03-01T08:00:00.123456789Z", datetime(2022, 3, 1, 8, 0, 0, 123456, tzinfo=UTC)),
        ("2022-03-01t08:00:00z", datetime(2022, 3, 1, 8, tzinfo=UTC)),
        (
            "2022-03-01T08:00:00+05:30",
            datetime(2022, 3, 1, 8, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        ),
        (
            "2022-03-01T08:00:00.5-08:00",
            datetime(2022, 3, 1, 8, 0, 0, 500000, tzinfo=timezone(timedelta(hours=-8))),
        ),
        ("2022-03-01T08:00:00", datetime(2022, 3, 1, 8)),
        ("1 March 2022 08:00 UTC", datetime(2022, 3, 1, 8, tzinfo=UTC)),
    ],
)
def test_decodes_datetimes(text: str, expected: datetime) -> None:
    value = decoder_for("ApiRun")({"created_at": text}).created_at
    assert value == expected
    assert (value.utcoffset() is None) == (expected.utcoffset() is None)
    assert decoder_for("datetime")(text) == expected


def test_primitive_conversions_are_as_lenient_as_1_8_5() -> None:
    run = decoder_for("ApiRun")({"id": 42, "name": 1.5, "status": True})
    assert (run.id, run.name, run.status) == ("42", "1.5", "True")
    metric = decoder_for("ApiRunMetric")({"number_value": "Infinity"})
    assert metric.number_value == math.inf
    assert decoder_for("ApiRunMetric")({"number_value": "-Infinity"}).number_value == -math.inf
    assert decoder_for("ApiRunMetric")({"number_value": 3}).number_value == 3.0
    assert decoder_for("ApiRunMetric")({"number_value": "2.5"}).number_value == 2.5
    assert decoder_for("ApiListRunsResponse")({"total_size": "12"}).total_size == 12
    assert decoder_for("ApiListRunsResponse")({"total_size": 12.0}).total_size == 12
    assert decoder_for("ApiGetHealthzResponse")({"multi_user": "true"}).multi_user is True
    assert decoder_for("ApiGetHealthzResponse")({"multi_user": 0}).multi_user is False
    assert decoder_for("date")("2022-03-01") == date(2022, 3, 1)
    assert decoder_for("int")("7") == 7
    assert decoder_for("dict(str, int)")({"a": 1, "b": "2"}) == {"a": 1, "b": 2}
    assert decoder_for("list[str]")(["a", 1, None]) == ["a", "1", None]


def test_json_null_gives_none_everywhere() -> None:
    run = decoder_for("ApiRun")({"id": None, "pipeline_spec": None, "metrics": None})
    assert run == ApiRun()
    assert decoder_for("ApiRunDetail")(None) is None
    assert decoder_for("list[ApiRun]")([None]) == [None]
    assert decoder_for("str")(None) is None


def test_object_values_are_returned_unchanged() -> None:
    value: dict[str, Any] = {"nested": [1, {"a": None}]}
    assert decoder_for("object")(value) is value
    assert decoder_for("object")("text") == "text"


def test_decoders_are_built_once_per_type() -> None:
    assert decoder_for("ApiRun") is decoder_for("ApiRun")
    assert decoder_for("list[ApiRun]") is decoder_for("list[ApiRun]")


def test_unknown_type_names_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown model type name 'NoSuchModel'"):
        decoder_for("NoSuchModel")
    with pytest.raises(ValueError, match="unknown model type name"):
        decoder_for("list[NoSuchModel]")
    with pytest.raises(ValueError, match="unknown model type name"):
        resolve_model("api_run")


@pytest.mark.parametrize(
    ("type_name", "data", "path", "expected", "got"),
    [
        ("ApiRunDetail", [], "", "an object (ApiRunDetail)", "an array"),
        ("ApiRunDetail", "oops", "", "an object (ApiRunDetail)", "the string 'oops'"),
        ("ApiListRunsResponse", {"runs": {}}, "runs", "an array (list[ApiRun])", "an object"),
        ("ApiRunDetail", {"run": {"pipeline_spec": "x"}}, "run.pipeline_spec", "an object", "the"),
        (
            "ApiRunDetail",
            {"run": {"metrics": [{"name": "a"}, {"number_value": []}]}},
            "run.metrics[1].number_value",
            "a number",
            "an array",
        ),
        (
            "ApiListRunsResponse",
            {"runs": [{}, {}, {"created_at": "yesterday"}]},
            "runs[2].created_at",
            "an RFC 3339 date-time string",
            "the string 'yesterday'",
        ),
        (
            "ApiPipelineSpec",
            {"runtime_config": {"parameters": ["lr", 0.1]}},
            "runtime_config.parameters",
            "an object (dict(str, ApiValue))",
            "an array",
        ),
        ("ApiRun", {"name": {"a": 1}}, "name", "a string", "an object"),
        ("ApiRun", {"storage_state": ["x"]}, "storage_state", "a string", "an array"),
        ("ApiListRunsResponse", {"total_size": "many"}, "total_size", "an integer", "'many'"),
        ("ApiListRunsResponse", {"total_size": 1.5}, "total_size", "an integer", "1.5"),
        ("ApiGetHealthzResponse", {"multi_user": "yes"}, "multi_user", "a boolean", "'yes'"),
        ("ApiRun", {"created_at": 1646121600}, "created_at", "date-time", "the number"),
        ("list[ApiRun]", [{}, 3], "[1]", "an object (ApiRun)", "the number 3"),
    ],
)
def test_wrong_shapes_raise_decode_error_with_path(
    type_name: str, data: Any, path: str, expected: str, got: str
) -> None:
    with pytest.raises(DecodeError) as caught:
        decoder_for(type_name)(data)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.path == path
    assert expected in error.expected
    assert got in error.got
    message = str(error)
    assert message.startswith(f"expected {error.expected}")
    assert message.endswith(f"got {error.got}")
    if path:
        assert f" at {path}," in message


def test_decode_error_survives_pickling() -> None:
    with pytest.raises(DecodeError) as caught:
        decoder_for("ApiListRunsResponse")({"runs": [{"metrics": [{"number_value": {}}]}]})
    restored = pickle.loads(pickle.dumps(caught.value))
    assert restored.path == "runs[0].metrics[0].number_value"
    assert str(restored) == str(caught.value)


def test_decode_error_shortens_long_strings() -> None:
    with pytest.raises(DecodeError) as caught:
        decoder_for("ApiRun")({"created_at": "x" * 500})
    assert len(str(caught.value)) < 150


# --- unknown keys --------------------------------------------------------------------------------


def test_unknown_keys_are_ignored_by_to_dict_and_equality_but_kept_by_encode() -> None:
    data = {
        "id": "r",
        "namespace": "kubeflow",
        "pipeline_spec": {"pipeline_id": "p", "future": {"deep": [1, 2]}},
        "metrics": [{"name": "m", "number_value": 1, "unit": "s"}],
    }
    run = decoder_for("ApiRun")(data)
    assert "namespace" not in run.to_dict()
    assert run == ApiRun(
        id="r",
        pipeline_spec=ApiPipelineSpec(pipeline_id="p"),
        metrics=[ApiRunMetric(name="m", number_value=1.0)],
    )
    assert encode(run) == data
    run.id = "changed"
    assert encode(run)["namespace"] == "kubeflow"


def test_realistic_response_survives_decode_then_encode() -> None:
    detail = decoder_for("ApiRunDetail")(RUN_DETAIL_JSON)
    encoded = encode(detail)
    # "NaN" comes back as a float NaN; everything else is byte-for-byte the same JSON.
    nan = encoded["run"]["metrics"][1].pop("number_value")
    assert math.isnan(nan)
    expected = copy.deepcopy(RUN_DETAIL_JSON)
    del expected["run"]["metrics"][1]["number_value"]
    expected["run"]["metrics"][2]["number_value"] = 0.0
    assert encoded == expected


# --- encoding ------------------------------------------------------------------------------------


def test_encode_drops_none_fields_and_keeps_empty_lists() -> None:
    run = ApiRun(name="n", description=None, metrics=[], resource_references=[])
    assert encode(run) == {"name": "n", "resource_references": [], "metrics": []}
    assert encode(ApiRun()) == {}


def test_encode_writes_json_keys_in_declaration_order_and_nested_models() -> None:
    encoded = encode(_sample_run())
    assert list(encoded) == [
        "id",
        "name",
        "pipeline_spec",
        "resource_references",
        "created_at",
        "metrics",
    ]
    assert encoded["pipeline_spec"] == {
        "parameters": [{"name": "a", "value": "1"}],
        "runtime_config": {"parameters": {"x": {"int_value": "3"}}},
    }
    assert encoded["resource_references"] == [
        {"key": {"type": "EXPERIMENT", "id": "e"}, "relationship": "OWNER"}
    ]
    json.dumps(encoded)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2022, 3, 1, 8, 0, 0), "2022-03-01T08:00:00Z"),
        (datetime(2022, 3, 1, 8, 0, 0, 250000), "2022-03-01T08:00:00.250000Z"),
        (datetime(2022, 3, 1, 8, tzinfo=UTC), "2022-03-01T08:00:00Z"),
        (datetime(2022, 3, 1, 8, tzinfo=timezone(timedelta(0))), "2022-03-01T08:00:00Z"),
        (
            datetime(2022, 3, 1, 8, tzinfo=timezone(timedelta(hours=-5))),
            "2022-03-01T08:00:00-05:00",
        ),
        (date(2022, 3, 1), "2022-03-01"),
    ],
)
def test_encode_writes_rfc3339_datetimes(value: date, expected: str) -> None:
    assert encode(value) == expected
    assert encode(ApiRun(created_at=value))["created_at"] == expected


def test_encode_sends_plain_values_in_typed_fields_as_given() -> None:
    run = ApiRun(
        created_at="2022-03-01T08:00:00+01:00",
        name=7,
        pipeline_spec={"pipeline_id": "p", "extra": None},
        metrics=({"name": "m"},),
    )
    assert encode(run) == {
        "name": 7,
        "pipeline_spec": {"pipeline_id": "p", "extra": None},
        "created_at": "2022-03-01T08:00:00+01:00",
        "metrics": [{"name": "m"}],
    }


def test_encode_of_plain_values() -> None:
    assert encode(None) is None
    for value in ("s", 1, 1.5, True, b"raw"):
        assert encode(value) is value
    assert encode((1, "a", None)) == [1, "a", None]
    assert encode({"a": None, "b": [ApiParameter(name="x")]}) == {
        "a": None,
        "b": [{"name": "x"}],
    }
    assert encode(ApiRunStorageState()) == {}


def test_encode_of_subclasses_of_plain_types() -> None:
    class Name(str):
        pass

    class Moment(datetime):
        pass

    assert encode(Name("x")) == "x"
    assert encode(Moment(2022, 3, 1)) == "2022-03-01T00:00:00Z"


def test_encode_rejects_unknown_objects() -> None:
    with pytest.raises(TypeError, match="cannot encode a object"):
        encode(object())
    with pytest.raises(TypeError, match="cannot encode a set"):
        encode(ApiRun(metrics={1}))


# --- copying and pickling ------------------------------------------------------------------------


def test_deepcopy_and_pickle_keep_values_and_unknown_keys() -> None:
    data = {"run": {"id": "r", "future": 1, "created_at": "2022-03-01T08:00:00Z"}}
    detail = decoder_for("ApiRunDetail")(data)
    for clone in (copy.deepcopy(detail), pickle.loads(pickle.dumps(detail))):
        assert clone == detail
        assert clone is not detail
        assert type(clone) is ApiRunDetail
        assert encode(clone) == data
        clone.run.id = "other"
        assert detail.run.id == "r"
    checked = ApiReadArtifactResponse(data="QUJD")
    restored = pickle.loads(pickle.dumps(checked))
    assert restored.data == "QUJD"
    with pytest.raises(ValueError, match="Invalid value"):
        restored.data = "bad"
    assert copy.copy(_sample_run()) == _sample_run()


# --- import paths --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted([*FIELDS_1_8_5, *ENUMS_1_8_5]))
def test_every_import_path_names_the_same_class(name: str) -> None:
    module = __import__(f"kfp_server_api.models.{_snake(name)}", fromlist=[name])
    cls = getattr(module, name)
    assert getattr(models, name) is cls
    assert resolve_model(name) is cls
    assert getattr(models, _snake(name)) is module
    assert cls.__module__ == module.__name__
    assert name in dir(models)
    assert _snake(name) in dir(models)


def test_unknown_package_attribute_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'NoSuchModel'"):
        _ = models.NoSuchModel


def test_importing_the_models_package_loads_no_model_module() -> None:
    code = (
        "import sys, kfp_server_api.models as m\n"
        "loaded = [n for n in sys.modules if n.startswith('kfp_server_api.models.')]\n"
        "assert loaded == [], loaded\n"
        "m.ApiRun\n"
        "print(sorted(n for n in sys.modules if n.startswith('kfp_server_api.models.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['kfp_server_api.models.api_run']"
