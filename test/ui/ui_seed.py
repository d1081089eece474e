"""Realistic state for the web page's tests and its screenshot: experiments, a pipeline, a job,
runs in every status with parameters and metrics, and a run with artifacts on three nodes."""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from kfp_server_api.emulator import Emulator, RunSeed

HOSTILE_NAME = "<script>alert(1)</script>"
"""A run name that must stay text; with the next one, anything rendered as HTML would run."""
HOSTILE_IMAGE = '<img src="x" onerror="window.__pwned = 1">'

NODES = ("preprocess", "train", "evaluate")
STATUSES = ("Succeeded", "Succeeded", "Failed", "Succeeded", "Running", "Pending", "Error")


def three_step_workflow(name: str) -> dict[str, Any]:
    """An Argo workflow of a preprocess -> train -> evaluate DAG."""
    steps = [
        {
            "name": step,
            "container": {"image": "python:3.11-slim", "command": ["python", "-m", step]},
        }
        for step in NODES
    ]
    tasks = [
        {"name": step, "template": step, **({"dependencies": [NODES[i - 1]]} if i else {})}
        for i, step in enumerate(NODES)
    ]
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"generateName": f"{name}-"},
        "spec": {
            "entrypoint": "pipeline",
            "arguments": {"parameters": [{"name": "learning_rate"}, {"name": "max_depth"}]},
            "templates": [{"name": "pipeline", "dag": {"tasks": tasks}}, *steps],
        },
    }


@dataclass
class Demo:
    """Ids of what ``seed_demo`` stored."""

    experiment_id: str
    other_experiment_id: str
    pipeline_id: str
    job_id: str
    run_ids: list[str] = field(default_factory=list)
    detailed_run_id: str = ""
    hostile_run_id: str = ""
    job_run_id: str = ""
    artifacts: dict[tuple[str, str], bytes] = field(default_factory=dict)


def seed_demo(emulator: Emulator, *, hostile: bool = True) -> Demo:
    """Store the demo state; ``hostile`` adds runs named with HTML that must stay text."""
    now = emulator.clock.now()
    churn = emulator.add_experiment("churn-model", description="Customer churn, gradient boosting")
    vision = emulator.add_experiment("image-classifier", description="ResNet fine-tuning")
    pipeline = emulator.add_pipeline(
        "xgboost-training",
        workflow_manifest=three_step_workflow("xgboost-training"),
        description="Preprocess, train and evaluate an XGBoost model",
    )
    job = emulator.add_job("nightly-retrain")
    demo = Demo(churn, vision, pipeline.pipeline_id, job)
    manifest = json.dumps(three_step_workflow("xgboost-training"))
    seeds = []
    for i, status in enumerate(STATUSES):
        created = now - 3600 * (len(STATUSES) - i)
        final = status not in ("Running", "Pending")
        seeds.append(
            RunSeed(
                f"xgboost-lr{0.05 * (i + 1):.2f}-depth{4 + i % 3}",
                status=status,
                description="Grid search over learning rate and depth",
                created_at=created,
                finished_at=created + 240 + 37 * i if final else None,
                experiment_id=churn,
                workflow_manifest=manifest,
                parameters={"learning_rate": f"{0.05 * (i + 1):.2f}", "max_depth": str(4 + i % 3)},
                metrics={"accuracy": 0.81 + i / 100, "auc": 0.87 + i / 200} if final else {},
                node_id="evaluate",
            )
        )
    for i in range(3):
        created = now - 1800 * (3 - i)
        seeds.append(
            RunSeed(
                f"resnet50-finetune-{i + 1}",
                status="Succeeded" if i < 2 else "Running",
                created_at=created,
                finished_at=created + 900 if i < 2 else None,
                experiment_id=vision,
                parameters={"epochs": str(10 * (i + 1))},
                metrics={"top1": 0.71 + i / 50, "loss": 0.9 - i / 10} if i < 2 else {},
            )
        )
    if hostile:
        seeds.append(RunSeed(HOSTILE_NAME, created_at=now - 7200, description=HOSTILE_IMAGE))
        seeds.append(RunSeed(HOSTILE_IMAGE, created_at=now - 7201, parameters={HOSTILE_IMAGE: "1"}))
    demo.run_ids = emulator.seed_runs(seeds)
    demo.detailed_run_id = demo.run_ids[0]
    if hostile:
        demo.hostile_run_id = demo.run_ids[-2]
    for node in NODES:
        for name in ("mlpipeline-ui-metadata", f"{node}-output"):
            stored = emulator.attach_artifact(
                demo.detailed_run_id,
                node,
                name,
                files={f"{name}.json": f'{{"node": "{node}"}}'.encode()},
            )
            demo.artifacts[(node, name)] = stored
    demo.job_run_id = create_run(
        emulator, "nightly-retrain-1", {"type": "JOB", "id": job}, "CREATOR"
    )
    return demo


def create_run(emulator: Emulator, name: str, key: dict[str, str], relationship: str) -> str:
    """Create a run through the REST API (the way a client does); returns its id."""
    body = {
        "name": name,
        "pipeline_spec": {"workflow_manifest": json.dumps(three_step_workflow(name))},
        "resource_references": [{"key": key, "relationship": relationship}],
    }
    headers = {"Content-Type": "application/json"}
    if emulator.token:
        headers["Authorization"] = f"Bearer {emulator.token}"
    request = urllib.request.Request(
        f"{emulator.url}/apis/v1beta1/runs", json.dumps(body).encode(), headers
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(json.load(response)["run"]["id"])
