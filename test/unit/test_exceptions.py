"""The exception tree, the status table, error-body parsing and the 1.8.5 text formats."""

from __future__ import annotations

import pickle
import sys
from dataclasses import dataclass, field
from typing import Any

import pytest

from kfp_server_api import exceptions, rest
from kfp_server_api.exceptions import (
    STATUS_EXCEPTIONS,
    ApiConnectionError,
    ApiDecodeError,
    ApiException,
    ApiKeyError,
    ApiTimeoutError,
    ApiTypeError,
    ApiValueError,
    BadRequestException,
    ConflictException,
    ForbiddenException,
    NotFoundException,
    OpenApiException,
    ServiceException,
    UnauthorizedException,
    UnprocessableEntityException,
    render_path,
)

KFP_ERROR = (
    '{"error":"ResourceNotFoundError: Run r-1 not found.","code":5,'
    '"message":"ResourceNotFoundError: Run r-1 not found.",'
    '"details":[{"@type":"type.googleapis.com/api.Error","error_message":"Run r-1 not found.",'
    '"error_details":"ResourceNotFoundError: Run r-1 not found."}]}'
)

KFP_ERROR_BYTES = KFP_ERROR.encode()


@dataclass
class FakeResponse:
    """The attributes ApiException reads from a response."""

    status: int = 404
    reason: str = "Not Found"
    data: Any = KFP_ERROR_BYTES
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})


PARENTS = [
    (ApiTypeError, (OpenApiException, TypeError)),
    (ApiValueError, (OpenApiException, ValueError)),
    (ApiKeyError, (OpenApiException, KeyError)),
    (ApiException, (OpenApiException,)),
    (BadRequestException, (ApiException,)),
    (UnauthorizedException, (ApiException,)),
    (ForbiddenException, (ApiException,)),
    (NotFoundException, (ApiException,)),
    (ConflictException, (ApiException,)),
    (UnprocessableEntityException, (ApiException,)),
    (ServiceException, (ApiException,)),
    (ApiDecodeError, (ApiException,)),
    (ApiConnectionError, (ApiException, ConnectionError)),
    (ApiTimeoutError, (ApiConnectionError, TimeoutError)),
]


@pytest.mark.parametrize(("child", "parents"), PARENTS, ids=[c.__name__ for c, _ in PARENTS])
def test_tree(child: type, parents: tuple[type, ...]) -> None:
    assert child.__bases__ == parents


def test_tree_is_drawn_in_the_module_docstring() -> None:
    doc = exceptions.__doc__ or ""
    for child, parents in PARENTS:
        assert child.__name__ in doc
        for parent in parents:
            assert parent.__name__ in doc
    assert "ApiConnectionError(ConnectionError)" in doc
    assert "ApiTimeoutError(TimeoutError)" in doc


def test_the_client_bases_come_before_the_built_in_ones() -> None:
    assert ApiTimeoutError.__mro__[:6] == (
        ApiTimeoutError,
        ApiConnectionError,
        ApiException,
        OpenApiException,
        ConnectionError,
        TimeoutError,
    )


@pytest.mark.parametrize("handler", [OSError, ConnectionError, ApiException, ApiConnectionError])
def test_a_transport_error_is_caught_as_a_network_error(handler: type[Exception]) -> None:
    error = ApiConnectionError(reason="Connection refused: GET http://h/x", request_sent=False)
    with pytest.raises(handler) as caught:
        raise error
    assert caught.value is error
    assert not isinstance(error, TimeoutError)


@pytest.mark.parametrize("handler", [OSError, TimeoutError, ConnectionError, ApiConnectionError])
def test_a_timeout_is_caught_as_a_built_in_timeout(handler: type[Exception]) -> None:
    import socket

    error = ApiTimeoutError(reason="Read timed out")
    with pytest.raises(handler):
        raise error
    if sys.version_info >= (3, 10):  # socket.timeout is TimeoutError from 3.10 on
        assert isinstance(error, socket.timeout)


def test_the_built_in_bases_change_no_client_attribute() -> None:
    error = ApiTimeoutError(reason="Read timed out", request_sent=True, transient=True)
    assert (error.status, error.reason, error.body, error.headers) == (
        0,
        "Read timed out",
        None,
        None,
    )
    assert (error.errno, error.strerror, error.filename) == (None, None, None)
    assert str(error) == "(0)\nReason: Read timed out\n"
    assert error.message == str(error)
    assert not isinstance(ApiException(status=503), OSError)


def test_transport_errors_keep_every_attribute_through_pickle_and_copy() -> None:
    import copy

    error = ApiTimeoutError(reason="Connect timed out", request_sent=False, transient=False)
    error.set_request("GET", "http://h/apis/v1beta1/runs?page_size=1")
    assert "Request:" not in str(error)  # the reason of a transport error names the request
    for clone in (pickle.loads(pickle.dumps(error)), copy.copy(error), copy.deepcopy(error)):
        assert type(clone) is ApiTimeoutError
        assert isinstance(clone, TimeoutError)
        assert vars(clone) == vars(error)
        assert str(clone) == str(error)


def test_the_failed_request_is_shown_without_credentials() -> None:
    error = NotFoundException(http_resp=FakeResponse())
    assert (error.method, error.url) == (None, None)
    assert "Request:" not in str(error)

    error.set_request(
        "GET",
        "https://user:pw@kfp.example/apis/v1beta1/runs?page_token=p1&access_token=t0k"
        "&api_key=k3y&filter=%7B%7D&token=x&X-Amz-Signature=s1g&echo=SECRET",
        secrets=("SECRET",),
    )

    assert error.method == "GET"
    assert error.url == (
        "https://***@kfp.example/apis/v1beta1/runs?page_token=p1&access_token=***"
        "&api_key=***&filter=%7B%7D&token=***&X-Amz-Signature=***&echo=***"
    )
    assert str(error).endswith(f"Request: GET {error.url}\n")
    for secret in ("pw", "t0k", "k3y", "s1g", "SECRET"):
        assert secret not in str(error)


def test_rest_reexports_the_exceptions_of_earlier_releases() -> None:
    assert rest.ApiException is ApiException
    assert rest.ApiValueError is ApiValueError


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, BadRequestException),
        (401, UnauthorizedException),
        (403, ForbiddenException),
        (404, NotFoundException),
        (409, ConflictException),
        (422, UnprocessableEntityException),
        (500, ServiceException),
        (502, ServiceException),
        (599, ServiceException),
        (405, ApiException),
        (429, ApiException),
        (302, ApiException),
        (600, ApiException),
    ],
)
def test_from_response_picks_the_class_for_the_status(status: int, expected: type) -> None:
    error = ApiException.from_response(FakeResponse(status=status, data=b""))
    assert type(error) is expected
    assert error.status == status


def test_status_table() -> None:
    assert {status: cls.__name__ for status, cls in STATUS_EXCEPTIONS.items()} == {
        400: "BadRequestException",
        401: "UnauthorizedException",
        403: "ForbiddenException",
        404: "NotFoundException",
        409: "ConflictException",
        422: "UnprocessableEntityException",
    }


def test_kfp_error_body_is_parsed() -> None:
    error = ApiException(http_resp=FakeResponse())
    assert error.status == 404
    assert error.reason == "Not Found"
    assert error.body == KFP_ERROR
    assert error.headers == {"Content-Type": "application/json"}
    assert error.error == error.message == "ResourceNotFoundError: Run r-1 not found."
    assert error.code == 5
    assert error.details is not None
    assert error.details[0]["error_message"] == "Run r-1 not found."


def test_text_format_of_1_8_5() -> None:
    error = ApiException(http_resp=FakeResponse())
    assert str(error) == (
        "(404)\nReason: Not Found\n"
        "HTTP response headers: {'Content-Type': 'application/json'}\n"
        f"HTTP response body: {KFP_ERROR}\n"
    )
    assert str(ApiException(status=0, reason="boom")) == "(0)\nReason: boom\n"
    assert str(ApiException()) == "(None)\nReason: None\n"


@pytest.mark.parametrize(
    "body",
    [
        b"<html>502 Bad Gateway</html>",
        b"Not Found",
        b"[1, 2]",
        b'{"unrelated": true}',
        b'{"error": 42, "code": "five"',
        b"",
        None,
    ],
)
def test_other_bodies_leave_the_server_fields_empty(body: bytes | None) -> None:
    error = ApiException(http_resp=FakeResponse(status=502, reason="Bad Gateway", data=body))
    assert (error.error, error.code, error.details) == (None, None, None)
    assert error.message == str(error)


def test_mistyped_fields_are_dropped_individually() -> None:
    body = b'{"error": "e", "code": "5", "message": 7, "details": {}}'
    error = ApiException(http_resp=FakeResponse(data=body))
    assert (error.error, error.code, error.message, error.details) == ("e", None, "e", None)


def test_body_is_decoded_as_utf8_text() -> None:
    error = ApiException(http_resp=FakeResponse(data="caf\u00e9 \xff".encode("utf-8")[:-1]))
    assert error.body == "caf\u00e9 \ufffd"


def test_explicit_status_and_reason_win_over_the_response() -> None:
    error = ApiDecodeError(reason="not JSON", http_resp=FakeResponse(status=200, reason="OK"))
    assert (error.status, error.reason) == (200, "not JSON")


def test_decode_error_does_not_read_a_2xx_body_as_an_error_report() -> None:
    error = ApiDecodeError(http_resp=FakeResponse(status=200), response_type="ApiRun", path="id")
    assert (error.error, error.code) == (None, None)
    assert (error.response_type, error.path) == ("ApiRun", "id")


def test_connection_errors_have_status_zero() -> None:
    error = ApiTimeoutError(reason="Read timed out: GET http://h/x: timeout")
    assert error.status == 0
    assert error.body is None
    assert error.message == "(0)\nReason: Read timed out: GET http://h/x: timeout\n"


def test_render_path() -> None:
    assert render_path(["runs", 0, "metrics", 2]) == "['runs'][0]['metrics'][2]"
    assert render_path([]) == ""


@pytest.mark.parametrize("cls", [ApiTypeError, ApiValueError, ApiKeyError])
def test_argument_errors_carry_the_path_and_the_full_message(cls: type[Any]) -> None:
    error = cls("Invalid type", path_to_item=["run", 0])
    assert error.path_to_item == ["run", 0]
    assert error.message == "Invalid type at ['run'][0]"
    assert cls("plain").message == "plain"


def test_type_error_details() -> None:
    error = ApiTypeError("wrong", valid_classes=(str,), key_type=False)
    assert (error.valid_classes, error.key_type) == ((str,), False)
    assert str(error) == "wrong"


@pytest.mark.parametrize(
    "error",
    [
        ApiException(http_resp=FakeResponse()),
        NotFoundException(http_resp=FakeResponse()),
        ApiTimeoutError(reason="Read timed out"),
        ApiConnectionError(reason="Connection refused", request_sent=False, transient=False),
        ApiDecodeError(reason="bad", response_type="ApiRun"),
        ApiTypeError("Got an unexpected keyword argument 'x' to method get_run"),
        ApiValueError("Missing", path_to_item=["a"]),
    ],
    ids=lambda error: type(error).__name__,
)
def test_exceptions_survive_pickling(error: OpenApiException) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.message == error.message
