"""JobServiceApi over real HTTP: the exact request of every endpoint and its typed result (a
scripted server), then the real job service of the emulator."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
from endpoint_cases import Call, call_params, exercise
from servers.loopback import LoopbackServer, Reply

from kfp_server_api import (
    ApiClient,
    ApiCronSchedule,
    ApiJob,
    ApiListJobsResponse,
    ApiParameter,
    ApiPeriodicSchedule,
    ApiPipelineSpec,
    ApiRelationship,
    ApiResourceKey,
    ApiResourceReference,
    ApiResourceType,
    ApiTrigger,
    ApiTypeError,
    ApiValueError,
    BadRequestException,
    Configuration,
    JobMode,
    JobServiceApi,
    NotFoundException,
    RunServiceApi,
)
from kfp_server_api.emulator import Emulator, Lifecycle, ManualClock

JOBS = "/apis/v1beta1/jobs"

EXPERIMENT_OWNER_JSON = {"key": {"type": "EXPERIMENT", "id": "e-1"}, "relationship": "OWNER"}
EXPERIMENT_OWNER = ApiResourceReference(
    key=ApiResourceKey(type=ApiResourceType.EXPERIMENT, id="e-1"),
    relationship=ApiRelationship.OWNER,
)
# As the KFP server writes it: int64 fields as strings, zero values (enabled: false...) omitted.
JOB_JSON: dict[str, Any] = {
    "id": "j-1",
    "name": "hourly",
    "pipeline_spec": {"pipeline_id": "p-1", "parameters": [{"name": "lr", "value": "0.1"}]},
    "resource_references": [EXPERIMENT_OWNER_JSON],
    "service_account": "pipeline-runner",
    "max_concurrency": "10",
    "trigger": {"cron_schedule": {"start_time": "2024-03-01T00:00:00Z", "cron": "0 0 * * * *"}},
    "mode": "ENABLED",
    "created_at": "2024-03-01T10:00:00Z",
    "updated_at": "2024-03-01T10:00:05Z",
    "status": "Enabled:\nEnabled",
    "enabled": True,
}
JOB = ApiJob(
    id="j-1",
    name="hourly",
    pipeline_spec=ApiPipelineSpec(
        pipeline_id="p-1", parameters=[ApiParameter(name="lr", value="0.1")]
    ),
    resource_references=[EXPERIMENT_OWNER],
    service_account="pipeline-runner",
    max_concurrency="10",
    trigger=ApiTrigger(
        cron_schedule=ApiCronSchedule(
            start_time=datetime(2024, 3, 1, tzinfo=timezone.utc), cron="0 0 * * * *"
        )
    ),
    mode=JobMode.ENABLED,
    created_at=datetime(2024, 3, 1, 10, 0, tzinfo=timezone.utc),
    updated_at=datetime(2024, 3, 1, 10, 0, 5, tzinfo=timezone.utc),
    status="Enabled:\nEnabled",
    enabled=True,
)
# As the KFP SDK builds it: max_concurrency given as an int is sent as given.
NEW_JOB = ApiJob(
    name="hourly",
    pipeline_spec=ApiPipelineSpec(pipeline_id="p-1"),
    resource_references=[EXPERIMENT_OWNER],
    max_concurrency=10,
    trigger=ApiTrigger(periodic_schedule=ApiPeriodicSchedule(interval_second="3600")),
    enabled=True,
    no_catchup=False,
)
NEW_JOB_JSON = {
    "name": "hourly",
    "pipeline_spec": {"pipeline_id": "p-1"},
    "resource_references": [EXPERIMENT_OWNER_JSON],
    "max_concurrency": 10,
    "trigger": {"periodic_schedule": {"interval_second": "3600"}},
    "enabled": True,
    "no_catchup": False,
}
INVALID = "Invalid input error: The max concurrency of the job must be between 1 and 10."

CALLS = [
    Call(
        "create_job",
        (NEW_JOB,),
        method="POST",
        target=JOBS,
        body=NEW_JOB_JSON,
        reply=JOB_JSON,
        expect=JOB,
    ),
    Call("delete_job", ("j-1",), method="DELETE", target=f"{JOBS}/j-1", reply={}, expect={}),
    Call("disable_job", ("j-1",), method="POST", target=f"{JOBS}/j-1/disable", reply={}, expect={}),
    Call("enable_job", ("j 1",), method="POST", target=f"{JOBS}/j%201/enable", reply={}, expect={}),
    Call("get_job", ("j-1",), target=f"{JOBS}/j-1", reply=JOB_JSON, expect=JOB),
    Call(
        "list_jobs",
        target=JOBS,
        reply={"jobs": [JOB_JSON, {"id": "j-2"}], "total_size": 2},
        expect=ApiListJobsResponse(jobs=[JOB, ApiJob(id="j-2")], total_size=2),
    ),
    # Keywords given out of order: the query follows the declared (1.8.5) order.
    Call(
        "list_jobs",
        kwargs={
            "filter": '{"predicates":[]}',
            "resource_reference_key_id": "e-1",
            "resource_reference_key_type": ApiResourceType.EXPERIMENT,
            "sort_by": "name",
            "page_size": 50,
            "page_token": "t2",
        },
        target=f"{JOBS}?page_token=t2&page_size=50&sort_by=name"
        "&resource_reference_key.type=EXPERIMENT&resource_reference_key.id=e-1"
        "&filter=%7B%22predicates%22%3A%5B%5D%7D",
        reply={},
        expect=ApiListJobsResponse(),
    ),
    Call(
        "create_job",
        (NEW_JOB,),
        method="POST",
        target=JOBS,
        body=NEW_JOB_JSON,
        reply=Reply.kfp_error(400, 3, INVALID),
        raises=BadRequestException,
        expect={"status": 400, "code": 3, "message": INVALID},
    ),
    Call(
        "get_job",
        ("",),
        raises=ApiValueError,
        expect={
            "message": "Invalid value for parameter `id` when calling `get_job`: an empty path "
            "segment would change the route"
        },
    ),
    Call(
        "enable_job",
        ("j-1",),
        kwargs={"enabled": True},
        raises=ApiTypeError,
        expect={"message": "Got an unexpected keyword argument 'enabled' to method enable_job"},
    ),
]


@pytest.mark.parametrize("call", call_params(JobServiceApi, CALLS))
def test_call(server: LoopbackServer, api_client: ApiClient, call: Call) -> None:
    exercise(server, JobServiceApi(api_client), call)


# --------------------------------------------------------------------------------------------
# Against the emulator: the real job service over real HTTP


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator(clock=ManualClock(), lifecycle=Lifecycle.instant()) as server:
        yield server


@pytest.fixture
def jobs(emulator: Emulator) -> Iterator[JobServiceApi]:
    with ApiClient(Configuration(host=emulator.url)) as client:
        yield JobServiceApi(client)


def hourly_job(pipeline_id: str, name: str = "hourly") -> ApiJob:
    return ApiJob(
        name=name,
        pipeline_spec=ApiPipelineSpec(pipeline_id=pipeline_id),
        max_concurrency="1",
        trigger=ApiTrigger(periodic_schedule=ApiPeriodicSchedule(interval_second="3600")),
        enabled=True,
    )


def test_create_get_and_list_against_the_emulator(emulator: Emulator, jobs: JobServiceApi) -> None:
    pipeline = emulator.add_pipeline("train")
    created = jobs.create_job(hourly_job(pipeline.pipeline_id))
    fetched = jobs.get_job(created.id)
    listed = jobs.list_jobs(
        sort_by="name",
        resource_reference_key_type=ApiResourceType.EXPERIMENT,
        resource_reference_key_id=emulator.default_experiment_id,
    )

    assert isinstance(created, ApiJob)
    assert created.max_concurrency == "1"
    assert created.trigger.periodic_schedule.interval_second == "3600"
    assert created.created_at == datetime(2022, 3, 1, 10, 0, tzinfo=timezone.utc)
    assert created.status == "NO_STATUS"
    assert created.pipeline_spec.pipeline_name == "train"
    assert fetched.status == "Enabled"
    assert fetched.enabled is True
    assert isinstance(listed, ApiListJobsResponse)
    assert [job.id for job in listed.jobs] == [created.id]
    assert listed.total_size == 1


def test_list_jobs_pages_with_the_token(emulator: Emulator, jobs: JobServiceApi) -> None:
    pipeline = emulator.add_pipeline("train")
    ids = [jobs.create_job(hourly_job(pipeline.pipeline_id, f"job {i}")).id for i in range(3)]
    first = jobs.list_jobs(page_size=2, sort_by="name desc")
    second = jobs.list_jobs(page_size=2, page_token=first.next_page_token)

    assert [job.id for job in first.jobs + second.jobs] == ids[::-1]
    assert second.next_page_token is None


def test_enable_disable_delete_with_http_info_async_and_raw(
    emulator: Emulator, jobs: JobServiceApi
) -> None:
    pipeline = emulator.add_pipeline("train")
    job = jobs.create_job(hourly_job(pipeline.pipeline_id))

    data, status, headers = jobs.disable_job_with_http_info(job.id)
    assert (data, status, headers["Content-Type"]) == ({}, 200, "application/json")
    assert jobs.get_job(job.id).status == "Disabled"
    assert jobs.enable_job(job.id, async_req=True).get(timeout=30) == {}
    raw = jobs.get_job(job.id, _preload_content=False)
    assert json.loads(raw.data)["enabled"] is True
    assert jobs.delete_job(job.id) == {}
    with pytest.raises(NotFoundException) as raised:
        jobs.get_job(job.id)
    assert raised.value.message == f"ResourceNotFoundError: Job {job.id} not found."


def test_the_emulator_rejects_what_the_server_rejects(
    emulator: Emulator, jobs: JobServiceApi
) -> None:
    pipeline = emulator.add_pipeline("train")
    bad = hourly_job(pipeline.pipeline_id)
    bad.trigger = ApiTrigger(cron_schedule=ApiCronSchedule(cron="0 0 * *"))

    with pytest.raises(BadRequestException) as raised:
        jobs.create_job(bad)

    assert raised.value.code == 3
    assert raised.value.message.endswith("Error: Expected 5 to 6 fields, found 4: 0 0 * *")


def test_the_runs_a_job_fires_are_listed_by_job(emulator: Emulator, jobs: JobServiceApi) -> None:
    pipeline = emulator.add_pipeline("train")
    job = jobs.create_job(hourly_job(pipeline.pipeline_id))
    emulator.advance_clock(3 * 3600)
    runs = RunServiceApi(jobs.api_client).list_runs(
        resource_reference_key_type=ApiResourceType.JOB, resource_reference_key_id=job.id
    )

    assert runs.total_size == 3
    assert {run.scheduled_at.hour for run in runs.runs} == {11, 12, 13}
    assert all(ref.name for run in runs.runs for ref in run.resource_references)
