"""The cue lexicon: which words mark an attribution, and of what kind.

Read once from ``data/cues.json`` (shipped in the package); the rules ask it
whether a lemma is a cue and what kind of cue it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_DATA = Path(__file__).parent / "data" / "cues.json"

#: kinds, in the order a lemma is looked up (the first that lists it wins)
_KIND_ORDER = ("deny", "confirm", "report", "attitude", "belief", "speech")
_KIND_NAMES = {"speech": "speech", "report": "report", "confirm": "confirm", "deny": "deny"}


@dataclass(frozen=True)
class Lexicon:
    kinds: dict[str, str]
    phrases: dict[str, str]
    media_words: frozenset[str]
    #: lemmas of telling (listed as speech, report, confirm or deny), whatever kind they look up as
    told: frozenset[str] = frozenset()

    def kind(self, lemma: str) -> str | None:
        """The cue kind of a verb lemma, or None if it is not a cue."""
        return self.kinds.get(lemma.lower())

    def is_state_of_mind(self, lemma: str) -> bool:
        """Whether a cue lemma only names a belief or an attitude ("think", "want"), never a telling
        ("insist" and "estimate" are both)."""
        low = lemma.lower()
        return self.kinds.get(low) in {"belief", "attitude"} and low not in self.told

    def is_media_name(self, text: str) -> bool:
        """Whether a name looks like a news outlet ("The New York Times", "NYT", "Reuters")."""
        words = text.lower().replace("“", "").replace("”", "").replace('"', "").strip().split()
        if not words:
            return False
        joined = " ".join(words)
        if joined in self.media_words:
            return True
        return any(w in self.media_words for w in words[-2:]) or words[-1] in self.media_words


@cache
def lexicon(path: Path = _DATA) -> Lexicon:
    data = json.loads(path.read_text(encoding="utf-8"))
    kinds: dict[str, str] = {}
    for kind in _KIND_ORDER:
        for lemma in data.get(kind, []):
            kinds.setdefault(lemma, kind)
    return Lexicon(
        kinds=kinds,
        phrases=dict(data.get("phrases", {})),
        media_words=frozenset(w.lower() for w in data.get("media_words", [])),
        told=frozenset(w for k in ("speech", "report", "confirm", "deny") for w in data.get(k, [])),
    )
