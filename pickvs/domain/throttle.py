"""Log-in throttling rules: who may try a password now, and how long the others wait.

Three counters are kept per attempt (the storage is `pickvs.services.throttle`):

* the **pair** (this client, this account as typed): a streak of failures. The first
  `free_failures` (5) cost nothing; from the 5th on, the pair waits after each failure, 1 minute,
  then 2, 4, 8, capped at 15. A correct password ends the streak; a day without a failure
  forgets it. This is what stops guessing, and it stops only the client that guesses.
* the **client** across all accounts: a budget of 100 failures an hour against password
  spraying (one address trying a common password on every account). Over it, the client waits
  for the hour to end, whatever account or password it sends.
* the **account** across all clients: a budget of 50 failures an hour against guessing from
  many addresses. Over it, only clients that have already failed on this account wait; a client
  with no failure on it is still let through, so nobody can lock a player out by failing on the
  player's name from elsewhere.

Every attempt that is let through is counted as a failure *before* the password is checked
(reserve, then verify), and a correct password gives that failure back: parallel attempts
cannot slip past the count. The client's address is found here too (`client_address`), the one
rule both the JSON API and the pages use.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

# A key longer than the stored column would fail on PostgreSQL; no real client or account
# comes near these, so clipping never merges two real ones.
KEY_LENGTH = 300
ADDRESS_LENGTH = 100
UNKNOWN_CLIENT = "unknown"


@dataclass(frozen=True)
class Policy:
    """The numbers of the policy, in one place (the README's table quotes them)."""

    free_failures: int = 5
    first_lockout: timedelta = timedelta(minutes=1)
    max_lockout: timedelta = timedelta(minutes=15)
    pair_memory: timedelta = timedelta(days=1)
    client_budget: int = 100
    account_budget: int = 50
    budget_window: timedelta = timedelta(hours=1)

    @property
    def longest_memory(self) -> timedelta:
        """A counter untouched for this long says nothing any more: its row can go."""
        return max(self.pair_memory, self.budget_window)


POLICY = Policy()


@dataclass(frozen=True)
class Counter:
    """One stored counter: `failures` since `first_at` (a budget's window start, or the
    streak's first failure), the latest at `last_at`. A key never seen is `Counter()`."""

    failures: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None


@dataclass(frozen=True)
class Counters:
    pair: Counter
    account: Counter
    client: Counter


@dataclass(frozen=True)
class Decision:
    """`retry_after` is None when the attempt may go ahead, else how long to wait."""

    retry_after: timedelta | None

    @property
    def allowed(self) -> bool:
        return self.retry_after is None


# --- the pair's streak ------------------------------------------------------------------------


def streak(pair: Counter, now: datetime, policy: Policy = POLICY) -> int:
    """The pair's failures still remembered: the whole streak, or 0 after a quiet day."""
    if pair.last_at is None or now - pair.last_at >= policy.pair_memory:
        return 0
    return pair.failures


def lockout(failures: int, policy: Policy = POLICY) -> timedelta:
    """The wait after the streak's `failures`-th failure: none before the 5th, then 1 minute
    doubling with each failure, never over the cap."""
    if failures < policy.free_failures:
        return timedelta(0)
    doublings = min(failures - policy.free_failures, 32)  # 2**32 minutes is past any cap
    return min(policy.first_lockout * 2**doublings, policy.max_lockout)


def pair_wait(pair: Counter, now: datetime, policy: Policy = POLICY) -> timedelta | None:
    """How long this pair must still wait, or None when it may try now."""
    failures = streak(pair, now, policy)
    wait = lockout(failures, policy)
    if not wait or pair.last_at is None:
        return None  # under the free failures: nothing to wait for, whatever the timestamps
    until = pair.last_at + wait
    # A parallel attempt may have counted a failure stamped after this request's `now`: the
    # wait left is never more than the lockout itself.
    return min(until - now, wait) if now < until else None


# --- the hourly budgets -----------------------------------------------------------------------


def budget_used(counter: Counter, now: datetime, window: timedelta) -> int:
    """Failures counted in the window still running (the window starts at its first failure)."""
    if counter.first_at is None or now >= counter.first_at + window:
        return 0
    return counter.failures


def budget_wait(
    counter: Counter, budget: int, now: datetime, window: timedelta
) -> timedelta | None:
    """Until the window ends when the budget is spent, else None."""
    if counter.first_at is None or budget_used(counter, now, window) < budget:
        return None
    return counter.first_at + window - now


# --- the decision -----------------------------------------------------------------------------


def decide(counters: Counters, now: datetime, policy: Policy = POLICY) -> Decision:
    """May this client try a password on this account now? The longest wait wins.

    The account's budget stops only a client already failing on this account: a client that
    has not been failing is never refused because of other clients' failures.
    """
    waits = [
        budget_wait(counters.client, policy.client_budget, now, policy.budget_window),
        pair_wait(counters.pair, now, policy),
    ]
    if streak(counters.pair, now, policy) > 0:
        waits.append(
            budget_wait(counters.account, policy.account_budget, now, policy.budget_window)
        )
    longest = max((wait for wait in waits if wait is not None), default=None)
    return Decision(retry_after=longest)


def after_failure(counters: Counters, now: datetime, policy: Policy = POLICY) -> Counters:
    """The counters once this attempt's failure is counted (reserved before the check)."""
    return Counters(
        pair=_count_in_streak(counters.pair, now, policy),
        account=_count_in_budget(counters.account, now, policy.budget_window),
        client=_count_in_budget(counters.client, now, policy.budget_window),
    )


def _count_in_streak(pair: Counter, now: datetime, policy: Policy) -> Counter:
    failures = streak(pair, now, policy)
    first_at = pair.first_at if failures and pair.first_at else now
    return Counter(failures=failures + 1, first_at=first_at, last_at=now)


def _count_in_budget(counter: Counter, now: datetime, window: timedelta) -> Counter:
    used = budget_used(counter, now, window)
    first_at = counter.first_at if used and counter.first_at else now
    return Counter(failures=used + 1, first_at=first_at, last_at=now)


def forget_before(now: datetime, policy: Policy = POLICY) -> datetime:
    """Counters whose last failure is older than this can be deleted: no rule reads them."""
    return now - policy.longest_memory


# --- saying how long ------------------------------------------------------------------------


def retry_after_seconds(wait: timedelta) -> int:
    """Whole seconds for `Retry-After`, rounded up (at least 1): never too early."""
    return max(1, math.ceil(wait.total_seconds()))


def wait_text(wait: timedelta) -> str:
    """'45 seconds', '1 minute', '15 minutes', '1 hour': rounded up, in the unit people use."""
    seconds = retry_after_seconds(wait)
    if seconds < 60:
        amount, unit = seconds, "second"
    elif seconds < 3600:
        amount, unit = math.ceil(seconds / 60), "minute"
    else:
        amount, unit = math.ceil(seconds / 3600), "hour"
    return f"{amount} {unit}{'' if amount == 1 else 's'}"


def refusal_message(wait: timedelta) -> str:
    return f"Too many failed log-ins; wait {wait_text(wait)} and try again."


# --- who the client is ------------------------------------------------------------------------


def client_address(peer: str | None, forwarded_for: str | None, trusted_hops: int) -> str | None:
    """The client's address, seen through `trusted_hops` reverse proxies.

    With 0 hops it is the socket's peer and `X-Forwarded-For` is ignored (anyone can send it).
    With N hops each proxy appended the address it saw, so the Nth entry from the right was
    written by the outermost trusted proxy: entries left of it are the client's to forge. A
    header with fewer than N entries did not come through the proxies: the peer is used.
    """
    if trusted_hops <= 0:
        return _normalise(peer)
    entries = [part.strip() for part in (forwarded_for or "").split(",")]
    if len(entries) < trusted_hops or not entries[-trusted_hops]:
        return _normalise(peer)
    return _normalise(entries[-trusted_hops])


def _normalise(address: str | None) -> str | None:
    """One spelling per address: ports and brackets dropped, IPv6 compressed."""
    text = (address or "").strip()
    if not text:
        return None
    for candidate in (text, _without_port(text)):
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return text[:ADDRESS_LENGTH]  # not an address (a test client, a proxy's token): as it is


def _without_port(text: str) -> str:
    if text.startswith("["):  # [2001:db8::1]:443
        return text[1:].split("]", 1)[0]
    return text.rsplit(":", 1)[0] if text.count(":") == 1 else text  # 192.0.2.1:443


def client_group(address: str | None) -> str:
    """What one client is for throttling: an IPv4 address, or an IPv6 /64 (one home or host
    gets a whole /64, so counting single IPv6 addresses would give it endless budgets)."""
    if not address:
        return UNKNOWN_CLIENT
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:ADDRESS_LENGTH]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is the IPv4 client 192.0.2.1
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


@dataclass(frozen=True)
class Keys:
    """The three stored keys of one attempt."""

    pair: str
    account: str
    client: str

    def sorted(self) -> list[str]:
        """Rows are always locked in this order, so two attempts never wait on each other."""
        return sorted({self.pair, self.account, self.client})


def keys(login_name: str, client: str | None) -> Keys:
    """The account as typed (case-insensitive; NUL removed, PostgreSQL cannot store it) and the
    client's group. The client comes first in the pair's key, so clipping an absurdly long
    login can never merge two clients."""
    account = (login_name or "").replace("\x00", "").strip().lower()
    group = client_group(client).replace("\x00", "")
    return Keys(
        pair=f"pair:{group}|{account}"[:KEY_LENGTH],
        account=f"account:{account}"[:KEY_LENGTH],
        client=f"client:{group}"[:KEY_LENGTH],
    )
