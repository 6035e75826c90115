from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.errors import InputError
from claimgraph.evaluation import GoldDoc, evaluate_polnear, format_table, load_polnear, parse_ann, score
from claimgraph.nlp.attributions import Attribution

TEXT = 'Trump said that the wall would be built.\n\n"It will be big," he added, "and beautiful."\n'


def _span(text: str, part: str, start: int = 0) -> tuple[int, int]:
    i = text.index(part, start)
    return (i, i + len(part))


def _brat(part: str) -> str:
    s, e = _span(TEXT, part)
    return f"{s} {e}"


Q1, Q2 = _span(TEXT, '"It will be big,"'), _span(TEXT, '"and beautiful."')
ANN = f"""T1\tSource {_brat("Trump")}\tTrump
T2\tCue {_brat("said")}\tsaid
T3\tContent {_brat("that the wall would be built")}\tthat the wall would be built
T4\tAttribution {_brat("said")}\tsaid
E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3
T5\tSource {_brat(" he ")}\the
T6\tCue {_brat("added")}\tadded
T7\tContent {Q1[0]} {Q1[1]};{Q2[0]} {Q2[1]}\t"It will be big," "and
beautiful."
T8\tAttribution {_brat("added")}\tadded
E2\tAttribution:T8 Cue:T6 Source:T5 Content2:T7
#1\tAnnotatorNotes T7\ta note
T9\tCue {_brat("Trump")}\tTrump
E3\tAttribution-no-source:T9
"""


def _write(folder: Path, stem: str, annotator: str, ann: str, text: str = TEXT) -> None:
    (folder / "text").mkdir(parents=True, exist_ok=True)
    (folder / "attributions").mkdir(parents=True, exist_ok=True)
    (folder / "text" / f"{stem}.txt").write_text(text, encoding="utf-8")
    (folder / "attributions" / f"{stem}_{annotator}.ann").write_text(ann, encoding="utf-8")


def test_parse_ann_discontinuous_and_roles() -> None:
    atts = parse_ann(ANN, TEXT)
    assert len(atts) == 2  # E3 has no Cue argument
    first, second = atts
    assert first.cue == [(6, 10)]
    assert TEXT[slice(*first.contents[0])] == "that the wall would be built"
    assert second.cue == [_span(TEXT, "added")]
    assert [TEXT[s:e] for s, e in second.contents] == ['"It will be big,"', '"and beautiful."']
    assert TEXT[slice(*second.sources[0])] == " he "
    assert all(a.origin == "gold" for a in atts)


def test_parse_ann_rejects_undefined_reference() -> None:
    with pytest.raises(InputError):
        parse_ann("E1\tAttribution:T4 Cue:T9\n", TEXT)


def test_load_polnear_takes_first_annotator_in_sorted_order(tmp_path: Path) -> None:
    _write(tmp_path, "nyt_2016-01-01_story_one", "ef2d", "")
    _write(tmp_path, "nyt_2016-01-01_story_one", "4b22", ANN)
    docs = load_polnear(tmp_path)
    assert len(docs) == 1
    doc = docs[0]
    assert isinstance(doc, GoldDoc)
    assert doc.name == "nyt_2016-01-01_story_one"
    assert doc.annotator == "4b22"
    assert doc.text == TEXT
    assert len(doc.attributions) == 2


def test_load_polnear_needs_its_folders(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    with pytest.raises(InputError, match="attributions"):
        load_polnear(tmp_path)


def _att(cue: str, sources: list[str] = (), contents: list[str] = ()) -> Attribution:  # type: ignore[assignment]
    return Attribution(
        cue=[_span(TEXT, cue)],
        sources=[_span(TEXT, s) for s in sources],
        contents=[_span(TEXT, c) for c in contents],
    )


GOLD = [
    _att("said", ["Trump"], ["that the wall would be built"]),
    _att("added", [" he "], ['"It will be big,"', '"and beautiful."']),
]


def test_score_perfect() -> None:
    s = score([(TEXT, GOLD, GOLD)])
    for part in ("cue", "source", "content", "quote"):
        assert s[part]["exact"]["f1"] == 1.0
        assert s[part]["overlap"]["f1"] == 1.0
    assert s["predicted"] == s["actual"] == 2


def test_score_exact_and_overlap() -> None:
    predicted = [
        # content one token short, source right
        _att("said", ["Trump"], ["that the wall would be"]),
        # cue wrong but overlapping ("he added" vs "added"), only the first content fragment
        Attribution(
            cue=[_span(TEXT, "he added")],
            sources=[_span(TEXT, " he")],
            contents=[_span(TEXT, '"It will be big,"')],
        ),
    ]
    s = score([(TEXT, predicted, GOLD)])
    cue = s["cue"]["exact"]
    assert (cue["tp"], cue["fp"], cue["fn"]) == (1, 1, 1)
    # sources: cues overlap and source lists equal for both
    assert s["source"]["exact"]["f1"] == 1.0
    # contents: neither list matches
    content = s["content"]["exact"]
    assert (content["tp"], content["fp"], content["fn"]) == (0, 2, 2)
    ov = s["content"]["overlap"]
    # gold content tokens: "that the wall would be built" = 6; '"It will be big,"' = 7; '"and beautiful."' = 5
    assert ov["actual_tokens"] == 18
    assert ov["predicted_tokens"] == 5 + 7
    assert ov["shared_tokens"] == 12
    assert ov["precision"] == 1.0
    assert ov["recall"] == pytest.approx(12 / 18)
    cue_ov = s["cue"]["overlap"]
    assert (cue_ov["shared_tokens"], cue_ov["predicted_tokens"], cue_ov["actual_tokens"]) == (2, 3, 2)


def test_source_lists_must_match_in_full() -> None:
    predicted = [
        _att("said", ["Trump", "that"], ["that the wall would be built"]),
        _att("added", [], ['"It will be big,"', '"and beautiful."']),
    ]
    s = score([(TEXT, predicted, GOLD)])
    assert s["source"]["exact"]["tp"] == 0
    assert s["content"]["exact"]["tp"] == 2
    # an empty source list matches an empty gold source list
    no_source = [_att("said", [], ["that the wall would be built"])]
    assert score([(TEXT, no_source, no_source)])["source"]["exact"]["f1"] == 1.0


def test_source_exact_needs_overlapping_cues() -> None:
    predicted = [_att("built", ["Trump"], ["that the wall would be built"])]
    s = score([(TEXT, predicted, GOLD[:1])])
    assert s["source"]["exact"]["tp"] == 0
    assert s["content"]["exact"]["tp"] == 0


def test_fragments_split_by_whitespace_only_are_one_span() -> None:
    text = "She wrote: the plan\nis good."
    gold = [Attribution(cue=[(4, 9)], contents=[(11, 19), (20, 27)])]
    predicted = [Attribution(cue=[(4, 9)], contents=[(11, 27)])]
    assert score([(text, predicted, gold)])["content"]["exact"]["f1"] == 1.0
    # and whitespace at the ends of a span does not count
    predicted = [Attribution(cue=[(4, 10)], contents=[(10, 27)])]
    gold = [Attribution(cue=[(4, 9)], contents=[(11, 27)])]
    s = score([(text, predicted, gold)])
    assert s["content"]["exact"]["f1"] == 1.0
    assert s["cue"]["exact"]["f1"] == 0.0  # "wrote:" is not "wrote"


def test_empty_cases() -> None:
    s = score([(TEXT, [], [])])
    assert s["cue"]["exact"]["f1"] == 0.0
    assert s["docs"] == 1
    s = score([(TEXT, [], GOLD)])
    assert s["cue"]["exact"]["fn"] == 2
    assert s["content"]["overlap"]["recall"] == 0.0
    s = score([(TEXT, GOLD, [])])
    assert s["cue"]["exact"]["fp"] == 2
    assert s["content"]["overlap"]["precision"] == 0.0
    assert "cue" in format_table(s)


def test_evaluate_polnear(tmp_path: Path) -> None:
    _write(tmp_path, "a_story", "4b22", ANN)
    _write(tmp_path, "b_story", "4b22", "")
    seen: list[tuple[int, int]] = []

    def predict(text: str) -> list[Attribution]:
        return list(GOLD)

    result = evaluate_polnear(tmp_path, predict, progress=lambda i, n: seen.append((i, n)), limit=1)
    assert seen == [(1, 1)]
    assert result["docs"] == 1
    assert result["cue"]["exact"]["f1"] == 1.0
