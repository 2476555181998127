"""The web server behind `ttxsim exercise --serve`: textual-serve, with a door and a ceiling.

textual-serve (`textual_serve.server.Server`) starts one console process per websocket, in
`AppService`; as shipped it admits any page, starts as many consoles as are asked for, at
whatever terminal size the browser reports (a 2000 × 1000 terminal took one console from
170 MB to 600 MB in 20 s), and leaves the consoles running when the server is stopped. This
module keeps its page and protocol and changes what happens around them:

- every request passes `Access` (the token, and the page's origin for the websocket);
- at most `max_consoles` consoles run at once; one more websocket gets 503 and no process;
- each console gets its own command line (its own journal) from `make_command`;
- terminal sizes are clamped to `MAX_WIDTH` × `MAX_HEIGHT`, at start and on every resize;
- each console runs in a process group of its own (with its preview workers), and stopping
  the server (Ctrl+C, SIGTERM) asks every console to quit, then terminates, then kills the
  groups that are still there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp_jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from .serve_access import Access, origin

__all__ = ["MAX_HEIGHT", "MAX_WIDTH", "ConsoleServer", "ConsoleService", "clamp_size"]

MAX_WIDTH, MAX_HEIGHT = 300, 100
"""The largest terminal a console gets, in cells, whatever the browser asks for."""

QUIT_GRACE_S = 3.0
"""How long a console has to quit when asked (it closes its journal) before it is terminated."""

TERM_GRACE_S = 2.0
"""How long a console has to end after SIGTERM before it is killed."""

log = logging.getLogger("ttxsim.serve")

CommandMaker = Callable[[int], tuple[str, str | None]]
"""Console number (1, 2, ...) → its shell command line and its journal (None: not made here)."""


def clamp_size(width: Any, height: Any, *, default: tuple[int, int] = (80, 24)) -> tuple[int, int]:
    """The terminal size a console gets for the size a browser sent (anything, from the wire).

    What is not a number gives the default; the rest is held between 1 and the maximum,
    because the console's memory grows with its screen.
    """
    return _clamp(width, default[0], MAX_WIDTH), _clamp(height, default[1], MAX_HEIGHT)


def _clamp(value: Any, default: int, most: int) -> int:
    try:
        cells = int(value)
    except (TypeError, ValueError, OverflowError):
        cells = default
    return max(1, min(cells, most))


class ConsoleService(AppService):
    """One console process: textual-serve's `AppService`, bounded in size and in lifetime."""

    def __init__(self, command: str, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self._stopping: asyncio.Future[None] | None = None

    @property
    def pid(self) -> int | None:
        """The console's process id (the leader of its process group), once started."""
        return self._process.pid if self._process is not None else None

    async def start(self, width: int, height: int) -> None:
        """Start the console at the clamped size."""
        await super().start(*clamp_size(width, height))

    async def set_terminal_size(self, width: int, height: int) -> None:
        """Pass a resize on, clamped."""
        await super().set_terminal_size(*clamp_size(width, height))

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        # As AppService's, in a new session: the console and its preview workers form one
        # process group that `stop` can end together, and Ctrl+C in the server's terminal
        # reaches the server only, which then stops each console in order. `exec`: the
        # process is the console, not a shell above it, so its pid is the console's.
        self._process = process = await asyncio.create_subprocess_shell(
            f"exec {self.command}", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=self._build_environment(width=width, height=height),
            start_new_session=True)
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def stop(self) -> None:
        """Stop the console, however it behaves; safe to call more than once, and concurrently."""
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._stop())
        await asyncio.shield(self._stopping)

    async def _stop(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(super().stop(), QUIT_GRACE_S)  # asks it to quit, reads to the end
        process = self._process
        if process is None:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.wait(), 0.5)  # its output ended: it is on its way out
        for signum, grace in ((signal.SIGTERM, TERM_GRACE_S), (signal.SIGKILL, None)):
            if process.returncode is not None:
                break
            print(f"console pid {process.pid} did not quit; sending {signum.name}", flush=True)
            _signal_group(process.pid, signum)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), grace)
        _signal_group(process.pid, signal.SIGKILL)  # preview workers the console left behind
        if self._task is not None:
            await asyncio.wait({self._task}, timeout=1.0)

    def kill(self) -> None:
        """Kill the console's process group at once (the last resort when the loop is gone)."""
        if self._process is not None and self._process.returncode is None:
            _signal_group(self._process.pid, signal.SIGKILL)


def _signal_group(pid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)


class ConsoleServer(Server):
    """textual-serve's server, with the token and origin check, the console limit and the clean stop.

    Args:
        make_command: The command line (and journal) of the n-th console.
        access: The token and the origins allowed on the websocket.
        max_consoles: How many consoles may run at once.
        banner: What to print once the server listens (the URL with the token).
        **server_options: `textual_serve.server.Server`'s (host, port, title, public_url).
    """

    def __init__(self, make_command: CommandMaker, *, access: Access, max_consoles: int, banner: str,
                 **server_options: Any) -> None:
        super().__init__("ttxsim exercise", **server_options)
        self.make_command = make_command
        self.access = access
        self.max_consoles = max_consoles
        self.banner = banner
        self._started = 0
        self._consoles: dict[int, tuple[ConsoleService, web.WebSocketResponse]] = {}

    def serve(self, debug: bool = False) -> None:
        """Serve until SIGINT or SIGTERM, then stop every console; print the banner once listening.

        As textual-serve's `serve`, on an `AppRunner` of our own: its `run_app` announces
        the server before the socket listens (a user, or a test, could find nobody there), and
        logs every request line, token included.
        """
        self.debug = debug
        self.initialize_logging()
        try:
            asyncio.run(self._serve())
        finally:
            self.kill_consoles()

    async def _serve(self) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        runner = web.AppRunner(await self._make_app(), access_log=None, handle_signals=False)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
            print(self.banner, flush=True)
            await stop.wait()
        finally:
            await runner.cleanup()

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        return app

    @web.middleware
    async def _guard(self, request: web.Request,
                     handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        """Let through the static files (textual-serve's own), and the rest only with the token."""
        if request.path.startswith("/static/"):
            return await handler(request)
        query_token = request.query.get("token")
        if not self.access.allows(query_token, request.cookies.get(self.access.cookie)):
            raise web.HTTPForbidden(text="ttxsim: open the address with the token that "
                                         "`ttxsim exercise --serve` printed\n")
        if request.path == "/ws":
            if not self.access.allows_origin(request.headers.get("Origin")):
                raise web.HTTPForbidden(text="ttxsim: the console opens only from its own page\n")
            return await handler(request)
        if query_token is not None:  # keep it in a cookie, and out of the address bar
            response: web.StreamResponse = web.Response(
                status=302, headers={"Location": str(request.rel_url.without_query_params("token"))})
            response.set_cookie(self.access.cookie, query_token, httponly=True, samesite="Lax", path="/")
        else:
            response = await handler(request)
        response.headers.update({"Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
                                 "Cache-Control": "no-store"})
        return response

    async def handle_index(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        """textual-serve's page, pointing its websocket back at the address it was opened from.

        The token cookie belongs to that address, so a page opened as `127.0.0.1` must not
        open its websocket on `localhost` (the cookie would not go with it). Other addresses
        (not ours) get the URL the server printed.
        """
        own = f"{request.scheme}://{request.host}"
        base = own if origin(own) in self.access.origins else self.public_url
        static = base + str(request.app.router["static"].url_for(filename="/")).rstrip("/") + "/"
        context = {
            "font_size": _int_or(request.query.get("fontsize"), 16),
            "app_websocket_url": "ws" + base.removeprefix("http") + "/ws",
            "config": {"static": {"url": static}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Start a console for this browser tab, if there is room, and relay until either side ends."""
        if len(self._consoles) >= self.max_consoles:
            print(f"refused a console: {self.max_consoles} are open (--max-consoles)", flush=True)
            raise web.HTTPServiceUnavailable(
                text=f"ttxsim: {self.max_consoles} consoles are open already, the most this server "
                     "runs at once (--max-consoles); close one and reload this page\n")
        websocket = web.WebSocketResponse(heartbeat=15)
        if not websocket.can_prepare(request).ok:
            raise web.HTTPBadRequest(text="ttxsim: this address is the console's websocket\n")
        self._started += 1
        number = self._started
        command, journal = self.make_command(number)
        service = ConsoleService(command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                                 close=websocket.close, download_manager=self.download_manager,
                                 debug=self.debug)
        self._consoles[number] = (service, websocket)  # counted before the first await
        try:
            await websocket.prepare(request)
            await service.start(_int_or(request.query.get("width"), 80),
                                _int_or(request.query.get("height"), 24))
            print(f"console {number}: started, pid {service.pid}"
                  + (f", journal {journal}" if journal else ""), flush=True)
            await self._process_messages(websocket, service)
        except Exception as error:  # a broken tab must not take the server down
            log.exception(error)
        finally:
            await service.stop()
            del self._consoles[number]
            print(f"console {number}: stopped", flush=True)
        return websocket

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: `serve` prints the banner once the socket listens."""

    async def on_shutdown(self, app: web.Application) -> None:
        """Stop every console, then close their websockets, before aiohttp waits for the handlers."""
        consoles = list(self._consoles.values())
        if consoles:
            print(f"stopping {len(consoles)} console(s)", flush=True)
        await asyncio.gather(*(service.stop() for service, _ in consoles), return_exceptions=True)
        await asyncio.gather(*(ws.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")
                               for _, ws in consoles), return_exceptions=True)

    def kill_consoles(self) -> None:
        """Kill whatever console is left (after the event loop has ended abnormally)."""
        for service, _ in self._consoles.values():
            service.kill()


def _int_or(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
