"""Words and units the quantity rules read: the unit lexicon (``data/units.json``) and word lists.

Kept apart from the rules so that what the rules know is easy to read and extend.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).with_name("data") / "units.json"


@dataclass(frozen=True)
class Unit:
    key: str
    name: str
    dim: str


@dataclass(frozen=True)
class UnitLexicon:
    units: dict[str, Unit]
    #: surfaces written after a number: case-sensitive and case-insensitive matchers
    after_cs: re.Pattern[str]
    after_ci: re.Pattern[str]
    surface_cs: dict[str, str]
    surface_ci: dict[str, str]
    #: currency symbols and codes written before a number
    before: re.Pattern[str]
    prefix: dict[str, str]

    def match_after(self, text: str, pos: int) -> tuple[str, int] | None:
        """The unit written at ``pos`` (after a number): (key, end offset), longest first."""
        best: tuple[str, int] | None = None
        for rx, table, fold in (
            (self.after_cs, self.surface_cs, False),
            (self.after_ci, self.surface_ci, True),
        ):
            m = rx.match(text, pos)
            if m:
                surface = _squash(m.group(0))
                key = table.get(surface.lower() if fold else surface)
                if key is not None and (best is None or m.end() > best[1]):
                    best = (key, m.end())
        return best

    def match_before(self, text: str, end: int) -> tuple[str, int] | None:
        """The currency written right before ``end`` (the number's start): (key, start offset)."""
        window_start = max(0, end - 14)
        m = self.before.search(text, window_start, end)
        if not m:
            return None
        start = m.start()
        if start > 0 and text[start - 1].isalpha() and m.group(1)[0].isalpha():
            return None
        return self.prefix[_squash(m.group(1))], start


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip())


def _case_sensitive(surface: str) -> bool:
    letters = [c for c in surface if c.isalpha()]
    return len(surface) <= 2 or (bool(letters) and any(c.isupper() for c in letters))


def _pattern(surfaces: list[str], flags: int = 0) -> re.Pattern[str]:
    parts = []
    for s in sorted(set(surfaces), key=len, reverse=True):
        p = r"\s*".join(re.escape(w) for w in s.split(" ")) if " " in s else re.escape(s)
        parts.append(p)
    # a unit ends where a word ends: "m" is not the start of "made"
    return re.compile(r"(?:" + "|".join(parts) + r")(?![^\W_])", flags)


@lru_cache(maxsize=1)
def units() -> UnitLexicon:
    """The unit lexicon, read once."""
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    table: dict[str, Unit] = {}
    cs: dict[str, str] = {}
    ci: dict[str, str] = {}
    prefix: dict[str, str] = {}
    for entry in data["units"]:
        unit = Unit(entry["key"], entry["name"], entry["dim"])
        table[unit.key] = unit
        for s in entry.get("surfaces", []):
            if _case_sensitive(s):
                cs.setdefault(s, unit.key)
            else:
                ci.setdefault(s.lower(), unit.key)
        for s in entry.get("prefix", []):
            prefix.setdefault(s, unit.key)
    before = re.compile(
        r"(" + "|".join(re.escape(p) for p in sorted(prefix, key=len, reverse=True)) + r")\s?[-−+]?$"
    )
    return UnitLexicon(
        units=table,
        after_cs=_pattern(list(cs)),
        after_ci=_pattern(list(ci), re.IGNORECASE),
        surface_cs=cs,
        surface_ci=ci,
        before=before,
        prefix=prefix,
    )


def unit_name(key: str | None) -> str | None:
    """The normalized name of a unit key ("USD" is "dollar", "km/h" is "kilometre per hour").

    A compound key "A/B" (from "$ per barrel") is named "name(A) per name(B)"; a key the
    lexicon does not know is returned as it is.
    """
    if key is None:
        return None
    table = units().units
    if key in table:
        return table[key].name
    if "/" in key:
        num, den = key.split("/", 1)
        return f"{unit_name(num)} per {unit_name(den)}"
    return key


def unit_dimension(key: str | None) -> str | None:
    """What a unit key measures ("currency", "length", "time", "ratio", ...); None when unknown."""
    if key is None:
        return None
    table = units().units
    if key in table:
        return table[key].dim
    if "/" in key:
        return "rate"
    return None


# ---------------------------------------------------------------- number words

SMALL = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
#: scale suffixes written after digits: "$40bn", "4.3M", "$13.6m", "20k"
SCALE_SUFFIX = {
    "bn": 1e9,
    "b": 1e9,
    "B": 1e9,
    "bln": 1e9,
    "mn": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "M": 1e6,
    "k": 1e3,
    "K": 1e3,
    "tn": 1e12,
    "trn": 1e12,
    "tr": 1e12,
}
#: "dozens", "hundreds", "tens of thousands": a range from the unit to ten times it
VAGUE = {
    "dozens": 12.0,
    "hundreds": 100.0,
    "thousands": 1e3,
    "millions": 1e6,
    "billions": 1e9,
    "trillions": 1e12,
}
FRACTIONS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "seventh": 7,
    "sevenths": 7,
    "eighth": 8,
    "eighths": 8,
    "ninth": 9,
    "ninths": 9,
    "tenth": 10,
    "tenths": 10,
}
#: words that make a change by a factor: "halved" is 0.5
MULTIPLIER_VERBS = {
    "halved": 0.5,
    "halving": 0.5,
    "doubled": 2.0,
    "doubling": 2.0,
    "tripled": 3.0,
    "tripling": 3.0,
    "trebled": 3.0,
    "trebling": 3.0,
    "quadrupled": 4.0,
    "quadrupling": 4.0,
}

# ---------------------------------------------------------------- modifiers (lower case, as written)

APPROXIMATE = (
    "about",
    "approximately",
    "approx.",
    "approx",
    "around",
    "roughly",
    "nearly",
    "almost",
    "some",
    "close to",
    "an estimated",
    "estimated",
    "circa",
    "ca.",
    "c.",
    "~",
    "≈",
    "barely",
    "or so",
    "give or take",
    "in the region of",
    "somewhere around",
    "more or less",
    "an approximate",
    "roughly about",
    "just about",
)
LOWER_BOUND = (
    "more than",
    "over",
    "at least",
    "above",
    "exceeding",
    "exceeded",
    "exceeds",
    "topped",
    "surpassed",
    "in excess of",
    "upwards of",
    "upward of",
    "greater than",
    "well over",
    "just over",
    "no fewer than",
    "no less than",
    "not less than",
    "north of",
    "over than",
    "a minimum of",
    "a little over",
    "a little more than",
    "slightly more than",
    "well above",
    "just above",
    ">",
    "≥",
    ">=",
)
UPPER_BOUND = (
    "up to",
    "fewer than",
    "less than",
    "under",
    "below",
    "at most",
    "no more than",
    "not more than",
    "a maximum of",
    "just under",
    "just below",
    "well under",
    "well below",
    "a little under",
    "a little less than",
    "slightly less than",
    "as much as",
    "sub",
    "<",
    "≤",
    "<=",
)
LOWER_BOUND_AFTER = ("or more", "and more", "and over", "and above", "or higher", "plus", "+", "-plus")
UPPER_BOUND_AFTER = ("or less", "or fewer", "and under", "and below", "or lower", "at most", "at the most")
APPROXIMATE_AFTER = ("or so", "-odd", "odd", "and change", "or thereabouts")

UP_WORDS = frozenset(
    """up rise rises rose risen rising climb climbs climbed climbing gain gains gained gaining jump jumps
    jumped jumping soar soars soared soaring surge surges surged surging increase increases increased
    increasing grow grows grew grown growing advance advances advanced advancing add adds added adding rally
    rallies rallied rallying spike spiked spiking leap leaps leapt leaped leaping rebound rebounded
    rebounding boost boosted raise raised raising higher widen widened expand expanded
    upward upwards""".split()
)
DOWN_WORDS = frozenset(
    """down fall falls fell fallen falling drop drops dropped dropping decline declines declined declining
    lose loses lost losing slide slides slid sliding slip slips slipped slipping plunge plunges plunged
    plunging plummet plummets plummeted plummeting tumble tumbles tumbled tumbling sink sinks sank sunk
    sinking decrease decreases decreased decreasing shrink shrinks shrank shrunk shrinking cut cuts cutting
    ease eases eased easing dip dips dipped dipping retreat retreated retreating shed sheds shedding slump
    slumps slumped slumping crash crashed crashing contract contracted contracting lower lowered reduce
    reduced reducing narrow narrowed downward downwards""".split()
)

MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()

#: words before a bare number that make it a name, not an amount ("Game 7", "category 4")
NAME_BEFORE = frozenset(
    """game channel category level stage phase grade class type size number no no. vol volume chapter
    section article part episode season round route highway interstate platform gate room suite unit apt
    apartment floor flight row seat page pages figure fig table item rule paragraph clause amendment
    resolution act bill district ward precinct line lines track tracks pier terminal block lot zone sector
    hall building tower wing division brigade battalion regiment corps army fleet squadron unit version
    release generation gen mark model series windows iphone galaxy pixel ios android covid code sp s&p
    ftse stoxx nasdaq dow nikkei dax cac russell fortune kospi sensex hang seng""".split()
)

STREET_WORDS = frozenset(
    """street st st. road rd rd. avenue ave ave. way lane ln boulevard blvd drive dr place pl court ct
    terrace highway parkway square crescent close""".split()
)

PERSON_NOUNS = frozenset(
    """people persons person individuals soldiers soldier troops troop servicemen servicemembers
    personnel civilians civilian children child kids kid women woman men man adults residents resident
    workers worker employees employee staff fighters fighter militants militant officers officer
    refugees refugee prisoners prisoner migrants migrant patients patient passengers passenger voters
    students student pensioners pensioner inhabitants citizens citizen protesters protestors
    demonstrators detainees hostages hostage mercenaries conscripts recruits volunteers reservists
    servicemen marines sailors pilots police policemen officials journalists doctors nurses teachers
    victims victim survivors casualties americans ukrainians russians koreans israelis palestinians
    britons germans syrians afghans iraqis iranians chinese""".split()
)
#: casualty words after a count of persons, or as its head: the unit they give
CASUALTY = {
    "killed": "persons killed",
    "dead": "persons killed",
    "died": "persons killed",
    "deaths": "persons killed",
    "fatalities": "persons killed",
    "wounded": "persons wounded",
    "injured": "persons wounded",
    "hurt": "persons wounded",
    "injuries": "persons wounded",
    "captured": "persons captured",
    "taken": "persons captured",
    "missing": "persons missing",
    "casualties": "casualties",
    "losses": "casualties",
}
