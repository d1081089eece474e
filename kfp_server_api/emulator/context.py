"""What every service works on: the store, the clock, the run lifecycle and the defaults.

``ServiceContext.tick()`` plays the part of Argo and the persistence agent: before each
operation, runs whose lifecycle step is due are moved on. Every service and the control
operations call it first, so time-dependent state is current whatever is asked.
"""

from __future__ import annotations

import contextlib
import math
import sqlite3
import uuid
from typing import Any

from . import errors
from .clock import Clock
from .errors import ApiError
from .lifecycle import Lifecycle
from .store import Store

__all__ = [
    "DEFAULT_EXPERIMENT_NAME",
    "DEFAULT_NAMESPACE",
    "DEFAULT_SERVICE_ACCOUNT",
    "ServiceContext",
    "name_taken",
]

DEFAULT_NAMESPACE = "kubeflow"
DEFAULT_SERVICE_ACCOUNT = "pipeline-runner"
DEFAULT_EXPERIMENT_NAME = "Default"
_DEFAULT_EXPERIMENT_DESCRIPTION = (
    "All runs created without specifying an experiment will be grouped here."
)
_DEFAULT_EXPERIMENT_SETTING = "default_experiment_id"


def name_taken(name: str) -> str:
    """The server's message when an experiment name is taken (in its namespace)."""
    return (
        f"Failed to create a new experiment. The name {name} already exists. "
        "Please specify a new name."
    )


class ServiceContext:
    """The state shared by the services: store, clock, lifecycle, namespace, Default experiment."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        lifecycle: Lifecycle,
        *,
        namespace: str = DEFAULT_NAMESPACE,
    ) -> None:
        self.store = store
        self.clock = clock
        self.lifecycle = lifecycle
        self.namespace = namespace
        self.reload()

    def reload(self) -> None:
        """Read again what is kept from the store (at start, and after it was reset or
        restored): the Default experiment, created if missing, and when the next lifecycle
        step is due."""
        with self.store.transaction():
            # Created at start-up, as the server does. If another experiment took the name
            # Default, runs get the server's 500 when they need it.
            with contextlib.suppress(ApiError):
                self.default_experiment()
            self._next_due = self.store.next_due()

    def now(self) -> int:
        """The clock's time in whole seconds, as the server stores times."""
        return math.floor(self.clock.now())

    @property
    def default_experiment_id(self) -> str:
        """The id of the experiment Default (see ``default_experiment``)."""
        return self.default_experiment()

    def default_experiment(self) -> str:
        """The id of the experiment Default, which owns runs created without an experiment.

        As on the real server, it is created when there is none (at start, and after it was
        deleted, by the next run or job that needs it). Raises ApiError (500, the server's
        message) if another experiment has taken the name Default meanwhile.
        """
        with self.store.transaction():
            experiment_id = self.store.setting(_DEFAULT_EXPERIMENT_SETTING)
            if experiment_id and self.store.experiment(experiment_id) is not None:
                return experiment_id
            if self.store.experiment_named(DEFAULT_EXPERIMENT_NAME, "") is not None:
                cause = errors.already_exists(name_taken(DEFAULT_EXPERIMENT_NAME)).message
                raise errors.internal(
                    "Failed to create new default experiment",
                    f"Failed to create default experiment. Err: {cause}",
                )
            experiment_id = str(uuid.uuid4())
            self.store.add_experiment(
                experiment_id,
                DEFAULT_EXPERIMENT_NAME,
                _DEFAULT_EXPERIMENT_DESCRIPTION,
                "",
                self.now(),
            )
            self.store.set_setting(_DEFAULT_EXPERIMENT_SETTING, experiment_id)
            return experiment_id

    def forget_default_experiment(self, experiment_id: str) -> None:
        """The experiment was deleted: if it was Default, the next one is created on demand."""
        if self.store.setting(_DEFAULT_EXPERIMENT_SETTING) == experiment_id:
            self.store.set_setting(_DEFAULT_EXPERIMENT_SETTING, "")

    def tick(self) -> None:
        """Apply every lifecycle step that is due by now."""
        with self.store.lock:
            now = self.clock.now()
            if self._next_due is None or self._next_due > now:
                return
            with self.store.transaction():
                for row in self.store.due_runs(now):
                    self._advance(row, now)
                self._next_due = self.store.next_due()

    def _advance(self, row: sqlite3.Row, now: float) -> None:
        steps = self.lifecycle.track(row["track"] or "create")
        index, start = row["step"], row["track_start"] or 0.0
        status: str | None = None
        finished_at = 0
        while index < len(steps) and start + steps[index].at <= now:
            step = steps[index]
            status = step.status
            finished_at = math.floor(start + step.at) if step.final else 0
            index += 1
        next_at = start + steps[index].at if index < len(steps) else None
        changes: dict[str, Any] = {"step": index, "next_step_at": next_at}
        if status is not None:
            changes.update(status=status, finished_at=finished_at)
        if next_at is None:
            changes["track"] = None
        self.store.update_run(row["uuid"], **changes)

    def start_track(self, track: str, start: float) -> dict[str, Any]:
        """The run columns that put a run at the start of a lifecycle track."""
        steps = self.lifecycle.track(track)
        next_at = start + steps[0].at if steps else None
        if next_at is not None:
            self._next_due = next_at if self._next_due is None else min(self._next_due, next_at)
        return {
            "track": track if steps else None,
            "step": 0,
            "track_start": start,
            "next_step_at": next_at,
        }
