"""The PipelineServiceApi endpoints as data: verb, path, parameters, response type, retry safety.

Kept apart from :mod:`kfp_server_api.api.pipeline_service_api` (the typed methods) so that
each module has one job; ``PIPELINE_SERVICE_ENDPOINTS`` is re-exported there.
"""

from __future__ import annotations

from kfp_server_api.endpoint import Endpoint, body_param, path_param, query_param

__all__ = ["PIPELINE_SERVICE_ENDPOINTS"]

_PIPELINES = "/apis/v1beta1/pipelines"
_VERSIONS = "/apis/v1beta1/pipeline_versions"

_PIPELINE_ID = path_param("id", "ID of the pipeline.")
_VERSION_ID = path_param("version_id", "ID of the pipeline version.")
_PAGE_TOKEN = query_param(
    "page_token", "str", "Token of the page to fetch: next_page_token of the previous page."
)
_SORT_BY = query_param(
    "sort_by", "str", 'Sort order: "field", "field asc" or "field desc" (ascending by default).'
)

#: The PipelineService endpoints, by method name.
PIPELINE_SERVICE_ENDPOINTS: dict[str, Endpoint] = {
    endpoint.name: endpoint
    for endpoint in (
        Endpoint(
            name="create_pipeline",
            method="POST",
            path=_PIPELINES,
            params=(
                body_param(
                    "ApiPipeline", "The pipeline to create; url.pipeline_url locates its package."
                ),
            ),
            response_type="ApiPipeline",
            summary="Create a pipeline from a package the server downloads.",
            description="Not safe to repeat: pipeline names are unique, a second call fails.",
            retry_safe=False,
        ),
        Endpoint(
            name="create_pipeline_version",
            method="POST",
            path=_VERSIONS,
            params=(
                body_param(
                    "ApiPipelineVersion",
                    "The version to create: package_url and an owning PIPELINE reference.",
                ),
            ),
            response_type="ApiPipelineVersion",
            summary="Add a version to a pipeline from a package the server downloads.",
            description="Not safe to repeat: version names are unique per pipeline.",
            retry_safe=False,
        ),
        Endpoint(
            name="delete_pipeline",
            method="DELETE",
            path=_PIPELINES + "/{id}",
            params=(path_param("id", "ID of the pipeline to delete."),),
            response_type="object",
            summary="Delete a pipeline.",
            description=(
                "Runs and jobs created from it are kept. KFP 2.x servers refuse (400) while the "
                "pipeline has versions; cascade=True deletes them first."
            ),
            retry_safe=True,
        ),
        Endpoint(
            name="delete_pipeline_version",
            method="DELETE",
            path=_VERSIONS + "/{version_id}",
            params=(path_param("version_id", "ID of the pipeline version to delete."),),
            response_type="object",
            summary="Delete a pipeline version.",
            description="",
            retry_safe=True,
        ),
        Endpoint(
            name="get_pipeline",
            method="GET",
            path=_PIPELINES + "/{id}",
            params=(path_param("id", "ID of the pipeline to fetch."),),
            response_type="ApiPipeline",
            summary="Get a pipeline.",
            description="",
            retry_safe=True,
        ),
        Endpoint(
            name="get_pipeline_by_name",
            method="GET",
            path="/apis/v1beta1/namespaces/{namespace}/pipelines/{name}",
            params=(
                path_param("name", "Name of the pipeline to fetch."),
                path_param("namespace", 'Namespace of the pipeline; "-" for shared pipelines.'),
            ),
            response_type="ApiPipeline",
            summary="Get a pipeline by its name (KFP 2.0.0 and later servers).",
            description="",
            retry_safe=True,
        ),
        Endpoint(
            name="get_pipeline_version",
            method="GET",
            path=_VERSIONS + "/{version_id}",
            params=(path_param("version_id", "ID of the pipeline version to fetch."),),
            response_type="ApiPipelineVersion",
            summary="Get a pipeline version.",
            description="",
            retry_safe=True,
        ),
        Endpoint(
            name="get_pipeline_version_template",
            method="GET",
            path=_VERSIONS + "/{version_id}/templates",
            params=(_VERSION_ID,),
            response_type="ApiGetTemplateResponse",
            summary="Get the compiled pipeline (template) of a pipeline version.",
            description="",
            retry_safe=True,
        ),
        Endpoint(
            name="get_template",
            method="GET",
            path=_PIPELINES + "/{id}/templates",
            params=(_PIPELINE_ID,),
            response_type="ApiGetTemplateResponse",
            summary="Get the compiled pipeline (template) of a pipeline's default version.",
            description="KFP 2.x servers return the latest version's template.",
            retry_safe=True,
        ),
        Endpoint(
            name="list_pipeline_versions",
            method="GET",
            path=_VERSIONS,
            params=(
                query_param(
                    "resource_key_type",
                    "str",
                    "Type of the resource the versions belong to: PIPELINE.",
                    "resource_key.type",
                ),
                query_param(
                    "resource_key_id",
                    "str",
                    "ID of the pipeline whose versions to list.",
                    "resource_key.id",
                ),
                query_param(
                    "page_size",
                    "int",
                    "Maximum number of versions in the page.",
                    notes="Server default: 20; at most 200.",
                ),
                _PAGE_TOKEN,
                _SORT_BY,
                query_param(
                    "filter", "str", "A JSON-serialized filter (api.Filter) on version fields."
                ),
            ),
            response_type="ApiListPipelineVersionsResponse",
            summary="List the versions of a pipeline, one page at a time.",
            description="",
            retry_safe=True,
        ),
        Endpoint(
            name="list_pipelines",
            method="GET",
            path=_PIPELINES,
            params=(
                _PAGE_TOKEN,
                query_param(
                    "page_size",
                    "int",
                    "Maximum number of pipelines in the page.",
                    notes="Server default: 20; at most 200.",
                ),
                _SORT_BY,
                query_param(
                    "filter", "str", "A JSON-serialized filter (api.Filter) on pipeline fields."
                ),
                query_param(
                    "resource_reference_key_type",
                    "str",
                    "Type of the resource the pipelines belong to (NAMESPACE).",
                    "resource_reference_key.type",
                ),
                query_param(
                    "resource_reference_key_id",
                    "str",
                    "ID of the resource the pipelines belong to.",
                    "resource_reference_key.id",
                ),
            ),
            response_type="ApiListPipelinesResponse",
            summary="List pipelines, one page at a time.",
            description="",
            retry_safe=True,
        ),
        Endpoint(
            name="update_pipeline_default_version",
            method="POST",
            path=_PIPELINES + "/{pipeline_id}/default_version/{version_id}",
            params=(
                path_param("pipeline_id", "ID of the pipeline to update."),
                path_param("version_id", "ID of the version to make the default."),
            ),
            response_type="object",
            summary="Make a version the default version of its pipeline.",
            description="KFP 2.x servers store it, but use the latest version everywhere.",
            retry_safe=True,
        ),
    )
}
