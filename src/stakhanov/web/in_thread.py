"""The web app served in a thread of this process on a free local port.

For the browser tests, the screenshots and the page walk: each needs the real server over
HTTP on loopback, on a port the system picks so that runs side by side never collide.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def served(app: Any, patience_s: float) -> Iterator[str]:
    """Serve `app` until the block ends; yields its base URL. A start that hangs longer than
    `patience_s` (or a server that dies starting) raises RuntimeError."""
    import uvicorn  # the server is needed only here, not by every import of the web package

    bound = socket.socket()
    bound.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [bound]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + patience_s
    try:
        while not server.started:  # polls the condition; the deadline only ends a hung start
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{bound.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=patience_s)
        bound.close()
