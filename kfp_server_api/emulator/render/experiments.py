"""Answers of the experiment service: Experiment and ListExperimentsResponse."""

from __future__ import annotations

import sqlite3
from json.encoder import encode_basestring
from typing import TYPE_CHECKING

from . import timestamp

if TYPE_CHECKING:
    from ..experiments import ExperimentPage

__all__ = ["experiment", "experiment_page"]


def experiment(row: sqlite3.Row) -> str:
    """An Experiment, keys in proto order: id, name, description, created_at, storage_state.

    Unlike a run's, an experiment's AVAILABLE is not the enum's zero value, so it is written
    out. resource_references are never set in single-user mode.
    """
    parts = ['{"id":', encode_basestring(row["uuid"])]
    if row["name"]:
        parts += [',"name":', encode_basestring(row["name"])]
    if row["description"]:
        parts += [',"description":', encode_basestring(row["description"])]
    parts += [',"created_at":', timestamp(row["created_at"])]
    parts += [',"storage_state":', encode_basestring(row["storage_state"]), "}"]
    return "".join(parts)


def experiment_page(page: ExperimentPage) -> str:
    """A ListExperimentsResponse: experiments, total_size and next_page_token, each left out
    when empty."""
    parts = []
    if page.experiments:
        items = ",".join(experiment(row) for row in page.experiments)
        parts.append('"experiments":[' + items + "]")
    if page.total_size:
        parts.append(f'"total_size":{page.total_size}')
    if page.next_page_token:
        parts.append('"next_page_token":"' + page.next_page_token + '"')
    return "{" + ",".join(parts) + "}"
