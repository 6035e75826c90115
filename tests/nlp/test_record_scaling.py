"""Record building in time near-linear in the article's length: the indexes and lookups
that replaced scans of every sentence, entity, chunk or attribution give the answers of
the scans they replaced.

Each helper is checked against the naive definition it stands for (the code it
replaced, kept here) on random inputs; no model is loaded (spaCy's blank English only).
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc, Span

from claimgraph.model import Source
from claimgraph.nlp import claims, grouping, quantities, sources, timespans
from claimgraph.nlp.attributions import Attribution, HopSpans
from claimgraph.nlp.claims import ClaimBuilder, _inside
from claimgraph.nlp.cues import lexicon
from claimgraph.nlp.doctext import FirstHolding, SpanIndex, doc_ents, ents_at, ents_between
from claimgraph.nlp.merge import _overlaps, merge

FAST = settings(max_examples=200, deadline=None)
NLP = spacy.blank("en")
LEX = lexicon()

small = st.integers(min_value=0, max_value=60)
any_span = st.tuples(st.integers(-5, 60), st.integers(-5, 60))  # empty and reversed ones too
proper_span = st.tuples(small, st.integers(1, 12)).map(lambda p: (p[0], p[0] + p[1]))


# --------------------------------------------------------------------------- doctext


@FAST
@given(st.lists(any_span, max_size=40), any_span)
def test_span_index_overlapping_is_the_scan(spans: list[tuple[int, int]], query: tuple[int, int]) -> None:
    start, end = query
    want = [i for i, (s, e) in enumerate(spans) if s < end and start < e]
    assert SpanIndex(spans).overlapping(start, end) == want


@FAST
@given(st.lists(any_span, max_size=40), any_span)
def test_span_index_containing_is_the_scan(spans: list[tuple[int, int]], query: tuple[int, int]) -> None:
    start, end = query
    want = [i for i, (s, e) in enumerate(spans) if s <= start and end <= e]
    assert SpanIndex(spans).containing(start, end) == want


def test_span_index_empty() -> None:
    index = SpanIndex([])
    assert len(index) == 0
    assert index.overlapping(0, 10) == [] and index.containing(3, 4) == []


def _first_holding_scan(starts: list[int], ends: list[int], i: int) -> int | None:
    # the loop of rules._noun_chunk_at before
    for k, (s, e) in enumerate(zip(starts, ends, strict=True)):
        if s <= i < e:
            return k
        if s > i:
            break
    return None


@FAST
@given(st.lists(st.tuples(small, st.integers(0, 8)), max_size=30), small)
def test_first_holding_is_the_scan(ranges: list[tuple[int, int]], i: int) -> None:
    starts = [s for s, _ in ranges]
    ends = [s + n for s, n in ranges]
    assert FirstHolding(starts, ends)(i) == _first_holding_scan(starts, ends, i)


@FAST
@given(st.lists(proper_span, max_size=12), small)
def test_ents_at_is_the_scan(spans: list[tuple[int, int]], char: int) -> None:
    doc = NLP(" ".join(["w"] * 40))  # token k holds character 2k
    ents = []
    for s, e in sorted(spans):
        if e > 40 or any(s < b and a < e for a, b in ents):
            continue  # entities do not overlap
        ents.append((s, e))
    labels = ["ORG", "PERSON", "GPE"]
    doc.ents = [Span(doc, s, e, label=labels[k % 3]) for k, (s, e) in enumerate(ents)]
    at = char * 2 - 1  # in the space before a token, or on one
    want = [e for e in doc_ents(doc) if e.start_char <= at < e.end_char]
    assert [(e.start, e.end) for e in ents_at(doc, at)] == [(e.start, e.end) for e in want]


@FAST
@given(st.lists(proper_span, max_size=12), st.tuples(small, st.integers(1, 10)))
def test_ents_between_finds_what_span_ents_finds(spans: list[tuple[int, int]], at: tuple[int, int]) -> None:
    doc = NLP(" ".join(["w"] * 40))
    ents: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if e <= 40 and not any(s < b and a < e for a, b in ents):
            ents.append((s, e))
    doc.ents = [Span(doc, s, e, label="ORG") for s, e in ents]
    start, n = at
    source = doc[min(start, 39) : min(start + n, 40)]
    # rules._colon_headline asked ``source.ents``, which reads every entity before the span
    assert bool(ents_between(doc, source.start_char, source.end_char)) == bool(source.ents)


# --------------------------------------------------------------------------- claims


def _nest_scan(atts: list[Attribution]) -> dict[int, int | None]:
    """The parent of each attribution, as ``ClaimBuilder._nest`` chose it before."""
    parents: dict[int, int | None] = {}
    for i, att in enumerate(atts):
        parent: int | None = None
        for j, other in enumerate(atts):
            if i == j or not other.contents:
                continue
            if _inside(att.cue, other.contents):
                if parent is None or _inside(other.cue, atts[parent].contents):
                    parent = j
        parents[i] = parent
    return parents


attribution = st.builds(
    lambda cue, contents: Attribution(cue=[cue], contents=sorted(contents)),
    proper_span,
    st.lists(st.tuples(small, st.integers(0, 40)).map(lambda p: (p[0], p[0] + p[1])), max_size=2),
)


@FAST
@given(st.lists(attribution, max_size=14))
def test_nest_is_the_scan(atts: list[Attribution]) -> None:
    atts = sorted(atts, key=lambda a: a.cue_start)
    made: list[claims._Node] = []

    class Node(claims._Node):
        def __init__(self, att: Attribution, children: list[claims._Node]) -> None:
            super().__init__(att, children)
            made.append(self)

    plain, claims._Node = claims._Node, Node  # type: ignore[misc]
    try:
        roots = ClaimBuilder(LEX)._nest(atts)
    finally:
        claims._Node = plain  # type: ignore[misc]
    # the parent of each attribution (containers may hold each other: no tree to walk)
    position = {id(n): k for k, n in enumerate(made)}
    got: dict[int, int | None] = {position[id(n)]: None for n in roots}
    for n in made:
        for child in n.children:
            got[position[id(child)]] = position[id(n)]
    assert [id(n.att) for n in made] == [id(a) for a in atts]
    assert got == _nest_scan(atts)


def _sentences(bounds: list[int]) -> list[SimpleNamespace]:
    """Sentences one after another, with gaps between some (a blank line's sentence left out)."""
    out = []
    at = 0
    for k, n in enumerate(bounds):
        at += k % 2  # a gap after every other sentence
        out.append(SimpleNamespace(start_char=at, end_char=at + n))
        at += n
    return out


@FAST
@given(st.lists(st.integers(1, 9), max_size=15), st.integers(-2, 120))
def test_sentence_index_is_the_scan(lengths: list[int], char: int) -> None:
    sentences = _sentences(lengths)
    want = next(
        (i for i, s in enumerate(sentences) if s.start_char <= char < s.end_char), max(0, len(sentences) - 1)
    )
    builder = ClaimBuilder(LEX)
    assert builder._sentence_index(sentences, char) == want  # type: ignore[arg-type]
    starts = [s.start_char for s in sentences]
    assert builder._sentence_index(sentences, char, starts) == want  # type: ignore[arg-type]


NAMES = ["Ann", "Bob", "Kim", "Lee", "Max"]


@FAST
@given(
    st.lists(st.sampled_from(["PERSON", "ORG", "O", "O"]), min_size=30, max_size=30),
    st.lists(st.booleans(), min_size=30, max_size=30),
    st.integers(0, 200),
    st.sampled_from(["he", "she", "him", "they"]),
)
def test_person_before_is_the_scan(labels: list[str], starts: list[bool], at: int, pronoun: str) -> None:
    words = [
        NAMES[k % 5] if lab == "PERSON" else ("Acme" if lab == "ORG" else "said")
        for k, lab in enumerate(labels)
    ]
    iob = [("B-" + lab if lab != "O" else "O") for lab in labels]
    doc = Doc(NLP.vocab, words=words, sent_starts=[True] + starts[1:], ents=iob)
    lex = LEX
    builder = ClaimBuilder(lex)
    builder.doc = doc
    builder._sents = list(doc.sents)
    builder._sent_starts = [s.start_char for s in builder._sents]
    got = builder._person_before(at, pronoun)

    # the scan it replaced: every sentence, every entity
    want = None
    window = [s for s in doc.sents if s.start_char < at][-3:]
    if pronoun in sources.PRONOUNS_SINGULAR and window:
        female = pronoun in {"she", "her"}
        lo = window[0].start_char
        best = None
        for ent in doc_ents(doc):
            if ent.label_ != "PERSON" or ent.start_char < lo or ent.end_char > at:
                continue
            title = doc[ent.start - 1].lower_.rstrip(".") if ent.start > 0 else ""
            if (female and title == "mr") or (not female and title in {"mrs", "ms", "miss"}):
                continue
            if (
                ent.root.dep_ in {"nsubj", "nsubjpass"}
                or best is None
                or best.root.dep_ not in {"nsubj", "nsubjpass"}
            ):
                best = ent
        if best is not None:
            want = sources.describe(doc, [(best.start_char, best.end_char)], lex)
    assert got == want


# --------------------------------------------------------------------------- sources


def _resolve_scan(seen: list[Source], text: str) -> Source | None:
    """``SourceHistory.resolve`` as it was: a scan back through every source seen."""
    low = text.lower().strip()
    words = low.split()
    if low in sources.PRONOUNS_PLURAL:
        for s in reversed(seen):
            if sources._is_plural(s) and not sources._is_pronoun(s.text):
                return s
        return None
    if low in sources.PRONOUNS_SINGULAR:
        for s in reversed(seen):
            if s.kind == "person" and not sources._is_pronoun(s.text) and not sources._is_plural(s):
                return s
        return None
    if words and words[0] == "the" and len(words) <= 3 and text.strip()[4:].islower():
        head = words[-1]
        kinds = sources.DESCRIBED_KINDS.get(head)
        for s in reversed(seen):
            if sources._is_pronoun(s.text) or s.text.lower().startswith("the " + head):
                continue
            if kinds and s.kind in kinds:
                return s
            if s.anonymous and s.text.split() and s.text.lower().split()[-1] == head:
                return s
        for s in reversed(seen):
            if s.role and head in s.role.lower() and s.name:
                return s
    return None


source = st.builds(
    lambda text, kind, anonymous, role, name: Source(
        text=text, offsets=((0, 1),), kind=kind, anonymous=anonymous, role=role, name=name
    ),
    st.sampled_from(
        ["they", "he", "US officials", "the officials", "The Times", "Ann Lee", "the agency", ""]
    ),
    st.sampled_from(["person", "group", "media", "government", "unknown", "intelligence"]),
    st.booleans(),
    st.sampled_from([None, "minister of defence", "spokesperson for the agency"]),
    st.sampled_from([None, "Ann Lee"]),
)
asked = st.sampled_from(
    [
        "they",
        "We",
        "he",
        "She",
        "the officials",
        "the agency",
        "the newspaper",
        "the minister",
        "the US Senator",
        "Bob",
    ]
)


@FAST
@given(st.lists(st.one_of(source, asked), max_size=40))
def test_source_history_is_the_scan(steps: list[Source | str]) -> None:
    history = sources.SourceHistory()
    for step in steps:
        if isinstance(step, Source):
            history.seen.append(step)
        else:
            assert history.resolve(step) is _resolve_scan(history.seen, step)


def test_source_history_of_a_new_list() -> None:
    history = sources.SourceHistory()
    officials = Source(text="US officials", offsets=((0, 12),), kind="official", anonymous=True)
    history.seen.append(officials)
    assert history.resolve("they") is officials
    history.seen = []
    assert history.resolve("they") is None


# --------------------------------------------------------------------------- merge


def _merge_scan(rules: list[Attribution], tagged: list[Attribution]) -> list[tuple[str, Any]]:
    """Which attribution each merged one came from, as ``merge`` paired them before."""
    out: list[tuple[str, Any]] = []
    used: set[int] = set()
    hop_cues = [h.cue for r in rules for h in r.outer + r.inner]
    tagged = [t for t in tagged if not any(_overlaps(t.cue, c) for c in hop_cues)]
    for t in tagged:
        match = next((i for i, r in enumerate(rules) if i not in used and _overlaps(r.cue, t.cue)), None)
        if match is None:
            out.append(("tagged", t.cue))
            continue
        used.add(match)
        out.append(("pair", (t.cue, match)))
    out.extend(("rule", i) for i, r in enumerate(rules) if i not in used)
    return out


cue = st.lists(proper_span, min_size=1, max_size=2).map(sorted)


@FAST
@given(st.lists(st.tuples(cue, st.one_of(st.none(), cue)), max_size=10), st.lists(cue, max_size=10))
def test_merge_pairs_cues_as_the_scan(rules_in: list[tuple[Any, Any]], tagged_in: list[Any]) -> None:
    doc = NLP("word " * 40)

    def make_rules() -> list[Attribution]:
        return [
            Attribution(cue=list(c), cue_lemma=f"r{i}", outer=[HopSpans(list(h), [])] if h else [])
            for i, (c, h) in enumerate(rules_in)
        ]

    def make_tagged() -> list[Attribution]:
        return [Attribution(cue=list(c), origin="tagger") for c in tagged_in]

    rules = make_rules()
    expected = []
    for kind, what in _merge_scan(rules, make_tagged()):
        if kind == "tagged":
            expected.append((what[0][0], "tagger", ""))
        elif kind == "pair":  # the rules' lemma travels to the tagged attribution it is paired with
            t_cue, i = what
            expected.append((t_cue[0][0], "tagger", f"r{i}"))
        else:
            expected.append((rules[what].cue[0][0], "rules", f"r{what}"))
    expected.sort(key=lambda x: x[0])  # merge sorts by cue start, stably
    got = merge(doc, make_rules(), make_tagged())
    assert [(a.cue_start, a.origin, a.cue_lemma) for a in got] == expected


# --------------------------------------------------------------------------- grouping


@FAST
@given(st.lists(st.integers(0, 6), max_size=25), st.integers(-1, 7), st.integers(-1, 7))
def test_cue_sentences_between_is_the_scan(sents: list[int], first: int, last: int) -> None:
    sents = sorted(sents)  # cues in order of start: their sentences in order too
    cues = [SimpleNamespace(start=k) for k in range(len(sents))]
    by = grouping._CueSentences(cues, sents)  # type: ignore[arg-type]
    assert by.between(first, last) == [i for i, c in enumerate(cues) if first <= sents[c.start] <= last]


@FAST
@given(st.lists(st.integers(0, 6), max_size=25), st.integers(-1, 7), st.integers(-1, 7))
def test_cue_sentences_out_of_order_fall_back_to_the_scan(sents: list[int], first: int, last: int) -> None:
    cues = [SimpleNamespace(start=k) for k in range(len(sents))]
    by = grouping._CueSentences(cues, sents)  # type: ignore[arg-type]
    assert by.between(first, last) == [i for i, c in enumerate(cues) if first <= sents[c.start] <= last]


@FAST
@given(st.lists(st.integers(0, 40), max_size=20), st.integers(0, 45), st.integers(0, 45))
def test_cue_between_is_the_scan(starts: list[int], start: int, end: int) -> None:
    cues = [SimpleNamespace(start=s) for s in sorted(starts)]
    want = any(start <= c.start < end for c in cues)
    assert grouping._cue_between(cues, start, end) == want  # type: ignore[arg-type]


# --------------------------------------------------------------------------- quantities


@FAST
@given(st.lists(any_span, max_size=30), any_span)
def test_blocked_is_the_scan(spans: list[tuple[int, int]], query: tuple[int, int]) -> None:
    start, end = query
    want = any(s < end and start < e for s, e in sorted(spans))
    assert quantities._Blocked(sorted(spans))(start, end) == want


PATTERNS = [
    quantities._US_AFTER,
    quantities._TIMES,
    quantities._UNIT_GAP,
    quantities._UNIT_SYSTEM,
    quantities._PER,
    quantities._PER_THEN,
    quantities._PER_WORD,
    quantities._HYPHEN_WORD,
    quantities._OF_WORDS,
    quantities._NEXT_WORDS,
]
PIECES = ["US", "U.S.", " ", "\u00a0", "-", "x", " times", "per", " a ", "/", "-a-", "share", " of ", "the ",
          "ago", " earlier", "metric ", "km", "\n", "5", "A", "’s", "imperial"]  # fmt: skip


@FAST
@given(st.lists(st.sampled_from(PIECES), max_size=12), st.integers(0, 30))
def test_patterns_read_at_a_position_as_on_the_rest(pieces: list[str], at: int) -> None:
    text = "".join(pieces)
    at = min(at, len(text))
    for rx in PATTERNS:
        on_rest = re.match(rx.pattern, text[at:], rx.flags)
        here = rx.match(text, at)
        assert (on_rest is None) == (here is None), rx.pattern
        if on_rest is not None and here is not None:
            assert here.end() == at + on_rest.end() and here.groups() == on_rest.groups()


@FAST
@given(st.text(alphabet=" \t\n\u00a0\u2003\x1cof", max_size=12), st.integers(0, 14))
def test_skip_space_is_lstrip(text: str, at: int) -> None:
    if at <= len(text):
        assert quantities._skip_space(text, at) == len(text) - len(text[at:].lstrip())
    assert text.startswith("of", quantities._skip_space(text, at)) == text[at:].lstrip().startswith("of")


# --------------------------------------------------------------------------- timespans


def _select_scan(cands: list[Any]) -> list[Any]:
    ordered = sorted(cands, key=lambda c: (-(c.end - c.start), c.priority, c.start))
    taken: list[Any] = []
    occupied: list[tuple[int, int]] = []
    for c in ordered:
        if any(c.start < e and s < c.end for s, e in occupied):
            continue
        taken.append(c)
        occupied.append((c.start, c.end))
    return sorted(taken, key=lambda c: c.start)


@FAST
@given(st.lists(st.tuples(proper_span, st.integers(0, 6)), max_size=40))
def test_select_is_the_scan(spans: list[tuple[tuple[int, int], int]]) -> None:
    cands = [timespans._Cand(s, e, p, lambda ctx: None, f"rule{k}") for k, ((s, e), p) in enumerate(spans)]
    assert [id(c) for c in timespans._select(cands)] == [id(c) for c in _select_scan(cands)]
