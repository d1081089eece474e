"""Table-driven checks of API methods against the scripted loopback server.

Each test module of an API class lists its calls as :class:`Call` values and hands them to one
test function that runs :func:`exercise`. A call states the method and arguments, the exact
request that must reach the server (verb, raw target with its query, JSON body or multipart
parts), the scripted reply, and the outcome: the typed result (compared with ``==`` and by exact
type), or the exception and its attributes. Calls that must fail before any I/O have no
``target``: nothing may be sent. Every call is made twice, through the method and through its
``*_with_http_info`` twin, which must produce the same request.

The plain ``assert`` statements here carry their own messages: pytest rewrites assertions only
in test modules and conftest files.
"""

from __future__ import annotations

import email.parser
import email.policy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from servers.loopback import LoopbackServer, RecordedRequest, Reply

from kfp_server_api.endpoint import ServiceApi

__all__ = ["Call", "call_params", "exercise"]


@dataclass(frozen=True)
class Call:
    """One call of an API method, the request it must send and its outcome.

    Attributes:
        name: the method name (``get_experiment``).
        args: positional arguments.
        kwargs: keyword arguments.
        method: the HTTP verb expected.
        target: the raw request target expected (path and query, percent-encoded as sent);
            empty when the call must fail before sending anything.
        body: the JSON body expected (None: no body).
        parts: for multipart requests, the parts expected: name -> (file name, bytes).
        reply: the JSON payload the server answers with (status 200), or a ``Reply``.
        expect: the result expected (compared with ``==`` and by type); for a call that
            raises, the attributes the exception must have.
        raises: the exception type expected, or None.
    """

    name: str
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    method: str = "GET"
    target: str = ""
    body: Any = None
    parts: Mapping[str, tuple[str, bytes]] | None = None
    reply: Any = None
    expect: Any = None
    raises: type[BaseException] | None = None


def call_params(api: type[ServiceApi], calls: Sequence[Call]) -> list[Any]:
    """``calls`` as pytest params named ``method-index``.

    Raises:
        ValueError: some endpoint of ``api`` has no successful call in ``calls`` (the module
            then fails to collect, loudly).
    """
    untested = set(api.endpoints) - {c.name for c in calls if c.raises is None}
    if untested:
        raise ValueError(f"{api.__name__}: no successful call of {sorted(untested)}")
    return [pytest.param(c, id=f"{c.name}-{i}") for i, c in enumerate(calls)]


def multipart_parts(request: RecordedRequest) -> dict[str, tuple[str, bytes]]:
    """The parts of a multipart/form-data body: name -> (file name, bytes)."""
    content_type = request.header("Content-Type") or ""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.body)
    parts: dict[str, tuple[str, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        assert isinstance(name, str), part
        assert isinstance(payload, bytes), part
        parts[name] = (part.get_filename() or "", payload)
    return parts


def assert_request(request: RecordedRequest, call: Call) -> None:
    """``request`` is exactly the one ``call`` must send."""
    sent = (request.method, request.target)
    assert sent == (call.method, call.target), f"sent {sent}"
    assert request.header("Accept") == "application/json", request.headers
    assert request.header("User-Agent") == "OpenAPI-Generator/1.8.5/python", request.headers
    content_type = request.header("Content-Type") or ""
    if call.parts is not None:
        assert content_type.startswith("multipart/form-data; boundary="), content_type
        parts = multipart_parts(request)
        assert parts == call.parts, f"sent parts {parts}"
    else:
        assert content_type == "application/json", content_type
        body = request.json() if request.body else None
        assert body == call.body, f"sent body {body}"


def exercise(server: LoopbackServer, api: ServiceApi, call: Call) -> None:
    """Make ``call`` through the method and its twin; check each request and outcome."""
    for name in (call.name, f"{call.name}_with_http_info"):
        sent_before = len(server.requests)
        if call.target:
            server.enqueue(call.reply if isinstance(call.reply, Reply) else Reply.json(call.reply))
        method = getattr(api, name)
        if call.raises is not None:
            with pytest.raises(call.raises) as caught:
                method(*call.args, **call.kwargs)
            for attribute, value in call.expect.items():
                got = getattr(caught.value, attribute)
                assert got == value, f"{attribute}: {got!r}"
        else:
            result = method(*call.args, **call.kwargs)
            if name.endswith("_with_http_info"):
                result, status, headers = result
                assert (status, headers["Content-Type"]) == (200, "application/json"), headers
            assert type(result) is type(call.expect), f"{name} returned a {type(result)}"
            assert result == call.expect, f"{name} returned {result!r}"
        sent = server.requests[sent_before:]
        assert len(sent) == (1 if call.target else 0), f"{name} sent {sent}"
        if call.target:
            assert_request(sent[0], call)
