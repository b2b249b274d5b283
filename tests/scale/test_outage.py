"""A database outage while the app runs: the production backend (`reflex run --env prod
--backend-only`, the JSON API mounted in it, the scheduler running) against a PostgreSQL cluster
of the test's own, which the test stops (`pg_ctl stop -m fast`) and starts again.

During the outage every request answers within the connect retry's bound with JSON 503, never a
500 or a hang; afterwards, without restarting the app, everything answers again and the player
and pick made before the outage are still there.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from pickvs import db, migrations
from tests.scale.apps import Reply, Server, call, start_server
from tests.scale.cluster import Cluster, free_port
from tests.services.builders import PASSWORD, Book, make_game

pytestmark = [pytest.mark.scale, pytest.mark.timeout(300)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
UNAVAILABLE = "The database is unavailable; try again soon."
# The connect retry waits 3.5 s before giving up; a request may connect twice (pre-ping, then a
# fresh connection), so 10 s is "quickly" with room for a loaded CI machine, and far from a hang.
ANSWER_WITHIN = 10.0
GAME = f"outage-{uuid.uuid4().hex[:6]}"


@pytest.fixture(scope="module")
def database_url(cluster: Cluster) -> str:
    url = cluster.create_database("pickvs_outage")
    engine = db.make_engine(url)
    try:
        migrations.upgrade(engine)
        with Session(engine) as session:
            make_game(session, GAME, datetime.now(UTC) + timedelta(hours=3), Book(h2h=(-150, 130)))
            session.commit()
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(
        port=free_port(),
        database_url=database_url,
        work=tmp_path_factory.mktemp("outage-app"),
        log_path=ARTIFACTS / "scale-outage-server.log",
        backend_only=True,
        timeout=180,
    )
    yield running
    running.stop()


def assert_unavailable(reply: Reply) -> None:
    assert reply.status == 503, reply
    assert reply.seconds < ANSWER_WITHIN, reply
    assert reply.body == {"detail": UNAVAILABLE}, reply
    assert reply.headers.get("retry-after") == "5", reply
    print(f"during the outage: 503 in {reply.seconds:.2f}s")


def test_an_outage_answers_503_quickly_loses_nothing_and_heals_itself(
    server: Server, cluster: Cluster
) -> None:
    username = f"o{uuid.uuid4().hex[:10]}"
    registered = call(
        f"{server.url}/auth/register",
        "POST",
        {"email": f"{username}@example.com", "username": username, "password": PASSWORD},
    )
    assert registered.status == 201, registered
    token = registered.body["token"]
    made = call(
        f"{server.url}/api/picks",
        "POST",
        [{"game_id": GAME, "market": "h2h", "selection": "Milwaukee Bucks"}],
        token,
    )
    assert made.status == 201, made
    assert call(f"{server.url}/health").status == 200

    cluster.stop("fast")
    try:
        health = call(f"{server.url}/health")
        assert health.status == 503 and health.seconds < ANSWER_WITHIN, health
        assert health.body["database"]["ok"] is False
        assert health.body["database"]["error"] == "OperationalError"
        assert health.body["status"] == "degraded"
        assert health.body["scheduler"]["running"] is True  # the app itself is still up
        assert_unavailable(call(f"{server.url}/api/picks/me", token=token))
        assert_unavailable(call(f"{server.url}/api/leaderboard"))
        assert_unavailable(call(f"{server.url}/api/games/upcoming", token=token))
        late = f"l{uuid.uuid4().hex[:10]}"
        assert_unavailable(
            call(
                f"{server.url}/auth/register",
                "POST",
                {"email": f"{late}@example.com", "username": late, "password": PASSWORD},
            )
        )
        assert_unavailable(
            call(
                f"{server.url}/api/picks",
                "POST",
                [{"game_id": GAME, "market": "spreads", "selection": "Milwaukee Bucks"}],
                token,
            )
        )
        assert server.process.poll() is None
    finally:
        cluster.start()

    # The same process, no restart: the pool's dead connections are replaced on first use.
    healed = call(f"{server.url}/health")
    assert healed.status == 200, healed
    print(f"after the restart: /health 200 in {healed.seconds:.2f}s, no app restart")
    assert healed.body["database"]["ok"] is True
    mine = call(f"{server.url}/api/picks/me", token=token)
    assert mine.status == 200, mine
    assert [(p["game_id"], p["market"], p["selection"]) for p in mine.body] == [
        (GAME, "h2h", "Milwaukee Bucks")
    ]
    # Nothing half-written by the refused requests: the late player does not exist, the pick
    # refused mid-outage was not made, and both can be done now.
    login = call(f"{server.url}/auth/login", "POST", {"username": late, "password": PASSWORD})
    assert login.status == 401, login
    again = call(
        f"{server.url}/api/picks",
        "POST",
        [{"game_id": GAME, "market": "spreads", "selection": "Milwaukee Bucks"}],
        token,
    )
    assert again.status == 201, again
    board = call(f"{server.url}/api/leaderboard")
    assert board.status == 200 and username in {row["username"] for row in board.body}
    assert " 500 " not in server.log_text()
