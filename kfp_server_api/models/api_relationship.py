"""Declaration of the ApiRelationship enum constants."""

from __future__ import annotations

from kfp_server_api.model import EnumModel


class ApiRelationship(EnumModel):
    """How a referenced resource relates to the resource that refers to it."""

    UNKNOWN_RELATIONSHIP = "UNKNOWN_RELATIONSHIP"
    OWNER = "OWNER"
    CREATOR = "CREATOR"
