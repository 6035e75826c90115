"""Merging rule and tagger attributions: one attribution per cue.

The tagger knows PolNeAR's conventions for span boundaries and finds cues the
lexicon lacks; the rules know chains (extra hops, coordinated sources). Where
both found a cue, the tagger's spans are kept and the rules' structure added.
"""

from __future__ import annotations

from spacy.tokens import Doc

from claimgraph.model import WIRE_DATELINE
from claimgraph.nlp.attributions import Attribution, Offsets
from claimgraph.nlp.doctext import SpanIndex, doc_text

#: where rules and tagger found the same cue, the tagger's spans follow PolNeAR's conventions
#: (measured better on PolNeAR dev); the rules' reading stands when the two disagree on which
#: words are the source and which the content (an inverted "..., writes X citing Y").
PREFER_RULES = False


def _overlaps(a: Offsets, b: Offsets) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _strip_dateline(doc: Doc, att: Attribution) -> None:
    """'RENO, Nev. (AP) — Republican hopeful Donald Trump': the dateline is not the source."""
    if not att.sources:
        return
    s, e = att.sources[0]
    m = WIRE_DATELINE.match(doc_text(doc)[s:e])
    if m and s + m.end() < e:
        att.sources[0] = (s + m.end(), e)


def _subject_source(doc: Doc, att: Attribution) -> None:
    """A cue the tagger found without its source: the subject of the cue's verb, when it has one."""
    span = doc.char_span(att.cue[0][0], att.cue[-1][1], alignment_mode="expand")
    if span is None:
        return
    verb = next((t for t in span if t.pos_ in {"VERB", "AUX"}), None)
    if verb is None:
        return
    subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if (
        subj is None
        and verb.dep_ in {"advcl", "conj", "xcomp"}
        and (verb.tag_ == "VBG" or verb.dep_ == "conj")
    ):
        # "Trump spoke, thanking ...", "X said ... and added ...": the subject of the clause it hangs on
        subj = next(
            (c for c in verb.head.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i < verb.i), None
        )
    if subj is None or subj.lower_ in {"it", "there"}:
        return
    start, end = subj.left_edge.i, subj.i + 1
    for child in subj.rights:
        if child.dep_ in {"prep", "appos", "compound", "amod", "punct", "cc", "conj"}:
            end = max(end, child.right_edge.i + 1)
        else:
            break
    end = min(end, verb.i)
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end <= start:
        return
    offsets = [(doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))]
    if any(_overlaps(offsets, [c]) for c in att.contents):
        return
    att.sources = offsets


def _closing_comma(doc: Doc, att: Attribution) -> None:
    """'One hopeful, Carly Fiorina, said': PolNeAR keeps the comma that closes an apposition."""
    if len(att.sources) != 1:
        return
    s, e = att.sources[0]
    text = doc_text(doc)
    if (
        "," in text[s:e]
        and text[e : e + 1] == ","
        and not any(_overlaps([(e, e + 1)], [c]) for c in att.contents)
    ):
        att.sources[0] = (s, e + 1)


def merge(doc: Doc, rules: list[Attribution], tagged: list[Attribution]) -> list[Attribution]:
    out: list[Attribution] = []
    used: set[int] = set()
    # "citing X" and "told NYT" are hops of a rule attribution, not attributions of their own
    hop_cues = SpanIndex(span for r in rules for h in r.outer + r.inner for span in h.cue)
    tagged = [t for t in tagged if not any(hop_cues.overlapping(s, e) for s, e in t.cue)]
    # the first rule not used yet whose cue overlaps the tagger's, found by bisection
    owner = [i for i, r in enumerate(rules) for _ in r.cue]
    rule_cues = SpanIndex(span for r in rules for span in r.cue)
    for t in tagged:
        hits = {owner[k] for s, e in t.cue for k in rule_cues.overlapping(s, e)}
        match = min(hits - used, default=None)
        if match is None:
            out.append(t)
            continue
        used.add(match)
        r = rules[match]
        conflict = bool(r.sources and r.contents) and (
            _overlaps(t.sources, r.contents) or _overlaps(t.contents, r.sources)
        )
        if (PREFER_RULES or conflict) and r.sources and r.contents:
            # the rules read the whole chain ("writes X citing Y"); their spans stand
            out.append(r)
            continue
        # the rules' structure (hops, one source per conjunct) where they agree on the source
        same_source = bool(t.sources) and bool(r.sources) and _overlaps(t.sources, r.sources)
        t.outer, t.inner = r.outer, r.inner
        t.cue_lemma, t.cue_kind = r.cue_lemma, r.cue_kind
        if same_source or not t.sources:
            t.sources, t.source_groups = r.sources, r.source_groups
        if not t.contents:
            t.contents = r.contents
        out.append(t)
    out.extend(r for i, r in enumerate(rules) if i not in used)
    for att in out:
        if not att.sources:
            _subject_source(doc, att)
        _strip_dateline(doc, att)
        _closing_comma(doc, att)
    return sorted(out, key=lambda a: a.cue_start)
