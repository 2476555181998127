"""The facilitator's console in a web browser, through textual-serve.

A tabletop room often has one big screen and a laptop at the facilitator's table, or an
evaluator who wants to follow from another machine. `serve` runs a small web server; each
browser tab that opens its page starts its own `ttxsim exercise ...` process and shows that
console in the page, so two tabs are two independent sessions, each with its own journal.

Whoever opens the page drives the exercise, so the server guards it (`serve_access`): a
random token in the printed URL, required on every request, and websockets only from the
console's own pages. It is bound to `localhost` by default; another address lets other
machines in, and is used only with `allow_remote` (`--allow-remote`) said in so many words.
The consoles themselves are bounded in number and screen size, and stopped with the server
(`serve_consoles`).

Everything that can be checked before serving is, with the same messages and exit status 2 as
`ttxsim run` and `ttxsim exercise`: a browser tab is a poor place to learn of a typo.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import socket
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from ttxsim.sim.commands import exit_invalid, load_or_exit, protocol_or_exit

__all__ = ["DEFAULT_MAX_CONSOLES", "console_journal", "exercise_command", "is_local", "page_url", "serve"]

DEFAULT_MAX_CONSOLES = 4
"""Consoles one server runs at once (`--max-consoles`): a room's screens, not a crowd."""

LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
"""Addresses only this machine can reach; pages opened at any of them are the console's own."""

_ANY_ADDRESS = frozenset({"0.0.0.0", "::", ""})
_NO_NETWORK_PROBE = {socket.AF_INET: "192.0.2.1", socket.AF_INET6: "2001:db8::1"}  # documentation ranges


def is_local(host: str) -> bool:
    """Whether only this machine can reach a server bound to `host` (a loopback address)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def exercise_command(argv: Sequence[str]) -> str:
    """The shell command line each browser tab runs: `ttxsim exercise` with `argv`.

    It uses the `ttxsim` script installed beside this Python if there is one, else
    `python -m ttxsim.tui.cli`, so the served console is the same install as the server.
    Every argument is shell-quoted (textual-serve runs the command through the shell).
    """
    script = Path(sys.executable).with_name("ttxsim")
    base = [str(script)] if script.is_file() else [sys.executable, "-m", "ttxsim.tui.cli"]
    return shlex.join([*base, "exercise", *argv])


def console_journal(number: int, *, file: str, journal: str | None, when: datetime, pid: int) -> str:
    """The journal of a server's `number`-th console, never the name of another console's.

    By default `exercise-<scenario>-<time>-<server pid>-<number>.jsonl`: two tabs opened in
    the same second differ by number, two servers by pid. With `--journal F`, the first
    console writes F and the n-th `F-n` beside it (`room2.jsonl`, `room2-2.jsonl`, ...).
    """
    if journal is not None:
        path = Path(journal)
        return journal if number == 1 else str(path.with_name(f"{path.stem}-{number}{path.suffix}"))
    return f"exercise-{Path(file).stem}-{when:%Y%m%d-%H%M%S}-{pid}-{number}.jsonl"


def page_url(host: str, port: int) -> str:
    """The address browsers use to reach a server bound to `host` (as printed, without the token).

    A wildcard bind (`0.0.0.0`, `::`) is not an address another machine can open: the page
    names this machine by its address on the network it would use to go out, if it has one,
    else by its host name.
    """
    name = host
    if host in _ANY_ADDRESS:
        name = _outward_address(socket.AF_INET6 if host == "::" else socket.AF_INET) or socket.gethostname()
    return f"http://{f'[{name}]' if ':' in name else name}:{port}"


def _outward_address(family: socket.AddressFamily) -> str | None:
    """This machine's address on its default route; a UDP `connect` sends nothing."""
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect((_NO_NETWORK_PROBE[family], 9))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if ipaddress.ip_address(address).is_loopback else address


def _served_urls(host: str, port: int, public_url: str | None) -> list[str]:
    """The addresses the console is served under, the one to print first."""
    urls = [public_url or page_url(host, port)]
    if host in _ANY_ADDRESS or is_local(host):
        urls += [page_url(name, port) for name in sorted(LOCAL_NAMES)]
    if host in _ANY_ADDRESS:
        urls += [page_url(name, port) for name in {socket.gethostname(), socket.getfqdn()}]
    return urls


def _check(file: str, *, protocol: str | None, journal: str | None, resume: str | None, host: str,
           allow_remote: bool) -> None:
    """Refuse, with exit status 2, what would only fail once a browser tab opens.

    A journal to resume is read (not opened for writing): a missing or damaged one is refused
    here; one of another scenario or seed is left to the console, which says so.
    """
    if not is_local(host) and not allow_remote:
        exit_invalid(f"ttxsim exercise: --host {host} lets other machines drive the console; "
                     "add --allow-remote if that is meant (see docs/console.md)")
    protocol_or_exit(load_or_exit(file), file, protocol)
    if journal is not None and Path(journal).exists():
        exit_invalid(f"ttxsim exercise: {journal}: the journal already exists (give a new name, "
                     "or --resume it)")
    if resume is not None:
        from .journal import JournalError, read_journal

        try:
            read_journal(resume)
        except JournalError as exc:
            exit_invalid(f"ttxsim exercise: {exc}")


def serve(file: str, *, protocol: str | None = None, seed: int | None = None, journal: str | None = None,
          resume: str | None = None, host: str = "localhost", port: int = 8000, allow_remote: bool = False,
          max_consoles: int = DEFAULT_MAX_CONSOLES, public_url: str | None = None,
          command: Sequence[str] | None = None, token: str | None = None) -> None:
    """Check the scenario, then serve the console on http://host:port until Ctrl+C or SIGTERM.

    Args:
        file: The scenario file.
        protocol: The protocol to play (`--protocol`).
        seed: The sessions' seed (`--seed`).
        journal: The first console's journal (the next ones are numbered beside it).
        resume: A journal every console resumes (one at a time: it is locked while open).
        host: The address to bind; `localhost` keeps the console on this machine.
        port: The TCP port.
        allow_remote: Let `host` be an address other machines reach; refused otherwise.
        max_consoles: How many consoles (browser tabs) may run at once.
        public_url: The URL browsers use to reach the server, if not `page_url(host, port)`
            (behind a proxy or a tunnel).
        command: Run this program, with the console's arguments, instead of `ttxsim exercise`
            (for tests).
        token: The access token, instead of a random one (for tests).
    """
    _check(file, protocol=protocol, journal=journal, resume=resume, host=host, allow_remote=allow_remote)
    from .serve_access import Access  # aiohttp and jinja load only when serving
    from .serve_consoles import ConsoleServer

    options = [file, *_pass_on(protocol=protocol, seed=seed, resume=resume)]
    base = list(command) if command is not None else None

    def make_command(number: int) -> tuple[str, str | None]:
        own = None if resume else console_journal(number, file=file, journal=journal,
                                                  when=datetime.now(), pid=os.getpid())
        argv = options + (["--journal", own] if own else [])
        return (shlex.join(base + argv) if base is not None else exercise_command(argv)), own

    urls = _served_urls(host, port, public_url)
    access = Access(urls, port=port, token=token)
    banner = f"ttxsim: serving the console of {Path(file).name} (up to {max_consoles} at once)\n" \
             f"  open {urls[0]}/?token={access.token}\n"
    if not is_local(host):
        banner += ("  anyone with this address and token can drive the exercise; "
                   "Ctrl+C stops the server and every console\n")
    server = ConsoleServer(make_command, access=access, max_consoles=max_consoles, banner=banner,
                           host=host, port=port, title=f"ttxsim exercise: {Path(file).name}",
                           public_url=urls[0])
    try:
        server.serve()
    except OSError as exc:
        exit_invalid(f"ttxsim exercise: cannot listen on {host}:{port}: {exc.strerror or exc}")


def _pass_on(**options: str | int | None) -> list[str]:
    args: list[str] = []
    for name, value in options.items():
        if value is not None:
            args += [f"--{name}", str(value)]
    return args
