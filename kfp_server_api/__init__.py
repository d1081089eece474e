"""Python client for the Kubeflow Pipelines v1beta1 REST API, compatible with kfp-server-api 1.8.5.

Quick start::

    from kfp_server_api import ApiClient, Configuration, RunServiceApi

    with ApiClient(Configuration(host="http://localhost:8888")) as client:
        detail = RunServiceApi(client).get_run("my-run-id")

Importing this package is cheap: every name below is loaded on first use (PEP 562 module
``__getattr__``), so urllib3, the models and the emulator are imported only when needed.
"""

from __future__ import annotations

from kfp_server_api._lazy import lazy_exports

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
# Names defined in one module each, by module. The rest of __all__ (models, API classes and
# exceptions) is found in the __all__ of the packages in the catalogs below.
_DEFINED_IN = {
    "__future__": ("absolute_import",),  # 1.8.5 exposed it; kept for `from ... import *`
    "kfp_server_api.api_client": ("ApiClient",),
    "kfp_server_api.artifacts": ("ArtifactArchive", "ArtifactError", "artifact_bytes"),
    "kfp_server_api.configuration": ("Configuration",),
    "kfp_server_api.filters": ("Filter", "Long", "Op", "Predicate", "RunKey", "ValueKind"),
    "kfp_server_api.pagination": ("PaginationError", "iter_pages", "paginate"),
    "kfp_server_api.retry": ("RetryPolicy",),
}

__getattr__, __dir__ = lazy_exports(
    globals(),
    {
        **{name: f"{__name__}.{name}" for name in _SUBMODULES},
        **{name: f"{module}:{name}" for module, names in _DEFINED_IN.items() for name in names},
    },
    # Cheapest first: the models and api packages import no model or API class to answer.
    catalogs=("kfp_server_api.models", "kfp_server_api.api", "kfp_server_api.exceptions"),
)
