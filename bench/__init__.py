"""PickVs benchmarks: measured, never timed tests. `python -m bench` runs them all.

Each benchmark module exposes `run(ctx) -> Iterable[Measure]`, builds its own data with a seeded
generator, and is listed in `bench.__main__.SUITES`. CI does not run them; numbers go to
BENCHMARKS.md with the date and machine.
"""
