"""Quickstart: the whole life of a Kubeflow Pipelines run through ``RunServiceApi``.

With no arguments it starts the embedded emulator on a free loopback port, so it needs no
cluster::

    python examples/quickstart.py

With ``--host`` it runs the same flow against a real KFP API server (v1beta1), optionally with a
bearer token::

    python examples/quickstart.py --host https://kfp.example.com/pipeline --token "$TOKEN"

Steps: find or create the experiment ``quickstart`` (``ExperimentServiceApi``), upload a
pipeline (an Argo workflow file) and a second version of it (``PipelineUploadServiceApi``),
create a run of that version in the experiment, wait until it finishes, report metrics, list
runs with a filter and a sort, read an output artifact, then archive, unarchive and delete the
run, and delete the pipeline. Exits
non-zero with a one-line message if any call fails.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import kfp_server_api
from kfp_server_api.artifacts import ArtifactArchive
from kfp_server_api.filters import Filter, contains, eq, gte

# Error comes from KFP 1.x servers only (2.x reports it as Failed); any other status, such as
# the Unknown of 2.x, is not final.
FINAL_STATUSES = ("Succeeded", "Failed", "Error", "Skipped")
EXPERIMENT_NAME = "quickstart"
ARTIFACT_NAME = "mlpipeline-metrics"
METRICS_FILE = "mlpipeline-metrics.json"
TRAINING_METRICS = {"metrics": [{"name": "accuracy", "numberValue": 0.93, "format": "PERCENTAGE"}]}

# A one-step Argo workflow: a container writes its metrics file, which Argo stores as an output
# artifact (a gzip-compressed tar archive), as KFP v1 pipelines do.
WORKFLOW: dict[str, Any] = {
    "apiVersion": "argoproj.io/v1alpha1",
    "kind": "Workflow",
    "metadata": {"generateName": "quickstart-"},
    "spec": {
        "entrypoint": "train",
        "arguments": {"parameters": [{"name": "learning_rate", "value": "0.1"}]},
        "templates": [
            {
                "name": "train",
                "inputs": {"parameters": [{"name": "learning_rate"}]},
                "container": {
                    "image": "busybox:1.36",
                    "command": ["sh", "-c"],
                    "args": [f"echo '{json.dumps(TRAINING_METRICS)}' > /tmp/{METRICS_FILE}"],
                },
                "outputs": {"artifacts": [{"name": ARTIFACT_NAME, "path": f"/tmp/{METRICS_FILE}"}]},
            }
        ],
    },
}


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


def detail(message: str) -> None:
    print(f"    {message}", flush=True)


@contextlib.contextmanager
def kfp_host(args: argparse.Namespace) -> Iterator[tuple[str, Any]]:
    """Yield the API host and, when embedded, the emulator that plays the cluster's part."""
    if args.host:
        yield args.host, None
        return
    from kfp_server_api.emulator import Emulator

    # Runs go Pending -> Running -> Succeeded within a second, like a very fast cluster.
    with Emulator(token=args.token, lifecycle="Pending:0,Running:0.2,Succeeded:0.6") as server:
        step(f"Started the embedded KFP emulator at {server.url}")
        yield server.url, server


def find_or_create_experiment(api: kfp_server_api.ExperimentServiceApi, name: str) -> Any:
    """The experiment called ``name``, created if there is none (names are unique)."""
    found = api.list_experiment(filter=Filter.where(eq("name", name))).experiments
    if found:
        detail(f"found it: {found[0].id}")
        return found[0]
    experiment = api.create_experiment(
        kfp_server_api.ApiExperiment(name=name, description="Runs of examples/quickstart.py")
    )
    detail(f"created it: {experiment.id}")
    return experiment


def wait_for_run(api: kfp_server_api.RunServiceApi, run_id: str, timeout: float) -> Any:
    """Poll get_run until the run reaches a final status; return the final ApiRunDetail."""
    deadline = time.monotonic() + timeout
    last_status = None
    while True:
        run_detail = api.get_run(run_id, _request_timeout=30.0)
        status = run_detail.run.status
        if status != last_status:
            detail(f"status: {status or '(not reported yet)'}")
            last_status = status
        if status in FINAL_STATUSES:
            return run_detail
        if time.monotonic() > deadline:
            raise TimeoutError(f"run {run_id} did not finish within {timeout:g} s")
        time.sleep(0.2)


def find_artifact_node(run_detail: Any) -> str | None:
    """The id of a workflow node that produced the metrics artifact, from the runtime manifest."""
    manifest = json.loads(run_detail.pipeline_runtime.workflow_manifest or "{}")
    for node_id, node in (manifest.get("status", {}).get("nodes") or {}).items():
        for artifact in (node.get("outputs") or {}).get("artifacts") or []:
            if artifact.get("name") == ARTIFACT_NAME:
                return str(node_id)
    return None


def run_flow(args: argparse.Namespace) -> None:
    with kfp_host(args) as (host, emulator):
        configuration = kfp_server_api.Configuration(host=host)
        if args.token:
            configuration.api_key["authorization"] = args.token
            configuration.api_key_prefix["authorization"] = "Bearer"
        with kfp_server_api.ApiClient(configuration) as client:
            api = kfp_server_api.RunServiceApi(client)
            started = datetime.now(timezone.utc) - timedelta(seconds=1)

            step(f"Finding or creating the experiment {EXPERIMENT_NAME!r}")
            experiments = kfp_server_api.ExperimentServiceApi(client)
            experiment = find_or_create_experiment(experiments, EXPERIMENT_NAME)

            version = upload_pipeline(client, f"quickstart {started:%Y-%m-%d %H:%M:%S.%f}")
            pipeline_id = version.resource_references[0].key.id

            step("Creating a run of that version")
            created = api.create_run(
                kfp_server_api.ApiRun(
                    name=f"quickstart {started:%Y-%m-%d %H:%M:%S}",
                    description="Created by examples/quickstart.py",
                    pipeline_spec=kfp_server_api.ApiPipelineSpec(
                        parameters=[kfp_server_api.ApiParameter("learning_rate", "0.05")],
                    ),
                    resource_references=[
                        kfp_server_api.ApiResourceReference(
                            key=kfp_server_api.ApiResourceKey(
                                type=kfp_server_api.ApiResourceType.EXPERIMENT, id=experiment.id
                            ),
                            relationship=kfp_server_api.ApiRelationship.OWNER,
                        ),
                        kfp_server_api.ApiResourceReference(
                            key=kfp_server_api.ApiResourceKey(
                                type=kfp_server_api.ApiResourceType.PIPELINE_VERSION,
                                id=version.id,
                            ),
                            relationship=kfp_server_api.ApiRelationship.CREATOR,
                        ),
                    ],
                )
            )
            run = created.run
            detail(f"id: {run.id}")
            owner = next(r.name for r in run.resource_references if r.key.type == "EXPERIMENT")
            detail(f"experiment: {owner}")

            step("Waiting for the run to finish")
            finished = wait_for_run(api, run.id, args.timeout)
            detail(f"finished at {finished.run.finished_at:%Y-%m-%d %H:%M:%S %Z}")

            node_id = find_artifact_node(finished)
            if node_id is None and emulator is not None:
                # On a cluster the step's container produces the artifact; here the emulator
                # is told to store what Argo would have uploaded.
                node_id = f"{run.id}-train"
                emulator.attach_artifact(
                    run.id,
                    node_id,
                    ARTIFACT_NAME,
                    files={METRICS_FILE: json.dumps(TRAINING_METRICS).encode()},
                )

            step("Reporting metrics")
            metrics = kfp_server_api.ApiReportRunMetricsRequest(
                run_id=run.id,
                metrics=[
                    kfp_server_api.ApiRunMetric("accuracy", node_id or "train", 0.93, "PERCENTAGE"),
                    kfp_server_api.ApiRunMetric("loss", node_id or "train", 0.21, "RAW"),
                    kfp_server_api.ApiRunMetric("loss", node_id or "train", 0.5, "RAW"),
                ],
            )
            for result in api.report_run_metrics(run.id, metrics).results:
                note = f" ({result.message})" if result.message else ""
                detail(f"{result.metric_name}: {result.status}{note}")

            step("Listing this example's runs created since it started, newest first")
            recent = Filter.where(gte("created_at", started), contains("name", "quickstart"))
            page = api.list_runs(filter=recent, sort_by="created_at desc", page_size=5)
            for listed in page.runs or []:
                scores = ", ".join(f"{m.name}={m.number_value:g}" for m in listed.metrics or [])
                detail(f"{listed.name}  {listed.status}  {scores}")
            detail(f"{page.total_size or 0} matching run(s)")

            step(f"Reading the {ARTIFACT_NAME} artifact")
            if node_id is None:
                detail("the run produced no such artifact; skipped")
            else:
                artifact = api.read_artifact(run.id, node_id, ARTIFACT_NAME)
                archive = ArtifactArchive(artifact)
                for name in archive.list_files():
                    detail(f"{name}: {archive.read_file(name).decode().strip()}")

            step("Archiving, unarchiving and deleting the run")
            api.archive_run(run.id)
            detail(f"storage state: {api.get_run(run.id).run.storage_state}")
            api.unarchive_run(run.id)
            state = api.get_run(run.id).run.storage_state
            detail(f"storage state: {state or kfp_server_api.ApiRunStorageState.AVAILABLE}")
            api.delete_run(run.id)
            try:
                api.get_run(run.id)
            except kfp_server_api.exceptions.NotFoundException:
                detail("deleted: get_run now answers 404")

            step("Deleting the pipeline and its versions")
            kfp_server_api.PipelineServiceApi(client).delete_pipeline(pipeline_id)
            detail(f"deleted pipeline {pipeline_id}")
    step("Done")


def upload_pipeline(client: kfp_server_api.ApiClient, name: str) -> Any:
    """Upload WORKFLOW as a new pipeline, then again as its version "v2"; return the version."""
    uploads = kfp_server_api.PipelineUploadServiceApi(client)
    with tempfile.TemporaryDirectory() as directory:
        package = Path(directory, "quickstart.yaml")
        # JSON is YAML, so the workflow is written as it is.
        package.write_text(json.dumps(WORKFLOW, indent=2), encoding="utf-8")
        step("Uploading the pipeline")
        pipeline = uploads.upload_pipeline(package, name=name)
        detail(f"id: {pipeline.id}")
        parameters = ", ".join(f"{p.name}={p.value}" for p in pipeline.parameters or [])
        detail(f"parameters: {parameters}")
        step("Uploading a second version of it")
        version = uploads.upload_pipeline_version(package, name="v2", pipelineid=pipeline.id)
        detail(f"version id: {version.id}")
    return version


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", help="URL of a KFP API server; default: an embedded emulator")
    parser.add_argument("--token", help="bearer token to send (and, embedded, to require)")
    parser.add_argument(
        "--timeout", type=float, default=600.0, help="seconds to wait for the run (default 600)"
    )
    args = parser.parse_args(argv)
    try:
        run_flow(args)
    except kfp_server_api.ApiException as error:
        # status 0: the server was never reached or the exchange broke; reason says why.
        if error.status:
            print(f"error: HTTP {error.status} {error.reason}: {error.message}", file=sys.stderr)
        else:
            print(f"error: {error.reason}", file=sys.stderr)
        return 1
    except (kfp_server_api.OpenApiException, TimeoutError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
