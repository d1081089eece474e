"""Declaration of the ProtobufAny model."""

from __future__ import annotations

from kfp_server_api.model import BASE64_PATTERN, Model, field


class ProtobufAny(Model):
    """A protobuf message of any type, packed together with its type URL."""

    type_url: str | None = field(
        "str", "URL whose last path segment names the type of the packed message."
    )
    value: str | None = field(
        "str", "The serialized message, base64-encoded.", pattern=BASE64_PATTERN
    )
