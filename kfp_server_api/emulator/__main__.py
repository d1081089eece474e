"""Command line: ``python -m kfp_server_api.emulator [--host H] [--port P] [--db FILE] ...``.

Serves until interrupted (Ctrl-C) or terminated (SIGTERM), then exits with status 0. The first
line printed is ``KFP API emulator serving at <url>``.

The bearer token comes from ``--token-file`` (its content, surrounding whitespace removed), the
environment variable ``KFP_EMULATOR_TOKEN``, or ``--token``; ``--token`` shows the token to every
user of the machine in the process list, the other two do not.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sqlite3
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from .connections import DEFAULT_IDLE_TIMEOUT_SECONDS, DEFAULT_MAX_CONNECTIONS
from .emulator import Emulator
from .lifecycle import Lifecycle
from .server import DEFAULT_MAX_BODY_BYTES
from .store import StoreError


def _port(text: str) -> int:
    port = int(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0-65535)")
    return port


TOKEN_VARIABLE = "KFP_EMULATOR_TOKEN"
"""Environment variable that holds the bearer token, when no token option is given."""


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number")
    return value


def _positive_seconds(text: str) -> float:
    value = float(text)
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text} is not a positive number of seconds")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m kfp_server_api.emulator",
        description="Serve an emulated Kubeflow Pipelines v1beta1 run API.",
        epilog=f"environment: {TOKEN_VARIABLE} is the bearer token when neither --token-file "
        "nor --token is given",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    parser.add_argument("--port", type=_port, default=8888, help="port (default 8888; 0: any free)")
    parser.add_argument("--db", default=":memory:", help="SQLite file to keep state in")
    tokens = parser.add_mutually_exclusive_group()
    tokens.add_argument(
        "--token-file",
        metavar="PATH",
        help="require 'Authorization: Bearer TOKEN' on every request, TOKEN being the content "
        f"of PATH (surrounding whitespace removed); or set {TOKEN_VARIABLE}",
    )
    tokens.add_argument(
        "--token",
        help="the same with TOKEN given here: visible to other users in the process list, "
        f"prefer --token-file or {TOKEN_VARIABLE}",
    )
    parser.add_argument("--tls-cert", help="PEM certificate file; serve HTTPS (needs --tls-key)")
    parser.add_argument("--tls-key", help="PEM private key file of --tls-cert")
    parser.add_argument(
        "--lifecycle",
        default="timed",
        help="how runs move: timed (default), instant, manual, or steps such as "
        "'Pending:0,Running:5,Succeeded:30' (seconds after creation)",
    )
    parser.add_argument(
        "--max-body-bytes",
        type=int,
        default=DEFAULT_MAX_BODY_BYTES,
        help=f"largest request body accepted (default {DEFAULT_MAX_BODY_BYTES})",
    )
    parser.add_argument(
        "--max-connections",
        type=_positive_int,
        default=DEFAULT_MAX_CONNECTIONS,
        help="most connections served at once; more wait until one ends, and the longest idle "
        f"one is closed to make room (default {DEFAULT_MAX_CONNECTIONS})",
    )
    parser.add_argument(
        "--idle-timeout",
        type=_positive_seconds,
        default=DEFAULT_IDLE_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help="close a connection that sends nothing for this long "
        f"(default {DEFAULT_IDLE_TIMEOUT_SECONDS:g})",
    )
    parser.add_argument(
        "--no-control",
        action="store_true",
        help="do not serve the control routes under /emulator/v1/ (served by default)",
    )
    parser.add_argument(
        "--no-ui",
        action="store_true",
        help="do not serve the read-only web page at / (served by default; the page itself "
        "needs no token, the API it reads does)",
    )
    parser.add_argument(
        "--log-level",
        default="WARNING",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="DEBUG logs every request (default WARNING)",
    )
    return parser


def _token(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str | None:
    """The token from --token-file, --token or the environment; None for no token."""
    if args.token_file is not None:
        source = "--token-file"
        try:
            with open(args.token_file, encoding="utf-8") as file:
                token: str | None = file.read().strip()
        except (OSError, UnicodeDecodeError) as exc:
            parser.error(f"--token-file: cannot read {args.token_file}: {exc}")
    elif args.token is not None:
        source, token = "--token", args.token
    else:
        source, token = TOKEN_VARIABLE, os.environ.get(TOKEN_VARIABLE)
        if token is None:
            return None
    # The token itself is never printed: the message names where it came from.
    if not token:
        parser.error(f"{source}: the token is empty")
    if not (token.isascii() and token.isprintable()) or " " in token:
        parser.error(
            f"{source}: the token must be printable ASCII (no spaces or control characters)"
        )
    return token


def main(argv: Sequence[str] | None = None) -> int:
    """Run the emulator until SIGINT or SIGTERM; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if (args.tls_cert is None) != (args.tls_key is None):
        parser.error("--tls-cert and --tls-key must be given together")
    try:
        lifecycle = Lifecycle.parse(args.lifecycle)
    except ValueError as exc:
        parser.error(f"--lifecycle: {exc}")
    token = _token(parser, args)
    logging.basicConfig(
        level=getattr(logging, args.log_level), format="%(asctime)s %(levelname)s %(message)s"
    )
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        emulator = Emulator(
            args.host,
            args.port,
            args.db,
            token=token,
            lifecycle=lifecycle,
            tls_cert=args.tls_cert,
            tls_key=args.tls_key,
            max_body_bytes=args.max_body_bytes,
            http_control=not args.no_control,
            max_connections=args.max_connections,
            idle_timeout=args.idle_timeout,
            ui=not args.no_ui,
        ).start()
    except (OSError, ValueError, sqlite3.Error, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    with emulator:
        print(f"KFP API emulator serving at {emulator.url}", flush=True)
        while not stop.wait(1.0):
            pass
    print("KFP API emulator stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
