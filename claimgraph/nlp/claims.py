"""From attributions to claims: nest attributions into chains, and keep what nobody is cited for.

Every sentence of the article ends up in some claim: an attribution's content
becomes a claim whose chain runs from the reporter to the origin; a quote or a
content that holds another attribution ("X told Y: 'the SOF report that ...'")
gives the nested claim a longer chain; and what is left of a sentence once its
attributions are taken out is a claim in the outlet's own voice (empty chain),
headline and standfirst included. Metadata (date line, credits, noise) is skipped.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from claimgraph.model import Article, Claim, Cue, Hop, Source
from claimgraph.model import Span as TextSpan
from claimgraph.nlp.attributions import Attribution, HopSpans, Offsets
from claimgraph.nlp.cues import Lexicon
from claimgraph.nlp.doctext import SpanIndex, doc_text, ents_between
from claimgraph.nlp.sources import PRONOUNS_SINGULAR, RELATIVE, SourceHistory, describe

MIN_CLAIM_WORDS = 3


@dataclass
class _Node:
    att: Attribution
    children: list[_Node]


def _inside(offsets: Offsets, region: Offsets) -> bool:
    return any(rs <= offsets[0][0] and offsets[-1][1] <= re for rs, re in region)


def _chars(offsets: Offsets) -> set[int]:
    out: set[int] = set()
    for s, e in offsets:
        out.update(range(s, e))
    return out


def _clause_pieces(doc: Doc, region: tuple[int, int], taken: set[int]) -> list[tuple[int, int]]:
    """The runs of tokens of a region that no attribution took, trimmed, that read as a clause."""
    span = doc.char_span(region[0], region[1], alignment_mode="expand")
    if span is None:
        return []
    pieces: list[list[int]] = []
    current: list[int] = []
    for tok in span:
        if tok.idx in taken or tok.is_space and "\n" in tok.text:
            if current:
                pieces.append(current)
                current = []
            continue
        current.append(tok.i)
    if current:
        pieces.append(current)
    out: list[tuple[int, int]] = []
    for piece in pieces:
        toks = [doc[i] for i in piece]
        while toks and (toks[0].is_punct or toks[0].is_space or toks[0].dep_ == "cc"
                        or toks[0].lower_ in {"meanwhile", "moreover", "that"}):  # fmt: skip
            toks = toks[1:]
        while toks and (toks[-1].is_punct or toks[-1].is_space):
            toks = toks[:-1]
        # a lone opening quote left after trimming belongs to nothing
        if toks and toks[0].text in {"“", '"'} and not any(t.text in {"”", '"'} for t in toks[1:]):
            toks = toks[1:]
        words = [t for t in toks if t.is_alpha or t.like_num]
        has_verb = any(t.pos_ in {"VERB", "AUX"} for t in toks)
        if len(words) >= MIN_CLAIM_WORDS and has_verb:
            out.append((toks[0].idx, toks[-1].idx + len(toks[-1].text)))
    return out


class ClaimBuilder:
    """Builds the claims of one parsed article."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex

    def build(self, doc: Doc, article: Article, attributions: list[Attribution]) -> tuple[Claim, ...]:
        self.doc = doc
        self.history = SourceHistory()
        self._sents = list(doc.sents)
        self._sent_starts = [s.start_char for s in self._sents]
        skip = [(s, e) for s, e in article.skip_spans]
        skips = SpanIndex(skip)
        atts = sorted(attributions, key=lambda a: a.cue_start)
        roots = self._nest(atts)
        claims: list[Claim] = []
        by_sentence: dict[int, list[_Node]] = {}
        sentences = [s for s in self._sents if s.text.strip()]
        starts = [s.start_char for s in sentences]
        for node in roots:
            idx = self._sentence_index(sentences, node.att.cue_start, starts)
            by_sentence.setdefault(idx, []).append(node)
        for idx, sent in enumerate(sentences):
            if skips.containing(sent.start_char, sent.end_char):
                continue
            # a sentence that runs into metadata (a credit line without a full stop) keeps its prose only
            nodes = by_sentence.get(idx, [])
            taken: set[int] = set()
            for node in nodes:
                taken |= self._taken(node.att)
            # only the metadata inside the sentence can take its words (its tokens start inside it)
            for k in skips.overlapping(sent.start_char, sent.end_char):
                s, e = skip[k]
                taken.update(range(max(s, sent.start_char), min(e, sent.end_char)))
            own = [(s, e) for s, e in _clause_pieces(doc, (sent.start_char, sent.end_char), taken)]
            items: list[tuple[int, Claim]] = []
            for s, e in own:
                items.append((s, self._claim([(s, e)], sent, (), False)))
            for node in nodes:
                for c in self._claims_of(node, sent, ()):
                    items.append((c.content.start, c))
            items.sort(key=lambda x: x[0])
            claims.extend(c for _, c in items)
        return tuple(claims)

    # -- structure ----------------------------------------------------------------------------

    def _nest(self, atts: list[Attribution]) -> list[_Node]:
        nodes = [_Node(a, []) for a in atts]
        roots: list[_Node] = []
        # the attributions whose contents hold a cue, found by bisection on the contents' starts
        owner = [j for j, node in enumerate(nodes) for _ in node.att.contents]
        contents = SpanIndex(span for node in nodes for span in node.att.contents)
        for i, node in enumerate(nodes):
            parent: _Node | None = None
            cue = node.att.cue
            holders = sorted({owner[k] for k in contents.containing(cue[0][0], cue[-1][1])} - {i})
            for j in holders:
                other = nodes[j]
                if _inside(node.att.cue, other.att.contents):
                    # the innermost container wins
                    if parent is None or _inside(other.att.cue, parent.att.contents):
                        parent = other
            if parent is None:
                roots.append(node)
            else:
                parent.children.append(node)
        return roots

    def _sentence_index(self, sentences: list[Span], char: int, starts: list[int] | None = None) -> int:
        """The sentence holding ``char``, else the last: the sentences follow one another
        without overlapping, so only the last to start at or before ``char`` can hold it.

        starts (list[int] | None): the sentences' start characters, when at hand.
        """
        if starts is None:
            starts = [s.start_char for s in sentences]
        i = bisect_right(starts, char) - 1
        if i >= 0 and char < sentences[i].end_char:
            return i
        return max(0, len(sentences) - 1)

    def _taken(self, att: Attribution) -> set[int]:
        taken = _chars(att.cue) | _chars(att.sources) | _chars(att.contents)
        for hop in att.outer + att.inner:
            taken |= _chars(hop.cue)
            for g in hop.sources:
                taken |= _chars(g)
        # the words between a cue and its source belong to the attribution ("..., General X")
        return taken

    # -- claims ---------------------------------------------------------------------------------

    def _hops(self, att: Attribution) -> tuple[Hop, ...]:
        hops = [self._hop(h) for h in att.outer]
        cue = Cue(self._text(att.cue), tuple(att.cue), att.cue_lemma or self._lemma(att.cue), att.cue_kind)
        hops.append(Hop(cue, tuple(self._source(g) for g in att.groups())))
        hops.extend(self._hop(h) for h in att.inner)
        return tuple(hops)

    def _hop(self, h: HopSpans) -> Hop:
        cue = Cue(self._text(h.cue), tuple(h.cue), h.lemma or self._lemma(h.cue), h.kind)
        return Hop(cue, tuple(self._source(g) for g in h.sources))

    def _source(self, offsets: Offsets) -> Source:
        src = describe(self.doc, offsets, self.lex)
        if src.text.lower() in RELATIVE:
            src = self._antecedents(offsets, src)
        else:
            earlier = self.history.resolve(src.text) or self._person_before(offsets[0][0], src.text)
            if earlier is not None:
                # "They said": the pronoun speaks for whom it points to, with that one's profile
                src = dataclasses.replace(
                    earlier, text=src.text, offsets=src.offsets, name=earlier.name or earlier.text
                )
        self.history.seen.append(src)
        return src

    def _person_before(self, at: int, pronoun: str) -> Source | None:
        """'He said': the person the text last made the subject of a sentence, near before."""
        low = pronoun.lower()
        if low not in PRONOUNS_SINGULAR:
            return None
        female = low in {"she", "her"}
        before = bisect_left(self._sent_starts, at)  # the sentences that start before ``at``
        window = self._sents[max(0, before - 3) : before]
        if not window:
            return None
        lo = window[0].start_char
        best: Span | None = None
        for ent in ents_between(self.doc, lo, at):
            if ent.label_ != "PERSON":
                continue
            title = self.doc[ent.start - 1].lower_.rstrip(".") if ent.start > 0 else ""
            if (female and title == "mr") or (not female and title in {"mrs", "ms", "miss"}):
                continue
            if (
                ent.root.dep_ in {"nsubj", "nsubjpass"}
                or best is None
                or best.root.dep_
                not in {
                    "nsubj",
                    "nsubjpass",
                }
            ):
                best = ent
        if best is None:
            return None
        offsets = [(best.start_char, best.end_char)]
        return describe(self.doc, offsets, self.lex)

    def _antecedents(self, offsets: Offsets, src: Source) -> Source:
        """A relative pronoun source ("allies, who feared") names the noun it hangs on."""
        span = self.doc.char_span(offsets[0][0], offsets[0][1], alignment_mode="expand")
        if span is None:
            return src
        verb = span.root.head
        head = verb.head if verb.dep_ == "relcl" else None
        if head is None:
            return src
        names = [self.doc[head.left_edge.i : head.i + 1].text]
        # "in Ukraine and among its allies, who ...": the coordinated place counts too
        prep = head.head if head.dep_ == "pobj" else None
        if prep is not None and prep.dep_ == "conj":
            first = prep.head
            pobj = next((c for c in first.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                names.insert(0, self.doc[pobj.left_edge.i : pobj.i + 1].text)
        return Source(**{**src.__dict__, "name": " and ".join(names), "kind": "group"})

    def _claims_of(self, node: _Node, sent: Span, outer: tuple[Hop, ...]) -> list[Claim]:
        chain = outer + self._hops(node.att)
        out: list[Claim] = []
        taken: set[int] = set()
        for child in node.children:
            out.extend(self._claims_of(child, sent, chain))
            taken |= self._taken(child.att)
        if not node.children:
            if node.att.contents:  # a cue whose content was not found makes no claim
                out.append(self._claim(node.att.contents, sent, chain, node.att.direct_quote))
        else:
            for s, e in node.att.contents:
                for piece in _clause_pieces(self.doc, (s, e), taken):
                    out.append(self._claim([piece], sent, chain, node.att.direct_quote))
        return out

    def _claim(self, content: Offsets, sent: Span, chain: tuple[Hop, ...], direct: bool) -> Claim:
        text = " … ".join(doc_text(self.doc)[s:e] for s, e in content)
        start = min(sent.start_char, content[0][0])
        end = max(sent.end_char, content[-1][1])
        while end > start and doc_text(self.doc)[end - 1].isspace():
            end -= 1
        return Claim(
            content=TextSpan(text, tuple(content)),
            sentence=(start, end),
            chain=chain,
            direct_quote=direct,
        )

    def _text(self, offsets: Offsets) -> str:
        return " ".join(doc_text(self.doc)[s:e] for s, e in offsets)

    def _lemma(self, offsets: Offsets) -> str:
        span = self.doc.char_span(offsets[0][0], offsets[-1][1], alignment_mode="expand")
        return " ".join(t.lemma_.lower() for t in span) if span is not None else ""
