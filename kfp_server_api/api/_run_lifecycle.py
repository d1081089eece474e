"""The calls of ``RunServiceApi`` that change a run's state: archive, unarchive, terminate,
retry, delete.

``RunServiceApi`` inherits them; use them from there (this module is private). Each method binds
its arguments and calls ``ServiceApi._call`` with its name in the class's endpoint table,
``RUN_SERVICE_ENDPOINTS``.
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


class _RunLifecycleMethods(ServiceApi):
    """Archive, unarchive, terminate, retry and delete runs."""

    @overload
    def archive_run(self, id: str, **options: Unpack[Call]) -> dict[str, Any]: ...
    @overload
    def archive_run(self, id: str, **options: Unpack[AsyncCall]) -> AsyncResult[dict[str, Any]]: ...
    @overload
    def archive_run(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def archive_run(self, id: str, **options: Unpack[AnyCall]) -> CallResult[dict[str, Any]]: ...
    def archive_run(self, id: str, **kwargs: Any) -> Any:
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
        return self.archive_run_with_http_info(id, **kwargs)

    @overload
    def archive_run_with_http_info(
        self, id: str, **options: Unpack[InfoCall]
    ) -> HttpInfo[dict[str, Any]]: ...
    @overload
    def archive_run_with_http_info(
        self, id: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[dict[str, Any]]]: ...
    @overload
    def archive_run_with_http_info(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def archive_run_with_http_info(
        self, id: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[dict[str, Any]]: ...
    def archive_run_with_http_info(self, id: str, **kwargs: Any) -> Any:
        """Like :meth:`archive_run`, returning ``(data, status, headers)``."""
        return self._call("archive_run", {"id": id}, kwargs)

    @overload
    def delete_run(self, id: str, **options: Unpack[Call]) -> dict[str, Any]: ...
    @overload
    def delete_run(self, id: str, **options: Unpack[AsyncCall]) -> AsyncResult[dict[str, Any]]: ...
    @overload
    def delete_run(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def delete_run(self, id: str, **options: Unpack[AnyCall]) -> CallResult[dict[str, Any]]: ...
    def delete_run(self, id: str, **kwargs: Any) -> Any:
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
        return self.delete_run_with_http_info(id, **kwargs)

    @overload
    def delete_run_with_http_info(
        self, id: str, **options: Unpack[InfoCall]
    ) -> HttpInfo[dict[str, Any]]: ...
    @overload
    def delete_run_with_http_info(
        self, id: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[dict[str, Any]]]: ...
    @overload
    def delete_run_with_http_info(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def delete_run_with_http_info(
        self, id: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[dict[str, Any]]: ...
    def delete_run_with_http_info(self, id: str, **kwargs: Any) -> Any:
        """Like :meth:`delete_run`, returning ``(data, status, headers)``."""
        return self._call("delete_run", {"id": id}, kwargs)

    @overload
    def retry_run(self, run_id: str, **options: Unpack[Call]) -> dict[str, Any]: ...
    @overload
    def retry_run(
        self, run_id: str, **options: Unpack[AsyncCall]
    ) -> AsyncResult[dict[str, Any]]: ...
    @overload
    def retry_run(self, run_id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def retry_run(self, run_id: str, **options: Unpack[AnyCall]) -> CallResult[dict[str, Any]]: ...
    def retry_run(self, run_id: str, **kwargs: Any) -> Any:
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
        return self.retry_run_with_http_info(run_id, **kwargs)

    @overload
    def retry_run_with_http_info(
        self, run_id: str, **options: Unpack[InfoCall]
    ) -> HttpInfo[dict[str, Any]]: ...
    @overload
    def retry_run_with_http_info(
        self, run_id: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[dict[str, Any]]]: ...
    @overload
    def retry_run_with_http_info(self, run_id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def retry_run_with_http_info(
        self, run_id: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[dict[str, Any]]: ...
    def retry_run_with_http_info(self, run_id: str, **kwargs: Any) -> Any:
        """Like :meth:`retry_run`, returning ``(data, status, headers)``."""
        return self._call("retry_run", {"run_id": run_id}, kwargs)

    @overload
    def terminate_run(self, run_id: str, **options: Unpack[Call]) -> dict[str, Any]: ...
    @overload
    def terminate_run(
        self, run_id: str, **options: Unpack[AsyncCall]
    ) -> AsyncResult[dict[str, Any]]: ...
    @overload
    def terminate_run(self, run_id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def terminate_run(
        self, run_id: str, **options: Unpack[AnyCall]
    ) -> CallResult[dict[str, Any]]: ...
    def terminate_run(self, run_id: str, **kwargs: Any) -> Any:
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
        return self.terminate_run_with_http_info(run_id, **kwargs)

    @overload
    def terminate_run_with_http_info(
        self, run_id: str, **options: Unpack[InfoCall]
    ) -> HttpInfo[dict[str, Any]]: ...
    @overload
    def terminate_run_with_http_info(
        self, run_id: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[dict[str, Any]]]: ...
    @overload
    def terminate_run_with_http_info(
        self, run_id: str, **options: Unpack[RawCall]
    ) -> RawResponse: ...
    @overload
    def terminate_run_with_http_info(
        self, run_id: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[dict[str, Any]]: ...
    def terminate_run_with_http_info(self, run_id: str, **kwargs: Any) -> Any:
        """Like :meth:`terminate_run`, returning ``(data, status, headers)``."""
        return self._call("terminate_run", {"run_id": run_id}, kwargs)

    @overload
    def unarchive_run(self, id: str, **options: Unpack[Call]) -> dict[str, Any]: ...
    @overload
    def unarchive_run(
        self, id: str, **options: Unpack[AsyncCall]
    ) -> AsyncResult[dict[str, Any]]: ...
    @overload
    def unarchive_run(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def unarchive_run(self, id: str, **options: Unpack[AnyCall]) -> CallResult[dict[str, Any]]: ...
    def unarchive_run(self, id: str, **kwargs: Any) -> Any:
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
        return self.unarchive_run_with_http_info(id, **kwargs)

    @overload
    def unarchive_run_with_http_info(
        self, id: str, **options: Unpack[InfoCall]
    ) -> HttpInfo[dict[str, Any]]: ...
    @overload
    def unarchive_run_with_http_info(
        self, id: str, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[dict[str, Any]]]: ...
    @overload
    def unarchive_run_with_http_info(self, id: str, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def unarchive_run_with_http_info(
        self, id: str, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[dict[str, Any]]: ...
    def unarchive_run_with_http_info(self, id: str, **kwargs: Any) -> Any:
        """Like :meth:`unarchive_run`, returning ``(data, status, headers)``."""
        return self._call("unarchive_run", {"id": id}, kwargs)
