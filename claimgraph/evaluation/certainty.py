"""Certainty × polarity against a hand-labelled gold set (tests/data/certainty_gold.jsonl).

Each gold item names a PolNeAR train article, the gold content span and the
cue's text. The item's article is parsed, the cue is found next to the content
(the nearest occurrence of the cue text), and ``factuality`` scores the content
with that cue as the chain's only hop: this measures the certainty stage alone,
not attribution finding. Accuracy is over the 8 joint labels; per-label
precision, recall and F1 are printed beside it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from claimgraph.errors import InputError

Predict = Callable[[str, list[tuple[int, int]], tuple[int, int] | None], tuple[str, str]]


def load_gold(path: Path) -> list[dict[str, Any]]:
    items = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise InputError(str(path), f"cannot read the gold file ({e.strerror})") from e
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            item["content"] = [(int(s), int(e)) for s, e in item["content"]]
            if item["certainty"] not in {"certain", "probable", "possible", "unknown"}:
                raise ValueError(f"unknown certainty {item['certainty']!r}")
            if item["polarity"] not in {"positive", "negative"}:
                raise ValueError(f"unknown polarity {item['polarity']!r}")
        except (ValueError, KeyError, TypeError) as e:
            raise InputError(f"{path}:{n}", f"not a gold item ({e})") from e
        items.append(item)
    return items


def find_cue(text: str, cue: str, content: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The occurrence of the cue text nearest to the content."""
    if not cue.strip():
        return None
    start, end = content[0][0], content[-1][1]
    best: tuple[int, tuple[int, int]] | None = None
    i = text.find(cue, max(0, start - 400))
    while i != -1 and i < end + 400:
        if not (start <= i < end):
            dist = min(abs(i - start), abs(i - end))
            if best is None or dist < best[0]:
                best = (dist, (i, i + len(cue)))
        i = text.find(cue, i + 1)
    return best[1] if best else None


def evaluate_certainty(
    gold_path: Path,
    texts: Path,
    predict: Predict,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Accuracy and per-label figures of ``predict(text, content, cue) -> (certainty, polarity)``.

    gold_path: the JSONL gold file. texts: the folder of the articles' .txt files.
    """
    items = load_gold(gold_path)
    confusion: Counter[tuple[str, str]] = Counter()
    correct = 0
    errors: list[dict[str, Any]] = []
    for n, item in enumerate(items, 1):
        path = texts / f"{item['doc']}.txt"
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise InputError(str(path), f"article of a gold item not found ({e.strerror})") from e
        cue = find_cue(text, item["cue"], item["content"])
        got = predict(text, item["content"], cue)
        want = (item["certainty"], item["polarity"])
        confusion[("/".join(want), "/".join(got))] += 1
        if got == want:
            correct += 1
        else:
            errors.append({"doc": item["doc"], "content": item["content_text"], "want": want, "got": got})
        if progress:
            progress(n, len(items))
    labels = sorted({g for g, _ in confusion} | {p for _, p in confusion})
    per_label = {}
    for label in labels:
        tp = confusion[(label, label)]
        pred = sum(v for (g, p), v in confusion.items() if p == label)
        gold = sum(v for (g, p), v in confusion.items() if g == label)
        prec = tp / pred if pred else 0.0
        rec = tp / gold if gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_label[label] = {"precision": prec, "recall": rec, "f1": f1, "gold": gold, "predicted": pred}
    return {
        "items": len(items),
        "accuracy": correct / len(items) if items else 0.0,
        "labels": per_label,
        "errors": errors,
    }


def format_table(scores: dict[str, Any]) -> str:
    lines = [f"items {scores['items']}   accuracy (certainty × polarity) {scores['accuracy']:.3f}", ""]
    lines.append(f"{'label':22}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}{'pred':>7}")
    for label, f in scores["labels"].items():
        lines.append(
            f"{label:22}{f['precision']:7.3f}{f['recall']:7.3f}{f['f1']:7.3f}{f['gold']:7d}{f['predicted']:7d}"
        )
    return "\n".join(lines)


def extractor_predictor(extractor: Any) -> Predict:
    """A ``predict`` for ``evaluate_certainty`` from an ``Extractor`` (each article parsed once)."""
    from claimgraph.model import Cue, Hop
    from claimgraph.nlp.certainty import factuality

    docs: dict[str, Any] = {}

    def predict(text: str, content: list[tuple[int, int]], cue: tuple[int, int] | None) -> tuple[str, str]:
        doc = docs.get(text)
        if doc is None:
            doc = docs[text] = extractor.nlp(text)
        chain: tuple[Hop, ...] = ()
        if cue is not None:
            span = doc.char_span(cue[0], cue[1], alignment_mode="expand")
            lemma = " ".join(t.lemma_.lower() for t in span) if span is not None else ""
            chain = (Hop(Cue(text[cue[0] : cue[1]], (cue,), lemma), ()),)
        fact = factuality(doc, content, chain)
        return fact.certainty, fact.polarity

    return predict
