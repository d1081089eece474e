"""Declaration of the ApiStatus model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfp_server_api.model import Model, field

if TYPE_CHECKING:
    from kfp_server_api.models.protobuf_any import ProtobufAny


class ApiStatus(Model):
    """An error as the KFP 1.x to 2.5 API servers describe it.

    From KFP 2.14 on the server sends ``{"code", "message", "details"}`` with no ``error``;
    exceptions read every generation (see ``ApiException.error`` and ``user_message``).
    """

    error: str | None = field("str", "Error message.")
    code: int | None = field("int", "gRPC status code of the error.")
    details: list[ProtobufAny] | None = field(
        "list[ProtobufAny]", "Structured details of the error."
    )
