"""The pipeline service: the eleven PipelineService endpoints of KFP v1beta1.

Each endpoint method takes its arguments as ``routes()`` shapes them (path parameters, then the
parsed query or the decoded body message) and returns a record or None, or raises ``ApiError``;
``render/pipelines.py`` writes the answer. Validation order, messages and effects follow the
real server (``pipeline-service-behavior``); the upload endpoints are in ``uploads.py`` and
share the file reading (``pipeline_files.py``), templates (``templates.py``) and storing
(``pipeline_creation.py``) with this module.

create_pipeline and create_pipeline_version download the package themselves
(``downloads.py``), before taking the store's lock. Every read holds the lock, every write is
one transaction.
"""

from __future__ import annotations

import re
import sqlite3
import urllib.parse
from dataclasses import dataclass

from . import errors, listing, render
from .context import ServiceContext
from .downloads import DownloadError, download
from .errors import ApiError, Code
from .listing import Column, Listable, ListQuery, parse_query
from .pipeline_creation import PipelineCreation
from .pipeline_files import MAX_FILE_BYTES, read_pipeline_file
from .protojson import ENUMS, Message, query_unescape
from .render import pipelines as render_pipelines
from .routes import Route, message_body
from .run_creation import EXPERIMENT, JOB, NAMESPACE, OWNER, PIPELINE_VERSION
from .store.pipelines import PIPELINES, VERSIONS
from .templates import parse_template

__all__ = [
    "PIPELINE_LISTING",
    "VERSION_LISTING",
    "PipelinePage",
    "PipelineRecord",
    "PipelineService",
    "VersionPage",
    "pipeline_name",
]

PIPELINE = 3
MAX_NAME_BYTES = 100

PIPELINE_LISTING = Listable(
    "Pipeline",
    (
        Column("id", "UUID", integer=False),
        Column("name", "Name", integer=False),
        Column("created_at", "CreatedAtInSec", integer=True),
        Column("description", "Description", integer=False),
        Column("namespace", "Namespace", integer=False),
    ),
    reference_types=frozenset({EXPERIMENT, JOB, PIPELINE_VERSION, NAMESPACE}),
)
"""How pipelines list; a reference key must name a namespace (checked after its type)."""

VERSION_LISTING = Listable(
    "PipelineVersion",
    (
        Column("id", "UUID", integer=False),
        Column("name", "Name", integer=False),
        Column("created_at", "CreatedAtInSec", integer=True),
        Column("status", "Status", integer=False),
    ),
    reference_types=frozenset(ENUMS["api.ResourceType"].values()),
)
"""How versions list; ``resource_key`` names the pipeline (its type is not checked)."""

_READ_URL_FILE = "The URL is valid but pipeline system failed to read the file."
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class PipelineRecord:
    """A stored pipeline and its default version (None when none, or when it is gone)."""

    row: sqlite3.Row
    default_version: sqlite3.Row | None


@dataclass(frozen=True)
class PipelinePage:
    """A page of pipelines, the total that matched, and the next page's token ('' if last)."""

    pipelines: list[PipelineRecord]
    total_size: int
    next_page_token: str


@dataclass(frozen=True)
class VersionPage:
    """A page of versions, the total that matched, and the next page's token ('' if last)."""

    versions: list[sqlite3.Row]
    total_size: int
    next_page_token: str


def pipeline_name(raw: str, file_name: str, context: str) -> str:
    """A pipeline (or version) name as the server reads it from a request: URL-unescaped
    once more, the file name when empty, at most 100 bytes. Errors are wrapped in ``context``."""
    try:
        name = query_unescape(raw)
    except ValueError as exc:
        error = errors.invalid_input_with_details(
            "Pipeline name in the query string has invalid format.", str(exc)
        )
        raise error.wrap(context) from None
    name = name or file_name
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        error = errors.invalid_input(
            f"Pipeline name too long. Support maximum length of {MAX_NAME_BYTES}"
        )
        raise error.wrap(context)
    return name


def url_base_name(url: str) -> str:
    """Go's ``path.Base`` of the whole URL, as the server names a downloaded file."""
    stripped = url.rstrip("/")
    if not stripped:
        return "/" if url else "."
    return stripped.rsplit("/", 1)[-1]


class PipelineService:
    """The PipelineService endpoints, on the shared ``ServiceContext``."""

    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.store = context.store
        self.creation = PipelineCreation(context)

    def routes(self) -> list[Route]:
        """The pipeline service's routes (see ``routes.py``)."""
        pipelines = "/apis/v1beta1/pipelines"
        versions = "/apis/v1beta1/pipeline_versions"
        r = render_pipelines
        return [
            Route.parse("POST", pipelines, self.create_pipeline, r.pipeline, body=_PIPELINE),
            Route.parse("GET", pipelines, self.list_pipelines, r.pipeline_page, query=parse_query),
            Route.parse("GET", f"{pipelines}/{{id}}", self.get_pipeline, r.pipeline),
            Route.parse("DELETE", f"{pipelines}/{{id}}", self.delete_pipeline, render.empty),
            Route.parse("GET", f"{pipelines}/{{id}}/templates", self.get_template, r.template),
            Route.parse(
                "POST",
                f"{pipelines}/{{pipeline_id}}/default_version/{{version_id}}",
                self.update_pipeline_default_version,
                render.empty,
            ),
            Route.parse("POST", versions, self.create_pipeline_version, r.version, body=_VERSION),
            Route.parse(
                "GET", versions, self.list_pipeline_versions, r.version_page, query=_versions_query
            ),
            Route.parse("GET", f"{versions}/{{version_id}}", self.get_pipeline_version, r.version),
            Route.parse(
                "DELETE", f"{versions}/{{version_id}}", self.delete_pipeline_version, render.empty
            ),
            Route.parse(
                "GET",
                f"{versions}/{{version_id}}/templates",
                self.get_pipeline_version_template,
                r.template,
            ),
        ]

    # ------------------------------------------------------------------------------------
    # Pipelines

    def create_pipeline(self, body: Message) -> PipelineRecord:
        """``POST /apis/v1beta1/pipelines``: the body is the Pipeline; its package is fetched
        from ``url.pipeline_url``."""
        url = (body.get("url") or {}).get("pipeline_url", "")
        data = self._fetch(url, period="")
        name = pipeline_name(body.get("name", ""), url_base_name(url), "Invalid pipeline name.")
        namespace = next(
            (
                ref.get("key", {}).get("id", "")
                for ref in body.get("resource_references", [])
                if ref.get("key", {}).get("type") == NAMESPACE
            ),
            "",
        )
        try:
            template = parse_template(data)
            with self.store.transaction():
                pipeline_id = self.creation.create_pipeline(
                    name, body.get("description", ""), template, namespace=namespace
                )
                return self.pipeline_record(pipeline_id)
        except ApiError as exc:
            raise exc.wrap("Create pipeline failed").wrap("Create pipeline failed.") from None

    def _fetch(self, url: str, *, period: str) -> bytes:
        """The pipeline file at ``url``, unwrapped from its archive."""
        if not url:
            raise errors.invalid_input("Pipeline URL is empty. Please specify a valid URL.")
        if not (url.startswith("/") or _SCHEME.match(url)) or any(c < " " for c in url):
            raise errors.invalid_input(f"Invalid Pipeline URL {url}. Please specify a valid URL")
        failure = (
            f"Failed to download the pipeline from {url}{period} Please double check the URL is "
            "valid and can be accessed by the pipeline system."
        )
        try:
            fetched = download(url, limit=MAX_FILE_BYTES)
        except DownloadError as exc:
            raise errors.internal(failure, exc.cause) from None
        if fetched.status != 200:
            raise ApiError(
                Code.INTERNAL,
                f"InternalServerError: {failure} (HTTP status {fetched.status})",
                "Internal Server Error",
            )
        try:
            return read_pipeline_file(url_base_name(url), fetched.body)
        except ApiError as exc:
            raise exc.wrap(_READ_URL_FILE) from None

    def pipeline_record(self, pipeline_id: str) -> PipelineRecord:
        """The stored pipeline with this id, which exists (the caller holds the store)."""
        row = self.store.pipeline(pipeline_id)
        assert row is not None
        return self._record(row)

    def _record(self, row: sqlite3.Row) -> PipelineRecord:
        default_id = row["default_version_id"]
        default = self.store.pipeline_version(default_id) if default_id else None
        return PipelineRecord(row, default)

    def get_pipeline(self, pipeline_id: str) -> PipelineRecord:
        """``GET /apis/v1beta1/pipelines/{id}``: the pipeline with its default version."""
        with self.store.reading():
            row = self.store.pipeline(pipeline_id)
            if row is None:
                raise errors.not_found("Pipeline", pipeline_id).wrap("Get pipeline failed.")
            return self._record(row)

    def list_pipelines(self, query: ListQuery) -> PipelinePage:
        """``GET /apis/v1beta1/pipelines``: a page of one namespace's pipelines."""
        reference = listing.reference_key(query, PIPELINE_LISTING)
        if reference is not None and reference.type != "NAMESPACE":
            raise errors.invalid_input(
                "Invalid resource references for pipelines. ListPipelines requires filtering "
                "by namespace."
            )
        options = listing.list_options(query, PIPELINE_LISTING)
        namespace = listing.ReferenceKey("NAMESPACE", reference.id if reference else "")
        with self.store.reading():
            rows, total = self.store.list_rows(PIPELINES, options, namespace)
            rows, token = _page(rows, options)
            return PipelinePage([self._record(row) for row in rows], total, token)

    def delete_pipeline(self, pipeline_id: str) -> None:
        """``DELETE /apis/v1beta1/pipelines/{id}``: the pipeline and all its versions."""
        with self.store.transaction():
            if self.store.pipeline(pipeline_id) is None:
                error = errors.not_found("Pipeline", pipeline_id).wrap("Delete pipeline failed")
                raise error.wrap("Delete pipelines failed.")
            self.store.delete_pipeline(pipeline_id)

    def get_template(self, pipeline_id: str) -> str:
        """``GET /apis/v1beta1/pipelines/{id}/templates``: the default version's template
        ('' when the pipeline has no default version, or it is gone)."""
        with self.store.reading():
            row = self.store.pipeline(pipeline_id)
            if row is None:
                error = errors.not_found("Pipeline", pipeline_id)
                error = error.wrap("Get pipeline template failed")
                raise error.wrap("Get pipeline template failed.")
            version = self.store.pipeline_version(row["default_version_id"])
            return "" if version is None else self.store.manifest_text(version["manifest_id"])

    def update_pipeline_default_version(self, pipeline_id: str, version_id: str) -> None:
        """``POST .../pipelines/{pipeline_id}/default_version/{version_id}``: unchecked, as on
        the real server (an unknown pipeline or version is accepted)."""
        with self.store.transaction():
            self.store.set_default_version(pipeline_id, version_id)

    # ------------------------------------------------------------------------------------
    # Versions

    def create_pipeline_version(self, body: Message) -> sqlite3.Row:
        """``POST /apis/v1beta1/pipeline_versions``: the body is the PipelineVersion; its
        package is fetched from ``package_url.pipeline_url``; the last PIPELINE/OWNER
        reference names its pipeline."""
        url = (body.get("package_url") or {}).get("pipeline_url", "")
        data = self._fetch(url, period=".")
        pipeline_id = ""
        for reference in body.get("resource_references", []):
            key = reference.get("key", {})
            if key.get("type") == PIPELINE and reference.get("relationship") == OWNER:
                pipeline_id = key.get("id", "")
        if not pipeline_id:
            # The server returns neither a version nor an error; gRPC cannot send that.
            message = "grpc: error while marshaling: proto: Marshal called with nil"
            raise ApiError(Code.INTERNAL, message, None)
        try:
            template = parse_template(data)
            with self.store.transaction():
                version_id = self.creation.create_version(
                    pipeline_id,
                    body.get("name", ""),
                    template,
                    description=body.get("description", ""),
                    code_source_url=body.get("code_source_url", ""),
                )
                row = self.store.pipeline_version(version_id)
                assert row is not None
                return row
        except ApiError as exc:
            error = exc.wrap("Create pipeline version failed")
            raise error.wrap("Failed to create a version.") from None

    def get_pipeline_version(self, version_id: str) -> sqlite3.Row:
        """``GET /apis/v1beta1/pipeline_versions/{version_id}``."""
        with self.store.reading():
            row = self.store.pipeline_version(version_id)
        if row is None:
            raise errors.not_found("Version", version_id).wrap("Get pipeline version failed.")
        return row

    def list_pipeline_versions(self, query: ListQuery) -> VersionPage:
        """``GET /apis/v1beta1/pipeline_versions``: a page of one pipeline's versions."""
        options = listing.list_options(query, VERSION_LISTING)
        if query.reference_type is None and query.reference_id is None:
            raise errors.invalid_input("ResourceKey must be set in the input")
        pipeline_id = query.reference_id or ""
        with self.store.reading():
            if self.store.pipeline(pipeline_id) is None:
                error = errors.not_found("Pipeline", pipeline_id)
                error = error.wrap("Failed to get namespace from Pipeline ID")
                raise error.wrap("Failed to get namespace from pipelineId.")
            owner = listing.ReferenceKey("PIPELINE", pipeline_id)
            rows, total = self.store.list_rows(VERSIONS, options, owner)
            rows, token = _page(rows, options)
        return VersionPage(rows, total, token)

    def delete_pipeline_version(self, version_id: str) -> None:
        """``DELETE /apis/v1beta1/pipeline_versions/{version_id}``; a pipeline whose default
        it was gets its newest remaining version as default."""
        with self.store.transaction():
            if self.store.pipeline_version(version_id) is None:
                error = errors.not_found("Version", version_id)
                raise error.wrap("Failed to get Pipeline Version.")
            self.store.delete_pipeline_version(version_id)

    def get_pipeline_version_template(self, version_id: str) -> str:
        """``GET /apis/v1beta1/pipeline_versions/{version_id}/templates``."""
        with self.store.reading():
            row = self.store.pipeline_version(version_id)
            if row is None:
                error = errors.not_found("Version", version_id)
                error = error.wrap("Get pipeline version template failed")
                raise error.wrap("Get pipeline template failed.")
            return self.store.manifest_text(row["manifest_id"])


def _page(rows: list[sqlite3.Row], options: listing.ListOptions) -> tuple[list[sqlite3.Row], str]:
    """The page's rows and the next page's token, from the page_size + 1 rows fetched."""
    if len(rows) <= options.page_size:
        return rows, ""
    following = rows[options.page_size]
    token = listing.encode_page_token(options, following["sort_value"], following["uuid"])
    return rows[: options.page_size], token


_REFERENCE_PARAMETERS = ("resource_reference_key.", "resourceReferenceKey.")
_KEY_PARAMETERS = ("resource_key.", "resourceKey.")


def _versions_query(raw_query: str) -> ListQuery:
    """A list_pipeline_versions query: its ``resource_key`` read as the reference key."""
    pairs = []
    for pair in raw_query.split("&"):
        raw_key, sep, value = pair.partition("=")
        try:
            key = query_unescape(raw_key)
        except ValueError:
            pairs.append(pair)  # parse_query reports it
            continue
        if key.startswith(_REFERENCE_PARAMETERS):
            continue  # not a parameter of this call
        prefix = next((p for p in _KEY_PARAMETERS if key.startswith(p)), None)
        if prefix is None:
            pairs.append(pair)
        else:
            renamed = "resource_reference_key." + key[len(prefix) :]
            pairs.append(urllib.parse.quote(renamed) + sep + value)
    return parse_query("&".join(pairs))


_PIPELINE = message_body("api.Pipeline")
_VERSION = message_body("api.PipelineVersion")
