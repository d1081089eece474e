"""Clocks the emulator reads time from: the system clock (with an offset) or a manual one.

Everything time-dependent in the emulator reads ``clock.now()``: ``created_at``, ``finished_at``
and the run lifecycle. Stepping the clock with ``advance()`` moves runs along their lifecycle,
which makes waiting code testable without waiting.
"""

from __future__ import annotations

import datetime
import threading
import time
from typing import Protocol, Union, runtime_checkable

__all__ = ["Clock", "ManualClock", "SystemClock", "Timestamp", "to_seconds"]

Timestamp = Union[float, int, datetime.datetime]
"""A point in time: Unix seconds, or a datetime (a naive one is taken as UTC)."""

DEFAULT_START = datetime.datetime(2022, 3, 1, 10, 0, 0, tzinfo=datetime.timezone.utc)
"""Where a ``ManualClock`` starts when not told otherwise."""


def to_seconds(moment: Timestamp) -> float:
    """Unix seconds of ``moment``."""
    if isinstance(moment, datetime.datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.timezone.utc)
        return moment.timestamp()
    return float(moment)


@runtime_checkable
class Clock(Protocol):
    """What the emulator needs from a clock."""

    def now(self) -> float:
        """Current time in Unix seconds."""
        ...

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds``."""
        ...


class SystemClock:
    """Wall-clock time, plus an offset that ``advance()`` adds to."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        """Current wall-clock time plus the accumulated offset."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Jump ``seconds`` ahead of the wall clock (cumulative)."""
        if seconds < 0:
            raise ValueError("a clock only moves forward")
        with self._lock:
            self._offset += seconds

    def __repr__(self) -> str:
        return f"SystemClock(offset={self._offset})"


class ManualClock:
    """A clock that stands still until it is advanced; deterministic for tests."""

    def __init__(self, start: Timestamp = DEFAULT_START) -> None:
        self._now = to_seconds(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        """The clock's current time."""
        return self._now

    def advance(self, seconds: float) -> None:
        """Move the clock ``seconds`` forward."""
        if seconds < 0:
            raise ValueError("a clock only moves forward")
        with self._lock:
            self._now += seconds

    def set(self, moment: Timestamp) -> None:
        """Move the clock to ``moment``, which must not be in its past."""
        seconds = to_seconds(moment)
        with self._lock:
            if seconds < self._now:
                raise ValueError("a clock only moves forward")
            self._now = seconds

    def __repr__(self) -> str:
        return f"ManualClock({self._now})"
