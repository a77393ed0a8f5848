"""One way to run an HTTP server on 127.0.0.1 for a test or a benchmark."""

from __future__ import annotations

import functools
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A client that hung up (a timeout under test) is no error of the server's; anything else is
        printed, to the real stderr: a command run in-process captures sys.stderr, and a server
        thread's traceback there would read as the command's."""
        import sys
        import traceback

        error = sys.exc_info()[1]
        if isinstance(error, (BrokenPipeError, ConnectionResetError)):
            return
        traceback.print_exc(file=sys.__stderr__)


@contextmanager
def serve(handler: type[BaseHTTPRequestHandler] | functools.partial, port: int = 0) -> Iterator[str]:
    """Serve `handler` on 127.0.0.1 (a free port by default) until the block ends; yields the base URL."""
    server = _Server(("127.0.0.1", port), handler)
    server.daemon_threads = True
    # A short poll interval: shutdown() waits up to one interval, and tests start hundreds of servers.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve_directory(root: Path):
    """Serve the files under `root` (a built site) on 127.0.0.1."""
    return serve(functools.partial(QuietFiles, directory=str(root)))
