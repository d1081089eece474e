"""Fixtures for tests that talk to the scripted loopback server over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from servers.loopback import LoopbackServer

from kfp_server_api import ApiClient, Configuration, RunServiceApi


@pytest.fixture(scope="session")
def _loopback() -> Iterator[LoopbackServer]:
    with LoopbackServer() as server:
        yield server


@pytest.fixture
def server(_loopback: LoopbackServer) -> Iterator[LoopbackServer]:
    """The session's loopback server, with an empty script and no recorded requests."""
    _loopback.reset()
    yield _loopback
    _loopback.released.set()  # let replies stalled by this test finish


@pytest.fixture
def configuration(server: LoopbackServer) -> Configuration:
    """A configuration pointing at the loopback server."""
    return Configuration(host=server.url)


@pytest.fixture
def api_client(configuration: Configuration) -> Iterator[ApiClient]:
    """A client of the loopback server, closed after the test."""
    with ApiClient(configuration) as client:
        yield client


@pytest.fixture
def run_api(api_client: ApiClient) -> RunServiceApi:
    """RunServiceApi over ``api_client``."""
    return RunServiceApi(api_client)
