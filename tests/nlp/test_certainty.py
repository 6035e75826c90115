"""Certainty and polarity of claims on FactBank's scale."""

from __future__ import annotations

import pytest

from claimgraph.model import Article


@pytest.mark.parametrize(
    ("text", "phrase", "certainty", "polarity"),
    [
        ("Officials said the troops have withdrawn.", "troops", "certain", "positive"),
        ("Officials said the troops have not withdrawn.", "troops", "certain", "negative"),
        ("Officials said the troops may return.", "troops", "possible", "positive"),
        ("Officials said the troops may not return.", "troops", "possible", "negative"),
        ("Officials said the troops likely suffered losses.", "troops", "probable", "positive"),
        ("Officials said it is possible that the troops could return.", "troops", "possible", "positive"),
        ("The ministry denied that its forces shelled the village.", "forces", "certain", "negative"),
        ("Analysts believe the offensive will stall.", "offensive", "probable", "positive"),
        ("Residents fear that the dam will burst.", "dam", "unknown", "positive"),
        ("There has been no presence of foreign troops in the region.", "presence", "certain", "negative"),
    ],
)
def test_certainty_scale(extractor, text: str, phrase: str, certainty: str, polarity: str) -> None:  # type: ignore[no-untyped-def]
    claims = extractor.analyze(Article(text=text)).claims
    claim = next(c for c in claims if phrase in c.content.text)
    assert (claim.certainty, claim.polarity) == (certainty, polarity)
