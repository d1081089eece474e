"""The measured workloads, written against the public API that this SDK and 1.8.5 share.

Each workload takes a ``Target`` (which ``kfp_server_api`` to import and with which interpreter)
plus its size parameters and returns ``Measurement``s of the SDK against a floor measured in the
same process: ``json.loads``/``json.dumps`` on the same data, a bare urllib3 request, or
``import urllib3``. Nothing here imports this project's package directly, so the same code runs
unchanged inside the 1.8.5 virtualenv.

Run as a script it is the worker of ``run.py --compare-upstream``: it reads a plan (a JSON list
of ``{"workload": NAME, ...parameters}``) from its argument and prints the measurements as JSON on
standard output. Progress goes to standard error.
"""

from __future__ import annotations

import importlib
import json
import math
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import measure
import runs_data
import urllib3
from measure import Measurement

RUN_ID = "2e596e20-f192-499c-8494-fbb9d563739a"
"""Run id requested by the call benchmark (the static server answers any path)."""

_MIN_SAMPLE_SECONDS = 0.05
# The call benchmark's server is the static server of the test suite, in test/servers/.
_TEST_DIR = Path(__file__).resolve().parent.parent / "test"


@dataclass
class Target:
    """Where the measured ``kfp_server_api`` comes from."""

    label: str = "kfp_server_api"
    module: str = "kfp_server_api"
    python: str = sys.executable
    path_entries: list[str] = field(default_factory=list)

    def sdk(self) -> ModuleType:
        for entry in reversed(self.path_entries):
            if entry not in sys.path:
                sys.path.insert(0, entry)
        return importlib.import_module(self.module)


def static_server() -> ModuleType:
    """The static server of the test suite (test/servers/static.py)."""
    if str(_TEST_DIR) not in sys.path:
        sys.path.append(str(_TEST_DIR))
    return importlib.import_module("servers.static")


def progress(message: str) -> None:
    sys.stderr.write(f"  ... {message}\n")
    sys.stderr.flush()


def sampler(
    operation: Callable[[], object], clock: Callable[[], float] = measure.WALL
) -> Callable[[], float]:
    """A sampler timing enough back-to-back calls of ``operation`` to last ~50 ms."""
    once = measure.time_once(operation, clock=clock)
    number = max(1, math.ceil(_MIN_SAMPLE_SECONDS / max(once, 1e-9)))
    return lambda: measure.time_once(operation, number, clock)


def _response(sdk: ModuleType, payload: bytes) -> Any:
    """The SDK's own RESTResponse around ``payload``, as its transport hands it to deserialize."""
    raw = urllib3.HTTPResponse(
        body=payload,
        status=200,
        headers={"Content-Type": "application/json"},
        preload_content=True,
    )
    return sdk.rest.RESTResponse(raw)


@dataclass
class Operations:
    """One workload's two sides, ready to run: the SDK call and the floor it is compared with."""

    subject: Callable[[], object]
    baseline: Callable[[], object]
    params: dict[str, Any]


@contextmanager
def decode_operations(target: Target, count: int) -> Iterator[Operations]:
    """``ApiClient.deserialize`` of a list_runs body vs ``json.loads`` of the same bytes."""
    sdk = target.sdk()
    payload = runs_data.list_runs_payload(count)
    client = sdk.ApiClient()
    try:
        response = _response(sdk, payload)
        decoded = client.deserialize(response, "ApiListRunsResponse")
        # Guard against timing an error path: the result must be fully typed.
        first = decoded.runs[0]
        if len(decoded.runs) != count or not isinstance(first.created_at, datetime):
            raise AssertionError(f"{target.label} did not decode the list_runs payload")
        if type(first.pipeline_spec).__name__ != "ApiPipelineSpec":
            raise AssertionError(f"{target.label} left pipeline_spec undecoded")
        yield Operations(
            subject=lambda: client.deserialize(response, "ApiListRunsResponse"),
            baseline=lambda: json.loads(payload),
            params={"count": count, "bytes": len(payload), "digest": runs_data.digest(payload)},
        )
    finally:
        client.close()


@contextmanager
def encode_operations(target: Target, count: int) -> Iterator[Operations]:
    """``sanitize_for_serialization`` + ``json.dumps`` of models vs ``json.dumps`` of dicts."""
    sdk = target.sdk()
    payload = runs_data.list_runs_payload(count)
    client = sdk.ApiClient()
    try:
        models = client.deserialize(_response(sdk, payload), "ApiListRunsResponse").runs
        plain = json.loads(payload)["runs"]
        encoded = client.sanitize_for_serialization(models)
        if len(encoded) != count or encoded[0]["pipeline_spec"] != plain[0]["pipeline_spec"]:
            raise AssertionError(f"{target.label} does not encode the runs it decoded back")
        yield Operations(
            subject=lambda: json.dumps(client.sanitize_for_serialization(models)),
            baseline=lambda: json.dumps(plain),
            params={"count": count},
        )
    finally:
        client.close()


@contextmanager
def call_operations(target: Target) -> Iterator[Operations]:
    """``get_run`` over keep-alive loopback vs a bare urllib3 request + ``json.loads``."""
    sdk = target.sdk()
    body = runs_data.run_detail_payload()
    with static_server().serve(body) as url:
        client = sdk.ApiClient(sdk.Configuration(host=url))
        pool = urllib3.PoolManager()
        try:
            api = sdk.RunServiceApi(client)
            detail = api.get_run(RUN_ID)
            if detail.run.id != RUN_ID or type(detail.run).__name__ != "ApiRun":
                raise AssertionError(f"{target.label} get_run returned {type(detail)!r}")
            address = f"{url}/apis/v1beta1/runs/{RUN_ID}"
            yield Operations(
                subject=lambda: api.get_run(RUN_ID),
                baseline=lambda: json.loads(pool.request("GET", address).data),
                params={"body_bytes": len(body)},
            )
        finally:
            pool.clear()
            client.close()


def _cpu_comparison(
    target: Target,
    count: int,
    repeat: int,
    operations_for: Callable[[Target, int], Any],
    verb: str,
    subject: str,
    baseline: str,
) -> list[Measurement]:
    """CPU time of ``operations.subject`` against ``operations.baseline`` on ``count`` runs."""
    progress(f"{target.label}: {verb} {count:,} runs")
    with operations_for(target, count) as operations:
        subject_samples, baseline_samples = measure.alternate(
            sampler(operations.subject, measure.CPU),
            sampler(operations.baseline, measure.CPU),
            repeat,
            warmup=0,  # the calibrating call in sampler warmed both up
        )
    return [
        Measurement(
            name=f"{verb} {count:,} runs",
            subject=f"{target.label} {subject}",
            baseline=baseline,
            unit="s",
            subject_samples=subject_samples,
            baseline_samples=baseline_samples,
            params={**operations.params, "clock": "cpu"},
        )
    ]


def decode(target: Target, count: int, repeat: int) -> list[Measurement]:
    """Time of decoding ``count`` runs, against ``json.loads``."""
    return _cpu_comparison(
        target, count, repeat, decode_operations, "decode", "ApiClient.deserialize", "json.loads"
    )


def encode(target: Target, count: int, repeat: int) -> list[Measurement]:
    """Time of encoding ``count`` runs, against ``json.dumps`` of plain dicts."""
    return _cpu_comparison(
        target,
        count,
        repeat,
        encode_operations,
        "encode",
        "sanitize_for_serialization + json.dumps",
        "json.dumps of dicts",
    )


def memory(target: Target, count: int, repeat: int) -> list[Measurement]:
    """Memory of decoding ``count`` runs (peak, and held by the result), against ``json.loads``."""
    progress(f"{target.label}: memory of decoding {count:,} runs")
    with decode_operations(target, count) as operations:
        samples: dict[str, list[tuple[float, float]]] = {"subject": [], "baseline": []}

        def record(side: str, operation: Callable[[], object]) -> Callable[[], float]:
            def sample() -> float:
                samples[side].append(measure.traced_memory_once(operation))
                return samples[side][-1][0]

            return sample

        measure.alternate(
            record("subject", operations.subject),
            record("baseline", operations.baseline),
            repeat,
            warmup=0,  # decode_operations already decoded once
        )
    return [
        Measurement(
            name=f"memory {kind} {count:,} runs",
            subject=f"{target.label} ApiClient.deserialize",
            baseline="json.loads",
            unit="B",
            subject_samples=[pair[index] for pair in samples["subject"]],
            baseline_samples=[pair[index] for pair in samples["baseline"]],
            params=operations.params,
        )
        for index, kind in enumerate(("peak", "retained"))
    ]


def call(target: Target, calls: int, repeat: int) -> list[Measurement]:
    """Time per ``get_run`` call, against a bare urllib3 request + ``json.loads``."""
    progress(f"{target.label}: get_run call overhead")
    with call_operations(target) as operations:
        subject, baseline = measure.alternate(
            lambda: measure.time_once(operations.subject, calls),
            lambda: measure.time_once(operations.baseline, calls),
            repeat,
        )
    return [
        Measurement(
            name="call get_run",
            subject=f"{target.label} RunServiceApi.get_run",
            baseline="urllib3 request + json.loads",
            unit="s",
            subject_samples=subject,
            baseline_samples=baseline,
            params={**operations.params, "calls_per_sample": calls, "clock": "wall"},
        )
    ]


_IMPORT_PROBE = """\
import sys, time
sys.path[:0] = {entries!r}
start = time.process_time()
{statement}
sys.stdout.write(repr(time.process_time() - start))
"""


def import_seconds(python: str, statement: str, path_entries: list[str]) -> float:
    """CPU seconds ``statement`` (an import) takes in a fresh, isolated (``-I``) interpreter."""
    code = _IMPORT_PROBE.format(entries=path_entries, statement=statement)
    result = subprocess.run(
        [python, "-I", "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return float(result.stdout)


def import_time(target: Target, repeat: int) -> list[Measurement]:
    """Importing the package, and the names every client uses, vs ``import urllib3``.

    Each sample is a fresh interpreter. Two statements are measured because the package may
    defer its submodules until first use: ``import kfp_server_api`` alone, and the import a
    client script starts with, which must load the transport.
    """
    progress(f"{target.label}: import in fresh interpreters")
    statements = {
        "import": f"import {target.module}",
        "import client": f"from {target.module} import ApiClient, Configuration, RunServiceApi",
    }
    results = []
    for name, statement in statements.items():
        subject, baseline = measure.alternate(
            lambda statement=statement: import_seconds(
                target.python, statement, target.path_entries
            ),
            lambda: import_seconds(target.python, "import urllib3", target.path_entries),
            repeat,
            warmup=2,  # the first runs may write .pyc files
        )
        results.append(
            Measurement(
                name=name,
                subject=statement,
                baseline="import urllib3",
                unit="s",
                subject_samples=subject,
                baseline_samples=baseline,
                params={"clock": "cpu"},
            )
        )
    return results


def import_breakdown(target: Target, limit: int = 12) -> list[tuple[str, int, int]]:
    """The slowest modules of a client's first import, per ``-X importtime``.

    Returns (module, self microseconds, cumulative microseconds), largest self time first.
    """
    code = (
        f"import sys; sys.path[:0] = {target.path_entries!r}; "
        f"from {target.module} import ApiClient, Configuration, RunServiceApi"
    )
    result = subprocess.run(
        [target.python, "-I", "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    rows = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line[len("import time:") :].split("|")
        rows.append((name.strip(), int(self_us), int(cumulative_us)))
    return sorted(rows, key=lambda row: -row[1])[:limit]


WORKLOADS: dict[str, Callable[..., list[Measurement]]] = {
    "decode": decode,
    "encode": encode,
    "memory": memory,
    "call": call,
    "import": import_time,
}
"""Workloads by plan name; ``run.py`` adds the emulator one, which only this SDK has."""


def run_plan(target: Target, plan: list[dict[str, Any]]) -> list[Measurement]:
    """Run every step of ``plan`` (``{"workload": NAME, **parameters}``) in order."""
    results: list[Measurement] = []
    for step in plan:
        parameters = dict(step)
        workload = WORKLOADS[parameters.pop("workload")]
        results.extend(workload(target, **parameters))
    return results


def versions(target: Target) -> dict[str, str]:
    """Versions of the measured package and of what it runs on."""
    sdk = target.sdk()
    return {
        "python": sys.version.split()[0],
        "kfp_server_api": str(getattr(sdk, "__version__", "?")),
        "urllib3": urllib3.__version__,
    }


def main(argv: list[str]) -> int:
    plan = json.loads(argv[0])
    target = Target(label=argv[1] if len(argv) > 1 else "kfp_server_api")
    start = time.perf_counter()
    measurements = run_plan(target, plan)
    document = {
        "versions": versions(target),
        "import_breakdown": import_breakdown(target),
        "seconds": time.perf_counter() - start,
        "measurements": [m.to_dict() for m in measurements],
    }
    sys.stdout.write(json.dumps(document))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
