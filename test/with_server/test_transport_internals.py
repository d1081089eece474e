"""Each reach of the transport below urllib3's and CPython's public APIs still attaches.

``kfp_server_api._transport.internals`` lists them; every one has a fallback that keeps the
client working with less (and logs a DEBUG line), so only these tests notice when an upstream
change makes the fallback the rule. They run over HTTP and HTTPS, and on both urllib3 lines in
CI (urllib3 1.26 and 2.x).
"""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Iterator

import pytest
import trustme
import urllib3
from servers.loopback import LoopbackServer, Reply

from kfp_server_api import ApiConnectionError, ApiException, Configuration
from kfp_server_api._transport import deadline, internals
from kfp_server_api.rest import RESTClientObject

BODY = b'{"run":{"id":"r-1"}}'


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_file(authority: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    authority.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture(params=["http", "https"])
def served(request: pytest.FixtureRequest, authority: trustme.CA) -> Iterator[LoopbackServer]:
    context = None
    if request.param == "https":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        authority.issue_cert("127.0.0.1").configure_cert(context)
    server = LoopbackServer(ssl_context=context)
    server.default_reply = Reply.json({"run": {"id": "r-1"}})
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def rest_client(served: LoopbackServer, ca_file: str) -> Iterator[RESTClientObject]:
    configuration = Configuration(host=served.url)
    configuration.ssl_ca_cert = ca_file
    client = RESTClientObject(configuration)
    try:
        yield client
    finally:
        client.close()


def test_the_versions_under_test() -> None:
    assert urllib3.__version__.split(".")[0] in {"1", "2"}


def test_the_deadline_bounds_the_reads_of_the_response_head(
    served: LoopbackServer, rest_client: RESTClientObject
) -> None:
    """A deadline already passed stops the first read of the status line: the response class
    chosen through the pools' connections reads the socket through the deadline reader."""
    passed = deadline.Deadline(time.monotonic() - 1)
    active = deadline.begin(passed)
    try:
        with pytest.raises(urllib3.exceptions.ReadTimeoutError):
            rest_client.pool_manager.urlopen(
                "GET", served.url + "/x", retries=False, preload_content=False
            )
    finally:
        deadline.end(active)
    assert passed.expired is True


def test_without_a_deadline_the_same_pools_answer_as_usual(
    served: LoopbackServer, rest_client: RESTClientObject, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="kfp_server_api"):
        response = rest_client.GET(served.url + "/x")
    assert (response.status, response.data) == (200, BODY)
    assert "not attached" not in caplog.text


def test_close_closes_the_kept_alive_connections_of_every_pool(
    served: LoopbackServer, rest_client: RESTClientObject, caplog: pytest.LogCaptureFixture
) -> None:
    rest_client.GET(served.url + "/x")
    pool = rest_client.pool_manager.connection_from_url(served.url)
    assert pool.num_connections == 1
    assert not internals.pool_is_closed(pool)

    with caplog.at_level(logging.DEBUG, logger="kfp_server_api"):
        rest_client.close()

    assert internals.pool_is_closed(pool)
    assert "not readable" not in caplog.text
    # A new request after close() opens a new pool, found by the fast path too.
    assert rest_client.GET(served.url + "/x").status == 200


def test_urllib3s_host_name_check_is_recognised_by_type(
    served: LoopbackServer, ca_file: str
) -> None:
    assert len(internals.CERTIFICATE_ERRORS) == 3  # ssl's two names, and urllib3's own
    if not served.url.startswith("https"):
        pytest.skip("a host name check needs TLS")
    configuration = Configuration(host=served.url)
    configuration.ssl_ca_cert = ca_file
    configuration.assert_hostname = "other.example"
    client = RESTClientObject(configuration)
    try:
        with pytest.raises(ApiConnectionError) as caught:
            client.GET(served.url + "/x")
    finally:
        client.close()
    assert isinstance(caught.value, ApiException)
    assert caught.value.reason is not None
    assert caught.value.reason.startswith("TLS certificate does not match the host name")
