"""Log-in throttling rules, on hand-worked timelines: the pair's growing lockouts, the client's
and the account's hourly budgets, the waits in words, and who the client is behind proxies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from pickvs.domain import throttle
from pickvs.domain.throttle import POLICY, Counter, Counters

T0 = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def at(clock: str) -> datetime:
    """'m:ss' after T0 ('1:40' is 100 seconds in)."""
    minutes, seconds = clock.split(":")
    return T0 + timedelta(minutes=int(minutes), seconds=int(seconds))


@dataclass
class Tab:
    """One client trying one account, as the service would: a decision, then a failure counted
    before the password is checked and given back (streak ended) when it was right."""

    counters: Counters = field(default_factory=lambda: Counters(Counter(), Counter(), Counter()))

    def attempt(self, now: datetime, right: bool) -> str:
        decision = throttle.decide(self.counters, now)
        if decision.retry_after is not None:
            return f"wait {throttle.wait_text(decision.retry_after)}"
        counted = throttle.after_failure(self.counters, now)
        if not right:
            self.counters = counted
            return "401"
        self.counters = Counters(
            pair=Counter(),
            account=_give_back(counted.account),
            client=_give_back(counted.client),
        )
        return "200"


def _give_back(counter: Counter) -> Counter:
    return Counter(counter.failures - 1, counter.first_at, counter.last_at)


# One client guessing one account. Five free failures; the fifth (0:40) locks the pair for a
# minute (to 1:40), the sixth for 2 (to 3:40), then 4 (to 7:40), 8 (to 15:40), then 16 capped
# at 15 (to 30:40) and 15 again (to 45:40). A refusal counts nothing and moves nothing; a
# correct password ends the streak, so the next typo is free again.
PAIR_TIMELINE = [
    ("0:00", False, "401"),
    ("0:10", False, "401"),
    ("0:20", False, "401"),
    ("0:30", False, "401"),
    ("0:40", False, "401"),
    ("1:10", True, "wait 30 seconds"),  # even the right password waits: that is the lockout
    ("1:39", False, "wait 1 second"),
    ("1:40", False, "401"),
    ("2:40", False, "wait 1 minute"),
    ("3:39", False, "wait 1 second"),
    ("3:40", False, "401"),
    ("7:40", False, "401"),
    ("15:39", False, "wait 1 second"),
    ("15:40", False, "401"),
    ("16:40", False, "wait 14 minutes"),
    ("30:00", True, "wait 40 seconds"),
    ("30:40", False, "401"),
    ("45:40", True, "200"),
    ("45:50", False, "401"),
    ("46:00", True, "200"),
]


def test_the_pair_timeline() -> None:
    tab = Tab()
    seen = [(clock, right, tab.attempt(at(clock), right)) for clock, right, _ in PAIR_TIMELINE]
    assert seen == PAIR_TIMELINE


@pytest.mark.parametrize(
    ("failures", "minutes"),
    [(0, 0), (1, 0), (4, 0), (5, 1), (6, 2), (7, 4), (8, 8), (9, 15), (10, 15), (10_000, 15)],
)
def test_lockout_doubles_from_the_fifth_failure_up_to_the_cap(failures: int, minutes: int) -> None:
    assert throttle.lockout(failures) == timedelta(minutes=minutes)


def test_a_parallel_attempt_stamped_later_never_makes_a_free_failure_wait() -> None:
    """Two correct passwords sent at once: the other request's reserved failure may be stamped
    a few milliseconds after this one's `now`. Under five failures nothing waits, and a real
    lockout is never longer than itself."""
    later = T0 + timedelta(milliseconds=30)
    for failures in range(1, POLICY.free_failures):
        assert throttle.pair_wait(Counter(failures, T0, later), T0) is None
    locked = Counter(POLICY.free_failures, T0, later)
    assert throttle.pair_wait(locked, T0) == timedelta(minutes=1)  # not 1 min + 30 ms


def test_a_day_without_a_failure_forgets_the_streak() -> None:
    last = at("0:40")
    pair = Counter(failures=5, first_at=T0, last_at=last)
    # A second short of a day: the streak stands, so this failure is the 6th (2 minutes).
    almost = last + timedelta(days=1) - timedelta(seconds=1)
    counted = throttle.after_failure(Counters(pair, Counter(), Counter()), almost)
    assert counted.pair.failures == 6
    assert throttle.pair_wait(counted.pair, almost) == timedelta(minutes=2)
    # A day: forgotten, this failure is the first of a new streak and costs nothing.
    day = last + timedelta(days=1)
    assert throttle.streak(pair, day) == 0
    counted = throttle.after_failure(Counters(pair, Counter(), Counter()), day)
    assert (counted.pair.failures, counted.pair.first_at) == (1, day)
    assert throttle.pair_wait(counted.pair, day) is None


def budget(failures: int, first: str = "0:00", last: str = "10:00") -> Counter:
    return Counter(failures=failures, first_at=at(first), last_at=at(last))


FRESH = Counter()
FAILING = Counter(failures=1, first_at=at("5:00"), last_at=at("5:00"))  # this pair, one typo


@pytest.mark.parametrize(
    ("pair", "account", "client", "now", "expected"),
    [
        # The client's budget: 100 failures in the hour from its first (0:00 to 60:00).
        (FRESH, FRESH, budget(99), "20:00", None),
        (FRESH, FRESH, budget(100), "20:00", timedelta(minutes=40)),
        (FAILING, FRESH, budget(100), "59:59", timedelta(seconds=1)),
        (FRESH, FRESH, budget(100), "60:00", None),  # the hour is over
        # The account's budget, 50 an hour, stops only a client failing on this account...
        (FAILING, budget(50), FRESH, "20:00", timedelta(minutes=40)),
        (FAILING, budget(49), FRESH, "20:00", None),
        (FAILING, budget(50), FRESH, "60:00", None),
        # ...never one that has not been failing on it, whatever others did.
        (FRESH, budget(10_000), FRESH, "20:00", None),
        (FRESH, budget(10_000), budget(99), "20:00", None),
        # Several reasons: the longest wait wins (pair locked to 45:00, client's hour to 60:00).
        (budget(9, "0:00", "30:00"), FRESH, budget(100), "35:00", timedelta(minutes=25)),
        (budget(9, "0:00", "30:00"), FRESH, budget(5), "35:00", timedelta(minutes=10)),
    ],
)
def test_budgets(
    pair: Counter, account: Counter, client: Counter, now: str, expected: timedelta | None
) -> None:
    assert throttle.decide(Counters(pair, account, client), at(now)).retry_after == expected


def test_a_budget_window_starts_at_its_first_failure_and_restarts_after_an_hour() -> None:
    counters = Counters(FRESH, budget(7, "0:00", "50:00"), budget(99, "0:00", "50:00"))
    counted = throttle.after_failure(counters, at("59:59"))
    assert (counted.account.failures, counted.account.first_at) == (8, T0)
    assert (counted.client.failures, counted.client.first_at) == (100, T0)
    counted = throttle.after_failure(counters, at("60:00"))
    assert (counted.account.failures, counted.account.first_at) == (1, at("60:00"))
    assert (counted.client.failures, counted.client.first_at) == (1, at("60:00"))


def test_counters_older_than_a_day_can_go() -> None:
    assert throttle.forget_before(T0) == T0 - timedelta(days=1)
    assert POLICY.longest_memory == timedelta(days=1)


@pytest.mark.parametrize(
    ("seconds", "text", "header"),
    [
        (0.2, "1 second", 1),
        (1, "1 second", 1),
        (30, "30 seconds", 30),
        (59.5, "1 minute", 60),
        (60, "1 minute", 60),
        (61, "2 minutes", 61),
        (900, "15 minutes", 900),
        (3600, "1 hour", 3600),
        (5400, "2 hours", 5400),
    ],
)
def test_waits_round_up_in_words_and_seconds(seconds: float, text: str, header: int) -> None:
    wait = timedelta(seconds=seconds)
    assert throttle.wait_text(wait) == text
    assert throttle.retry_after_seconds(wait) == header
    assert throttle.refusal_message(wait) == f"Too many failed log-ins; wait {text} and try again."


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "hops", "expected"),
    [
        ("203.0.113.5", None, 0, "203.0.113.5"),
        ("203.0.113.5", "198.51.100.1", 0, "203.0.113.5"),  # no trusted proxy: header ignored
        ("10.0.0.2", "198.51.100.1", 1, "198.51.100.1"),
        ("10.0.0.2", "6.6.6.6, 198.51.100.1", 1, "198.51.100.1"),  # forged entries on the left
        ("10.0.0.3", "6.6.6.6,198.51.100.1, 10.0.0.2", 2, "198.51.100.1"),
        ("10.0.0.2", None, 1, "10.0.0.2"),  # did not come through the proxy
        ("10.0.0.2", "198.51.100.1", 2, "10.0.0.2"),  # through fewer proxies than trusted
        ("10.0.0.2", "198.51.100.1, ", 1, "10.0.0.2"),  # the proxy's entry is empty
        ("10.0.0.2", "198.51.100.1:5123", 1, "198.51.100.1"),
        ("10.0.0.2", "[2001:DB8:0::1]:443", 1, "2001:db8::1"),
        ("10.0.0.2", " 2001:DB8:0:0::1 ", 1, "2001:db8::1"),
        ("10.0.0.2", "unknown", 1, "unknown"),
        ("testclient", None, 0, "testclient"),
        (None, None, 0, None),
        ("", "198.51.100.1", 0, None),
    ],
)
def test_client_address(
    peer: str | None, forwarded_for: str | None, hops: int, expected: str | None
) -> None:
    assert throttle.client_address(peer, forwarded_for, hops) == expected


@pytest.mark.parametrize(
    ("address", "group"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::ffff", "2001:db8:1:2::/64"),  # the same home
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("testclient", "testclient"),
        (None, "unknown"),
    ],
)
def test_a_client_is_an_ipv4_address_or_an_ipv6_64(address: str | None, group: str) -> None:
    assert throttle.client_group(address) == group


def test_keys_are_case_insensitive_and_fit_the_column() -> None:
    keys = throttle.keys("  Ann\x00 ", "198.51.100.7")
    assert (keys.pair, keys.account, keys.client) == (
        "pair:198.51.100.7|ann",
        "account:ann",
        "client:198.51.100.7",
    )
    assert keys.sorted() == ["account:ann", "client:198.51.100.7", "pair:198.51.100.7|ann"]
    huge = throttle.keys("x" * 5000, "c" * 1000)
    assert all(len(key) <= throttle.KEY_LENGTH for key in huge.sorted())
    assert huge.pair.startswith("pair:" + "c" * throttle.ADDRESS_LENGTH + "|x")
    assert throttle.keys("ann", None).client == "client:unknown"
