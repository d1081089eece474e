"""``python -m kfp_server_api.emulator``: start, serve, stop on SIGTERM; durability on SIGKILL."""

from __future__ import annotations

import os
import re
import selectors
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from emulator_http import RUNS, Client, create_run

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

STARTUP_SECONDS = 30.0


class Process:
    """The emulator as a child process; knows the URL it printed."""

    def __init__(self, *arguments: str) -> None:
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "kfp_server_api.emulator", *arguments],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.first_line = self._read_line()
        match = re.search(r"(https?://\S+)", self.first_line)
        assert match, f"no URL in {self.first_line!r}: {self._stderr()}"
        self.url = match.group(1)

    def _read_line(self) -> str:
        assert self.popen.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.popen.stdout, selectors.EVENT_READ)
            if not selector.select(STARTUP_SECONDS):
                self.kill()
                pytest.fail(f"the emulator printed nothing in {STARTUP_SECONDS}s")
        return self.popen.stdout.readline()

    def _stderr(self) -> str:
        if self.popen.poll() is None:
            return ""
        assert self.popen.stderr is not None
        return self.popen.stderr.read()

    def terminate(self) -> tuple[int, str, str]:
        self.popen.send_signal(signal.SIGTERM)
        out, err = self.popen.communicate(timeout=STARTUP_SECONDS)
        return self.popen.returncode, out, err

    def kill(self) -> None:
        self.popen.kill()
        self.popen.communicate(timeout=STARTUP_SECONDS)

    def close(self) -> None:
        if self.popen.poll() is None:
            self.kill()
        self.popen.wait(timeout=STARTUP_SECONDS)
        for stream in (self.popen.stdout, self.popen.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def processes() -> Iterator[list[Process]]:
    started: list[Process] = []
    yield started
    for process in started:
        process.close()


def start(processes: list[Process], *arguments: str) -> Process:
    process = Process("--port", "0", *arguments)
    processes.append(process)
    return process


def test_cli_prints_its_url_serves_and_stops_on_sigterm(processes: list[Process]) -> None:
    process = start(processes, "--lifecycle", "instant")
    assert process.first_line.startswith("KFP API emulator serving at http://127.0.0.1:")
    client = Client(process.url)
    run = create_run(client)
    assert client.get(f"{RUNS}/{run['id']}").json["run"]["status"] == "Succeeded"
    client.close()
    code, out, err = process.terminate()
    assert code == 0
    assert "stopped" in out
    assert "Traceback" not in err


def test_cli_stops_on_sigint(processes: list[Process]) -> None:
    process = start(processes)
    process.popen.send_signal(signal.SIGINT)
    assert process.popen.wait(timeout=STARTUP_SECONDS) == 0


def test_cli_token(processes: list[Process]) -> None:
    process = start(processes, "--token", "abc")
    anonymous = Client(process.url)
    assert anonymous.get(RUNS).status == 401
    anonymous.close()
    client = Client(process.url, token="abc")
    assert client.get(RUNS).status == 200
    client.close()
    assert process.terminate()[0] == 0


def test_cli_serves_the_web_page_unless_told_not_to(processes: list[Process]) -> None:
    for arguments, status in (((), 200), (("--no-ui",), 404)):
        process = start(processes, *arguments)
        client = Client(process.url)
        assert client.get("/").status == status
        assert client.get(RUNS).status == 200
        client.close()
        assert process.terminate()[0] == 0


def guarded_by(process: Process, token: str) -> bool:
    anonymous, client = Client(process.url), Client(process.url, token=token)
    try:
        return anonymous.get(RUNS).status == 401 and client.get(RUNS).status == 200
    finally:
        anonymous.close()
        client.close()


def command_line(process: Process) -> str:
    with open(f"/proc/{process.popen.pid}/cmdline", "rb") as file:
        return file.read().decode()


def test_cli_token_from_a_file_stays_out_of_the_process_list(
    processes: list[Process], tmp_path: Path
) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("s3cret-from-file\n")  # as an editor or `echo` leaves it
    process = start(processes, "--token-file", str(token_file))
    assert guarded_by(process, "s3cret-from-file")
    if os.path.exists("/proc/self/cmdline"):
        assert "s3cret" not in command_line(process)


def test_cli_token_from_the_environment(
    processes: list[Process], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KFP_EMULATOR_TOKEN", "s3cret-from-env")
    process = start(processes)
    assert guarded_by(process, "s3cret-from-env")


def test_cli_token_option_wins_over_the_environment(
    processes: list[Process], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KFP_EMULATOR_TOKEN", "from-env")
    process = start(processes, "--token", "from-option")
    assert guarded_by(process, "from-option")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "--token-file: the token is empty"),
        (" \n", "--token-file: the token is empty"),
        ("s3cret\x00more", "--token-file: the token must be printable ASCII"),
        ("s3cret more", "--token-file: the token must be printable ASCII"),
        ("s3cret\nmore", "--token-file: the token must be printable ASCII"),
    ],
)
def test_cli_bad_token_files_are_named_not_shown(
    tmp_path: Path, content: str, message: str
) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(content)
    result = run_cli("--token-file", str(token_file))
    assert result.returncode == 2
    assert message in result.stderr
    assert "s3cret" not in result.stderr


def test_cli_bad_token_in_the_environment_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KFP_EMULATOR_TOKEN", "s3cret\r\nX-Injected: 1")
    result = run_cli()
    assert result.returncode == 2
    assert "KFP_EMULATOR_TOKEN: the token must be printable ASCII" in result.stderr
    assert "s3cret" not in result.stderr


def run_cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kfp_server_api.emulator", "--port", "0", *arguments],
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
        check=False,
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--token-file", "/nonexistent/token"], "--token-file: cannot read /nonexistent/token"),
        (["--token-file", "t", "--token", "x"], "not allowed with argument"),
        (["--max-connections", "0"], "0 is not a positive number"),
        (["--idle-timeout", "0"], "0 is not a positive number of seconds"),
        (["--idle-timeout", "nan"], "nan is not a positive number of seconds"),
        (["--tls-cert", "x.pem"], "--tls-cert and --tls-key must be given together"),
        (["--lifecycle", "Running:soon"], "--lifecycle: not a number of seconds"),
        (["--port", "70000"], "70000 is not a port number"),
    ],
)
def test_cli_argument_errors(arguments: Sequence[str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kfp_server_api.emulator", *arguments],
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
        check=False,
    )
    assert result.returncode == 2
    assert message in result.stderr


@pytest.mark.parametrize(
    "arguments",
    [["--db", "/nonexistent/dir/kfp.db"], ["--tls-cert", "none.pem", "--tls-key", "none.pem"]],
)
def test_cli_start_errors_are_one_line(arguments: Sequence[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kfp_server_api.emulator", "--port", "0", *arguments],
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr


def test_cli_port_in_use(processes: list[Process]) -> None:
    process = start(processes)
    port = process.url.rsplit(":", 1)[1]
    result = subprocess.run(
        [sys.executable, "-m", "kfp_server_api.emulator", "--port", port],
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")


def test_sigkill_during_a_write_burst_loses_no_acknowledged_write(
    processes: list[Process], tmp_path: Path
) -> None:
    db = str(tmp_path / "kfp.db")
    process = start(processes, "--db", db, "--lifecycle", "manual")
    acknowledged: list[str] = []
    enough = threading.Event()

    def burst(worker: int) -> None:
        client = Client(process.url)
        try:
            for i in range(10_000):
                run = create_run(client, f"w{worker}-{i}")
                acknowledged.append(run["id"])
                if len(acknowledged) >= 200:
                    enough.set()
        except OSError:
            pass  # the server died mid-request
        finally:
            client.close()

    writers = [threading.Thread(target=burst, args=(i,)) for i in range(4)]
    for writer in writers:
        writer.start()
    assert enough.wait(timeout=60)
    process.popen.send_signal(signal.SIGKILL)
    process.popen.wait(timeout=STARTUP_SECONDS)
    for writer in writers:
        writer.join(timeout=60)

    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        connection.close()
    restarted = start(processes, "--db", db)
    client = Client(restarted.url)
    for run_id in acknowledged:
        assert client.get(f"{RUNS}/{run_id}").status == 200
    assert client.get(RUNS).json["total_size"] >= len(acknowledged)
    client.close()
    assert restarted.terminate()[0] == 0


def test_cli_help_mentions_every_option() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kfp_server_api.emulator", "--help"],
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
        check=True,
    )
    options = ("--host", "--port", "--db", "--token", "--tls-cert", "--tls-key", "--lifecycle")
    extra = ("--token-file", "KFP_EMULATOR_TOKEN", "--max-connections", "--idle-timeout", "--no-ui")
    for option in (*options, *extra):
        assert option in result.stdout
    assert "visible to other users" in result.stdout
