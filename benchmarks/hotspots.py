"""Where the time goes: cProfile of the SDK side of the decode, encode and call workloads.

Used by ``run.py --profile``. Profiling slows everything down and changes proportions a little,
so these listings explain a ratio; they are not figures to compare with the budget.
"""

from __future__ import annotations

import cProfile
import io
import pstats
from typing import Callable

import workloads
from workloads import Target

_TOP = 18


def _listing(title: str, operation: Callable[[], object], number: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(number):
        operation()
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.strip_dirs().sort_stats(pstats.SortKey.TIME).print_stats(_TOP)
    body = "\n".join(line for line in stream.getvalue().splitlines() if line.strip())
    return f"--- {title} (x{number}), by own time ---\n{body}\n"


def report(target: Target, count: int, calls: int) -> str:
    """Profiles of decoding and encoding ``count`` runs and of ``calls`` get_run calls."""
    parts = []
    with workloads.decode_operations(target, count) as operations:
        parts.append(_listing(f"decode {count:,} runs", operations.subject, 1))
    with workloads.encode_operations(target, count) as operations:
        parts.append(_listing(f"encode {count:,} runs", operations.subject, 1))
    with workloads.call_operations(target) as operations:
        parts.append(_listing("get_run", operations.subject, calls))
    return "\n".join(parts)
