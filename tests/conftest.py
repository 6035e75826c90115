"""Shared fixtures: the real English pipeline is loaded once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def extractor():  # type: ignore[no-untyped-def]
    from claimgraph.nlp.pipeline import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def founding_text() -> str:
    return (EXAMPLES / "nk-troops-withdrawn.txt").read_text(encoding="utf-8")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say whether the PostgreSQL half of the store tests ran: a skipped half must show."""
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for outcome in counts:
        for report in terminalreporter.stats.get(outcome, []):
            if "postgres" in getattr(report, "nodeid", "") and report.when in ("call", "setup"):
                if outcome != "passed" or report.when == "call":
                    counts[outcome] += 1
    if not any(counts.values()) and not os.environ.get("CI"):
        return
    terminalreporter.write_line(
        f"PostgreSQL tests: {counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped"
        + (" (the PostgreSQL half did NOT run)" if counts["skipped"] and not counts["passed"] else "")
    )
