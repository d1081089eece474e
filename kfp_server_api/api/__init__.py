"""The API classes, one per service of the KFP v1beta1 REST API, each loaded on first use.

``kfp_server_api.api.RunServiceApi`` and ``kfp_server_api.api.run_service_api.RunServiceApi``
name the same class. Adding a service is adding its module and a line to ``_API_MODULES``.
"""

from __future__ import annotations

from importlib import import_module

__all__ = [
    "ExperimentServiceApi",
    "HealthzServiceApi",
    "JobServiceApi",
    "PipelineServiceApi",
    "PipelineUploadServiceApi",
    "RunServiceApi",
]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from kfp_server_api.api.experiment_service_api import ExperimentServiceApi
    from kfp_server_api.api.healthz_service_api import HealthzServiceApi
    from kfp_server_api.api.job_service_api import JobServiceApi
    from kfp_server_api.api.pipeline_service_api import PipelineServiceApi
    from kfp_server_api.api.pipeline_upload_service_api import PipelineUploadServiceApi
    from kfp_server_api.api.run_service_api import RunServiceApi

# Class name -> module defining it.
_API_MODULES = {
    "ExperimentServiceApi": "kfp_server_api.api.experiment_service_api",
    "HealthzServiceApi": "kfp_server_api.api.healthz_service_api",
    "JobServiceApi": "kfp_server_api.api.job_service_api",
    "PipelineServiceApi": "kfp_server_api.api.pipeline_service_api",
    "PipelineUploadServiceApi": "kfp_server_api.api.pipeline_upload_service_api",
    "RunServiceApi": "kfp_server_api.api.run_service_api",
}


def __getattr__(name: str) -> object:
    module = _API_MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
