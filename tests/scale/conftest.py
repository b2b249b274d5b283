"""Scale and outage tests: real processes against servers of their own.

Run with `python -m pytest -m scale tests/scale` (scripts/test.sh does, after the browser step).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

# Debian's Chromium through Playwright, exactly as the browser suite launches it.
from tests.browser.conftest import browser, playwright  # noqa: F401
from tests.scale.cluster import Cluster


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    """A running throwaway cluster; a test that stops it starts it again before it ends."""
    own = Cluster().init()
    own.start()
    try:
        yield own
    finally:
        own.remove()
