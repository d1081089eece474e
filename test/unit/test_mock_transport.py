"""The test transport users plug into ApiClient: everything above the seam, and no socket."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from kfp_server_api import (
    ApiClient,
    ApiConnectionError,
    ApiException,
    ApiRun,
    Configuration,
    NotFoundException,
    RetryPolicy,
    RunServiceApi,
    ServiceException,
)
from kfp_server_api.rest import RESTResponse
from kfp_server_api.testing import MockTransport, Request, mock_response

HOST = "http://kfp.test"
RUN = {"run": {"id": "r-1", "name": "first"}}


@pytest.fixture(autouse=True)
def no_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test: the transport must not need one."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a socket was opened")

    monkeypatch.setattr("socket.socket.connect", refuse)


@pytest.fixture
def waits() -> list[float]:
    return []


def client_of(transport: MockTransport, waits: list[float] | None = None) -> ApiClient:
    configuration = Configuration(host=HOST)
    configuration.retry_policy = RetryPolicy(sleep=(waits if waits is not None else []).append)
    return ApiClient(configuration, rest_client=transport)


class Recorder:
    """A handler that answers from a list and keeps the requests."""

    def __init__(self, *answers: object) -> None:
        self.answers = list(answers)
        self.requests: list[Request] = []

    def __call__(self, request: Request) -> RESTResponse:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        assert callable(answer)
        response: RESTResponse = answer()
        return response


@pytest.fixture
def run_ok() -> Iterator[Recorder]:
    return Recorder(lambda: mock_response(json=RUN))


def test_a_call_is_answered_by_the_function(run_ok: Recorder) -> None:
    with client_of(MockTransport(run_ok)) as client:
        detail = RunServiceApi(client).get_run("a b/c")

    assert detail.run.name == "first"
    (request,) = run_ok.requests
    assert (request.method, request.url) == ("GET", f"{HOST}/apis/v1beta1/runs/a%20b%2Fc")
    assert request.headers["Accept"] == "application/json"
    assert request.retry_safe is True
    assert request.body is None
    assert repr(request) == f"<Request GET {HOST}/apis/v1beta1/runs/a%20b%2Fc>"


def test_the_request_carries_query_body_credentials_and_retry_safety() -> None:
    recorder = Recorder(lambda: mock_response(json=RUN))
    configuration = Configuration(host=HOST, api_key={"authorization": "t0ken"})
    configuration.api_key_prefix = {"authorization": "Bearer"}
    with ApiClient(configuration, rest_client=MockTransport(recorder)) as client:
        api = RunServiceApi(client)
        api.list_runs(page_size=5, sort_by="name")
        api.create_run(ApiRun(name="new"))

    listing, creation = recorder.requests
    assert listing.url == f"{HOST}/apis/v1beta1/runs?page_size=5&sort_by=name"
    assert listing.headers["authorization"] == "Bearer t0ken"
    assert listing.retry_safe is True
    assert creation.method == "POST"
    assert creation.json() == {"name": "new"}
    assert creation.retry_safe is False


def test_a_status_becomes_its_exception(waits: list[float]) -> None:
    body = {"error": "run r-9 not found", "code": 5, "message": "run r-9 not found"}
    recorder = Recorder(lambda: mock_response(404, json=body, reason="Not Found"))
    with (
        client_of(MockTransport(recorder), waits) as client,
        pytest.raises(NotFoundException) as caught,
    ):
        RunServiceApi(client).get_run("r-9")

    assert caught.value.status == 404
    assert json.loads(caught.value.body) == body
    assert len(recorder.requests) == 1  # a 404 is not retried
    assert waits == []


def test_failed_attempts_are_retried_through_it(waits: list[float]) -> None:
    refused = ApiConnectionError(reason="Connection refused", request_sent=False, transient=True)
    recorder = Recorder(
        refused, lambda: mock_response(503, content="busy"), lambda: mock_response(json=RUN)
    )
    with client_of(MockTransport(recorder), waits) as client:
        detail = RunServiceApi(client).get_run("r-1")

    assert detail.run.id == "r-1"
    assert len(recorder.requests) == 3
    assert len(waits) == 2


def test_a_call_that_is_not_retry_safe_is_not_repeated_after_an_unknown_outcome(
    waits: list[float],
) -> None:
    dropped = ApiConnectionError(reason="Connection reset", request_sent=True, transient=True)
    recorder = Recorder(dropped)
    with (
        client_of(MockTransport(recorder), waits) as client,
        pytest.raises(ApiConnectionError, match="Connection reset"),
    ):
        RunServiceApi(client).create_run(ApiRun(name="once"))

    assert len(recorder.requests) == 1
    assert waits == []


def test_retries_that_run_out_raise_the_last_status(waits: list[float]) -> None:
    recorder = Recorder(lambda: mock_response(503, content="busy"))
    with (
        client_of(MockTransport(recorder), waits) as client,
        pytest.raises(ServiceException) as caught,
    ):
        RunServiceApi(client).get_run("r-1")

    assert caught.value.status == 503
    assert len(recorder.requests) == 1 + len(waits) == 4


def test_async_req_runs_through_it(run_ok: Recorder) -> None:
    with client_of(MockTransport(run_ok)) as client:
        result = RunServiceApi(client).get_run("r-1", async_req=True)
        assert result.get(timeout=30).run.name == "first"


def test_async_req_raises_the_status_error_from_get() -> None:
    recorder = Recorder(lambda: mock_response(409, json={"error": "exists"}))
    with client_of(MockTransport(recorder)) as client:
        result = RunServiceApi(client).create_run(ApiRun(name="dup"), async_req=True)
        with pytest.raises(ApiException) as caught:
            result.get(timeout=30)
    assert caught.value.status == 409


def test_a_raw_response_is_left_unread(run_ok: Recorder) -> None:
    with client_of(MockTransport(run_ok)) as client:
        raw = RunServiceApi(client).get_run("r-1", _preload_content=False)
    assert run_ok.requests[0].preload_content is False
    assert json.loads(raw.read()) == RUN


def test_with_http_info_gives_status_and_headers() -> None:
    recorder = Recorder(lambda: mock_response(json=RUN, headers={"X-Request-Id": "7"}))
    with client_of(MockTransport(recorder)) as client:
        data, status, headers = RunServiceApi(client).get_run_with_http_info("r-1")
    assert (data.run.name, status, headers["x-request-id"]) == ("first", 200, "7")


def test_a_401_refreshes_the_credentials_and_sends_again() -> None:
    tokens = iter(["old", "new"])
    recorder = Recorder(
        lambda: mock_response(401, json={"error": "expired"}), lambda: mock_response(json=RUN)
    )
    configuration = Configuration(host=HOST)
    configuration.refresh_api_key_hook = lambda c: c.api_key.update(authorization=next(tokens))
    with ApiClient(configuration, rest_client=MockTransport(recorder)) as client:
        RunServiceApi(client).get_run("r-1")
    assert [r.headers["authorization"] for r in recorder.requests] == ["old", "new"]


def test_the_1_8_5_request_method_raises_for_status() -> None:
    transport = MockTransport(lambda request: mock_response(500, content="boom"))
    with pytest.raises(ServiceException) as caught:
        transport.request("GET", f"{HOST}/x", query_params={"a": "1"})
    assert caught.value.body == "boom"
    answered = MockTransport(lambda request: mock_response(json={"u": request.url}))
    assert json.loads(answered.request("GET", f"{HOST}/x", {"a": "1"}).data) == {
        "u": f"{HOST}/x?a=1"
    }


def test_a_handler_that_returns_something_else_is_named() -> None:
    with (
        client_of(MockTransport(lambda request: {"run": {}})) as client,
        pytest.raises(TypeError, match="MockTransport handler returned a dict"),
    ):
        RunServiceApi(client).get_run("r-1")


def test_a_subclass_that_overrides_call_api_still_sees_every_call(run_ok: Recorder) -> None:
    seen: list[tuple[str, str]] = []

    class Tracing(ApiClient):
        def call_api(self, resource_path: str, method: str, *args: Any, **kwargs: Any) -> Any:
            seen.append((method, resource_path))
            return super().call_api(resource_path, method, *args, **kwargs)

    with Tracing(Configuration(host=HOST), rest_client=MockTransport(run_ok)) as client:
        assert RunServiceApi(client).get_run("r-1").run.name == "first"

    assert seen == [("GET", "/apis/v1beta1/runs/{run_id}")]
    assert run_ok.requests[0].retry_safe is True  # found by route
