"""Service-test fixtures: cheap bcrypt so registering a dozen players stays fast."""

from __future__ import annotations

import bcrypt
import pytest

from pickvs.services import auth

_real_gensalt = bcrypt.gensalt
_FAST_DUMMY_HASH = bcrypt.hashpw(b"pickvs-timing-equaliser", _real_gensalt(4)).decode()


@pytest.fixture(autouse=True)
def fast_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cost 4 instead of 12: the hash format and checks are the same, only the work differs."""
    monkeypatch.setattr(bcrypt, "gensalt", lambda rounds=4, prefix=b"2b": _real_gensalt(4, prefix))
    monkeypatch.setattr(auth, "_DUMMY_HASH", _FAST_DUMMY_HASH)


@pytest.fixture(autouse=True)
def secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed signing key, so no test writes one under the checkout's data/."""
    from pickvs.config import settings

    monkeypatch.setattr(settings, "secret_key", "test-secret-key-of-a-reasonable-length-0123456789")
