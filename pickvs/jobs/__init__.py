"""Scheduler wiring and the daily jobs. The only code that talks to the odds provider."""
