"""Quantities in news text: numbers with their units, bounds, approximations and changes.

``find_quantities(text, doc=None)`` returns a ``Quantity`` for each amount written in
the text, in text order. It is rule-based and deterministic: a tokenizer of its own
finds the numbers (digits with separators and decimals, scale words and suffixes such
as "1.5 million" and "$40bn", number words, "dozens"/"millions of", fractions and
shares); the words around each number give its currency or unit (the lexicon in
``data/units.json``), its approximation ("about", "nearly"), its bounds ("more than",
"up to", "or more"), whether it is a range ("10,000 to 12,000", "between 5 and 10")
and whether it is a change ("rose 20%", "halved"). A spaCy ``Doc`` of the same text,
when given, tells what a bare number counts (its noun: "about 11,000 North Korean
military personnel"); without one a simpler rule reads the words after the number.

What a Quantity holds
---------------------
* ``value``: the number, when one number is meant (exact, or approximate with
  ``approximate=True``): "about 11,000" is 11000, approximate.
* ``low`` / ``high``: the bounds, when an interval is meant; ``value`` is then None.
  "more than 1,000" has only ``low``; "up to 400" only ``high``; "10,000 to 12,000"
  both; "millions of" is ``low=1e6, high=1e7`` ("dozens" 12 to 120, "tens of thousands"
  10,000 to 100,000).
* ``unit``: a key of the unit lexicon: an ISO code for money ("USD", "EUR", "GBP",
  "UAH", "RUB"), a symbol for a measure ("%", "km", "mi", "km2", "t", "km/h"), "A/B"
  for a rate ("USD/bbl" from "$58 per barrel"); "persons" for a count of people, and a
  casualty unit ("persons killed", "persons wounded", "persons captured", "persons
  missing", "casualties") where the text says so; "share" for a fraction of a whole
  ("about half of the ammunition" is 0.5 share, "4 in 10" 0.4 share); "year of age"
  for ages ("Maddon, 66,", "a 24-year-old"); None for a count of things.
* ``counted``: the noun phrase a count counts, as written ("artillery shells").
* ``change``: a factor of change: "halved" 0.5, "doubled" 2, "rose 20%" 1.2, "fell by
  a third" 2/3. A change "from 208 to 193" is the range 193..208 with change 193/208,
  so the direction of the change is kept.

Not quantities: years ("in 2025"), dates ("January 31", "2025.01.31"), times of day,
phone numbers, addresses, ordinals ("the 155th brigade", "third"), numbers inside
names and identifiers ("Game 7", "F-16", "TA-35", "iPhone 11"), sports scores ("2-0").
Durations ("for three weeks") are quantities with a time unit ("week"); callers that
read time spans separately can tell them by ``unit_dimension(q.unit) == "time"``.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from claimgraph.model import Quantity
from claimgraph.nlp.quantity_lexicon import (
    APPROXIMATE,
    APPROXIMATE_AFTER,
    CASUALTY,
    DOWN_WORDS,
    FRACTIONS,
    LOWER_BOUND,
    LOWER_BOUND_AFTER,
    MONTHS,
    MULTIPLIER_VERBS,
    NAME_BEFORE,
    PERSON_NOUNS,
    SCALE_SUFFIX,
    SCALES,
    SMALL,
    STREET_WORDS,
    TENS,
    UP_WORDS,
    UPPER_BOUND,
    UPPER_BOUND_AFTER,
    VAGUE,
    unit_dimension,
    unit_name,
    units,
)

__all__ = ["direction", "find_quantities", "unit_dimension", "unit_name"]

# ---------------------------------------------------------------- tokens

_SCI = re.compile(r"\s*[×x*]\s*10\s*(?:\^|\*\*)?\s*([-−⁻]?[0-9⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_IN_TEN = re.compile(r"\s+(?:in|out\s+of)\s+(\d{1,2}(?:,?\d{3})?)\b(?![.,]\d)")
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_OF_UNIT = re.compile(r"\s+of\s+an?\s+(?:(?:US|U\.S\.|imperial|metric|UK)\s+)?", re.I)
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?|\S")
# read at a position of the whole text (a slice of the rest of it per number made a long text quadratic)
_US_AFTER = re.compile(r"\s*(?:US|U\.S\.)(?![\w])")
_TIMES = re.compile(r"(\s+times\b|x\b)")
_UNIT_GAP = re.compile(r"[ \u00a0]?-?[ \u00a0]?")
_UNIT_SYSTEM = re.compile(r"(?:US|U\.S\.|imperial|metric|UK)\s+")
_PER = re.compile(r"(\s*(?:per|a|an|each|every)\s+|\s*/\s*|-a-|-per-)", re.I)
_PER_THEN = re.compile(r"\s+(?:earlier|ago|later|before|after|prior|on)\b")
_PER_WORD = re.compile(r"(share|head|person|capita|ounce|barrel|gallon|unit|tonne|ton)\b", re.I)
_HYPHEN_WORD = re.compile(r"-([A-Za-z]+)\s+(\S)")
_OF_WORDS = re.compile(r"\s+of\s+(?:the\s+|a\s+|an\s+|their\s+|its\s+)?((?:[\w-]+\s+){0,3}[\w-]+)")
_NEXT_WORDS = re.compile(r"\s+((?:[\w'’-]+\s+){0,3}[\w'’-]+)")
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_digits(self) -> bool:
        return self.text[0].isdigit()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()


def _tokenize(text: str) -> list[_Tok]:
    return [_Tok(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]


# ---------------------------------------------------------------- spans that are never amounts

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_BLOCKED = [
    # dates: "January 31", "Feb. 21, 2019", "31 January 2025", "2025.01.31", "31/01/2025"
    re.compile(_MONTH + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4}\b)?"),
    re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"\b\.?(?:,?\s+\d{4}\b)?"),
    re.compile(r"\b\d{4}[-./]\d{1,2}[-./]\d{1,2}\b"),
    re.compile(r"\b\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\b"),
    # times of day: "10:27 PM", "5am", "10.45pm", "2:55 p.m."
    re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[aApP]\.?[mM]\.?)?"),
    re.compile(r"\b\d{1,2}(?:[.:]\d{2})?\s*[aApP]\.?[mM]\b\.?"),
    # phone numbers
    re.compile(r"\+\d{1,3}[\s-]?(?:\(\d{1,4}\)[\s-]?)?\d{2,4}(?:[\s-]\d{2,4}){1,3}"),
    re.compile(r"\(\d{2,4}\)\s?\d{3,4}[\s-]\d{3,4}"),
    re.compile(r"\b\d{3}-\d{3}-\d{4}\b"),
    # links, e-mail, hashtags
    re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|#\w+"),
    # addresses: "575 Wilbraham Road", "9 E 71st St", "16-18 Industrial Avenue"
    re.compile(
        r"\b\d+[A-Za-z]?(?:-\d+)?\s+(?:[A-Z0-9][\w.]*\s+){0,3}"
        r"(?:Street|St|Road|Rd|Avenue|Ave|Way|Lane|Boulevard|Blvd|Drive|Place|Court|Terrace|Parkway)\b"
    ),
    # heights in feet and inches: 6'3"
    re.compile(r"\b\d{1,2}['’′]\s?\d{1,2}(?:[\"”″]|''|\b)"),
    # versions and dotted identifiers: "v1.2.3", "192.168.0.1"
    re.compile(r"\b\d+(?:\.\d+){2,}\b"),
]


def _blocked(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for rx in _BLOCKED:
        spans.extend(m.span() for m in rx.finditer(text))
    return sorted(spans)


def _skip_space(text: str, i: int) -> int:
    """Where ``text[i:].lstrip()`` begins, without copying the rest of the text."""
    while i < len(text) and text[i].isspace():
        i += 1
    return i


class _Blocked:
    """Whether a range overlaps one of some spans, by bisection on their starts with the
    furthest end reached so far (a scan of all of them per number made a long text quadratic)."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.reach = list(itertools.accumulate((e for _, e in ordered), max))

    def __call__(self, start: int, end: int) -> bool:
        """Whether some span ``(s, e)`` has ``s < end`` and ``start < e``."""
        k = bisect_left(self.starts, end)
        return k > 0 and self.reach[k - 1] > start


# ---------------------------------------------------------------- modifiers


def _phrase_rx(phrases: Sequence[str], *, before: bool) -> re.Pattern[str]:
    alts = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    if before:
        return re.compile(r"(?:^|(?<=[\s(\[\"“'‘]))(" + alts + r")\s*$", re.IGNORECASE)
    return re.compile(r"\s*(" + alts + r")(?![^\W_])", re.IGNORECASE)


_MOD_BEFORE = [
    ("low", _phrase_rx(LOWER_BOUND, before=True)),
    ("high", _phrase_rx(UPPER_BOUND, before=True)),
    ("approx", _phrase_rx(APPROXIMATE, before=True)),
]
_MOD_AFTER = [
    ("low", _phrase_rx(LOWER_BOUND_AFTER, before=False)),
    ("high", _phrase_rx(UPPER_BOUND_AFTER, before=False)),
    ("approx", _phrase_rx(APPROXIMATE_AFTER, before=False)),
]
_FILLER_BEFORE = re.compile(
    r"(?:^|(?<=\s))(by|a further|another|an additional|by a further|by another)\s*$", re.I
)
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\s*$")
_YEAR_PREP = frozenset(
    "in since of by from until till to before after during early late mid around circa between and the "
    "year years summer winter spring autumn fall season end start beginning".split()
)
_FUNCTION = frozenset(
    """the a an of in on at to for from with by and or as is was were are be been being has have had will
    would could should may might can that which who whom whose this these those it its their his her our
    your my per than then more less over under between about after before since during into onto upon out
    up down off so such not no nor only just also very each every all any both either neither other same
    last next ago later earlier there here when where while what how why if but yet because though
    they them we us you he she him i me""".split()
)
_CASUALTY_VERBS = {
    "killed": "persons killed",
    "killing": "persons killed",
    "kill": "persons killed",
    "kills": "persons killed",
    "wounded": "persons wounded",
    "wounding": "persons wounded",
    "injured": "persons wounded",
    "injuring": "persons wounded",
    "captured": "persons captured",
    "capturing": "persons captured",
}
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ians|ans|ese|is|ers|ites)$")
_SUPERLATIVE = re.compile(r"^(?:most|least|best|worst|[a-z]+est)$", re.I)


# ---------------------------------------------------------------- one mention


@dataclass
class _Core:
    """The number itself: where it is written and what it is worth."""

    first: int  # token index
    last: int  # token index, inclusive
    value: float | None = None
    low: float | None = None
    high: float | None = None
    kind: str = "digits"  # digits | words | vague | fraction
    scaled: bool = False
    raw: float | None = None  # the digits before a scale word


@dataclass
class _Mention:
    start: int
    end: int
    value: float | None = None
    low: float | None = None
    high: float | None = None
    approximate: bool = False
    unit: str | None = None
    counted: str | None = None
    change: float | None = None
    direction: str | None = None
    bound: str | None = None
    direction_start: int | None = None
    direction_word: str | None = None
    number_end: int = 0
    tokens: list[int] = field(default_factory=list)


class _Reader:
    def __init__(self, text: str, doc: Any | None) -> None:
        self.text = text
        self.toks = _tokenize(text)
        self.blocked = _blocked(text)
        self.is_blocked = _Blocked(self.blocked)
        self.lex = units()
        self.doc = doc
        self._counted_cache: dict[tuple[int, int, int], str | None] = {}
        self._by_char: dict[int, Any] = {}
        if doc is not None and getattr(doc, "text", None) == text:
            for t in doc:
                for c in range(t.idx, t.idx + len(t.text)):
                    self._by_char[c] = t
        else:
            self.doc = None

    # ---------------------------------------------------------- helpers

    def tok(self, i: int) -> _Tok | None:
        return self.toks[i] if 0 <= i < len(self.toks) else None

    def adjacent(self, i: int, j: int) -> bool:
        a, b = self.tok(i), self.tok(j)
        return a is not None and b is not None and a.end == b.start

    def index_at(self, char: int) -> int:
        """The index of the first token that starts at or after ``char``."""
        lo, hi = 0, len(self.toks)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.toks[mid].start < char:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def spacy_at(self, char: int) -> Any | None:
        return self._by_char.get(char)

    # ---------------------------------------------------------- numbers

    def core(self, i: int) -> _Core | None:
        t = self.toks[i]
        if t.is_digits:
            return self._digits(i)
        if t.text == "." and self.adjacent(i, i + 1) and self.toks[i + 1].is_digits:
            prev = self.tok(i - 1)
            if prev is None or prev.end < t.start:
                nxt = self.toks[i + 1]
                if re.fullmatch(r"\d+", nxt.text):
                    return _Core(i, i + 1, value=float("0." + nxt.text))
            return None
        if t.is_word:
            return self._words(i)
        return None

    def _digits(self, i: int) -> _Core | None:
        t = self.toks[i]
        if not _NUMBER.fullmatch(t.text):
            return None
        value = float(t.text.replace(",", ""))
        core = _Core(i, i, value=value, raw=value)
        # fractions written with digits: "1/16", "1⁄32"
        if (
            self.tok(i + 1) is not None
            and self.toks[i + 1].text in ("/", "⁄")
            and self.adjacent(i, i + 1)
            and self.adjacent(i + 1, i + 2)
            and self.toks[i + 2].is_digits
            and "." not in t.text
        ):
            den = float(self.toks[i + 2].text.replace(",", ""))
            after = self.tok(i + 3)
            if 0 < value < den <= 1000 and not (after is not None and after.text in ("/", "⁄")):
                return _Core(i, i + 2, value=value / den, kind="fraction", raw=value / den)
            return None
        ratio = _IN_TEN.match(self.text, t.end)
        if ratio and value.is_integer():
            den = float(ratio.group(1).replace(",", ""))
            if 1 <= value < den and (den <= 100 or den in (1000.0, 10000.0)):
                return _Core(i, self.index_at(ratio.end()) - 1, value=value / den, kind="fraction")
        sci = _SCI.match(self.text, t.end)
        if sci:
            exp = sci.group(1).translate(_SUPERSCRIPT).replace("−", "-")
            try:
                value *= 10.0 ** int(exp)
            except ValueError:
                return None
            last = self.index_at(sci.end()) - 1
            return _Core(i, last, value=value, raw=value, scaled=True)
        return self._scale(core)

    def _scale(self, core: _Core) -> _Core:
        """Scale words and suffixes after digits: "1.5 million", "4 hundred million", "$40bn"."""
        j = core.last + 1
        nxt = self.tok(j)
        if nxt is None or core.value is None:
            return core
        if nxt.text in SCALE_SUFFIX and self._suffix_scale_ok(core, j):
            core.value *= SCALE_SUFFIX[nxt.text]
            core.last = j
            core.scaled = True
            return core
        factor = 1.0
        k = j
        while (w := self.tok(k)) is not None and w.lower in SCALES:
            factor *= SCALES[w.lower]
            k += 1
        if k > j:
            core.value *= factor
            core.last = k - 1
            core.scaled = True
        return core

    def _suffix_scale_ok(self, core: _Core, j: int) -> bool:
        nxt = self.toks[j]
        spaced = not self.adjacent(core.last, j)
        after = self.tok(j + 1)
        if after is not None and self.adjacent(j, j + 1) and (after.is_word or after.is_digits):
            return False  # "5G", "3Mbps"
        if nxt.text in ("m", "b", "k", "K", "B"):
            # "$13.6m" is millions; "37m" is metres; "16 billion b" is bits
            if spaced:
                return False
            if nxt.text == "m":
                return self.lex.match_before(self.text, self._sign_start(core.first)) is not None
            if nxt.text in ("b", "B"):
                return self.lex.match_before(self.text, self._sign_start(core.first)) is not None
            return True
        if nxt.text == "M":
            return not spaced
        return True

    def _words(self, i: int) -> _Core | None:
        t = self.toks[i]
        low = t.lower
        # "tens of thousands", "hundreds of millions"
        if low in ("tens", "hundreds") and self._lower(i + 1) == "of" and self._lower(i + 2) in VAGUE:
            base = VAGUE[self._lower(i + 2) or ""] * (10 if low == "tens" else 100)
            return _Core(i, i + 2, low=base, high=base * 10, kind="vague")
        if low in VAGUE and (t.text[0].islower() or i == 0 or t.text.istitle()):
            if low == "dozens" or self._lower(i + 1) == "of" or self._lower(i - 1) in _VAGUE_BEFORE:
                base = VAGUE[low]
                return _Core(i, i, low=base, high=base * 10, kind="vague")
            return None
        # fractions in words: "half", "a third", "two-thirds", "three quarters"
        frac = self._fraction(i)
        if frac is not None:
            return frac
        if low in SCALES or low == "dozen":
            return None  # "a baker's dozen", "several hundred": no number before the scale word
        if low not in SMALL and low not in TENS:
            if not (low in ("a", "an") and (self._lower(i + 1) in SCALES or self._lower(i + 1) == "dozen")):
                return None
        return self._word_number(i)

    def _lower(self, i: int) -> str | None:
        t = self.tok(i)
        return t.lower if t is not None else None

    def _word_number(self, i: int) -> _Core | None:
        total = 0.0
        current = 0.0
        last = -1
        k = i
        seen = False
        while (t := self.tok(k)) is not None:
            w = t.lower
            if w in ("a", "an") and k == i:
                current = 1.0
                k += 1
                continue
            if w in SMALL:
                if seen and (current % 100 >= 20 and current % 10 == 0 and w != "zero" and SMALL[w] < 10):
                    current += SMALL[w]
                elif seen and current and current % 100 == 0 and SMALL[w] < 100:
                    current += SMALL[w]
                elif seen:
                    break
                else:
                    current = float(SMALL[w])
            elif w in TENS:
                if seen and current % 100 != 0:
                    break
                current += TENS[w]
            elif w == "hundred":
                current = (current or 1.0) * 100
            elif w in SCALES:
                total += (current or 1.0) * SCALES[w]
                current = 0.0
            elif w == "dozen":
                current = (current or 1.0) * 12
            elif w in ("-", "and") and seen:
                nxt = self._lower(k + 1)
                if nxt in SMALL or nxt in TENS or (w == "-" and nxt == "and"):
                    if w == "-" and not (self.adjacent(k - 1, k) and self.adjacent(k, k + 1)):
                        break
                    k += 1
                    continue
                break
            else:
                break
            seen = True
            last = k
            k += 1
        if not seen or last < 0:
            return None
        value = total + current
        core = _Core(i, last, value=value, kind="words", raw=value)
        # "one and a half", "two and a half million"
        if (
            self._lower(last + 1) == "and"
            and self._lower(last + 2) == "a"
            and self._lower(last + 3) == "half"
        ):
            core.value = value + 0.5
            core.last = last + 3
            k = last + 4
            while (w2 := self._lower(k)) in SCALES:
                core.value *= SCALES[w2 or ""]
                core.last = k
                k += 1
        return core

    def _fraction(self, i: int) -> _Core | None:
        t = self.toks[i]
        low = t.lower
        # "half", "half a million"
        if low == "half":
            prev = self._lower(i - 1)
            if prev in _HALF_NOT:
                return None
            if self._lower(i + 1) in ("a", "an") and self._lower(i + 2) in SCALES:
                return _Core(i, i + 2, value=0.5 * SCALES[self._lower(i + 2) or ""], kind="words")
            if self._lower(i + 1) == "of" or prev in _HALF_BEFORE:
                return _Core(i, i, value=0.5, kind="fraction")
            return None
        # "a third", "one-third", "two-thirds", "three quarters"
        num: float | None = None
        if low in ("a", "an", "one"):
            num = 1.0
        elif low in SMALL:
            num = float(SMALL[low])
        if num is None:
            return None
        k = i + 1
        if self._lower(k) == "-" and self.adjacent(i, k):
            k += 1
        den_word = self._lower(k)
        if den_word in FRACTIONS and den_word not in ("half", "halves"):
            den = FRACTIONS[den_word or ""]
            plural = (den_word or "").endswith("s")
            if (num == 1 and plural) or (num > 1 and not plural) or num >= den:
                return None
            # "a third" needs "of" after it or a word of change before it ("fell by a third")
            if low in ("a", "an") and self._lower(k + 1) != "of" and self._lower(i - 1) not in _HALF_BEFORE:
                return None
            return _Core(i, k, value=num / den, kind="fraction")
        # "one out of three", "one in five"
        if self._lower(k) in ("out", "in"):
            kk = k + 2 if self._lower(k) == "out" and self._lower(k + 1) == "of" else k + 1
            if self._lower(k) == "out" and kk == k + 1:
                return None
            den_t = self.tok(kk)
            if den_t is not None:
                den_v = SMALL.get(den_t.lower) or TENS.get(den_t.lower)
                if den_v is None and den_t.is_digits and _NUMBER.fullmatch(den_t.text):
                    den_v = int(float(den_t.text.replace(",", "")))
                if den_v and num < den_v:
                    return _Core(i, kk, value=num / den_v, kind="fraction")
        return None

    # ---------------------------------------------------------- context

    def _sign_start(self, first: int) -> int:
        """Where the number starts, with a sign written right before it ("-5", "+0.2%")."""
        t = self.toks[first]
        prev = self.tok(first - 1)
        if prev is not None and prev.text in ("-", "−", "+") and prev.end == t.start:
            return prev.start
        return t.start

    def mention(self, i: int) -> tuple[_Mention | None, int]:
        """The quantity whose number starts at token ``i``, and the token index to go on from."""
        core = self.core(i)
        if core is None:
            return None, i + 1
        t = self.toks[core.first]
        end_t = self.toks[core.last]
        if self.is_blocked(t.start, end_t.end):
            return None, core.last + 1
        m = _Mention(start=t.start, end=end_t.end, value=core.value, low=core.low, high=core.high)
        m.number_end = end_t.end
        if not self._left(core, m):
            return None, core.last + 1
        j, ok = self._right(core, m)
        if not ok:
            return None, j
        j = self._range(core, m, j)
        if j < 0:
            return None, -1
        if not self._keep(core, m):
            return None, max(j, core.last + 1)
        self._count(core, m)
        self._age(core, m)
        self._finish(m)
        return m, max(j, core.last + 1)

    def _left(self, core: _Core, m: _Mention, *, second: bool = False) -> bool:
        """Sign, currency, approximation, bound and direction written before the number."""
        text = self.text
        t = self.toks[core.first]
        prev = self.tok(core.first - 1)
        start = t.start
        if core.kind == "digits" and prev is not None and prev.end == t.start:
            if prev.text in ("-", "−", "+"):
                before = self.tok(core.first - 2)
                if second:
                    pass
                elif before is not None and before.end == prev.start and before.is_word:
                    w = before.lower
                    if w == "minus":
                        m.value = -(m.value or 0.0)
                        start = before.start
                    elif w == "sub":
                        m.bound = "high"
                        start = before.start
                    elif any(c.isupper() for c in before.text) or len(before.text) <= 2 or w in NAME_BEFORE:
                        return False  # "TA-35", "F-16", "COVID-19"
                elif before is not None and before.end == prev.start and before.is_digits:
                    return False  # the second half of "2-0" or "16-18" read elsewhere
                else:
                    spaced = self.tok(core.first - 2)
                    if spaced is not None and spaced.lower == "covid":
                        return False  # "COVID -19"
                    if prev.text == "+":
                        m.direction = "up"
                    else:
                        m.value = -(m.value or 0.0)
                    start = prev.start
            elif prev.is_word or prev.is_digits or prev.text in (".", "#", "№", "/", "⁄", "_", "@"):
                if not (prev.is_word and self.lex.match_before(text, t.start)):
                    return False  # "M21", "X6", "v1.2", "#5"
            elif prev.text == "~":
                m.approximate = True
                start = prev.start
        # "minus 387", "negative 5"
        wb = _WORD_BEFORE.search(text, max(0, start - 12), start)
        if core.kind == "digits" and wb and wb.group(1).lower() in ("minus", "negative"):
            m.value = -(m.value or 0.0)
            start = wb.start(1)
        cur = self.lex.match_before(text, start)
        if cur is not None and core.kind in ("digits", "words"):
            key, cstart = cur
            m.unit = key
            seg = text[cstart:start]
            if "-" in seg or "−" in seg:
                m.value = -(m.value or 0.0)
            start = cstart
        m.start = start
        # approximations and bounds, then a word of change: "rose by about 20%"
        window = text[max(0, start - 40) : start]
        for _ in range(2):
            found = False
            for kind, rx in _MOD_BEFORE:
                mm = rx.search(window)
                if mm:
                    phrase = mm.group(1).lower()
                    if kind == "approx" and phrase == "some" and core.kind not in ("digits", "words"):
                        continue
                    if kind == "high" and phrase == "sub":
                        continue
                    if kind == "approx":
                        m.approximate = True
                    elif m.bound is None:
                        m.bound = kind
                    start -= len(window) - mm.start(1)
                    window = text[max(0, start - 40) : start]
                    found = True
                    break
            if not found:
                break
        m.start = start
        fill = _FILLER_BEFORE.search(window)
        probe = start - (len(window) - fill.start(1)) if fill else start
        wb = _WORD_BEFORE.search(text, max(0, probe - 20), probe)
        if wb:
            w = wb.group(1).lower()
            if w in UP_WORDS or w in DOWN_WORDS:
                if self._is_change_word(wb.start(1), w):
                    m.direction = "up" if w in UP_WORDS else "down"
                    m.direction_start = wb.start(1)
                    m.direction_word = w
            elif w in _CASUALTY_VERBS:
                m.unit = m.unit or _CASUALTY_VERBS[w]
        return True

    def _is_change_word(self, char: int, word: str) -> bool:
        tok = self.spacy_at(char)
        if tok is not None:
            if word in ("up", "down"):
                return tok.pos_ in ("ADV", "ADP", "PART", "ADJ") and not self._phrasal(char)
            return tok.pos_ in ("VERB", "AUX", "ADJ", "ADV") or tok.tag_ in ("VBD", "VBN", "VBZ", "VBG", "VB")
        if word in ("up", "down"):
            return not self._phrasal(char)
        return word not in ("cut", "contract", "raise", "shed", "add", "boost")

    def _phrasal(self, char: int) -> bool:
        """Whether "up"/"down" at ``char`` belongs to a phrasal verb ("gave up", "turned down")."""
        wb = _WORD_BEFORE.search(self.text, max(0, char - 20), char)
        return bool(wb and wb.group(1).lower() in _PHRASAL)

    def _right(self, core: _Core, m: _Mention) -> tuple[int, bool]:
        """Scale, unit, currency, "or more" written after the number; False to drop the number."""
        text = self.text
        j = core.last + 1
        end = self.toks[core.last].end
        nxt = self.tok(j)
        adjacent = nxt is not None and nxt.start == end
        # letters glued to digits are a unit, or the number is part of a name ("9AB8", "96th", "1990s")
        if core.kind == "digits" and adjacent and nxt is not None and nxt.is_word:
            if nxt.lower in ("st", "nd", "rd", "th", "s", "am", "pm"):
                return j + 1, False
        # "$76 US", "$75 U.S."
        if m.unit is not None and self.lex.units.get(m.unit) and self.lex.units[m.unit].dim == "currency":
            mm = _US_AFTER.match(text, end)
            if mm:
                end = mm.end()
        got = self._unit_at(end, core, m)
        if got is not None:
            key, uend = got
            if m.unit is None or self._dim(m.unit) != "currency" or self._dim(key) != "currency":
                if m.unit is not None and self._dim(m.unit) == "currency":
                    # "$58.24 per barrel" keeps the currency; "$5 bn" read above
                    pass
                else:
                    m.unit = key
                    end = uend
            elif key == m.unit:
                end = uend
        elif core.kind == "digits" and adjacent and nxt is not None and nxt.is_word and m.unit is None:
            if nxt.lower not in ("x",):
                return j + 1, False  # "9AB8", "5G"
        # "1/16 of a US pint": a fraction of a unit
        if core.kind == "fraction" and m.unit is None:
            of = _OF_UNIT.match(text, end)
            if of:
                got2 = self.lex.match_after(text, of.end())
                if got2 is not None and self._dim(got2[0]) not in ("currency", "ratio", None):
                    m.unit, end = got2
        # "times": "6.5 times earnings"; "2x"
        if m.unit is None:
            mm = _TIMES.match(text, end)
            if mm and (mm.group(1) != "x" or end == self.toks[core.last].end):
                m.unit = "times"
                end = mm.end()
        # a rate: "per barrel", "a month", "/hr", "per share"
        if m.unit is not None:
            rate = self._per(end, m.unit)
            if rate is not None:
                m.unit, end = rate
        # "or more", "-plus"
        for kind, rx in _MOD_AFTER:
            mm = rx.match(text, end)
            if mm:
                phrase = mm.group(1).lower()
                if phrase in ("+", "-plus", "-odd") and mm.start(1) != end:
                    continue
                if phrase == "odd" and not text[end : mm.start(1)].endswith("-"):
                    continue
                if kind == "approx":
                    m.approximate = True
                elif m.bound is None:
                    m.bound = kind
                end = mm.end()
                if m.unit is None:  # "four-plus months", "20-odd miles"
                    got = self._unit_at(end, core, m)
                    if got is not None:
                        m.unit, end = got
                break
        m.end = end
        m.number_end = self.toks[core.last].end
        return self.index_at(end), True

    def _dim(self, key: str | None) -> str | None:
        return unit_dimension(key)

    def _unit_at(self, end: int, core: _Core, m: _Mention) -> tuple[str, int] | None:
        """The unit written at ``end`` (after a space or a hyphen, or glued to the number)."""
        text = self.text
        mm = _UNIT_GAP.match(text, end)
        pos = mm.end() if mm else end
        if pos >= len(text):
            return None
        got = self.lex.match_after(text, pos)
        if got is None:
            # "One US fluid ounce", "5 imperial gallons"
            sys_ = _UNIT_SYSTEM.match(text, pos)
            if sys_ is None:
                return None
            got = self.lex.match_after(text, sys_.end())
            if got is None or self._dim(got[0]) not in ("volume", "mass", "length"):
                return None
        key, uend = got
        surface = text[pos:uend]
        glued = pos == end
        if len(surface) == 1 and surface.isalpha() and not glued and surface not in "CFWVmgptLlh":
            return None
        if len(surface) <= 2 and not glued and surface.isalpha() and surface.islower():
            # "5 in", "3 m" are read only before a space, punctuation or the end
            after = text[uend : uend + 2]
            if after[:1].isalpha():
                return None
        if surface in ("C", "F") and not glued:
            nxt = text[uend : uend + 2]
            if nxt.strip()[:1].isupper():
                return None
        return key, uend

    def _per(self, end: int, unit: str) -> tuple[str, int] | None:
        text = self.text
        mm = _PER.match(text, end)
        if not mm:
            return None
        pos = mm.end()
        got = self.lex.match_after(text, pos)
        if got is not None:
            key, uend = got
            if _PER_THEN.match(text, uend):
                return None  # "$6.78 billion a year earlier"
            if key in ("USD", "GBX", "m", "in", "s") and text[pos:uend] in ("m", "in", "s", "p"):
                return None
            if mm.group(1).strip().lower() in ("a", "an") and self._dim(key) not in _PER_A_DIMS:
                return None
            return f"{unit}/{key}", uend
        w = _PER_WORD.match(text, pos)
        if w:
            return f"{unit}/{w.group(1).lower()}", w.end()
        return None

    def _range(self, core: _Core, m: _Mention, j: int) -> int:
        """A second number after "to", "-", "and" (after "between"), "or": the two make a range."""
        if m.low is not None or m.high is not None or m.value is None or core.kind == "fraction":
            return j
        text = self.text
        conn = self.tok(j)
        if conn is None:
            return j
        c = conn.lower
        between = bool(re.search(r"\bbetween\s+(?:\S+\s+){0,2}$", text[max(0, m.start - 30) : m.start], re.I))
        frm = bool(re.search(r"\bfrom\s+$", text[max(0, m.start - 8) : m.start], re.I))
        k = j + 1
        if c == "to" and self._lower(k) == "-":
            k += 1
        if c in ("-", "–", "—", "to", "through", "and", "or"):
            if c == "and" and not between:
                return j
            if c in ("-",) and not (self.adjacent(j - 1, j) and self.adjacent(j, j + 1)):
                if not m.approximate:
                    return j
        else:
            return j
        second = self.core(k) if k < len(self.toks) else None
        if second is None:
            # "$62 and $68": a currency before the second number
            cur_end = k
            while (t2 := self.tok(cur_end)) is not None and not t2.is_digits and cur_end - k < 3:
                cur_end += 1
            if cur_end < len(self.toks) and self.toks[cur_end].is_digits and m.unit is not None:
                cur = self.lex.match_before(self.text, self.toks[cur_end].start)
                if cur is not None and cur[1] <= self.toks[k].start and cur[0] == m.unit:
                    second = self.core(cur_end)
        if second is None or second.value is None or second.kind == "vague":
            return j
        if self.is_blocked(self.toks[second.first].start, self.toks[second.last].end):
            return j
        m2 = _Mention(start=self.toks[second.first].start, end=self.toks[second.last].end, value=second.value)
        if not self._left(second, m2, second=True) or m2.bound is not None or m2.direction is not None:
            return j
        j2, ok = self._right(second, m2)
        if not ok:
            return j
        v1, v2 = m.value, m2.value
        assert v1 is not None and v2 is not None
        if c == "or" and not (core.kind == "words" and second.kind == "words" and v2 > v1):
            return j
        if c in ("-", "–", "—") and core.kind == "digits" and m.unit is None and m2.unit is None:
            if v2 <= v1 and float(v1).is_integer() and float(v2).is_integer():
                return -1  # a score ("2-0", "89-89"): drop it
        u1, u2 = m.unit, m2.unit
        if self._year_like(core) and u1 is None:
            return j  # "between 2014 and 2017", "from 2008 to 29 mpg", "by 2030 to 32 percent"
        if v2 < v1 and not (frm or between) and c not in ("-", "–", "—"):
            return j  # "57 percent to 22 percent", "45 to 42": two figures, not a range
        if u1 is not None and u2 is not None and u1 != u2:
            if u2.startswith(u1 + "/"):
                u1 = u2  # "between $62 and $68 per share"
            elif u1.startswith(u2 + "/") and (frm or between):
                u2 = u1  # "from $75 per barrel to $45.88"
            else:
                return j
        if u1 is not None and u2 is None and not (frm or between):
            return j
        if m.direction is not None and u1 is not None and m2.start < self.toks[second.first].start:
            return j  # "increased by $43.6 billion to $419.2 billion": a change, then a level
        # "1 to 2 thousand", "10-12 thousand", "$3 to $5 billion"
        if second.scaled and not core.scaled and core.raw is not None and second.raw is not None:
            factor = second.value / second.raw if second.raw else 1.0
            if core.raw < 10 * second.raw:
                v1 = v1 * factor
        if v1 == v2:
            return j
        if between:
            bw = re.search(r"\bbetween\s+$", text[max(0, m.start - 12) : m.start], re.I)
            if bw:
                m.start = max(0, m.start - 12) + bw.start()
        m.low, m.high = min(v1, v2), max(v1, v2)
        if v2 < v1 or (frm and v1 != 0):
            m.change = v2 / v1 if v1 else None
        m.value = None
        m.bound = None
        m.unit = u1 or u2
        m.end = m2.end
        m.number_end = self.toks[second.last].end
        return j2

    # ---------------------------------------------------------- keep or drop

    def _keep(self, core: _Core, m: _Mention) -> bool:
        t = self.toks[core.first]
        if (
            m.unit is not None
            or core.kind in ("vague", "fraction")
            or m.low is not None
            or m.high is not None
        ):
            return self._keep_with_unit(core, m)
        if m.value is None:
            return False
        prev = self.tok(core.first - 1)
        prev_word = prev.lower if prev is not None and prev.is_word else None
        after = self.text[m.end : m.end + 40]
        # years: "in 2025", "since 1985", "2014 and 2017", "2018 sales"
        if self._year_like(core) and self._is_year(core, m, prev_word):
            return False
        if core.kind == "digits" and m.value is not None:
            # names and identifiers: "Game 7", "S&P 500", "iPhone 11", "Lampard 20"
            if prev is not None and (prev_word in NAME_BEFORE or (prev.is_word and not prev.text.islower())):
                if not self._sentence_start(core.first - 1) and prev_word not in _NOT_NAME:
                    if not self._counts_a_noun(core, m):
                        return False
            if prev is not None and prev.text in ("&", "#", "№"):
                return False
            if prev is not None and prev.text == "." and self._lower(core.first - 2) in _ABBREV_BEFORE:
                return False  # "No. 2", "Vol. 3"
            if re.fullmatch(r"\d{10,}", t.text):
                return False  # time stamps, ids
            if self._sentence_start(core.first) and re.match(r"[.):]\s", self.text[m.end : m.end + 2]):
                return False  # "7. How police shootings ...": a list item
            if prev is not None and prev.is_word and prev.text.isupper() and len(prev.text) <= 2:
                if not self._sentence_start(core.first - 1):
                    return False  # "S&P 500", "Q 4"
            # "the 737 Max", "Note 20 Ultra", "90049 ZIP Code": a number followed by a name
            nxt_word = re.match(r"\s([A-Z][A-Za-z]*)", after)
            if (
                nxt_word
                and not _DEMONYM.match(nxt_word.group(1))
                and nxt_word.group(1).lower() not in PERSON_NOUNS
            ):
                counted = self._counted(core, m)
                head = counted.split()[-1] if counted else ""
                plural = head.endswith("s") or head.lower() in PERSON_NOUNS
                if not plural or re.fullmatch(r"\d{3,}", t.text):
                    return False
            if re.match(r"\s*(?:" + "|".join(STREET_WORDS) + r")\b", after, re.I):
                return False
        if core.kind == "words":
            return self._keep_word_number(core, m)
        return True

    def _year_like(self, core: _Core) -> bool:
        t = self.toks[core.first]
        return (
            core.kind == "digits"
            and core.first == core.last
            and bool(re.fullmatch(r"1\d{3}|2[01]\d{2}", t.text))
        )

    def _is_year(self, core: _Core, m: _Mention, prev_word: str | None) -> bool:
        t = self.toks[core.first]
        tok = self.spacy_at(t.start)
        if tok is not None and self.doc is not None and self.doc.has_annotation("ENT_IOB") and tok.ent_type_:
            return bool(tok.ent_type_ in ("DATE", "TIME", "EVENT", "ORG", "PRODUCT", "LAW", "WORK_OF_ART"))
        if prev_word is None or prev_word in _YEAR_PREP:
            return True
        value = float(t.text)
        if 1900 <= value <= 2100:
            counted = self._counted(core, m)
            return counted is None or counted.split()[-1].lower() not in PERSON_NOUNS
        return not self._counts_a_noun(core, m)

    def _keep_with_unit(self, core: _Core, m: _Mention) -> bool:
        # "a three-year war", "a two-month contract": a duration used as an adjective
        if m.unit is not None and self._dim(m.unit) == "time" and m.low is None and m.high is None:
            num_end = self.toks[core.last].end
            if self.text[num_end : num_end + 1] == "-":
                nxt = _HYPHEN_WORD.match(self.text, num_end)
                if (
                    nxt
                    and nxt.group(1).lower() not in ("plus", "odd")
                    and (nxt.group(2).isalnum() or nxt.group(2) in "$£€¥")
                ):
                    return False
        if core.kind == "words" and m.unit is None and core.first == core.last:
            return self._keep_word_number(core, m)
        return True

    def _keep_word_number(self, core: _Core, m: _Mention) -> bool:
        t = self.toks[core.first]
        if core.first != core.last:
            return True
        w = t.lower
        nxt = self._lower(core.last + 1)
        if w in ("a", "an"):
            return False
        if w == "one":
            if nxt == "another":
                return False
            if nxt == "of":
                after = self.text[self.toks[core.last].end : self.toks[core.last].end + 40]
                mm = re.match(r"\s+of\s+(?:the|its|their|his|her|our)\s+(\w+)", after)
                return bool(mm and _SUPERLATIVE.match(mm.group(1)))
            tok = self.spacy_at(t.start)
            if tok is not None:
                return bool(tok.dep_ == "nummod" and tok.head.i > tok.i)
            return (
                nxt is not None
                and nxt not in _FUNCTION
                and nxt not in _COMMON_VERBS
                and bool(re.match(r"[a-z]", nxt))
            )
        if w == "zero":
            return False
        tok = self.spacy_at(t.start)
        if tok is not None and tok.pos_ == "PRON":
            return False
        if nxt == "-":
            return True
        return True

    def _sentence_start(self, i: int) -> bool:
        if i <= 0:
            return True
        prev = self.tok(i - 1)
        return prev is not None and prev.text in (".", "!", "?", ":", ";", '"', "“", "(", "-", "—", "–")

    def _counts_a_noun(self, core: _Core, m: _Mention) -> bool:
        return self._counted(core, m) is not None

    # ---------------------------------------------------------- what a count counts

    def _count(self, core: _Core, m: _Mention) -> None:
        if m.unit is not None and m.unit not in _PERSON_UNITS:
            return
        counted = self._counted(core, m)
        if counted is not None and re.match(r"[\d.,]", counted):
            counted = None  # "from 24.2 to 33-35 billion": the next number, not a noun
        if counted is not None:
            m.counted = counted
            head = counted.split()[-1]
            if core.kind == "fraction":
                pass
            elif head.lower() in CASUALTY:
                m.unit = CASUALTY[head.lower()]
            elif head.lower() in PERSON_NOUNS or _DEMONYM.match(head):
                m.unit = m.unit or "persons"
        if core.kind == "fraction" and m.unit is None:
            m.unit = "share"
        if core.kind == "fraction":
            return
        # "20,000 staff or more"
        if m.counted and m.bound is None:
            tail = self.text[m.end : m.end + 80]
            at = tail.find(m.counted)
            if at >= 0:
                more = re.match(r"\s*(or more|or fewer|or less)\b", tail[at + len(m.counted) :], re.I)
                if more:
                    m.bound = "low" if more.group(1).lower() == "or more" else "high"
        after = self.text[m.end : m.end + 60]
        if m.counted:
            after = after[after.find(m.counted) + len(m.counted) :] if m.counted in after else after
        cas = re.match(
            r"\s*(?:(?:were|was|have been|had been|are|being|been|reported|confirmed)\s+)?(\w+)"
            r"(?:\s+(?:and|or)\s+(\w+))?",
            after,
        )
        if cas and cas.group(1).lower() in CASUALTY and cas.group(1).lower() not in ("losses", "taken"):
            if m.unit in (None, "persons", "persons killed"):
                both = cas.group(2) and cas.group(2).lower() in CASUALTY
                m.unit = "casualties" if both else CASUALTY[cas.group(1).lower()]
        # "Russia lost 1,200 troops": losses
        if m.unit == "persons" and m.direction_word in ("lost", "lose", "loses", "losing"):
            m.unit = "casualties"
        # "the death toll rose to 50", "casualties exceeded 1,000"
        if m.unit in (None, "persons") and m.counted is None:
            before = self.text[max(0, m.start - 40) : m.start].lower()
            if re.search(r"death toll\b[^.;]*$", before):
                m.unit = "persons killed"
            elif re.search(r"\b(?:casualties|losses)\s+(?:\w+\s+){0,2}$", before):
                m.unit = "casualties"
            elif self.doc is not None:
                subj = self._subject_of(m)
                if subj is not None and subj in CASUALTY:
                    m.unit = CASUALTY[subj]

    def _age(self, core: _Core, m: _Mention) -> None:
        """Read a number between commas right after a name as an age: "Maddon, 66, has ..."."""
        if m.unit is not None or m.counted is not None or core.kind != "digits" or m.value is None:
            return
        if not (m.value.is_integer() and 1 <= m.value <= 120):
            return
        if re.search(r"\b(?:age|aged)\s+$", self.text[max(0, m.start - 6) : m.start], re.I):
            m.unit = "year of age"  # "at age 74", "aged 14"
            return
        before = self.text[max(0, m.start - 30) : m.start]
        if re.search(r"\b[A-Z][a-z]+,\s$", before) and re.match(r",\s", self.text[m.end : m.end + 2]):
            m.unit = "year of age"

    def _subject_of(self, m: _Mention) -> str | None:
        tok = self.spacy_at(m.number_end - 1)
        if tok is None:
            return None
        verb = tok.head
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.i < tok.i:
                return str(c.lower_)
        return None

    def _counted(self, core: _Core, m: _Mention) -> str | None:
        key = (core.first, m.end, m.number_end)
        if key not in self._counted_cache:
            found = self._counted_doc(core, m) if self.doc is not None else self._counted_rule(core, m)
            self._counted_cache[key] = found
        return self._counted_cache[key]

    def _counted_doc(self, core: _Core, m: _Mention) -> str | None:
        doc = self.doc
        assert doc is not None
        last_char = m.number_end - 1
        tok = self.spacy_at(last_char)
        if tok is None:
            return None
        nxt = tok.i + 1
        # skip the unit tokens and "or more" read already
        while nxt < len(doc) and doc[nxt].idx < m.end:
            nxt += 1
        if nxt >= len(doc):
            return None
        if doc[nxt].lower_ == "of" and core.kind in ("vague", "fraction", "words"):
            of = doc[nxt]
            objs = [c for c in of.children if c.dep_ == "pobj"]
            if not objs or objs[0].pos_ not in ("NOUN", "PROPN"):
                return None
            head = objs[0]
            first = nxt + 1
            while first < head.i and (
                doc[first].dep_ in ("det", "poss") or doc[first].lower_ in ("the", "a", "an")
            ):
                first += 1
            return _clean_phrase(doc[first : head.i + 1].text)
        # the noun the number (or its scale word) modifies, to its right
        t = tok
        while t.dep_ in ("compound", "quantmod", "nummod") and t.head.pos_ == "NUM" and t.head.i > t.i:
            t = t.head
        head = t.head
        if head.i <= t.i or head.pos_ not in ("NOUN", "PROPN") or head.i < nxt:
            if doc[nxt].pos_ in ("NOUN",) and doc[nxt].tag_ in ("NNS",) and doc[nxt].idx >= m.end:
                head = doc[nxt]
            else:
                return None
        if (
            t.dep_ not in ("nummod", "compound", "quantmod", "amod", "nmod", "appos", "npadvmod")
            and head.i != nxt
        ):
            return None
        span = doc[nxt : head.i + 1]
        if any(
            x.pos_ in ("PUNCT", "VERB", "AUX", "ADP", "PRON", "DET", "CCONJ") and x.text != "-" for x in span
        ):
            if any(x.pos_ in ("PUNCT",) and x.text not in ("-",) for x in span):
                return None
            if any(x.pos_ in ("ADP", "PRON", "DET", "CCONJ", "AUX") for x in span):
                return None
        if head.lemma_.lower() in _TIME_NOUNS:
            return None
        return _clean_phrase(span.text)

    def _counted_rule(self, core: _Core, m: _Mention) -> str | None:
        text = self.text
        if core.kind in ("vague", "fraction", "words"):
            mm = _OF_WORDS.match(text, m.end)
            if mm and text.startswith("of", _skip_space(text, m.end)):
                words = mm.group(1).split()
                return self._rule_phrase(words)
        mm = _NEXT_WORDS.match(text, m.end)
        if not mm:
            return None
        return self._rule_phrase(mm.group(1).split())

    def _rule_phrase(self, words: list[str]) -> str | None:
        picked: list[str] = []
        for w in words:
            lw = w.lower()
            if (
                lw in _FUNCTION
                or not re.match(r"^[A-Za-z][\w'’-]*$", w)
                or lw in UP_WORDS
                or lw in DOWN_WORDS
            ):
                break
            if picked and lw.endswith(("ed", "ing", "ly")) or lw in _COMMON_VERBS:
                break
            picked.append(w)
            if lw.endswith("s") and not lw.endswith("ss") or lw in PERSON_NOUNS:
                return " ".join(picked)
        if len(picked) == 1 and picked[0].islower() and not picked[0].endswith(("ed", "ing", "ly")):
            return picked[0]
        return None

    # ---------------------------------------------------------- final touches

    def _finish(self, m: _Mention) -> None:
        # a word of change makes a change of a measured amount ("rose 20%", "was up 19 cents");
        # "added ten users", "gave up 517 yards" are counts, not changes
        if m.direction is not None and m.direction_start is not None:
            if m.unit is None or m.unit in _PERSON_UNITS or m.unit in ("times", "casualties"):
                m.direction = None
            else:
                m.start = m.direction_start
        if m.bound == "low" and m.value is not None:
            m.low, m.value = m.value, None
        elif m.bound == "high" and m.value is not None:
            m.high, m.value = m.value, None
        if m.change is None and m.direction is not None:
            amount = m.value if m.value is not None else None
            if amount is not None and m.unit == "%":
                m.change = 1 + amount / 100 if m.direction == "up" else 1 - amount / 100
            elif amount is not None and m.unit == "share":
                m.change = 1 + amount if m.direction == "up" else 1 - amount

    # ---------------------------------------------------------- whole text

    def read(self) -> list[Quantity]:
        out: list[Quantity] = []
        i = 0
        n = len(self.toks)
        while i < n:
            t = self.toks[i]
            if t.is_word and t.lower in MULTIPLIER_VERBS:
                q = self._multiplier(i)
                if q is not None:
                    out.append(q)
                i += 1
                continue
            if not (t.is_digits or t.is_word or t.text == "."):
                i += 1
                continue
            m, nxt = self.mention(i)
            if nxt < 0:  # a score: skip "2-0" whole
                i += 3
                continue
            if m is not None:
                out.append(self._quantity(m))
            i = max(nxt, i + 1)
        return out

    def _multiplier(self, i: int) -> Quantity | None:
        t = self.toks[i]
        tok = self.spacy_at(t.start)
        if tok is not None and tok.pos_ not in ("VERB", "AUX"):
            return None
        return Quantity(text=t.text, offsets=((t.start, t.end),), change=MULTIPLIER_VERBS[t.lower])

    def _quantity(self, m: _Mention) -> Quantity:
        start, end = m.start, m.end
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return Quantity(
            text=self.text[start:end],
            offsets=((start, end),),
            value=_tidy(m.value),
            low=_tidy(m.low),
            high=_tidy(m.high),
            approximate=m.approximate,
            unit=m.unit,
            counted=m.counted,
            change=_tidy(m.change, 6),
        )


_COMMON_VERBS = frozenset(
    """says said adds added tells told notes noted writes wrote argues argued thinks thought believes
    knows wants needs seems appears remains makes takes gets goes comes does is was are were has had have
    lives died dies shows say think want believe support oppose agree disagree voted vote""".split()
)
_ABBREV_BEFORE = frozenset({"no", "nos", "vol", "fig", "art", "sec", "ch", "p", "pp", "par", "op", "para"})
_PER_A_DIMS = frozenset({"time", "volume", "mass"})
_VAGUE_BEFORE = frozenset({"several", "many", "few"})
_HALF_NOT = frozenset("first second this last next the latter former other back".split())
_HALF_BEFORE = frozenset(
    "by about around almost nearly roughly some than over under just only and fully barely approximately "
    "estimated less more".split()
)
_NOT_NAME = frozenset(
    "about around approximately nearly almost some over under only just roughly more less than up down by "
    "at least most to from with".split()
)
_PERSON_UNITS = frozenset(
    {"persons", "persons killed", "persons wounded", "persons captured", "persons missing"}
)
_PHRASAL = frozenset(
    """give gave given giving gives pick picked picking picks set sets setting make made makes making turn
    turned turning turns break broke broken breaking back backed shut shutting sign signed signing line
    lined show showed shown take took taken taking put putting trade traded trading sum summed wrap
    wrapped end ended ending step stepped stepping hold held holding slow slowed""".split()
)
_TIME_NOUNS = frozenset("year month week day hour minute second decade century time".split())


def _clean_phrase(s: str) -> str | None:
    s = " ".join(s.split()).strip(" -,")
    return s or None


def _tidy(v: float | None, digits: int = 12) -> float | None:
    """Round off the noise of float arithmetic (1.1 * 1e6), keeping ``digits`` significant digits."""
    if v is None:
        return None
    r = float(f"{v:.{digits}g}")
    return float(int(r)) if r.is_integer() and abs(r) < 1e18 else r


def find_quantities(text: str, *, doc: Any | None = None) -> list[Quantity]:
    """The quantities written in ``text``, in text order.

    text (str): the text (an article, a sentence); offsets are offsets into it.
    doc (spacy.tokens.Doc): a parsed Doc of the same text, when there is one; it tells
        what a bare number counts. Without it a simpler rule is used.
    RETURNS (list[Quantity]): one per amount; see the module docstring for the fields.
    """
    if not text:
        return []
    return _Reader(text, doc).read()


def direction(q: Quantity) -> str | None:
    """Whether a quantity is an increase ("up") or a decrease ("down"), as written or by its factor.

    The words of the quantity's text decide first ("rose 20%", "was down 19 cents",
    "+0.2%"); then a factor of change above or below 1.
    """
    d = written_direction(q)
    if d is not None:
        return d
    if q.change is not None and q.change != 1:
        return "up" if q.change > 1 else "down"
    return None


def written_direction(q: Quantity) -> str | None:
    """Say "up" or "down" when the quantity's text starts with a word of change ("rose", "down", "+")."""
    s = q.text.lstrip()
    if s.startswith("+"):
        return "up"
    mm = re.match(r"[^\W\d_]+", s)
    if not mm:
        return None
    w = mm.group(0).lower()
    if re.match(r"(?:up|down)\s+to\b", s, re.I):
        return None
    if w in UP_WORDS:
        return "up"
    if w in DOWN_WORDS:
        return "down"
    return None


# keep month names importable for callers that filter dates themselves
MONTH_NAMES = tuple(MONTHS)
