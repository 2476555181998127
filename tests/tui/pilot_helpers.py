"""Driving the console in tests: wait for the model, press keys, advance to an inject.

The project has no asyncio plugin for pytest, so `console_test` runs each async test body in
its own event loop (the fixtures are still resolved from the body's signature).
"""

from __future__ import annotations

import asyncio
import functools

from textual.pilot import Pilot


def console_test(body):
    """Run an async test body with asyncio.run (pytest sees a plain function)."""

    @functools.wraps(body)
    def run(*args, **kwargs):
        return asyncio.run(body(*args, **kwargs))

    return run


async def settle(pilot: Pilot) -> None:
    """Wait until every queued model command has run and the screen shows its result."""
    app = pilot.app
    for _ in range(400):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.idle:
            await pilot.pause()
            return
    raise AssertionError("the model never became idle")


async def press(pilot: Pilot, *keys: str) -> None:
    """Press keys one by one, letting the model finish after each."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def advance_to(pilot: Pilot, inject_id: str, *, limit: int = 40) -> None:
    """Press `n` until `inject_id` is delivered."""
    session = pilot.app.session
    for _ in range(limit):
        if session.inject(inject_id).delivered_s is not None:
            return
        await press(pilot, "n")
    raise AssertionError(f"{inject_id} never came")


async def jump_to(pilot: Pilot, seconds: float) -> None:
    """Run the model straight to `seconds` (delivering what comes due on the way), as `j` does."""
    app = pilot.app
    app.submit("jump", app.session.run_to, seconds, stop_at_injects=False)
    await settle(pilot)
