"""The figures the reliability suite reports: counted by the tests, printed after the run.

Tests add to the session's :class:`Figures` (the ``figures`` fixture); the terminal summary
prints them as a Markdown table. With ``RELIABILITY_FIGURES=docs/reliability.md`` in the
environment, the run also writes them into that page, between its marker lines (``write_page``),
so the page's figures come from a run and never from a hand copy.
"""

from __future__ import annotations

import platform
import re
import threading
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

__all__ = ["FIGURES", "MARKERS", "Figures", "write_page"]

#: Each figure: key, and what it counts (the row label of the table).
FIGURES: tuple[tuple[str, str], ...] = (
    ("load_calls", "API calls held under load (16 threads, and async_req on 8 pool threads)"),
    ("load_errors", "errors among those calls"),
    ("state_checks", "stored runs checked against what the clients sent"),
    ("faults", "client-side faults survived (typed error or correct result, no hang)"),
    ("leak_checks", "checks that sockets and threads returned to their baseline"),
    ("fuzzed_requests", "fuzzed requests sent to the emulator (raw HTTP)"),
    ("server_errors", "5xx answers to them, other than the internal errors KFP documents"),
    ("fuzzed_models", "random models round-tripped through ApiClient"),
    ("kills", "emulator processes killed with SIGKILL mid-burst"),
    ("acknowledged_writes", "acknowledged creates checked after restart"),
    ("lost_writes", "acknowledged creates lost"),
    ("security_checks", "security checks passed"),
)
_KEYS = frozenset(key for key, _ in FIGURES)
#: The lines between which ``write_page`` puts the figures.
MARKERS = ("<!-- figures:start -->", "<!-- figures:end -->")


class Figures:
    """Thread-safe counters keyed by the names in :data:`FIGURES`."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._touched: set[str] = set()
        self._lock = threading.Lock()

    def add(self, key: str, amount: int = 1) -> None:
        """Add ``amount`` to figure ``key`` (adding 0 records that it was measured)."""
        if key not in _KEYS:
            raise KeyError(f"unknown figure {key!r}")
        with self._lock:
            self._counts[key] += amount
            self._touched.add(key)

    def __getitem__(self, key: str) -> int:
        with self._lock:
            return self._counts[key]

    def table(self) -> str:
        """The measured figures as a Markdown table (empty when nothing was measured)."""
        with self._lock:
            rows = [
                f"| {label} | {self._counts[key]:,} |"
                for key, label in FIGURES
                if key in self._touched
            ]
        if not rows:
            return ""
        return "\n".join(["| What | Count |", "| --- | ---: |", *rows])


def write_page(page: Path, table: str, seconds: float) -> None:
    """Replace the text between the marker lines of ``page`` with ``table`` and how it was run."""
    import urllib3

    measured = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    fragment = (
        f"Measured {measured} with `python -m pytest test/reliability` on Python "
        f"{platform.python_version()}, urllib3 {urllib3.__version__}, {platform.system()}, "
        f"in {seconds:.0f} s.\n\n{table}\n"
    )
    text = page.read_text(encoding="utf-8")
    section = re.compile(
        rf"^{re.escape(MARKERS[0])}\n.*?^{re.escape(MARKERS[1])}$", re.MULTILINE | re.DOTALL
    )
    if section.search(text) is None:
        raise ValueError(f"{page} has no lines {MARKERS[0]} and {MARKERS[1]}")
    page.write_text(
        section.sub(lambda _: f"{MARKERS[0]}\n{fragment}{MARKERS[1]}", text, count=1),
        encoding="utf-8",
    )
