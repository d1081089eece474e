"""Declaration of the ApiRun model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field

if TYPE_CHECKING:
    from datetime import datetime

    from kfp_server_api.models.api_pipeline_spec import ApiPipelineSpec
    from kfp_server_api.models.api_resource_reference import ApiResourceReference
    from kfp_server_api.models.api_run_metric import ApiRunMetric


class ApiRun(Model):
    """One execution of a pipeline, as the run service stores and reports it.

    KFP 2.x servers report ``status`` from a fixed list: Pending, Running, Succeeded, Skipped,
    Failed, Terminating and Unknown. "Error" never appears (an errored run reads "Failed"), a
    canceled run reads "Failed", a paused one "Pending". Treat an unknown value as not finished.
    On those servers ``resource_references`` carry ids but no ``name``, and a run of a v2
    pipeline has its parameters in ``pipeline_spec.runtime_config`` as plain values (see
    :mod:`kfp_server_api.parameter_values`).
    """

    id: str | None = field("str", "Unique id the server gives the run.")
    name: str | None = field(
        "str", "Display name chosen by the user (not unique); required when creating."
    )
    storage_state: str | None = field(
        "ApiRunStorageState", "Whether the run is available or archived."
    )
    description: str | None = field("str", "Free text about the purpose of the run.")
    pipeline_spec: ApiPipelineSpec | None = field(
        "ApiPipelineSpec", "What the run executes: a pipeline id or a manifest, with parameters."
    )
    resource_references: list[ApiResourceReference] | None = field(
        "list[ApiResourceReference]",
        "Links to the experiment, pipeline version or job the run belongs to.",
    )
    service_account: str | None = field("str", "Kubernetes service account the run's pods use.")
    created_at: datetime | None = field("datetime", "When the server created the run.")
    scheduled_at: datetime | None = field("datetime", "When the run was scheduled to start.")
    finished_at: datetime | None = field(
        "datetime", "When the run finished (the Unix epoch while it has not)."
    )
    status: str | None = field(
        "str",
        "Workflow phase, such as Pending, Running, Succeeded, Failed or Error; on KFP 2.x "
        "servers one of Pending, Running, Succeeded, Skipped, Failed, Terminating, Unknown.",
    )
    error: str | None = field("str", "Why the run could not proceed, if it could not.")
    metrics: list[ApiRunMetric] | None = field(
        "list[ApiRunMetric]", "Metrics the run's steps reported."
    )
