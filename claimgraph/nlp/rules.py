"""Rule-based attribution: cue verbs and phrases, their sources and contents, and extra hops.

Works on the parsed spaCy ``Doc`` and returns ``Attribution`` objects (character
offsets). The parser of a small model often attaches a reporting verb in odd
places ("..., writes The New York Times citing officials" comes out with the
outlet as the subject of "citing"), so the rules lean on word order as much as
on the tree: a source is the cue's subject, or the noun phrase right after it;
a content is the clause the cue governs, or the text before the cue's clause.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from claimgraph.nlp.attributions import Attribution, HopSpans, Offsets
from claimgraph.nlp.cues import Lexicon, lexicon
from claimgraph.nlp.doctext import ents_between, noun_chunk_at
from claimgraph.nlp.sources import ANONYMOUS_HEADS, ROLE_HEADS

OPEN_QUOTES = {"“", '"', "«", "‘", "'"}
CLOSE_QUOTES = {"”", '"', "»", "’", "'"}
QUOTES = OPEN_QUOTES | CLOSE_QUOTES
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
OBJECT_DEPS = {"dobj", "dative", "oprd"}
#: named entities that can be a cited source
SOURCE_ENTITIES = {"PERSON", "ORG", "NORP", "GPE", "FAC"}
#: heads of a cited noun phrase that name who or what tells: "citing officials", "citing documents"
CITED_HEADS = ANONYMOUS_HEADS | ROLE_HEADS | {
    "document", "documents", "data", "statement", "statements", "tweet", "tweets", "post", "study",
    "survey", "poll", "polls", "memo", "letter", "records", "record", "figures", "estimate",
    "estimates", "filing", "filings", "testimony", "interview", "account", "accounts", "article",
    "story", "release", "remarks", "comments", "sources", "source", "findings", "research",
    "agency", "ministry", "department", "office", "government", "spokesman", "spokeswoman",
}  # fmt: skip
# words that a speech verb takes as an audience, never as a venue hop
AUDIENCE_WORDS = {"reporters", "journalists", "press", "lawmakers", "supporters", "crowd", "audience"}


def _span_offsets(span: Span | Iterable[Token]) -> Offsets:
    tokens = list(span)
    if not tokens:
        return []
    return [(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text))]


def _trim(doc: Doc, start: int, end: int, *, keep_quotes: bool = True) -> tuple[int, int]:
    """Token range without leading/trailing punctuation, spaces and linking words."""
    while start < end and (
        doc[start].is_space
        or (doc[start].is_punct and not (keep_quotes and doc[start].text in OPEN_QUOTES))
        or (doc[start].dep_ == "cc" and doc[start].head.i >= start)
        or doc[start].lower_ in {"meanwhile", "moreover"}
    ):
        start += 1
    while end > start and (
        doc[end - 1].is_space
        or (doc[end - 1].is_punct and not (keep_quotes and doc[end - 1].text in CLOSE_QUOTES))
    ):
        end -= 1
    # a closing quote with no opening one inside the range belongs to something else
    if keep_quotes and end > start and doc[end - 1].text in CLOSE_QUOTES:
        inside = doc[start : end - 1]
        if not any(t.text in OPEN_QUOTES for t in inside):
            end -= 1
            while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
                end -= 1
    return start, end


def _subtree_range(token: Token, stop: set[int] | None = None) -> tuple[int, int]:
    """Contiguous token range of a subtree, cut at tokens in ``stop``."""
    left, right = token.left_edge.i, token.right_edge.i + 1
    if stop:
        for i in sorted(stop):
            if token.i < i < right:
                right = i
            if left <= i < token.i:
                left = i + 1
    return left, right


def _noun_chunk_at(doc: Doc, i: int) -> Span | None:
    """The first noun chunk holding token ``i``, before any that starts after it (by
    bisection: a scan of every chunk per cue made a long article quadratic)."""
    return noun_chunk_at(doc, i)


def _np_extent(doc: Doc, head: Token, limit: int) -> tuple[int, int]:
    """A source noun phrase: the head's subtree, without relative or verbal clauses after it."""
    left = head.left_edge.i
    right = head.i + 1
    for child in head.rights:
        if child.dep_ in {
            "prep",
            "appos",
            "compound",
            "amod",
            "nummod",
            "poss",
            "punct",
            "cc",
            "conj",
            "acl",
        }:
            if child.dep_ == "punct" and child.text != ",":
                continue
            right = max(right, child.right_edge.i + 1)
        else:
            break
    right = min(right, limit)
    while right > head.i + 1 and (doc[right - 1].is_punct or doc[right - 1].is_space):
        right -= 1
    return left, right


def split_coordinated(doc: Doc, start: int, end: int) -> list[Offsets]:
    """One source per conjunct: "American and Ukrainian officials" -> two sources.

    Conjoined modifiers sharing a head noun give discontinuous spans; conjoined noun
    phrases ("the army and the police") give one span each.
    """
    tokens = doc[start:end]
    if not any(t.dep_ == "cc" and t.lower_ in {"and", "or"} for t in tokens):
        return [_span_offsets(tokens)]
    root = tokens.root
    # conjoined adjectives/modifiers before a shared head: Western and Ukrainian intelligence
    mods = [
        t
        for t in root.lefts
        if t.dep_ in {"amod", "compound", "nmod"} and any(c.dep_ == "conj" for c in t.rights)
    ]
    if mods:
        first = mods[0]
        conjs = [first] + [c for c in first.rights if c.dep_ == "conj"]
        tail_start = max(c.i for c in conjs) + 1  # tokens shared by every conjunct (the head and after)
        tail = (doc[tail_start].idx, doc[end - 1].idx + len(doc[end - 1].text))
        groups: list[Offsets] = []
        for n, c in enumerate(conjs):
            own = (doc[start].idx if n == 0 else c.idx, c.idx + len(c.text))
            if n == len(conjs) - 1:
                groups.append([(own[0], tail[1])])
            else:
                groups.append([own, tail])
        return groups
    conj_heads = [root] + [
        t for t in root.subtree if t.dep_ == "conj" and t.head == root and start <= t.i < end
    ]
    if len(conj_heads) > 1:
        groups = []
        for n, h in enumerate(conj_heads):
            s = h.left_edge.i if n else start
            e = conj_heads[n + 1].left_edge.i if n + 1 < len(conj_heads) else end
            s, e = _trim(doc, max(s, start), min(e, end), keep_quotes=False)
            # drop the coordinating word left at the end
            while e > s and doc[e - 1].dep_ == "cc":
                e -= 1
                s, e = _trim(doc, s, e, keep_quotes=False)
            if e > s:
                groups.append(_span_offsets(doc[s:e]))
        return groups
    return [_span_offsets(tokens)]


class RuleFinder:
    """Finds attributions in a parsed ``Doc`` by lexicon and syntax."""

    def __init__(self, lex: Lexicon | None = None) -> None:
        self.lex = lex or lexicon()

    def find(self, doc: Doc) -> list[Attribution]:
        found: list[Attribution] = []
        for sent in doc.sents:
            att = self._colon_headline(doc, sent)
            if att is not None:
                found.append(att)
                continue
            found.extend(self._in_sentence(doc, sent))
        return found

    def _colon_headline(self, doc: Doc, sent: Span) -> Attribution | None:
        """'NYT: troops pulled from the front', 'Seoul: 12,000 troops went to Russia': a headline
        that names its source before a colon. Only for a line without a full stop (a headline)."""
        tokens = [t for t in sent if not t.is_space]
        if len(tokens) < 4 or tokens[-1].text in {".", "!", "?"}:
            return None
        colon = next((t for t in tokens[:6] if t.text == ":"), None)
        if colon is None or colon.i == tokens[0].i:
            return None
        source = doc[tokens[0].i : colon.i]
        if not all(t.text[:1].isupper() or not t.is_alpha for t in source):
            return None
        # an entity inside the source (``source.ents`` reads every entity of the doc before it)
        named = bool(ents_between(doc, source.start_char, source.end_char))
        if not (named or self.lex.is_media_name(source.text) or any(t.pos_ == "PROPN" for t in source)):
            return None
        start, end = _trim(doc, colon.i + 1, tokens[-1].i + 1)
        if end - start < 3:
            return None
        return Attribution(
            cue=_span_offsets([colon]),
            sources=_span_offsets(source),
            source_groups=[_span_offsets(source)],
            contents=_span_offsets(doc[start:end]),
            origin="rules",
            cue_lemma=":",
            cue_kind="report",
        )

    # -- per sentence -------------------------------------------------------------------------

    def _in_sentence(self, doc: Doc, sent: Span) -> list[Attribution]:
        out: list[Attribution] = []
        used: set[int] = set()
        for tok in sent:
            if tok.i in used:
                continue
            if tok.lower_ == "according" and tok.i + 1 < sent.end and doc[tok.i + 1].lower_ == "to":
                att = self._according_to(doc, sent, tok)
                if att:
                    out.append(att)
                    used.update({tok.i, tok.i + 1})
                continue
            if tok.pos_ not in {"VERB", "AUX"} or tok.lemma_.lower() not in self.lex.kinds:
                continue
            if tok.lower_ == "citing" or (tok.dep_ in {"amod", "acl"} and tok.tag_ == "VBN"):
                continue  # "citing X" is a hop of another cue; "the reported attack" is no cue
            att = self._verb_cue(doc, sent, tok)
            if att:
                out.append(att)
                used.add(tok.i)
        return out

    def _according_to(self, doc: Doc, sent: Span, tok: Token) -> Attribution | None:
        to = doc[tok.i + 1]
        cue = _span_offsets(doc[tok.i : tok.i + 2])
        src_start = to.i + 1
        if src_start >= sent.end:
            return None
        # a sentence-final "..., according to X" runs to the end; a fronted one to the comma
        at_end = tok.i > sent.start and doc[tok.i - 1].text == ","
        src_end = sent.end
        if not at_end:
            for i in range(src_start, sent.end):
                if doc[i].text == ",":
                    src_end = i
                    break
        src_start, src_end = _trim(doc, src_start, src_end, keep_quotes=False)
        if src_end <= src_start:
            return None
        if at_end:
            c_start, c_end = _trim(doc, sent.start, tok.i)
        else:
            c_start, c_end = _trim(doc, src_end, sent.end)
            if tok.i > sent.start:  # "X is, according to Y, Z": both sides are the content
                b_start, b_end = _trim(doc, sent.start, tok.i)
                if b_end > b_start:
                    c_start = b_start
        if c_end <= c_start:
            return None
        return Attribution(
            cue=cue,
            sources=_span_offsets(doc[src_start:src_end]),
            source_groups=split_coordinated(doc, src_start, src_end),
            contents=_span_offsets(doc[c_start:c_end]),
            origin="rules",
            direct_quote=doc[c_start].text in OPEN_QUOTES,
            cue_lemma="according to",
            cue_kind="report",
        )

    def _source_of(self, doc: Doc, sent: Span, verb: Token) -> tuple[int, int] | None:
        subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
        if subj is None and verb.dep_ in {"conj", "xcomp"} and verb.head.lemma_.lower() in self.lex.kinds:
            subj = next((c for c in verb.head.children if c.dep_ in SUBJECT_DEPS), None)
        if subj is None and verb.tag_ == "VBG" and verb.dep_ in {"advcl", "conj", "xcomp"}:
            # "Clinton spoke Tuesday, describing ...": the participle speaks for its clause's subject
            subj = next((c for c in verb.head.children if c.dep_ in SUBJECT_DEPS and c.i < verb.i), None)
        if subj is not None and subj.lower_ not in {"it", "there"}:
            if subj.lower_ in RELATIVE_PRONOUNS:
                return subj.i, subj.i + 1
            return _np_extent(doc, subj, verb.i if subj.i < verb.i else sent.end)
        # passive with an agent: "it was reported by Reuters"
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        if agent is not None:
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return _np_extent(doc, pobj, sent.end)
        # inverted: "..., writes The New York Times", "..., said Smith"
        nxt = verb.i + 1
        while nxt < sent.end and doc[nxt].text in QUOTES:
            nxt += 1
        if nxt < sent.end:
            chunk = _noun_chunk_at(doc, nxt)
            # "..., explaining the decision": what the verb takes as its object is not who speaks
            if chunk is not None and chunk.root.head.i == verb.i and chunk.root.dep_ in OBJECT_DEPS:
                return None
            if chunk is not None and chunk.start == nxt:
                end = chunk.end
                # "General Oleksandr Syrskyi, commander of ..." keeps its apposition
                return chunk.start, end
        return None

    def _verb_cue(self, doc: Doc, sent: Span, verb: Token) -> Attribution | None:
        lemma = verb.lemma_.lower()
        kind = self.lex.kind(lemma) or "speech"
        src = self._source_of(doc, sent, verb)
        # the content: a clause the verb governs ...
        content: tuple[int, int] | None = None
        comp = next((c for c in verb.children if c.dep_ in {"ccomp", "xcomp"} and c.i > verb.i), None)
        if comp is not None and comp.lemma_.lower() != "cite":
            stop = {src[0]} if src and src[0] > comp.i else set()
            content = _trim(doc, *_subtree_range(comp, stop))
            content = self._cut_trailing_participle(doc, sent, comp, content)
        elif lemma in {"describe", "call"}:
            obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
            if obj is not None:
                content = _trim(doc, obj.i, verb.right_edge.i + 1)
        if content is None or content[1] <= content[0]:
            # ... or the text before the cue's clause: '"...," Kindratenko said.'
            clause_start = min(verb.i, src[0]) if src else verb.i
            if clause_start > sent.start:
                before = doc[clause_start - 1]
                back = clause_start - 1
                while back > sent.start and (doc[back].is_punct or doc[back].is_space):
                    back -= 1
                if before.is_punct or before.text in QUOTES:
                    content = _trim(doc, sent.start, clause_start)
            # "X told Y that ..." parsed with the complement elsewhere: take what follows "that"
            if content is None:
                for i in range(verb.i + 1, min(sent.end, verb.i + 6)):
                    if doc[i].lower_ == "that" and doc[i].dep_ == "mark":
                        content = _trim(doc, i, sent.end)
                        break
        if content is None or content[1] <= content[0] or src is None:
            return None
        if src[0] >= content[0] and src[1] <= content[1]:
            return None
        cue = _span_offsets([verb])
        att = Attribution(
            cue=cue,
            sources=_span_offsets(doc[src[0] : src[1]]),
            source_groups=split_coordinated(doc, src[0], src[1]),
            contents=_span_offsets(doc[content[0] : content[1]]),
            origin="rules",
            direct_quote=doc[content[0]].text in OPEN_QUOTES,
            cue_lemma=lemma,
            cue_kind=kind,
        )
        self._extra_hops(doc, sent, verb, src, att)
        return att

    def _cut_trailing_participle(
        self, doc: Doc, sent: Span, comp: Token, content: tuple[int, int]
    ) -> tuple[int, int]:
        """'..., likely having suffered losses, they retreated': the participle belongs to what follows.

        A small parser attaches a fronted participial clause to the clause before it; when
        the sentence goes on after the content with another clause, the participle leads it.
        """
        end = content[1]
        rest = [t for t in doc[end : sent.end] if not (t.is_punct or t.is_space)]
        if not any(t.dep_ in SUBJECT_DEPS for t in rest):
            return content
        for child in comp.children:
            if child.dep_ != "advcl" or child.i < comp.i:
                continue
            first = child.left_edge.i
            if first > content[0] and doc[first - 1].text == "," and child.right_edge.i + 1 >= end - 1:
                if child.tag_ in {"VBG", "VBN"} or any(t.lower_ in {"having", "being"} for t in child.lefts):
                    return _trim(doc, content[0], first)
        return content

    def _citable(self, doc: Doc, start: int, end: int) -> bool:
        """Whether what "citing" takes can be a source: a name, a pronoun, a media name, or a noun
        of who or what tells ("officials", "documents", "a statement"); not "citing low economic
        growth" or "citing precedent", which are reasons."""
        head = doc[start:end].root
        if head.ent_type_ in SOURCE_ENTITIES or head.pos_ in {"PROPN", "PRON"}:
            return True
        if self.lex.is_media_name(doc[start:end].text):
            return True
        return head.lower_ in CITED_HEADS or head.lemma_.lower() in CITED_HEADS

    def _extra_hops(self, doc: Doc, sent: Span, verb: Token, src: tuple[int, int], att: Attribution) -> None:
        # "citing X" after the source or the verb: a hop nearer the origin
        for i in range(min(verb.i, src[0]), min(sent.end, max(verb.i, src[1]) + 3)):
            t = doc[i]
            if t.lower_ in {"citing", "quoting"}:
                start = i + 1
                end = start
                while end < sent.end and not (doc[end].is_punct and doc[end].text not in {"-", "'"}):
                    end += 1
                start, end = _trim(doc, start, end, keep_quotes=False)
                if end > start and self._citable(doc, start, end):
                    att.inner.append(
                        HopSpans(_span_offsets([t]), split_coordinated(doc, start, end), "cite", "cite")
                    )
        # "told NYT", "said in an interview with Reuters": the outlet is a hop nearer the reporter
        if verb.lemma_.lower() in {"tell", "say", "speak", "confirm", "write"}:
            for child in verb.children:
                target: Token | None = None
                if child.dep_ in {"dobj", "dative"} and child.lemma_.lower() not in AUDIENCE_WORDS:
                    target = child
                elif child.dep_ == "prep" and child.lower_ in {"to", "with"}:
                    target = next((c for c in child.children if c.dep_ == "pobj"), None)
                if target is None:
                    continue
                chunk_start, chunk_end = _np_extent(doc, target, sent.end)
                text = doc[chunk_start:chunk_end].text
                if target.ent_type_ in {"ORG", "WORK_OF_ART", "PRODUCT"} or self.lex.is_media_name(text):
                    # a quoted outlet name keeps its words, not its quotation marks
                    chunk_start, chunk_end = _trim(doc, chunk_start, chunk_end, keep_quotes=False)
                    att.outer.append(
                        HopSpans(
                            _span_offsets([verb]),
                            [_span_offsets(doc[chunk_start:chunk_end])],
                            verb.lemma_.lower(),
                            att.cue_kind,
                        )
                    )
