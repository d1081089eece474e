"""The reference pages are up to date, and every Python example of README.md and docs/ runs.

Each ```python block is one test case, named after its file and line. It runs against a fresh
emulator (examples create resources with fixed names): the example host is replaced by the
emulator's address and each placeholder (``"run_id_example"``...) by a value seeded for that
block (a run with an artifact, a pipeline with two versions, a pipeline file to upload, an
experiment); package URLs (``https://example.com/...``) point at a loopback server that serves
a pipeline file. Blocks that mention the example token run against an emulator that requires
it, so the Bearer set-up of the examples is exercised too. A block fails if it raises or if it
prints the marker the examples print when a call raised ``ApiException``. A block calling a
route the emulator does not serve at all is skipped, with the route as reason.
"""

from __future__ import annotations

import http.client
import importlib.util
import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from servers.loopback import LoopbackServer, Reply

from kfp_server_api.emulator import Emulator, RunSeed

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate = _load_generator()

_FENCE = re.compile(r"^(\s*)```(\S*)\s*$")
_PLACEHOLDER = re.compile(r"\"(\w+_example)\"")
# How a generated example names the API class and the method it calls.
_API_CLASS = re.compile(r"\bkfp_server_api(?:\.api)?\.(\w+Api)\(")
_API_CALL = re.compile(r"\bapi_instance\.(\w+)\(")

# What the examples act on: the status a call needs its run in (any other call gets a running
# run), and the node and artifact attached to every seeded run.
_RUN_STATUS_FOR_CALL = {"retry_run": "Failed"}
_DEFAULT_RUN_STATUS = "Running"
_NODE_ID = "train"
_ARTIFACT_NAME = "mlpipeline-metrics"
# The pipeline package the examples upload, and where their package URLs point.
_PACKAGE = b"""\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: training-}
spec:
  entrypoint: train
  arguments:
    parameters: [{name: learning_rate, value: '0.1'}]
  templates:
  - name: train
    container: {image: 'python:3.11', command: [python, -c, print(1)]}
"""
_PACKAGE_URL_PREFIX = "https://example.com/"


def python_blocks(path: Path) -> Iterator[tuple[int, str]]:
    """(line of the opening fence, code) of every ```python block of a Markdown file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start: int | None = None
    language = ""
    for number, line in enumerate(lines, 1):
        fence = _FENCE.match(line)
        if fence is None:
            continue
        if start is None:
            start, language = number, fence.group(2)
        else:
            if language == "python":
                yield start, "\n".join(lines[start : number - 1])
            start = None


def _example_cases() -> list[object]:
    pages = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
    return [
        pytest.param(path, line, code, id=f"{path.relative_to(ROOT).as_posix()}:{line}")
        for path in pages
        if path.exists()
        for line, code in python_blocks(path)
    ]


def test_docs_are_up_to_date() -> None:
    problems = generate.check()
    assert problems == [], "docs/ is out of date, run `python docs/generate.py`: " + ", ".join(
        problems
    )


@pytest.fixture
def emulators() -> Iterator[dict[bool, Emulator]]:
    """Fresh emulators (examples create resources with fixed names) by whether they require
    the example token; nothing moves on its own."""
    secured = Emulator(lifecycle="manual", token=generate.EXAMPLE_TOKEN)
    open_server = Emulator(lifecycle="manual")
    with secured, open_server:
        yield {True: secured, False: open_server}


@pytest.fixture(scope="module")
def package_host() -> Iterator[str]:
    """A loopback server answering every path with ``_PACKAGE``: where the examples'
    ``https://example.com/`` package URLs are fetched from."""
    with LoopbackServer() as server:
        server.default_reply = Reply.raw(_PACKAGE, content_type="application/yaml")
        yield server.url


def seed(server: Emulator, code: str, files: Path) -> dict[str, str]:
    """Store what `code` acts on; returns the values of its placeholders."""
    status = next(
        (s for call, s in _RUN_STATUS_FOR_CALL.items() if f".{call}(" in code),
        _DEFAULT_RUN_STATUS,
    )
    (run_id,) = server.seed_runs([RunSeed(name="example run", status=status)])
    server.attach_artifact(run_id, _NODE_ID, _ARTIFACT_NAME, files={"metrics.json": b"{}"})
    pipeline = server.add_pipeline(f"example pipeline {run_id}")
    version_id = server.add_pipeline_version(pipeline.pipeline_id, "example version")
    package = files / "pipeline.yaml"
    package.write_bytes(_PACKAGE)
    experiment_id = server.add_experiment(f"example experiment {run_id}")
    job_id = server.add_job(f"example job {run_id}")
    api_class = _API_CLASS.search(code)
    # What a bare ``id`` names depends on the API the block calls.
    owners = {
        "ExperimentServiceApi": experiment_id,
        "JobServiceApi": job_id,
        "PipelineServiceApi": pipeline.pipeline_id,
    }
    values = {
        "run_id": run_id,
        "id": owners.get(api_class.group(1) if api_class else "", run_id),
        "node_id": _NODE_ID,
        "artifact_name": _ARTIFACT_NAME,
        "pipeline_id": pipeline.pipeline_id,
        "version_id": version_id,
        "uploadfile": str(package),
    }
    return {generate.placeholder(name): value for name, value in values.items()}


def unserved_routes(server: Emulator, code: str) -> list[str]:
    """The routes `code` calls that the emulator does not serve at all.

    Asked over HTTP with OPTIONS, which no route takes: like the KFP gateway, the emulator
    answers 405 for a path it routes for other methods and 404 for a path it does not know.
    """
    api_class = _API_CLASS.search(code)
    classes = {cls.__name__: cls for cls in generate.api_classes()}
    if api_class is None or api_class.group(1) not in classes:
        return []
    endpoints = classes[api_class.group(1)].endpoints
    address = urllib.parse.urlsplit(server.url)
    unserved = []
    for name in _API_CALL.findall(code):
        endpoint = endpoints[name]
        path = re.sub(r"\{\w+\}", "x", endpoint.path)
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
        try:
            connection.request("OPTIONS", path)
            status = connection.getresponse().status
        finally:
            connection.close()
        if status == 404:
            unserved.append(f"{endpoint.method} {endpoint.path}")
    return unserved


@pytest.mark.parametrize(("path", "line", "code"), _example_cases())
def test_example_runs(
    path: Path,
    line: int,
    code: str,
    emulators: dict[bool, Emulator],
    package_host: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    unserved = unserved_routes(emulators[False], code)
    if unserved:
        pytest.skip(f"the emulator does not serve {', '.join(unserved)}")
    server = emulators[generate.EXAMPLE_TOKEN in code]
    source = code.replace(generate.EXAMPLE_HOST, server.url)
    source = source.replace(_PACKAGE_URL_PREFIX, f"{package_host}/")
    if _PLACEHOLDER.search(source):
        for placeholder, value in seed(server, code, tmp_path).items():
            source = source.replace(f'"{placeholder}"', f'"{value}"')
    unknown = _PLACEHOLDER.findall(source)
    assert not unknown, f"the test seeds no value for {unknown}"
    # Leading newlines keep the line numbers of tracebacks those of the Markdown file.
    compiled = compile("\n" * line + source, str(path), "exec")
    exec(compiled, {"__name__": "__main__"})
    printed = capsys.readouterr().out
    assert generate.FAILURE_MARKER not in printed, printed


# -- links and the exception tree ----------------------------------------------------------------

_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*$")


def _markdown_pages() -> list[Path]:
    return [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted(DOCS.glob("*.md"))]


def _outside_code(path: Path) -> Iterator[str]:
    """The lines of a Markdown file that are not inside a fenced code block."""
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            yield line


def _anchors(path: Path) -> set[str]:
    return {
        generate.anchor(heading.group(1).replace("`", ""))
        for heading in map(_HEADING.match, _outside_code(path))
        if heading
    }


@pytest.mark.parametrize("page", _markdown_pages(), ids=lambda path: path.name)
def test_relative_links_point_to_existing_files_and_headings(page: Path) -> None:
    broken = []
    for line in _outside_code(page):
        for match in _LINK.finditer(line):
            target = match.group(1) or match.group(2)
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:...
                continue
            file_part, _, fragment = target.partition("#")
            linked = (page.parent / file_part).resolve() if file_part else page
            if not linked.exists():
                broken.append(f"{target} (no such file)")
            elif fragment and linked.suffix == ".md" and fragment not in _anchors(linked):
                broken.append(f"{target} (no such heading)")
    assert broken == [], f"{page.name}: {', '.join(broken)}"


_TREE_ENTRY = re.compile(r"(?:^\s*|── )([A-Z]\w+)")


def test_the_exception_tree_drawn_in_exceptions_py_matches_the_classes() -> None:
    """The tree in the docstring (rendered into docs/README.md) is the class hierarchy."""
    from kfp_server_api import exceptions

    doc = exceptions.__doc__ or ""
    block = doc[doc.index("::\n") + 3 :].strip("\n").split("\n\n", 1)[0]
    drawn: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []  # (column, name) of the entries above, outermost first
    for line in block.splitlines():
        entry = _TREE_ENTRY.search(line)
        if entry is None or (stack and "── " not in line):
            continue  # a description running on to a second line
        column = entry.start(1)
        while stack and stack[-1][0] >= column:
            stack.pop()
        drawn[entry.group(1)] = stack[-1][1] if stack else None
        stack.append((column, entry.group(1)))

    classes = {
        name: value
        for name, value in vars(exceptions).items()
        if isinstance(value, type) and issubclass(value, exceptions.OpenApiException)
    }
    actual = {
        name: next((base.__name__ for base in cls.__bases__ if base.__name__ in classes), None)
        for name, cls in classes.items()
    }
    assert drawn == actual
