"""``RunServiceApi``: create, read, list, archive, delete, terminate and retry pipeline runs.

The endpoints are described once, as data, in ``RUN_SERVICE_ENDPOINTS``; each method binds its
arguments and calls :func:`kfp_server_api.endpoint.call_endpoint`. The calls that change a run's
state (archive, unarchive, terminate, retry, delete) are inherited from a private module of their
own, ``_run_lifecycle``. The keyword options every method accepts (``async_req``,
``_preload_content``, ``_request_timeout`` and, for the ``*_with_http_info`` twins,
``_return_http_data_only``) and the errors every method can raise are described once, in
:mod:`kfp_server_api.endpoint`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, overload

from kfp_server_api.api._run_lifecycle import _RunLifecycleMethods
from kfp_server_api.api._run_service_endpoints import RUN_SERVICE_ENDPOINTS

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
        ApiListRunsResponse,
        ApiReadArtifactResponse,
        ApiReportRunMetricsRequest,
        ApiReportRunMetricsResponse,
        ApiRun,
        ApiRunDetail,
    )

__all__ = ["RUN_SERVICE_ENDPOINTS", "RunServiceApi"]


class RunServiceApi(_RunLifecycleMethods):
    """Calls of the Kubeflow Pipelines run service (``/apis/v1beta1/runs``).

    Args:
        api_client: the client to send requests with (default: a new ``ApiClient()``).

    Each method ``x`` returns the decoded result; its twin ``x_with_http_info`` returns
    ``(result, status, headers)``. Keyword options and errors common to every method: see
    :mod:`kfp_server_api.endpoint`.
    """

    endpoints = RUN_SERVICE_ENDPOINTS

    @overload
    def create_run(self, body: ApiRun, **options: Unpack[Call]) -> ApiRunDetail: ...
    @overload
    def create_run(
        self, body: ApiRun, **options: Unpack[AsyncCall]
    ) -> AsyncResult[ApiRunDetail]: ...
    @overload
    def create_run(self, body: ApiRun, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def create_run(self, body: ApiRun, **options: Unpack[AnyCall]) -> CallResult[ApiRunDetail]: ...
    def create_run(self, body: ApiRun, **kwargs: Any) -> Any:
        """Create and start a run.

        Not safe to repeat blindly: a second call starts a second run.

        On KFP 2.x servers: give ``pipeline_spec.runtime_config.parameters`` plain values
        (``{"lr": 0.1}``), not ``ApiValue`` objects, which the server reads as struct parameters
        (see :mod:`kfp_server_api.parameter_values`); a run naming only a pipeline runs its
        latest version; and from 2.14 on a body key the server does not know is refused, so a
        run decoded from another server may need ``Configuration.discard_unknown_keys``.

        Args:
            body: the run to create (name, pipeline_spec, resource_references, ...); fields the
                server computes (id, status, created_at, ...) are ignored.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The created run and its pipeline runtime.

        Raises:
            BadRequestException: the run is invalid (no name, no pipeline or manifest,
                both a pipeline and a manifest, malformed manifest...); on KFP 2.x, no
                experiment on a multi-user server, or (2.14 on) a body key the server does
                not know: ``proto: ... unknown field "x"``.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.create_run_with_http_info(body, **kwargs)

    @overload
    def create_run_with_http_info(
        self, body: ApiRun, **options: Unpack[InfoCall]
    ) -> HttpInfo[ApiRunDetail]: ...
    @overload
    def create_run_with_http_info(
        self, body: ApiRun, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[ApiRunDetail]]: ...
    @overload
    def create_run_with_http_info(
        self, body: ApiRun, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def create_run_with_http_info(
        self, body: ApiRun, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[ApiRunDetail]: ...
    def create_run_with_http_info(self, body: ApiRun, **kwargs: Any) -> Any:
        """Like :meth:`create_run`, returning ``(data, status, headers)``."""
        return self._call("create_run", {"body": body}, kwargs)

    @overload
    def get_run(self, run_id: str, **options: Unpack[Call]) -> ApiRunDetail: ...
    @overload
    def get_run(self, run_id: str, **options: Unpack[AsyncCall]) -> AsyncResult[ApiRunDetail]: ...
    @overload
    def get_run(self, run_id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def get_run(self, run_id: str, **options: Unpack[AnyCall]) -> CallResult[ApiRunDetail]: ...
    def get_run(self, run_id: str, **kwargs: Any) -> Any:
        """Get a run and its pipeline runtime.

        Args:
            run_id: ID of the run to fetch.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The run (``.run``) and its pipeline runtime (``.pipeline_runtime``).

        Raises:
            NotFoundException: no such run.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.get_run_with_http_info(run_id, **kwargs)

    @overload
    def get_run_with_http_info(
        self, run_id: str, **options: Unpack[InfoCall]
    ) -> HttpInfo[ApiRunDetail]: ...
    @overload
    def get_run_with_http_info(
        self, run_id: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[ApiRunDetail]]: ...
    @overload
    def get_run_with_http_info(self, run_id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def get_run_with_http_info(
        self, run_id: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[ApiRunDetail]: ...
    def get_run_with_http_info(self, run_id: str, **kwargs: Any) -> Any:
        """Like :meth:`get_run`, returning ``(data, status, headers)``."""
        return self._call("get_run", {"run_id": run_id}, kwargs)

    @overload
    def list_runs(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[Call],
    ) -> ApiListRunsResponse: ...
    @overload
    def list_runs(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[AsyncCall],
    ) -> AsyncResult[ApiListRunsResponse]: ...
    @overload
    def list_runs(
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
    def list_runs(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[AnyCall],
    ) -> CallResult[ApiListRunsResponse]: ...
    def list_runs(
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
        """List runs, one page at a time.

        Args:
            page_token (str): token of the page to fetch: ``next_page_token`` of the previous
                page; omit it for the first page.
            page_size (int): maximum number of runs in the page.
            sort_by (str): ``"field"``, ``"field asc"`` or ``"field desc"`` (ascending by
                default), e.g. ``"created_at desc"``.
            resource_reference_key_type (str): type of the resource the runs belong to, e.g.
                ``ApiResourceType.EXPERIMENT`` (sent as ``resource_reference_key.type``).
            resource_reference_key_id (str): ID of that resource (sent as
                ``resource_reference_key.id``).
            filter (str | filters.Filter): a filter on run fields: a
                :class:`kfp_server_api.filters.Filter`, or the JSON of an ``api.Filter`` as a
                str (``str(Filter(...))``).
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The page: ``runs``, ``total_size`` and ``next_page_token`` (absent on the last page).

        Raises:
            BadRequestException: invalid page token, page size, sort order, filter or
                resource reference.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.list_runs_with_http_info(
            page_token=page_token,
            page_size=page_size,
            sort_by=sort_by,
            resource_reference_key_type=resource_reference_key_type,
            resource_reference_key_id=resource_reference_key_id,
            filter=filter,
            **kwargs,
        )

    @overload
    def list_runs_with_http_info(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[InfoCall],
    ) -> HttpInfo[ApiListRunsResponse]: ...
    @overload
    def list_runs_with_http_info(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[AsyncInfoCall],
    ) -> AsyncResult[HttpInfo[ApiListRunsResponse]]: ...
    @overload
    def list_runs_with_http_info(
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
    def list_runs_with_http_info(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        filter: str | Filter | None = None,
        **options: Unpack[AnyInfoCall],
    ) -> InfoResult[ApiListRunsResponse]: ...
    def list_runs_with_http_info(
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
        """Like :meth:`list_runs`, returning ``(data, status, headers)``."""
        return self._call(
            "list_runs",
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

    @overload
    def read_artifact(
        self, run_id: str, node_id: str, artifact_name: str, **options: Unpack[Call]
    ) -> ApiReadArtifactResponse: ...
    @overload
    def read_artifact(
        self, run_id: str, node_id: str, artifact_name: str, **options: Unpack[AsyncCall]
    ) -> AsyncResult[ApiReadArtifactResponse]: ...
    @overload
    def read_artifact(
        self, run_id: str, node_id: str, artifact_name: str, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def read_artifact(
        self, run_id: str, node_id: str, artifact_name: str, **options: Unpack[AnyCall]
    ) -> CallResult[ApiReadArtifactResponse]: ...
    def read_artifact(self, run_id: str, node_id: str, artifact_name: str, **kwargs: Any) -> Any:
        """Read an output artifact of a run node.

        Args:
            run_id: ID of the run.
            node_id: ID of the node (pod) that produced the artifact.
            artifact_name: name of the output artifact.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The artifact; ``.data`` is the stored object, base64-encoded (often a gzipped tar).

        Raises:
            NotFoundException: no such run, node or artifact (KFP 2.15 and later servers:
                ``message`` "artifact not found: <nil>", ``code`` None).
            BadRequestException: the run has no workflow to read from (v2 run).
            ApiDecodeError: a KFP 2.15+ server failed while sending the data, leaving the 200
                body cut short; the call is safe to repeat.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.read_artifact_with_http_info(run_id, node_id, artifact_name, **kwargs)

    @overload
    def read_artifact_with_http_info(
        self, run_id: str, node_id: str, artifact_name: str, **options: Unpack[InfoCall]
    ) -> HttpInfo[ApiReadArtifactResponse]: ...
    @overload
    def read_artifact_with_http_info(
        self, run_id: str, node_id: str, artifact_name: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[ApiReadArtifactResponse]]: ...
    @overload
    def read_artifact_with_http_info(
        self, run_id: str, node_id: str, artifact_name: str, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def read_artifact_with_http_info(
        self, run_id: str, node_id: str, artifact_name: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[ApiReadArtifactResponse]: ...
    def read_artifact_with_http_info(
        self, run_id: str, node_id: str, artifact_name: str, **kwargs: Any
    ) -> Any:
        """Like :meth:`read_artifact`, returning ``(data, status, headers)``."""
        return self._call(
            "read_artifact",
            {"run_id": run_id, "node_id": node_id, "artifact_name": artifact_name},
            kwargs,
        )

    @overload
    def report_run_metrics(
        self, run_id: str, body: ApiReportRunMetricsRequest, **options: Unpack[Call]
    ) -> ApiReportRunMetricsResponse: ...
    @overload
    def report_run_metrics(
        self, run_id: str, body: ApiReportRunMetricsRequest, **options: Unpack[AsyncCall]
    ) -> AsyncResult[ApiReportRunMetricsResponse]: ...
    @overload
    def report_run_metrics(
        self, run_id: str, body: ApiReportRunMetricsRequest, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def report_run_metrics(
        self, run_id: str, body: ApiReportRunMetricsRequest, **options: Unpack[AnyCall]
    ) -> CallResult[ApiReportRunMetricsResponse]: ...
    def report_run_metrics(
        self, run_id: str, body: ApiReportRunMetricsRequest, **kwargs: Any
    ) -> Any:
        """Report metrics of a run.

        Each metric is stored on its own and gets its own result, so some may fail while
        others succeed. A metric is identified by (run_id, node_id, name); the first report
        wins and later ones get ``DUPLICATE_REPORTING``.

        Args:
            run_id: ID of the run the metrics belong to.
            body: the metrics (``metrics``: a list of ``ApiRunMetric``).
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            One result per metric, in the order sent.

        Raises:
            NotFoundException: no such run. Invalid or duplicate metrics are not
                errors: they are reported in the results.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.report_run_metrics_with_http_info(run_id, body, **kwargs)

    @overload
    def report_run_metrics_with_http_info(
        self, run_id: str, body: ApiReportRunMetricsRequest, **options: Unpack[InfoCall]
    ) -> HttpInfo[ApiReportRunMetricsResponse]: ...
    @overload
    def report_run_metrics_with_http_info(
        self, run_id: str, body: ApiReportRunMetricsRequest, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[ApiReportRunMetricsResponse]]: ...
    @overload
    def report_run_metrics_with_http_info(
        self, run_id: str, body: ApiReportRunMetricsRequest, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def report_run_metrics_with_http_info(
        self, run_id: str, body: ApiReportRunMetricsRequest, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[ApiReportRunMetricsResponse]: ...
    def report_run_metrics_with_http_info(
        self, run_id: str, body: ApiReportRunMetricsRequest, **kwargs: Any
    ) -> Any:
        """Like :meth:`report_run_metrics`, returning ``(data, status, headers)``."""
        return self._call("report_run_metrics", {"run_id": run_id, "body": body}, kwargs)
