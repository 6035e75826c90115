"""Shared fixtures: the real English pipeline is loaded once per test session."""

from __future__ import annotations

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
