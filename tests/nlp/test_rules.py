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


def _claim_with(extractor, text: str, content: str, outlet: str | None = None) -> Claim:  # type: ignore[no-untyped-def]
    claims = list(extractor.analyze(Article(text=text, outlet=outlet)).claims)
    hits = [c for c in claims if content in c.content.text]
    assert hits, [c.content.text for c in claims]
    return hits[0]


@pytest.mark.parametrize(
    ("text", "content", "chain"),
    [
        # the speaker of a quote naming themselves is no inner source
        (
            '"I think the plan will fail," the senator said.',
            "the plan will fail",
            [("said", ["the senator"])],
        ),
        # a belief or an attitude inside what a source says is what that source reports
        (
            "Aides say the governor plans to support Cruz in the primary.",
            "the governor plans to support Cruz",
            [("say", ["Aides"])],
        ),
        ("He said he believes the deal is dead.", "he believes the deal is dead", [("said", ["He"])]),
        # what a source committed to or urged (an infinitive) is no report of its own
        (
            "Analysts noted that the group has called on its followers to attack civilians.",
            "has called on its followers to attack civilians",
            [("noted", ["Analysts"])],
        ),
    ],
)
def test_rules_nested_state_of_mind_or_own_quote_is_no_hop(
    extractor,
    text: str,
    content: str,
    chain: list,  # type: ignore[no-untyped-def,type-arg]
) -> None:
    claim = _claim_with(extractor, text, content)
    assert content in claim.content.text
    assert _chain(claim) == chain


def test_rules_nested_report_is_still_a_hop(extractor) -> None:  # type: ignore[no-untyped-def]
    claim = _claim_with(
        extractor, "Two depots were hit, writes The Washington Post citing Ukrainian officials.", "Two depots"
    )
    assert len(claim.chain) == 2


def test_rules_told_the_articles_own_outlet_is_no_hop(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "The talks collapsed on Monday, a senior diplomat told POLITICO."
    own = _claim_with(extractor, text, "The talks collapsed", outlet="politico")
    assert _chain(own) == [("told", ["a senior diplomat"])]
    # another outlet's article: POLITICO relays the diplomat
    other = _claim_with(extractor, text, "The talks collapsed", outlet="nyt")
    assert _chain(other) == [("told", ["POLITICO"]), ("told", ["a senior diplomat"])]


def test_rules_citing_a_reason_is_no_hop(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "The minister cut the forecast on Friday, the agency said, citing low economic growth."
    claim = _claim_with(extractor, text, "The minister cut the forecast")
    assert _chain(claim) == [("said", ["the agency"])]


def test_rules_participle_speaks_for_its_clause_subject(extractor) -> None:  # type: ignore[no-untyped-def]
    claim = _claim_with(
        extractor, "Clinton spoke on Tuesday, insisting that the deal was fair.", "the deal was fair"
    )
    assert _chain(claim) == [("insisting", ["Clinton"])]


def test_rules_object_of_a_participle_is_not_its_source(extractor) -> None:  # type: ignore[no-untyped-def]
    from claimgraph.nlp.rules import RuleFinder

    doc = extractor.nlp('"We lost," said the chairman, explaining the campaign\'s decision.')
    sources = [doc.text[s:e] for a in RuleFinder(extractor.lex).find(doc) for s, e in a.sources]
    assert "the campaign's decision" not in sources


@pytest.mark.parametrize(
    ("text", "outlet", "names"),
    [
        ("POLITICO", "politico", True),
        ("The Huffington Post", "huff-post", True),
        ("USA TODAY", "usa-today", True),
        ("The New York Times", "nyt", True),
        ("Breitbart News", "breitbart", True),
        ("Western Journalism", "west-journal", True),
        ("The Post", "wash-post", False),  # may be another Post
        ("the New York Post", "wash-post", False),
        ("CNN", "politico", False),
        ("Xinhua", "x", False),
        ("Apple", "ap", False),
    ],
)
def test_names_outlet(text: str, outlet: str, names: bool) -> None:
    from claimgraph.nlp.claims import names_outlet

    assert names_outlet(text, outlet) is names


def test_untangle_cuts_containers_that_hold_each_other() -> None:
    from claimgraph.nlp.attributions import Attribution
    from claimgraph.nlp.claims import _untangle

    # "Melania Trump tells Trump supporters that “he loves you.”": the rules read "loves" with
    # what comes before as its content, so each content holds the other's cue
    tells = Attribution(cue=[(14, 19)], contents=[(35, 55)], origin="tagger")
    loves = Attribution(cue=[(39, 44)], contents=[(0, 34)], origin="rules")
    parents: list[int | None] = [1, 0]
    _untangle(parents, [tells, loves])
    assert parents == [None, 0]
    # no tagger in the loop: the longest content keeps no container
    a = Attribution(cue=[(0, 2)], contents=[(10, 12)], origin="rules")
    b = Attribution(cue=[(10, 12)], contents=[(0, 8)], origin="rules")
    parents = [1, 0]
    _untangle(parents, [a, b])
    assert parents == [1, None]


def test_lexicon_state_of_mind_is_never_a_telling() -> None:
    from claimgraph.nlp.cues import lexicon

    lex = lexicon()
    assert lex.is_state_of_mind("think") and lex.is_state_of_mind("want")
    assert not lex.is_state_of_mind("insist")  # a telling too
    assert not lex.is_state_of_mind("say")


@pytest.mark.parametrize(
    ("text", "chain"),
    [
        # a quoted sentence after a quotation carries it on
        (
            '"We lost the vote," the chairman said on Monday. "We will be back next year with a plan."',
            [("said", ["the chairman"])],
        ),
        # not an unquoted one, nor one in another paragraph
        (
            '"We lost the vote," the chairman said on Monday. We will be back next year with a plan.',
            [],
        ),
        (
            '"We lost the vote," the chairman said on Monday.\n\n"We will be back next year with a plan."',
            [],
        ),
    ],
)
def test_claims_quoted_sentence_carries_on_the_quotation(extractor, text: str, chain: list) -> None:  # type: ignore[no-untyped-def,type-arg]
    from claimgraph.nlp.claims import ClaimBuilder

    # the rules alone (the tagger links many such sentences itself)
    doc = extractor.nlp(text)
    claims = ClaimBuilder(extractor.lex).build(doc, Article(text=text), extractor.rules.find(doc))
    after = [c for c in claims if "back next year" in c.content.text]
    assert len(after) == 1
    assert _chain(after[0]) == chain
    assert after[0].direct_quote is bool(chain)
