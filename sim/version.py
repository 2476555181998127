"""The installed ttxsim's version, written into what a run leaves behind (a results store, a journal).

Recorded so that a stored result or a journal can be traced to the code that made it.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["installed_version"]


def installed_version() -> str:
    """The version of the installed `ttxsim` distribution, or `unknown` in an uninstalled checkout."""
    try:
        return version("ttxsim")
    except PackageNotFoundError:
        return "unknown"
