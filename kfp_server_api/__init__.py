"""Python client for the Kubeflow Pipelines v1beta1 REST API, compatible with kfp-server-api 1.8.5.

Quick start::

    from kfp_server_api import ApiClient, Configuration, RunServiceApi

    with ApiClient(Configuration(host="http://localhost:8888")) as client:
        detail = RunServiceApi(client).get_run("my-run-id")

Importing this package is cheap: every name below is loaded on first use (PEP 562 module
``__getattr__``), so urllib3, the models and the emulator are imported only when needed.
"""

from __future__ import annotations

from importlib import import_module

__version__ = "1.8.5.post1"

__all__ = [
    "ApiClient",
    "ApiConnectionError",
    "ApiCronSchedule",
    "ApiDecodeError",
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
    "ApiTimeoutError",
    "ApiTrigger",
    "ApiTypeError",
    "ApiUrl",
    "ApiValue",
    "ApiValueError",
    "ArtifactArchive",
    "ArtifactError",
    "BadRequestException",
    "Configuration",
    "ConflictException",
    "ExperimentServiceApi",
    "Filter",
    "ForbiddenException",
    "HealthzServiceApi",
    "JobMode",
    "JobServiceApi",
    "Long",
    "NotFoundException",
    "Op",
    "OpenApiException",
    "PaginationError",
    "PipelineServiceApi",
    "PipelineSpecRuntimeConfig",
    "PipelineUploadServiceApi",
    "Predicate",
    "ProtobufAny",
    "ReportRunMetricsResponseReportRunMetricResult",
    "ReportRunMetricsResponseReportRunMetricResultStatus",
    "RetryPolicy",
    "RunKey",
    "RunMetricFormat",
    "RunServiceApi",
    "ServiceException",
    "UnauthorizedException",
    "UnprocessableEntityException",
    "ValueKind",
    "absolute_import",
    "api",
    "api_client",
    "artifact_bytes",
    "artifacts",
    "configuration",
    "exceptions",
    "filters",
    "iter_pages",
    "models",
    "paginate",
    "pagination",
    "rest",
]

TYPE_CHECKING = False
if TYPE_CHECKING:
    import __future__ as _future

    from kfp_server_api import (
        api,
        api_client,
        artifacts,
        configuration,
        exceptions,
        filters,
        models,
        pagination,
        rest,
    )
    from kfp_server_api.api.experiment_service_api import ExperimentServiceApi
    from kfp_server_api.api.healthz_service_api import HealthzServiceApi
    from kfp_server_api.api.job_service_api import JobServiceApi
    from kfp_server_api.api.pipeline_service_api import PipelineServiceApi
    from kfp_server_api.api.pipeline_upload_service_api import PipelineUploadServiceApi
    from kfp_server_api.api.run_service_api import RunServiceApi
    from kfp_server_api.api_client import ApiClient
    from kfp_server_api.artifacts import ArtifactArchive, ArtifactError, artifact_bytes
    from kfp_server_api.configuration import Configuration
    from kfp_server_api.exceptions import (
        ApiConnectionError,
        ApiDecodeError,
        ApiException,
        ApiKeyError,
        ApiTimeoutError,
        ApiTypeError,
        ApiValueError,
        BadRequestException,
        ConflictException,
        ForbiddenException,
        NotFoundException,
        OpenApiException,
        ServiceException,
        UnauthorizedException,
        UnprocessableEntityException,
    )
    from kfp_server_api.filters import Filter, Long, Op, Predicate, RunKey, ValueKind
    from kfp_server_api.models import (
        ApiCronSchedule,
        ApiExperiment,
        ApiExperimentStorageState,
        ApiGetHealthzResponse,
        ApiGetTemplateResponse,
        ApiJob,
        ApiListExperimentsResponse,
        ApiListJobsResponse,
        ApiListPipelinesResponse,
        ApiListPipelineVersionsResponse,
        ApiListRunsResponse,
        ApiParameter,
        ApiPeriodicSchedule,
        ApiPipeline,
        ApiPipelineRuntime,
        ApiPipelineSpec,
        ApiPipelineVersion,
        ApiReadArtifactResponse,
        ApiRelationship,
        ApiReportRunMetricsRequest,
        ApiReportRunMetricsResponse,
        ApiResourceKey,
        ApiResourceReference,
        ApiResourceType,
        ApiRun,
        ApiRunDetail,
        ApiRunMetric,
        ApiRunStorageState,
        ApiStatus,
        ApiTrigger,
        ApiUrl,
        ApiValue,
        JobMode,
        PipelineSpecRuntimeConfig,
        ProtobufAny,
        ReportRunMetricsResponseReportRunMetricResult,
        ReportRunMetricsResponseReportRunMetricResultStatus,
        RunMetricFormat,
    )
    from kfp_server_api.pagination import PaginationError, iter_pages, paginate
    from kfp_server_api.retry import RetryPolicy

    absolute_import = _future.absolute_import

_SUBMODULES = (
    "api",
    "api_client",
    "artifacts",
    "configuration",
    "exceptions",
    "filters",
    "models",
    "pagination",
    "rest",
)
_EXCEPTIONS = (
    "ApiConnectionError",
    "ApiDecodeError",
    "ApiException",
    "ApiKeyError",
    "ApiTimeoutError",
    "ApiTypeError",
    "ApiValueError",
    "BadRequestException",
    "ConflictException",
    "ForbiddenException",
    "NotFoundException",
    "OpenApiException",
    "ServiceException",
    "UnauthorizedException",
    "UnprocessableEntityException",
)
_MODELS = (
    "ApiCronSchedule",
    "ApiExperiment",
    "ApiExperimentStorageState",
    "ApiGetHealthzResponse",
    "ApiGetTemplateResponse",
    "ApiJob",
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
    "ApiUrl",
    "ApiValue",
    "JobMode",
    "PipelineSpecRuntimeConfig",
    "ProtobufAny",
    "ReportRunMetricsResponseReportRunMetricResult",
    "ReportRunMetricsResponseReportRunMetricResultStatus",
    "RunMetricFormat",
)
_APIS = (
    "ExperimentServiceApi",
    "HealthzServiceApi",
    "JobServiceApi",
    "PipelineServiceApi",
    "PipelineUploadServiceApi",
    "RunServiceApi",
)
# Conveniences and reliability settings, by the module that defines them.
_HELPERS = {
    "kfp_server_api.artifacts": ("ArtifactArchive", "ArtifactError", "artifact_bytes"),
    "kfp_server_api.filters": ("Filter", "Long", "Op", "Predicate", "RunKey", "ValueKind"),
    "kfp_server_api.pagination": ("PaginationError", "iter_pages", "paginate"),
    "kfp_server_api.retry": ("RetryPolicy",),
}

# Public name -> module that defines it (for a submodule: the submodule itself).
_LAZY: dict[str, str] = {
    "ApiClient": "kfp_server_api.api_client",
    "Configuration": "kfp_server_api.configuration",
    # 1.8.5 exposed the __future__ feature object it imported; kept for `from ... import *`.
    "absolute_import": "__future__",
    **{name: f"kfp_server_api.{name}" for name in _SUBMODULES},
    **dict.fromkeys(_EXCEPTIONS, "kfp_server_api.exceptions"),
    **dict.fromkeys(_MODELS, "kfp_server_api.models"),
    **dict.fromkeys(_APIS, "kfp_server_api.api"),
    **{name: module for module, names in _HELPERS.items() for name in names},
}


def __getattr__(name: str) -> object:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = import_module(module_name)
    value = module if name in _SUBMODULES else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
