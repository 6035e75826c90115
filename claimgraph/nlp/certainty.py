"""Certainty and polarity of a claim on FactBank's scale, scoped to the claim's content.

certainty: certain > probable > possible > unknown (CT / PR / PS / Uu); polarity:
positive or negative. Markers inside the content (modals, hedging adverbs and
adjectives, "it is possible that", negation of the main predicate, conditionals
and questions) and on the chain (belief and attitude cues, denials) compose:
the weakest certainty wins, and each negation or denial flips the polarity.
Every marker found is kept as a hedge span.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from claimgraph.model import Hop
from claimgraph.model import Span as TextSpan

ORDER = {"certain": 3, "probable": 2, "possible": 1, "unknown": 0}

MODALS = {"may": "possible", "might": "possible", "could": "possible", "would": "probable", "should": "probable"}
ADVERBS = {
    "likely": "probable",
    "probably": "probable",
    "presumably": "probable",
    "reportedly": "probable",
    "allegedly": "probable",
    "apparently": "probable",
    "seemingly": "probable",
    "supposedly": "probable",
    "possibly": "possible",
    "perhaps": "possible",
    "maybe": "possible",
    "conceivably": "possible",
    "potentially": "possible",
    "unlikely": "probable",  # with a flip: "unlikely" = probably not
}
# "it is possible that …", "it seems …": predicates whose complement is the claim
HEDGE_PREDICATES = {
    "possible": "possible",
    "likely": "probable",
    "probable": "probable",
    "unlikely": "probable",
    "unclear": "unknown",
    "uncertain": "unknown",
    "seem": "probable",
    "appear": "probable",
}
BELIEF_CUES = {"believe", "think", "suspect", "estimate", "expect", "assume", "guess", "suppose", "reckon", "assess"}
ATTITUDE_CUES = {"fear", "hope", "worry", "wish", "want", "plan", "intend", "urge", "demand", "ask", "call"}
DENIAL_CUES = {"deny", "reject", "dismiss", "refute", "rebut", "dispute"}
NEGATORS = {"not", "n't", "never", "no", "none", "nobody", "nothing", "neither", "nor", "without"}
CONDITIONALS = {"if", "unless", "whether"}


@dataclass(frozen=True)
class Factuality:
    certainty: str
    polarity: str
    hedges: tuple[TextSpan, ...]


def _weaker(a: str, b: str) -> str:
    return a if ORDER[a] <= ORDER[b] else b


def _content_root(span: Span) -> Token:
    return span.root


def _predicate_chain(root: Token) -> set[int]:
    """The main predicate and what hangs on it directly (auxiliaries, copula, conjoined verbs)."""
    ids = {root.i}
    for child in root.children:
        if child.dep_ in {"aux", "auxpass", "neg", "advmod", "acomp", "attr", "nsubj", "nsubjpass", "dobj"}:
            ids.add(child.i)
    return ids


def _finite_main(main: Token, start: int, end: int) -> Token:
    """A bare participle parsed as the main verb ("soldiers sent to X have not been seen")
    hands over to the conjoined finite verb that carries the auxiliaries."""
    has_aux = any(c.dep_ in {"aux", "auxpass"} for c in main.children)
    if main.tag_ == "VBN" and not has_aux:
        for child in main.children:
            if child.dep_ == "conj" and start <= child.idx < end:
                if any(c.dep_ in {"aux", "auxpass"} for c in child.children):
                    return child
    return main


def factuality(doc: Doc, content: list[tuple[int, int]], chain: tuple[Hop, ...]) -> Factuality:
    """Certainty, polarity and hedge spans of a claim.

    doc (Doc): the parsed article. content: the claim's character offsets.
    chain: the claim's hops (their cue lemmas can hedge or deny).
    """
    certainty = "certain"
    negative = False
    hedges: list[tuple[int, int]] = []
    for start, end in content:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        root = _content_root(span)
        # "that X …" / "it is possible that X …": look through the hedge predicate to the clause
        main = root
        if root.lemma_.lower() in HEDGE_PREDICATES or any(
            c.lemma_.lower() in HEDGE_PREDICATES and c.dep_ in {"acomp", "attr"} for c in root.children
        ):
            word = (
                root
                if root.lemma_.lower() in HEDGE_PREDICATES
                else next(c for c in root.children if c.lemma_.lower() in HEDGE_PREDICATES)
            )
            level = HEDGE_PREDICATES[word.lemma_.lower()]
            certainty = _weaker(certainty, level)
            hedges.append((word.idx, word.idx + len(word.text)))
            if word.lemma_.lower() == "unlikely":
                negative = not negative
            inner = next((c for c in root.children if c.dep_ in {"ccomp", "xcomp"}), None)
            if inner is not None and start <= inner.idx < end:
                main = inner
        main = _finite_main(main, start, end)
        core = _predicate_chain(main)
        for tok in span:
            low = tok.lower_
            if tok.tag_ == "MD" and low in MODALS and tok.head.i in core | {main.i}:
                certainty = _weaker(certainty, MODALS[low])
                hedges.append((tok.idx, tok.idx + len(tok.text)))
            elif low in ADVERBS and tok.pos_ in {"ADV", "ADJ"} and tok.dep_ in {"advmod", "acomp"}:
                # a hedging adverb qualifies its clause wherever it stands, but not inside a relative clause
                if not any(a.dep_ in {"relcl", "acl"} for a in tok.ancestors if start <= a.idx < end):
                    certainty = _weaker(certainty, ADVERBS[low])
                    hedges.append((tok.idx, tok.idx + len(tok.text)))
                    if low == "unlikely":
                        negative = not negative
            elif low in NEGATORS and tok.dep_ in {"neg", "det", "advmod", "preconj", "cc"} | {"nsubj", "dobj"}:
                head = tok.head
                on_main = head.i == main.i or (head.i in core and head.dep_ in {"nsubj", "nsubjpass", "attr", "dobj"})
                if tok.dep_ == "neg" and head.i in core | {main.i}:
                    on_main = True
                if on_main and low not in {"nor", "neither"}:
                    negative = not negative
                    hedges.append((tok.idx, tok.idx + len(tok.text)))
            elif low in CONDITIONALS and tok.dep_ == "mark" and tok.head.i == main.i:
                certainty = "unknown"
                hedges.append((tok.idx, tok.idx + len(tok.text)))
        if span[-1].text == "?" or (end < len(doc.text) and doc.text[end : end + 1] == "?"):
            certainty = "unknown"
    for hop in chain:
        if hop.cue is None:
            continue
        lemma = hop.cue.lemma.lower()
        s, e = hop.cue.offsets[0][0], hop.cue.offsets[-1][1]
        if lemma in BELIEF_CUES:
            certainty = _weaker(certainty, "probable")
            hedges.append((s, e))
        elif lemma in ATTITUDE_CUES:
            certainty = "unknown"
            hedges.append((s, e))
        elif lemma in DENIAL_CUES:
            negative = not negative
            hedges.append((s, e))
    spans = tuple(TextSpan(doc.text[s:e], ((s, e),)) for s, e in sorted(set(hedges)))
    return Factuality(certainty, "negative" if negative else "positive", spans)
