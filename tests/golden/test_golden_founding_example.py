"""The founding example: every claim of nk-troops-withdrawn.expected.md, with its chain."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claimgraph.ingest import read_text
from claimgraph.model import Claim, ClaimRecord

GOLD = json.loads((Path(__file__).parent / "nk-troops-withdrawn.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def record(extractor, founding_text) -> ClaimRecord:  # type: ignore[no-untyped-def]
    article = read_text(founding_text, source=GOLD["article"])
    return extractor.analyze(article)


def _find(record: ClaimRecord, phrase: str) -> Claim:
    hits = [c for c in record.claims if phrase in c.content.text]
    assert hits, f"no claim holds {phrase!r}; claims: {[c.content.text for c in record.claims]}"
    return hits[0]


def _source_matches(source: Any, expected: str | dict[str, str]) -> bool:
    if isinstance(expected, str):
        return expected in source.text
    return all((getattr(source, key) or "").find(value) >= 0 for key, value in expected.items())


@pytest.mark.parametrize("expected", GOLD["claims"], ids=lambda e: str(e["n"]))
def test_golden_founding_example_claim(record: ClaimRecord, expected: dict[str, Any]) -> None:
    claim = _find(record, expected["contains"])
    chain = expected["chain"]
    assert len(claim.chain) == len(chain), f"chain {[(h.cue and h.cue.text) for h in claim.chain]}"
    for hop, (cue, sources) in zip(claim.chain, chain, strict=True):
        # the cue as listed, or with the words the attribution tagger keeps with it ("also confirmed")
        assert hop.cue is not None and cue in hop.cue.text
        for exp in sources:
            assert any(_source_matches(s, exp) for s in hop.sources), (exp, [s.text for s in hop.sources])
    for name in expected.get("names", []):
        assert any(name in (s.name or "") for hop in claim.chain for s in hop.sources)


def test_golden_founding_example_spans_index_the_text(record: ClaimRecord, founding_text: str) -> None:
    assert record.article.text == founding_text
    for claim in record.claims:
        for s, e in claim.content.offsets:
            assert founding_text[s:e] in claim.content.text
        for hop in claim.chain:
            assert hop.cue is not None
            assert " ".join(founding_text[s:e] for s, e in hop.cue.offsets) == hop.cue.text
            for src in hop.sources:
                assert " … ".join(founding_text[s:e] for s, e in src.offsets) == src.text


def test_golden_founding_example_no_claim_from_metadata(record: ClaimRecord) -> None:
    texts = " ".join(c.content.text for c in record.claims)
    assert "2025.01.31" not in texts
    assert "Photo" not in texts and "KCNA" not in texts
    assert len(record.claims) == len(GOLD["claims"])


def test_golden_founding_example_american_officials_are_two_sources(record: ClaimRecord) -> None:
    claim = _find(record, "have not been seen on the front line")
    citing = claim.chain[1]
    assert [s.text for s in citing.sources] == ["American … officials", "Ukrainian officials"]
    assert all(s.anonymous for s in citing.sources)


SEMANTICS_FILE = Path(__file__).parent / "nk-troops-withdrawn.semantics.json"
SEMANTICS = json.loads(SEMANTICS_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def linked(founding_text: str) -> ClaimRecord:
    """The record as `claimgraph analyze` prints it: extracted, then given canonical identities."""
    from claimgraph.config import Settings
    from claimgraph.run import analyze_articles

    article = read_text(founding_text, source=GOLD["article"])
    return next(analyze_articles([article], Settings()))


def _has(items: list[Any], expected: dict[str, Any]) -> bool:
    return any(all(getattr(item, k) == v for k, v in expected.items()) for item in items)


@pytest.mark.parametrize("expected", SEMANTICS["claims"], ids=lambda e: e["contains"][:30])
def test_golden_founding_example_semantics(linked: ClaimRecord, expected: dict[str, Any]) -> None:
    claim = _find(linked, expected["contains"])
    for key in ("certainty", "polarity"):
        if key in expected:
            assert getattr(claim, key) == expected[key]
    for hedge in expected.get("hedges", []):
        assert hedge in [h.text for h in claim.hedges]
    for key in ("quantities", "times", "entities"):
        for item in expected.get(key, []):
            assert _has(list(getattr(claim, key)), item), (item, [x.to_json() for x in getattr(claim, key)])
    sources = [s for hop in claim.chain for s in hop.sources]
    for src in expected.get("sources", []):
        assert _has(sources, src), (src, [s.to_json() for s in sources])
