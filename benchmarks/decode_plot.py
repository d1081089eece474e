"""The decode chart: time to turn a list_runs body into models, against the number of runs.

matplotlib is imported only here and only when a chart is asked for, so every benchmark runs
without it (it is listed in benchmarks/requirements.txt, not in the SDK's requirements).
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

Series = dict[str, list[tuple[int, float]]]
"""Label -> points (number of runs, median seconds)."""

_STYLES = {
    "json.loads": {"color": "#7f7f7f", "linestyle": "--", "marker": "s"},
    "kfp-server-api 1.8.5": {"color": "#d62728", "linestyle": "-", "marker": "o"},
}
_DEFAULT_STYLE = {"color": "#1f77b4", "linestyle": "-", "marker": "D"}


def available() -> bool:
    """Whether matplotlib can be imported."""
    return importlib.util.find_spec("matplotlib") is not None


def write(path: Path, series: Series, title: str) -> Path:
    """Draw ``series`` on log-log axes and save them as a PNG at ``path``."""
    importlib.import_module("matplotlib").use("Agg")  # files only, no display needed
    pyplot = importlib.import_module("matplotlib.pyplot")

    figure, axes = pyplot.subplots(figsize=(7.5, 4.8), dpi=110)
    try:
        for label, points in series.items():
            if not points:
                continue
            counts, seconds = zip(*sorted(points))
            axes.plot(counts, seconds, label=label, **_STYLES.get(label, _DEFAULT_STYLE))
            count, last = counts[-1], seconds[-1]
            axes.annotate(
                _format_seconds(last),
                (count, last),
                textcoords="offset points",
                xytext=(6, 0),
                va="center",
                fontsize=8,
            )
        axes.set_xscale("log")
        axes.set_yscale("log")
        counts_seen = [count for points in series.values() for count, _ in points]
        if counts_seen:  # room on the right for the value labels
            axes.set_xlim(min(counts_seen) / 1.4, max(counts_seen) * 2.2)
        ticker = importlib.import_module("matplotlib.ticker")
        axes.xaxis.set_major_formatter(ticker.FuncFormatter(lambda value, _: f"{value:,.0f}"))
        axes.set_xlabel("runs in the list_runs response")
        axes.set_ylabel("median decode time (CPU seconds)")
        axes.set_title(title, fontsize=10)
        axes.grid(True, which="both", alpha=0.3)
        axes.legend()
        figure.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, format="png")
    finally:
        pyplot.close(figure)
    return path


def _format_seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.1f} s"
