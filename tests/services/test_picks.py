"""Picks: taken at the server's line, all or nothing, closed at the lock, hidden until then."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from pickvs.domain.clock import FixedClock
from pickvs.models import Pick
from pickvs.services import picks
from pickvs.services.errors import BatchRejected, Conflict, Forbidden, NotFound
from pickvs.services.picks import PickPolicy, PickRequest
from tests.services.builders import POLICY, Book, add_lines, make_game, make_picks, make_user, utc

TIP = utc("2026-11-23T00:40")  # clock fixture: 2026-11-22T12:00Z, so 12 h 40 min before


@pytest.fixture
def game(session: Session):  # type: ignore[no-untyped-def]
    return make_game(
        session,
        "g1",
        TIP,
        Book("draftkings", h2h=(-180, 150), spreads=(-4.5, -110, -110), totals=(227.5, -108, -112)),
        Book("fanduel", h2h=(-175, 155), spreads=(-5.0, -105, -115), totals=(228.0, -110, -110)),
        fetched_at=utc("2026-11-22T10:00"),
    )


def all_picks(session: Session) -> list[Pick]:
    session.expire_all()
    return list(session.execute(select(Pick).order_by(Pick.id)).scalars())


def rejected(excinfo: pytest.ExceptionInfo[BatchRejected]) -> list[tuple[int, type, int]]:
    return [(i, type(e), e.status_code) for i, e in excinfo.value.errors]


def test_taken_at_the_servers_reference_line(session: Session, clock: FixedClock, game) -> None:  # type: ignore[no-untyped-def]
    alice = make_user(session, "alice", clock.now())
    made = make_picks(
        session,
        alice,
        clock.now(),
        ("g1", "h2h", "milwaukee bucks"),
        ("g1", "spreads", "home"),
        ("g1", "totals", "Under"),
    )
    session.commit()
    got = {(p.market, p.side, p.selection, p.bookmaker, p.price, p.point, p.status) for p in made}
    assert got == {
        ("h2h", "away", "Milwaukee Bucks", "draftkings", 150, None, "pending"),
        ("spreads", "home", "Boston Celtics", "draftkings", -110, -4.5, "pending"),
        ("totals", "under", "Under", "draftkings", -112, 227.5, "pending"),
    }
    to_win = {p.market: p.to_win for p in made}
    assert to_win["h2h"] == pytest.approx(1.5)  # +150
    assert to_win["spreads"] == pytest.approx(100 / 110)  # -110 -> 0.9091
    assert to_win["totals"] == pytest.approx(100 / 112)  # -112 -> 0.8929
    # Another operator priority takes fanduel's line.
    bob = make_user(session, "bob", clock.now())
    (spread,) = make_picks(
        session,
        bob,
        clock.now(),
        ("g1", "spreads", "Milwaukee Bucks"),
        policy=PickPolicy(lock_minutes=0, bookmakers=["fanduel"]),
    )
    assert (spread.bookmaker, spread.price, spread.point) == ("fanduel", -115, 5.0)
    assert spread.to_win == pytest.approx(100 / 115)


def test_a_client_cannot_supply_a_price(session: Session, clock: FixedClock, game) -> None:  # type: ignore[no-untyped-def]
    """PickRequest has no price or point at all: the line can only come from the odds table."""
    assert set(PickRequest.__dataclass_fields__) == {"game_id", "market", "selection"}


def test_changing_side_reprices_at_the_current_line(
    session: Session, clock: FixedClock, game
) -> None:  # type: ignore[no-untyped-def]
    alice = make_user(session, "alice", clock.now())
    (first,) = make_picks(session, alice, clock.now(), ("g1", "h2h", "Boston Celtics"))
    session.commit()
    assert (first.price, first.to_win) == (-180, pytest.approx(100 / 180))
    clock.advance(hours=4)
    add_lines(session, game, clock.now(), Book("draftkings", h2h=(-220, 185)))
    make_picks(session, alice, clock.now(), ("g1", "h2h", "Milwaukee Bucks"))
    session.commit()
    (stored,) = all_picks(session)
    assert stored.id == first.id  # the same pick, changed in place (one per user, game, market)
    assert (stored.side, stored.selection, stored.price, stored.to_win) == (
        "away",
        "Milwaukee Bucks",
        185,
        pytest.approx(1.85),
    )
    assert stored.updated_at == clock.now() and stored.created_at == clock.now() - timedelta(
        hours=4
    )


def test_same_side_twice_is_a_conflict(session: Session, clock: FixedClock, game) -> None:  # type: ignore[no-untyped-def]
    alice = make_user(session, "alice", clock.now())
    make_picks(session, alice, clock.now(), ("g1", "totals", "Over"))
    with pytest.raises(BatchRejected) as excinfo:
        make_picks(session, alice, clock.now(), ("g1", "totals", "over"))
    assert rejected(excinfo) == [(0, Conflict, 409)]
    assert excinfo.value.status_code == 409
    # The same game and market twice in one batch.
    with pytest.raises(BatchRejected) as excinfo:
        make_picks(session, alice, clock.now(), ("g1", "h2h", "home"), ("g1", "h2h", "away"))
    assert rejected(excinfo) == [(1, Conflict, 409)]


@pytest.mark.parametrize(
    ("before_tip", "lock_minutes", "is_open"),
    [
        (timedelta(seconds=1), 0, True),
        (timedelta(0), 0, False),
        (-timedelta(minutes=5), 0, False),
        (timedelta(minutes=10, seconds=1), 10, True),
        (timedelta(minutes=10), 10, False),
        (timedelta(minutes=5), 10, False),
    ],
)
def test_lock_closes_picks(
    session: Session,
    clock: FixedClock,
    game,
    before_tip: timedelta,
    lock_minutes: int,
    is_open: bool,  # type: ignore[no-untyped-def]
) -> None:
    alice = make_user(session, "alice", clock.now())
    clock.set(TIP - before_tip)
    policy = PickPolicy(lock_minutes=lock_minutes, bookmakers=["draftkings"])
    if is_open:
        assert make_picks(session, alice, clock.now(), ("g1", "h2h", "home"), policy=policy)
    else:
        with pytest.raises(BatchRejected) as excinfo:
            make_picks(session, alice, clock.now(), ("g1", "h2h", "home"), policy=policy)
        assert rejected(excinfo) == [(0, Conflict, 409)]
        assert "locked" in excinfo.value.message


def test_a_game_marked_started_is_locked_whatever_the_clock(
    session: Session, clock: FixedClock, game
) -> None:  # type: ignore[no-untyped-def]
    alice = make_user(session, "alice", clock.now())
    game.status = "in_progress"
    with pytest.raises(BatchRejected) as excinfo:
        make_picks(session, alice, clock.now(), ("g1", "h2h", "home"))
    assert rejected(excinfo) == [(0, Conflict, 409)]


def test_a_batch_is_all_or_nothing(session: Session, clock: FixedClock, game) -> None:  # type: ignore[no-untyped-def]
    make_game(
        session,
        "g2",
        TIP + timedelta(hours=2),
        fetched_at=clock.now(),
        home="Los Angeles Lakers",
        away="Phoenix Suns",
    )
    make_game(
        session,
        "gone",
        clock.now() - timedelta(hours=1),
        fetched_at=clock.now() - timedelta(days=1),
        home="Utah Jazz",
        away="Denver Nuggets",
    )
    alice = make_user(session, "alice", clock.now())
    (existing,) = make_picks(session, alice, clock.now(), ("g1", "h2h", "Boston Celtics"))
    session.commit()
    with pytest.raises(BatchRejected) as excinfo:
        make_picks(
            session,
            alice,
            clock.now(),
            ("g1", "h2h", "Milwaukee Bucks"),  # a valid change of side
            ("g2", "spreads", "Phoenix Suns"),  # valid
            ("g2", "totals", "Phoenix Suns"),  # not a side of a total
            ("nope", "h2h", "home"),  # unknown game
            ("gone", "h2h", "Utah Jazz"),  # locked
            ("g2", "alt_spreads", "home"),  # unknown market
        )
    assert rejected(excinfo) == [
        (2, picks.InvalidInput, 422),
        (3, NotFound, 404),
        (4, Conflict, 409),
        (5, picks.InvalidInput, 422),
    ]
    assert excinfo.value.status_code == 422  # mixed causes
    assert excinfo.value.message.startswith("No picks were saved.")
    assert "pick 3:" in excinfo.value.message
    # Even if the caller commits afterwards, nothing of the batch was written.
    session.commit()
    (stored,) = all_picks(session)
    assert (stored.id, stored.side, stored.price) == (existing.id, "home", -180)


def test_empty_and_oversized_batches(session: Session, clock: FixedClock, game) -> None:  # type: ignore[no-untyped-def]
    alice = make_user(session, "alice", clock.now())
    with pytest.raises(BatchRejected) as excinfo:
        picks.submit_picks(session, alice, [], clock.now(), POLICY)
    assert excinfo.value.status_code == 422
    many = [PickRequest("g1", "h2h", "home")] * (picks.MAX_BATCH + 1)
    with pytest.raises(BatchRejected) as excinfo:
        picks.submit_picks(session, alice, many, clock.now(), POLICY)
    assert excinfo.value.status_code == 422
    assert all_picks(session) == []


def test_a_market_without_a_line_cannot_be_picked(session: Session, clock: FixedClock) -> None:
    make_game(session, "g1", TIP, Book("draftkings", totals=None), fetched_at=clock.now())
    alice = make_user(session, "alice", clock.now())
    with pytest.raises(BatchRejected) as excinfo:
        make_picks(session, alice, clock.now(), ("g1", "totals", "Over"))
    assert rejected(excinfo) == [(0, Conflict, 409)]
    assert "no total line" in excinfo.value.message


def test_a_lost_race_leaves_the_session_usable(
    session: Session, clock: FixedClock, game, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Another request inserted the same pick between our check and our write."""
    from sqlmodel import Session as NewSession

    alice = make_user(session, "alice", clock.now())
    session.commit()
    with NewSession(session.get_bind()) as other:
        other_alice = other.get(type(alice), alice.id)
        make_picks(other, other_alice, clock.now(), ("g1", "h2h", "home"))  # type: ignore[arg-type]
        other.commit()
    # Our request read the game but no existing pick (as if it had looked before the other
    # commit).
    read = picks._games_and_picks
    monkeypatch.setattr(picks, "_games_and_picks", lambda *args: (read(*args)[0], {}))
    with pytest.raises(BatchRejected) as excinfo:
        make_picks(session, alice, clock.now(), ("g1", "h2h", "away"))
    monkeypatch.undo()
    assert rejected(excinfo) == [(0, Conflict, 409)]
    # The savepoint rolled back only the batch: the session still works.
    assert session.execute(select(func.count()).select_from(Pick)).scalar_one() == 1
    make_picks(session, alice, clock.now(), ("g1", "totals", "Over"))
    session.commit()
    assert [p.market for p in all_picks(session)] == ["h2h", "totals"]


def test_games_and_the_players_picks_on_them_in_one_read(
    session: Session, clock: FixedClock, game
) -> None:  # type: ignore[no-untyped-def]
    make_game(session, "g2", TIP, home="Los Angeles Lakers", away="Phoenix Suns")
    alice = make_user(session, "alice", clock.now())
    bob = make_user(session, "bob", clock.now())
    make_picks(session, alice, clock.now(), ("g1", "h2h", "home"), ("g1", "totals", "Over"))
    make_picks(session, bob, clock.now(), ("g1", "spreads", "away"), ("g2", "h2h", "home"))
    session.commit()
    games, existing = picks._games_and_picks(session, alice, ["g1", "g2", "nope", "g\x00"])
    assert sorted(games) == ["g1", "g2"]  # a game without her picks is still there
    assert {key: p.side for key, p in existing.items()} == {
        ("g1", "h2h"): "home",
        ("g1", "totals"): "over",
    }  # bob's picks are not hers
    assert picks._games_and_picks(session, bob, []) == ({}, {})


def test_withdraw_before_and_after_the_lock(session: Session, clock: FixedClock, game) -> None:  # type: ignore[no-untyped-def]
    alice = make_user(session, "alice", clock.now())
    bob = make_user(session, "bob", clock.now())
    first, second = make_picks(
        session, alice, clock.now(), ("g1", "h2h", "home"), ("g1", "totals", "Over")
    )
    session.commit()
    with pytest.raises(NotFound):
        picks.withdraw_pick(session, bob, first.id, clock.now(), 0)  # not his
    with pytest.raises(NotFound):
        picks.withdraw_pick(session, alice, 999_999, clock.now(), 0)
    picks.withdraw_pick(session, alice, first.id, clock.now(), 0)
    session.commit()
    assert [p.id for p in all_picks(session)] == [second.id]
    # After the lock (here: a 10-minute offset, 5 minutes before tip) it stays.
    clock.set(TIP - timedelta(minutes=5))
    with pytest.raises(Conflict):
        picks.withdraw_pick(session, alice, second.id, clock.now(), 10)
    assert [p.id for p in all_picks(session)] == [second.id]
    # Withdrawn, a pick can be made again while open.
    clock.set(TIP - timedelta(hours=1))
    assert make_picks(session, alice, clock.now(), ("g1", "h2h", "away"))


def test_others_picks_are_hidden_until_the_game_locks(
    session: Session, clock: FixedClock, game
) -> None:  # type: ignore[no-untyped-def]
    alice = make_user(session, "alice", clock.now())
    bob = make_user(session, "Bob", clock.now())
    make_picks(session, alice, clock.now(), ("g1", "h2h", "home"), ("g1", "totals", "Over"))
    make_picks(session, bob, clock.now(), ("g1", "h2h", "away"))
    session.commit()
    clock.set(TIP - timedelta(seconds=1))
    with pytest.raises(Forbidden):
        picks.game_picks(session, "g1", clock.now(), 0)
    clock.set(TIP - timedelta(minutes=5))
    visible = picks.game_picks(session, "g1", clock.now(), 10)  # locked by the offset
    assert [(v.username, v.pick.market, v.pick.selection) for v in visible] == [
        ("alice", "h2h", "Boston Celtics"),
        ("Bob", "h2h", "Milwaukee Bucks"),
        ("alice", "totals", "Over"),
    ]
    clock.set(TIP)
    assert len(picks.game_picks(session, "g1", clock.now(), 0)) == 3
    with pytest.raises(NotFound):
        picks.game_picks(session, "nope", clock.now(), 0)


def test_my_picks(session: Session, clock: FixedClock, game) -> None:  # type: ignore[no-untyped-def]
    make_game(
        session,
        "g2",
        TIP + timedelta(days=1),
        fetched_at=clock.now(),
        home="Los Angeles Lakers",
        away="Phoenix Suns",
    )
    alice = make_user(session, "alice", clock.now())
    bob = make_user(session, "bob", clock.now())
    make_picks(session, alice, clock.now(), ("g1", "h2h", "home"), ("g2", "totals", "Under"))
    make_picks(session, bob, clock.now(), ("g1", "h2h", "away"))
    mine = picks.my_picks(session, alice)
    assert [(v.game.id, v.pick.market) for v in mine] == [("g2", "totals"), ("g1", "h2h")]
    assert [v.game.id for v in picks.my_picks(session, alice, limit=1, offset=1)] == ["g1"]
    assert len(picks.my_picks(session, alice, pending=True)) == 2
    assert picks.my_picks(session, alice, pending=False) == []


def test_nul_in_identifiers_is_a_clear_not_found(session: Session) -> None:
    """PostgreSQL cannot store NUL in text: such ids must be refused before they reach SQL."""
    from pickvs.services.errors import NotFound
    from pickvs.services.games import get_game

    with pytest.raises(NotFound, match="No game"):
        get_game(session, "abc\x00def")
