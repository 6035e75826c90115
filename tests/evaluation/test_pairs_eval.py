"""The sentence-pair scorer on hand-written MSRP-format files and hand-made predictions."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.errors import InputError
from claimgraph.evaluation.pairs import PairItem, format_table, pair_articles, read_pairs, score_pairs

HEADER = "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"


def _write(tmp_path: Path, body: str, name: str = "pairs.tsv") -> Path:
    path = tmp_path / name
    path.write_bytes(body.encode("utf-8"))
    return path


@pytest.fixture
def pairs_file(tmp_path: Path) -> Path:
    return _write(
        tmp_path,
        HEADER
        + "1\t101\t201\tThe army said 30 soldiers died.\tThirty soldiers were killed, the army said.\n"
        + "\n"
        + '0\t102\t202\t"We will win," he said.\tThe talks ended on Monday.\r\n'
        + "1\t103\t203\tRebels took the town.\tThe town fell to rebels.\n",
    )


def test_read_pairs(pairs_file: Path) -> None:
    items = read_pairs(pairs_file)
    assert [i.label for i in items] == [True, False, True]
    assert items[0] == PairItem(
        True, "101", "201", "The army said 30 soldiers died.", "Thirty soldiers were killed, the army said."
    )
    # the \r\n line: no \r left on the last field; quotes are text
    assert items[1].text1 == '"We will win," he said.'
    assert items[1].text2 == "The talks ended on Monday."
    assert (items[2].id1, items[2].id2) == ("103", "203")


def test_read_pairs_limit(pairs_file: Path) -> None:
    assert [i.id1 for i in read_pairs(pairs_file, limit=2)] == ["101", "102"]
    assert read_pairs(pairs_file, limit=0) == []
    assert len(read_pairs(pairs_file, limit=10)) == 3


def test_read_pairs_header_only(tmp_path: Path) -> None:
    assert read_pairs(_write(tmp_path, HEADER)) == []


def test_read_pairs_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        read_pairs(tmp_path / "nope.tsv")
    assert "nope.tsv" in str(e.value)


def test_read_pairs_missing_header(tmp_path: Path) -> None:
    path = _write(tmp_path, "1\t101\t201\tA.\tB.\n")
    with pytest.raises(InputError) as e:
        read_pairs(path)
    assert "header" in e.value.reason
    with pytest.raises(InputError):
        read_pairs(_write(tmp_path, "", "empty.tsv"))


def test_read_pairs_short_line_names_it(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "1\t101\t201\tA.\tB.\n\n0\t102\t202\tOnly one sentence.\n")
    with pytest.raises(InputError) as e:
        read_pairs(path)
    assert "line 4" in str(e.value)


def test_read_pairs_bad_label(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "yes\t101\t201\tA.\tB.\n")
    with pytest.raises(InputError) as e:
        read_pairs(path)
    assert "line 2" in str(e.value)


def test_pair_articles() -> None:
    items = [
        PairItem(True, "101", "201", "Same text.", "Other text."),
        PairItem(False, "101", "202", "Same text.", "Third text."),
    ]
    arts = pair_articles(items, published="2004-05-06")
    assert len(arts) == 2
    sources = [a.source for pair in arts for a in pair]
    assert sources == ["pairs/side1/0-101", "pairs/side2/0-201", "pairs/side1/1-101", "pairs/side2/1-202"]
    assert len(set(sources)) == 4
    for a, b in arts:
        assert (a.outlet, b.outlet) == ("side 1", "side 2")
        assert a.published == b.published == "2004-05-06"
        assert a.title is None and b.title is None
    assert (arts[0][0].text, arts[0][1].text) == ("Same text.", "Other text.")
    # the same sentence on the same side is the same content-addressed article: results go by position
    assert arts[0][0].id == arts[1][0].id
    # the same text on the two sides is two articles
    same = pair_articles([PairItem(True, "1", "2", "X.", "X.")])[0]
    assert same[0].id != same[1].id
    assert pair_articles([]) == []


def _items(labels: list[bool]) -> list[PairItem]:
    return [PairItem(lab, str(i), str(i), "a", "b") for i, lab in enumerate(labels)]


def test_score_pairs() -> None:
    gold = [True, True, True, False, False, True]
    pred = [True, True, False, True, False, False]
    s = score_pairs(_items(gold), pred)
    assert (s["tp"], s["fp"], s["fn"], s["tn"]) == (2, 1, 2, 1)
    assert (s["pairs"], s["positives"], s["predicted_positive"]) == (6, 4, 3)
    assert s["accuracy"] == pytest.approx(3 / 6)
    assert s["precision"] == pytest.approx(2 / 3)
    assert s["recall"] == pytest.approx(2 / 4)
    assert s["f1"] == pytest.approx(2 * (2 / 3) * (1 / 2) / (2 / 3 + 1 / 2))
    assert s["majority_accuracy"] == pytest.approx(4 / 6)


def test_score_pairs_edge_cases() -> None:
    empty = score_pairs([], [])
    assert empty["pairs"] == 0
    assert empty["accuracy"] == empty["precision"] == empty["recall"] == empty["f1"] == 0.0
    assert empty["majority_accuracy"] == 0.0
    # nothing predicted positive, no gold positive: no division by zero
    s = score_pairs(_items([False, False]), [False, False])
    assert (s["tp"], s["fp"], s["fn"], s["tn"]) == (0, 0, 0, 2)
    assert s["accuracy"] == 1.0 and s["majority_accuracy"] == 1.0
    assert s["precision"] == s["recall"] == s["f1"] == 0.0
    # all predicted positive, none right
    s = score_pairs(_items([False, False, True]), [True, True, False])
    assert (s["tp"], s["fp"], s["fn"], s["tn"]) == (0, 2, 1, 0)
    assert s["precision"] == s["recall"] == s["f1"] == s["accuracy"] == 0.0
    with pytest.raises(ValueError):
        score_pairs(_items([True]), [])


def test_format_table() -> None:
    s = score_pairs(_items([True, True, True, False, False, True]), [True, True, False, True, False, False])
    table = format_table(s, "msrp dev")
    assert "msrp dev" in table
    assert "6 pairs" in table and "4 gold" in table and "3 predicted" in table
    for number in ("0.500", "0.667", "0.571"):
        assert number in table
    assert "tp 2" in table and "fp 1" in table and "fn 2" in table and "tn 1" in table
    assert "majority class 0.667" in table
