"""How runs move on their own: Pending -> Running -> Succeeded, and what terminate/retry do.

A lifecycle is three tracks of steps. Each step is a status and the time, in seconds after the
track started, at which the run takes it:

- ``on_create`` starts when the run is created. The create response itself shows the run as
  the real server does, with no status; steps due at offset 0 apply before the next request.
- ``on_terminate`` starts when terminate_run has set ``Terminating``.
- ``on_retry`` starts when retry_run has set ``Running``. By default it is the part of
  ``on_create`` after its ``Running`` step, so a retried run finishes as a new one would.

A step whose status is final (Succeeded, Failed, Error, Skipped) sets ``finished_at`` to the
time the step was due; any other status resets it to 0. Times come from the emulator's clock,
so with a ``ManualClock`` runs move exactly when the test advances it. Setting a status through
the control API takes the run off its track.

Ready-made lifecycles: ``Lifecycle.timed()`` (the default: Pending at once, Running after 1 s,
Succeeded after 2 s), ``Lifecycle.instant()`` (final by the first read) and
``Lifecycle.manual()`` (nothing moves unless driven). ``Lifecycle.parse()`` reads the command
line's form, e.g. ``"Pending:0,Running:5,Failed:30"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["FINAL_STATUSES", "Lifecycle", "Step"]

FINAL_STATUSES = frozenset({"Succeeded", "Failed", "Error", "Skipped"})
"""Statuses after which a run is finished (Argo's final phases)."""


@dataclass(frozen=True)
class Step:
    """Take ``status`` when ``at`` seconds have passed since the track started."""

    status: str
    at: float = 0.0

    def __post_init__(self) -> None:
        if not self.status:
            raise ValueError("a lifecycle step needs a status")
        if not self.at >= 0:
            raise ValueError(f"step {self.status!r}: time must be >= 0, got {self.at!r}")

    @property
    def final(self) -> bool:
        """Whether this step finishes the run."""
        return self.status in FINAL_STATUSES


def _steps(steps: Sequence[Step | tuple[str, float]]) -> tuple[Step, ...]:
    result = tuple(step if isinstance(step, Step) else Step(*step) for step in steps)
    for earlier, later in zip(result, result[1:]):
        if later.at < earlier.at:
            raise ValueError("lifecycle steps must be in time order")
    return result


@dataclass(frozen=True, init=False)
class Lifecycle:
    """The three tracks of steps a run follows; see the module docstring."""

    on_create: tuple[Step, ...]
    on_terminate: tuple[Step, ...]
    on_retry: tuple[Step, ...] | None

    def __init__(
        self,
        on_create: Sequence[Step | tuple[str, float]],
        on_terminate: Sequence[Step | tuple[str, float]] = (Step("Failed", 0.0),),
        on_retry: Sequence[Step | tuple[str, float]] | None = None,
    ) -> None:
        object.__setattr__(self, "on_create", _steps(on_create))
        object.__setattr__(self, "on_terminate", _steps(on_terminate))
        object.__setattr__(self, "on_retry", None if on_retry is None else _steps(on_retry))

    def track(self, name: str) -> tuple[Step, ...]:
        """The steps of track ``name`` (``create``, ``terminate`` or ``retry``)."""
        if name == "create":
            return self.on_create
        if name == "terminate":
            return self.on_terminate
        if name == "retry":
            return self.retry_steps()
        raise ValueError(f"unknown lifecycle track {name!r}")

    def retry_steps(self) -> tuple[Step, ...]:
        """``on_retry``, or by default the steps of ``on_create`` after its Running step."""
        if self.on_retry is not None:
            return self.on_retry
        for index, step in enumerate(self.on_create):
            if step.status == "Running":
                return tuple(Step(s.status, s.at - step.at) for s in self.on_create[index + 1 :])
        if self.on_create:
            return (Step(self.on_create[-1].status, 0.0),)
        return ()

    @classmethod
    def timed(
        cls,
        *,
        pending: float = 0.0,
        running: float = 1.0,
        done: float = 2.0,
        final: str = "Succeeded",
        terminated: float = 1.0,
    ) -> Lifecycle:
        """Pending, Running and ``final`` at the given seconds after creation.

        A terminated run becomes Failed ``terminated`` seconds after terminate_run.
        """
        return cls(
            (Step("Pending", pending), Step("Running", running), Step(final, done)),
            (Step("Failed", terminated),),
        )

    @classmethod
    def instant(cls, final: str = "Succeeded") -> Lifecycle:
        """Runs are ``final`` by the first read; terminated runs are Failed by the next one."""
        return cls((Step(final, 0.0),), (Step("Failed", 0.0),))

    @classmethod
    def manual(cls) -> Lifecycle:
        """Nothing moves unless driven through the control API (terminate still sets
        ``Terminating`` and retry ``Running``, as the real server does)."""
        return cls((), (), ())

    @classmethod
    def parse(cls, text: str) -> Lifecycle:
        """``instant``, ``manual``, ``timed`` or steps like ``Pending:0,Running:5,Succeeded:30``."""
        name = text.strip()
        if name in ("instant", "manual", "timed"):
            factory = {"instant": cls.instant, "manual": cls.manual, "timed": cls.timed}[name]
            return factory()
        steps = []
        for part in name.split(","):
            status, separator, at = part.strip().partition(":")
            if not separator:
                raise ValueError(f"expected STATUS:SECONDS, got {part.strip()!r}")
            try:
                seconds = float(at)
            except ValueError:
                raise ValueError(f"not a number of seconds: {at!r}") from None
            steps.append(Step(status.strip(), seconds))
        return cls(steps)
