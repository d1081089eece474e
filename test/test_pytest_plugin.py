"""The pytest plugin: its fixtures, marker and ini options, run in pytest sessions of their own,
and its registration, installed (entry point) or listed in a conftest, or both."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = "kfp_server_api.pytest_plugin"


def run_plugin(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """A pytest session of its own, in a subprocess: in-process runs forget the modules they
    import, which would leave the model classes of two imports side by side."""
    pytester._monkeypatch.setenv("PYTHONPATH", str(ROOT))
    return pytester.runpytest_subprocess("-p", PLUGIN, "-p", "no:cacheprovider", *args)


def test_each_test_starts_from_the_empty_state(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from kfp_server_api.emulator import RunSeed

        def test_fill(kfp_emulator):
            kfp_emulator.seed_runs([RunSeed("left behind")])
            kfp_emulator.add_experiment("left behind")

        def test_empty(kfp_emulator, kfp_run_api):
            assert kfp_emulator.run_count() == 0
            assert not kfp_run_api.list_runs().runs
            kfp_emulator.stop()

        def test_serving_again(kfp_emulator, kfp_run_api):
            assert not kfp_run_api.list_runs().runs
        """
    )
    run_plugin(pytester).assert_outcomes(passed=3)


def test_defaults_and_the_marker(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import datetime
        import pytest
        from kfp_server_api.emulator import Lifecycle, ManualClock, SystemClock

        def test_defaults(kfp_emulator, kfp_healthz_api):
            assert kfp_emulator.lifecycle == Lifecycle.instant()
            assert isinstance(kfp_emulator.clock, SystemClock)
            assert kfp_emulator.token is None
            assert kfp_healthz_api.get_healthz().multi_user is False

        @pytest.mark.kfp_emulator(lifecycle="manual", manual_clock=True)
        def test_manual(kfp_emulator):
            assert kfp_emulator.lifecycle == Lifecycle.manual()
            assert isinstance(kfp_emulator.clock, ManualClock)

        @pytest.mark.kfp_emulator(manual_clock=datetime.datetime(2030, 1, 1))
        def test_clock_start(kfp_emulator):
            assert kfp_emulator.clock.now() == datetime.datetime(
                2030, 1, 1, tzinfo=datetime.timezone.utc
            ).timestamp()

        def test_clock_is_new_again(kfp_emulator):
            assert isinstance(kfp_emulator.clock, SystemClock)

        def test_service_apis(
            kfp_api_client, kfp_run_api, kfp_experiment_api, kfp_pipeline_api,
            kfp_pipeline_upload_api, kfp_job_api, kfp_healthz_api,
        ):
            apis = (kfp_run_api, kfp_experiment_api, kfp_pipeline_api,
                    kfp_pipeline_upload_api, kfp_job_api, kfp_healthz_api)
            assert [type(api).__name__ for api in apis] == [
                "RunServiceApi", "ExperimentServiceApi", "PipelineServiceApi",
                "PipelineUploadServiceApi", "JobServiceApi", "HealthzServiceApi",
            ]
            assert all(api.api_client is kfp_api_client for api in apis)
        """
    )
    run_plugin(pytester).assert_outcomes(passed=5)


def test_ini_options(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        """
        [pytest]
        kfp_emulator_lifecycle = Pending:0,Running:5,Failed:10
        kfp_emulator_manual_clock = true
        kfp_emulator_token = s3cret
        """
    )
    pytester.makepyfile(
        """
        import pytest
        from kfp_server_api import ApiClient, Configuration, HealthzServiceApi
        from kfp_server_api import UnauthorizedException
        from kfp_server_api.emulator import ManualClock

        def test_options(kfp_emulator, kfp_healthz_api):
            assert kfp_emulator.lifecycle.track("create")[-1].status == "Failed"
            assert isinstance(kfp_emulator.clock, ManualClock)
            assert kfp_healthz_api.get_healthz().multi_user is False
            with ApiClient(Configuration(host=kfp_emulator.url)) as anonymous:
                with pytest.raises(UnauthorizedException):
                    HealthzServiceApi(anonymous).get_healthz()

        @pytest.mark.kfp_emulator(token=None, manual_clock=False)
        def test_marker_wins(kfp_emulator, kfp_healthz_api):
            assert kfp_emulator.token is None
            assert not isinstance(kfp_emulator.clock, ManualClock)
            assert kfp_healthz_api.get_healthz().multi_user is False

        @pytest.mark.kfp_emulator(token="other")
        def test_another_token(kfp_emulator, kfp_api_client):
            assert kfp_emulator.token == "other"
            assert kfp_api_client.configuration.get_api_key_with_prefix(
                "authorization"
            ) == "Bearer other"
        """
    )
    run_plugin(pytester).assert_outcomes(passed=3)


def test_ini_options_from_the_command_line(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from kfp_server_api.emulator import Lifecycle, ManualClock

        def test_options(kfp_emulator):
            assert kfp_emulator.lifecycle == Lifecycle.manual()
            assert isinstance(kfp_emulator.clock, ManualClock)
        """
    )
    options = ("-o", "kfp_emulator_lifecycle=manual", "-o", "kfp_emulator_manual_clock=true")
    run_plugin(pytester, *options).assert_outcomes(passed=1)


BAD_MARKERS = (
    ('lifecycle="sometimes"', "kfp_emulator: expected STATUS:SECONDS, got 'sometimes'"),
    ("lifecycle=3", "kfp_emulator: lifecycle must be a Lifecycle or its text, not 3"),
    (
        'clock="manual"',
        "kfp_emulator marker: unknown keyword 'clock'; "
        "expected one of lifecycle, manual_clock, token",
    ),
    ('"instant"', "kfp_emulator marker takes keywords only (lifecycle, manual_clock, token)"),
    ('token=""', "kfp_emulator marker: token must not be empty"),
    ("token=5", "kfp_emulator marker: token must be a string"),
    ('manual_clock="noon"', "kfp_emulator: could not convert string to float: 'noon'"),
)
"""Markers (the keywords in ``@pytest.mark.kfp_emulator(...)``) and the error each one gives."""


def test_bad_marker_fails_its_test_with_a_message(pytester: pytest.Pytester) -> None:
    tests = "".join(
        f"@pytest.mark.kfp_emulator({marker})\ndef test_bad_{number}(kfp_emulator):\n    pass\n\n"
        for number, (marker, _) in enumerate(BAD_MARKERS)
    )
    pytester.makepyfile(
        "import pytest\n\n"
        + tests
        + "def test_next_one_is_fine(kfp_emulator, kfp_run_api):\n"
        + "    assert not kfp_run_api.list_runs().runs\n"
    )
    result = run_plugin(pytester, "-rE")
    result.assert_outcomes(passed=1, errors=len(BAD_MARKERS))
    for number, (_, message) in enumerate(BAD_MARKERS):
        result.stdout.fnmatch_lines([f"*ERROR at setup of test_bad_{number}*", message])
    result.stdout.no_fnmatch_line("*During handling of the above exception*")


def test_bad_ini_lifecycle_fails_with_a_message(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nkfp_emulator_lifecycle = never\n")
    pytester.makepyfile("def test_it(kfp_emulator):\n    pass\n")
    result = run_plugin(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*kfp_emulator_lifecycle: expected STATUS:SECONDS*"])


def test_importing_the_package_loads_neither_pytest_nor_the_plugin() -> None:
    code = "import sys, kfp_server_api; print(sorted({'pytest', '%s'} & set(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code % PLUGIN],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.stdout.strip() == "[]"


def _installed_metadata(tmp_path: Path) -> str:
    """A directory whose metadata makes the package look installed (with its entry point),
    or "" when it is installed already (as in tox)."""
    installed = [
        entry
        for entry in importlib.metadata.entry_points(group="pytest11")
        if entry.value == PLUGIN
    ]
    if installed:
        return ""
    pytest.importorskip("setuptools")
    tmp_path.mkdir()
    subprocess.run(
        [sys.executable, "setup.py", "-q", "egg_info", "--egg-base", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return str(tmp_path)


@pytest.mark.parametrize("conftest", [True, False], ids=["with-conftest", "entry-point-only"])
def test_installed_plugin_registers_once(tmp_path: Path, conftest: bool) -> None:
    project = tmp_path / "project"
    project.mkdir()
    if conftest:
        (project / "conftest.py").write_text(f"pytest_plugins = [{PLUGIN!r}]\n")
    (project / "test_it.py").write_text(
        "def test_it(kfp_emulator, kfp_run_api):\n    assert not kfp_run_api.list_runs().runs\n"
    )
    metadata = _installed_metadata(tmp_path / "site")
    path = os.pathsep.join(part for part in (metadata, str(ROOT)) if part)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(project)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": path},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
