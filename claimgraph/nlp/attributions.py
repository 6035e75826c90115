"""The attribution found in a text before chains are built: one cue, its sources, its contents.

Offsets are character offsets into the text that was analysed (``doc.text``,
which is ``article.text``). Both the trained tagger and the rules produce these;
``claims`` nests them into the hops of each claim.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Offsets = list[tuple[int, int]]


@dataclass
class HopSpans:
    """A further hop found beside an attribution: "citing officials", "told NYT"."""

    cue: Offsets
    sources: list[Offsets]
    lemma: str = ""
    kind: str = "report"


@dataclass
class Attribution:
    cue: Offsets
    sources: Offsets = field(default_factory=list)
    contents: Offsets = field(default_factory=list)
    #: who found it: "tagger" or "rules"
    origin: str = "rules"
    #: whether the content is a direct quote
    direct_quote: bool = False
    #: the sources one by one ("American and Ukrainian officials" is two); empty: ``sources`` is one
    source_groups: list[Offsets] = field(default_factory=list)
    cue_lemma: str = ""
    cue_kind: str = "speech"
    #: hops nearer the reporter than this one (the venue: "told Ukrainska Pravda")
    outer: list[HopSpans] = field(default_factory=list)
    #: hops nearer the origin than this one ("citing American officials")
    inner: list[HopSpans] = field(default_factory=list)

    @property
    def cue_start(self) -> int:
        return self.cue[0][0]

    def groups(self) -> list[Offsets]:
        """The sources one by one."""
        if self.source_groups:
            return self.source_groups
        return [self.sources] if self.sources else []
