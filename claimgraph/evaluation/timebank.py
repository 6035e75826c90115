"""Time expressions scored on TimeBank + AQUAINT (TimeML), with TempEval-3's measures.

The corpus is the TempEval-3 training data ("TBAQ-cleaned"): news articles whose
time expressions are TIMEX3 elements carrying a ``type`` (DATE, TIME, DURATION,
SET) and a normalized ``value``, relative to the document creation time (the DCT
element). :func:`load_timeml` reads a folder of it; :func:`evaluate_timebank`
runs :func:`claimgraph.nlp.timespans.find_times` on each document's text with the
DCT as publication date and scores the result; :func:`format_table` prints it.

What is scored (TempEval-3, UzZaman et al. 2013, and its scorer
``evaluate_entities.py``):

- The text of a document is the text content of its TEXT element with the tags
  stripped; gold extents are character offsets into it. The DCT's own TIMEX3
  (``functionInDocument="CREATION_TIME"``, tid ``t0``) is not scored.
- A predicted extent is the span :func:`find_times` returns, less the leading
  preposition it keeps for meaning ("for", "in", "within", "during" before a
  duration, "since" before an interval): TimeML marks those as SIGNALs, outside
  the TIMEX3. The kind maps to the TIMEX3 type: date and interval → DATE,
  time → TIME, duration → DURATION, set → SET.
- Gold and predicted expressions are paired one to one within a document, most
  overlap first. **Strict** extent: a pair whose extents are identical.
  **Relaxed** extent: a pair whose extents overlap. Precision is matches over
  predictions, recall matches over gold, F1 their harmonic mean.
- **Value** (and **type**): a relaxed pair counts only when its normalized value
  (type) string equals the gold one. Precision = correct / predicted, recall =
  correct / gold, so F1 = value accuracy over relaxed pairs × relaxed F1, which
  is how TempEval-3 computes "Attribute F1" (the accuracy is also reported).
"""

from __future__ import annotations

import re
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimgraph.errors import InputError
from claimgraph.model import TimeSpan
from claimgraph.nlp.timespans import find_times

#: the sub-folders of the TempEval-3 training data, read in this order
SUBFOLDERS = ("TimeBank", "AQUAINT")

#: what a find_times kind is as a TIMEX3 type
KIND_TO_TYPE = {
    "date": "DATE",
    "interval": "DATE",
    "time": "TIME",
    "duration": "DURATION",
    "set": "SET",
}

# A leading signal that find_times keeps in its span and TimeML keeps out of a TIMEX3.
_SIGNAL = re.compile(r"(?:for|since|in|within|during|ever\s+since)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class GoldTimex:
    """One TIMEX3 of a TimeML document: its extent in the document text, type and value."""

    start: int
    end: int
    text: str
    type: str
    value: str
    tid: str = ""


@dataclass(frozen=True)
class TimeMLDocument:
    """One TimeML document: the text of its TEXT element, its DCT and its gold timexes."""

    name: str
    text: str
    published: str | None
    timexes: tuple[GoldTimex, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PredictedTimex:
    """A prediction as TIMEX3: extent (signal stripped), type and value."""

    start: int
    end: int
    text: str
    type: str
    value: str


def _walk(element: ET.Element, parts: list[str], found: list[GoldTimex], offset: list[int]) -> None:
    """Append the text content of ``element`` to ``parts``, noting where each TIMEX3 lies."""
    start = offset[0]
    if element.text:
        parts.append(element.text)
        offset[0] += len(element.text)
    for child in element:
        _walk(child, parts, found, offset)
        if child.tail:
            parts.append(child.tail)
            offset[0] += len(child.tail)
    if element.tag == "TIMEX3" and element.get("functionInDocument") != "CREATION_TIME":
        # the text is filled in by the caller, once the whole document is joined
        found.append(
            GoldTimex(
                start=start,
                end=offset[0],
                text="",
                type=element.get("type", ""),
                value=element.get("value", ""),
                tid=element.get("tid", ""),
            )
        )


def read_timeml(path: Path) -> TimeMLDocument:
    """Read one TimeML file.

    path (Path): a ``.tml`` file.
    RETURNS (TimeMLDocument): its text, DCT date and gold timexes (the DCT's own left out).
    Raises InputError when the file cannot be read or is not TimeML with a TEXT element.
    """
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise InputError(str(path), f"not a readable TimeML file ({exc})") from exc
    text_el = root.find("TEXT")
    if text_el is None:
        raise InputError(str(path), "no TEXT element: is this a TimeML document?")
    published: str | None = None
    dct = root.find("DCT/TIMEX3")
    if dct is not None:
        value = dct.get("value", "")
        if re.match(r"\d{4}-\d{2}-\d{2}", value):
            published = value[:10]
    parts: list[str] = []
    found: list[GoldTimex] = []
    _walk(text_el, parts, found, [0])
    text = "".join(parts)
    timexes = tuple(
        GoldTimex(t.start, t.end, text[t.start : t.end], t.type, t.value, t.tid)
        for t in sorted(found, key=lambda t: (t.start, t.end))
        if t.end > t.start
    )
    return TimeMLDocument(name=path.stem, text=text, published=published, timexes=timexes)


def load_timeml(folder: Path) -> list[TimeMLDocument]:
    """Read the TimeML documents of a TempEval-3 training folder.

    folder (Path): a folder holding ``TimeBank/`` and/or ``AQUAINT/`` with ``.tml`` files
        (or ``.tml`` files directly, when it has neither).
    RETURNS (list[TimeMLDocument]): the documents, in file-name order within each sub-folder.
    Raises InputError when the folder does not exist or holds no ``.tml`` file.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(str(folder), "not a folder; pass the TimeBank+AQUAINT folder (TimeML .tml files)")
    subfolders = [folder / name for name in SUBFOLDERS if (folder / name).is_dir()]
    files: list[Path] = []
    for sub in subfolders or [folder]:
        files.extend(sorted(sub.glob("*.tml")))
    if not files:
        raise InputError(
            str(folder), "no .tml files found (expected TimeBank/ and AQUAINT/ folders of TimeML documents)"
        )
    return [read_timeml(f) for f in files]


def to_timex(span: TimeSpan) -> PredictedTimex:
    """A find_times span as a TIMEX3: extent without a leading signal, the kind as type."""
    start, end = span.offsets[0][0], span.offsets[-1][1]
    text = span.text
    m = _SIGNAL.match(text)
    if m and m.end() < len(text):
        start += m.end()
        text = text[m.end() :]
    return PredictedTimex(start, end, text, KIND_TO_TYPE.get(span.kind, span.kind.upper()), span.value or "")


def _prf(correct: int, predicted: int, gold: int) -> dict[str, float]:
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f}


def align(
    gold: Sequence[GoldTimex], predicted: Sequence[PredictedTimex]
) -> list[tuple[GoldTimex, PredictedTimex]]:
    """Pair gold and predicted timexes one to one, the largest overlaps first."""
    candidates: list[tuple[int, int, int]] = []
    for i, g in enumerate(gold):
        for j, s in enumerate(predicted):
            overlap = min(g.end, s.end) - max(g.start, s.start)
            if overlap > 0:
                exact = 1 if (g.start, g.end) == (s.start, s.end) else 0
                candidates.append((exact * 10**9 + overlap, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_g: set[int] = set()
    used_s: set[int] = set()
    pairs: list[tuple[GoldTimex, PredictedTimex]] = []
    for _, i, j in candidates:
        if i in used_g or j in used_s:
            continue
        used_g.add(i)
        used_s.add(j)
        pairs.append((gold[i], predicted[j]))
    return pairs


def score(
    documents: Iterable[tuple[Sequence[GoldTimex], Sequence[PredictedTimex]]],
) -> dict[str, Any]:
    """Score (gold, predicted) timexes per document with the TempEval-3 measures.

    RETURNS (dict): ``extent_strict``, ``extent_relaxed``, ``value`` and ``type``, each
    ``{"p", "r", "f1"}``; ``value_accuracy`` and ``type_accuracy`` over relaxed pairs;
    counts ``documents``, ``gold``, ``predicted``.
    """
    n_docs = n_gold = n_pred = strict = relaxed = value_ok = type_ok = 0
    for gold, predicted in documents:
        n_docs += 1
        n_gold += len(gold)
        n_pred += len(predicted)
        for g, s in align(gold, predicted):
            relaxed += 1
            strict += (g.start, g.end) == (s.start, s.end)
            value_ok += g.value == s.value
            type_ok += g.type == s.type
    return {
        "extent_strict": _prf(strict, n_pred, n_gold),
        "extent_relaxed": _prf(relaxed, n_pred, n_gold),
        "value": _prf(value_ok, n_pred, n_gold),
        "type": _prf(type_ok, n_pred, n_gold),
        "value_accuracy": value_ok / relaxed if relaxed else 0.0,
        "type_accuracy": type_ok / relaxed if relaxed else 0.0,
        "documents": n_docs,
        "gold": n_gold,
        "predicted": n_pred,
    }


def predict(document: TimeMLDocument) -> list[PredictedTimex]:
    """find_times on a document's text with its DCT as publication date, as TIMEX3s."""
    return [to_timex(s) for s in find_times(document.text, document.published)]


def evaluate_timebank(
    folder: Path, progress: Callable[[int, int], None] | None = None, split: str = "all"
) -> dict[str, Any]:
    """Run find_times over TimeBank + AQUAINT and score it as TempEval-3 does.

    folder (Path): the TimeBank+AQUAINT folder (``TimeBank/`` and ``AQUAINT/`` of ``.tml``).
    progress (Callable[[int, int], None] | None): called with (done, total) after each document.
    split (str): "tune", "check" or "all": the documents of that half of the committed
        TimeBank+AQUAINT split (``claimgraph.evaluation.splits``; names ``TimeBank/<stem>``).
    RETURNS (dict): see :func:`score`, plus ``seconds`` and ``docs_per_second``.
    """
    from claimgraph.evaluation.splits import check_split, in_split

    check_split(split)
    documents = load_timeml(folder)
    if split != "all":
        # a document's name in the split is its sub-folder and stem: "TimeBank/ABC19980108.1830.0711"
        subs = [sub for sub in SUBFOLDERS if (Path(folder) / sub).is_dir()]
        names = [
            next(
                (f"{sub}/{d.name}" for sub in subs if (Path(folder) / sub / f"{d.name}.tml").exists()), d.name
            )
            for d in documents
        ]
        documents = [d for d, k in zip(documents, in_split("timebank", names, split), strict=True) if k]
    pairs: list[tuple[Sequence[GoldTimex], Sequence[PredictedTimex]]] = []
    began = time.perf_counter()
    for i, doc in enumerate(documents, 1):
        pairs.append((doc.timexes, predict(doc)))
        if progress is not None:
            progress(i, len(documents))
    seconds = time.perf_counter() - began
    result = score(pairs)
    result["split"] = split
    result["seconds"] = seconds
    result["docs_per_second"] = len(documents) / seconds if seconds else 0.0
    return result


def format_table(scores: dict[str, Any]) -> str:
    """The scores as a plain-text table (percentages), one measure a row."""
    lines = [
        f"TimeBank+AQUAINT: {scores['documents']} documents, {scores['gold']} gold timexes, "
        f"{scores['predicted']} predicted",
        f"{'measure':<16}{'P':>8}{'R':>8}{'F1':>8}",
    ]
    for key, label in (
        ("extent_strict", "extent strict"),
        ("extent_relaxed", "extent relaxed"),
        ("value", "value"),
        ("type", "type"),
    ):
        s = scores[key]
        lines.append(f"{label:<16}{100 * s['p']:>8.2f}{100 * s['r']:>8.2f}{100 * s['f1']:>8.2f}")
    lines.append(
        f"value accuracy {100 * scores['value_accuracy']:.2f}, "
        f"type accuracy {100 * scores['type_accuracy']:.2f} (over relaxed matches)"
    )
    if "docs_per_second" in scores:
        lines.append(f"speed: {scores['docs_per_second']:.1f} documents/s")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m claimgraph.evaluation.timebank DIR``: print the scores."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m claimgraph.evaluation.timebank DIR", file=sys.stderr)
        return 2
    try:
        scores = evaluate_timebank(Path(args[0]))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(format_table(scores))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
