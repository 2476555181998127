"""Who may open the served console: a secret in the URL, and pages of the console's own origin.

A console served to a browser can be driven by any web page the facilitator happens to have
open: a page on another site may open a websocket to `ws://localhost:8000/ws` (browsers allow
cross-origin websockets and send the `Origin` only as a header), and a page on an attacker's
domain that re-resolves to 127.0.0.1 (DNS rebinding) may even fetch the page itself. So, as
Jupyter does, the server makes up a random token when it starts and prints it in the URL:

- every page, download and websocket request must carry it, either as `?token=...` or in the
  cookie the page sets when it is first opened with the token (the page then reloads without
  it, so the address shown on the room's big screen does not give the token away);
- the websocket must also come from a page of one of the addresses the console is served on
  (its `Origin` header), because cookies are sent whatever page opened the socket, and are
  shared between all the ports of a host.

A wrong, missing or foreign credential gets 403 and never starts a console.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

__all__ = ["Access", "origin"]

TOKEN_BYTES = 32
"""Random bytes in a token (43 URL-safe characters; Jupyter uses 24)."""


def origin(url: str) -> str:
    """The `scheme://host:port` a browser sends as `Origin` for pages at `url`, lower case.

    The port is always written (`:80` too), so that origins compare as strings.
    """
    parts = urlsplit(url.strip().lower())
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # a port that is not a number: no origin of ours
        return ""
    host = parts.hostname or ""
    return f"{parts.scheme}://{f'[{host}]' if ':' in host else host}:{port}"


class Access:
    """The token of one server run, and the origins whose pages may open its websocket.

    Args:
        origins: The URLs (any path) under which the console is served, e.g.
            `http://localhost:8000`; the websocket accepts pages from these origins only.
        port: The served port, which names the cookie (browsers share a host's cookies
            between its ports, and two servers on one machine must not overwrite each
            other's).
        token: The secret; a new random one if not given.
    """

    def __init__(self, origins: Iterable[str], *, port: int, token: str | None = None) -> None:
        self.token = token or secrets.token_urlsafe(TOKEN_BYTES)
        """The secret every request must show, printed in the URL at start."""
        self.origins = frozenset(origin(url) for url in origins)
        """The `Origin` values accepted on the websocket."""
        self.cookie = f"ttxsim-console-{port}"
        """The name of the cookie holding the token once the page has been opened with it."""

    def is_token(self, candidate: str | None) -> bool:
        """Whether `candidate` is the token, in time independent of where they differ."""
        if not candidate:
            return False
        return hmac.compare_digest(candidate.encode("utf-8"), self.token.encode("utf-8"))

    def allows(self, query_token: str | None, cookie_token: str | None) -> bool:
        """Whether a request with this `?token=` and this cookie may go on.

        A token in the query is checked on its own, even with a good cookie beside it: a
        wrong token in a link is a mistake to show, not to paper over.
        """
        if query_token is not None:
            return self.is_token(query_token)
        return self.is_token(cookie_token)

    def allows_origin(self, origin_header: str | None) -> bool:
        """Whether a websocket opened by a page of this `Origin` may go on (none: refused)."""
        if not origin_header or origin_header == "null":
            return False
        return origin(origin_header) in self.origins
