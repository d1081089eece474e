"""The RunServiceApi endpoints as data: verb, path, parameters, response type, retry safety.

Kept apart from :mod:`kfp_server_api.api.run_service_api` (the typed methods) so that
each module has one job; ``RUN_SERVICE_ENDPOINTS`` is re-exported there.
"""

from __future__ import annotations

from kfp_server_api.endpoint import Endpoint, body_param, path_param, query_param

__all__ = ["RUN_SERVICE_ENDPOINTS"]

_RUNS = "/apis/v1beta1/runs"

_RUN_ID = path_param("run_id", "ID of the run.")

#: The RunService endpoints, by method name.
RUN_SERVICE_ENDPOINTS: dict[str, Endpoint] = {
    endpoint.name: endpoint
    for endpoint in (
        Endpoint(
            name="archive_run",
            method="POST",
            path=_RUNS + "/{id}:archive",
            params=(path_param("id", "ID of the run to archive."),),
            response_type="object",
            summary="Archive a run.",
            description="Archived runs stay stored; list filters can hide them.",
            retry_safe=True,
        ),
        Endpoint(
            name="create_run",
            method="POST",
            path=_RUNS,
            params=(body_param("ApiRun", "The run to create; output-only fields are ignored."),),
            response_type="ApiRunDetail",
            summary="Create and start a run.",
            description="Repeating the call would start a second run.",
            retry_safe=False,
        ),
        Endpoint(
            name="delete_run",
            method="DELETE",
            path=_RUNS + "/{id}",
            params=(path_param("id", "ID of the run to delete."),),
            response_type="object",
            summary="Delete a run.",
            description="",
            retry_safe=True,
        ),
        Endpoint(
            name="get_run",
            method="GET",
            path=_RUNS + "/{run_id}",
            params=(path_param("run_id", "ID of the run to fetch."),),
            response_type="ApiRunDetail",
            summary="Get a run and its pipeline runtime.",
            description="",
            retry_safe=True,
        ),
        Endpoint(
            name="list_runs",
            method="GET",
            path=_RUNS,
            params=(
                query_param(
                    "page_token",
                    "str",
                    "Token of the page to fetch: next_page_token of the previous page.",
                ),
                query_param("page_size", "int", "Maximum number of runs in the page."),
                query_param(
                    "sort_by",
                    "str",
                    'Sort order: "field", "field asc" or "field desc" (ascending by default).',
                ),
                query_param(
                    "resource_reference_key_type",
                    "str",
                    "Type of the resource the runs belong to (e.g. EXPERIMENT, NAMESPACE).",
                    "resource_reference_key.type",
                ),
                query_param(
                    "resource_reference_key_id",
                    "str",
                    "ID of the resource the runs belong to.",
                    "resource_reference_key.id",
                ),
                query_param(
                    "filter",
                    "str",
                    "A filter on run fields: a filters.Filter, or its JSON (api.Filter) as a str.",
                ),
            ),
            response_type="ApiListRunsResponse",
            summary="List runs, one page at a time.",
            description="",
            retry_safe=True,
        ),
        Endpoint(
            name="read_artifact",
            method="GET",
            path=_RUNS + "/{run_id}/nodes/{node_id}/artifacts/{artifact_name}:read",
            params=(
                _RUN_ID,
                path_param("node_id", "ID of the node (pod) that produced the artifact."),
                path_param("artifact_name", "Name of the output artifact."),
            ),
            response_type="ApiReadArtifactResponse",
            summary="Read an output artifact of a run node.",
            description="The data is the stored object, base64-encoded (often a gzipped tar).",
            retry_safe=True,
        ),
        Endpoint(
            name="report_run_metrics",
            method="POST",
            path=_RUNS + "/{run_id}:reportMetrics",
            params=(
                _RUN_ID,
                body_param("ApiReportRunMetricsRequest", "The metrics to report."),
            ),
            response_type="ApiReportRunMetricsResponse",
            summary="Report metrics of a run.",
            description=(
                "Each metric is stored on its own and gets its own result; a metric is "
                "identified by (run_id, node_id, name) and the first report wins."
            ),
            retry_safe=True,
        ),
        Endpoint(
            name="retry_run",
            method="POST",
            path=_RUNS + "/{run_id}/retry",
            params=(_RUN_ID,),
            response_type="object",
            summary="Restart a failed or terminated run.",
            description="Repeating the call could restart the run again.",
            retry_safe=False,
        ),
        Endpoint(
            name="terminate_run",
            method="POST",
            path=_RUNS + "/{run_id}/terminate",
            params=(_RUN_ID,),
            response_type="object",
            summary="Terminate an active run.",
            description="A repeated call fails once the run is no longer active.",
            retry_safe=False,
        ),
        Endpoint(
            name="unarchive_run",
            method="POST",
            path=_RUNS + "/{id}:unarchive",
            params=(path_param("id", "ID of the run to restore."),),
            response_type="object",
            summary="Restore an archived run.",
            description="",
            retry_safe=True,
        ),
    )
}
