"""``RunServiceApi``: create, read, list, archive, delete, terminate and retry pipeline runs.

The endpoints are described once, as data, in ``RUN_SERVICE_ENDPOINTS``; each method binds its
arguments and calls :func:`kfp_server_api.endpoint.call_endpoint`. The keyword options every
method accepts (``async_req``, ``_preload_content``, ``_request_timeout`` and, for the
``*_with_http_info`` twins, ``_return_http_data_only``) and the errors every method can raise are
described once, in :mod:`kfp_server_api.endpoint`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from kfp_server_api.endpoint import Endpoint, Param, ServiceApi

if TYPE_CHECKING:
    from urllib3 import HTTPHeaderDict

    from kfp_server_api.models import (
        ApiListRunsResponse,
        ApiReadArtifactResponse,
        ApiReportRunMetricsRequest,
        ApiReportRunMetricsResponse,
        ApiRun,
        ApiRunDetail,
    )

__all__ = ["RUN_SERVICE_ENDPOINTS", "RunServiceApi"]

_RUNS = "/apis/v1beta1/runs"


def _path(name: str, description: str) -> Param:
    return Param(name, name, "path", "str", True, description)


def _query(name: str, type_name: str, description: str, wire_name: str | None = None) -> Param:
    return Param(name, wire_name or name, "query", type_name, False, description)


def _body(type_name: str, description: str) -> Param:
    return Param("body", "body", "body", type_name, True, description)


_RUN_ID = _path("run_id", "ID of the run.")

#: The RunService endpoints, by method name.
RUN_SERVICE_ENDPOINTS: dict[str, Endpoint] = {
    endpoint.name: endpoint
    for endpoint in (
        Endpoint(
            name="archive_run",
            method="POST",
            path=_RUNS + "/{id}:archive",
            params=(_path("id", "ID of the run to archive."),),
            response_type="object",
            summary="Archive a run.",
            description="Archived runs stay stored; list filters can hide them.",
            retry_safe=True,
        ),
        Endpoint(
            name="create_run",
            method="POST",
            path=_RUNS,
            params=(_body("ApiRun", "The run to create; output-only fields are ignored."),),
            response_type="ApiRunDetail",
            summary="Create and start a run.",
            description="Repeating the call would start a second run.",
            retry_safe=False,
        ),
        Endpoint(
            name="delete_run",
            method="DELETE",
            path=_RUNS + "/{id}",
            params=(_path("id", "ID of the run to delete."),),
            response_type="object",
            summary="Delete a run.",
            description="",
            retry_safe=True,
        ),
        Endpoint(
            name="get_run",
            method="GET",
            path=_RUNS + "/{run_id}",
            params=(_path("run_id", "ID of the run to fetch."),),
            response_type="ApiRunDetail",
            summary="Get a run and its pipeline runtime.",
            description="",
            retry_safe=True,
        ),
        Endpoint(
            name="list_runs",
            method="GET",
            path=_RUNS,
            params=(
                _query(
                    "page_token",
                    "str",
                    "Token of the page to fetch: next_page_token of the previous page.",
                ),
                _query("page_size", "int", "Maximum number of runs in the page."),
                _query(
                    "sort_by",
                    "str",
                    'Sort order: "field", "field asc" or "field desc" (ascending by default).',
                ),
                _query(
                    "resource_reference_key_type",
                    "str",
                    "Type of the resource the runs belong to (e.g. EXPERIMENT, NAMESPACE).",
                    "resource_reference_key.type",
                ),
                _query(
                    "resource_reference_key_id",
                    "str",
                    "ID of the resource the runs belong to.",
                    "resource_reference_key.id",
                ),
                _query(
                    "filter",
                    "str",
                    "A filter on run fields: a filters.Filter, or its JSON (api.Filter) as a str.",
                ),
            ),
            response_type="ApiListRunsResponse",
            summary="List runs, one page at a time.",
            description="",
            retry_safe=True,
        ),
        Endpoint(
            name="read_artifact",
            method="GET",
            path=_RUNS + "/{run_id}/nodes/{node_id}/artifacts/{artifact_name}:read",
            params=(
                _RUN_ID,
                _path("node_id", "ID of the node (pod) that produced the artifact."),
                _path("artifact_name", "Name of the output artifact."),
            ),
            response_type="ApiReadArtifactResponse",
            summary="Read an output artifact of a run node.",
            description="The data is the stored object, base64-encoded (often a gzipped tar).",
            retry_safe=True,
        ),
        Endpoint(
            name="report_run_metrics",
            method="POST",
            path=_RUNS + "/{run_id}:reportMetrics",
            params=(
                _RUN_ID,
                _body("ApiReportRunMetricsRequest", "The metrics to report."),
            ),
            response_type="ApiReportRunMetricsResponse",
            summary="Report metrics of a run.",
            description=(
                "Each metric is stored on its own and gets its own result; a metric is "
                "identified by (run_id, node_id, name) and the first report wins."
            ),
            retry_safe=True,
        ),
        Endpoint(
            name="retry_run",
            method="POST",
            path=_RUNS + "/{run_id}/retry",
            params=(_RUN_ID,),
            response_type="object",
            summary="Restart a failed or terminated run.",
            description="Repeating the call could restart the run again.",
            retry_safe=False,
        ),
        Endpoint(
            name="terminate_run",
            method="POST",
            path=_RUNS + "/{run_id}/terminate",
            params=(_RUN_ID,),
            response_type="object",
            summary="Terminate an active run.",
            description="A repeated call fails once the run is no longer active.",
            retry_safe=False,
        ),
        Endpoint(
            name="unarchive_run",
            method="POST",
            path=_RUNS + "/{id}:unarchive",
            params=(_path("id", "ID of the run to restore."),),
            response_type="object",
            summary="Restore an archived run.",
            description="",
            retry_safe=True,
        ),
    )
}


class RunServiceApi(ServiceApi):
    """Calls of the Kubeflow Pipelines run service (``/apis/v1beta1/runs``).

    Args:
        api_client: the client to send requests with (default: a new ``ApiClient()``).

    Each method ``x`` returns the decoded result; its twin ``x_with_http_info`` returns
    ``(result, status, headers)``. Keyword options and errors common to every method: see
    :mod:`kfp_server_api.endpoint`.
    """

    endpoints = RUN_SERVICE_ENDPOINTS

    def archive_run(self, id: str, **kwargs: Any) -> dict[str, Any]:
        """Archive a run.

        Args:
            id: ID of the run to archive.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The server's (empty) JSON object, as a dict.

        Raises:
            NotFoundException: no such run (multi-user deployments; single-user servers
                do not check).
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return cast("dict[str, Any]", self.archive_run_with_http_info(id, **kwargs))

    def archive_run_with_http_info(
        self, id: str, **kwargs: Any
    ) -> tuple[dict[str, Any], int, HTTPHeaderDict]:
        """Like :meth:`archive_run`, returning ``(data, status, headers)``."""
        return cast(
            "tuple[dict[str, Any], int, HTTPHeaderDict]",
            self._call("archive_run", {"id": id}, kwargs),
        )

    def create_run(self, body: ApiRun, **kwargs: Any) -> ApiRunDetail:
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
        return cast("ApiRunDetail", self.create_run_with_http_info(body, **kwargs))

    def create_run_with_http_info(
        self, body: ApiRun, **kwargs: Any
    ) -> tuple[ApiRunDetail, int, HTTPHeaderDict]:
        """Like :meth:`create_run`, returning ``(data, status, headers)``."""
        return cast(
            "tuple[ApiRunDetail, int, HTTPHeaderDict]",
            self._call("create_run", {"body": body}, kwargs),
        )

    def delete_run(self, id: str, **kwargs: Any) -> dict[str, Any]:
        """Delete a run.

        Args:
            id: ID of the run to delete.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The server's (empty) JSON object, as a dict.

        Raises:
            NotFoundException: no such run.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return cast("dict[str, Any]", self.delete_run_with_http_info(id, **kwargs))

    def delete_run_with_http_info(
        self, id: str, **kwargs: Any
    ) -> tuple[dict[str, Any], int, HTTPHeaderDict]:
        """Like :meth:`delete_run`, returning ``(data, status, headers)``."""
        return cast(
            "tuple[dict[str, Any], int, HTTPHeaderDict]",
            self._call("delete_run", {"id": id}, kwargs),
        )

    def get_run(self, run_id: str, **kwargs: Any) -> ApiRunDetail:
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
        return cast("ApiRunDetail", self.get_run_with_http_info(run_id, **kwargs))

    def get_run_with_http_info(
        self, run_id: str, **kwargs: Any
    ) -> tuple[ApiRunDetail, int, HTTPHeaderDict]:
        """Like :meth:`get_run`, returning ``(data, status, headers)``."""
        return cast(
            "tuple[ApiRunDetail, int, HTTPHeaderDict]",
            self._call("get_run", {"run_id": run_id}, kwargs),
        )

    def list_runs(self, **kwargs: Any) -> ApiListRunsResponse:
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
        return cast("ApiListRunsResponse", self.list_runs_with_http_info(**kwargs))

    def list_runs_with_http_info(
        self, **kwargs: Any
    ) -> tuple[ApiListRunsResponse, int, HTTPHeaderDict]:
        """Like :meth:`list_runs`, returning ``(data, status, headers)``."""
        return cast(
            "tuple[ApiListRunsResponse, int, HTTPHeaderDict]",
            self._call("list_runs", {}, kwargs),
        )

    def read_artifact(
        self, run_id: str, node_id: str, artifact_name: str, **kwargs: Any
    ) -> ApiReadArtifactResponse:
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
        return cast(
            "ApiReadArtifactResponse",
            self.read_artifact_with_http_info(run_id, node_id, artifact_name, **kwargs),
        )

    def read_artifact_with_http_info(
        self, run_id: str, node_id: str, artifact_name: str, **kwargs: Any
    ) -> tuple[ApiReadArtifactResponse, int, HTTPHeaderDict]:
        """Like :meth:`read_artifact`, returning ``(data, status, headers)``."""
        arguments = {"run_id": run_id, "node_id": node_id, "artifact_name": artifact_name}
        return cast(
            "tuple[ApiReadArtifactResponse, int, HTTPHeaderDict]",
            self._call("read_artifact", arguments, kwargs),
        )

    def report_run_metrics(
        self, run_id: str, body: ApiReportRunMetricsRequest, **kwargs: Any
    ) -> ApiReportRunMetricsResponse:
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
        return cast(
            "ApiReportRunMetricsResponse",
            self.report_run_metrics_with_http_info(run_id, body, **kwargs),
        )

    def report_run_metrics_with_http_info(
        self, run_id: str, body: ApiReportRunMetricsRequest, **kwargs: Any
    ) -> tuple[ApiReportRunMetricsResponse, int, HTTPHeaderDict]:
        """Like :meth:`report_run_metrics`, returning ``(data, status, headers)``."""
        return cast(
            "tuple[ApiReportRunMetricsResponse, int, HTTPHeaderDict]",
            self._call("report_run_metrics", {"run_id": run_id, "body": body}, kwargs),
        )

    def retry_run(self, run_id: str, **kwargs: Any) -> dict[str, Any]:
        """Restart a failed or terminated run.

        Not safe to repeat blindly: a second call could restart the run again.

        Args:
            run_id: ID of the run to retry.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The server's (empty) JSON object, as a dict.

        Raises:
            NotFoundException: no such run.
            ConflictException: the run is not Failed or Error, or cannot be retried.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return cast("dict[str, Any]", self.retry_run_with_http_info(run_id, **kwargs))

    def retry_run_with_http_info(
        self, run_id: str, **kwargs: Any
    ) -> tuple[dict[str, Any], int, HTTPHeaderDict]:
        """Like :meth:`retry_run`, returning ``(data, status, headers)``."""
        return cast(
            "tuple[dict[str, Any], int, HTTPHeaderDict]",
            self._call("retry_run", {"run_id": run_id}, kwargs),
        )

    def terminate_run(self, run_id: str, **kwargs: Any) -> dict[str, Any]:
        """Terminate an active run.

        Not safe to repeat blindly: once the run is no longer active the call fails.

        Args:
            run_id: ID of the run to terminate.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The server's (empty) JSON object, as a dict.

        Raises:
            NotFoundException: no such run.
            BadRequestException: the run is no longer active.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return cast("dict[str, Any]", self.terminate_run_with_http_info(run_id, **kwargs))

    def terminate_run_with_http_info(
        self, run_id: str, **kwargs: Any
    ) -> tuple[dict[str, Any], int, HTTPHeaderDict]:
        """Like :meth:`terminate_run`, returning ``(data, status, headers)``."""
        return cast(
            "tuple[dict[str, Any], int, HTTPHeaderDict]",
            self._call("terminate_run", {"run_id": run_id}, kwargs),
        )

    def unarchive_run(self, id: str, **kwargs: Any) -> dict[str, Any]:
        """Restore an archived run.

        Args:
            id: ID of the run to restore.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The server's (empty) JSON object, as a dict.

        Raises:
            NotFoundException: no such run (multi-user deployments; single-user servers
                do not check).
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return cast("dict[str, Any]", self.unarchive_run_with_http_info(id, **kwargs))

    def unarchive_run_with_http_info(
        self, id: str, **kwargs: Any
    ) -> tuple[dict[str, Any], int, HTTPHeaderDict]:
        """Like :meth:`unarchive_run`, returning ``(data, status, headers)``."""
        return cast(
            "tuple[dict[str, Any], int, HTTPHeaderDict]",
            self._call("unarchive_run", {"id": id}, kwargs),
        )
