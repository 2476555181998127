"""A stand-in for `ttxsim exercise` under textual-serve: starts at once, and tells what it got.

It speaks the web driver's side of textual-serve's protocol (the `__GANGLION__` prelude, then
packets of a type byte, a 4-byte length and a payload) and writes back, as screen data (`D`):
first `{"pid", "argv", "columns", "rows"}`, then every meta packet it receives (resize, quit,
...). It quits on `quit` like a console, unless started with `--stubborn`: then it ignores
`quit` and SIGTERM, so only SIGKILL ends it.
"""

from __future__ import annotations

import json
import os
import signal
import sys


def send(payload: dict) -> None:
    data = json.dumps(payload).encode("utf-8")
    sys.stdout.buffer.write(b"D" + len(data).to_bytes(4, "big") + data)
    sys.stdout.buffer.flush()


def main() -> None:
    stubborn = "--stubborn" in sys.argv
    if stubborn:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    sys.stdout.buffer.write(b"__GANGLION__\n")
    send({"pid": os.getpid(), "argv": sys.argv[1:], "columns": int(os.environ["COLUMNS"]),
          "rows": int(os.environ["ROWS"])})
    stdin = sys.stdin.buffer
    while header := stdin.read(5):
        if len(header) < 5:
            break
        payload = stdin.read(int.from_bytes(header[1:], "big"))
        if header[:1] != b"M":
            continue
        meta = json.loads(payload)
        send(meta)
        if meta.get("type") == "quit" and not stubborn:
            break
    if stubborn:  # even stdin closing does not end it
        signal.pause()


if __name__ == "__main__":
    main()
