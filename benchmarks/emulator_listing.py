"""Emulator listing: a page of runs from a large store against the same page from a small one.

Two emulators run in this process, one holding ``large`` runs and one holding ``small`` runs.
Both are filled through the bulk seeding control API (``Emulator.seed_runs``) with runs shaped
like those of ``runs_data``: the same manifests, 8 parameters, 3 metrics, an experiment
reference, and timestamps spread over time. A bare urllib3 pool then asks both for the same kind
of page over real HTTP, so the ratio shows how listing cost grows with the store:

- the first page in the default order (``created_at`` ascending);
- a page from the middle of the listing, reached with the ``next_page_token`` of the page
  before it (keyset paging must not scan what it skips);
- the first page the KFP UI asks for: archived runs left out, newest first;
- the first page of a filtered listing sorted on another column (``status`` EQUALS
  ``Succeeded``, sorted by ``name desc``);
- the first page of a sparse substring filter, newest first: ``name`` IS_SUBSTRING a word that
  only ``page_size`` runs spread evenly over the store carry, at both sizes;
- the first page of one experiment's runs (``resource_reference_key``), sorted by ``name``;
- the first page sorted by a metric, best first (``metric:roc-auc desc``), where one run in
  ten has no such metric.

Then the same for experiments, in two emulators holding only experiments (``EXPERIMENT_ROWS``,
as data): the first page, a middle page, the UI's page (archived left out, newest first) and
a page sorted by name; and for jobs (``JOB_ROWS``): the first page, a middle page and a page
sorted by name.

Then the same for pipelines (``PIPELINE_ROWS``, as data): two emulators holding ``small`` and
``large`` pipelines, one of which has as many versions besides its first; the first page, a
middle page and a page by name of pipelines, and of that pipeline's versions a first page, a
middle page, the newest first and a page by name.

This workload exists only for this SDK (1.8.5 has no emulator).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

import measure
import runs_data
import urllib3
from measure import Measurement
from workloads import Target, progress, sampler

_WALK_PAGE_SIZE = 200  # the server's largest page, to reach the middle in few requests
_UI_FILTER = json.dumps(
    {
        "predicates": [
            {"key": "storage_state", "op": "NOT_EQUALS", "string_value": "STORAGESTATE_ARCHIVED"}
        ]
    }
)
_STATUS_FILTER = json.dumps(
    {"predicates": [{"key": "status", "op": "EQUALS", "string_value": "Succeeded"}]}
)
_SPARSE_WORD = "canary"  # in no pipeline name, so only the marked runs match
_SPARSE_FILTER = json.dumps(
    {"predicates": [{"key": "name", "op": "IS_SUBSTRING", "string_value": _SPARSE_WORD}]}
)
_SORT_METRIC = "roc-auc"
_METRIC_GAP = 10  # every tenth run lacks the sort metric


def _seeds(emulator_module: Any, count: int, experiments: list[str], marked: int) -> Iterator[Any]:
    """``count`` RunSeeds; manifests are shared (the emulator stores each distinct one once).

    ``marked`` runs, spread evenly over the store, carry ``_SPARSE_WORD`` in their name.
    """
    rng = random.Random(runs_data.SEED)
    templates = runs_data.runs(len(experiments))
    start = datetime(2022, 3, 1, 8, 0, 0, tzinfo=timezone.utc)
    stride = count // marked
    for index in range(count):
        template = templates[index % len(templates)]
        created = start + timedelta(seconds=index * 37 + rng.randint(0, 30))
        status = rng.choice(("Succeeded",) * 7 + ("Failed", "Error", "Running"))
        sparse = index % stride == 0 and index // stride < marked
        metrics = {
            "accuracy-score": round(rng.uniform(0.5, 0.99), 4),
            "roc-auc": round(rng.uniform(0.5, 1), 6),
            "training-loss": round(rng.uniform(0.01, 3), 5),
        }
        if index % _METRIC_GAP == _METRIC_GAP - 1:
            del metrics[_SORT_METRIC]
        yield emulator_module.RunSeed(
            name=(
                f"{template['pipeline_spec']['pipeline_name']} "
                f"{_SPARSE_WORD + ' ' if sparse else ''}run {index:06d}"
            ),
            status=status,
            description=template.get("description", ""),
            created_at=created,
            finished_at=(
                created + timedelta(seconds=rng.randint(60, 7200)) if status != "Running" else None
            ),
            archived=rng.random() < 0.1,
            experiment_id=experiments[index % len(experiments)],
            workflow_manifest=template["pipeline_spec"]["workflow_manifest"],
            parameters={
                parameter["name"]: parameter["value"]
                for parameter in template["pipeline_spec"]["parameters"]
            },
            metrics=metrics,
            node_id=f"node-{rng.getrandbits(32):010d}",
        )


def _start(stack: ExitStack, target: Target, count: int, marked: int) -> tuple[str, str]:
    """A seeded emulator's URL, and the id of the experiment the experiment page lists."""
    emulator_module = __import__(f"{target.module}.emulator", fromlist=["Emulator"])
    server = stack.enter_context(emulator_module.Emulator(lifecycle="manual"))
    experiments = [server.add_experiment(f"experiment-{number}") for number in range(4)]
    server.seed_runs(_seeds(emulator_module, count, experiments, marked))
    if server.run_count() != count:
        raise AssertionError(f"seeded {server.run_count()} runs instead of {count}")
    return str(server.url), str(experiments[1])


def _get(
    pool: urllib3.PoolManager, url: str, query: dict[str, Any], resource: str = "runs"
) -> dict[str, Any]:
    response = pool.request("GET", f"{url}/apis/v1beta1/{resource}?{urlencode(query)}")
    if response.status != 200:
        raise AssertionError(
            f"listing {resource} answered {response.status}: {response.data[:200]!r}"
        )
    document: dict[str, Any] = json.loads(response.data)
    return document


def _middle_token(
    pool: urllib3.PoolManager,
    url: str,
    count: int,
    resource: str = "runs",
    base: dict[str, Any] | None = None,
) -> str:
    """The page token whose page starts at the middle of the default listing (of the
    listing ``base`` selects, when given)."""
    base = base or {}
    skipped, query = 0, {**base, "page_size": _WALK_PAGE_SIZE}
    # Each step returns the token of the page that starts after the items skipped so far.
    while skipped + _WALK_PAGE_SIZE <= count // 2:
        token = _get(pool, url, query, resource)["next_page_token"]
        query = {**base, "page_size": _WALK_PAGE_SIZE, "page_token": token}
        skipped += _WALK_PAGE_SIZE
    remainder = count // 2 - skipped
    if remainder:
        last = _get(pool, url, {**query, "page_size": remainder}, resource)
        return str(last["next_page_token"])
    return str(query["page_token"])


def _queries(
    pool: urllib3.PoolManager, url: str, experiment: str, count: int, page_size: int
) -> dict[str, Any]:
    return {
        "first page": {"page_size": page_size},
        "middle page": {"page_size": page_size, "page_token": _middle_token(pool, url, count)},
        "UI page": {"page_size": page_size, "filter": _UI_FILTER, "sort_by": "created_at desc"},
        "filtered page": {
            "page_size": page_size,
            "filter": _STATUS_FILTER,
            "sort_by": "name desc",
        },
        "sparse substring page": {
            "page_size": page_size,
            "filter": _SPARSE_FILTER,
            "sort_by": "created_at desc",
        },
        "experiment page": {
            "page_size": page_size,
            "resource_reference_key.type": "EXPERIMENT",
            "resource_reference_key.id": experiment,
            "sort_by": "name",
        },
        "metric page": {"page_size": page_size, "sort_by": f"metric:{_SORT_METRIC} desc"},
    }


# Experiments: stored in bulk (``Emulator.seed_experiments``), every tenth archived, names
# and descriptions of a few shapes; each row is a query of list_experiment, as data.
_EXPERIMENT_UI_FILTER = json.dumps(
    {
        "predicates": [
            {"key": "storage_state", "op": "NOT_EQUALS", "string_value": "STORAGESTATE_ARCHIVED"}
        ]
    }
)
EXPERIMENT_ROWS: dict[str, dict[str, Any]] = {
    "experiments first page": {},
    "experiments middle page": {"page_token": "middle"},
    "experiments UI page": {"filter": _EXPERIMENT_UI_FILTER, "sort_by": "created_at desc"},
    "experiments by name page": {"sort_by": "name desc"},
}
"""The experiment listing rows: label -> query (``page_token: middle`` is filled in)."""


def _experiment_seeds(emulator_module: Any, count: int) -> Iterator[Any]:
    rng = random.Random(runs_data.SEED)
    start = datetime(2022, 3, 1, 8, 0, 0, tzinfo=timezone.utc)
    teams = ("churn", "fraud", "ranking", "forecast", "vision")
    for index in range(count):
        yield emulator_module.ExperimentSeed(
            name=f"{teams[index % len(teams)]}-{index:06d}",
            description=f"{teams[index % len(teams)]} models, variant {rng.randint(1, 50)}",
            created_at=start + timedelta(seconds=index * 61 + rng.randint(0, 30)),
            archived=index % 10 == 9,
        )


def _start_experiments(stack: ExitStack, target: Target, count: int) -> str:
    emulator_module = __import__(f"{target.module}.emulator", fromlist=["Emulator"])
    server = stack.enter_context(emulator_module.Emulator(lifecycle="manual"))
    server.seed_experiments(_experiment_seeds(emulator_module, count - 1))  # and Default
    return str(server.url)


_OPERATIONS = {
    "runs": "list_runs",
    "experiments": "list_experiment",
    "jobs": "list_jobs",
    "pipelines": "list_pipelines",
    "pipeline_versions": "list_pipeline_versions",
}
_ITEMS = {"pipeline_versions": "versions"}
"""The key of a listing's items, where it is not the resource's path."""


def _measure(
    pool: urllib3.PoolManager,
    label: str,
    resource: str,
    urls: tuple[str, str],
    queries: tuple[dict[str, Any], dict[str, Any]],
    sizes: tuple[int, int, int, int],
) -> Measurement:
    """One row: the same page from the large store (subject) and the small one (baseline)."""
    small, large, page_size, repeat = sizes
    many_url, few_url = urls
    many_query, few_query = queries
    items = _ITEMS.get(resource, resource)
    for url, query in ((few_url, few_query), (many_url, many_query)):
        if len(_get(pool, url, query, resource).get(items, [])) != page_size:
            raise AssertionError(f"{label}: the page does not hold {page_size} {items}")
    progress(f"emulator {label}")
    operation = _OPERATIONS[resource]
    subject, baseline = measure.alternate(
        sampler(lambda: _get(pool, many_url, many_query, resource)),
        sampler(lambda: _get(pool, few_url, few_query, resource)),
        repeat,
        warmup=0,  # the calibrating call in sampler warmed both up
    )
    return Measurement(
        name=f"emulator {label}",
        subject=f"{operation} page of {page_size} from {large:,} {items}",
        baseline=f"from {small:,} {items}",
        unit="s",
        subject_samples=subject,
        baseline_samples=baseline,
        params={"small": small, "large": large, "page_size": page_size, "clock": "wall"},
    )


# Jobs: stored in bulk (``Emulator.seed_jobs``: disabled, so none fires), spread over four
# experiments; each row is a query of list_jobs, as data.
JOB_ROWS: dict[str, dict[str, Any]] = {
    "jobs first page": {},
    "jobs middle page": {"page_token": "middle"},
    "jobs by name page": {"sort_by": "name desc"},
}
"""The job listing rows: label -> query (``page_token: middle`` is filled in)."""


def _job_seeds(emulator_module: Any, count: int, experiments: list[str]) -> Iterator[Any]:
    start = datetime(2022, 3, 1, 8, 0, 0, tzinfo=timezone.utc)
    for index in range(count):
        yield emulator_module.JobSeed(
            name=f"recurring {index:06d}",
            created_at=start + timedelta(seconds=index * 37),
            experiment_id=experiments[index % len(experiments)],
        )


def _start_jobs(stack: ExitStack, target: Target, count: int) -> str:
    emulator_module = __import__(f"{target.module}.emulator", fromlist=["Emulator"])
    server = stack.enter_context(emulator_module.Emulator(lifecycle="manual"))
    experiments = [server.add_experiment(f"experiment-{number}") for number in range(4)]
    server.seed_jobs(_job_seeds(emulator_module, count, experiments))
    return str(server.url)


_SEEDED = {"experiments": (EXPERIMENT_ROWS, _start_experiments), "jobs": (JOB_ROWS, _start_jobs)}
"""The resources listed from stores holding only them: their rows and how a store is made."""


def _resource_listing(
    resource: str, target: Target, small: int, large: int, page_size: int, repeat: int
) -> list[Measurement]:
    rows, start = _SEEDED[resource]
    progress(f"{target.label}: emulator listing, seeding {small:,} and {large:,} {resource}")
    with ExitStack() as stack:
        few_url = start(stack, target, small)
        many_url = start(stack, target, large)
        pool = urllib3.PoolManager()
        stack.callback(pool.clear)

        def query(url: str, count: int, row: dict[str, Any]) -> dict[str, Any]:
            filled = {"page_size": page_size, **row}
            if filled.get("page_token") == "middle":
                filled["page_token"] = _middle_token(pool, url, count, resource)
            return filled

        return [
            _measure(
                pool,
                label,
                resource,
                (many_url, few_url),
                (query(many_url, large, row), query(few_url, small, row)),
                (small, large, page_size, repeat),
            )
            for label, row in rows.items()
        ]


def listing(
    target: Target, small: int, large: int, page_size: int, repeat: int
) -> list[Measurement]:
    """Time of one page from ``large`` stored runs (then experiments, jobs), against
    ``small``."""
    progress(f"{target.label}: emulator listing, seeding {small:,} and {large:,} runs")
    results = []
    with ExitStack() as stack:
        # As many name matches as a page holds, at both sizes: the sparse page then asks
        # both stores for the same matches, however many runs lie between them.
        few_url, few_experiment = _start(stack, target, small, page_size)
        many_url, many_experiment = _start(stack, target, large, page_size)
        pool = urllib3.PoolManager()
        stack.callback(pool.clear)
        few_queries = _queries(pool, few_url, few_experiment, small, page_size)
        many_queries = _queries(pool, many_url, many_experiment, large, page_size)
        for label, few_query in few_queries.items():
            results.append(
                _measure(
                    pool,
                    label,
                    "runs",
                    (many_url, few_url),
                    (many_queries[label], few_query),
                    (small, large, page_size, repeat),
                )
            )
    for resource in _SEEDED:
        results += _resource_listing(resource, target, small, large, page_size, repeat)
    results += _pipeline_listing(target, small, large, page_size, repeat)
    return results


# Pipelines: stored in bulk (``Emulator.seed_pipelines``); one of them has as many versions
# besides its first as there are pipelines. Each row is a query of list_pipelines or of
# list_pipeline_versions of that pipeline, as data.
PIPELINE_ROWS: dict[str, tuple[str, dict[str, Any]]] = {
    "pipelines first page": ("pipelines", {}),
    "pipelines middle page": ("pipelines", {"page_token": "middle"}),
    "pipelines by name page": ("pipelines", {"sort_by": "name desc"}),
    "versions first page": ("pipeline_versions", {}),
    "versions middle page": ("pipeline_versions", {"page_token": "middle"}),
    "versions newest first page": ("pipeline_versions", {"sort_by": "created_at desc"}),
    "versions by name page": ("pipeline_versions", {"sort_by": "name"}),
}
"""The pipeline listing rows: label -> (resource, query); ``page_token: middle`` is filled in."""


def _start_pipelines(stack: ExitStack, target: Target, count: int) -> tuple[str, str]:
    """An emulator holding ``count`` pipelines; its URL and the id of the one with versions."""
    emulator_module = __import__(f"{target.module}.emulator", fromlist=["Emulator"])
    server = stack.enter_context(emulator_module.Emulator(lifecycle="manual"))
    seeds = [emulator_module.PipelineSeed(f"pipeline {index:06d}") for index in range(count)]
    versions = [f"version {index:06d}" for index in range(count)]
    seeds[count // 2] = emulator_module.PipelineSeed(f"pipeline {count // 2:06d}", versions)
    return str(server.url), str(server.seed_pipelines(seeds)[count // 2])


def _pipeline_listing(
    target: Target, small: int, large: int, page_size: int, repeat: int
) -> list[Measurement]:
    progress(f"{target.label}: emulator listing, seeding {small:,} and {large:,} pipelines")
    with ExitStack() as stack:
        few_url, few_owner = _start_pipelines(stack, target, small)
        many_url, many_owner = _start_pipelines(stack, target, large)
        pool = urllib3.PoolManager()
        stack.callback(pool.clear)

        def query(url: str, owner: str, count: int, row: tuple[str, dict[str, Any]]) -> Any:
            resource, fields = row
            base = {}
            if resource == "pipeline_versions":  # the versions of the pipeline that has them
                base = {"resource_key.type": "PIPELINE", "resource_key.id": owner}
            filled = {"page_size": page_size, **base, **fields}
            if filled.get("page_token") == "middle":
                filled["page_token"] = _middle_token(pool, url, count, resource, base)
            return filled

        return [
            _measure(
                pool,
                label,
                row[0],
                (many_url, few_url),
                (query(many_url, many_owner, large, row), query(few_url, few_owner, small, row)),
                (small, large, page_size, repeat),
            )
            for label, row in PIPELINE_ROWS.items()
        ]
