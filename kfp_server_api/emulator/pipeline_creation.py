"""Storing a new pipeline or pipeline version, shared by the pipeline service, the upload
handler and the control API, so that a pipeline made any way is the same kind of pipeline.

As the real server does: a pipeline is stored with a first version that has the pipeline's id
and name (and no description), which becomes its default version; pipeline names are unique
within a namespace and version names within their pipeline; a new version becomes its
pipeline's default (the server's ``AUTO_UPDATE_PIPELINE_DEFAULT_VERSION``, on by default).
The caller holds a transaction; errors are ``ApiError`` chains the caller adds context to.
"""

from __future__ import annotations

import uuid

from . import errors
from .context import ServiceContext
from .templates import Template

__all__ = ["PipelineCreation"]


class PipelineCreation:
    """Stores pipelines and versions from parsed templates."""

    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.store = context.store

    def create_pipeline(
        self,
        name: str,
        description: str,
        template: Template,
        *,
        namespace: str = "",
        pipeline_id: str | None = None,
        version_id: str | None = None,
    ) -> str:
        """Store a pipeline and its first version; returns the pipeline's id."""
        if self.store.pipeline_named(name, namespace) is not None:
            raise errors.already_exists(
                f"Failed to create a new pipeline. The name {name} already exist. "
                "Please specify a new name."
            )
        pipeline_id = pipeline_id or str(uuid.uuid4())
        version_id = version_id or pipeline_id
        now = self.context.now()
        parameters = template.parameters_json
        self.store.add_pipeline(
            pipeline_id, name, description, now, namespace=namespace, parameters=parameters
        )
        self.store.add_pipeline_version(
            version_id,
            pipeline_id,
            name,
            now,
            template.stored(name, namespace),
            parameters=parameters,
        )
        self.store.set_default_version(pipeline_id, version_id)
        return pipeline_id

    def create_version(
        self,
        pipeline_id: str,
        name: str,
        template: Template,
        *,
        description: str = "",
        code_source_url: str = "",
        version_id: str | None = None,
        make_default: bool = True,
    ) -> str:
        """Store a version of a pipeline; returns its id. 404 for an unknown pipeline."""
        pipeline = self.store.pipeline(pipeline_id)
        if pipeline is None:
            raise errors.not_found("Pipeline", pipeline_id)
        if self.store.version_named(pipeline_id, name) is not None:
            raise errors.already_exists(
                f"Failed to create a new pipeline version. The name {name} already exist. "
                "Please specify a new name."
            )
        version_id = version_id or str(uuid.uuid4())
        self.store.add_pipeline_version(
            version_id,
            pipeline_id,
            name,
            self.context.now(),
            template.stored(pipeline["name"], pipeline["namespace"]),
            parameters=template.parameters_json,
            description=description,
            code_source_url=code_source_url,
        )
        if make_default:
            self.store.set_default_version(pipeline_id, version_id)
        return version_id
