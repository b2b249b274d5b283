"""Closing lines and closing-line value per pick (placeholder until the CLV work lands)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session


def update_clv(session: Session, now: datetime, lock_minutes: int = 0) -> int:
    """Store the closing line and CLV of every pick on a locked game whose closing line is new.

    Returns how many picks changed. Safe to call from any job at any time.
    """
    return 0
