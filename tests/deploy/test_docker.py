"""The image itself: built by Docker from the Dockerfile, run as a container, stopped, restarted.

test_container.py runs the image's scripts without an engine; this builds the real image
(on python:3.11-slim, or the stand-in scripts/docker-base.sh makes where no registry answers)
and drives the running container: its health check, a player signing up and picking in
Chromium, the files in the /data volume kept from other users, `docker stop` exiting 0 and a
restart keeping the player. Without a Docker daemon the module is skipped with one line.

    python -m pytest -m docker tests/deploy/test_docker.py      (scripts/test.sh does)
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from bench.app import CHROMIUM, CHROMIUM_ARGS
from tests.deploy.conftest import ARTIFACTS, START_LIMIT, http
from tests.deploy.docker_image import (
    Container,
    DockerUnavailable,
    Image,
    base_image,
    build_image,
    choose_port,
    daemon_version,
    listening_addresses,
)
from tests.reporting import report_line

pytestmark = [pytest.mark.deploy, pytest.mark.docker]

PLAYER = {"email": "erin@example.com", "username": "erin", "password": "kept-in-the-volume"}
# The picked game must stay open while the test runs.
OPEN_FOR_AT_LEAST = timedelta(minutes=15)
LOOPBACK_V4 = "0100007F"  # 127.0.0.1 as /proc/net/tcp writes it


@pytest.fixture(scope="module")
def image(pytestconfig: pytest.Config) -> Image:
    """The image, built once for this module (layers cached by the daemon between runs)."""
    try:
        version = daemon_version()
    except DockerUnavailable as exc:
        if os.environ.get("CI") == "true":  # test.sh starts a daemon in CI: a skip would hide it
            pytest.fail(f"Docker image not built or tested in CI: {exc}", pytrace=False)
        pytest.skip(f"Docker image not built or tested: {exc}")
    base = base_image()
    built = build_image(choose_port(), base, ARTIFACTS / "docker-build.log")
    report_line(
        pytestconfig,
        f"docker build on {base} (engine {version}): {built.build_seconds:.0f}s, "
        f"serving on 127.0.0.1:{built.port}",
    )
    return built


@pytest.fixture
def container(image: Image) -> Iterator[Container]:
    app = Container(image)
    try:
        yield app
    finally:
        app.remove()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def an_open_game(url: str) -> dict:
    """A demo game with a moneyline that stays open for the whole test."""
    status, games = http("GET", f"{url}/api/games/upcoming")
    assert status == 200, games
    soon_enough = datetime.now(UTC) + OPEN_FOR_AT_LEAST
    for game in games:
        tip = datetime.fromisoformat(game["commence_time"].replace("Z", "+00:00"))
        if game["status"] == "scheduled" and tip > soon_enough and "h2h" in game["lines"]:
            return game
    raise AssertionError(f"the demo league has no open game with a moneyline: {games}")


def sign_up_and_pick(page: Page, game: dict) -> str:
    """Sign up in the page, land on the slate, pick the visitors' moneyline; returns the team."""
    page.goto("/signup")
    page.get_by_label("Email").fill(PLAYER["email"])
    page.get_by_label("Username").fill(PLAYER["username"])
    page.get_by_label("Password").fill(PLAYER["password"])
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page.locator("#nav-username")).to_have_text(PLAYER["username"], timeout=20_000)
    expect(page.get_by_role("heading", name="Today's slate", level=1)).to_be_visible()

    team = game["away_team"]
    card = page.locator(f"#game-{game['id']}")
    button = card.get_by_role("button", name=re.compile(rf"^Pick {re.escape(team)} moneyline"))
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(card.get_by_role("status")).to_contain_text(f"Picked {team}")
    return team


def log_in(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("Username or email").fill(PLAYER["username"])
    page.get_by_label("Password").fill(PLAYER["password"])
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.locator("#nav-username")).to_have_text(PLAYER["username"], timeout=20_000)


def loose_files(app: Container) -> list[str]:
    """Anything under /data that its group or other users may read, write or enter."""
    return app.exec("find", "/data", "-perm", "/077").split()


def modes(app: Container) -> dict[str, str]:
    out = app.exec("stat", "-c", "%n %a %U", "/data", "/data/pickvs.db", "/data/secret_key")
    return {name: f"{mode} {owner}" for name, mode, owner in map(str.split, out.splitlines())}


def api_picks(url: str) -> list[dict]:
    status, body = http(
        "POST",
        f"{url}/auth/login",
        {"username": PLAYER["username"], "password": PLAYER["password"]},
    )
    assert status == 200, body
    status, picks = http("GET", f"{url}/api/picks/me", token=body["token"])
    assert status == 200, picks
    return picks


def test_the_container_serves_a_player_stops_clean_and_keeps_the_data(
    container: Container, browser: Browser, pytestconfig: pytest.Config
) -> None:
    def report(line: str) -> None:
        report_line(pytestconfig, f"docker: {line}")

    app = container
    first = app.run()
    report(f"docker run: /health after {first:.1f}s (migrate, key, demo league)")
    assert first < START_LIMIT
    # Served on loopback only, although the container shares the host's network.
    assert listening_addresses(app.image.port) == {LOOPBACK_V4}
    # The image's own HEALTHCHECK command works (the engine marks the container healthy).
    assert app.wait_docker_health() == "healthy", app.inspect("{{json .State.Health}}")
    assert app.exec("id", "-un").strip() == "pickvs"

    game = an_open_game(app.url)
    context = browser.new_context(base_url=app.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    started = time.monotonic()
    team = sign_up_and_pick(page, game)
    report(f"sign-up, slate and a pick in Chromium: {time.monotonic() - started:.1f}s")
    context.close()
    assert errors == []
    picks = api_picks(app.url)
    assert [(p["game_id"], p["market"], p["selection"]) for p in picks] == [
        (game["id"], "h2h", team)
    ]

    # Emails, password hashes and the signing key: the app's user only.
    assert modes(app) == {
        "/data": "700 pickvs",
        "/data/pickvs.db": "600 pickvs",
        "/data/secret_key": "600 pickvs",
    }
    assert loose_files(app) == []

    code, took = app.stop()
    report(f"docker stop: exit {code} after {took:.1f}s")
    assert code == 0
    assert app.inspect("{{.State.OOMKilled}}") == "false"

    again = app.start()
    report(f"docker start: /health after {again:.1f}s")
    assert again < START_LIMIT
    # The same player, their pick and the same key (the earlier session still logs in).
    context = browser.new_context(base_url=app.url)
    log_in(context.new_page())
    context.close()
    assert [p["game_id"] for p in api_picks(app.url)] == [game["id"]]
    assert loose_files(app) == []

    code, _ = app.stop()
    assert code == 0
