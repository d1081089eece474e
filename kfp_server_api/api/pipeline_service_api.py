"""``PipelineServiceApi``: pipelines and their versions, created from package URLs.

A pipeline is a named series of versions, each one a compiled pipeline package; one version is
the pipeline's default. To send a package file instead of a URL, use ``PipelineUploadServiceApi``.
The endpoints are described once, as data, in ``PIPELINE_SERVICE_ENDPOINTS``; each method binds
its arguments and calls :func:`kfp_server_api.endpoint.call_endpoint`. The keyword options every
method accepts and the errors every method can raise are described once, in
:mod:`kfp_server_api.endpoint`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, overload

from kfp_server_api.api._pipeline_service_endpoints import PIPELINE_SERVICE_ENDPOINTS
from kfp_server_api.endpoint import ServiceApi

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from kfp_server_api._call_options import (
        AnyCall,
        AnyInfoCall,
        AsyncCall,
        AsyncInfoCall,
        AsyncResult,
        Call,
        CallResult,
        HttpInfo,
        InfoCall,
        InfoResult,
        RawCall,
        RawResponse,
    )
    from kfp_server_api.filters import Filter
    from kfp_server_api.models import (
        ApiGetTemplateResponse,
        ApiListPipelinesResponse,
        ApiListPipelineVersionsResponse,
        ApiPipeline,
        ApiPipelineVersion,
    )

__all__ = ["PIPELINE_SERVICE_ENDPOINTS", "PipelineServiceApi"]


class PipelineServiceApi(ServiceApi):
    """Calls of the Kubeflow Pipelines pipeline service (pipelines and pipeline versions).

    Args:
        api_client: the client to send requests with (default: a new ``ApiClient()``).

    Each method ``x`` returns the decoded result; its twin ``x_with_http_info`` returns
    ``(result, status, headers)``. Keyword options and errors common to every method: see
    :mod:`kfp_server_api.endpoint`.
    """

    endpoints = PIPELINE_SERVICE_ENDPOINTS

    @overload
    def create_pipeline(self, body: ApiPipeline, **options: Unpack[Call]) -> ApiPipeline: ...
    @overload
    def create_pipeline(
        self, body: ApiPipeline, **options: Unpack[AsyncCall]
    ) -> AsyncResult[ApiPipeline]: ...
    @overload
    def create_pipeline(self, body: ApiPipeline, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def create_pipeline(
        self, body: ApiPipeline, **options: Unpack[AnyCall]
    ) -> CallResult[ApiPipeline]: ...
    def create_pipeline(self, body: ApiPipeline, **kwargs: Any) -> Any:
        """Create a pipeline from a package the server downloads.

        The server fetches the package from ``body.url.pipeline_url`` and makes it the first
        (and default) version. Not safe to repeat blindly: a second call with the same name
        fails.

        Args:
            body: the pipeline: ``url`` (an ``ApiUrl`` with the package address), ``name``
                (default: taken from the package file name) and ``description``.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The created pipeline, with its ``id`` and ``default_version``.

        Raises:
            BadRequestException: no or invalid URL, the package is not a valid pipeline, or
                the name is taken (the KFP 1.x servers report a taken name as invalid input).
            ConflictException: the name is taken (servers that report it as a conflict).
            ServiceException: the server could not download the package.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.create_pipeline_with_http_info(body, **kwargs)

    @overload
    def create_pipeline_with_http_info(
        self, body: ApiPipeline, **options: Unpack[InfoCall]
    ) -> HttpInfo[ApiPipeline]: ...
    @overload
    def create_pipeline_with_http_info(
        self, body: ApiPipeline, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[ApiPipeline]]: ...
    @overload
    def create_pipeline_with_http_info(
        self, body: ApiPipeline, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def create_pipeline_with_http_info(
        self, body: ApiPipeline, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[ApiPipeline]: ...
    def create_pipeline_with_http_info(self, body: ApiPipeline, **kwargs: Any) -> Any:
        """Like :meth:`create_pipeline`, returning ``(data, status, headers)``."""
        return self._call("create_pipeline", {"body": body}, kwargs)

    @overload
    def create_pipeline_version(
        self, body: ApiPipelineVersion, **options: Unpack[Call]
    ) -> ApiPipelineVersion: ...
    @overload
    def create_pipeline_version(
        self, body: ApiPipelineVersion, **options: Unpack[AsyncCall]
    ) -> AsyncResult[ApiPipelineVersion]: ...
    @overload
    def create_pipeline_version(
        self, body: ApiPipelineVersion, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def create_pipeline_version(
        self, body: ApiPipelineVersion, **options: Unpack[AnyCall]
    ) -> CallResult[ApiPipelineVersion]: ...
    def create_pipeline_version(self, body: ApiPipelineVersion, **kwargs: Any) -> Any:
        """Add a version to a pipeline from a package the server downloads.

        The new version becomes the pipeline's default. Not safe to repeat blindly: a second
        call with the same name fails.

        Args:
            body: the version: ``name``, ``package_url`` (an ``ApiUrl``), optionally
                ``code_source_url`` and ``description``, and a resource reference with key
                ``(PIPELINE, pipeline id)`` and relationship ``OWNER``.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The created version, with its ``id``.

        Raises:
            BadRequestException: no or invalid package URL, no owning pipeline reference,
                the package is not a valid pipeline, or the pipeline has a version with that
                name already (the KFP 1.x servers report a taken name as invalid input).
            ConflictException: the name is taken (servers that report it as a conflict).
            ServiceException: the server could not download the package.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.create_pipeline_version_with_http_info(body, **kwargs)

    @overload
    def create_pipeline_version_with_http_info(
        self, body: ApiPipelineVersion, **options: Unpack[InfoCall]
    ) -> HttpInfo[ApiPipelineVersion]: ...
    @overload
    def create_pipeline_version_with_http_info(
        self, body: ApiPipelineVersion, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[ApiPipelineVersion]]: ...
    @overload
    def create_pipeline_version_with_http_info(
        self, body: ApiPipelineVersion, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def create_pipeline_version_with_http_info(
        self, body: ApiPipelineVersion, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[ApiPipelineVersion]: ...
    def create_pipeline_version_with_http_info(
        self, body: ApiPipelineVersion, **kwargs: Any
    ) -> Any:
        """Like :meth:`create_pipeline_version`, returning ``(data, status, headers)``."""
        return self._call("create_pipeline_version", {"body": body}, kwargs)

    @overload
    def delete_pipeline(
        self, id: str, *, cascade: bool = False, **options: Unpack[Call]
    ) -> dict[str, Any]: ...
    @overload
    def delete_pipeline(
        self, id: str, *, cascade: bool = False, **options: Unpack[AsyncCall]
    ) -> AsyncResult[dict[str, Any]]: ...
    @overload
    def delete_pipeline(
        self, id: str, *, cascade: bool = False, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def delete_pipeline(
        self, id: str, *, cascade: bool = False, **options: Unpack[AnyCall]
    ) -> CallResult[dict[str, Any]]: ...
    def delete_pipeline(self, id: str, *, cascade: bool = False, **kwargs: Any) -> Any:
        """Delete a pipeline.

        Runs and jobs created from the pipeline are kept. A KFP 1.8 server deletes the
        pipeline's versions with it. A KFP 2.x server refuses while the pipeline has versions
        (which every uploaded pipeline has): pass ``cascade=True`` to delete them first.

        Args:
            id: ID of the pipeline to delete.
            cascade: first list the pipeline's versions and delete each one (a version that is
                already gone is skipped), then delete the pipeline. Not atomic: if a call
                fails, the versions deleted so far stay deleted.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`); with ``cascade``,
                ``_request_timeout`` applies to each call.

        Returns:
            The server's (empty) JSON object, as a dict.

        Raises:
            NotFoundException: no such pipeline.
            BadRequestException: a KFP 2.x server, without ``cascade``: "Failed to delete
                pipeline with id ... as it has existing pipeline versions".
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.delete_pipeline_with_http_info(id, cascade=cascade, **kwargs)

    @overload
    def delete_pipeline_with_http_info(
        self, id: str, *, cascade: bool = False, **options: Unpack[InfoCall]
    ) -> HttpInfo[dict[str, Any]]: ...
    @overload
    def delete_pipeline_with_http_info(
        self, id: str, *, cascade: bool = False, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[dict[str, Any]]]: ...
    @overload
    def delete_pipeline_with_http_info(
        self, id: str, *, cascade: bool = False, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def delete_pipeline_with_http_info(
        self, id: str, *, cascade: bool = False, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[dict[str, Any]]: ...
    def delete_pipeline_with_http_info(
        self, id: str, *, cascade: bool = False, **kwargs: Any
    ) -> Any:
        """Like :meth:`delete_pipeline`, returning ``(data, status, headers)``."""
        if not cascade:
            return self._call("delete_pipeline", {"id": id}, kwargs)

        def versions_then_pipeline(options: dict[str, Any]) -> Any:
            self._delete_versions(id, options.get("_request_timeout"))
            return self._call("delete_pipeline", {"id": id}, options)

        return self._call_in_steps("delete_pipeline", versions_then_pipeline, kwargs)

    def _delete_versions(self, pipeline_id: str, request_timeout: Any) -> None:
        """Delete every version of a pipeline (the cascade of :meth:`delete_pipeline`)."""
        from kfp_server_api.exceptions import NotFoundException
        from kfp_server_api.pagination import paginate

        options = {} if request_timeout is None else {"_request_timeout": request_timeout}
        # All ids first: deleting while paging would shift the pages under the token.
        version_ids = [
            version.id
            for version in paginate(
                self.list_pipeline_versions,
                resource_key_type="PIPELINE",
                resource_key_id=pipeline_id,
                **options,
            )
        ]
        for version_id in version_ids:
            try:
                self.delete_pipeline_version(version_id, **options)
            except NotFoundException:
                continue  # deleted meanwhile: the cascade's goal is reached for it

    @overload
    def delete_pipeline_version(
        self, version_id: str, **options: Unpack[Call]
    ) -> dict[str, Any]: ...
    @overload
    def delete_pipeline_version(
        self, version_id: str, **options: Unpack[AsyncCall]
    ) -> AsyncResult[dict[str, Any]]: ...
    @overload
    def delete_pipeline_version(
        self, version_id: str, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def delete_pipeline_version(
        self, version_id: str, **options: Unpack[AnyCall]
    ) -> CallResult[dict[str, Any]]: ...
    def delete_pipeline_version(self, version_id: str, **kwargs: Any) -> Any:
        """Delete a pipeline version.

        Args:
            version_id: ID of the pipeline version to delete.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The server's (empty) JSON object, as a dict.

        Raises:
            NotFoundException: no such pipeline version.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.delete_pipeline_version_with_http_info(version_id, **kwargs)

    @overload
    def delete_pipeline_version_with_http_info(
        self, version_id: str, **options: Unpack[InfoCall]
    ) -> HttpInfo[dict[str, Any]]: ...
    @overload
    def delete_pipeline_version_with_http_info(
        self, version_id: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[dict[str, Any]]]: ...
    @overload
    def delete_pipeline_version_with_http_info(
        self, version_id: str, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def delete_pipeline_version_with_http_info(
        self, version_id: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[dict[str, Any]]: ...
    def delete_pipeline_version_with_http_info(self, version_id: str, **kwargs: Any) -> Any:
        """Like :meth:`delete_pipeline_version`, returning ``(data, status, headers)``."""
        return self._call("delete_pipeline_version", {"version_id": version_id}, kwargs)

    @overload
    def get_pipeline(self, id: str, **options: Unpack[Call]) -> ApiPipeline: ...
    @overload
    def get_pipeline(self, id: str, **options: Unpack[AsyncCall]) -> AsyncResult[ApiPipeline]: ...
    @overload
    def get_pipeline(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def get_pipeline(self, id: str, **options: Unpack[AnyCall]) -> CallResult[ApiPipeline]: ...
    def get_pipeline(self, id: str, **kwargs: Any) -> Any:
        """Get a pipeline.

        Args:
            id: ID of the pipeline to fetch.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The pipeline, with its parameters and ``default_version`` (on KFP 2.x servers: the
            latest version, and no ``parameters`` for a v2 (IR) pipeline).

        Raises:
            NotFoundException: no such pipeline.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.get_pipeline_with_http_info(id, **kwargs)

    @overload
    def get_pipeline_with_http_info(
        self, id: str, **options: Unpack[InfoCall]
    ) -> HttpInfo[ApiPipeline]: ...
    @overload
    def get_pipeline_with_http_info(
        self, id: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[ApiPipeline]]: ...
    @overload
    def get_pipeline_with_http_info(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def get_pipeline_with_http_info(
        self, id: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[ApiPipeline]: ...
    def get_pipeline_with_http_info(self, id: str, **kwargs: Any) -> Any:
        """Like :meth:`get_pipeline`, returning ``(data, status, headers)``."""
        return self._call("get_pipeline", {"id": id}, kwargs)

    @overload
    def get_pipeline_by_name(
        self, name: str, namespace: str = "-", **options: Unpack[Call]
    ) -> ApiPipeline: ...
    @overload
    def get_pipeline_by_name(
        self, name: str, namespace: str = "-", **options: Unpack[AsyncCall]
    ) -> AsyncResult[ApiPipeline]: ...
    @overload
    def get_pipeline_by_name(
        self, name: str, namespace: str = "-", **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def get_pipeline_by_name(
        self, name: str, namespace: str = "-", **options: Unpack[AnyCall]
    ) -> CallResult[ApiPipeline]: ...
    def get_pipeline_by_name(self, name: str, namespace: str = "-", **kwargs: Any) -> Any:
        """Get a pipeline by its name (KFP 2.0.0 and later servers).

        Args:
            name: name of the pipeline to fetch.
            namespace: namespace of the pipeline; ``"-"`` (the default) for shared pipelines.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The pipeline, as :meth:`get_pipeline` returns it.

        Raises:
            NotFoundException: no pipeline of that name in that namespace.
            ServerVersionError: the server is a KFP 1.x release, which does not offer the call
                (a ``NotFoundException`` that names the release needed and the server's).
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.get_pipeline_by_name_with_http_info(name, namespace, **kwargs)

    @overload
    def get_pipeline_by_name_with_http_info(
        self, name: str, namespace: str = "-", **options: Unpack[InfoCall]
    ) -> HttpInfo[ApiPipeline]: ...
    @overload
    def get_pipeline_by_name_with_http_info(
        self, name: str, namespace: str = "-", **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[ApiPipeline]]: ...
    @overload
    def get_pipeline_by_name_with_http_info(
        self, name: str, namespace: str = "-", **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def get_pipeline_by_name_with_http_info(
        self, name: str, namespace: str = "-", **options: Unpack[AnyInfoCall]
    ) -> InfoResult[ApiPipeline]: ...
    def get_pipeline_by_name_with_http_info(
        self, name: str, namespace: str = "-", **kwargs: Any
    ) -> Any:
        """Like :meth:`get_pipeline_by_name`, returning ``(data, status, headers)``."""
        from kfp_server_api.exceptions import NotFoundException
        from kfp_server_api.server_version import explain_not_found

        def fetch(options: dict[str, Any]) -> Any:
            try:
                return self._call(
                    "get_pipeline_by_name", {"name": name, "namespace": namespace}, options
                )
            except NotFoundException as not_found:
                explained = explain_not_found(
                    self.api_client, not_found, "get_pipeline_by_name", "2.0.0"
                )
                if explained is not_found:
                    raise
                raise explained from not_found

        return self._call_in_steps("get_pipeline_by_name", fetch, kwargs)

    @overload
    def get_pipeline_version(
        self, version_id: str, **options: Unpack[Call]
    ) -> ApiPipelineVersion: ...
    @overload
    def get_pipeline_version(
        self, version_id: str, **options: Unpack[AsyncCall]
    ) -> AsyncResult[ApiPipelineVersion]: ...
    @overload
    def get_pipeline_version(self, version_id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def get_pipeline_version(
        self, version_id: str, **options: Unpack[AnyCall]
    ) -> CallResult[ApiPipelineVersion]: ...
    def get_pipeline_version(self, version_id: str, **kwargs: Any) -> Any:
        """Get a pipeline version.

        Args:
            version_id: ID of the pipeline version to fetch.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The version, with its parameters and the reference to its pipeline.

        Raises:
            NotFoundException: no such pipeline version.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.get_pipeline_version_with_http_info(version_id, **kwargs)

    @overload
    def get_pipeline_version_with_http_info(
        self, version_id: str, **options: Unpack[InfoCall]
    ) -> HttpInfo[ApiPipelineVersion]: ...
    @overload
    def get_pipeline_version_with_http_info(
        self, version_id: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[ApiPipelineVersion]]: ...
    @overload
    def get_pipeline_version_with_http_info(
        self, version_id: str, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def get_pipeline_version_with_http_info(
        self, version_id: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[ApiPipelineVersion]: ...
    def get_pipeline_version_with_http_info(self, version_id: str, **kwargs: Any) -> Any:
        """Like :meth:`get_pipeline_version`, returning ``(data, status, headers)``."""
        return self._call("get_pipeline_version", {"version_id": version_id}, kwargs)

    @overload
    def get_pipeline_version_template(
        self, version_id: str, **options: Unpack[Call]
    ) -> ApiGetTemplateResponse: ...
    @overload
    def get_pipeline_version_template(
        self, version_id: str, **options: Unpack[AsyncCall]
    ) -> AsyncResult[ApiGetTemplateResponse]: ...
    @overload
    def get_pipeline_version_template(
        self, version_id: str, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def get_pipeline_version_template(
        self, version_id: str, **options: Unpack[AnyCall]
    ) -> CallResult[ApiGetTemplateResponse]: ...
    def get_pipeline_version_template(self, version_id: str, **kwargs: Any) -> Any:
        """Get the compiled pipeline (template) of a pipeline version.

        Args:
            version_id: ID of the pipeline version.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            ``template``: the compiled pipeline as text (YAML or JSON, as uploaded).

        Raises:
            NotFoundException: no such pipeline version.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.get_pipeline_version_template_with_http_info(version_id, **kwargs)

    @overload
    def get_pipeline_version_template_with_http_info(
        self, version_id: str, **options: Unpack[InfoCall]
    ) -> HttpInfo[ApiGetTemplateResponse]: ...
    @overload
    def get_pipeline_version_template_with_http_info(
        self, version_id: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[ApiGetTemplateResponse]]: ...
    @overload
    def get_pipeline_version_template_with_http_info(
        self, version_id: str, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def get_pipeline_version_template_with_http_info(
        self, version_id: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[ApiGetTemplateResponse]: ...
    def get_pipeline_version_template_with_http_info(self, version_id: str, **kwargs: Any) -> Any:
        """Like :meth:`get_pipeline_version_template`, returning ``(data, status, headers)``."""
        return self._call("get_pipeline_version_template", {"version_id": version_id}, kwargs)

    @overload
    def get_template(self, id: str, **options: Unpack[Call]) -> ApiGetTemplateResponse: ...
    @overload
    def get_template(
        self, id: str, **options: Unpack[AsyncCall]
    ) -> AsyncResult[ApiGetTemplateResponse]: ...
    @overload
    def get_template(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def get_template(
        self, id: str, **options: Unpack[AnyCall]
    ) -> CallResult[ApiGetTemplateResponse]: ...
    def get_template(self, id: str, **kwargs: Any) -> Any:
        """Get the compiled pipeline (template) of a pipeline's default version.

        KFP 2.x servers return the template of the latest version instead; to get a given
        version's, call :meth:`get_pipeline_version_template`.

        Args:
            id: ID of the pipeline.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            ``template``: the compiled pipeline as text (YAML or JSON, as uploaded).

        Raises:
            NotFoundException: no such pipeline.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.get_template_with_http_info(id, **kwargs)

    @overload
    def get_template_with_http_info(
        self, id: str, **options: Unpack[InfoCall]
    ) -> HttpInfo[ApiGetTemplateResponse]: ...
    @overload
    def get_template_with_http_info(
        self, id: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[ApiGetTemplateResponse]]: ...
    @overload
    def get_template_with_http_info(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def get_template_with_http_info(
        self, id: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[ApiGetTemplateResponse]: ...
    def get_template_with_http_info(self, id: str, **kwargs: Any) -> Any:
        """Like :meth:`get_template`, returning ``(data, status, headers)``."""
        return self._call("get_template", {"id": id}, kwargs)

    @overload
    def list_pipeline_versions(
        self,
        *,
        resource_key_type: str | None = None,
        resource_key_id: str | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[Call],
    ) -> ApiListPipelineVersionsResponse: ...
    @overload
    def list_pipeline_versions(
        self,
        *,
        resource_key_type: str | None = None,
        resource_key_id: str | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[AsyncCall],
    ) -> AsyncResult[ApiListPipelineVersionsResponse]: ...
    @overload
    def list_pipeline_versions(
        self,
        *,
        resource_key_type: str | None = None,
        resource_key_id: str | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[RawCall],
    ) -> RawResponse: ...
    @overload
    def list_pipeline_versions(
        self,
        *,
        resource_key_type: str | None = None,
        resource_key_id: str | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[AnyCall],
    ) -> CallResult[ApiListPipelineVersionsResponse]: ...
    def list_pipeline_versions(
        self,
        *,
        resource_key_type: str | None = None,
        resource_key_id: str | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        **kwargs: Any,
    ) -> Any:
        """List the versions of a pipeline, one page at a time.

        Args:
            resource_key_type (str): ``ApiResourceType.PIPELINE`` (sent as
                ``resource_key.type``).
            resource_key_id (str): ID of the pipeline whose versions to list (sent as
                ``resource_key.id``).
            page_size (int): maximum number of versions in the page.
            page_token (str): token of the page to fetch: ``next_page_token`` of the previous
                page; omit it for the first page.
            sort_by (str): ``"field"``, ``"field asc"`` or ``"field desc"`` (ascending by
                default), e.g. ``"created_at desc"``.
            filter (str): a JSON-serialized ``api.Filter`` on version fields (a
                :class:`kfp_server_api.filters.Filter` may be passed as it is).
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The page: ``versions``, ``total_size`` and ``next_page_token`` (absent on the last
            page).

        Raises:
            BadRequestException: no pipeline given, or invalid page token, page size, sort
                order or filter.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.list_pipeline_versions_with_http_info(
            resource_key_type=resource_key_type,
            resource_key_id=resource_key_id,
            page_size=page_size,
            page_token=page_token,
            sort_by=sort_by,
            filter=filter,
            **kwargs,
        )

    @overload
    def list_pipeline_versions_with_http_info(
        self,
        *,
        resource_key_type: str | None = None,
        resource_key_id: str | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[InfoCall],
    ) -> HttpInfo[ApiListPipelineVersionsResponse]: ...
    @overload
    def list_pipeline_versions_with_http_info(
        self,
        *,
        resource_key_type: str | None = None,
        resource_key_id: str | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[AsyncInfoCall],
    ) -> AsyncResult[HttpInfo[ApiListPipelineVersionsResponse]]: ...
    @overload
    def list_pipeline_versions_with_http_info(
        self,
        *,
        resource_key_type: str | None = None,
        resource_key_id: str | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[RawCall],
    ) -> RawResponse: ...
    @overload
    def list_pipeline_versions_with_http_info(
        self,
        *,
        resource_key_type: str | None = None,
        resource_key_id: str | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[AnyInfoCall],
    ) -> InfoResult[ApiListPipelineVersionsResponse]: ...
    def list_pipeline_versions_with_http_info(
        self,
        *,
        resource_key_type: str | None = None,
        resource_key_id: str | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        **kwargs: Any,
    ) -> Any:
        """Like :meth:`list_pipeline_versions`, returning ``(data, status, headers)``."""
        return self._call(
            "list_pipeline_versions",
            {
                "resource_key_type": resource_key_type,
                "resource_key_id": resource_key_id,
                "page_size": page_size,
                "page_token": page_token,
                "sort_by": sort_by,
                "filter": filter,
            },
            kwargs,
        )

    @overload
    def list_pipelines(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        **options: Unpack[Call],
    ) -> ApiListPipelinesResponse: ...
    @overload
    def list_pipelines(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        **options: Unpack[AsyncCall],
    ) -> AsyncResult[ApiListPipelinesResponse]: ...
    @overload
    def list_pipelines(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        **options: Unpack[RawCall],
    ) -> RawResponse: ...
    @overload
    def list_pipelines(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        **options: Unpack[AnyCall],
    ) -> CallResult[ApiListPipelinesResponse]: ...
    def list_pipelines(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """List pipelines, one page at a time.

        Args:
            page_token (str): token of the page to fetch: ``next_page_token`` of the previous
                page; omit it for the first page.
            page_size (int): maximum number of pipelines in the page.
            sort_by (str): ``"field"``, ``"field asc"`` or ``"field desc"`` (ascending by
                default), e.g. ``"name"``.
            filter (str): a JSON-serialized ``api.Filter`` on pipeline fields (a
                :class:`kfp_server_api.filters.Filter` may be passed as it is).
            resource_reference_key_type (str): type of the resource the pipelines belong to
                (sent as ``resource_reference_key.type``).
            resource_reference_key_id (str): ID of that resource (sent as
                ``resource_reference_key.id``).
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The page: ``pipelines``, ``total_size`` and ``next_page_token`` (absent on the last
            page).

        Raises:
            BadRequestException: invalid page token, page size, sort order or filter.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.list_pipelines_with_http_info(
            page_token=page_token,
            page_size=page_size,
            sort_by=sort_by,
            filter=filter,
            resource_reference_key_type=resource_reference_key_type,
            resource_reference_key_id=resource_reference_key_id,
            **kwargs,
        )

    @overload
    def list_pipelines_with_http_info(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        **options: Unpack[InfoCall],
    ) -> HttpInfo[ApiListPipelinesResponse]: ...
    @overload
    def list_pipelines_with_http_info(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        **options: Unpack[AsyncInfoCall],
    ) -> AsyncResult[HttpInfo[ApiListPipelinesResponse]]: ...
    @overload
    def list_pipelines_with_http_info(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        **options: Unpack[RawCall],
    ) -> RawResponse: ...
    @overload
    def list_pipelines_with_http_info(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        **options: Unpack[AnyInfoCall],
    ) -> InfoResult[ApiListPipelinesResponse]: ...
    def list_pipelines_with_http_info(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """Like :meth:`list_pipelines`, returning ``(data, status, headers)``."""
        return self._call(
            "list_pipelines",
            {
                "page_token": page_token,
                "page_size": page_size,
                "sort_by": sort_by,
                "filter": filter,
                "resource_reference_key_type": resource_reference_key_type,
                "resource_reference_key_id": resource_reference_key_id,
            },
            kwargs,
        )

    @overload
    def update_pipeline_default_version(
        self, pipeline_id: str, version_id: str, **options: Unpack[Call]
    ) -> dict[str, Any]: ...
    @overload
    def update_pipeline_default_version(
        self, pipeline_id: str, version_id: str, **options: Unpack[AsyncCall]
    ) -> AsyncResult[dict[str, Any]]: ...
    @overload
    def update_pipeline_default_version(
        self, pipeline_id: str, version_id: str, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def update_pipeline_default_version(
        self, pipeline_id: str, version_id: str, **options: Unpack[AnyCall]
    ) -> CallResult[dict[str, Any]]: ...
    def update_pipeline_default_version(
        self, pipeline_id: str, version_id: str, **kwargs: Any
    ) -> Any:
        """Make a version the default version of its pipeline.

        On KFP 1.8 servers, the default version is the one ``get_template`` returns and the one
        runs use when they name only the pipeline. Repeating the call leaves the same default.
        KFP 2.x servers answer 200 and store it, but nothing a v1beta1 caller sees changes:
        ``default_version``, ``get_template`` and runs naming only the pipeline all use the
        latest version. To run a given version on either, reference the ``PIPELINE_VERSION``.

        Args:
            pipeline_id: ID of the pipeline to update.
            version_id: ID of the version to make the default.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The server's (empty) JSON object, as a dict.

        Raises:
            NotFoundException: no such pipeline or version.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.update_pipeline_default_version_with_http_info(
            pipeline_id, version_id, **kwargs
        )

    @overload
    def update_pipeline_default_version_with_http_info(
        self, pipeline_id: str, version_id: str, **options: Unpack[InfoCall]
    ) -> HttpInfo[dict[str, Any]]: ...
    @overload
    def update_pipeline_default_version_with_http_info(
        self, pipeline_id: str, version_id: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[dict[str, Any]]]: ...
    @overload
    def update_pipeline_default_version_with_http_info(
        self, pipeline_id: str, version_id: str, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def update_pipeline_default_version_with_http_info(
        self, pipeline_id: str, version_id: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[dict[str, Any]]: ...
    def update_pipeline_default_version_with_http_info(
        self, pipeline_id: str, version_id: str, **kwargs: Any
    ) -> Any:
        """Like :meth:`update_pipeline_default_version`, returning ``(data, status, headers)``."""
        return self._call(
            "update_pipeline_default_version",
            {"pipeline_id": pipeline_id, "version_id": version_id},
            kwargs,
        )
