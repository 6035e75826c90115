"""Long articles: parsed in paragraph-aligned pieces joined back into one doc, offsets exact.

``pieces`` is tested on its own (no model); the pipeline's routing and order with
spaCy's blank English (fast); the real pipeline's claims under the slow mark.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.config import Settings
from claimgraph.ingest import read_text
from claimgraph.model import Article, Claim, ClaimRecord
from claimgraph.nlp import pipeline
from claimgraph.nlp.pipeline import Extractor, pieces

FOUNDING = (Path(__file__).resolve().parents[2] / "examples" / "nk-troops-withdrawn.txt").read_text(
    encoding="utf-8"
)


def _tile(text: str, spans: list[tuple[int, int]], limit: int) -> None:
    """The spans tile the text in order, each of 1 to ``limit`` characters."""
    assert "".join(text[s:e] for s, e in spans) == text
    at = 0
    for s, e in spans:
        assert s == at
        assert 0 < e - s <= limit
        at = e
    assert at == len(text)


def _blank_line_ends(text: str) -> list[tuple[int, int]]:
    """(k, j + 1) for each pair of consecutive line breaks at k < j with only whitespace between."""
    breaks = [i for i, c in enumerate(text) if c == "\n"]
    return [(k, j + 1) for k, j in zip(breaks, breaks[1:], strict=False) if not text[k + 1 : j].strip()]


def _cuts(spans: list[tuple[int, int]]) -> list[int]:
    return [s for s, _ in spans[1:]]


# --------------------------------------------------------------------------- pieces


def test_pieces_of_an_empty_or_short_text() -> None:
    assert pieces("", 10) == []
    assert pieces("short", 10) == [(0, 5)]
    assert pieces("exactly 10", 10) == [(0, 10)]


def test_pieces_need_a_limit_of_two() -> None:
    with pytest.raises(ValueError):
        pieces("text", 1)


def test_pieces_cut_after_paragraph_breaks() -> None:
    paragraphs = [f"Paragraph {i} says something. It says more.\nA second line." for i in range(40)]
    text = "\n\n".join(paragraphs)
    spans = pieces(text, 300)
    _tile(text, spans, 300)
    assert len(spans) > 5
    for s, e in spans[:-1]:
        assert text[s:e].endswith(".\n\n"), "each piece but the last ends with a paragraph break"
        assert text[e] == "P", "and the next begins a paragraph"


def test_pieces_take_a_whole_run_of_blank_lines() -> None:
    text = ("word " * 10 + "\n\n\n\n") * 20
    spans = pieces(text, 120)
    _tile(text, spans, 120)
    assert all(text[s:e].endswith("\n\n\n\n") for s, e in spans[:-1])


def test_pieces_cut_after_crlf_paragraph_breaks_whole() -> None:
    text = ("A paragraph of words.\r\n\r\n") * 30
    spans = pieces(text, 100)
    _tile(text, spans, 100)
    assert all(text[s:e].endswith(".\r\n\r\n") for s, e in spans[:-1])


def test_pieces_fall_back_to_line_breaks_then_sentences_then_spaces_then_anywhere() -> None:
    lines = "one line of text\n" * 20
    spans = pieces(lines, 50)
    _tile(lines, spans, 50)
    assert all(lines[s:e].endswith("text\n") for s, e in spans[:-1])

    sentences = "One sentence here. " * 20
    spans = pieces(sentences, 50)
    _tile(sentences, spans, 50)
    assert all(sentences[s:e].endswith("here. ") for s, e in spans[:-1])

    words = "word " * 40
    spans = pieces(words, 22)
    _tile(words, spans, 22)
    assert all(words[s:e].endswith("word ") for s, e in spans[:-1])

    solid = "x" * 105
    assert pieces(solid, 50) == [(0, 50), (50, 100), (100, 105)]


def test_pieces_prefer_a_paragraph_break_to_a_later_line_break() -> None:
    text = "First paragraph.\n\nSecond, line one\nline two\nline three and on and on"
    spans = pieces(text, 60)
    _tile(text, spans, 60)
    assert text[: spans[0][1]] == "First paragraph.\n\n"


def test_pieces_never_part_a_crlf_or_a_surrogate_pair() -> None:
    crlf = "x" * 9 + "\r\n" + "y" * 9
    spans = pieces(crlf, 10)
    _tile(crlf, spans, 10)
    assert 10 not in _cuts(spans)

    # a str may hold UTF-16 surrogates (read with "surrogatepass"): a pair stays whole
    pairs = "\ud83d\ude00" * 20
    spans = pieces(pairs, 7)
    _tile(pairs, spans, 7)
    assert all(c % 2 == 0 for c in _cuts(spans))


def test_pieces_of_a_twenty_megabyte_text_are_quick() -> None:
    text = FOUNDING * 8_000  # about 20 million characters
    started = time.perf_counter()
    spans = pieces(text, pipeline.PIECE_CHARS)
    assert time.perf_counter() - started < 5
    _tile(text, spans, pipeline.PIECE_CHARS)
    assert all(text[s:e].endswith("\n\n") for s, e in spans[:-1])


_ALPHABET = st.sampled_from(
    ["a", "b", "é", " ", " ", "\t", "\n", "\n", "\r", ".", "\ud83d", "\ude00", "\u2028"]
)
_TEXTS = st.one_of(
    st.text(),
    st.text(alphabet=_ALPHABET, max_size=2_000),
    st.lists(
        st.sampled_from(
            ["word ", "Sentence ends. ", "\n", "\n\n", "\r\n", "\r\n\r\n", "\ud83d\ude00", "x" * 30]
        ),
        max_size=300,
    ).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(text=_TEXTS, limit=st.integers(min_value=50, max_value=400))
def test_pieces_tile_any_text(text: str, limit: int) -> None:
    spans = pieces(text, limit)
    _tile(text, spans, limit)
    for cut in _cuts(spans):
        assert text[cut - 1 : cut + 1] != "\r\n"
        assert not ("\ud800" <= text[cut - 1] <= "\udbff" and "\udc00" <= text[cut] <= "\udfff")
    # a piece ends after the last paragraph break in its reach, where there is one
    blank = _blank_line_ends(text)
    for s, e in spans[:-1]:
        reach = [end for k, end in blank if k >= s and end <= s + limit]
        if reach:
            assert e == max(reach)


# --------------------------------------------------------------------------- routing (blank English)


@pytest.fixture(scope="module")
def blank() -> Extractor:
    nlp = spacy.blank("en")
    nlp.add_pipe("claimgraph_paragraphs")
    return Extractor(Settings(use_tagger=False), nlp=nlp)


def _texts_of(extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``record`` hand back the parsed text instead of claims."""

    def record(doc: Any, article: Article) -> Any:
        return (doc.text, article)

    monkeypatch.setattr(extractor, "record", record)


def test_a_text_over_max_length_is_parsed_in_pieces(
    blank: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(blank.nlp, "max_length", 1_000)
    text = "A paragraph of some words. And more.\n\n" * 200
    with pytest.raises(ValueError, match="E088"):
        blank.nlp(text)
    assert blank.piece_chars() == 1_000
    article = Article(text=text)
    assert blank.is_long(article)
    doc = blank.parse_long(text)
    assert doc.text == text
    monkeypatch.setattr(blank.nlp, "max_length", len(text))
    whole = blank.nlp(text)
    assert [(t.text, t.whitespace_, t.is_sent_start) for t in doc] == [
        (t.text, t.whitespace_, t.is_sent_start) for t in whole
    ]


def test_analyze_many_keeps_the_order_of_long_and_short_articles(
    blank: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "PIECE_CHARS", 500)
    _texts_of(blank, monkeypatch)
    short = [Article(text=f"Short article {i}.") for i in range(5)]
    long = [Article(text=f"Long article {i}. It goes on.\n\n" * 60) for i in range(3)]
    articles = [short[0], long[0], long[1], short[1], short[2], long[2], short[3], short[4]]
    assert [blank.is_long(a) for a in articles] == [False, True, True, False, False, True, False, False]

    def stream() -> Iterator[Article]:  # a one-pass iterable, as the CLI gives
        yield from articles

    out = list(blank.analyze_many(stream()))
    assert [a for _, a in out] == articles
    assert [t for t, _ in out] == [a.text for a in articles]
    assert [blank.analyze(a) for a in articles] == out


def test_short_articles_take_one_batched_pass(blank: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only short articles: the one ``nlp.pipe`` over tuples that there always was."""
    _texts_of(blank, monkeypatch)
    calls: list[dict[str, Any]] = []
    pipe = blank.nlp.pipe

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs)
        return pipe(*args, **kwargs)

    def refuse(text: str) -> Any:
        raise AssertionError("a short article was parsed in pieces")

    monkeypatch.setattr(blank.nlp, "pipe", counted)
    monkeypatch.setattr(blank, "parse_long", refuse)
    articles = [Article(text=f"Article {i}.") for i in range(40)]
    assert [t for t, _ in blank.analyze_many(articles)] == [a.text for a in articles]
    # (spaCy's pipe calls itself once more, without the tuples)
    assert [c for c in calls if c.get("as_tuples")] == [
        {"as_tuples": True, "batch_size": blank.settings.batch_size}
    ]


# --------------------------------------------------------------------------- the real pipeline


def _repeated(times: int, joiner: str = "\n\n") -> Article:
    """The founding example followed by its body paragraphs ``times`` times over."""
    _, mark, rest = FOUNDING.partition("North Korean soldiers sent")
    body = (mark + rest).rstrip("\n")
    if joiner != "\n\n":
        body = joiner.join(p for p in body.split("\n\n"))
    return read_text(FOUNDING.rstrip("\n") + ("\n\n" + body) * times + "\n", source="long.txt")


def _exact(text: str, record: ClaimRecord) -> None:
    """Every span of every claim stands at its offsets in the article's text."""

    def check(span: Any, sep: str | None = None) -> None:
        assert span.offsets, span
        parts = [text[s:e] for s, e in span.offsets]
        if len(parts) == 1:
            assert parts[0] == span.text
        elif sep is not None:
            assert sep.join(parts) == span.text
        else:
            assert all(p in span.text for p in parts)

    for claim in record.claims:
        check(claim.content)
        s, e = claim.sentence
        assert 0 <= s < e <= len(text)
        assert s <= claim.content.start and claim.content.end <= e
        for hop in claim.chain:
            if hop.cue is not None:
                check(hop.cue, " ")
            for source in hop.sources:
                if source.offsets:
                    check(source, " … ")
        for item in (*claim.hedges, *claim.times, *claim.quantities, *claim.entities):
            check(item)


def _extent(claim: Claim) -> tuple[int, int]:
    offsets = [*claim.content.offsets, claim.sentence]
    for hop in claim.chain:
        offsets += hop.cue.offsets if hop.cue else ()
        for source in hop.sources:
            offsets += source.offsets
    return min(s for s, _ in offsets), max(e for _, e in offsets)


def _key(claim: Claim) -> tuple[Any, ...]:
    chain = tuple((h.cue.text if h.cue else None, tuple(s.text for s in h.sources)) for h in claim.chain)
    return claim.content.offsets, claim.content.text, chain


@pytest.mark.slow
def test_claims_read_in_pieces_are_those_read_whole(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = _repeated(6)
    assert not extractor.is_long(article)
    whole = extractor.analyze(article)

    monkeypatch.setattr(pipeline, "PIECE_CHARS", 2_000)
    assert extractor.is_long(article)
    cuts = _cuts(pieces(article.text, 2_000))
    assert len(cuts) >= 5
    cut = extractor.analyze(article)
    assert cut.article == article
    _exact(article.text, cut)
    assert [extractor.analyze(article)] == list(extractor.analyze_many([article]))

    # claims reaching within 200 characters of a cut may be read otherwise (the models see a
    # few words either side of each); all others are the same claims
    def far(record: ClaimRecord) -> dict[tuple[Any, ...], Claim]:
        out = {}
        for claim in record.claims:
            lo, hi = _extent(claim)
            if not any(lo - 200 <= c <= hi + 200 for c in cuts):
                out[_key(claim)] = claim
        return out

    far_whole, far_cut = far(whole), far(cut)
    assert len(far_whole) >= len(whole.claims) // 2
    assert far_cut.keys() == far_whole.keys()
    assert far_cut == far_whole, "the same claims in every field"


@pytest.mark.slow
def test_pieces_cut_inside_paragraphs_keep_offsets_exact(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One long paragraph: the pieces end at sentence ends, and offsets stay exact."""
    monkeypatch.setattr(pipeline, "PIECE_CHARS", 1_500)
    article = _repeated(3, joiner=" ")
    spans = pieces(article.text, 1_500)
    assert any(article.text[s:e].endswith(". ") for s, e in spans[:-1])
    record = extractor.analyze(article)
    assert record.claims
    _exact(article.text, record)


@pytest.mark.slow
def test_an_article_over_a_million_characters(extractor: Extractor, tmp_path: Path) -> None:
    """Longer than spaCy's max_length (1,000,000): analysed by the real command, not refused
    (E088), every span exact."""
    article = _repeated(480)
    assert len(article.text) > extractor.nlp.max_length >= 1_000_000
    path = tmp_path / "long.txt"
    path.write_text(article.text, encoding="utf-8", newline="")
    result = subprocess.run(
        [sys.executable, "-m", "claimgraph.interfaces.cli", "analyze", "--json", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=1200,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    record = ClaimRecord.loads(result.stdout)
    assert record.article.text == article.text
    assert len(record.claims) > 1_000
    _exact(article.text, record)
