"""find_times: time expressions found, normalized and placed on the calendar (publication 2025-01-31)."""

from __future__ import annotations

import pytest

from claimgraph.model import TimeSpan
from claimgraph.nlp.timespans import find_times

PUB = "2025-01-31"  # a Friday


def _span(text: str, phrase: str, published: str | None = PUB) -> TimeSpan:
    """The one span find_times returns whose text is ``phrase``, with offsets checked."""
    spans = find_times(text, published)
    found = [s for s in spans if s.text == phrase]
    assert found, f"{phrase!r} not found in {[s.text for s in spans]}"
    span = found[0]
    (start, end), *_ = span.offsets
    assert text[start:end] == phrase
    return span


# --- the founding example -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "kind", "value", "start", "end", "approximate"),
    [
        ("2025.01.31", "date", "2025-01-31", "2025-01-31", "2025-01-31", False),
        ("for about two weeks", "duration", "P2W", "2025-01-17", "2025-01-31", True),
        ("for about three weeks", "duration", "P3W", "2025-01-10", "2025-01-31", True),
        ("for approximately three weeks", "duration", "P3W", "2025-01-10", "2025-01-31", True),
        ("November", "date", "2024-11", "2024-11-01", "2024-11-30", False),
        ("in just three months", "duration", "P3M", "2024-10-31", "2025-01-31", False),
        ("today", "date", "2025-01-31", "2025-01-31", "2025-01-31", False),
        ("daily", "set", "P1D", None, None, False),
    ],
)
def test_timespans_founding_example(
    founding_text: str,
    phrase: str,
    kind: str,
    value: str,
    start: str | None,
    end: str | None,
    approximate: bool,
) -> None:
    span = _span(founding_text, phrase, "2025-01-31")
    assert (span.kind, span.value, span.start, span.end, span.approximate) == (
        kind,
        value,
        start,
        end,
        approximate,
    )


@pytest.mark.parametrize("not_a_time", ["11,000", "halved", "three-year"])
def test_timespans_founding_example_numbers_that_are_not_dates(founding_text: str, not_a_time: str) -> None:
    for span in find_times(founding_text, "2025-01-31"):
        assert span.kind == "duration" or not_a_time not in span.text


# --- explicit dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("It happened on January 31.", "January 31", "2025-01-31"),
        ("It happened on Jan. 31, 2025, in Kyiv.", "Jan. 31, 2025", "2025-01-31"),
        ("Published 2025.01.31 in Kyiv.", "2025.01.31", "2025-01-31"),
        ("Published 2025-01-31 in Kyiv.", "2025-01-31", "2025-01-31"),
        ("It happened on 31 January 2025.", "31 January 2025", "2025-01-31"),
        ("It happened on Friday, Jan. 24.", "Friday, Jan. 24", "2025-01-24"),
        ("The vote is set for Feb. 14.", "Feb. 14", "2025-02-14"),
        ("The deal was signed on 12/25/2024.", "12/25/2024", "2024-12-25"),
        ("The deal was signed on 25.12.2024.", "25.12.2024", "2024-12-25"),
        ("Troops arrived on Sept. 30.", "Sept. 30", "2024-09-30"),
    ],
)
def test_timespans_explicit_dates(text: str, phrase: str, value: str) -> None:
    span = _span(text, phrase)
    assert (span.kind, span.value, span.start, span.end) == ("date", value, value, value)


@pytest.mark.parametrize(
    ("text", "phrase", "value", "start", "end"),
    [
        ("The war began in 2022.", "2022", "2022", "2022-01-01", "2022-12-31"),
        ("The plan runs to 2025.", "2025", "2025", "2025-01-01", "2025-12-31"),
        ("Troops arrived in November.", "November", "2024-11", "2024-11-01", "2024-11-30"),
        ("Talks are planned for March.", "March", "2025-03", "2025-03-01", "2025-03-31"),
        ("It was built in July 1997.", "July 1997", "1997-07", "1997-07-01", "1997-07-31"),
        ("Fighting peaked in late November.", "late November", "2024-11", "2024-11-21", "2024-11-30"),
        ("He left last December.", "last December", "2024-12", "2024-12-01", "2024-12-31"),
        ("Prices rose in the summer of 2023.", "the summer of 2023", "2023-SU", "2023-06-01", "2023-08-31"),
        (
            "Sales fell in the third quarter of 2024.",
            "the third quarter of 2024",
            "2024-Q3",
            "2024-07-01",
            "2024-09-30",
        ),
        ("Sales fell in the fourth quarter.", "the fourth quarter", "2024-Q4", "2024-10-01", "2024-12-31"),
        ("Profit rose in the first half.", "the first half", "2025-H1", "2025-01-01", "2025-06-30"),
        ("It was common in the 1990s.", "the 1990s", "199", "1990-01-01", "1999-12-31"),
        ("It ended in the 20th century.", "the 20th century", "19", "1900-01-01", "1999-12-31"),
    ],
)
def test_timespans_months_years_seasons_quarters_decades(
    text: str, phrase: str, value: str, start: str, end: str
) -> None:
    span = _span(text, phrase)
    assert (span.kind, span.value, span.start, span.end) == ("date", value, start, end)


# --- relative to publication ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The strike came on Thursday, officials said.", "Thursday", "2025-01-30"),
        ("The strike came on Friday, officials said.", "Friday", "2025-01-31"),
        ("The strike came on Monday.", "Monday", "2025-01-27"),
        ("The talks will resume on Monday.", "Monday", "2025-02-03"),
        ("They met last Friday.", "last Friday", "2025-01-24"),
        ("They meet next Tuesday.", "next Tuesday", "2025-02-04"),
        ("Shelling resumed yesterday.", "yesterday", "2025-01-30"),
        ("Shelling resumed today.", "today", "2025-01-31"),
        ("Shelling will resume tomorrow.", "tomorrow", "2025-02-01"),
        ("Officials met last week.", "last week", "2025-W04"),
        ("Officials meet this week.", "this week", "2025-W05"),
        ("Officials meet next month.", "next month", "2025-02"),
        ("Officials met last month.", "last month", "2024-12"),
        ("Officials met last year.", "last year", "2024"),
        ("The unit was formed three months ago.", "three months ago", "2024-10"),
        ("The unit was formed two years ago.", "two years ago", "2023"),
        ("The unit was formed five days ago.", "five days ago", "2025-01-26"),
        ("The unit was formed earlier this year.", "earlier this year", "2025"),
        ("The unit was formed earlier this month.", "earlier this month", "2025-01"),
        ("Attacks peaked over the weekend.", "the weekend", "2025-W04-WE"),
    ],
)
def test_timespans_relative_dates(text: str, phrase: str, value: str) -> None:
    assert _span(text, phrase).value == value


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The attack came at 10:30 a.m.", "10:30 a.m.", "2025-01-31T10:30"),
        ("The attack came at 5 p.m. EST on Jan. 30.", "5 p.m. EST on Jan. 30", "2025-01-30T17:00"),
        ("The attack came at noon Thursday.", "noon Thursday", "2025-01-30T12:00"),
        ("The attack came at 22:15 local time.", "22:15 local time", "2025-01-31T22:15"),
        ("The attack came last night.", "last night", "2025-01-30TNI"),
        ("The attack came this morning.", "this morning", "2025-01-31TMO"),
        ("The attack came Wednesday night.", "Wednesday night", "2025-01-29TNI"),
    ],
)
def test_timespans_times_of_day(text: str, phrase: str, value: str) -> None:
    span = _span(text, phrase)
    assert (span.kind, span.value) == ("time", value)
    assert span.start == span.end == value[:10]


@pytest.mark.parametrize(
    ("text", "phrase", "value", "start", "end", "approximate"),
    [
        (
            "Troops have not been seen for about three weeks.",
            "for about three weeks",
            "P3W",
            "2025-01-10",
            "2025-01-31",
            True,
        ),
        (
            "Prices rose in the past two months.",
            "in the past two months",
            "P2M",
            "2024-11-30",
            "2025-01-31",
            False,
        ),
        (
            "Talks will go on for the next two weeks.",
            "for the next two weeks",
            "P2W",
            "2025-01-31",
            "2025-02-14",
            False,
        ),
        (
            "The fighting will be over in three months.",
            "in three months",
            "P3M",
            "2025-01-31",
            "2025-04-30",
            False,
        ),
        ("The siege lasted nearly two months.", "nearly two months", "P2M", None, None, True),
        ("It took 5 1/2 hours.", "5 1/2 hours", "PT5H30M", None, None, False),
        ("They signed a two-year deal.", "two-year", "P2Y", None, None, False),
        ("It has been hit in recent weeks.", "in recent weeks", "PXW", None, None, True),
        ("It was ruled from Moscow for decades.", "for decades", "PXE", None, None, True),
        (
            "It was over in a minute and a half.",
            "in a minute and a half",
            "PT1M30S",
            "2025-01-31",
            "2025-01-31",
            False,
        ),
    ],
)
def test_timespans_durations(
    text: str, phrase: str, value: str, start: str | None, end: str | None, approximate: bool
) -> None:
    span = _span(text, phrase)
    assert (span.kind, span.value, span.start, span.end, span.approximate) == (
        "duration",
        value,
        start,
        end,
        approximate,
    )


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Russia fires shells daily.", "daily", "P1D"),
        ("The drones come every week.", "every week", "P1W"),
        ("The report comes out weekly.", "weekly", "P1W"),
        ("The council meets each month.", "each month", "P1M"),
        ("Inspections run every other day.", "every other day", "P2D"),
        ("The market opens on Mondays.", "Mondays", "XXXX-WXX-1"),
        ("The festival is held each July.", "each July", "XXXX-07"),
    ],
)
def test_timespans_sets(text: str, phrase: str, value: str) -> None:
    span = _span(text, phrase)
    assert (span.kind, span.value, span.start, span.end) == ("set", value, None, None)


@pytest.mark.parametrize(
    ("text", "phrase", "value", "start"),
    [
        ("The war has gone on since 2022.", "since 2022", "2022", "2022-01-01"),
        ("No troops have been seen since November.", "since November", "2024-11", "2024-11-01"),
        ("No troops have been seen since Jan. 10.", "since Jan. 10", "2025-01-10", "2025-01-10"),
        ("Prices have doubled since last year.", "since last year", "2024", "2024-01-01"),
    ],
)
def test_timespans_since_intervals(text: str, phrase: str, value: str, start: str) -> None:
    span = _span(text, phrase)
    assert (span.kind, span.value, span.start, span.end) == ("interval", value, start, PUB)


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The front is now quiet.", "now", "PRESENT_REF"),
        ("The front is currently quiet.", "currently", "PRESENT_REF"),
        ("The front was recently quiet.", "recently", "PAST_REF"),
        ("The front may be quiet in the future.", "the future", "FUTURE_REF"),
    ],
)
def test_timespans_reference_points(text: str, phrase: str, value: str) -> None:
    assert _span(text, phrase).value == value


def test_timespans_anaphora_follows_last_mentioned_quarter() -> None:
    text = (
        "Third-quarter profit rose to $5 million from $4 million a year ago. Sales in the quarter were flat."
    )
    spans = {s.text: s.value for s in find_times(text, "1989-10-30")}
    assert spans == {"Third-quarter": "1989-Q3", "a year ago": "1988-Q3", "the quarter": "1989-Q3"}


# --- no publication date: unknown, never guessed --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Troops arrived in November.", "November", "XXXX-11"),
        ("Troops arrived on Nov. 5.", "Nov. 5", "XXXX-11-05"),
        ("Troops arrived yesterday.", "yesterday", "XXXX-XX-XX"),
        ("Troops arrived on Thursday.", "Thursday", "XXXX-WXX-4"),
        ("Troops arrived last year.", "last year", "XXXX"),
        ("Troops arrived three months ago.", "three months ago", "XXXX-XX"),
        ("Troops arrived in the third quarter.", "the third quarter", "XXXX-Q3"),
        ("Troops are now there.", "now", "PRESENT_REF"),
    ],
)
def test_timespans_without_publication_date_are_unanchored(text: str, phrase: str, value: str) -> None:
    span = _span(text, phrase, None)
    assert span.value == value
    assert span.start is None and span.end is None


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The war began on Feb. 24, 2022.", "Feb. 24, 2022", "2022-02-24"),
        ("The war began in 2022.", "2022", "2022"),
        ("It lasted for about two weeks.", "for about two weeks", "P2W"),
    ],
)
def test_timespans_without_publication_date_keep_what_the_text_says(
    text: str, phrase: str, value: str
) -> None:
    assert _span(text, phrase, None).value == value


# --- what is not a time ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "It happened on 31 February 2025.",
        "It happened on February 30.",
        "It happened on 2025-02-30.",
        "It happened on 2025.13.01.",
    ],
)
def test_timespans_impossible_dates_are_not_dates(text: str) -> None:
    for span in find_times(text, PUB):
        assert span.value is None or not span.value.startswith(("2025-02-3", "2025-03-0", "2025-13"))
        assert span.start is None or span.start[:7] not in ("2025-03", "2025-13")
    assert all("31 February" not in s.text and "February 30" not in s.text for s in find_times(text, PUB))


@pytest.mark.parametrize(
    "text",
    [
        "About 2,000 people fled.",
        "The brigade has 1990 soldiers.",
        "It cost $2025.",
        "The score was 3.5 points.",
        "Rates rose 2.46 percent.",
        "Turnout was 2024 votes.",
        "He may come back.",
        "The march on the capital began.",
        "Prices fall in a second wave.",
        "A 44-year-old man was detained.",
        "She is 52 years old.",
        "The quarterly dividend was cut.",
        "A quarter of the shares were sold.",
    ],
)
def test_timespans_numbers_and_words_that_are_not_times(text: str) -> None:
    assert find_times(text, PUB) == []


# --- the function's contract ---------------------------------------------------------------------


@pytest.mark.parametrize("published", ["2025-01-31", "2025-01-31T10:00:00Z", None, "not a date"])
def test_timespans_offsets_index_the_text_in_order(founding_text: str, published: str | None) -> None:
    spans = find_times(founding_text, published)
    assert spans
    previous_end = 0
    for span in spans:
        (start, end), *_ = span.offsets
        assert founding_text[start:end] == span.text
        assert start >= previous_end
        previous_end = end


@pytest.mark.parametrize("text", ["", "   ", "No time here at all."])
def test_timespans_empty(text: str) -> None:
    assert find_times(text, PUB) == []


def test_timespans_is_deterministic(founding_text: str) -> None:
    assert find_times(founding_text, PUB) == find_times(founding_text, PUB)


def _parsed(words: list[str], pos: list[str], tags: list[str], heads: list[int], deps: list[str]):  # type: ignore[no-untyped-def]
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    spaces = [i + 1 < len(words) and words[i + 1] not in ".," for i in range(len(words))]
    return Doc(Vocab(), words=words, spaces=spaces, pos=pos, tags=tags, heads=heads, deps=deps)


@pytest.mark.parametrize(
    ("with_doc", "value"),
    [(False, "2025-01-24"), (True, "2025-01-31")],
)
def test_timespans_parse_decides_tense_where_words_do_not(with_doc: bool, value: str) -> None:
    doc = _parsed(
        ["They", "want", "to", "leave", "Friday", "."],
        ["PRON", "VERB", "PART", "VERB", "PROPN", "PUNCT"],
        ["PRP", "VBP", "TO", "VB", "NNP", "."],
        [1, 1, 3, 1, 3, 1],
        ["nsubj", "ROOT", "aux", "xcomp", "npadvmod", "punct"],
    )
    assert doc.text == "They want to leave Friday."
    (span,) = find_times(doc.text, "2025-01-29", doc=doc if with_doc else None)  # a Wednesday
    assert (span.text, span.value) == ("Friday", value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("North Korea sent 12,000 troops to Russia in November, officials said.", "2024-11"),
        ("They agreed to buy it in January.", "2026-01"),
    ],
)
def test_timespans_to_before_a_name_is_no_infinitive(text: str, value: str) -> None:
    # "to Russia in November" is a place, not "to <verb>": the clause stays in the past
    assert [t.value for t in find_times(text, "2025-02-03") if t.kind == "date"] == [value]
