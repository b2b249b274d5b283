"""The benchmarks still run: a tiny league through the grading, leaderboard and slate suites
on both backends. Timings on this scale mean nothing and are not checked; that every measure
prints its line, and that the per-row loop and set-based grading agree, is."""

from __future__ import annotations

import pytest

from bench.__main__ import main

SUITES = ("grading", "leaderboard", "slate")


def test_the_suites_run_at_a_tiny_scale(capsys: pytest.CaptureFixture[str]) -> None:
    main([*SUITES, "--scale", "0.002", "--seed", "7"])
    out = capsys.readouterr().out
    lines = out.splitlines()
    for backend in ("sqlite", "postgresql"):
        mine = [line for line in lines if f"[{backend}]" in line]
        for measure in (
            "grade every pending pick and recompute every player",
            "set-based v per-row loop",
            "leaderboard top 50 all time",
            "leaderboard top 50 this season",
            "leaderboard rebuild this season",
            "leaderboard top 50 this month",
            "leaderboard top 50 this week",
            "slate page, 2 days, one player",
        ):
            assert any(line.startswith(measure) for line in mine), (backend, measure, out)
        assert any("results agree pick for pick" in line for line in mine), out
        assert any("totals check" in line and ": agree" in line for line in mine), out
    for suite in SUITES:
        assert f"# {suite} took" in out
