"""Security: path traversal, secrets in output, redirects, TLS, and the emulator's exposure.

- A path parameter always reaches the server as exactly one segment, whatever it contains.
- The token never shows in logs, ``debug`` output, ``repr``, debug reports or exception text.
- ``Authorization`` (and the cookie) are not forwarded when a redirect leads to another host.
- TLS is verified by default, and a failure names the certificate problem.
- The emulator listens on loopback by default; with ``--token`` it refuses every request that
  lacks the token; a request body above its limit is refused before it is read.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import io
import json
import logging
import pickle
import secrets
import socket
import ssl
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import trustme
from hypothesis import given, settings
from hypothesis import strategies as st
from servers.faulty import Close, FaultyServer, Send, Step, head
from servers.loopback import LoopbackServer, RecordedRequest, Reply

from kfp_server_api import (
    ApiClient,
    ApiConnectionError,
    ApiException,
    ApiReportRunMetricsRequest,
    ApiRun,
    Configuration,
    NotFoundException,
    RunServiceApi,
    UnauthorizedException,
)
from kfp_server_api.emulator import DEFAULT_MAX_BODY_BYTES, Emulator, Lifecycle, RunSeed

from .emulator_process import EmulatorProcess
from .figures import Figures
from .retry_waits import Waits

pytestmark = pytest.mark.timeout(60)

RUNS = "/apis/v1beta1/runs"


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as loopback:
        yield loopback


# -- path parameters ----------------------------------------------------------------------------

#: Each call with its path parameters in order, and the route it must reach (``{}``: one segment).
PATH_CALLS: dict[str, tuple[Callable[[RunServiceApi, list[str]], Any], str]] = {
    "get_run": (lambda api, v: api.get_run(v[0]), RUNS + "/{}"),
    "delete_run": (lambda api, v: api.delete_run(v[0]), RUNS + "/{}"),
    "archive_run": (lambda api, v: api.archive_run(v[0]), RUNS + "/{}:archive"),
    "unarchive_run": (lambda api, v: api.unarchive_run(v[0]), RUNS + "/{}:unarchive"),
    "terminate_run": (lambda api, v: api.terminate_run(v[0]), RUNS + "/{}/terminate"),
    "retry_run": (lambda api, v: api.retry_run(v[0]), RUNS + "/{}/retry"),
    "report_run_metrics": (
        lambda api, v: api.report_run_metrics(v[0], ApiReportRunMetricsRequest(run_id=v[0])),
        RUNS + "/{}:reportMetrics",
    ),
    "read_artifact": (
        lambda api, v: api.read_artifact(v[0], v[1], v[2]),
        RUNS + "/{}/nodes/{}/artifacts/{}:read",
    ),
}
HOSTILE_SEGMENTS = [
    "..",
    ".",
    "../../apis/v1beta1/healthz",
    "a/b",
    "x?page_size=1",
    "x#fragment",
    "%2e%2e",
    "..%2f..",
    "..\\..\\windows",
    "x:archive",
    "run id with spaces",
    "ünïcødé-☃",
    "%00",
    "~user",
]


def _assert_one_segment_each(request: RecordedRequest, template: str, values: list[str]) -> None:
    """The raw path is the template with each value inside its own segment, encoded."""
    assert request.query_string == ""
    assert "#" not in request.target
    patterns = template.split("/")[1:]
    assert len(request.path_segments) == len(patterns), request.target
    remaining = iter(values)
    for pattern, segment in zip(patterns, request.path_segments):
        expected = pattern.replace("{}", next(remaining)) if "{}" in pattern else pattern
        assert segment == expected, request.target
    for raw_segment in request.path.split("/"):
        assert raw_segment not in (".", ".."), request.target  # nothing a URL cleaner would fold


@pytest.mark.parametrize("name", list(PATH_CALLS))
def test_hostile_path_parameters_stay_one_segment(
    server: LoopbackServer, name: str, figures: Figures
) -> None:
    perform, template = PATH_CALLS[name]
    server.default_reply = Reply.json({})
    with ApiClient(Configuration(server.url)) as client:
        api = RunServiceApi(client)
        for value in HOSTILE_SEGMENTS:
            values = [value, f"node-{value}", f"{value}.tgz"]
            server.requests.clear()
            with contextlib.suppress(ApiException):  # the answer does not matter, the route does
                perform(api, values)
            assert len(server.requests) == 1, value
            _assert_one_segment_each(server.requests[0], template, values[: template.count("{}")])
            figures.add("security_checks")


@settings(deadline=None, max_examples=200, database=None)
@given(value=st.text(min_size=1, max_size=40), name=st.sampled_from(sorted(PATH_CALLS)))
def test_random_path_parameters_stay_one_segment(
    server_for_hypothesis: LoopbackServer,
    api_for_hypothesis: RunServiceApi,
    figures: Figures,
    value: str,
    name: str,
) -> None:
    perform, template = PATH_CALLS[name]
    values = [value, value[::-1], value + "x"]
    before = len(server_for_hypothesis.requests)
    with contextlib.suppress(ApiException):
        perform(api_for_hypothesis, values)
    request = server_for_hypothesis.wait_for_requests(before + 1)[before]
    _assert_one_segment_each(request, template, values[: template.count("{}")])
    figures.add("security_checks")


@pytest.fixture(scope="module")
def server_for_hypothesis() -> Iterator[LoopbackServer]:
    with LoopbackServer() as loopback:
        loopback.default_reply = Reply.json({})
        yield loopback


@pytest.fixture(scope="module")
def api_for_hypothesis(server_for_hypothesis: LoopbackServer) -> Iterator[RunServiceApi]:
    with ApiClient(Configuration(server_for_hypothesis.url)) as client:
        yield RunServiceApi(client)


@pytest.fixture
def emulator_with_victim() -> Iterator[tuple[Emulator, str]]:
    with Emulator(lifecycle=Lifecycle.manual()) as emulator:
        (victim,) = emulator.seed_runs([RunSeed("victim", status="Running")])
        yield emulator, victim


def test_traversal_ids_never_reach_another_run_on_the_emulator(
    emulator_with_victim: tuple[Emulator, str], figures: Figures
) -> None:
    emulator, victim = emulator_with_victim
    with ApiClient(Configuration(emulator.url)) as client:
        api = RunServiceApi(client)
        for value in (
            f"..%2F{victim}",
            f"{victim}?x",
            f"{victim}#x",
            f"{victim}%00",
            f"{victim};x",
        ):
            for call in (api.get_run, api.delete_run, api.terminate_run):
                with pytest.raises(NotFoundException):
                    call(value)
                figures.add("security_checks")
    assert emulator.get_run(victim)["run"]["status"] == "Running"


#: Calls aimed at ``x/../<victim>``: one encoded segment, which the server decodes and cleans.
TRAVERSING_CALLS: dict[str, Callable[[RunServiceApi, str], Any]] = {
    "get_run": lambda api, victim: api.get_run(f"x/../{victim}"),
    "delete_run": lambda api, victim: api.delete_run(f"x/../{victim}"),
    "archive_run": lambda api, victim: api.archive_run(f"x/../{victim}"),
    "terminate_run": lambda api, victim: api.terminate_run(f"x/../{victim}"),
    "terminate_run, trailing slash": lambda api, victim: api.terminate_run(f"{victim}/"),
}


@pytest.mark.parametrize("name", list(TRAVERSING_CALLS))
def test_a_call_never_follows_a_redirect_to_another_run(
    emulator_with_victim: tuple[Emulator, str], name: str
) -> None:
    emulator, victim = emulator_with_victim
    answer: Any = None
    with ApiClient(Configuration(emulator.url)) as client, contextlib.suppress(ApiException):
        answer = TRAVERSING_CALLS[name](RunServiceApi(client), victim)
    stored = emulator.get_run(victim)["run"]
    assert (stored["status"], stored.get("storage_state")) == ("Running", None)
    assert getattr(getattr(answer, "run", None), "id", None) != victim


# -- secrets in output --------------------------------------------------------------------------

TOKEN = "tok-" + secrets.token_hex(16)
HOST_PASSWORD = "pw-" + secrets.token_hex(8)


@pytest.fixture
def captured_output(caplog: pytest.LogCaptureFixture) -> Iterator[Callable[[], list[str]]]:
    """Everything logging writes while the test runs, at DEBUG, as texts to search."""
    caplog.set_level(logging.DEBUG)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [caplog.text, stream.getvalue()]
    root.removeHandler(handler)


def _texts_of(error: BaseException) -> list[str]:
    """Every way an exception is shown: str, repr, its fields, the whole chained traceback."""
    texts = [
        str(error),
        repr(error),
        "".join(traceback.format_exception(type(error), error, error.__traceback__)),
    ]
    texts += [str(getattr(error, name, "")) for name in ("message", "reason", "body", "headers")]
    return texts


def _failing_calls(
    server: LoopbackServer, closed_port: int
) -> list[tuple[str, Callable[[Configuration], Any]]]:
    """Calls that fail in every way a call can fail, each given a configuration to use."""

    def via(configuration: Configuration, **options: Any) -> Any:
        with ApiClient(configuration) as client:
            return RunServiceApi(client).get_run("r-1", **options)

    def refused(configuration: Configuration) -> Any:
        elsewhere = copy.deepcopy(configuration)
        elsewhere.host = f"http://kfp-user:{HOST_PASSWORD}@127.0.0.1:{closed_port}"
        return via(elsewhere)

    def timed_out(configuration: Configuration) -> Any:
        server.default_reply = Reply.stall()
        return via(configuration, _request_timeout=0.1)

    def status(reply: Reply) -> Callable[[Configuration], Any]:
        def call(configuration: Configuration) -> Any:
            server.default_reply = reply
            return via(configuration)

        return call

    return [
        ("401", status(Reply.kfp_error(401, 16, "Unauthenticated: token expired"))),
        ("403", status(Reply.kfp_error(403, 7, "PermissionDenied"))),
        ("500", status(Reply.kfp_error(500, 13, "InternalServerError: boom"))),
        ("502 HTML", status(Reply.text("<h1>Bad Gateway</h1>", 502, "text/html"))),
        ("invalid JSON", status(Reply.text("{not json", 200, "application/json"))),
        ("truncated", status(Reply.json({"run": {"id": "x" * 50}}).truncated(10))),
        ("reset", status(Reply.close_before_headers())),
        ("refused", refused),
        ("timeout", timed_out),
    ]


def _secret_configuration(server: LoopbackServer) -> Configuration:
    parts = urlsplit(server.url)
    configuration = Configuration(
        host=f"{parts.scheme}://kfp-user:{HOST_PASSWORD}@{parts.netloc}",
        api_key={"authorization": TOKEN},
        api_key_prefix={"authorization": "Bearer"},
    )
    configuration.username, configuration.password = "kfp-user", HOST_PASSWORD
    return configuration


def test_token_is_never_shown(
    server: LoopbackServer,
    closed_port: int,
    waits: Waits,
    captured_output: Callable[[], list[str]],
    capfd: pytest.CaptureFixture[str],
    tmp_path: Path,
    figures: Figures,
) -> None:
    configuration = waits.configure(_secret_configuration(server))
    configuration.logger_file = str(tmp_path / "client.log")
    configuration.debug = True
    texts = [repr(configuration), configuration.to_debug_report()]
    try:
        server.enqueue(Reply.json({"run": {"id": "r-1"}}))
        with ApiClient(configuration) as client:
            texts += [
                repr(client),
                repr(client.rest_client),
                str(RunServiceApi(client).get_run("r-1")),
            ]
        assert server.last.header("Authorization") == f"Bearer {TOKEN}"  # it was sent
        for _, call in _failing_calls(server, closed_port):
            with pytest.raises(ApiException) as caught:
                call(configuration)
            texts += _texts_of(caught.value)
            figures.add("security_checks")
    finally:
        configuration.debug = False
        configuration.logger_file = None
    captured = capfd.readouterr()
    texts += [*captured_output(), captured.out, captured.err]
    texts.append((tmp_path / "client.log").read_text())
    assert any("GET" in text for text in texts[-4:])  # debug output was produced

    for text in texts:
        assert TOKEN not in text
        assert HOST_PASSWORD not in text
    figures.add("security_checks")


def test_token_is_not_shown_when_the_server_echoes_it(
    server: LoopbackServer, captured_output: Callable[[], list[str]], figures: Figures
) -> None:
    server.responder = lambda request: Reply.kfp_error(
        401, 16, f"Unauthenticated: token {request.header('Authorization')} is not valid"
    )
    configuration = _secret_configuration(server)
    configuration.debug = True
    try:
        with ApiClient(configuration) as client, pytest.raises(UnauthorizedException) as caught:
            RunServiceApi(client).get_run("r-1")
    finally:
        configuration.debug = False
    assert server.last.header("Authorization") == f"Bearer {TOKEN}"
    for text in [*_texts_of(caught.value), *captured_output()]:
        assert TOKEN not in text
    figures.add("security_checks")


# -- redirects to another host ------------------------------------------------------------------

REDIRECTS = [
    (301, "get_run"),
    (302, "get_run"),
    (303, "get_run"),
    (307, "get_run"),
    (308, "get_run"),
    (307, "create_run"),
    (308, "create_run"),
    (307, "delete_run"),
]


@pytest.fixture
def other_host() -> Iterator[LoopbackServer]:
    """A second loopback server, on another port: another host for urllib3."""
    with LoopbackServer() as loopback:
        loopback.default_reply = Reply.json({"run": {"id": "r-1"}})
        yield loopback


@pytest.mark.parametrize(("status", "call"), REDIRECTS, ids=[f"{s}-{c}" for s, c in REDIRECTS])
@pytest.mark.parametrize("spelling", ["127.0.0.1", "localhost"])
def test_credentials_are_not_forwarded_to_another_host(
    server: LoopbackServer,
    other_host: LoopbackServer,
    status: int,
    call: str,
    spelling: str,
    figures: Figures,
) -> None:
    location = f"http://{spelling}:{other_host.port}{RUNS}/r-1"
    server.enqueue(Reply(status, (("Location", location),), b""))
    configuration = Configuration(
        server.url, api_key={"authorization": TOKEN}, api_key_prefix={"authorization": "Bearer"}
    )
    with ApiClient(configuration, cookie=f"session={TOKEN}") as client:
        api = RunServiceApi(client)
        with contextlib.suppress(ApiException):
            {
                "get_run": lambda: api.get_run("r-1"),
                "create_run": lambda: api.create_run(ApiRun(name="n")),
                "delete_run": lambda: api.delete_run("r-1"),
            }[call]()

    assert server.requests[0].header("Authorization") == f"Bearer {TOKEN}"
    for forwarded in other_host.requests:
        assert forwarded.header("Authorization") is None
        assert forwarded.header("Cookie") is None
        assert TOKEN not in forwarded.body.decode("utf-8", "replace")
    figures.add("security_checks")


def _ambiguous_locations(origin: LoopbackServer, elsewhere: LoopbackServer) -> dict[str, str]:
    """Locations that urlsplit and urllib3 read differently, each keeping the path."""
    a, b = origin.port, elsewhere.port
    path = f"{RUNS}/r-1"
    return {
        # urlsplit sees port A (the origin: credentials kept); urllib3 connects to port B.
        "backslash before @": f"http://127.0.0.1:{b}\\@127.0.0.1:{a}{path}",
        "user info": f"http://127.0.0.1:{a}@127.0.0.1:{b}{path}",
        "scheme-relative backslash": f"//127.0.0.1:{b}\\@127.0.0.1:{a}{path}",
    }


@pytest.mark.parametrize("shape", ["backslash before @", "user info", "scheme-relative backslash"])
@pytest.mark.parametrize("status", [302, 307])
def test_a_location_the_parsers_read_differently_is_refused_not_followed(
    server: LoopbackServer, other_host: LoopbackServer, shape: str, status: int, figures: Figures
) -> None:
    location = _ambiguous_locations(server, other_host)[shape]
    server.enqueue(Reply(status, (("Location", location),), b""))
    configuration = Configuration(
        server.url, api_key={"authorization": TOKEN}, api_key_prefix={"authorization": "Bearer"}
    )
    with (
        ApiClient(configuration, cookie=f"session={TOKEN}") as client,
        pytest.raises(ApiException) as caught,
    ):
        RunServiceApi(client).get_run("r-1")

    assert other_host.requests == []  # nothing went to the host urllib3 would have reached
    assert len(server.requests) == 1
    error = caught.value
    assert (type(error), error.status) == (ApiException, status)
    assert error.reason is not None
    assert error.reason.startswith("Redirect not followed: GET ")
    assert ("backslash" in error.reason) or ("user info" in error.reason), error.reason
    assert TOKEN not in str(error)
    figures.add("security_checks")


# -- a token echoed in a malformed answer ---------------------------------------------------------

#: Answers that put the token the client sent where no valid answer has text: the status line,
#: a chunk size, a header line that is not a header.
ECHOED_IN_MALFORMED_ANSWERS: dict[str, tuple[Step, ...]] = {
    "status line": (Send(f"Bearer {TOKEN}\r\n\r\n".encode()), Close()),
    "status line after the version": (Send(f"HTTP/1.1 {TOKEN}\r\n\r\n".encode()), Close()),
    "chunk size": (
        Send(head(200, is_chunked=True) + f"{TOKEN}\r\n{{}}\r\n0\r\n\r\n".encode()),
        Close(),
    ),
    "chunk size after the scheme": (
        Send(head(200, is_chunked=True) + f"Bearer {TOKEN}\r\n".encode()),
        Close(),
    ),
}


@pytest.mark.parametrize("where", list(ECHOED_IN_MALFORMED_ANSWERS))
def test_a_token_echoed_in_a_malformed_answer_is_never_shown(
    where: str, captured_output: Callable[[], list[str]], figures: Figures
) -> None:
    with FaultyServer(*ECHOED_IN_MALFORMED_ANSWERS[where]) as faulty:
        configuration = Configuration(
            faulty.url,
            api_key={"authorization": TOKEN},
            api_key_prefix={"authorization": "Bearer"},
        )
        configuration.retry_policy = None
        configuration.debug = True
        try:
            with (
                ApiClient(configuration, cookie=f"session={TOKEN}") as client,
                pytest.raises(ApiConnectionError) as caught,
            ):
                RunServiceApi(client).get_run("r-1")
        finally:
            configuration.debug = False
        assert TOKEN.encode() in faulty.request_heads[0]  # it was sent

    error = caught.value
    texts = _texts_of(error) + captured_output()
    texts.append(pickle.dumps(error).decode("latin-1"))
    texts.append(repr(pickle.loads(pickle.dumps(error)).__dict__))
    for text in texts:
        assert TOKEN not in text
    assert error.reason is not None
    assert "***" in error.reason  # what the server sent is still described, redacted
    figures.add("security_checks")


# -- TLS ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


def _tls_server(certificate: trustme.LeafCert) -> LoopbackServer:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)
    server = LoopbackServer(ssl_context=context)
    server.default_reply = Reply.json({"run": {"id": "r-1"}})
    return server


def _get_over_tls(url: str, ca_file: str | None) -> Any:
    configuration = Configuration(url)
    configuration.ssl_ca_cert = ca_file
    with ApiClient(configuration) as client:
        return RunServiceApi(client).get_run("r-1")


PAST = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
CERTIFICATE_PROBLEMS = {
    "not trusted": (lambda ca: ca.issue_cert("127.0.0.1"), False, ("certificate verify failed",)),
    # OpenSSL checks the name with urllib3 2.x; urllib3 1.26 checks it itself.
    "wrong host": (
        lambda ca: ca.issue_cert("kfp.example.org"),
        True,
        ("mismatch", "doesn't match"),
    ),
    "expired": (
        lambda ca: ca.issue_cert(
            "127.0.0.1", not_before=PAST, not_after=PAST + datetime.timedelta(1)
        ),
        True,
        ("expired",),
    ),
}


def test_tls_is_verified_by_default_and_works_with_the_ca(
    authority: trustme.CA, figures: Figures
) -> None:
    with _tls_server(authority.issue_cert("127.0.0.1")) as server:
        with pytest.raises(ApiConnectionError) as caught:
            _get_over_tls(server.url, None)
        with authority.cert_pem.tempfile() as ca_file:
            assert _get_over_tls(server.url, ca_file).run.id == "r-1"
        assert len(server.requests) == 1  # nothing was sent over the unverified connection

    assert Configuration().verify_ssl is True
    assert caught.value.status == 0
    assert "certificate verify failed" in (caught.value.reason or "")
    figures.add("security_checks", 2)


@pytest.mark.parametrize("problem", list(CERTIFICATE_PROBLEMS))
def test_a_certificate_problem_is_named(
    authority: trustme.CA, problem: str, figures: Figures
) -> None:
    issue, trust_the_ca, words = CERTIFICATE_PROBLEMS[problem]
    with _tls_server(issue(authority)) as server, authority.cert_pem.tempfile() as ca_file:
        with pytest.raises(ApiConnectionError) as caught:
            _get_over_tls(server.url, ca_file if trust_the_ca else None)
        assert server.requests == []

    reason = caught.value.reason or ""
    assert caught.value.status == 0
    assert "TLS" in reason
    assert any(word in reason for word in words), reason
    figures.add("security_checks")


def test_emulator_over_tls(authority: trustme.CA, tmp_path: Path, figures: Figures) -> None:
    certificate = authority.issue_cert("127.0.0.1")
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    certificate.cert_chain_pems[0].write_to_path(str(cert_file))
    certificate.private_key_pem.write_to_path(str(key_file))
    with Emulator(tls_cert=str(cert_file), tls_key=str(key_file)) as emulator:
        (run_id,) = emulator.seed_runs([RunSeed("over tls")])
        assert emulator.url.startswith("https://127.0.0.1:")
        with pytest.raises(ApiConnectionError, match="certificate verify failed"):
            _get_over_tls(emulator.url, None)
        with authority.cert_pem.tempfile() as ca_file:
            configuration = Configuration(emulator.url)
            configuration.ssl_ca_cert = ca_file
            with ApiClient(configuration) as client:
                assert RunServiceApi(client).get_run(run_id).run.name == "over tls"
    figures.add("security_checks", 2)


# -- the emulator's exposure --------------------------------------------------------------------


def _other_local_addresses() -> list[str]:
    """Addresses of this host that are not loopback (possibly none)."""
    with contextlib.suppress(OSError):
        addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
        return sorted(a for a in addresses if not a.startswith("127.") and ":" not in a)
    return []


def _accepts_connections(address: str, port: int) -> bool:
    try:
        with socket.create_connection((address, port), timeout=5):
            return True
    except OSError:
        return False


def test_emulator_binds_loopback_by_default(figures: Figures) -> None:
    with Emulator() as emulator:
        host, port = urlsplit(emulator.url).hostname, urlsplit(emulator.url).port
        assert host == "127.0.0.1"
        for address in _other_local_addresses():
            assert not _accepts_connections(address, port or 0), address
    with EmulatorProcess() as process:
        assert urlsplit(process.url).hostname == "127.0.0.1"
    figures.add("security_checks", 2)


@pytest.fixture(scope="module")
def guarded() -> Iterator[EmulatorProcess]:
    """The emulator's command line with --token."""
    with EmulatorProcess("--token", TOKEN, "--lifecycle", "manual") as process:
        yield process


def _raw_request(
    url: str, request: bytes, timeout: float = 10
) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes; read the answer until the server closes or its body is complete."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as connection:
        connection.sendall(request)
        return _read_answer(connection)


def _read_answer(connection: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            raise AssertionError(f"connection closed before an answer: {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {
        name.lower(): value.strip()
        for name, _, value in (line.partition(":") for line in lines[1:])
    }
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return int(lines[0].split()[1]), headers, body


UNAUTHORIZED_HEADERS = [
    (),
    (("Authorization", "Bearer wrong"),),
    (("Authorization", TOKEN),),
    (("Authorization", f"bearer {TOKEN}"),),
    (("Authorization", f"Bearer  {TOKEN}"),),
    (("Authorization", f"Bearer {TOKEN} "),),
    (("Authorization", f"Bearer {TOKEN[:-1]}"),),
    (("Authorization", f"Basic {TOKEN}"),),
    (("X-Authorization", f"Bearer {TOKEN}"),),
    (("Cookie", f"authorization=Bearer {TOKEN}"),),
]
GUARDED_REQUESTS = [
    ("GET", RUNS, b""),
    ("POST", RUNS, b'{"name":"x","pipeline_spec":{"workflow_manifest":"{}"}}'),
    ("GET", RUNS + "/some-run", b""),
    ("DELETE", RUNS + "/some-run", b""),
    ("POST", RUNS + "/some-run:archive", b""),
    ("POST", RUNS + "/some-run:reportMetrics", b'{"metrics":[]}'),
    ("GET", RUNS + "/r/nodes/n/artifacts/a:read", b""),
    ("GET", "/apis/v1beta1/healthz", b""),
    ("GET", "/apis/v1beta1/no-such-route", b""),
    ("PUT", RUNS, b""),
    ("GET", "/emulator/ui/no-such-asset.js", b""),  # the page's static shell at / is public
    ("GET", RUNS + f"?authorization=Bearer%20{TOKEN}", b""),
]


def _request_bytes(
    method: str, target: str, body: bytes, headers: tuple[tuple[str, str], ...]
) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _assert_unauthenticated(status: int, headers: dict[str, str], body: bytes) -> None:
    assert status == 401
    assert headers["content-type"] == "application/json"
    assert headers.get("www-authenticate", "").startswith("Bearer")
    payload = json.loads(body)
    assert payload["code"] == 16
    assert payload["error"] == payload["message"]
    assert TOKEN not in body.decode("utf-8")


@pytest.mark.parametrize(
    "request_line", GUARDED_REQUESTS, ids=[f"{m} {t}" for m, t, _ in GUARDED_REQUESTS]
)
def test_token_guard_rejects_every_request_without_the_token(
    guarded: EmulatorProcess, request_line: tuple[str, str, bytes], figures: Figures
) -> None:
    method, target, body = request_line
    for headers in UNAUTHORIZED_HEADERS:
        _assert_unauthenticated(
            *_raw_request(guarded.url, _request_bytes(method, target, body, headers))
        )
        figures.add("security_checks")


@settings(deadline=None, max_examples=100, database=None)
@given(
    value=st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60).filter(
        lambda value: value.strip() != f"Bearer {TOKEN}"
    )
)
def test_random_authorization_values_are_rejected(
    guarded: EmulatorProcess, value: str, figures: Figures
) -> None:
    request = _request_bytes("GET", RUNS, b"", (("Authorization", value),))
    _assert_unauthenticated(*_raw_request(guarded.url, request))
    figures.add("security_checks")


def test_token_guard_lets_the_token_through(guarded: EmulatorProcess, figures: Figures) -> None:
    configuration = Configuration(
        guarded.url, api_key={"authorization": TOKEN}, api_key_prefix={"authorization": "Bearer"}
    )
    with ApiClient(configuration) as client:
        assert RunServiceApi(client).list_runs().runs is None
    with (
        ApiClient(Configuration(guarded.url)) as client,
        pytest.raises(UnauthorizedException) as caught,
    ):
        RunServiceApi(client).list_runs()
    assert caught.value.code == 16
    figures.add("security_checks", 2)


# -- request bodies above the limit -------------------------------------------------------------

HUGE = 10 * 1024**3


def _declare_huge_body(
    url: str, extra: tuple[tuple[str, str], ...] = ()
) -> tuple[int, dict[str, str], bytes, bytes]:
    """Declare a 10 GiB body, send 1 KiB of it, and read the answer and what follows it."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as connection:
        head = [f"POST {RUNS} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {HUGE}"]
        head += [f"{name}: {value}" for name, value in extra]
        connection.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + b"{" * 1024)
        status, headers, body = _read_answer(connection)
        rest = b""
        with contextlib.suppress(ConnectionResetError):
            while chunk := connection.recv(65536):  # the server closes: recv ends with b""
                rest += chunk
    return status, headers, body, rest


@pytest.mark.parametrize("expect", [False, True], ids=["plain", "expect-100-continue"])
def test_huge_body_is_refused_before_it_is_read(expect: bool, figures: Figures) -> None:
    extra = (("Expect", "100-continue"),) if expect else ()
    with Emulator() as emulator:
        status, headers, body, rest = _declare_huge_body(emulator.url, extra)
        assert emulator.run_count() == 0

    assert status == 413
    assert headers.get("connection") == "close"
    payload = json.loads(body)
    assert payload["code"] == 8
    assert str(DEFAULT_MAX_BODY_BYTES) in payload["error"]
    assert rest == b""  # nothing after the answer: the server closed the connection
    figures.add("security_checks")


def test_chunked_body_above_the_limit_is_refused(figures: Figures) -> None:
    with Emulator(max_body_bytes=1024) as emulator:
        chunk = b"400\r\n" + b"{" * 1024 + b"\r\n"
        head = f"POST {RUNS} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        request = head.encode() + chunk * 4
        status, headers, body = _raw_request(emulator.url, request)
        assert emulator.run_count() == 0
    assert (status, json.loads(body)["code"]) == (413, 8)
    assert headers.get("connection") == "close"
    figures.add("security_checks")


def test_client_gets_a_typed_error_for_a_body_above_the_limit(figures: Figures) -> None:
    with (
        Emulator(max_body_bytes=64 * 1024) as emulator,
        ApiClient(Configuration(emulator.url)) as client,
    ):
        with pytest.raises(ApiException) as caught:
            RunServiceApi(client).create_run(ApiRun(name="big", description="x" * 100_000))
        assert emulator.run_count() == 0
    assert caught.value.status == 413
    assert caught.value.code == 8
    figures.add("security_checks")


def test_a_token_echoed_into_a_field_of_the_wrong_type_is_never_shown(
    server: LoopbackServer, figures: Figures
) -> None:
    server.enqueue(Reply.json({"run": {"created_at": TOKEN}}))  # not a date: a decode error
    configuration = _secret_configuration(server)
    with ApiClient(configuration) as client, pytest.raises(ApiException) as caught:
        RunServiceApi(client).get_run("r-1")
    assert server.last.header("Authorization") == f"Bearer {TOKEN}"
    texts = [*_texts_of(caught.value), pickle.dumps(caught.value).decode("latin-1")]
    for text in texts:
        assert TOKEN not in text
    figures.add("security_checks")
