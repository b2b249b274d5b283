"""Log-in throttle counters in the database, counted atomically on SQLite and PostgreSQL.

`reserve` runs before the password is checked: in one short transaction it makes sure the
attempt's three counter rows exist (`INSERT ... ON CONFLICT DO NOTHING`), reads them under a
lock (`SELECT ... FOR UPDATE`, in key order so two attempts never wait on each other; on SQLite
the insert has already taken the database's write lock), asks `pickvs.domain.throttle` whether
the attempt may go ahead, and if so writes it down as a failure and commits. Only then is the
password checked, with no lock held; `release` gives a correct password's failure back. So any
number of parallel attempts see each other's counts: the sixth parallel guess is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from pickvs.domain import throttle
from pickvs.domain.throttle import POLICY, Counter, Counters, Keys, Policy
from pickvs.models import LoginThrottle
from pickvs.services.errors import Throttled

TABLE = LoginThrottle.__table__  # type: ignore[attr-defined]


class LoginThrottled(Throttled):
    """A 429 that says how long to wait, in words and as `Retry-After` seconds."""

    def __init__(self, wait: timedelta) -> None:
        super().__init__(throttle.refusal_message(wait))
        self.retry_after_seconds = throttle.retry_after_seconds(wait)


@dataclass(frozen=True)
class Reservation:
    """An attempt counted as a failure until `release` says its password was right."""

    keys: Keys


def reserve(
    session: Session, login_name: str, client: str | None, now: datetime, policy: Policy = POLICY
) -> Reservation:
    """Count this attempt before its password is checked, or raise LoginThrottled.

    Commits: the count must stand even though a wrong password fails the caller's unit of
    work. Call it before anything else in the session (SQLite's write lock is taken by the
    first statement here, so nothing read earlier in the transaction may be stale).
    """
    keys = throttle.keys(login_name, client)
    rows = _locked_counters(session, keys, now)
    counters = Counters(pair=rows[keys.pair], account=rows[keys.account], client=rows[keys.client])
    decision = throttle.decide(counters, now, policy)
    if decision.retry_after is not None:
        session.rollback()  # a refusal counts nothing: not even the empty rows just made
        raise LoginThrottled(decision.retry_after)
    counted = throttle.after_failure(counters, now, policy)
    for key, counter in sorted(
        ((keys.pair, counted.pair), (keys.account, counted.account), (keys.client, counted.client))
    ):
        session.execute(
            update(TABLE)
            .where(TABLE.c.key == key)
            .values(failures=counter.failures, first_at=counter.first_at, last_at=counter.last_at)
        )
    session.commit()
    purge(session, now, policy)
    return Reservation(keys)


def release(session: Session, reservation: Reservation) -> None:
    """A correct password: the pair's streak ends, and the account and the client get back the
    one failure reserved for it (only that one: logging in to one's own account must not reset
    a budget being spent on others). Written in the caller's unit of work."""
    keys = reservation.keys
    for key in keys.sorted():
        if key == keys.pair:
            session.execute(delete(TABLE).where(TABLE.c.key == key))
        else:
            session.execute(
                update(TABLE)
                .where(TABLE.c.key == key)
                .values(failures=case((TABLE.c.failures > 0, TABLE.c.failures - 1), else_=0))
            )


def purge(session: Session, now: datetime, policy: Policy = POLICY) -> int:
    """Delete counters no rule reads any more (untouched for a day), in a transaction of their
    own. An index range scan on `last_at`: cheap enough to run after every counted attempt."""
    result: Any = session.execute(
        delete(TABLE).where(TABLE.c.last_at < throttle.forget_before(now, policy))
    )
    session.commit()
    return int(result.rowcount or 0)


def counters_for(session: Session, login_name: str, client: str | None) -> Counters:
    """The stored counters of one attempt, as the rules see them (for tests and diagnosis)."""
    keys = throttle.keys(login_name, client)
    rows = {row.key: _counter(row) for row in session.execute(_select(keys.sorted()))}
    return Counters(
        pair=rows.get(keys.pair, Counter()),
        account=rows.get(keys.account, Counter()),
        client=rows.get(keys.client, Counter()),
    )


# --- rows ---------------------------------------------------------------------------------------


def _locked_counters(session: Session, keys: Keys, now: datetime) -> dict[str, Counter]:
    ordered = keys.sorted()
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(
        insert(TABLE)
        .values([{"key": key, "failures": 0, "first_at": now, "last_at": now} for key in ordered])
        .on_conflict_do_nothing(index_elements=["key"])
    )
    rows = session.execute(_select(ordered).with_for_update()).all()
    return {row.key: _counter(row) for row in rows}


def _select(ordered: list[str]) -> Any:
    return (
        select(TABLE.c.key, TABLE.c.failures, TABLE.c.first_at, TABLE.c.last_at)
        .where(TABLE.c.key.in_(ordered))
        .order_by(TABLE.c.key)
    )


def _counter(row: Any) -> Counter:
    if not row.failures:
        return Counter()
    return Counter(failures=row.failures, first_at=row.first_at, last_at=row.last_at)
