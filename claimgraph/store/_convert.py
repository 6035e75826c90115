"""Claim records to rows and back, without loss.

``record_to_rows`` is pure; the ids that join the rows (claim, hop and source keys)
are filled in by the store as the database hands them out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from claimgraph.model import (
    Article,
    Claim,
    Cue,
    Entity,
    Frame,
    Hop,
    Offsets,
    Quantity,
    Source,
    Span,
    TimeSpan,
)


def _pair(value: Any) -> tuple[int, int] | None:
    return None if value is None else (int(value[0]), int(value[1]))


def article_row(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "source": article.source,
        "outlet": article.outlet,
        "title": article.title,
        "published": article.published,
        "language": article.language,
        "url": article.url,
        "text": article.text,
        "metadata": {
            "credits": list(article.credits),
            "authors": list(article.authors),
            "tag": article.tag,
            "outlet_entity": article.outlet_entity,
            "title_span": list(article.title_span) if article.title_span is not None else None,
            "lede_span": list(article.lede_span) if article.lede_span is not None else None,
            "skip_spans": [list(s) for s in article.skip_spans],
            "warnings": list(article.warnings),
        },
    }


def article_from_row(row: Any) -> Article:
    meta: dict[str, Any] = row._mapping["metadata"]
    return Article(
        text=row.text,
        source=row.source,
        outlet=row.outlet,
        title=row.title,
        published=row.published,
        language=row.language,
        credits=tuple(meta.get("credits", ())),
        authors=tuple(meta.get("authors", ())),
        url=row.url,
        tag=meta.get("tag"),
        outlet_entity=meta.get("outlet_entity"),
        title_span=_pair(meta.get("title_span")),
        lede_span=_pair(meta.get("lede_span")),
        skip_spans=tuple((int(s), int(e)) for s, e in meta.get("skip_spans", ())),
        warnings=tuple(meta.get("warnings", ())),
    )


def claim_row(article_id: str, position: int, claim: Claim) -> dict[str, Any]:
    return {
        "uid": claim.id,
        "article_id": article_id,
        "position": position,
        "content": claim.content.text,
        "sentence_start": claim.sentence[0],
        "sentence_end": claim.sentence[1],
        "direct_quote": claim.direct_quote,
        "certainty": claim.certainty,
        "polarity": claim.polarity,
        "event": claim.event,
        "extra": {
            "hedges": [h.to_json() for h in claim.hedges],
            "quantities": [q.to_json() for q in claim.quantities],
            "times": [t.to_json() for t in claim.times],
            "entities": [e.to_json() for e in claim.entities],
            "frame": None if claim.frame is None else claim.frame.to_json(),
        },
    }


def hop_row(claim_pk: int, position: int, hop: Hop) -> dict[str, Any]:
    cue = hop.cue
    return {
        "claim_id": claim_pk,
        "position": position,
        "cue_text": cue.text if cue is not None else None,
        "cue_lemma": cue.lemma if cue is not None else None,
        "cue_kind": cue.kind if cue is not None else None,
    }


def source_row(hop_pk: int, position: int, source: Source) -> dict[str, Any]:
    return {
        "hop_id": hop_pk,
        "position": position,
        "text": source.text,
        "entity": source.entity,
        "kind": source.kind,
        "anonymous": source.anonymous,
        "role": source.role,
        "rank": source.rank,
        "affiliation": source.affiliation,
        "side": source.side,
        "name": source.name,
    }


def span_rows(article_id: str, owner_type: str, owner_pk: int, offsets: Offsets) -> list[dict[str, Any]]:
    return [
        {
            "article_id": article_id,
            "owner_type": owner_type,
            "owner_id": owner_pk,
            "position": i,
            "start": start,
            "end": end,
        }
        for i, (start, end) in enumerate(offsets)
    ]


def offsets_from_rows(rows: Iterable[Any]) -> Offsets:
    """Offsets from ``spans`` rows already sorted by position."""
    return tuple((row.start, row.end) for row in rows)


def cue_from_row(row: Any, offsets: Offsets) -> Cue | None:
    if row.cue_text is None:
        return None
    return Cue(text=row.cue_text, offsets=offsets, lemma=row.cue_lemma, kind=row.cue_kind)


def source_from_row(row: Any, offsets: Offsets) -> Source:
    return Source(
        text=row.text,
        offsets=offsets,
        entity=row.entity,
        kind=row.kind,
        anonymous=bool(row.anonymous),
        role=row.role,
        rank=row.rank,
        affiliation=row.affiliation,
        side=row.side,
        name=row.name,
    )


def extra_from_json(
    extra: dict[str, Any],
) -> tuple[tuple[Span, ...], tuple[Quantity, ...], tuple[TimeSpan, ...], tuple[Entity, ...]]:
    """Hedges, quantities, times and entities from ``claims.extra``."""
    return (
        tuple(Span.from_json(h) for h in extra.get("hedges", ())),
        tuple(Quantity.from_json(q) for q in extra.get("quantities", ())),
        tuple(TimeSpan.from_json(t) for t in extra.get("times", ())),
        tuple(Entity.from_json(e) for e in extra.get("entities", ())),
    )


def claim_from_row(row: Any, content_offsets: Offsets, chain: Sequence[Hop]) -> Claim:
    hedges, quantities, times, entities = extra_from_json(row.extra)
    return Claim(
        id=row.uid,
        content=Span(text=row.content, offsets=content_offsets),
        sentence=(row.sentence_start, row.sentence_end),
        chain=tuple(chain),
        direct_quote=bool(row.direct_quote),
        certainty=row.certainty,
        polarity=row.polarity,
        hedges=hedges,
        quantities=quantities,
        times=times,
        entities=entities,
        event=row.event,
        frame=Frame.from_json(row.extra["frame"]) if row.extra.get("frame") else None,
    )
