"""End to end in a real browser: headless Chromium against `claimgraph serve` on a real store.

Each test saves a screenshot (``tests/browser/screenshots/``); each page is checked with
axe-core (the copy axe-playwright-python ships) for serious and critical violations.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.browser.conftest import TOKEN, shot

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
FOUNDING = (ROOT / "examples" / "nk-troops-withdrawn.txt").read_text(encoding="utf-8")
CLUSTER = "claim:3cad3d2eddd42d0b9d0f"
HOSTILE = (
    "Hostile page\n\n2025-02-02\n\n"
    "Officials said <script>alert(1)</script> the bridge was closed, and <img src=x onerror=alert(1)> "
    'a spokesman told reporters to read <a href="javascript:alert(1)">this link</a> for details.\n'
)


def _axe(page: Any, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{name}: " + "; ".join(bad)


def _no_csp_errors(page: Any) -> None:
    assert not page.csp_errors, page.csp_errors


def test_paste_the_founding_example_and_see_claim_1s_chain_on_hover(page: Any) -> None:
    page.goto("/")
    _axe(page, "read form")
    page.get_by_label("Text").fill(FOUNDING)
    page.get_by_role("button", name="Read").click()
    page.wait_for_selector(".article-text")
    assert "Analysis only: not stored" in page.content()
    # claim 1: "… have not been seen on the front line …, writes The New York Times citing
    # American and Ukrainian officials"
    card_id = page.locator(".card", has_text="have not been seen on the front line").first.get_attribute("id")
    assert card_id is not None
    claim_id = card_id.removeprefix("card-")
    claim = page.locator(f'.article-text [data-claim="{claim_id}"]').first
    runs = "".join(page.locator(f'.article-text [data-claim="{claim_id}"]').all_inner_texts())
    assert "have not been seen on the front line" in runs
    claim.hover()
    card = page.locator(".card:not([hidden])")
    card.wait_for(state="visible")
    text = card.inner_text()
    assert "The New York Times" in text
    assert "American" in text and "Ukrainian officials" in text
    assert re.search(r"→\s*The New York Times\s*→", text), text  # outlet → NYT → officials
    assert "negative" in text and "certain" in text
    shot(page, "read-founding-hover")
    # the keyboard reaches the same card: focus the claim, Escape hides it
    page.keyboard.press("Escape")
    assert page.locator(".card:not([hidden])").count() == 0
    page.locator(f'.article-text [data-claim="{claim_id}"][tabindex="0"]').focus()
    page.locator(".card:not([hidden])").wait_for(state="visible")
    assert "The New York Times" in page.locator(".card:not([hidden])").inner_text()
    _axe(page, "read result")
    _no_csp_errors(page)
    assert page.dialogs == []


def test_the_founding_cluster_shows_its_origins_and_relay_diagram(page: Any) -> None:
    page.goto(f"/clusters/{CLUSTER}")
    heading = page.get_by_role("heading", name=re.compile("Independent origins"))
    assert heading.inner_text().strip().endswith("2")
    origins = page.locator("main").inner_text()
    assert "New York Times" in origins and "Special Operations Forces" in origins
    diagram = page.locator(".diagram svg")
    diagram.wait_for(state="visible")
    box = diagram.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 50
    labels = diagram.locator("g > title").all_text_contents()
    assert any("New York Times" in t for t in labels), labels
    assert any("Special Operations Forces" in t for t in labels), labels
    assert diagram.locator("line").count() >= 2  # arrows from the outlets to the origins
    shot(page, "cluster-founding")
    _axe(page, "cluster")
    _no_csp_errors(page)


def test_an_entity_page_charts_its_numbers_each_point_linked_to_its_claim(page: Any) -> None:
    page.goto("/entities/" + quote("North Korea"))
    chart = page.locator(".chart svg").first
    chart.wait_for(state="visible")
    points = chart.locator("a circle")
    assert points.count() >= 3  # 12,000 and ≈11,000 in November; halved (≈5,500) by late January
    titles = chart.locator("a title").all_text_contents()
    assert any("11,000" in t for t in titles) and any("5,500" in t for t in titles), titles
    shot(page, "entity-north-korea")
    _axe(page, "entity")
    href = chart.locator("a").first.get_attribute("href")
    assert href is not None and "/articles/" in href and "#claim-" in href
    chart.locator("a").first.click()
    page.wait_for_url(re.compile(r"/articles/.+#claim-"))
    anchor = page.url.split("#", 1)[1]
    assert page.locator(f"#{anchor}").count() == 1
    _no_csp_errors(page)


def test_search_finds_a_claim_and_opens_it(page: Any) -> None:
    page.goto("/search")
    page.get_by_label("Words to find in claims and articles").fill("Kursk troops")
    page.get_by_role("button", name="Search").click()
    page.wait_for_selector(".hits")
    hit = page.locator(".hits li", has_text="Claim:").first
    assert "Kursk" in hit.inner_text()
    shot(page, "search-kursk")
    _axe(page, "search")
    hit.locator("a").first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    assert "Kursk" in page.locator(".article-text").inner_text()


def test_claims_table_filters_sorts_and_opens_a_claim(page: Any) -> None:
    page.goto("/claims")
    _axe(page, "claims")
    page.get_by_label("Source").fill("New York Times")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"source=New"))
    rows = page.locator("table tbody tr")
    assert rows.count() >= 1
    shot(page, "claims-nyt")
    # sorted by date, newest first, from the column header
    page.get_by_role("link", name=re.compile("Published")).click()
    page.wait_for_url(re.compile(r"order="))
    rows.first.locator("td").nth(1).locator("a").click()  # the claim opens in its article
    page.wait_for_url(re.compile(r"/articles/.+#claim-"))
    anchor = page.url.split("#", 1)[1]
    assert page.locator(f"#{anchor}").count() == 1


def test_clusters_and_entities_lists_pass_axe(page: Any) -> None:
    for path, name in (("/clusters", "clusters"), ("/entities", "entities")):
        page.goto(path)
        _axe(page, name)
        shot(page, name)


def test_every_page_works_from_the_keyboard(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to content"
    page.keyboard.press("Enter")
    # from the skip link, Tab goes into the main content, not back to the navigation
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    # the navigation is reachable and every link in it can be activated by Enter
    page.goto("/")
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").strip() == "Clusters":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/clusters$"))
    assert page.locator("main").count() == 1 and page.locator("header nav").count() == 1


def test_hostile_article_text_renders_inert(page: Any, server: str) -> None:
    r = httpx.post(
        f"{server}/api/articles",
        json={"text": HOSTILE, "title": "<script>alert(2)</script>", "url": "javascript:alert(3)"},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=120,
    )
    assert r.status_code == 200, r.text
    article_id = r.json()["articles"][0]
    for where in ("stored", "pasted"):
        if where == "stored":
            page.goto(f"/articles/{article_id}")
        else:
            page.goto("/")
            page.get_by_label("Text").fill(HOSTILE)
            page.get_by_role("button", name="Read").click()
        page.wait_for_selector(".article-text")
        text = page.locator(".article-text").inner_text()
        assert "<script>alert(1)</script>" in text
        assert "<img src=x onerror=alert(1)>" in text
        assert 'href="javascript:alert(1)"' in text
        # nothing was created from it: no inline script, no image, no javascript: link anywhere
        assert page.locator("script:not([src])").count() == 0
        assert page.locator("img").count() == 0
        assert page.locator('a[href^="javascript:"]').count() == 0
        assert page.locator("[onerror]").count() == 0
        page.locator(".article-text .hl").first.hover()
        page.wait_for_timeout(300)
        shot(page, f"hostile-{where}")
    assert page.dialogs == [], page.dialogs
