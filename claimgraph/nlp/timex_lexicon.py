"""The words of time expressions: months, weekdays, numbers, units, modifiers, holidays.

Each table maps the lower-cased word to what it means; the ``*_RE`` strings are
regular-expression alternations built from them, longest first, for the patterns
in :mod:`claimgraph.nlp.timespans`.
"""

from __future__ import annotations

import re

from claimgraph.nlp.quantity_lexicon import SMALL
from claimgraph.nlp.quantity_lexicon import TENS as _TENS

MONTHS: dict[str, int] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
#: abbreviations that are also ordinary words or names unless a number follows them
AMBIGUOUS_MONTHS = {"may", "mar", "jan", "jun", "jul", "sep", "dec", "march", "august"}

WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}

# the number words are the quantities' (one table for both)
ONES: dict[str, int] = dict(SMALL)
TENS: dict[str, int] = dict(_TENS)
ORDINALS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
}
#: words that count but say not how many: the value gets an X ("PXY")
VAGUE_COUNTS = {"a few", "few", "several", "many", "a number of", "numerous", "some", "the"}

#: unit word (singular) → TIMEX3 duration code; S/MIN/H go after the T
UNITS: dict[str, str] = {
    "second": "S",
    "sec": "S",
    "minute": "MIN",
    "min": "MIN",
    "hour": "H",
    "hr": "H",
    "day": "D",
    "night": "D",
    "week": "W",
    "fortnight": "FN",
    "month": "M",
    "quarter": "Q",
    "year": "Y",
    "yr": "Y",
    "decade": "DE",
    "century": "CE",
    "centurie": "CE",
    "millennium": "MI",
    "millennia": "MI",
    "weekend": "WE",
}

#: modifiers a duration keeps in its extent; True where they make it approximate
DURATION_MODS: dict[str, bool] = {
    "about": True,
    "around": True,
    "approximately": True,
    "roughly": True,
    "nearly": True,
    "almost": True,
    "some": True,
    "more than": True,
    "over": True,
    "less than": True,
    "under": True,
    "at least": True,
    "at most": True,
    "up to": True,
    "no more than": True,
    "no less than": True,
    "not more than": True,
    "close to": True,
    "upwards of": True,
    "well over": True,
    "just over": True,
    "just under": True,
    "a little over": True,
    "a little more than": True,
    "little more than": True,
    "an estimated": True,
    "as many as": True,
    "as long as": True,
    "as much as": True,
    "as little as": True,
    "fewer than": True,
    "in excess of": True,
    "the better part of": True,
    "the best part of": True,
    "an additional": False,
    "another": False,
    "just": False,
    "only": False,
    "fully": False,
    "a full": False,
    "full": False,
    "barely": True,
    "nigh on": True,
    "almost exactly": False,
    "exactly": False,
    "precisely": False,
}

PARTS_OF_DAY: dict[str, str] = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "overnight": "NI",
    "midday": "MI",
    "mid-afternoon": "AF",
    "mid afternoon": "AF",
    "mid-morning": "MO",
}

#: fixed-date holidays: (month, day)
FIXED_HOLIDAYS: dict[str, tuple[int, int]] = {
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
    "valentine's day": (2, 14),
    "independence day": (7, 4),
    "halloween": (10, 31),
    "veterans day": (11, 11),
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "christmas": (12, 25),
    "boxing day": (12, 26),
    "st. patrick's day": (3, 17),
    "may day": (5, 1),
    "bastille day": (7, 14),
    "armistice day": (11, 11),
}
#: holidays on the n-th weekday of a month: (month, weekday, n), n = -1 for the last
FLOATING_HOLIDAYS: dict[str, tuple[int, int, int]] = {
    "thanksgiving day": (11, 3, 4),
    "thanksgiving": (11, 3, 4),
    "labor day": (9, 0, 1),
    "memorial day": (5, 0, -1),
    "martin luther king day": (1, 0, 3),
    "presidents day": (2, 0, 3),
    "presidents' day": (2, 0, 3),
    "mother's day": (5, 6, 2),
    "father's day": (6, 6, 3),
    "columbus day": (10, 0, 2),
}


def alternation(words: list[str] | set[str] | dict[str, object]) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any whitespace."""
    ordered = sorted(words, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def _title_and_upper(words: list[str]) -> list[str]:
    return [w.capitalize() for w in words] + [w.upper() for w in words]


_FULL_MONTHS = [m for m in MONTHS if len(m) > 4 or m in ("may", "june", "july")]
_ABBR_MONTHS = [m for m in MONTHS if m not in _FULL_MONTHS]
#: a month name as written: a full name, or an abbreviation with its period ("Sept.", "Jan.", "Jan")
MONTH_NAMES_RE = (
    rf"(?:(?:{alternation(_title_and_upper(_ABBR_MONTHS))})(?:\.(?!\w)|\b(?!\.))|"
    rf"(?:{alternation(_title_and_upper(_FULL_MONTHS))})\b)"
)
WEEKDAY_RE = alternation(_title_and_upper(list(WEEKDAYS)))
_NUM_SIMPLE = alternation(list(ONES))
_NUM_TENS = alternation(list(TENS))
NUM_WORD_RE = (
    rf"(?:(?:{_NUM_TENS})(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine)\b)?|(?:{_NUM_SIMPLE}))"
    rf"(?:\s+(?:hundred|thousand))?"
)
ORDINAL_RE = alternation(list(ORDINALS))
MOD_RE = alternation(list(DURATION_MODS))
UNIT_RE = (
    r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|fortnights?|months?|quarters?|"
    r"years?|yrs?|decades?|century|centuries|millennium|millennia|weekends?)"
)
HOLIDAY_RE = alternation([h.title() for h in list(FIXED_HOLIDAYS) + list(FLOATING_HOLIDAYS)])


def number_value(text: str) -> float | None:
    """The number a count phrase says: "two" → 2, "2 1/2" → 2.5, "a couple of" → 2, "several" → None.

    RETURNS (float | None): the number, or None when the phrase does not say (vague counts).
    Raises ValueError when ``text`` is not a count at all.
    """
    t = re.sub(r"\s+", " ", text.strip().lower().replace("-", " "))
    half = 0.0
    if t.endswith(" and a half"):
        t, half = t[: -len(" and a half")], 0.5
    elif t.endswith(" 1/2") or t.endswith("½"):
        t, half = t.replace("½", "").replace(" 1/2", "").strip(), 0.5
    if t in VAGUE_COUNTS:
        return None
    if t in ("a", "an", "one", "a single", "single"):
        return 1 + half
    if t in ("a couple of", "a couple", "couple of", "couple", "a pair of"):
        return 2 + half
    if t in ("half a", "half an", "a half", "half"):
        return 0.5
    if t in ("a dozen", "dozen"):
        return 12
    if t in ("a hundred", "one hundred", "hundred"):
        return 100 + half
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t) + half
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", t):
        return float(t.replace(",", "")) + half
    words = t.split()
    total = 0
    current = 0
    for w in words:
        if w in ONES:
            current += ONES[w]
        elif w in TENS:
            current += TENS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w == "thousand":
            total += max(current, 1) * 1000
            current = 0
        elif w == "and":
            continue
        else:
            raise ValueError(f"not a number: {text!r}")
    return float(total + current) + half
