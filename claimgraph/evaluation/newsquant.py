"""Quantity extraction measured on NewsQuant, the way the CQE paper measures it.

Data
----
NewsQuant (Almasian et al., "CQE: A Comprehensive Quantity Extractor", EMNLP 2023;
``data/formatted_test_set/NewsQuant.json`` of satya77/CQE_Evaluation) is a JSON
list of sentences ``{"text": ..., "quantities": [...]}``. Each gold quantity has

* ``value``: a number as a string ("11000.0", "-5.0", "1.99E-29"), or a range
  "a-b" ("15.0-22.0"; the order is the order of the text, so "from 208 pounds to
  193" is "208.0-193.0");
* ``unit`` (as written) and ``normalized_unit`` (a unit name such as "dollar",
  "percentage", "mile per hour", or for a count the lemmatized counted noun, such
  as "worker" or "first-team player"; "-" when there is none);
* ``change``: "=" exact, "~" approximate, ">" / "<" a lower / upper bound,
  "up" / "down" an increase / decrease;
* ``referred_concepts`` (not scored here).

From our ``Quantity`` to NewsQuant
----------------------------------
``to_newsquant`` does the mapping:

* **value**: ``value`` when set; else a range ``(low, high)`` when both bounds are
  set, written high first when ``change`` < 1 (a change "from 208 to 193" is
  ``low=193, high=208, change=193/208``); else the one bound that is set ("more than
  1,000" is ``low=1000``). A quantity with none of them ("halved") is not scored.
* **unit**: the unit's name in the lexicon (``claimgraph/nlp/data/units.json``:
  "USD" is "dollar", "%" is "percentage", "km/h" is "kilometre per hour"); for a
  count of persons or things (``unit`` "persons" or none) the lemmas of
  ``counted`` ("workers" is "worker"); a share ("about half of the ammunition",
  unit "share") is "% " and the lemmas of ``counted`` (NewsQuant's convention);
  "-" otherwise.
* **change**: a range is "=" ("~" when approximate); else an increase or decrease
  (``change`` > 1 or < 1, or a word such as "up", "fell" in the quantity's text) is
  "up" / "down"; else a lone lower / upper bound is ">" / "<"; else "~" when
  approximate; else "=".

Scoring
-------
``score`` counts matches as CQE's ``evaluate_models.py`` does, sentence by
sentence: gold and predicted quantities are both sorted by normalized unit; for
each gold quantity the predictions not yet used are walked in order, and for each
one whose value matches (``isclose`` with rtol 1e-5, atol 1e-8; a range matches a
range only, bound by bound):

* a value match is counted, at most as many times in the sentence as the sentence
  has gold quantities;
* a value+change match is counted when the changes are equal;
* when the (lower-cased) normalized units are equal, a value+unit match is counted,
  the prediction is used up, and the walk stops for this gold quantity.

So a prediction whose value matches but whose unit does not stays available and
may be counted for several gold quantities; that is CQE's definition, kept so that
the figures compare with the paper's. Precision divides by the number of
predictions, recall by the number of gold quantities. ``strict`` figures beside
them pair each gold quantity with at most one prediction and each prediction with
at most one gold quantity (greedy, value first), as a check on those quirks.

For quantulum3, as in CQE's evaluation, a gold range is compared as its midpoint
(quantulum3 reports a range as its mean), its unit names are mapped to NewsQuant's
("dimensionless" is "-", "degree celsius" is "celsius", ...), and since it reports
no change every quantity counts as "=".
"""

from __future__ import annotations

import json
import math
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimgraph.errors import InputError, ModelNotInstalledError
from claimgraph.model import Quantity

Value = float | tuple[float, float]

EXTRACTORS = ("claimgraph", "quantulum3")
CHANGES = ("=", "~", ">", "<", "up", "down")
METRICS = ("value", "value_unit", "value_change")


@dataclass(frozen=True)
class NQQuantity:
    """A quantity as NewsQuant scores it: value (or range), normalized unit, change."""

    value: Value
    unit: str = "-"
    change: str = "="
    text: str = ""


@dataclass(frozen=True)
class NQSentence:
    text: str
    gold: tuple[NQQuantity, ...]


# ---------------------------------------------------------------- reading


def parse_gold_value(raw: Any, *, average_ranges: bool = False) -> Value:
    """A NewsQuant value string as a number or a (first, second) range.

    A string with a "-" that is neither a leading minus sign nor part of an
    exponent is a range "a-b"; ``average_ranges`` turns it into its midpoint.
    """
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(f"a value must be a number or a string, not {raw!r}")
    s = raw.strip()
    if "E" not in s.upper() and not s.startswith("-") and "-" in s:
        first, second = s.split("-")[:2]
        pair = (float(first), float(second))
        return (pair[0] + pair[1]) / 2 if average_ranges else pair
    return float(s)


def load_newsquant(path: Path) -> list[NQSentence]:
    """Read a NewsQuant JSON file.

    path (Path): the JSON file (a list of {"text", "quantities"}).
    RETURNS (list[NQSentence]): the sentences with their gold quantities.
    Raises InputError when the file is missing or not NewsQuant.
    """
    where = str(path)
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(where, f"cannot read the file ({e.strerror or e})") from e
    except UnicodeDecodeError as e:
        raise InputError(where, f"not UTF-8 text ({e.reason} at byte {e.start})") from e
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        raise InputError(where, f"not JSON ({e.msg} at line {e.lineno}, column {e.colno})") from e
    if not isinstance(data, list):
        raise InputError(where, "not NewsQuant: expected a JSON list of sentences")
    out: list[NQSentence] = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise InputError(where, f"sentence {i}: expected an object with a 'text' string")
        quantities = item.get("quantities", [])
        if not isinstance(quantities, list):
            raise InputError(where, f"sentence {i}: 'quantities' must be a list")
        gold: list[NQQuantity] = []
        for j, q in enumerate(quantities):
            if not isinstance(q, dict) or "value" not in q:
                raise InputError(where, f"sentence {i}, quantity {j}: expected an object with a 'value'")
            try:
                value = parse_gold_value(q["value"])
            except ValueError as e:
                raise InputError(where, f"sentence {i}, quantity {j}: bad value {q['value']!r}") from e
            unit = q.get("normalized_unit", "-")
            change = q.get("change", "=")
            if not isinstance(unit, str) or not isinstance(change, str):
                raise InputError(where, f"sentence {i}, quantity {j}: unit and change must be strings")
            gold.append(NQQuantity(value, unit.strip() or "-", change.strip() or "=", str(q["value"])))
        out.append(NQSentence(item["text"], tuple(gold)))
    return out


# ---------------------------------------------------------------- scoring


def values_match(gold: Value, predicted: Value) -> bool:
    """Equal values, as numpy's ``isclose`` (rtol 1e-5, atol 1e-8) has it; ranges bound by bound."""
    if isinstance(gold, tuple) != isinstance(predicted, tuple):
        return False
    if isinstance(gold, tuple) and isinstance(predicted, tuple):
        return _close(gold[0], predicted[0]) and _close(gold[1], predicted[1])
    assert isinstance(gold, float) and isinstance(predicted, float)
    return _close(gold, predicted)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-8 + 1e-5 * abs(b)


def _prf(hits: int, n_gold: int, n_pred: int) -> dict[str, float]:
    p = hits / n_pred if n_pred else 0.0
    r = hits / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f, "hits": hits}


def _unit_key(u: str) -> str:
    return u.strip().lower()


def match_sentence(gold: Sequence[NQQuantity], predicted: Sequence[NQQuantity]) -> dict[str, int]:
    """CQE's counts for one sentence: value, value+unit and value+change hits."""
    golds = sorted(gold, key=lambda q: q.unit)
    left = sorted(predicted, key=lambda q: q.unit)
    budget = len(golds)
    hits = {"value": 0, "value_unit": 0, "value_change": 0}
    for g in golds:
        for p in list(left):
            if not values_match(g.value, p.value):
                continue
            if budget > 0:
                hits["value"] += 1
                budget -= 1
            if p.change == g.change:
                hits["value_change"] += 1
            if _unit_key(p.unit) == _unit_key(g.unit):
                hits["value_unit"] += 1
                left.remove(p)
                break
    return hits


def match_sentence_strict(gold: Sequence[NQQuantity], predicted: Sequence[NQQuantity]) -> dict[str, int]:
    """One-to-one counts: each gold and each prediction is paired at most once (best pair first)."""
    hits = {"value": 0, "value_unit": 0, "value_change": 0}
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if values_match(g.value, p.value):
                quality = (_unit_key(p.unit) == _unit_key(g.unit)) * 2 + (p.change == g.change)
                pairs.append((-quality, gi, pi))
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _, gi, pi in sorted(pairs):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        g, p = gold[gi], predicted[pi]
        hits["value"] += 1
        hits["value_unit"] += _unit_key(p.unit) == _unit_key(g.unit)
        hits["value_change"] += p.change == g.change
    return hits


def score(pairs: Iterable[tuple[Sequence[NQQuantity], Sequence[NQQuantity]]]) -> dict[str, Any]:
    """Precision, recall and F1 of value, value+unit and value+change over (gold, predicted) pairs.

    RETURNS (dict): {"value": {"p", "r", "f1", "hits"}, "value_unit": ..., "value_change": ...,
        "strict": {same three}, "sentences", "gold", "predicted"}.
    """
    n_gold = n_pred = n_sent = 0
    cqe = dict.fromkeys(METRICS, 0)
    strict = dict.fromkeys(METRICS, 0)
    for gold, predicted in pairs:
        n_sent += 1
        n_gold += len(gold)
        n_pred += len(predicted)
        for k, v in match_sentence(gold, predicted).items():
            cqe[k] += v
        for k, v in match_sentence_strict(gold, predicted).items():
            strict[k] += v
    out: dict[str, Any] = {k: _prf(cqe[k], n_gold, n_pred) for k in METRICS}
    out["strict"] = {k: _prf(strict[k], n_gold, n_pred) for k in METRICS}
    out.update(sentences=n_sent, gold=n_gold, predicted=n_pred)
    return out


# ---------------------------------------------------------------- extractors

Extract = Callable[[str], list[NQQuantity]]


#: unit names where NewsQuant's annotators named a unit otherwise than the lexicon does
_NEWSQUANT_NAMES = {"penny": "point"}
_COUNT_UNITS = frozenset(
    {"persons", "persons killed", "persons wounded", "persons captured", "persons missing"}
)
_IRREGULAR_PLURALS = {
    "people": "people",
    "men": "man",
    "women": "woman",
    "children": "child",
    "feet": "foot",
    "teeth": "tooth",
    "mice": "mouse",
    "geese": "goose",
    "personnel": "personnel",
    "staff": "staff",
    "police": "police",
    "series": "series",
    "species": "species",
    "news": "news",
}


def singular(word: str) -> str:
    """The singular of an English plural noun, by rule ("bosses" is "boss", "countries" "country")."""
    low = word.lower()
    if low in _IRREGULAR_PLURALS:
        return (
            word[: len(word) - len(low)] + _IRREGULAR_PLURALS[low]
            if word.islower()
            else _IRREGULAR_PLURALS[low]
        )
    if low.endswith("men") and len(low) > 4:
        return word[:-3] + "man"
    if low.endswith("ies") and len(low) > 4:
        return word[:-3] + "y"
    if low.endswith(("sses", "shes", "ches", "xes", "zes", "uses")):
        return word[:-2]
    if low.endswith("s") and not low.endswith(("ss", "us", "is")) and len(low) > 3:
        return word[:-1]
    return word


def _counted_name(counted: str | None) -> str:
    if not counted:
        return "-"
    words = counted.split()
    words[-1] = singular(words[-1])
    return " ".join(words)


def to_newsquant(q: Quantity) -> tuple[Value, str, str] | None:
    """A Quantity as NewsQuant scores it: (value or range, normalized unit, change); None when no number."""
    from claimgraph.nlp.quantities import direction, unit_name, written_direction

    is_range = q.value is None and q.low is not None and q.high is not None
    value: Value
    if q.value is not None:
        value = float(q.value)
    elif is_range:
        assert q.low is not None and q.high is not None
        lo, hi = float(q.low), float(q.high)
        value = (hi, lo) if q.change is not None and q.change < 1 else (lo, hi)
    elif q.low is not None:
        value = float(q.low)
    elif q.high is not None:
        value = float(q.high)
    else:
        return None
    if q.unit is None or q.unit in _COUNT_UNITS or q.unit == "casualties":
        unit = _counted_name(q.counted) if q.counted else "-"
    elif q.unit == "share":
        unit = "% " + _counted_name(q.counted)
    else:
        name = unit_name(q.unit) or "-"
        unit = " per ".join(_NEWSQUANT_NAMES.get(part, part) for part in name.split(" per "))
    change: str
    if is_range:
        change = written_direction(q) or ("~" if q.approximate else "=")
    else:
        d = direction(q)
        if d is not None:
            change = d
        elif q.value is None and q.low is not None:
            change = ">"
        elif q.value is None and q.high is not None:
            change = "<"
        else:
            change = "~" if q.approximate else "="
    return value, unit, change


def _claimgraph_extractor(spacy_model: str | None, use_spacy: bool) -> Extract:
    from claimgraph.nlp.quantities import find_quantities

    nlp = _load_spacy(spacy_model) if use_spacy else None

    def extract(text: str) -> list[NQQuantity]:
        doc = nlp(text) if nlp is not None else None
        out = []
        for q in find_quantities(text, doc=doc):
            mapped = to_newsquant(q)
            if mapped is not None:
                value, unit, change = mapped
                out.append(NQQuantity(value, unit, change, q.text))
        return out

    return extract


def _load_spacy(name: str | None) -> Any:
    from claimgraph.config import Settings
    from claimgraph.nlp.pipeline import load_spacy

    # the whole English pipeline, as claimgraph runs it: the parse gives counted nouns, NER tells years
    return load_spacy(name or Settings().spacy_model)


# quantulum3's unit names where NewsQuant names the unit differently
_QUANTULUM_UNITS = {
    "dimensionless": "-",
    "unk": "-",
    "per cent": "percentage",
    "dollar dollar": "dollar",
    "united states dollar": "dollar",
    "tonne": "metric ton",
    "degree angle": "degree",
    "degree celsius": "celsius",
    "degree fahrenheit": "fahrenheit",
    "percentage drop": "percentage",
    "second of arc": "second",
    "minute of arc": "minute",
    "yard yard": "yard",
    "cubic centimetre": "millilitre",
    "degree angle degree fahrenheit": "fahrenheit",
    "pound sterling year": "pound sterling per year",
}


def _quantulum3_extractor() -> Extract:
    try:
        with warnings.catch_warnings():
            # quantulum3 warns on import when its optional unit classifier is not installed
            warnings.simplefilter("ignore", UserWarning)
            from quantulum3 import parser as q3
    except ImportError as e:
        raise ModelNotInstalledError(
            "quantulum3 is not installed; it is only needed for the comparison: pip install quantulum3"
        ) from e

    def extract(text: str) -> list[NQQuantity]:
        out = []
        for q in q3.parse(text):
            unit = q.unit.name.strip()
            unit = _QUANTULUM_UNITS.get(unit.lower(), unit)
            out.append(NQQuantity(float(q.value), unit, "=", q.surface))
        return out

    return extract


# ---------------------------------------------------------------- the command


def evaluate_newsquant(
    path: Path,
    extractor: str = "claimgraph",
    progress: Callable[[int, int], None] | None = None,
    *,
    spacy_model: str | None = None,
    use_spacy: bool = True,
    details: bool = False,
    split: str = "all",
) -> dict[str, Any]:
    """Score a quantity extractor on a NewsQuant file as the CQE paper does.

    path (Path): NewsQuant JSON (e.g. shared/data/newsquant/NewsQuant.dev.json).
    extractor (str): "claimgraph" (``find_quantities``) or "quantulum3" (optional package).
    progress (callable): called with (sentences done, total) after each sentence.
    spacy_model (str): the spaCy pipeline for claimgraph; the settings' default when None.
    use_spacy (bool): give claimgraph a parsed doc (counted nouns, lemmas); regex only when False.
    details (bool): add "sentences_detail", the gold and predicted quantities per sentence.
    split (str): "tune", "check" or "all": the sentences of that half of the committed
        NewsQuant dev split (``claimgraph.evaluation.splits``).
    RETURNS (dict): "value", "value_unit", "value_change" (each {"p", "r", "f1", "hits"}),
        "strict" (one-to-one figures), "sentences", "gold", "predicted", "extractor",
        "seconds" (extraction time) and "sentences_per_second".
    """
    if extractor not in EXTRACTORS:
        raise ValueError(f"unknown extractor {extractor!r}; known: {', '.join(EXTRACTORS)}")
    from claimgraph.evaluation.splits import check_split, in_split, sentence_name

    check_split(split)
    sentences = load_newsquant(path)
    keep = in_split("newsquant-dev", [sentence_name(s.text) for s in sentences], split)
    sentences = [s for s, k in zip(sentences, keep, strict=True) if k]
    if extractor == "quantulum3":
        extract = _quantulum3_extractor()
        # quantulum3 reports a range as its mean: compare gold ranges by their midpoints
        sentences = [
            NQSentence(
                s.text,
                tuple(
                    NQQuantity(_midpoint(g.value), g.unit, g.change, g.text)
                    if isinstance(g.value, tuple)
                    else g
                    for g in s.gold
                ),
            )
            for s in sentences
        ]
    else:
        extract = _claimgraph_extractor(spacy_model, use_spacy)
    predictions: list[list[NQQuantity]] = []
    started = time.perf_counter()
    for i, s in enumerate(sentences):
        predictions.append(extract(s.text))
        if progress is not None:
            progress(i + 1, len(sentences))
    seconds = time.perf_counter() - started
    result = score((s.gold, p) for s, p in zip(sentences, predictions, strict=True))
    result["extractor"] = extractor
    result["split"] = split
    result["seconds"] = seconds
    result["sentences_per_second"] = len(sentences) / seconds if seconds > 0 else math.inf
    if details:
        result["sentences_detail"] = [
            {"text": s.text, "gold": list(s.gold), "predicted": p}
            for s, p in zip(sentences, predictions, strict=True)
        ]
    return result


def _midpoint(v: Value) -> float:
    return (v[0] + v[1]) / 2 if isinstance(v, tuple) else v


def format_table(scores: dict[str, Any]) -> str:
    """The scores as a plain-text table (percentages), CQE's metrics first, strict ones after."""
    name = scores.get("extractor", "")
    lines = [
        f"NewsQuant: {scores.get('sentences', 0)} sentences, {scores.get('gold', 0)} gold quantities, "
        f"{scores.get('predicted', 0)} predicted ({name})",
        f"{'metric':<22}{'P':>7}{'R':>7}{'F1':>7}",
    ]
    labels = {"value": "value", "value_unit": "value+unit", "value_change": "value+change"}
    for key, label in labels.items():
        if key in scores:
            m = scores[key]
            lines.append(f"{label:<22}{m['p'] * 100:>7.1f}{m['r'] * 100:>7.1f}{m['f1'] * 100:>7.1f}")
    for key, label in labels.items():
        m = scores.get("strict", {}).get(key)
        if m:
            lines.append(
                f"{label + ' (1:1)':<22}{m['p'] * 100:>7.1f}{m['r'] * 100:>7.1f}{m['f1'] * 100:>7.1f}"
            )
    if "sentences_per_second" in scores:
        lines.append(f"speed: {scores['sentences_per_second']:.0f} sentences/s")
    return "\n".join(lines)
