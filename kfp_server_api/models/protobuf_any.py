"""Declaration of the ProtobufAny model."""

from __future__ import annotations

from kfp_server_api.model import BASE64_PATTERN, Model, field


class ProtobufAny(Model):
    """A protobuf message of any type, packed together with its type URL.

    KFP 2.14 and later servers write such a message in JSON as ``{"@type": URL, ...its own
    fields}`` instead; the error details of ``ApiException`` keep that form as plain dicts.
    """

    type_url: str | None = field(
        "str", "URL whose last path segment names the type of the packed message."
    )
    value: str | None = field(
        "str", "The serialized message, base64-encoded.", pattern=BASE64_PATTERN
    )
