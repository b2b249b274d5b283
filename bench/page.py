"""Page weight: the slate's cold load to interactive, and the bytes it costs next to a blank app.

Both apps are production builds served by `reflex run --env prod` on loopback, built in this run:
PickVs on a scratch SQLite database with the 12-game slate (each card with its lines' age and a
moved spread, from two fetches), a game of today in play (a locked card with a live score and the
player's pick on it, unless the slate day is minutes old) and one logged-in player, and
Reflex's own blank template (`reflex init --template blank`, which needs no network beyond the
npm registry for its packages). Each load is a fresh Chromium context (cold HTTP cache) with the
player's token already in localStorage, as a returning player's browser holds it.

Interactive means the first pick button is on screen and enabled: that happens only once the
page has hydrated over the event socket, verified the token and loaded the slate. Bytes are
everything the load transferred: HTTP responses as encoded on the wire (CDP
`Network.loadingFinished` `encodedDataLength`) plus the event socket's frames both ways, counted
until the network has been quiet for 500 ms.

The ratio of the two apps' load times is the measure that holds across machines: both servers
run at once and the loads take turns (blank, slate, blank, ...), so a machine busy with
something else slows both alike; and one more, untimed, slate load keeps every response body to
check that the game page's chart (its route chunk, the only code drawing `line-chart`) is not
among them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import Browser, Error, Page, Response, sync_playwright

from bench import app, league
from bench.common import Context, Measure, median, scratch_database

# Cold loads per app; the median is reported. Nine, not five: on a 2-core VM a median of five
# loads of the same code ranged 1.12-1.54x within a quarter of an hour.
LOADS = 9
LOAD_TARGET_S = 1.0
RATIO_TARGET = 1.1  # the slate's load to interactive, x the blank app's to hydrated
WEIGHT_TARGET = 1.25  # x the blank app's bytes
BLANK_WEB_DIR = app.ROOT / ".tools" / "bench-blank-web"
VIEWPORT = {"width": 1280, "height": 800}
# When the event socket opened, and when it delivered the update that marks the page hydrated
# (Reflex's `is_hydrated`: the blank app's interactive, as it has no button that waits on the
# backend) and the one carrying the loaded slate (`loaded`), so a slow load can be split into
# the page's own start, the server's answers and rendering.
SOCKET_HOOK = """
(() => {
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const socket = new Native(...args);
    socket.addEventListener("open", () => {
      if (window.__openAt === undefined) window.__openAt = performance.now();
    });
    socket.addEventListener("message", (e) => {
      const data = String(e.data);
      if (window.__hydratedAt === undefined && data.includes('"is_hydrated_rx_state_":true'))
        window.__hydratedAt = performance.now();
      if (window.__loadedAt === undefined && data.includes('"loaded_rx_state_":true'))
        window.__loadedAt = performance.now();
    });
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, Native);
})();
"""


@dataclass(frozen=True)
class Load:
    interactive_s: float
    http_bytes: int
    socket_bytes: int
    requests: int
    opened_s: float | None = None  # the event socket open
    loaded_s: float | None = None  # the update carrying the slate arrived

    @property
    def total(self) -> int:
        return self.http_bytes + self.socket_bytes


def run(ctx: Context) -> Iterable[Measure]:
    loads = ctx.scaled(LOADS, minimum=2)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=app.CHROMIUM, args=app.CHROMIUM_ARGS, headless=True
        )
        try:
            with (
                _blank_app(ctx.workdir) as blank_url,
                _pickvs_app(ctx) as (url, token, first_game, live_game),
            ):
                blank, slate = [], []
                for _ in range(loads):  # in turns, so both apps see the same machine
                    blank.append(_cold_load(browser, blank_url, None, None))
                    slate.append(_cold_load(browser, url, token, first_game))
                chart = _chart_check(browser, url, token, first_game, live_game)
        finally:
            browser.close()
    yield from _measures(slate, blank)
    yield chart


def _measures(slate: list[Load], blank: list[Load]) -> Iterator[Measure]:
    kb = 1024
    seconds = median([load.interactive_s for load in slate])
    yield Measure(
        "page: slate cold load to interactive (12 games, loopback)",
        f"{seconds:.2f} s",
        f"<= {LOAD_TARGET_S:.1f} s",
        seconds <= LOAD_TARGET_S,
        extra=(
            f"median of {len(slate)}, max {max(load.interactive_s for load in slate):.2f} s; "
            "the blank app, to hydrated over its socket: "
            f"{median([load.interactive_s for load in blank]):.2f} s; slate: socket open at "
            f"{_median_of(slate, 'opened_s')}, slate update in at {_median_of(slate, 'loaded_s')}"
            f" (blank: socket open at {_median_of(blank, 'opened_s')})"
        ),
    )
    blank_s = median([load.interactive_s for load in blank])
    times = seconds / blank_s
    yield Measure(
        "page: slate cold load vs the blank app",
        f"{times:.2f}x",
        f"<= {RATIO_TARGET:.1f}x",
        times <= RATIO_TARGET,
        extra=f"medians {seconds:.2f} s vs {blank_s:.2f} s, same run",
    )
    ours, theirs = median([x.total for x in slate]), median([x.total for x in blank])
    ratio = ours / theirs
    first, base = slate[0], blank[0]
    yield Measure(
        "page: slate bytes transferred vs a blank Reflex app",
        f"{ratio:.2f} x ({ours / kb:.0f} KB vs {theirs / kb:.0f} KB)",
        f"<= {WEIGHT_TARGET:.2f} x",
        ratio <= WEIGHT_TARGET,
        extra=(
            f"slate: HTTP {first.http_bytes / kb:.0f} KB in {first.requests} responses + socket "
            f"{first.socket_bytes / kb:.0f} KB; blank: HTTP {base.http_bytes / kb:.0f} KB in "
            f"{base.requests} + socket {base.socket_bytes / kb:.0f} KB"
        ),
    )


def _median_of(loads: list[Load], name: str) -> str:
    values = [v for load in loads if (v := getattr(load, name)) is not None]
    return f"{median(values):.2f} s" if values else "?"


def _cold_load(browser: Browser, url: str, token: str | None, first_game: str | None) -> Load:
    context = browser.new_context(viewport=VIEWPORT, base_url=url)
    try:
        if token is not None:
            # The player's browser already holds the token (AuthState's rx.LocalStorage).
            context.add_init_script(f"localStorage.setItem('pickvs_token', {token!r});")
        context.add_init_script(SOCKET_HOOK)
        page = context.new_page()
        counter = _ByteCounter(page)
        page.goto("/", wait_until="commit")
        if first_game is not None:
            button = f"#game-{first_game} button[aria-pressed]"
            interactive_ms = page.wait_for_function(
                f"""() => {{
                    const b = document.querySelector({button!r});
                    return b && !b.disabled ? performance.now() : false;
                }}""",
                polling="raf",
                timeout=30_000,
            ).json_value()
        else:
            interactive_ms = page.wait_for_function(
                "() => window.__hydratedAt", polling="raf", timeout=30_000
            ).json_value()
        page.wait_for_load_state("networkidle")
        opened, loaded = page.evaluate("() => [window.__openAt ?? null, window.__loadedAt ?? null]")
        return Load(
            interactive_ms / 1000, counter.http, counter.socket, counter.responses,
            opened / 1000 if opened is not None else None,
            loaded / 1000 if loaded is not None else None,
        )  # fmt: skip
    finally:
        context.close()


def _chart_check(
    browser: Browser, url: str, token: str, first_game: str, live_game: str | None
) -> Measure:
    """One more slate load, keeping every response: none may be the game page's route chunk
    or hold its chart's code. Also says whether the cards carried what they should."""
    context = browser.new_context(viewport=VIEWPORT, base_url=url)
    try:
        context.add_init_script(f"localStorage.setItem('pickvs_token', {token!r});")
        page = context.new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        page.goto("/", wait_until="commit")
        page.wait_for_selector(f"#game-{first_game} button[aria-pressed]:not([disabled])")
        page.wait_for_load_state("networkidle")
        shown = page.evaluate(CARDS_SHOWN, live_game or "")
        hits = [r.url.rsplit("/", 1)[-1] for r in responses if _is_chart(r.url, _body(r))]
    finally:
        context.close()
    return Measure(
        "page: the game page's chart code on the slate",
        f"{len(hits)} of {len(responses)} responses",
        "none",
        not hits,
        extra=(
            "checked: no response is the game route's chunk (_game_.*) or holds `line-chart`"
            f"{' (' + ', '.join(hits) + ')' if hits else ''}; cards with a line age {shown[0]}, "
            f"with a move {shown[1]}, live score on the locked card: {shown[2] or 'none'}"
        ),
    )


# The slate's cards that show their lines' age and move, and the live card's score text.
CARDS_SHOWN = """(live) => [
  [...document.querySelectorAll("[id^=lines-from-]")].filter((e) => e.textContent.includes("lines from")).length,
  document.querySelectorAll("[id^=moves-]").length,
  live ? (document.querySelector("#live-" + live)?.innerText ?? "").split("\\n").filter(Boolean).join(" / ") : "",
]"""


def _body(response: Response) -> bytes:
    try:
        return response.body()
    except Error:  # a redirect or a socket upgrade has none
        return b""


def _is_chart(url: str, body: bytes) -> bool:
    return "/_game_." in url or b"line-chart" in body


class _ByteCounter:
    """Bytes on the wire for one page, from the DevTools protocol."""

    def __init__(self, page: Page):
        self.http = self.socket = self.responses = 0
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.on("Network.webSocketFrameSent", self._frame)

    def _finished(self, event: dict) -> None:
        self.http += int(event.get("encodedDataLength", 0))
        self.responses += 1

    def _frame(self, event: dict) -> None:
        self.socket += len(event.get("response", {}).get("payloadData", "").encode())


@contextmanager
def _blank_app(workdir: Path) -> Iterator[str]:
    """Reflex's blank template, initialised and served in production mode."""
    root = workdir / "blankapp"
    root.mkdir(exist_ok=True)
    port = app.free_port()
    env = app.server_env(port, BLANK_WEB_DIR, workdir / "blank-states")
    if not (root / "rxconfig.py").exists():
        subprocess.run(
            [sys.executable, "-m", "reflex", "init", "--template", "blank", "--loglevel", "info"],
            cwd=root, env=env, check=True, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, timeout=app.START_TIMEOUT,
        )  # fmt: skip
    try:
        with app.running(root, port, env, workdir / "blank-server.log", expect="") as server:
            yield server.url
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def _pickvs_app(ctx: Context) -> Iterator[tuple[str, str, str, str | None]]:
    """PickVs with today's 12 games, a game in play and one player: (url, the player's token,
    the first open game, the game in play or None)."""
    secret, now = league.new_secret(), datetime.now(UTC)
    with scratch_database("sqlite", ctx.workdir) as url:
        games = league.seed_slate(url, now, ctx.seed, moves=True)
        (token,) = league.seed_players(url, 1, now, secret)
        live_game = league.seed_live_game(url, now, ctx.seed, "bench0000")
        with app.pickvs_served(ctx.workdir, url, secret, "page") as server:
            yield server.url, token, games[0], live_game
