"""The console in a browser: the textual-serve page comes up on localhost, once."""

from __future__ import annotations

import asyncio
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from ttxsim.tui.serve import exercise_command, page_url

START_TIMEOUT_S = 8.0
SCENARIO = Path(__file__).parents[2] / "scenarios" / "concert_hall.yaml"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch(url: str, deadline: float) -> tuple[int, str]:
    """GET `url`, retrying until the server listens or the deadline passes."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextmanager
def _served(tmp_path: Path, port: int, command: str | None):
    """The server in a subprocess (its own event loop and signals), stopped afterwards."""
    code = ("from ttxsim.tui.serve import serve; "
            f"serve([{str(SCENARIO)!r}], host='127.0.0.1', port={port}, command={command!r})")
    server = subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    errors = bytearray()
    try:
        yield errors
    finally:
        server.terminate()
        try:
            _, err = server.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            _, err = server.communicate()
        errors += err


def test_the_page_is_served_on_localhost(tmp_path):
    port = _free_port()
    with _served(tmp_path, port, "true") as errors:
        status, page = _fetch(f"http://127.0.0.1:{port}/", time.monotonic() + START_TIMEOUT_S)
    assert status == 200
    assert "textual.js" in page  # textual-serve's terminal page
    assert "ttxsim exercise: concert_hall.yaml" in page
    assert f"ws://127.0.0.1:{port}/ws" in page
    assert b"Traceback" not in errors


async def _screen_bytes(url: str, wanted: int, deadline: float) -> int:
    """Open the page's websocket, as the browser does, and count the console's output."""
    import aiohttp  # textual-serve's own dependency

    received = 0
    async with aiohttp.ClientSession() as client, client.ws_connect(f"{url}/ws?width=120&height=40") as ws:
        while received < wanted and time.monotonic() < deadline:
            try:
                message = await asyncio.wait_for(ws.receive(), 0.5)
            except TimeoutError:
                continue
            if message.type not in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                break
            received += len(message.data)
    return received


def test_a_browser_tab_gets_a_running_console(tmp_path):
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with _served(tmp_path, port, None):
        deadline = time.monotonic() + START_TIMEOUT_S
        _fetch(url + "/", deadline)
        received = asyncio.run(_screen_bytes(url, 10_000, deadline))
    assert received >= 10_000  # the console drew its screen in the page's terminal
    assert list(tmp_path.glob("exercise-concert_hall-*.jsonl"))  # its session, journaled where served


def test_the_command_runs_this_install_and_quotes_its_arguments():
    command = shlex.split(exercise_command(["my hall.yaml", "--seed", "3"]))
    assert command[-4:] == ["exercise", "my hall.yaml", "--seed", "3"]
    assert Path(command[0]).parent == Path(sys.executable).parent


def test_the_served_command_line_is_a_working_ttxsim_exercise():
    result = subprocess.run(exercise_command(["--help"]), shell=True, capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 0, result.stderr
    assert "exercise" in result.stdout


def test_the_page_points_browsers_at_a_reachable_address():
    assert page_url("localhost", 8000) == "http://localhost:8000"
    assert page_url("::1", 8001) == "http://[::1]:8001"
    assert page_url("0.0.0.0", 8000) == f"http://{socket.gethostname()}:8000"
