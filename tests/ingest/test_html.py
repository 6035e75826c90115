from __future__ import annotations

import pytest

from claimgraph.errors import InputError
from claimgraph.ingest import read_html
from claimgraph.ingest.html import looks_like_html
from claimgraph.model import Article

from .helpers import DATA, WriteFile, read_error, read_one, texts

PAGE = (DATA / "kharkiv-strike.html").read_text(encoding="utf-8")
NO_ARTICLE = (DATA / "no-article.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page() -> Article:
    return read_html(PAGE, "kharkiv-strike.html")


def test_html_article_text(page: Article) -> None:
    assert page.text.startswith("Drone strike hits Kharkiv power plant\nA Russian drone strike damaged")
    assert "air defences shot down most of them" in page.text
    assert "during the night." in page.text
    for chrome in ("Home", "Politics", "All rights reserved", "About us"):
        assert chrome not in page.text


def test_html_metadata(page: Article) -> None:
    assert page.source == "kharkiv-strike.html"
    assert page.title == "Drone strike hits Kharkiv power plant"
    assert page.title_span is not None and texts(page, (page.title_span,)) == [page.title]
    assert page.published == "2025-02-03"
    assert page.authors == ("Jane Doe", "John Roe")
    assert page.outlet == "Example News"
    assert page.url == "https://news.example.com/world/2025/02/03/kharkiv-power-plant"
    assert page.language == "en"
    assert page.warnings == ()


def test_html_credit_line_is_skipped(page: Article) -> None:
    assert page.credits == ("Reuters",)
    assert texts(page, page.skip_spans) == ["Photo: Reuters"]


def test_html_no_article_is_an_input_error() -> None:
    with pytest.raises(InputError) as info:
        read_html(NO_ARTICLE, "no-article.html")
    assert (info.value.where, info.value.reason) == ("no-article.html", "no article text found in the HTML")


def test_html_date_is_not_guessed_from_the_prose() -> None:
    undated = PAGE.replace('<meta property="article:published_time" content="2025-02-03T08:15:00+00:00">', "")
    undated = undated.replace(
        'content="https://news.example.com/world/2025/02/03/', 'content="https://news.example.com/'
    )
    art = read_html(undated, "undated.html")
    assert art.published is None  # not 2024-01-01 from the copyright line


@pytest.mark.parametrize(("outlet", "published"), [("Other", "2025-01-01"), (None, None)])
def test_html_flags_do_not_override_the_page(outlet: str | None, published: str | None) -> None:
    art = read_html(PAGE, "p.html", outlet=outlet, published=published)
    assert (art.outlet, art.published) == ("Example News", "2025-02-03")


def test_html_flags_fill_in_what_the_page_lacks() -> None:
    bare = (
        "<html><body><article>"
        + "".join(
            f"<p>Paragraph {i}: officials said the talks had stalled again on Friday evening.</p>"
            for i in range(5)
        )
        + "</article></body></html>"
    )
    art = read_html(bare, "bare.html", outlet="Example News", published="2025-02-01")
    assert (art.outlet, art.published) == ("Example News", "2025-02-01")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!DOCTYPE html><html>", True),
        ("\ufeff  <!doctype HTML>\n<html>", True),
        ("<html lang='en'>", True),
        ('<?xml version="1.0"?>\n<!-- saved page -->\n<html>', True),
        ("<p>Not a document</p>", False),
        ("Officials said the <html> tag was fine.", False),
    ],
)
def test_html_looks_like_html(text: str, expected: bool) -> None:
    assert looks_like_html(text) is expected


@pytest.mark.parametrize("name", ["page.html", "page.htm", "page.txt", "page"])
def test_html_read_path_by_extension_or_content(write: WriteFile, name: str) -> None:
    art = read_one(write(name, PAGE))
    assert art.title == "Drone strike hits Kharkiv power plant"


def test_html_read_path_declared_charset(write: WriteFile) -> None:
    # KOI8-R bytes also decode as cp1251 (the setting), into the wrong letters
    page = PAGE.replace('charset="utf-8"', 'charset="koi8-r"').replace(
        "Kharkiv overnight", "Харькове overnight"
    )
    art = read_one(write("page.html", page.encode("koi8-r")))
    assert "Харькове overnight" in art.text


def test_html_read_path_no_article(write: WriteFile) -> None:
    path = write("empty-page.html", NO_ARTICLE)
    error = read_error(path)
    assert (error.where, error.reason) == (str(path), "no article text found in the HTML")
