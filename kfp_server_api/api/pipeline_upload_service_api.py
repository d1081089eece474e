"""``PipelineUploadServiceApi``: upload a pipeline package file as a new pipeline or version.

The file is read from a local path and sent as the part ``uploadfile`` of a
``multipart/form-data`` body; name, description and pipeline id travel in the query string. The
endpoints are described once, as data, in ``PIPELINE_UPLOAD_SERVICE_ENDPOINTS``; each method
binds its arguments and calls :func:`kfp_server_api.endpoint.call_endpoint`. The keyword options
every method accepts and the errors every method can raise are described once, in
:mod:`kfp_server_api.endpoint`.

The KFP server answers upload errors with a body of their own, ``{"error_message": ...,
"error_details": ...}``, not the ``ApiStatus`` of the other services. The exception raised reads
it all the same: ``message`` is the ``error_message`` (what to tell the user), ``error`` the
``error_details`` (the server's internal account, or the message when there are no details),
``details`` a list holding the whole object, and ``code`` is ``None``; ``body`` keeps the text
as it came (see :mod:`kfp_server_api.exceptions`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, overload

from kfp_server_api.endpoint import Endpoint, ServiceApi, file_param, query_param

if TYPE_CHECKING:
    import os

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
    from kfp_server_api.models import ApiPipeline, ApiPipelineVersion

__all__ = ["PIPELINE_UPLOAD_SERVICE_ENDPOINTS", "PipelineUploadServiceApi"]

_UPLOAD = "/apis/v1beta1/pipelines/upload"

_UPLOADFILE = file_param(
    "uploadfile",
    "Path of the pipeline package to send (compiled YAML, or a .zip/.tar.gz of it).",
)
_DESCRIPTION = query_param("description", "str", "Description to store with it.")
_NAMESPACE = query_param(
    "namespace",
    "str",
    "Namespace to create it in (multi-user servers).",
    notes="Server default: shared (no namespace).",
)

#: The PipelineUploadService endpoints, by method name.
PIPELINE_UPLOAD_SERVICE_ENDPOINTS: dict[str, Endpoint] = {
    endpoint.name: endpoint
    for endpoint in (
        Endpoint(
            name="upload_pipeline",
            method="POST",
            path=_UPLOAD,
            params=(
                _UPLOADFILE,
                query_param(
                    "name",
                    "str",
                    "Name of the new pipeline.",
                    notes="Server default: the file name.",
                ),
                _DESCRIPTION,
                _NAMESPACE,
            ),
            response_type="ApiPipeline",
            summary="Upload a pipeline package file as a new pipeline.",
            description="Not safe to repeat: pipeline names are unique, a second call fails.",
            retry_safe=False,
        ),
        Endpoint(
            name="upload_pipeline_version",
            method="POST",
            path=_UPLOAD + "_version",
            params=(
                _UPLOADFILE,
                query_param(
                    "name",
                    "str",
                    "Name of the new version.",
                    notes="Server default: the file name.",
                ),
                query_param("pipelineid", "str", "ID of the pipeline to add the version to."),
                _DESCRIPTION,
                _NAMESPACE,
            ),
            response_type="ApiPipelineVersion",
            summary="Upload a pipeline package file as a new version of a pipeline.",
            description="Not safe to repeat: version names are unique per pipeline.",
            retry_safe=False,
        ),
    )
}


class PipelineUploadServiceApi(ServiceApi):
    """Calls of the Kubeflow Pipelines upload service (``/apis/v1beta1/pipelines/upload*``).

    Args:
        api_client: the client to send requests with (default: a new ``ApiClient()``).

    Each method ``x`` returns the decoded result; its twin ``x_with_http_info`` returns
    ``(result, status, headers)``. Keyword options and errors common to every method: see
    :mod:`kfp_server_api.endpoint`.
    """

    endpoints = PIPELINE_UPLOAD_SERVICE_ENDPOINTS

    @overload
    def upload_pipeline(
        self,
        uploadfile: str | os.PathLike[str],
        *,
        name: str | None = None,
        description: str | None = None,
        namespace: str | None = None,
        **options: Unpack[Call],
    ) -> ApiPipeline: ...
    @overload
    def upload_pipeline(
        self,
        uploadfile: str | os.PathLike[str],
        *,
        name: str | None = None,
        description: str | None = None,
        namespace: str | None = None,
        **options: Unpack[AsyncCall],
    ) -> AsyncResult[ApiPipeline]: ...
    @overload
    def upload_pipeline(
        self,
        uploadfile: str | os.PathLike[str],
        *,
        name: str | None = None,
        description: str | None = None,
        namespace: str | None = None,
        **options: Unpack[RawCall],
    ) -> RawResponse: ...
    @overload
    def upload_pipeline(
        self,
        uploadfile: str | os.PathLike[str],
        *,
        name: str | None = None,
        description: str | None = None,
        namespace: str | None = None,
        **options: Unpack[AnyCall],
    ) -> CallResult[ApiPipeline]: ...
    def upload_pipeline(
        self,
        uploadfile: str | os.PathLike[str],
        *,
        name: str | None = None,
        description: str | None = None,
        namespace: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """Upload a pipeline package file as a new pipeline.

        The file becomes the pipeline's first (and default) version. Not safe to repeat
        blindly: a second call with the same name fails.

        Args:
            uploadfile: path of the local package file (compiled pipeline YAML, or a
                ``.zip`` / ``.tar.gz`` archive of it; the server takes at most 32 MB). It is
                read when the request is built.
            name (str): name of the new pipeline; the server uses the file name when it is
                omitted.
            description (str): description of the pipeline.
            namespace (str): namespace to create the pipeline in, on a multi-user server;
                without it the pipeline is shared (or, on a KFP 2.x server that requires a
                namespace, the upload fails with a plain-text 400).
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The created pipeline, with its ``id`` and ``default_version``.

        Raises:
            OSError: the file cannot be read (nothing is sent).
            BadRequestException: the file is not a valid pipeline package, or is too large;
                on KFP 2.x, a missing or invalid namespace (a plain-text body, which is the
                exception's ``message``).
            ConflictException: the name is taken (KFP 2.2 and later servers).
            ServiceException: the pipeline could not be stored; the KFP 1.x servers report a
                name that is taken this way (HTTP 500). From KFP 2.15 on, ``message`` is a
                generic "Failed to create a pipeline and a pipeline version" and the reason
                is only in the server's log.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.upload_pipeline_with_http_info(
            uploadfile, name=name, description=description, namespace=namespace, **kwargs
        )

    @overload
    def upload_pipeline_with_http_info(
        self,
        uploadfile: str | os.PathLike[str],
        *,
        name: str | None = None,
        description: str | None = None,
        namespace: str | None = None,
        **options: Unpack[InfoCall],
    ) -> HttpInfo[ApiPipeline]: ...
    @overload
    def upload_pipeline_with_http_info(
        self,
        uploadfile: str | os.PathLike[str],
        *,
        name: str | None = None,
        description: str | None = None,
        namespace: str | None = None,
        **options: Unpack[AsyncInfoCall],
    ) -> AsyncResult[HttpInfo[ApiPipeline]]: ...
    @overload
    def upload_pipeline_with_http_info(
        self,
        uploadfile: str | os.PathLike[str],
        *,
        name: str | None = None,
        description: str | None = None,
        namespace: str | None = None,
        **options: Unpack[RawCall],
    ) -> RawResponse: ...
    @overload
    def upload_pipeline_with_http_info(
        self,
        uploadfile: str | os.PathLike[str],
        *,
        name: str | None = None,
        description: str | None = None,
        namespace: str | None = None,
        **options: Unpack[AnyInfoCall],
    ) -> InfoResult[ApiPipeline]: ...
    def upload_pipeline_with_http_info(
        self,
        uploadfile: str | os.PathLike[str],
        *,
        name: str | None = None,
        description: str | None = None,
        namespace: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """Like :meth:`upload_pipeline`, returning ``(data, status, headers)``."""
        return self._call(
            "upload_pipeline",
            {
                "uploadfile": uploadfile,
                "name": name,
                "description": description,
                "namespace": namespace,
            },
            kwargs,
        )

    @overload
    def upload_pipeline_version(
        self,
        uploadfile: str | os.PathLike[str],
        *,
        name: str | None = None,
        pipelineid: str | None = None,
        description: str | None = None,
        namespace: str | None = None,
        **options: Unpack[Call],
    ) -> ApiPipelineVersion: ...
    @overload
    def upload_pipeline_version(
        self,
        uploadfile: str | os.PathLike[str],
        *,
        name: str | None = None,
        pipelineid: str | None = None,
        description: str | None = None,
        namespace: str | None = None,
        **options: Unpack[AsyncCall],
    ) -> AsyncResult[ApiPipelineVersion]: ...
    @overload
    def upload_pipeline_version(
        self,
        uploadfile: str | os.PathLike[str],
        *,
        name: str | None = None,
        pipelineid: str | None = None,
        description: str | None = None,
        namespace: str | None = None,
        **options: Unpack[RawCall],
    ) -> RawResponse: ...
    @overload
    def upload_pipeline_version(
        self,
        uploadfile: str | os.PathLike[str],
        *,
        name: str | None = None,
        pipelineid: str | None = None,
        description: str | None = None,
        namespace: str | None = None,
        **options: Unpack[AnyCall],
    ) -> CallResult[ApiPipelineVersion]: ...
    def upload_pipeline_version(
        self,
        uploadfile: str | os.PathLike[str],
        *,
        name: str | None = None,
        pipelineid: str | None = None,
        description: str | None = None,
        namespace: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """Upload a pipeline package file as a new version of a pipeline.

        The new version becomes the pipeline's default. Not safe to repeat blindly: a second
        call with the same name fails.

        Args:
            uploadfile: path of the local package file (compiled pipeline YAML, or a
                ``.zip`` / ``.tar.gz`` archive of it; the server takes at most 32 MB). It is
                read when the request is built.
            name (str): name of the new version; the server uses the file name when it is
                omitted.
            pipelineid (str): ID of the pipeline to add the version to (the server requires
                it).
            description (str): description of the version.
            namespace (str): namespace of the pipeline, on a multi-user server.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The created version, with its ``id``.

        Raises:
            OSError: the file cannot be read (nothing is sent).
            BadRequestException: no pipeline ID, or the file is not a valid pipeline
                package, or is too large; on KFP 2.x, a missing or invalid namespace (a
                plain-text body, which is the exception's ``message``).
            ConflictException: the name is taken (KFP 2.2 and later servers).
            ServiceException: the version could not be stored (a name that is taken on KFP
                1.x, an unknown pipeline...). From KFP 2.15 on, ``message`` is generic and the
                reason is only in the server's log.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.upload_pipeline_version_with_http_info(
            uploadfile,
            name=name,
            pipelineid=pipelineid,
            description=description,
            namespace=namespace,
            **kwargs,
        )

    @overload
    def upload_pipeline_version_with_http_info(
        self,
        uploadfile: str | os.PathLike[str],
        *,
        name: str | None = None,
        pipelineid: str | None = None,
        description: str | None = None,
        namespace: str | None = None,
        **options: Unpack[InfoCall],
    ) -> HttpInfo[ApiPipelineVersion]: ...
    @overload
    def upload_pipeline_version_with_http_info(
        self,
        uploadfile: str | os.PathLike[str],
        *,
        name: str | None = None,
        pipelineid: str | None = None,
        description: str | None = None,
        namespace: str | None = None,
        **options: Unpack[AsyncInfoCall],
    ) -> AsyncResult[HttpInfo[ApiPipelineVersion]]: ...
    @overload
    def upload_pipeline_version_with_http_info(
        self,
        uploadfile: str | os.PathLike[str],
        *,
        name: str | None = None,
        pipelineid: str | None = None,
        description: str | None = None,
        namespace: str | None = None,
        **options: Unpack[RawCall],
    ) -> RawResponse: ...
    @overload
    def upload_pipeline_version_with_http_info(
        self,
        uploadfile: str | os.PathLike[str],
        *,
        name: str | None = None,
        pipelineid: str | None = None,
        description: str | None = None,
        namespace: str | None = None,
        **options: Unpack[AnyInfoCall],
    ) -> InfoResult[ApiPipelineVersion]: ...
    def upload_pipeline_version_with_http_info(
        self,
        uploadfile: str | os.PathLike[str],
        *,
        name: str | None = None,
        pipelineid: str | None = None,
        description: str | None = None,
        namespace: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """Like :meth:`upload_pipeline_version`, returning ``(data, status, headers)``."""
        return self._call(
            "upload_pipeline_version",
            {
                "uploadfile": uploadfile,
                "name": name,
                "pipelineid": pipelineid,
                "description": description,
                "namespace": namespace,
            },
            kwargs,
        )
