"""The daily reminder webhooks (placeholder until the reminders work lands)."""

from __future__ import annotations

from pickvs.domain.clock import Clock


def run_due_reminders(clock: Clock) -> str:
    """Post every reminder that has come due and was not posted yet; never raises."""
    return "no reminders configured"
