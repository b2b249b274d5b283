"""A minimal Socket.IO client over one WebSocket, speaking to Reflex's event socket as the
compiled frontend does (`utils/state.js`): websocket transport only, the hydrate event in the
CONNECT packet's auth, events as `42/_event,["event", {...}]`, and pongs for the server's pings.

Why not python-socketio's AsyncClient: it needs aiohttp, which PickVs does not install. This
speaks Engine.IO 4 / Socket.IO 5 directly on asyncio streams with wsproto (already installed
with Reflex's python-engineio), so hundreds of players fit in one asyncio process.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import urllib.parse
from collections.abc import Callable
from typing import Any

from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    CloseConnection,
    Ping,
    RejectConnection,
    Request,
    TextMessage,
)

NAMESPACE = "/_event"


class SocketClosed(ConnectionError):
    """The server closed the socket, refused it or the namespace connect."""


class EventSocket:
    """One browser tab's socket: `connect`, `emit`, and `on_event(update)` for every update.

    `on_event` is called from the reader task with each `event` message's payload (the
    StateUpdate: `{"delta": ..., "events": [...]}`); `closed` is set when the socket ends, with
    `close_reason` saying why.
    """

    def __init__(self, host: str, port: int, on_event: Callable[[dict[str, Any]], None]):
        self.host, self.port, self.on_event = host, port, on_event
        self._ws = WSConnection(ConnectionType.CLIENT)
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._task: asyncio.Task[None] | None = None
        self._namespace_ready = asyncio.Event()
        self._accepted = asyncio.Event()
        self.closed = asyncio.Event()
        self.close_reason = ""
        self._text: list[str] = []

    async def connect(self, token: str, auth: dict[str, Any], subprotocol: str) -> None:
        """Open the WebSocket and the `/_event` namespace, carrying `auth` (the hydrate)."""
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        query = urllib.parse.urlencode({"token": token, "EIO": "4", "transport": "websocket"})
        self._send(
            Request(
                host=f"{self.host}:{self.port}",
                target=f"{NAMESPACE}/?{query}",
                subprotocols=[subprotocol],
            )
        )
        self._task = asyncio.create_task(self._read_loop())
        await self._wait(self._accepted)
        self._send_text(f"40{NAMESPACE}," + json.dumps(auth, separators=(",", ":")))
        await self._wait(self._namespace_ready)

    def emit(self, event: dict[str, Any]) -> None:
        """Send one Reflex event (`{"name", "payload", "router_data"}`) as the frontend does."""
        body = json.dumps(["event", event], separators=(",", ":"))
        self._send_text(f"42{NAMESPACE},{body}")

    async def close(self) -> None:
        if not self.closed.is_set() and self._writer is not None:
            with contextlib.suppress(Exception):
                self._send_text(f"41{NAMESPACE},")
                self._send(CloseConnection(code=1000))
                await self._writer.drain()
        self._finish("closed by client")
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(Exception):
                await self._writer.wait_closed()

    # --- internals ------------------------------------------------------------------------

    async def _wait(self, ready: asyncio.Event) -> None:
        done, _ = await asyncio.wait(
            [asyncio.create_task(ready.wait()), asyncio.create_task(self.closed.wait())],
            return_when=asyncio.FIRST_COMPLETED,
        )
        for task in done:
            task.result()
        if not ready.is_set():
            raise SocketClosed(self.close_reason)

    def _send(self, event: Any) -> None:
        assert self._writer is not None
        self._writer.write(self._ws.send(event))

    def _send_text(self, text: str) -> None:
        self._send(TextMessage(data=text))

    def _finish(self, reason: str) -> None:
        if not self.closed.is_set():
            self.close_reason = reason
            self.closed.set()

    async def _read_loop(self) -> None:
        assert self._reader is not None
        try:
            while not self.closed.is_set():
                data = await self._reader.read(65536)
                if not data:
                    self._finish("connection lost")
                    return
                self._ws.receive_data(data)
                for event in self._ws.events():
                    self._handle(event)
        except (ConnectionError, OSError) as exc:
            self._finish(f"connection error: {exc}")

    def _handle(self, event: Any) -> None:
        if isinstance(event, AcceptConnection):
            self._accepted.set()
        elif isinstance(event, RejectConnection):
            self._finish(f"websocket refused ({event.status_code})")
        elif isinstance(event, Ping):
            self._send(event.response())
        elif isinstance(event, CloseConnection):
            self._finish(f"closed by server ({event.code} {event.reason})")
        elif isinstance(event, TextMessage):
            self._text.append(event.data)
            if event.message_finished:
                message, self._text = "".join(self._text), []
                self._engine_packet(message)

    def _engine_packet(self, message: str) -> None:
        kind, body = message[:1], message[1:]
        if kind == "2":  # Engine.IO ping: answer at once or the server drops us
            self._send_text("3")
        elif kind == "1":
            self._finish("closed by server (engine.io close)")
        elif kind == "4":
            self._socket_packet(body)

    def _socket_packet(self, body: str) -> None:
        kind, rest = body[:1], body[1:]
        prefix = f"{NAMESPACE},"
        rest = rest.removeprefix(prefix)
        if kind == "0":
            self._namespace_ready.set()
        elif kind == "1":
            self._finish("namespace disconnected by server")
        elif kind == "4":
            self._finish(f"namespace connect refused: {rest}")
        elif kind == "2":
            name, *args = json.loads(rest)
            if name == "event" and args:
                self.on_event(args[0])
