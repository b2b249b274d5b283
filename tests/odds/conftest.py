"""Fixtures for the odds layer: the real capture, the loopback fake and clients aimed at it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pickvs.odds.client import CallResult, OddsApiClient
from tests.fake_provider import FakeOddsApi

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
REAL_CAPTURE = FIXTURES / "odds_nba_real_2022-11-23.json"
CAPTURE_FETCHED_AT = datetime(2022, 11, 23, 1, 6, tzinfo=UTC)
API_KEY = "test-key-9f8e7d6c5b4a"
NOW = datetime(2026, 11, 22, 17, 0, tzinfo=UTC)  # noon in New York

ClientFactory = Callable[..., OddsApiClient]


@pytest.fixture(scope="session")
def real_capture() -> list[Any]:
    with REAL_CAPTURE.open(encoding="utf-8") as handle:
        payload = json.load(handle)
    assert isinstance(payload, list)
    return payload


@pytest.fixture
def fake_api() -> Iterator[FakeOddsApi]:
    with FakeOddsApi(now=NOW) as fake:
        yield fake


@pytest.fixture
def calls() -> list[CallResult]:
    """Every CallResult the client reported, in order: what the quota ledger would get."""
    return []


@pytest.fixture
def sleeps() -> list[float]:
    """Backoff pauses the client asked for; recorded instead of slept, to keep tests fast."""
    return []


@pytest.fixture
def make_client(
    fake_api: FakeOddsApi, calls: list[CallResult], sleeps: list[float]
) -> Iterator[ClientFactory]:
    clients: list[OddsApiClient] = []

    def make(**overrides: Any) -> OddsApiClient:
        options: dict[str, Any] = {
            "timeout": 2.0,
            "on_call": calls.append,
            "sleep": sleeps.append,
            "backoff_seconds": 0.5,
        }
        options.update(overrides)
        base_url = options.pop("base_url", fake_api.base_url)
        client = OddsApiClient(base_url, options.pop("api_key", API_KEY), **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: ClientFactory) -> OddsApiClient:
    return make_client()
