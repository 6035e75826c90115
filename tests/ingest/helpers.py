"""Helpers of the ingest tests: read a path and expect one article or one error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from claimgraph.config import Settings
from claimgraph.errors import InputError
from claimgraph.ingest import read_path
from claimgraph.model import Article

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
FOUNDING_EXAMPLE = ROOT / "examples" / "nk-troops-withdrawn.txt"

WriteFile = Callable[[str, str | bytes], Path]


def read_all(path: Path, settings: Settings | None = None, **flags: str) -> list[Article | InputError]:
    return list(read_path(path, settings or Settings(), **flags))


def read_one(path: Path, settings: Settings | None = None, **flags: str) -> Article:
    results = read_all(path, settings, **flags)
    assert len(results) == 1, results
    assert isinstance(results[0], Article), results[0]
    return results[0]


def read_error(path: Path, settings: Settings | None = None, **flags: str) -> InputError:
    results = read_all(path, settings, **flags)
    assert len(results) == 1, results
    assert isinstance(results[0], InputError), results[0]
    return results[0]


def texts(article: Article, spans: tuple[tuple[int, int], ...]) -> list[str]:
    """The text of each span."""
    return [article.text[s:e] for s, e in spans]
