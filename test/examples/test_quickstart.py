"""The README's main command, examples/quickstart.py, run end to end against the emulator."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kfp_server_api.emulator import Emulator

QUICKSTART = Path(__file__).resolve().parents[2] / "examples" / "quickstart.py"

EXPECTED_LINES = (
    "==> Finding or creating the experiment 'quickstart'",
    "    created it: ",
    "==> Uploading the pipeline",
    "    parameters: learning_rate=0.1",
    "==> Uploading a second version of it",
    "==> Creating a run of that version",
    "    experiment: quickstart",
    "    status: Succeeded",
    "    accuracy: OK",
    "    loss: DUPLICATE_REPORTING",
    "    1 matching run(s)",
    '    mlpipeline-metrics.json: {"metrics": [{"name": "accuracy"',
    "    storage state: STORAGESTATE_ARCHIVED",
    "    storage state: STORAGESTATE_AVAILABLE",
    "    deleted: get_run now answers 404",
    "    deleted pipeline ",
    "==> Done",
)


def run_quickstart(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(QUICKSTART), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("args", [(), ("--token", "quickstart-token")], ids=["open", "token"])
def test_quickstart_walks_the_whole_run_lifecycle(args: tuple[str, ...]) -> None:
    result = run_quickstart(*args)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for expected in EXPECTED_LINES:
        assert any(line.startswith(expected) for line in result.stdout.splitlines()), expected


def test_quickstart_against_a_remote_host_reports_a_wrong_token_in_one_line() -> None:
    with Emulator(token="right") as server:
        result = run_quickstart("--host", server.url, "--token", "wrong", "--timeout", "5")

    assert result.returncode == 1
    assert result.stderr.startswith("error: HTTP 401 Unauthorized: Unauthenticated")
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_quickstart_names_an_unreachable_host_in_one_line() -> None:
    with Emulator() as server:
        url = server.url  # the port is free again once the emulator has stopped

    result = run_quickstart("--host", url, "--timeout", "5")

    assert result.returncode == 1
    assert result.stderr.startswith("error: Connection refused: GET ")
    assert len(result.stderr.splitlines()) == 1


def test_quickstart_against_a_remote_host_runs_the_same_flow() -> None:
    with Emulator(lifecycle="instant") as server:
        result = run_quickstart("--host", server.url, "--timeout", "30")
        again = run_quickstart("--host", server.url, "--timeout", "30")

    assert result.returncode == 0, result.stderr
    # The second time the experiment exists, and is found by name over REST.
    assert again.returncode == 0, again.stderr
    created = next(line for line in result.stdout.splitlines() if "created it: " in line)
    assert f"    found it: {created.split(': ')[1]}" in again.stdout.splitlines()
    # Remotely nobody plays the cluster's part, so no artifact appears and the step says so.
    assert "    the run produced no such artifact; skipped" in result.stdout
    assert "==> Done" in result.stdout
