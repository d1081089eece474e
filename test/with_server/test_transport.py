"""The transport over real HTTP: error statuses, broken exchanges, timeouts, decoding, headers,
credentials, hosts, TLS and proxies, redirects, the total time limit, malformed and encoded
bodies, the upload error body, and what close() and interpreter exit release.

Each test here is about one exchange, so the clients make one attempt (``retry_policy=None``);
retries, the token refresh and the defaults are tested in test_production_transport.py.
"""

from __future__ import annotations

import gc
import gzip
import logging
import ssl
import subprocess
import sys
import threading
import weakref
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
import trustme
import urllib3
from servers.faulty import Close, FaultyServer, Pause, Send, Step, chunked, head
from servers.loopback import LoopbackServer, RecordedRequest, Reply
from servers.static import StaticServer

from kfp_server_api import (
    ApiClient,
    ApiConnectionError,
    ApiDecodeError,
    ApiException,
    ApiTimeoutError,
    ApiValueError,
    BadRequestException,
    Configuration,
    ConflictException,
    ForbiddenException,
    NotFoundException,
    PipelineUploadServiceApi,
    RunServiceApi,
    ServiceException,
    UnauthorizedException,
)
from kfp_server_api.configuration import DEFAULT_MAX_RESPONSE_BYTES
from kfp_server_api.rest import RESTClientObject, RESTResponse

RUN_PATH = "/apis/v1beta1/runs/r-1"
TOKEN = "s3cr3t-t0ken-value"


def one_attempt(host: str) -> Configuration:
    """A configuration of ``host`` whose calls are never retried."""
    configuration = Configuration(host=host)
    configuration.retry_policy = None
    return configuration


@pytest.fixture
def configuration(server: LoopbackServer) -> Configuration:
    """A configuration pointing at the loopback server, making one attempt per call."""
    return one_attempt(server.url)


# -- error statuses -----------------------------------------------------------------------------

STATUS_CASES = [
    (400, 3, BadRequestException, "Invalid input error: The run name is empty."),
    (401, 16, UnauthorizedException, "Unauthenticated: token expired"),
    (403, 7, ForbiddenException, "PermissionDenied: not allowed"),
    (404, 5, NotFoundException, "ResourceNotFoundError: Run r-1 not found."),
    (409, 10, ConflictException, "BadRequestError: Workflow must be Failed/Error to retry"),
    (429, 8, ApiException, "ResourceExhausted: slow down"),
    (500, 13, ServiceException, "InternalServerError: Failed to create a run: boom"),
    (503, 14, ServiceException, "Unavailable: try later"),
]


@pytest.mark.parametrize("case", STATUS_CASES, ids=[str(case[0]) for case in STATUS_CASES])
def test_error_status_raises_its_subclass_with_the_server_fields(
    server: LoopbackServer,
    run_api: RunServiceApi,
    case: tuple[int, int, type[ApiException], str],
) -> None:
    status, code, exception_class, message = case
    server.enqueue(Reply.kfp_error(status, code, message, "short message"))

    with pytest.raises(ApiException) as caught:
        run_api.get_run("r-1")

    error = caught.value
    assert type(error) is exception_class
    assert error.status == status
    assert error.reason == HTTPStatus(status).phrase
    assert (error.error, error.code, error.message) == (message, code, message)
    assert error.details == [
        {
            "@type": "type.googleapis.com/api.Error",
            "error_message": "short message",
            "error_details": message,
        }
    ]
    assert isinstance(error.body, str)
    assert message in error.body
    assert error.headers["Content-Type"] == "application/json"
    assert str(error).startswith(f"({status})\nReason: {error.reason}\nHTTP response headers: ")
    assert f"HTTP response body: {error.body}\n" in str(error)


def test_reason_is_the_http_reason_phrase(server: LoopbackServer, run_api: RunServiceApi) -> None:
    server.enqueue(Reply.kfp_error(409, 6, "Already exist error: run"))

    with pytest.raises(ConflictException) as caught:
        run_api.create_run({"name": "x"})

    assert caught.value.reason == "Conflict"


def test_gateway_error_without_details(server: LoopbackServer, run_api: RunServiceApi) -> None:
    server.enqueue(Reply.kfp_error(400, 3, 'strconv.ParseInt: parsing "abc": invalid syntax'))

    with pytest.raises(BadRequestException) as caught:
        run_api.list_runs(page_size="abc")

    assert caught.value.code == 3
    assert caught.value.details is None


def test_502_with_an_html_body(server: LoopbackServer, run_api: RunServiceApi) -> None:
    page = "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>"
    server.enqueue(Reply.text(page, 502, "text/html"))

    with pytest.raises(ServiceException) as caught:
        run_api.get_run("r-1")

    error = caught.value
    assert (error.status, error.reason, error.body) == (502, "Bad Gateway", page)
    assert (error.error, error.code, error.details) == (None, None, None)
    assert error.message == str(error)


def test_plain_text_not_found_of_an_unknown_route(
    server: LoopbackServer, run_api: RunServiceApi
) -> None:
    server.enqueue(Reply.text("Not Found", 404))

    with pytest.raises(NotFoundException) as caught:
        run_api.get_run("r-1")

    assert caught.value.body == "Not Found"
    assert caught.value.code is None


def test_error_with_raw_response_when_not_preloading(
    server: LoopbackServer, run_api: RunServiceApi
) -> None:
    server.enqueue(Reply.kfp_error(404, 5, "ResourceNotFoundError: Run r-1 not found."))

    with pytest.raises(NotFoundException) as caught:
        run_api.get_run("r-1", _preload_content=False)

    assert caught.value.code == 5
    assert caught.value.headers["Content-Type"] == "application/json"


# -- broken exchanges ---------------------------------------------------------------------------


def assert_transport_error(
    error: ApiConnectionError, words: str, exception_class: type[ApiConnectionError]
) -> None:
    assert type(error) is exception_class
    assert error.status == 0
    assert words in error.reason
    assert "\n" not in error.reason
    assert isinstance(error.__cause__, urllib3.exceptions.HTTPError)
    assert error.body is None
    assert str(error) == f"(0)\nReason: {error.reason}\n"


def test_connection_refused(closed_port: int) -> None:
    client = ApiClient(one_attempt(f"http://127.0.0.1:{closed_port}"))
    with client, pytest.raises(ApiConnectionError) as caught:
        RunServiceApi(client).get_run("r-1")

    assert_transport_error(caught.value, "Connection refused", ApiConnectionError)
    assert f"GET http://127.0.0.1:{closed_port}{RUN_PATH}" in caught.value.reason


def test_connection_refused_without_retries(closed_port: int) -> None:
    configuration = Configuration(host=f"http://127.0.0.1:{closed_port}")
    configuration.retries = False
    with ApiClient(configuration) as client, pytest.raises(ApiConnectionError) as caught:
        RunServiceApi(client).create_run({"name": "x"})

    assert_transport_error(caught.value, "Connection refused", ApiConnectionError)


def test_dns_failure() -> None:
    client = ApiClient(one_attempt("http://no-such-host.invalid"))
    with client, pytest.raises(ApiConnectionError) as caught:
        RunServiceApi(client).get_run("r-1")

    assert_transport_error(caught.value, "DNS lookup failed", ApiConnectionError)


@pytest.mark.parametrize(
    ("timeout", "words"),
    [
        (0.25, "Total time limit of 0.25 s passed"),  # a number is a total for the exchange
        ((5, 0.25), "Read timed out"),
        (urllib3.Timeout(connect=5, read=0.25), "Read timed out"),
    ],
    ids=["float", "pair", "urllib3.Timeout"],
)
def test_read_timeout_is_honoured(
    server: LoopbackServer, run_api: RunServiceApi, timeout: Any, words: str
) -> None:
    server.default_reply = Reply.stall()

    with pytest.raises(ApiTimeoutError) as caught:
        run_api.create_run({"name": "x"}, _request_timeout=timeout)

    assert_transport_error(caught.value, words, ApiTimeoutError)
    assert len(server.requests) == 1  # a POST whose outcome is unknown is not resent


def test_read_timeout_of_a_get(server: LoopbackServer, run_api: RunServiceApi) -> None:
    server.default_reply = Reply.stall()

    with pytest.raises(ApiTimeoutError) as caught:
        run_api.get_run("r-1", _request_timeout=(5, 0.1))

    assert_transport_error(caught.value, "Read timed out", ApiTimeoutError)
    assert isinstance(caught.value.__cause__, urllib3.exceptions.ReadTimeoutError)


@pytest.mark.parametrize("timeout", ["5", True, (1, 2, 3), -1.0])
def test_invalid_timeout_is_refused(
    server: LoopbackServer, run_api: RunServiceApi, timeout: Any
) -> None:
    with pytest.raises(ApiValueError, match="_request_timeout"):
        run_api.get_run("r-1", _request_timeout=timeout)
    assert server.requests == []


def test_zero_timeout_means_no_limit_as_before(
    server: LoopbackServer, run_api: RunServiceApi
) -> None:
    server.enqueue(Reply.json({}))
    assert run_api.archive_run("r-1", _request_timeout=0) == {}


def test_body_cut_short(server: LoopbackServer, run_api: RunServiceApi) -> None:
    server.default_reply = Reply.json({"run": {"id": "r-1", "name": "x" * 100}}).truncated(20)

    with pytest.raises(ApiConnectionError) as caught:
        run_api.get_run("r-1")

    assert_transport_error(caught.value, "truncated body", ApiConnectionError)


def test_connection_closed_before_headers(server: LoopbackServer, run_api: RunServiceApi) -> None:
    server.default_reply = Reply.close_before_headers()

    with pytest.raises(ApiConnectionError) as caught:
        run_api.terminate_run("r-1")

    assert_transport_error(caught.value, "before a complete response", ApiConnectionError)
    assert len(server.requests) == 1


# -- 2xx bodies that are not the expected JSON --------------------------------------------------


def test_invalid_json_in_a_2xx_body(server: LoopbackServer, run_api: RunServiceApi) -> None:
    server.enqueue(Reply.text("<html>welcome to the login page</html>", 200, "text/html"))

    with pytest.raises(ApiDecodeError) as caught:
        run_api.get_run("r-1")

    error = caught.value
    assert error.status == 200
    assert error.body == "<html>welcome to the login page</html>"
    assert "not valid JSON" in error.reason
    assert error.response_type == "ApiRunDetail"
    assert isinstance(error.__cause__, ValueError)
    assert error.code is None
    assert (error.method, error.url) == ("GET", f"{server.url}/apis/v1beta1/runs/r-1")


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        ({"run": []}, "run"),
        ({"run": {"metrics": {"name": "m"}}}, "run.metrics"),
        ({"run": {"created_at": "yesterday"}}, "run.created_at"),
        ([], ""),
    ],
)
def test_wrong_shape_in_a_2xx_body(
    server: LoopbackServer, run_api: RunServiceApi, payload: Any, path: str
) -> None:
    server.enqueue(Reply.json(payload))

    with pytest.raises(ApiDecodeError) as caught:
        run_api.get_run("r-1")

    assert caught.value.status == 200
    assert caught.value.path == path
    assert "ApiRunDetail" in caught.value.reason


def test_object_responses_are_dicts_whatever_their_content(
    server: LoopbackServer, run_api: RunServiceApi
) -> None:
    server.enqueue(Reply.json({"unexpected": [1, 2]}))
    assert run_api.delete_run("r-1") == {"unexpected": [1, 2]}


def test_response_charset_is_honoured(server: LoopbackServer, run_api: RunServiceApi) -> None:
    server.enqueue(
        Reply.raw(
            '{"run": {"name": "caf\u00e9"}}'.encode("latin-1"),
            content_type="application/json; charset=ISO-8859-1",
        )
    )
    assert run_api.get_run("r-1").run.name == "caf\u00e9"


# -- headers and credentials --------------------------------------------------------------------


def test_headers_sent_with_every_request(server: LoopbackServer, configuration: Any) -> None:
    configuration.api_key = {"authorization": TOKEN}
    configuration.api_key_prefix = {"authorization": "Bearer"}
    server.enqueue(Reply.json({}))
    with ApiClient(
        configuration, header_name="X-Tenant", header_value="team-a", cookie="session=abc"
    ) as client:
        client.set_default_header("X-Extra", "1")
        RunServiceApi(client).get_run_with_http_info("r-1", _return_http_data_only=True)

    request = server.last
    assert request.header("Authorization") == f"Bearer {TOKEN}"
    assert request.header("Accept") == "application/json"
    assert request.header("Content-Type") == "application/json"
    assert request.header("User-Agent") == "OpenAPI-Generator/1.8.5/python"
    assert request.header("Cookie") == "session=abc"
    assert request.header("X-Tenant") == "team-a"
    assert request.header("X-Extra") == "1"


def test_api_key_without_prefix_is_sent_as_is(server: LoopbackServer, configuration: Any) -> None:
    configuration.api_key["authorization"] = TOKEN
    server.enqueue(Reply.json({}))
    with ApiClient(configuration) as client:
        RunServiceApi(client).archive_run("r-1")
    assert server.last.header("authorization") == TOKEN


def test_client_keeps_the_configuration_object(
    server: LoopbackServer, configuration: Configuration
) -> None:
    server.enqueue(Reply.json({}), Reply.json({}))
    with ApiClient(configuration) as client:
        assert client.configuration is configuration
        api = RunServiceApi(client)
        api.archive_run("r-1")
        configuration.api_key["authorization"] = "later"
        api.archive_run("r-1")

    first, second = server.requests
    assert first.header("authorization") is None
    assert second.header("authorization") == "later"


def test_refresh_hook_runs_before_each_request(
    server: LoopbackServer, configuration: Configuration
) -> None:
    calls: list[int] = []

    def refresh(config: Configuration) -> None:
        calls.append(len(server.requests))
        config.api_key["authorization"] = f"token-{len(calls)}"
        config.api_key_prefix["authorization"] = "Bearer"

    configuration.refresh_api_key_hook = refresh
    server.default_reply = Reply.json({})
    with ApiClient(configuration) as client:
        api = RunServiceApi(client)
        api.archive_run("r-1")
        api.unarchive_run("r-1")

    assert calls == [0, 1]
    assert [r.header("authorization") for r in server.requests] == [
        "Bearer token-1",
        "Bearer token-2",
    ]


@pytest.fixture
def debug_configuration(configuration: Configuration) -> Iterator[Configuration]:
    package_level = logging.getLogger("kfp_server_api").level
    configuration.api_key = {"authorization": TOKEN}
    configuration.api_key_prefix = {"authorization": "Bearer"}
    configuration.debug = True
    yield configuration
    configuration.debug = False
    assert logging.getLogger("kfp_server_api").level == package_level


def test_token_never_logged_even_in_debug(
    server: LoopbackServer,
    debug_configuration: Configuration,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    closed_port: int,
) -> None:
    caplog.set_level(logging.DEBUG)
    server.enqueue(
        Reply.json(
            {"run": {"id": "r-1"}}, headers=[("Grpc-Metadata-Content-Type", "application/grpc")]
        ),
        Reply.kfp_error(401, 16, "Unauthenticated"),
    )
    texts = [repr(debug_configuration), debug_configuration.to_debug_report()]
    with ApiClient(debug_configuration) as client:
        api = RunServiceApi(client)
        api.get_run("r-1")
        with pytest.raises(UnauthorizedException) as unauthorized:
            api.create_run({"name": "x"})
        texts += [str(unauthorized.value), repr(unauthorized.value)]
        debug_configuration.host = f"http://127.0.0.1:{closed_port}"
        with pytest.raises(ApiConnectionError) as refused:
            api.get_run("r-1")
        texts += [str(refused.value), repr(refused.value)]

    assert server.requests[0].header("authorization") == f"Bearer {TOKEN}"  # it was sent
    assert any("GET" in record.getMessage() for record in caplog.records)  # debug is on
    captured = capfd.readouterr()
    texts += [caplog.text, captured.out, captured.err]
    for text in texts:
        assert TOKEN not in text


# -- hosts --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "prefix"),
    [
        ("/pipeline", "/pipeline"),
        (
            "/api/v1/namespaces/kubeflow/services/ml-pipeline:8888/proxy/",
            "/api/v1/namespaces/kubeflow/services/ml-pipeline:8888/proxy/",
        ),
    ],
    ids=["path-prefix", "service-proxy"],
)
def test_host_with_a_path_prefix_is_concatenated(
    server: LoopbackServer, suffix: str, prefix: str
) -> None:
    server.enqueue(Reply.json({}))
    with ApiClient(Configuration(host=server.url + suffix)) as client:
        RunServiceApi(client).archive_run("r-1")
    assert server.last.path == prefix + "/apis/v1beta1/runs/r-1:archive"


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost"])
def test_host_without_scheme_is_taken_as_http(server: LoopbackServer, name: str) -> None:
    server.enqueue(Reply.json({}))
    with ApiClient(Configuration(host=f"{name}:{server.port}")) as client:
        assert RunServiceApi(client).archive_run("r-1") == {}
    assert server.last.path == "/apis/v1beta1/runs/r-1:archive"


# -- TLS and proxies ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate_authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_server(certificate_authority: trustme.CA) -> Iterator[LoopbackServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate_authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    with LoopbackServer(ssl_context=context) as server:
        server.default_reply = Reply.json({})
        yield server


def test_tls_with_the_server_ca(
    tls_server: LoopbackServer, certificate_authority: trustme.CA
) -> None:
    with certificate_authority.cert_pem.tempfile() as ca_file:
        configuration = Configuration(host=tls_server.url)
        configuration.ssl_ca_cert = ca_file
        with ApiClient(configuration) as client:
            assert RunServiceApi(client).archive_run("r-1") == {}
    assert tls_server.last.path == "/apis/v1beta1/runs/r-1:archive"


def test_tls_certificate_not_trusted(tls_server: LoopbackServer) -> None:
    client = ApiClient(one_attempt(tls_server.url))
    with client, pytest.raises(ApiConnectionError) as caught:
        RunServiceApi(client).archive_run("r-1")

    assert_transport_error(caught.value, "TLS certificate verification failed", ApiConnectionError)
    assert "certificate verify failed" in caught.value.reason


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_tls_verification_can_be_turned_off(tls_server: LoopbackServer) -> None:
    configuration = Configuration(host=tls_server.url)
    configuration.verify_ssl = False
    with ApiClient(configuration) as client:
        assert RunServiceApi(client).archive_run("r-1") == {}


def test_tls_client_certificate(certificate_authority: trustme.CA) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate_authority.issue_cert("127.0.0.1").configure_cert(context)
    certificate_authority.configure_trust(context)
    context.verify_mode = ssl.CERT_REQUIRED
    client_cert = certificate_authority.issue_cert("client@example.com")
    with ExitStack() as stack:
        server = stack.enter_context(LoopbackServer(ssl_context=context))
        ca_file = stack.enter_context(certificate_authority.cert_pem.tempfile())
        cert_file = stack.enter_context(client_cert.cert_chain_pems[0].tempfile())
        key_file = stack.enter_context(client_cert.private_key_pem.tempfile())
        server.default_reply = Reply.json({})
        configuration = Configuration(host=server.url)
        configuration.ssl_ca_cert = ca_file
        configuration.cert_file = cert_file
        configuration.key_file = key_file
        with ApiClient(configuration) as client:
            assert RunServiceApi(client).archive_run("r-1") == {}


def test_proxy_and_proxy_headers(server: LoopbackServer) -> None:
    configuration = Configuration(host="http://kfp.example")
    configuration.proxy = server.url
    configuration.proxy_headers = {"Proxy-Authorization": "Basic cHJveHk6cGFzcw=="}
    server.enqueue(Reply.json({}))
    with ApiClient(configuration) as client:
        RunServiceApi(client).archive_run("r-1")

    assert server.last.target == "http://kfp.example/apis/v1beta1/runs/r-1:archive"
    assert server.last.header("Proxy-Authorization") == "Basic cHJveHk6cGFzcw=="


# -- the client's lower layers ------------------------------------------------------------------


class CountingRESTClient:
    """A REST layer wrapping the real one, as a retry layer would."""

    def __init__(self, configuration: Configuration) -> None:
        self.inner = RESTClientObject(configuration)
        self.calls: list[tuple[str, str]] = []

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        self.calls.append((method, url))
        return self.inner.request(method, url, **kwargs)

    def close(self) -> None:
        self.inner.close()


def test_rest_layer_is_injectable(server: LoopbackServer, configuration: Configuration) -> None:
    rest_client = CountingRESTClient(configuration)
    server.enqueue(Reply.json({}))
    with ApiClient(configuration, rest_client=rest_client) as client:
        RunServiceApi(client).archive_run("r-1")
    assert rest_client.calls == [("POST", server.url + "/apis/v1beta1/runs/r-1:archive")]


def test_call_api_directly(server: LoopbackServer, api_client: ApiClient) -> None:
    server.enqueue(Reply.json({"data": "aGk="}, headers=[("X-Id", "7")]))

    data, status, headers = api_client.call_api(
        "/apis/v1beta1/runs/{run_id}/nodes/{node_id}/artifacts/{name}:read",
        "GET",
        path_params={"run_id": "a b", "node_id": "n", "name": "x/y"},
        query_params=[("tags", ["a", "b"]), ("when", None)],
        collection_formats={"tags": "multi"},
        response_type="ApiReadArtifactResponse",
    )

    assert data.data == "aGk="
    assert (status, headers["X-Id"]) == (200, "7")
    assert server.last.target == (
        "/apis/v1beta1/runs/a%20b/nodes/n/artifacts/x%2Fy:read?tags=a&tags=b&when=None"
    )
    assert isinstance(api_client.last_response, RESTResponse)
    assert api_client.last_response.data == '{"data":"aGk="}'


def test_rest_client_verbs(server: LoopbackServer, configuration: Configuration) -> None:
    rest_client = RESTClientObject(configuration)
    server.default_reply = Reply.json({"ok": True})
    url = server.url + "/echo"
    try:
        rest_client.GET(url, query_params={"a": "1"})
        rest_client.HEAD(url)
        rest_client.OPTIONS(url, body={"o": 1})
        rest_client.DELETE(url, body={"d": 1})
        rest_client.POST(url, body={"p": 1})
        rest_client.PUT(url, body="raw text", headers={"Content-Type": "text/plain"})
        response = rest_client.PATCH(
            url,
            post_params=[("f", "v")],
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    finally:
        rest_client.close()

    sent = [(r.method, r.target, r.body) for r in server.requests]
    assert sent == [
        ("GET", "/echo?a=1", b""),
        ("HEAD", "/echo", b""),
        ("OPTIONS", "/echo", b'{"o": 1}'),
        ("DELETE", "/echo", b'{"d": 1}'),
        ("POST", "/echo", b'{"p": 1}'),
        ("PUT", "/echo", b"raw text"),
        ("PATCH", "/echo", b"f=v"),
    ]
    assert response.status == 200
    assert response.getheader("content-type") == "application/json"
    assert response.getheader("X-Missing", "none") == "none"
    assert response.data == b'{"ok":true}'


def test_multipart_form(server: LoopbackServer, configuration: Configuration) -> None:
    rest_client = RESTClientObject(configuration)
    server.enqueue(Reply.json({}))
    try:
        rest_client.POST(
            server.url + "/upload",
            post_params=[("uploadfile", ("p.yaml", b"kind: Workflow", "application/x-yaml"))],
            headers={"Content-Type": "multipart/form-data"},
        )
    finally:
        rest_client.close()

    request: RecordedRequest = server.last
    assert request.header("Content-Type").startswith("multipart/form-data; boundary=")
    assert b'filename="p.yaml"' in request.body
    assert b"kind: Workflow" in request.body


class _Canned:
    """Any object with ``data`` can be decoded, as with 1.8.5."""

    data = '{"run": {"id": "r-1", "created_at": "2024-03-01T10:00:00Z"}}'


def test_deserialize_is_public_and_takes_any_object_with_data(api_client: ApiClient) -> None:
    detail = api_client.deserialize(_Canned(), "ApiRunDetail")
    assert detail.run.id == "r-1"
    assert api_client.deserialize(_Canned(), "object") == {
        "run": {"id": "r-1", "created_at": "2024-03-01T10:00:00Z"}
    }
    with pytest.raises(ApiDecodeError) as caught:
        api_client.deserialize(_Canned(), "list[ApiRun]")
    assert caught.value.status is None


def test_user_info_of_the_host_stays_out_of_error_reasons(closed_port: int) -> None:
    client = ApiClient(one_attempt(f"http://kfp:{TOKEN}@127.0.0.1:{closed_port}"))
    with client, pytest.raises(ApiConnectionError) as caught:
        RunServiceApi(client).get_run("r-1")
    assert TOKEN not in str(caught.value)
    assert f"GET http://127.0.0.1:{closed_port}{RUN_PATH}" in caught.value.reason


def test_unknown_http_method_is_refused(api_client: ApiClient) -> None:
    with pytest.raises(ApiValueError, match="HTTP method"):
        api_client.request("BREW", "http://127.0.0.1:1/coffee")


# -- redirects ----------------------------------------------------------------------------------

RUNS = "/apis/v1beta1/runs"


@pytest.fixture
def other_server() -> Iterator[LoopbackServer]:
    """A second loopback server, on another port: another host as far as credentials go."""
    with LoopbackServer() as loopback:
        yield loopback


def moved(status: int, location: str) -> Reply:
    return Reply.text("moved", status, headers=[("Location", location)])


def secret_client(configuration: Configuration) -> ApiClient:
    """A client sending a token, a cookie and an api-key header with every request."""
    configuration.api_key = {"authorization": TOKEN}
    configuration.api_key_prefix = {"authorization": "Bearer"}
    return ApiClient(configuration, "X-Api-Key", TOKEN, cookie=f"session={TOKEN}")


def assert_no_credentials(request: RecordedRequest) -> None:
    for name in ("Authorization", "Cookie", "X-Api-Key", "Proxy-Authorization"):
        assert request.header(name) is None, name


REDIRECTING_CALLS: dict[str, tuple[str, Callable[[RunServiceApi], Any]]] = {
    "get_run": ("GET", lambda api: api.get_run("r-1")),
    "delete_run": ("DELETE", lambda api: api.delete_run("r-1")),
    "create_run": ("POST", lambda api: api.create_run({"name": "x"})),
    "terminate_run": ("POST", lambda api: api.terminate_run("r-1")),
}
PATH_CHANGES = [
    (status, call) for status in (301, 302, 303, 307, 308) for call in REDIRECTING_CALLS
]


@pytest.mark.parametrize(
    ("status", "call"), PATH_CHANGES, ids=[f"{s}-{c}" for s, c in PATH_CHANGES]
)
def test_a_redirect_to_another_path_is_not_followed(
    server: LoopbackServer, run_api: RunServiceApi, status: int, call: str
) -> None:
    method, perform = REDIRECTING_CALLS[call]
    server.enqueue(moved(status, f"{RUNS}/r-2"))
    server.default_reply = Reply.json({"run": {"id": "r-2"}})

    with pytest.raises(ApiException) as caught:
        perform(RunServiceApi(run_api.api_client))

    error = caught.value
    assert type(error) is ApiException
    assert error.status == status
    assert error.reason is not None
    assert error.reason.startswith(f"Redirect not followed: {method} {server.url}{RUNS}")
    assert f"Location {server.url}{RUNS}/r-2: " in error.reason
    assert "keep the path and query" in error.reason
    assert error.headers["Location"] == f"{RUNS}/r-2"
    assert error.body == "moved"
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    "location",
    [f"{RUNS}/r-1?page_size=1", f"{RUNS}/r-1/", f"{RUNS}/R-1", "/other/apis/v1beta1/runs/r-1"],
)
def test_any_change_of_path_or_query_stops_the_redirect(
    server: LoopbackServer, run_api: RunServiceApi, location: str
) -> None:
    server.enqueue(moved(301, location))
    with pytest.raises(ApiException) as caught:
        run_api.get_run("r-1")
    assert caught.value.status == 301
    assert len(server.requests) == 1


def test_an_encoded_slash_never_matches_a_real_one(
    server: LoopbackServer, run_api: RunServiceApi
) -> None:
    """The server sees ``a%2Fb`` as one segment; a Location with ``a/b`` is another resource,
    while ``a%2fb`` (the same escape in lower case) is the same one."""
    server.enqueue(moved(301, f"{RUNS}/a/b"))
    with pytest.raises(ApiException):
        run_api.get_run("a/b")
    server.reset()
    server.enqueue(moved(301, f"{RUNS}/a%2fb"), Reply.json({"run": {"id": "a/b"}}))
    assert run_api.get_run("a/b").run.id == "a/b"
    assert [r.target for r in server.requests] == [f"{RUNS}/a%2Fb"] * 2


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_keeping_path_and_query_is_followed_without_credentials(
    server: LoopbackServer, other_server: LoopbackServer, configuration: Configuration, status: int
) -> None:
    server.enqueue(moved(status, f"{other_server.url}{RUNS}?page_size=5&sort_by=name"))
    other_server.enqueue(Reply.json({"runs": [{"id": "r-1"}], "total_size": 1}))
    with secret_client(configuration) as client:
        listed = RunServiceApi(client).list_runs(page_size=5, sort_by="name")

    assert listed.runs[0].id == "r-1"
    assert server.last.header("Authorization") == f"Bearer {TOKEN}"
    (forwarded,) = other_server.requests
    assert (forwarded.method, forwarded.target) == ("GET", f"{RUNS}?page_size=5&sort_by=name")
    assert_no_credentials(forwarded)
    assert forwarded.header("User-Agent") == "OpenAPI-Generator/1.8.5/python"


@pytest.mark.parametrize("status", [307, 308, 301])
def test_a_followed_redirect_resends_the_same_method_and_body(
    server: LoopbackServer, other_server: LoopbackServer, configuration: Configuration, status: int
) -> None:
    server.enqueue(moved(status, f"{other_server.url}{RUNS}"))
    other_server.enqueue(Reply.json({"run": {"id": "r-9", "name": "x"}}))
    with secret_client(configuration) as client:
        created = RunServiceApi(client).create_run({"name": "x", "description": "d"})

    assert created.run.id == "r-9"
    (forwarded,) = other_server.requests
    assert forwarded.method == "POST"
    assert forwarded.json() == {"name": "x", "description": "d"}
    assert_no_credentials(forwarded)


def test_a_303_is_followed_for_a_get_only(server: LoopbackServer, run_api: RunServiceApi) -> None:
    server.enqueue(moved(303, f"{server.url}{RUNS}/r-1:archive"))
    with pytest.raises(ApiException) as caught:
        run_api.archive_run("r-1")
    assert caught.value.status == 303
    assert "asks for a GET instead of the POST" in str(caught.value.reason)

    server.reset()
    server.enqueue(moved(303, f"{RUNS}/r-1"), Reply.json({"run": {"id": "r-1"}}))
    assert run_api.get_run("r-1").run.id == "r-1"


def test_a_redirect_to_the_same_origin_keeps_the_credentials(
    server: LoopbackServer, configuration: Configuration
) -> None:
    server.enqueue(moved(307, f"{server.url}{RUNS}/r-1"), Reply.json({"run": {"id": "r-1"}}))
    with secret_client(configuration) as client:
        assert RunServiceApi(client).get_run("r-1").run.id == "r-1"
    assert [r.header("Authorization") for r in server.requests] == [f"Bearer {TOKEN}"] * 2
    assert [r.header("Cookie") for r in server.requests] == [f"session={TOKEN}"] * 2


def test_redirects_are_bounded(server: LoopbackServer, run_api: RunServiceApi) -> None:
    server.default_reply = moved(308, f"{RUNS}/r-1")

    with pytest.raises(ApiException) as caught:
        run_api.get_run("r-1")

    assert caught.value.status == 308
    assert "more than 3 redirects" in str(caught.value.reason)
    assert len(server.requests) == 4


@pytest.mark.parametrize(("retries", "attempts"), [(False, 1), (urllib3.Retry(redirect=1), 2)])
def test_urllib3_retries_of_the_user_limit_redirects(
    server: LoopbackServer, configuration: Configuration, retries: Any, attempts: int
) -> None:
    configuration.retries = retries
    server.default_reply = moved(307, f"{RUNS}/r-1")
    with ApiClient(configuration) as client, pytest.raises(ApiException) as caught:
        RunServiceApi(client).get_run("r-1")
    assert caught.value.status == 307
    assert len(server.requests) == attempts


def test_a_followed_redirect_without_preloading_gives_the_final_response(
    server: LoopbackServer, other_server: LoopbackServer, run_api: RunServiceApi
) -> None:
    server.enqueue(moved(301, f"{other_server.url}{RUNS}/r-1"))
    other_server.enqueue(Reply.json({"run": {"id": "r-1"}}))

    raw = run_api.get_run("r-1", _preload_content=False)
    try:
        assert raw.status == 200
        assert raw.read() == b'{"run":{"id":"r-1"}}'
    finally:
        raw.release_conn()


def test_a_redirect_without_location_is_an_error(
    server: LoopbackServer, run_api: RunServiceApi
) -> None:
    server.enqueue(Reply.text("no location", 302))
    with pytest.raises(ApiException) as caught:
        run_api.get_run("r-1")
    assert caught.value.status == 302
    assert "(no Location)" in str(caught.value.reason)


# -- the total time limit -----------------------------------------------------------------------

PAYLOAD = b'{"run":{"id":"r-1","name":"first"}}'
JSON_HEAD = (("Content-Type", "application/json"),)


def one_byte_at_a_time(data: bytes, gap: float) -> list[Step]:
    """``data`` sent one byte every ``gap`` seconds."""
    steps: list[Step] = []
    for index in range(len(data)):
        steps += [Send(data[index : index + 1]), Pause(gap)]
    return steps


def trickling(body: bytes, gap: float) -> tuple[Step, ...]:
    """A response whose body arrives one byte every ``gap`` seconds."""
    return (Send(head(200, JSON_HEAD, length=len(body))), *one_byte_at_a_time(body, gap))


#: A body that would take 100 s to arrive, each byte well within any read timeout.
ENDLESS_TRICKLE = trickling(b" " * 2000, 0.05)


@pytest.fixture
def faulty() -> Iterator[Callable[..., FaultyServer]]:
    """Starts FaultyServers playing the given script; all are stopped after the test."""
    with ExitStack() as stack:
        yield lambda *script: stack.enter_context(FaultyServer(*script))


#: Responses that arrive a little at a time, each read well within any read timeout: a body
#: that would take 100 s, and heads that take 1-2 s in all (then a valid body).
TRICKLES: dict[str, tuple[Step, ...]] = {
    "body": ENDLESS_TRICKLE,
    "status line": (
        *one_byte_at_a_time(b"HTTP/1.1 200 OK\r\n", 0.1),
        Send(b"Content-Length: %d\r\n\r\n" % len(PAYLOAD) + PAYLOAD),
    ),
    "header lines": (
        Send(b"HTTP/1.1 200 OK\r\n"),
        *[step for i in range(40) for step in (Send(b"X-Pad-%d: v\r\n" % i), Pause(0.05))],
        Send(b"Content-Length: %d\r\n\r\n" % len(PAYLOAD) + PAYLOAD),
    ),
}


@pytest.mark.parametrize("limit", ["call", "configuration", "urllib3.Timeout"])
@pytest.mark.parametrize("part", list(TRICKLES))
def test_a_total_time_limit_bounds_a_response_that_keeps_trickling(
    faulty: Callable[..., FaultyServer], part: str, limit: str
) -> None:
    server = faulty(*TRICKLES[part])
    configuration = one_attempt(server.url)
    options: dict[str, Any] = {}
    if limit == "call":
        options["_request_timeout"] = 0.3
    elif limit == "configuration":  # the default limit of calls works the same way
        configuration.request_timeout = 0.3
    else:
        options["_request_timeout"] = urllib3.Timeout(connect=5, read=5, total=0.3)
    with ApiClient(configuration) as client, pytest.raises(ApiTimeoutError) as caught:
        RunServiceApi(client).get_run("r-1", **options)

    assert_transport_error(caught.value, "Total time limit of 0.3 s passed", ApiTimeoutError)
    assert caught.value.reason.startswith("Total time limit of 0.3 s passed: GET ")
    assert caught.value.transient is True
    assert server.request_count == 1


def test_a_connect_and_read_pair_limits_each_read_only(
    faulty: Callable[..., FaultyServer],
) -> None:
    server = faulty(*trickling(PAYLOAD, 0.01))
    with ApiClient(one_attempt(server.url)) as client:
        detail = RunServiceApi(client).get_run("r-1", _request_timeout=(5, 5))
    assert detail.run.name == "first"


def test_a_body_in_pieces_within_the_limit_arrives_whole_and_the_connection_is_reused(
    faulty: Callable[..., FaultyServer],
) -> None:
    server = faulty(
        Send(head(200, JSON_HEAD, length=len(PAYLOAD)) + PAYLOAD[:10]),
        Pause(0.05),
        Send(PAYLOAD[10:]),
    )
    with ApiClient(one_attempt(server.url)) as client:
        api = RunServiceApi(client)
        first = api.get_run("r-1", _request_timeout=10)
        second = api.get_run("r-1")  # default limits, on the same connection
    assert first == second
    assert first.run.name == "first"
    assert (server.request_count, server.connection_count) == (2, 1)


# -- malformed responses ------------------------------------------------------------------------

MALFORMED: dict[str, tuple[tuple[Step, ...], str, bool]] = {
    # name: (script, start of the reason, transient)
    "invalid chunk size": (
        (Send(head(200, JSON_HEAD, is_chunked=True) + b"zz\r\n" + PAYLOAD), Close()),
        "Malformed chunked encoding in the response body (a chunk size is not a hexadecimal",
        False,
    ),
    "chunked body cut at a chunk boundary": (
        (Send(head(200, JSON_HEAD, is_chunked=True) + b"5\r\n" + PAYLOAD[:5] + b"\r\n"), Close()),
        "Connection closed in the middle of the response body (truncated body)",
        True,
    ),
    "chunked body cut inside a chunk": (
        (Send(head(200, JSON_HEAD, is_chunked=True) + b"40\r\n" + PAYLOAD), Close()),
        "Connection closed in the middle of the response body (truncated body)",
        True,
    ),
    "not HTTP": (
        (Send(b"SSH-2.0-OpenSSH_9.6\r\n"), Close()),
        "The server did not answer with HTTP",
        False,
    ),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_a_malformed_response_is_named(faulty: Callable[..., FaultyServer], name: str) -> None:
    script, words, transient = MALFORMED[name]
    server = faulty(*script)
    with ApiClient(one_attempt(server.url)) as client, pytest.raises(ApiConnectionError) as caught:
        RunServiceApi(client).get_run("r-1")

    assert_transport_error(caught.value, words, ApiConnectionError)
    assert caught.value.reason.startswith(f"{words}")
    assert caught.value.transient is transient
    assert "Transport error" not in caught.value.reason


def test_not_http_names_the_status_line(faulty: Callable[..., FaultyServer]) -> None:
    server = faulty(Send(b"SSH-2.0-OpenSSH_9.6\r\n"), Close())
    with ApiClient(one_attempt(server.url)) as client, pytest.raises(ApiConnectionError) as caught:
        RunServiceApi(client).get_run("r-1")
    assert caught.value.reason.endswith(f"{RUN_PATH}: BadStatusLine: SSH-2.0-OpenSSH_9.6")


def encoded(body: bytes, coding: str) -> Reply:
    return Reply.raw(body, content_type="application/json", headers=[("Content-Encoding", coding)])


RUN_JSON = b'{"run":{"id":"r-1","name":"' + b"n" * 200 + b'"}}'
GZIPPED = gzip.compress(RUN_JSON)
DEFLATED = zlib.compress(RUN_JSON)


@pytest.mark.parametrize(
    "reply",
    [
        encoded(GZIPPED, "gzip"),
        encoded(GZIPPED, "x-gzip"),
        encoded(GZIPPED, " GZIP "),
        encoded(gzip.compress(RUN_JSON[:50]) + gzip.compress(RUN_JSON[50:]), "gzip"),
        encoded(GZIPPED + b"\x00\x00 trailing bytes", "gzip"),
        encoded(DEFLATED, "deflate"),
        encoded(DEFLATED[2:-4], "deflate"),  # raw deflate, without the zlib wrapper
    ],
    ids=["gzip", "x-gzip", "spaced", "two members", "trailing bytes", "deflate", "raw deflate"],
)
def test_encoded_bodies_are_decoded(
    server: LoopbackServer, run_api: RunServiceApi, reply: Reply
) -> None:
    server.enqueue(reply)
    assert run_api.get_run("r-1").run.name == "n" * 200
    assert run_api.api_client.last_response.data == RUN_JSON.decode()


@pytest.mark.parametrize(
    ("reply", "coding"),
    [
        (encoded(GZIPPED[:40], "gzip"), "gzip"),
        (encoded(GZIPPED[:12], "gzip"), "gzip"),
        (encoded(GZIPPED[:-4], "gzip"), "gzip"),  # no length at the end
        (encoded(DEFLATED[:30], "deflate"), "deflate"),
    ],
    ids=["gzip cut in the data", "gzip cut in the header", "gzip cut in the trailer", "deflate"],
)
def test_an_encoded_body_cut_short_is_named(
    server: LoopbackServer, run_api: RunServiceApi, reply: Reply, coding: str
) -> None:
    server.enqueue(reply)
    with pytest.raises(ApiDecodeError) as caught:
        run_api.get_run("r-1")

    error = caught.value
    assert error.status == 200
    assert error.reason is not None
    assert error.reason.startswith("Response body cut short")
    assert f"its {coding} stream (Content-Encoding) stops before its end" in error.reason
    assert f"({len(reply.body)} bytes received" in error.reason
    assert RUN_JSON.decode().startswith(error.body or "")


@pytest.mark.parametrize(
    ("reply", "coding"),
    [
        (encoded(b"\x1f\x8b\x08garbage", "gzip"), "gzip"),
        (encoded(GZIPPED[:20] + b"\xff" * 20 + GZIPPED[40:], "gzip"), "gzip"),
        (encoded(b"not deflate at all", "deflate"), "deflate"),
    ],
    ids=["gzip header", "gzip data", "deflate"],
)
def test_a_corrupt_encoded_body_is_named(
    server: LoopbackServer, run_api: RunServiceApi, reply: Reply, coding: str
) -> None:
    server.enqueue(reply)
    with pytest.raises(ApiConnectionError) as caught:
        run_api.get_run("r-1")

    assert_transport_error(
        caught.value,
        "Response body failed to decode (corrupt content encoding)",
        ApiConnectionError,
    )
    assert f"Content-Encoding {coding}: " in caught.value.reason
    assert caught.value.transient is False


def test_an_empty_encoded_body_is_fine(server: LoopbackServer, run_api: RunServiceApi) -> None:
    server.enqueue(Reply(200, (("Content-Encoding", "gzip"),), b""))
    with pytest.raises(ApiDecodeError, match="not valid JSON"):
        run_api.get_run("r-1")  # empty is not a run, but it is not a broken gzip stream either


# -- the error body of the upload endpoints -----------------------------------------------------


def test_the_upload_error_body_is_parsed(
    server: LoopbackServer, api_client: ApiClient, tmp_path: Path
) -> None:
    package = tmp_path / "pipeline.yaml"
    package.write_text("kind: Workflow\n")
    body = {
        "error_message": "Failed to create a pipeline: The name train already exist.",
        "error_details": "Failed to create a pipeline: ... already exist: internal detail",
    }
    server.enqueue(Reply.json(body, 409))

    with pytest.raises(ConflictException) as caught:
        PipelineUploadServiceApi(api_client).upload_pipeline(str(package), name="train")

    error = caught.value
    assert error.message == body["error_message"]
    assert error.error == body["error_details"]
    assert error.details == [body]
    assert error.code is None
    assert str(error).startswith("(409)\nReason: Conflict\n")


# -- closing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["close", "context manager"])
def test_close_closes_the_kept_alive_connection(how: str) -> None:
    with StaticServer(b"{}") as server:
        client = ApiClient(one_attempt(server.url))
        api = RunServiceApi(client)
        api.get_run("r-1")
        api.archive_run("r-1")
        assert (server.connections, server.requests) == (1, 2)  # one connection, kept alive
        assert client.last_response is not None  # and still referenced

        if how == "close":
            client.close()
        else:
            with client:
                pass

        assert server.closed.wait(timeout=10)
        assert client.last_response.status == 200  # still readable after close()


def test_close_joins_the_threads_and_drops_the_exit_hook(
    server: LoopbackServer, configuration: Configuration
) -> None:
    server.default_reply = Reply.json({"run": {"id": "r-1"}})
    client = ApiClient(configuration, pool_threads=2)
    assert RunServiceApi(client).get_run("r-1", async_req=True).get(timeout=30).run.id == "r-1"
    pool = weakref.ref(client.pool)
    # The pool's own threads (its workers and its three handlers); on Python 3.9 they cannot be
    # told from the server's request threads by name.
    threads = [
        *client.pool._pool,  # type: ignore[attr-defined]
        client.pool._worker_handler,  # type: ignore[attr-defined]
        client.pool._task_handler,  # type: ignore[attr-defined]
        client.pool._result_handler,  # type: ignore[attr-defined]
    ]
    assert all(thread.is_alive() for thread in threads)

    client.close()

    assert [thread.name for thread in threads if thread.is_alive()] == []
    gc.collect()
    assert pool() is None  # nothing, the exit hook included, holds the pool any more


def test_threads_first_using_the_pool_together_share_one(
    configuration: Configuration, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing.pool

    created: list[object] = []

    class CountedThreadPool(multiprocessing.pool.ThreadPool):
        def __init__(self, processes: int | None = None) -> None:
            created.append(self)
            super().__init__(processes)

    monkeypatch.setattr(multiprocessing.pool, "ThreadPool", CountedThreadPool)
    threads = 8
    start = threading.Barrier(threads)
    seen: list[object] = []
    with ApiClient(configuration) as client:

        def first_use() -> None:
            start.wait(timeout=30)
            seen.append(client.pool)

        workers = [threading.Thread(target=first_use) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=30)

        assert len(seen) == threads
        assert len(created) == 1
        assert all(pool is created[0] for pool in seen)


EXIT_SCRIPT = """
import sys
from kfp_server_api import ApiClient, Configuration, RunServiceApi

configuration = Configuration(sys.argv[1])
configuration.retry_policy = None
api = RunServiceApi(ApiClient(configuration, pool_threads=2))
pending = [api.get_run("r-1", async_req=True) for _ in range(3)]
print("sent", flush=True)
sys.stdin.readline()
"""


def test_a_script_exits_with_async_calls_still_waiting(
    server: LoopbackServer, tmp_path: Path
) -> None:
    """The calls are in flight (the server holds them); the script ends without close()."""
    server.default_reply = Reply.stall()
    with subprocess.Popen(
        [sys.executable, "-c", EXIT_SCRIPT, server.url],
        cwd=tmp_path,  # the installed package, not whatever the working directory holds
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as script:
        assert script.stdout is not None
        assert script.stdin is not None
        assert script.stdout.readline() == "sent\n"
        server.wait_for_requests(2)
        script.stdin.close()  # the script's last line returns: the interpreter exits
        try:
            returncode = script.wait(timeout=60)
        except subprocess.TimeoutExpired:
            script.kill()
            pytest.fail("the script did not exit")
        assert script.stderr is not None
        assert (returncode, script.stderr.read()) == (0, "")


# -- control characters never reach a header ----------------------------------------------------


def test_a_token_read_from_a_file_is_sent_without_its_newline(
    server: LoopbackServer, configuration: Configuration
) -> None:
    configuration.api_key = {"authorization": f"{TOKEN}\n"}
    configuration.api_key_prefix = {"authorization": "Bearer"}
    server.enqueue(Reply.json({}))
    with ApiClient(configuration) as client:
        RunServiceApi(client).archive_run("r-1")
    assert server.last.header("Authorization") == f"Bearer {TOKEN}"


#: Ways a control character could get into a header, with the name the error gives.
CONTROL_CHARACTERS: dict[str, tuple[dict[str, Any], str]] = {
    "api key, folded line": (
        {"api_key": f"{TOKEN[:4]}\r\n X-Injected: 1{TOKEN[4:]}"},
        "Configuration.api_key['authorization']",
    ),
    "api key, NUL": ({"api_key": f"{TOKEN[:4]}\x00{TOKEN[4:]}"}, "api_key['authorization']"),
    "header value": ({"header_value": f"{TOKEN[:4]}\r\n\t{TOKEN[4:]}"}, "header 'X-Tenant'"),
    "cookie": ({"cookie": f"session={TOKEN[:4]}\x7f{TOKEN[4:]}"}, "header 'Cookie'"),
}


@pytest.mark.parametrize("where", list(CONTROL_CHARACTERS))
def test_a_control_character_never_reaches_a_header(
    server: LoopbackServer, configuration: Configuration, where: str
) -> None:
    values, name = CONTROL_CHARACTERS[where]
    configuration.api_key = {"authorization": values.get("api_key", TOKEN)}
    with (
        ApiClient(
            configuration,
            header_name="X-Tenant",
            header_value=values.get("header_value", "team-a"),
            cookie=values.get("cookie"),
        ) as client,
        pytest.raises(ApiValueError) as caught,
    ):
        RunServiceApi(client).get_run("r-1")

    assert server.requests == []
    assert f"{name} contains a control character" in str(caught.value)
    assert TOKEN[:4] not in str(caught.value)
    assert TOKEN[4:] not in str(caught.value)


# -- the total time limit holds while the head arrives --------------------------------------------


def test_a_head_in_pieces_within_the_limit_is_read_and_the_connection_reused(
    faulty: Callable[..., FaultyServer],
) -> None:
    server = faulty(
        Send(b"HTTP/1.1 200 OK\r\nContent-Type: app"),
        Pause(0.02),
        Send(b"lication/json\r\nContent-Length: %d\r\n\r\n" % len(PAYLOAD) + PAYLOAD),
    )
    with ApiClient(one_attempt(server.url)) as client:
        api = RunServiceApi(client)
        assert api.get_run("r-1", _request_timeout=10).run.name == "first"
        assert api.get_run("r-1", _request_timeout=(5, 5)).run.name == "first"
        raw = api.get_run("r-1", _preload_content=False, _request_timeout=0.5)
        assert raw.read() == PAYLOAD  # read after the call, with no total limit any more
    assert (server.request_count, server.connection_count) == (3, 1)


# -- answers that used to raise a raw exception ----------------------------------------------------

DEEP_JSON = b"[" * 100_000 + b"]" * 100_000

#: 2xx answers whose body cannot be decoded, with the words of the ApiDecodeError.
UNDECODABLE_BODIES: dict[str, tuple[Reply, str]] = {
    "not UTF-8": (
        Reply.raw(b'{"run":{"id":"\xff\xfe"}}', content_type="application/json"),
        "Response body is not valid utf-8 text: byte 14",
    ),
    "unknown charset": (
        Reply.raw(b"{}", content_type="application/json; charset=no-such-charset"),
        "Response body has an unknown charset 'no-such-charset' (Content-Type)",
    ),
    "JSON nested 100,000 deep": (
        Reply.raw(DEEP_JSON, content_type="application/json"),
        "Response body is JSON nested too deeply to decode (ApiRunDetail expected)",
    ),
    "401-digit integer in a float field": (
        Reply.raw(
            b'{"run":{"metrics":[{"number_value":' + b"9" * 401 + b"}]}}",
            content_type="application/json",
        ),
        "expected a number within the range of a float at run.metrics[0].number_value",
    ),
}


@pytest.mark.parametrize("name", list(UNDECODABLE_BODIES))
def test_an_undecodable_body_is_a_decode_error(
    server: LoopbackServer, run_api: RunServiceApi, name: str
) -> None:
    reply, words = UNDECODABLE_BODIES[name]
    server.enqueue(reply)
    with pytest.raises(ApiDecodeError) as caught:
        run_api.get_run("r-1")
    assert caught.value.status == 200
    assert words in str(caught.value.reason)
    assert "\n" not in str(caught.value.reason)


def test_an_error_body_nested_too_deeply_still_gives_the_status_error(
    server: LoopbackServer, run_api: RunServiceApi
) -> None:
    server.enqueue(Reply.raw(b'{"error":' + DEEP_JSON + b"}", 500, "application/json"))
    with pytest.raises(ServiceException) as caught:
        run_api.get_run("r-1")
    assert (caught.value.status, caught.value.code, caught.value.error) == (500, None, None)


@pytest.mark.parametrize("length", [10**12, 2**63 - 1])
@pytest.mark.parametrize("limit", ["default", "none"])
def test_an_absurd_content_length_is_a_connection_error(
    faulty: Callable[..., FaultyServer], length: int, limit: str
) -> None:
    server = faulty(Send(head(200, JSON_HEAD, length=length) + PAYLOAD), Close())
    configuration = one_attempt(server.url)
    if limit == "none":
        configuration.max_response_bytes = None
    with ApiClient(configuration) as client, pytest.raises(ApiConnectionError) as caught:
        RunServiceApi(client).get_run("r-1")

    reason = str(caught.value.reason)
    if limit == "default":
        assert reason.startswith(
            f"Response body too large: {length} bytes announced (Content-Length), above the "
            "limit of 268435456 bytes (Configuration.max_response_bytes): GET "
        )
        assert caught.value.transient is False
    else:  # read in pieces: the body ends long before the length it announced
        assert reason.startswith("Connection closed in the middle of the response body")


def test_a_lone_surrogate_in_a_path_parameter_is_a_value_error(
    server: LoopbackServer, run_api: RunServiceApi
) -> None:
    with pytest.raises(ApiValueError, match="Path parameter 'run_id' is not valid Unicode"):
        run_api.get_run("run-\ud800")
    with pytest.raises(ApiValueError, match="A query parameter is not valid Unicode"):
        run_api.list_runs(filter="\udcff")
    assert server.requests == []


# -- the size limit of response bodies -----------------------------------------------------------

MIB = 1024 * 1024


@pytest.mark.parametrize(
    ("coding", "compress"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda d: zlib.compress(d)[2:-4]),
    ],
    ids=["gzip", "deflate", "raw deflate"],
)
def test_a_body_that_expands_past_the_limit_is_refused(
    server: LoopbackServer, configuration: Configuration, coding: str, compress: Any
) -> None:
    configuration.max_response_bytes = MIB
    bomb = compress(b" " * (8 * MIB))  # JSON whitespace: decoded whole, it would be one error
    assert len(bomb) < 64 * 1024
    server.enqueue(encoded(bomb, coding))
    with ApiClient(configuration) as client, pytest.raises(ApiConnectionError) as caught:
        RunServiceApi(client).get_run("r-1")

    assert caught.value.reason == (
        f"Response body too large: its {coding} content encoding expands beyond the limit of "
        f"{MIB} bytes (Configuration.max_response_bytes): GET {server.url}{RUN_PATH}"
    )
    assert (caught.value.status, caught.value.transient) == (0, False)


def test_a_body_within_the_limit_decodes_and_a_longer_one_is_refused(
    server: LoopbackServer, configuration: Configuration, faulty: Callable[..., FaultyServer]
) -> None:
    body = b'{"run":{"id":"r-1","name":"' + b"n" * 1000 + b'"}}'
    configuration.max_response_bytes = len(body)
    server.enqueue(
        encoded(gzip.compress(body), "gzip"), Reply.raw(body, content_type="application/json")
    )
    with ApiClient(configuration) as client:
        api = RunServiceApi(client)
        assert api.get_run("r-1").run.name == "n" * 1000
        assert api.get_run("r-1").run.name == "n" * 1000
        configuration.max_response_bytes = None  # read when the client is built: no change
        server.enqueue(Reply.raw(body + b" ", content_type="application/json"))
        with pytest.raises(ApiConnectionError, match=f"{len(body) + 1} bytes announced"):
            api.get_run("r-1")

    chunked_server = faulty(
        Send(head(200, JSON_HEAD, is_chunked=True) + chunked(body, b" ")), Close()
    )
    limited = one_attempt(chunked_server.url)
    limited.max_response_bytes = len(body)
    with ApiClient(limited) as client, pytest.raises(ApiConnectionError) as caught:
        RunServiceApi(client).get_run("r-1")
    assert str(caught.value.reason).startswith(
        f"Response body too large: more than the limit of {len(body)} bytes"
    )


def test_the_default_size_limit() -> None:
    assert Configuration().max_response_bytes == DEFAULT_MAX_RESPONSE_BYTES == 256 * MIB


@pytest.mark.parametrize(
    ("header_name", "header_value", "words"),
    [
        ("X-Tenant", "t\u00e9am-\u20ac", "header 'X-Tenant' contains a character outside Latin-1"),
        ("X-Ten\nant", "a", "'X-Ten\\nant' is not a valid header name"),
        ("X-Tenant:", "a", "'X-Tenant:' is not a valid header name"),
    ],
    ids=["value beyond Latin-1", "line break in the name", "colon in the name"],
)
def test_a_header_http_cannot_carry_is_refused_before_sending(
    server: LoopbackServer,
    configuration: Configuration,
    header_name: str,
    header_value: str,
    words: str,
) -> None:
    with (
        ApiClient(configuration, header_name, header_value) as client,
        pytest.raises(ApiValueError) as caught,
    ):
        RunServiceApi(client).get_run("r-1")
    assert words in str(caught.value)
    assert server.requests == []
    server.enqueue(Reply.json({}))
    with ApiClient(configuration, "X-Tenant", "\u00e9quipe") as client:  # Latin-1 is fine
        RunServiceApi(client).archive_run("r-1")
    assert server.last.header("X-Tenant") is not None
