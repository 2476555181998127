"""The console in a browser: who may open it, and what is refused before serving.

The consoles' limits and lifetimes are in test_serve_consoles.py; the servers run on
127.0.0.1 in subprocesses (serve_helpers.py), with a fake console that starts at once.
"""

from __future__ import annotations

import asyncio
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from click.testing import CliRunner
from serve_helpers import SCENARIO, hello, served

from ttxsim.tui import cli, serve
from ttxsim.tui.serve_consoles import ConsoleServer


def _ws_url(server, query: str = "") -> str:
    return f"ws://127.0.0.1:{server.port}/ws{query}"


async def _handshake_status(url: str, origin: str | None) -> int:
    """The status of a websocket handshake: 101 if it opened (then closed at once)."""
    headers = {"Origin": origin} if origin else {}
    async with aiohttp.ClientSession() as client:
        try:
            async with client.ws_connect(url, headers=headers) as ws:
                await hello(ws)
                return 101
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status


# -- the token and the origin -----------------------------------------------------------------


def test_the_page_needs_the_printed_token_then_keeps_it_in_a_cookie(tmp_path):
    async def visit(server) -> None:
        page = f"{server.origin}/"
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
            for url in (page, f"{page}?token=wrong", f"{page}?token=", f"{page}download/x"):
                async with client.get(url) as response:
                    assert response.status == 403, url
                    assert "token" in await response.text()
            async with client.get(f"{page}static/js/textual.js") as response:
                assert response.status == 200  # textual-serve's own script: nothing secret
            async with client.get(f"{page}?token={server.token}&fontsize=18",
                                  allow_redirects=False) as response:
                assert response.status == 302  # the token leaves the address bar ...
                assert response.headers["Location"] == "/?fontsize=18"
                cookie = response.cookies[f"ttxsim-console-{server.port}"]
                assert cookie.value == server.token and cookie["httponly"] and cookie["samesite"] == "Lax"
            async with client.get(f"{page}?fontsize=18") as response:  # ... for the cookie
                assert response.status == 200
                text = await response.text()
                assert response.headers["Referrer-Policy"] == "no-referrer"
        assert "textual.js" in text and "ttxsim exercise: concert_hall.yaml" in text
        assert f'data-session-websocket-url="ws://127.0.0.1:{server.port}/ws"' in text
        assert server.token not in text

    with served(tmp_path) as server:
        assert server.printed_url == f"http://127.0.0.1:{server.port}"
        assert len(server.token) >= 40
        asyncio.run(visit(server))
        assert not server.console_pids()
    assert "Traceback" not in server.output


def test_the_websocket_needs_the_token_and_a_page_of_its_own(tmp_path):
    with served(tmp_path) as server:
        good, token = server.origin, f"?token={server.token}"

        async def statuses() -> list[int]:
            return [await _handshake_status(url, origin) for url, origin in [
                (_ws_url(server), good),                                      # no token
                (_ws_url(server, "?token=wrong"), good),                      # wrong token
                (_ws_url(server, token), None),                               # no Origin
                (_ws_url(server, token), "null"),                             # a sandboxed page
                (_ws_url(server, token), "http://evil.example"),              # another site
                (_ws_url(server, token), "http://127.0.0.1:1"),               # another port here
                (_ws_url(server, token), f"http://127.0.0.1.evil.example:{server.port}"),
                (_ws_url(server, token), good),                               # the console's page
                (_ws_url(server, token), f"http://localhost:{server.port}"),  # the same, by name
            ]]

        assert asyncio.run(statuses()) == [403] * 7 + [101, 101]
        assert len(server.console_pids()) == 2  # the refused ones started nothing


def test_a_browser_holding_the_cookie_opens_the_websocket(tmp_path):
    async def browse(server) -> dict:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
            async with client.get(f"{server.origin}/?token={server.token}") as page:
                assert page.status == 200
            async with client.ws_connect(_ws_url(server, "?width=90&height=30"),
                                         headers={"Origin": server.origin}) as ws:
                return await hello(ws)

    with served(tmp_path) as server:
        first = asyncio.run(browse(server))
    assert (first["columns"], first["rows"]) == (90, 30)


# -- refused before serving -------------------------------------------------------------------


@pytest.fixture
def no_serving(monkeypatch):
    """Fail instead of listening: these commands must stop before the server starts."""

    def refuse(self, debug=False):
        raise AssertionError("the server was started")

    monkeypatch.setattr(ConsoleServer, "serve", refuse)


def _exercise(*args: str):
    return CliRunner().invoke(cli.cli, ["exercise", *args])


def test_a_missing_scenario_is_refused_before_serving(tmp_path, no_serving):
    result = _exercise(str(tmp_path / "nope.yaml"), "--serve")
    assert result.exit_code == 2, result.output
    assert f"{tmp_path / 'nope.yaml'}" in result.output and "Traceback" not in result.output


def test_a_bad_scenario_or_protocol_is_refused_with_located_errors(tmp_path, no_serving):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SCENARIO.read_text().replace("horizon_s: 3600", "horizon_s: -5"))
    result = _exercise(str(bad), "--serve")
    assert result.exit_code == 2 and f"{bad}:" in result.output and "meta.horizon_s" in result.output
    result = _exercise(str(SCENARIO), "--serve", "-p", "nope")
    assert result.exit_code == 2 and "--protocol" in result.output and "nope" in result.output


def test_an_existing_journal_is_refused_before_serving(tmp_path, no_serving):
    journal = tmp_path / "room2.jsonl"
    journal.write_text("kept\n")
    result = _exercise(str(SCENARIO), "--serve", "--journal", str(journal))
    assert result.exit_code == 2 and "already exists" in result.output
    assert journal.read_text() == "kept\n"


def test_a_missing_or_damaged_journal_to_resume_is_refused_before_serving(tmp_path, no_serving):
    result = _exercise(str(SCENARIO), "--serve", "--resume", str(tmp_path / "gone.jsonl"))
    assert result.exit_code == 2 and "gone.jsonl: no such journal" in result.output
    damaged = tmp_path / "damaged.jsonl"
    damaged.write_text("{not json\n")
    result = _exercise(str(SCENARIO), "--serve", "--resume", str(damaged))
    assert result.exit_code == 2 and f"{damaged}:1:" in result.output


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.7.7", "exercise-laptop.local"])
def test_another_machine_may_connect_only_with_allow_remote(host, no_serving):
    result = _exercise(str(SCENARIO), "--serve", "--host", host)
    assert result.exit_code == 2 and "--allow-remote" in result.output


def test_allow_remote_prints_the_address_other_machines_open_with_the_token(monkeypatch):
    monkeypatch.setattr(serve, "_outward_address", lambda family: "192.168.7.7")
    monkeypatch.setattr(ConsoleServer, "serve", lambda self, debug=False: print(self.banner))
    result = _exercise(str(SCENARIO), "--serve", "--host", "0.0.0.0", "--allow-remote", "--port", "8010",
                       "--max-consoles", "2")
    assert result.exit_code == 0, result.output
    assert "serving the console of concert_hall.yaml (up to 2 at once)" in result.output
    assert "open http://192.168.7.7:8010/?token=" in result.output
    assert "anyone with this address and token can drive the exercise" in result.output


def test_the_page_points_browsers_at_a_reachable_address(monkeypatch):
    assert serve.page_url("localhost", 8000) == "http://localhost:8000"
    assert serve.page_url("::1", 8001) == "http://[::1]:8001"
    assert serve.page_url("192.168.7.7", 8000) == "http://192.168.7.7:8000"
    monkeypatch.setattr(serve, "_outward_address", lambda family: "192.168.7.7")
    assert serve.page_url("0.0.0.0", 8000) == "http://192.168.7.7:8000"
    monkeypatch.setattr(serve, "_outward_address", lambda family: None)  # no network: the name
    assert serve.page_url("0.0.0.0", 8000) == f"http://{socket.gethostname()}:8000"
    assert serve.is_local("localhost") and serve.is_local("127.0.0.1") and serve.is_local("::1")
    assert not serve.is_local("0.0.0.0") and not serve.is_local("192.168.7.7")


# -- the command each tab runs ----------------------------------------------------------------


def test_the_command_runs_this_install_and_quotes_its_arguments():
    command = shlex.split(serve.exercise_command(["my hall.yaml", "--seed", "3"]))
    assert command[-4:] == ["exercise", "my hall.yaml", "--seed", "3"]
    assert Path(command[0]).parent == Path(sys.executable).parent


def test_the_served_command_line_is_a_working_ttxsim_exercise():
    result = subprocess.run(serve.exercise_command(["--help"]), shell=True, capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 0, result.stderr
    assert "exercise" in result.stdout and "--max-consoles" in result.stdout
