"""The attribution found in a text before chains are built: one cue, its sources, its contents.

Offsets are character offsets into the text that was analysed (``doc.text``,
which is ``article.text``). Both the trained tagger and the rules produce these;
``chains`` nests them into the hops of each claim.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Offsets = list[tuple[int, int]]


@dataclass
class Attribution:
    cue: Offsets
    sources: Offsets = field(default_factory=list)
    contents: Offsets = field(default_factory=list)
    #: who found it: "tagger" or "rules"
    origin: str = "rules"
    #: whether the content is a direct quote
    direct_quote: bool = False

    @property
    def cue_start(self) -> int:
        return self.cue[0][0]
