"""A small fake of The Odds API, served over real HTTP on 127.0.0.1 for client and job tests.

Real sockets, real status codes and headers: what the client sees is what it would see from the
provider, faults included. Usage::

    with FakeOddsApi(now=NOW) as api:                # random free port, stopped on exit
        client = OddsApiClient(api.base_url, "test-key-123")
        api.set_odds(payload)                        # or leave unset: DemoProvider at `api.now`
        api.enqueue(429, error_body("EXCEEDED_FREQ_LIMIT"))   # scripts the *next* response
        api.enqueue(200, [], delay=1.0)              # slow answer, beyond a short client timeout
        api.enqueue(200, '[{"id": ', raw=True)       # body sent verbatim (truncated, HTML, ...)
        ...
        path, query = api.requests[0]                # every request, apiKey included

Scripted responses are served first, in order; after them the fake answers like the provider:
`/v4/sports/{sport}/odds` and `/scores` with the provider's 4xx error bodies for bad parameters
(see `pickvs.odds.demo.demo_answer`), and quota headers on every success, charged by the cost
rules of odds-api.md (markets x regions for odds, 0 for an empty list; 1 or 2 for scores).
A call that would overrun `monthly_credits` gets 401 OUT_OF_USAGE_CREDITS, as the provider does.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self
from urllib.parse import parse_qsl, urlsplit

from pickvs.domain.budget import odds_call_cost, scores_call_cost
from pickvs.odds.demo import DemoProvider, demo_answer

Query = dict[str, str]


def error_body(error_code: str, message: str | None = None) -> dict[str, str]:
    """The provider's JSON error body for `error_code`."""
    return {
        "message": message or f"Fake provider error {error_code}",
        "error_code": error_code,
        "details_url": f"https://the-odds-api.com/liveapi/guides/v4/api-error-codes.html#{error_code}",
    }


@dataclass
class _Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class FakeOddsApi:
    """The provider's two calls on a loopback port; see the module docstring for the API."""

    def __init__(
        self,
        *,
        now: datetime | None = None,
        seed: int = 2026,
        monthly_credits: int = 500,
        credits_used: int = 0,
    ) -> None:
        self.now = now  # None: the real clock at each request
        self.provider = DemoProvider(seed)
        self.monthly_credits = monthly_credits
        self.credits_used = credits_used
        self.requests: list[tuple[str, Query]] = []
        self._odds: object | None = None
        self._scores: object | None = None
        self._script: deque[tuple[int, object, dict[str, str] | None, float, bool]] = deque()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------------------ control

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeOddsApi is not running; use it as a context manager")
        return f"http://127.0.0.1:{self._server.server_port}"

    def set_odds(self, payload: object | None) -> None:
        """Serve this body for odds calls from now on; None goes back to the demo provider."""
        self._odds = payload

    def set_scores(self, payload: object | None) -> None:
        self._scores = payload

    def enqueue(
        self,
        status: int,
        body: object = None,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        raw: bool = False,
    ) -> None:
        """Script the next response: `body` as JSON, or verbatim (str/bytes) when `raw`.

        A scripted 200 still gets quota headers (unless `headers` sets them); errors get only
        the headers given. `delay` seconds pass before the status line is sent.
        """
        self._script.append((status, body, headers, delay, raw))

    def start(self) -> Self:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        self._closing.set()  # wakes handlers sleeping on a scripted delay
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------------------ answering

    def _reply(self, method: str, path: str, query: Query) -> _Reply:
        with self._lock:
            self.requests.append((path, dict(query)))
            if self._script:
                return self._scripted(path, query, *self._script.popleft())
            return self._default(method, path, query)

    def _scripted(
        self,
        path: str,
        query: Query,
        status: int,
        body: object,
        headers: dict[str, str] | None,
        delay: float,
        raw: bool,
    ) -> _Reply:
        data = _raw_bytes(body) if raw else json.dumps(body).encode()
        reply = _Reply(status, data, {"Content-Type": _content_type(data, raw)}, delay)
        if status == 200:
            reply.headers.update(self._charge(_cost(path, query, None if raw else body)))
        reply.headers.update(headers or {})
        return reply

    def _default(self, method: str, path: str, query: Query) -> _Reply:
        now = self.now or datetime.now(UTC)
        status, body = demo_answer(self.provider, method, path, query, now)
        if status == 200:
            override = self._odds if path.endswith("/odds") else self._scores
            body = body if override is None else override
            cost = _cost(path, query, body)
            if self.credits_used + cost > self.monthly_credits:
                status, body = (
                    401,
                    error_body("OUT_OF_USAGE_CREDITS", "Usage quota has been reached"),
                )
            else:
                return _Reply(200, json.dumps(body).encode(), self._charge(cost))
        return _Reply(status, json.dumps(body).encode())

    def _charge(self, cost: int) -> dict[str, str]:
        self.credits_used += cost
        return {
            "x-requests-last": str(cost),
            "x-requests-used": str(self.credits_used),
            "x-requests-remaining": str(max(self.monthly_credits - self.credits_used, 0)),
        }


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        fake: FakeOddsApi = self.server.fake  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        reply = fake._reply(method, url.path, dict(parse_qsl(url.query, keep_blank_values=True)))
        if reply.delay and fake._closing.wait(reply.delay):
            return
        try:
            self.send_response(reply.status)
            headers = {"Content-Type": "application/json", **reply.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): exactly what a slow-response test wants

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: pytest shows failures, not every request."""


def _cost(path: str, query: Query, body: object) -> int:
    """Credits the provider charges for a successful call (odds-api.md's cost column)."""
    if path.endswith("/scores"):
        return scores_call_cost(1 if query.get("daysFrom") else None)
    if body == []:
        return 0
    markets = _count(query.get("markets", "h2h"))
    return odds_call_cost(
        markets,
        regions=_count(query.get("regions", "")),
        bookmakers=_count(query.get("bookmakers", "")),
    )


def _count(csv: str) -> int:
    return len([part for part in csv.split(",") if part.strip()])


def _raw_bytes(body: object) -> bytes:
    if isinstance(body, bytes):
        return body
    return str(body if body is not None else "").encode()


def _content_type(data: bytes, raw: bool) -> str:
    if raw and data.lstrip().startswith(b"<"):
        return "text/html; charset=utf-8"
    return "application/json"
