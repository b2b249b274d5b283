"""OddsApiClient against the fake provider over real loopback HTTP: successes, every fault in
odds-api.md's table, timeouts and broken bodies, and what the ledger hook sees for each attempt.
"""

from __future__ import annotations

import logging
import socket
from typing import Any

import pytest

from pickvs.odds import (
    CallResult,
    MalformedResponse,
    OddsApiClient,
    ProviderError,
    QuotaExhausted,
    parse_odds,
)
from tests.fake_provider import FakeOddsApi, error_body
from tests.odds.conftest import API_KEY, NOW, ClientFactory

MARKETS = ("h2h", "spreads", "totals")
ODDS_PATH = "/v4/sports/basketball_nba/odds"
SCORES_PATH = "/v4/sports/basketball_nba/scores"


def get_odds(client: OddsApiClient) -> object:
    return client.get_odds("basketball_nba", MARKETS, ["us"])


# ------------------------------------------------------------------------------------ success


def test_odds_call_sends_the_documented_query_and_reads_quota_headers(
    client: OddsApiClient, fake_api: FakeOddsApi, calls: list[CallResult]
) -> None:
    payload = get_odds(client)
    assert isinstance(payload, list) and payload
    assert not parse_odds(payload, NOW).issues
    assert fake_api.requests == [
        (
            ODDS_PATH,
            {
                "apiKey": API_KEY,
                "regions": "us",
                "markets": "h2h,spreads,totals",
                "oddsFormat": "american",
                "dateFormat": "iso",
            },
        )
    ]
    (call,) = calls
    assert (call.endpoint, call.attempt, call.outcome, call.status_code) == (
        ODDS_PATH,
        1,
        "ok",
        200,
    )
    assert (call.credits_last, call.credits_used, call.credits_remaining) == (3, 3, 497)
    assert call.error_code is None and call.message is None
    assert 0 <= call.duration_ms < 2000


def test_bookmakers_replace_regions_and_cost_one_region_per_ten(
    client: OddsApiClient, fake_api: FakeOddsApi, calls: list[CallResult]
) -> None:
    client.get_odds("basketball_nba", ["h2h", "spreads"], ["us"], bookmakers=["fanduel", "bovada"])
    _, query = fake_api.requests[0]
    assert query["bookmakers"] == "fanduel,bovada" and "regions" not in query
    assert calls[0].credits_last == 2


def test_an_empty_list_costs_nothing(
    client: OddsApiClient, fake_api: FakeOddsApi, calls: list[CallResult]
) -> None:
    fake_api.set_odds([])
    assert get_odds(client) == []
    assert (calls[0].credits_last, calls[0].credits_remaining) == (0, 500)


@pytest.mark.parametrize(("days_from", "cost"), [(None, 1), (1, 2), (3, 2)])
def test_scores_call_sends_days_from_only_when_given(
    client: OddsApiClient,
    fake_api: FakeOddsApi,
    calls: list[CallResult],
    days_from: int | None,
    cost: int,
) -> None:
    assert isinstance(client.get_scores("basketball_nba", days_from), list)
    path, query = fake_api.requests[0]
    expected = {"apiKey": API_KEY, "dateFormat": "iso"}
    if days_from is not None:
        expected["daysFrom"] = str(days_from)
    assert (path, query) == (SCORES_PATH, expected)
    assert calls[0].credits_last == cost and calls[0].endpoint == SCORES_PATH


@pytest.mark.parametrize("days_from", [0, 4, -1, True, 2.0])
def test_bad_days_from_is_refused_before_any_call(
    client: OddsApiClient, fake_api: FakeOddsApi, days_from: Any
) -> None:
    with pytest.raises(ValueError, match="days_from"):
        client.get_scores("basketball_nba", days_from)
    assert fake_api.requests == []


@pytest.mark.parametrize(
    ("sport", "markets", "regions"),
    [
        ("../sports", MARKETS, ["us"]),
        ("basketball_nba", [], ["us"]),
        ("basketball_nba", MARKETS, []),
    ],
)
def test_malformed_arguments_are_refused_before_any_call(
    client: OddsApiClient, fake_api: FakeOddsApi, sport: str, markets: Any, regions: Any
) -> None:
    with pytest.raises(ValueError):
        client.get_odds(sport, markets, regions)
    assert fake_api.requests == []


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            {"x-requests-remaining": "12.0", "x-requests-used": "488", "x-requests-last": "3"},
            (3, 488, 12),
        ),
        (
            {"x-requests-remaining": "lots", "x-requests-used": "-1", "x-requests-last": ""},
            (None, None, None),
        ),
        ({"x-requests-remaining": "7"}, (0, 0, 7)),  # the others from the fake; [] is free
    ],
)
def test_quota_headers_are_read_leniently(
    client: OddsApiClient,
    fake_api: FakeOddsApi,
    calls: list[CallResult],
    headers: dict[str, str],
    expected: tuple[int | None, ...],
) -> None:
    fake_api.enqueue(200, [], headers=headers)
    get_odds(client)
    assert (calls[0].credits_last, calls[0].credits_used, calls[0].credits_remaining) == expected


def test_trailing_slash_in_base_url_is_ignored(
    make_client: ClientFactory, fake_api: FakeOddsApi
) -> None:
    get_odds(make_client(base_url=fake_api.base_url + "/"))
    assert fake_api.requests[0][0] == ODDS_PATH


@pytest.mark.parametrize("base_url", ["api.the-odds-api.com", "ftp://host", "https://h/?a=1"])
def test_base_url_must_be_http_with_a_host(base_url: str) -> None:
    with pytest.raises(ValueError, match="base URL"):
        OddsApiClient(base_url, API_KEY)


# ------------------------------------------------------------------------------------- faults

NOT_RETRIED = [
    # (status, body, exception, error_code)
    (401, error_body("INVALID_KEY", "API key is not valid"), ProviderError, "INVALID_KEY"),
    (401, error_body("MISSING_KEY", "API key is missing"), ProviderError, "MISSING_KEY"),
    (401, error_body("DEACTIVATED_KEY", "Key deactivated"), ProviderError, "DEACTIVATED_KEY"),
    (
        401,
        error_body("OUT_OF_USAGE_CREDITS", "Usage quota reached"),
        QuotaExhausted,
        "OUT_OF_USAGE_CREDITS",
    ),
    (
        429,
        error_body("OUT_OF_USAGE_CREDITS", "Usage quota reached"),
        QuotaExhausted,
        "OUT_OF_USAGE_CREDITS",
    ),
    (422, error_body("INVALID_MARKET", "Invalid markets"), ProviderError, "INVALID_MARKET"),
    (422, error_body("MISSING_REGION", "Missing regions"), ProviderError, "MISSING_REGION"),
    (404, error_body("UNKNOWN_SPORT", "Unknown sport"), ProviderError, "UNKNOWN_SPORT"),
    (400, {"message": "Bad request"}, ProviderError, None),
    (429, error_body("INVALID_KEY", "API key is not valid"), ProviderError, "INVALID_KEY"),
]


@pytest.mark.parametrize(("status", "body", "exception", "code"), NOT_RETRIED)
def test_errors_that_retrying_cannot_fix_are_tried_once(
    client: OddsApiClient,
    fake_api: FakeOddsApi,
    calls: list[CallResult],
    sleeps: list[float],
    status: int,
    body: dict[str, str],
    exception: type[ProviderError],
    code: str | None,
) -> None:
    for _ in range(3):
        fake_api.enqueue(status, body)
    with pytest.raises(exception) as raised:
        get_odds(client)
    error = raised.value
    assert type(error) is exception
    assert (error.status_code, error.error_code, error.message) == (status, code, body["message"])
    assert not error.retryable
    assert len(fake_api.requests) == 1 and sleeps == []
    (call,) = calls
    assert (call.attempt, call.outcome, call.status_code, call.error_code, call.message) == (
        1,
        "error",
        status,
        code,
        body["message"],
    )
    assert body["message"] in str(error)


RETRIED = [
    # (status, body, raw, error_code, message)
    (500, {"message": "Internal error"}, False, None, "Internal error"),
    (
        502,
        "<html><body>Bad Gateway</body></html>",
        True,
        None,
        "HTTP 502 Bad Gateway (no JSON error body)",
    ),
    (
        503,
        error_body("SERVICE_UNAVAILABLE", "Try later"),
        False,
        "SERVICE_UNAVAILABLE",
        "Try later",
    ),
    (
        429,
        error_body("EXCEEDED_FREQ_LIMIT", "Too many requests"),
        False,
        "EXCEEDED_FREQ_LIMIT",
        "Too many requests",
    ),
    (429, "", True, None, "HTTP 429 Too Many Requests (no JSON error body)"),
    (429, error_body("SOMETHING_NEW", "Slow down"), False, "SOMETHING_NEW", "Slow down"),
]


@pytest.mark.parametrize(("status", "body", "raw", "code", "message"), RETRIED)
def test_transient_errors_get_three_attempts_then_fail_with_the_last_message(
    client: OddsApiClient,
    fake_api: FakeOddsApi,
    calls: list[CallResult],
    sleeps: list[float],
    status: int,
    body: object,
    raw: bool,
    code: str | None,
    message: str,
) -> None:
    for _ in range(3):
        fake_api.enqueue(status, body, raw=raw)
    with pytest.raises(ProviderError) as raised:
        get_odds(client)
    assert (raised.value.status_code, raised.value.error_code, raised.value.message) == (
        status,
        code,
        message,
    )
    assert len(fake_api.requests) == 3
    assert [(c.attempt, c.outcome, c.status_code, c.message) for c in calls] == [
        (n, "error", status, message) for n in (1, 2, 3)
    ]
    assert sleeps == [0.5, 1.0]  # exponential backoff between the three attempts


@pytest.mark.parametrize("failures", [1, 2])
@pytest.mark.parametrize(
    ("status", "body"),
    [(503, {"message": "Service unavailable"}), (429, error_body("EXCEEDED_FREQ_LIMIT"))],
)
def test_transient_errors_then_success(
    client: OddsApiClient,
    fake_api: FakeOddsApi,
    calls: list[CallResult],
    failures: int,
    status: int,
    body: dict[str, str],
) -> None:
    for _ in range(failures):
        fake_api.enqueue(status, body)
    assert get_odds(client)
    assert len(fake_api.requests) == failures + 1
    assert [c.outcome for c in calls] == ["error"] * failures + ["ok"]
    assert [c.attempt for c in calls] == list(range(1, failures + 2))
    assert calls[-1].credits_last == 3


def test_quota_exhaustion_from_the_fake_itself(
    make_client: ClientFactory, fake_api: FakeOddsApi, calls: list[CallResult]
) -> None:
    fake_api.credits_used = 499  # 3 more credits would overrun the 500
    with pytest.raises(QuotaExhausted):
        get_odds(make_client())
    assert len(fake_api.requests) == 1 and calls[0].status_code == 401


def test_max_attempts_is_configurable(
    make_client: ClientFactory, fake_api: FakeOddsApi, calls: list[CallResult]
) -> None:
    for _ in range(5):
        fake_api.enqueue(500, {"message": "boom"})
    with pytest.raises(ProviderError):
        get_odds(make_client(max_attempts=5))
    assert len(calls) == 5


# ---------------------------------------------------------------------------- network failures


def test_slow_responses_time_out_three_times(
    make_client: ClientFactory, fake_api: FakeOddsApi, calls: list[CallResult]
) -> None:
    for _ in range(3):
        fake_api.enqueue(200, [], delay=1.0)
    with pytest.raises(ProviderError) as raised:
        get_odds(make_client(timeout=0.3))
    assert raised.value.error_code == "TIMEOUT" and raised.value.status_code is None
    assert [(c.attempt, c.error_code, c.status_code) for c in calls] == [
        (1, "TIMEOUT", None),
        (2, "TIMEOUT", None),
        (3, "TIMEOUT", None),
    ]
    assert all(250 <= c.duration_ms < 1000 for c in calls)


def test_a_timeout_then_success(
    make_client: ClientFactory, fake_api: FakeOddsApi, calls: list[CallResult]
) -> None:
    fake_api.enqueue(200, [], delay=1.0)
    assert get_odds(make_client(timeout=0.3))
    assert [c.outcome for c in calls] == ["error", "ok"]


def test_connection_refused_is_retried_as_a_transport_error(
    make_client: ClientFactory, calls: list[CallResult]
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before the client connects
    client = make_client(base_url=f"http://127.0.0.1:{port}")
    with pytest.raises(ProviderError) as raised:
        get_odds(client)
    assert raised.value.error_code == "TRANSPORT" and raised.value.retryable
    assert len(calls) == 3 and API_KEY not in raised.value.message


# ---------------------------------------------------------------------------- malformed bodies


@pytest.mark.parametrize(
    "body",
    [
        '[{"id": "e912304de2b2ce35b473ce2ecd3d1502", "home_team": "Bost',  # truncated
        "<!DOCTYPE html><html><body>Maintenance</body></html>",
        '{"message": "a 200 that is not a list"}',
        "",
        "[NaN]",
        b"\xff\xfe[]",
    ],
    ids=["truncated", "html", "object", "empty", "nan", "not utf-8"],
)
def test_malformed_success_bodies_raise_after_one_recorded_attempt(
    client: OddsApiClient, fake_api: FakeOddsApi, calls: list[CallResult], body: str | bytes
) -> None:
    fake_api.enqueue(200, body, raw=True)
    with pytest.raises(MalformedResponse):
        get_odds(client)
    assert len(fake_api.requests) == 1
    (call,) = calls
    assert (call.outcome, call.status_code, call.error_code) == ("error", 200, "MALFORMED")
    assert call.credits_last == 3  # the provider charged for it all the same


# ---------------------------------------------------------------------------- the api key


def test_the_key_never_leaks_into_results_messages_or_logs(
    client: OddsApiClient,
    fake_api: FakeOddsApi,
    calls: list[CallResult],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    fake_api.enqueue(401, error_body("INVALID_KEY", f"API key {API_KEY} is not valid"))
    with pytest.raises(ProviderError) as raised:
        get_odds(client)
    get_odds(client)
    assert fake_api.requests[0][1]["apiKey"] == API_KEY  # it was sent...
    texts = [str(raised.value), raised.value.message, caplog.text]
    texts += [f"{c.endpoint} {c.message}" for c in calls]
    assert all(API_KEY not in text for text in texts)  # ...and is nowhere else
    assert "API key *** is not valid" in raised.value.message
    assert "apiKey=***" in caplog.text  # httpx's own request log line, masked


def test_context_manager_closes_the_client(fake_api: FakeOddsApi) -> None:
    with OddsApiClient(fake_api.base_url, API_KEY) as client:
        get_odds(client)
    with pytest.raises(RuntimeError):
        get_odds(client)
