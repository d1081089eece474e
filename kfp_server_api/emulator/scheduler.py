"""The scheduler: the ScheduledWorkflow controller and the persistence agent, on the clock.

KFP's API server only stores jobs; a controller in the cluster fires their runs. The emulator
plays it here. Whenever the emulator looks at its clock (every request, ``advance_clock``, and
a timer thread woken at the next due time when the clock is the system's), ``sync(now)`` takes
each job that is due and applies the controller's rules (KFP 1.8.5):

- the next run is due at the next tick after the last one fired (after ``start_time`` or the
  job's creation for the first one): ``interval_second`` after it, or the cron spec's next
  tick; ``start_time`` and ``end_time`` bound the ticks (both inclusive). A job without a
  trigger fires once, scheduled at its creation;
- nothing fires while the job is disabled, nor while ``max_concurrency`` of its runs are still
  active (status not final); a tick held back is postponed, not dropped;
- catch-up (the default) fires every missed tick, in order, each with its own
  ``scheduled_at``; with ``no_catchup`` a backlog collapses into one run, scheduled at now
  (periodic) or at the latest tick (cron);
- the controller submits one run per sync of a job and syncs it again 10 s later, so a job
  fires at most one run per 10 s of the clock (``SYNC_INTERVAL``). A sync drains as much of a
  backlog as the syncs the elapsed time allowed, so advancing the clock by a day fires the 24
  runs of an hourly job at once, while a job firing every second gets one run per 10 s, as on
  a cluster. A single sync fires at most ``MAX_CATCH_UP`` (10,000) runs of a job; the rest
  of a backlog follows at the controller's pace. Each run fired costs a constant amount of
  work (no tick is visited without firing), so advancing a year on a job firing every second
  costs those 10,000 runs at most (none beyond ``max_concurrency`` when runs take time).

A fired run is stored as the persistence agent reports it: named ``<swf>-<index>-<fnv32a>``,
references EXPERIMENT/OWNER then JOB/CREATOR, ``scheduled_at`` the tick, the workflow with the
controller's labels and the job's parameters (macros ``[[RunUUID]]``, ``[[Index]]``,
``[[ScheduledTime]]``, ``[[CurrentTime]]`` replaced); then it follows the lifecycle.

All the state is in the store, in the job's row, written in the transaction that stores the
run: nothing is kept in memory, so a reset, a restore or a restart goes on where it stopped
and never fires a run twice.
"""

from __future__ import annotations

import datetime
import json
import logging
import math
import threading
import uuid
from functools import lru_cache
from typing import Any

from . import cron, render
from .clock import ManualClock
from .context import ServiceContext
from .lifecycle import FINAL_STATUSES
from .protojson import TIMESTAMP_MAX, parse_timestamp
from .run_creation import CREATOR, EXPERIMENT, JOB, OWNER, Reference
from .store import RUN_FIELDS

__all__ = ["SYNC_INTERVAL", "Scheduler", "run_name"]

SYNC_INTERVAL = 10
"""Seconds between two syncs of a job by the controller, hence between two of its runs."""

MAX_CATCH_UP = 10_000
"""Most runs of one job a single sync fires; the rest of a backlog follows at the pace."""

_FINAL = tuple(sorted(FINAL_STATUSES))
_LOGGER = logging.getLogger(__name__)
_LABEL = "scheduledworkflows.kubeflow.org/"


def run_name(swf_name: str, index: int) -> str:
    """The workflow (and run) name: ``<swf>-<index>-<FNV-1a 32 of "<swf>-<index>">``."""
    base = f"{swf_name}-{index}"
    value = 0x811C9DC5
    for byte in base.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return f"{base}-{value}"


@lru_cache(maxsize=256)
def _trigger(text: str) -> tuple[str, Any, int | None, int | None]:
    """(kind, schedule or interval, start, end) of a stored trigger; kind '' for none."""
    document = json.loads(text)
    for kind in ("cron_schedule", "periodic_schedule"):
        if kind in document:
            fields = document[kind]
            start = parse_timestamp(fields["start_time"]) if "start_time" in fields else None
            end = parse_timestamp(fields["end_time"]) if "end_time" in fields else None
            if kind == "cron_schedule":
                return kind, cron.parse(fields.get("cron", "")), start, end
            return kind, int(fields.get("interval_second", "0")), start, end
    return "", None, None, None


class Scheduler:
    """Fires the runs of due jobs (see the module docstring); a timer thread when serving."""

    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.store = context.store
        context.tick_hooks.append(self.sync)
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._poked = False

    @staticmethod
    def fresh_pace(now: int) -> int:
        """``paced_until`` of a job the controller may fire one run of right now."""
        return now - SYNC_INTERVAL

    # ------------------------------------------------------------------------------------
    # Firing

    def sync(self, now: float) -> None:
        """Fire what is due at ``now``; the caller holds the store's lock."""
        moment = math.floor(now)
        due = self.store.due_jobs(moment)
        if not due:  # the common case costs one indexed lookup, no transaction
            return
        for row in due:
            try:
                with self.store.transaction():
                    self._sync_job(row["uuid"], moment)
            except Exception:
                # A job the scheduler cannot handle must not break every request: it is
                # logged and left out of scheduling; everything else goes on.
                _LOGGER.exception("cannot schedule job %s; it will not fire", row["uuid"])
                with self.store.transaction():
                    self.store.update_job(row["uuid"], next_fire_at=None)

    def _next_tick(self, job: Any, now: int) -> int | None:
        """When the job's next run is due (maybe in the past), or None for never (a tick
        beyond the latest time a Timestamp holds never comes)."""
        tick = self._nominal_tick(job, now)
        return tick if tick is not None and tick <= TIMESTAMP_MAX else None

    def _nominal_tick(self, job: Any, now: int) -> int | None:
        kind, schedule, start, end = _trigger(job["trigger"])
        if not kind:
            return int(job["created_at"]) if job["last_index"] == 0 else None
        base = job["last_triggered"]
        if base is None:
            base = start if start is not None else job["created_at"]
        if kind == "periodic_schedule":
            interval = int(schedule)
            tick = start if start is not None and start > base else base + interval
            if end is not None and end < tick:
                return None
            if job["no_catchup"] and now >= tick + interval:
                tick = end if end is not None and end < now else now
            return int(tick)
        after = max(base, start) if start is not None else base
        found = schedule.next_after(after)
        if found is None or (end is not None and end < found):
            return None
        if job["no_catchup"]:
            limit = min(now, end) if end is not None else now
            if isinstance(schedule, cron.EverySchedule):
                latest = after + (limit - after) // schedule.seconds * schedule.seconds
            else:
                latest = schedule.latest_at(limit)
            if latest is not None and latest > found:
                found = latest
        return int(found)

    def _sync_job(self, job_id: str, now: int) -> None:
        fired = 0
        while True:
            job = self.store.job(job_id)
            if job is None:
                return
            tick = self._next_tick(job, now) if job["enabled"] else None
            paced = job["paced_until"] if job["paced_until"] is not None else now - SYNC_INTERVAL
            changes: dict[str, Any] = {"blocked": 0, "next_fire_at": tick}
            if tick is None or tick > now:
                # Syncs that find nothing to do leave no credit for a later backlog.
                changes["paced_until"] = max(paced, now - SYNC_INTERVAL)
            elif paced + SYNC_INTERVAL > now:
                changes["next_fire_at"] = paced + SYNC_INTERVAL
            elif fired >= MAX_CATCH_UP:
                # The credit of the syncs a long clock jump skipped is spent; the rest of
                # the backlog comes one run per sync, as after a controller outage.
                changes.update(next_fire_at=now + SYNC_INTERVAL, paced_until=now)
            elif self.store.active_runs_of_job(job_id, _FINAL) >= _concurrency(job):
                changes["blocked"] = 1
            else:
                self._fire(job, tick, now)
                self.store.update_job(
                    job_id,
                    last_triggered=tick,
                    last_index=job["last_index"] + 1,
                    paced_until=paced + SYNC_INTERVAL,
                )
                # Lifecycle steps due at once (an instant lifecycle) finish the run now.
                self.context.advance_lifecycle(now)
                fired += 1
                continue
            if _trigger(job["trigger"])[0]:
                status = "Enabled" if job["enabled"] else "Disabled"
            else:
                fired = job["last_index"] > 0
                active = fired and self.store.active_runs_of_job(job_id, _FINAL) > 0
                status = "Succeeded" if fired and not active else "Running"
                if active:  # looked at again until its run has finished
                    changes.update(next_fire_at=now, blocked=1)
            changes["status"] = status
            changed = {name: value for name, value in changes.items() if job[name] != value}
            if changed:
                self.store.update_job(job_id, **changed)
            return

    def _fire(self, job: Any, scheduled: int, now: int) -> None:
        """Store the run the controller's workflow becomes, as the persistence agent does."""
        run_id = str(uuid.uuid4())
        index = job["last_index"] + 1
        name = run_name(job["k8s_name"], index)
        experiment = self.store.experiment(job["experiment_id"])
        experiment_name = _reference_name(job["refs"], "EXPERIMENT") or (
            str(experiment["name"]) if experiment is not None else ""
        )
        references = [
            Reference(EXPERIMENT, job["experiment_id"], OWNER, experiment_name),
            Reference(JOB, job["uuid"], CREATOR, job["name"]),
        ]
        parameters = json.loads(job["parameters"]) if job["parameters"] else []
        macros = _macros(run_id, index, scheduled, now)
        given = {p.get("name", ""): _expand(p.get("value", ""), macros) for p in parameters}
        workflow_id = pipeline_id = None
        run_parameters = ""
        if job["workflow_manifest_id"] is not None:
            manifest = self.store.manifest_text(job["workflow_manifest_id"])
            workflow = _fired_workflow(manifest, name, run_id, job, index, scheduled, given)
            workflow_id = self.store.intern_manifest(workflow)
        elif job["pipeline_manifest_id"] is not None:
            pipeline_id = job["pipeline_manifest_id"]
            run_parameters = render.parameters_json(list(given.items()))
        values: dict[str, Any] = {
            "uuid": run_id,
            "name": name,
            "description": "",
            "storage_state": render.AVAILABLE,
            "status": "",
            "created_at": now,
            "scheduled_at": scheduled,
            "finished_at": 0,
            "experiment_id": job["experiment_id"],
            "namespace": job["namespace"] or self.context.namespace,
            "service_account": "",
            "error": "",
            "k8s_name": name,
            "pipeline_id": "",
            "pipeline_name": "",
            "workflow_manifest_id": workflow_id,
            "pipeline_manifest_id": pipeline_id,
            "parameters": run_parameters,
            "refs": render.references_json([r.as_dict() for r in references]),
            "terminated": 0,
            **self.context.start_track("create", now),
        }
        self.store.insert_runs(
            [tuple(values[field] for field in RUN_FIELDS)], [(run_id, "JOB", job["uuid"])]
        )

    # ------------------------------------------------------------------------------------
    # The timer thread (system clock only; a ManualClock moves through advance_clock)

    def start(self) -> None:
        """Start the timer thread that syncs at the next due time (no-op on a ManualClock)."""
        if self._thread is not None or isinstance(self.context.clock, ManualClock):
            return
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="kfp-emulator-scheduler")
        self._thread.daemon = True
        self._thread.start()

    def stop(self) -> None:
        """Stop the timer thread."""
        thread = self._thread
        if thread is None:
            return
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        thread.join()
        self._thread = None

    def wake(self) -> None:
        """Make the timer look at the store again (a job was created or enabled)."""
        with self._condition:
            self._poked = True
            self._condition.notify_all()

    def _delay(self) -> float | None:
        """Seconds until the next job or lifecycle step is due, or None for nothing."""
        with self.store.reading():
            due = [self.store.next_job_wake(), self.context.next_lifecycle_due]
        times = [moment for moment in due if moment is not None]
        if not times:
            return None
        return max(0.0, min(times) - self.context.clock.now())

    def _run(self) -> None:
        while True:
            delay = self._delay()
            with self._condition:
                if not self._stopping and not self._poked and delay != 0:
                    self._condition.wait(delay)
                self._poked = False
                if self._stopping:
                    return
            self.context.tick()


def _concurrency(job: Any) -> int:
    return min(max(int(job["max_concurrency"]), 1), 10)


def _reference_name(refs: str, type_name: str) -> str:
    for reference in json.loads(refs) if refs else []:
        if reference.get("key", {}).get("type") == type_name:
            return str(reference.get("name", ""))
    return ""


def _compact_time(seconds: int) -> str:
    moment = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
    return moment.strftime("%Y%m%d%H%M%S")


def _macros(run_id: str, index: int, scheduled: int, now: int) -> dict[str, str]:
    return {
        "[[RunUUID]]": run_id,
        "[[Index]]": str(index),
        "[[ScheduledTime]]": _compact_time(scheduled),
        "[[CurrentTime]]": _compact_time(now),
    }


def _expand(value: str, macros: dict[str, str]) -> str:
    for macro, replacement in macros.items():
        value = value.replace(macro, replacement)
    return value


def _fired_workflow(
    manifest: str,
    name: str,
    run_id: str,
    job: Any,
    index: int,
    scheduled: int,
    parameters: dict[str, str],
) -> str:
    """The workflow the controller creates: the job's spec, its parameters, the labels."""
    document = json.loads(manifest)
    spec = document.get("spec") if isinstance(document, dict) else None
    spec = spec if isinstance(spec, dict) else {}
    for parameter in (spec.get("arguments") or {}).get("parameters") or []:
        if parameter.get("name") in parameters:
            parameter["value"] = parameters[parameter["name"]]
    pod_labels = spec.setdefault("podMetadata", {}).setdefault("labels", {})
    pod_labels["pipeline/runid"] = run_id
    workflow = {
        "apiVersion": document.get("apiVersion", ""),
        "kind": "Workflow",
        "metadata": {
            "generateName": name,
            "labels": {
                f"{_LABEL}isOwnedByScheduledWorkflow": "true",
                f"{_LABEL}scheduledWorkflowName": job["k8s_name"],
                f"{_LABEL}workflowEpoch": str(scheduled),
                f"{_LABEL}workflowIndex": str(index),
            },
        },
        "spec": spec,
    }
    text = json.dumps(workflow, ensure_ascii=False, separators=(",", ":"))
    return text.replace("{{workflow.uid}}", run_id)
