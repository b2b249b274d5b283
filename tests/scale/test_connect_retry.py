"""The engine's bounded retry on connect: a server that is down fails after the last attempt
with the driver's error; one that comes up a moment later is reached without the caller seeing
a failure; pooled connections the server dropped are replaced by the pre-ping."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from pickvs import db
from tests.scale.cluster import Cluster, free_port

pytestmark = pytest.mark.scale

ALL_DELAYS = sum(db.CONNECT_RETRY_DELAYS)  # 3.5 s


def select_one(url: str) -> int:
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("select 1")).scalar_one())
    finally:
        engine.dispose()


def retry_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "pickvs.db"]


def test_a_closed_port_fails_after_every_attempt_with_the_drivers_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="pickvs.db")
    started = time.monotonic()
    with pytest.raises(OperationalError, match="Connection refused"):
        select_one(f"postgresql://postgres@127.0.0.1:{free_port()}/postgres")
    elapsed = time.monotonic() - started
    assert ALL_DELAYS <= elapsed < ALL_DELAYS + 3  # bounded: the backoff, nothing more
    warnings = retry_warnings(caplog)
    assert [w.split(" failed")[0] for w in warnings] == [
        "database connect attempt 1",
        "database connect attempt 2",
        "database connect attempt 3",
    ]
    assert "retrying in 0.5s" in warnings[0] and "retrying in 2.0s" in warnings[2]


def test_a_server_coming_up_a_moment_later_is_reached(
    cluster: Cluster, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="pickvs.db")
    cluster.stop()
    starter = threading.Timer(0.7, cluster.start)  # down for the first attempt, up soon after
    starter.start()
    try:
        started = time.monotonic()
        assert select_one(cluster.admin_url) == 1
        elapsed = time.monotonic() - started
    finally:
        starter.join()
    assert retry_warnings(caplog), "the first attempt should have met a stopped server"
    assert 0.5 <= elapsed < ALL_DELAYS + 1


def test_pooled_connections_dropped_by_a_restart_are_replaced(cluster: Cluster) -> None:
    engine = db.make_engine(cluster.admin_url)
    try:
        with engine.connect() as conn:
            before = conn.execute(text("select pg_backend_pid()")).scalar_one()
        assert engine.pool.checkedin() == 1  # a pooled connection to a backend that will die
        cluster.stop()
        cluster.start()
        with engine.connect() as conn:
            after = conn.execute(text("select pg_backend_pid()")).scalar_one()
        assert after != before
    finally:
        engine.dispose()
