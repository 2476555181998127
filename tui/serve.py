"""The facilitator's console in a web browser, through textual-serve.

A tabletop room often has one big screen and a laptop at the facilitator's table, or an
evaluator who wants to follow from another machine. textual-serve runs a small web server;
each browser tab that opens its page starts its own `ttxsim exercise ...` process and shows
that console in the page (so two tabs are two independent sessions, each with its own
journal unless they are given different `--journal` files on purpose).

The server has no login. It is bound to `localhost` by default, so only this machine can
reach it; binding to another address lets anyone who can reach that address drive the
console, and is done only when asked for in so many words (`host="0.0.0.0"`, or this
machine's address on the exercise network).
"""

from __future__ import annotations

import shlex
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["LOCAL_HOSTS", "exercise_command", "page_url", "serve"]

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
"""Addresses only this machine can reach; any other host gets a warning."""

_ANY_ADDRESS = frozenset({"0.0.0.0", "::", ""})


def exercise_command(argv: Sequence[str]) -> str:
    """The shell command line each browser tab runs: `ttxsim exercise` with `argv`.

    It uses the `ttxsim` script installed beside this Python if there is one, else
    `python -m ttxsim.tui.cli`, so the served console is the same install as the server.
    Every argument is shell-quoted (textual-serve runs the command through the shell).
    """
    script = Path(sys.executable).with_name("ttxsim")
    base = [str(script)] if script.is_file() else [sys.executable, "-m", "ttxsim.tui.cli"]
    return shlex.join([*base, "exercise", *argv])


def page_url(host: str, port: int) -> str:
    """The address browsers are told to connect back to (the page opens a websocket to it).

    A wildcard bind (`0.0.0.0`) is not an address another machine can open, so the page
    names this machine by its host name instead.
    """
    name = socket.gethostname() if host in _ANY_ADDRESS else host
    return f"http://{f'[{name}]' if ':' in name else name}:{port}"


def serve(argv: Sequence[str], *, host: str = "localhost", port: int = 8000,
          public_url: str | None = None, command: str | None = None) -> None:
    """Serve the console on http://host:port until interrupted (Ctrl+C or SIGTERM).

    Args:
        argv: The arguments of `ttxsim exercise` (scenario file, `--protocol`, `--journal`, ...).
        host: The address to bind; `localhost` keeps the console on this machine.
        port: The TCP port.
        public_url: The URL browsers use to reach the server, if not `page_url(host, port)`
            (behind a proxy or a tunnel).
        command: Serve this shell command instead of the console (for tests).
    """
    from textual_serve.server import Server  # aiohttp and jinja load only when serving

    if host not in LOCAL_HOSTS:
        print(f"warning: the console is served on {host}:{port} without a login; anyone who can "
              "reach that address can drive the exercise", file=sys.stderr)
    command = command or exercise_command(argv)
    title = "ttxsim exercise" + (f": {Path(argv[0]).name}" if argv else "")
    Server(command, host=host, port=port, title=title, public_url=public_url or page_url(host, port)).serve()
