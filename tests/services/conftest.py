"""Service-test fixtures: cheap bcrypt so registering a dozen players stays fast, and a fixed
signing key (both from tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fast_auth(fast_bcrypt: None, signing_key: str) -> None:
    """Every service test: cost-4 bcrypt and a fixed signing key."""
