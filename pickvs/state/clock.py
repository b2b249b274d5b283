"""The clock every state handler reads: handlers call `clock.now()`, never the wall clock.

One module-level clock, the system's by default. Tests swap it (`set_clock(FixedClock(...))`,
or the `clock` fixture in tests/state/conftest.py) to expire tokens or lock games by hand.
"""

from __future__ import annotations

from datetime import datetime

from pickvs.domain.clock import Clock, SystemClock

_clock: Clock = SystemClock()


def now() -> datetime:
    """The current instant (aware UTC) according to the injected clock."""
    return _clock.now()


def get_clock() -> Clock:
    return _clock


def set_clock(clock: Clock) -> Clock:
    """Use `clock` from now on; returns the previous one so a test can put it back."""
    global _clock
    previous, _clock = _clock, clock
    return previous
