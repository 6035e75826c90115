"""The pages over a store of hand-made claim records: content, escaping, CSRF, errors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pg_helpers import fresh_databases
from starlette.testclient import TestClient

from claimgraph.interfaces.api import create_app
from claimgraph.interfaces.service import Service
from claimgraph.link.gazetteer import Identity
from claimgraph.model import (
    Article,
    Claim,
    ClaimRecord,
    Cue,
    Entity,
    Hop,
    Quantity,
    Source,
    Span,
    TimeSpan,
)

TEXT_A = (
    "North Korea sent 12,000 troops to Russia in November, The New York Times reported, "
    "citing officials.\nThe region was quiet."
)
TEXT_B = "About 11,000 North Korean troops went to Russia in November, Reuters said."
XSS = (
    "Officials said <script>alert(1)</script> was found.\n<img src=x onerror=alert(1)> and "
    '<a href="javascript:alert(1)">x</a>'
)


def at(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return (start, start + len(phrase))


def make_claim(article: Article, content: str, **kw: Any) -> Claim:
    offsets = (at(article.text, content),)
    return Claim(
        id=Claim.make_id(article.id, offsets),
        content=Span(content, offsets),
        sentence=offsets[0],
        **kw,
    )


def records() -> list[ClaimRecord]:
    a = Article(
        text=TEXT_A,
        outlet="Daily Planet",
        title="Troops went to Russia",
        published="2025-01-31",
        url="https://example.org/a",
    )
    troops = make_claim(
        a,
        "North Korea sent 12,000 troops to Russia in November",
        chain=(
            Hop(
                Cue("reported", (at(TEXT_A, "reported"),), "report", "report"),
                (Source("The New York Times", (at(TEXT_A, "The New York Times"),), "media/nyt", "media"),),
            ),
            Hop(
                Cue("citing", (at(TEXT_A, "citing"),), "cite", "cite"),
                (Source("officials", (at(TEXT_A, "officials"),), kind="official", anonymous=True),),
            ),
        ),
        quantities=(Quantity("12,000", (at(TEXT_A, "12,000"),), 12000.0, unit="persons", counted="troops"),),
        times=(TimeSpan("in November", (at(TEXT_A, "in November"),), "date", "2024-11"),),
        entities=(Entity("North Korea", (at(TEXT_A, "North Korea"),), "GPE", "gpe/north-korea"),),
        event="deployment",
    )
    quiet = make_claim(a, "The region was quiet", certainty="probable")
    b = Article(text=TEXT_B, outlet="Wire", title="About 11,000", published="2025-02-01")
    about = make_claim(
        b,
        "About 11,000 North Korean troops went to Russia in November",
        chain=(
            Hop(
                Cue("said", (at(TEXT_B, "said"),), "say"),
                (Source("Reuters", (at(TEXT_B, "Reuters"),), "media/reuters", "media"),),
            ),
        ),
        hedges=(Span("About", (at(TEXT_B, "About"),)),),
        quantities=(
            Quantity(
                "About 11,000", (at(TEXT_B, "About 11,000"),), 11000.0, approximate=True, unit="persons"
            ),
        ),
        times=(TimeSpan("in November", (at(TEXT_B, "in November"),), "date", "2024-11"),),
        entities=(Entity("North Korean", (at(TEXT_B, "North Korean"),), "NORP", "gpe/north-korea"),),
    )
    x = Article(
        text=XSS,
        outlet="<i>Evil</i> Outlet",
        title='<script>alert("t")</script> title',
        published="2025-02-02",
        url="javascript:alert(1)",
    )
    evil = make_claim(
        x,
        "<script>alert(1)</script> was found",
        chain=(Hop(None, (Source("Officials", (at(XSS, "Officials"),)),)),),
    )
    return [ClaimRecord(a, (troops, quiet)), ClaimRecord(b, (about,)), ClaimRecord(x, (evil,))]


IDENTITIES = [
    Identity("gpe/north-korea", "country", "North Korea", ("North Korean", "DPRK")),
    Identity("media/nyt", "media", "The New York Times", ("NYT",)),
    Identity("media/reuters", "media", "Reuters"),
]


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The pages' store, on each backend: the pages read what the read side reads, on either."""
    if request.param == "sqlite":
        yield from _filled("sqlite:///" + str(Path(tmp_path_factory.mktemp("web")) / "web.db"))
        return
    with fresh_databases(1, "claimgraph_web") as [url]:
        yield from _filled(url)


def _filled(url: str) -> Iterator[str]:
    service = Service(url)
    for rec in records():
        service.store.save(
            rec, identities=IDENTITIES, vectors=np.ones((len(rec.claims), 4), dtype=np.float32)
        )
    recs = records()
    pks = service.store.claim_pks([recs[0].claims[0].id, recs[1].claims[0].id])
    a, b = pks[recs[0].claims[0].id], pks[recs[1].claims[0].id]
    name = recs[0].claims[0].id
    service.store.apply_linking(
        [(a, b, 0.9, None)], {a: name, b: name}, [(a, b, "number", "12,000 against about 11,000")]
    )
    service.close()
    yield url


@pytest.fixture()
def service(store_url: str) -> Iterator[Service]:
    s = Service(store_url, create=False)
    yield s
    s.close()


@pytest.fixture()
def client(service: Service) -> TestClient:
    return TestClient(create_app(service))


def ids() -> dict[str, str]:
    recs = records()
    return {
        "a": recs[0].article.id,
        "b": recs[1].article.id,
        "x": recs[2].article.id,
        "troops": recs[0].claims[0].id,
        "evil": recs[2].claims[0].id,
    }


def csp_friendly(html: str) -> None:
    assert ' style="' not in html and " style='" not in html
    assert "<style" not in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert " src=" in tag, tag
    assert re.search(r"<script\b[^>]*>(?!</script>)", html) is None  # no inline script body
    assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", html)  # no event handler attributes


def get(client: TestClient, url: str, status: int = 200) -> str:
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    csp_friendly(r.text)
    assert '<html lang="en">' in r.text and '<main id="main"' in r.text
    return r.text


def test_read_page(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["referrer-policy"] == "same-origin"  # else browsers send "Origin: null"
    html = r.text
    csp_friendly(html)
    for field in ("f-text", "f-title", "f-published", "f-outlet"):
        assert f'<label for="{field}"' in html and f'id="{field}"' in html
    assert 'name="csrf_token"' in html
    cookie = r.headers["set-cookie"]
    assert (
        "cg_csrf=" in cookie
        and "HttpOnly" in cookie
        and "SameSite=strict" in cookie.replace("Strict", "strict")
    )
    assert "Path=/" in cookie
    assert "Troops went to Russia" in html
    assert "/articles/sha256%3A" in html
    assert r.headers.get("content-security-policy", "").startswith("default-src 'none'")


def test_article_page(client: TestClient) -> None:
    i = ids()
    html = get(client, f"/articles/{i['a']}")
    assert "<h1>Troops went to Russia</h1>" in html
    assert 'href="https://example.org/a"' in html
    assert 'data-claim="1" tabindex="0" aria-describedby="card-1"' in html
    assert 'id="card-1" role="tooltip" hidden' in html
    assert "Daily Planet → The New York Times → officials" in html
    assert f'id="claim-{i["troops"].replace(":", "-")}"' in html
    assert "12,000" in html and "persons" in html and "2024-11" in html
    assert "/clusters/claim%3A" in html  # the first claim is in a cluster
    assert "l-number" in html and "l-time" in html and "l-cue" in html and "l-source" in html
    assert "Legend" in html
    # the path also takes the id URL-encoded
    assert "Troops went to Russia" in get(client, "/articles/" + i["a"].replace(":", "%3A"))


def test_xss_article_is_inert(client: TestClient) -> None:
    html = get(client, f"/articles/{ids()['x']}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;a href=&#34;javascript:alert(1)&#34;&gt;x&lt;/a&gt;" in html
    assert "<script>alert" not in html and "<img" not in html
    assert 'href="javascript:' not in html
    assert "&lt;i&gt;Evil&lt;/i&gt; Outlet" in html
    assert "source address: javascript:alert(1)" in html  # shown as text, not as a link
    for page in ("/claims", "/", "/search?q=found"):
        out = get(client, page)
        assert "<script>alert" not in out and "<i>Evil" not in out


def test_unknown_article_is_404(client: TestClient) -> None:
    html = get(client, "/articles/sha256:nothing", 404)
    assert "Not found" in html and "sha256:nothing" in html


def test_claims_page(client: TestClient) -> None:
    i = ids()
    html = get(client, "/claims")
    assert '<label for="q-source"' in html and '<select id="q-certainty"' in html
    assert f"/articles/{i['a'].replace(':', '%3A')}#claim-{i['troops'].replace(':', '-')}" in html
    assert '<th scope="col">Claim</th>' in html
    assert 'href="/claims?order=published"' in html
    html = get(client, "/claims?order=published")
    assert 'aria-sort="ascending"' in html and "order=-published" in html
    assert html.index("Troops went to Russia") < html.index("About 11,000")
    html = get(client, "/claims?order=-published")
    assert 'aria-sort="descending"' in html
    assert html.index("About 11,000") < html.index("Troops went to Russia")
    html = get(client, "/claims?certainty=probable")
    assert "The region was quiet" in html and "North Korea sent" not in html
    assert '<option value="probable" selected>' in html
    html = get(client, "/claims?source=Reuters")
    assert "About 11,000 North Korean" in html and "The region was quiet" not in html
    assert "Bad request" in get(client, "/claims?order=sideways", 400)


def test_clusters_pages(client: TestClient) -> None:
    i = ids()
    html = get(client, "/clusters")
    assert "North Korea sent 12,000 troops" in html or "About 11,000" in html
    assert "/clusters/claim%3A" in html
    html = get(client, f"/clusters/{i['troops']}")
    assert "Independent origins: 2" in html
    assert '<svg role="img" aria-labelledby="relay-title relay-desc"' in html
    assert "marker-end=" in html and "<rect" in html
    assert "Daily Planet" in html and "Wire" in html
    assert "The New York Times, citing anonymous sources" in html
    assert "12,000 against about 11,000" in html and 'class="sides"' in html
    assert "Not found" in get(client, "/clusters/claim:nothing", 404)


def test_entity_pages(client: TestClient) -> None:
    html = get(client, "/entities")
    assert 'href="/entities/gpe/north-korea"' in html and "North Korea" in html
    html = get(client, "/entities?kind=media")
    assert "The New York Times" in html and "gpe/north-korea" not in html
    html = get(client, "/entities/North Korea")
    assert "<h1>North Korea</h1>" in html and "DPRK" in html
    assert "<circle" in html and "<title>" in html
    assert "12,000" in html and "≈11,000" in html
    assert 'fill="#ffffff"' in html  # the approximate point is hollow
    assert html.count('<a href="/articles/') >= 2
    assert "Claims about North Korea" in html
    assert get(client, "/entities/gpe/north-korea").count("<h1>North Korea</h1>") == 1
    html = get(client, "/entities/The New York Times")
    assert "Claims made (1)" in html
    assert "Not found" in get(client, "/entities/Atlantis", 404)


def test_search_page(client: TestClient) -> None:
    html = get(client, "/search")
    assert '<label for="s-q"' in html and "Results" not in html
    html = get(client, "/search?q=quiet")
    assert "The region was quiet" in html and "#claim-claim-" in html
    assert "Nothing matches" in get(client, "/search?q=zebra")


def test_post_without_csrf_is_403(client: TestClient) -> None:
    r = client.post("/", data={"text": "Kyiv said so."})
    assert r.status_code == 403
    assert "security token" in r.text


def form_token(client: TestClient) -> str:
    r = client.get("/")
    m = re.search(r'name="csrf_token" value="([0-9a-f]+)"', r.text)
    assert m
    return m.group(1)


def test_post_with_a_wrong_token_or_origin_is_403(client: TestClient) -> None:
    token = form_token(client)
    r = client.post("/", data={"text": "Kyiv said so.", "csrf_token": "0" * 64})
    assert r.status_code == 403
    r = client.post(
        "/", data={"text": "Kyiv said so.", "csrf_token": token}, headers={"Origin": "https://evil.example"}
    )
    assert r.status_code == 403 and "another site" in r.text


def test_post_bad_input(client: TestClient) -> None:
    token = form_token(client)
    r = client.post("/", data={"text": "  ", "csrf_token": token})
    assert r.status_code == 400 and "The text is empty" in r.text
    r = client.post("/", data={"text": "Kyiv said so.", "published": "31/01/2025", "csrf_token": token})
    assert r.status_code == 400 and "YYYY-MM-DD" in r.text
    assert "Kyiv said so." in r.text  # the form keeps what was typed
    r = client.post("/", data={"text": "Kyiv said so.", "published": "2025-02-30", "csrf_token": token})
    assert r.status_code == 400
    r = client.post("/", data={"text": "a" * 1_000_001, "csrf_token": token})
    assert r.status_code == 413


def test_post_renders_the_analysis(
    client: TestClient, service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Article] = []

    def fake(article: Article) -> ClaimRecord:
        seen.append(article)
        claim = Claim(content=Span("Kyiv said so", ((0, 12),)), sentence=(0, 13))
        return ClaimRecord(article, (claim,))

    monkeypatch.setattr(service, "analyze", fake)
    token = form_token(client)
    r = client.post(
        "/",
        data={
            "text": "Kyiv said so. <script>x</script>",
            "title": "T",
            "published": "2025-01-31",
            "outlet": "O",
            "csrf_token": token,
        },
        headers={"Origin": "http://testserver"},
    )
    assert r.status_code == 200, r.text
    csp_friendly(r.text)
    assert seen[0].outlet == "O" and seen[0].published == "2025-01-31"
    assert "Analysis only: not stored." in r.text
    assert 'id="claim-n1"' in r.text
    assert "&lt;script&gt;x&lt;/script&gt;" in r.text


def test_static_files(client: TestClient) -> None:
    css = client.get("/static/app.css")
    assert css.status_code == 200 and "white-space: pre-wrap" in css.text
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "focusin" in js.text


def test_unknown_page_is_an_html_404(client: TestClient) -> None:
    r = client.get("/no/such/page")
    assert r.status_code == 404 and "<main" in r.text


@pytest.mark.slow
def test_post_with_the_real_model(client: TestClient) -> None:
    token = form_token(client)
    r = client.post(
        "/",
        data={
            "text": (
                "North Korean soldiers were withdrawn from the front, "
                "The New York Times writes, citing officials."
            ),
            "published": "2025-01-31",
            "csrf_token": token,
        },
    )
    assert r.status_code == 200, r.text
    assert 'tabindex="0"' in r.text and "The New York Times" in r.text


def test_the_api_reads_the_same_store_on_each_backend(client: TestClient) -> None:
    """The JSON endpoints over the same store (both backends): each response as its model declares."""
    from claimgraph.interfaces import schemas

    the = ids()
    for url, model in (
        ("/api/articles", schemas.ArticleListOut),
        (f"/api/articles/{the['a']}", schemas.ArticleViewOut),
        ("/api/claims?limit=2", schemas.ClaimPageOut),
        ("/api/claims?certainty=certain&order=-published", schemas.ClaimPageOut),
        ("/api/clusters", schemas.ClusterListOut),
        (f"/api/clusters/{the['troops']}", schemas.ClusterOut),
        ("/api/entities", schemas.IdentityListOut),
        ("/api/contradictions", schemas.ContradictionListOut),
        ("/api/search?q=troops", schemas.SearchOut),
    ):
        r = client.get(url)
        assert r.status_code == 200, (url, r.text[:300])
        model.model_validate(r.json())
    assert client.get("/api/claims?limit=2").json()["next_offset"] == 2
    assert client.get(f"/api/clusters/{the['troops']}").json()["size"] == 2
    assert client.get("/api/search?q=troops").json()["hits"]
