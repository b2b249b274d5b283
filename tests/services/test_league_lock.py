"""fetch-odds and process-results take turns writing games, so PostgreSQL never has to abort
one of them as a deadlock when both fire in the same second (several workers)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from pickvs.odds.records import ParsedScores
from pickvs.services import results
from tests.services.builders import Book, event, ingest_events, utc

FETCH = utc("2026-11-22T10:00")


# SQLite admits one writer at a time by itself; the lock is PostgreSQL's.
@pytest.mark.parametrize("backend", ["postgresql"])
def test_scores_wait_while_an_odds_fetch_is_being_written(engine: Engine) -> None:
    with Session(engine) as odds, Session(engine) as scores:
        ingest_events(odds, FETCH, event("g1", utc("2026-11-23T00:40"), Book("draftkings")))
        # The odds transaction is still open: the scores writer must wait for it, not interleave.
        scores.execute(text("SET LOCAL lock_timeout = '300ms'"))
        with pytest.raises(OperationalError, match="lock timeout"):
            results.apply_scores(scores, ParsedScores([], []), "basketball_nba", FETCH, 1)
        scores.rollback()
        odds.commit()
        # Once the fetch is written, the scores writer goes ahead.
        scores.execute(text("SET LOCAL lock_timeout = '300ms'"))
        report = results.apply_scores(scores, ParsedScores([], []), "basketball_nba", FETCH, 1)
        scores.commit()
    assert report.finals == 0
