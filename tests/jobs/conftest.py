"""Job tests run the real jobs against a fake Odds API over loopback HTTP, in live mode."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pickvs.config import settings
from tests.fake_provider import FakeOddsApi


@pytest.fixture
def fake_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOddsApi]:
    with FakeOddsApi() as fake:
        monkeypatch.setattr(settings, "odds_api_key", "test-key-123")
        monkeypatch.setattr(settings, "odds_api_base_url", fake.base_url)
        monkeypatch.setattr(settings, "http_timeout_seconds", 0.5)
        monkeypatch.setattr(settings, "monthly_credits", 500)
        yield fake
