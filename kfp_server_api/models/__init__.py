"""The model classes of the KFP v1beta1 API, each loaded on first use.

Every class lives in its own module, named after the class in snake case
(``ApiRun`` in ``kfp_server_api.models.api_run``), and is reachable three ways that name the
same class: ``kfp_server_api.models.ApiRun``, ``kfp_server_api.models.api_run.ApiRun`` and
``kfp_server_api.ApiRun``. Importing this package imports none of them; a class's module is
imported the first time the class (or the module) is looked up here. Adding a model is adding
its module and its name to ``__all__``.
"""

from __future__ import annotations

from kfp_server_api._lazy import lazy_exports, module_per_class

TYPE_CHECKING = False  # not typing's: looking a class up here must not import typing
if TYPE_CHECKING:
    from kfp_server_api.models.api_cron_schedule import ApiCronSchedule
    from kfp_server_api.models.api_experiment import ApiExperiment
    from kfp_server_api.models.api_experiment_storage_state import ApiExperimentStorageState
    from kfp_server_api.models.api_get_healthz_response import ApiGetHealthzResponse
    from kfp_server_api.models.api_get_template_response import ApiGetTemplateResponse
    from kfp_server_api.models.api_job import ApiJob
    from kfp_server_api.models.api_list_experiments_response import ApiListExperimentsResponse
    from kfp_server_api.models.api_list_jobs_response import ApiListJobsResponse
    from kfp_server_api.models.api_list_pipeline_versions_response import (
        ApiListPipelineVersionsResponse,
    )
    from kfp_server_api.models.api_list_pipelines_response import ApiListPipelinesResponse
    from kfp_server_api.models.api_list_runs_response import ApiListRunsResponse
    from kfp_server_api.models.api_parameter import ApiParameter
    from kfp_server_api.models.api_periodic_schedule import ApiPeriodicSchedule
    from kfp_server_api.models.api_pipeline import ApiPipeline
    from kfp_server_api.models.api_pipeline_runtime import ApiPipelineRuntime
    from kfp_server_api.models.api_pipeline_spec import ApiPipelineSpec
    from kfp_server_api.models.api_pipeline_version import ApiPipelineVersion
    from kfp_server_api.models.api_read_artifact_response import ApiReadArtifactResponse
    from kfp_server_api.models.api_relationship import ApiRelationship
    from kfp_server_api.models.api_report_run_metrics_request import ApiReportRunMetricsRequest
    from kfp_server_api.models.api_report_run_metrics_response import ApiReportRunMetricsResponse
    from kfp_server_api.models.api_resource_key import ApiResourceKey
    from kfp_server_api.models.api_resource_reference import ApiResourceReference
    from kfp_server_api.models.api_resource_type import ApiResourceType
    from kfp_server_api.models.api_run import ApiRun
    from kfp_server_api.models.api_run_detail import ApiRunDetail
    from kfp_server_api.models.api_run_metric import ApiRunMetric
    from kfp_server_api.models.api_run_storage_state import ApiRunStorageState
    from kfp_server_api.models.api_status import ApiStatus
    from kfp_server_api.models.api_trigger import ApiTrigger
    from kfp_server_api.models.api_url import ApiUrl
    from kfp_server_api.models.api_value import ApiValue
    from kfp_server_api.models.job_mode import JobMode
    from kfp_server_api.models.pipeline_spec_runtime_config import PipelineSpecRuntimeConfig
    from kfp_server_api.models.protobuf_any import ProtobufAny
    from kfp_server_api.models.report_run_metrics_response_report_run_metric_result import (
        ReportRunMetricsResponseReportRunMetricResult,
    )
    from kfp_server_api.models.report_run_metrics_response_report_run_metric_result_status import (
        ReportRunMetricsResponseReportRunMetricResultStatus,
    )
    from kfp_server_api.models.run_metric_format import RunMetricFormat

__all__ = [
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
]


__getattr__, __dir__ = lazy_exports(globals(), module_per_class(__name__, __all__))
