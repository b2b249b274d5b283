"""Lines printed past pytest's output capture: build and start times are what the CI budget
watches, so the suites that start servers report them as they happen."""

from __future__ import annotations

import pytest


def report_line(config: pytest.Config, line: str) -> None:
    capture = config.pluginmanager.get_plugin("capturemanager")
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if capture is None or reporter is None:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(line)
