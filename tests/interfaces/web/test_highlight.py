"""The article's text as highlight runs: layers, nesting, discontinuous spans, focus."""

from __future__ import annotations

from claimgraph.interfaces.web.highlight import anchor, runs
from claimgraph.model import Article, Claim, ClaimRecord, Cue, Hop, Quantity, Source, Span, TimeSpan

TEXT = "Kyiv said about 300 soldiers died in November, officials told the Times on Friday."


def at(phrase: str, after: int = 0) -> tuple[int, int]:
    start = TEXT.index(phrase, after)
    return (start, start + len(phrase))


def record() -> ClaimRecord:
    art = Article(text=TEXT, outlet="Daily")
    died = Claim(
        id="claim:aaa",
        content=Span("about 300 soldiers died in November", (at("about 300 soldiers died in November"),)),
        sentence=(0, len(TEXT)),
        chain=(Hop(Cue("said", (at("said"),), "say"), (Source("Kyiv", (at("Kyiv"),)),)),),
        hedges=(Span("about", (at("about"),)),),
        quantities=(Quantity("about 300", (at("about 300"),), 300.0, approximate=True, unit="persons"),),
        times=(TimeSpan("in November", (at("in November"),), value="2024-11"),),
    )
    # the second claim's content is discontinuous and holds the first claim's source
    told = Claim(
        id="claim:bbb",
        content=Span("Kyiv said … on Friday", (at("Kyiv said"), at("on Friday"))),
        sentence=(0, len(TEXT)),
        chain=(Hop(Cue("told", (at("told"),), "tell"), (Source("officials", (at("officials"),)),)),),
    )
    return ClaimRecord(art, (died, told))


def test_runs_cover_the_text_in_order() -> None:
    out = runs(record())
    assert "".join(r.text for r in out) == TEXT
    assert all(a.end == b.start for a, b in zip(out, out[1:], strict=False))
    assert out[0].start == 0 and out[-1].end == len(TEXT)


def by_text(phrase: str):  # type: ignore[no-untyped-def]
    return next(r for r in runs(record()) if r.text == phrase)


def test_layers_and_the_innermost_claim() -> None:
    about = by_text("about")
    assert set(about.layers) == {"content", "hedge", "number"}
    assert about.claim == 0
    kyiv = by_text("Kyiv")
    # Kyiv is the source of claim 0 inside the content of claim 1: the smaller span wins
    assert set(kyiv.layers) == {"content", "source"}
    assert kyiv.claim == 0
    assert "time" in by_text("in November").layers
    assert by_text("said").layers == ("content", "cue")
    friday = by_text("on Friday")
    assert friday.layers == ("content",) and friday.claim == 1
    plain = by_text(", ")
    assert plain.layers == () and plain.claim is None


def test_each_claim_has_one_focusable_run_in_its_content() -> None:
    out = runs(record())
    focus = [r for r in out if r.focus]
    assert sorted(r.claim for r in focus if r.claim is not None) == [0, 1]
    first_of_died = next(r for r in focus if r.claim == 0)
    assert first_of_died.text == "about"
    first_of_told = next(r for r in focus if r.claim == 1)
    assert "content" in first_of_told.layers


def test_spans_out_of_range_are_clipped_and_empty_ones_dropped() -> None:
    art = Article(text="short")
    claim = Claim(content=Span("x", ((2, 99),)), sentence=(0, 5), hedges=(Span("", ((1, 1),)),))
    out = runs(ClaimRecord(art, (claim,)))
    assert [(r.text, r.layers) for r in out] == [("sh", ()), ("ort", ("content",))]


def test_no_claims_is_one_plain_run() -> None:
    out = runs(ClaimRecord(Article(text="a\nb"), ()))
    assert [(r.text, r.claim) for r in out] == [("a\nb", None)]


def test_anchor() -> None:
    rec = record()
    assert anchor(rec.claims[0], 0) == "claim-claim-aaa"
    assert anchor(Claim(content=Span("x", ((0, 1),)), sentence=(0, 1)), 4) == "claim-n5"
