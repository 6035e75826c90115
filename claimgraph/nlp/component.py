"""claimgraph as a spaCy component in your own pipeline: ``nlp.add_pipe("claimgraph_attribution")``.

The component reads the ``Doc``'s text with claimgraph's own pipeline (its parser, trained
attribution tagger and rules, loaded once per component) and assigns:

- ``doc._.claimgraph``: the ``ClaimRecord`` (an ``Article`` of the doc's text and its
  ``Claim`` objects: chain of sources, certainty, polarity, numbers, times, entities);
- ``doc.spans["claimgraph_contents"]``: what each claim claims (label: its certainty);
- ``doc.spans["claimgraph_sources"]``: who said it, each hop's sources (label: the source's
  kind, e.g. ``media``, ``official``);
- ``doc.spans["claimgraph_cues"]``: the words that attribute (label: the cue's kind,
  ``speech``, ``report``, ``cite``…);
- ``span._.claim`` on each of those spans: the ``Claim`` it belongs to.

Character offsets are mapped onto the doc's tokens (a span that starts or ends inside a
token is widened to it). Config: ``published`` (a date, for relative times such as
"today"), ``outlet`` (the publisher, the origin of claims in its own voice).

The factory is registered when ``claimgraph`` is installed (the ``spacy_factories`` entry
point), so ``spacy.blank("en").add_pipe("claimgraph_attribution")`` works without an import.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from claimgraph.model import Article, Offsets

FACTORY = "claimgraph_attribution"

if not Doc.has_extension("claimgraph"):
    Doc.set_extension("claimgraph", default=None)
if not Span.has_extension("claim"):
    Span.set_extension("claim", default=None)


class AttributionComponent:
    """Assigns claimgraph's claims to a Doc (see the module's docstring)."""

    def __init__(self, published: str | None = None, outlet: str | None = None) -> None:
        self.published = published
        self.outlet = outlet
        self._pipeline: tuple[Any, Any] | None = None

    def _load(self) -> tuple[Any, Any]:
        if self._pipeline is None:
            from claimgraph.config import Settings
            from claimgraph.run import pipeline

            self._pipeline = pipeline(Settings())
        return self._pipeline

    def __call__(self, doc: Doc) -> Doc:
        from claimgraph.config import Settings
        from claimgraph.run import analyze_articles

        if not doc.text.strip():
            doc._.claimgraph = None
            for key in ("claimgraph_contents", "claimgraph_sources", "claimgraph_cues"):
                doc.spans[key] = []
            return doc
        extractor, resolver = self._load()
        article = Article(text=doc.text, published=self.published, outlet=self.outlet)
        record = next(analyze_articles([article], Settings(), extractor, resolver))
        doc._.claimgraph = record
        contents: list[Span] = []
        sources: list[Span] = []
        cues: list[Span] = []
        for claim in record.claims:
            contents += _spans(doc, claim.content.offsets, claim.certainty, claim)
            for hop in claim.chain:
                if hop.cue is not None:
                    cues += _spans(doc, hop.cue.offsets, hop.cue.kind, claim)
                for source in hop.sources:
                    sources += _spans(doc, source.offsets, source.kind, claim)
        doc.spans["claimgraph_contents"] = contents
        doc.spans["claimgraph_sources"] = sources
        doc.spans["claimgraph_cues"] = cues
        return doc


def _spans(doc: Doc, offsets: Offsets, label: str, claim: Any) -> list[Span]:
    out = []
    for start, end in offsets:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None and len(span):
            span._.claim = claim
            out.append(span)
    return out


@Language.factory(FACTORY, default_config={"published": None, "outlet": None})
def make_attribution(
    nlp: Language, name: str, published: str | None, outlet: str | None
) -> AttributionComponent:
    return AttributionComponent(published=published, outlet=outlet)
