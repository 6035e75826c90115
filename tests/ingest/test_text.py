from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.errors import ConfigError, InputError
from claimgraph.ingest import read_text
from claimgraph.ingest.clean import clean_text
from claimgraph.model import Article

from .helpers import FOUNDING_EXAMPLE, texts

BODY = (
    "Officials said on Friday that the talks had stalled, according to two people familiar with them.\n\n"
    "The ministry did not comment.\n"
)


def article(head: str, body: str = BODY) -> Article:
    return read_text(head + "\n\n" + body, "x.txt")


@pytest.fixture(scope="module")
def founding() -> Article:
    text = FOUNDING_EXAMPLE.read_bytes().decode("utf-8")
    return read_text(text, str(FOUNDING_EXAMPLE))


def test_text_founding_example_keeps_the_text(founding: Article) -> None:
    assert founding.text == FOUNDING_EXAMPLE.read_bytes().decode("utf-8")
    assert founding.source == str(FOUNDING_EXAMPLE)


def test_text_founding_example_head(founding: Article) -> None:
    title = "North Korean soldiers were withdrawn from the front line after heavy losses"
    assert founding.tag == "#News"
    assert founding.title == title
    assert founding.title_span is not None
    assert texts(founding, (founding.title_span,)) == [title]
    assert founding.published == "2025-01-31"
    assert founding.language == "en"
    assert founding.outlet is None
    assert founding.warnings == ()


def test_text_founding_example_standfirst(founding: Article) -> None:
    assert founding.lede_span is not None
    lede = texts(founding, (founding.lede_span,))[0]
    assert lede.startswith("In three months")
    assert lede.endswith("thrown onto minefields")


def test_text_founding_example_metadata_lines_are_skipped(founding: Article) -> None:
    assert founding.credits == ("KCNA", "Reuters")
    assert texts(founding, founding.skip_spans) == ["#News", "2025.01.31", "Photo: KCNA / Reuters", "a"]


@pytest.mark.parametrize(
    "date_line",
    [
        "2025.01.31",
        "31 January 2025",
        "Jan. 31, 2025",
        "January 31, 2025",
        "2025-01-31",
        "31.01.2025",
        "01/31/2025",
        "31/01/2025",
        "Friday, 31 January 2025, 14:05",
    ],
)
def test_text_date_line_forms(date_line: str) -> None:
    art = article(f"A headline about the talks\n\n{date_line}")
    assert art.published == "2025-01-31"
    assert art.title == "A headline about the talks"
    assert texts(art, art.skip_spans) == [date_line]
    assert art.warnings == ()


@pytest.mark.parametrize(
    ("date_line", "problem"),
    [
        ("31 February 2025", "is not a valid date"),
        ("2025.13.45", "is not a valid date"),
        ("03/04/2025", "is ambiguous"),
    ],
)
def test_text_bad_date_line_warns(date_line: str, problem: str) -> None:
    art = article(f"A headline about the talks\n\n{date_line}")
    assert art.published is None
    assert len(art.warnings) == 1
    assert art.warnings[0].startswith(f"date line {date_line!r} {problem}")
    assert texts(art, art.skip_spans) == [date_line]


def test_text_date_line_before_the_title() -> None:
    art = article("31 January 2025\n\nA headline about the talks\n\nA short standfirst")
    assert art.published == "2025-01-31"
    assert art.title == "A headline about the talks"
    assert art.lede_span is not None and texts(art, (art.lede_span,)) == ["A short standfirst"]


@pytest.mark.parametrize(
    "text",
    [
        "Officials said on Friday that the talks had stalled. The ministry did not comment.",
        "Officials said the talks had stalled.\n\nThe ministry did not comment.",
        "Officials said the talks had stalled and\nthat the ministry did not comment on it.\n",
        "A line alone",
    ],
)
def test_text_prose_has_no_title(text: str) -> None:
    art = read_text(text)
    assert art.title is None
    assert art.title_span is None
    assert art.lede_span is None
    assert art.published is None
    assert art.skip_spans == ()


def test_text_no_standfirst_without_date_line() -> None:
    art = article("A headline about the talks\n\nA short first paragraph")
    assert art.title == "A headline about the talks"
    assert art.lede_span is None


@pytest.mark.parametrize(
    ("line", "credits"),
    [
        ("Photo: Reuters", ["Reuters"]),
        ("Photo: KCNA / Reuters", ["KCNA", "Reuters"]),
        ("Photo by John Smith/AP", ["John Smith", "AP"]),
        ("Photo credit: Getty Images via AFP", ["Getty Images", "AFP"]),
        ("Source: Ministry of Defence of Ukraine", ["Ministry of Defence of Ukraine"]),
        ("Credit: KCNA", ["KCNA"]),
        ("Фото: РИА Новости", ["РИА Новости"]),
        ("© 2025 AFP", ["AFP"]),
        ("Photo: illustrative", []),
    ],
)
def test_text_credit_lines(line: str, credits: list[str]) -> None:
    art = article("A headline about the talks", BODY + "\n" + line + "\n")
    assert list(art.credits) == credits
    assert texts(art, art.skip_spans) == [line]


@pytest.mark.parametrize(
    "line",
    [
        "Source: officials said the attack began at dawn. It lasted for hours.",
        "Sources close to the talks said the two sides had agreed on nothing, and would meet again.",
    ],
)
def test_text_sentence_is_not_a_credit(line: str) -> None:
    art = article("A headline about the talks", BODY + "\n" + line + "\n")
    assert art.credits == ()
    assert art.skip_spans == ()


@pytest.mark.parametrize(
    "noise", ["a", "*", "***", "—", "12", "Read also: Talks stall again", "Advertisement"]
)
def test_text_noise_lines_are_skipped(noise: str) -> None:
    art = article("A headline about the talks", BODY + "\n" + noise + "\n")
    assert texts(art, art.skip_spans) == [noise]
    assert art.title == "A headline about the talks"


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("By Jane Doe", ["Jane Doe"]),
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("Author: Olena Petrenko", ["Olena Petrenko"]),
    ],
)
def test_text_byline(line: str, authors: list[str]) -> None:
    art = article(f"A headline about the talks\n\n31 January 2025\n\n{line}")
    assert list(art.authors) == authors
    assert line in texts(art, art.skip_spans)


def test_text_sentence_is_not_a_byline() -> None:
    art = article(
        "A headline about the talks\n\n31 January 2025\n\nBy Sunday, officials said the fire was out"
    )
    assert art.authors == ()
    assert art.lede_span is not None
    assert texts(art, (art.lede_span,)) == ["By Sunday, officials said the fire was out"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Солдаты КНДР не появлялись на передовой около двух недель, пишет The New York Times.", "ru"),
        ("Солдати КНДР не з'являлися на передовій близько двох тижнів, пише The New York Times.", "uk"),
        ("North Korean soldiers have not been seen on the front line, writes The New York Times.", "en"),
    ],
)
def test_text_language_by_script(text: str, language: str) -> None:
    assert read_text(text).language == language


def test_text_crlf_spans_index_the_text() -> None:
    text = "#News\r\n\r\nA headline about the talks\r\n\r\n2025.01.31\r\n\r\nA standfirst\r\n\r\n" + BODY
    art = read_text(text)
    assert art.text == text
    assert art.title_span is not None and texts(art, (art.title_span,)) == ["A headline about the talks"]
    assert texts(art, art.skip_spans) == ["#News", "2025.01.31"]
    assert art.lede_span is not None and texts(art, (art.lede_span,)) == ["A standfirst"]


@pytest.mark.parametrize(
    ("head", "outlet", "published", "expected"),
    [
        ("A headline about the talks", "Example News", "2025-02-01", ("Example News", "2025-02-01")),
        ("A headline about the talks\n\n2025.01.31", None, "1 February 2025", (None, "2025-01-31")),
        ("A headline about the talks\n\n2025.02.31", None, "2025-02-01", (None, "2025-02-01")),
    ],
)
def test_text_flags_fill_in_what_the_text_lacks(
    head: str, outlet: str | None, published: str, expected: tuple[str | None, str]
) -> None:
    art = read_text(head + "\n\n" + BODY, outlet=outlet, published=published)
    assert (art.outlet, art.published) == expected


def test_text_published_flag_must_be_a_date() -> None:
    with pytest.raises(ConfigError):
        read_text(BODY, published="next week")


@pytest.mark.parametrize("text", ["", "   \n\t\n", "\ufeff\n"])
def test_text_empty_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError, match="empty text"):
        read_text(text, "x.txt")


_LINES = st.sampled_from(
    [
        "#News",
        "A headline about the talks",
        "2025.01.31",
        "31 February 2025",
        "By Jane Doe",
        "Photo: KCNA / Reuters",
        "a",
        "",
        " ",
        "Officials said the talks had stalled.",
        "\ufeff",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(_LINES, st.text(max_size=40)), min_size=1, max_size=12),
    st.sampled_from(["\n", "\r\n", "\n\n"]),
)
def test_text_any_text_reads_with_spans_inside_it(lines: list[str], sep: str) -> None:
    text, _ = clean_text(sep.join(lines))  # NULs and lone surrogates are cleaned: tested apart
    if not text.replace("\ufeff", "").replace("\u200b", "").strip():
        with pytest.raises(InputError, match="empty text"):
            read_text(text, "x.txt")
        return
    art = read_text(text, "x.txt")
    assert art.text == text
    for span in (art.title_span, art.lede_span, *art.skip_spans):
        if span is not None:
            assert 0 <= span[0] <= span[1] <= len(text)
    if art.title_span:
        assert text[art.title_span[0] : art.title_span[1]] == art.title
