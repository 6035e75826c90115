"""Attribution rules and chains on hand-written sentences, parsed by the real English pipeline."""

from __future__ import annotations

import pytest

from claimgraph.model import Article, Claim


def _claims(extractor, text: str) -> list[Claim]:  # type: ignore[no-untyped-def]
    return list(extractor.analyze(Article(text=text)).claims)


def _chain(claim: Claim) -> list[tuple[str, list[str]]]:
    return [(h.cue.text if h.cue else "", [s.text for s in h.sources]) for h in claim.chain]


@pytest.mark.parametrize(
    ("text", "content", "chain"),
    [
        (
            "The minister said that the bridge was destroyed overnight.",
            "the bridge was destroyed overnight",
            [("said", ["The minister"])],
        ),
        (
            "“We will not retreat,” General Petrov told reporters.",
            "We will not retreat",
            [("told", ["General Petrov"])],
        ),
        (
            "According to the United Nations, 4,000 people fled the city.",
            "4,000 people fled the city",
            [("According to", ["the United Nations"])],
        ),
        (
            "The talks collapsed on Monday, a senior diplomat told Reuters.",
            "The talks collapsed on Monday",
            [("told", ["Reuters"]), ("told", ["a senior diplomat"])],
        ),
        (
            "Two depots were hit, writes The Washington Post citing Ukrainian officials.",
            "Two depots were hit",
            [("writes", ["The Washington Post"]), ("citing", ["Ukrainian officials"])],
        ),
    ],
)
def test_rules_chain_of_simple_attributions(extractor, text: str, content: str, chain: list) -> None:  # type: ignore[no-untyped-def,type-arg]
    claims = _claims(extractor, text)
    hits = [c for c in claims if content in c.content.text]
    assert hits, [c.content.text for c in claims]
    assert _chain(hits[0]) == chain


@pytest.mark.parametrize(
    "text",
    ["The army shelled the town overnight.", "Prices rose sharply in March, and the bank raised rates."],
)
def test_rules_unattributed_sentence_is_own_voice(extractor, text: str) -> None:  # type: ignore[no-untyped-def]
    claims = _claims(extractor, text)
    assert len(claims) == 1
    assert claims[0].chain == ()


def test_rules_pronoun_source_resolves_to_last_group(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Western officials said the strike killed ten soldiers. They said more strikes were likely."
    claims = _claims(extractor, text)
    second = [c for c in claims if "more strikes" in c.content.text][0]
    assert second.chain[0].sources[0].text == "They"
    assert second.chain[0].sources[0].name == "Western officials"


def test_rules_coordinated_sources_are_split(extractor) -> None:  # type: ignore[no-untyped-def]
    claims = _claims(extractor, "American and British officials said the convoy was attacked.")
    sources = [s.text for s in claims[0].chain[0].sources]
    assert sources == ["American … officials", "British officials"]
