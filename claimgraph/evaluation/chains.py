"""Source chains scored against a chain gold drawn from PolNeAR's attributions.

Gold
----
``gold_chains(text, attributions)`` nests the attributions of one article: an
attribution whose cue lies inside another's content is its child ("X said that Y
told Z that P": X's content holds Y's cue). For every *innermost* attribution (one
with a content and no child) the gold chain is the list of source spans from the
outermost (reporter side) to its own (the origin), so its depth (hop count) is the
nesting depth + 1; its content is the innermost content. An attribution with
children gives no chain of its own (its content is the inner attribution).

PolNeAR is *univocal*: a token takes part in one attribution at most, so its
annotators did not mark an attribution inside another's content ("The Post reported
that Klein said he was …" is one attribution whose content holds the unmarked
"Klein said"). On PolNeAR train, nesting by containment occurs once in 19,833
attributions; the chains are depth 1. A gold chain whose content holds a reporting
expression (``REPORTED``: said, told, according to, quoted, citing, …; a fixed
list, not the system's lexicon) is flagged ``reported``: its true chain is most
likely deeper than the annotation, and its origin is the unmarked inner speaker.
Such chains are scored apart and left out of the headline hop and origin figures.

Own voice: ``own_voice_sentences`` splits the text into lines and each line into
sentences (spaCy's rule-based sentencizer, not the system's parser); a sentence of
at least three words that no cue, source or content and no ``Discard`` span (editor's
notes, copyright lines) of the annotation overlaps is a gold own-voice sentence.

Matching and scores
-------------------
Spans are compared as tokens, as ``polnear.score`` does (spaCy's English tokenizer,
whitespace trimmed). A gold chain is matched to the system claim whose content
shares the most tokens with the gold innermost content (the first such claim on a
tie); a gold chain no claim overlaps is *unmatched* (``match recall`` = matched /
gold chains).

- **hops**: over matched gold chains not flagged ``reported``, the share whose
  claim has ``len(claim.chain)`` equal to the gold depth; broken down by gold depth
  (1, 2, 3+), with the ``reported`` chains as their own row.
- **origin**: over matched, unflagged gold chains with a gold source, the share
  whose claim's innermost hop has a source sharing a token with the gold innermost
  source span (as written: a pronoun is its own span, resolved or not). An
  own-voice claim (empty chain) has no origin and is wrong.
- **own voice**: the gold own-voice sentences that some claim overlaps are right
  when every claim overlapping them has an empty chain (sentences no claim overlaps
  are counted apart); the matched gold chains are right when their claim has a
  chain. The accuracy is right / total over both; each part is reported too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from claimgraph.errors import InputError
from claimgraph.evaluation.polnear import _shared, _TokenIndex, load_polnear
from claimgraph.model import Claim
from claimgraph.nlp.attributions import Attribution

#: character spans, as a tuple (gold chains are frozen)
Offsets = tuple[tuple[int, int], ...]

#: a reporting expression inside a gold content: the chain is likely deeper than marked
REPORTED = re.compile(
    r"\b(?:said|says|say|saying|told|tells|tell|telling|according to|reported|reports|reporting|"
    r"quoted|quoting|citing|cited|cites|claimed|claims|announced|wrote|writes|stated|states|added|"
    r"tweeted|asked|insisted|argued|warned|noted|explained)\b",
    re.IGNORECASE,
)
MIN_SENTENCE_WORDS = 3
_DISCARD = re.compile(r"^T\d+\tDiscard (\d+(?: \d+)?(?:;\d+ \d+)*)\t", re.M)


@dataclass(frozen=True)
class GoldChain:
    """One innermost attribution with the sources of every attribution around it."""

    content: Offsets
    sources: tuple[Offsets, ...]
    cues: tuple[Offsets, ...]
    reported: bool = False

    @property
    def depth(self) -> int:
        """The gold hop count: nesting depth + 1."""
        return len(self.sources)


@dataclass
class ChainDoc:
    """One article's chain gold: its text, gold chains and own-voice sentences."""

    name: str
    text: str
    chains: list[GoldChain] = field(default_factory=list)
    own_voice: list[tuple[int, int]] = field(default_factory=list)


def _inside(offsets: Sequence[tuple[int, int]], region: Sequence[tuple[int, int]]) -> bool:
    return bool(offsets) and all(any(rs <= s and e <= re_ for rs, re_ in region) for s, e in offsets)


def _length(offsets: Sequence[tuple[int, int]]) -> int:
    return sum(e - s for s, e in offsets)


def gold_chains(text: str, attributions: Sequence[Attribution]) -> list[GoldChain]:
    """The gold chains of one article: one per innermost attribution with a content."""
    parent: dict[int, int] = {}
    for i, a in enumerate(attributions):
        holders = [
            j
            for j, b in enumerate(attributions)
            if j != i and b.contents and _inside(list(a.cue), b.contents)
        ]
        if holders:
            parent[i] = min(holders, key=lambda j: _length(attributions[j].contents))
    has_child = set(parent.values())
    out: list[GoldChain] = []
    for i, a in enumerate(attributions):
        if not a.contents or i in has_child:
            continue
        line = [i]
        while line[-1] in parent and parent[line[-1]] not in line:
            line.append(parent[line[-1]])
        line.reverse()
        content = tuple((s, e) for s, e in a.contents)
        inner = " ".join(text[s:e] for s, e in content)
        out.append(
            GoldChain(
                content=content,
                sources=tuple(tuple(attributions[k].sources) for k in line),
                cues=tuple(tuple(attributions[k].cue) for k in line),
                reported=bool(REPORTED.search(inner)),
            )
        )
    return out


@lru_cache(maxsize=1)
def _sentencizer() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a text: each line split by spaCy's rule-based sentencizer."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            for sent in _sentencizer()(line).sents:
                start = pos + sent.start_char
                end = pos + sent.end_char
                if text[start:end].strip():
                    out.append((start, end))
        pos += len(line) + 1
    return out


def own_voice_sentences(
    text: str, attributions: Sequence[Attribution], skip: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """Sentences of at least three words that no attribution span and no ``skip`` span overlaps."""
    taken = sorted([(s, e) for a in attributions for s, e in (*a.cue, *a.sources, *a.contents)] + list(skip))
    out = []
    for s, e in sentences(text):
        if len(re.findall(r"[A-Za-z0-9]+", text[s:e])) < MIN_SENTENCE_WORDS:
            continue
        if any(ts < e and s < te for ts, te in taken):
            continue
        out.append((s, e))
    return out


def discard_spans(ann: str) -> list[tuple[int, int]]:
    """The ``Discard`` spans of a PolNeAR ``.ann`` (editor's notes, datelines, copyright)."""
    out: list[tuple[int, int]] = []
    for m in _DISCARD.finditer(ann):
        for part in m.group(1).split(";"):
            bits = part.split()
            if len(bits) == 2:
                out.append((int(bits[0]), int(bits[1])))
    return out


def load_chain_gold(folder: Path, split: str = "all", limit: int | None = None) -> list[ChainDoc]:
    """The chain gold of a PolNeAR folder (``split`` of the committed PolNeAR train split)."""
    from claimgraph.evaluation.splits import in_split

    docs = load_polnear(folder)
    docs = [
        d for d, k in zip(docs, in_split("polnear-train", [d.name for d in docs], split), strict=True) if k
    ]
    if limit is not None:
        docs = docs[: max(0, limit)]
    out = []
    for d in docs:
        ann_path = Path(folder) / "attributions" / f"{d.name}_{d.annotator}.ann"
        try:
            skip = discard_spans(ann_path.read_text(encoding="utf-8"))
        except OSError as e:
            raise InputError(str(ann_path), f"cannot read ({e})") from e
        out.append(
            ChainDoc(
                d.name,
                d.text,
                gold_chains(d.text, d.attributions),
                own_voice_sentences(d.text, d.attributions, skip),
            )
        )
    return out


# --------------------------------------------------------------------------- scoring


def _acc(right: int, total: int) -> dict[str, Any]:
    return {"accuracy": right / total if total else 0.0, "right": right, "total": total}


def _bucket(depth: int) -> str:
    return "3+" if depth >= 3 else str(depth)


class _Tally:
    def __init__(self) -> None:
        self.c: Counter[str] = Counter()
        self.system_hops: Counter[str] = Counter()

    def add(self, doc: ChainDoc, claims: Sequence[Claim]) -> None:
        c = self.c
        c["docs"] += 1
        index = _TokenIndex(doc.text)
        contents = [index.spans(list(cl.content.offsets)) for cl in claims]
        for g in doc.chains:
            c["gold"] += 1
            c[f"gold_depth_{_bucket(g.depth)}"] += 1
            c["gold_reported"] += g.reported
            gspan = index.spans(list(g.content))
            best, best_shared = None, 0
            for cl, cs in zip(claims, contents, strict=True):
                n = _shared(gspan, cs)
                if n > best_shared:
                    best, best_shared = cl, n
            if best is None:
                c["unmatched"] += 1
                continue
            c["matched"] += 1
            hops = len(best.chain)
            self.system_hops[_bucket(hops) if hops else "0"] += 1
            row = "reported" if g.reported else _bucket(g.depth)
            c[f"hops_{row}_total"] += 1
            c[f"hops_{row}_right"] += hops == g.depth
            # attributed gold content: the claim is not in the outlet's own voice
            c["attributed_total"] += 1
            c["attributed_right"] += hops > 0
            gsource = index.spans(list(g.sources[-1]))
            if not gsource:
                c["origin_no_gold_source"] += 1
                continue
            got = index.spans([o for s in best.chain[-1].sources for o in s.offsets]) if best.chain else []
            key = "origin_reported" if g.reported else "origin"
            c[f"{key}_total"] += 1
            c[f"{key}_right"] += _shared(gsource, got) > 0
        for s, e in doc.own_voice:
            sent = index.spans([(s, e)])
            there = [cl for cl, cs in zip(claims, contents, strict=True) if _shared(sent, cs) > 0]
            c["own_voice_sentences"] += 1
            if not there:
                c["own_voice_no_claim"] += 1
                continue
            c["own_voice_total"] += 1
            c["own_voice_right"] += all(not cl.chain for cl in there)

    def result(self) -> dict[str, Any]:
        c = self.c
        rows = ("1", "2", "3+")
        closed_right = sum(c[f"hops_{r}_right"] for r in rows)
        closed_total = sum(c[f"hops_{r}_total"] for r in rows)
        ov_right = c["own_voice_right"] + c["attributed_right"]
        ov_total = c["own_voice_total"] + c["attributed_total"]
        return {
            "docs": c["docs"],
            "gold_chains": c["gold"],
            "gold_depths": {r: c[f"gold_depth_{r}"] for r in rows},
            "gold_reported": c["gold_reported"],
            "matched": c["matched"],
            "unmatched": c["unmatched"],
            "match_recall": c["matched"] / c["gold"] if c["gold"] else 0.0,
            "hops": _acc(closed_right, closed_total),
            "hops_by_depth": {
                r: _acc(c[f"hops_{r}_right"], c[f"hops_{r}_total"]) for r in (*rows, "reported")
            },
            "hops_all": _acc(
                closed_right + c["hops_reported_right"], closed_total + c["hops_reported_total"]
            ),
            "system_hops_on_matched": dict(sorted(self.system_hops.items())),
            "origin": _acc(c["origin_right"], c["origin_total"]),
            "origin_reported": _acc(c["origin_reported_right"], c["origin_reported_total"]),
            "origin_no_gold_source": c["origin_no_gold_source"],
            "own_voice": _acc(ov_right, ov_total),
            "own_voice_sentences": {
                **_acc(c["own_voice_right"], c["own_voice_total"]),
                "sentences": c["own_voice_sentences"],
                "no_claim": c["own_voice_no_claim"],
            },
            "attributed_not_own_voice": _acc(c["attributed_right"], c["attributed_total"]),
        }


def score_chains(pairs: Iterable[tuple[ChainDoc, Sequence[Claim]]]) -> dict[str, Any]:
    """Hop, origin and own-voice figures over (gold document, system claims) pairs."""
    tally = _Tally()
    for doc, claims in pairs:
        tally.add(doc, claims)
    return tally.result()


def evaluate_chains(
    folder: Path,
    analyze: Callable[[Sequence[tuple[str, str]]], Iterator[tuple[str, Sequence[Claim]]]],
    progress: Callable[[int, int], None] | None = None,
    split: str = "all",
    limit: int | None = None,
) -> dict[str, Any]:
    """Analyse the articles of a PolNeAR folder and score their chains against the chain gold.

    ``analyze(items)`` takes (name, text) pairs and yields, in order, (the text it read,
    its claims); ``limit`` keeps the first articles (by name) of the split.
    """
    docs = load_chain_gold(folder, split, limit)
    pairs = []
    for i, (doc, (text, claims)) in enumerate(
        zip(docs, analyze([(d.name, d.text) for d in docs]), strict=True), 1
    ):
        if text != doc.text:
            raise InputError(doc.name, "the article was read with another text than the gold's")
        pairs.append((doc, claims))
        if progress is not None:
            progress(i, len(docs))
    result = score_chains(pairs)
    result["folder"] = str(folder)
    result["split"] = split
    return result


def format_table(s: dict[str, Any]) -> str:
    """The figures of ``score_chains`` as a plain-text table."""

    def row(label: str, a: dict[str, Any]) -> str:
        return f"{label:34}{a['accuracy']:7.3f}   ({a['right']}/{a['total']})"

    d = s["gold_depths"]
    ovs = s["own_voice_sentences"]
    lines = [
        f"split {s.get('split', 'all')}: {s['docs']} articles, {s['gold_chains']} gold chains "
        f"(depth 1: {d['1']}, 2: {d['2']}, 3+: {d['3+']}; {s['gold_reported']} hold an unmarked report)",
        f"matched {s['matched']}, unmatched {s['unmatched']}   match recall {s['match_recall']:.3f}",
        "",
        f"{'':34}{'acc':>7}",
        row("hop count", s["hops"]),
    ]
    for r in ("1", "2", "3+"):
        lines.append(row(f"  gold depth {r}", s["hops_by_depth"][r]))
    lines += [
        row("  content holds a report (apart)", s["hops_by_depth"]["reported"]),
        row("origin", s["origin"]),
        row("  content holds a report (apart)", s["origin_reported"]),
        row("own voice", s["own_voice"]),
        row("  own-voice sentences", s["own_voice_sentences"]),
        row("  attributed contents", s["attributed_not_own_voice"]),
        "",
        f"own-voice sentences with no claim: {ovs['no_claim']} of {ovs['sentences']}; "
        f"gold chains with no gold source: {s['origin_no_gold_source']}; "
        f"system hops on matched chains: {s['system_hops_on_matched']}",
    ]
    return "\n".join(lines)
