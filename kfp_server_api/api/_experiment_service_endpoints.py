"""The ExperimentServiceApi endpoints as data: verb, path, parameters, response type, retry safety.

Kept apart from :mod:`kfp_server_api.api.experiment_service_api` (the typed methods) so that
each module has one job; ``EXPERIMENT_SERVICE_ENDPOINTS`` is re-exported there.
"""

from __future__ import annotations

from kfp_server_api.endpoint import Endpoint, body_param, path_param, query_param

__all__ = ["EXPERIMENT_SERVICE_ENDPOINTS"]

_EXPERIMENTS = "/apis/v1beta1/experiments"

#: The ExperimentService endpoints, by method name.
EXPERIMENT_SERVICE_ENDPOINTS: dict[str, Endpoint] = {
    endpoint.name: endpoint
    for endpoint in (
        Endpoint(
            name="archive_experiment",
            method="POST",
            path=_EXPERIMENTS + "/{id}:archive",
            params=(path_param("id", "ID of the experiment to archive."),),
            response_type="object",
            summary="Archive an experiment.",
            description=(
                "The experiment's runs are archived with it and its recurring runs are disabled."
            ),
            retry_safe=True,
        ),
        Endpoint(
            name="create_experiment",
            method="POST",
            path=_EXPERIMENTS,
            params=(
                body_param(
                    "ApiExperiment", "The experiment to create; output-only fields are ignored."
                ),
            ),
            response_type="ApiExperiment",
            summary="Create an experiment.",
            description="Repeating the call fails: experiment names are unique per namespace.",
            retry_safe=False,
        ),
        Endpoint(
            name="delete_experiment",
            method="DELETE",
            path=_EXPERIMENTS + "/{id}",
            params=(path_param("id", "ID of the experiment to delete."),),
            response_type="object",
            summary="Delete an experiment.",
            description="",
            retry_safe=True,
        ),
        Endpoint(
            name="get_experiment",
            method="GET",
            path=_EXPERIMENTS + "/{id}",
            params=(path_param("id", "ID of the experiment to fetch."),),
            response_type="ApiExperiment",
            summary="Get an experiment.",
            description="",
            retry_safe=True,
        ),
        Endpoint(
            name="list_experiment",
            method="GET",
            path=_EXPERIMENTS,
            params=(
                query_param(
                    "page_token",
                    "str",
                    "Token of the page to fetch: next_page_token of the previous page.",
                ),
                query_param(
                    "page_size",
                    "int",
                    "Maximum number of experiments in the page.",
                    notes="Server default: 20; at most 200.",
                ),
                query_param(
                    "sort_by",
                    "str",
                    'Sort order: "field", "field asc" or "field desc" (ascending by default).',
                ),
                query_param(
                    "filter", "str", "A JSON-serialized filter (api.Filter) on experiment fields."
                ),
                query_param(
                    "resource_reference_key_type",
                    "str",
                    "Type of the resource the experiments belong to (NAMESPACE).",
                    "resource_reference_key.type",
                ),
                query_param(
                    "resource_reference_key_id",
                    "str",
                    "ID of the resource the experiments belong to (the namespace name).",
                    "resource_reference_key.id",
                ),
            ),
            response_type="ApiListExperimentsResponse",
            summary="List experiments, one page at a time.",
            description="",
            retry_safe=True,
        ),
        Endpoint(
            name="unarchive_experiment",
            method="POST",
            path=_EXPERIMENTS + "/{id}:unarchive",
            params=(path_param("id", "ID of the experiment to restore."),),
            response_type="object",
            summary="Restore an archived experiment.",
            description="Its runs stay archived; restore them one by one.",
            retry_safe=True,
        ),
    )
}
