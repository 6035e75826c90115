"""PolNeAR attribution data and Citron's attribution metrics.

Reading
-------
``load_polnear(folder)`` reads a PolNeAR compartment laid out as ``text/<stem>.txt``
and ``attributions/<stem>_<annotator>.ann`` (BRAT standoff). An attribution is an
``E`` line; its ``Cue``, ``Source`` and ``Content`` (``Content2``, ...) arguments
point at ``T`` lines whose spans may be discontinuous (``Content 10 20;25 30``).
An ``E`` line without a cue is skipped (PolNeAR has a few dozen, none of them
with a content). Where several annotators annotated an article, the first
annotator id in sorted order is used.

Scoring
-------
``score`` follows BBC Citron's evaluation (``citron/metrics.py``):

* every character span is mapped to spaCy tokens (the English tokenizer, which is
  the one of ``en_core_web_sm``): a character belongs to the token it is part of
  or whose trailing whitespace it is, as in Citron's ``_get_character_index``.
  Before mapping, whitespace is trimmed from both ends of a span; after mapping,
  fragments of one span list that only whitespace tokens separate are merged
  (BRAT splits a span at every line break, which is no discontinuity of meaning);
* **cue exact**: a predicted quote is a true positive if its cue matches the cue of
  some actual quote exactly, else a false positive; an actual quote whose cue no
  predicted cue matches is a false negative;
* **source exact** / **content exact**: as cue exact, but a match needs the two cues
  to *overlap* and the source (content) span lists to be equal, span for span;
  two empty lists are equal;
* **quote exact**: cue, sources and contents all match exactly;
* **overlap** figures count tokens: for every pair (predicted quote, actual quote),
  whatever their cues, the tokens the two cue (source, content) span lists share
  are summed; precision = shared / predicted tokens, recall = shared / actual
  tokens, F1 their harmonic mean.

Cue overlap uses Citron's test ``a.start <= b.end and a.end > b.start`` on token
spans, which also holds when ``a`` starts right where ``b`` ends; that quirk is
kept so that figures compare with Citron's. A cue with several fragments (rare)
is compared as its list of token spans. Citron's "all quote spans" overlap swaps
precision and recall; here it is computed the right way round.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from claimgraph.errors import InputError
from claimgraph.nlp.attributions import Attribution, Offsets

TokenSpan = tuple[int, int]

_ANN_NAME = re.compile(r"^(?P<stem>.+)_(?P<annotator>[^_]+)\.ann$")
_ROLE = re.compile(r"^(?P<role>[A-Za-z-]+?)\d*$")


@dataclass
class GoldDoc:
    """One PolNeAR article: its text (the decoded file, unchanged) and its attributions."""

    name: str
    text: str
    attributions: list[Attribution] = field(default_factory=list)
    annotator: str = ""


# --------------------------------------------------------------------------- reading


def _parse_offsets(value: str, where: str) -> Offsets:
    spans: Offsets = []
    for part in value.split(";"):
        bits = part.split()
        if len(bits) != 2:
            raise InputError(where, f"bad span {part!r}")
        try:
            start, end = int(bits[0]), int(bits[1])
        except ValueError as exc:
            raise InputError(where, f"bad span {part!r}") from exc
        if start < 0 or end < start:
            raise InputError(where, f"bad span {part!r}")
        spans.append((start, end))
    return spans


def parse_ann(ann: str, text: str, where: str = "<ann>") -> list[Attribution]:
    """The attributions of one BRAT standoff file (its text given), in order of cue."""
    spans: dict[str, tuple[str, Offsets]] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for lineno, line in enumerate(ann.splitlines(), 1):
        cols = line.split("\t")
        ident = cols[0]
        if len(cols) < 2 or not ident[:1].isalpha() or not ident[1:].isdigit():
            # notes ("#1"), and the text of a T line that ran over a line break
            continue
        here = f"{where}:{lineno}"
        if ident.startswith("T"):
            kind, _, rest = cols[1].partition(" ")
            offsets = _parse_offsets(rest, here)
            if any(e > len(text) for _, e in offsets):
                raise InputError(here, f"span beyond the end of the text ({len(text)} characters)")
            spans[ident] = (kind, offsets)
        elif ident.startswith("E"):
            args = []
            for arg in cols[1].split():
                role, sep, target = arg.partition(":")
                if not sep:
                    raise InputError(here, f"bad event argument {arg!r}")
                m = _ROLE.match(role)
                args.append((m.group("role") if m else role, target))
            events.append((ident, args))
    out: list[Attribution] = []
    for ident, args in events:
        cue: Offsets = []
        sources: Offsets = []
        contents: Offsets = []
        for role, target in args:
            if target not in spans:
                raise InputError(f"{where}: {ident}", f"refers to {target}, which is not defined")
            offsets = spans[target][1]
            if role == "Cue":
                cue.extend(offsets)
            elif role == "Source":
                sources.extend(offsets)
            elif role == "Content":
                contents.extend(offsets)
        if not cue:
            continue
        out.append(
            Attribution(
                cue=sorted(cue),
                sources=sorted(sources),
                contents=sorted(contents),
                origin="gold",
                direct_quote=False,
            )
        )
    out.sort(key=lambda a: a.cue[0])
    return out


def load_polnear(folder: Path) -> list[GoldDoc]:
    """Every annotated article of a PolNeAR compartment (``train/``, ``dev/``), by name."""
    folder = Path(folder)
    text_dir = folder / "text"
    ann_dir = folder / "attributions"
    for d in (text_dir, ann_dir):
        if not d.is_dir():
            raise InputError(str(folder), f"not a PolNeAR folder: it has no {d.name}/ folder")
    anns: dict[str, list[tuple[str, Path]]] = {}
    for path in ann_dir.glob("*.ann"):
        m = _ANN_NAME.match(path.name)
        if m:
            anns.setdefault(m.group("stem"), []).append((m.group("annotator"), path))
    docs: list[GoldDoc] = []
    for txt in sorted(text_dir.glob("*.txt")):
        candidates = sorted(anns.get(txt.stem, []))
        if not candidates:
            continue
        annotator, ann_path = candidates[0]
        try:
            text = txt.read_bytes().decode("utf-8")
            ann = ann_path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(str(txt), f"not UTF-8: {exc}") from exc
        docs.append(GoldDoc(txt.stem, text, parse_ann(ann, text, str(ann_path)), annotator))
    if not docs:
        raise InputError(str(folder), "no annotated article (text/<name>.txt with attributions/<name>_*.ann)")
    return docs


# --------------------------------------------------------------------------- tokens


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import spacy

    return spacy.blank("en").tokenizer


class _TokenIndex:
    """Maps character spans of one text to token spans, Citron's way."""

    def __init__(self, text: str, tokenizer: Callable[[str], Any] | None = None) -> None:
        doc = (tokenizer or _tokenizer())(text)
        self.n = len(doc)
        self.char_to_token = [0] * (len(text) + 1)
        self.is_space = [t.is_space for t in doc]
        for tok in doc:
            for i in range(tok.idx, tok.idx + len(tok.text_with_ws)):
                self.char_to_token[i] = tok.i
        self.char_to_token[len(text)] = max(self.n - 1, 0)
        self.text = text

    def span(self, start: int, end: int) -> TokenSpan | None:
        text = self.text
        end = min(end, len(text))
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            return None
        return self.char_to_token[start], self.char_to_token[end - 1] + 1

    def spans(self, offsets: Offsets) -> list[TokenSpan]:
        raw = sorted(s for s in (self.span(a, b) for a, b in offsets) if s is not None)
        merged: list[TokenSpan] = []
        for s, e in raw:
            if merged:
                ps, pe = merged[-1]
                if s <= pe or all(self.is_space[i] for i in range(pe, s)):
                    merged[-1] = (ps, max(pe, e))
                    continue
            merged.append((s, e))
        return merged


# --------------------------------------------------------------------------- metrics


@dataclass
class _Quote:
    cue: list[TokenSpan]
    sources: list[TokenSpan]
    contents: list[TokenSpan]


def _overlapping(a: list[TokenSpan], b: list[TokenSpan]) -> bool:
    # Citron's are_overlapping_spans, applied to every pair of fragments
    return any(x[0] <= y[1] and x[1] > y[0] for x in a for y in b)


def _shared(a: list[TokenSpan], b: list[TokenSpan]) -> int:
    return sum(max(0, min(x[1], y[1]) - max(x[0], y[0])) for x in a for y in b)


def _length(a: list[TokenSpan]) -> int:
    return sum(e - s for s, e in a)


def _prf(p_num: float, p_den: float, r_num: float, r_den: float) -> tuple[float, float, float]:
    p = p_num / p_den if p_den else 0.0
    r = r_num / r_den if r_den else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


_PARTS = ("cue", "source", "content", "quote")


class _Counts:
    def __init__(self) -> None:
        self.tp = dict.fromkeys(_PARTS, 0)
        self.fp = dict.fromkeys(_PARTS, 0)
        self.fn = dict.fromkeys(_PARTS, 0)
        self.shared = dict.fromkeys(_PARTS, 0)
        self.pred_len = dict.fromkeys(_PARTS, 0)
        self.gold_len = dict.fromkeys(_PARTS, 0)
        self.docs = 0
        self.predicted = 0
        self.actual = 0

    @staticmethod
    def _match(part: str, p: _Quote, a: _Quote) -> bool:
        if part == "cue":
            return p.cue == a.cue
        if part == "source":
            return _overlapping(p.cue, a.cue) and p.sources == a.sources
        if part == "content":
            return _overlapping(p.cue, a.cue) and p.contents == a.contents
        return p.cue == a.cue and p.sources == a.sources and p.contents == a.contents

    def add(self, pred: Sequence[_Quote], gold: Sequence[_Quote]) -> None:
        self.docs += 1
        self.predicted += len(pred)
        self.actual += len(gold)
        for part in _PARTS:
            for p in pred:
                if any(self._match(part, p, a) for a in gold):
                    self.tp[part] += 1
                else:
                    self.fp[part] += 1
            for a in gold:
                if not any(self._match(part, p, a) for p in pred):
                    self.fn[part] += 1
        for name, get in (
            ("cue", lambda q: q.cue),
            ("source", lambda q: q.sources),
            ("content", lambda q: q.contents),
        ):
            shared = sum(_shared(get(p), get(a)) for p in pred for a in gold)
            plen = sum(_length(get(p)) for p in pred)
            glen = sum(_length(get(a)) for a in gold)
            self.shared[name] += shared
            self.pred_len[name] += plen
            self.gold_len[name] += glen
            self.shared["quote"] += shared
            self.pred_len["quote"] += plen
            self.gold_len["quote"] += glen

    def result(self) -> dict[str, Any]:
        out: dict[str, Any] = {"docs": self.docs, "predicted": self.predicted, "actual": self.actual}
        for part in _PARTS:
            tp, fp, fn = self.tp[part], self.fp[part], self.fn[part]
            p, r, f = _prf(tp, tp + fp, tp, tp + fn)
            op, orc, of = _prf(self.shared[part], self.pred_len[part], self.shared[part], self.gold_len[part])
            out[part] = {
                "exact": {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn},
                "overlap": {
                    "precision": op,
                    "recall": orc,
                    "f1": of,
                    "shared_tokens": self.shared[part],
                    "predicted_tokens": self.pred_len[part],
                    "actual_tokens": self.gold_len[part],
                },
            }
        return out


def _quotes(index: _TokenIndex, attributions: Iterable[Attribution]) -> list[_Quote]:
    out = []
    for att in attributions:
        cue = index.spans(att.cue)
        if cue:
            out.append(_Quote(cue, index.spans(att.sources), index.spans(att.contents)))
    return out


def to_token_quotes(
    text: str, attributions: Iterable[Attribution], tokenizer: Callable[[str], Any] | None = None
) -> list[_Quote]:
    """Attributions as Citron's quotes: lists of token spans (for error analysis)."""
    return _quotes(_TokenIndex(text, tokenizer), attributions)


def score(
    pairs: Iterable[tuple[str, list[Attribution], list[Attribution]]],
    tokenizer: Callable[[str], Any] | None = None,
) -> dict[str, Any]:
    """Citron's figures over (text, predicted, gold) triples.

    Returns ``{"docs", "predicted", "actual", "cue", "source", "content", "quote"}``;
    each part holds ``"exact"`` (precision, recall, f1, tp, fp, fn) and
    ``"overlap"`` (precision, recall, f1 and the token sums). ``tokenizer`` maps a
    text to a spaCy ``Doc``; by default spaCy's English tokenizer.
    """
    counts = _Counts()
    for text, predicted, gold in pairs:
        index = _TokenIndex(text, tokenizer)
        counts.add(_quotes(index, predicted), _quotes(index, gold))
    return counts.result()


def format_table(scores: dict[str, Any]) -> str:
    """The figures of ``score`` as a plain-text table."""
    lines = [
        f"articles {scores['docs']}   predicted quotes {scores['predicted']}   "
        f"actual quotes {scores['actual']}",
        "",
        f"{'':10}{'exact P':>9}{'R':>7}{'F1':>7}   {'overlap P':>9}{'R':>7}{'F1':>7}",
    ]
    for part in _PARTS:
        ex, ov = scores[part]["exact"], scores[part]["overlap"]
        lines.append(
            f"{part:10}{ex['precision']:9.3f}{ex['recall']:7.3f}{ex['f1']:7.3f}   "
            f"{ov['precision']:9.3f}{ov['recall']:7.3f}{ov['f1']:7.3f}"
        )
    return "\n".join(lines)


def evaluate_polnear(
    folder: Path,
    predict: Callable[[str], list[Attribution]],
    progress: Callable[[int, int], None] | None = None,
    limit: int | None = None,
    split: str = "all",
) -> dict[str, Any]:
    """Run ``predict`` on every article of a PolNeAR folder and score it against the gold.

    ``progress(done, total)`` is called after each article; ``limit`` keeps the
    first articles only (by name); ``split`` ("tune", "check" or "all") keeps the
    articles of that part of the committed PolNeAR train split (``splits``).
    """
    from claimgraph.evaluation.splits import in_split

    docs = load_polnear(folder)
    docs = [
        d
        for d, keep in zip(docs, in_split("polnear-train", [d.name for d in docs], split), strict=True)
        if keep
    ]
    if limit is not None:
        docs = docs[: max(0, limit)]
    triples = []
    for i, doc in enumerate(docs, 1):
        triples.append((doc.text, predict(doc.text), doc.attributions))
        if progress is not None:
            progress(i, len(docs))
    result = score(triples)
    result["folder"] = str(folder)
    result["split"] = split
    return result
