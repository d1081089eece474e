"""The benchmark suite still runs: every benchmark once, on tiny sizes.

These tests check that each benchmark produces well-formed results (positive medians, a ratio,
a status). They never compare a time or a ratio with the budget: that is what
``benchmarks/run.py`` reports, on a quiet machine, with full sizes. Neither matplotlib nor the
network is needed: the chart test is skipped without matplotlib, and the 1.8.5 comparison is
exercised through its worker protocol with this SDK standing in for 1.8.5.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

BENCHMARKS_DIR = Path(__file__).resolve().parent.parent / "benchmarks"
RUN = BENCHMARKS_DIR / "run.py"
EXPECTED = ("decode", "encode", "call", "import", "memory", "emulator", "startstop", "snapshot")
EMULATOR_ROWS = (
    "first page",
    "middle page",
    "UI page",
    "filtered page",
    "sparse substring page",
    "experiment page",
    "metric page",
    "experiments first page",
    "experiments middle page",
    "experiments UI page",
    "experiments by name page",
    "jobs first page",
    "jobs middle page",
    "jobs by name page",
    "pipelines first page",
    "pipelines middle page",
    "pipelines by name page",
    "versions first page",
    "versions middle page",
    "versions newest first page",
    "versions by name page",
)


@pytest.fixture
def benchmark_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the benchmark scripts importable as the modules they are when run."""
    monkeypatch.syspath_prepend(str(BENCHMARKS_DIR))


def run_suite(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(RUN), "--quick", "--repeat", "1", *arguments],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def assert_well_formed(result: dict[str, Any]) -> None:
    assert result["unit"] in ("s", "B")
    assert len(result["subject_samples"]) >= 1
    assert len(result["baseline_samples"]) >= 1
    assert result["subject_median"] > 0
    assert result["baseline_median"] > 0
    assert math.isclose(result["ratio"], result["subject_median"] / result["baseline_median"])


def test_every_benchmark_runs_once_on_tiny_sizes(tmp_path: Path) -> None:
    output = tmp_path / "results.json"
    markdown = tmp_path / "figures.md"
    completed = run_suite("--no-plot", "--json", str(output), "--markdown", str(markdown))
    assert completed.returncode == 0, completed.stderr
    document = json.loads(output.read_text())
    results = document["results"]
    assert {result["name"].split()[0] for result in results} == set(EXPECTED)
    assert [r["name"] for r in results if r["name"].startswith("emulator ")] == [
        f"emulator {label}" for label in EMULATOR_ROWS
    ]
    for result in results:
        assert_well_formed(result)
        assert result["status"] in ("PASS", "FAIL", "info")
        if result["status"] != "info":
            assert result["budget"] > 0
    # The printed table has one row per result, and the Markdown has the same rows.
    for result in results:
        assert result["name"] in completed.stdout
        assert f"| {result['name']}" in markdown.read_text()
    assert document["chart"] is None


def test_markdown_replaces_only_the_marked_section(tmp_path: Path) -> None:
    page = tmp_path / "README.md"
    page.write_text(
        "# Title\n\nsee `<!-- figures:start -->` and `<!-- figures:end -->` below\n"
        "<!-- figures:start -->\nold figures\n<!-- figures:end -->\nafter\n"
    )
    completed = run_suite("--only", "import", "--no-plot", "--markdown", str(page))
    assert completed.returncode == 0, completed.stderr
    text = page.read_text()
    assert text.startswith(
        "# Title\n\nsee `<!-- figures:start -->` and `<!-- figures:end -->` below\n"
        "<!-- figures:start -->\nMeasured "
    )
    assert text.endswith("<!-- figures:end -->\nafter\n")
    assert "old figures" not in text
    assert "| import" in text


def test_decode_chart_is_a_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    chart = tmp_path / "decode.png"
    completed = run_suite("--only", "decode", "--plot", str(chart))
    assert completed.returncode == 0, completed.stderr
    assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.usefixtures("benchmark_modules")
def test_upstream_worker_protocol_round_trips() -> None:
    """The 1.8.5 comparison's worker, run here on this SDK (no virtualenv, no network)."""
    import run
    import upstream

    plan = run.upstream_plan(run.build_plan(list(run.BENCHMARKS), True, False, 1), True, 1)
    assert [step["workload"] for step in plan] == [
        "decode",
        "decode",
        "encode",
        "call",
        "import",
        "memory",
    ]
    measurements, facts = upstream.run(Path(sys.executable), plan)
    assert [m.name for m in measurements] == [
        "decode 20 runs",
        "decode 100 runs",
        "encode 20 runs",
        "call get_run",
        "import",
        "import client",
        "memory peak 50 runs",
        "memory retained 50 runs",
    ]
    for measurement in measurements:
        assert_well_formed(measurement.to_dict())
    assert facts["versions"]["python"] == sys.version.split()[0]
    assert facts["import_breakdown"]
    rows = run.speedups(measurements, measurements)
    assert [row["speedup_ratio"] for row in rows] == [1.0] * len(measurements)


@pytest.mark.usefixtures("benchmark_modules")
def test_payloads_are_deterministic_and_shaped_like_the_server() -> None:
    import runs_data

    first = runs_data.list_runs_payload(5)
    assert first == runs_data.list_runs_payload(5)
    assert not first.endswith(b"\n")
    document = json.loads(first)
    assert list(document) == ["runs", "total_size", "next_page_token"]
    for item in document["runs"]:
        assert len(item["pipeline_spec"]["parameters"]) == 8
        assert len(item["resource_references"]) == 2
        assert len(item["metrics"]) == 3
        assert item["created_at"].endswith("Z")
        assert item.get("storage_state", "STORAGESTATE_ARCHIVED") == "STORAGESTATE_ARCHIVED"
        assert 1000 < len(item["pipeline_spec"]["workflow_manifest"]) < 10000
