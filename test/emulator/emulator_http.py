"""Helpers of the emulator's tests: a raw HTTP client and builders of request bodies.

The client is ``http.client`` on one keep-alive connection, so the tests see exactly the bytes
the emulator sends, without any SDK in between.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

API = "/apis/v1beta1"
RUNS = f"{API}/runs"


@dataclass
class Reply:
    """A response as received: status, headers and body."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Client:
    """Raw HTTP requests to the emulator over one keep-alive connection."""

    url: str
    token: str | None = None
    ssl_context: ssl.SSLContext | None = None
    connections: list[http.client.HTTPConnection] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._connection = self.connect()

    def connect(self) -> http.client.HTTPConnection:
        parts = urllib.parse.urlsplit(self.url)
        assert parts.hostname is not None
        assert parts.port is not None
        connection: http.client.HTTPConnection
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection(
                parts.hostname, parts.port, timeout=30, context=self.ssl_context
            )
        else:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.connections.append(connection)
        return connection

    def request(
        self,
        method: str,
        path: str,
        body: bytes | str | Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        if isinstance(body, Mapping):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode("utf-8")
        all_headers = {"Content-Type": "application/json"}
        if self.token is not None:
            all_headers["Authorization"] = f"Bearer {self.token}"
        all_headers.update(headers or {})
        self._connection.request(method, path, body=body, headers=all_headers)
        response = self._connection.getresponse()
        reply = Reply(response.status, response.headers, response.read())
        if response.will_close:
            self._connection.close()
            self._connection = self.connect()
        return reply

    def get(self, path: str, **query: Any) -> Reply:
        if query:
            path += "?" + urllib.parse.urlencode(query)
        return self.request("GET", path)

    def post(self, path: str, body: Any = None) -> Reply:
        return self.request("POST", path, body)

    def close(self) -> None:
        for connection in self.connections:
            connection.close()


def kfp_error(message: str, code: int, external: str | None) -> dict[str, Any]:
    """The error body the KFP gateway sends (``external=None``: a gateway error)."""
    body: dict[str, Any] = {"error": message, "code": code, "message": message}
    if external is not None:
        body["details"] = [
            {
                "@type": "type.googleapis.com/api.Error",
                "error_message": external,
                "error_details": message,
            }
        ]
    return body


def workflow(parameters: Sequence[str] = ("message",), **spec: Any) -> dict[str, Any]:
    """A small Argo Workflow declaring ``parameters``."""
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"generateName": "hello-world-"},
        "spec": {
            "entrypoint": "main",
            "arguments": {"parameters": [{"name": name, "value": "x"} for name in parameters]},
            "templates": [{"name": "main", "container": {"image": "alpine:3"}}],
            **spec,
        },
    }


def run_body(name: str = "my run", **fields: Any) -> dict[str, Any]:
    """A create_run body with a workflow manifest, unless ``pipeline_spec`` is given."""
    body: dict[str, Any] = {
        "name": name,
        "pipeline_spec": {"workflow_manifest": json.dumps(workflow())},
    }
    body.update(fields)
    return body


def create_run(client: Client, name: str = "my run", **fields: Any) -> dict[str, Any]:
    """Create a run through the API and return the RunDetail's ``run``."""
    reply = client.post(RUNS, run_body(name, **fields))
    assert reply.status == 200, reply.text
    run: dict[str, Any] = reply.json["run"]
    return run


def raw_exchange(url: str, data: bytes, *, read_all: bool = True, hang_up: bool = False) -> bytes:
    """Send bytes on a fresh connection and return what comes back until the server closes.

    ``hang_up`` closes the sending side right after the data; a reset by the server ends the
    exchange like a close.
    """
    host, _, port = url.partition("://")[2].rpartition(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(data)
        if hang_up:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                if not read_all:
                    break
        except ConnectionResetError:
            pass
    return b"".join(chunks)


TO_SCHEMA_2 = """
DROP TABLE job_references;
CREATE TABLE earlier AS SELECT uuid, name, description, namespace, created_at FROM experiments;
DROP TABLE experiments; DROP TABLE IF EXISTS experiments_text; DROP TABLE jobs;
CREATE TABLE experiments (
    uuid TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
    namespace TEXT NOT NULL, created_at INTEGER NOT NULL);
INSERT INTO experiments SELECT * FROM earlier; DROP TABLE earlier;
CREATE TABLE jobs (uuid TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL);
"""
"""SQL that takes a database back from the current schema to schema 2 (experiments without a
storage state, jobs with only an id, a name and a creation time, no job references), for
tests of migrations."""
