"""Source identity linking against a hand-labelled gold set (tests/data/identity_gold.jsonl).

Each gold item is one PolNeAR Source span that refers to a specific person, with
that person's name as written by the annotator (see identity_gold.README.md):

    {"doc": "<stem>", "span": [start, end], "text": "<source text>", "person": "<full name>"}

Every gold article is analysed once with ``analyze(text, doc)``. A gold mention is

* **found** when a source of the record (any hop of any claim) overlaps its span;
  where several do, the one sharing the most characters with the span wins, then
  one with an entity id, then the entity id most of them carry;
* **linked** when that source has an entity id;
* **correct** when it is linked, its entity is the *majority entity* of the gold
  person in that article (the id most of the person's linked mentions carry; ties
  go to the id first in sorted order), and that entity is not also the majority
  entity of another gold person of the article.

The headline figure is correct / mentions: the share of source mentions linked
to the right identity. Per article, a gold person is **split** when their linked
mentions carry more than one entity id, and an entity id **merges** persons when
it is carried by linked mentions of more than one gold person; a person is
**resolved** when all of their linked mentions carry one id that no other gold
person of the article carries. Across articles, a gold person (by name) whose
majority entities differ from one article to another is counted in
``persons_split_across_articles``.

The measure is about consistency within an article (one person, one id; one id,
one person); it does not check that an id is the "right" canonical spelling,
only, across articles, that it is the same one.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimgraph.errors import InputError
from claimgraph.model import ClaimRecord, Source

Analyze = Callable[[str, str], ClaimRecord]

#: mention texts that are pronouns (for the by-form breakdown)
PRONOUNS = frozenset(
    "he she him her his hers himself herself who whom whose i me my we us our they them their".split()
)
FORMS = ("name", "description", "pronoun")


@dataclass(frozen=True)
class GoldMention:
    """One gold Source span that names, describes or points to a person."""

    doc: str
    span: tuple[int, int]
    text: str
    person: str


def load_gold(path: Path) -> list[GoldMention]:
    """Read the JSONL gold file; a line that is not a gold item raises ``InputError``."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise InputError(str(path), f"cannot read the gold file ({e.strerror})") from e
    items = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            start, end = d["span"]
            if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start < end:
                raise ValueError(f"bad span {d['span']!r}")
            for key in ("doc", "text", "person"):
                if not isinstance(d[key], str) or not d[key].strip():
                    raise ValueError(f"{key} must be a non-empty string")
        except (ValueError, KeyError, TypeError) as err:
            raise InputError(f"{path}:{n}", f"not a gold item ({err})") from err
        items.append(GoldMention(d["doc"], (start, end), d["text"], d["person"]))
    return items


def mention_form(mention: GoldMention) -> str:
    """``pronoun``, ``name`` (the text holds a word of the person's name) or ``description``."""
    text = mention.text.lower()
    if text.strip(" ,.'’") in PRONOUNS:
        return "pronoun"
    name = re.sub(r"\(.*?\)", " ", mention.person).lower()
    words = [w for w in re.split(r"[^\w'’-]+", name) if len(w) > 1 and w not in {"jr", "sr", "ii", "iii"}]
    if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text) for w in words):
        return "name"
    return "description"


def _overlap(span: tuple[int, int], source: Source) -> int:
    s, e = span
    return sum(max(0, min(e, b) - max(s, a)) for a, b in source.offsets)


def record_sources(record: ClaimRecord) -> list[Source]:
    """Every source of every hop of every claim of the record."""
    return [src for claim in record.claims for hop in claim.chain for src in hop.sources]


def match_source(span: tuple[int, int], sources: Iterable[Source]) -> Source | None:
    """The source that overlaps ``span`` best (see the module docstring), or None."""
    scored = [(_overlap(span, s), s) for s in sources]
    best = max((o for o, _ in scored), default=0)
    if best <= 0:
        return None
    top = [s for o, s in scored if o == best]
    linked = [s for s in top if s.entity]
    if not linked:
        return top[0]
    counts = Counter(s.entity for s in linked)
    entity = min(counts, key=lambda k: (-counts[k], k or ""))
    return next(s for s in linked if s.entity == entity)


def _majority(entities: list[str]) -> str | None:
    if not entities:
        return None
    counts = Counter(entities)
    return min(counts, key=lambda k: (-counts[k], k))


def _share(n: int, d: int) -> float:
    return n / d if d else 0.0


def evaluate_identities(
    gold_path: Path,
    texts: Path,
    analyze: Analyze,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Identity-linking figures of ``analyze(text, doc) -> ClaimRecord`` on the gold mentions.

    gold_path: the JSONL gold file. texts: the folder of the articles' ``<doc>.txt``.
    RETURNS: a dict of counts, shares and the list of errors (see ``format_table``).
    RAISES (InputError): the gold file or an article cannot be read, or a gold span
        does not hold its text.
    """
    items = load_gold(gold_path)
    by_doc: dict[str, list[GoldMention]] = defaultdict(list)
    docs_of: dict[str, set[str]] = defaultdict(set)
    for item in items:
        by_doc[item.doc].append(item)
        docs_of[item.person].add(item.doc)

    found = linked = correct = 0
    persons = resolved = split = merging = 0
    form_counts: dict[str, Counter[str]] = {f: Counter() for f in FORMS}
    errors: list[dict[str, Any]] = []
    across: dict[str, set[str]] = defaultdict(set)  # person -> majority entities over articles

    for n, (doc, mentions) in enumerate(sorted(by_doc.items()), 1):
        path = texts / f"{doc}.txt"
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise InputError(str(path), f"article of a gold item not found ({e.strerror})") from e
        for m in mentions:
            if text[m.span[0] : m.span[1]] != m.text:
                raise InputError(f"{gold_path} ({doc} {list(m.span)})", f"the span does not hold {m.text!r}")
        sources = record_sources(analyze(text, doc))
        matched = [match_source(m.span, sources) for m in mentions]

        entities_of: dict[str, list[str]] = defaultdict(list)
        for m, src in zip(mentions, matched, strict=True):
            if src is not None and src.entity:
                entities_of[m.person].append(src.entity)
        majority = {p: _majority(es) for p, es in entities_of.items()}
        owners: dict[str, set[str]] = defaultdict(set)  # majority entity -> persons
        for p, ent in majority.items():
            if ent:
                owners[ent].add(p)
        carriers: dict[str, set[str]] = defaultdict(set)  # any linked entity -> persons
        for p, es in entities_of.items():
            for ent in es:
                carriers[ent].add(p)

        doc_persons = sorted({m.person for m in mentions})
        persons += len(doc_persons)
        for p in doc_persons:
            ids = set(entities_of.get(p, []))
            if len(ids) > 1:
                split += 1
            if len(ids) == 1 and len(carriers[next(iter(ids))]) == 1:
                resolved += 1
            ent = majority.get(p)
            if ent:
                across[p].add(ent)
        merging += sum(1 for ps in carriers.values() if len(ps) > 1)

        for m, src in zip(mentions, matched, strict=True):
            form = mention_form(m)
            form_counts[form]["mentions"] += 1
            if src is None:
                errors.append(_error(m, form, "not found", None))
                continue
            found += 1
            form_counts[form]["found"] += 1
            if not src.entity:
                errors.append(_error(m, form, "not linked", src))
                continue
            linked += 1
            form_counts[form]["linked"] += 1
            if src.entity != majority[m.person]:
                errors.append(_error(m, form, "split", src, majority[m.person]))
            elif len(owners[src.entity]) > 1:
                errors.append(_error(m, form, "merged", src, others=sorted(owners[src.entity] - {m.person})))
            else:
                correct += 1
                form_counts[form]["correct"] += 1
        if progress:
            progress(n, len(by_doc))

    mentions_n = len(items)
    return {
        "articles": len(by_doc),
        "mentions": mentions_n,
        "found": found,
        "linked": linked,
        "correct": correct,
        "correct_share": _share(correct, mentions_n),
        "correct_of_found": _share(correct, found),
        "found_share": _share(found, mentions_n),
        "linked_share": _share(linked, mentions_n),
        "persons": persons,
        "persons_resolved": resolved,
        "persons_split": split,
        "ids_merging_persons": merging,
        "persons_across_articles": sum(1 for docs in docs_of.values() if len(docs) > 1),
        "persons_split_across_articles": sorted(p for p, ids in across.items() if len(ids) > 1),
        "by_form": {f: dict(form_counts[f]) for f in FORMS},
        "errors": errors,
    }


def _error(
    m: GoldMention,
    form: str,
    kind: str,
    src: Source | None,
    want: str | None = None,
    others: list[str] | None = None,
) -> dict[str, Any]:
    err: dict[str, Any] = {
        "doc": m.doc,
        "span": list(m.span),
        "text": m.text,
        "person": m.person,
        "form": form,
        "error": kind,
        "entity": src.entity if src else None,
        "source": src.text if src else None,
    }
    if want is not None:
        err["majority"] = want
    if others:
        err["also"] = others
    return err


def format_table(scores: dict[str, Any]) -> str:
    """The figures as a short plain-text table."""
    m = scores["mentions"]
    lines = [
        f"articles {scores['articles']}   gold source mentions of persons {m}",
        "",
        f"share of source mentions linked to the right identity  {scores['correct_share']:.3f}"
        f"  ({scores['correct']}/{m})",
        f"right identity among mentions the system found        {scores['correct_of_found']:.3f}"
        f"  ({scores['correct']}/{scores['found']})",
        f"found (a system source overlaps)                      {scores['found_share']:.3f}"
        f"  ({scores['found']}/{m})",
        f"linked (found, with an entity id)                     {scores['linked_share']:.3f}"
        f"  ({scores['linked']}/{m})",
        "",
        f"persons (per article) {scores['persons']}   resolved to one identity {scores['persons_resolved']}"
        f"   split over several ids {scores['persons_split']}"
        f"   ids merging several persons {scores['ids_merging_persons']}",
        f"persons in several articles {scores['persons_across_articles']}"
        f"   with different ids across articles {len(scores['persons_split_across_articles'])}",
        "",
        f"{'form':14}{'mentions':>9}{'found':>7}{'linked':>8}{'correct':>9}{'share':>7}",
    ]
    for form, c in scores["by_form"].items():
        n = c.get("mentions", 0)
        lines.append(
            f"{form:14}{n:9d}{c.get('found', 0):7d}{c.get('linked', 0):8d}{c.get('correct', 0):9d}"
            f"{_share(c.get('correct', 0), n):7.3f}"
        )
    kinds = Counter(e["error"] for e in scores["errors"])
    if kinds:
        lines += ["", "errors: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common())]
    return "\n".join(lines)
