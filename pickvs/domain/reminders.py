"""Daily reminder webhooks: when a day's post is due, who it names, and what is sent.

A league's owner (or the instance's admin) may give a webhook URL; once a day, a set number of
minutes before the slate day's first lock, one post names the players who have not picked yet.
Everything here is pure: the service reads the games and picks, the job does the HTTP.

Two body formats, because those are what group chats take without an adapter:

- "json": one JSON object carrying the text as both `content` (Discord) and `text` (Slack
  incoming webhooks, Mattermost, Rocket.Chat), so one URL of either kind works unchanged. Each
  copy is escaped for its reader (Discord's markdown; Slack's `&`, `<`, `>`), and Discord is
  told to ping nobody (`allowed_mentions`): a league's name is anyone's text, and must not
  turn into "@everyone" or "<!channel>".
- "ntfy": the text as a text/plain body with the title in a `Title` header (ntfy.sh).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pickvs.domain.locks import lock_time

JSON, NTFY = "json", "ntfy"
FORMATS = (JSON, NTFY)
DEFAULT_FORMAT = JSON
DEFAULT_MINUTES = 60
MAX_MINUTES = 720  # twelve hours: earlier than that, nobody has the day's games in mind yet
URL_MAX_CHARS = 500  # the column's width
DISCORD_CONTENT_MAX = 2000  # Discord refuses a longer `content` (400)
NAMES_SHOWN = 40  # beyond this the post says "and N more": a chat message, not a roster
ACTIVE_DAYS = 14  # the instance reminder names players who picked in the last two weeks

# The URL rule, written once as a pattern the API document states and the server applies
# alike: http or https, a host name (letters, digits, dots, dashes), an optional port
# 0-65535, then any printable ASCII without spaces. No user:password@ part (a secret would
# then show wherever the host is shown).
_PORT = r"(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4}))?"
URL_PATTERN = rf"^https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?{_PORT}(?:[/?#][!-~]*)?$"
_URL = re.compile(URL_PATTERN)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class ReminderError(ValueError):
    """A reminder setting that cannot be used; `field` names it, the message says what to do."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ReminderSettings:
    """A configured reminder. None stands for "off" wherever a reminder is optional."""

    url: str
    format: str = DEFAULT_FORMAT
    minutes: int = DEFAULT_MINUTES


def check_url(raw: str) -> str:
    """The URL as stored (trimmed), or ReminderError saying what is wrong with it."""
    url = raw.strip()
    if len(url) > URL_MAX_CHARS:
        raise ReminderError("url", f"The webhook URL is too long (at most {URL_MAX_CHARS}).")
    scheme = _SCHEME.match(url)
    if scheme and scheme.group(0).lower() not in ("http:", "https:"):
        raise ReminderError(
            "url",
            "The webhook URL must start with https:// (or http://); other schemes are refused.",
        )
    if not _URL.fullmatch(url):
        raise ReminderError(
            "url",
            "Enter the webhook's full address, like https://discord.com/api/webhooks/... or "
            "https://ntfy.sh/your-topic (no spaces, no user:password@).",
        )
    return url


def check_format(raw: str) -> str:
    if raw not in FORMATS:
        raise ReminderError("format", "Choose the format: json (Discord, Slack) or ntfy.")
    return raw


def check_minutes(raw: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_MINUTES:
        raise ReminderError(
            "minutes", f"Minutes before the first lock: a whole number from 0 to {MAX_MINUTES}."
        )
    return raw


def check_settings(
    url: str | None, format: str | None = None, minutes: int | None = None
) -> ReminderSettings | None:
    """Checked settings, or None (off) for a blank URL. Blank format and minutes take the
    defaults (json, 60)."""
    if url is None or not url.strip():
        return None
    return ReminderSettings(
        url=check_url(url),
        format=check_format(format or DEFAULT_FORMAT),
        minutes=check_minutes(DEFAULT_MINUTES if minutes is None else minutes),
    )


# --- when ---------------------------------------------------------------------------------


def first_lock(tip_offs: Iterable[datetime], lock_minutes: int = 0) -> datetime | None:
    """The earliest lock among a slate day's tip-offs; None for a day without games."""
    tips = list(tip_offs)
    return lock_time(min(tips), lock_minutes) if tips else None


def due_at(first: datetime, minutes: int) -> datetime:
    return first - timedelta(minutes=minutes)


def is_due(first: datetime | None, minutes: int, now: datetime) -> bool:
    """Post between the due time and the first lock: after the lock the post is no use (a
    worker back from an outage does not send a stale reminder)."""
    return first is not None and due_at(first, minutes) <= now < first


# --- who and what ---------------------------------------------------------------------------


def not_picked(players: Iterable[str], picked: Iterable[str]) -> list[str]:
    """The players (usernames) without a pick today, in case-insensitive order."""
    done = {name.casefold() for name in picked}
    return sorted({p for p in players if p.casefold() not in done}, key=lambda p: (p.casefold(), p))


INSTANCE_SCOPE = "PickVs"


def title(scope: str) -> str:
    """The post's heading: "PickVs: Office" for a league, "PickVs reminder" for the instance."""
    return "PickVs reminder" if scope == INSTANCE_SCOPE else f"PickVs: {scope}"


def message(missing: Sequence[str], games: int, first: datetime, tz: ZoneInfo) -> str:
    """The post's text (its title names the league): how many games, when picking closes,
    who has not picked."""
    local = first.astimezone(tz)
    clock = f"{local:%I:%M %p}".lstrip("0") + f" {local.tzname() or tz.key}"
    shown = list(missing[:NAMES_SHOWN])
    more = len(missing) - len(shown)
    names = ", ".join(shown) + (f" and {more} more" if more else "")
    game_word = "game" if games == 1 else "games"
    return (
        f"{games} {game_word} today, picks close at {clock}. "
        f"Not picked yet ({len(missing)}): {names}."
    )


@dataclass(frozen=True)
class Post:
    """One HTTP POST: the body and its headers."""

    body: bytes
    headers: dict[str, str]


def payload(format: str, heading: str, text: str) -> Post:
    """The request for `format` (json or ntfy) carrying `text`, titled `heading`."""
    if format == NTFY:
        return Post(
            body=text.encode("utf-8"),
            headers={"Content-Type": "text/plain; charset=utf-8", "Title": header_text(heading)},
        )
    content = f"**{discord_escape(heading)}**\n{discord_escape(text)}"
    if len(content) > DISCORD_CONTENT_MAX:
        content = content[: DISCORD_CONTENT_MAX - 1] + "…"
    body = {
        "content": content,
        "text": f"*{slack_escape(heading)}*\n{slack_escape(text)}",
        "allowed_mentions": {"parse": []},
    }
    encoded = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return Post(body=encoded, headers={"Content-Type": "application/json"})


# Emphasis, code, spoilers, quotes and masked links: a league named "[win](https://...)"
# stays text.
_DISCORD_MARKUP = re.compile(r"([\\*_~`|>\[\]])")


def discord_escape(text: str) -> str:
    """Text Discord shows as it is: every markdown character behind a backslash."""
    return _DISCORD_MARKUP.sub(r"\\\1", text)


def slack_escape(text: str) -> str:
    """Text Slack shows as it is: its three control characters as entities (no mention,
    link or channel ping can be spelled with them)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def header_text(value: str) -> str:
    """A header value HTTP can carry: ASCII as it is, else an RFC 2047 encoded word (ntfy
    decodes these), so a league named "Büro" keeps its name."""
    clean = " ".join(value.split())
    if clean.isascii():
        return clean
    encoded = base64.b64encode(clean.encode("utf-8")).decode("ascii")
    return f"=?UTF-8?B?{encoded}?="
