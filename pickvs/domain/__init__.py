"""Pure rules and value types. Imports nothing from the rest of PickVs.

A rule that must also run inside SQL (grading, locks, ROI) is written here once as a
SQLAlchemy expression builder, so the set-based queries in `services/` and the Python checks
share one definition.
"""
