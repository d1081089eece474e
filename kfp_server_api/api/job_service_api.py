"""``JobServiceApi``: create, read, list, enable, disable and delete jobs (recurring runs).

A job starts runs of a pipeline on a schedule (a cron expression or a fixed interval, see
``ApiTrigger``) while it is enabled. The endpoints are described once, as data, in
``JOB_SERVICE_ENDPOINTS``; each method binds its arguments and calls
:func:`kfp_server_api.endpoint.call_endpoint`. The keyword options every method accepts and the
errors every method can raise are described once, in :mod:`kfp_server_api.endpoint`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, overload

from kfp_server_api.api._job_service_endpoints import JOB_SERVICE_ENDPOINTS
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
    from kfp_server_api.models import ApiJob, ApiListJobsResponse

__all__ = ["JOB_SERVICE_ENDPOINTS", "JobServiceApi"]


class JobServiceApi(ServiceApi):
    """Calls of the Kubeflow Pipelines job service (``/apis/v1beta1/jobs``): recurring runs.

    Args:
        api_client: the client to send requests with (default: a new ``ApiClient()``).

    Each method ``x`` returns the decoded result; its twin ``x_with_http_info`` returns
    ``(result, status, headers)``. Keyword options and errors common to every method: see
    :mod:`kfp_server_api.endpoint`.
    """

    endpoints = JOB_SERVICE_ENDPOINTS

    @overload
    def create_job(self, body: ApiJob, **options: Unpack[Call]) -> ApiJob: ...
    @overload
    def create_job(self, body: ApiJob, **options: Unpack[AsyncCall]) -> AsyncResult[ApiJob]: ...
    @overload
    def create_job(self, body: ApiJob, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def create_job(self, body: ApiJob, **options: Unpack[AnyCall]) -> CallResult[ApiJob]: ...
    def create_job(self, body: ApiJob, **kwargs: Any) -> Any:
        """Create a job that starts runs on a schedule.

        Not safe to repeat blindly: a second call creates a second job, which starts its own
        runs.

        Args:
            body: the job to create: ``name``, the pipeline (``pipeline_spec`` or a pipeline
                version reference), a ``trigger`` (cron or periodic schedule),
                ``max_concurrency``, ``enabled``, and usually an ``EXPERIMENT`` resource
                reference. Fields the server computes (id, created_at, status...) are ignored.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The created job, with its ``id``.

        Raises:
            BadRequestException: the job is invalid (no name, no pipeline, bad trigger or
                max_concurrency, malformed manifest...); on KFP 2.x, no experiment on a
                multi-user server, or (2.14 on) a body key the server does not know. Give
                runtime parameters plain values on 2.x, as for ``RunServiceApi.create_run``.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.create_job_with_http_info(body, **kwargs)

    @overload
    def create_job_with_http_info(
        self, body: ApiJob, **options: Unpack[InfoCall]
    ) -> HttpInfo[ApiJob]: ...
    @overload
    def create_job_with_http_info(
        self, body: ApiJob, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[ApiJob]]: ...
    @overload
    def create_job_with_http_info(
        self, body: ApiJob, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def create_job_with_http_info(
        self, body: ApiJob, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[ApiJob]: ...
    def create_job_with_http_info(self, body: ApiJob, **kwargs: Any) -> Any:
        """Like :meth:`create_job`, returning ``(data, status, headers)``."""
        return self._call("create_job", {"body": body}, kwargs)

    @overload
    def delete_job(self, id: str, **options: Unpack[Call]) -> dict[str, Any]: ...
    @overload
    def delete_job(self, id: str, **options: Unpack[AsyncCall]) -> AsyncResult[dict[str, Any]]: ...
    @overload
    def delete_job(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def delete_job(self, id: str, **options: Unpack[AnyCall]) -> CallResult[dict[str, Any]]: ...
    def delete_job(self, id: str, **kwargs: Any) -> Any:
        """Delete a job.

        The job starts no more runs; the runs it started are kept.

        Args:
            id: ID of the job to delete.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The server's (empty) JSON object, as a dict.

        Raises:
            NotFoundException: no such job.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.delete_job_with_http_info(id, **kwargs)

    @overload
    def delete_job_with_http_info(
        self, id: str, **options: Unpack[InfoCall]
    ) -> HttpInfo[dict[str, Any]]: ...
    @overload
    def delete_job_with_http_info(
        self, id: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[dict[str, Any]]]: ...
    @overload
    def delete_job_with_http_info(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def delete_job_with_http_info(
        self, id: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[dict[str, Any]]: ...
    def delete_job_with_http_info(self, id: str, **kwargs: Any) -> Any:
        """Like :meth:`delete_job`, returning ``(data, status, headers)``."""
        return self._call("delete_job", {"id": id}, kwargs)

    @overload
    def disable_job(self, id: str, **options: Unpack[Call]) -> dict[str, Any]: ...
    @overload
    def disable_job(self, id: str, **options: Unpack[AsyncCall]) -> AsyncResult[dict[str, Any]]: ...
    @overload
    def disable_job(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def disable_job(self, id: str, **options: Unpack[AnyCall]) -> CallResult[dict[str, Any]]: ...
    def disable_job(self, id: str, **kwargs: Any) -> Any:
        """Stop a job from starting new runs.

        Runs already started go on. Disabling a disabled job changes nothing.

        Args:
            id: ID of the job to disable.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The server's (empty) JSON object, as a dict.

        Raises:
            NotFoundException: no such job.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.disable_job_with_http_info(id, **kwargs)

    @overload
    def disable_job_with_http_info(
        self, id: str, **options: Unpack[InfoCall]
    ) -> HttpInfo[dict[str, Any]]: ...
    @overload
    def disable_job_with_http_info(
        self, id: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[dict[str, Any]]]: ...
    @overload
    def disable_job_with_http_info(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def disable_job_with_http_info(
        self, id: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[dict[str, Any]]: ...
    def disable_job_with_http_info(self, id: str, **kwargs: Any) -> Any:
        """Like :meth:`disable_job`, returning ``(data, status, headers)``."""
        return self._call("disable_job", {"id": id}, kwargs)

    @overload
    def enable_job(self, id: str, **options: Unpack[Call]) -> dict[str, Any]: ...
    @overload
    def enable_job(self, id: str, **options: Unpack[AsyncCall]) -> AsyncResult[dict[str, Any]]: ...
    @overload
    def enable_job(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def enable_job(self, id: str, **options: Unpack[AnyCall]) -> CallResult[dict[str, Any]]: ...
    def enable_job(self, id: str, **kwargs: Any) -> Any:
        """Let a job start runs on its schedule again.

        Enabling an enabled job changes nothing.

        Args:
            id: ID of the job to enable.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The server's (empty) JSON object, as a dict.

        Raises:
            NotFoundException: no such job.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.enable_job_with_http_info(id, **kwargs)

    @overload
    def enable_job_with_http_info(
        self, id: str, **options: Unpack[InfoCall]
    ) -> HttpInfo[dict[str, Any]]: ...
    @overload
    def enable_job_with_http_info(
        self, id: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[dict[str, Any]]]: ...
    @overload
    def enable_job_with_http_info(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def enable_job_with_http_info(
        self, id: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[dict[str, Any]]: ...
    def enable_job_with_http_info(self, id: str, **kwargs: Any) -> Any:
        """Like :meth:`enable_job`, returning ``(data, status, headers)``."""
        return self._call("enable_job", {"id": id}, kwargs)

    @overload
    def get_job(self, id: str, **options: Unpack[Call]) -> ApiJob: ...
    @overload
    def get_job(self, id: str, **options: Unpack[AsyncCall]) -> AsyncResult[ApiJob]: ...
    @overload
    def get_job(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def get_job(self, id: str, **options: Unpack[AnyCall]) -> CallResult[ApiJob]: ...
    def get_job(self, id: str, **kwargs: Any) -> Any:
        """Get a job.

        Args:
            id: ID of the job to fetch.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The job, with its schedule (``trigger``), ``enabled`` flag and ``status``.

        Raises:
            NotFoundException: no such job.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.get_job_with_http_info(id, **kwargs)

    @overload
    def get_job_with_http_info(self, id: str, **options: Unpack[InfoCall]) -> HttpInfo[ApiJob]: ...
    @overload
    def get_job_with_http_info(
        self, id: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[ApiJob]]: ...
    @overload
    def get_job_with_http_info(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def get_job_with_http_info(
        self, id: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[ApiJob]: ...
    def get_job_with_http_info(self, id: str, **kwargs: Any) -> Any:
        """Like :meth:`get_job`, returning ``(data, status, headers)``."""
        return self._call("get_job", {"id": id}, kwargs)

    @overload
    def list_jobs(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[Call],
    ) -> ApiListJobsResponse: ...
    @overload
    def list_jobs(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[AsyncCall],
    ) -> AsyncResult[ApiListJobsResponse]: ...
    @overload
    def list_jobs(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[RawCall],
    ) -> RawResponse: ...
    @overload
    def list_jobs(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[AnyCall],
    ) -> CallResult[ApiListJobsResponse]: ...
    def list_jobs(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        filter: str | Filter | None = None,
        **kwargs: Any,
    ) -> Any:
        """List jobs, one page at a time.

        Args:
            page_token (str): token of the page to fetch: ``next_page_token`` of the previous
                page; omit it for the first page.
            page_size (int): maximum number of jobs in the page.
            sort_by (str): ``"field"``, ``"field asc"`` or ``"field desc"`` (ascending by
                default), e.g. ``"created_at desc"``.
            resource_reference_key_type (str): type of the resource the jobs belong to, e.g.
                ``ApiResourceType.EXPERIMENT`` (sent as ``resource_reference_key.type``).
            resource_reference_key_id (str): ID of that resource (sent as
                ``resource_reference_key.id``).
            filter (str): a JSON-serialized ``api.Filter`` on job fields (a
                :class:`kfp_server_api.filters.Filter` may be passed as it is).
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The page: ``jobs``, ``total_size`` and ``next_page_token`` (absent on the last page).

        Raises:
            BadRequestException: invalid page token, page size, sort order, filter or
                resource reference.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.list_jobs_with_http_info(
            page_token=page_token,
            page_size=page_size,
            sort_by=sort_by,
            resource_reference_key_type=resource_reference_key_type,
            resource_reference_key_id=resource_reference_key_id,
            filter=filter,
            **kwargs,
        )

    @overload
    def list_jobs_with_http_info(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[InfoCall],
    ) -> HttpInfo[ApiListJobsResponse]: ...
    @overload
    def list_jobs_with_http_info(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[AsyncInfoCall],
    ) -> AsyncResult[HttpInfo[ApiListJobsResponse]]: ...
    @overload
    def list_jobs_with_http_info(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[RawCall],
    ) -> RawResponse: ...
    @overload
    def list_jobs_with_http_info(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[AnyInfoCall],
    ) -> InfoResult[ApiListJobsResponse]: ...
    def list_jobs_with_http_info(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        filter: str | Filter | None = None,
        **kwargs: Any,
    ) -> Any:
        """Like :meth:`list_jobs`, returning ``(data, status, headers)``."""
        return self._call(
            "list_jobs",
            {
                "page_token": page_token,
                "page_size": page_size,
                "sort_by": sort_by,
                "resource_reference_key_type": resource_reference_key_type,
                "resource_reference_key_id": resource_reference_key_id,
                "filter": filter,
            },
            kwargs,
        )
