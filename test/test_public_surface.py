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
import typing
from typing import Any, Callable

import pytest

import kfp_server_api
from kfp_server_api import (
    ApiClient,
    Configuration,
    ExperimentServiceApi,
    HealthzServiceApi,
    JobServiceApi,
    PipelineServiceApi,
    PipelineUploadServiceApi,
    RunServiceApi,
    exceptions,
    rest,
)
from kfp_server_api.endpoint import ServiceApi

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

#: Names added at the top level on purpose: the per-status exceptions and transport errors, the
#: conveniences (filters, pagination, artifacts) and the retry policy.
ADDED_TOP_LEVEL = {
    "ApiConnectionError",
    "ApiDecodeError",
    "ApiTimeoutError",
    "ArtifactArchive",
    "ArtifactError",
    "BadRequestException",
    "ConflictException",
    "Filter",
    "ForbiddenException",
    "Long",
    "NotFoundException",
    "Op",
    "PaginationError",
    "Predicate",
    "RetryPolicy",
    "RunKey",
    "ServiceException",
    "UnauthorizedException",
    "UnprocessableEntityException",
    "ValueKind",
    "artifact_bytes",
    "artifacts",
    "filters",
    "iter_pages",
    "paginate",
    "pagination",
}

SUBMODULES = [
    "api",
    "api_client",
    "artifacts",
    "configuration",
    "exceptions",
    "filters",
    "models",
    "pagination",
    "rest",
]
MODULES = [
    "kfp_server_api.api",
    "kfp_server_api.api.experiment_service_api",
    "kfp_server_api.api.healthz_service_api",
    "kfp_server_api.api.job_service_api",
    "kfp_server_api.api.pipeline_service_api",
    "kfp_server_api.api.pipeline_upload_service_api",
    "kfp_server_api.api.run_service_api",
    "kfp_server_api.api_client",
    "kfp_server_api.artifacts",
    "kfp_server_api.configuration",
    "kfp_server_api.exceptions",
    "kfp_server_api.filters",
    "kfp_server_api.models",
    "kfp_server_api.pagination",
    "kfp_server_api.parameter_values",
    "kfp_server_api.rest",
    "kfp_server_api.retry",
    "kfp_server_api.server_version",
]

#: Names added in modules for KFP 2.x servers, by module.
ADDED_FOR_KFP2 = {
    "kfp_server_api.exceptions": {"ServerVersionError"},
    "kfp_server_api.filters": {"archived", "not_archived"},
    "kfp_server_api.model": {"encode_known"},
    "kfp_server_api.parameter_values": {
        "ParameterValue",
        "decode_parameters",
        "plain_parameters",
        "plain_value",
    },
    "kfp_server_api.server_version": {"explain_not_found", "version_tuple"},
}


def shape(function: Callable[..., Any]) -> str:
    """The signature without annotations, e.g. ``(self, run_id, **kwargs)``."""
    signature = inspect.signature(function)
    plain = [
        parameter.replace(annotation=inspect.Parameter.empty)
        for parameter in signature.parameters.values()
    ]
    return str(signature.replace(parameters=plain, return_annotation=inspect.Signature.empty))


@pytest.mark.parametrize("name", TOP_LEVEL_1_8_5)
def test_top_level_name_of_1_8_5(name: str) -> None:
    assert getattr(kfp_server_api, name) is not None


def test_all_is_sorted_and_complete() -> None:
    names = kfp_server_api.__all__
    assert names == sorted(names)
    assert set(names) == set(TOP_LEVEL_1_8_5) | ADDED_TOP_LEVEL


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


@pytest.mark.parametrize("module", sorted(ADDED_FOR_KFP2))
def test_names_added_for_kfp2_servers(module: str) -> None:
    assert ADDED_FOR_KFP2[module] <= set(importlib.import_module(module).__all__)


def test_members_added_for_kfp2_servers() -> None:
    from kfp_server_api import ApiGetHealthzResponse, ApiRun

    assert shape(ApiRun.unknown_fields) == "(self)"
    assert isinstance(ApiGetHealthzResponse.tag_name, property)
    assert isinstance(ApiGetHealthzResponse.commit_sha, property)
    assert shape(exceptions.ServerVersionError) == (
        "(not_found, call, needed_version, server_version)"
    )
    assert issubclass(exceptions.ServerVersionError, exceptions.NotFoundException)


def test_same_objects_through_every_path() -> None:
    from kfp_server_api.api_client import ApiClient as client_from_module
    from kfp_server_api.models.api_run import ApiRun

    for cls in SERVICES:
        name = cls.__name__
        snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
        from_module = getattr(importlib.import_module(f"kfp_server_api.api.{snake}"), name)
        assert getattr(kfp_server_api.api, name) is from_module is cls
        assert getattr(kfp_server_api, name) is cls
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


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    script = f"import sys\n{code}\nprint('\\n'.join(sys.modules))\n"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_a_name_imports_only_the_module_that_defines_it() -> None:
    loaded = _modules_after("import kfp_server_api\nkfp_server_api.NotFoundException")
    assert "kfp_server_api.exceptions" in loaded
    assert not {
        m for m in loaded if m.startswith(("kfp_server_api.models.", "kfp_server_api.api."))
    }
    loaded = _modules_after("import kfp_server_api\nkfp_server_api.ApiRun")
    assert {m for m in loaded if m.startswith("kfp_server_api.api")} == set()
    assert "kfp_server_api.models.api_run" in loaded
    assert "kfp_server_api.models.api_job" not in loaded


def test_the_client_import_does_not_load_dataclasses() -> None:
    # dataclasses imports inspect, whose import costs more than the rest of the client's own.
    loaded = _modules_after("from kfp_server_api import ApiClient, Configuration, RunServiceApi")
    assert "dataclasses" not in loaded


def test_names_of_a_catalog_outside_all_are_not_attributes() -> None:
    name = "render_path"
    assert name in exceptions.__all__
    assert name not in kfp_server_api.__all__
    with pytest.raises(AttributeError, match=name):
        getattr(kfp_server_api, name)


def test_package_dir_lists_modules_and_names() -> None:
    assert {"ApiRun", "api_run"} <= set(dir(kfp_server_api.models))
    assert {"RunServiceApi", "run_service_api"} <= set(dir(kfp_server_api.api))
    assert kfp_server_api.models.api_run.ApiRun is kfp_server_api.models.ApiRun
    assert kfp_server_api.api.run_service_api.RunServiceApi is kfp_server_api.api.RunServiceApi


# -- API classes --------------------------------------------------------------------------------

# name: (positional parameters, verb, path, query wire names, response type)
Method = tuple[str, str, str, tuple[str, ...], str]
_LIST_QUERY = (
    "page_token",
    "page_size",
    "sort_by",
    "resource_reference_key.type",
    "resource_reference_key.id",
    "filter",
)
_RUNS = "/apis/v1beta1/runs"
_EXPERIMENTS = "/apis/v1beta1/experiments"
_JOBS = "/apis/v1beta1/jobs"
_PIPELINES = "/apis/v1beta1/pipelines"
_VERSIONS = "/apis/v1beta1/pipeline_versions"

RUN_SERVICE: dict[str, Method] = {
    "archive_run": ("id", "POST", f"{_RUNS}/{{id}}:archive", (), "object"),
    "create_run": ("body", "POST", _RUNS, (), "ApiRunDetail"),
    "delete_run": ("id", "DELETE", f"{_RUNS}/{{id}}", (), "object"),
    "get_run": ("run_id", "GET", f"{_RUNS}/{{run_id}}", (), "ApiRunDetail"),
    "list_runs": ("", "GET", _RUNS, _LIST_QUERY, "ApiListRunsResponse"),
    "read_artifact": (
        "run_id, node_id, artifact_name",
        "GET",
        f"{_RUNS}/{{run_id}}/nodes/{{node_id}}/artifacts/{{artifact_name}}:read",
        (),
        "ApiReadArtifactResponse",
    ),
    "report_run_metrics": (
        "run_id, body",
        "POST",
        f"{_RUNS}/{{run_id}}:reportMetrics",
        (),
        "ApiReportRunMetricsResponse",
    ),
    "retry_run": ("run_id", "POST", f"{_RUNS}/{{run_id}}/retry", (), "object"),
    "terminate_run": ("run_id", "POST", f"{_RUNS}/{{run_id}}/terminate", (), "object"),
    "unarchive_run": ("id", "POST", f"{_RUNS}/{{id}}:unarchive", (), "object"),
}
EXPERIMENT_SERVICE: dict[str, Method] = {
    "archive_experiment": ("id", "POST", f"{_EXPERIMENTS}/{{id}}:archive", (), "object"),
    "create_experiment": ("body", "POST", _EXPERIMENTS, (), "ApiExperiment"),
    "delete_experiment": ("id", "DELETE", f"{_EXPERIMENTS}/{{id}}", (), "object"),
    "get_experiment": ("id", "GET", f"{_EXPERIMENTS}/{{id}}", (), "ApiExperiment"),
    "list_experiment": (
        "",
        "GET",
        _EXPERIMENTS,
        (
            "page_token",
            "page_size",
            "sort_by",
            "filter",
            "resource_reference_key.type",
            "resource_reference_key.id",
        ),
        "ApiListExperimentsResponse",
    ),
    "unarchive_experiment": ("id", "POST", f"{_EXPERIMENTS}/{{id}}:unarchive", (), "object"),
}
JOB_SERVICE: dict[str, Method] = {
    "create_job": ("body", "POST", _JOBS, (), "ApiJob"),
    "delete_job": ("id", "DELETE", f"{_JOBS}/{{id}}", (), "object"),
    "disable_job": ("id", "POST", f"{_JOBS}/{{id}}/disable", (), "object"),
    "enable_job": ("id", "POST", f"{_JOBS}/{{id}}/enable", (), "object"),
    "get_job": ("id", "GET", f"{_JOBS}/{{id}}", (), "ApiJob"),
    "list_jobs": ("", "GET", _JOBS, _LIST_QUERY, "ApiListJobsResponse"),
}
PIPELINE_SERVICE: dict[str, Method] = {
    "create_pipeline": ("body", "POST", _PIPELINES, (), "ApiPipeline"),
    "create_pipeline_version": ("body", "POST", _VERSIONS, (), "ApiPipelineVersion"),
    "delete_pipeline": ("id", "DELETE", f"{_PIPELINES}/{{id}}", (), "object"),
    "delete_pipeline_version": (
        "version_id",
        "DELETE",
        f"{_VERSIONS}/{{version_id}}",
        (),
        "object",
    ),
    "get_pipeline": ("id", "GET", f"{_PIPELINES}/{{id}}", (), "ApiPipeline"),
    "get_pipeline_version": (
        "version_id",
        "GET",
        f"{_VERSIONS}/{{version_id}}",
        (),
        "ApiPipelineVersion",
    ),
    "get_pipeline_version_template": (
        "version_id",
        "GET",
        f"{_VERSIONS}/{{version_id}}/templates",
        (),
        "ApiGetTemplateResponse",
    ),
    "get_template": ("id", "GET", f"{_PIPELINES}/{{id}}/templates", (), "ApiGetTemplateResponse"),
    "list_pipeline_versions": (
        "",
        "GET",
        _VERSIONS,
        ("resource_key.type", "resource_key.id", "page_size", "page_token", "sort_by", "filter"),
        "ApiListPipelineVersionsResponse",
    ),
    "list_pipelines": (
        "",
        "GET",
        _PIPELINES,
        (
            "page_token",
            "page_size",
            "sort_by",
            "filter",
            "resource_reference_key.type",
            "resource_reference_key.id",
        ),
        "ApiListPipelinesResponse",
    ),
    "update_pipeline_default_version": (
        "pipeline_id, version_id",
        "POST",
        f"{_PIPELINES}/{{pipeline_id}}/default_version/{{version_id}}",
        (),
        "object",
    ),
}
PIPELINE_UPLOAD_SERVICE: dict[str, Method] = {
    "upload_pipeline": (
        "uploadfile",
        "POST",
        f"{_PIPELINES}/upload",
        ("name", "description"),
        "ApiPipeline",
    ),
    "upload_pipeline_version": (
        "uploadfile",
        "POST",
        f"{_PIPELINES}/upload_version",
        ("name", "pipelineid", "description"),
        "ApiPipelineVersion",
    ),
}
HEALTHZ_SERVICE: dict[str, Method] = {
    "get_healthz": ("", "GET", "/apis/v1beta1/healthz", (), "ApiGetHealthzResponse"),
}
#: Methods added on purpose (routes of KFP 2.x servers' v1beta1 API that 1.8.5 lacks).
ADDED_METHODS: dict[type[ServiceApi], dict[str, Method]] = {
    PipelineServiceApi: {
        "get_pipeline_by_name": (
            "name",
            "GET",
            "/apis/v1beta1/namespaces/{namespace}/pipelines/{name}",
            (),
            "ApiPipeline",
        ),
    },
}
#: Trailing optional parameters added on purpose: the signature shape they give.
ADDED_PARAMETERS = {
    "delete_pipeline": "(self, id, *, cascade=False, **kwargs)",
    "get_pipeline_by_name": "(self, name, namespace='-', **kwargs)",
}
#: Query parameters added on purpose, after the 1.8.5 ones.
ADDED_QUERY = {"upload_pipeline": ("namespace",), "upload_pipeline_version": ("namespace",)}
SERVICES: dict[type[ServiceApi], dict[str, Method]] = {
    ExperimentServiceApi: EXPERIMENT_SERVICE,
    HealthzServiceApi: HEALTHZ_SERVICE,
    JobServiceApi: JOB_SERVICE,
    PipelineServiceApi: PIPELINE_SERVICE,
    PipelineUploadServiceApi: PIPELINE_UPLOAD_SERVICE,
    RunServiceApi: RUN_SERVICE,
}
#: Calls whose repetition after an unknown outcome can do harm (a second object, a restart...).
NOT_RETRY_SAFE = {
    "create_experiment",
    "create_job",
    "create_pipeline",
    "create_pipeline_version",
    "create_run",
    "retry_run",
    "terminate_run",
    "upload_pipeline",
    "upload_pipeline_version",
}
#: Calls that send a file as multipart/form-data (the others send JSON).
MULTIPART = {"upload_pipeline", "upload_pipeline_version"}
ALL_METHODS = {cls: {**table, **ADDED_METHODS.get(cls, {})} for cls, table in SERVICES.items()}
METHODS = [
    pytest.param(cls, name, id=f"{cls.__name__}.{name}")
    for cls, table in ALL_METHODS.items()
    for name in table
]


def test_the_api_package_maps_every_1_8_5_service() -> None:
    names = {cls.__name__ for cls in SERVICES}
    assert names == {name for name in TOP_LEVEL_1_8_5 if name.endswith("ServiceApi")}
    assert kfp_server_api.api.__all__ == sorted(names)
    assert set(kfp_server_api.api.__all__) <= set(dir(kfp_server_api.api))


@pytest.mark.parametrize("cls", SERVICES, ids=lambda cls: cls.__name__)
def test_service_constructor(cls: type[ServiceApi]) -> None:
    assert shape(cls) == "(api_client=None)"


@pytest.mark.parametrize("cls", SERVICES, ids=lambda cls: cls.__name__)
def test_service_has_exactly_the_1_8_5_methods(cls: type[ServiceApi]) -> None:
    table = ALL_METHODS[cls]
    # Along the MRO: a service may inherit some of its methods from private mixins.
    own = [klass for klass in cls.__mro__ if klass not in (ServiceApi, object)]
    public = {name for klass in own for name in vars(klass) if not name.startswith("_")}
    public -= {"endpoints"}
    assert public == set(table) | {f"{name}_with_http_info" for name in table}
    assert set(cls.endpoints) == set(table)


@pytest.mark.parametrize(("cls", "name"), METHODS)
def test_service_method(cls: type[ServiceApi], name: str) -> None:
    positional, method, path, query, response_type = ALL_METHODS[cls][name]
    query = (*query, *ADDED_QUERY.get(name, ()))
    # The 1.8.5 positional parameters, then each query parameter as a keyword-only parameter
    # (its 1.8.5 keyword: the wire name with "_" for "."), then the call options.
    keywords = [f"{wire_name.replace('.', '_')}=None" for wire_name in query]
    arguments = ", ".join(
        ["self", *([positional] if positional else []), *(["*", *keywords] if keywords else [])]
    )
    arguments += ", **kwargs"
    expected = ADDED_PARAMETERS.get(name, f"({arguments})")
    assert shape(getattr(cls, name)) == expected
    assert shape(getattr(cls, f"{name}_with_http_info")) == expected

    endpoint = cls.endpoints[name]
    assert (endpoint.method, endpoint.path, endpoint.response_type) == (method, path, response_type)
    assert tuple(p.wire_name for p in endpoint.params if p.location == "query") == query
    assert endpoint.auth == ("Bearer",)
    assert endpoint.retry_safe is (name not in NOT_RETRY_SAFE)
    multipart = "multipart/form-data" if name in MULTIPART else "application/json"
    assert endpoint.content_type == multipart


@pytest.mark.skipif(sys.version_info < (3, 11), reason="typing.get_overloads is new in 3.11")
@pytest.mark.parametrize(("cls", "name"), METHODS)
def test_service_method_is_overloaded_on_the_call_options(cls: type[ServiceApi], name: str) -> None:
    # One overload per option set (see kfp_server_api.endpoint), each with the parameters of
    # the implementation, so a type checker knows the result of every call.
    for method_name, option_sets in (
        (name, ["Call", "AsyncCall", "RawCall", "AnyCall"]),
        (f"{name}_with_http_info", ["InfoCall", "AsyncInfoCall", "RawCall", "AnyInfoCall"]),
    ):
        method = getattr(cls, method_name)
        overloads = typing.get_overloads(method)
        assert [inspect.signature(o).parameters["options"].annotation for o in overloads] == [
            f"Unpack[{option_set}]" for option_set in option_sets
        ]
        for overload in overloads:
            assert shape(overload).replace("**options", "**kwargs") == shape(method)


@pytest.mark.parametrize(("cls", "name"), METHODS)
def test_service_docstrings_follow_the_endpoint_data(cls: type[ServiceApi], name: str) -> None:
    endpoint = cls.endpoints[name]
    doc = inspect.getdoc(getattr(cls, name)) or ""
    assert doc.splitlines()[0] == endpoint.summary
    for param in endpoint.params:
        assert f"{param.name}" in doc
    assert "kfp_server_api.endpoint" in doc  # where the call options are described
    assert inspect.getdoc(getattr(cls, f"{name}_with_http_info"))


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
    for attribute in ("status", "reason", "body", "headers", "message", "user_message"):
        assert hasattr(error, attribute)
    assert isinstance(exceptions.OpenApiException().message, str)
