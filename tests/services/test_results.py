"""Results: finals recorded, admin settlements kept, corrections re-settled, postponements."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlmodel import Session

from pickvs.domain.clock import FixedClock
from pickvs.domain.locks import is_open
from pickvs.models import DataIssue, Game, Pick
from pickvs.odds.parse import parse_scores
from pickvs.services import admin, grading, results
from tests.services.builders import make_game, make_picks, make_user, report_scores, score, utc

TIP = utc("2026-11-21T00:10")  # 7:10 pm Eastern on Nov 20
RESULTS_AT = utc("2026-11-21T14:00")  # 9 am Eastern the next morning
H = timedelta(hours=1)


def get(session: Session, game_id: str) -> Game:
    game = session.get(Game, game_id)
    assert game is not None
    return game


def test_final_scores_are_recorded_and_matched_by_team_name(session: Session) -> None:
    make_game(
        session,
        "572d984e132eddaac3da93e5db332e7e",
        TIP,
        home="Sacramento Kings",
        away="Oklahoma City Thunder",
    )
    payload = [
        {
            "id": "572d984e132eddaac3da93e5db332e7e",
            "sport_key": "basketball_nba",
            "commence_time": "2026-11-21T00:10:00Z",
            "completed": True,
            "home_team": "Sacramento Kings",
            "away_team": "Oklahoma City Thunder",
            # Away team listed first: scores go by name, never by position.
            "scores": [
                {"name": "Oklahoma City Thunder", "score": "103"},
                {"name": "Sacramento Kings", "score": "113"},
            ],
            "last_update": "2026-11-21T02:18:19Z",
        }
    ]
    report = results.apply_scores(session, parse_scores(payload), "basketball_nba", RESULTS_AT, 1)
    assert (report.finals, report.postponed, report.rescheduled, report.kept_admin) == (1, 0, 0, 0)
    game = get(session, "572d984e132eddaac3da93e5db332e7e")
    assert (game.home_score, game.away_score, game.status) == (113, 103, "final")
    assert (game.settled_by, game.settled_at, game.last_seen_at) == ("feed", RESULTS_AT, RESULTS_AT)
    # Seen again unchanged: nothing to do.
    again = results.apply_scores(
        session, parse_scores(payload), "basketball_nba", RESULTS_AT + H, 1
    )
    assert again.finals == 0 and game.settled_at == RESULTS_AT


def test_live_and_upcoming_games_are_not_finals(session: Session) -> None:
    live = make_game(session, "live", TIP)
    later = make_game(
        session, "later", RESULTS_AT + 8 * H, home="Los Angeles Lakers", away="Phoenix Suns"
    )
    report = report_scores(
        session,
        TIP + H,
        score(live, 40, 37, completed=False),
        score(later, None, None, completed=False),
    )
    assert report.finals == 0
    assert (live.status, live.home_score) == ("in_progress", None)
    assert later.status == "scheduled"


def test_an_admin_settlement_is_never_overwritten_by_the_feed(session: Session) -> None:
    game = make_game(session, "g1", TIP)
    admin.settle(session, "g1", 110, 100, by="ref", now=TIP + 3 * H)
    report = report_scores(session, RESULTS_AT, score(game, 99, 120))
    assert (report.finals, report.kept_admin) == (0, 1)
    assert (game.home_score, game.away_score, game.settled_by, game.settled_at) == (
        110,
        100,
        "admin:ref",
        TIP + 3 * H,
    )
    # A voided game stays void too, and is not postponed either.
    voided = make_game(session, "g2", TIP, home="Los Angeles Lakers", away="Phoenix Suns")
    admin.void(session, "g2", by="ref", now=TIP + 3 * H)
    report = report_scores(session, RESULTS_AT + 40 * H, score(voided, 100, 90))
    assert report.kept_admin == 1 and report.postponed == 0
    assert (voided.status, voided.home_score) == ("cancelled", None)


def test_a_score_correction_resettles_and_regrades(session: Session) -> None:
    game = make_game(session, "g1", TIP)
    alice = make_user(session, "alice", TIP - 5 * H)
    (pick,) = make_picks(session, alice, TIP - 5 * H, ("g1", "h2h", "Boston Celtics"))
    report_scores(session, RESULTS_AT, score(game, 110, 100))
    grading.grade(session, RESULTS_AT)
    session.refresh(pick)
    assert pick.status == "win"
    # The feed corrects the score the same morning, stamped the same instant as the grading.
    report = report_scores(session, RESULTS_AT, score(game, 100, 110))
    assert report.finals == 1
    assert (game.home_score, game.away_score, game.settled_at) == (100, 110, RESULTS_AT)
    graded = grading.grade(session, RESULTS_AT)
    assert graded.picks_graded == 1
    session.refresh(pick)
    assert (pick.status, pick.result_units) == ("loss", -1.0)


def test_started_and_never_completed_is_postponed_after_36_hours(session: Session) -> None:
    game = make_game(session, "g1", TIP)
    report = report_scores(session, TIP + 35 * H, score(game, None, None, completed=False))
    assert report.postponed == 0 and game.status == "scheduled"
    report = report_scores(session, TIP + 36 * H, score(game, None, None, completed=False))
    assert report.postponed == 1
    assert (game.status, game.settled_by, game.settled_at) == ("postponed", "feed", TIP + 36 * H)


def test_a_game_missing_from_the_feed_is_postponed(session: Session) -> None:
    vanished = make_game(session, "vanished", TIP)
    other = make_game(session, "other", TIP, home="Los Angeles Lakers", away="Phoenix Suns")
    # 5 h after tip-off the feed may still be catching up: wait.
    assert (
        report_scores(
            session, TIP + 5 * H, score(other, 50, 48, completed=False), days_from=1
        ).postponed
        == 0
    )
    report = report_scores(session, TIP + 7 * H, score(other, 101, 99), days_from=1)
    assert (report.finals, report.postponed) == (1, 1)
    assert vanished.status == "postponed" and other.status == "final"


def test_missing_but_outside_the_fetched_window_is_left_alone(session: Session) -> None:
    old = make_game(session, "old", TIP)
    now = TIP + 30 * H
    # daysFrom=1 covers tip-offs from 24 h ago only: this game could not have been in the reply.
    assert report_scores(session, now, days_from=1).postponed == 0
    assert old.status == "scheduled"
    assert report_scores(session, now, days_from=2).postponed == 1
    assert old.status == "postponed"


def test_a_postponed_game_that_is_played_after_all_gets_its_result(session: Session) -> None:
    game = make_game(session, "g1", TIP)
    report_scores(session, TIP + 7 * H, days_from=1)
    assert game.status == "postponed"
    report_scores(session, TIP + 20 * H, score(game, 100, 98), days_from=1)
    assert (game.status, game.home_score) == ("final", 100)


def test_a_rescheduled_tip_off_is_followed(session: Session) -> None:
    game = make_game(session, "g1", TIP)
    moved = TIP + 26 * H
    report = report_scores(
        session, TIP - 2 * H, score(game, None, None, completed=False, commence=moved)
    )
    assert report.rescheduled == 1
    assert (game.commence_time, game.status) == (moved, "scheduled")
    # ...so it is not postponed 36 h after the old time,
    report = report_scores(
        session, TIP + 36 * H, score(game, None, None, completed=False, commence=moved)
    )
    assert (report.rescheduled, report.postponed) == (0, 0)
    # but a settled game's time is history and is not rewritten.
    report_scores(session, moved + 3 * H, score(game, 100, 90, commence=moved))
    report = report_scores(session, moved + 4 * H, score(game, 100, 90, commence=moved + H))
    assert report.rescheduled == 0 and game.commence_time == moved


def test_a_scores_reply_moving_a_game_inside_its_lock_window_leaves_it_locked(
    session: Session,
) -> None:
    """With a 30-minute lock the 7:10 pm game locked at 6:40 pm; at 6:50 pm a scores reply
    (the planner's live scores) pushes tip-off to 8:10 pm: it stays locked."""
    clock = FixedClock(TIP - 30 * H)
    game = make_game(session, "g1", TIP, fetched_at=clock.now())
    clock.set(TIP - timedelta(minutes=20))
    later = TIP + H
    report = report_scores(
        session,
        clock.now(),
        score(game, None, None, completed=False, commence=later),
        lock_minutes=30,
    )
    assert report.rescheduled == 1
    assert (game.commence_time, game.status) == (later, "in_progress")
    assert not is_open(game.status, game.commence_time, clock.now(), 30)


def test_a_tied_basketball_final_from_the_feed_is_not_recorded_but_noted(session: Session) -> None:
    """Basketball goes to overtime until someone leads: a level "final" is a feed error. The
    game keeps waiting (for a corrected feed or an admin), and the data issue says why."""
    game = make_game(session, "g1", TIP)
    alice = make_user(session, "alice", TIP - 2 * H)
    make_picks(session, alice, TIP - H, ("g1", "h2h", "Boston Celtics"))
    report = report_scores(session, RESULTS_AT, score(game, 100, 100), days_from=1)
    assert (report.finals, report.refused) == (0, 1)
    assert "1 impossible final(s) refused" in report.describe()
    assert (game.status, game.home_score, game.away_score, game.settled_at) == (
        "in_progress",
        None,
        None,
        None,
    )
    [issue] = session.execute(select(DataIssue)).scalars()
    assert (issue.game_id, issue.at, issue.reason) == (
        "g1",
        RESULTS_AT,
        "final not recorded: NBA games cannot end tied (100-100); "
        "enter the final score after overtime.",
    )
    grading.grade(session, RESULTS_AT)
    assert session.execute(select(Pick.status)).scalar_one() == "pending"
    # The corrected feed the next morning settles it.
    report = report_scores(session, RESULTS_AT + 24 * H, score(game, 100, 104), days_from=2)
    assert report.finals == 1 and (game.status, game.home_score, game.away_score) == (
        "final",
        100,
        104,
    )


def test_a_tied_final_is_recorded_in_a_sport_that_can_tie(session: Session) -> None:
    game = make_game(session, "nfl", TIP, home="Dallas Cowboys", away="New York Giants")
    game.sport = "americanfootball_nfl"
    report = report_scores(
        session, RESULTS_AT, score(game, 20, 20), days_from=1, sport="americanfootball_nfl"
    )
    assert (report.finals, report.refused) == (1, 0)
    assert (game.status, game.home_score, game.away_score) == ("final", 20, 20)
    assert session.execute(select(DataIssue)).first() is None


@pytest.mark.parametrize(
    ("sport", "allowed"),
    [("basketball_nba", False), ("basketball_wnba", False), ("americanfootball_nfl", True)],
)
def test_admin_settle_refuses_a_tie_only_where_a_game_cannot_tie(
    session: Session, sport: str, allowed: bool
) -> None:
    game = make_game(session, "g1", TIP)
    game.sport = sport
    session.flush()
    if allowed:
        admin.settle(session, "g1", 17, 17, by="ref", now=RESULTS_AT)
        assert (game.status, game.home_score, game.away_score) == ("final", 17, 17)
        return
    with pytest.raises(admin.InvalidInput) as excinfo:
        admin.settle(session, "g1", 117, 117, by="ref", now=RESULTS_AT)
    title = {"basketball_nba": "NBA", "basketball_wnba": "WNBA"}[sport]
    assert excinfo.value.message == (
        f"{title} games cannot end tied (117-117); enter the final score after overtime."
    )
    session.expire_all()
    game = get(session, "g1")
    assert (game.status, game.home_score, game.settled_at, game.settled_by) == (
        "scheduled",
        None,
        None,
        None,
    )


def test_oldest_unsettled_start_and_unreachable_games(session: Session) -> None:
    now = utc("2026-11-22T14:00")
    assert results.oldest_unsettled_start(session, "basketball_nba", now) is None
    make_game(session, "future", now + 5 * H)
    assert results.oldest_unsettled_start(session, "basketball_nba", now) is None
    make_game(session, "recent", now - 5 * H, home="A Team", away="B Team")
    make_game(session, "settled", now - 50 * H, home="C Team", away="D Team")
    admin.settle(session, "settled", 100, 90, by="ref", now=now)
    make_game(session, "two_days", now - 40 * H, home="E Team", away="F Team")
    make_game(session, "stranded", now - 80 * H, home="G Team", away="H Team")
    make_game(session, "nhl", now - 60 * H, home="I Team", away="J Team")
    get(session, "nhl").sport = "icehockey_nhl"
    oldest = results.oldest_unsettled_start(session, "basketball_nba", now)
    assert oldest == now - 40 * H and oldest.tzinfo is not None
    assert [g.id for g in results.unreachable_games(session, "basketball_nba", now)] == ["stranded"]
    assert results.oldest_unsettled_start(session, "icehockey_nhl", now) == now - 60 * H


def test_other_sports_are_not_postponed_by_this_sports_fetch(session: Session) -> None:
    game = make_game(session, "nhl", TIP)
    game.sport = "icehockey_nhl"
    assert report_scores(session, TIP + 7 * H, days_from=1).postponed == 0
    assert game.status == "scheduled"


@pytest.mark.parametrize(
    ("home", "away", "problem"),
    [
        (-1, 100, "home score"),
        (100, -3, "away score"),
        (401, 100, "home score"),
        (100.5, 100, "home score"),
        ("100", 90, "home score"),
        (True, 90, "home score"),
        (None, 90, "home score"),
    ],
)
def test_admin_settle_validates_scores(
    session: Session, home: object, away: object, problem: str
) -> None:
    make_game(session, "g1", TIP)
    with pytest.raises(admin.InvalidInput) as excinfo:
        admin.settle(session, "g1", home, away, by="ref", now=RESULTS_AT)  # type: ignore[arg-type]
    assert problem in excinfo.value.message
    assert get(session, "g1").status == "scheduled"


def test_admin_settle_and_void_refuse_unknown_and_unstarted_games(session: Session) -> None:
    with pytest.raises(admin.NotFound):
        admin.settle(session, "nope", 100, 90, by="ref", now=RESULTS_AT)
    with pytest.raises(admin.NotFound):
        admin.void(session, "nope", by="ref", now=RESULTS_AT)
    game = make_game(session, "g1", TIP)
    with pytest.raises(admin.InvalidInput) as excinfo:
        admin.settle(session, "g1", 100, 90, by="ref", now=TIP - timedelta(seconds=1))
    assert "not started" in excinfo.value.message
    admin.settle(session, "g1", 0, 1, by="ref", now=TIP)  # at tip-off; 0 is a legal score
    assert (game.status, game.home_score, game.away_score) == ("final", 0, 1)
    # A game that will not be played can be voided before it starts, once.
    make_game(session, "g2", RESULTS_AT + 50 * H, home="A Team", away="B Team")
    admin.void(session, "g2", by="ref", now=RESULTS_AT)
    assert get(session, "g2").status == "cancelled"
    settled_at = get(session, "g2").settled_at
    with pytest.raises(admin.InvalidInput) as excinfo:
        admin.void(session, "g2", by="other", now=RESULTS_AT + H)
    assert excinfo.value.message == (
        "This game is void already; settle it if it was played after all."
    )
    assert (get(session, "g2").settled_by, get(session, "g2").settled_at) == (
        "admin:ref",
        settled_at,
    )


def test_make_admin(session: Session) -> None:
    make_user(session, "Alice", RESULTS_AT)
    assert admin.make_admin(session, "ALICE").is_admin is True
    with pytest.raises(admin.NotFound):
        admin.make_admin(session, "nobody")
