"""Write the reference pages in docs/ from the code, or check that they are up to date.

Usage::

    python docs/generate.py           # (re)write every page
    python docs/generate.py --check   # exit 1, listing stale, missing and extra pages

Every page is computed from the package, so the pages cannot drift from it:

- ``docs/<Api>.md`` for every API class in ``kfp_server_api.api``: the endpoint registry of the
  class (verb, path, parameters, response type, summary, description, retry safety), the method
  signatures and docstrings (returns, raises), the headers that ``call_endpoint`` sends, the auth
  schemes of ``Configuration.auth_settings`` and the exception class of each status.
- ``docs/<Model>.md`` for every class in ``kfp_server_api.models``: its docstring and declared
  fields, or its constants for enum classes.
- ``docs/README.md``: the index, authorization, the call options and the exception tree (from
  the docstrings of ``kfp_server_api.endpoint`` and ``kfp_server_api.exceptions``).
- ``docs/emulator.md``: the emulator's usage, control API and known differences from a real KFP
  API server, from the docstring of ``kfp_server_api.emulator``.

The guides (``GUIDES``) are written by hand; the index links them and ``--check`` leaves them
alone.

Each method page has an example built from the endpoint data: required string arguments are
placeholders (`placeholder`), bodies and chosen optional arguments come from the tables below.
The test suite runs every example against the emulator, after replacing `EXAMPLE_HOST` and the
placeholders with live values (test/test_docs.py).

The output depends only on the code: names are sorted, and nothing records a time or a machine.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import re
import sys
import textwrap
import types
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import kfp_server_api
import kfp_server_api.api
import kfp_server_api.emulator
import kfp_server_api.endpoint
import kfp_server_api.exceptions
import kfp_server_api.models
from kfp_server_api.api_client import ApiClient
from kfp_server_api.configuration import Configuration
from kfp_server_api.endpoint import Endpoint, Param, ServiceApi, call_endpoint
from kfp_server_api.model import EnumModel, Model, resolve_model

DOCS_DIR = Path(__file__).resolve().parent
INDEX_PAGE = "README.md"
EMULATOR_PAGE = "emulator.md"
#: The hand-written pages of docs/, with what each is for (the index lists them in this order).
GUIDES: tuple[tuple[str, str], ...] = (
    ("guide.md", "Using the client: configuration, retries, timeouts, errors, paging, artifacts"),
    ("compatibility.md", "What this package is relative to kfp-server-api 1.8.5, and what differs"),
    ("kfp2-servers.md", "Using the client with a KFP 2.x server: what differs, what to use"),
    ("testing.md", "Running the tests: tiers, tox environments, CI, the test servers"),
    ("testing-your-code.md", "Testing code built on the client without a server: MockTransport"),
    ("performance.md", "The performance budget and the latest measured figures"),
    ("reliability.md", "What the reliability suite checks, and its figures"),
    ("security.md", "What the client promises against hostile servers, proxies and data"),
    ("emulator-ui.md", "The emulator's read-only web page: runs, experiments, pipelines, jobs"),
    (
        "testing-with-the-emulator.md",
        "Testing your code against the emulator: the pytest plugin, reset and snapshots",
    ),
)
#: Pages of docs/ written by hand, not generated (their examples still run in the tests).
HAND_WRITTEN_PAGES = frozenset(name for name, _ in GUIDES)

#: Server address used by every example; tests point it at an emulator.
EXAMPLE_HOST = "http://localhost:8888"
#: Token used by every example.
EXAMPLE_TOKEN = "YOUR_TOKEN"
#: Start of what an example prints when its call raised ``ApiException``.
FAILURE_MARKER = "Exception when calling"

# How the examples fill in each auth scheme an endpoint uses: the api key name and its prefix.
# `_authorization_schemes` checks these against Configuration.auth_settings().
_EXAMPLE_CREDENTIALS = {"Bearer": ("authorization", "Bearer")}

_LINE_LIMIT = 100
# How the Notes column of a parameter table says where a value travels.
_PARAMETER_LOCATIONS = {
    "path": "in the path",
    "query": "in the query",
    "body": "the request body (JSON)",
    "file": "a local file path; the file is sent as a multipart/form-data part",
}
_PRIMITIVE_TYPES = frozenset({"str", "int", "float", "bool", "datetime", "date", "object"})


class ExampleValue(NamedTuple):
    """Python source of an example argument, and the import lines it needs."""

    source: str
    imports: tuple[str, ...] = ()


def placeholder(name: str) -> str:
    """The placeholder an example uses for required string or file parameter `name`."""
    return f"{name}_example"


_PIPELINE_ID = f'"{placeholder("pipeline_id")}"'
_PAGE = {"page_size": ExampleValue("10"), "sort_by": ExampleValue('"created_at desc"')}

#: Optional arguments the examples pass, by method and parameter name; others are left out.
EXAMPLE_OPTIONS: Mapping[str, Mapping[str, ExampleValue]] = {
    "list_runs": {
        **_PAGE,
        "filter": ExampleValue(
            "Filter.where(ne(RunKey.STORAGE_STATE, ApiRunStorageState.ARCHIVED))",
            (
                "from kfp_server_api.filters import Filter, RunKey, ne",
                "from kfp_server_api.models import ApiRunStorageState",
            ),
        ),
    },
    "list_experiment": _PAGE,
    "list_jobs": _PAGE,
    "list_pipelines": _PAGE,
    "list_pipeline_versions": {
        "resource_key_type": ExampleValue(
            "ApiResourceType.PIPELINE", ("from kfp_server_api.models import ApiResourceType",)
        ),
        "resource_key_id": ExampleValue(_PIPELINE_ID),
        **_PAGE,
    },
    "upload_pipeline": {"name": ExampleValue('"training pipeline"')},
    "upload_pipeline_version": {
        "name": ExampleValue('"v2"'),
        "pipelineid": ExampleValue(_PIPELINE_ID),
    },
}

#: Request bodies of the examples, by type; other types get an empty instance.
EXAMPLE_BODIES: Mapping[str, ExampleValue] = {
    "ApiRun": ExampleValue(
        f"""kfp_server_api.ApiRun(
    name="nightly training",
    description="Started from the API reference example.",
    pipeline_spec=kfp_server_api.ApiPipelineSpec(pipeline_id={_PIPELINE_ID}),
)"""
    ),
    "ApiReportRunMetricsRequest": ExampleValue(
        """kfp_server_api.ApiReportRunMetricsRequest(
    metrics=[
        kfp_server_api.ApiRunMetric(
            name="accuracy",
            node_id="train",
            number_value=0.91,
            format=kfp_server_api.RunMetricFormat.PERCENTAGE,
        ),
    ],
)"""
    ),
    "ApiExperiment": ExampleValue(
        """kfp_server_api.ApiExperiment(
    name="churn model",
    description="Runs that train the churn model.",
)"""
    ),
    "ApiJob": ExampleValue(
        f"""kfp_server_api.ApiJob(
    name="hourly training",
    pipeline_spec=kfp_server_api.ApiPipelineSpec(pipeline_id={_PIPELINE_ID}),
    trigger=kfp_server_api.ApiTrigger(
        periodic_schedule=kfp_server_api.ApiPeriodicSchedule(interval_second="3600"),
    ),
    max_concurrency="1",
    enabled=True,
)"""
    ),
    "ApiPipeline": ExampleValue(
        """kfp_server_api.ApiPipeline(
    name="training pipeline",
    url=kfp_server_api.ApiUrl(pipeline_url="https://example.com/training.yaml"),
)"""
    ),
    "ApiPipelineVersion": ExampleValue(
        f"""kfp_server_api.ApiPipelineVersion(
    name="v2",
    package_url=kfp_server_api.ApiUrl(pipeline_url="https://example.com/training-v2.yaml"),
    resource_references=[
        kfp_server_api.ApiResourceReference(
            key=kfp_server_api.ApiResourceKey(
                type=kfp_server_api.ApiResourceType.PIPELINE,
                id={_PIPELINE_ID},
            ),
            relationship=kfp_server_api.ApiRelationship.OWNER,
        ),
    ],
)"""
    ),
}


# --- reading the code -----------------------------------------------------------------------


def api_classes() -> list[type[ServiceApi]]:
    """Every public ServiceApi class defined in the modules of ``kfp_server_api.api``, by name.

    Private classes (``_RunLifecycleMethods``...) are mixins holding part of a public class's
    methods: its page documents them, as it reads every method through the class.
    """
    found: dict[str, type[ServiceApi]] = {}
    for module_info in pkgutil.iter_modules(kfp_server_api.api.__path__):
        module = importlib.import_module(f"{kfp_server_api.api.__name__}.{module_info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, ServiceApi)
                and value.__module__ == module.__name__
                and not value.__name__.startswith("_")
            ):
                found[value.__name__] = value
    missing = sorted(set(kfp_server_api.api.__all__) - found.keys())
    if missing:
        raise TypeError(f"not ServiceApi classes of kfp_server_api.api: {missing}")
    return [found[name] for name in sorted(found)]


def model_classes() -> list[type[Model]]:
    """Every model and enum class of the package, by name."""
    return [resolve_model(name) for name in sorted(kfp_server_api.models.__all__)]


def enum_constants(cls: type[EnumModel]) -> list[tuple[str, str]]:
    """(constant name, value) of an enum class, in declaration order."""
    return [
        (name, value)
        for name, value in vars(cls).items()
        if name.isupper() and isinstance(value, str)
    ]


class Docstring(NamedTuple):
    """A Google-style docstring: the summary, the free text after it, and its sections."""

    summary: str
    body: str
    sections: dict[str, list[tuple[str, str]]]


_SECTION = re.compile(r"^(Args|Arguments|Attributes|Returns|Raises|Yields):\s*$")
_ENTRY = re.compile(r"^([^:]+?):\s+(.*)$")


def parse_docstring(obj: object) -> Docstring:
    """Split the docstring of `obj` into summary, body and sections.

    A section (``Args:``, ``Returns:``, ``Raises:``...) lists entries ``name: text`` (with more
    indented continuation lines); a ``Returns:`` section holds one entry with an empty name.
    """
    lines = (inspect.getdoc(obj) or "").splitlines()
    summary = lines[0].strip() if lines else ""
    body: list[str] = []
    sections: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] | None = None
    section = ""
    for line in lines[1:]:
        header = _SECTION.match(line)
        if header:
            section = header.group(1)
            current = sections.setdefault(section, [])
            continue
        if current is not None and (line.startswith(" ") or not line.strip()):
            text = line.strip()
            if not text:
                continue
            indent = len(line) - len(line.lstrip())
            entry = _ENTRY.match(text) if section != "Returns" and indent <= 4 else None
            if entry:
                current.append((entry.group(1), entry.group(2)))
            elif current:
                current[-1] = (current[-1][0], f"{current[-1][1]} {text}")
            else:
                current.append(("", text))
            continue
        current = None
        body.append(line)
    return Docstring(summary, "\n".join(body).strip(), sections)


def statuses_raising(exception_name: str) -> str | None:
    """The HTTP statuses for which the client raises `exception_name` (e.g. ``500-599``).

    Asks ``ApiException.from_response`` itself, so the answer follows the code. None when the
    name is not an ApiException class raised for some status.
    """
    cls = getattr(kfp_server_api.exceptions, exception_name, None)
    if not (isinstance(cls, type) and issubclass(cls, kfp_server_api.exceptions.ApiException)):
        return None
    raise_for = kfp_server_api.exceptions.ApiException.from_response
    matching = [
        status
        for status in range(400, 600)
        if type(raise_for(types.SimpleNamespace(status=status))) is cls
    ]
    if not matching:
        return None
    ranges: list[list[int]] = []
    for status in matching:
        if ranges and ranges[-1][1] == status - 1:
            ranges[-1][1] = status
        else:
            ranges.append([status, status])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


class _RecordingClient:
    """Stands in for ApiClient to capture what `call_endpoint` would send, without I/O."""

    client_side_validation = False

    def call_api(self, *args: Any, **kwargs: Any) -> inspect.BoundArguments:
        return inspect.signature(ApiClient.call_api).bind(self, *args, **kwargs)


def request_headers(endpoint: Endpoint) -> dict[str, str]:
    """The headers `call_endpoint` passes for `endpoint` (besides auth and defaults)."""
    arguments = {p.name: "x" for p in endpoint.params if p.required}
    call = call_endpoint(_RecordingClient(), endpoint, arguments, {})
    return dict(call.arguments["header_params"])


def _authorization_schemes() -> dict[str, kfp_server_api.configuration.AuthSetting]:
    """The auth settings of a Configuration set up as the examples do, by scheme name."""
    settings: dict[str, kfp_server_api.configuration.AuthSetting] = {}
    for scheme, (key, prefix) in _EXAMPLE_CREDENTIALS.items():
        configuration = Configuration(api_key={key: EXAMPLE_TOKEN}, api_key_prefix={key: prefix})
        setting = configuration.auth_settings().get(scheme)
        if setting is None or setting["value"] != f"{prefix} {EXAMPLE_TOKEN}":
            raise ValueError(f"Configuration does not set up auth scheme {scheme!r} as expected")
        settings[scheme] = setting
    return settings


# --- markdown building blocks ---------------------------------------------------------------

_ROLE = re.compile(r":[a-z]+:`(~?)([^`<]*?)\s*(?:<[^>`]*>)?`")


def inline(text: str) -> str:
    """Turn reStructuredText inline markup into Markdown (roles, double backquotes)."""

    def role(match: re.Match[str]) -> str:
        target = match.group(2)
        return f"`{target.rsplit('.', 1)[-1] if match.group(1) else target}`"

    return _ROLE.sub(role, text).replace("``", "`")


def rst_to_markdown(text: str) -> str:
    """Markdown for a docstring fragment: paragraphs, ``::`` literal blocks, definition lists."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if line.rstrip().endswith("::"):
            intro = line.rstrip()[:-2].rstrip()
            if intro:
                out.append(inline(intro) + ":")
            block, i = _indented_block(lines, i + 1)
            literal = textwrap.dedent("\n".join(block)).strip("\n")
            out += ["", "```text", *literal.splitlines(), "```", ""]
            continue
        if line.strip() and not line.startswith(" ") and following.startswith("    "):
            definition, i = _indented_block(lines, i + 1)
            term = inline(line.strip())
            out.append(f"- {term}: {inline(' '.join(d.strip() for d in definition))}")
            continue
        out.append(inline(line))
        i += 1
    return "\n".join(out).strip()


def _indented_block(lines: Sequence[str], start: int) -> tuple[list[str], int]:
    """The indented (or blank) lines from `start`, and the index after them."""
    end = start
    while end < len(lines) and (lines[end].startswith(" ") or not lines[end].strip()):
        end += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return list(lines[start:end]), end


def rst_section(text: str, title: str) -> str:
    """The content of the section `title` (underlined with dashes) of a docstring."""
    match = re.search(rf"^{re.escape(title)}\n-+\n(.*?)(?=^\S[^\n]*\n-+\n|\Z)", text, re.M | re.S)
    if match is None:
        raise ValueError(f"no section {title!r} in the docstring")
    return match.group(1).strip()


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A Markdown table (cells must not contain ``|``)."""
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def type_link(type_name: str, models: Iterable[str]) -> str:
    """A 1.8.5 type string with each model name linked to its page, e.g. list[[**ApiRun**](...)]."""
    known = set(models)

    def link(match: re.Match[str]) -> str:
        name = match.group(0)
        return f"[**{name}**]({name}.md)" if name in known else f"**{name}**"

    return re.sub(r"[A-Za-z_]\w*", link, type_name)


def python_type(type_name: str) -> str:
    """The Python annotation for a 1.8.5 type string ('dict(str, X)' -> 'dict[str, X]')."""
    if type_name == "object":
        return "dict[str, Any]"
    return re.sub(r"dict\((\w+), ", r"dict[\1, ", type_name).replace(")", "]")


def anchor(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def _referenced_models(type_name: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_]\w*", type_name)) - _PRIMITIVE_TYPES - {"list", "dict"}


# --- API pages ------------------------------------------------------------------------------


def annotation(value: object) -> str:
    """An annotation as source text (modules with postponed evaluation keep it as a string)."""
    return value if isinstance(value, str) else inspect.formatannotation(value)


def signature(cls: type[ServiceApi], endpoint: Endpoint, method_name: str) -> str:
    """The Python signature of a method with default call options: its real parameters, and
    the result type its first overload gives (from the endpoint's response type)."""
    real = inspect.signature(getattr(cls, method_name))
    parts = []
    for p in real.parameters.values():
        if p.name == "self" or p.kind is p.VAR_KEYWORD:
            continue
        if p.kind is p.KEYWORD_ONLY and "*" not in parts:
            parts.append("*")
        default = "" if p.default is p.empty else f" = {p.default!r}"
        parts.append(f"{p.name}: {annotation(p.annotation)}{default}")
    parts.append("**kwargs")
    result = python_type(endpoint.response_type) if endpoint.response_type else "None"
    if method_name.endswith("_with_http_info"):
        result = f"tuple[{result}, int, HTTPHeaderDict]"
    head = f"{cls.__name__}.{method_name}("
    tail = f") -> {result}"
    one_line = head + ", ".join(parts) + tail
    if len(one_line) <= _LINE_LIMIT:
        return one_line
    return "\n".join([head, *(f"    {part}," for part in parts), tail])


def example(cls: type[ServiceApi], endpoint: Endpoint) -> str:
    """A runnable example of one call, with Bearer credentials and error handling."""
    imports = {"from kfp_server_api.exceptions import ApiException"}
    assignments: list[str] = []
    positional: list[str] = []
    for param in endpoint.params:
        if not param.required:
            continue
        value = _example_value(param)
        imports.update(value.imports)
        assignments.append(f"# {param.type_name} | {param.description}")
        assignments += f"{param.name} = {value.source}".splitlines()
        positional.append(param.name)
    keywords: list[str] = []
    options = EXAMPLE_OPTIONS.get(endpoint.name, {})
    for param in endpoint.params:
        if not param.required and param.name in options:
            value = options[param.name]
            imports.update(value.imports)
            keywords.append(f"{param.name}={value.source}")
    call = f"api_response = api_instance.{endpoint.name}({', '.join(positional + keywords)})"
    if len(call) + 8 > _LINE_LIMIT:
        arguments = [f"    {argument}," for argument in positional + keywords]
        call_lines = [f"api_response = api_instance.{endpoint.name}(", *arguments, ")"]
    else:
        call_lines = [call]
    api_access = (
        f"kfp_server_api.{cls.__name__}"
        if cls.__name__ in kfp_server_api.__all__
        else f"kfp_server_api.api.{cls.__name__}"
    )
    credentials = [
        f'    api_key={{"{key}": "{EXAMPLE_TOKEN}"}},\n    api_key_prefix={{"{key}": "{prefix}"}},'
        for scheme, (key, prefix) in _EXAMPLE_CREDENTIALS.items()
        if scheme in endpoint.auth
    ]
    lines = [
        "import kfp_server_api",
        *sorted(imports),
        "",
        "# The API server, and the token sent as `authorization: Bearer <token>`.",
        "configuration = kfp_server_api.Configuration(",
        f'    host="{EXAMPLE_HOST}",',
        *credentials,
        ")",
        "",
        "with kfp_server_api.ApiClient(configuration) as api_client:",
        f"    api_instance = {api_access}(api_client)",
        *(f"    {line}" for line in assignments),
        "    try:",
        *(f"        {line}" for line in call_lines),
        "        print(api_response)",
        "    except ApiException as e:",
        f'        print(f"{FAILURE_MARKER} {cls.__name__}->{endpoint.name}: {{e}}")',
    ]
    return "\n".join(lines)


def _example_value(param: Param) -> ExampleValue:
    if param.type_name in EXAMPLE_BODIES:
        return EXAMPLE_BODIES[param.type_name]
    if param.type_name == "str" or param.location == "file":
        return ExampleValue(f'"{placeholder(param.name)}"')
    if param.type_name in kfp_server_api.models.__all__:
        return ExampleValue(f"kfp_server_api.{param.type_name}()")
    raise ValueError(f"no example value for parameter {param.name!r} ({param.type_name})")


def _parameter_notes(param: Param) -> str:
    notes = [] if param.required else ["[optional]"]
    notes.append(_PARAMETER_LOCATIONS[param.location])
    if param.wire_name != param.name:
        notes.append(f"as `{param.wire_name}`")
    text = " ".join(notes)
    return f"{text}. {inline(param.notes)}" if param.notes else text


def sentence(text: str) -> str:
    """`text` as Markdown starting with a capital letter."""
    text = inline(text)
    return text[:1].upper() + text[1:]


def method_section(
    cls: type[ServiceApi], endpoint: Endpoint, models: Sequence[str], schemes: Iterable[str]
) -> list[str]:
    """The documentation of one method."""
    doc = parse_docstring(getattr(cls, endpoint.name))
    twin = f"{endpoint.name}_with_http_info"
    description = doc.body or endpoint.description
    out = [
        f"## {endpoint.name}",
        "",
        "```text",
        signature(cls, endpoint, endpoint.name),
        signature(cls, endpoint, twin),
        "```",
        "",
        inline(endpoint.summary),
        "",
    ]
    if description:
        out += [rst_to_markdown(description), ""]
    out += [
        f"`{twin}` takes the same arguments and returns `(data, status, headers)`. Every method "
        f"also takes the [call options]({INDEX_PAGE}#call-options).",
        "",
        "### Example",
        "",
        "```python",
        example(cls, endpoint),
        "```",
        "",
        "### Parameters",
        "",
    ]
    if endpoint.params:
        out += table(
            ("Name", "Type", "Description", "Notes"),
            (
                (
                    f"**{p.name}**",
                    type_link(p.type_name, models),
                    inline(p.description),
                    _parameter_notes(p),
                )
                for p in endpoint.params
            ),
        )
    else:
        out.append("This endpoint does not need any parameter.")
    returns = " ".join(text for _, text in doc.sections.get("Returns", []))
    return_type = (
        type_link(endpoint.response_type, models) if endpoint.response_type else "None (empty)"
    )
    if endpoint.response_type == "object":
        return_type += " (a `dict`)"
    out += ["", "### Return type", "", return_type + (f": {inline(returns)}" if returns else "")]
    out += ["", "### Authorization", ""]
    out.append(
        ", ".join(
            f"[{scheme}]({INDEX_PAGE}#{anchor(scheme)})"
            for scheme in endpoint.auth
            if scheme in schemes
        )
        or "None"
    )
    out += ["", "### HTTP request headers", ""]
    out += [f"- **{name}**: {value}" for name, value in sorted(request_headers(endpoint).items())]
    out += ["", "### HTTP responses", ""]
    out += table(("Status code", "Description", "Raised as"), _responses(endpoint, doc, models))
    out += ["", f"[Back to top](#{anchor(cls.__name__)}) | [Back to the index]({INDEX_PAGE})", ""]
    return out


def _responses(endpoint: Endpoint, doc: Docstring, models: Sequence[str]) -> list[list[str]]:
    """Rows of the HTTP responses table: success, the documented errors, any other error."""
    returns = " ".join(text for _, text in doc.sections.get("Returns", []))
    rows = [["**200**", "Success." + (f" {sentence(returns)}" if returns else ""), "(returned)"]]
    documented: list[tuple[str, list[str]]] = []
    for name, text in doc.sections.get("Raises", []):
        statuses = statuses_raising(name)
        if statuses is not None:
            documented.append((statuses, [f"**{statuses}**", sentence(text), f"`{name}`"]))
    rows += [row for _, row in sorted(documented)]
    status_model = type_link("ApiStatus", models)
    rows.append(
        [
            "**default**",
            "Any other error. The exception carries the status and the body; when the body is "
            f"the server's error object ({status_model}), its `error`, `code`, `message` and "
            "`details` too.",
            "`ApiException` (or its subclass for the status)",
        ]
    )
    return rows


def api_page(cls: type[ServiceApi], models: Sequence[str], schemes: Iterable[str]) -> str:
    """The page of one API class."""
    schemes = list(schemes)
    doc = parse_docstring(cls)
    endpoints = [cls.endpoints[name] for name in sorted(cls.endpoints)]
    constructor = inspect.signature(cls.__init__)
    constructor_args = ", ".join(
        f"{p.name}: {annotation(p.annotation)} = {p.default!r}"
        for p in constructor.parameters.values()
        if p.name != "self"
    )
    out = [f"# {cls.__name__}", "", inline(doc.summary), ""]
    if doc.body:
        out += [rst_to_markdown(doc.body), ""]
    out += [
        "```text",
        f"from {cls.__module__} import {cls.__name__}",
        "",
        f"{cls.__name__}({constructor_args})",
        "```",
        "",
    ]
    out += [f"- `{name}`: {inline(text)}" for name, text in doc.sections.get("Args", [])]
    out += [
        "",
        f"Paths are relative to the server address, `Configuration.host` (e.g. `{EXAMPLE_HOST}`).",
        "",
    ]
    out += table(
        ("Method", "HTTP request", "Description", "Safe to retry"),
        (
            (
                f"[**{e.name}**](#{anchor(e.name)})",
                f"**{e.method}** `{e.path}`",
                inline(e.summary),
                "yes" if e.retry_safe else "no",
            )
            for e in endpoints
        ),
    )
    out += [
        "",
        "Safe to retry: whether repeating a call whose outcome is unknown (after a timeout or a "
        "dropped connection, say) does no harm.",
        "",
    ]
    for endpoint in endpoints:
        out += method_section(cls, endpoint, models, schemes)
    return "\n".join(out)


# --- model pages ----------------------------------------------------------------------------


def model_page(cls: type[Model], models: Sequence[str], used_by: Sequence[str]) -> str:
    """The page of one model or enum class."""
    doc = parse_docstring(cls)
    out = [f"# {cls.__name__}", "", inline(doc.summary), ""]
    if doc.body:
        out += [rst_to_markdown(doc.body), ""]
    out += [
        "```python",
        f"from kfp_server_api.models import {cls.__name__}",
        "```",
        "",
    ]
    if cls.__name__ in kfp_server_api.__all__:
        out += [
            f"Defined in `{cls.__module__}`; `kfp_server_api.{cls.__name__}` is the same class.",
            "",
        ]
    if issubclass(cls, EnumModel):
        out += [
            "## Allowed values",
            "",
            f"`{cls.__name__}` holds string constants; fields of this type carry the plain "
            "string. A value this client does not know (from a newer server) is kept as it is.",
            "",
        ]
        out += table(
            ("Constant", "Value"),
            ((f"`{cls.__name__}.{name}`", f'`"{value}"`') for name, value in enum_constants(cls)),
        )
    else:
        out += [
            "## Properties",
            "",
            "Every property is an optional keyword argument of the constructor, in this order.",
            "",
        ]
        out += table(
            ("Name", "Type", "Description", "Notes"),
            (
                (
                    f"**{f.name}**",
                    type_link(f.type_name, models),
                    inline(f.description),
                    "[optional]" + (f" JSON key `{f.json_key}`" if f.json_key != f.name else ""),
                )
                for f in cls.model_fields()
            ),
        )
    out += ["", "## Used by", ""]
    out += [f"- {item}" for item in used_by] or ["Nothing else refers to this type."]
    out += ["", f"[Back to the index]({INDEX_PAGE})", ""]
    return "\n".join(out)


def usages(apis: Sequence[type[ServiceApi]], models: Sequence[type[Model]]) -> dict[str, list[str]]:
    """For each model name, the links to the fields and methods that use the type."""
    found: dict[str, set[str]] = {cls.__name__: set() for cls in models}
    for cls in models:
        if issubclass(cls, EnumModel):
            continue
        for f in cls.model_fields():
            for name in _referenced_models(f.type_name) & found.keys():
                found[name].add(f"[{cls.__name__}]({cls.__name__}.md).{f.name}")
    for api in apis:
        for endpoint in api.endpoints.values():
            link = f"[{api.__name__}.{endpoint.name}]({api.__name__}.md#{anchor(endpoint.name)})"
            for param in endpoint.params:
                for name in _referenced_models(param.type_name) & found.keys():
                    found[name].add(f"{link} (parameter `{param.name}`)")
            for name in _referenced_models(endpoint.response_type or "") & found.keys():
                found[name].add(f"{link} (returns it)")
    if "ApiStatus" in found and apis:
        found["ApiStatus"].add("the body of every error response")
    return {name: sorted(items) for name, items in found.items()}


# --- the index ------------------------------------------------------------------------------


def index_page(
    apis: Sequence[type[ServiceApi]],
    models: Sequence[type[Model]],
    schemes: Mapping[str, kfp_server_api.configuration.AuthSetting],
) -> str:
    """docs/README.md: every page, authorization, call options and errors."""
    out = [
        "# kfp_server_api reference",
        "",
        "Reference pages for the API classes and models of `kfp_server_api`. They are "
        "generated from the code by `python docs/generate.py`; `python docs/generate.py "
        "--check` (run by the test suite) fails when they are out of date.",
        "",
        "## Guides",
        "",
    ]
    out += table(
        ("Page", "About"),
        [
            *((f"[{name}]({name})", about) for name, about in GUIDES),
            (
                f"[{EMULATOR_PAGE}]({EMULATOR_PAGE})",
                "The emulator: usage, control API, known differences (generated)",
            ),
        ],
    )
    out += ["", "## API classes", ""]
    out += table(
        ("Class", "Description"),
        ((f"[{a.__name__}]({a.__name__}.md)", inline(parse_docstring(a).summary)) for a in apis),
    )
    out += ["", "## Methods", ""]
    out += table(
        ("Class", "Method", "HTTP request", "Description"),
        (
            (
                f"[{a.__name__}]({a.__name__}.md)",
                f"[**{name}**]({a.__name__}.md#{anchor(name)})",
                f"**{a.endpoints[name].method}** `{a.endpoints[name].path}`",
                inline(a.endpoints[name].summary),
            )
            for a in apis
            for name in sorted(a.endpoints)
        ),
    )
    for title, kind in (("Models", False), ("Enums", True)):
        out += ["", f"## {title}", ""]
        out += table(
            ("Name", "Description"),
            (
                (f"[{m.__name__}]({m.__name__}.md)", inline(parse_docstring(m).summary))
                for m in models
                if issubclass(m, EnumModel) is kind
            ),
        )
    out += ["", "## Authorization", ""]
    for scheme, setting in schemes.items():
        key = setting["key"]
        prefix = _EXAMPLE_CREDENTIALS[scheme][1]
        out += [
            f"### {scheme}",
            "",
            f"- **Type**: {setting['type'].replace('_', ' ')}",
            f"- **Sent in**: {setting['in']} `{key}`, as `{prefix} <token>`",
            f'- **Set up**: `Configuration(api_key={{"{key}": token}}, '
            f'api_key_prefix={{"{key}": "{prefix}"}})`; '
            "`Configuration.refresh_api_key_hook` can renew the token before each request.",
            "",
        ]
    endpoint_doc = inspect.getdoc(kfp_server_api.endpoint) or ""
    out += ["## Call options", "", rst_to_markdown(rst_section(endpoint_doc, "Call options")), ""]
    exceptions_doc = parse_docstring(kfp_server_api.exceptions)
    out += [
        "## Errors",
        "",
        rst_to_markdown(exceptions_doc.summary + "\n\n" + exceptions_doc.body),
        "",
    ]
    return "\n".join(out)


# --- the emulator page -----------------------------------------------------------------------

_RST_HEADING = re.compile(r"^(\S[^\n]*)\n-{3,}\n", re.MULTILINE)


def _subheadings(markdown: str) -> str:
    """A lone line between blank lines that is neither a list item nor code becomes a heading."""
    lines = markdown.splitlines()
    out = []
    for i, line in enumerate(lines):
        alone = (i == 0 or not lines[i - 1].strip()) and (
            i + 1 == len(lines) or not lines[i + 1].strip()
        )
        plain = (
            line.strip()
            and not line.startswith((" ", "-", "`", "|", "#"))
            and not line[0].isdigit()
        )
        out.append(f"### {line}" if alone and plain and not line.endswith((".", ":")) else line)
    return "\n".join(out)


def emulator_page() -> str:
    """docs/emulator.md: the docstring of ``kfp_server_api.emulator``, section by section."""
    doc = parse_docstring(kfp_server_api.emulator)
    # re.split with one group: the text before the first section, then (title, text) pairs.
    usage, *sections = _RST_HEADING.split(doc.body)
    out = [
        "# The emulator",
        "",
        "Generated from the docstring of `kfp_server_api.emulator` by "
        "`python docs/generate.py`. Every command-line option is listed by "
        "`python -m kfp_server_api.emulator --help`.",
        "",
        inline(doc.summary),
        "",
        rst_to_markdown(usage.strip()),
    ]
    for title, text in zip(sections[::2], sections[1::2]):
        out += ["", f"## {title}", "", _subheadings(rst_to_markdown(text.strip()))]
    return "\n".join(out) + "\n"


# --- all pages, writing and checking --------------------------------------------------------


def render_pages() -> dict[str, str]:
    """Every page of docs/, by file name."""
    apis = api_classes()
    models = model_classes()
    model_names = [m.__name__ for m in models]
    schemes = _authorization_schemes()
    used_by = usages(apis, models)
    pages = {INDEX_PAGE: index_page(apis, models, schemes), EMULATOR_PAGE: emulator_page()}
    for api in apis:
        pages[f"{api.__name__}.md"] = api_page(api, model_names, schemes)
    for model in models:
        pages[f"{model.__name__}.md"] = model_page(model, model_names, used_by[model.__name__])
    clean = {name: _normalise(text) for name, text in pages.items()}
    if len(clean) != len(pages):
        raise ValueError("two pages share a file name")
    return dict(sorted(clean.items()))


def _normalise(text: str) -> str:
    lines = [line.rstrip() for line in text.splitlines()]
    squeezed: list[str] = []
    for line in lines:
        if line or (squeezed and squeezed[-1]):
            squeezed.append(line)
    return "\n".join(squeezed).strip() + "\n"


def _existing_pages(directory: Path) -> Iterator[str]:
    """The generated pages present (hand-written pages are neither checked nor deleted)."""
    paths = sorted(directory.glob("*.md"))
    return (path.name for path in paths if path.name not in HAND_WRITTEN_PAGES)


def check(directory: Path = DOCS_DIR) -> list[str]:
    """What differs between `directory` and freshly generated pages ([] when up to date)."""
    pages = render_pages()
    problems = []
    for name, text in pages.items():
        path = directory / name
        if not path.exists():
            problems.append(f"missing: docs/{name}")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"stale: docs/{name}")
    problems += [f"extra: docs/{name}" for name in _existing_pages(directory) if name not in pages]
    return problems


def write(directory: Path = DOCS_DIR) -> list[str]:
    """Write every page, delete pages no longer generated; returns the files changed."""
    pages = render_pages()
    changed = []
    for name, text in pages.items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8", newline="\n")
            changed.append(name)
    for name in _existing_pages(directory):
        if name not in pages:
            (directory / name).unlink()
            changed.append(name)
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if docs/ is not up to date"
    )
    options = parser.parse_args(argv)
    if options.check:
        problems = check()
        for problem in problems:
            print(problem)
        if problems:
            print("docs/ is out of date: run `python docs/generate.py`", file=sys.stderr)
            return 1
        return 0
    for name in write():
        print(f"wrote docs/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
