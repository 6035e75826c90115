"""Same claim or not, on sentence pairs in the MSRP format.

Input: a tab-separated file with the header ``Quality\\t#1 ID\\t#2 ID\\t#1 String\\t#2 String``
and one pair a line; Quality 1 means the two sentences are paraphrases (one claim),
0 that they are not. The strings are taken as they stand: quotes are text, not quoting.

Method: every sentence becomes a one-sentence article (``pair_articles``): the text is
the sentence, with no title; the first sentences of the pairs come from the outlet
"side 1", the second ones from "side 2", all published on one date, so that the
linker sees two outlets reporting on the same day and nothing but the wording
separates a pair. The whole pipeline (extraction, then linking into clusters) runs on
these articles; a pair is predicted positive when any claim of side 1 shares a claim
cluster with any claim of side 2, negative otherwise (a sentence with no claim makes
its pair negative). The CLI does the running; this module reads the file, builds the
articles and scores the predictions.

Each article's ``source`` names its side, the pair's position and the sentence id
(``pairs/side1/{i}-{id1}``), so sentences are told apart by position. ``Article.id`` is
content-addressed (outlet and text), so two pairs with the same sentence on the same
side give the same id: results must be mapped back to pairs by position (or source),
never by ``Article.id``.

Scores: accuracy, and precision, recall and F1 of the class "same claim"; the
majority-class accuracy is reported beside them for scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimgraph.errors import InputError
from claimgraph.model import Article

HEADER = ("Quality", "#1 ID", "#2 ID", "#1 String", "#2 String")
SIDE1 = "side 1"
SIDE2 = "side 2"


@dataclass(frozen=True)
class PairItem:
    """One sentence pair and its gold label."""

    #: gold: the two sentences make one claim
    label: bool
    id1: str
    id2: str
    text1: str
    text2: str


def read_pairs(path: Path, limit: int | None = None) -> list[PairItem]:
    """The pairs of an MSRP-format file, in file order; ``limit`` keeps the first N."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(str(path), f"cannot read the pair file ({e})") from e
    lines = text.split("\n")
    numbered = [(n, line.rstrip("\r")) for n, line in enumerate(lines, start=1)]
    numbered = [(n, line) for n, line in numbered if line.strip()]
    if not numbered:
        raise InputError(str(path), "the pair file is empty (no header line)")
    first_no, first = numbered[0]
    if tuple(f.strip() for f in first.split("\t")) != HEADER:
        want = "\t".join(HEADER)
        raise InputError(str(path), f"line {first_no} is not the header {want!r} (got {first[:80]!r})")
    items: list[PairItem] = []
    for n, line in numbered[1:]:
        if limit is not None and len(items) >= limit:
            break
        fields = line.split("\t")
        if len(fields) != len(HEADER):
            raise InputError(
                str(path), f"line {n}: expected {len(HEADER)} tab-separated fields, got {len(fields)}"
            )
        quality, id1, id2, text1, text2 = (f.strip() for f in fields)
        if quality not in {"0", "1"}:
            raise InputError(str(path), f"line {n}: Quality must be 0 or 1, not {quality!r}")
        if not id1 or not id2:
            raise InputError(str(path), f"line {n}: a sentence id is empty")
        if not text1 or not text2:
            raise InputError(str(path), f"line {n}: a sentence is empty")
        items.append(PairItem(label=quality == "1", id1=id1, id2=id2, text1=text1, text2=text2))
    return items


def pair_articles(items: Sequence[PairItem], published: str = "2004-01-01") -> list[tuple[Article, Article]]:
    """Each pair as two one-sentence articles, from "side 1" and "side 2", aligned with ``items``."""

    def side(i: int, n: int, sentence_id: str, text: str, outlet: str) -> Article:
        source = f"pairs/side{n}/{i}-{sentence_id}"
        return Article(text=text, source=source, outlet=outlet, published=published)

    return [
        (side(i, 1, item.id1, item.text1, SIDE1), side(i, 2, item.id2, item.text2, SIDE2))
        for i, item in enumerate(items)
    ]


def score_pairs(items: Sequence[PairItem], predicted: Sequence[bool]) -> dict[str, Any]:
    """Accuracy and precision/recall/F1 of "same claim" of ``predicted`` (aligned with ``items``)."""
    if len(items) != len(predicted):
        raise ValueError(f"{len(predicted)} predictions for {len(items)} pairs")
    tp = fp = fn = tn = 0
    for item, guess in zip(items, predicted, strict=True):
        if item.label and guess:
            tp += 1
        elif guess:
            fp += 1
        elif item.label:
            fn += 1
        else:
            tn += 1
    n = len(items)
    positives = tp + fn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs": n,
        "positives": positives,
        "predicted_positive": tp + fp,
        "accuracy": (tp + tn) / n if n else 0.0,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "majority_accuracy": max(positives, n - positives) / n if n else 0.0,
    }


def format_table(s: dict[str, Any], title: str) -> str:
    return "\n".join(
        [
            f"{title}: {s['pairs']} pairs, {s['positives']} gold same-claim, "
            f"{s['predicted_positive']} predicted same-claim",
            "",
            f"accuracy              {s['accuracy']:.3f}   (majority class {s['majority_accuracy']:.3f})",
            f"same cluster          P {s['precision']:.3f}   R {s['recall']:.3f}   F1 {s['f1']:.3f}"
            f"   (tp {s['tp']}, fp {s['fp']}, fn {s['fn']}, tn {s['tn']})",
        ]
    )
