"""pytest fixtures that test code against the emulator: a KFP API server with no cluster.

Installing the package registers this plugin with pytest (entry point ``pytest11``, named
``kfp_server_api.pytest_plugin``; ``-p no:kfp_server_api.pytest_plugin`` turns it off). Without
installing, list the module in ``pytest_plugins`` of the root ``conftest.py``. See
docs/testing-with-the-emulator.md for a sample test.

Fixtures:

- ``kfp_emulator``: the session's emulator, reset to the empty state (the Default experiment
  only) before each test and set up as the test asks (below). Its control methods stand in for
  the cluster: ``set_run_status``, ``advance_clock``, ``seed_runs``, ``restore``...
- ``kfp_api_client``: an ``ApiClient`` of that emulator, with its token; closed afterwards.
- ``kfp_run_api``, ``kfp_experiment_api``, ``kfp_pipeline_api``, ``kfp_pipeline_upload_api``,
  ``kfp_job_api``, ``kfp_healthz_api``: the service APIs over ``kfp_api_client``.
- ``kfp_emulator_session``: the emulator itself, started once per session and never reset;
  for session fixtures that seed a large store once and keep a ``snapshot()`` of it.

What a test gets comes from its ``kfp_emulator`` marker, else from the ini options (which
``-o NAME=VALUE`` also sets on the command line), else from the defaults:

- ``lifecycle`` (ini ``kfp_emulator_lifecycle``): how runs move, ``instant`` by default (final
  by their first read), or ``timed``, ``manual``, steps such as ``Pending:0,Running:1,Failed:2``,
  or (marker only) a ``Lifecycle``.
- ``manual_clock`` (ini ``kfp_emulator_manual_clock``, a boolean): the test gets a new
  ``ManualClock``, which moves only when advanced; the marker may give its start time instead
  of ``True``. Otherwise a new system clock.
- ``token`` (ini ``kfp_emulator_token``): the bearer token the emulator requires; none by
  default. ``kfp_api_client`` sends it.

For example ``@pytest.mark.kfp_emulator(lifecycle="timed", manual_clock=True)``: runs take
their timed steps only when the test calls ``kfp_emulator.advance_clock(seconds)``. A test whose
token differs from the running emulator's restarts it (a few milliseconds, on a new port).

Importing ``kfp_server_api`` does not import this module, and this module imports the emulator
only when a fixture is first used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from kfp_server_api import ApiClient
    from kfp_server_api.emulator import Emulator

__all__ = [
    "kfp_api_client",
    "kfp_emulator",
    "kfp_emulator_session",
    "kfp_experiment_api",
    "kfp_healthz_api",
    "kfp_job_api",
    "kfp_pipeline_api",
    "kfp_pipeline_upload_api",
    "kfp_run_api",
]

MARKER = "kfp_emulator"
DEFAULT_LIFECYCLE = "instant"
"""Runs are final by their first read, so code that waits for a run returns at once."""

_LIFECYCLE_INI = "kfp_emulator_lifecycle"
_CLOCK_INI = "kfp_emulator_manual_clock"
_TOKEN_INI = "kfp_emulator_token"
_MARKER_KEYWORDS = ("lifecycle", "manual_clock", "token")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        _LIFECYCLE_INI,
        "how the kfp_emulator fixture's runs move (instant, timed, manual or steps)",
        default=DEFAULT_LIFECYCLE,
    )
    parser.addini(
        _CLOCK_INI, "give each kfp_emulator test a new ManualClock", type="bool", default=False
    )
    parser.addini(_TOKEN_INI, "bearer token the kfp_emulator fixture's emulator requires")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(lifecycle=None, manual_clock=None, token=None): set up the kfp_emulator "
        "fixture for this test (see kfp_server_api.pytest_plugin)",
    )


def _token(value: Any, source: str) -> str | None:
    if value is None or value == "":
        if source == "marker" and value == "":
            pytest.fail(f"{MARKER} marker: token must not be empty", pytrace=False)
        return None
    if not isinstance(value, str):
        pytest.fail(f"{MARKER} {source}: token must be a string", pytrace=False)
    return value


def _settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    """What the test asks for: the marker's keywords over the ini options."""
    config = request.config
    settings: dict[str, Any] = {
        "lifecycle": config.getini(_LIFECYCLE_INI) or DEFAULT_LIFECYCLE,
        "manual_clock": config.getini(_CLOCK_INI),
        "token": _token(config.getini(_TOKEN_INI), f"ini option {_TOKEN_INI}"),
    }
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None:
        if marker.args:
            pytest.fail(
                f"{MARKER} marker takes keywords only ({', '.join(_MARKER_KEYWORDS)})",
                pytrace=False,
            )
        unknown = sorted(set(marker.kwargs) - set(_MARKER_KEYWORDS))
        if unknown:
            pytest.fail(
                f"{MARKER} marker: unknown keyword {unknown[0]!r}; expected one of "
                f"{', '.join(_MARKER_KEYWORDS)}",
                pytrace=False,
            )
        settings.update(marker.kwargs)
        if "token" in marker.kwargs:
            settings["token"] = _token(marker.kwargs["token"], "marker")
    return settings


@pytest.fixture(scope="session")
def kfp_emulator_session(pytestconfig: pytest.Config) -> Iterator[Emulator]:
    """The session's emulator, serving on a free loopback port; never reset by itself."""
    from kfp_server_api.emulator import Emulator

    token = _token(pytestconfig.getini(_TOKEN_INI), f"ini option {_TOKEN_INI}")
    lifecycle = pytestconfig.getini(_LIFECYCLE_INI) or DEFAULT_LIFECYCLE
    problem: str | None = None
    try:
        emulator = Emulator(token=token, lifecycle=lifecycle)
    except ValueError as exc:
        problem = str(exc)
    if problem is not None:
        pytest.fail(f"{_LIFECYCLE_INI}: {problem}", pytrace=False)
    with emulator:
        yield emulator


@pytest.fixture
def kfp_emulator(kfp_emulator_session: Emulator, request: pytest.FixtureRequest) -> Emulator:
    """The session's emulator, reset to the empty state and set up as the test asks."""
    from kfp_server_api.emulator import Lifecycle, ManualClock, SystemClock

    settings = _settings(request)
    emulator = kfp_emulator_session
    manual = settings["manual_clock"]
    problem: str | None = None
    try:
        if manual is True:
            clock: ManualClock | SystemClock = ManualClock()
        elif manual is False or manual is None:
            clock = SystemClock()
        else:
            clock = ManualClock(manual)
        lifecycle = settings["lifecycle"]
        if not isinstance(lifecycle, (str, Lifecycle)):
            raise TypeError(f"lifecycle must be a Lifecycle or its text, not {lifecycle!r}")
        emulator.lifecycle = lifecycle
    except (TypeError, ValueError) as exc:
        problem = str(exc)
    if problem is not None:  # failed outside the handler, so no chained traceback is shown
        pytest.fail(f"{MARKER}: {problem}", pytrace=False)
    emulator.reset(clock=clock)
    if emulator.token != settings["token"]:
        # The token is the HTTP server's; a new one needs a restart, which costs milliseconds.
        emulator.stop()
        emulator.token = settings["token"]
    return emulator.start()  # serving again if an earlier test stopped it


@pytest.fixture
def kfp_api_client(kfp_emulator: Emulator) -> Iterator[ApiClient]:
    """An ``ApiClient`` of ``kfp_emulator`` (with its bearer token, if it has one)."""
    from kfp_server_api import ApiClient, Configuration

    configuration = Configuration(host=kfp_emulator.url)
    if kfp_emulator.token is not None:
        configuration.api_key["authorization"] = kfp_emulator.token
        configuration.api_key_prefix["authorization"] = "Bearer"
    with ApiClient(configuration) as client:
        yield client


def _service_api(fixture: str, class_name: str) -> Any:
    """The fixture ``fixture``: the service API class ``class_name`` over ``kfp_api_client``."""

    @pytest.fixture(name=fixture)
    def service_api(kfp_api_client: ApiClient) -> Any:
        import kfp_server_api

        return getattr(kfp_server_api, class_name)(kfp_api_client)

    service_api.__doc__ = f"``{class_name}`` of ``kfp_emulator``."
    return service_api


kfp_run_api = _service_api("kfp_run_api", "RunServiceApi")
kfp_experiment_api = _service_api("kfp_experiment_api", "ExperimentServiceApi")
kfp_pipeline_api = _service_api("kfp_pipeline_api", "PipelineServiceApi")
kfp_pipeline_upload_api = _service_api("kfp_pipeline_upload_api", "PipelineUploadServiceApi")
kfp_job_api = _service_api("kfp_job_api", "JobServiceApi")
kfp_healthz_api = _service_api("kfp_healthz_api", "HealthzServiceApi")
