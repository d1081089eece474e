"""``Emulator``: the server in a background thread, and the control API that plays the cluster."""

from __future__ import annotations

import base64
import math
import ssl
import threading
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import Any, NamedTuple

from . import errors
from .clock import Clock, SystemClock, Timestamp
from .connections import DEFAULT_IDLE_TIMEOUT_SECONDS, DEFAULT_MAX_CONNECTIONS, check_limits
from .lifecycle import Lifecycle
from .protojson import format_timestamp, parse_timestamp
from .server import CONTROL_PREFIX, DEFAULT_MAX_BODY_BYTES, ControlHandler, HttpServer
from .service import DEFAULT_NAMESPACE, RunSeed, RunService
from .store import Store
from .workflow import argo_artifact_archive

__all__ = ["Emulator", "PipelineIds"]


class PipelineIds(NamedTuple):
    """Ids of a pipeline added through the control API and of its default version."""

    pipeline_id: str
    version_id: str


class Emulator:
    """A KFP v1beta1 run API server on this machine.

    ``with Emulator() as server:`` starts it on a free loopback port in a background thread;
    ``server.url`` is its address. The control methods (``set_run_status``,
    ``attach_artifact``, ``add_experiment``, ``add_pipeline``, ``advance_clock``,
    ``seed_runs``, ...) act on its state directly and work whether or not it is serving.
    With ``http_control`` (the default), the same controls are also served over HTTP under
    ``/emulator/v1/`` (see the package docstring), behind ``token`` like every route.

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
        self.clock: Clock = clock if clock is not None else SystemClock()
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
            self.service = RunService(self.store, self.clock, lifecycle, namespace=namespace)
        except Exception:
            self.store.close()
            raise
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
        server = HttpServer(
            (self.host, self.port),
            self.service,
            token=self.token,
            tls_context=self._tls_context,
            max_body_bytes=self.max_body_bytes,
            control=self._http_routes() if self.http_control else (),
            max_connections=self.max_connections,
            idle_timeout=self.idle_timeout,
        )
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="kfp-emulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close every connection; the stored state is kept."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._server = self._thread = None
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
    def lifecycle(self) -> Lifecycle:
        """How runs move; assignable (applies to steps not yet taken)."""
        return self.service.lifecycle

    @lifecycle.setter
    def lifecycle(self, lifecycle: Lifecycle | str) -> None:
        if isinstance(lifecycle, str):
            lifecycle = Lifecycle.parse(lifecycle)
        with self.store.lock:
            self.service.lifecycle = lifecycle

    @property
    def default_experiment_id(self) -> str:
        """Id of the experiment ``Default``, which owns runs created without one."""
        return self.service.default_experiment_id

    def add_experiment(
        self,
        name: str,
        *,
        description: str = "",
        experiment_id: str | None = None,
        namespace: str = "",
    ) -> str:
        """Add an experiment so that EXPERIMENT references resolve; returns its id."""
        return self.service.add_experiment(
            name, description=description, experiment_id=experiment_id, namespace=namespace
        )

    def add_job(self, name: str, *, job_id: str | None = None) -> str:
        """Add a job (recurring run) so that JOB references resolve; returns its id."""
        return self.service.add_job(name, job_id=job_id)

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
        return PipelineIds(
            *self.service.add_pipeline(
                name,
                workflow_manifest=workflow_manifest,
                description=description,
                pipeline_id=pipeline_id,
                version_id=version_id,
            )
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
        return self.service.add_pipeline_version(
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
        self.service.set_run_status(run_id, status, finished_at=finished_at)

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
        if (data is None) == (files is None):
            raise ValueError("give either data or files")
        stored = argo_artifact_archive(files) if files is not None else bytes(data or b"")
        self.service.attach_artifact(run_id, node_id, name, stored)
        return stored

    def advance_clock(self, seconds: float) -> None:
        """Move the clock forward; runs take the lifecycle steps that became due."""
        self.clock.advance(seconds)
        self.service.tick()

    def seed_runs(self, seeds: Iterable[RunSeed]) -> list[str]:
        """Store many runs at once (fast; no validation, no lifecycle); returns their ids."""
        return self.service.seed_runs(seeds)

    def get_run(self, run_id: str) -> dict[str, Any]:
        """The run as get_run answers it (a parsed RunDetail); KeyError if unknown."""
        return self.service.run_detail(run_id)

    def run_count(self) -> int:
        """How many runs are stored."""
        return self.service.run_count()

    # ------------------------------------------------------------------------------------
    # Control API over HTTP

    def _http_routes(self) -> tuple[tuple[str, str, ControlHandler], ...]:
        """The control routes: each reads its JSON fields and calls a control method above."""
        name = {"name": (_string, True)}
        return tuple(
            (method, CONTROL_PREFIX + path, _http_handler(fields, owner, action))
            for method, path, fields, owner, action in (
                (
                    "POST",
                    "runs/{run_id}/status",
                    {"status": (_string, True), "finished_at": (_moment, False)},
                    "run",
                    self._set_run_status_over_http,
                ),
                (
                    "POST",
                    "runs/{run_id}/nodes/{node_id}/artifacts/{name}",
                    {"data": (_base64, False), "files": (_files, False)},
                    "run",
                    self._attach_artifact_over_http,
                ),
                (
                    "POST",
                    "experiments",
                    {
                        **name,
                        "description": (_string, False),
                        "experiment_id": (_string, False),
                        "namespace": (_string, False),
                    },
                    None,
                    lambda path, fields: {"experiment_id": self.add_experiment(**fields)},
                ),
                (
                    "POST",
                    "pipelines",
                    {
                        **name,
                        "workflow_manifest": (_manifest, False),
                        "description": (_string, False),
                        "pipeline_id": (_string, False),
                        "version_id": (_string, False),
                    },
                    None,
                    lambda path, fields: self.add_pipeline(**fields)._asdict(),
                ),
                (
                    "POST",
                    "pipelines/{pipeline_id}/versions",
                    {
                        **name,
                        "workflow_manifest": (_manifest, False),
                        "version_id": (_string, False),
                        "make_default": (_boolean, False),
                    },
                    "pipeline",
                    lambda path, fields: {
                        "version_id": self.add_pipeline_version(path["pipeline_id"], **fields)
                    },
                ),
                (
                    "POST",
                    "jobs",
                    {**name, "job_id": (_string, False)},
                    None,
                    lambda path, fields: {"job_id": self.add_job(**fields)},
                ),
                (
                    "POST",
                    "clock:advance",
                    {"seconds": (_number, True)},
                    None,
                    self._advance_clock_over_http,
                ),
            )
        )

    def _set_run_status_over_http(
        self, path: Mapping[str, str], fields: dict[str, Any]
    ) -> Mapping[str, Any]:
        self.set_run_status(path["run_id"], **fields)
        return self.get_run(path["run_id"])

    def _attach_artifact_over_http(
        self, path: Mapping[str, str], fields: dict[str, Any]
    ) -> Mapping[str, Any]:
        stored = self.attach_artifact(path["run_id"], path["node_id"], path["name"], **fields)
        return {"size": len(stored)}

    def _advance_clock_over_http(
        self, path: Mapping[str, str], fields: dict[str, Any]
    ) -> Mapping[str, Any]:
        self.advance_clock(fields["seconds"])
        return {"now": format_timestamp(math.floor(self.clock.now()))}


# A control route's fields: name -> (converter of the JSON value, required).
_Fields = Mapping[str, "tuple[Callable[[Any], Any], bool]"]
_Action = Callable[[Mapping[str, str], "dict[str, Any]"], Mapping[str, Any]]


def _http_handler(fields: _Fields, owner: str | None, action: _Action) -> ControlHandler:
    """A handler that checks every field before ``action`` runs, so that a rejected request
    changes nothing, and answers the control methods' exceptions in the KFP error format:
    KeyError (the ``owner`` named by the first path parameter is unknown) 404, ValueError 400.
    """

    def handle(path: Mapping[str, str], document: dict[str, Any]) -> Mapping[str, Any]:
        unknown = sorted(set(document) - set(fields))
        if unknown:
            raise errors.invalid_input(f"unknown field {unknown[0]!r}")
        values: dict[str, Any] = {}
        for name, (convert, required) in fields.items():
            if document.get(name) is None:
                if required:
                    raise errors.invalid_input(f"missing field {name!r}")
                continue
            try:
                values[name] = convert(document[name])
            except (TypeError, ValueError) as exc:
                raise errors.invalid_input(f"field {name!r}: {exc}") from None
        try:
            return action(path, values)
        except KeyError:
            if owner is None:
                raise
            raise errors.not_found(owner, next(iter(path.values()))) from None
        except ValueError as exc:
            raise errors.invalid_input(str(exc)) from None

    return handle


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("must be a string")
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("must be true or false")
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise TypeError("must be a finite number")
    return value


def _moment(value: Any) -> float:
    """Unix seconds, or an RFC 3339 timestamp."""
    if isinstance(value, str):
        return parse_timestamp(value)
    try:
        return _number(value)
    except TypeError:
        raise TypeError("must be Unix seconds or an RFC 3339 timestamp") from None


def _base64(value: Any) -> bytes:
    return base64.b64decode(_string(value), validate=True)


def _files(value: Any) -> dict[str, bytes]:
    if not isinstance(value, dict):
        raise TypeError("must be an object of file names and base64 contents")
    return {name: _base64(content) for name, content in value.items()}


def _manifest(value: Any) -> str | Mapping[str, Any]:
    if not isinstance(value, (str, dict)):
        raise TypeError("must be a workflow object or its JSON text")
    return value
