"""The domain types of claimgraph and their lossless JSON form (the claim record).

Every stage imports this module; it imports nothing from claimgraph. Offsets are
character offsets into ``Article.text``. A span is ``[start, end]``; a
discontinuous span is a list of them.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

Offsets = tuple[tuple[int, int], ...]

CERTAINTIES = ("certain", "probable", "possible", "unknown")
POLARITIES = ("positive", "negative")
CUE_KINDS = ("speech", "report", "belief", "confirm", "deny", "cite", "attitude", "other")
SOURCE_KINDS = (
    "government",
    "military",
    "intelligence",
    "official",
    "media",
    "expert",
    "witness",
    "international",
    "ngo",
    "social_media",
    "person",
    "organisation",
    "group",
    "outlet",
    "unknown",
)


#: a wire service's dateline, "RENO, Nev. (AP) — ": the story is the wire's copy
WIRE_DATELINE = re.compile(r"^[A-Z][A-Za-z .,'-]{1,40}\((AP|Reuters|AFP|UPI|Bloomberg)\)\s*[—–-]+\s*", re.M)
#: the wire services' identities (as in the shipped gazetteer) and names
WIRES = {
    "AP": ("media/associated-press", "Associated Press"),
    "Reuters": ("media/reuters", "Reuters"),
    "AFP": ("media/agence-france-presse", "Agence France-Presse"),
    "UPI": ("media/united-press-international", "United Press International"),
    "Bloomberg": ("media/bloomberg-news", "Bloomberg News"),
}


def wire_of(text: str) -> str | None:
    """The wire service whose dateline opens one of the article's first paragraphs, if any."""
    m = WIRE_DATELINE.search(text[:1500])
    return m.group(1) if m else None


def offsets_to_json(offsets: Offsets) -> list[int] | list[list[int]]:
    """A single span as ``[s, e]``, a discontinuous one as ``[[s, e], ...]``."""
    if len(offsets) == 1:
        return [offsets[0][0], offsets[0][1]]
    return [[s, e] for s, e in offsets]


def offsets_from_json(value: Any) -> Offsets:
    """Read ``[s, e]`` or ``[[s, e], ...]`` back into offsets."""
    if not isinstance(value, list) or not value:
        raise ValueError(f"a span must be [start, end] or a list of them, not {value!r}")
    if all(isinstance(v, int) for v in value):
        if len(value) != 2:
            raise ValueError(f"a span must have two offsets, not {value!r}")
        pairs: list[Any] = [value]
    else:
        pairs = value
    out: list[tuple[int, int]] = []
    for pair in pairs:
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not all(isinstance(v, int) for v in pair)
            or pair[0] > pair[1]
            or pair[0] < 0
        ):
            raise ValueError(f"bad span {pair!r}")
        out.append((pair[0], pair[1]))
    return tuple(out)


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


@dataclass(frozen=True)
class Span:
    """A piece of the article text: what it says and where it stands."""

    text: str
    offsets: Offsets

    @property
    def start(self) -> int:
        return self.offsets[0][0]

    @property
    def end(self) -> int:
        return self.offsets[-1][1]

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "span": offsets_to_json(self.offsets)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Span:
        return cls(text=d["text"], offsets=offsets_from_json(d["span"]))


@dataclass(frozen=True)
class Cue:
    """The words that mark an attribution: "said", "according to", "citing"."""

    text: str
    offsets: Offsets
    lemma: str
    kind: str = "speech"

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "span": offsets_to_json(self.offsets),
            "lemma": self.lemma,
            "kind": self.kind,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Cue:
        return cls(d["text"], offsets_from_json(d["span"]), d.get("lemma", ""), d.get("kind", "speech"))


@dataclass(frozen=True)
class Source:
    """Who a hop of the chain names as speaking, as written, with what is known of it."""

    text: str
    offsets: Offsets
    entity: str | None = None
    kind: str = "unknown"
    anonymous: bool = False
    role: str | None = None
    rank: str | None = None
    affiliation: str | None = None
    side: str | None = None
    name: str | None = None

    def to_json(self) -> dict[str, Any]:
        return _drop_none(
            {
                "text": self.text,
                "span": offsets_to_json(self.offsets) if self.offsets else None,
                "entity": self.entity,
                "kind": self.kind,
                "anonymous": self.anonymous,
                "role": self.role,
                "rank": self.rank,
                "affiliation": self.affiliation,
                "side": self.side,
                "name": self.name,
            }
        )

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Source:
        return cls(
            text=d["text"],
            offsets=offsets_from_json(d["span"]) if d.get("span") else (),
            entity=d.get("entity"),
            kind=d.get("kind", "unknown"),
            anonymous=bool(d.get("anonymous", False)),
            role=d.get("role"),
            rank=d.get("rank"),
            affiliation=d.get("affiliation"),
            side=d.get("side"),
            name=d.get("name"),
        )


@dataclass(frozen=True)
class Hop:
    """One link of a chain: a cue and the sources it names."""

    cue: Cue | None
    sources: tuple[Source, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "cue": self.cue.to_json() if self.cue else None,
            "sources": [s.to_json() for s in self.sources],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Hop:
        cue = Cue.from_json(d["cue"]) if d.get("cue") else None
        return cls(cue=cue, sources=tuple(Source.from_json(s) for s in d.get("sources", [])))


@dataclass(frozen=True)
class Quantity:
    """A number in a claim, normalized."""

    text: str
    offsets: Offsets
    value: float | None = None
    low: float | None = None
    high: float | None = None
    approximate: bool = False
    unit: str | None = None
    counted: str | None = None
    change: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "span": offsets_to_json(self.offsets),
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "approximate": self.approximate,
            "unit": self.unit,
            "counted": self.counted,
            "change": self.change,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Quantity:
        return cls(
            text=d["text"],
            offsets=offsets_from_json(d["span"]),
            value=d.get("value"),
            low=d.get("low"),
            high=d.get("high"),
            approximate=bool(d.get("approximate", False)),
            unit=d.get("unit"),
            counted=d.get("counted"),
            change=d.get("change"),
        )


@dataclass(frozen=True)
class TimeSpan:
    """A time expression: its TIMEX3-style value and the calendar interval it denotes."""

    text: str
    offsets: Offsets
    kind: str = "date"
    value: str | None = None
    start: str | None = None
    end: str | None = None
    approximate: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "span": offsets_to_json(self.offsets),
            "kind": self.kind,
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "approximate": self.approximate,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> TimeSpan:
        return cls(
            text=d["text"],
            offsets=offsets_from_json(d["span"]),
            kind=d.get("kind", "date"),
            value=d.get("value"),
            start=d.get("start"),
            end=d.get("end"),
            approximate=bool(d.get("approximate", False)),
        )


@dataclass(frozen=True)
class Entity:
    """A mention of a person, place, organisation or force in a claim."""

    text: str
    offsets: Offsets
    type: str
    entity: str | None = None

    def to_json(self) -> dict[str, Any]:
        return _drop_none(
            {
                "text": self.text,
                "span": offsets_to_json(self.offsets),
                "entity": self.entity,
                "type": self.type,
            }
        )

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Entity:
        return cls(d["text"], offsets_from_json(d["span"]), d["type"], d.get("entity"))


ARGUMENT_ROLES = ("agent", "patient", "place", "other")
QUANTITY_KINDS = ("count", "name")


@dataclass(frozen=True)
class Argument:
    """A core argument of a proposition: who did it, to whom or what, where."""

    role: str
    text: str
    offsets: Offsets
    entity: str | None = None

    def to_json(self) -> dict[str, Any]:
        return _drop_none(
            {
                "role": self.role,
                "text": self.text,
                "span": offsets_to_json(self.offsets),
                "entity": self.entity,
            }
        )

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Argument:
        if d.get("role") not in ARGUMENT_ROLES:
            raise ValueError(f"unknown argument role {d.get('role')!r}")
        return cls(d["role"], d["text"], offsets_from_json(d["span"]), d.get("entity"))


@dataclass(frozen=True)
class FrameQuantity:
    """A number of the proposition with the thing it counts; ``kind`` "name" is a number that
    names something (Boeing 787, Resolution 2231, Highway 1) and is never compared as a count."""

    text: str
    counted: str | None = None
    value: float | None = None
    low: float | None = None
    high: float | None = None
    approximate: bool = False
    kind: str = "count"

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "counted": self.counted,
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "approximate": self.approximate,
            "kind": self.kind,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> FrameQuantity:
        if d.get("kind", "count") not in QUANTITY_KINDS:
            raise ValueError(f"unknown quantity kind {d.get('kind')!r}")
        return cls(
            text=d["text"],
            counted=d.get("counted"),
            value=d.get("value"),
            low=d.get("low"),
            high=d.get("high"),
            approximate=bool(d.get("approximate", False)),
            kind=d.get("kind", "count"),
        )


@dataclass(frozen=True)
class Frame:
    """The proposition of a claim without its attribution: what links and contradictions cite.

    ``text`` is the compared text (the claim's sentence less its attribution), ``predicate`` the lemma of
    its main verb (or its event type), ``arguments`` the core arguments with their roles,
    ``quantities`` the numbers with what they count, ``time`` the interval the claim is
    about (ISO dates, either end may be open), ``polarity`` and ``modality`` (the certainty).
    """

    text: str
    predicate: str | None = None
    arguments: tuple[Argument, ...] = ()
    quantities: tuple[FrameQuantity, ...] = ()
    time: tuple[str | None, str | None] | None = None
    polarity: str = "positive"
    modality: str = "certain"

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "predicate": self.predicate,
            "arguments": [a.to_json() for a in self.arguments],
            "quantities": [q.to_json() for q in self.quantities],
            "time": None if self.time is None else {"start": self.time[0], "end": self.time[1]},
            "polarity": self.polarity,
            "modality": self.modality,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Frame:
        if d.get("polarity", "positive") not in POLARITIES:
            raise ValueError(f"unknown polarity {d.get('polarity')!r}")
        if d.get("modality", "certain") not in CERTAINTIES:
            raise ValueError(f"unknown modality {d.get('modality')!r}")
        t = d.get("time")
        return cls(
            text=d.get("text", ""),
            predicate=d.get("predicate"),
            arguments=tuple(Argument.from_json(a) for a in d.get("arguments", [])),
            quantities=tuple(FrameQuantity.from_json(q) for q in d.get("quantities", [])),
            time=None if t is None else (t.get("start"), t.get("end")),
            polarity=d.get("polarity", "positive"),
            modality=d.get("modality", "certain"),
        )


@dataclass(frozen=True)
class Article:
    """One news article: its exact text and what is known about it."""

    text: str
    source: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    language: str = "en"
    credits: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    url: str | None = None
    tag: str | None = None
    #: the outlet's canonical identity, when known (set by ``link``)
    outlet_entity: str | None = None
    #: character span of the title and standfirst inside ``text``, when the reader found them
    title_span: tuple[int, int] | None = None
    lede_span: tuple[int, int] | None = None
    #: spans of text that are metadata (date line, credit lines, noise): never claims
    skip_spans: tuple[tuple[int, int], ...] = ()
    #: what the reader noticed and could not read (e.g. a date line it could not parse)
    warnings: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """Content-addressed id: the same text from the same outlet is the same article."""
        h = hashlib.sha256()
        h.update((self.outlet or "").encode("utf-8"))
        h.update(b"\x00")
        h.update(self.text.encode("utf-8"))
        return "sha256:" + h.hexdigest()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "outlet": self.outlet,
            "title": self.title,
            "published": self.published,
            "language": self.language,
            "credits": list(self.credits),
            "authors": list(self.authors),
            "url": self.url,
            "tag": self.tag,
            "outlet_entity": self.outlet_entity,
            "title_span": list(self.title_span) if self.title_span else None,
            "lede_span": list(self.lede_span) if self.lede_span else None,
            "skip_spans": [list(s) for s in self.skip_spans],
            "warnings": list(self.warnings),
            "text": self.text,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Article:
        art = cls(
            text=d["text"],
            source=d.get("source"),
            outlet=d.get("outlet"),
            title=d.get("title"),
            published=d.get("published"),
            language=d.get("language") or "en",
            credits=tuple(d.get("credits") or ()),
            authors=tuple(d.get("authors") or ()),
            url=d.get("url"),
            tag=d.get("tag"),
            outlet_entity=d.get("outlet_entity"),
            title_span=tuple(d["title_span"]) if d.get("title_span") else None,  # type: ignore[arg-type]
            lede_span=tuple(d["lede_span"]) if d.get("lede_span") else None,  # type: ignore[arg-type]
            skip_spans=tuple((int(s), int(e)) for s, e in d.get("skip_spans") or ()),
            warnings=tuple(d.get("warnings") or ()),
        )
        if d.get("id") and d["id"] != art.id:
            raise ValueError(f"article id {d['id']} does not match its text and outlet ({art.id})")
        return art


@dataclass(frozen=True)
class Claim:
    """One claim of an article: its content and the chain of sources behind it."""

    content: Span
    sentence: tuple[int, int]
    chain: tuple[Hop, ...] = ()
    direct_quote: bool = False
    certainty: str = "certain"
    polarity: str = "positive"
    hedges: tuple[Span, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    times: tuple[TimeSpan, ...] = ()
    entities: tuple[Entity, ...] = ()
    event: str | None = None
    id: str = ""
    frame: Frame | None = None

    @staticmethod
    def make_id(article_id: str, content: Offsets) -> str:
        """A stable id from the article and the content's place in it."""
        key = article_id + "|" + ";".join(f"{s}-{e}" for s, e in content)
        return "claim:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]

    @property
    def origin(self) -> Hop | None:
        """The innermost hop: who the claim comes from, or None for the outlet's own voice."""
        return self.chain[-1] if self.chain else None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "content": {"text": self.content.text, "span": [[s, e] for s, e in self.content.offsets]},
            "sentence": list(self.sentence),
            "chain": [h.to_json() for h in self.chain],
            "direct_quote": self.direct_quote,
            "certainty": self.certainty,
            "polarity": self.polarity,
            "hedges": [h.to_json() for h in self.hedges],
            "quantities": [q.to_json() for q in self.quantities],
            "times": [t.to_json() for t in self.times],
            "entities": [e.to_json() for e in self.entities],
            "event": self.event,
            "frame": None if self.frame is None else self.frame.to_json(),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Claim:
        if d.get("certainty", "certain") not in CERTAINTIES:
            raise ValueError(f"unknown certainty {d.get('certainty')!r}")
        if d.get("polarity", "positive") not in POLARITIES:
            raise ValueError(f"unknown polarity {d.get('polarity')!r}")
        return cls(
            id=d.get("id", ""),
            content=Span.from_json(d["content"]),
            sentence=(int(d["sentence"][0]), int(d["sentence"][1])),
            chain=tuple(Hop.from_json(h) for h in d.get("chain", [])),
            direct_quote=bool(d.get("direct_quote", False)),
            certainty=d.get("certainty", "certain"),
            polarity=d.get("polarity", "positive"),
            hedges=tuple(Span.from_json(h) for h in d.get("hedges", [])),
            quantities=tuple(Quantity.from_json(q) for q in d.get("quantities", [])),
            times=tuple(TimeSpan.from_json(t) for t in d.get("times", [])),
            entities=tuple(Entity.from_json(e) for e in d.get("entities", [])),
            event=d.get("event"),
            frame=Frame.from_json(d["frame"]) if d.get("frame") else None,
        )


@dataclass(frozen=True)
class ClaimRecord:
    """An article with its claims: the unit every interface speaks (DESIGN.md)."""

    article: Article
    claims: tuple[Claim, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {"article": self.article.to_json(), "claims": [c.to_json() for c in self.claims]}

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ClaimRecord:
        return cls(
            article=Article.from_json(d["article"]),
            claims=tuple(Claim.from_json(c) for c in d.get("claims", [])),
        )

    @classmethod
    def loads(cls, s: str) -> ClaimRecord:
        return cls.from_json(json.loads(s))
