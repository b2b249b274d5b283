"""Reminder rules: URL checks, when a post is due, who it names, and the two body formats."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pickvs.domain import reminders as rules
from pickvs.domain.reminders import ReminderError, ReminderSettings

NY = ZoneInfo("America/New_York")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    "url",
    [
        "https://discord.com/api/webhooks/123/abc-DEF_ghi",
        "https://hooks.slack.com/services/T000/B000/XXXX",
        "http://ntfy.sh/pickvs-office",
        "https://ntfy.example.org:8443/topic?x=1#frag",
        "http://127.0.0.1:65535/hook",
        "  https://ntfy.sh/trimmed  ",
    ],
)
def test_urls_accepted(url: str) -> None:
    assert rules.check_url(url) == url.strip()


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("ftp://example.com/hook", "must start with https://"),
        ("javascript:alert(1)", "must start with https://"),
        ("file:///etc/passwd", "must start with https://"),
        ("discord.com/api/webhooks/1", "full address"),
        ("https://", "full address"),
        ("https://exa mple.com/hook", "full address"),
        ("https://user:secret@example.com/hook", "full address"),
        ("https://example.com:65536/hook", "full address"),
        ("https://example.com/caf\u00e9", "full address"),
        ("https://example.com/" + "a" * 500, "too long"),
    ],
)
def test_urls_refused_with_a_clear_message(url: str, says: str) -> None:
    with pytest.raises(ReminderError) as refused:
        rules.check_url(url)
    assert refused.value.field == "url" and says in refused.value.message


def test_settings_defaults_and_off() -> None:
    assert rules.check_settings(None) is None
    assert rules.check_settings("   ") is None
    assert rules.check_settings("https://ntfy.sh/t") == ReminderSettings(
        "https://ntfy.sh/t", "json", 60
    )
    assert rules.check_settings("https://ntfy.sh/t", "ntfy", 0) == ReminderSettings(
        "https://ntfy.sh/t", "ntfy", 0
    )
    for fmt, minutes, field in (
        ("xml", 60, "format"),
        ("json", -1, "minutes"),
        ("json", 721, "minutes"),
    ):
        with pytest.raises(ReminderError) as refused:
            rules.check_settings("https://ntfy.sh/t", fmt, minutes)
        assert refused.value.field == field


def test_due_from_the_first_lock_until_it() -> None:
    tips = [utc("2026-11-23T02:30"), utc("2026-11-23T00:00"), utc("2026-11-23T00:30")]
    first = rules.first_lock(tips, lock_minutes=5)
    assert first == utc("2026-11-22T23:55")  # 7:00 pm EST tip, picks close at 6:55
    assert rules.first_lock([], 0) is None
    assert rules.due_at(first, 60) == utc("2026-11-22T22:55")
    assert not rules.is_due(first, 60, utc("2026-11-22T22:54:59"))
    assert rules.is_due(first, 60, utc("2026-11-22T22:55"))
    assert rules.is_due(first, 60, first - timedelta(seconds=1))
    assert not rules.is_due(first, 60, first)  # too late once picking has closed
    assert not rules.is_due(None, 60, first)


def test_who_has_not_picked() -> None:
    players = ["cyd", "Bob", "ann", "dee", "bob"]
    assert rules.not_picked(players, ["ANN", "dee"]) == ["Bob", "bob", "cyd"]
    assert rules.not_picked(["ann"], ["ann"]) == []


def test_message_text_in_league_time() -> None:
    first = utc("2026-07-01T23:00")  # EDT: 7:00 pm
    assert rules.message(["bob"], 1, first, NY) == (
        "1 game today, picks close at 7:00 PM EDT. Not picked yet (1): bob."
    )
    many = [f"p{n:02}" for n in range(45)]
    text = rules.message(many, 9, utc("2026-11-22T17:30"), NY)
    assert text.startswith("9 games today, picks close at 12:30 PM EST. Not picked yet (45): ")
    assert text.endswith("p38, p39 and 5 more.")


def test_json_payload_is_discord_and_slack_compatible() -> None:
    post = rules.payload("json", "PickVs: Office", "Not picked yet (2): bob, sixth_man_sue.")
    assert post.headers == {"Content-Type": "application/json"}
    assert json.loads(post.body) == {
        "content": "**PickVs: Office**\nNot picked yet (2): bob, sixth\\_man\\_sue.",
        "text": "*PickVs: Office*\nNot picked yet (2): bob, sixth_man_sue.",
        "allowed_mentions": {"parse": []},
    }
    long = json.loads(rules.payload("json", "T", "x" * 3000).body)
    assert len(long["content"]) == rules.DISCORD_CONTENT_MAX and long["content"].endswith("…")


def test_a_league_name_cannot_ping_or_link() -> None:
    """A league's name is anyone's text: no Discord markdown or masked link, no Slack mention."""
    body = json.loads(
        rules.payload("json", "PickVs: [win](https://x.io) <!channel> @everyone", "").body
    )
    assert body["content"] == "**PickVs: \\[win\\](https://x.io) <!channel\\> @everyone**\n"
    assert body["text"] == "*PickVs: [win](https://x.io) &lt;!channel&gt; @everyone*\n"
    assert body["allowed_mentions"] == {"parse": []}  # Discord pings nobody, @everyone included
    assert rules.slack_escape("a & b") == "a &amp; b"
    assert rules.discord_escape("*_~`|>\\") == "\\*\\_\\~\\`\\|\\>\\\\"


def test_ntfy_payload_is_plain_text_with_a_title_header() -> None:
    post = rules.payload("ntfy", "PickVs: Office", "Not picked yet (1): bob.")
    assert post.body == b"Not picked yet (1): bob."
    assert post.headers == {"Content-Type": "text/plain; charset=utf-8", "Title": "PickVs: Office"}
    encoded = rules.payload("ntfy", "PickVs: Büro", "x").headers["Title"]
    assert encoded.startswith("=?UTF-8?B?") and encoded.endswith("?=")
    assert base64.b64decode(encoded[10:-2]).decode() == "PickVs: Büro"


def test_titles() -> None:
    assert rules.title("Office") == "PickVs: Office"
    assert rules.title(rules.INSTANCE_SCOPE) == "PickVs reminder"
