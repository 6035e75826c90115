from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimgraph.evaluation.chains import (
    ChainDoc,
    discard_spans,
    format_table,
    gold_chains,
    own_voice_sentences,
    score_chains,
)
from claimgraph.evaluation.polnear import parse_ann
from claimgraph.model import Claim, Cue, Hop, Source, Span

TEXT = (
    "The Post reported that Klein told aides he was leaving.\n"
    "The weather in Washington was fine on Monday.\n"
    "Smith said the vote was close.\n"
    "Editor's note: this story was updated twice.\n"
)


def _at(part: str, start: int = 0) -> tuple[int, int]:
    i = TEXT.index(part, start)
    return (i, i + len(part))


def _t(ident: str, kind: str, part: str) -> str:
    s, e = _at(part)
    return f"{ident}\t{kind} {s} {e}\t{part}"


ANN = "\n".join(
    [
        _t("T1", "Source", "The Post"),
        _t("T2", "Cue", "reported"),
        _t("T3", "Content", "that Klein told aides he was leaving"),
        _t("T4", "Attribution", "reported"),
        "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3",
        _t("T5", "Source", "Klein"),
        _t("T6", "Cue", "told"),
        _t("T7", "Content", "he was leaving"),
        _t("T8", "Attribution", "told"),
        "E2\tAttribution:T8 Source:T5 Cue:T6 Content:T7",
        _t("T9", "Source", "Smith"),
        _t("T10", "Cue", "said"),
        _t("T11", "Content", "the vote was close"),
        _t("T12", "Attribution", "said"),
        "E3\tAttribution:T12 Source:T9 Cue:T10 Content:T11",
        _t("T13", "Discard", "Editor's note: this story was updated twice."),
        "",
    ]
)


def _gold() -> ChainDoc:
    atts = parse_ann(ANN, TEXT)
    return ChainDoc(
        "test_doc", TEXT, gold_chains(TEXT, atts), own_voice_sentences(TEXT, atts, discard_spans(ANN))
    )


def test_nested_attribution_gives_a_two_hop_chain_with_the_inner_origin() -> None:
    doc = _gold()
    assert len(doc.chains) == 2  # the outer attribution holds the inner one: no chain of its own
    nested = next(c for c in doc.chains if c.depth == 2)
    assert [TEXT[s[0][0] : s[0][1]] for s in nested.sources] == ["The Post", "Klein"]
    assert [(s, e) for s, e in nested.content] == [_at("he was leaving")]
    assert not nested.reported
    single = next(c for c in doc.chains if c.depth == 1)
    assert TEXT[single.sources[0][0][0] : single.sources[0][0][1]] == "Smith"


def test_own_voice_sentences_leave_out_attributions_and_discarded_text() -> None:
    doc = _gold()
    assert [TEXT[s:e] for s, e in doc.own_voice] == ["The weather in Washington was fine on Monday."]
    assert discard_spans(ANN) == [_at("Editor's note: this story was updated twice.")]


def test_a_report_inside_a_content_is_flagged() -> None:
    text = "Jones said that Brown told him the plan failed."
    ann = (
        "T1\tSource 0 5\tJones\nT2\tCue 6 10\tsaid\n"
        f"T3\tContent 11 {len(text) - 1}\t{text[11:-1]}\nE1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n"
    )
    (chain,) = gold_chains(text, parse_ann(ann, text))
    assert chain.depth == 1 and chain.reported


def _source(part: str) -> Source:
    s, e = _at(part)
    return Source(part, ((s, e),))


def _hop(cue: str, source: str) -> Hop:
    s, e = _at(cue)
    return Hop(Cue(cue, ((s, e),), cue), (_source(source),))


def _claim(content: str, *hops: Hop) -> Claim:
    s, e = _at(content)
    return Claim(Span(content, ((s, e),)), (s, e), tuple(hops))


def test_scores_on_hand_built_claims() -> None:
    doc = _gold()
    claims = [
        # right: two hops, origin Klein
        _claim("he was leaving", _hop("reported", "The Post"), _hop("told", "Klein")),
        # right hop count, wrong origin
        _claim("the vote was close", _hop("said", "The Post")),
        # own voice, right
        _claim("The weather in Washington was fine on Monday"),
    ]
    s = score_chains([(doc, claims)])
    assert s["gold_chains"] == 2 and s["matched"] == 2 and s["match_recall"] == 1.0
    assert s["hops"] == {"accuracy": 1.0, "right": 2, "total": 2}
    assert s["hops_by_depth"]["2"]["right"] == 1 and s["hops_by_depth"]["1"]["right"] == 1
    assert s["origin"] == {"accuracy": 0.5, "right": 1, "total": 2}
    assert s["own_voice"] == {"accuracy": 1.0, "right": 3, "total": 3}
    assert "hop count" in format_table(s)


def test_scores_count_misses_and_wrong_voices() -> None:
    doc = _gold()
    claims = [
        _claim("he was leaving", _hop("reported", "The Post")),  # one hop of two; origin wrong
        _claim("The weather in Washington", _hop("said", "Smith")),  # own voice taken as attributed
    ]
    s = score_chains([(doc, claims)])
    assert s["unmatched"] == 1 and s["match_recall"] == 0.5
    assert s["hops"]["right"] == 0 and s["hops"]["total"] == 1
    assert s["origin"]["right"] == 0
    assert s["own_voice_sentences"]["right"] == 0 and s["own_voice_sentences"]["total"] == 1
    assert s["attributed_not_own_voice"] == {"accuracy": 1.0, "right": 1, "total": 1}


def test_an_own_voice_sentence_no_claim_overlaps_is_counted_apart() -> None:
    s = score_chains([(_gold(), [])])
    assert s["own_voice_sentences"]["no_claim"] == 1 and s["own_voice"]["total"] == 0


@pytest.mark.slow
def test_cli_eval_chains_on_two_articles() -> None:
    from claimgraph.interfaces.cli import app

    train = Path(__file__).resolve().parents[3] / "shared" / "data" / "polnear" / "train"
    if not train.is_dir():
        pytest.skip("PolNeAR train not here")
    result = CliRunner().invoke(
        app, ["eval", "chains", str(train), "--split", "tune", "--limit", "2", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert '"docs": 2' in result.stdout and '"split": "tune"' in result.stdout
