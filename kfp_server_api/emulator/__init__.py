"""An emulator of the Kubeflow Pipelines v1beta1 API server, for tests and local work.

It is a real HTTP server that speaks all six v1beta1 services as the KFP API server (tag 1.8.5,
single-user mode) does: the ten RunService, six ExperimentService, eleven PipelineService and
six JobService endpoints, the two pipeline upload routes and healthz, with the same paths, JSON
field names and key order, omission of zero values, error bodies and status codes, paging,
sorting and filtering; a scheduler fires recurring runs on the emulator's clock. State lives in
SQLite, in memory or in a file. It uses only the standard library.

Three ways to use it::

    # 1. Embedded, on a free loopback port, in tests and notebooks
    from kfp_server_api.emulator import Emulator

    with Emulator() as server:
        print(server.url)              # http://127.0.0.1:<port>
        ...                            # point any client at server.url

    # 2. From the command line (prints its URL, stops on Ctrl-C or SIGTERM)
    #    python -m kfp_server_api.emulator --port 8888 [--db runs.db] [--token-file PATH]
    #        [--tls-cert cert.pem --tls-key key.pem] [--lifecycle timed|instant|manual|STEPS]
    #        [--max-connections N] [--idle-timeout SECONDS]
    #        [--no-control] [--no-ui]
    #    and open http://127.0.0.1:8888/ in a browser to see what your code did

    # 3. As the server of this project's own tests, and of yours: the package's pytest
    #    plugin (kfp_server_api.pytest_plugin) gives each test a reset emulator and clients.

``Emulator(host="127.0.0.1", port=0, db=":memory:", *, token=None, lifecycle=None, clock=None,
tls_cert=None, tls_key=None, max_body_bytes=DEFAULT_MAX_BODY_BYTES, namespace="kubeflow",
http_control=True, max_connections=DEFAULT_MAX_CONNECTIONS,
idle_timeout=DEFAULT_IDLE_TIMEOUT_SECONDS, ui=True)`` has ``start()``, ``stop()``, ``close()``,
``url`` and is a context manager. Start plus stop takes a few milliseconds, so a fixture per test is
cheap. It binds loopback unless told otherwise. With ``token``, every request must carry
``Authorization: Bearer <token>`` (401 otherwise). With ``tls_cert``/``tls_key`` it serves
HTTPS. Request bodies above ``max_body_bytes`` (4 MiB by default) get 413 without being read,
and the connection is closed.

Connections and framing: at most ``max_connections`` (512) are served at once. Beyond that,
new connections wait in the listen queue, as with a real server's connection limit, and the
connection idle longest between requests is closed to make room; clients reopen it. A
connection that sends nothing for ``idle_timeout`` seconds (30) is closed. Running out of file
descriptors is handled the same way, without busy-looping. A request whose body's end is
ambiguous (RFC 9112: both ``Content-Length`` and ``Transfer-Encoding``, a chunk size that is
not plain hex, a ``Content-Length`` that is not one ASCII number, a header line that is not
``name: value``) gets ``400 Bad Request: <reason>`` in plain text, as Go's ``net/http`` answers
it, and the connection is closed; a ``Transfer-Encoding`` other than ``chunked`` after another
coding gets 501.

On the command line the token comes from ``--token-file PATH`` or the environment variable
``KFP_EMULATOR_TOKEN``; ``--token T`` works too, but shows the token to every user of the machine
in the process list. A database file that the emulator creates is readable and writable by its
owner only (mode 0600, whatever the umask), and so are SQLite's ``-wal`` and ``-shm`` files
beside it; an existing file keeps its mode, with a warning if others can read it.

The control API stands in for the cluster. It acts on the stored state directly, serving or
not:

- ``set_run_status(run_id, status, finished_at=None)``: what the persistence agent reports.
- ``attach_artifact(run_id, node_id, name, data=None, files=None)``: an output artifact that
  read_artifact then serves; ``files`` ({name: bytes}) are packed as Argo packs them, in a
  gzip-compressed tar archive (``argo_artifact_archive`` builds one).
- ``add_experiment(name, ...)``, ``add_job(name, ...)``, ``add_pipeline(name,
  workflow_manifest=None, ...)`` (returns ``PipelineIds(pipeline_id, version_id)``; the first
  version has the pipeline's id, as an upload's does), ``add_pipeline_version(pipeline_id,
  name, ...)``: so that references resolve. The experiment ``Default`` exists from the start
  (``default_experiment_id``); as on the real server it can be archived and deleted, and the
  next run created without an experiment creates it again. ``add_job(name,
  experiment_id=..., enabled=True)`` makes a job that archiving its experiment disables
  (``get_job`` shows it); it never fires (jobs with a schedule come from create_job).
  ``seed_pipelines(PipelineSeed(name, versions=...) for ...)`` stores many pipelines in one
  transaction.
- ``advance_clock(seconds)``: moves the clock, and with it every run's lifecycle and every
  job's schedule (the runs that became due are fired before it returns).
- ``seed_runs(RunSeed(...) for ...)``: stores many runs in one transaction (100,000 in a few
  seconds), for benchmarks and large listings; ``seed_experiments(ExperimentSeed(...) for
  ...)`` and ``seed_jobs(JobSeed(...) for ...)`` (disabled jobs) do the same for experiments
  and jobs.
- ``get_run(run_id)`` (the RunDetail as a dict), ``run_count()``, ``lifecycle`` (assignable).
- ``reset(clock=None)``: back to the empty state (the Default experiment only, with a new id)
  in milliseconds, whatever is stored. The clock keeps its time unless ``clock`` replaces it.
- ``snapshot()`` and ``restore(snapshot)``: a ``Snapshot`` is an in-memory copy of the whole
  state (not the clock), restorable any number of times, into a file-backed emulator too;
  seed a large store once and start each test from it (100,000 runs in about 60 ms).

Control over HTTP: the same controls are served under ``/emulator/v1/`` (where KFP has no
routes), for the command line and clients in other languages. JSON objects in and out, errors
in the KFP error format (400 for bad JSON or fields, 404 for an unknown run or pipeline), behind
``token`` like every route. On by default; ``--no-control`` / ``Emulator(http_control=False)``
turns it off. All are POST: ``runs/{run_id}/status`` (``status``, ``finished_at`` as RFC 3339
or Unix seconds), ``runs/{run_id}/nodes/{node_id}/artifacts/{name}`` (``data`` in base64, or
``files`` as {name: base64}), ``experiments``, ``pipelines``, ``pipelines/{pipeline_id}/versions``,
``jobs`` (the keyword arguments of the methods above as fields), ``clock:advance``
(``seconds``) and ``reset`` (no fields; answers ``default_experiment_id``)::

    curl -X POST http://127.0.0.1:8888/emulator/v1/runs/$RUN_ID/status \\
         -H 'Authorization: Bearer T' -d '{"status": "Failed"}'

The web page: ``/`` serves a read-only page (plain HTML, CSS and JavaScript shipped in the
package, nothing from the network) that lists runs (filtered by experiment and status, sorted,
paged through the API), experiments, pipelines with their versions and jobs, and shows a run's
parameters, references, metrics, workflow nodes, downloadable artifacts and pipeline spec. It
refreshes itself every 2 seconds while visible. It reads only the public REST API, with the
token it asks for once (the static page itself is served without the token: it holds no data,
see ``ui``). ``--no-ui`` / ``Emulator(ui=False)`` turns it off.

Runs move on their own, Pending -> Running -> Succeeded, along a ``Lifecycle`` (see
``lifecycle.py``): ``Lifecycle.timed()`` by default (Pending at once, Running after 1 s,
Succeeded after 2 s), ``Lifecycle.instant()`` (final by the first read),
``Lifecycle.manual()`` (nothing moves unless driven), or any steps and final status. Time comes
from a ``Clock``: the system clock by default, or a ``ManualClock`` that only moves when
advanced, which makes code that waits for runs testable deterministically.

Everything is logged through the ``kfp_server_api.emulator`` logger (each request at DEBUG);
nothing is printed per request.

Known differences from a real KFP API server
--------------------------------------------
Scope and environment

- The RunService, ExperimentService, JobService and PipelineService endpoints and the upload
  routes are served, plus ``GET /apis/v1beta1/healthz``. Only single-user mode is emulated (no
  namespace authorization); an upload's ``namespace`` is stored (the real single-user server
  fails on it). No sample pipelines are loaded at start.
- Experiment names are unique as compared exactly (MySQL's collation would also make
  ``Training`` and ``training`` collide); names and descriptions have no length limit. The
  control API's ``add_experiment`` does not check names. Archiving an experiment disables its
  jobs in the store only (there is no ScheduledWorkflow to patch, so never a 500).
- Nothing runs: statuses follow the configured lifecycle instead of Argo. The create response
  shows the run with no status, as the real server's does; the first step applies before the
  next request. After terminate_run, ``Terminating`` becomes ``Failed`` along the lifecycle's
  ``on_terminate`` steps.
- ``pipeline_runtime.workflow_manifest`` is the submitted workflow with the run's name,
  namespace, labels, parameters and service account filled in and a synthesized ``status``
  (phase, start and finish times, and one node per node that has attached artifacts). It has
  no real pods or per-step nodes.
- Runs are in the namespace ``kubeflow`` (the ``namespace`` option); the default service
  account is ``pipeline-runner``.
- Bearer-token authentication is the emulator's own (real deployments authenticate in a proxy
  in front of the server); the 401 body has the KFP error shape, code 16.
- Bodies above the limit get 413 with ``{"error", "code": 8, "message"}``. The real server has
  no such HTTP limit; its gRPC message limit (4 MiB) would answer 429 (ResourceExhausted).

Validation

- A workflow manifest must be a JSON object whose known top-level fields (``apiVersion``,
  ``kind``, ``metadata``, ``spec``, ``status``, ``spec.arguments.parameters``,
  ``spec.serviceAccountName``) have the right JSON types; the rest of the Argo schema is not
  checked and there is no Argo lint (the real server answers 500 for lint failures). A
  pipeline manifest (v2) must be a JSON object; YAML is not accepted.
- Messages and codes the reference states are reproduced exactly. The intermediate contexts of
  a few create_run chains (reference conversion, unknown template format, undeclared
  parameter) are reconstructed from the server's structure and may be worded differently.
- The real server's 500s for client mistakes are kept: a parameter the workflow does not
  declare, and a first EXPERIMENT reference that does not exist. No other input gives a 500.
- Go's JSON syntax errors are imitated (``invalid character 'x' looking for beginning of
  value``, ``unexpected EOF``); type errors are worded by the emulator
  (``invalid value for string field api.Run.name: 5``). The proto text in read_artifact
  errors never has Go's randomly doubled spaces.
- A request body that is not UTF-8 is refused with 400 (Go would decode it, replacing invalid
  bytes with U+FFFD). Invalid UTF-8 in a path or query becomes U+FFFD (the real server fails
  with 500 when it forwards such a string over gRPC).
- JSON (bodies, filters, manifests) nested deeper than 200 levels is refused with
  ``exceeded max depth``; Go's decoder allows 10000.
- A resource reference without ``key`` is treated as type UNKNOWN_RESOURCE_TYPE (400); the
  real server may crash on it.
- Metric values NaN and ±Infinity are refused with INTERNAL_ERROR, as MySQL refuses them.

Pipelines

- Pipeline files are read by a YAML reader of the emulator's own (``yaml_subset.py``): block and
  flow collections, every scalar style, YAML 1.1 types as go-yaml resolves them, anchors,
  aliases and merge keys, the first document. It refuses complex keys (``? key``), tabs in
  indentation, NaN and infinities, text that is not UTF-8 (or UTF-16 with a byte-order mark),
  nesting deeper than 200, and documents weighing more than 64 MiB with their aliases
  expanded (alias bombs); each of these is "unknown template format", as a YAML error is on
  the real server. A v2 spec's top-level keys are checked as strictly as protojson checks
  them, nested ones are not.
- Stored templates (what get_template answers) are JSON as the server stores them, with these
  differences: Argo workflows keep their keys as given below the top level (Go writes its
  struct order and zero-valued fields such as ``"outputs":{}``), and a v2 spec's nested keys
  are as given.
- Archives are bounded (the real server has no limit): the chosen file at most 32 MiB
  decompressed, a tar.gz at most 64 MiB decompressed in all, a zip at most 10,000 entries,
  and an entry whose path is absolute or has ``..`` is refused. A valid empty zip gets 400
  (the real server crashes on it).
- An upload body above 33 MiB (the 32 MiB file limit and 1 MiB of framing) is refused with
  the "File size too large" error before it is read, and the connection closed. Upload
  errors' ``error_details`` repeat ``error_message`` (the real server adds Go stack traces to
  some).
- Packages are downloaded over http(s) only, within 30 seconds, reading at most 32 MiB + 1
  bytes (the real server has no time limit and truncates large files, bug #7652). A download
  answered with another status than 200 is a 500 naming the status (the real server crashes).
- create_pipeline_version with an Argo package and an unknown pipeline answers 404 ``Pipeline
  <id> not found.`` (the real server fails with 500 on its foreign key).
- Of versions created in the same second, the last one created becomes the default when the
  default version is deleted.

Listing

- SQLite compares instead of MySQL: string equality and sort order are case-sensitive
  (binary), ``IS_SUBSTRING`` (LIKE) is case-insensitive for ASCII only, and comparisons between
  a string and a number follow SQLite's rules (MySQL converts the string to a number).
- Sorting by ``metric:<name>``: runs without the metric come first in ascending and last in
  descending order, as in MySQL; a next page that would start on such a run fails with 400 as
  on the real server. If several nodes report the same metric name, the first reported value
  is the run's sort key.
- Page tokens have the real server's keys but are not interchangeable with its tokens; a
  metric sort is named ``metric:<name>`` in them. A token that decodes but names an unknown
  field is 400 (the real server may answer 500).
- Re-sending the same ``filter`` with a page token is accepted for every value kind (the real
  server may reject numeric and timestamp filters after the token's JSON round trip).
- ``total_size`` of a filter on fields other than status and storage state is counted once and
  cached until the next write.
- A filter holds at most 500 values (each predicate's, each of an IN list), and an
  ``IS_SUBSTRING`` value at most 49,998 UTF-8 bytes: larger ones are refused with 400 (the
  real server has no such limits; SQLite bounds the size of a query and of a LIKE pattern).
- Times are bounded to what a Timestamp holds (years 1 to 9999): the control API refuses a
  ``finished_at`` or seed time outside that range, and a clock step past its end, with 400
  (``ValueError`` from Python).

Jobs and the scheduler

- A scheduler plays the ScheduledWorkflow controller and the persistence agent
  (``scheduler.py``): it fires the runs of enabled jobs at their cron or periodic ticks on the
  emulator's clock, within ``start_time``/``end_time``, while fewer than ``max_concurrency`` of
  their runs are active, catching up missed ticks or (``no_catchup``) collapsing them into one.
  It looks whenever the clock is read: on every request, on ``advance_clock``, and, with the
  system clock, from a timer thread woken at the next due time (a due run appears within a
  second instead of the controller's 0-10 s). With a ``ManualClock``, advancing the clock by a
  day fires the 24 runs of an hourly job (the backlog a controller finds after the jump), or 1
  with ``no_catchup``.
- The controller fires one run per sync of a job and syncs it again 10 s later; the emulator
  keeps that pace (at most one run per job per 10 s of the clock) but drains in one go the
  backlog those syncs would have drained. Runs still active bound a backlog by
  ``max_concurrency``. With ``Lifecycle.instant()`` the pace bounds it (a job firing every
  second gets a run per 10 s of a clock advance, as from the controller), and one sync fires
  at most 10,000 runs of a job; the rest of the backlog follows one run per 10 s.
- The first ``status`` a job shows is ``NO_STATUS`` (in the create response); the scheduler then
  sets ``Enabled``/``Disabled`` (``Running``/``Succeeded`` for a job without a trigger) at once,
  not after the controller's delay. ``updated_at`` changes only on create and on a real
  enable/disable (the persistence agent's refresh every 30 s is not reproduced).
- Cron specs are read as robfig/cron v1.2.0 reads them, in UTC (the controller uses its own
  time zone). A spec with no tick in the next five years never fires (the library then returns
  a zero time, which the controller would fire at once, again and again). The parameter macros
  ``[[RunUUID]]``, ``[[Index]]``, ``[[ScheduledTime]]`` and ``[[CurrentTime]]`` are replaced;
  the ones with a Go layout or ``strftime`` format are left as they are.
- A fired run's ``pipeline_spec.workflow_manifest`` also carries the controller's workflow
  labels (the real one keeps only ``generateName``); its runtime manifest has them as on a
  cluster. Deleting a job does not stop its active runs (Kubernetes would garbage-collect their
  workflows); they keep their status and lose their JOB reference.
- Page tokens of list_jobs have empty ``*Prefix`` fields (the real server writes ``jobs.``).

HTTP

- Unknown routes get ``Not Found``, known paths with another method ``Method Not Allowed``
  (plain text, as the gateway writes them); paths outside ``/apis/`` get ``404 page not
  found`` and unclean paths (``..``, ``//``) a 301, as Go's ``http.ServeMux`` does. HEAD gets
  the headers of that answer. There are no ``Grpc-Metadata-*`` headers and no gRPC port.
- A file database is safe against the process being killed (WAL, each write committed before
  the answer); an operating-system crash can lose the last writes.

Layout, and how to add a service
--------------------------------
``emulator.py`` (the ``Emulator`` object and ``SERVICES``), ``server.py`` (HTTP connections),
``routes.py`` (``Route``, the dispatcher), ``context.py`` (state every service shares, the run
lifecycle tick), ``runs.py`` (the run service: records in, records out) and
``run_creation.py`` (its create_run), ``jobs.py`` (the job service), ``scheduler.py`` (the
controller that fires jobs' runs) and ``cron.py`` (cron specs), ``render/`` (every answer's
JSON, one module per
resource), ``listing.py`` (paging, sort, filters, reference keys for every resource, described
by a ``Listable``), ``store/`` (all SQL, one module per table;
``store/listing.py`` lists any ``Table``), ``control.py`` (what the cluster does, for Python
and ``/emulator/v1/``), plus ``protojson.py``, ``errors.py``, ``workflow.py``, ``clock.py``,
``lifecycle.py``. Pipelines: ``pipelines.py`` (the service), ``uploads.py`` (the upload
routes), ``pipeline_files.py`` (files and archives), ``templates.py`` (what a file holds; the
template a run or job of a stored pipeline uses: ``resolve_template``),
``pipeline_creation.py``, ``multipart.py``, ``downloads.py``, ``yaml_subset.py``.

A new resource (say experiments) adds files and one-line registrations:

1. ``store/experiments.py``: the table's ``SCHEMA``, a ``Table`` description if it lists
   (add its ``listing_indexes`` to ``DERIVED``), and a mixin of the methods that read and write
   it; register it in ``store/__init__.py`` (``_SCHEMA``, ``_DERIVED``, ``Store``'s bases). A
   new table in an existing database needs a migration and a ``SCHEMA_VERSION`` bump.
2. ``experiments.py``: the service class, taking a ``ServiceContext``; its endpoint methods
   take path parameters, then the parsed query (``listing.parse_query``) or the decoded body
   (``routes.message_body("api.Experiment")``), and return records; ``routes()`` lists its
   ``Route``s; a ``Listable`` says how it lists (``listing.list_options(query, LISTABLE)``,
   then ``store.list_rows(TABLE, options, reference)``).
3. ``render/experiments.py``: one function per answer, from the records to JSON text.
4. Register the service class in ``SERVICES`` (``emulator.py``); control operations it needs
   go into ``control.py``, with their HTTP route in ``Control.routes()``.
5. Message schemas it decodes go into ``protojson.py``; tests into ``test/emulator/``.
"""

from __future__ import annotations

import logging

from .clock import Clock, ManualClock, SystemClock
from .connections import DEFAULT_IDLE_TIMEOUT_SECONDS, DEFAULT_MAX_CONNECTIONS
from .control import ExperimentSeed, JobSeed, PipelineIds, PipelineSeed, RunSeed
from .emulator import Emulator
from .lifecycle import FINAL_STATUSES, Lifecycle, Step
from .server import DEFAULT_MAX_BODY_BYTES
from .store import Snapshot
from .workflow import argo_artifact_archive

__all__ = [
    "DEFAULT_IDLE_TIMEOUT_SECONDS",
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_MAX_CONNECTIONS",
    "FINAL_STATUSES",
    "Clock",
    "Emulator",
    "ExperimentSeed",
    "JobSeed",
    "Lifecycle",
    "ManualClock",
    "PipelineIds",
    "PipelineSeed",
    "RunSeed",
    "Snapshot",
    "Step",
    "SystemClock",
    "argo_artifact_archive",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
