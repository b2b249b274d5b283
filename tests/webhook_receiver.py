"""A tiny webhook receiver on 127.0.0.1 for reminder tests: real sockets, scripted statuses.

with WebhookReceiver() as hook:
    hook.script(500, 200)          # the next two posts get 500, then 200; then 204s
    ...post to hook.url("/discord")...
    hook.posts[0].body, hook.posts[0].headers["Title"]
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int  # what the receiver answered

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class WebhookReceiver:
    def __init__(self, default_status: int = 204) -> None:
        self.default_status = default_status
        self.posts: list[Received] = []
        self._script: deque[int] = deque()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with receiver._lock:
                    status = (
                        receiver._script.popleft() if receiver._script else receiver.default_status
                    )
                    receiver.posts.append(
                        Received(self.path, dict(self.headers.items()), body, status)
                    )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str = "/hook") -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def script(self, *statuses: int) -> None:
        with self._lock:
            self._script.extend(statuses)

    def accepted(self) -> list[Received]:
        return [post for post in self.posts if 200 <= post.status < 300]

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
