"""Pins the public surface that code written for kfp-server-api 1.8.5 relies on.

The expected surface is written out below as data: names, module paths, signatures (parameter
names, kinds and defaults; annotations are ignored), endpoint paths, query names and response
types. Additions are allowed only where listed (``ADDED_*``).
"""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
import types
from typing import Any, Callable

import pytest

import kfp_server_api
from kfp_server_api import ApiClient, Configuration, RunServiceApi, exceptions, rest
from kfp_server_api.api.run_service_api import RUN_SERVICE_ENDPOINTS

TOP_LEVEL_1_8_5 = [
    "ApiClient",
    "ApiCronSchedule",
    "ApiException",
    "ApiExperiment",
    "ApiExperimentStorageState",
    "ApiGetHealthzResponse",
    "ApiGetTemplateResponse",
    "ApiJob",
    "ApiKeyError",
    "ApiListExperimentsResponse",
    "ApiListJobsResponse",
    "ApiListPipelineVersionsResponse",
    "ApiListPipelinesResponse",
    "ApiListRunsResponse",
    "ApiParameter",
    "ApiPeriodicSchedule",
    "ApiPipeline",
    "ApiPipelineRuntime",
    "ApiPipelineSpec",
    "ApiPipelineVersion",
    "ApiReadArtifactResponse",
    "ApiRelationship",
    "ApiReportRunMetricsRequest",
    "ApiReportRunMetricsResponse",
    "ApiResourceKey",
    "ApiResourceReference",
    "ApiResourceType",
    "ApiRun",
    "ApiRunDetail",
    "ApiRunMetric",
    "ApiRunStorageState",
    "ApiStatus",
    "ApiTrigger",
    "ApiTypeError",
    "ApiUrl",
    "ApiValue",
    "ApiValueError",
    "Configuration",
    "ExperimentServiceApi",
    "HealthzServiceApi",
    "JobMode",
    "JobServiceApi",
    "OpenApiException",
    "PipelineServiceApi",
    "PipelineSpecRuntimeConfig",
    "PipelineUploadServiceApi",
    "ProtobufAny",
    "ReportRunMetricsResponseReportRunMetricResult",
    "ReportRunMetricsResponseReportRunMetricResultStatus",
    "RunMetricFormat",
    "RunServiceApi",
    "absolute_import",
    "api",
    "api_client",
    "configuration",
    "exceptions",
    "models",
    "rest",
]

#: Names of 1.8.5 whose implementation is not part of the package yet.
NOT_YET_PROVIDED = {
    "ExperimentServiceApi",
    "HealthzServiceApi",
    "JobServiceApi",
    "PipelineServiceApi",
    "PipelineUploadServiceApi",
}

#: Names added at the top level on purpose (the per-status exceptions and transport errors).
ADDED_TOP_LEVEL = {
    "ApiConnectionError",
    "ApiDecodeError",
    "ApiTimeoutError",
    "BadRequestException",
    "ConflictException",
    "ForbiddenException",
    "NotFoundException",
    "ServiceException",
    "UnauthorizedException",
    "UnprocessableEntityException",
}

SUBMODULES = ["api", "api_client", "configuration", "exceptions", "models", "rest"]
MODULES = [
    "kfp_server_api.api",
    "kfp_server_api.api.run_service_api",
    "kfp_server_api.api_client",
    "kfp_server_api.configuration",
    "kfp_server_api.exceptions",
    "kfp_server_api.models",
    "kfp_server_api.rest",
]


def shape(function: Callable[..., Any]) -> str:
    """The signature without annotations, e.g. ``(self, run_id, **kwargs)``."""
    signature = inspect.signature(function)
    plain = [
        parameter.replace(annotation=inspect.Parameter.empty)
        for parameter in signature.parameters.values()
    ]
    return str(signature.replace(parameters=plain, return_annotation=inspect.Signature.empty))


def missing_service(name: str) -> Any:
    return pytest.param(
        name,
        marks=pytest.mark.xfail(strict=True, reason=f"{name} is not implemented yet"),
    )


@pytest.mark.parametrize(
    "name",
    [missing_service(n) if n in NOT_YET_PROVIDED else n for n in TOP_LEVEL_1_8_5],
)
def test_top_level_name_of_1_8_5(name: str) -> None:
    assert getattr(kfp_server_api, name) is not None


def test_all_is_sorted_and_complete() -> None:
    names = kfp_server_api.__all__
    assert names == sorted(names)
    assert set(names) == (set(TOP_LEVEL_1_8_5) - NOT_YET_PROVIDED) | ADDED_TOP_LEVEL


def test_every_exported_name_resolves() -> None:
    for name in kfp_server_api.__all__:
        assert getattr(kfp_server_api, name) is not None, name
    assert set(kfp_server_api.__all__) <= set(dir(kfp_server_api))


def test_unknown_attribute_raises_attribute_error() -> None:
    name = "NoSuchThing"
    with pytest.raises(AttributeError, match=name):
        getattr(kfp_server_api, name)


def test_version() -> None:
    assert kfp_server_api.__version__.startswith("1.8.5")


@pytest.mark.parametrize("name", SUBMODULES)
def test_submodules_are_attributes(name: str) -> None:
    module = getattr(kfp_server_api, name)
    assert isinstance(module, types.ModuleType)
    assert module.__name__ == f"kfp_server_api.{name}"


@pytest.mark.parametrize("module", MODULES)
def test_module_paths(module: str) -> None:
    importlib.import_module(module)


def test_same_objects_through_every_path() -> None:
    from kfp_server_api.api import RunServiceApi as from_api
    from kfp_server_api.api.run_service_api import RunServiceApi as from_module
    from kfp_server_api.api_client import ApiClient as client_from_module
    from kfp_server_api.models.api_run import ApiRun

    assert from_api is from_module is RunServiceApi
    assert client_from_module is ApiClient
    assert kfp_server_api.ApiRun is ApiRun is kfp_server_api.models.ApiRun
    assert kfp_server_api.ApiException is exceptions.ApiException


def test_import_is_lazy() -> None:
    code = (
        "import sys, kfp_server_api\n"
        "heavy = [m for m in sys.modules if m == 'urllib3' or m.startswith("
        "('kfp_server_api.models', 'kfp_server_api.emulator', 'kfp_server_api.api_client'))]\n"
        "print(heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# -- RunServiceApi ------------------------------------------------------------------------------

RUN_SERVICE = {
    # name: (positional parameters, verb, path, query wire names, response type)
    "archive_run": ("id", "POST", "/apis/v1beta1/runs/{id}:archive", (), "object"),
    "create_run": ("body", "POST", "/apis/v1beta1/runs", (), "ApiRunDetail"),
    "delete_run": ("id", "DELETE", "/apis/v1beta1/runs/{id}", (), "object"),
    "get_run": ("run_id", "GET", "/apis/v1beta1/runs/{run_id}", (), "ApiRunDetail"),
    "list_runs": (
        "",
        "GET",
        "/apis/v1beta1/runs",
        (
            "page_token",
            "page_size",
            "sort_by",
            "resource_reference_key.type",
            "resource_reference_key.id",
            "filter",
        ),
        "ApiListRunsResponse",
    ),
    "read_artifact": (
        "run_id, node_id, artifact_name",
        "GET",
        "/apis/v1beta1/runs/{run_id}/nodes/{node_id}/artifacts/{artifact_name}:read",
        (),
        "ApiReadArtifactResponse",
    ),
    "report_run_metrics": (
        "run_id, body",
        "POST",
        "/apis/v1beta1/runs/{run_id}:reportMetrics",
        (),
        "ApiReportRunMetricsResponse",
    ),
    "retry_run": ("run_id", "POST", "/apis/v1beta1/runs/{run_id}/retry", (), "object"),
    "terminate_run": ("run_id", "POST", "/apis/v1beta1/runs/{run_id}/terminate", (), "object"),
    "unarchive_run": ("id", "POST", "/apis/v1beta1/runs/{id}:unarchive", (), "object"),
}
NOT_RETRY_SAFE = {"create_run", "terminate_run", "retry_run"}


def test_run_service_constructor() -> None:
    assert shape(RunServiceApi) == "(api_client=None)"


def test_run_service_has_exactly_the_1_8_5_methods() -> None:
    public = {name for name in vars(RunServiceApi) if not name.startswith("_")} - {"endpoints"}
    expected = set(RUN_SERVICE) | {f"{name}_with_http_info" for name in RUN_SERVICE}
    assert public == expected


@pytest.mark.parametrize("name", RUN_SERVICE)
def test_run_service_method(name: str) -> None:
    positional, method, path, query, response_type = RUN_SERVICE[name]
    arguments = f"self, {positional}, **kwargs" if positional else "self, **kwargs"
    assert shape(getattr(RunServiceApi, name)) == f"({arguments})"
    assert shape(getattr(RunServiceApi, f"{name}_with_http_info")) == f"({arguments})"

    endpoint = RUN_SERVICE_ENDPOINTS[name]
    assert (endpoint.method, endpoint.path, endpoint.response_type) == (method, path, response_type)
    assert tuple(p.wire_name for p in endpoint.params if p.location == "query") == query
    assert endpoint.auth == ("Bearer",)
    assert endpoint.retry_safe is (name not in NOT_RETRY_SAFE)


@pytest.mark.parametrize("name", RUN_SERVICE)
def test_run_service_docstrings_follow_the_endpoint_data(name: str) -> None:
    endpoint = RUN_SERVICE_ENDPOINTS[name]
    doc = inspect.getdoc(getattr(RunServiceApi, name)) or ""
    assert doc.splitlines()[0] == endpoint.summary
    for param in endpoint.params:
        assert f"{param.name}" in doc
    assert "kfp_server_api.endpoint" in doc  # where the call options are described
    assert inspect.getdoc(getattr(RunServiceApi, f"{name}_with_http_info"))


# -- ApiClient, Configuration, rest, exceptions -------------------------------------------------

SIGNATURES: list[tuple[Callable[..., Any], str]] = [
    (
        ApiClient,
        "(configuration=None, header_name=None, header_value=None, cookie=None, pool_threads=1, "
        "*, rest_client=None)",
    ),
    (
        ApiClient.call_api,
        "(self, resource_path, method, path_params=None, query_params=None, header_params=None, "
        "body=None, post_params=None, files=None, response_type=None, auth_settings=None, "
        "async_req=None, _return_http_data_only=None, collection_formats=None, "
        "_preload_content=True, _request_timeout=None, _host=None)",
    ),
    (
        ApiClient.request,
        "(self, method, url, query_params=None, headers=None, post_params=None, body=None, "
        "_preload_content=True, _request_timeout=None)",
    ),
    (ApiClient.deserialize, "(self, response, response_type)"),
    (ApiClient.sanitize_for_serialization, "(self, obj)"),
    (ApiClient.parameters_to_tuples, "(self, params, collection_formats)"),
    (ApiClient.files_parameters, "(self, files=None)"),
    (ApiClient.select_header_accept, "(self, accepts)"),
    (ApiClient.select_header_content_type, "(self, content_types)"),
    (ApiClient.update_params_for_auth, "(self, headers, querys, auth_settings)"),
    (ApiClient.set_default_header, "(self, header_name, header_value)"),
    (ApiClient.close, "(self)"),
    (ApiClient.__enter__, "(self)"),
    (ApiClient.__exit__, "(self, exc_type, exc_value, traceback)"),
    (
        Configuration,
        "(host='http://localhost', api_key=None, api_key_prefix=None, username=None, "
        "password=None, discard_unknown_keys=False)",
    ),
    (Configuration.auth_settings, "(self)"),
    (Configuration.get_api_key_with_prefix, "(self, identifier)"),
    (Configuration.get_basic_auth_token, "(self)"),
    (Configuration.get_host_settings, "(self)"),
    (Configuration.get_host_from_settings, "(self, index, variables=None)"),
    (Configuration.to_debug_report, "(self)"),
    (Configuration.set_default, "(default)"),
    (Configuration.get_default_copy, "()"),
    (rest.RESTClientObject, "(configuration, pools_size=4, maxsize=None)"),
    (
        rest.RESTClientObject.request,
        "(self, method, url, query_params=None, headers=None, body=None, post_params=None, "
        "_preload_content=True, _request_timeout=None)",
    ),
    (
        rest.RESTClientObject.GET,
        "(self, url, headers=None, query_params=None, _preload_content=True, "
        "_request_timeout=None)",
    ),
    (
        rest.RESTClientObject.HEAD,
        "(self, url, headers=None, query_params=None, _preload_content=True, "
        "_request_timeout=None)",
    ),
    (
        rest.RESTClientObject.DELETE,
        "(self, url, headers=None, query_params=None, body=None, _preload_content=True, "
        "_request_timeout=None)",
    ),
    *[
        (
            getattr(rest.RESTClientObject, verb),
            "(self, url, headers=None, query_params=None, post_params=None, body=None, "
            "_preload_content=True, _request_timeout=None)",
        )
        for verb in ("OPTIONS", "POST", "PUT", "PATCH")
    ],
    (rest.RESTResponse, "(resp)"),
    (rest.RESTResponse.getheaders, "(self)"),
    (rest.RESTResponse.getheader, "(self, name, default=None)"),
    (exceptions.ApiException, "(status=None, reason=None, http_resp=None)"),
    (
        exceptions.ApiTypeError,
        "(msg, path_to_item=None, valid_classes=None, key_type=None)",
    ),
    (exceptions.ApiValueError, "(msg, path_to_item=None)"),
    (exceptions.ApiKeyError, "(msg, path_to_item=None)"),
    (exceptions.render_path, "(path_to_item)"),
]


@pytest.mark.parametrize(
    ("function", "expected"),
    SIGNATURES,
    ids=[getattr(f, "__qualname__", str(f)) for f, _ in SIGNATURES],
)
def test_signature(function: Callable[..., Any], expected: str) -> None:
    assert shape(function) == expected


def test_api_client_class_attributes() -> None:
    assert set(ApiClient.NATIVE_TYPES_MAPPING) == {
        "int",
        "long",
        "float",
        "str",
        "bool",
        "date",
        "datetime",
        "object",
    }
    assert set(ApiClient.PRIMITIVE_TYPES) == {float, bool, bytes, str, int}


def test_api_client_attributes() -> None:
    configuration = Configuration()
    with ApiClient(configuration, "X-A", "1", "c=1", 3) as client:
        assert client.configuration is configuration
        assert isinstance(client.rest_client, rest.RESTClientObject)
        assert client.default_headers == {
            "X-A": "1",
            "User-Agent": "OpenAPI-Generator/1.8.5/python",
        }
        assert (client.cookie, client.pool_threads) == ("c=1", 3)
        assert client.client_side_validation is True
        assert client.last_response is None
        client.user_agent = "mine/1.0"
        assert client.default_headers["User-Agent"] == "mine/1.0"


def test_rest_client_keeps_a_pool_manager() -> None:
    import urllib3

    client = rest.RESTClientObject(Configuration())
    assert isinstance(client.pool_manager, urllib3.PoolManager)
    proxied = Configuration()
    proxied.proxy = "http://proxy.example:3128"
    assert isinstance(rest.RESTClientObject(proxied).pool_manager, urllib3.ProxyManager)


def test_exception_attributes() -> None:
    error = exceptions.ApiException(status=404, reason="Not Found")
    for attribute in ("status", "reason", "body", "headers", "message"):
        assert hasattr(error, attribute)
    assert isinstance(exceptions.OpenApiException().message, str)
