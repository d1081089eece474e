"""``Emulator``: the server in a background thread, and the control API (``control.py``)."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any

from .clock import Clock, SystemClock, Timestamp
from .connections import DEFAULT_IDLE_TIMEOUT_SECONDS, DEFAULT_MAX_CONNECTIONS, check_limits
from .context import DEFAULT_NAMESPACE, ServiceContext
from .control import Control, ExperimentSeed, JobSeed, PipelineIds, PipelineSeed, RunSeed
from .errors import ApiError
from .experiments import ExperimentService
from .jobs import JobService
from .lifecycle import Lifecycle
from .pipelines import PipelineService
from .routes import Dispatcher, Service
from .runs import RunService
from .server import DEFAULT_MAX_BODY_BYTES, HttpServer
from .store import Snapshot, Store
from .ui import serve as serve_page
from .uploads import UploadService

__all__ = ["SERVICES", "Emulator"]

SERVICES: tuple[type[Service], ...] = (
    RunService,
    ExperimentService,
    JobService,
    UploadService,
    PipelineService,
)
"""The API's services, each built on the shared ``ServiceContext``; their routes are served."""


class Emulator:
    """A KFP v1beta1 run API server on this machine.

    ``with Emulator() as server:`` starts it on a free loopback port in a background thread;
    ``server.url`` is its address. The control methods (``set_run_status``,
    ``attach_artifact``, ``add_experiment``, ``add_pipeline``, ``advance_clock``,
    ``seed_runs``, ``reset``, ``snapshot``, ``restore``, ...) act on its state directly and work
    whether or not it is serving.
    With ``http_control`` (the default), the same controls are also served over HTTP under
    ``/emulator/v1/`` (see the package docstring), behind ``token`` like every route. With
    ``ui`` (the default), a read-only web page at ``/`` shows the runs, experiments, pipelines
    and jobs.

    Args:
        host: Address to bind; loopback by default.
        port: Port to bind; 0 picks a free one.
        db: SQLite database: ``":memory:"`` (default) or a file path that survives restarts.
        token: If set, every request must carry ``Authorization: Bearer <token>``.
        lifecycle: How runs move (a ``Lifecycle`` or ``"timed"``, ``"instant"``,
            ``"manual"``, ``"Pending:0,Running:1,Succeeded:2"``); ``Lifecycle.timed()`` by
            default.
        clock: Source of time; a ``SystemClock`` by default, a ``ManualClock`` for tests.
        tls_cert: PEM certificate (chain) file; with ``tls_key``, the server speaks HTTPS.
        tls_key: PEM private key file of ``tls_cert``.
        max_body_bytes: Largest request body accepted; larger ones get 413.
        namespace: Kubernetes namespace runs are reported in.
        http_control: Serve the control routes under ``/emulator/v1/``.
        max_connections: Most connections served at once; more wait (see ``connections.py``).
        idle_timeout: Seconds after which a connection that sends nothing is closed.
        ui: Serve the web page at ``/`` (see ``ui``).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        db: str = ":memory:",
        *,
        token: str | None = None,
        lifecycle: Lifecycle | str | None = None,
        clock: Clock | None = None,
        tls_cert: str | None = None,
        tls_key: str | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        namespace: str = DEFAULT_NAMESPACE,
        http_control: bool = True,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT_SECONDS,
        ui: bool = True,
    ) -> None:
        check_limits(max_connections, idle_timeout)
        if (tls_cert is None) != (tls_key is None):
            raise ValueError("tls_cert and tls_key must be given together")
        if max_body_bytes < 0:
            raise ValueError("max_body_bytes must be >= 0")
        if token is not None and not token:
            raise ValueError("token must not be empty")
        self.host = host
        self.port = port
        self.token = token
        self.max_body_bytes = max_body_bytes
        self.http_control = http_control
        self.max_connections, self.idle_timeout = max_connections, idle_timeout
        self.ui = ui
        if lifecycle is None:
            lifecycle = Lifecycle.timed()
        elif isinstance(lifecycle, str):
            lifecycle = Lifecycle.parse(lifecycle)
        self._tls_context: ssl.SSLContext | None = None
        if tls_cert is not None and tls_key is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls_cert, tls_key)
            self._tls_context = context
        self.store = Store(db)
        try:
            self.context = ServiceContext(
                self.store,
                clock if clock is not None else SystemClock(),
                lifecycle,
                namespace=namespace,
            )
        except Exception:
            self.store.close()
            raise
        self.services = tuple(service(self.context) for service in SERVICES)
        runs = next(s for s in self.services if isinstance(s, RunService))
        self.control = Control(self.context, runs)
        self._scheduler = next(s for s in self.services if isinstance(s, JobService)).scheduler
        self._server: HttpServer | None = None
        self._thread: threading.Thread | None = None
        self._closed = False

    # ------------------------------------------------------------------------------------
    # Serving

    def start(self) -> Emulator:
        """Start serving in a background thread (no-op if already serving); returns self."""
        if self._closed:
            raise RuntimeError("this emulator is closed")
        if self._server is not None:
            return self
        dispatcher = Dispatcher(
            [route for service in self.services for route in service.routes()],
            self.control.routes() if self.http_control else (),
        )
        server = HttpServer(
            (self.host, self.port),
            dispatcher,
            token=self.token,
            tls_context=self._tls_context,
            max_body_bytes=self.max_body_bytes,
            max_connections=self.max_connections,
            idle_timeout=self.idle_timeout,
            page=serve_page if self.ui else None,
        )
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            name="kfp-emulator",
            daemon=True,
        )
        self._thread.start()
        self._scheduler.start()
        return self

    def stop(self) -> None:
        """Stop serving and close every connection; the stored state is kept."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._server = self._thread = None
        self._scheduler.stop()
        server.shutdown()
        server.server_close()
        server.close_connections()
        if thread is not None:
            thread.join()

    def close(self) -> None:
        """Stop serving and close the database."""
        if self._closed:
            return
        self.stop()
        self.store.close()
        self._closed = True

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def serving(self) -> bool:
        """Whether the HTTP server is running."""
        return self._server is not None

    @property
    def url(self) -> str:
        """Base URL of the running server, e.g. ``http://127.0.0.1:50123``."""
        if self._server is None:
            raise RuntimeError("the emulator is not serving; call start() first")
        address = self._server.server_address
        host, port = str(address[0]), int(address[1])
        if ":" in host:
            host = f"[{host}]"
        scheme = "https" if self._tls_context is not None else "http"
        return f"{scheme}://{host}:{port}"

    def __repr__(self) -> str:
        where = self.url if self._server is not None else "not serving"
        return f"Emulator({where}, db={self.store.path!r})"

    # ------------------------------------------------------------------------------------
    # Control API

    @property
    def clock(self) -> Clock:
        """The source of time (``reset(clock=...)`` replaces it)."""
        return self.context.clock

    @property
    def lifecycle(self) -> Lifecycle:
        """How runs move; assignable (applies to steps not yet taken)."""
        return self.context.lifecycle

    @lifecycle.setter
    def lifecycle(self, lifecycle: Lifecycle | str) -> None:
        if isinstance(lifecycle, str):
            lifecycle = Lifecycle.parse(lifecycle)
        with self.store.lock:
            self.context.lifecycle = lifecycle

    @property
    def default_experiment_id(self) -> str:
        """Id of the experiment ``Default``, which owns runs created without one.

        If it was deleted, it is created again, as the next such run would do; ValueError if
        another experiment has taken the name meanwhile.
        """
        try:
            return self.context.default_experiment()
        except ApiError as exc:
            raise ValueError(exc.message) from None

    def add_experiment(
        self,
        name: str,
        *,
        description: str = "",
        experiment_id: str | None = None,
        namespace: str = "",
    ) -> str:
        """Add an experiment so that EXPERIMENT references resolve; returns its id."""
        return self.control.add_experiment(
            name, description=description, experiment_id=experiment_id, namespace=namespace
        )

    def add_job(
        self,
        name: str,
        *,
        job_id: str | None = None,
        experiment_id: str | None = None,
        enabled: bool = True,
    ) -> str:
        """Add a job (recurring run) so that JOB references resolve; returns its id.

        ``experiment_id``: the experiment it belongs to (archiving it disables the job).
        """
        return self.control.add_job(
            name, job_id=job_id, experiment_id=experiment_id, enabled=enabled
        )

    def get_job(self, job_id: str) -> dict[str, Any]:
        """A job added with ``add_job``: ``name``, ``experiment_id``, ``enabled`` and
        ``updated_at`` (Unix seconds); KeyError if unknown."""
        return self.control.get_job(job_id)

    def seed_experiments(self, seeds: Iterable[ExperimentSeed]) -> list[str]:
        """Store many experiments at once (fast; no name check); returns their ids."""
        return self.control.seed_experiments(seeds)

    def add_pipeline(
        self,
        name: str,
        *,
        workflow_manifest: str | Mapping[str, Any] | None = None,
        description: str = "",
        pipeline_id: str | None = None,
        version_id: str | None = None,
    ) -> PipelineIds:
        """Add a pipeline and its default version (a small Argo workflow unless given).

        Runs can then be created with ``pipeline_spec.pipeline_id`` or a PIPELINE_VERSION
        reference.
        """
        return self.control.add_pipeline(
            name,
            workflow_manifest=workflow_manifest,
            description=description,
            pipeline_id=pipeline_id,
            version_id=version_id,
        )

    def add_pipeline_version(
        self,
        pipeline_id: str,
        name: str,
        *,
        workflow_manifest: str | Mapping[str, Any] | None = None,
        version_id: str | None = None,
        make_default: bool = False,
    ) -> str:
        """Add a version to a pipeline; returns its id."""
        return self.control.add_pipeline_version(
            pipeline_id,
            name,
            workflow_manifest=workflow_manifest,
            version_id=version_id,
            make_default=make_default,
        )

    def set_run_status(
        self, run_id: str, status: str, *, finished_at: Timestamp | None = None
    ) -> None:
        """Set a run's status as the cluster would report it; the run leaves its lifecycle.

        ``finished_at`` (Unix seconds or a datetime) defaults to now for a final status
        (Succeeded, Failed, Error, Skipped) and to 0 (unset) otherwise.
        """
        self.control.set_run_status(run_id, status, finished_at=finished_at)

    def attach_artifact(
        self,
        run_id: str,
        node_id: str,
        name: str,
        data: bytes | None = None,
        *,
        files: Mapping[str, bytes] | None = None,
    ) -> bytes:
        """Attach an output artifact to node ``node_id`` of a run; read_artifact serves it.

        Give the stored bytes as ``data``, or ``files`` ({name: content}) to store them as
        Argo does, in a gzip-compressed tar archive. Returns the stored bytes.
        """
        return self.control.attach_artifact(run_id, node_id, name, data, files=files)

    def advance_clock(self, seconds: float) -> None:
        """Move the clock forward; runs take the lifecycle steps that became due."""
        self.control.advance_clock(seconds)

    def seed_runs(self, seeds: Iterable[RunSeed]) -> list[str]:
        """Store many runs at once (fast; no validation, no lifecycle); returns their ids."""
        return self.control.seed_runs(seeds)

    def seed_jobs(self, seeds: Iterable[JobSeed]) -> list[str]:
        """Store many jobs at once (disabled, no trigger; for benchmarks and large listings);
        returns their ids."""
        return self.control.seed_jobs(seeds)

    def seed_pipelines(self, seeds: Iterable[PipelineSeed]) -> list[str]:
        """Store many pipelines, each with its versions, at once; returns their ids."""
        return self.control.seed_pipelines(seeds)

    def get_run(self, run_id: str) -> dict[str, Any]:
        """The run as get_run answers it (a parsed RunDetail); KeyError if unknown."""
        return self.control.get_run(run_id)

    def run_count(self) -> int:
        """How many runs are stored."""
        return self.control.run_count()

    def reset(self, *, clock: Clock | None = None) -> None:
        """Bring back the empty state: every table emptied, a new Default experiment.

        Takes milliseconds, whatever is stored; serving or not, file-backed or in memory.
        The lifecycle is kept, and so is the clock's time: pass ``clock`` (for example a new
        ``ManualClock()``) to start from another.
        """
        self.control.reset(clock)
        self._scheduler.wake()  # its timer waits for what the store now holds

    def snapshot(self) -> Snapshot:
        """A copy of the whole stored state, kept in memory, for ``restore``.

        Seed a large store once, take a snapshot, and restore it at the start of each test.
        """
        return self.control.snapshot()

    def restore(self, snapshot: Snapshot) -> None:
        """Bring back the state ``snapshot`` holds; it can be restored again afterwards.

        The clock and the lifecycle are not part of a snapshot: they stay as they are, so runs
        that were waiting for a lifecycle step take it when the current time says it is due.
        """
        self.control.restore(snapshot)
        self._scheduler.wake()
