"""Benchmark suite of kfp_server_api: medians, ratios to a floor, and the performance budget.

    python benchmarks/run.py                      # everything, full sizes (a few minutes)
    python benchmarks/run.py --quick              # tiny sizes, few repeats (seconds)
    python benchmarks/run.py --only decode --only call --repeat 5
    python benchmarks/run.py --compare-upstream   # also kfp-server-api 1.8.5, in a virtualenv
    python benchmarks/run.py --json results.json --plot benchmarks/decode.png
    python benchmarks/run.py --compare-upstream --markdown   # refresh docs/performance.md

Every row compares this SDK with a floor measured alternately in the same process (see
README.md next to this file) and prints both medians, their ratio, the budget and PASS/FAIL.
The exit status is 0 unless ``--check`` is given and a budget fails. The package measured is the
one in this repository's working tree.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import re
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import decode_plot
import emulator_listing
import emulator_snapshot
import emulator_startstop
import hotspots
import upstream
import workloads
from measure import Measurement

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

BENCHMARKS = (
    "decode",
    "encode",
    "call",
    "import",
    "memory",
    "emulator",
    "startstop",
    "snapshot",
)
BUDGETS = {"decode": 3.0, "call": 1.2, "import": 1.3, "emulator": 3.0}
"""Largest allowed ratio per benchmark; the others are reported for information."""
UPSTREAM_BENCHMARKS = ("decode", "encode", "call", "import", "memory")

Plan = dict[str, list[dict[str, Any]]]

FULL: Plan = {
    "decode": [
        {"workload": "decode", "count": 1000, "repeat": 21},
        {"workload": "decode", "count": 10000, "repeat": 9},
    ],
    "encode": [
        {"workload": "encode", "count": 1000, "repeat": 15},
        {"workload": "encode", "count": 10000, "repeat": 5},
    ],
    # Short samples, many of them: a burst of load on the shared machine then spoils few.
    "call": [{"workload": "call", "calls": 10, "repeat": 301}],
    "import": [{"workload": "import", "repeat": 41}],
    "memory": [{"workload": "memory", "count": 10000, "repeat": 3}],
    "emulator": [
        {"workload": "emulator", "small": 1000, "large": 100000, "page_size": 100, "repeat": 25}
    ],
    "startstop": [{"workload": "startstop", "repeat": 51}],
    # Seeding 100,000 runs takes seconds per sample: few samples.
    "snapshot": [{"workload": "snapshot", "count": 100000, "repeat": 3}],
}
QUICK: Plan = {
    "decode": [
        {"workload": "decode", "count": 20, "repeat": 3},
        {"workload": "decode", "count": 100, "repeat": 3},
    ],
    "encode": [{"workload": "encode", "count": 20, "repeat": 3}],
    "call": [{"workload": "call", "calls": 10, "repeat": 3}],
    "import": [{"workload": "import", "repeat": 3}],
    "memory": [{"workload": "memory", "count": 50, "repeat": 2}],
    "emulator": [{"workload": "emulator", "small": 40, "large": 400, "page_size": 10, "repeat": 3}],
    "startstop": [{"workload": "startstop", "repeat": 3}],
    "snapshot": [{"workload": "snapshot", "count": 200, "repeat": 3}],
}
PLOT_EXTRA = {
    # Extra decode sizes so the chart has four points (100, 1k, 3k, 10k).
    "full": [
        {"workload": "decode", "count": 100, "repeat": 25},
        {"workload": "decode", "count": 3000, "repeat": 9},
    ],
    "quick": [
        {"workload": "decode", "count": 10, "repeat": 3},
        {"workload": "decode", "count": 50, "repeat": 3},
    ],
}
UPSTREAM_REPEAT = {100: 9, 1000: 5, 3000: 3, 10000: 3}
"""1.8.5 decodes ~20x slower than json.loads: fewer repeats keep its large rows bearable."""


def build_plan(selected: list[str], quick: bool, plot: bool, repeat: int | None) -> Plan:
    """The steps to run per benchmark, in a stable order (decode sizes ascending)."""
    plan = copy.deepcopy(QUICK if quick else FULL)
    if plot and "decode" in selected:
        plan["decode"] += copy.deepcopy(PLOT_EXTRA["quick" if quick else "full"])
        plan["decode"].sort(key=lambda step: step["count"])
    chosen = {name: plan[name] for name in BENCHMARKS if name in selected}
    if repeat is not None:
        for steps in chosen.values():
            for step in steps:
                step["repeat"] = repeat
    return chosen


def upstream_plan(plan: Plan, quick: bool, repeat: int | None) -> list[dict[str, Any]]:
    """The steps of ``plan`` that 1.8.5 can run too, with repeats sized for its speed."""
    steps = []
    for name in UPSTREAM_BENCHMARKS:
        for planned in plan.get(name, []):
            step = dict(planned)
            if "count" in step and repeat is None and not quick:
                step["repeat"] = min(step["repeat"], UPSTREAM_REPEAT.get(step["count"], 3))
            steps.append(step)
    return steps


def budget_of(measurement: Measurement) -> float | None:
    return BUDGETS.get(measurement.name.split()[0])


def status_of(measurement: Measurement) -> str:
    budget = budget_of(measurement)
    if budget is None:
        return "info"
    return "PASS" if measurement.ratio <= budget else "FAIL"


def format_value(value: float, unit: str) -> str:
    """Human figure: seconds as us/ms/s, bytes as KB/MB."""
    if unit == "B":
        for scale, suffix in ((1e9, "GB"), (1e6, "MB"), (1e3, "KB")):
            if value >= scale:
                return f"{value / scale:.1f} {suffix}"
        return f"{value:.0f} B"
    for scale, suffix in ((1.0, "s"), (1e-3, "ms"), (1e-6, "us")):
        if value >= scale:
            return f"{value / scale:.3g} {suffix}"
    return f"{value * 1e9:.0f} ns"


def render(headers: list[str], rows: list[list[str]], markdown: bool = False) -> str:
    """A table as aligned plain text, or as a Markdown pipe table."""
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows)]
    if markdown:
        edge, gap = "| ", " | "
        rule = edge + gap.join("-" * width for width in widths) + " |"
    else:
        edge, gap = "", "  "
        rule = gap.join("-" * width for width in widths)

    def line(cells: list[str]) -> str:
        text = edge + gap.join(cell.ljust(width) for cell, width in zip(cells, widths))
        return text + " |" if markdown else text.rstrip()

    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def results_table(measurements: list[Measurement], markdown: bool = False) -> str:
    rows = []
    for item in measurements:
        budget = budget_of(item)
        rows.append(
            [
                item.name,
                format_value(item.subject_median, item.unit),
                f"{format_value(item.baseline_median, item.unit)} ({item.baseline})",
                f"{item.ratio:.2f}x",
                "-" if budget is None else f"<= {budget:g}x",
                status_of(item),
            ]
        )
    headers = ["benchmark", "ours (median)", "baseline (median)", "ratio", "budget", "status"]
    return render(headers, rows, markdown)


def speedups(ours: list[Measurement], theirs: list[Measurement]) -> list[dict[str, Any]]:
    """Per workload run on both: 1.8.5 over ours, in absolute time and in floor-relative ratio."""
    mine = {item.name: item for item in ours}
    rows = []
    for other in theirs:
        item = mine.get(other.name)
        if item is None:
            continue
        rows.append(
            {
                "name": other.name,
                "upstream_median": other.subject_median,
                "upstream_baseline_median": other.baseline_median,
                "upstream_ratio": other.ratio,
                "ours_median": item.subject_median,
                "ours_ratio": item.ratio,
                "speedup_absolute": other.subject_median / item.subject_median,
                "speedup_ratio": other.ratio / item.ratio,
                "unit": other.unit,
            }
        )
    return rows


def speedup_table(rows: list[dict[str, Any]], markdown: bool = False) -> str:
    cells = [
        [
            row["name"],
            format_value(row["upstream_median"], row["unit"]),
            f"{row['upstream_ratio']:.2f}x",
            format_value(row["ours_median"], row["unit"]),
            f"{row['ours_ratio']:.2f}x",
            f"{row['speedup_absolute']:.2f}x",
            f"{row['speedup_ratio']:.2f}x",
        ]
        for row in rows
    ]
    headers = [
        "benchmark",
        "1.8.5 (median)",
        "1.8.5 ratio",
        "ours (median)",
        "ours ratio",
        "1.8.5 / ours",
        "1.8.5 ratio / ours ratio",
    ]
    return render(headers, cells, markdown)


def decode_series(ours: list[Measurement], theirs: list[Measurement]) -> decode_plot.Series:
    """Chart points: decode medians of this SDK, of 1.8.5 and of json.loads (our process)."""

    def points(items: list[Measurement], baseline: bool) -> list[tuple[int, float]]:
        return [
            (item.params["count"], item.baseline_median if baseline else item.subject_median)
            for item in items
            if item.name.startswith("decode ")
        ]

    series = {"kfp_server_api (this SDK)": points(ours, baseline=False)}
    if theirs:
        series["kfp-server-api 1.8.5"] = points(theirs, baseline=False)
    series["json.loads"] = points(ours, baseline=True)
    return series


def check_same_payloads(ours: list[Measurement], theirs: list[Measurement]) -> None:
    """Both interpreters must have decoded byte-identical payloads."""
    digests = {item.name: item.params.get("digest") for item in ours}
    for item in theirs:
        if item.name in digests and digests[item.name] != item.params.get("digest"):
            raise SystemExit(f"{item.name}: 1.8.5 measured different bytes than this SDK")


MARKERS = ("<!-- figures:start -->", "<!-- figures:end -->")
#: Where ``--markdown`` writes the figures when given no file: the performance page of the docs.
PERFORMANCE_PAGE = HERE.parent / "docs" / "performance.md"


def write_markdown(
    path: Path,
    facts: dict[str, Any],
    command: str,
    ours: list[Measurement],
    rows: list[dict[str, Any]],
) -> None:
    """Write the tables as Markdown: between the marker lines if ``path`` has them, else whole."""
    parts = [
        f"Measured {facts['date']} with `{command}` on Python {facts['python']}, urllib3 "
        f"{facts['urllib3']}, {facts['platform']}, {facts['cpus']} CPUs "
        f"(load average {facts['load_average']} at the start).",
        results_table(ours, markdown=True),
    ]
    if rows:
        parts.append(
            f"kfp-server-api {upstream.VERSION} on the same workloads (speed-up = 1.8.5 / ours):"
        )
        parts.append(speedup_table(rows, markdown=True))
    fragment = "\n\n".join(parts) + "\n"
    text = path.read_text() if path.exists() else ""
    section = re.compile(
        rf"^{re.escape(MARKERS[0])}\n.*?^{re.escape(MARKERS[1])}$", re.MULTILINE | re.DOTALL
    )
    if section.search(text):  # only the marker lines count, not mentions of them in the text
        fragment = section.sub(lambda _: f"{MARKERS[0]}\n{fragment}{MARKERS[1]}", text, count=1)
    path.write_text(fragment)


def measuring_options(arguments: argparse.Namespace, selected: list[str]) -> list[str]:
    """The command line that reproduces the measurements (output options left out)."""
    words = ["python benchmarks/run.py"]
    if arguments.quick:
        words.append("--quick")
    if arguments.only:
        words += [f"--only {name}" for name in selected]
    if arguments.repeat is not None:
        words.append(f"--repeat {arguments.repeat}")
    if arguments.compare_upstream:
        words.append("--compare-upstream")
    return words


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes and few repeats")
    parser.add_argument(
        "--only",
        action="append",
        choices=BENCHMARKS,
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(BENCHMARKS)}",
    )
    parser.add_argument("--repeat", type=int, metavar="N", help="samples per side, every row")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write results as JSON")
    parser.add_argument(
        "--plot",
        type=Path,
        default=HERE / "decode.png",
        metavar="FILE",
        help="decode chart (PNG; default benchmarks/decode.png)",
    )
    parser.add_argument("--no-plot", action="store_true", help="do not draw the decode chart")
    parser.add_argument(
        "--markdown",
        type=Path,
        nargs="?",
        const=PERFORMANCE_PAGE,
        metavar="FILE",
        help=f"write the tables as Markdown (between the lines {MARKERS[0]} and {MARKERS[1]} "
        "if FILE has them); without FILE, into docs/performance.md",
    )
    parser.add_argument(
        "--compare-upstream",
        action="store_true",
        help="also run decode, encode, call, import and memory on kfp-server-api 1.8.5 "
        "(in a cached virtualenv)",
    )
    parser.add_argument(
        "--upstream-cache",
        type=Path,
        metavar="DIR",
        help=f"where the 1.8.5 virtualenv is kept (default {upstream.cache_root()})",
    )
    parser.add_argument(
        "--profile", action="store_true", help="also print cProfile hot spots of this SDK"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 when a budget fails"
    )
    arguments = parser.parse_args(argv)
    if arguments.repeat is not None and arguments.repeat < 1:
        parser.error("--repeat must be at least 1")
    return arguments


def environment(target: workloads.Target) -> dict[str, Any]:
    facts = workloads.versions(target)
    facts.update(
        platform=platform.platform(),
        cpus=os.cpu_count(),
        load_average=round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else "n/a",
        date=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    return facts


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    selected = arguments.only or list(BENCHMARKS)
    plot = not arguments.no_plot and "decode" in selected
    plan = build_plan(selected, arguments.quick, plot, arguments.repeat)
    target = workloads.Target(label="kfp_server_api", path_entries=[str(REPO)])
    workloads.WORKLOADS["emulator"] = emulator_listing.listing
    workloads.WORKLOADS["startstop"] = emulator_startstop.start_stop
    workloads.WORKLOADS["snapshot"] = emulator_snapshot.snapshots
    facts = environment(target)
    print(
        f"kfp_server_api {facts['kfp_server_api']} - Python {facts['python']}, "
        f"urllib3 {facts['urllib3']}, {facts['platform']}, {facts['cpus']} CPUs, "
        f"load average {facts['load_average']}",
        flush=True,
    )

    ours = workloads.run_plan(target, [step for steps in plan.values() for step in steps])
    theirs: list[Measurement] = []
    upstream_facts: dict[str, Any] = {}
    if arguments.compare_upstream:
        steps = upstream_plan(plan, arguments.quick, arguments.repeat)
        if steps:
            python = upstream.ensure_virtualenv(arguments.upstream_cache)
            theirs, upstream_facts = upstream.run(python, steps)
            check_same_payloads(ours, theirs)

    print()
    print(results_table(ours))
    rows = speedups(ours, theirs)
    if rows:
        print()
        print(
            f"kfp-server-api {upstream.VERSION}: the same workloads in its own interpreter "
            "(speed-up = 1.8.5 / ours)"
        )
        print(speedup_table(rows))

    chart = None
    if plot:
        if decode_plot.available():
            chart = decode_plot.write(
                arguments.plot,
                decode_series(ours, theirs),
                f"Decoding a list_runs response into models (Python {facts['python']})",
            )
            print(f"\ndecode chart written to {chart}")
        else:
            print("\nmatplotlib is not installed: no decode chart (pip install matplotlib)")

    if arguments.profile:
        sizes = QUICK if arguments.quick else FULL
        print()
        print(
            hotspots.report(target, sizes["decode"][0]["count"], sizes["call"][0]["calls"] * 20),
            end="",
        )

    if arguments.json:
        document = {
            "environment": facts,
            "arguments": {"quick": arguments.quick, "only": selected, "repeat": arguments.repeat},
            "results": [
                {**item.to_dict(), "budget": budget_of(item), "status": status_of(item)}
                for item in ours
            ],
            "upstream": {**upstream_facts, "results": [item.to_dict() for item in theirs]},
            "speedups": rows,
            "chart": str(chart) if chart else None,
        }
        arguments.json.parent.mkdir(parents=True, exist_ok=True)
        arguments.json.write_text(json.dumps(document, indent=2) + "\n")
    if arguments.markdown:
        command = " ".join(measuring_options(arguments, selected))
        write_markdown(arguments.markdown, facts, command, ours, rows)
    failed = [item.name for item in ours if status_of(item) == "FAIL"]
    return 1 if arguments.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
