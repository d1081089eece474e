"""What a type checker sees at a user's call sites: ``mypy --strict`` over small user scripts.

The API methods name their query parameters, so a misspelt one is an error, and they are
overloaded on the call options, so ``async_req=True`` and ``_preload_content=False`` have their
own result types. Skipped where mypy is not installed (it is in the ``type`` tox env).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("mypy")

ROOT = Path(__file__).resolve().parent.parent

CORRECT = """
from __future__ import annotations

from typing import Any

from urllib3 import BaseHTTPResponse, HTTPHeaderDict

from kfp_server_api import (
    ApiClient,
    ApiListRunsResponse,
    ApiRunDetail,
    Configuration,
    RunServiceApi,
)
from kfp_server_api.filters import Filter, eq
from kfp_server_api.endpoint import AsyncResult

api = RunServiceApi(ApiClient(Configuration(host="http://localhost:8888")))
page: ApiListRunsResponse = api.list_runs(
    page_size=10, sort_by="created_at desc", filter=Filter.where(eq("name", "x"))
)
detail: ApiRunDetail = api.get_run("r-1", _request_timeout=(3.0, 30.0))
pending: AsyncResult[ApiRunDetail] = api.get_run("r-1", async_req=True)
later: ApiRunDetail = pending.get(timeout=10)
raw: BaseHTTPResponse = api.get_run("r-1", _preload_content=False)
data, status, headers = api.get_run_with_http_info(run_id="r-1")
checked: tuple[ApiRunDetail, int, HTTPHeaderDict] = (data, status, headers)
queued = api.list_runs_with_http_info(page_token="t", async_req=True)
info: tuple[ApiListRunsResponse, int, HTTPHeaderDict] = queued.get()
options: dict[str, Any] = {"page_size": 10}
legacy = api.list_runs(**options)  # 1.8.5 style: accepted
"""

MISSPELT = """
from kfp_server_api import ApiClient, RunServiceApi

RunServiceApi(ApiClient()).list_runs(page_sise=10)
"""

WRONG_RESULT = """
from kfp_server_api import ApiClient, ApiRunDetail, RunServiceApi

detail: ApiRunDetail = RunServiceApi(ApiClient()).get_run("r-1", async_req=True)
"""


def run_mypy(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "user_script.py"
    path.write_text(textwrap.dedent(script))
    environment = {**os.environ, "MYPYPATH": str(ROOT)}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            # As for an installed package: the package's own code is not the user's to check.
            "--follow-imports=silent",
            "--cache-dir",
            str(tmp_path.parent / "mypy-cache"),
            str(path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        check=False,
    )


def test_a_correct_script_passes(tmp_path: Path) -> None:
    result = run_mypy(CORRECT, tmp_path)
    assert (result.returncode, result.stdout) == (0, "")


def test_a_misspelt_query_parameter_fails(tmp_path: Path) -> None:
    result = run_mypy(MISSPELT, tmp_path)
    assert result.returncode == 1
    assert 'Unexpected keyword argument "page_sise"' in result.stdout
    assert 'did you mean "page_size"' in result.stdout


def test_an_async_call_is_not_typed_as_its_data(tmp_path: Path) -> None:
    result = run_mypy(WRONG_RESULT, tmp_path)
    assert result.returncode == 1
    assert "AsyncResult[ApiRunDetail]" in result.stdout
