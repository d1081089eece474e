"""``ExperimentServiceApi``: create, read, list, archive, restore and delete experiments.

An experiment groups runs and recurring runs (jobs); runs and jobs point at it through a resource
reference of type ``EXPERIMENT``. The endpoints are described once, as data, in
``EXPERIMENT_SERVICE_ENDPOINTS``; each method binds its arguments and calls
:func:`kfp_server_api.endpoint.call_endpoint`. The keyword options every method accepts and the
errors every method can raise are described once, in :mod:`kfp_server_api.endpoint`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, overload

from kfp_server_api.api._experiment_service_endpoints import EXPERIMENT_SERVICE_ENDPOINTS
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
    from kfp_server_api.models import ApiExperiment, ApiListExperimentsResponse

__all__ = ["EXPERIMENT_SERVICE_ENDPOINTS", "ExperimentServiceApi"]


class ExperimentServiceApi(ServiceApi):
    """Calls of the Kubeflow Pipelines experiment service (``/apis/v1beta1/experiments``).

    Args:
        api_client: the client to send requests with (default: a new ``ApiClient()``).

    Each method ``x`` returns the decoded result; its twin ``x_with_http_info`` returns
    ``(result, status, headers)``. Keyword options and errors common to every method: see
    :mod:`kfp_server_api.endpoint`.
    """

    endpoints = EXPERIMENT_SERVICE_ENDPOINTS

    @overload
    def archive_experiment(self, id: str, **options: Unpack[Call]) -> dict[str, Any]: ...
    @overload
    def archive_experiment(
        self, id: str, **options: Unpack[AsyncCall]
    ) -> AsyncResult[dict[str, Any]]: ...
    @overload
    def archive_experiment(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def archive_experiment(
        self, id: str, **options: Unpack[AnyCall]
    ) -> CallResult[dict[str, Any]]: ...
    def archive_experiment(self, id: str, **kwargs: Any) -> Any:
        """Archive an experiment.

        Every run of the experiment is archived too, and its recurring runs (jobs) are
        disabled. Archived experiments stay stored; list filters on ``storage_state`` hide them.

        Args:
            id: ID of the experiment to archive.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The server's (empty) JSON object, as a dict.

        Raises:
            NotFoundException: no such experiment (multi-user deployments; single-user
                servers do not check).
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.archive_experiment_with_http_info(id, **kwargs)

    @overload
    def archive_experiment_with_http_info(
        self, id: str, **options: Unpack[InfoCall]
    ) -> HttpInfo[dict[str, Any]]: ...
    @overload
    def archive_experiment_with_http_info(
        self, id: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[dict[str, Any]]]: ...
    @overload
    def archive_experiment_with_http_info(
        self, id: str, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def archive_experiment_with_http_info(
        self, id: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[dict[str, Any]]: ...
    def archive_experiment_with_http_info(self, id: str, **kwargs: Any) -> Any:
        """Like :meth:`archive_experiment`, returning ``(data, status, headers)``."""
        return self._call("archive_experiment", {"id": id}, kwargs)

    @overload
    def create_experiment(self, body: ApiExperiment, **options: Unpack[Call]) -> ApiExperiment: ...
    @overload
    def create_experiment(
        self, body: ApiExperiment, **options: Unpack[AsyncCall]
    ) -> AsyncResult[ApiExperiment]: ...
    @overload
    def create_experiment(self, body: ApiExperiment, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def create_experiment(
        self, body: ApiExperiment, **options: Unpack[AnyCall]
    ) -> CallResult[ApiExperiment]: ...
    def create_experiment(self, body: ApiExperiment, **kwargs: Any) -> Any:
        """Create an experiment.

        Not safe to repeat blindly: names are unique (per namespace), so a second call with
        the same name fails.

        Args:
            body: the experiment to create: ``name`` (required), ``description`` and, on
                multi-user deployments, a ``NAMESPACE`` resource reference. Fields the server
                computes (id, created_at, storage_state) are ignored.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The created experiment, with its ``id``.

        Raises:
            BadRequestException: the experiment is invalid (no name, bad namespace reference).
            ConflictException: an experiment with that name exists already.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.create_experiment_with_http_info(body, **kwargs)

    @overload
    def create_experiment_with_http_info(
        self, body: ApiExperiment, **options: Unpack[InfoCall]
    ) -> HttpInfo[ApiExperiment]: ...
    @overload
    def create_experiment_with_http_info(
        self, body: ApiExperiment, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[ApiExperiment]]: ...
    @overload
    def create_experiment_with_http_info(
        self, body: ApiExperiment, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def create_experiment_with_http_info(
        self, body: ApiExperiment, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[ApiExperiment]: ...
    def create_experiment_with_http_info(self, body: ApiExperiment, **kwargs: Any) -> Any:
        """Like :meth:`create_experiment`, returning ``(data, status, headers)``."""
        return self._call("create_experiment", {"body": body}, kwargs)

    @overload
    def delete_experiment(self, id: str, **options: Unpack[Call]) -> dict[str, Any]: ...
    @overload
    def delete_experiment(
        self, id: str, **options: Unpack[AsyncCall]
    ) -> AsyncResult[dict[str, Any]]: ...
    @overload
    def delete_experiment(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def delete_experiment(
        self, id: str, **options: Unpack[AnyCall]
    ) -> CallResult[dict[str, Any]]: ...
    def delete_experiment(self, id: str, **kwargs: Any) -> Any:
        """Delete an experiment.

        Args:
            id: ID of the experiment to delete.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The server's (empty) JSON object, as a dict.

        Raises:
            NotFoundException: no such experiment.
            BadRequestException: KFP 2.x servers refuse to delete the default experiment.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.delete_experiment_with_http_info(id, **kwargs)

    @overload
    def delete_experiment_with_http_info(
        self, id: str, **options: Unpack[InfoCall]
    ) -> HttpInfo[dict[str, Any]]: ...
    @overload
    def delete_experiment_with_http_info(
        self, id: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[dict[str, Any]]]: ...
    @overload
    def delete_experiment_with_http_info(
        self, id: str, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def delete_experiment_with_http_info(
        self, id: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[dict[str, Any]]: ...
    def delete_experiment_with_http_info(self, id: str, **kwargs: Any) -> Any:
        """Like :meth:`delete_experiment`, returning ``(data, status, headers)``."""
        return self._call("delete_experiment", {"id": id}, kwargs)

    @overload
    def get_experiment(self, id: str, **options: Unpack[Call]) -> ApiExperiment: ...
    @overload
    def get_experiment(
        self, id: str, **options: Unpack[AsyncCall]
    ) -> AsyncResult[ApiExperiment]: ...
    @overload
    def get_experiment(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def get_experiment(self, id: str, **options: Unpack[AnyCall]) -> CallResult[ApiExperiment]: ...
    def get_experiment(self, id: str, **kwargs: Any) -> Any:
        """Get an experiment.

        Args:
            id: ID of the experiment to fetch.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The experiment.

        Raises:
            NotFoundException: no such experiment.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.get_experiment_with_http_info(id, **kwargs)

    @overload
    def get_experiment_with_http_info(
        self, id: str, **options: Unpack[InfoCall]
    ) -> HttpInfo[ApiExperiment]: ...
    @overload
    def get_experiment_with_http_info(
        self, id: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[ApiExperiment]]: ...
    @overload
    def get_experiment_with_http_info(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def get_experiment_with_http_info(
        self, id: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[ApiExperiment]: ...
    def get_experiment_with_http_info(self, id: str, **kwargs: Any) -> Any:
        """Like :meth:`get_experiment`, returning ``(data, status, headers)``."""
        return self._call("get_experiment", {"id": id}, kwargs)

    @overload
    def list_experiment(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        **options: Unpack[Call],
    ) -> ApiListExperimentsResponse: ...
    @overload
    def list_experiment(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        **options: Unpack[AsyncCall],
    ) -> AsyncResult[ApiListExperimentsResponse]: ...
    @overload
    def list_experiment(
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
    def list_experiment(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        **options: Unpack[AnyCall],
    ) -> CallResult[ApiListExperimentsResponse]: ...
    def list_experiment(
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
        """List experiments, one page at a time.

        Args:
            page_token (str): token of the page to fetch: ``next_page_token`` of the previous
                page; omit it for the first page.
            page_size (int): maximum number of experiments in the page.
            sort_by (str): ``"field"``, ``"field asc"`` or ``"field desc"`` (ascending by
                default), e.g. ``"created_at desc"``.
            filter (str): a JSON-serialized ``api.Filter`` on experiment fields (a
                :class:`kfp_server_api.filters.Filter` may be passed as it is).
            resource_reference_key_type (str): type of the resource the experiments belong
                to: ``ApiResourceType.NAMESPACE`` (sent as ``resource_reference_key.type``).
            resource_reference_key_id (str): the namespace name (sent as
                ``resource_reference_key.id``); required on multi-user deployments.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The page: ``experiments``, ``total_size`` and ``next_page_token`` (absent on the
            last page).

        Raises:
            BadRequestException: invalid page token, page size, sort order, filter or
                resource reference.
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.list_experiment_with_http_info(
            page_token=page_token,
            page_size=page_size,
            sort_by=sort_by,
            filter=filter,
            resource_reference_key_type=resource_reference_key_type,
            resource_reference_key_id=resource_reference_key_id,
            **kwargs,
        )

    @overload
    def list_experiment_with_http_info(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        **options: Unpack[InfoCall],
    ) -> HttpInfo[ApiListExperimentsResponse]: ...
    @overload
    def list_experiment_with_http_info(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        **options: Unpack[AsyncInfoCall],
    ) -> AsyncResult[HttpInfo[ApiListExperimentsResponse]]: ...
    @overload
    def list_experiment_with_http_info(
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
    def list_experiment_with_http_info(
        self,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_by: str | None = None,
        filter: str | Filter | None = None,
        resource_reference_key_type: str | None = None,
        resource_reference_key_id: str | None = None,
        **options: Unpack[AnyInfoCall],
    ) -> InfoResult[ApiListExperimentsResponse]: ...
    def list_experiment_with_http_info(
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
        """Like :meth:`list_experiment`, returning ``(data, status, headers)``."""
        return self._call(
            "list_experiment",
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
    def unarchive_experiment(self, id: str, **options: Unpack[Call]) -> dict[str, Any]: ...
    @overload
    def unarchive_experiment(
        self, id: str, **options: Unpack[AsyncCall]
    ) -> AsyncResult[dict[str, Any]]: ...
    @overload
    def unarchive_experiment(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def unarchive_experiment(
        self, id: str, **options: Unpack[AnyCall]
    ) -> CallResult[dict[str, Any]]: ...
    def unarchive_experiment(self, id: str, **kwargs: Any) -> Any:
        """Restore an archived experiment.

        The runs archived with the experiment stay archived; restore them with
        ``RunServiceApi.unarchive_run``.

        Args:
            id: ID of the experiment to restore.
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            The server's (empty) JSON object, as a dict.

        Raises:
            NotFoundException: no such experiment (multi-user deployments; single-user
                servers do not check).
            Other errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.unarchive_experiment_with_http_info(id, **kwargs)

    @overload
    def unarchive_experiment_with_http_info(
        self, id: str, **options: Unpack[InfoCall]
    ) -> HttpInfo[dict[str, Any]]: ...
    @overload
    def unarchive_experiment_with_http_info(
        self, id: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[dict[str, Any]]]: ...
    @overload
    def unarchive_experiment_with_http_info(
        self, id: str, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def unarchive_experiment_with_http_info(
        self, id: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[dict[str, Any]]: ...
    def unarchive_experiment_with_http_info(self, id: str, **kwargs: Any) -> Any:
        """Like :meth:`unarchive_experiment`, returning ``(data, status, headers)``."""
        return self._call("unarchive_experiment", {"id": id}, kwargs)
