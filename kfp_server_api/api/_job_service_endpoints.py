"""The JobServiceApi endpoints as data: verb, path, parameters, response type, retry safety.

Kept apart from :mod:`kfp_server_api.api.job_service_api` (the typed methods) so that
each module has one job; ``JOB_SERVICE_ENDPOINTS`` is re-exported there.
"""

from __future__ import annotations

from kfp_server_api.endpoint import Endpoint, body_param, path_param, query_param

__all__ = ["JOB_SERVICE_ENDPOINTS"]

_JOBS = "/apis/v1beta1/jobs"

#: The JobService endpoints, by method name.
JOB_SERVICE_ENDPOINTS: dict[str, Endpoint] = {
    endpoint.name: endpoint
    for endpoint in (
        Endpoint(
            name="create_job",
            method="POST",
            path=_JOBS,
            params=(body_param("ApiJob", "The job to create; output-only fields are ignored."),),
            response_type="ApiJob",
            summary="Create a job that starts runs on a schedule.",
            description="Repeating the call would create a second job.",
            retry_safe=False,
        ),
        Endpoint(
            name="delete_job",
            method="DELETE",
            path=_JOBS + "/{id}",
            params=(path_param("id", "ID of the job to delete."),),
            response_type="object",
            summary="Delete a job.",
            description="Runs the job started are kept.",
            retry_safe=True,
        ),
        Endpoint(
            name="disable_job",
            method="POST",
            path=_JOBS + "/{id}/disable",
            params=(path_param("id", "ID of the job to disable."),),
            response_type="object",
            summary="Stop a job from starting new runs.",
            description="",
            retry_safe=True,
        ),
        Endpoint(
            name="enable_job",
            method="POST",
            path=_JOBS + "/{id}/enable",
            params=(path_param("id", "ID of the job to enable."),),
            response_type="object",
            summary="Let a job start runs on its schedule again.",
            description="",
            retry_safe=True,
        ),
        Endpoint(
            name="get_job",
            method="GET",
            path=_JOBS + "/{id}",
            params=(path_param("id", "ID of the job to fetch."),),
            response_type="ApiJob",
            summary="Get a job.",
            description="",
            retry_safe=True,
        ),
        Endpoint(
            name="list_jobs",
            method="GET",
            path=_JOBS,
            params=(
                query_param(
                    "page_token",
                    "str",
                    "Token of the page to fetch: next_page_token of the previous page.",
                ),
                query_param(
                    "page_size",
                    "int",
                    "Maximum number of jobs in the page.",
                    notes="Server default: 20; at most 200.",
                ),
                query_param(
                    "sort_by",
                    "str",
                    'Sort order: "field", "field asc" or "field desc" (ascending by default).',
                ),
                query_param(
                    "resource_reference_key_type",
                    "str",
                    "Type of the resource the jobs belong to (e.g. EXPERIMENT, NAMESPACE).",
                    "resource_reference_key.type",
                ),
                query_param(
                    "resource_reference_key_id",
                    "str",
                    "ID of the resource the jobs belong to.",
                    "resource_reference_key.id",
                ),
                query_param(
                    "filter", "str", "A JSON-serialized filter (api.Filter) on job fields."
                ),
            ),
            response_type="ApiListJobsResponse",
            summary="List jobs, one page at a time.",
            description="",
            retry_safe=True,
        ),
    )
}
