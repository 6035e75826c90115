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
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from claimgraph.model import Article, Claim, Cue, Hop, Source
from claimgraph.model import Span as TextSpan
from claimgraph.nlp.attributions import Attribution, HopSpans, Offsets
from claimgraph.nlp.cues import Lexicon
from claimgraph.nlp.doctext import SpanIndex, doc_text, ents_between
from claimgraph.nlp.sources import PRONOUNS_SINGULAR, RELATIVE, SourceHistory, describe

MIN_CLAIM_WORDS = 3
#: a speaker naming themselves inside their own quote
FIRST_PERSON = {"i", "we", "me", "us"}
QUOTE_OPENINGS = ("“", '"', "''", "‘")
QUOTE_CLOSINGS = ("”", '"', "''", "’")
OPENING_QUOTE_MARKS = '“"'


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


def _plain(text: str) -> str:
    """A source as compared with another: lowercased, without the punctuation around it."""
    return text.lower().strip(" ,;:.\"'“”‘’")


def _one_paragraph(text: str, start: int, next_start: int) -> bool:
    """Whether the sentence at ``start`` runs on into the one at ``next_start`` with no line break
    (a sentence keeps the white space after it)."""
    between = text[start:next_start]
    return "\n" not in between[len(between.rstrip()) :]


def _untangle(parents: list[int | None], atts: list[Attribution]) -> None:
    """Cut the containers that hold each other ("X tells Y that he loves you", where the rules read
    "X tells Y that" as what "loves" reports) into trees, in place: in each loop, the tagger's
    attribution (its contents follow PolNeAR's conventions), else the one with the longest
    content, keeps no container."""
    state = [0] * len(parents)  # 0: not seen, 1: on the path walked now, 2: done
    for start in range(len(parents)):
        path: list[int] = []
        i: int | None = start
        while i is not None and state[i] == 0:
            state[i] = 1
            path.append(i)
            i = parents[i]
        if i is not None and state[i] == 1:  # a loop: from i round to i
            loop = path[path.index(i) :]
            tagged = [k for k in loop if atts[k].origin == "tagger"]
            cut = min(tagged) if tagged else max(loop, key=lambda k: (_length(atts[k].contents), -k))
            parents[cut] = None
        for k in path:
            state[k] = 2


def _length(offsets: Offsets) -> int:
    return sum(e - s for s, e in offsets)


def _overlaps(a: Offsets, b: Offsets) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


#: words an outlet's name may carry beside the name the article gives it ("Breitbart News")
_OUTLET_EXTRA = {"the", "news", "network", "magazine", "online", "com", "newspaper"}


def names_outlet(text: str, outlet: str) -> bool:
    """Whether a source names the outlet publishing the article: the same words ("POLITICO",
    "USA TODAY"), its initials ("NYT" for The New York Times), or words the outlet's own words
    begin, in order ("The Huffington Post" for huff-post).
    """
    words = [w for w in re.findall(r"[a-z]+", text.lower()) if w not in _OUTLET_EXTRA]
    parts = re.findall(r"[a-z]+", outlet.lower())
    if not words or not parts:
        return False
    joined = "".join(parts)
    if "".join(words) == joined or (len(words) > 1 and "".join(w[0] for w in words) == joined):
        return True
    # each word begins with (or is the start of) one of the outlet's words, in order, from the first
    # to the last ("Washington … Post" for wash-post; not "The Post", which may be another paper)
    k = 0
    for w in words:
        while k < len(parts) and not _begins(w, parts[k]):
            if k == 0:
                return False
            k += 1
        if k == len(parts):
            return False
        k += 1
    return k == len(parts)


def _begins(word: str, part: str) -> bool:
    """Whether one of two words begins the other ("washington", "wash"), the shorter of at least
    three letters (not "apple" for "ap")."""
    if word == part:
        return True
    short, long = (word, part) if len(word) < len(part) else (part, word)
    return len(short) >= 3 and long.startswith(short)


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
        self._outlet = article.outlet or ""
        self.history = SourceHistory()
        self._sents = list(doc.sents)
        self._sent_starts = [s.start_char for s in self._sents]
        skip = [(s, e) for s, e in article.skip_spans]
        skips = SpanIndex(skip)
        atts = sorted(attributions, key=lambda a: a.cue_start)
        roots = self._nest(atts, self._folds)
        claims: list[Claim] = []
        built: list[tuple[Span, list[Claim], list[Claim]]] = []
        by_sentence: dict[int, list[_Node]] = {}
        sentences = [s for s in self._sents if s.text.strip()]
        starts = [s.start_char for s in sentences]
        for node in roots:
            idx = self._sentence_index(sentences, node.att.cue_start, starts)
            by_sentence.setdefault(idx, []).append(node)
        every_taken: set[int] = set()
        for att in atts:
            every_taken |= _chars(att.contents)
        for idx, sent in enumerate(sentences):
            if skips.containing(sent.start_char, sent.end_char):
                continue
            # a sentence that runs into metadata (a credit line without a full stop) keeps its prose only
            nodes = by_sentence.get(idx, [])
            # every attribution's words, whichever sentence its cue is in (a quotation the tagger
            # gave to the cue of the sentence before is no claim of the outlet's own)
            taken = every_taken  # grows by each sentence's attributions, which are no one else's words
            for node in nodes:
                taken |= self._taken(node.att)
            # only the metadata inside the sentence can take its words (its tokens start inside it)
            for k in skips.overlapping(sent.start_char, sent.end_char):
                s, e = skip[k]
                taken.update(range(max(s, sent.start_char), min(e, sent.end_char)))
            own = [(s, e) for s, e in _clause_pieces(doc, (sent.start_char, sent.end_char), taken)]
            mine = [self._claim([(s, e)], sent, (), False) for s, e in own]
            theirs = [c for node in nodes for c in self._claims_of(node, sent, ())]
            built.append((sent, mine, theirs))
        for k, (_, mine, theirs) in enumerate(built):
            if mine and not theirs:
                chain = self._quote_goes_on(built, k)
                if chain:
                    mine = [dataclasses.replace(c, chain=chain, direct_quote=True) for c in mine]
            claims.extend(sorted(mine + theirs, key=lambda c: c.content.start))
        return tuple(claims)

    def _quote_goes_on(self, built: list[tuple[Span, list[Claim], list[Claim]]], k: int) -> tuple[Hop, ...]:
        """The chain of the quotation a sentence of no attribution of its own carries on: the
        quotation of the sentence before ('"A," she said. "B."') or after ('"A. B," she said.'), in
        the same paragraph, when the sentence is itself quoted."""
        text = doc_text(self.doc)
        sent = built[k][0]
        body = text[sent.start_char : sent.end_char].strip()
        if not body or not (body.startswith(QUOTE_OPENINGS) or body.rstrip(".!?").endswith(QUOTE_CLOSINGS)):
            return ()
        if k > 0:
            before, _, claims = built[k - 1]
            if _one_paragraph(text, before.start_char, sent.start_char) and body.startswith(QUOTE_OPENINGS):
                quoted = [c for c in claims if c.direct_quote and c.chain]
                if quoted:
                    return quoted[-1].chain
        if k + 1 < len(built):
            after, _, claims = built[k + 1]
            if _one_paragraph(text, sent.start_char, after.start_char):
                quoted = [c for c in claims if c.direct_quote and c.chain]
                # the quotation opens the next sentence: it began in this one
                if (
                    quoted
                    and quoted[0].content.start - after.start_char <= 2
                    and not body.endswith(QUOTE_CLOSINGS)
                ):
                    return quoted[0].chain
        return ()

    # -- structure ----------------------------------------------------------------------------

    def _nest(
        self, atts: list[Attribution], folds: Callable[[Attribution, Attribution], bool] | None = None
    ) -> list[_Node]:
        """The attributions as trees, each under the innermost whose content holds its cue.

        folds (callable | None): whether an attribution is part of its container's content
            rather than a hop (``_folds``); such one is left out, and what it holds hangs on
            the container. With it, containers that hold each other are untangled too
            (``_untangle``); without it, they are left as found, and none of them is a root.
        """
        nodes = [_Node(a, []) for a in atts]
        # the attributions whose contents hold a cue, found by bisection on the contents' starts
        owner = [j for j, node in enumerate(nodes) for _ in node.att.contents]
        contents = SpanIndex(span for node in nodes for span in node.att.contents)
        parents: list[int | None] = []
        for i, node in enumerate(nodes):
            parent: int | None = None
            cue = node.att.cue
            holders = sorted({owner[k] for k in contents.containing(cue[0][0], cue[-1][1])} - {i})
            for j in holders:
                other = nodes[j]
                if _inside(node.att.cue, other.att.contents):
                    # the innermost container wins
                    if parent is None or _inside(other.att.cue, nodes[parent].att.contents):
                        parent = j
            parents.append(parent)
        folded: set[int] = set()
        if folds is not None:
            _untangle(parents, atts)
            # an attribution that is only part of what its container reports makes no hop: its
            # words stay in the container's content, and what it holds hangs on the container
            folded = {i for i, p in enumerate(parents) if p is not None and folds(atts[i], atts[p])}
        roots: list[_Node] = []
        for i, node in enumerate(nodes):
            if i in folded:
                continue
            p = parents[i]
            while p is not None and p in folded:
                p = parents[p]
            if p is None:
                roots.append(node)
            else:
                nodes[p].children.append(node)
        return roots

    def _folds(self, att: Attribution, container: Attribution) -> bool:
        """Whether an attribution inside another's content is part of that content, not a hop, its
        words staying in the container's claim: a cue without a content; a state of mind the
        container reports ("Aides say the governor plans to ...", "he said he believes ..."), told
        by the container's source; the container's own speaker again ("Cruz said ..., stating
        ..."); an act committed to or urged ("... has called on its followers to kill"); or the
        speaker of a quote speaking of themselves ("'I think we will win,' she said")."""
        if not att.contents or self._state_of_mind(att):
            return True  # a cue whose content was not found makes no claim: it takes no words either
        source = _plain(self._text(att.sources)) if att.sources else ""
        if source and container.sources and source == _plain(self._text(container.sources)):
            return True  # "Cruz said ..., stating that ...", "he said he told them ...": the same speaker
        if self._infinitive(att):
            return True  # "Analysts noted that IS has called on its followers to kill ...": an act
        return source in FIRST_PERSON and self._quoted(att.cue_start, container)

    def _infinitive(self, att: Attribution) -> bool:
        """Whether the content is an infinitive ("agreed to hold votes", "called on X to kill"):
        what a source committed to or urged, not what it told."""
        if not att.contents:
            return False
        span = self.doc.char_span(att.contents[0][0], att.contents[0][1], alignment_mode="expand")
        words = [t for t in span if not (t.is_punct or t.is_space)][:2] if span is not None else []
        return len(words) == 2 and words[0].tag_ == "TO" and words[1].tag_ == "VB"

    def _state_of_mind(self, att: Attribution) -> bool:
        """Whether the cue's verb names a belief or an attitude only (the tagger's cues carry
        no lemma of their own: their first word the lexicon knows is read)."""
        if att.cue_lemma and " " not in att.cue_lemma:
            return self.lex.is_state_of_mind(att.cue_lemma)
        span = self.doc.char_span(att.cue[0][0], att.cue[-1][1], alignment_mode="expand")
        for tok in span if span is not None else ():
            lemma = tok.lemma_.lower()
            if tok.pos_ in {"VERB", "AUX", "NOUN", "ADJ"} and self.lex.kind(lemma):
                return self.lex.is_state_of_mind(lemma)
        return False

    def _quoted(self, at: int, container: Attribution) -> bool:
        """Whether ``at`` lies inside quotation marks within the container's content."""
        start = container.contents[0][0]
        text = doc_text(self.doc)
        # the content may begin just after its opening quotation mark
        while start > 0 and text[start - 1] in OPENING_QUOTE_MARKS + " ":
            start -= 1
        before = text[start:at]
        # (single quotation marks are not counted: "’" is an apostrophe as often)
        opened = before.count("“") - before.count("”")
        return opened > 0 or before.count('"') % 2 == 1 or container.direct_quote

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
        # the venue is no hop where it is the speaker (the tagger read "telling CNN" with CNN as
        # the source) or the outlet that publishes the article ("told POLITICO" in Politico)
        outer = [
            h
            for h in att.outer
            if not any(_overlaps(g, att.sources) for g in h.sources)
            and not (
                self._outlet
                and h.sources
                and all(names_outlet(self._text(g), self._outlet) for g in h.sources)
            )
        ]
        hops = [self._hop(h) for h in outer]
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
