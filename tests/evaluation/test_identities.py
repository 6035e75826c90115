from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from claimgraph.errors import InputError
from claimgraph.evaluation.identities import (
    GoldMention,
    evaluate_identities,
    format_table,
    load_gold,
    match_source,
    mention_form,
    record_sources,
)
from claimgraph.model import Article, Claim, ClaimRecord, Cue, Hop, Source, Span

TEXT = (
    "Donald Trump said the wall would rise. He added that Mexico would pay. "
    "Hillary Clinton said it would not. The former secretary of state added more. "
    "Mike Pence agreed. Pence said so twice."
)
GOLD_PATH = Path(__file__).resolve().parents[1] / "data" / "identity_gold.jsonl"


def _span(part: str, start: int = 0) -> tuple[int, int]:
    i = TEXT.index(part, start)
    return (i, i + len(part))


def _src(part: str, entity: str | None, start: int = 0) -> Source:
    return Source(part, (_span(part, start),), entity=entity, kind="person" if entity else "unknown")


def _record(*chains: tuple[Source, ...], text: str = TEXT) -> ClaimRecord:
    claims = []
    for n, sources in enumerate(chains):
        hop = Hop(Cue("said", ((0, 0),), "say"), sources)
        claims.append(Claim(Span(f"content {n}", ((n, n + 1),)), (0, len(text)), chain=(hop,)))
    return ClaimRecord(Article(text), tuple(claims))


def _gold(tmp_path: Path, rows: list[tuple[str, str, str]], doc: str = "doc1", text: str = TEXT) -> Path:
    """Append gold lines for rows (part, person, a text the part comes after) and write the article."""
    texts = tmp_path / "text"
    texts.mkdir(exist_ok=True)
    (texts / f"{doc}.txt").write_text(text, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    with gold.open("a", encoding="utf-8") as f:
        for part, person, after in rows:
            s = text.index(part, text.index(after) if after else 0)
            f.write(
                json.dumps({"doc": doc, "span": [s, s + len(part)], "text": part, "person": person}) + "\n"
            )
    return gold


ROWS = [
    ("Donald Trump", "Donald Trump", ""),
    ("He", "Donald Trump", ""),
    ("Hillary Clinton", "Hillary Clinton", ""),
    ("The former secretary of state", "Hillary Clinton", ""),
    ("Mike Pence", "Mike Pence", ""),
    ("Pence", "Mike Pence", "agreed"),
]


def _analyze(record: ClaimRecord) -> tuple[list[str], Callable[[str, str], ClaimRecord]]:
    calls: list[str] = []

    def analyze(text: str, name: str) -> ClaimRecord:
        assert text == TEXT
        calls.append(name)
        return record

    return calls, analyze


def test_all_linked_right(tmp_path: Path) -> None:
    gold = _gold(tmp_path, ROWS)
    record = _record(
        (_src("Donald Trump", "person/donald-trump"),),
        (_src("He", "person/donald-trump"),),
        (_src("Hillary Clinton", "person/hillary-clinton"),),
        (_src("The former secretary of state", "person/hillary-clinton"),),
        (_src("Mike Pence", "person/mike-pence"),),
        (_src("Pence", "person/mike-pence", TEXT.index("agreed")),),
    )
    calls, analyze = _analyze(record)
    scores = evaluate_identities(gold, tmp_path / "text", analyze)
    assert calls == ["doc1"]
    assert (scores["mentions"], scores["found"], scores["linked"], scores["correct"]) == (6, 6, 6, 6)
    assert scores["correct_share"] == 1.0 and scores["correct_of_found"] == 1.0
    assert (scores["persons"], scores["persons_resolved"]) == (3, 3)
    assert scores["persons_split"] == 0 and scores["ids_merging_persons"] == 0
    assert scores["errors"] == []
    assert scores["by_form"]["pronoun"] == {"mentions": 1, "found": 1, "linked": 1, "correct": 1}
    assert scores["by_form"]["description"]["correct"] == 1
    assert scores["by_form"]["name"]["mentions"] == 4


def test_not_found_not_linked_split_and_merged(tmp_path: Path) -> None:
    gold = _gold(tmp_path, ROWS)
    record = _record(
        # Trump: found and linked; "He" is not found at all
        (_src("Donald Trump", "person/donald-trump"),),
        # Clinton: the name linked, the description found but not linked
        (_src("Hillary Clinton", "person/hillary-clinton"),),
        (_src("The former secretary of state", None),),
        # Pence: both mentions linked to Clinton's id -> merged with Clinton
        (_src("Mike Pence", "person/hillary-clinton"),),
        (_src("Pence", "person/hillary-clinton", TEXT.index("agreed")),),
    )
    _, analyze = _analyze(record)
    scores = evaluate_identities(gold, tmp_path / "text", analyze)
    assert (scores["found"], scores["linked"], scores["correct"]) == (5, 4, 1)
    assert scores["correct_share"] == pytest.approx(1 / 6)
    assert scores["correct_of_found"] == pytest.approx(1 / 5)
    assert scores["persons_split"] == 0
    assert scores["ids_merging_persons"] == 1
    assert scores["persons_resolved"] == 1  # only Trump
    kinds = {(e["text"], e["error"]) for e in scores["errors"]}
    assert kinds == {
        ("He", "not found"),
        ("The former secretary of state", "not linked"),
        ("Hillary Clinton", "merged"),
        ("Mike Pence", "merged"),
        ("Pence", "merged"),
    }
    err = next(e for e in scores["errors"] if e["text"] == "Mike Pence")
    assert err["entity"] == "person/hillary-clinton" and err["also"] == ["Hillary Clinton"]
    assert err["doc"] == "doc1" and err["person"] == "Mike Pence"
    table = format_table(scores)
    assert "0.167" in table and "merged 3" in table and "not found 1" in table


def test_split_person_majority_wins(tmp_path: Path) -> None:
    # "He" stands in for a third mention of Pence, so that there is a majority
    gold = _gold(tmp_path, [*ROWS[4:], ("He", "Mike Pence", "")])
    record = _record(
        (_src("Mike Pence", "person/mike-pence"),),
        (_src("Pence", "person/pence", TEXT.index("agreed")),),
        (_src("He", "person/mike-pence"),),
    )
    _, analyze = _analyze(record)
    scores = evaluate_identities(gold, tmp_path / "text", analyze)
    assert (scores["linked"], scores["correct"]) == (3, 2)
    assert scores["persons_split"] == 1 and scores["persons_resolved"] == 0
    [err] = scores["errors"]
    assert (
        err["error"] == "split" and err["entity"] == "person/pence" and err["majority"] == "person/mike-pence"
    )


def test_tie_goes_to_first_id_in_sorted_order(tmp_path: Path) -> None:
    gold = _gold(tmp_path, ROWS[4:])
    record = _record(
        (_src("Mike Pence", "person/b"),),
        (_src("Pence", "person/a", TEXT.index("agreed")),),
    )
    _, analyze = _analyze(record)
    scores = evaluate_identities(gold, tmp_path / "text", analyze)
    assert scores["correct"] == 1
    assert [e["text"] for e in scores["errors"]] == ["Mike Pence"]


def testrecord_sources_in_any_hop_and_best_overlap() -> None:
    span = _span("Hillary Clinton")
    wide = Source(TEXT[span[0] - 5 : span[1]], ((span[0] - 5, span[1]),), entity="person/wide")
    part = Source("Clinton", ((span[1] - 7, span[1]),), entity="person/part")
    unlinked = Source("Hillary Clinton", (span,))
    linked = Source("Hillary Clinton", (span,), entity="person/hillary-clinton")
    assert match_source(span, [part, wide]) is wide  # 15 shared characters beat 7
    assert match_source(span, [unlinked, linked, part]) is linked  # same overlap: the linked one
    assert match_source(span, [unlinked]) is unlinked
    assert match_source((0, 3), [part]) is None
    # a two-hop chain: the gold span matches the inner hop's source
    hop1 = Hop(None, (Source("Trump", ((0, 0),)),))
    hop2 = Hop(None, (linked,))
    claim = Claim(Span("x", ((0, 1),)), (0, 1), chain=(hop1, hop2))
    assert linked in record_sources(ClaimRecord(Article(TEXT), (claim,)))


def test_discontinuous_source_offsets() -> None:
    span = _span("Donald Trump")
    src = Source("Donald ... Trump", ((span[0], span[0] + 6), (span[0] + 7, span[1])), entity="person/x")
    assert match_source(span, [src]) is src


def test_split_across_articles(tmp_path: Path) -> None:
    _gold(tmp_path, [("Donald Trump", "Donald Trump", "")], doc="a")
    gold = _gold(tmp_path, [("Donald Trump", "Donald Trump", ""), ("He", "Donald Trump", "")], doc="b")
    records = {
        "a": _record((_src("Donald Trump", "person/donald-trump"),)),
        "b": _record((_src("Donald Trump", "person/trump"),), (_src("He", "person/trump"),)),
    }
    scores = evaluate_identities(gold, tmp_path / "text", lambda text, name: records[name])
    assert scores["articles"] == 2 and scores["correct"] == 3
    assert scores["persons"] == 2 and scores["persons_resolved"] == 2
    assert scores["persons_across_articles"] == 1
    assert scores["persons_split_across_articles"] == ["Donald Trump"]
    assert "with different ids across articles 1" in format_table(scores)


def test_mention_form() -> None:
    def m(text: str, person: str) -> GoldMention:
        return GoldMention("d", (0, 1), text, person)

    assert mention_form(m("he", "Barack Obama")) == "pronoun"
    assert mention_form(m("She", "Hillary Clinton")) == "pronoun"
    assert mention_form(m("Mr. Obama", "Barack Obama")) == "name"
    assert mention_form(m("PENCE", "Mike Pence")) == "name"
    assert mention_form(m("Trump’s", "Donald Trump")) == "name"
    assert mention_form(m("the mayor", "Bill de Blasio")) == "description"
    assert mention_form(m("I", "Jane Doe (letter writer)")) == "pronoun"


def test_load_gold_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc": "d", "span": [5, 2], "text": "x", "person": "X"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="bad.jsonl:1"):
        load_gold(bad)
    bad.write_text('{"doc": "d", "span": [1, 2], "text": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="not a gold item"):
        load_gold(bad)
    with pytest.raises(InputError, match="cannot read"):
        load_gold(tmp_path / "missing.jsonl")


def test_span_must_hold_its_text(tmp_path: Path) -> None:
    gold = _gold(tmp_path, ROWS[:1])
    (tmp_path / "text" / "doc1.txt").write_text("X" + TEXT, encoding="utf-8")
    with pytest.raises(InputError, match="does not hold"):
        evaluate_identities(gold, tmp_path / "text", lambda t, n: _record())
    with pytest.raises(InputError, match="not found"):
        evaluate_identities(gold, tmp_path / "nowhere", lambda t, n: _record())


def test_shipped_gold_is_well_formed() -> None:
    items = load_gold(GOLD_PATH)
    assert len(items) >= 400
    docs = {i.doc for i in items}
    assert len(docs) >= 30
    outlets = {d.split("_")[0] for d in docs}
    assert outlets == {"breitbart", "huff-post", "nyt", "politico", "usa-today", "wash-post", "west-journal"}
    assert len({(i.doc, i.span) for i in items}) == len(items)
