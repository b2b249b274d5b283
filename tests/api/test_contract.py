"""The JSON API keeps its OpenAPI contract: schemathesis, every check, over real HTTP.

The test's app (its own clock, on SQLite and on PostgreSQL) is served by uvicorn on loopback
with a player and games whose lines make picks possible; `st run` then generates requests from
the app's OpenAPI document (valid and invalid ones, with and without the token, undeclared
methods, stateful sequences through the document's links) and checks every answer against it:
status codes, bodies, headers, content types, that valid requests are accepted and invalid ones
refused, and that a route needing a token refuses callers without one. It runs in the main
pytest invocation (marked slow), about 1.5 minutes per database.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pickvs.api.schemas import EXAMPLE_GAME_ID
from pickvs.domain.clock import FixedClock
from tests.api.helpers import celtics_game, lakers_game, pick, register, serve

ROOT = Path(__file__).resolve().parents[2]
HOOKS = Path(__file__).with_name("contract_hooks.py")
SEED = 20261204  # fixed: a failure reproduces with the same requests
MAX_EXAMPLES = 40  # per operation and phase; about a minute per database on two shared cores

pytestmark = pytest.mark.slow

# An allowance, for making picks: whether a pick's `selection` names a side depends on the
# game it names (its two teams), which no schema of the request can state. The document says
# so in the field's description and declares the 422; every other check keeps its defaults.
#
# For the leagues, more of the same kind: a price window whose shortest end pays more than its
# longest is refused with 422 (two fields compared, which no schema states; both fields'
# descriptions say so, on creating and on changing a league, where the other end may be the
# stored one), as is an owner removing themself (which depends on who calls).
ALLOW_422 = """checks.positive_data_acceptance.expected-statuses = [
    "2xx", "401", "403", "404", "409", "422", "429",
]
"""
ALLOWANCES = ("submit_picks", "create_league", "update_league", "remove_member")
# The stateful phase follows the links the document declares (a league's links lead from its
# creation to reading, ranking, listing and changing it), not links schemathesis guesses from
# parameter names: a guessed link from creating a league to handing it over, with a made-up
# username, reads that 404 ("not a member") as the new league missing. A check cannot be turned
# off for one operation while `--checks all` is given.
CONFIG = (
    "".join(
        f'\n[[operations]]\ninclude-operation-id = "{operation}"\n{ALLOW_422}'
        for operation in ALLOWANCES
    )
    + '\n[phases.stateful.inference]\nalgorithms = ["location-headers"]\n'
)


class StatusLog:
    """ASGI wrapper counting the answers by (method, path, status): shows that the generated
    requests reached the routes' real work, not only their refusals."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.seen: Counter[tuple[str, str, int]] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def counting(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.seen[(scope["method"], scope["path"], message["status"])] += 1
            await send(message)

        await self.app(scope, receive, counting)

    def answered(self, method: str, path: str, status: int) -> bool:
        return any((m, s) == (method, status) and re.fullmatch(path, p) for m, p, s in self.seen)


@pytest.fixture
def status_log(app: FastAPI) -> StatusLog:
    return StatusLog(app)


@pytest.fixture
def server_url(status_log: StatusLog) -> Iterator[str]:
    """The test's app, its answers logged, over real HTTP on loopback."""
    with serve(status_log) as url:
        yield url


def seed_league(url: str, clock: FixedClock, spec: dict[str, Any]) -> str:
    """Two open games with lines, one under the documented example game id, and the player of
    the documented sign-up example holding one pick: the documented example requests (a pick,
    a log-in) succeed, so the run reaches the routes' real work. Returns the player's token."""
    celtics_game(clock, game_id=EXAMPLE_GAME_ID)
    lakers_game(clock)
    with httpx.Client(base_url=url, timeout=30) as http:
        fields = spec["components"]["schemas"]["RegisterIn"]
        example = {name: field["examples"][0] for name, field in fields["properties"].items()}
        registered = http.post("/auth/register", json=example)
        assert registered.status_code == 201, registered.text
        token = str(registered.json()["token"])
        made = pick(http, token, ("g-lal", "totals", "over"))
        assert made.status_code == 201, made.text
    return token


def st_command() -> list[str]:
    found = shutil.which("st", path=str(Path(sys.executable).parent)) or shutil.which("st")
    assert found, "schemathesis is missing: pip install -e '.[test]'"
    return [found]


def run_schemathesis(
    spec: dict[str, Any], url: str, token: str, work: Path, *selection: str
) -> subprocess.CompletedProcess[str]:
    """`st run` on the app's document (written to a file, so the test does not depend on the
    app publishing it) against the served API."""
    document = work / "openapi.json"
    document.write_text(json.dumps(spec))
    config = work / "schemathesis.toml"
    config.write_text(CONFIG)
    command = [
        *st_command(),
        "--config-file",
        str(config),
        "run",
        str(document),
        "--url",
        url,
        *selection,
        "--checks",
        "all",
        "--header",
        f"Authorization: Bearer {token}",
        "--seed",
        str(SEED),
        "--max-examples",
        str(MAX_EXAMPLES),
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--request-timeout",
        "30",
        # How fast data is generated on a busy machine says nothing about the contract.
        "--suppress-health-check",
        "too_slow",
        "--no-color",
    ]
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": str(HOOKS),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "COLUMNS": "100",
    }
    # Its own directory: schemathesis keeps replay files in the working directory.
    return subprocess.run(
        command, cwd=work, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def summary(output: str) -> str:
    """From schemathesis' SUMMARY banner to the end."""
    match = re.search(r"^=+ SUMMARY =+$", output, re.MULTILINE)
    return output[match.start() :] if match else output[-3000:]


# Run on their own, last: logging out revokes the token a run's requests carry.
LOGOUT_PATHS = "^/auth/logout"

# Answers the run must have produced: the routes' work done, not only refusals.
REACHED = [
    ("POST", "/auth/register", 201),
    ("POST", "/auth/login", 200),
    ("POST", "/auth/login", 401),
    ("GET", "/api/games/upcoming", 200),
    ("POST", "/api/picks", 201),
    ("DELETE", "/api/picks/[0-9]+", 204),
    ("GET", "/api/picks/me", 200),
    ("GET", "/api/games/[^/]+/picks", 403),
    ("GET", "/api/leaderboard", 200),
    ("POST", "/api/leagues", 201),
    ("GET", "/api/leagues", 200),
    ("GET", "/api/leagues/[0-9]+/board", 200),
    ("GET", "/api/picks/me.csv", 200),
]


def test_the_api_keeps_its_openapi_contract(
    app: FastAPI,
    server_url: str,
    status_log: StatusLog,
    clock: FixedClock,
    tmp_path: Path,
    backend: str,
) -> None:
    spec = app.openapi()
    token = seed_league(server_url, clock, spec)
    logouts = [path for path in spec["paths"] if re.match(LOGOUT_PATHS, path)]
    # Everything but logging out, which would revoke the token the other requests carry.
    first = tmp_path / "all-but-logout"
    first.mkdir()
    result = run_schemathesis(spec, server_url, token, first, "--exclude-path-regex", LOGOUT_PATHS)
    print(f"schemathesis on {backend}:\n{summary(result.stdout)}")
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    missed = [answer for answer in REACHED if not status_log.answered(*answer)]
    assert not missed, f"never answered: {missed}; seen: {sorted(status_log.seen)}"
    if logouts:  # then logging out, with a player of its own
        second = tmp_path / "logout"
        second.mkdir()
        with httpx.Client(base_url=server_url, timeout=30) as http:
            own = register(http, "leaver")
        result = run_schemathesis(
            spec,
            server_url,
            own,
            second,
            "--include-path-regex",
            LOGOUT_PATHS,
            "--phases",
            "examples,coverage,fuzzing",  # no links among these alone
        )
        print(f"schemathesis on {backend}, {logouts}:\n{summary(result.stdout)}")
        assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
