"""The served consoles: how many, how large, named apart, and gone when the server stops.

Most tests use fake_console.py, which starts at once and tells its pid, arguments and
terminal size; one runs the real console through `ttxsim exercise --serve`.
"""

from __future__ import annotations

import asyncio
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime

import aiohttp
import pytest
from serve_helpers import SCENARIO, START_TIMEOUT_S, alive, hello, next_data, served

from ttxsim.tui.serve import console_journal
from ttxsim.tui.serve_consoles import MAX_HEIGHT, MAX_WIDTH, QUIT_GRACE_S, TERM_GRACE_S, clamp_size


def _connect(client: aiohttp.ClientSession, server, query: str = ""):
    separator = "&" if query else ""
    return client.ws_connect(f"ws://127.0.0.1:{server.port}/ws?token={server.token}{separator}{query}",
                             headers={"Origin": server.origin})


def test_consoles_beyond_the_limit_get_503_and_no_process(tmp_path):
    async def crowd(server) -> tuple[int, str, dict]:
        async with aiohttp.ClientSession() as client:
            async with _connect(client, server) as first, _connect(client, server) as second:
                await hello(first), await hello(second)
                try:
                    async with _connect(client, server):
                        raise AssertionError("a third console was started")
                except aiohttp.WSServerHandshakeError as exc:
                    refused = exc.status
                async with client.get(f"{server.origin}/ws?token={server.token}",
                                      headers={"Origin": server.origin}) as response:
                    message = await response.text()
            server.wait_for(r"console 2: stopped")  # a closed tab frees its place
            async with _connect(client, server) as again:
                return refused, message, await hello(again)

    with served(tmp_path, max_consoles=2) as server:
        refused, message, again = asyncio.run(crowd(server))
        assert refused == 503 and "2 consoles are open already" in message
        assert len(server.console_pids()) == 3 and again["pid"] == server.console_pids()[-1]
        assert "refused a console: 2 are open" in server.output


def test_the_terminal_size_is_clamped_whatever_the_browser_asks(tmp_path):
    async def oversize(server) -> tuple[dict, list[dict]]:
        async with aiohttp.ClientSession() as client, \
                _connect(client, server, "width=2000&height=1000") as ws:
            first = await hello(ws)
            for size in ({"width": 5000, "height": 4000}, {"width": -3, "height": 0},
                         {"width": "wide", "height": 1e300}, {"width": 120, "height": 40}):
                await ws.send_json(["resize", size])
            return first, [await next_data(ws) for _ in range(4)]

    with served(tmp_path) as server:
        first, resizes = asyncio.run(oversize(server))
    assert (first["columns"], first["rows"]) == (MAX_WIDTH, MAX_HEIGHT) == (300, 100)
    assert [(r["width"], r["height"]) for r in resizes] == [(300, 100), (1, 1), (80, 100), (120, 40)]
    assert clamp_size("abc", None) == (80, 24) and clamp_size(float("inf"), 7) == (80, 7)


def test_two_tabs_in_the_same_second_get_their_own_journals(tmp_path):
    async def two_tabs(server) -> list[dict]:
        async with aiohttp.ClientSession() as client, _connect(client, server) as one, \
                _connect(client, server) as two:
            return list(await asyncio.gather(hello(one), hello(two)))

    with served(tmp_path) as server:
        tabs = asyncio.run(two_tabs(server))
    journals = [tab["argv"][tab["argv"].index("--journal") + 1] for tab in tabs]
    assert len(set(journals)) == 2
    pid = server.process.pid
    for journal in journals:
        assert re.fullmatch(rf"exercise-concert_hall-\d{{8}}-\d{{6}}-{pid}-[12]\.jsonl", journal), journal


def test_journal_names_never_repeat_within_or_across_servers():
    when = datetime(2025, 3, 22, 14, 0, 5)
    names = {console_journal(n, file="halls/concert_hall.yaml", journal=None, when=when, pid=pid)
             for n in range(1, 50) for pid in (101, 102)}
    assert len(names) == 98 and "exercise-concert_hall-20250322-140005-101-1.jsonl" in names
    given = [console_journal(n, file="x.yaml", journal="rooms/room2.jsonl", when=when, pid=1)
             for n in (1, 2, 3)]
    assert given == ["rooms/room2.jsonl", "rooms/room2-2.jsonl", "rooms/room2-3.jsonl"]


def _stop_with_open_consoles(tmp_path, console: str, tabs: int,
                             signum: int = signal.SIGTERM) -> tuple[list[int], float, str]:
    """Open `tabs` consoles, signal the server while they run: those still alive, the stop's seconds."""
    with served(tmp_path, console=console) as server:
        async def open_then_stop() -> tuple[list[int], float]:
            async with aiohttp.ClientSession() as client:
                sockets = [await _connect(client, server) for _ in range(tabs)]
                pids = [(await hello(ws))["pid"] for ws in sockets]
                assert all(alive(pid) for pid in pids)
                took = await asyncio.to_thread(server.stop, signum)
                for ws in sockets:
                    await ws.close()
                return pids, took

        pids, took = asyncio.run(open_then_stop())
        left = [pid for pid in pids if alive(pid)]  # before `served` kills what is left
    return left, took, server.output


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_sigterm_or_ctrl_c_stops_the_server_and_every_console(tmp_path, signum):
    left, took, output = _stop_with_open_consoles(tmp_path, "fake", tabs=2, signum=signum)
    assert not left, output
    assert took < QUIT_GRACE_S, output  # they quit when asked
    assert "stopping 2 console(s)" in output and "console 2: stopped" in output


def test_a_console_that_ignores_quit_and_sigterm_is_killed(tmp_path):
    left, took, output = _stop_with_open_consoles(tmp_path, "stubborn", tabs=1)
    assert not left, output
    assert QUIT_GRACE_S + TERM_GRACE_S <= took < QUIT_GRACE_S + TERM_GRACE_S + 5, output
    assert "sending SIGKILL" in output


async def _screen_bytes(client: aiohttp.ClientSession, server, wanted: int) -> tuple[int, int]:
    """Open the page's websocket as the browser does; the console's pid and output size."""
    deadline = time.monotonic() + START_TIMEOUT_S
    received = 0
    async with client.ws_connect(f"ws://127.0.0.1:{server.port}/ws?width=120&height=40",
                                 headers={"Origin": server.origin}) as ws:
        while received < wanted and time.monotonic() < deadline:
            try:
                message = await asyncio.wait_for(ws.receive(), 0.5)
            except TimeoutError:
                continue
            if message.type not in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                break
            received += len(message.data)
        pid = int(server.wait_for(r"console 1: started, pid (\d+)").group(1))
        took = await asyncio.to_thread(server.stop, signal.SIGTERM)  # with the tab still open
    return pid, received, took


def test_a_browser_tab_gets_a_running_console_which_ends_with_the_server(tmp_path):
    async def browse(server):
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
            async with client.get(f"{server.origin}/?token={server.token}") as page:
                assert page.status == 200
            return await _screen_bytes(client, server, 10_000)

    with served(tmp_path, console="real") as server:
        pid, received, took = asyncio.run(browse(server))
        assert not alive(pid) and took < QUIT_GRACE_S, server.output  # it quit when the server stopped
    assert received >= 10_000  # the console drew its screen in the page's terminal
    journals = list(tmp_path.glob("exercise-concert_hall-*.jsonl"))
    assert len(journals) == 1 and journals[0].read_text().endswith("\n")  # journaled where served
    assert "Traceback" not in server.output


def test_a_port_in_use_is_a_message_not_a_traceback(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "ttxsim.tui.cli", "exercise", str(SCENARIO), "--serve",
                                 "--host", "127.0.0.1", "--port", str(port)], cwd=tmp_path,
                                capture_output=True, text=True, timeout=30)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "Traceback" not in result.stderr
