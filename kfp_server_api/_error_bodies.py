"""Reading the error bodies of every generation of the KFP API server.

What :class:`~kfp_server_api.exceptions.ApiException` exposes as ``error``, ``code``,
``message``, ``details`` and ``user_message`` comes from here. The server writes five shapes:

===================  ============================================================================
gateway, 1.8.x       ``{"error", "code", "message", "details": [{"@type": ".../api.Error",
                     "error_message", "error_details"}]}``; ``error == message`` is the full
                     internal text, ``details[0].error_message`` the short text for the user.
gateway, 2.0 - 2.5   the same keys; ``details[0]`` is a ``google.rpc.Status``: ``{"@type":
                     ".../google.rpc.Status", "code", "message"}``, ``message`` the short text.
gateway, 2.14 on     ``{"code", "message", "details"}``: no ``error`` key. ``error`` is then the
                     ``message``, which is what the earlier gateways put in both. Routing errors
                     come in this shape too (404 "Not Found", 501 "Method Not Allowed").
upload handler and   ``{"error_message", "error_details"}``: ``message`` is the
read_artifact 2.15+  ``error_message``, ``error`` the ``error_details`` (or the message when there
                     are none), ``details`` a list holding the whole object, ``code`` None.
plain text           ``http.Error`` answers of the upload handler (2.x namespace checks) and the
                     1.8 gateway's routing errors: a 4xx ``text/plain`` body of one short line
                     is the message and the error; ``code`` and ``details`` are None.
===================  ============================================================================

``user_message`` is the short text meant for a person: the ``error_message`` of an ``api.Error``
detail or the ``message`` of a ``google.rpc.Status`` detail, else the ``message``. Any other
body (an HTML page of a proxy, JSON of another shape) gives no fields at all.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NamedTuple

__all__ = ["ServerError", "parse_error_body"]

# A text/plain body longer than this is a page, not a message.
_MAX_TEXT_MESSAGE = 500


class ServerError(NamedTuple):
    """The fields of one error body (see the module docstring)."""

    error: str | None
    code: int | None
    message: str | None
    details: list[Any] | None
    user_message: str | None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _short_text(details: list[Any] | None) -> str | None:
    """The user-facing text of the first detail: api.Error or google.rpc.Status."""
    if not details or not isinstance(details[0], Mapping):
        return None
    first = details[0]
    return _text(first.get("error_message")) or _text(first.get("message"))


def _content_type(headers: Any) -> str:
    if not isinstance(headers, Mapping):
        return ""
    for name, value in headers.items():
        if str(name).lower() == "content-type":
            return str(value).lower()
    return ""


def _from_json(parsed: dict[str, Any]) -> ServerError | None:
    if {"error", "message"} & parsed.keys():
        code, details = parsed.get("code"), parsed.get("details")
        error = _text(parsed.get("error"))
        message = _text(parsed.get("message")) or error
        listed = details if isinstance(details, list) else None
        return ServerError(
            error=error if error is not None else message,
            code=code if isinstance(code, int) and not isinstance(code, bool) else None,
            message=message,
            details=listed,
            user_message=_short_text(listed) or message,
        )
    if "error_message" in parsed:
        message = _text(parsed.get("error_message"))
        error = _text(parsed.get("error_details")) or message
        return ServerError(error, None, message, [parsed], message)
    return None


def parse_error_body(body: str | None, status: int | None, headers: Any) -> ServerError | None:
    """The fields of an error response's body, or None when it is not a KFP error body."""
    if not body:
        return None
    if body.lstrip().startswith("{"):
        try:
            parsed = json.loads(body)
        except (ValueError, RecursionError):  # not JSON, or nested too deeply to parse
            return None
        return _from_json(parsed) if isinstance(parsed, dict) else None
    text = body.strip()
    if (
        isinstance(status, int)
        and 400 <= status <= 499
        and _content_type(headers).startswith("text/plain")
        and text
        and "\n" not in text
        and len(text) <= _MAX_TEXT_MESSAGE
    ):
        return ServerError(text, None, text, None, text)
    return None
