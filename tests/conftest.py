"""Shared fixtures: the real English pipeline is loaded once per test session."""

from __future__ import annotations

import os
from collections.abc import Callable
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


#: the founding example, its echo and the Seoul report: the founding cluster and its origins
NK_ARTICLES = ("nk-troops-withdrawn.txt", "nk-troops-echo.txt", "nk-troops-12000.txt")


@pytest.fixture(scope="session")
def nk_db(tmp_path_factory: pytest.TempPathFactory, extractor) -> str:  # type: ignore[no-untyped-def]
    """A SQLite store of the three North Korean troops articles, ingested and linked by the real
    pipeline once per session: its URL. Tests read it; none may write to it."""
    from claimgraph.config import Settings
    from claimgraph.run import ingest
    from claimgraph.store import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('nk') / 'nk.db'}"
    store = Store(url, create=True)
    report = ingest(
        [EXAMPLES / name for name in NK_ARTICLES], Settings(db_url=url), store, extractor=extractor
    )
    store.close()
    assert report.stored == 3 and not report.failed, report
    return url


def _half(terminalreporter: pytest.TerminalReporter, label: str, test: Callable[[str], bool]) -> None:
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for outcome in counts:
        for report in terminalreporter.stats.get(outcome, []):
            if test(getattr(report, "nodeid", "")) and report.when in ("call", "setup"):
                if outcome != "passed" or report.when == "call":
                    counts[outcome] += 1
    if not any(counts.values()) and not os.environ.get("CI"):
        return
    terminalreporter.write_line(
        f"{label} tests: {counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped"
        + (f" (the {label} half did NOT run)" if counts["skipped"] and not counts["passed"] else "")
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say whether the PostgreSQL half and the browser half ran: a skipped half must show."""
    _half(terminalreporter, "PostgreSQL", lambda nodeid: "postgres" in nodeid)
    _half(terminalreporter, "Browser", lambda nodeid: nodeid.startswith("tests/browser/"))
