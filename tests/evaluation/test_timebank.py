"""The TimeML reader and the TempEval-3 measures of the TimeBank evaluation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from claimgraph.errors import InputError
from claimgraph.evaluation.timebank import (
    GoldTimex,
    PredictedTimex,
    align,
    evaluate_timebank,
    format_table,
    load_timeml,
    read_timeml,
    score,
    to_timex,
)
from claimgraph.model import TimeSpan

TML = """<?xml version="1.0" ?>
<TimeML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<DOCID>test_0001</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-02-06" temporalFunction="false" \
functionInDocument="CREATION_TIME">02/06/1998</TIMEX3></DCT>
<TITLE>A headline with <TIMEX3 tid="t9" type="DATE" value="1998">1998</TIMEX3> in it</TITLE>
<TEXT>
Troops <EVENT eid="e1" class="OCCURRENCE">arrived</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-02-05" \
temporalFunction="true" functionInDocument="NONE">yesterday</TIMEX3> &amp; stayed for \
<TIMEX3 tid="t2" type="DURATION" value="P2W">two weeks</TIMEX3>.

Prices rose <TIMEX3 tid="t3" type="SET" value="P1D">daily</TIMEX3> in \
<TIMEX3 tid="t4" type="DATE" value="1997-11">November</TIMEX3>.
</TEXT>
</TimeML>
"""

TEXT = "\nTroops arrived yesterday & stayed for two weeks.\n\nPrices rose daily in November.\n"


def _write(folder: Path, name: str = "test_0001.tml", content: str = TML, sub: str = "TimeBank") -> Path:
    (folder / sub).mkdir(parents=True, exist_ok=True)
    path = folder / sub / name
    path.write_text(content, encoding="utf-8")
    return path


def _gold(text: str, part: str, type_: str, value: str) -> GoldTimex:
    start = text.index(part)
    return GoldTimex(start, start + len(part), part, type_, value)


def _pred(text: str, part: str, type_: str, value: str) -> PredictedTimex:
    start = text.index(part)
    return PredictedTimex(start, start + len(part), part, type_, value)


# --- the reader -------------------------------------------------------------------------------------


def test_timebank_read_timeml_text_offsets_and_dct(tmp_path: Path) -> None:
    doc = read_timeml(_write(tmp_path))
    assert doc.name == "test_0001"
    assert doc.text == TEXT
    assert doc.published == "1998-02-06"
    assert [(t.text, t.type, t.value) for t in doc.timexes] == [
        ("yesterday", "DATE", "1998-02-05"),
        ("two weeks", "DURATION", "P2W"),
        ("daily", "SET", "P1D"),
        ("November", "DATE", "1997-11"),
    ]
    for t in doc.timexes:
        assert doc.text[t.start : t.end] == t.text


@pytest.mark.parametrize(
    ("dct", "published"),
    [('value="1998-11-20T19:30"', "1998-11-20"), ('value="XXXX"', None)],
)
def test_timebank_read_timeml_dct_forms(tmp_path: Path, dct: str, published: str | None) -> None:
    doc = read_timeml(_write(tmp_path, content=TML.replace('value="1998-02-06"', dct)))
    assert doc.published == published


def test_timebank_load_timeml_walks_both_folders(tmp_path: Path) -> None:
    _write(tmp_path, "b.tml")
    _write(tmp_path, "a.tml", sub="AQUAINT")
    _write(tmp_path, "ignored.txt")
    docs = load_timeml(tmp_path)
    assert [d.name for d in docs] == ["b", "a"]


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p / "missing",
        lambda p: p,  # exists, holds no .tml
        lambda p: _write(p, content="<TimeML><TEXT>unclosed</TimeML>").parent.parent,
        lambda p: _write(p, content="<TimeML><DOCID>x</DOCID></TimeML>").parent.parent,
    ],
)
def test_timebank_load_timeml_bad_folder_is_an_input_error(
    tmp_path: Path, make: Callable[[Path], Path]
) -> None:
    with pytest.raises(InputError):
        load_timeml(make(tmp_path))


# --- predictions as TIMEX3 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span_text", "kind", "expected_text", "expected_type"),
    [
        ("for about two weeks", "duration", "about two weeks", "DURATION"),
        ("since November", "interval", "November", "DATE"),
        ("in just three months", "duration", "just three months", "DURATION"),
        ("at least 30 days", "duration", "at least 30 days", "DURATION"),
        ("Monday night", "time", "Monday night", "TIME"),
        ("daily", "set", "daily", "SET"),
    ],
)
def test_timebank_to_timex_strips_signals(
    span_text: str, kind: str, expected_text: str, expected_type: str
) -> None:
    text = "x " + span_text
    span = TimeSpan(text=span_text, offsets=((2, len(text)),), kind=kind, value="V")
    timex = to_timex(span)
    assert (text[timex.start : timex.end], timex.text, timex.type, timex.value) == (
        expected_text,
        expected_text,
        expected_type,
        "V",
    )


# --- the measures ----------------------------------------------------------------------------------

SENT = "On Friday morning the army left for two weeks, and now it is back."


def test_timebank_score_strict_relaxed_value_type() -> None:
    gold = [
        _gold(SENT, "Friday morning", "TIME", "1998-02-06TMO"),
        _gold(SENT, "two weeks", "DURATION", "P2W"),
        _gold(SENT, "now", "DATE", "PRESENT_REF"),
    ]
    pred = [
        _pred(SENT, "Friday", "DATE", "1998-02-06"),  # relaxed only; wrong value and type
        _pred(SENT, "two weeks", "DURATION", "P2W"),  # strict, right value and type
        _pred(SENT, "the army", "DATE", "X"),  # spurious
    ]
    s = score([(gold, pred)])
    assert (s["documents"], s["gold"], s["predicted"]) == (1, 3, 3)
    assert s["extent_strict"] == {"p": 1 / 3, "r": 1 / 3, "f1": pytest.approx(1 / 3)}
    assert s["extent_relaxed"] == {"p": 2 / 3, "r": 2 / 3, "f1": pytest.approx(2 / 3)}
    assert s["value"] == {"p": 1 / 3, "r": 1 / 3, "f1": pytest.approx(1 / 3)}
    assert s["type"]["f1"] == pytest.approx(1 / 3)
    # TempEval-3's attribute F1: accuracy over relaxed matches times relaxed F1
    assert s["value_accuracy"] == pytest.approx(0.5)
    assert s["value"]["f1"] == pytest.approx(s["value_accuracy"] * s["extent_relaxed"]["f1"])


def test_timebank_score_empty_and_perfect() -> None:
    g = [_gold(SENT, "now", "DATE", "PRESENT_REF")]
    p = [_pred(SENT, "now", "DATE", "PRESENT_REF")]
    assert score([([], [])])["value"] == {"p": 0.0, "r": 0.0, "f1": 0.0}
    perfect = score([(g, p)])
    assert perfect["extent_strict"]["f1"] == perfect["value"]["f1"] == 1.0


def test_timebank_align_is_one_to_one() -> None:
    gold = [_gold(SENT, "Friday", "DATE", "a"), _gold(SENT, "morning", "TIME", "b")]
    pred = [_pred(SENT, "Friday morning", "TIME", "b")]
    pairs = align(gold, pred)
    assert len(pairs) == 1
    s = score([(gold, pred)])
    assert (s["extent_relaxed"]["p"], s["extent_relaxed"]["r"]) == (1.0, 0.5)


def test_timebank_align_prefers_exact_then_largest_overlap() -> None:
    gold = [_gold(SENT, "Friday morning", "TIME", "a")]
    pred = [_pred(SENT, "On Friday", "DATE", "x"), _pred(SENT, "Friday morning", "TIME", "a")]
    ((g, p),) = align(gold, pred)
    assert p.text == "Friday morning"


# --- end to end ---------------------------------------------------------------------------------------


def test_timebank_evaluate_and_format(tmp_path: Path) -> None:
    _write(tmp_path)
    calls: list[tuple[int, int]] = []
    scores = evaluate_timebank(tmp_path, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 1)]
    assert (scores["documents"], scores["gold"]) == (1, 4)
    # find_times reads all four: "yesterday", "for two weeks", "daily", "November" (past, DCT 1998-02-06)
    assert scores["extent_strict"]["f1"] == 1.0
    assert scores["value"]["f1"] == 1.0
    table = format_table(scores)
    for label in ("extent strict", "extent relaxed", "value", "type", "documents/s"):
        assert label in table


def test_timebank_evaluate_bad_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        evaluate_timebank(tmp_path / "nope")
