"""The upload handler: ``/apis/v1beta1/pipelines/upload`` and ``/upload_version``.

On the real server these two routes are plain HTTP handlers in front of the gateway: any HTTP
method reaches them, the file comes as the multipart part ``uploadfile`` (its file name names
the format and is the default name), the other inputs are query parameters (``name``,
``description``, ``namespace``; ``pipelineid`` for a version), and errors are written as
``{"error_message", "error_details"}`` (text/plain) with 400 for what fails before the pipeline
is stored and 500 for what fails while storing it (an invalid template or a taken name too).

``name`` and ``description`` (and ``namespace``) are URL-unescaped a second time, as the server
does: ``a+b`` sent as ``a%2Bb`` is stored as ``a b``. A version's description is not.

A request body may be ``MAX_UPLOAD_BODY_BYTES`` (the 32 MiB file limit plus room for the
multipart framing); a larger one is refused before it is read, with the server's "File size
too large" error, and the connection closed.
"""

from __future__ import annotations

import sqlite3

from .context import ServiceContext
from .errors import ApiError, Code
from .multipart import MultipartError, form_file
from .pipeline_creation import PipelineCreation
from .pipeline_files import MAX_FILE_BYTES, read_pipeline_file
from .pipelines import PipelineRecord, PipelineService, pipeline_name
from .protojson import query_unescape
from .render import pipelines as render_pipelines
from .routes import TEXT_TYPE, BodyLimit, Response, Route
from .templates import parse_template

__all__ = ["MAX_UPLOAD_BODY_BYTES", "UploadService", "error_response"]

MAX_UPLOAD_BODY_BYTES = MAX_FILE_BYTES + (1 << 20)
"""Largest upload request body read: the largest file plus 1 MiB of multipart framing."""

_TOO_LARGE = (
    "Error read pipeline file.: Invalid input error: File size too large. Maximum supported "
    f"size: {MAX_FILE_BYTES}"
)


def _failure(status: int, message: str, reason: str | None = None) -> ApiError:
    """An upload error: the status the handler chose, and its message."""
    code = Code.INVALID_ARGUMENT if status == 400 else Code.INTERNAL
    return ApiError(code, message, message, http_status=status, reason=reason)


def error_response(error: ApiError) -> Response:
    """An error as the upload handler writes it."""
    body = render_pipelines.upload_error(error).encode("utf-8")
    return Response(error.http_status, body, TEXT_TYPE)


def _query(raw_query: str) -> dict[str, str]:
    """Query parameters as Go's ``URL.Query().Get`` reads them: first value wins, pairs with
    a bad escape are dropped."""
    values: dict[str, str] = {}
    for pair in raw_query.split("&"):
        if not pair or ";" in pair:
            continue
        key, _, value = pair.partition("=")
        try:
            values.setdefault(query_unescape(key), query_unescape(value))
        except ValueError:
            continue
    return values


class UploadService:
    """The two upload routes, on the shared ``ServiceContext``."""

    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.store = context.store
        self.creation = PipelineCreation(context)
        self.pipelines = PipelineService(context)

    def routes(self) -> list[Route]:
        """The upload routes: any method, multipart body, the handler's own error format."""
        prefix = "/apis/v1beta1/pipelines"
        return [
            Route.parse(
                "*",
                f"{prefix}/upload",
                self.upload_pipeline,
                render_pipelines.pipeline,
                form=True,
                errors=error_response,
                body_limit=BodyLimit(
                    MAX_UPLOAD_BODY_BYTES,
                    _failure(400, f"Error read pipeline file.: {_TOO_LARGE}"),
                ),
            ),
            Route.parse(
                "*",
                f"{prefix}/upload_version",
                self.upload_pipeline_version,
                render_pipelines.version,
                form=True,
                errors=error_response,
                body_limit=BodyLimit(
                    MAX_UPLOAD_BODY_BYTES,
                    _failure(
                        400,
                        f"Error read pipeline version file.: {_TOO_LARGE}",
                    ),
                ),
            ),
        ]

    def _read_file(self, content_type: str, body: bytes, what: str) -> tuple[str, bytes]:
        try:
            file_name, content = form_file(content_type, body, "uploadfile")
        except MultipartError as exc:
            raise _failure(400, f"Failed to read {what} from file: {exc}") from None
        try:
            return file_name, read_pipeline_file(file_name, content)
        except ApiError as exc:
            raise _failure(400, exc.wrap(f"Error read {what} file.").message) from None

    def upload_pipeline(self, raw_query: str, content_type: str, body: bytes) -> PipelineRecord:
        """``/apis/v1beta1/pipelines/upload``: a new pipeline from the uploaded file."""
        file_name, data = self._read_file(content_type, body, "pipeline")
        query = _query(raw_query)
        try:
            namespace = query_unescape(query.get("namespace", ""))
        except ValueError as exc:
            raise _failure(
                400,
                "Invalid pipeline namespace.: InvalidInputError: Pipeline namespace in the query "
                f"string has invalid format.: {exc}",
            ) from None
        try:
            name = pipeline_name(query.get("name", ""), file_name, "Invalid pipeline name.")
        except ApiError as exc:
            raise _failure(400, exc.message) from None
        try:
            description = query_unescape(query.get("description", ""))
        except ValueError as exc:
            raise _failure(400, f"Error read pipeline description.: {exc}") from None
        try:
            template = parse_template(data)
            with self.store.transaction():
                pipeline_id = self.creation.create_pipeline(
                    name, description, template, namespace=namespace
                )
                return self.pipelines.pipeline_record(pipeline_id)
        except ApiError as exc:
            error = exc.wrap("Create pipeline failed").wrap("Error creating pipeline")
            raise _failure(500, error.message, error.reason) from None

    def upload_pipeline_version(
        self, raw_query: str, content_type: str, body: bytes
    ) -> sqlite3.Row:
        """``/apis/v1beta1/pipelines/upload_version``: a new version of ``pipelineid``."""
        file_name, data = self._read_file(content_type, body, "pipeline version")
        query = _query(raw_query)
        try:
            name = pipeline_name(query.get("name", ""), file_name, "Invalid pipeline version name.")
        except ApiError as exc:
            raise _failure(400, exc.message) from None
        pipeline_id = query.get("pipelineid", "")
        if not pipeline_id:
            raise _failure(400, "Please specify a pipeline id when creating versions.")
        with self.store.reading():
            known = self.store.pipeline(pipeline_id) is not None
        if not known:
            raise _failure(
                400,
                "Failed to get namespace from pipelineId.: Failed to get namespace from Pipeline "
                f"ID: ResourceNotFoundError: Pipeline {pipeline_id} not found.",
            )
        try:
            template = parse_template(data)
            with self.store.transaction():
                version_id = self.creation.create_version(
                    pipeline_id, name, template, description=query.get("description", "")
                )
                row = self.store.pipeline_version(version_id)
                assert row is not None
                return row
        except ApiError as exc:
            error = exc.wrap("Create pipeline version failed").wrap(
                "Error creating pipeline version"
            )
            raise _failure(500, error.message, error.reason) from None
