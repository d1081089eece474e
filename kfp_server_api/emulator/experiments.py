"""The experiment service: the six ExperimentService endpoints of KFP v1beta1 (single-user).

Each endpoint method takes its arguments as ``routes()`` shapes them and returns a stored row,
a page, or None, or raises ``ApiError``; ``render/experiments.py`` writes the answer. Checks,
messages and effects follow the real server:

- create: an empty name, then any resource reference (single-user mode), then a name already
  taken (409, AlreadyExists). Only name and description are read from the body.
- get and delete answer 404 for an unknown id; archive and unarchive do not look (200, no
  effect), as the real server does not in single-user mode.
- archive archives the experiment and every run that belongs to or refers to it (runs keep
  running) and disables its enabled jobs; unarchive restores only the experiment; delete
  leaves its runs and jobs, with their references, as they are.
- The experiment Default is an ordinary experiment: it can be archived and deleted; the next
  run (or job) created without an experiment creates a new one (``ServiceContext``).
- list: paging, sorting and filtering on the six fields the real server allows, as every
  listing does (``listing.py``); ``resource_reference_key`` may name an experiment, job,
  pipeline version or (with an empty id) namespace, and is then ignored, since a single-user
  installation lists all its experiments.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass

from . import errors, listing, render
from .context import ServiceContext, name_taken
from .listing import Column, Listable, ListQuery, parse_query
from .protojson import Message
from .render import experiments as render_experiments
from .routes import Route, message_body
from .run_creation import EXPERIMENT, JOB, NAMESPACE, PIPELINE_VERSION

__all__ = ["EXPERIMENT_LISTING", "ExperimentPage", "ExperimentService"]

EXPERIMENT_LISTING = Listable(
    "Experiment",
    (
        Column("id", "UUID", integer=False),
        Column("name", "Name", integer=False),
        Column("created_at", "CreatedAtInSec", integer=True),
        Column("description", "Description", integer=False),
        Column("namespace", "Namespace", integer=False),
        Column("storage_state", "StorageState", integer=False),
    ),
    reference_types=frozenset({EXPERIMENT, JOB, PIPELINE_VERSION, NAMESPACE}),
    model_prefix="experiments.",
)
"""How experiments list: sortable and filterable fields, reference key types."""

_VALIDATE = "Validate experiment request failed."


@dataclass(frozen=True)
class ExperimentPage:
    """A page of experiments, the total that matched, and the next page's token ('' if last)."""

    experiments: list[sqlite3.Row]
    total_size: int
    next_page_token: str


class ExperimentService:
    """The ExperimentService endpoints, on the shared ``ServiceContext``."""

    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.store = context.store

    def routes(self) -> list[Route]:
        """The experiment service's routes (see ``routes.py``)."""
        prefix = "/apis/v1beta1/experiments"
        render_one = render_experiments.experiment
        return [
            Route.parse(
                "GET",
                prefix,
                self.list_experiment,
                render_experiments.experiment_page,
                query=parse_query,
            ),
            Route.parse("POST", prefix, self.create_experiment, render_one, body=_EXPERIMENT),
            Route.parse("GET", f"{prefix}/{{id}}", self.get_experiment, render_one),
            Route.parse("DELETE", f"{prefix}/{{id}}", self.delete_experiment, render.empty),
            Route.parse("POST", f"{prefix}/{{id}}:archive", self.archive_experiment, render.empty),
            Route.parse(
                "POST", f"{prefix}/{{id}}:unarchive", self.unarchive_experiment, render.empty
            ),
        ]

    def create_experiment(self, experiment: Message) -> sqlite3.Row:
        """``POST /apis/v1beta1/experiments``: the body is the Experiment; answers it stored."""
        name = experiment.get("name", "")
        if not name:
            error = errors.invalid_input(
                "Experiment name is empty. Please specify a valid experiment name."
            )
            raise error.wrap(_VALIDATE)
        if experiment.get("resource_references"):
            error = errors.invalid_input(
                "In single-user mode, CreateExperimentRequest shouldn't contain resource "
                "references."
            )
            raise error.wrap(_VALIDATE)
        experiment_id = str(uuid.uuid4())
        with self.store.transaction():
            if self.store.experiment_named(name, "") is not None:
                raise errors.already_exists(name_taken(name)).wrap("Create experiment failed.")
            self.store.add_experiment(
                experiment_id, name, experiment.get("description", ""), "", self.context.now()
            )
            row = self.store.experiment(experiment_id)
        assert row is not None
        return row

    def get_experiment(self, experiment_id: str) -> sqlite3.Row:
        """``GET /apis/v1beta1/experiments/{id}``: archived ones included."""
        with self.store.reading():
            row = self.store.experiment(experiment_id)
        if row is None:
            raise errors.not_found("Experiment", experiment_id).wrap("Get experiment failed.")
        return row

    def list_experiment(self, query: ListQuery) -> ExperimentPage:
        """``GET /apis/v1beta1/experiments``: a page, total_size and next_page_token."""
        options = listing.list_options(query, EXPERIMENT_LISTING)
        reference = listing.reference_key(query, EXPERIMENT_LISTING)
        if reference is not None and reference.type == "NAMESPACE" and reference.id:
            raise errors.invalid_input(
                "In single-user mode, ListExperiment cannot filter by namespace."
            )
        with self.store.reading():
            # Every accepted reference key lists all experiments of a single-user installation.
            rows, total = self.store.list_experiments(options)
        token = ""
        if len(rows) > options.page_size:
            following = rows[options.page_size]
            token = listing.encode_page_token(
                options, following["sort_value"], following["uuid"], EXPERIMENT_LISTING.model_prefix
            )
            rows = rows[: options.page_size]
        return ExperimentPage(rows, total, token)

    def delete_experiment(self, experiment_id: str) -> None:
        """``DELETE /apis/v1beta1/experiments/{id}``: its runs and jobs stay as they are."""
        with self.store.transaction():
            if not self.store.delete_experiment(experiment_id):
                error = errors.not_found("Experiment", experiment_id)
                raise error.wrap("Delete experiment failed")
            self.context.forget_default_experiment(experiment_id)

    def archive_experiment(self, experiment_id: str) -> None:
        """``POST /apis/v1beta1/experiments/{id}:archive``: with its runs; disables its jobs."""
        self.context.tick()
        with self.store.transaction():
            self.store.set_experiment_storage_state(experiment_id, render.ARCHIVED)
            self.store.archive_runs_of_experiment(experiment_id)
            self.store.disable_jobs_of_experiment(experiment_id, self.context.now())

    def unarchive_experiment(self, experiment_id: str) -> None:
        """``POST /apis/v1beta1/experiments/{id}:unarchive``: its runs and jobs stay as they are."""
        with self.store.transaction():
            self.store.set_experiment_storage_state(experiment_id, render.AVAILABLE)


_EXPERIMENT = message_body("api.Experiment")
