"""The paged listings of ``PipelineServiceApi`` (pipelines, pipeline versions).

``PipelineServiceApi`` inherits them; use them from there (this module is private). Each method
binds its arguments and calls ``ServiceApi._call`` with its name in the class's endpoint table,
``PIPELINE_SERVICE_ENDPOINTS``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, overload

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
    from kfp_server_api.models import ApiListPipelinesResponse, ApiListPipelineVersionsResponse


class _PipelineListingMethods(ServiceApi):
    """List pipelines, and the versions of a pipeline, one page at a time."""

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
