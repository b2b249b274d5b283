"""The daily reminder webhooks: post each reminder whose time has come, once a day.

The planner's minute tick calls `run_due_reminders`. Each due post is claimed first (a
`job_run` row, unique per job and slot, the slot being the slate day's start), so however many
workers tick at once only one posts; the run then records what happened: ok, skipped (nobody
left to remind) or failed (the webhook refused twice or could not be reached). A webhook is a
stranger's server: it gets a short timeout and one retry, and nothing it does can raise out of
here or hold up the tick.

The job_run's detail names the webhook's host only: the rest of a Discord or Slack webhook URL
is its secret, and the admin page lists job runs.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx

from pickvs.config import settings
from pickvs.db import session_scope
from pickvs.domain import reminders as rules
from pickvs.domain.clock import Clock
from pickvs.services import jobruns
from pickvs.services import reminders as service
from pickvs.services.reminders import DueReminder

log = logging.getLogger("pickvs.jobs.reminders")

OK, FAILED, SKIPPED = "ok", "failed", "skipped"
TRIGGER = "schedule"
TIMEOUT_SECONDS = 5.0
RETRY_PAUSE_SECONDS = 0.5
# A league's owner is any player: their webhook must not reach the server's own network
# (databases, cloud metadata). The instance's is an admin's and may. Tests on loopback set it.
LEAGUE_PRIVATE_ADDRESSES_ALLOWED = False


class DeliveryFailed(Exception):
    """The webhook did not take the post (after the retry)."""


def run_due_reminders(clock: Clock) -> str:
    """Post every reminder that has come due and was not posted yet; never raises."""
    try:
        with session_scope() as session:
            due = service.due_reminders(session, clock.now(), settings.tz, settings.lock_minutes)
    except Exception as exc:  # the tick goes on whatever happens here
        log.exception("could not work out the due reminders")
        return f"reminders not checked: {type(exc).__name__}: {exc}"
    return "; ".join(_run_one(reminder, clock) for reminder in due) or "no reminder due"


def _run_one(reminder: DueReminder, clock: Clock) -> str:
    """Claim the day's slot, post, record the outcome; a description for the tick's log."""
    job = reminder.target.job
    try:
        with session_scope() as session:
            run = jobruns.claim_run(session, job, TRIGGER, clock.now(), reminder.slot)
    except Exception as exc:
        log.exception("could not claim %s", job)
        return f"{job}: not claimed ({type(exc).__name__})"
    if run is None:
        return f"{job}: already posted"
    outcome, detail, error = _deliver_reminder(reminder)
    try:
        with session_scope() as session:
            jobruns.finish_run(session, run, outcome, clock.now(), detail, error)
    except Exception:
        log.exception("could not record %s", job)
    log.log(logging.WARNING if outcome == FAILED else logging.INFO, "%s %s: %s", job, outcome,
            error or detail)  # fmt: skip
    return f"{job}: {outcome}"


def _deliver_reminder(reminder: DueReminder) -> tuple[str, str, str | None]:
    host = urlsplit(reminder.url).hostname or "?"
    if not reminder.missing:
        return (
            SKIPPED,
            f"everyone has picked today's {reminder.games} game(s); nothing posted",
            None,
        )
    named = f"{len(reminder.missing)} player(s) not picked: {', '.join(reminder.missing)}"[:1500]
    where = f"{reminder.target.settings.format} post to {host}"
    try:
        if reminder.target.league_id is not None and not LEAGUE_PRIVATE_ADDRESSES_ALLOWED:
            refuse_private_host(host)
        status = deliver(reminder.url, reminder.post.body, reminder.post.headers)
    except DeliveryFailed as exc:
        return FAILED, f"{where}; {named}", str(exc)
    return OK, f"{where}: HTTP {status}; {named}", None


TEST_TEXT = "A test from PickVs: the daily reminder will be posted here."


def send_test(url: str, format: str, scope: str, *, league: bool) -> str:
    """Post a test message now, as the day's reminder would be (a league's never to a private
    address); what came of it, in words for the form. Never raises."""
    post = rules.payload(format, rules.title(scope), TEST_TEXT)
    try:
        if league and not LEAGUE_PRIVATE_ADDRESSES_ALLOWED:
            refuse_private_host(urlsplit(url).hostname or "")
        status = deliver(url, post.body, post.headers)
    except DeliveryFailed as exc:
        return f"The test post failed: {exc}."
    except Exception as exc:  # a form's button: say what happened, never crash the page
        log.exception("test post failed")
        return f"The test post failed: {type(exc).__name__}."
    return f"Test post sent (HTTP {status}): check the channel."


def deliver(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float = TIMEOUT_SECONDS,
    pause: Callable[[float], None] = time.sleep,
) -> int:
    """POST `body`, retrying once on a failure; the accepting status, or DeliveryFailed with
    both attempts' errors. Redirects are not followed (a webhook that moved is misconfigured)."""
    errors: list[str] = []
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        for attempt in (1, 2):
            if attempt == 2:
                pause(RETRY_PAUSE_SECONDS)
            try:
                response = client.post(url, content=body, headers=headers)
            except httpx.HTTPError as exc:
                errors.append(f"attempt {attempt}: {type(exc).__name__} {exc}"[:300])
                continue
            if 200 <= response.status_code < 300:
                return response.status_code
            errors.append(f"attempt {attempt}: HTTP {response.status_code}")
    raise DeliveryFailed("; ".join(errors))


def refuse_private_host(host: str) -> None:
    """DeliveryFailed unless every address `host` resolves to is a public one."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise DeliveryFailed(f"cannot resolve {host}: {exc}") from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            raise DeliveryFailed(f"{host} is a private address ({address}); not posted")
