"""SQLite storage: one module per table (or family of tables), assembled into ``Store``.

- ``base.py``: the connection, schema versions and migrations, locking, transactions.
- ``listing.py``: listing queries for any table that describes itself with a ``Table``.
- ``runs.py``, ``experiments.py``, ``pipelines.py``, ``jobs.py``, ``manifests.py``: each
  table's schema and the methods that read and write it. All SQL of the emulator is in this
  package.

A table module adds its ``SCHEMA`` (and any ``DERIVED`` indexes and triggers) and a mixin
class; registering it is one line in each of ``_SCHEMA`` and ``Store``'s bases below (and in
``_DERIVED`` if it has indexes). A change to an existing table bumps ``SCHEMA_VERSION`` and
adds a migration.
"""

from __future__ import annotations

from . import experiments, jobs, manifests, pipelines, runs
from .base import SETTINGS_SCHEMA, Snapshot, StoreError
from .experiments import EXPERIMENT_FIELDS, ExperimentTable
from .jobs import JobTable
from .pipelines import PipelineTable
from .runs import RUN_FIELDS, RunTable

__all__ = ["EXPERIMENT_FIELDS", "RUN_FIELDS", "SCHEMA_VERSION", "Snapshot", "Store", "StoreError"]

SCHEMA_VERSION = 5

_SCHEMA = "".join(
    (
        SETTINGS_SCHEMA,
        experiments.SCHEMA,
        jobs.SCHEMA,
        pipelines.SCHEMA,
        manifests.SCHEMA,
        runs.SCHEMA,
    )
)
_DERIVED = {**runs.DERIVED, **experiments.DERIVED, **jobs.DERIVED, **pipelines.DERIVED}
_MIGRATIONS = {
    **runs.MIGRATIONS,
    **experiments.MIGRATIONS,
    **jobs.MIGRATIONS,
    **pipelines.MIGRATIONS,
}


class Store(RunTable, ExperimentTable, PipelineTable, JobTable):
    """The emulator's database. See ``base.py`` for the locking contract."""

    schema_version = SCHEMA_VERSION
    schema = _SCHEMA
    derived = _DERIVED
    migrations = _MIGRATIONS
    text_searched = (runs.RUNS, experiments.EXPERIMENTS)
