"""``PipelineServiceApi``: pipelines and their versions, created from package URLs.

A pipeline is a named series of versions, each one a compiled pipeline package; one version is
the pipeline's default. To send a package file instead of a URL, use ``PipelineUploadServiceApi``.
The endpoints are described once, as data, in ``PIPELINE_SERVICE_ENDPOINTS``; each method binds
its arguments and calls :func:`kfp_server_api.endpoint.call_endpoint`. The class defines the
pipeline calls and inherits the version calls (``_pipeline_versions``) and the paged listings
(``_pipeline_listing``), each kept in a private module of its own. The keyword options every
method accepts and the errors every method can raise are described once, in
:mod:`kfp_server_api.endpoint`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, overload

from kfp_server_api.api._pipeline_listing import _PipelineListingMethods
from kfp_server_api.api._pipeline_service_endpoints import PIPELINE_SERVICE_ENDPOINTS
from kfp_server_api.api._pipeline_versions import _PipelineVersionMethods

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
    from kfp_server_api.models import ApiGetTemplateResponse, ApiPipeline

__all__ = ["PIPELINE_SERVICE_ENDPOINTS", "PipelineServiceApi"]


class PipelineServiceApi(_PipelineVersionMethods, _PipelineListingMethods):
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
