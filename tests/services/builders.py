"""Small builders for service tests. They go through the real services (ingest, auth, picks,
results), so a test's data is shaped exactly as production writes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from pickvs.domain.markets import AWAY, H2H, HOME, OVER, SPREADS, TOTALS, UNDER
from pickvs.models import Game, GameStatus, Pick, User
from pickvs.odds.records import (
    EventRecord,
    IssueRecord,
    LineRecord,
    ParsedOdds,
    ParsedScores,
    ScoreRecord,
)
from pickvs.services import auth, ingest, picks, results
from pickvs.services.ingest import IngestReport
from pickvs.services.picks import PickPolicy, PickRequest
from pickvs.services.results import ResultsReport

SPORT = "basketball_nba"
HOME_TEAM, AWAY_TEAM = "Boston Celtics", "Milwaukee Bucks"
PASSWORD = "correct horse battery"
POLICY = PickPolicy(lock_minutes=0, bookmakers=("draftkings", "fanduel", "betmgm"))


def utc(text: str) -> datetime:
    """`utc("2026-11-23T00:10")` -> an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@dataclass(frozen=True)
class Book:
    """One bookmaker's three markets; None leaves a market out.

    h2h = (home price, away price); spreads = (home point, home price, away price), the away
    point mirrors the home one; totals = (point, over price, under price).
    """

    key: str = "draftkings"
    h2h: tuple[int, int] | None = (-180, 150)
    spreads: tuple[float, int, int] | None = (-4.5, -110, -110)
    totals: tuple[float, int, int] | None = (227.5, -108, -112)

    def lines(self, home: str, away: str) -> tuple[LineRecord, ...]:
        rows: list[LineRecord] = []
        if self.h2h:
            rows += [
                LineRecord(self.key, H2H, HOME, home, self.h2h[0], None, None),
                LineRecord(self.key, H2H, AWAY, away, self.h2h[1], None, None),
            ]
        if self.spreads:
            point, home_price, away_price = self.spreads
            rows += [
                LineRecord(self.key, SPREADS, HOME, home, home_price, point, None),
                LineRecord(self.key, SPREADS, AWAY, away, away_price, -point, None),
            ]
        if self.totals:
            point, over, under = self.totals
            rows += [
                LineRecord(self.key, TOTALS, OVER, "Over", over, point, None),
                LineRecord(self.key, TOTALS, UNDER, "Under", under, point, None),
            ]
        return tuple(rows)


def event(
    game_id: str,
    commence: datetime,
    *books: Book,
    home: str = HOME_TEAM,
    away: str = AWAY_TEAM,
    sport: str = SPORT,
) -> EventRecord:
    books = books or (Book(),)
    lines = tuple(line for book in books for line in book.lines(home, away))
    return EventRecord(game_id, sport, commence, home, away, lines)


def ingest_events(
    session: Session,
    fetched_at: datetime,
    *events: EventRecord,
    issues: tuple[IssueRecord, ...] = (),
    job_run_id: int | None = None,
    lock_minutes: int = 0,
) -> IngestReport:
    return ingest.apply_odds(
        session,
        ParsedOdds(list(events), list(issues)),
        fetched_at,
        job_run_id,
        lock_minutes=lock_minutes,
    )


def make_game(
    session: Session,
    game_id: str,
    commence: datetime,
    *books: Book,
    fetched_at: datetime | None = None,
    home: str = HOME_TEAM,
    away: str = AWAY_TEAM,
    sport: str = SPORT,
) -> Game:
    """A game as the odds job creates it, with one fetch of lines (a day before tip-off)."""
    fetched_at = fetched_at or commence - timedelta(days=1)
    ingest_events(
        session, fetched_at, event(game_id, commence, *books, home=home, away=away, sport=sport)
    )
    game = session.get(Game, game_id)
    assert game is not None
    return game


def bare_game(
    session: Session,
    game_id: str,
    commence: datetime,
    status: GameStatus = GameStatus.SCHEDULED,
    home: str = HOME_TEAM,
    away: str = AWAY_TEAM,
    sport: str = SPORT,
) -> Game:
    """A game row without lines, created at its tip-off: one the feed has stopped listing, or
    one an admin settles by hand."""
    game = Game(
        id=game_id,
        sport=sport,
        home_team=home,
        away_team=away,
        commence_time=commence,
        status=status,
        created_at=commence,
        updated_at=commence,
    )
    session.add(game)
    return game


def add_lines(session: Session, game: Game, fetched_at: datetime, *books: Book) -> IngestReport:
    """A later fetch of the same game (lines are appended, never overwritten)."""
    return ingest_events(
        session,
        fetched_at,
        event(game.id, game.commence_time, *books, home=game.home_team, away=game.away_team),
    )


def make_user(session: Session, username: str, now: datetime, password: str = PASSWORD) -> User:
    return auth.register(session, f"{username}@example.com", username, password, now)


def make_picks(
    session: Session,
    user: User,
    now: datetime,
    *wanted: tuple[str, str, str],
    policy: PickPolicy = POLICY,
) -> list[Pick]:
    """`make_picks(s, alice, now, ("g1", "h2h", "Milwaukee Bucks"), ...)`, one batch."""
    return picks.submit_picks(session, user, [PickRequest(*w) for w in wanted], now, policy)


# The CLV tests' timeline, before tip-off: the first fetch, the picks, the closing fetch.
OPENED, PICKED, CLOSED = timedelta(days=1), timedelta(hours=20), timedelta(hours=1)


def picked_game(
    session: Session,
    tip: datetime,
    opening: Book,
    *wanted: tuple[str, str],
    closing: Book | None = None,
    username: str = "ann",
    policy: PickPolicy = POLICY,
) -> tuple[Game, User, list[Pick]]:
    """Game g1 tipping at `tip`, first fetched (`opening`) OPENED before it, when `username`
    registers; their picks (`wanted`: market, selection) PICKED before it; and, given, the
    `closing` fetch CLOSED before it."""
    game = make_game(session, "g1", tip, opening, fetched_at=tip - OPENED)
    user = make_user(session, username, tip - OPENED)
    made = make_picks(session, user, tip - PICKED, *(("g1", *w) for w in wanted), policy=policy)
    if closing is not None:
        add_lines(session, game, tip - CLOSED, closing)
    return game, user, made


def commit_picks(
    engine: Engine, now: datetime, *wanted: tuple[str, str, str], policy: PickPolicy = POLICY
) -> None:
    """Ann registers and makes these picks, committed in a transaction of their own (as a
    player does between two job runs)."""
    with Session(engine) as session:
        user = make_user(session, "ann", now)
        session.flush()
        make_picks(session, user, now, *wanted, policy=policy)
        session.commit()


def score(
    game: Game,
    home_score: int | None,
    away_score: int | None,
    *,
    completed: bool = True,
    commence: datetime | None = None,
) -> ScoreRecord:
    return ScoreRecord(
        id=game.id,
        sport=game.sport,
        commence_time=commence or game.commence_time,
        home_team=game.home_team,
        away_team=game.away_team,
        completed=completed,
        home_score=home_score,
        away_score=away_score,
        last_update=None,
    )


def report_scores(
    session: Session,
    now: datetime,
    *records: ScoreRecord,
    days_from: int = 3,
    sport: str = SPORT,
    lock_minutes: int = 0,
) -> ResultsReport:
    return results.apply_scores(
        session, ParsedScores(list(records), []), sport, now, days_from, lock_minutes=lock_minutes
    )


def reload(session: Session) -> None:
    """Grading writes with set-based UPDATEs: objects already loaded must be re-read."""
    session.expire_all()
