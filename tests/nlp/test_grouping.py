from __future__ import annotations

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from claimgraph.nlp.grouping import SPANS_KEY, group


def _doc(words: list[str], heads: list[int], deps: list[str], spans: list[tuple[int, int, str]]) -> Doc:
    doc = Doc(Vocab(), words=words, heads=heads, deps=deps)
    doc.spans[SPANS_KEY] = [Span(doc, s, e, label=label) for s, e, label in spans]
    return doc


def _text(doc: Doc, offsets: list[tuple[int, int]]) -> list[str]:
    return [doc.text[s:e] for s, e in offsets]


def test_group_source_cue_content() -> None:
    # "Trump said the wall is big . Clinton disagreed ."
    words = ["Trump", "said", "the", "wall", "is", "big", ".", "Clinton", "disagreed", "."]
    heads = [1, 1, 3, 4, 1, 4, 1, 8, 8, 8]
    deps = ["nsubj", "ROOT", "det", "nsubj", "ccomp", "acomp", "punct", "nsubj", "ROOT", "punct"]
    doc = _doc(
        words,
        heads,
        deps,
        [(0, 1, "SOURCE"), (1, 2, "CUE"), (2, 6, "CONTENT"), (7, 8, "SOURCE"), (8, 9, "CUE")],
    )
    atts = group(doc)
    assert len(atts) == 2
    said, disagreed = atts
    assert _text(doc, said.cue) == ["said"]
    assert _text(doc, said.sources) == ["Trump"]
    assert _text(doc, said.contents) == ["the wall is big"]
    assert said.origin == "tagger"
    assert not said.direct_quote
    assert _text(doc, disagreed.sources) == ["Clinton"]
    assert disagreed.contents == []


def test_group_quote_running_on_into_next_sentence_and_direct_quote() -> None:
    # '" It is big , " he said . " Very big . "'
    words = ['"', "It", "is", "big", ",", '"', "he", "said", ".", '"', "Very", "big", ".", '"']
    heads = [2, 2, 7, 2, 7, 7, 7, 7, 7, 11, 11, 11, 11, 11]
    deps = [
        "punct",
        "nsubj",
        "ccomp",
        "acomp",
        "punct",
        "punct",
        "nsubj",
        "ROOT",
        "punct",
        "punct",
        "advmod",
        "ROOT",
        "punct",
        "punct",
    ]
    spans = [(0, 6, "CONTENT"), (6, 7, "SOURCE"), (7, 8, "CUE"), (9, 14, "CONTENT")]
    doc = _doc(words, heads, deps, spans)
    (att,) = group(doc)
    assert _text(doc, att.cue) == ["said"]
    assert _text(doc, att.sources) == ["he"]
    assert len(att.contents) == 2
    assert att.direct_quote


def test_group_shares_the_source_of_a_coordinated_cue() -> None:
    # "Trump said X and added Y"
    words = ["Trump", "said", "walls", "work", "and", "added", "fences", "fail"]
    heads = [1, 1, 3, 1, 1, 1, 7, 5]
    deps = ["nsubj", "ROOT", "nsubj", "ccomp", "cc", "conj", "nsubj", "ccomp"]
    spans = [(0, 1, "SOURCE"), (1, 2, "CUE"), (2, 4, "CONTENT"), (5, 6, "CUE"), (6, 8, "CONTENT")]
    doc = _doc(words, heads, deps, spans)
    said, added = group(doc)
    assert _text(doc, said.contents) == ["walls work"]
    assert _text(doc, added.contents) == ["fences fail"]
    assert _text(doc, added.sources) == ["Trump"]


def test_group_without_tags() -> None:
    doc = Doc(Vocab(), words=["Nothing", "here"])
    assert group(doc) == []
    doc.spans[SPANS_KEY] = [Span(doc, 0, 1, label="SOURCE")]
    assert group(doc) == []
