"""``HealthzServiceApi``: check that the API server answers, and how it is deployed.

The endpoint is described once, as data, in ``HEALTHZ_SERVICE_ENDPOINTS``; the method binds its
arguments and calls :func:`kfp_server_api.endpoint.call_endpoint`. The keyword options every
method accepts and the errors every method can raise are described once, in
:mod:`kfp_server_api.endpoint`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, overload

from kfp_server_api.endpoint import Endpoint, ServiceApi

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
    from kfp_server_api.models import ApiGetHealthzResponse

__all__ = ["HEALTHZ_SERVICE_ENDPOINTS", "HealthzServiceApi"]

#: The HealthzService endpoints, by method name.
HEALTHZ_SERVICE_ENDPOINTS: dict[str, Endpoint] = {
    endpoint.name: endpoint
    for endpoint in (
        Endpoint(
            name="get_healthz",
            method="GET",
            path="/apis/v1beta1/healthz",
            params=(),
            response_type="ApiGetHealthzResponse",
            summary="Check that the API server is up, and whether it is multi-user.",
            description="",
            retry_safe=True,
        ),
    )
}


class HealthzServiceApi(ServiceApi):
    """Calls of the Kubeflow Pipelines health service (``/apis/v1beta1/healthz``).

    Args:
        api_client: the client to send requests with (default: a new ``ApiClient()``).

    Each method ``x`` returns the decoded result; its twin ``x_with_http_info`` returns
    ``(result, status, headers)``. Keyword options and errors common to every method: see
    :mod:`kfp_server_api.endpoint`.
    """

    endpoints = HEALTHZ_SERVICE_ENDPOINTS

    @overload
    def get_healthz(self, **options: Unpack[Call]) -> ApiGetHealthzResponse: ...
    @overload
    def get_healthz(self, **options: Unpack[AsyncCall]) -> AsyncResult[ApiGetHealthzResponse]: ...
    @overload
    def get_healthz(self, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def get_healthz(self, **options: Unpack[AnyCall]) -> CallResult[ApiGetHealthzResponse]: ...
    def get_healthz(self, **kwargs: Any) -> Any:
        """Check that the API server is up, and whether it is multi-user.

        A cheap call that reads no stored data: a good first request to check the host and
        everything between the client and the server (proxies, TLS, authentication).

        Args:
            **kwargs: call options (see :mod:`kfp_server_api.endpoint`).

        Returns:
            ``multi_user``: whether the deployment separates users by namespace (then list
            and create calls need a ``NAMESPACE`` resource reference).

        Raises:
            Errors common to every call: see :mod:`kfp_server_api.endpoint`.
        """
        kwargs["_return_http_data_only"] = True
        return self.get_healthz_with_http_info(**kwargs)

    @overload
    def get_healthz_with_http_info(
        self, **options: Unpack[InfoCall]
    ) -> HttpInfo[ApiGetHealthzResponse]: ...
    @overload
    def get_healthz_with_http_info(
        self, **options: Unpack[AsyncInfoCall]
    ) -> AsyncResult[HttpInfo[ApiGetHealthzResponse]]: ...
    @overload
    def get_healthz_with_http_info(self, **options: Unpack[RawCall]) -> RawResponse: ...
    @overload
    def get_healthz_with_http_info(
        self, **options: Unpack[AnyInfoCall]
    ) -> InfoResult[ApiGetHealthzResponse]: ...
    def get_healthz_with_http_info(self, **kwargs: Any) -> Any:
        """Like :meth:`get_healthz`, returning ``(data, status, headers)``."""
        return self._call("get_healthz", {}, kwargs)
