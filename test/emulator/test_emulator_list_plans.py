"""list_runs finds each page either by walking an index in page order or by gathering the runs
that pass the filter and sorting them; the store picks one per query. Both must list exactly
the same runs in the same order, page by page, for every filter op, sort field and metric sort.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from emulator_http import RUNS, TO_SCHEMA_2, Client, create_run

from kfp_server_api.emulator import Emulator, ManualClock, RunSeed
from kfp_server_api.emulator.store import Store

NAMES = ("alpha", "bravo", "charlie", "delta")
STATUSES = ("Succeeded", "Failed", "Running", "Error", "Succeeded", "Pending")
DESCRIPTIONS = ("", "nightly", "adhoc 100%", "Nightly_x")
START = 1646128800  # the ManualClock's start, 2022-03-01T10:00:00Z


def _metrics(index: int) -> dict[str, float]:
    """A quarter of the runs have no metric; half lack ``score``, half ``loss``, and only
    those without any lack ``step``. Values repeat."""
    chosen = [{}, {"score": index % 5, "loss": 1.5}, {"score": index % 3}, {"loss": index / 7}]
    return {**chosen[index % 4], "step": index % 3} if index % 4 else {}


@pytest.fixture(scope="module")
def population() -> Iterator[tuple[Client, dict[str, str]]]:
    """An emulator holding runs with repeated names, times, statuses and metric values (ties
    are broken by id), in three experiments, two namespaces, some created by a job."""
    with Emulator(clock=ManualClock(), lifecycle="manual") as server:
        client = Client(server.url)
        experiments = [
            server.add_experiment("e0"),
            server.add_experiment("e1", namespace="team-a"),
            server.add_experiment("e2"),
        ]
        server.seed_runs(
            RunSeed(
                f"{NAMES[index % 4]} {index // 8}",
                status=STATUSES[index % 6],
                description=DESCRIPTIONS[index % 3 + index % 2],
                created_at=START + (index * 7) % 40,
                scheduled_at=0 if index % 3 else START + index,
                archived=index % 5 == 0,
                experiment_id=experiments[index % 3],
                metrics=_metrics(index),
            )
            for index in range(48)
        )
        job = server.add_job("nightly")
        for index in range(6):
            references = [
                {"key": {"type": "EXPERIMENT", "id": experiments[1]}, "relationship": "OWNER"},
                {"key": {"type": "JOB", "id": job}, "relationship": "CREATOR"},
            ]
            run = create_run(client, f"job {NAMES[index % 4]}", resource_references=references)
            server.set_run_status(run["id"], STATUSES[index])
        yield client, {"experiment": experiments[1], "job": job}
        client.close()


def predicate(key: str, op: str, **value: Any) -> dict[str, Any]:
    return {"key": key, "op": op, **value}


NOT_ARCHIVED = predicate("storage_state", "NOT_EQUALS", string_value="STORAGESTATE_ARCHIVED")
FILTERS: dict[str, list[dict[str, Any]]] = {
    "none": [],
    "status equals": [predicate("status", "EQUALS", string_value="Succeeded")],
    "status not equals": [predicate("status", "NOT_EQUALS", string_value="Succeeded")],
    "status in": [predicate("status", "IN", string_values={"values": ["Failed", "Error"]})],
    "in nothing": [predicate("status", "IN", string_values={})],
    "matches nothing": [predicate("status", "EQUALS", string_value="Unknown")],
    "archived": [predicate("storage_state", "EQUALS", string_value="STORAGESTATE_ARCHIVED")],
    "not archived": [NOT_ARCHIVED],
    "name equals": [predicate("name", "EQUALS", string_value="bravo 1")],
    "name greater than": [predicate("name", "GREATER_THAN", string_value="bravo")],
    "name at most": [predicate("name", "LESS_THAN_EQUALS", string_value="charlie 2")],
    "name in": [predicate("name", "IN", string_values={"values": ["delta 0", "alpha 5", "x"]})],
    "name substring": [predicate("name", "IS_SUBSTRING", string_value="LTA")],
    "description substring": [predicate("description", "IS_SUBSTRING", string_value="nightly")],
    "description empty": [predicate("description", "EQUALS", string_value="")],
    "created after": [
        predicate("created_at", "GREATER_THAN", timestamp_value="2022-03-01T10:00:20Z")
    ],
    "created before": [predicate("created_at", "LESS_THAN", long_value=str(START + 12))],
    "created in": [predicate("created_at", "IN", long_values={"values": [START, START + 14]})],
    "scheduled from": [predicate("scheduled_at", "GREATER_THAN_EQUALS", int_value=START + 9)],
    "id at least": [predicate("id", "GREATER_THAN_EQUALS", string_value="8")],
    "status and storage state": [
        predicate("status", "EQUALS", string_value="Succeeded"),
        NOT_ARCHIVED,
    ],
    "substring and status in": [
        predicate("name", "IS_SUBSTRING", string_value="a"),
        predicate("status", "IN", string_values={"values": ["Running", "Pending"]}),
    ],
    "range on two columns": [
        predicate("created_at", "GREATER_THAN_EQUALS", long_value=str(START + 7)),
        predicate("name", "LESS_THAN", string_value="delta"),
    ],
}
REFERENCES: dict[str, tuple[str, str]] = {
    "no reference": ("", ""),
    "experiment": ("EXPERIMENT", "experiment"),
    "namespace": ("NAMESPACE", "team-a"),
    "job": ("JOB", "job"),
}
SORTS = [
    f"{field}{direction}"
    for field in (
        "",
        "id",
        "name",
        "created_at",
        "description",
        "scheduled_at",
        "status",
        "storage_state",
        "metric:score",
        "metric:loss",
        "metric:step",
    )
    for direction in ("", " desc")
    if field or not direction
]


def listing(client: Client, page_size: int, query: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Every page of a listing as (status, run ids, total_size), following the tokens until
    the last page or an error. The reference key is not in the tokens, so it is resent."""
    reference = {key: value for key, value in query.items() if key.startswith("resource")}
    pages: list[tuple[Any, ...]] = []
    reply = client.get(RUNS, page_size=page_size, **query)
    while True:
        document = reply.json
        ids = [run["id"] for run in document.get("runs", [])]
        pages.append((reply.status, ids, document.get("total_size", 0)))
        if reply.status != 200 or "next_page_token" not in document:
            return pages
        token = document["next_page_token"]
        reply = client.get(RUNS, page_size=page_size, page_token=token, **reference)


def sort_key(run: dict[str, Any], field: str) -> tuple[Any, ...]:
    """What a run is ordered by: its value (runs without a metric before every value) and id."""
    if field.startswith("metric:"):
        values = [m["number_value"] for m in run.get("metrics", []) if m["name"] == field[7:]]
        return (bool(values), values[0] if values else 0, run["id"])
    defaults = {"storage_state": "STORAGESTATE_AVAILABLE", "created_at": "", "id": ""}
    return (run.get(field or "created_at", defaults.get(field, "")), run["id"])


CASES = [(name, "no reference") for name in FILTERS] + [
    (name, reference)
    for reference in list(REFERENCES)[1:]
    for name in ("none", "status equals", "not archived", "name substring", "created after")
]


@pytest.mark.parametrize(("name", "reference"), CASES)
def test_walking_and_gathering_list_the_same_pages(
    population: tuple[Client, dict[str, str]], name: str, reference: str
) -> None:
    client, ids = population
    query: dict[str, Any] = {}
    if FILTERS[name]:
        query["filter"] = json.dumps({"predicates": FILTERS[name]})
    kind, target = REFERENCES[reference]
    if kind:
        query["resource_reference_key.type"] = kind
        query["resource_reference_key.id"] = ids.get(target, target)
    for sort_by in SORTS:
        sorted_query = {**query, "sort_by": sort_by} if sort_by else query
        listings, wholes = {}, {}
        for walk in (True, False):
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(Store, "_walks", lambda *args, walk=walk, **kwargs: walk)
                listings[walk] = listing(client, 4, sorted_query)
                wholes[walk] = client.get(RUNS, page_size=200, **sorted_query).json
        assert listings[True] == listings[False], sort_by
        assert wholes[True] == wholes[False], sort_by
        runs = wholes[True].get("runs", [])
        if listings[True][-1][0] == 200:  # a metric sort cannot page into runs without it
            assert [run for page in listings[True] for run in page[1]] == [r["id"] for r in runs]
        field, _, direction = sort_by.partition(" ")
        expected = sorted(runs, key=lambda run: sort_key(run, field), reverse=bool(direction))
        assert [run["id"] for run in runs] == [run["id"] for run in expected], sort_by


def test_the_store_picks_each_plan(population: tuple[Client, dict[str, str]]) -> None:
    """The population is large enough for both plans to be chosen on their own: a walk for a
    filter most runs pass, a gather for one that few pass."""
    client, _ = population
    chosen: list[bool] = []
    original = Store._walks

    def recording(self: Store, *args: Any, **kwargs: Any) -> bool:
        walk = original(self, *args, **kwargs)
        chosen.append(walk)
        return walk

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Store, "_walks", recording)
        for name in ("not archived", "name equals"):
            query = {"filter": json.dumps({"predicates": FILTERS[name]}), "sort_by": "status"}
            assert client.get(RUNS, page_size=2, **query).status == 200
    assert chosen == [True, False]


# What a database of schema version 1 has that differs from the current one.
VERSION_1 = (
    TO_SCHEMA_2
    + """
DROP TABLE runs_without_metrics; DROP TRIGGER runs_deleted;
CREATE TRIGGER runs_deleted AFTER DELETE ON runs BEGIN
    DELETE FROM run_references WHERE run_uuid = OLD.uuid;
    DELETE FROM metrics WHERE run_uuid = OLD.uuid;
    DELETE FROM run_sort_metrics WHERE run_uuid = OLD.uuid;
    DELETE FROM artifacts WHERE run_uuid = OLD.uuid;
END;
DROP INDEX runs_by_name; DROP INDEX runs_by_namespace; DROP INDEX runs_by_uuid;
CREATE INDEX runs_by_name ON runs (name, uuid);
CREATE INDEX runs_by_status_and_created_at ON runs (status, created_at, uuid);
DROP TABLE pipelines; DROP TABLE pipeline_versions;
CREATE TABLE pipelines (
    uuid TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
    created_at INTEGER NOT NULL, default_version_id TEXT NOT NULL);
CREATE TABLE pipeline_versions (
    uuid TEXT PRIMARY KEY, pipeline_id TEXT NOT NULL, name TEXT NOT NULL,
    created_at INTEGER NOT NULL, manifest_id INTEGER NOT NULL);
PRAGMA user_version = 1;
"""
)


def schema(db: str) -> list[tuple[str, ...]]:
    connection = sqlite3.connect(db)
    try:
        return sorted(connection.execute("SELECT type, name, sql FROM sqlite_master"), key=str)
    finally:
        connection.close()


def test_a_database_of_schema_version_1_is_brought_up_to_date(tmp_path: Path) -> None:
    db = str(tmp_path / "kfp.db")
    with Emulator(db=db, lifecycle="manual") as server:
        server.seed_runs(RunSeed(name, metrics=_metrics(index)) for index, name in enumerate(NAMES))
    current = schema(db)
    connection = sqlite3.connect(db)
    connection.executescript(VERSION_1)
    connection.close()
    with Emulator(db=db, lifecycle="manual") as server:
        client = Client(server.url)
        by_name = client.get(RUNS, sort_by="name desc").json
        by_score = client.get(RUNS, sort_by="metric:score").json
        client.close()
    assert [run["name"] for run in by_name["runs"]] == sorted(NAMES, reverse=True)
    # alpha and delta have no score; bravo scores 1, charlie 2.
    assert [run["name"] for run in by_score["runs"]][2:] == ["bravo", "charlie"]
    assert schema(db) == current
    connection = sqlite3.connect(db)
    metricless = connection.execute("SELECT count(*) FROM runs_without_metrics").fetchone()
    connection.close()
    assert metricless == (1,)  # alpha


def test_the_runs_without_metrics_are_kept_through_every_write(tmp_path: Path) -> None:
    """A metric sort finds the runs lacking its metric in a table of the runs that have none;
    it must hold exactly those runs after any mix of writes."""
    db = str(tmp_path / "kfp.db")
    with Emulator(db=db, lifecycle="manual") as server:
        client = Client(server.url)
        created = [create_run(client, f"created {index}")["id"] for index in range(3)]
        report = {"metrics": [{"name": "score", "node_id": "n", "number_value": 0.5}]}
        assert client.post(f"{RUNS}/{created[0]}:reportMetrics", report).status == 200
        seeded = server.seed_runs(RunSeed(f"seed {i}", metrics=_metrics(i)) for i in range(4))
        assert client.request("DELETE", f"{RUNS}/{created[1]}").status == 200
        assert client.request("DELETE", f"{RUNS}/{seeded[1]}").status == 200
        client.close()
        connection = sqlite3.connect(db)
        kept = connection.execute("SELECT run_uuid FROM runs_without_metrics").fetchall()
        connection.close()
    assert sorted(uuid for (uuid,) in kept) == sorted([created[2], seeded[0]])
