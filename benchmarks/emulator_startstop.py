"""Emulator start plus stop, as a test fixture pays it, against the stdlib's polling server.

The subject is what a fixture per test costs: ``Emulator()`` (an in-memory store), ``start()``,
one request on a keep-alive connection that stays open and idle, then ``close()``. The
comparison runs the same exchange on the standard library's ``ThreadingHTTPServer`` served by
``serve_forever(poll_interval=0.05)``, the loop the emulator used before, whose ``shutdown``
waits for the next poll. A ratio below 1 is how much cheaper the emulator's stop is; the
budget is absolute (a few milliseconds), so the median is the figure to read.

This workload exists only for this SDK (1.8.5 has no emulator).
"""

from __future__ import annotations

import http.client
import http.server
import threading
from typing import Any

import measure
from measure import Measurement
from workloads import Target, progress

POLL_INTERVAL = 0.05
"""The poll interval of the emulator's serve loop before stop woke it directly."""


class _Healthz(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = b"{}"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _one_request(host: str, port: int) -> http.client.HTTPConnection:
    connection = http.client.HTTPConnection(host, port, timeout=10)
    connection.request("GET", "/apis/v1beta1/healthz")
    connection.getresponse().read()
    return connection  # left open and idle, as a keep-alive client leaves it


def _emulator_cycle(emulator_class: Any) -> None:
    emulator = emulator_class().start()
    host, port = emulator.url.rsplit("//", 1)[1].rsplit(":", 1)
    connection = _one_request(host, int(port))
    emulator.close()
    connection.close()


def _stdlib_cycle() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Healthz)
    thread = threading.Thread(target=server.serve_forever, args=(POLL_INTERVAL,), daemon=True)
    thread.start()
    connection = _one_request("127.0.0.1", server.server_address[1])
    server.shutdown()
    server.server_close()
    thread.join()
    connection.close()


def start_stop(target: Target, repeat: int) -> list[Measurement]:
    """Median time of one emulator start, keep-alive request and stop, against the stdlib's."""
    progress(f"{target.label}: emulator start and stop")
    target.sdk()
    emulator_class = __import__(f"{target.module}.emulator", fromlist=["Emulator"]).Emulator
    subject, baseline = measure.alternate(
        lambda: measure.time_once(lambda: _emulator_cycle(emulator_class)),
        lambda: measure.time_once(_stdlib_cycle),
        repeat,
    )
    return [
        Measurement(
            name="startstop emulator",
            subject="Emulator() start, one keep-alive request, close",
            baseline=f"stdlib server polling every {POLL_INTERVAL * 1000:g} ms",
            unit="s",
            subject_samples=subject,
            baseline_samples=baseline,
            params={"clock": "wall", "poll_interval": POLL_INTERVAL},
        )
    ]
