"""Serving the console in tests: a server subprocess on 127.0.0.1, its output, and clean-up.

The server runs in a subprocess because it owns its event loop and its signal handlers, and
because stopping it with SIGTERM is part of what is tested. Every server started here is
stopped on leaving `served`, and every console it reported starting is killed if it is still
there (which the tests that check the stop then report as a failure of their own).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "concert_hall.yaml"
FAKE_CONSOLE = Path(__file__).with_name("fake_console.py")
START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 12.0  # the server's own bound is about 3 s to quit + 2 s after SIGTERM


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def alive(pid: int) -> bool:
    """Whether process `pid` still runs (a zombie waiting to be reaped does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


class Served:
    """A running server: its address, token and printed lines."""

    def __init__(self, process: subprocess.Popen, port: int) -> None:
        self.process = process
        self.port = port
        self.origin = f"http://127.0.0.1:{port}"
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        match = self.wait_for(r"open (http://\S+)/\?token=(\S+)")
        self.printed_url, self.token = match.group(1), match.group(2)

    def _read(self) -> None:
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: str, timeout: float = START_TIMEOUT_S) -> re.Match:
        """The first printed line matching `pattern`, waiting for it up to `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                ended = not self._reader.is_alive()  # before the scan: no line can come after it
                for line in self.lines:
                    if match := re.search(pattern, line):
                        return match
                left = deadline - time.monotonic()
                if left <= 0 or ended:
                    raise AssertionError(f"no line matching {pattern!r} in:\n{self.output}")
                self._changed.wait(min(left, 0.2))

    def console_pids(self) -> list[int]:
        return [int(pid) for pid in re.findall(r"console \d+: started, pid (\d+)", self.output)]

    def stop(self, signum: int = signal.SIGTERM) -> float:
        """Signal the server and wait for it to end; the seconds it took."""
        start = time.monotonic()
        self.process.send_signal(signum)
        self.process.wait(STOP_TIMEOUT_S)
        return time.monotonic() - start


@contextmanager
def served(tmp_path: Path, *, console: str = "fake", cli_options: tuple[str, ...] = (), **options):
    """A server on 127.0.0.1 in `tmp_path`, started from the command line or from `serve()`.

    `console="real"` runs `ttxsim exercise FILE --serve` (with `cli_options`); `"fake"` and
    `"stubborn"` call `serve()` with `fake_console.py` as the console (and `options`).
    """
    port = free_port()
    if console == "real":
        command = [sys.executable, "-m", "ttxsim.tui.cli", "exercise", str(SCENARIO), "--serve",
                   "--host", "127.0.0.1", "--port", str(port), *cli_options]
    else:
        fake = [sys.executable, str(FAKE_CONSOLE), *(["--stubborn"] if console == "stubborn" else [])]
        code = ("from ttxsim.tui.serve import serve; "
                f"serve({str(SCENARIO)!r}, host='127.0.0.1', port={port}, command={fake!r}, **{options!r})")
        command = [sys.executable, "-c", code]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, text=True)
    server = None
    try:
        server = Served(process, port)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for pid in server.console_pids() if server else ():
            if alive(pid):  # the test has failed already, or will: leave nothing running
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:  # not a group leader after all
                    os.kill(pid, signal.SIGKILL)


async def hello(ws) -> dict:
    """The fake console's first screen data: its pid, argv and terminal size."""
    return await next_data(ws)


async def next_data(ws, timeout: float = START_TIMEOUT_S) -> dict:
    import aiohttp

    message = await ws.receive(timeout)
    assert message.type == aiohttp.WSMsgType.BINARY, message
    return json.loads(message.data)
