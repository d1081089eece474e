"""The API classes, one per service of the KFP v1beta1 REST API, each loaded on first use.

``kfp_server_api.api.RunServiceApi`` and ``kfp_server_api.api.run_service_api.RunServiceApi``
name the same class. Adding a service is adding its module (named after the class in snake case)
and its name to ``__all__``.
"""

from __future__ import annotations

from kfp_server_api._lazy import lazy_exports, module_per_class

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

__getattr__, __dir__ = lazy_exports(globals(), module_per_class(__name__, __all__))
