"""Twenty simultaneous submissions of the same pick, over real HTTP on PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter

import httpx
import pytest

from pickvs.domain.clock import FixedClock
from tests.api.helpers import BOS, bearer, celtics_game, pick_rows

THREADS = 20


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_same_pick_from_twenty_threads_is_saved_once(server_url: str, clock: FixedClock) -> None:
    celtics_game(clock)
    with httpx.Client(base_url=server_url, timeout=60) as http:
        registered = http.post(
            "/auth/register",
            json={"email": "ann@example.com", "username": "ann", "password": "correct-horse"},
        )
        assert registered.status_code == 201
        headers = bearer(registered.json()["token"])

    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []
    bodies: list[dict] = []
    lock = threading.Lock()

    def submit() -> None:
        with httpx.Client(base_url=server_url, timeout=60) as http:
            barrier.wait()
            response = http.post(
                "/api/picks",
                json=[{"game_id": "g-bos", "market": "h2h", "selection": BOS}],
                headers=headers,
            )
        with lock:
            statuses.append(response.status_code)
            bodies.append(response.json())

    threads = [threading.Thread(target=submit) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert Counter(statuses) == {201: 1, 409: THREADS - 1}, bodies
    assert all(isinstance(body.get("detail"), str) for body in bodies if "detail" in body)
    [row] = pick_rows()
    assert (row.selection, row.price, row.bookmaker) == (BOS, -180, "draftkings")
