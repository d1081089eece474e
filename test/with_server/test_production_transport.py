"""Production transport over real HTTP: retries with backoff, time limits, the token refresh on
401, call logging and redaction, TLS and proxies, and the helpers the package exports.

Waits before retries are recorded by the policy's injected ``sleep`` instead of slept, so the
tests assert on the waits themselves and never on elapsed time.
"""

from __future__ import annotations

import logging
import re
import socket
import ssl
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import certifi
import pytest
import trustme
import urllib3
from servers.loopback import LoopbackServer, RecordedRequest, Reply
from servers.tunnel_proxy import TunnelProxy

import kfp_server_api
from kfp_server_api import (
    ApiClient,
    ApiConnectionError,
    ApiDecodeError,
    ApiException,
    ApiPipelineSpec,
    ApiReadArtifactResponse,
    ApiRun,
    ApiTimeoutError,
    Configuration,
    RetryPolicy,
    RunServiceApi,
    ServiceException,
    UnauthorizedException,
)
from kfp_server_api.emulator import Emulator, Lifecycle
from kfp_server_api.endpoint import is_retry_safe
from kfp_server_api.rest import (
    DEFAULT_TIMEOUT,
    DEFAULT_TOTAL_TIMEOUT,
    RESTClientObject,
    to_urllib3_timeout,
)

RUN = {"run": {"id": "r-1", "name": "first"}}
TOKEN = "s3cr3t-t0ken-value"
WORKFLOW = (
    '{"apiVersion":"argoproj.io/v1alpha1","kind":"Workflow","metadata":{"generateName":"p-"},'
    '"spec":{"entrypoint":"main","templates":[{"name":"main","container":{"image":"alpine"}}]}}'
)
#: Lower and upper bound of the wait before each retry under the default policy.
DEFAULT_WAITS = [(0.25, 0.5), (0.5, 1.0), (1.0, 2.0)]


def new_run(name: str = "once") -> ApiRun:
    return ApiRun(name=name, pipeline_spec=ApiPipelineSpec(workflow_manifest=WORKFLOW))


def assert_default_backoff(waits: list[float]) -> None:
    assert len(waits) <= len(DEFAULT_WAITS)
    for wait, (low, high) in zip(waits, DEFAULT_WAITS):
        assert low <= wait <= high


@pytest.fixture
def waits() -> list[float]:
    """The waits the client's retry policy asked for, recorded instead of slept."""
    return []


@pytest.fixture
def configuration(server: LoopbackServer, waits: list[float]) -> Configuration:
    """A configuration of the loopback server with the default policy, recording its waits."""
    configuration = Configuration(host=server.url)
    configuration.retry_policy = RetryPolicy(sleep=waits.append)
    return configuration


def client_of(host: str, waits: list[float], **settings: Any) -> ApiClient:
    """A client of ``host`` whose policy records its waits; ``settings`` go on the
    Configuration."""
    configuration = Configuration(host=host)
    configuration.retry_policy = RetryPolicy(sleep=waits.append)
    for name, value in settings.items():
        setattr(configuration, name, value)
    return ApiClient(configuration)


# -- retries of retry-safe calls ----------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_retryable_status_is_retried_with_exponential_backoff(
    server: LoopbackServer, run_api: RunServiceApi, waits: list[float], status: int
) -> None:
    server.enqueue(Reply.kfp_error(status, 14, "try later"), Reply.text("busy", status))
    server.default_reply = Reply.json(RUN)

    assert run_api.get_run("r-1").run.name == "first"

    assert len(server.requests) == 3
    assert len(waits) == 2
    assert_default_backoff(waits)


def test_retries_run_out_after_four_attempts(
    server: LoopbackServer, run_api: RunServiceApi, waits: list[float]
) -> None:
    server.default_reply = Reply.kfp_error(503, 14, "Unavailable")

    with pytest.raises(ServiceException) as caught:
        run_api.list_runs(page_size=5)

    assert caught.value.status == 503
    assert len(server.requests) == 4
    assert len(waits) == 3
    assert_default_backoff(waits)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 500, 501])
def test_other_statuses_are_not_retried(
    server: LoopbackServer, run_api: RunServiceApi, waits: list[float], status: int
) -> None:
    server.default_reply = Reply.kfp_error(status, 2, "no")

    with pytest.raises(ApiException) as caught:
        run_api.get_run("r-1")

    assert caught.value.status == status
    assert (len(server.requests), waits) == (1, [])


NOW = datetime(2024, 3, 1, 12, 0, 0, tzinfo=timezone.utc)


def test_retry_after_in_seconds_and_as_a_date_is_honoured(
    server: LoopbackServer, configuration: Configuration, waits: list[float]
) -> None:
    assert configuration.retry_policy is not None
    configuration.retry_policy = configuration.retry_policy.new(clock=NOW.timestamp)
    in_twelve_seconds = format_datetime(NOW + timedelta(seconds=12), usegmt=True)
    server.enqueue(
        Reply.json({"error": "slow down", "code": 8}, 429, [("Retry-After", "7")]),
        Reply.text("draining", 503, headers=[("Retry-After", in_twelve_seconds)]),
        Reply.json(RUN),
    )
    with ApiClient(configuration) as client:
        assert RunServiceApi(client).get_run("r-1").run.id == "r-1"

    assert waits == [7.0, 12.0]


@pytest.mark.parametrize(("cap", "expected"), [(None, 20.0), (5.0, 5.0)])
def test_retry_after_is_capped(
    server: LoopbackServer,
    configuration: Configuration,
    waits: list[float],
    cap: float | None,
    expected: float,
) -> None:
    if cap is not None:
        assert configuration.retry_policy is not None
        configuration.retry_policy = configuration.retry_policy.new(retry_after_max=cap)
    server.enqueue(Reply.text("later", 503, headers=[("Retry-After", "3600")]), Reply.json(RUN))
    with ApiClient(configuration) as client:
        RunServiceApi(client).get_run("r-1")

    assert waits == [expected]


@pytest.mark.parametrize(
    "failure",
    [Reply.close_before_headers(), Reply.json(RUN).truncated(5)],
    ids=["dropped before the headers", "truncated body"],
)
def test_broken_exchange_of_a_read_is_retried(
    server: LoopbackServer, run_api: RunServiceApi, waits: list[float], failure: Reply
) -> None:
    server.enqueue(failure, Reply.json(RUN))

    assert run_api.get_run("r-1").run.id == "r-1"

    assert len(server.requests) == 2
    assert_default_backoff(waits)


def test_read_timeout_ends_after_timeout_times_attempts(
    server: LoopbackServer, run_api: RunServiceApi, waits: list[float]
) -> None:
    server.default_reply = Reply.stall()

    with pytest.raises(ApiTimeoutError) as caught:
        run_api.get_run("r-1", _request_timeout=0.2)

    assert caught.value.reason is not None
    assert caught.value.reason.startswith("Total time limit of 0.2 s passed: ")
    assert caught.value.reason.endswith("(after 4 attempts)")
    assert len(server.requests) == 4  # four limited waits for an answer, and no more
    assert len(waits) == 3


def test_connection_refused_is_retried_then_reported(closed_port: int, waits: list[float]) -> None:
    with (
        client_of(f"http://127.0.0.1:{closed_port}", waits) as client,
        pytest.raises(ApiConnectionError) as caught,
    ):
        RunServiceApi(client).get_run("r-1")

    error = caught.value
    assert type(error) is ApiConnectionError
    assert (error.request_sent, error.transient) == (False, True)
    assert error.reason is not None
    assert error.reason.startswith("Connection refused: ")
    assert error.reason.endswith("(after 4 attempts)")
    assert isinstance(error.__cause__, urllib3.exceptions.HTTPError)
    assert isinstance(error, ConnectionError)  # the built-in, for generic network handling
    assert (error.method, error.url) == (
        "GET",
        f"http://127.0.0.1:{closed_port}/apis/v1beta1/runs/r-1",
    )
    assert_default_backoff(waits)
    assert len(waits) == 3


def test_urllib3_does_not_retry_underneath_the_policy(
    server: LoopbackServer, run_api: RunServiceApi, waits: list[float]
) -> None:
    server.default_reply = Reply.close_before_headers()

    with pytest.raises(ApiConnectionError):
        run_api.get_run("r-1")

    # 4 attempts of the policy; urllib3 retrying each of them would make 16.
    assert len(server.requests) == 4
    assert len(waits) == 3


def test_a_redirect_to_the_same_path_is_followed_by_the_client_not_by_urllib3(
    server: LoopbackServer, run_api: RunServiceApi, waits: list[float]
) -> None:
    server.enqueue(
        Reply.text("moved", 307, headers=[("Location", f"{server.url}/apis/v1beta1/runs/r-1")]),
        Reply.json(RUN),
    )
    assert run_api.get_run("r-1").run.id == "r-1"
    assert [request.path for request in server.requests] == ["/apis/v1beta1/runs/r-1"] * 2
    assert waits == []


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_that_is_not_followed_is_not_retried(
    server: LoopbackServer, run_api: RunServiceApi, waits: list[float], status: int
) -> None:
    server.default_reply = Reply.text(
        "moved", status, headers=[("Location", "/apis/v1beta1/runs/r-2")]
    )
    with pytest.raises(ApiException) as caught:
        run_api.get_run("r-1")
    assert caught.value.status == status
    assert (len(server.requests), waits) == (1, [])


def test_async_calls_are_retried_too(
    server: LoopbackServer, run_api: RunServiceApi, waits: list[float]
) -> None:
    server.enqueue(Reply.text("busy", 503))
    server.default_reply = Reply.json(RUN)
    assert run_api.get_run("r-1", async_req=True).get(timeout=30).run.id == "r-1"
    assert len(waits) == 1


def test_tls_certificate_errors_are_not_retried(tls_emulator: Emulator, waits: list[float]) -> None:
    with client_of(tls_emulator.url, waits) as client, pytest.raises(ApiConnectionError) as caught:
        RunServiceApi(client).get_run("r-1")
    assert caught.value.transient is False
    assert waits == []


# -- calls that must not be repeated ------------------------------------------------------------

NOT_RETRY_SAFE: dict[str, Callable[[RunServiceApi], Any]] = {
    "create_run": lambda api: api.create_run(new_run(), _request_timeout=(5, 0.2)),
    "terminate_run": lambda api: api.terminate_run("r-1", _request_timeout=(5, 0.2)),
    "retry_run": lambda api: api.retry_run("r-1", _request_timeout=(5, 0.2)),
}
MAYBE_PROCESSED = {
    "429": Reply.kfp_error(429, 8, "slow down"),
    "502": Reply.text("<html>502 Bad Gateway</html>", 502, "text/html"),
    "503 with Retry-After": Reply.text("busy", 503, headers=[("Retry-After", "1")]),
    "504": Reply.text("gateway timeout", 504),
    "read timeout": Reply.stall(),
    "dropped after the request": Reply.close_before_headers(),
    "truncated body": Reply.json({}).truncated(1),
}


@pytest.mark.parametrize("name", NOT_RETRY_SAFE)
@pytest.mark.parametrize("failure", MAYBE_PROCESSED)
def test_a_call_that_is_not_retry_safe_is_sent_once_when_it_may_have_arrived(
    server: LoopbackServer, run_api: RunServiceApi, waits: list[float], name: str, failure: str
) -> None:
    server.enqueue(MAYBE_PROCESSED[failure])
    server.default_reply = Reply.json({})

    with pytest.raises(ApiException):
        NOT_RETRY_SAFE[name](run_api)

    assert len(server.requests) == 1
    assert waits == []


def test_the_endpoint_description_decides_retry_safety() -> None:
    endpoints = RunServiceApi.endpoints
    for name, endpoint in endpoints.items():
        assert is_retry_safe(endpoint.method, endpoint.path) is endpoint.retry_safe, name
    assert {n for n, e in endpoints.items() if not e.retry_safe} == set(NOT_RETRY_SAFE)
    # Unknown routes: the HTTP method decides.
    assert is_retry_safe("GET", "/somewhere/else")
    assert is_retry_safe("DELETE", "/somewhere/else")
    assert not is_retry_safe("POST", "/somewhere/else")


def test_raw_call_api_uses_the_endpoint_description_of_its_route(
    server: LoopbackServer, api_client: ApiClient, waits: list[float]
) -> None:
    for method, path, attempts in [
        ("POST", "/apis/v1beta1/runs/{id}:archive", 4),  # a retry-safe POST
        ("POST", "/apis/v1beta1/runs/{run_id}/retry", 1),  # not retry-safe
        ("POST", "/apis/v1beta1/unknown", 1),
        ("GET", "/apis/v1beta1/unknown", 4),
    ]:
        server.reset()
        server.default_reply = Reply.text("busy", 503)
        with pytest.raises(ServiceException):
            api_client.call_api(path, method, path_params={"id": "r", "run_id": "r"})
        assert len(server.requests) == attempts, (method, path)


def test_create_run_is_retried_when_the_connection_was_refused(
    closed_port: int, waits: list[float]
) -> None:
    """The server is down at the first attempt and up at the second: one run is created."""
    emulators: list[Emulator] = []

    def start_the_server(seconds: float) -> None:
        waits.append(seconds)
        emulators.append(Emulator(port=closed_port, lifecycle=Lifecycle.manual()).start())

    configuration = Configuration(host=f"http://127.0.0.1:{closed_port}")
    configuration.retry_policy = RetryPolicy(sleep=start_the_server)
    try:
        with ApiClient(configuration) as client:
            detail = RunServiceApi(client).create_run(new_run("refused first"))
        assert detail.run.name == "refused first"
        assert emulators[0].run_count() == 1
        assert len(waits) == 1
    finally:
        for emulator in emulators:
            emulator.close()


def test_create_run_is_retried_after_a_connect_timeout(waits: list[float]) -> None:
    """A full accept queue makes the first connect time out; then the server comes up."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=0)
    port = int(listener.getsockname()[1])
    fillers = _fill_the_accept_queue(port)
    emulators: list[Emulator] = []

    def start_the_server(seconds: float) -> None:
        waits.append(seconds)
        for item in [*fillers, listener]:
            item.close()
        emulators.append(Emulator(port=port, lifecycle=Lifecycle.manual()).start())

    try:
        configuration = Configuration(host=f"http://127.0.0.1:{port}")
        configuration.retry_policy = RetryPolicy(sleep=start_the_server)
        with ApiClient(configuration) as client:
            detail = RunServiceApi(client).create_run(
                new_run("timed out first"), _request_timeout=(0.2, 10)
            )
        assert detail.run.name == "timed out first"
        assert emulators[0].run_count() == 1
        assert len(waits) == 1
    finally:
        for item in [*fillers, listener, *emulators]:
            item.close()


def _fill_the_accept_queue(port: int) -> list[socket.socket]:
    """Connect until the listener's queue is full (the next connect would time out)."""
    fillers: list[socket.socket] = []
    for _ in range(16):
        filler = socket.socket()
        filler.settimeout(0.2)
        fillers.append(filler)
        try:
            filler.connect(("127.0.0.1", port))
        except TimeoutError:
            return fillers
        except OSError as error:  # socket.timeout before Python 3.10
            if "timed out" not in str(error):
                raise
            return fillers
    for filler in fillers:
        filler.close()
    pytest.skip("this system never lets a loopback connect time out")


def test_a_dns_failure_is_retried_even_for_create_run(waits: list[float]) -> None:
    with (
        client_of("http://no-such-host.invalid", waits) as client,
        pytest.raises(ApiConnectionError) as caught,
    ):
        RunServiceApi(client).create_run(new_run())
    assert caught.value.request_sent is False
    assert len(waits) == 3


class UntouchablePolicy(RetryPolicy):
    """A policy that fails the test if a successful call consults it."""

    def delay_before_retry(self, *args: Any, **kwargs: Any) -> float | None:
        raise AssertionError("the retry policy was consulted")


def test_a_successful_call_never_consults_the_policy(
    server: LoopbackServer, configuration: Configuration
) -> None:
    configuration.retry_policy = UntouchablePolicy(sleep=None, clock=None, random=None)  # type: ignore[arg-type]
    server.default_reply = Reply.json(RUN)
    with ApiClient(configuration) as client:
        api = RunServiceApi(client)
        assert api.get_run("r-1").run.id == "r-1"
        assert api.create_run(new_run()).run.id == "r-1"


# -- the user's own urllib3 retries, or none ----------------------------------------------------


def test_a_urllib3_retry_of_the_user_replaces_the_policy(
    server: LoopbackServer, configuration: Configuration, waits: list[float]
) -> None:
    configuration.retries = urllib3.Retry(total=3, status_forcelist=[503], backoff_factor=0)
    server.enqueue(Reply.text("busy", 503), Reply.text("busy", 503), Reply.json(RUN))
    with ApiClient(configuration) as client:
        assert RunServiceApi(client).get_run("r-1").run.id == "r-1"

    assert len(server.requests) == 3  # urllib3 retried, as it did in 1.8.5
    assert waits == []  # and the policy stayed out of it


@pytest.mark.parametrize("retries", [0, False])
def test_retries_off_in_urllib3_means_one_attempt(
    server: LoopbackServer, configuration: Configuration, waits: list[float], retries: Any
) -> None:
    configuration.retries = retries
    server.default_reply = Reply.close_before_headers()
    with ApiClient(configuration) as client, pytest.raises(ApiConnectionError):
        RunServiceApi(client).get_run("r-1")
    assert (len(server.requests), waits) == (1, [])


def test_an_int_of_urllib3_retries_applies_to_connection_errors(
    closed_port: int, waits: list[float]
) -> None:
    with (
        client_of(f"http://127.0.0.1:{closed_port}", waits, retries=2) as client,
        pytest.raises(ApiConnectionError) as caught,
    ):
        RunServiceApi(client).get_run("r-1")
    assert caught.value.reason is not None
    assert "attempts" not in caught.value.reason
    assert waits == []


def test_no_policy_means_one_attempt(server: LoopbackServer, configuration: Configuration) -> None:
    configuration.retry_policy = None
    server.default_reply = Reply.text("busy", 503)
    with ApiClient(configuration) as client, pytest.raises(ServiceException):
        RunServiceApi(client).get_run("r-1")
    assert len(server.requests) == 1


# -- time limits --------------------------------------------------------------------------------


def test_default_time_limits_are_bounded() -> None:
    assert (DEFAULT_TIMEOUT.connect_timeout, DEFAULT_TIMEOUT.read_timeout) == (10.0, 60.0)
    assert DEFAULT_TIMEOUT.total == DEFAULT_TOTAL_TIMEOUT == 300.0
    rest_client = RESTClientObject(Configuration())
    try:
        assert rest_client.pool_manager.connection_pool_kw["timeout"] is DEFAULT_TIMEOUT
    finally:
        rest_client.close()


def test_configuration_request_timeout_applies_to_calls_without_one(
    server: LoopbackServer, configuration: Configuration, waits: list[float]
) -> None:
    configuration.request_timeout = 0.2
    server.default_reply = Reply.stall()
    with ApiClient(configuration) as client, pytest.raises(ApiTimeoutError) as caught:
        RunServiceApi(client).create_run(new_run())

    assert caught.value.reason is not None
    assert caught.value.reason.startswith("Total time limit of 0.2 s passed: ")
    assert (len(server.requests), waits) == (1, [])


def test_the_call_timeout_wins_over_the_configured_one(
    server: LoopbackServer, configuration: Configuration
) -> None:
    configuration.request_timeout = 3600
    server.default_reply = Reply.stall()
    with ApiClient(configuration) as client, pytest.raises(ApiTimeoutError):
        RunServiceApi(client).terminate_run("r-1", _request_timeout=(5, 0.2))


def test_zero_means_no_limit() -> None:
    unlimited = to_urllib3_timeout(0)
    assert unlimited is not None
    assert (unlimited.connect_timeout, unlimited.read_timeout) == (None, None)
    configuration = Configuration()
    configuration.request_timeout = 0
    rest_client = RESTClientObject(configuration)
    try:
        timeout = rest_client.pool_manager.connection_pool_kw["timeout"]
        assert (timeout.connect_timeout, timeout.read_timeout) == (None, None)
    finally:
        rest_client.close()


# -- token refresh on 401 -----------------------------------------------------------------------


class TokenSource:
    """A refresh hook handing out token-1, token-2, ... one per run."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, configuration: Configuration) -> None:
        self.calls += 1
        configuration.api_key["authorization"] = f"token-{self.calls}"
        configuration.api_key_prefix["authorization"] = "Bearer"


def only_token(token: str, reply: Reply) -> Callable[[RecordedRequest], Reply]:
    def respond(request: RecordedRequest) -> Reply:
        if request.header("Authorization") == f"Bearer {token}":
            return reply
        return Reply.kfp_error(401, 16, "Unauthenticated: token expired")

    return respond


def test_a_401_runs_the_hook_and_sends_the_call_again_with_the_new_token(
    server: LoopbackServer, configuration: Configuration, waits: list[float]
) -> None:
    tokens = TokenSource()
    configuration.refresh_api_key_hook = tokens
    server.responder = only_token("token-2", Reply.json(RUN))
    with ApiClient(configuration) as client:
        assert RunServiceApi(client).get_run("r-1").run.id == "r-1"

    assert [r.header("Authorization") for r in server.requests] == [
        "Bearer token-1",
        "Bearer token-2",
    ]
    assert tokens.calls == 2
    assert waits == []  # no backoff before the refreshed attempt


def test_the_refresh_is_tried_once(
    server: LoopbackServer, configuration: Configuration, waits: list[float]
) -> None:
    configuration.refresh_api_key_hook = TokenSource()
    server.default_reply = Reply.kfp_error(401, 16, "Unauthenticated")
    with ApiClient(configuration) as client, pytest.raises(UnauthorizedException):
        RunServiceApi(client).get_run("r-1")
    assert len(server.requests) == 2
    assert waits == []


def test_without_a_hook_a_401_is_final(server: LoopbackServer, run_api: RunServiceApi) -> None:
    server.default_reply = Reply.kfp_error(401, 16, "Unauthenticated")
    with pytest.raises(UnauthorizedException):
        run_api.get_run("r-1")
    assert len(server.requests) == 1


def test_refresh_then_backoff_retry(
    server: LoopbackServer, configuration: Configuration, waits: list[float]
) -> None:
    configuration.refresh_api_key_hook = TokenSource()
    server.enqueue(Reply.kfp_error(401, 16, "expired"), Reply.text("busy", 503), Reply.json(RUN))
    with ApiClient(configuration) as client:
        assert RunServiceApi(client).get_run("r-1").run.id == "r-1"
    assert len(server.requests) == 3
    assert len(waits) == 1


def test_create_run_with_an_expired_token_is_created_once_by_the_emulator(
    waits: list[float],
) -> None:
    def refresh(configuration: Configuration) -> None:
        # First the token the client cached, then the one a fresh login gives.
        already = configuration.api_key.get("authorization")
        configuration.api_key["authorization"] = "fresh" if already else "stale"
        configuration.api_key_prefix["authorization"] = "Bearer"

    with Emulator(token="fresh", lifecycle=Lifecycle.manual()) as emulator:
        with client_of(emulator.url, waits, refresh_api_key_hook=refresh) as client:
            detail = RunServiceApi(client).create_run(new_run("with a fresh token"))
        assert detail.run.name == "with a fresh token"
        assert emulator.run_count() == 1
    assert waits == []


# -- logging and redaction ----------------------------------------------------------------------

CALL_LINE = re.compile(
    r"(?P<method>[A-Z]+) (?P<url>\S+) -> (?P<outcome>.+) in [0-9.]+ ms "
    r"\((?P<attempts>\d+) attempts?\)$"
)


def call_records(caplog: pytest.LogCaptureFixture) -> list[re.Match[str]]:
    matches = [
        CALL_LINE.match(record.getMessage())
        for record in caplog.records
        if record.name == "kfp_server_api" and record.levelno == logging.DEBUG
    ]
    return [match for match in matches if match]


def test_every_call_is_logged_once_with_status_duration_and_attempts(
    server: LoopbackServer, run_api: RunServiceApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="kfp_server_api")
    server.enqueue(
        Reply.json(RUN),
        Reply.text("busy", 503),
        Reply.json({"runs": []}),
        Reply.kfp_error(404, 5, "not found"),
    )
    run_api.get_run("r-1")
    run_api.list_runs(page_size=2, sort_by="name")
    with pytest.raises(ApiException):
        run_api.delete_run("r-9")

    lines = [m.groupdict() for m in call_records(caplog)]
    assert lines == [
        {
            "method": "GET",
            "url": f"{server.url}/apis/v1beta1/runs/r-1",
            "outcome": "200",
            "attempts": "1",
        },
        {
            "method": "GET",
            "url": f"{server.url}/apis/v1beta1/runs?page_size=2&sort_by=name",
            "outcome": "200",
            "attempts": "2",
        },
        {
            "method": "DELETE",
            "url": f"{server.url}/apis/v1beta1/runs/r-9",
            "outcome": "404 NotFoundException",
            "attempts": "1",
        },
    ]
    retries = [r.getMessage() for r in caplog.records if "retry 1 of 3" in r.getMessage()]
    assert len(retries) == 1
    assert "503 ServiceException" in retries[0]


def test_nothing_is_logged_above_debug(
    server: LoopbackServer, run_api: RunServiceApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="kfp_server_api")
    server.enqueue(Reply.text("busy", 503), Reply.json(RUN))
    run_api.get_run("r-1")
    assert [r for r in caplog.records if r.name.startswith("kfp_server_api")] == []


def _echoing(status: int) -> Callable[[RecordedRequest], Reply]:
    """Answers ``status`` repeating every credential the request carried."""

    def respond(request: RecordedRequest) -> Reply:
        sent = {name: request.header(name) or "" for name in ("Authorization", "Cookie")}
        sent["X-Api-Key"] = request.header("X-Api-Key") or ""
        message = f"Unauthenticated: {sent['Authorization']} / {sent['X-Api-Key']}"
        payload = {"error": message, "code": 16, "message": message, "echo": sent}
        headers = [
            ("X-Echo", sent["Authorization"]),
            ("X-Seen-Key", sent["X-Api-Key"]),
            ("Set-Cookie", "session=server-issued-secret"),
        ]
        return Reply.json(payload, status, headers)

    return respond


@pytest.fixture
def debug_configuration(configuration: Configuration, tmp_path: Path) -> Iterator[Configuration]:
    levels = [logging.getLogger(n).level for n in ("kfp_server_api", "urllib3")]
    configuration.api_key = {"authorization": TOKEN}
    configuration.api_key_prefix = {"authorization": "Bearer"}
    configuration.debug = True
    configuration.logger_file = str(tmp_path / "client.log")
    yield configuration
    configuration.logger_file = None
    configuration.debug = False
    assert [logging.getLogger(n).level for n in ("kfp_server_api", "urllib3")] == levels


def test_credentials_are_redacted_everywhere(
    server: LoopbackServer,
    debug_configuration: Configuration,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    caplog.set_level(logging.DEBUG)
    api_key = "k3y-" + TOKEN
    texts: list[str] = [repr(debug_configuration), debug_configuration.to_debug_report()]
    with ApiClient(debug_configuration, "X-Api-Key", api_key, cookie="sid=c00kie-value") as client:
        api = RunServiceApi(client)
        server.responder = _echoing(200)
        api.archive_run("r-1")  # a 2xx echo, logged at DEBUG
        server.responder = _echoing(401)
        with pytest.raises(UnauthorizedException) as unauthorized:
            api.get_run("r-1")
        error = unauthorized.value
        texts += [str(error), repr(error), error.message, str(error.body), str(error.headers)]
        texts += [str(error.error), str(error.reason)]
        server.responder = lambda request: Reply.text(
            f"<html>hello {request.header('Authorization')}</html>", 200, "text/html"
        )
        with pytest.raises(ApiDecodeError) as undecodable:
            api.get_run("r-1")
        texts += [str(undecodable.value), undecodable.value.message]

    assert server.requests[0].header("Authorization") == f"Bearer {TOKEN}"  # it was sent
    assert server.requests[0].header("X-Api-Key") == api_key
    assert "Unauthenticated: ***" in error.message  # the server's message, minus the secret
    assert "session=server-issued-secret" not in str(error)  # credential headers are masked
    assert any(m["outcome"] == "200" for m in call_records(caplog))  # debug logging is on
    captured = capfd.readouterr()
    log_file = (tmp_path / "client.log").read_text()
    assert "GET" in log_file
    texts += [caplog.text, captured.out, captured.err, log_file]
    for text in texts:
        for secret in (TOKEN, "c00kie-value"):
            assert secret not in text


def test_proxy_credentials_stay_out_of_errors_and_logs(
    closed_port: int, waits: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    password = "pr0xy-pa55"
    with (
        client_of(
            "http://kfp.example",
            waits,
            proxy=f"http://user:{password}@127.0.0.1:{closed_port}",
            proxy_headers={"Proxy-Authorization": f"Basic {TOKEN}"},
        ) as client,
        pytest.raises(ApiConnectionError) as caught,
    ):
        RunServiceApi(client).get_run("r-1")
    assert caught.value.reason is not None
    assert caught.value.reason.startswith("Proxy failed: ")
    for text in (str(caught.value), caplog.text):
        assert password not in text
        assert TOKEN not in text


# -- TLS and proxies ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def tls_files(authority: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """PEM files: the CA, the loopback server's certificate and key, a client's certificate."""
    folder = tmp_path_factory.mktemp("tls")
    server_cert = authority.issue_cert("127.0.0.1", "localhost")
    client_cert = authority.issue_cert("client@example.com")
    files = {
        "ca": authority.cert_pem,
        "cert": server_cert.cert_chain_pems[0],
        "key": server_cert.private_key_pem,
        "client_cert": client_cert.cert_chain_pems[0],
        "client_key": client_cert.private_key_pem,
    }
    paths: dict[str, str] = {}
    for name, blob in files.items():
        path = folder / f"{name}.pem"
        blob.write_to_path(str(path))
        paths[name] = str(path)
    return paths


@pytest.fixture
def tls_emulator(tls_files: dict[str, str]) -> Iterator[Emulator]:
    with Emulator(
        tls_cert=tls_files["cert"], tls_key=tls_files["key"], lifecycle=Lifecycle.manual()
    ) as emulator:
        yield emulator


def test_emulator_over_https_with_the_ca_of_the_test(
    tls_emulator: Emulator, tls_files: dict[str, str], waits: list[float]
) -> None:
    assert tls_emulator.url.startswith("https://127.0.0.1:")
    with client_of(tls_emulator.url, waits, ssl_ca_cert=tls_files["ca"]) as client:
        created = RunServiceApi(client).create_run(new_run("over https"))
        assert RunServiceApi(client).get_run(created.run.id).run.name == "over https"


def test_verification_is_on_by_default_with_certifis_bundle(
    tls_emulator: Emulator, waits: list[float]
) -> None:
    rest_client = RESTClientObject(Configuration())
    try:
        options = rest_client.pool_manager.connection_pool_kw
        assert options["cert_reqs"] == ssl.CERT_REQUIRED
        assert options["ca_certs"] == certifi.where()
    finally:
        rest_client.close()
    with client_of(tls_emulator.url, waits) as client, pytest.raises(ApiConnectionError) as caught:
        RunServiceApi(client).get_run("r-1")
    assert caught.value.reason is not None
    assert caught.value.reason.startswith("TLS certificate verification failed")
    assert "unable to get local issuer certificate" in caught.value.reason


def _tls_loopback(context: ssl.SSLContext) -> LoopbackServer:
    server = LoopbackServer(ssl_context=context)
    server.default_reply = Reply.json(RUN)
    return server


def _server_context(certificate: trustme.LeafCert) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)
    return context


CERTIFICATE_PROBLEMS = {
    # name: (certificate of the server, settings of the client, words of the reason)
    "other host": (
        {"identities": ("kfp.example",)},
        {},
        "TLS certificate does not match the host name",
    ),
    "assert_hostname differs": (
        {"identities": ("kfp.example",)},
        {"assert_hostname": "other.example"},
        "TLS certificate does not match the host name",
    ),
    "expired": (
        {
            "identities": ("127.0.0.1",),
            "not_after": datetime(2020, 1, 1, tzinfo=timezone.utc),
        },
        {},
        "certificate has expired",
    ),
}


@pytest.mark.parametrize("problem", CERTIFICATE_PROBLEMS)
def test_a_certificate_error_names_its_cause(
    authority: trustme.CA, tls_files: dict[str, str], waits: list[float], problem: str
) -> None:
    issued, settings, words = CERTIFICATE_PROBLEMS[problem]
    certificate = authority.issue_cert(
        *issued["identities"], **{k: v for k, v in issued.items() if k != "identities"}
    )
    with _tls_loopback(_server_context(certificate)) as server:
        with (
            client_of(server.url, waits, ssl_ca_cert=tls_files["ca"], **settings) as client,
            pytest.raises(ApiConnectionError) as caught,
        ):
            RunServiceApi(client).get_run("r-1")
        assert server.requests == []
    error = caught.value
    assert error.reason is not None
    assert words in error.reason
    assert "\n" not in error.reason
    assert (error.request_sent, error.transient) == (False, False)
    assert waits == []


def test_assert_hostname_accepts_the_name_the_certificate_lists(
    authority: trustme.CA, tls_files: dict[str, str], waits: list[float]
) -> None:
    certificate = authority.issue_cert("kfp.example")
    with (
        _tls_loopback(_server_context(certificate)) as server,
        client_of(
            server.url, waits, ssl_ca_cert=tls_files["ca"], assert_hostname="kfp.example"
        ) as client,
    ):
        assert RunServiceApi(client).get_run("r-1").run.id == "r-1"


@pytest.fixture
def mutual_tls_server(authority: trustme.CA) -> Iterator[LoopbackServer]:
    context = _server_context(authority.issue_cert("127.0.0.1"))
    authority.configure_trust(context)
    context.verify_mode = ssl.CERT_REQUIRED
    with _tls_loopback(context) as server:
        yield server


def test_mutual_tls_with_the_client_certificate(
    mutual_tls_server: LoopbackServer, tls_files: dict[str, str], waits: list[float]
) -> None:
    with client_of(
        mutual_tls_server.url,
        waits,
        ssl_ca_cert=tls_files["ca"],
        cert_file=tls_files["client_cert"],
        key_file=tls_files["client_key"],
    ) as client:
        assert RunServiceApi(client).get_run("r-1").run.id == "r-1"


def test_mutual_tls_without_a_client_certificate_fails_without_retries(
    mutual_tls_server: LoopbackServer, tls_files: dict[str, str], waits: list[float]
) -> None:
    with (
        client_of(mutual_tls_server.url, waits, ssl_ca_cert=tls_files["ca"]) as client,
        pytest.raises(ApiConnectionError) as caught,
    ):
        RunServiceApi(client).get_run("r-1")
    assert caught.value.reason is not None
    assert caught.value.reason.startswith("TLS ")
    assert mutual_tls_server.requests == []
    assert waits == []


def test_an_unreadable_key_file_is_named(
    mutual_tls_server: LoopbackServer, tls_files: dict[str, str], waits: list[float], tmp_path: Path
) -> None:
    with (
        client_of(
            mutual_tls_server.url,
            waits,
            ssl_ca_cert=tls_files["ca"],
            cert_file=tls_files["client_cert"],
            key_file=str(tmp_path / "missing.key"),
        ) as client,
        pytest.raises(ApiConnectionError) as caught,
    ):
        RunServiceApi(client).get_run("r-1")
    assert caught.value.reason is not None
    assert "certificate or key file" in caught.value.reason
    assert waits == []


def test_https_to_a_plain_http_server_says_so(server: LoopbackServer, waits: list[float]) -> None:
    with (
        client_of(server.url.replace("http://", "https://"), waits) as client,
        pytest.raises(ApiConnectionError) as caught,
    ):
        RunServiceApi(client).get_run("r-1")
    assert caught.value.reason is not None
    assert "plain HTTP" in caught.value.reason


def test_https_through_a_proxy_with_proxy_headers(
    tls_emulator: Emulator, tls_files: dict[str, str], waits: list[float]
) -> None:
    with TunnelProxy() as proxy:
        with client_of(
            tls_emulator.url,
            waits,
            ssl_ca_cert=tls_files["ca"],
            proxy=proxy.url,
            proxy_headers={"Proxy-Authorization": "Basic cHJveHk6cGFzcw=="},
        ) as client:
            created = RunServiceApi(client).create_run(new_run("through the tunnel"))
        assert created.run.name == "through the tunnel"
        port = tls_emulator.url.rpartition(":")[2]
        assert len(proxy.heads) == 1
        assert proxy.heads[0].startswith(f"CONNECT 127.0.0.1:{port} HTTP/1.")
        assert "Proxy-Authorization: Basic cHJveHk6cGFzcw==" in proxy.heads[0]
    assert tls_emulator.run_count() == 1


# -- helpers exported by the package ------------------------------------------------------------


def test_read_artifact_response_gives_bytes_and_archive() -> None:
    files = {"metrics.json": b'{"accuracy": 0.9}', "out/model.txt": b"weights"}
    with Emulator(lifecycle=Lifecycle.manual()) as emulator:
        (run_id,) = emulator.seed_runs([kfp_server_api.emulator.RunSeed("with artifacts")])
        stored = emulator.attach_artifact(run_id, "node-1", "results", files=files)
        with ApiClient(Configuration(host=emulator.url)) as client:
            response = RunServiceApi(client).read_artifact(run_id, "node-1", "results")

    assert isinstance(response, ApiReadArtifactResponse)
    assert response.to_bytes() == stored
    archive = response.archive()
    assert sorted(archive.list_files()) == sorted(files)
    assert archive.read_file("out/model.txt") == b"weights"
    assert set(ApiReadArtifactResponse.openapi_types) == {"data"}
    assert set(response.to_dict()) == {"data"}
    assert ApiReadArtifactResponse().to_bytes() == b""


def test_package_exports_the_helpers_lazily() -> None:
    from kfp_server_api import artifacts, filters, pagination, retry

    assert kfp_server_api.Filter is filters.Filter
    assert kfp_server_api.paginate is pagination.paginate
    assert kfp_server_api.ArtifactArchive is artifacts.ArtifactArchive
    assert kfp_server_api.RetryPolicy is retry.RetryPolicy
    for name in ("Predicate", "Op", "ValueKind", "Long", "RunKey"):
        assert getattr(kfp_server_api, name) is getattr(filters, name)
    for name in ("iter_pages", "PaginationError"):
        assert getattr(kfp_server_api, name) is getattr(pagination, name)
    for name in ("ArtifactError", "artifact_bytes"):
        assert getattr(kfp_server_api, name) is getattr(artifacts, name)
