"""Fuzzing: hostile input at the emulator over raw HTTP, and random models through ApiClient.

Every fuzzed request goes through :func:`send_and_check`, which holds the emulator to these
properties:

- no 5xx, except the internal errors the real server documents for some inputs (an unknown
  experiment in the references, a parameter the workflow does not declare);
- every error body is a KFP error (``error``/``code``/``message``/``details``, the HTTP status
  matching the gRPC code), or one of the plain-text answers documented for unknown routes,
  wrong methods, unclean paths and malformed requests;
- every 2xx body is JSON;
- a rejected request leaves the stored runs exactly as they were.
"""

from __future__ import annotations

import base64
import functools
import http.client
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta, timezone
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kfp_server_api import ApiClient, Configuration, models
from kfp_server_api.emulator import Emulator, Lifecycle, RunSeed
from kfp_server_api.model import EnumModel, Model, resolve_model

from .figures import Figures

pytestmark = pytest.mark.timeout(120)

FUZZ = settings(
    deadline=None,
    max_examples=300,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PIPELINE_ID = "8a1f0c55-0000-4000-8000-00000000f1f1"
VERSION_ID = "8a1f0c55-0000-4000-8000-00000000f2f2"
EXPERIMENT_ID = "8a1f0c55-0000-4000-8000-00000000e1e1"
RUNS = "/apis/v1beta1/runs"

#: HTTP status grpc-gateway gives each gRPC code (anything else: 500).
HTTP_STATUS_OF_CODE = {
    0: 200, 1: 408, 2: 500, 3: 400, 4: 504, 5: 404, 6: 409, 7: 403,
    8: 429, 9: 400, 10: 409, 11: 400, 12: 501, 13: 500, 14: 503, 15: 500, 16: 401,
}  # fmt: skip
#: The emulator answers a body above its size limit 413 with code RESOURCE_EXHAUSTED.
REQUEST_TOO_LARGE = (413, 8)
#: Internal errors the real server gives for some inputs (not crashes).
DOCUMENTED_SERVER_ERRORS = (
    "InternalServerError: Failed to get experiment.",
    "InternalServerError: failed to generate the workflow.",
)
#: Plain-text answers the gateway and Go's mux give: status and the start of the body.
PLAIN_TEXT_ANSWERS = (
    (404, "Not Found\n"),
    (404, "404 page not found\n"),
    (405, "Method Not Allowed\n"),
    (301, "Moved Permanently.\n"),
    (400, "400 Bad Request"),
    (414, "414 "),
)


# -- the emulator and a raw HTTP client ---------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes


class RawHttp:
    """Sends requests exactly as given over one kept-alive connection (reopened when the
    server closes it)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self._connection: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def send(
        self,
        method: str,
        target: str,
        body: bytes = b"",
        headers: tuple[tuple[str, str], ...] = (),
    ) -> Answer:
        for attempt in range(2):
            if self._connection is None:
                self._connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            connection = self._connection
            try:
                connection.putrequest(method, target, skip_accept_encoding=True)
                for name, value in headers:
                    connection.putheader(name, value)
                if body or method in ("POST", "PUT", "PATCH"):
                    connection.putheader("Content-Length", str(len(body)))
                connection.endheaders(body or None)
                response = connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionError):
                # A kept-alive connection the server had closed after its last answer.
                self.close()
                if attempt:
                    raise
                continue
            if response.will_close:
                self.close()
            return Answer(response.status, response.getheader("Content-Type") or "", data)
        raise AssertionError("unreachable")


@dataclass
class Target:
    """The emulator under fuzzing, a raw client of it, and runs stored before it started."""

    emulator: Emulator
    http: RawHttp
    seeded: tuple[str, ...]

    def snapshot(self) -> tuple[Any, ...]:
        """The stored runs that must not change when a request is rejected."""
        return (self.emulator.run_count(), *map(self._stored, self.seeded))

    def _stored(self, run_id: str) -> str | None:
        try:
            return json.dumps(self.emulator.get_run(run_id))
        except KeyError:
            return None


@pytest.fixture(scope="module")
def target() -> Iterator[Target]:
    with Emulator(lifecycle=Lifecycle.manual()) as emulator:
        emulator.add_pipeline("fuzz", pipeline_id=PIPELINE_ID, version_id=VERSION_ID)
        emulator.add_experiment("fuzz", experiment_id=EXPERIMENT_ID)
        seeded = emulator.seed_runs(
            [
                RunSeed("seeded-a", metrics={"accuracy": 0.5}, experiment_id=EXPERIMENT_ID),
                RunSeed("seeded-b", status="Failed", archived=True, parameters={"p": "1"}),
                RunSeed("seeded-c", status="Running", description="still going"),
            ]
        )
        http = RawHttp(emulator.url)
        yield Target(emulator, http, tuple(seeded))
        http.close()


def _is_documented_plain_text(answer: Answer) -> bool:
    text = answer.body.decode("utf-8", "replace")
    return answer.content_type.startswith("text/plain") and any(
        answer.status == status and text.startswith(start) for status, start in PLAIN_TEXT_ANSWERS
    )


def _assert_kfp_error(answer: Answer) -> None:
    payload = json.loads(answer.body)
    assert isinstance(payload, dict), payload
    assert {"error", "code", "message"} <= payload.keys() <= {"error", "code", "message", "details"}
    assert isinstance(payload["error"], str)
    assert payload["error"] == payload["message"]
    code = payload["code"]
    assert isinstance(code, int)
    if (answer.status, code) != REQUEST_TOO_LARGE:
        assert HTTP_STATUS_OF_CODE.get(code, 500) == answer.status, payload
    for detail in payload.get("details", []):
        assert detail["@type"] == "type.googleapis.com/api.Error"
        assert detail.keys() <= {"@type", "error_message", "error_details"}
    if answer.status >= 500:
        assert _documented_server_error(answer), f"undocumented server error: {payload['error']}"


def send_and_check(
    target: Target,
    figures: Figures,
    method: str,
    path: str,
    body: bytes = b"",
    headers: tuple[tuple[str, str], ...] = (),
) -> Answer:
    """Send one fuzzed request and hold the answer to the properties in the module docstring."""
    before = target.snapshot()
    answer = target.http.send(method, path, body, headers)
    figures.add("fuzzed_requests")
    figures.add("server_errors", int(answer.status >= 500 and not _documented_server_error(answer)))
    if 200 <= answer.status <= 299:
        if path == "/" and method in ("GET", "HEAD"):  # the emulator's web page
            assert answer.content_type.startswith("text/html"), answer
        elif method != "HEAD":
            json.loads(answer.body)
        return answer
    if method == "HEAD":
        assert answer.status < 500
    elif answer.content_type == "application/json":
        _assert_kfp_error(answer)
    else:
        assert _is_documented_plain_text(answer), (answer, method, path)
    assert target.snapshot() == before, f"{method} {path} was rejected but changed stored runs"
    return answer


def _documented_server_error(answer: Answer) -> bool:
    text = answer.body.decode("utf-8", "replace")
    return any(documented in text for documented in DOCUMENTED_SERVER_ERRORS)


# -- strategies ---------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
SHORT_TEXT = st.text(max_size=16)
ENUM_LIKE = st.integers(-3, 9) | SHORT_TEXT

WORKFLOW = json.dumps(
    {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"generateName": "fuzz-"},
        "spec": {
            "entrypoint": "main",
            "arguments": {"parameters": [{"name": "p", "value": "1"}]},
            "templates": [{"name": "main", "container": {"image": "alpine"}}],
        },
    }
)

REFERENCE = st.fixed_dictionaries(
    {},
    optional={
        "key": st.fixed_dictionaries(
            {},
            optional={
                "type": st.sampled_from(["EXPERIMENT", "PIPELINE_VERSION", "JOB", "PIPELINE"])
                | ENUM_LIKE,
                "id": st.sampled_from([EXPERIMENT_ID, VERSION_ID, PIPELINE_ID]) | SHORT_TEXT,
            },
        )
        | JSON_VALUES,
        "relationship": st.sampled_from(["OWNER", "CREATOR"]) | ENUM_LIKE,
        "name": SHORT_TEXT,
    },
)
PARAMETERS = st.lists(
    st.fixed_dictionaries({}, optional={"name": st.sampled_from(["p", "q"]) | SHORT_TEXT})
    | st.fixed_dictionaries({"name": st.just("p"), "value": SHORT_TEXT}),
    max_size=3,
)
PIPELINE_SPEC = st.fixed_dictionaries(
    {},
    optional={
        "pipeline_id": st.just(PIPELINE_ID) | SHORT_TEXT,
        "workflow_manifest": st.just(WORKFLOW) | SHORT_TEXT,
        "pipeline_manifest": SHORT_TEXT | JSON_VALUES.map(json.dumps),
        "parameters": PARAMETERS | JSON_VALUES,
        "runtime_config": st.fixed_dictionaries(
            {}, optional={"parameters": st.dictionaries(SHORT_TEXT, JSON_VALUES, max_size=2)}
        )
        | JSON_VALUES,
    },
)
RUN = st.fixed_dictionaries(
    {},
    optional={
        "name": SHORT_TEXT | JSON_VALUES,
        "description": SHORT_TEXT,
        "pipeline_spec": PIPELINE_SPEC | JSON_VALUES,
        "resource_references": st.lists(REFERENCE, max_size=3) | JSON_VALUES,
        "service_account": SHORT_TEXT,
        "id": SHORT_TEXT,
        "storage_state": st.sampled_from(["STORAGESTATE_ARCHIVED", "STORAGESTATE_AVAILABLE"])
        | ENUM_LIKE,
        "created_at": SHORT_TEXT | st.just("2022-03-01T10:00:00Z"),
        "metrics": JSON_VALUES,
    },
)

#: Runs that are valid but for a detail or two, so that creates are accepted too.
NEAR_VALID_RUN = st.fixed_dictionaries(
    {
        "name": st.just("fuzz") | SHORT_TEXT,
        "pipeline_spec": st.fixed_dictionaries(
            {"pipeline_id": st.just(PIPELINE_ID)}, optional={"parameters": PARAMETERS}
        ),
    },
    optional={
        "resource_references": st.lists(REFERENCE, max_size=2),
        "description": SHORT_TEXT,
        "service_account": SHORT_TEXT,
    },
)


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value).encode("utf-8")


BODIES = (
    NEAR_VALID_RUN.map(_json_bytes)
    | RUN.map(_json_bytes)
    | JSON_VALUES.map(_json_bytes)
    | st.binary(max_size=80)
    | SHORT_TEXT.map(lambda text: text.encode("utf-8"))
)

METRIC = st.fixed_dictionaries(
    {},
    optional={
        "name": st.from_regex(r"[a-zA-Z][-_a-zA-Z0-9]{0,8}", fullmatch=True) | SHORT_TEXT,
        "node_id": st.sampled_from(["node-1", "x" * 129]) | SHORT_TEXT,
        "number_value": st.floats(allow_nan=False, allow_infinity=False)
        | st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "0x10"])
        | SHORT_TEXT,
        "format": st.sampled_from(["RAW", "PERCENTAGE", "UNSPECIFIED"]) | ENUM_LIKE,
    },
)
METRIC_BODIES = (
    st.fixed_dictionaries({}, optional={"metrics": st.lists(METRIC, max_size=4) | JSON_VALUES}).map(
        _json_bytes
    )
    | JSON_VALUES.map(_json_bytes)
    | st.binary(max_size=40)
)

OPS = [
    "EQUALS",
    "NOT_EQUALS",
    "GREATER_THAN",
    "GREATER_THAN_EQUALS",
    "LESS_THAN",
    "LESS_THAN_EQUALS",
    "IN",
    "IS_SUBSTRING",
    "UNKNOWN",
]
FILTER_KEYS = [
    "name",
    "id",
    "description",
    "created_at",
    "finished_at",
    "scheduled_at",
    "status",
    "storage_state",
    "metric:accuracy",
    "run_id",
]
PREDICATE = st.fixed_dictionaries(
    {"op": st.sampled_from(OPS) | ENUM_LIKE, "key": st.sampled_from(FILTER_KEYS) | SHORT_TEXT},
    optional={
        "string_value": SHORT_TEXT,
        "int_value": st.integers(-(2**40), 2**40) | SHORT_TEXT,
        "long_value": st.integers(-(2**70), 2**70).map(str) | SHORT_TEXT,
        "timestamp_value": st.sampled_from(["2022-03-01T10:00:00Z", "yesterday"]) | SHORT_TEXT,
        "int_values": st.fixed_dictionaries({"values": st.lists(st.integers(), max_size=3)})
        | JSON_VALUES,
        "string_values": st.fixed_dictionaries({"values": st.lists(SHORT_TEXT, max_size=3)})
        | JSON_VALUES,
        "long_values": JSON_VALUES,
    },
)
FILTERS = (
    st.fixed_dictionaries({}, optional={"predicates": st.lists(PREDICATE, max_size=3)}).map(
        json.dumps
    )
    | JSON_VALUES.map(json.dumps)
    | SHORT_TEXT
)
TOKEN_KEYS = [
    "SortByFieldName",
    "SortByFieldValue",
    "SortByFieldIsRunMetric",
    "KeyFieldName",
    "KeyFieldValue",
    "IsDesc",
    "Filter",
    "ModelName",
]
PAGE_TOKENS = (
    st.dictionaries(st.sampled_from(TOKEN_KEYS), JSON_VALUES, max_size=6).map(
        lambda token: base64.b64encode(_json_bytes(token)).decode("ascii")
    )
    | st.binary(max_size=30).map(lambda data: base64.b64encode(data).decode("ascii"))
    | SHORT_TEXT
)
QUERY_VALUES = {
    "page_size": st.integers(-5, 500).map(str)
    | st.sampled_from(["0x10", "010", "2147483648", "-0", "1e3", " 5"])
    | SHORT_TEXT,
    "page_token": PAGE_TOKENS,
    "sort_by": st.sampled_from(["name", "created_at desc", "id asc", "metric:accuracy", "x y z"])
    | SHORT_TEXT,
    "filter": FILTERS,
    "resource_reference_key.type": st.sampled_from(["EXPERIMENT", "JOB", "PIPELINE", "NAMESPACE"])
    | ENUM_LIKE.map(str),
    "resource_reference_key.id": st.sampled_from([EXPERIMENT_ID, "kubeflow"]) | SHORT_TEXT,
    "unknown": SHORT_TEXT,
}
QUERY_PAIRS = st.lists(
    st.sampled_from(sorted(QUERY_VALUES)).flatmap(
        lambda key: st.tuples(st.just(key), QUERY_VALUES[key])
    ),
    max_size=5,
)


def _query(pairs: list[tuple[str, str]]) -> str:
    return urlencode(pairs, quote_via=quote)


SEGMENTS = (
    st.text(max_size=24).map(lambda text: quote(text, safe=""))
    | st.sampled_from(["..", ".", "%2e%2e", "%2F", "a%2Fb", "%", "%zz", "x:archive", ":", "", "~"])
    | st.from_regex(r"[A-Za-z0-9._~!$&'()*+,;=:@-]{1,12}", fullmatch=True)
)
ROUTE_TEMPLATES = [
    "/apis/v1beta1/runs/{}",
    "/apis/v1beta1/runs/{}:archive",
    "/apis/v1beta1/runs/{}:unarchive",
    "/apis/v1beta1/runs/{}:reportMetrics",
    "/apis/v1beta1/runs/{}/terminate",
    "/apis/v1beta1/runs/{}/retry",
    "/apis/v1beta1/runs/{}/nodes/{}/artifacts/{}:read",
    "/apis/v1beta1/{}",
    "/apis/{}/runs",
    "/{}",
]
METHODS = st.sampled_from(["GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS"])

HEADER_NAMES = st.sampled_from(
    [
        "Accept",
        "Accept-Language",
        "Content-Type",
        "Cookie",
        "Authorization",
        "User-Agent",
        "Grpc-Metadata-Foo",
        "X-Forwarded-For",
        "Origin",
    ]
) | st.from_regex(r"X-[A-Za-z0-9-]{1,16}", fullmatch=True)
HEADER_VALUES = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
    max_size=40,
).map(str.strip)
HEADERS = st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=6)


# -- the fuzz tests -----------------------------------------------------------------------------


@FUZZ
@given(body=BODIES, content_type=st.sampled_from(["application/json", "text/plain", ""]))
def test_fuzzed_create_run_bodies(
    target: Target, figures: Figures, body: bytes, content_type: str
) -> None:
    headers = (("Content-Type", content_type),) if content_type else ()
    answer = send_and_check(target, figures, "POST", RUNS, body, headers)
    if answer.status == 200:
        assert json.loads(answer.body)["run"]["id"]


@FUZZ
@given(body=METRIC_BODIES, which=st.integers(0, 2))
def test_fuzzed_metric_reports(target: Target, figures: Figures, body: bytes, which: int) -> None:
    run_id = target.seeded[which]
    before = target.emulator.get_run(run_id)["run"].get("metrics", [])
    send_and_check(target, figures, "POST", f"{RUNS}/{run_id}:reportMetrics", body)
    after = target.emulator.get_run(run_id)["run"].get("metrics", [])
    assert after[: len(before)] == before  # first report wins: a stored metric never changes


@FUZZ
@given(pairs=QUERY_PAIRS)
def test_fuzzed_list_queries(
    target: Target, figures: Figures, pairs: list[tuple[str, str]]
) -> None:
    answer = send_and_check(target, figures, "GET", f"{RUNS}?{_query(pairs)}")
    if answer.status == 200:
        page = json.loads(answer.body)
        assert page.keys() <= {"runs", "total_size", "next_page_token"}


@FUZZ
@given(
    method=METHODS,
    template=st.sampled_from(ROUTE_TEMPLATES),
    segments=st.lists(SEGMENTS, min_size=3, max_size=3),
    seeded=st.integers(0, 3),
)
# The web page at "/" is the one success that is not JSON.
@example(method="GET", template="/{}", segments=["", "", ""], seeded=3)
def test_fuzzed_paths(
    target: Target,
    figures: Figures,
    method: str,
    template: str,
    segments: list[str],
    seeded: int,
) -> None:
    deleting = method == "DELETE" and template == ROUTE_TEMPLATES[0]
    if seeded < len(target.seeded) and not deleting:  # aim at a stored run now and then
        segments[0] = target.seeded[seeded]
    path = template.format(*segments[: template.count("{}")])
    send_and_check(target, figures, method, path)


@FUZZ
@given(
    headers=HEADERS,
    request=st.sampled_from(["get", "list", "create", "archive"]),
)
def test_fuzzed_headers(
    target: Target, figures: Figures, headers: list[tuple[str, str]], request: str
) -> None:
    run_id = target.seeded[0]
    method, path, body = {
        "get": ("GET", f"{RUNS}/{run_id}", b""),
        "list": ("GET", f"{RUNS}?page_size=2", b""),
        "create": (
            "POST",
            RUNS,
            _json_bytes(
                {"name": "from fuzzed headers", "pipeline_spec": {"pipeline_id": PIPELINE_ID}}
            ),
        ),
        "archive": ("POST", f"{RUNS}/{target.seeded[2]}:unarchive", b""),
    }[request]
    answer = send_and_check(target, figures, method, path, body, tuple(headers))
    assert answer.status == 200  # headers the API does not use change nothing


# -- random models through ApiClient ------------------------------------------------------------

MODEL_NAMES = sorted(
    name for name in models.__all__ if not issubclass(resolve_model(name), EnumModel)
)
BASE64_FIELDS = {("ApiReadArtifactResponse", "data"), ("ProtobufAny", "value")}
PRIMITIVE_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "str": st.text(max_size=12),
    "int": st.integers(-(2**31), 2**31 - 1),
    "float": st.floats(allow_nan=False),
    "bool": st.booleans(),
    "datetime": st.datetimes(
        timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=-3, minutes=-30))])
    ),
    "object": JSON_VALUES,
}


@functools.cache
def values_of(type_name: str) -> st.SearchStrategy[Any]:
    """Any value a field declared as ``type_name`` may hold."""
    if type_name in PRIMITIVE_VALUES:
        return PRIMITIVE_VALUES[type_name]
    if type_name.startswith("list["):
        return st.lists(st.deferred(lambda: values_of(type_name[5:-1])), max_size=3)
    if type_name.startswith("dict("):
        item_type = type_name[5:-1].split(",", 1)[1].strip()
        return st.dictionaries(
            st.text(max_size=6), st.deferred(lambda: values_of(item_type)), max_size=3
        )
    model = resolve_model(type_name)
    if issubclass(model, EnumModel):
        return st.sampled_from(model.allowable_values) | st.text(max_size=8)
    return instances_of(type_name)


@functools.cache
def instances_of(model_name: str) -> st.SearchStrategy[Model]:
    """Instances of a model with any subset of its fields set."""
    model = resolve_model(model_name)
    fields = {}
    for info in model.model_fields():
        if (model_name, info.name) in BASE64_FIELDS:
            values = st.binary(max_size=12).map(lambda data: base64.b64encode(data).decode())
        else:
            values = values_of(info.type_name)
        fields[info.name] = st.none() | values
    return st.fixed_dictionaries({}, optional=fields).map(lambda kwargs: model(**kwargs))


@dataclass(frozen=True)
class Received:
    """What ``ApiClient.deserialize`` reads: a response's body text."""

    data: str


@pytest.fixture(scope="module")
def api_client() -> Iterator[ApiClient]:
    with ApiClient(Configuration()) as client:
        yield client


@settings(deadline=None, max_examples=1000, database=None)
@given(data=st.data(), model_name=st.sampled_from(MODEL_NAMES))
def test_random_models_round_trip_through_the_client(
    api_client: ApiClient, figures: Figures, data: st.DataObject, model_name: str
) -> None:
    original = data.draw(instances_of(model_name))
    text = json.dumps(api_client.sanitize_for_serialization(original))

    decoded = api_client.deserialize(Received(text), model_name)

    assert type(decoded) is type(original)
    assert decoded == original
    assert api_client.sanitize_for_serialization(decoded) == json.loads(text)
    figures.add("fuzzed_models")
