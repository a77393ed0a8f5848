"""A capture server on 127.0.0.1: records every request it gets (also as an HTTP proxy) and answers
what the test says. It stands in for wherever a secret must never go."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Callable, Iterator

from tests.support.loopback import serve


@dataclass
class Seen:
    method: str
    path: str  # as sent: a path, or an absolute URL when the client used us as a proxy
    headers: dict
    body: str


@dataclass
class Capture:
    url: str = ""
    seen: list[Seen] = field(default_factory=list)
    # (seen request) -> (status, headers, body); default: 400 with an OAuth error
    answer: Callable[[Seen], tuple[int, dict, object]] | None = None

    def text(self) -> str:
        """Everything the server received, for `secret not in capture.text()`."""
        return "\n".join(f"{s.method} {s.path}\n{json.dumps(s.headers)}\n{s.body}" for s in self.seen)


@contextlib.contextmanager
def capture_server(answer: Callable[[Seen], tuple[int, dict, object]] | None = None) -> Iterator[Capture]:
    capture = Capture(answer=answer)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            seen = Seen(self.command, self.path, dict(self.headers), body)
            capture.seen.append(seen)
            status, headers, payload = (capture.answer or _refuse)(seen)
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = _any

    with serve(Handler) as url:
        capture.url = url
        yield capture


def _refuse(seen: Seen) -> tuple[int, dict, object]:
    return 400, {}, {"error": "invalid_request", "error_description": "captured"}
