"""Odds ingestion: games upserted by provider id, lines appended as history, bad rows noted."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from pickvs.domain.clock import FixedClock
from pickvs.domain.locks import is_open, open_clause
from pickvs.models import DataIssue, Game, OddsLine
from pickvs.odds.records import IssueRecord, LineRecord
from pickvs.services import jobruns
from pickvs.services.errors import BatchRejected, Conflict
from pickvs.services.lines import current_boards
from pickvs.services.picks import PickPolicy
from tests.services.builders import (
    POLICY,
    Book,
    event,
    ingest_events,
    make_picks,
    make_user,
    utc,
)

TIP = utc("2026-11-23T00:40")  # 7:40 pm Eastern on Nov 22
FETCH = utc("2026-11-22T10:00")
H = timedelta(hours=1)
POLICY_30 = PickPolicy(lock_minutes=30, bookmakers=POLICY.bookmakers)


def count(session: Session, model: type) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_new_games_and_their_lines(session: Session) -> None:
    report = ingest_events(
        session,
        FETCH,
        event("g1", TIP, Book("draftkings"), Book("fanduel")),
        event(
            "g2",
            utc("2026-11-23T03:10"),
            Book("draftkings"),
            home="Los Angeles Lakers",
            away="Phoenix Suns",
        ),
    )
    session.commit()
    # 2 books x 3 markets x 2 sides for g1, 1 book x 6 for g2.
    assert (report.games_new, report.games_updated, report.lines, report.in_play) == (2, 0, 18, 0)
    g1 = session.get(Game, "g1")
    assert g1 is not None
    assert (g1.home_team, g1.away_team, g1.status, g1.sport) == (
        "Boston Celtics",
        "Milwaukee Bucks",
        "scheduled",
        "basketball_nba",
    )
    assert g1.commence_time == TIP and g1.commence_time.tzinfo is not None
    assert g1.last_seen_at == FETCH
    assert count(session, OddsLine) == 18
    spread = session.execute(
        select(OddsLine).where(
            OddsLine.game_id == "g1",
            OddsLine.bookmaker == "fanduel",
            OddsLine.market == "spreads",
            OddsLine.outcome == "Milwaukee Bucks",
        )
    ).scalar_one()
    assert (spread.price, spread.point, spread.fetched_at) == (-110, 4.5, FETCH)


def test_a_game_without_bookmakers_is_still_a_game(session: Session) -> None:
    bare = replace(event("g1", TIP), lines=())
    report = ingest_events(session, FETCH, bare)
    assert (report.games_new, report.lines) == (1, 0)
    assert current_boards(session, [session.get(Game, "g1")]) == {}


def test_changed_commence_time_and_team_spelling_update_the_game(session: Session) -> None:
    ingest_events(session, FETCH, event("g1", TIP))
    later = utc("2026-11-23T01:10")
    report = ingest_events(
        session,
        utc("2026-11-22T16:00"),
        event("g1", later, home="Boston Celtics ", away="Milwaukee Bucks"),
    )
    assert (report.games_new, report.games_updated) == (0, 1)
    ingest_events(
        session, utc("2026-11-22T17:00"), event("g1", later, home="Celtics", away="Bucks")
    )
    session.commit()
    session.expire_all()
    game = session.get(Game, "g1")
    assert game is not None
    assert (game.commence_time, game.home_team, game.away_team) == (later, "Celtics", "Bucks")
    assert game.updated_at == utc("2026-11-22T17:00")
    assert count(session, Game) == 1
    # An unchanged game is seen, not updated.
    report = ingest_events(
        session, utc("2026-11-22T18:00"), event("g1", later, home="Celtics", away="Bucks")
    )
    assert report.games_updated == 0
    assert game.last_seen_at == utc("2026-11-22T18:00")
    assert game.updated_at == utc("2026-11-22T17:00")


def test_a_game_that_has_tipped_never_reopens_when_the_feed_moves_it_later(
    session: Session,
) -> None:
    """Everyone's picks were shown at the old tip-off, so a later time must not reopen picks."""
    ingest_events(session, FETCH, event("g1", TIP))
    after_tip = TIP + timedelta(minutes=5)
    ingest_events(session, after_tip, event("g1", TIP + timedelta(minutes=20)))
    session.commit()
    game = session.get(Game, "g1")
    assert game is not None
    assert (game.status, game.commence_time) == ("in_progress", TIP + timedelta(minutes=20))
    assert not is_open(game.status, game.commence_time, after_tip)
    # Before tip-off a move is just a new time: the game stays open.
    ingest_events(session, FETCH, event("g2", TIP))
    ingest_events(session, FETCH + timedelta(hours=1), event("g2", TIP + timedelta(hours=1)))
    session.commit()
    g2 = session.get(Game, "g2")
    assert g2 is not None and g2.status == "scheduled"


LOCK = 30  # PICKVS_LOCK_MINUTES: picks on a 7:40 pm game close, and show, at 7:10 pm


def test_a_game_inside_its_lock_window_never_reopens_when_the_feed_moves_it_later(
    session: Session,
) -> None:
    """Once locked, never reopened: at 7:20 pm everyone's picks on the 7:40 pm game have been
    shown for ten minutes, so the feed moving tip-off to 8:10 pm (lock 7:40 pm) must leave it
    locked, at that fetch and at every fetch after it."""
    clock = FixedClock(FETCH)
    ingest_events(session, clock.now(), event("g1", TIP), lock_minutes=LOCK)
    alice = make_user(session, "alice", clock.now())
    clock.set(TIP - timedelta(minutes=LOCK + 1))  # 7:09 pm: still open, alice picks
    make_picks(session, alice, clock.now(), ("g1", "h2h", "Boston Celtics"), policy=POLICY_30)
    clock.set(TIP - timedelta(minutes=20))  # 7:20 pm: locked since 7:10 pm
    report = ingest_events(
        session, clock.now(), event("g1", TIP + timedelta(minutes=30)), lock_minutes=LOCK
    )
    session.commit()
    game = session.get(Game, "g1")
    assert game is not None and report.games_updated == 1
    assert (game.status, game.commence_time) == ("in_progress", TIP + timedelta(minutes=30))
    assert not is_open(game.status, game.commence_time, clock.now(), LOCK)
    # A later fetch moves it later again: still locked, and nobody can pick or change a pick.
    clock.set(TIP - timedelta(minutes=5))
    ingest_events(session, clock.now(), event("g1", TIP + H), lock_minutes=LOCK)
    session.commit()
    assert (game.status, game.commence_time) == ("in_progress", TIP + H)
    assert open_games(session, clock.now()) == []
    with pytest.raises(BatchRejected) as refused:
        make_picks(session, alice, clock.now(), ("g1", "h2h", "Milwaukee Bucks"), policy=POLICY_30)
    assert [type(error) for _, error in refused.value.errors] == [Conflict]


def test_a_move_before_the_lock_window_is_only_a_new_time(session: Session) -> None:
    """At 7:09 pm the 7:40 pm game has not locked (7:10 pm): a later tip-off keeps it open."""
    ingest_events(session, FETCH, event("g1", TIP), lock_minutes=LOCK)
    at = TIP - timedelta(minutes=LOCK + 1)
    ingest_events(session, at, event("g1", TIP + H), lock_minutes=LOCK)
    session.commit()
    game = session.get(Game, "g1")
    assert game is not None
    assert (game.status, game.commence_time) == ("scheduled", TIP + H)
    assert is_open(game.status, game.commence_time, at, LOCK)
    assert open_games(session, at) == ["g1"]


def open_games(session: Session, now: datetime) -> list[str]:
    """The games the slate and the API offer for picks (`locks.open_clause`)."""
    stmt = select(Game.id).where(open_clause(Game.status, Game.commence_time, now, LOCK))
    return list(session.execute(stmt.order_by(Game.id)).scalars())


def test_odds_are_appended_as_history_never_overwritten(session: Session) -> None:
    ingest_events(session, FETCH, event("g1", TIP, Book(h2h=(-180, 150))))
    ingest_events(session, utc("2026-11-22T16:00"), event("g1", TIP, Book(h2h=(-200, 170))))
    session.commit()
    prices = session.execute(
        select(OddsLine.fetched_at, OddsLine.price)
        .where(OddsLine.market == "h2h", OddsLine.outcome == "Milwaukee Bucks")
        .order_by(OddsLine.fetched_at)
    ).all()
    assert [tuple(p) for p in prices] == [(FETCH, 150), (utc("2026-11-22T16:00"), 170)]
    assert count(session, OddsLine) == 12
    board = current_boards(session, [session.get(Game, "g1")])["g1"]["h2h"]
    assert board.by_book["draftkings"]["away"].price == 170  # the latest row is the current line


def test_lines_of_games_in_play_are_skipped_and_the_game_marked_started(session: Session) -> None:
    ingest_events(session, FETCH, event("g1", TIP), event("g2", utc("2026-11-23T03:10")))
    at_tip = TIP
    report = ingest_events(
        session,
        at_tip,  # g1 tips this instant: in play, its live lines are not stored
        event("g1", TIP, Book(h2h=(-400, 300))),
        event("g2", utc("2026-11-23T03:10"), Book(h2h=(-150, 130))),
    )
    session.commit()
    assert (report.in_play, report.lines) == (1, 6)
    assert (
        session.execute(
            select(func.max(OddsLine.price)).where(OddsLine.game_id == "g1")
        ).scalar_one()
        == 150
    )  # the closing line, not the live 300
    session.expire_all()
    assert session.get(Game, "g1").status == "in_progress"  # type: ignore[union-attr]
    assert session.get(Game, "g2").status == "scheduled"  # type: ignore[union-attr]


def test_data_issues_are_stored_with_the_job_run(session: Session, clock: FixedClock) -> None:
    run = jobruns.claim_run(session, "fetch-odds", "manual", clock.now())
    assert run is not None
    issues = (
        IssueRecord("implausible price 50 for Milwaukee Bucks", "g1", "draftkings", "h2h"),
        IssueRecord("event #3 has an unusable id None"),
        IssueRecord("x" * 5000, "g1"),
    )
    report = ingest_events(session, FETCH, event("g1", TIP), issues=issues, job_run_id=run.id)
    session.commit()
    assert report.issues == 3
    rows = session.execute(select(DataIssue).order_by(DataIssue.id)).scalars().all()
    assert [(r.game_id, r.bookmaker, r.market, r.job_run_id, r.at) for r in rows] == [
        ("g1", "draftkings", "h2h", run.id, FETCH),
        (None, None, None, run.id, FETCH),
        ("g1", None, None, run.id, FETCH),
    ]
    assert rows[0].reason == "implausible price 50 for Milwaukee Bucks"
    assert 0 < len(rows[2].reason) <= 2000


def test_a_failure_mid_way_leaves_nothing_once_the_caller_rolls_back(session: Session) -> None:
    ingest_events(session, FETCH, event("g0", TIP))
    session.commit()
    good = event("g1", TIP)
    broken_line = LineRecord("draftkings", "h2h", "home", "Los Angeles Lakers", None, None, None)  # type: ignore[arg-type]
    broken = event("g2", TIP, home="Los Angeles Lakers", away="Phoenix Suns")
    broken = replace(broken, lines=(*broken.lines, broken_line))
    with pytest.raises(Exception):  # noqa: B017 - the database's own NOT NULL error
        ingest_events(session, utc("2026-11-22T16:00"), good, broken, event("g3", TIP))
    session.rollback()
    assert sorted(session.execute(select(Game.id)).scalars()) == ["g0"]
    assert count(session, OddsLine) == 6
    assert (
        session.execute(select(func.count()).where(OddsLine.fetched_at > FETCH)).scalar_one() == 0
    )
