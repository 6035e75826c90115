"""Where two claims cannot both hold: numbers, polarity, denials.

Numbers: each quantity becomes an interval once its approximation is honoured
("about 11,000" is 11,000 ± 5%; "more than 1,000" is [1,000, ∞)). Two values
of the same quantity (the same thing counted, about the same place, at times
that can overlap) are compatible when their intervals meet; a *tension* when
they meet only with a looser reading (± 15% for approximate figures, ± 5% for
exact ones: reports round); a *conflict* when even that does not reconcile them.
Polarity: the same proposition asserted and negated (both at least probable).
Denial: one source denies what another asserts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimgraph.model import Claim, Quantity

#: head words of what is counted, folded to one name: "troops", "soldiers" and "personnel" count the same
COUNTED_CLASSES = {
    "troops": "troops", "troop": "troops", "soldiers": "troops", "soldier": "troops", "personnel": "troops",
    "servicemen": "troops", "fighters": "troops", "forces": "troops", "men": "troops", "military": "troops",
    "killed": "killed", "dead": "killed", "deaths": "killed", "death": "killed", "fatalities": "killed",
    "wounded": "wounded", "injured": "wounded", "casualties": "casualties", "losses": "casualties",
    "refugees": "refugees", "people": "people", "civilians": "civilians", "shells": "shells",
    "missiles": "missiles", "drones": "drones", "tanks": "tanks", "prisoners": "prisoners",
}  # fmt: skip
TIGHT = {True: 0.05, False: 0.0}
LOOSE = {True: 0.15, False: 0.05}


@dataclass(frozen=True)
class Contradiction:
    kind: str  # "conflict" | "tension" | "polarity" | "denial"
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "reason": self.reason}


def counted_class(q: Quantity) -> str | None:
    """What a quantity counts, folded ("North Korean military personnel" -> "troops")."""
    return fold_counted(q.counted)


def fold_counted(counted: str | None) -> str | None:
    """The head word of a counted thing, folded to one name ("soldiers" and "personnel": troops)."""
    if not counted:
        return None
    words = re.findall(r"[a-z]+", counted.lower())
    for w in reversed(words):
        if w in COUNTED_CLASSES:
            return COUNTED_CLASSES[w]
    return words[-1] if words else None


def quantity_key(claim: Claim, q: Quantity) -> tuple[str, str, frozenset[str]] | None:
    """(thing counted, unit, entities of the claim): the same key means the same quantity."""
    cls = counted_class(q)
    if cls is None or q.change is not None or (q.value is None and q.low is None and q.high is None):
        return None
    if q.unit in {"share", "percent", "%"}:
        return None
    ents = frozenset(e.entity for e in claim.entities if e.entity and e.type in {"GPE", "NORP", "ORG"})
    return cls, q.unit or "", ents


def interval(q: Quantity, slack: float) -> tuple[float, float]:
    lo = q.low if q.low is not None else q.value
    hi = q.high if q.high is not None else q.value
    if lo is None and hi is None:
        return (float("-inf"), float("inf"))
    if lo is None:
        lo = float("-inf")
    if hi is None:
        hi = float("inf")
    return (lo * (1 - slack), hi * (1 + slack))


def _meets(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _times_overlap(a: Claim, b: Claim) -> bool:
    ta = [(t.start, t.end) for t in a.times if t.kind == "date" and t.start and t.end]
    tb = [(t.start, t.end) for t in b.times if t.kind == "date" and t.start and t.end]
    if not ta or not tb:
        return True
    return any(s1 <= e2 and s2 <= e1 for s1, e1 in ta for s2, e2 in tb)  # type: ignore[operator]


def _show(q: Quantity) -> str:
    return f"“{q.text}”"


def compare_numbers(a: Claim, b: Claim) -> list[Contradiction]:
    """Tensions and conflicts between the values two claims give for the same quantity."""
    out: list[Contradiction] = []
    if not _times_overlap(a, b):
        return out
    for qa in a.quantities:
        ka = quantity_key(a, qa)
        if ka is None:
            continue
        for qb in b.quantities:
            kb = quantity_key(b, qb)
            if kb is None or kb[:2] != ka[:2] or not (ka[2] & kb[2] or not ka[2] or not kb[2]):
                continue
            if _meets(interval(qa, TIGHT[qa.approximate]), interval(qb, TIGHT[qb.approximate])):
                continue
            loose = _meets(interval(qa, LOOSE[qa.approximate]), interval(qb, LOOSE[qb.approximate]))
            what = ka[0]
            if loose:
                reason = (
                    f"{_show(qa)} and {_show(qb)} {what}: they differ by more than "
                    f"{'“about”' if qa.approximate or qb.approximate else 'rounding'} allows, "
                    "but not by much"
                )
                out.append(Contradiction("tension", reason))
            else:
                out.append(Contradiction("conflict", f"{_show(qa)} and {_show(qb)} {what} cannot both hold"))
    return out


def _denies(c: Claim) -> bool:
    return any(h.cue is not None and h.cue.kind == "deny" for h in c.chain) or any(
        h.cue is not None and h.cue.lemma in {"deny", "reject", "refute", "dismiss"} for h in c.chain
    )


#: how alike two texts must be before opposite polarity reads as one asserting what the other
#: negates ("troops were not seen" and "troops were pulled out" agree, in other words)
POLARITY_SIMILARITY = 0.8


def compare_same_claim(a: Claim, b: Claim, similarity: float) -> list[Contradiction]:
    """Between two claims of one proposition: opposite polarity, or a denial."""
    out: list[Contradiction] = []
    sure = {"certain", "probable"}
    if (
        a.polarity != b.polarity
        and a.certainty in sure
        and b.certainty in sure
        and (similarity >= POLARITY_SIMILARITY or _denies(a) or _denies(b))
    ):
        if _denies(a) or _denies(b):
            denier = a if _denies(a) else b
            out.append(Contradiction("denial", f"“{denier.content.text[:80]}” is denied by its source"))
        else:
            neg, pos = (a, b) if a.polarity == "negative" else (b, a)
            out.append(
                Contradiction(
                    "polarity",
                    f"one report asserts it (“{pos.content.text[:60]}…”), another negates it "
                    f"(“{neg.content.text[:60]}…”)",
                )
            )
    return out
