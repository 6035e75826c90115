"""Time expressions in news text: found, normalized to TIMEX3 values, placed on the calendar.

:func:`find_times` reads a text and its publication date and returns one
:class:`~claimgraph.model.TimeSpan` per time expression, HeidelTime-style: regular
expressions find candidates, the longest non-overlapping ones are kept, and each is
normalized in document order against the publication date (and, for anaphoric
expressions such as "the quarter" or "a year earlier", against the last date the
text mentioned).

What a span carries:

- ``text`` and ``offsets``: the expression as written. A governing "for", "in",
  "within" or "during" is part of a duration's span ("for about two weeks") and
  "since" is part of an interval's ("since November"): they change what is meant.
- ``kind``: ``date``, ``time`` (a time of day or a part of a day), ``duration``,
  ``set`` (a recurrence: "daily", "every week") or ``interval`` ("since ...").
- ``value``: the TIMEX3 value: ``2024-11``, ``2025-01-31``, ``2024-W45``, ``2024-Q4``,
  ``2024-SU``, ``199`` (the 1990s), ``2025-01-30TNI``, ``P2W``, ``PXY`` (years, how many
  not said), ``P1D`` (daily), ``XXXX-WXX-1`` (Mondays), ``PRESENT_REF``, ``PAST_REF``,
  ``FUTURE_REF``. Without a publication date, what depends on it is left unknown
  with ``X`` ("in November" → ``XXXX-11``, "yesterday" → ``XXXX-XX-XX``): never a guess.
- ``start``/``end``: the first and last day (ISO dates) the expression covers; for a
  duration anchored at publication ("for about three weeks", "the past two months")
  the stretch ending at the publication date, for "the next ..." the one starting at
  it; for "since X" from the start of X to publication. None when not known.
- ``approximate``: hedged ("about", "nearly", "more than", "early", "late",
  "recently") or vague (``PX...``).

Dates without a year take the year that puts them nearest the publication date,
unless the tense of the clause says past (on or before publication) or future
(after it): "in November" in a text of 2025-01-31 is November 2024; a weekday is
the last such day on or before publication unless the clause speaks of the future.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from claimgraph.model import TimeSpan
from claimgraph.nlp import timex_calendar as cal
from claimgraph.nlp.timex_lexicon import (
    AMBIGUOUS_MONTHS,
    DURATION_MODS,
    FIXED_HOLIDAYS,
    FLOATING_HOLIDAYS,
    HOLIDAY_RE,
    MOD_RE,
    MONTH_NAMES_RE,
    MONTHS,
    NUM_WORD_RE,
    ONES,
    ORDINAL_RE,
    ORDINALS,
    PARTS_OF_DAY,
    TENS,
    UNIT_RE,
    UNITS,
    WEEKDAY_RE,
    WEEKDAYS,
    number_value,
)

__all__ = ["find_times"]

# ---------------------------------------------------------------------------------------------
# Normalized results and candidates


@dataclass(frozen=True)
class _Norm:
    kind: str
    value: str | None
    lo: dt.date | None = None
    hi: dt.date | None = None
    approximate: bool = False


@dataclass
class _Cand:
    start: int
    end: int
    priority: int
    resolve: Callable[[_Context], _Norm | None]
    rule: str
    #: a span that is no time expression but must keep shorter patterns off its words
    block: bool = False


_PREV_WORD = re.compile(r"([A-Za-z]+)\W*$")


class _Context:
    """What normalization knows while it walks a text: the publication date and recent mentions."""

    def __init__(self, text: str, dct: dt.date | None, doc: Any = None) -> None:
        self.text = text
        self.dct = dct
        self.doc = doc
        self.start = 0
        self.end = 0
        self.ref_day: dt.date | None = None
        self.ref_month: tuple[int, int] | None = None
        self.ref_year: int | None = None
        self.ref_quarter: tuple[int, int] | None = None
        self.ref_gran: str | None = None
        self.ref_quarter_at = -1

    # --- tense -----------------------------------------------------------------------------
    def tense(self, infinitive: bool = True) -> str | None:
        """``"past"``, ``"future"`` or None for the clause around the current candidate.

        The words around the expression decide; the parse, when there is one, only where they say
        nothing (on TimeBank the words alone do better than the small English model's parse).
        """
        t = _tense_from_text(self.text, self.start, self.end, infinitive)
        if t is None and self.doc is not None:
            t = _tense_from_doc(self.doc, self.start, self.end)
        return t

    # --- references --------------------------------------------------------------------------
    def note(self, value: str | None) -> None:
        """Remember an anchored date mention for the anaphoric expressions that follow it."""
        if not value or value.startswith("X"):
            return
        if m := re.match(r"^(\d{4})-(\d{2})-(\d{2})", value):
            try:
                self.ref_day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return
            self.ref_month = (self.ref_day.year, self.ref_day.month)
            self.ref_year = self.ref_day.year
            self.ref_gran = "day"
        elif m := re.match(r"^(\d{4})-(\d{2})$", value):
            self.ref_month = (int(m[1]), int(m[2]))
            self.ref_year = int(m[1])
            self.ref_gran = "month"
        elif m := re.match(r"^(\d{4})-Q([1-4])$", value):
            self.ref_quarter = (int(m[1]), int(m[2]))
            self.ref_quarter_at = self.start
            self.ref_year = int(m[1])
            self.ref_gran = "quarter"
        elif m := re.match(r"^(\d{4})$", value):
            self.ref_year = int(m[1])
            self.ref_gran = "year"
        elif m := re.match(r"^(\d{4})-(?:W\d{2}|H[12]|SP|SU|FA|WI)", value):
            self.ref_year = int(m[1])

    def anchor_day(self) -> dt.date | None:
        return self.ref_day or self.dct

    def ref_anchor(self, unit: str) -> dt.date | None:
        """A day inside the last mentioned period of ``unit``'s size ("that year": the year last named)."""
        if unit in ("year", "decade", "century") and self.ref_year is not None:
            return cal.make_date(self.ref_year, 7, 1)
        if unit == "quarter" and self.ref_quarter is not None:
            y, q = self.ref_quarter
            return cal.make_date(y, 3 * q - 1, 15)
        if unit == "month" and self.ref_month is not None:
            return cal.make_date(self.ref_month[0], self.ref_month[1], 15)
        if unit in ("week", "weekend", "day", "morning", "afternoon", "evening", "night"):
            return self.ref_day
        return None


# ---------------------------------------------------------------------------------------------
# Tense

_FUTURE_WORDS = {
    "will",
    "'ll",
    "shall",
    "wo",
    "would",
    "next",
    "upcoming",
    "tomorrow",
    "scheduled",
    "slated",
    "soon",
    "may",
    "might",
    "pending",
    "effective",
}
#: words that speak of the future only before "to": "plans to", "is expected to", "due to"
_FUTURE_BEFORE_TO = {
    "expected",
    "expects",
    "expect",
    "plans",
    "plan",
    "planning",
    "intends",
    "intend",
    "hopes",
    "hope",
    "aims",
    "aim",
    "set",
    "going",
    "due",
    "is",
    "are",
    "ready",
    "prepared",
    "preparing",
    "likely",
}
_PAST_WORDS = {
    "was",
    "were",
    "had",
    "did",
    "said",
    "told",
    "ago",
    "last",
    "earlier",
    "yesterday",
    "since",
    "been",
    "took",
    "came",
    "went",
    "made",
    "met",
    "planned",
    "began",
    "left",
    "won",
    "lost",
    "fell",
    "rose",
    "saw",
    "sent",
    "held",
    "gave",
    "got",
    "shot",
    "hit",
    "put",
    "fled",
    "struck",
    "spoke",
    "became",
    "found",
    "brought",
    "bought",
    "sold",
    "paid",
    "ran",
    "led",
    "killed",
}
_WORD = re.compile(r"[A-Za-z']+")
_REPORTING = {
    "said",
    "added",
    "told",
    "noted",
    "stated",
    "reported",
    "announced",
    "predicted",
    "warned",
    "explained",
    "argued",
    "claimed",
    "insisted",
    "indicated",
    "disclosed",
    "confirmed",
}
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[\"“'A-Z])|\n\s*\n")
_CLAUSE_END = re.compile(
    r"[.!?]\s+(?=[\"“'A-Z])|\n\s*\n|;\s+|,\s+(?=but\b|while\b|although\b|though\b|whereas\b)"
)


_NOT_VERBS = {
    "the",
    "a",
    "an",
    "his",
    "her",
    "its",
    "their",
    "our",
    "my",
    "your",
    "this",
    "that",
    "these",
    "those",
    "last",
    "next",
    "date",
    "be",
    "him",
    "them",
    "us",
    "me",
    "it",
    "some",
    "all",
    "any",
    "each",
    "every",
    "about",
    "around",
    "more",
    "less",
    "what",
    "which",
    "whom",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "early",
    "late",
    "mid",
    "market",
    "power",
    "court",
    "work",
    "school",
    "war",
    "office",
    "death",
    "home",
    "bed",
    "trial",
    "prison",
    "jail",
}


def _classify(word: str, nxt: str | None, infinitive: bool = True) -> str | None:
    """``"past"``, ``"future"`` or None: what one word (with the word after it) says of the time.

    ``nxt`` is the next word as written: a capital after "to" is a name ("to Russia"), not a verb.
    """
    w = word.lower()
    if w == "to":
        # "agreed to buy ... in January": an infinitive looks ahead
        if (
            infinitive
            and nxt
            and nxt.isalpha()
            and nxt.islower()
            and nxt.lower() not in _NOT_VERBS
            and not nxt.endswith(("s", "ing", "ed", "ion", "ment", "ity"))
        ):
            return "future"
        return None
    low_next = nxt.lower() if nxt else None
    if w in _FUTURE_BEFORE_TO:
        return "future" if low_next == "to" else None
    if w == "next" and low_next == "to":
        return None
    if w in _FUTURE_WORDS:
        return "future"
    if w in _PAST_WORDS or (len(w) > 4 and w.endswith("ed") and word[0].islower()):
        return "past"
    return None


_TOKEN = re.compile(r"[A-Za-z']+|\S")


def _words(text: str) -> list[str]:
    """Words and single punctuation marks or digits: "to $5" does not make "to" precede a verb."""
    return _TOKEN.findall(text)


def _tense_from_text(text: str, start: int, end: int, infinitive: bool = True) -> str | None:
    """The tense of the clause around [start, end), from nearby verbs and auxiliaries.

    The nearest cue before the expression in its clause decides ("said ... Friday": past; "will
    ... Friday": future); failing one, the first within a few words after it. A deadline
    preposition right before it ("by Friday", "until mid-November") looks ahead for a weekday and
    leaves a month to the nearest reading ("through August", said in October, is behind).
    ``infinitive``: whether "to" and a verb count as future ("agreed to buy it in January"), and
    whether the expression is a month rather than a weekday.
    """
    lo = max(0, start - 120)
    before = text[lo:start]
    cut = None
    for m in _CLAUSE_END.finditer(before):
        cut = m.end()
    if cut is not None:
        before = before[cut:]
    if re.search(r"\bas\s+(?:soon|early)\s+as\s*$", before, re.IGNORECASE):
        return "future"
    words = _words(before)
    deadline = bool(words) and words[-1].lower() in ("by", "until", "till", "through")
    lowered = {w.lower() for w in words} | {w.lower() for w in _words(text[end : end + 60])}
    if deadline and not lowered & {"had", "was", "were", "did"}:
        return None if infinitive else "future"
    for i in range(len(words) - 1, -1, -1):
        if not words[i][0].isalpha():
            continue
        nxt = words[i + 1] if i + 1 < len(words) else None
        c = _classify(words[i], nxt, infinitive)
        prev = {w.lower() for w in words[max(0, i - 2) : i]}
        if c == "future" and prev & {"had", "was", "were", "been"}:
            return "past"  # "had been scheduled to", "was expected to": a future in the past
        if c == "past" and words[i].lower().endswith("ed") and prev & {"be", "being", "is", "are", "am"}:
            continue  # "is expected", "to be published": a passive, which says nothing of the time
        if c == "past" and words[i].lower() in _REPORTING and len(words) - i > 3:
            continue  # "he added that guidelines due in November ...": the report is past, not its content
        if c:
            return c
    after = text[end : end + 80]
    stop = _SENTENCE_END.search(after)
    if stop:
        after = after[: stop.start()]
    words = [w for w in _words(after) if w[0].isalpha()]
    for i, w in enumerate(words[:8]):
        nxt = words[i + 1] if i + 1 < len(words) else None
        c = _classify(w, nxt, infinitive)
        if c:
            return c
    return "future" if deadline else None


def _tense_from_doc(doc: Any, start: int, end: int) -> str | None:
    """The tense of the verb that governs the expression at [start, end) in a parsed spaCy doc."""
    try:
        span = doc.char_span(start, end, alignment_mode="expand")
    except Exception:  # noqa: BLE001 - a doc that does not fit the text: fall back to the words
        return None
    if span is None or len(span) == 0:
        return None
    tok = span.root
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    for child in tok.children:
        if child.dep_ == "aux" and child.text.lower() in ("will", "'ll", "shall", "wo"):
            return "future"
    if tok.tag_ in ("VBD", "VBN"):
        return "past"
    if tok.tag_ == "VB":
        for child in tok.children:
            if child.dep_ == "aux" and child.text.lower() == "to":
                return "future"
    return None


# ---------------------------------------------------------------------------------------------
# Choosing the year (or week) of an expression that does not say it


def _pick_month(ctx: _Context, month: int) -> int | None:
    """The year of a month named without one: nearest publication, or as the tense says."""
    d = ctx.dct
    if d is None:
        return None
    t = ctx.tense()
    if month == d.month:
        return d.year
    if t == "past":
        return d.year if month < d.month else cal.add_years(d.year, -1)
    if t == "future":
        return d.year if month > d.month else cal.add_years(d.year, 1)
    diff = (month - d.month) % 12  # months ahead
    if diff <= 5:
        return cal.add_years(d.year, 1 if month < d.month else 0)
    return cal.add_years(d.year, -1 if month > d.month else 0)


def _pick_day(ctx: _Context, month: int, day: int) -> dt.date | None:
    """The date of a month and day named without a year, as :func:`_pick_month` chooses."""
    d = ctx.dct
    if d is None:
        return None
    cands = []
    for y in (d.year - 1, d.year, d.year + 1):  # valid_date keeps out years 0 and 10000
        if cal.valid_date(y, month, day):
            cands.append(dt.date(y, month, day))
    if not cands:
        return None
    t = ctx.tense()
    if t == "past":
        past = [c for c in cands if c <= d]
        if past and (d - max(past)).days < 300:
            return max(past)
    elif t == "future":
        fut = [c for c in cands if c >= d]
        if fut and (min(fut) - d).days < 300:
            return min(fut)
    return min(cands, key=lambda c: (abs((c - d).days), c > d))


def _pick_weekday(ctx: _Context, weekday: int, rel: str | None) -> dt.date | None:
    d = ctx.dct
    if d is None:
        return None
    back = (d.weekday() - weekday) % 7  # days since the last such weekday (0: today)
    ahead = (weekday - d.weekday()) % 7
    rel = (rel or "").lower().split()[-1] if rel else ""
    if rel in ("last", "past", "previous"):
        return cal.shift_days(d, -(back or 7))
    if rel in ("next", "coming", "following"):
        return cal.shift_days(d, ahead or 7)
    if rel == "this":
        return cal.shift_days(d, ahead) if ctx.tense(False) == "future" else cal.shift_days(d, -back)
    if ctx.tense(False) == "future" and back != 0:
        return cal.shift_days(d, ahead)
    return cal.shift_days(d, -back)


# ---------------------------------------------------------------------------------------------
# Small helpers

_YEAR = r"(?:1[0-9]\d\d|20\d\d)"
_END = r"(?![\w])"


def _lower(s: str | None) -> str:
    return re.sub(r"\s+", " ", s.lower()) if s else ""


def _month_norm(y: int | None, month: int, approx: bool = False, mod: str = "") -> _Norm:
    if y is None:
        return _Norm("date", f"XXXX-{month:02d}", approximate=approx)
    y = cal.clamp_year(y)
    lo, hi = dt.date(y, month, 1), dt.date(y, month, cal.last_day(y, month))
    lo, hi = _narrow(lo, hi, mod)
    return _Norm("date", cal.month_value(y, month), lo, hi, approx)


def _narrow(lo: dt.date, hi: dt.date, mod: str) -> tuple[dt.date, dt.date]:
    """The part of [lo, hi] that "early", "mid" or "late" picks out (thirds)."""
    mod = mod.lower()
    span = (hi - lo).days + 1
    third = max(span // 3, 1)
    if mod.startswith("early") or "beginning" in mod or "start" in mod or "first half" in mod:
        return lo, cal.shift_days(lo, third - 1 if "half" not in mod else span // 2 - 1)
    if mod.startswith("late") or "end" in mod or "second half" in mod:
        return cal.shift_days(hi, -(third - 1 if "half" not in mod else span // 2 - 1)), hi
    if mod.startswith("mid") or "middle" in mod:
        return cal.shift_days(lo, third), cal.shift_days(hi, -third)
    return lo, hi


def _value_norm(kind: str, value: str, approx: bool = False, mod: str = "") -> _Norm:
    """A date or time value with the interval it covers."""
    iv = cal.interval(value)
    if iv is None:
        return _Norm(kind, value, approximate=approx)
    lo, hi = _narrow(iv[0], iv[1], mod) if mod else iv
    return _Norm(kind, value, lo, hi, approx)


def _day_norm(day: dt.date | None, kind: str = "date", suffix: str = "", approx: bool = False) -> _Norm:
    if day is None:
        return _Norm(kind, "XXXX-XX-XX" + suffix, approximate=approx)
    return _Norm(kind, day.isoformat() + suffix, day, day, approx)


def _prev_word(text: str, start: int) -> str:
    m = _PREV_WORD.search(text[max(0, start - 30) : start])
    return m.group(1).lower() if m else ""


# ---------------------------------------------------------------------------------------------
# The rules. Each takes a match and the text and returns candidates (usually one).

_Rule = Callable[[re.Match[str], str], "_Cand | None"]
#: every rule: its name, its pattern, and what turns a match into a candidate
_RULES: list[tuple[str, re.Pattern[str], _Rule]] = []


def _rule(name: str, pattern: str, flags: int = 0) -> Callable[[_Rule], _Rule]:
    """Register a rule: ``pattern`` finds matches, the decorated function makes candidates of them."""

    def register(fn: _Rule) -> _Rule:
        _RULES.append((name, re.compile(pattern, flags), fn))
        return fn

    return register


def _cand(
    m: re.Match[str],
    resolve: Callable[[_Context], _Norm | None],
    rule: str,
    priority: int = 5,
    start: int | None = None,
    end: int | None = None,
) -> _Cand:
    return _Cand(
        m.start() if start is None else start, m.end() if end is None else end, priority, resolve, rule
    )


def _block(m: re.Match[str], rule: str) -> _Cand:
    return _Cand(m.start(), m.end(), 0, lambda ctx: None, rule, block=True)


# --- numeric dates ------------------------------------------------------------------------------


@_rule(
    "iso",
    r"(?<![\w.-])(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\w-])",
)
def _r_iso(m: re.Match[str], text: str) -> _Cand | None:
    y, mo, d = int(m[1]), int(m[2]), int(m[3])
    if not cal.valid_date(y, mo, d):
        return _block(m, "iso")
    day = dt.date(y, mo, d)
    if m[4]:
        h, mi = int(m[4]), int(m[5])
        if h > 23 or mi > 59:
            return _block(m, "iso")
        return _cand(m, lambda ctx: _Norm("time", f"{day.isoformat()}T{h:02d}:{mi:02d}", day, day), "iso", 1)
    return _cand(m, lambda ctx: _day_norm(day), "iso", 1)


@_rule("ymd", r"(?<![\w.])(\d{4})([./])(\d{1,2})\2(\d{1,2})(?![\w]|[./]\d)")
def _r_ymd(m: re.Match[str], text: str) -> _Cand | None:
    y, mo, d = int(m[1]), int(m[3]), int(m[4])
    if not 1000 <= y <= 2199:
        return None
    if not cal.valid_date(y, mo, d):
        return _block(m, "ymd")
    day = dt.date(y, mo, d)
    return _cand(m, lambda ctx: _day_norm(day), "ymd", 1)


@_rule("mdy", r"(?<![\w./])(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})(?![\w]|[/.]\d)")
def _r_mdy(m: re.Match[str], text: str) -> _Cand | None:
    a, b, yy = int(m[1]), int(m[3]), m[4]
    y = int(yy) if len(yy) == 4 else (1900 + int(yy) if int(yy) >= 50 else 2000 + int(yy))
    if m[2] == ".":
        day_first = True  # 31.01.2025: the European order
        if len(yy) != 4:
            return None
    else:
        day_first = a > 12  # 01/31/2025: the American order, unless the first number cannot be a month
    d, mo = (a, b) if day_first else (b, a)
    if not cal.valid_date(y, mo, d):
        return _block(m, "mdy")
    day = dt.date(y, mo, d)
    return _cand(m, lambda ctx: _day_norm(day), "mdy", 1)


# --- dates with month names -----------------------------------------------------------------------

_WD_PREFIX = rf"(?:(?P<wd>{WEEKDAY_RE}),?\s+(?:the\s+)?)?"
_DAY_NUM = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d|,\d{3}|\.\d)"
_DAY_WORD = (
    rf"(?P<dayw>{ORDINAL_RE}|"
    r"(?:twenty|thirty)[\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth))"
)


def _month_of(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _day_of(m: re.Match[str]) -> int:
    if m["day"]:
        return int(m["day"])
    w = _lower(m["dayw"]).replace("-", " ")
    if w in ORDINALS:
        return ORDINALS[w]
    tens, unit = w.split()
    return TENS[tens] + ORDINALS[unit]


def _date_with_day(m: re.Match[str], rule: str, priority: int = 2) -> _Cand | None:
    month = _month_of(m["mon"])
    day = _day_of(m)
    year = int(m["year"]) if m["year"] else None
    mon_word = m["mon"].rstrip(".")
    if (
        mon_word.lower() in ("mar", "jan", "jun", "jul", "sep", "dec")
        and not m["mon"].endswith(".")
        and not (m["day"])
    ):
        return None
    if year is not None and not cal.valid_date(year, month, day):
        return _block(m, rule)
    if year is None and not cal.valid_date(2000, month, day):  # 2000 was a leap year: 29 February exists
        return _block(m, rule)

    def resolve(ctx: _Context) -> _Norm | None:
        if year is not None:
            return _day_norm(dt.date(year, month, day))
        if m["wd"] and ctx.dct is not None:
            # "Friday, Nov. 3": the year in which that day is that weekday, nearest publication
            wd = WEEKDAYS[m["wd"].lower()]
            this_year = ctx.dct.year
            for y in (this_year, this_year - 1, this_year + 1):
                if cal.valid_date(y, month, day) and dt.date(y, month, day).weekday() == wd:
                    return _day_norm(dt.date(y, month, day))
        picked = _pick_day(ctx, month, day)
        if picked is None:
            return _Norm("date", f"XXXX-{month:02d}-{day:02d}")
        return _day_norm(picked)

    return _cand(m, resolve, rule, priority)


@_rule(
    "month_day",
    rf"\b{_WD_PREFIX}(?P<mon>{MONTH_NAMES_RE})\s*(?:{_DAY_NUM}|{_DAY_WORD}\b)"
    rf"(?:(?:\s*,\s*|\s+)(?P<year>{_YEAR})(?!\d))?",
)
def _r_month_day(m: re.Match[str], text: str) -> _Cand | None:
    return _date_with_day(m, "month_day")


@_rule(
    "day_month",
    rf"\b{_WD_PREFIX}(?:the\s+)?(?:{_DAY_NUM}|{_DAY_WORD})\s+(?:of\s+)?(?P<mon>{MONTH_NAMES_RE})"
    rf"(?:,?\s+(?P<year>{_YEAR})(?!\d))?",
)
def _r_day_month(m: re.Match[str], text: str) -> _Cand | None:
    return _date_with_day(m, "day_month")


_MONTH_MOD = (
    r"(?:(?P<mod>(?i:early|late|mid|the\s+(?:end|beginning|start|middle|first\s+half|second\s+half|"
    r"first\s+week|last\s+week|first\s+days|last\s+days)\s+of))[\s-]+)?"
)
_MONTH_AFTER_WORDS = {
    "in",
    "of",
    "since",
    "until",
    "till",
    "by",
    "during",
    "through",
    "throughout",
    "from",
    "to",
    "before",
    "after",
    "early",
    "late",
    "mid",
    "last",
    "this",
    "next",
    "and",
    "or",
    "between",
    "on",
    "for",
    "past",
    "coming",
    "around",
    "about",
    "that",
    "each",
    "every",
}


@_rule(
    "month",
    rf"\b{_MONTH_MOD}(?:(?P<rel>(?i:last|this|next|this\s+past|this\s+coming|past|coming))\s+)?"
    rf"(?P<mon>{MONTH_NAMES_RE})(?!\s*(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d,.]\d))(?:(?:\s*,\s*|\s+of\s+|\s+)(?P<year>{_YEAR}|'\d\d)(?![\d%])"
    rf"|\s+(?P<ryear>this|last|next)\s+year\b)?",
)
def _r_month(m: re.Match[str], text: str) -> _Cand | None:
    month = _month_of(m["mon"])
    word = m["mon"].rstrip(".").lower()
    year: int | None = None
    if m["year"]:
        yy = m["year"]
        year = int(yy) if len(yy) == 4 else 1900 + int(yy[1:]) if int(yy[1:]) >= 30 else 2000 + int(yy[1:])
    bare = not (m["year"] or m["ryear"] or m["rel"] or m["mod"])
    if word in AMBIGUOUS_MONTHS and bare:
        if word in ("mar", "jan", "jun", "jul", "sep", "dec") and not m["mon"].endswith("."):
            return None
        if m["mon"].isupper() and len(m["mon"]) > 3:
            return None
        if word == "may" and _prev_word(text, m.start()) not in _MONTH_AFTER_WORDS:
            return None
        prev = _prev_word(text, m.start())
        if prev in ("the", "a", "annual", "this", "his", "her", "their", "our"):
            if prev == "annual" or re.match(
                r"\s+(?:for|of|on|to|against|through)\b", text[m.end() : m.end() + 9]
            ):
                return None  # "the March for Life", "the annual March of the Mothers"
    if word in ("mar", "jan", "jun", "jul", "sep", "dec") and not m["mon"].endswith(".") and not m["year"]:
        return None
    mod = _lower(m["mod"])
    approx = bool(mod)
    rel = _lower(m["rel"]).split()[-1] if m["rel"] else ""
    ryear = _lower(m["ryear"])

    def resolve(ctx: _Context) -> _Norm | None:
        y = year
        d = ctx.dct
        if y is None and d is not None:
            if ryear:
                y = cal.add_years(d.year, {"this": 0, "last": -1, "next": 1}[ryear])
            elif rel in ("last", "past"):
                y = d.year if month < d.month else cal.add_years(d.year, -1)
            elif rel in ("next", "coming"):
                y = d.year if month > d.month else cal.add_years(d.year, 1)
            elif rel == "this":
                y = d.year
            else:
                y = _pick_month(ctx, month)
        return _month_norm(y, month, approx, mod)

    return _cand(m, resolve, "month", 3)


# --- years, decades, centuries -------------------------------------------------------------------

_YEAR_MOD = (
    r"(?:(?P<mod>early|late|mid|the\s+(?:end|beginning|start|middle|first\s+half|second\s+half|rest|"
    r"close|spring|summer|fall|autumn|winter)\s+of|fiscal(?:\s+year)?|calendar(?:\s+year)?|the\s+year|"
    r"model\s+year|FY|(?:the\s+)?(?:spring|summer|fall|autumn|winter)(?:\s+of)?)[\s-]+)?"
)
_NOT_YEAR_AFTER = re.compile(
    r"\s*(?:%|percent|per\s+cent|[-–]\s*\d|\.\d|,\d|\s*(?:people|persons|troops|soldiers|men|women|children|"
    r"votes|tons|tonnes|barrels|shares|units|km|kilometers|kilometres|miles|meters|metres|feet|yards|pounds|"
    r"dollars|euros|rubles|yuan|hryvnias|points|cars|vehicles|homes|houses|jobs|employees|workers|"
    r"members|students|calories|rounds|shells|missiles|drones|rockets|bombs|cases|deaths|dead|killed|"
    r"injured|wounded|acres|hectares|sq|square|cubic|gallons|liters|litres|mg|kg|ft|m\b|mm|cm|hp|"
    r"megawatts|mw|kw|MW|GW))",
    re.IGNORECASE,
)


@_rule("year", rf"(?<![\w$€£#.,/-]){_YEAR_MOD}(?P<year>{_YEAR})(?![\w])", flags=re.IGNORECASE)
def _r_year(m: re.Match[str], text: str) -> _Cand | None:
    y = int(m["year"])
    after = text[m.end() : m.end() + 25]
    if _NOT_YEAR_AFTER.match(after):
        return None
    before = text[max(0, m.start() - 12) : m.start()]
    if re.search(
        r"(?:\$|€|£|No\.|no\.|number|#|Flight|flight|Route|route|model|Model|Section|section|"
        r"Article|article|Resolution|resolution|Chapter|chapter|page|Page)\s*$",
        before,
    ):
        return None
    if re.search(r"\d\s?$", before):  # part of a longer number
        return None
    mod = _lower(m["mod"])
    if not mod and not (1600 <= y <= 2099):
        return None
    season = re.search(r"(spring|summer|fall|autumn|winter)", mod)
    approx = bool(mod) and not mod.startswith(("fiscal", "calendar", "the year", "model", "fy"))
    if season:
        code = cal.SEASONS[season.group(1)]
        return _cand(m, lambda ctx: _value_norm("date", f"{y:04d}-{code}"), "year", 3)
    return _cand(m, lambda ctx: _value_norm("date", cal.year_value(y), approx, mod), "year", 4)


@_rule(
    "decade",
    r"\b(?:the\s+)?(?:(?P<mod>early|late|mid)[\s-]+)?(?:(?P<dec>(?:1[0-9]|20)\d0)'?s|'(?P<d2>\d0)s|"
    r"(?P<dw>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b",
    flags=re.IGNORECASE,
)
def _r_decade(m: re.Match[str], text: str) -> _Cand | None:
    if m["dec"]:
        decade = int(m["dec"]) // 10
    elif m["d2"]:
        d2 = int(m["d2"])
        decade = (1900 + d2) // 10 if d2 >= 20 else (2000 + d2) // 10
    else:
        if not m.group(0).lower().startswith("the"):
            return None  # "in his fifties" is an age, "the nineties" a decade
        words = ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"]
        decade = 190 + words.index(m["dw"].lower()) + 2
    approx = bool(m["mod"])
    mod = _lower(m["mod"])
    return _cand(m, lambda ctx: _value_norm("date", f"{decade:03d}", approx, mod), "decade", 3)


@_rule(
    "century",
    rf"\b(?:the\s+)?(?:(?P<mod>early|late|mid)[\s-]+)?(?:(?P<c>\d{{1,2}})(?:st|nd|rd|th)|"
    rf"(?P<cw>{ORDINAL_RE}|twenty[\s-]first))[\s-]+century\b",
    flags=re.IGNORECASE,
)
def _r_century(m: re.Match[str], text: str) -> _Cand | None:
    if m["c"]:
        n = int(m["c"])
    else:
        w = _lower(m["cw"]).replace("-", " ")
        n = 21 if w == "twenty first" else ORDINALS[w]
    if n < 1:
        return None  # "the 0th century" names no century
    approx = bool(m["mod"])
    return _cand(m, lambda ctx: _value_norm("date", f"{n - 1:02d}", approx, _lower(m["mod"])), "century", 3)


_WORD_YEAR = (
    r"(?P<yw>(?:nineteen|twenty)[\s-]+(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|oh[\s-](?:one|two|three|four|five|six|seven|eight|nine)|hundred)"
    r"|two\s+thousand(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[\s-](?:one|two|three|four|five))?))?)"
)


def _word_year(words: str) -> int | None:
    w = _lower(words).replace("-", " ").split()
    if w[:2] == ["two", "thousand"]:
        rest = [x for x in w[2:] if x != "and"]
        return 2000 + int(number_value(" ".join(rest)) or 0) if rest else 2000
    head = {"nineteen": 1900, "twenty": 2000}[w[0]]
    rest = w[1:]
    if rest == ["hundred"]:
        return head
    if rest and rest[0] == "oh":
        return head + ONES[rest[1]]
    return head + int(number_value(" ".join(rest)) or 0)


@_rule(
    "word_year",
    rf"\b(?:(?P<mon>{MONTH_NAMES_RE})\s+|(?P<season>(?:the\s+)?(?:spring|summer|fall|autumn|winter)\s+of\s+))?"
    rf"(?P<lead>the\s+year\s+)?{_WORD_YEAR}\b",
    flags=re.IGNORECASE,
)
def _r_word_year(m: re.Match[str], text: str) -> _Cand | None:
    if m["yw"].lower().startswith("two") and not m["lead"]:
        return None
    y = _word_year(m["yw"])
    if y is None:
        return None
    if m["mon"] and m["mon"][0].isupper():
        month = _month_of(m["mon"])
        return _cand(m, lambda ctx: _month_norm(y, month), "word_year", 3)
    if m["season"]:
        code = cal.SEASONS[re.search(r"spring|summer|fall|autumn|winter", m["season"].lower()).group(0)]  # type: ignore[union-attr]
        return _cand(m, lambda ctx: _value_norm("date", f"{y:04d}-{code}"), "word_year", 3)
    if m["mon"]:
        return None
    return _cand(m, lambda ctx: _value_norm("date", cal.year_value(y)), "word_year", 3)


# --- quarters and halves ---------------------------------------------------------------------------

_Q_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_Q_ADJ = (
    r"(?:(?P<adj>fiscal|calendar|year-earlier|year-ago|year-before|latest|current|comparable|previous|prior|"
    r"flat|strong|weak|same|disappointing|sluggish|record|slow|traditionally\s+\w+)[\s-]+)"
)


@_rule(
    "quarter",
    rf"\b(?:(?P<det>the|its|their|his|her|a|this\s+year's|last\s+year's|next\s+year's|"
    rf"(?P<yposs>{_YEAR})(?:'s)?|this|that)\s+)?{_Q_ADJ}*"
    r"(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?(?P<unit>quarter|half)(?P<pl>s)?\b"
    rf"(?:\s+(?:of|in)\s+(?:(?:fiscal|calendar)\s+)?(?P<year>{_YEAR}|this\s+year|last\s+year|next\s+year|"
    rf"the\s+(?:current|fiscal|same)\s+year))?",
    flags=re.IGNORECASE,
)
def _r_quarter(m: re.Match[str], text: str) -> _Cand | None:
    q = _Q_ORD[m["q"].lower()]
    half = m["unit"].lower() == "half"
    if half and q > 2:
        return None
    if half and not (m["det"] or m["year"]):
        return None
    after = text[m.end() : m.end() + 12]
    if half and re.match(r"\s+of\s+(?:the|a|an|his|her|its|their)\b", after):
        return None  # "the second half of the match"
    if re.match(r"-?\s*(?:century|mile|place|round|grade)", after):
        return None
    det = _lower(m["det"])
    adj = _lower(m.group(0))
    yexp = _lower(m["year"])
    code = "H" if half else "Q"

    def resolve(ctx: _Context) -> _Norm | None:
        d = ctx.dct
        y: int | None = None
        if m["yposs"]:
            y = int(m["yposs"])
        elif yexp and yexp[0].isdigit():
            y = int(yexp)
        elif d is not None:
            y = d.year
            if "last year" in det or "last year" in yexp:
                y = cal.add_years(y, -1)
            elif "next year" in det or "next year" in yexp:
                y = cal.add_years(y, 1)
            elif "year-earlier" in adj or "year-ago" in adj or "year-before" in adj:
                y = cal.add_years(y, -1)
            elif not half and q > cal.quarter_of(d) and ctx.tense() == "past":
                y = cal.add_years(y, -1)  # a quarter that has not begun cannot be spoken of in the past tense
        if m["pl"]:
            return _Norm("set", f"XXXX-{code}{q}")
        if y is None:
            return _Norm("date", f"XXXX-{code}{q}")
        return _value_norm("date", f"{y:04d}-{code}{q}")

    start = m.start()
    if det in _PLAIN_DETERMINERS and re.search(r"-(?:fiscal-)?(?:quarter|half)", m.group(0), re.IGNORECASE):
        # "a third-quarter loss": the determiner belongs to "loss"
        start = m.start("adj") if m["adj"] else m.start("q")
    return _cand(m, resolve, "quarter", 2, start=start)


_PLAIN_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "this", "that", "our", "my", "your"}


_ANA_PERIOD_ADJ = (
    r"latest|current|recent|just[\s-]ended|just[\s-]completed|year-earlier|year-ago|year-before|comparable|"
    r"same|corresponding|previous|prior|fiscal|most\s+recent|year\s+earlier|"
    r"year\s+ago"
)


@_rule(
    "the_quarter",
    rf"\b(?P<det>the|this|that|its|their|a)\s+(?P<adjs>(?:(?:{_ANA_PERIOD_ADJ})[\s-]+)*)(?:(?P<yr>{_YEAR})\s+)?"
    r"(?P<unit>quarter|period)\b(?!-)"
    r"(?P<ago>\s+a\s+year\s+(?:ago|earlier))?"
    r"|\b(?P<solo>year-earlier|year-ago|year-before)\b",
    flags=re.IGNORECASE,
)
def _r_the_quarter(m: re.Match[str], text: str) -> _Cand | None:
    adjs = _lower(m["adjs"] or "")
    solo = _lower(m["solo"])
    unit = _lower(m["unit"])
    det = _lower(m["det"])
    after = text[m.end() : m.end() + 20]
    yr = int(m["yr"]) if m["yr"] else None
    if unit == "period" and not adjs and yr is None:
        return None
    if (
        unit == "quarter"
        and re.match(r"\s+(?:of|century|mile|point)\b", after)
        and not re.match(r"\s+of\s+(?:fiscal\s+)?\d{4}", after)
    ):
        return None  # "a quarter of the shares"
    if det == "a" and not adjs:
        return None
    earlier = (
        bool(m["ago"])
        or solo
        or any(
            w in adjs
            for w in (
                "year-earlier",
                "year-ago",
                "year-before",
                "year earlier",
                "year ago",
                "comparable",
                "corresponding",
            )
        )
    )
    current = "current" in adjs or det == "this"
    latest = any(
        w in adjs
        for w in (
            "latest",
            "most recent",
            "just-ended",
            "just ended",
            "just-completed",
            "just completed",
            "recent",
        )
    )
    if re.match(r"\s+(?:a\s+)?year\s+(?:ago|earlier)", after):
        return None  # the longer expression is matched by another rule

    def resolve(ctx: _Context) -> _Norm | None:
        d = ctx.dct
        if d is None and ctx.ref_quarter is None and ctx.ref_year is None:
            return _Norm("date", "XXXX-QX" if unit == "quarter" or solo else "XXXX", approximate=True)
        if yr is not None:
            q = (
                ctx.ref_quarter[1]
                if ctx.ref_quarter
                else (cal.add_quarters(d.year, cal.quarter_of(d), -1)[1] if d else 0)
            )
            if unit == "period" and not ctx.ref_quarter:
                return _value_norm("date", cal.year_value(yr))
            return _value_norm("date", f"{yr:04d}-Q{q}") if q else _Norm("date", f"{yr:04d}-QX")
        if current and d is not None:
            y, q = d.year, cal.quarter_of(d)
        elif latest and d is not None:
            y, q = cal.add_quarters(d.year, cal.quarter_of(d), -1)
        elif ctx.ref_quarter is not None:
            y, q = ctx.ref_quarter
        elif solo and ctx.ref_year is not None:
            return _value_norm("date", cal.year_value(cal.add_years(ctx.ref_year, -1)))
        elif d is not None:
            y, q = cal.add_quarters(d.year, cal.quarter_of(d), -1)
        else:
            return _Norm("date", "XXXX-QX", approximate=True)
        if earlier:
            if solo and ctx.ref_gran == "year" and ctx.ref_year is not None:
                return _value_norm("date", cal.year_value(cal.add_years(ctx.ref_year, -1)))
            y, q = cal.add_quarters(y, q, -4)
        return _value_norm("date", f"{y:04d}-Q{q}")

    return _cand(m, resolve, "the_quarter", 4)


# --- seasons ---------------------------------------------------------------------------------------

_SEASON_PREV = {
    "in",
    "during",
    "this",
    "by",
    "until",
    "till",
    "since",
    "over",
    "through",
    "throughout",
    "before",
    "after",
    "early",
    "late",
    "mid",
    "last",
    "next",
    "that",
    "the",
    "of",
}


@_rule(
    "season",
    r"\b(?:(?P<mod>early|late|mid)[\s-]+)?(?:(?P<rel>the|this|last|next|this\s+past|this\s+coming|past|coming|"
    r"that)\s+)?(?:(?P<mod2>early|late)\s+)?(?P<season>spring|summer|fall|autumn|winter)\b"
    rf"(?:\s+(?:of\s+)?(?P<year>{_YEAR}))?",
    flags=re.IGNORECASE,
)
def _r_season(m: re.Match[str], text: str) -> _Cand | None:
    season = m["season"].lower()
    code = cal.SEASONS[season]
    rel = _lower(m["rel"])
    mod = _lower(m["mod"] or m["mod2"])
    year = int(m["year"]) if m["year"] else None
    after = text[m.end() : m.end() + 12]
    if year is None:
        if re.match(r"\s+of\b", after) or re.match(
            r"[\s-]+(?:season|wheat|collection|term|semester|games|"
            r"olympics|offensive|campaign|festival|school|camp)",
            after,
            re.IGNORECASE,
        ):
            if not re.match(r"\s+(?:season|offensive|campaign)", after, re.IGNORECASE):
                return None
        if not rel and not mod:
            if season in ("fall", "spring"):
                return None
            if _prev_word(text, m.start()) not in _SEASON_PREV:
                return None
        if rel == "the" and season in ("fall", "spring") and _prev_word(text, m.start()) not in _SEASON_PREV:
            return None
        if m["season"][0].isupper() and m.start() > 0 and not rel and not mod:
            return None

    def resolve(ctx: _Context) -> _Norm | None:
        d = ctx.dct
        if year is not None:
            return _value_norm("date", f"{year:04d}-{code}", bool(mod), mod)
        if d is None:
            return _Norm("date", f"XXXX-{code}", approximate=bool(mod))
        cur_y, cur_s = cal.season_of(d)
        start_this = cal.season_bounds(d.year, code)[0]
        r = rel.split()[-1] if rel else ""
        if r in ("last", "past"):
            y = d.year if start_this < d and (cur_s != code or cur_y != d.year) else d.year - 1
            if cur_s == code:
                y = cur_y - 1
        elif r in ("next", "coming"):
            y = d.year if start_this > d else d.year + 1
        elif r == "this" or not r or r in ("the", "that"):
            if cur_s == code:
                y = cur_y
            else:
                t = ctx.tense()
                if t == "past":
                    y = d.year if start_this <= d else d.year - 1
                elif t == "future":
                    y = d.year if start_this > d else d.year + 1
                else:
                    y = d.year
        else:
            y = d.year
        y = cal.clamp_year(y)  # winter 0000/0001 and the seasons of 10000 are not on the calendar
        return _value_norm("date", f"{y:04d}-{code}", bool(mod), mod)

    return _cand(m, resolve, "season", 4)


# --- days relative to publication -----------------------------------------------------------------

_POD = r"(?P<pod>morning|afternoon|evening|night)"


_GENERIC_NOUNS = {
    "world",
    "youth",
    "society",
    "generation",
    "standards",
    "children",
    "kids",
    "young",
    "economy",
    "technology",
    "terms",
    "dollars",
    "personal",
    "modern",
    "computers",
    "politics",
    "culture",
    "market",
    "markets",
    "army",
    "military",
    "warfare",
    "weapons",
    "media",
    "global",
    "fast",
    "complex",
    "climate",
}


@_rule(
    "today",
    r"\b(?:(?P<pre>early|late|earlier|later)\s+)?(?:(?P<pod0>mid-?afternoon|mid-?morning|late\s+morning|"
    r"early\s+morning)\s+)?(?P<word>today|tonight|tomorrow|yesterday|the\s+day\s+before\s+yesterday|"
    rf"the\s+day\s+after\s+tomorrow)\b(?:\s+{_POD}\b)?",
    flags=re.IGNORECASE,
)
def _r_today(m: re.Match[str], text: str) -> _Cand | None:
    word = _lower(m["word"])
    generic = re.match(r"'s\s+([a-z]+)", text[m.end() : m.end() + 20])
    if word == "today" and generic and generic.group(1) in _GENERIC_NOUNS and not m["pod"]:
        return None  # "today's youth": the present in general, not the day
    offset = {
        "today": 0,
        "tonight": 0,
        "tomorrow": 1,
        "yesterday": -1,
        "the day before yesterday": -2,
        "the day after tomorrow": 2,
    }[word]
    pod = _lower(m["pod"] or m["pod0"])
    if word == "tonight":
        pod = "night"
    approx = bool(m["pre"])
    code = ""
    if pod:
        key = pod.replace("late ", "").replace("early ", "")
        code = "T" + PARTS_OF_DAY.get(key, PARTS_OF_DAY.get(key.replace("-", ""), "DT")[:2])

    def resolve(ctx: _Context) -> _Norm | None:
        day = cal.shift_days(ctx.dct, offset) if ctx.dct else None
        return _day_norm(day, "time" if code else "date", code, approx)

    return _cand(m, resolve, "today", 2)


@_rule(
    "this_pod",
    r"\b(?:(?P<pre>early|late|earlier|later)\s+)?(?P<rel>this|last|tomorrow|yesterday)\s+"
    r"(?P<pod>morning|afternoon|evening|night)\b|\b(?P<over>overnight)\b",
    flags=re.IGNORECASE,
)
def _r_this_pod(m: re.Match[str], text: str) -> _Cand | None:
    if m["over"]:
        if _prev_word(text, m.start()) in ("an", "the"):
            return None  # "an overnight stay"

        def resolve_over(ctx: _Context) -> _Norm | None:
            return _day_norm(ctx.dct, "time", "TNI")

        return _cand(m, resolve_over, "this_pod", 3)
    rel = _lower(m["rel"])
    pod = _lower(m["pod"])
    if rel == "last" and pod != "night":
        return None  # "last evening" is rare; "last morning" is not a time
    offset = {"this": 0, "last": -1, "tomorrow": 1, "yesterday": -1}[rel]
    code = "T" + PARTS_OF_DAY[pod]
    approx = bool(m["pre"])

    def resolve(ctx: _Context) -> _Norm | None:
        day = cal.shift_days(ctx.dct, offset) if ctx.dct else None
        return _day_norm(day, "time", code, approx)

    return _cand(m, resolve, "this_pod", 2)


@_rule(
    "now",
    r"(?<![\w-])(?P<word>(?:right\s+)?now|currently|presently|nowadays|at\s+present|at\s+the\s+moment|"
    r"these\s+days|(?:the\s+)?present\s+day|as\s+of\s+now|at\s+this\s+time|at\s+this\s+point)(?![\w-])"
    r"|(?<![\w-])(?P<adj>current)(?=\s+[a-z])(?!\s+(?:account|accounts|affairs|events|year|quarter|month|week|"
    r"fiscal|period|season|term|session|administration|government|president|chairman|director|owner|owners|"
    r"members?|holders?|employees|price|prices|rate|rates|dollars|levels?|flows?|generation|version|issue|"
    r"events|edition|situation|system))"
    r"|(?<![\w-])(?P<past>recently|lately|(?:the|in\s+the)\s+(?:recent\s+|distant\s+)?past"
    r"(?=[\s,.;:!?)\"”']|$)(?!\s+(?:\w+\s+)?(?:few|several|many|two|three|four|five|six|seven|eight|nine|ten|"
    r"\d+|week|month|year|day|decade|century|quarter|weekend)))(?![\w-])"
    r"|(?<![\w-])(?P<fut>(?:the|in\s+the)\s+(?:near\s+|immediate\s+|foreseeable\s+|distant\s+)?future|"
    r"the\s+(?:near|short|long)\s+term)(?![\w-])",
    flags=re.IGNORECASE,
)
def _r_now(m: re.Match[str], text: str) -> _Cand | None:
    if m["adj"]:
        return _cand(m, lambda ctx: _Norm("date", "PRESENT_REF", ctx.dct, ctx.dct), "now", 6)
    if m["word"]:
        w = _lower(m["word"])
        if w == "now" and re.match(r"\s*-", text[m.end() : m.end() + 2]):
            return None
        return _cand(m, lambda ctx: _Norm("date", "PRESENT_REF", ctx.dct, ctx.dct), "now", 6)
    if m["past"]:
        start = m.start()
        w = _lower(m["past"])
        if w.startswith("in the"):
            start = m.start() + 3
        approx = True
        return _cand(m, lambda ctx: _Norm("date", "PAST_REF", None, ctx.dct, approx), "now", 6, start=start)
    w = _lower(m["fut"])
    start = m.start() + 3 if w.startswith("in the") else m.start()
    return _cand(m, lambda ctx: _Norm("date", "FUTURE_REF", ctx.dct, None, True), "now", 6, start=start)


# --- weeks, months, years relative to publication ---------------------------------------------------

_REL_UNIT = (
    r"(?P<unit>week|month|year|quarter|weekend|decade|century|fiscal\s+year|calendar\s+year|"
    r"fiscal\s+quarter|school\s+year)"
)
_REL_WORDS = (
    r"this|last|next|the\s+past|the\s+previous|the\s+coming|the\s+current|the\s+following|the\s+preceding|"
    r"the\s+same|that|this\s+past|this\s+coming|past|coming|previous|the\s+last|the\s+next|the\s+prior|"
    r"prior|the\s+latest|the\s+new|the\s+present|the\s+entire|the\s+full|the\s+whole|the|its|a\s+full"
)


@_rule(
    "rel_unit",
    r"\b(?:(?P<pre>early|late|earlier|later|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|"
    r"the\s+middle\s+of|the\s+rest\s+of|the\s+remainder\s+of|the\s+balance\s+of|the\s+first\s+half\s+of|"
    r"the\s+second\s+half\s+of|mid|sometime|some\s+time)[\s-]+(?P<in>in\s+)?)?"
    rf"(?P<rel>{_REL_WORDS})\s+{_REL_UNIT}\b(?!-)",
    flags=re.IGNORECASE,
)
def _r_rel_unit(m: re.Match[str], text: str) -> _Cand | None:
    rel = _lower(m["rel"])
    unit = _lower(m["unit"]).replace("fiscal ", "").replace("calendar ", "").replace("school ", "")
    pre = _lower(m["pre"])
    after = text[m.end() : m.end() + 25]
    if rel in (
        "the",
        "its",
        "a full",
        "the entire",
        "the full",
        "the whole",
        "the new",
        "the present",
        "the latest",
    ):
        # "the year", "the week": only as a date of its own, not "the year ended", "the week of March 3"
        if unit not in ("year", "week", "weekend", "month"):
            return None
        if unit == "year" and rel in ("the", "its") and re.match(r"\s+(?:ended|ending)\b", after):
            return _cand(m, lambda ctx: _Norm("duration", "P1Y"), "rel_unit", 3)
        if re.match(r"\s*(?:'s|ended|ending|earlier|ago|before|after|of|to|in\s+which|when|that|-)", after):
            if not (unit == "week" and re.match(r"\s+of\s+[A-Z]", after)):
                return None
        if unit == "month" and not pre:
            return None
        if unit == "week" and not pre and not re.match(r"\s+of\s+[A-Z]", after):
            return None
    if m["in"] and rel not in ("the",):
        return None
    if re.match(r"[\s-]+(?:earlier|ago|before)\b", after) and rel in ("the", "that"):
        return None
    approx = bool(pre)
    if rel in ("the past", "the last") and unit in ("year", "month", "week", "decade", "century") and not pre:
        if re.match(r"\s+(?:or\s+two|or\s+so)", after):
            approx = True

    def resolve(ctx: _Context) -> _Norm | None:
        d = ctx.dct
        anchor: dt.date | None = d
        step = 0
        if rel in (
            "last",
            "the past",
            "the previous",
            "past",
            "previous",
            "the last",
            "the prior",
            "prior",
            "this past",
            "the preceding",
        ):
            step = -1
        elif rel in ("next", "the coming", "the following", "coming", "this coming", "the next"):
            step = 1
        if rel in ("the following", "the preceding", "the previous", "the same", "that", "the prior"):
            anchor = ctx.ref_anchor(unit) or d
            if rel in ("the same", "that"):
                step = 0
        if rel in ("the entire", "the whole", "a full") and unit == "year":
            return _Norm("duration", "P1Y", approximate=approx)
        if rel in ("the past", "the last", "past") and unit in ("decade", "century") and not pre:
            # "the past decade" is the ten years up to now, not the 2010s
            value = "P10Y" if unit == "decade" else "P100Y"
            return _Norm("duration", value, cal.subtract_duration(d, value) if d else None, d)
        if anchor is None:
            return _Norm(
                "date",
                {
                    "week": "XXXX-WXX",
                    "month": "XXXX-XX",
                    "year": "XXXX",
                    "quarter": "XXXX-QX",
                    "weekend": "XXXX-WXX-WE",
                    "decade": "XXX",
                    "century": "XX",
                }[unit],
                approximate=approx,
            )
        if unit == "week":
            day = cal.shift_days(anchor, 7 * step)
            return _value_norm("date", cal.week_value(day), approx, pre)
        if unit == "weekend":
            back = (anchor.weekday() - 5) % 7
            if step == 0 and anchor.weekday() < 5:
                sat = (
                    cal.shift_days(anchor, -back)
                    if ctx.tense() != "future"
                    else cal.shift_days(anchor, 5 - anchor.weekday())
                )
            elif step == 0:
                sat = cal.shift_days(anchor, -(anchor.weekday() - 5))
            elif step < 0:
                sat = cal.shift_days(anchor, -(back or 7))
            else:
                sat = cal.shift_days(anchor, (5 - anchor.weekday()) % 7 or 7)
            return _Norm("date", cal.week_value(sat) + "-WE", sat, cal.shift_days(sat, 1), approx)
        if unit == "month":
            y, mo = cal.add_months(anchor.year, anchor.month, step)
            return _month_norm(y, mo, approx, pre)
        if unit == "quarter":
            y, q = cal.add_quarters(anchor.year, cal.quarter_of(anchor), step)
            return _value_norm("date", f"{y:04d}-Q{q}", approx, pre)
        if unit == "year":
            return _value_norm("date", cal.year_value(cal.add_years(anchor.year, step)), approx, pre)
        if unit == "decade":
            return _value_norm("date", cal.decade_value(anchor.year + 10 * step), approx, pre)
        return _value_norm("date", cal.century_value(anchor.year + 100 * step), approx, pre)

    return _cand(m, resolve, "rel_unit", 3)


@_rule(
    "week_of",
    rf"\b(?:the\s+)?week\s+of\s+(?P<mon>{MONTH_NAMES_RE})\s*(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
    rf"(?:,?\s+(?P<year>{_YEAR}))?",
)
def _r_week_of(m: re.Match[str], text: str) -> _Cand | None:
    month, day = _month_of(m["mon"]), int(m["day"])
    year = int(m["year"]) if m["year"] else None
    if not cal.valid_date(year or 2000, month, day):
        return _block(m, "week_of")

    def resolve(ctx: _Context) -> _Norm | None:
        date = dt.date(year, month, day) if year else _pick_day(ctx, month, day)
        if date is None:
            return _Norm("date", "XXXX-WXX")
        return _value_norm("date", cal.week_value(date))

    return _cand(m, resolve, "week_of", 2)


@_rule(
    "over_the_years",
    r"\b(?:over|through|throughout)\s+the\s+(?P<unit>years|decades|centuries|months)\b",
    flags=re.IGNORECASE,
)
def _r_over_the_years(m: re.Match[str], text: str) -> _Cand | None:
    value = _duration_value(None, _unit_code(m["unit"]))
    return _cand(
        m,
        lambda ctx: _Norm("duration", value, approximate=True),
        "over_the_years",
        4,
        start=m.start("unit") - 4,
    )


@_rule(
    "in_the_unit",
    r"\b(?P<pre>earlier|later|early|late)\s+in\s+the\s+(?P<unit>week|month|year|decade)\b"
    r"|\b(?P<pre2>earlier|later)\s+(?P<that>that|this|the\s+same)\s+(?P<unit2>week|month|year|day|morning|"
    r"afternoon|evening|night)\b",
    flags=re.IGNORECASE,
)
def _r_in_the_unit(m: re.Match[str], text: str) -> _Cand | None:
    unit = _lower(m["unit"] or m["unit2"])
    that = _lower(m["that"])

    def resolve(ctx: _Context) -> _Norm | None:
        anchor = (ctx.ref_anchor(unit) or ctx.dct) if that in ("that", "the same") else ctx.dct
        if anchor is None:
            return _Norm("date", "XXXX", approximate=True)
        if unit in ("day",):
            return _day_norm(anchor, approx=True)
        if unit in ("morning", "afternoon", "evening", "night"):
            return _day_norm(anchor, "time", "T" + PARTS_OF_DAY[unit], True)
        if unit == "week":
            return _value_norm("date", cal.week_value(anchor), True)
        if unit == "month":
            return _month_norm(anchor.year, anchor.month, True)
        if unit == "decade":
            return _value_norm("date", cal.decade_value(anchor.year), True)
        return _value_norm("date", cal.year_value(anchor.year), True)

    return _cand(m, resolve, "in_the_unit", 3)


@_rule(
    "the_day",
    r"\b(?P<rel>that\s+same|the\s+same|the\s+next|the\s+following|the\s+previous|the\s+prior|the\s+preceding)\s+"
    r"(?P<unit>day|morning|afternoon|evening|night)\b"
    r"|\bthe\s+(?P<unit2>day|night)\s+(?P<ba>before|after)(?=\s*[,.;:!?)\"”'])",
    flags=re.IGNORECASE,
)
def _r_the_day(m: re.Match[str], text: str) -> _Cand | None:
    rel = _lower(m["rel"])
    unit = _lower(m["unit"] or m["unit2"])
    ba = _lower(m["ba"])
    step = 0
    if rel in ("the next", "the following") or ba == "after":
        step = 1
    elif rel in ("the previous", "the prior", "the preceding") or ba == "before":
        step = -1
    code = "" if unit == "day" else "T" + PARTS_OF_DAY[unit]

    def resolve(ctx: _Context) -> _Norm | None:
        anchor = ctx.anchor_day()
        day = cal.shift_days(anchor, step) if anchor else None
        return _day_norm(day, "time" if code else "date", code)

    return _cand(m, resolve, "the_day", 4)


@_rule(
    "year_end",
    r"\b(?:(?P<pre>around|by|at|before|after)\s+)?(?P<word>year[\s-]end|year's\s+end|end\s+of\s+the\s+year|"
    r"month[\s-]end)\b",
    flags=re.IGNORECASE,
)
def _r_year_end(m: re.Match[str], text: str) -> _Cand | None:
    word = _lower(m["word"])
    start = m.start("word")
    if word.startswith("end of the year"):
        return None  # "the end of the year" is rel_unit's

    def resolve(ctx: _Context) -> _Norm | None:
        d = ctx.dct
        if d is None:
            return _Norm("date", "XXXX-12-31" if "year" in word else "XXXX-XX-XX", approximate=True)
        if "month" in word:
            day = dt.date(d.year, d.month, cal.last_day(d.year, d.month))
            return _day_norm(day, approx=True)
        y = d.year - 1 if ctx.tense() == "past" and d.month < 12 and d.month <= 3 else d.year
        return _day_norm(cal.make_date(y, 12, 31), approx=True)

    return _cand(m, resolve, "year_end", 4, start=start)


# --- weekdays ----------------------------------------------------------------------------------------


@_rule(
    "weekday",
    r"\b(?:(?P<pre>(?i:early|late|earlier|later))\s+(?:on\s+)?)?(?:(?P<rel>(?i:last|this|next|this\s+past|"
    r"this\s+coming|coming|past|the\s+previous|the\s+following|the\s+next|previous|following))\s+)?"
    rf"(?P<wd>{WEEKDAY_RE})\b(?!-)(?:'s)?(?:\s+(?P<pod>morning|afternoon|evening|night)(?!s)\b)?",
)
def _r_weekday(m: re.Match[str], text: str) -> _Cand | None:
    wd = WEEKDAYS[m["wd"].lower()]
    rel = _lower(m["rel"])
    pod = _lower(m["pod"])
    code = "T" + PARTS_OF_DAY[pod] if pod else ""
    approx = bool(m["pre"])
    end = m.end()
    if m.group(0).endswith("'s") and not pod:
        end -= 2
    after = text[m.end() : m.end() + 3]
    if after.startswith("s ") or after.startswith("s,"):
        return None

    possessive = m.group(0).endswith("'s")

    def resolve(ctx: _Context) -> _Norm | None:
        day: dt.date | None
        if possessive and not rel and ctx.dct is not None:
            # "Wednesday's ruling": an event already spoken of, so past (or today)
            day = cal.shift_days(ctx.dct, -((ctx.dct.weekday() - wd) % 7))
            return _day_norm(day, "time" if code else "date", code, approx)
        if rel in ("the previous", "the following", "the next") and ctx.ref_day is not None:
            ref = ctx.ref_day
            if rel == "the previous":
                day = cal.shift_days(ref, -((ref.weekday() - wd) % 7 or 7))
            else:
                day = cal.shift_days(ref, (wd - ref.weekday()) % 7 or 7)
        else:
            day = _pick_weekday(ctx, wd, rel)
        if day is None:
            return _Norm("time" if code else "date", f"XXXX-WXX-{wd + 1}{code}", approximate=approx)
        return _day_norm(day, "time" if code else "date", code, approx)

    return _cand(m, resolve, "weekday", 3, end=end)


@_rule(
    "weekday_set",
    rf"\b(?:(?:every|each)\s+(?P<wd>{WEEKDAY_RE})(?:\s+(?P<pod>morning|afternoon|evening|night))?"
    rf"|(?P<wd2>{WEEKDAY_RE})s\b|(?P<wd3>{WEEKDAY_RE})\s+(?P<pod3>mornings|afternoons|evenings|nights)\b)",
)
def _r_weekday_set(m: re.Match[str], text: str) -> _Cand | None:
    word = m["wd"] or m["wd2"] or m["wd3"]
    wd = WEEKDAYS[word.lower()]
    pod = _lower(m["pod"] or m["pod3"]).rstrip("s")
    code = "T" + PARTS_OF_DAY[pod] if pod else ""
    return _cand(m, lambda ctx: _Norm("set", f"XXXX-WXX-{wd + 1}{code}"), "weekday_set", 2)


# --- holidays -----------------------------------------------------------------------------------------


def _holiday_date(name: str, year: int) -> dt.date | None:
    """The day of a holiday in ``year`` (held to the calendar: 9999 for a year after it)."""
    year = cal.clamp_year(year)
    key = name.lower()
    if key in FIXED_HOLIDAYS:
        mo, d = FIXED_HOLIDAYS[key]
        return dt.date(year, mo, d)
    if key in FLOATING_HOLIDAYS:
        mo, wd, n = FLOATING_HOLIDAYS[key]
        if n > 0:
            first = dt.date(year, mo, 1)
            return cal.shift_days(first, (wd - first.weekday()) % 7 + 7 * (n - 1))
        last = dt.date(year, mo, cal.last_day(year, mo))
        return cal.shift_days(last, -((last.weekday() - wd) % 7))
    if key in ("easter", "easter sunday"):
        a, b, c = year % 19, year // 100, year % 100
        d, e = b // 4, b % 4
        f = (b + 8) // 25
        g = (b - f + 1) // 3
        h = (19 * a + b - d - g + 15) % 30
        i, k = c // 4, c % 4
        l_ = (32 + 2 * e + 2 * i - h - k) % 7
        mm = (a + 11 * h + 22 * l_) // 451
        month = (h + l_ - 7 * mm + 114) // 31
        day = (h + l_ - 7 * mm + 114) % 31 + 1
        return dt.date(year, month, day)
    if key == "election day":
        first = dt.date(year, 11, 2)
        return cal.shift_days(first, (1 - first.weekday()) % 7)
    return None


@_rule(
    "holiday",
    rf"\b(?:(?P<rel>last|this|next|this\s+past|this\s+coming)\s+)?(?P<hol>{HOLIDAY_RE}|Easter(?:\s+Sunday)?|"
    rf"Election\s+Day)(?:\s+(?P<year>{_YEAR}))?\b",
)
def _r_holiday(m: re.Match[str], text: str) -> _Cand | None:
    name = _lower(m["hol"])
    rel = _lower(m["rel"])
    year = int(m["year"]) if m["year"] else None

    def resolve(ctx: _Context) -> _Norm | None:
        d = ctx.dct
        if year is not None:
            day = _holiday_date(name, year)
            return _day_norm(day)
        if d is None:
            return _Norm("date", "XXXX-XX-XX")
        this_year = _holiday_date(name, d.year)
        if this_year is None:
            return None
        t = ctx.tense()
        if rel.endswith("last") or rel.endswith("past") or (not rel and t == "past"):
            y = d.year if this_year <= d else d.year - 1
        elif rel.endswith("next") or rel.endswith("coming") or (not rel and t == "future"):
            y = d.year if this_year >= d else d.year + 1
        else:
            y = d.year
        return _day_norm(_holiday_date(name, y))

    return _cand(m, resolve, "holiday", 3)


# --- times of day -------------------------------------------------------------------------------------

_TZ = (
    r"(?:\s+(?P<tz>[ECMP][SD]T|GMT|UTC|BST|CET|CEST|EET|EEST|MSK|local\s+time|Moscow\s+time|Kyiv\s+time|"
    r"Kiev\s+time))?"
)
_TIME_DAY = (
    rf"(?:(?:\s*,\s*|\s+)(?:on\s+)?(?P<dword>today|tonight|yesterday|tomorrow)\b"
    rf"|(?:\s*,\s*|\s+)(?:on\s+)?(?P<dwd>{WEEKDAY_RE})\b(?:,?\s+(?P<dmon>{MONTH_NAMES_RE})\s*(?P<dday>\d{{1,2}})\b)?"
    rf"|(?:\s*,\s*|\s+)(?:on\s+)?(?P<dmon2>{MONTH_NAMES_RE})\s*(?P<dday2>\d{{1,2}})\b(?:,\s+(?P<dyear>{_YEAR}))?)?"
)


@_rule(
    "clock",
    r"(?<![\w:.])(?:(?P<mod>around|about|approximately|shortly\s+(?:before|after)|just\s+(?:before|after)|"
    r"roughly)\s+)?(?:(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ampm>[aApP]\.\s?[mM]\.?|[aApP][mM]\b)"
    rf"|(?P<named>noon|midnight|midday)\b|(?P<h4>\d{{1,2}}|{NUM_WORD_RE})\s+(?:o'clock\s+)?in\s+the\s+"
    rf"(?P<pod4>morning|afternoon|evening)\b|(?P<h3>\d{{1,2}}|{NUM_WORD_RE})\s+o'clock\b)"
    rf"{_TZ}{_TIME_DAY}",
    flags=re.IGNORECASE,
)
def _r_clock(m: re.Match[str], text: str) -> _Cand | None:
    if m["named"]:
        named = m["named"].lower()
        h, mi = (12, 0) if named in ("noon", "midday") else (24, 0)
    else:
        hs = m["h"] or m["h4"] or m["h3"]
        h = int(hs) if hs.isdigit() else int(number_value(hs) or 0)
        mi = int(m["mi"]) if m["mi"] else 0
        if h > 23 or (h == 0 and not m["h"]):
            return None
        ampm = _lower(m["ampm"]).replace(".", "").replace(" ", "")
        pod4 = _lower(m["pod4"])
        if ampm == "pm" or pod4 in ("afternoon", "evening"):
            if h < 12:
                h += 12
        elif (ampm == "am" or pod4 == "morning") and h == 12:
            h = 0
        if m["h"] and not ampm:
            return None
        if m["h"] and int(m["h"]) > 12:
            return None
    start = (
        m.start("mod")
        if m["mod"] and m["mod"].lower() in ("around", "about", "approximately", "roughly")
        else (
            m.start("h")
            if m["h"]
            else m.start("named")
            if m["named"]
            else m.start("h4")
            if m["h4"]
            else m.start("h3")
        )
    )
    approx = bool(m["mod"])
    end = m.end()

    def resolve(ctx: _Context) -> _Norm | None:
        day: dt.date | None = None
        d = ctx.dct
        if m["dword"]:
            if d is not None:
                day = cal.shift_days(
                    d, {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[m["dword"].lower()]
                )
        elif m["dmon2"] or m["dmon"]:
            month = _month_of(m["dmon2"] or m["dmon"])
            dd = int(m["dday2"] or m["dday"])
            if m["dyear"]:
                y = int(m["dyear"])
                day = dt.date(y, month, dd) if cal.valid_date(y, month, dd) else None
            else:
                day = _pick_day(ctx, month, dd)
        elif m["dwd"]:
            day = _pick_weekday(ctx, WEEKDAYS[m["dwd"].lower()], None)
        else:
            day = d
        hh = f"{h:02d}:{mi:02d}"
        if day is None:
            return _Norm("time", f"XXXX-XX-XXT{hh}", approximate=approx)
        return _Norm("time", f"{day.isoformat()}T{hh}", day, day, approx)

    return _cand(m, resolve, "clock", 2, start=start, end=end)


@_rule(
    "clock24",
    r"\b(?:at|by|until|till|from|before|after|around|since)\s+(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)"
    rf"(?:\s*(?:hours|hrs|h)\b)?{_TZ}(?![\d:.]\d)",
    flags=re.IGNORECASE,
)
def _r_clock24(m: re.Match[str], text: str) -> _Cand | None:
    h, mi = int(m["h"]), int(m["mi"])

    def resolve(ctx: _Context) -> _Norm | None:
        hh = f"{h:02d}:{mi:02d}"
        if ctx.dct is None:
            return _Norm("time", f"XXXX-XX-XXT{hh}")
        return _Norm("time", f"{ctx.dct.isoformat()}T{hh}", ctx.dct, ctx.dct)

    return _cand(m, resolve, "clock24", 3, start=m.start("h"))


@_rule(
    "pod",
    r"\b(?P<pre>early|late|mid|in\s+the)[\s-]+(?P<pod>morning|afternoon|evening|night)\b(?!\s+(?:of|news|show|"
    r"paper|edition|session|shift|flight|prayers?|meal|rush|hours)\b)",
    flags=re.IGNORECASE,
)
def _r_pod(m: re.Match[str], text: str) -> _Cand | None:
    pre = _lower(m["pre"])
    pod = _lower(m["pod"])
    start = m.start("pod") if pre == "in the" else m.start()
    if pre == "in the":
        return None  # "in the morning" alone is too often generic

    def resolve(ctx: _Context) -> _Norm | None:
        return _day_norm(ctx.dct, "time", "T" + PARTS_OF_DAY[pod], True)

    return _cand(m, resolve, "pod", 5, start=start)


# --- durations ------------------------------------------------------------------------------------------

_NUM = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?(?:\s+1/2|½)?|{NUM_WORD_RE}(?:\s+and\s+a\s+half)?|a\s+couple\s+of|"
    r"a\s+couple|couple\s+of|a\s+few|few|several|many|a\s+number\s+of|numerous|half\s+an?|an?(?:\s+and\s+a\s+half)?|"
    r"a\s+dozen|dozens\s+of|a\s+single|a\s+hundred|a\s+thousand)"
)
_DUR_REL = (
    r"past|last|next|first|previous|coming|following|final|latest|initial|remaining|other|ensuing|"
    r"preceding|succeeding|recent|same|entire|full|whole|additional|subsequent"
)
_DUR_POST = (
    r"ago|earlier|later|before|after|from\s+now|hence|back|or\s+so|or\s+more|or\s+less|or\s+longer|or\s+two|"
    r"and\s+counting|old|later\s+on"
)


def _unit_code(word: str) -> str:
    w = word.lower()
    if w in ("centuries",):
        return "CE"
    if w == "millennia":
        return "MI"
    w = w[:-1] if w.endswith("s") and w[:-1] in UNITS else w
    return UNITS[w]


def _duration_value(n: float | None, code: str) -> str:
    """The TIMEX3 value of ``n`` units (``None``: an unknown number)."""
    if code == "WE":
        code, n = "D", None if n is None else n * 2
    if code == "FN":
        code, n = "W", None if n is None else n * 2
    time_unit = code in ("S", "MIN", "H")
    letter = {
        "S": "S",
        "MIN": "M",
        "H": "H",
        "D": "D",
        "W": "W",
        "M": "M",
        "Q": "Q",
        "Y": "Y",
        "DE": "E",
        "CE": "C",
        "MI": "L",
    }[code]
    if n is None:
        return ("PTX" if time_unit else "PX") + letter
    if code in ("DE", "CE", "MI"):
        n = n * {"DE": 10, "CE": 100, "MI": 1000}[code]
        letter = "Y"
    if n != int(n):
        whole, frac = int(n), n - int(n)
        # a fraction goes to the next smaller unit: 1.5 years → P1Y6M, 5.5 hours → PT5H30M
        smaller = {
            "Y": ("M", 12, False),
            "M": ("D", 30, False),
            "W": ("D", 7, False),
            "D": ("H", 24, True),
            "H": ("M", 60, True),
            "S": ("S", 1, True),
        }
        key = "MIN" if code == "MIN" else letter
        if key == "MIN":
            sub, k, sub_time = "S", 60, True
        elif key in smaller:
            sub, k, sub_time = smaller[key]
        else:
            return ("PT" if time_unit else "P") + f"{n:g}{letter}"
        part = frac * k
        if not part.is_integer():
            return ("PT" if time_unit else "P") + f"{n:g}{letter}"
        if letter == "W" and not time_unit:
            return f"P{int(n * 7)}D" if (n * 7).is_integer() else f"P{n:g}W"
        head = f"{whole}{letter}" if whole else ""
        if time_unit:
            return f"PT{head}{int(part)}{sub}"
        if sub_time:
            return f"P{head}T{int(part)}{sub}"
        return f"P{head}{int(part)}{sub}"
    return ("PT" if time_unit else "P") + f"{int(n)}{letter}"


_DURATION_RE = (
    r"(?<![\w$€£#.,])"
    r"(?:(?P<prep>for|in|within|during|over)\s+)?"
    rf"(?:(?P<mod>{MOD_RE})\s+)?"
    r"(?:(?P<det>the|these|those|its|their|his|her|our|my|your)\s+)?"
    rf"(?:(?P<rel>{_DUR_REL})\s+)?"
    rf"(?:(?P<num>{_NUM})(?:\s+or\s+(?P<num2>{_NUM})|\s*(?:to|-|–)\s*(?P<num3>{_NUM}))?[\s-]+)?"
    r"(?:(?P<adj>more|additional|further|straight|consecutive|full|long|trading|business|working|calendar|"
    r"year-earlier|year-ago|latest|"
    r"successive|extra|short|odd|bloody|tense|agonizing|difficult|hard)[\s-]+)?"
    rf"(?P<unit>{UNIT_RE})\b(?P<suf>-long|-old)?(?!-)(?P<half>\s+and\s+a\s+half\b)?"
    rf"(?:\s+(?P<post>{_DUR_POST})\b)?"
)
_NOT_DURATION_AFTER = re.compile(r"\s*(?:of\s+(?:the|a|an|his|her|its|their|this|that|these|those)\b)", re.I)


@_rule("duration", _DURATION_RE, flags=re.IGNORECASE)
def _r_duration(m: re.Match[str], text: str) -> _Cand | None:
    unit_word = m["unit"].lower()
    plural = unit_word.endswith("s") and unit_word not in ("hrs",) or unit_word in ("centuries", "millennia")
    code = _unit_code(unit_word)
    num_text = _lower(m["num"])
    rel = _lower(m["rel"])
    det = _lower(m["det"])
    mod = _lower(m["mod"])
    post = _lower(m["post"])
    prep = _lower(m["prep"])
    adj = _lower(m["adj"])
    after = text[m.end() : m.end() + 30]
    # what is not a duration
    if not num_text and not plural and mod in ("an additional", "another"):
        num_text = "one"  # "an additional year", "another week"
    if not num_text:
        if not plural:
            return None  # "the past year" etc. are dates (rel_unit)
        if not (rel or prep or post in ("ago",) or m["suf"]):
            return None
        if rel in ("same", "entire", "full", "whole", "other", "first", "final", "additional"):
            return None
        if not rel and prep and det:
            return None  # "in the days ..." : what follows decides, and it is rarely a time
        if not rel and prep and not det and re.match(r"\s+(?:of|to\s+come|before|after|since|when)\b", after):
            return None
    if re.match(r"\s*(?:years?|months?)?[\s-]*old\b", after) or (post == "old"):
        return None
    if num_text in ("a", "an", "a single") and code == "S":
        return None  # "a second" is an ordinal, mostly
    if (
        code == "S"
        and num_text
        and not re.match(r"\d|one|two|three|four|five|ten|twenty|thirty|few|several", num_text)
    ):
        return None
    if code == "Q" and num_text in ("a", "an", "three", "one", "two") and re.match(r"\s*of\b", after):
        return None  # "a quarter of", "three quarters of": fractions
    if code == "Q" and num_text in ("a", "an"):
        return None
    if code == "D" and unit_word.startswith("night") and not num_text:
        return None
    if code == "WE":
        return None  # weekends are dates (rel_unit)
    if num_text in ("a", "an", "one") and not (rel or prep or mod or post or adj or m["suf"]):
        if re.match(r"\s+(?:earlier|ago|later|before|after)\b", after):
            return None
    if _NOT_DURATION_AFTER.match(after) and not num_text and not rel:
        return None
    if det and not rel and not num_text:
        return None
    if det == "the" and not rel and num_text in ("a", "an", "one", "a single"):
        return None
    if m["suf"] == "-old" and not num_text:
        return None
    if post in ("old",) and not num_text:
        return None
    # the number
    vague = False
    try:
        n: float | None = number_value(num_text) if num_text else None
    except ValueError:
        return None
    if n is None:
        vague = True
    if n is not None and n > 10000:
        return None
    if re.fullmatch(r"(?:1[0-9]|20)\d\d", num_text) and not plural:
        return None  # "the 1988 quarter": a year, not 1988 quarters
    # a range ("two to three weeks"): the lower bound is the value, and it is approximate
    approx = vague or bool(m["num2"] or m["num3"]) or (DURATION_MODS.get(mod, False) if mod else False)
    if post in ("or so", "or more", "or less", "or longer", "or two"):
        approx = True
    value = _duration_value(n, code)
    start = m.start()
    end = m.end()
    if det and m["num"] and re.match(r"-", text[m.end("num") : m.end("num") + 1]) and not rel:
        # "the two-week strike", "under its two-year plan": the determiner belongs to the noun
        start = m.start("num")
        prep = ""
    # "over" and a bare "in"/"during" before a determiner are prepositions
    if prep == "over" and (det or rel):
        start = m.start("mod") if m["mod"] else m.start("det") if m["det"] else m.start("rel")
        prep = ""
    if prep and prep not in ("for", "in", "within", "during"):
        prep = ""
    if post in ("old",) or m["suf"] == "-old":
        return None  # ages ("a 44-year-old man") are not time expressions here
    if post in ("later", "after", "later on") or (
        post in ("before",) and not re.match(r"\s*[,.;:)\"”']|\s*$", after)
    ):
        # "three days later", "two days before the vote": a duration and a signal, as TimeML reads it
        post = ""
        end = m.start("post")
        while end > start and text[end - 1].isspace():
            end -= 1
    if m["half"]:
        n = None if n is None else n + 0.5
        value = _duration_value(n, code)
    if post in ("ago", "earlier", "later", "before", "after", "from now", "hence", "back", "later on"):
        if prep:
            start = (
                m.start("mod")
                if m["mod"]
                else m.start("det")
                if m["det"]
                else (m.start("rel") if m["rel"] else m.start("num") if m["num"] else m.start("unit"))
            )
        sign = -1 if post in ("ago", "earlier", "before", "back") else 1
        anchored_on_ref = post in ("earlier", "later", "before", "after", "later on")
        return _cand(
            m,
            _relative_resolver(n, code, sign, anchored_on_ref, approx, unit_word),
            "relative",
            3,
            start=start,
        )

    def resolve(ctx: _Context) -> _Norm | None:
        d = ctx.dct
        kind = "duration"
        lo = hi = None
        if d is not None and not vague:
            ending = rel in ("past", "last", "previous", "recent", "preceding")
            starting = rel in ("next", "coming", "following", "ensuing", "subsequent")
            if not ending and not starting and prep in ("for", "in", "within", "during") and not det:
                t = ctx.tense()
                starting = t == "future"
                ending = not starting
            if ending:
                lo, hi = cal.subtract_duration(d, value), d
            elif starting:
                lo, hi = d, cal.add_duration(d, value)
        return _Norm(kind, value, lo, hi, approx)

    return _cand(m, resolve, "duration", 4, start=start, end=end)


def _relative_resolver(
    n: float | None, code: str, sign: int, on_ref: bool, approx: bool, unit_word: str
) -> Callable[[_Context], _Norm | None]:
    """The date some units before or after publication (or the last date mentioned)."""

    def resolve(ctx: _Context) -> _Norm | None:
        anchor = ctx.dct
        if n is None:
            return _Norm(
                "date",
                "PAST_REF" if sign < 0 else "FUTURE_REF",
                None if sign < 0 else anchor,
                anchor if sign < 0 else None,
                True,
            )
        k = int(n) if n == int(n) else n
        if (
            code == "Y"
            and ctx.ref_quarter is not None
            and k == 1
            and (ctx.ref_gran == "quarter" or 0 <= ctx.start - ctx.ref_quarter_at < 600)
        ):
            # "net rose to $5 million from $4 million a year ago", after "the third quarter": that quarter
            y, q = cal.add_quarters(*ctx.ref_quarter, 4 * sign * int(k))
            return _value_norm("date", f"{y:04d}-Q{q}", approx)
        if on_ref and ctx.ref_day is not None and code in ("D", "W"):
            anchor = ctx.ref_day
        elif on_ref and ctx.ref_year is not None and code == "Y" and ctx.ref_gran == "year":
            return _value_norm("date", cal.year_value(cal.add_years(ctx.ref_year, sign * int(k))), approx)
        if anchor is None:
            return _Norm(
                "date",
                {"Y": "XXXX", "M": "XXXX-XX", "W": "XXXX-WXX", "Q": "XXXX-QX", "DE": "XXXX", "CE": "XX"}.get(
                    code, "XXXX-XX-XX"
                ),
                approximate=True,
            )
        if isinstance(k, float):
            days = cal.duration_days(_duration_value(k, code))
            if days is None:
                return None
            day = cal.shift_days(anchor, sign * days)
            return _day_norm(day, approx=True)
        if code == "Y":
            return _value_norm("date", cal.year_value(cal.add_years(anchor.year, sign * k)), approx)
        if code == "DE":
            return _value_norm("date", cal.year_value(cal.add_years(anchor.year, sign * 10 * k)), True)
        if code == "CE":
            return _value_norm("date", cal.century_value(anchor.year + sign * 100 * k), True)
        if code == "M":
            y, mo = cal.add_months(anchor.year, anchor.month, sign * k)
            return _month_norm(y, mo, approx)
        if code == "Q":
            y, q = cal.add_quarters(anchor.year, cal.quarter_of(anchor), sign * k)
            return _value_norm("date", f"{y:04d}-Q{q}", approx)
        if code in ("W", "FN"):
            weeks = k * (2 if code == "FN" else 1)
            return _value_norm("date", cal.week_value(cal.shift_days(anchor, 7 * sign * weeks)), approx)
        if code in ("D", "WE"):
            return _day_norm(cal.shift_days(anchor, sign * k), approx=approx)
        if code == "H":
            return _day_norm(anchor, "time", "", True)
        return _day_norm(anchor, approx=True)

    return resolve


@_rule(
    "bare_units",
    r"\b(?P<prep>for|in|within|over|after)\s+(?P<unit>years|decades|months|weeks|days|hours|centuries|ages)\b"
    r"(?!\s+(?:of|to\s+come|before|after|since|when|that|in\s+which|and\s+(?:years|decades|months|weeks|days)))"
    r"|\b(?P<unit2>decades|years|months|weeks|days|centuries)-long\b",
    flags=re.IGNORECASE,
)
def _r_bare_units(m: re.Match[str], text: str) -> _Cand | None:
    word = (m["unit"] or m["unit2"]).lower()
    if word == "ages":
        return None
    code = _unit_code(word)
    value = _duration_value(None, code)
    prep = _lower(m["prep"])
    start = m.start("unit") if prep in ("over", "after") else m.start()
    if prep == "after":
        return None
    return _cand(m, lambda ctx: _Norm("duration", value, approximate=True), "bare_units", 5, start=start)


# --- sets -------------------------------------------------------------------------------------------

_SET_ADVERBS = {
    "daily": "P1D",
    "nightly": "P1D",
    "weekly": "P1W",
    "biweekly": "P2W",
    "fortnightly": "P2W",
    "monthly": "P1M",
    "bimonthly": "P2M",
    "quarterly": "P3M",
    "annually": "P1Y",
    "yearly": "P1Y",
    "annual": "P1Y",
    "hourly": "PT1H",
    "semiannually": "P6M",
    "biannually": "P6M",
    "every day": "P1D",
}


_FUNCTION_WORDS = {
    "and",
    "or",
    "but",
    "in",
    "on",
    "at",
    "for",
    "to",
    "by",
    "with",
    "from",
    "since",
    "until",
    "the",
    "a",
    "an",
    "as",
    "than",
    "through",
    "throughout",
    "during",
    "over",
    "into",
    "across",
    "per",
    "each",
    "every",
    "if",
    "while",
    "because",
    "so",
    "that",
    "which",
    "who",
    "when",
    "where",
    "under",
    "against",
    "between",
    "is",
    "are",
    "was",
    "were",
    "will",
    "would",
    "can",
    "could",
    "may",
    "might",
    "should",
    "must",
    "has",
    "have",
    "had",
    "be",
    "been",
    "do",
    "does",
    "did",
    "not",
    "no",
    "this",
    "these",
    "those",
    "its",
    "their",
    "his",
    "her",
    "our",
    "up",
    "down",
    "out",
    "off",
    "about",
    "around",
    "after",
    "before",
    "there",
    "here",
    "now",
    "then",
    "also",
    "still",
    "again",
    "too",
    "even",
}


@_rule(
    "set_adverb",
    r"\b(?P<word>daily|nightly|weekly|biweekly|fortnightly|monthly|bimonthly|quarterly|annually|yearly|hourly|"
    r"semiannually|biannually)\b(?!-)",
    flags=re.IGNORECASE,
)
def _r_set_adverb(m: re.Match[str], text: str) -> _Cand | None:
    word = m["word"].lower()
    value = _SET_ADVERBS[word]
    after = text[m.end() : m.end() + 20]
    # "the daily Kommersant", "a weekly magazine": a publication, not a recurrence
    if re.match(r"\s+(?:newspaper|paper|magazine|journal|edition|tabloid|news|[A-Z])", after):
        return None
    nxt = re.match(r"\s+([a-z]+)", after)
    if word == "quarterly" and nxt and nxt.group(1) not in _FUNCTION_WORDS:
        return None
    if _prev_word(text, m.start()) == "average":
        return None  # "quarterly dividend", "daily volume": an adjective, no recurrence in time
    return _cand(m, lambda ctx: _Norm("set", value), "set_adverb", 5)


@_rule(
    "set_every",
    rf"\b(?P<q>every|each|per)\s+(?:(?P<other>other|single)\s+)?(?:(?P<num>{_NUM})\s+)?(?P<unit>{UNIT_RE})\b"
    rf"|\b(?P<q2>every|each)\s+(?P<mon>January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\b|\b(?P<q3>every|each)\s+(?P<season>spring|summer|fall|autumn|winter)\b",
    flags=re.IGNORECASE,
)
def _r_set_every(m: re.Match[str], text: str) -> _Cand | None:
    if m["mon"]:
        month = _month_of(m["mon"])
        return _cand(m, lambda ctx: _Norm("set", f"XXXX-{month:02d}"), "set_every", 2)
    if m["season"]:
        code = cal.SEASONS[m["season"].lower()]
        return _cand(m, lambda ctx: _Norm("set", f"XXXX-{code}"), "set_every", 2)
    unit_word = m["unit"].lower()
    code = _unit_code(unit_word)
    if code == "WE":
        return _cand(m, lambda ctx: _Norm("set", "XXXX-WXX-WE"), "set_every", 2)
    try:
        n = number_value(m["num"]) if m["num"] else 1.0
    except ValueError:
        return None
    if m["other"] and m["other"].lower() == "other":
        n = (n or 1) * 2
    if m["q"].lower() == "per" and m["num"]:
        return None
    return _cand(m, lambda ctx: _Norm("set", _duration_value(n, code)), "set_every", 2)


_RATE_BEFORE = re.compile(
    r"(?:\d|million|billion|trillion|thousand|hundred|dozen|percent|%|times|twice|once|thrice|cents?|dollars?|"
    r"euros?|pounds?|barrels|tons|tonnes|shells|rounds|people|hours|meals|calls)[\w\s,.$-]{0,25}$",
    re.IGNORECASE,
)


@_rule(
    "set_rate",
    r"\b(?P<det>a|an|per)\s+(?P<unit>year|day|week|month|hour|quarter|minute|night|decade)\b",
    flags=re.IGNORECASE,
)
def _r_set_rate(m: re.Match[str], text: str) -> _Cand | None:
    before = text[max(0, m.start() - 40) : m.start()]
    after = text[m.end() : m.end() + 20]
    if re.match(r"\s*(?:earlier|ago|later|before|after|and\s+a\s+half|or\s+(?:so|two|more)|-)", after):
        return None
    if m["det"].lower() != "per" and not _RATE_BEFORE.search(before):
        return None
    if (
        re.search(r"\b(?:for|in|within|over|about|nearly|almost|than|least|once)\s*$", before)
        and m["det"].lower() != "per"
    ):
        return None
    # "$500 million a year", "24 hours a day": a rate, which TimeML leaves unmarked; keep "a year" from
    # being read as a duration
    return _block(m, "set_rate")


# ---------------------------------------------------------------------------------------------
# "since ..." and the prepositions that belong to a span

_SINCE = re.compile(r"\b(since|ever\s+since)\s+$", re.IGNORECASE)


def _extend_since(text: str, cand: _Cand, norm: _Norm, ctx: _Context) -> tuple[int, _Norm]:
    """Turn "since X" into an interval from the start of X to publication."""
    m = _SINCE.search(text[max(0, cand.start - 14) : cand.start])
    if not m or norm.kind not in ("date", "time") or not norm.value or norm.value.endswith("_REF"):
        return cand.start, norm
    start = cand.start - (len(text[max(0, cand.start - 14) : cand.start]) - m.start())
    return start, _Norm("interval", norm.value, norm.lo, ctx.dct, norm.approximate)


# ---------------------------------------------------------------------------------------------
# Selection and normalization


def _candidates(text: str) -> list[_Cand]:
    cands: list[_Cand] = []
    for _name, pattern, fn in _RULES:
        for m in pattern.finditer(text):
            if m.end() == m.start():
                continue
            c = fn(m, text)
            if c is not None and c.end > c.start:
                cands.append(c)
    return cands


def _select(cands: list[_Cand]) -> list[_Cand]:
    """The longest candidates that do not overlap; ties go to the rule of higher priority (lower number).

    The candidates are non-empty (``_candidates`` keeps no other).
    """
    ordered = sorted(cands, key=lambda c: (-(c.end - c.start), c.priority, c.start))
    taken: list[_Cand] = []
    occupied = _Occupied()
    for c in ordered:
        if occupied.overlaps(c.start, c.end):
            continue
        taken.append(c)
        occupied.add(c.start, c.end)
    return sorted(taken, key=lambda c: c.start)


class _Occupied:
    """The characters of the ranges kept so far, and whether a range shares one with
    them: for non-empty ranges ``[s, e)`` that is whether it overlaps one of them,
    found in time of its own length (a scan of every kept range for each candidate made
    a long article quadratic).
    """

    def __init__(self) -> None:
        self.taken = bytearray()

    def overlaps(self, start: int, end: int) -> bool:
        """Whether a kept range ``[s, e)`` has ``start < e`` and ``s < end`` (``0 <= start < end``)."""
        return self.taken.find(1, start, end) >= 0

    def add(self, start: int, end: int) -> None:
        """Keep the range ``[start, end)``, ``0 <= start < end``."""
        if end > len(self.taken):
            self.taken.extend(bytes(end - len(self.taken)))
        self.taken[start:end] = b"\x01" * (end - start)


def _parse_published(published: str | None) -> dt.date | None:
    if not published:
        return None
    m = re.match(r"^\s*(\d{4})-(\d{2})-(\d{2})", published)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


#: rules whose dates are read off an earlier mention: they do not become the reference themselves
_ANAPHORIC_RULES = {"the_quarter", "relative"}


def find_times(text: str, published: str | None, *, doc: Any = None) -> list[TimeSpan]:
    """The time expressions of a text, normalized against its publication date.

    text (str): the article text; offsets in the result index into it.
    published (str | None): the publication date, ``YYYY-MM-DD`` (a time after it is ignored);
        None leaves what depends on it unknown (``XXXX-11``) rather than guessed.
    doc (spacy.tokens.Doc | None): the parsed text, when at hand: where the words around a bare
        weekday or month say nothing of past or future, the tense of the governing verb decides.
    RETURNS (list[TimeSpan]): in text order, not overlapping.
    """
    dct = _parse_published(published)
    ctx = _Context(text, dct, doc)
    out: list[TimeSpan] = []
    for cand in _select(_candidates(text)):
        if cand.block:
            continue
        ctx.start, ctx.end = cand.start, cand.end
        norm = cand.resolve(ctx)
        if norm is None or norm.value is None:
            continue
        start = cand.start
        if norm.kind in ("date", "time"):
            start, norm = _extend_since(text, cand, norm, ctx)
            if norm.kind in ("date", "time") and cand.rule not in _ANAPHORIC_RULES:
                ctx.note(norm.value)
        out.append(
            TimeSpan(
                text=text[start : cand.end],
                offsets=((start, cand.end),),
                kind=norm.kind,
                value=norm.value,
                start=norm.lo.isoformat() if norm.lo else None,
                end=norm.hi.isoformat() if norm.hi else None,
                approximate=norm.approximate,
            )
        )
    return out
