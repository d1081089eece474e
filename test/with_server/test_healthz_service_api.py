"""HealthzServiceApi over real HTTP: the exact request and its typed result."""

from __future__ import annotations

import pytest
from endpoint_cases import Call, call_params, exercise
from servers.loopback import LoopbackServer, Reply

from kfp_server_api import (
    ApiClient,
    ApiGetHealthzResponse,
    ApiTypeError,
    HealthzServiceApi,
    UnauthorizedException,
)

HEALTHZ = "/apis/v1beta1/healthz"
# What an authenticating proxy in front of the API server answers without credentials.
PROXY_PAGE = "<html><body>Sign in to continue</body></html>"

CALLS = [
    Call(
        "get_healthz",
        target=HEALTHZ,
        reply={"multi_user": True},
        expect=ApiGetHealthzResponse(multi_user=True),
    ),
    # A single-user server omits the false flag.
    Call("get_healthz", target=HEALTHZ, reply={}, expect=ApiGetHealthzResponse()),
    Call(
        "get_healthz",
        target=HEALTHZ,
        reply=Reply.text(PROXY_PAGE, 401, "text/html"),
        raises=UnauthorizedException,
        expect={"status": 401, "body": PROXY_PAGE, "code": None},
    ),
    Call(
        "get_healthz",
        kwargs={"timeout": 3},
        raises=ApiTypeError,
        expect={"message": "Got an unexpected keyword argument 'timeout' to method get_healthz"},
    ),
]


@pytest.mark.parametrize("call", call_params(HealthzServiceApi, CALLS))
def test_call(server: LoopbackServer, api_client: ApiClient, call: Call) -> None:
    exercise(server, HealthzServiceApi(api_client), call)
