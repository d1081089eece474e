"""The pipeline-version calls of ``PipelineServiceApi``, kept in a module of their own.

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
    from kfp_server_api.models import ApiGetTemplateResponse, ApiPipelineVersion


class _PipelineVersionMethods(ServiceApi):
    """Create, get, delete a pipeline version, read its template, make it the default."""

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
