"""The KFP API server's error model: gRPC codes, wrapped message chains and the JSON error body.

The real server builds errors in layers. A base error carries a gRPC code, an *internal* message
(for example ``Invalid input error: <msg>``) and a short *external* message (``<msg>``). Each
layer that passes the error on prepends ``"<context>: "`` to the internal message only. The
HTTP gateway then answers with the status mapped from the code and this body, keys in this
order::

    {"error": <internal>, "code": <gRPC code>, "message": <internal>,
     "details": [{"@type": "type.googleapis.com/api.Error",
                  "error_message": <external>, "error_details": <internal>}]}

Errors raised by the gateway itself (undecodable JSON, a bad query value) have no ``details``.
"""

from __future__ import annotations

import enum
import json

__all__ = [
    "ApiError",
    "Code",
    "aborted",
    "already_exists",
    "gateway_error",
    "internal",
    "invalid_input",
    "invalid_input_with_details",
    "not_found",
    "unauthenticated",
]


class Code(enum.IntEnum):
    """gRPC status codes (google.golang.org/grpc/codes)."""

    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16


# grpc-gateway v1 runtime.HTTPStatusFromCode; anything missing maps to 500.
HTTP_STATUS_BY_CODE: dict[Code, int] = {
    Code.OK: 200,
    Code.CANCELLED: 408,
    Code.UNKNOWN: 500,
    Code.INVALID_ARGUMENT: 400,
    Code.DEADLINE_EXCEEDED: 504,
    Code.NOT_FOUND: 404,
    Code.ALREADY_EXISTS: 409,
    Code.PERMISSION_DENIED: 403,
    Code.RESOURCE_EXHAUSTED: 429,
    Code.FAILED_PRECONDITION: 400,
    Code.ABORTED: 409,
    Code.OUT_OF_RANGE: 400,
    Code.UNIMPLEMENTED: 501,
    Code.INTERNAL: 500,
    Code.UNAVAILABLE: 503,
    Code.DATA_LOSS: 500,
    Code.UNAUTHENTICATED: 401,
}

_ERROR_TYPE_URL = "type.googleapis.com/api.Error"


class ApiError(Exception):
    """An error answered to the client in the KFP format.

    ``message`` is the full internal chain, ``external`` the short user-facing message placed in
    ``details[0].error_message``; ``external=None`` marks a gateway error without ``details``.
    ``http_status`` overrides the status mapped from ``code`` (used for 413). ``reason``, if
    set, says more than the server's message does (the upload handler shows it in
    ``error_details``, where the real server puts its own diagnostics).
    """

    def __init__(
        self,
        code: Code,
        message: str,
        external: str | None,
        *,
        http_status: int | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.external = external
        self._http_status = http_status
        self.reason = reason

    @property
    def http_status(self) -> int:
        """The HTTP status the gateway answers with."""
        if self._http_status is not None:
            return self._http_status
        return HTTP_STATUS_BY_CODE.get(self.code, 500)

    def wrap(self, context: str) -> ApiError:
        """Return this error as seen by a caller that adds ``context`` to the chain."""
        return ApiError(
            self.code,
            f"{context}: {self.message}",
            self.external,
            http_status=self._http_status,
            reason=self.reason,
        )

    def body(self) -> str:
        """The JSON error body, keys in the gateway's order, zero values left out."""
        document: dict[str, object] = {"error": self.message, "code": int(self.code)}
        document["message"] = self.message
        if self.external is not None:
            detail: dict[str, str] = {"@type": _ERROR_TYPE_URL}
            if self.external:
                detail["error_message"] = self.external
            if self.message:
                detail["error_details"] = self.message
            document["details"] = [detail]
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def invalid_input(message: str) -> ApiError:
    """KFP ``NewInvalidInputError``: 400, ``Invalid input error: <message>``."""
    return ApiError(Code.INVALID_ARGUMENT, f"Invalid input error: {message}", message)


def invalid_input_with_details(message: str, cause: str) -> ApiError:
    """KFP ``NewInvalidInputErrorWithDetails``: 400, ``InvalidInputError: <message>: <cause>``."""
    return ApiError(Code.INVALID_ARGUMENT, f"InvalidInputError: {message}: {cause}", message)


def not_found(kind: str, name: str) -> ApiError:
    """KFP ``NewResourceNotFoundError``: 404, ``ResourceNotFoundError: <kind> <name> not found.``"""
    external = f"{kind} {name} not found."
    return ApiError(Code.NOT_FOUND, f"ResourceNotFoundError: {external}", external)


def aborted(message: str, cause: str) -> ApiError:
    """KFP ``NewBadRequestError`` (gRPC Aborted, hence 409): ``BadRequestError: <msg>: <cause>``."""
    return ApiError(Code.ABORTED, f"BadRequestError: {message}: {cause}", message)


def already_exists(message: str) -> ApiError:
    """KFP ``NewAlreadyExistError``: 409, ``Already exist error: <message>``."""
    return ApiError(Code.ALREADY_EXISTS, f"Already exist error: {message}", message)


def internal(message: str, cause: str) -> ApiError:
    """KFP ``NewInternalServerError``: 500, external message ``Internal Server Error``."""
    return ApiError(
        Code.INTERNAL, f"InternalServerError: {message}: {cause}", "Internal Server Error"
    )


def unauthenticated(message: str, cause: str) -> ApiError:
    """KFP ``NewUnauthenticatedError``: 401, ``Unauthenticated: <message>: <cause>``."""
    return ApiError(Code.UNAUTHENTICATED, f"Unauthenticated: {message}: {cause}", message)


def gateway_error(message: str, code: Code = Code.INVALID_ARGUMENT) -> ApiError:
    """An error produced by the HTTP gateway before the server sees the request (no details)."""
    return ApiError(code, message, None)
