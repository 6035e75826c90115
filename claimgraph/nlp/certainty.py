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
from claimgraph.nlp.doctext import doc_text

ORDER = {"certain": 3, "probable": 2, "possible": 1, "unknown": 0}

# "would" and "should" in reported speech are mostly a future in the past or an obligation, not a hedge
MODALS = {"may": "possible", "might": "possible", "could": "possible"}
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
BELIEF_CUES = {
    "believe", "think", "suspect", "estimate", "expect", "assume", "guess", "suppose", "reckon", "assess",
    "seem", "appear", "look", "consider", "reportedly", "seemingly", "apparently", "speculate",
}  # fmt: skip
ATTITUDE_CUES = {
    "fear", "hope", "worry", "wish", "want", "plan", "intend", "urge", "demand", "ask", "seek", "advise",
    "push", "wonder", "question", "doubt", "inquire", "request", "beg", "propose", "recommend",
}  # fmt: skip
# a cue that takes "X to do Y" reports a wish or a demand, not a fact: "called for Trump to drop out"
DIRECTIVE_CUES = {"call", "tell", "encourage", "press", "challenge", "invite", "want"}
# belief verbs inside the content: "I think she will" hedges what follows them
INNER_BELIEF = {"think", "believe", "suspect", "expect", "guess", "suppose", "reckon", "feel", "assume"}
INNER_ATTITUDE = {"hope", "want", "plan", "intend", "wish", "aim", "seek", "try", "fear", "worry"}
DENIAL_CUES = {"deny", "reject", "dismiss", "refute", "rebut", "dispute"}
NEGATORS = {"not", "n't", "n’t", "never", "no", "none", "nobody", "nothing", "neither", "without", "nowhere"}
CONDITIONALS = {"if", "unless", "whether"}
NEGATOR_DEPS = {"neg", "det", "advmod", "preconj", "cc", "nsubj", "dobj"}
ARGUMENT_DEPS = {"nsubj", "nsubjpass", "attr", "dobj"}
WH_WORDS = {"what", "whether", "how", "why", "who", "when", "where", "which", "if"}


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


def _in_relative(tok: Token, start: int, end: int) -> bool:
    return any(a.dep_ in {"relcl", "acl"} for a in tok.ancestors if start <= a.idx < end)


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
        # "I think she will win", "he plans to stay neutral": the content's own verb hedges the rest
        inner_lemma = main.lemma_.lower()
        main_negated = any(c.dep_ == "neg" for c in main.children)
        if inner_lemma in INNER_BELIEF and any(c.dep_ in {"ccomp", "xcomp"} for c in main.children):
            certainty = _weaker(certainty, "probable")
            hedges.append((main.idx, main.idx + len(main.text)))
            if main_negated:  # "I don't think it posed a problem": the negation is the complement's
                negative = not negative
                neg = next(c for c in main.children if c.dep_ == "neg")
                hedges.append((neg.idx, neg.idx + len(neg.text)))
            inner = next(c for c in main.children if c.dep_ in {"ccomp", "xcomp"})
            main = inner
        elif inner_lemma in INNER_ATTITUDE and any(c.dep_ in {"ccomp", "xcomp"} for c in main.children):
            certainty = "unknown"
            hedges.append((main.idx, main.idx + len(main.text)))
        first_words = [t for t in span if not t.is_punct][:2]
        if (
            first_words
            and first_words[0].lower_ in WH_WORDS
            and any(h.cue is not None and set(h.cue.lemma.lower().split()) & ATTITUDE_CUES for h in chain)
        ):
            certainty = "unknown"
        if any(t.lower_ == "to" and t.dep_ == "aux" and t.head.pos_ == "VERB" for t in first_words[1:]) or (
            len(first_words) > 1 and first_words[1].lower_ == "to"
        ):
            # "Trump to drop out": the infinitival object of "called for", "urged", "asked"
            if any(
                h.cue is not None and set(h.cue.lemma.lower().split()) & (ATTITUDE_CUES | DIRECTIVE_CUES)
                for h in chain
            ):
                certainty = "unknown"
        core = _predicate_chain(main)
        for tok in span:
            low = tok.lower_
            if tok.tag_ == "MD" and low in MODALS and tok.head.i in core | {main.i}:
                negated = any(c.dep_ == "neg" for c in tok.head.children)
                if low == "could" and negated:
                    continue  # "could not convince": an inability, asserted
                certainty = _weaker(certainty, MODALS[low])
                hedges.append((tok.idx, tok.idx + len(tok.text)))
            elif (
                low in ADVERBS
                and tok.pos_ in {"ADV", "ADJ"}
                and tok.dep_ in {"advmod", "acomp"}
                and (tok.idx, tok.idx + len(tok.text)) not in hedges
            ):
                # a hedging adverb qualifies its clause wherever it stands, but not inside a relative clause
                if not any(a.dep_ in {"relcl", "acl"} for a in tok.ancestors if start <= a.idx < end):
                    certainty = _weaker(certainty, ADVERBS[low])
                    hedges.append((tok.idx, tok.idx + len(tok.text)))
                    if low == "unlikely":
                        negative = not negative
            elif low in NEGATORS and tok.dep_ in {"neg", "det", "advmod", "preconj", "cc"} | {
                "nsubj",
                "dobj",
            }:
                head = tok.head
                on_main = head.i == main.i or (
                    head.i in core and head.dep_ in {"nsubj", "nsubjpass", "attr", "dobj"}
                )
                if tok.dep_ == "neg" and head.i in core | {main.i}:
                    on_main = True
                if low == "neither" and tok.dep_ == "preconj":
                    on_main = True
                if on_main:
                    negative = not negative
                    hedges.append((tok.idx, tok.idx + len(tok.text)))
            elif low in CONDITIONALS and tok.dep_ == "mark" and not _in_relative(tok, start, end):
                certainty = "unknown"
                hedges.append((tok.idx, tok.idx + len(tok.text)))
        if span[-1].text == "?" or doc_text(doc)[end : end + 1] == "?":
            certainty = "unknown"
    for hop in chain:
        if hop.cue is None:
            continue
        lemmas = set(hop.cue.lemma.lower().split())
        s, e = hop.cue.offsets[0][0], hop.cue.offsets[-1][1]
        if lemmas & BELIEF_CUES:
            certainty = _weaker(certainty, "probable")
            hedges.append((s, e))
        elif lemmas & ATTITUDE_CUES:
            certainty = "unknown"
            hedges.append((s, e))
        elif lemmas & DENIAL_CUES:
            negative = not negative
            hedges.append((s, e))
    spans = tuple(TextSpan(doc_text(doc)[s:e], ((s, e),)) for s, e in sorted(set(hedges)))
    return Factuality(certainty, "negative" if negative else "positive", spans)
