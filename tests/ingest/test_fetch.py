"""Pages and feeds from URLs, end to end against a local HTTP server (no internet): new feed
items ingested, unchanged ones skipped by ETag, a changed page stored as a version with its
claim diff, private addresses refused (also after a redirect), the size cap, timeouts,
robots.txt and the wait between requests to one host."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from claimgraph.config import Settings
from claimgraph.errors import InputError
from claimgraph.ingest.fetch import Fetcher, any_address, check_url, is_public
from claimgraph.ingest.urls import is_feed, read_feed
from claimgraph.interfaces.cli import app
from claimgraph.store import Store

LOOPBACK = ipaddress.ip_address("127.0.0.1")


@dataclass
class Route:
    body: bytes | None = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    #: bytes streamed without a Content-Length, instead of ``body``
    stream: int = 0


class Site:
    """A local web site whose pages the tests change as they go, counting the requests."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[tuple[str, str | None]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                site.hits.append((self.path, self.headers.get("If-None-Match")))
                route = site.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.delay:
                    time.sleep(route.delay)
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                if route.etag:
                    self.send_header("ETag", route.etag)
                for k, v in route.headers.items():
                    self.send_header(k, v)
                if route.stream:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    chunk = b"<p>" + b"x" * 65_530 + b"</p>"
                    sent = 0
                    try:
                        while sent < route.stream:
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                            sent += len(chunk)
                        self.wfile.write(b"0\r\n\r\n")
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    return
                body = route.body or b""
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def fetched(self, path: str) -> int:
        return sum(1 for p, _ in self.hits if p == path)


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.server.shutdown()
    s.server.server_close()


def page(title: str, *paragraphs: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html lang='en'><head><title>{title}</title>"
        f"<meta property='og:site_name' content='Local News'>"
        f"<meta property='article:published_time' content='2025-02-01'></head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


def feed(base: str, *items: tuple[str, str]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link>"
        f"<pubDate>Sat, 01 Feb 2025 10:00:00 GMT</pubDate></item>"
        for path, title in items
    )
    return (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>Local</title>"
        f"<link>{base}/</link><description>d</description>{entries}</channel></rss>"
    ).encode()


PORT_CLOSED = (
    "Officials said the port of Odesa was closed to grain ships on Friday after a drone attack.",
    "The harbour master told reporters that about 40 vessels were waiting outside the port.",
)
BRIDGE = ("The regional governor said the bridge over the river was damaged by shelling overnight.",)


def fetcher(**kw: Any) -> Fetcher:
    kw.setdefault("allow", any_address)
    kw.setdefault("host_interval", 0.0)
    kw.setdefault("timeout", 5.0)
    return Fetcher(**kw)


# -- the fetcher alone ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url,reason",
    [
        ("javascript:alert(1)", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("ftp://example.org/x", "only http and https"),
        ("http://user:pw@example.org/", "user name or password"),
        ("http:///nohost", "no host"),
        ("http://example.org/" + "a" * 2100, "characters long"),
        ("http://exa mple.org/", "spaces or control"),
        ("http://example.org:99999/", "not a valid URL"),
    ],
)
def test_bad_urls_are_refused_with_the_reason(url: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        check_url(url)


@pytest.mark.parametrize(
    "address,public",
    [
        ("127.0.0.1", False), ("10.1.2.3", False), ("192.168.1.1", False), ("172.16.0.1", False),
        ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
        ("::1", False), ("fe80::1", False), ("fc00::1", False), ("::ffff:127.0.0.1", False),
        ("93.184.215.14", True), ("2606:4700::1111", True),
    ],
)  # fmt: skip
def test_only_public_addresses_are_public(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public


def test_a_loopback_url_is_refused_before_any_request(site: Site) -> None:
    site.routes["/a"] = Route(page("A", *PORT_CLOSED))
    with Fetcher(host_interval=0) as f, pytest.raises(InputError, match="private, loopback or link-local"):
        f.get(f"{site.base}/a")
    assert site.hits == []
    # a host name that resolves to a private address is no better
    with Fetcher(host_interval=0, resolver=lambda h, p: [LOOPBACK]) as f:
        with pytest.raises(InputError, match="--allow-private"):
            f.get(f"http://news.example:{site.port}/a")
    assert site.hits == []


@pytest.mark.parametrize(
    "target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.7/admin", "/b"]
)
def test_a_redirect_to_a_private_address_is_refused(site: Site, target: str) -> None:
    """The first hop is allowed (the test's own server, and only it); where it redirects to is
    checked again, before any connection."""
    site.routes["/a"] = Route(None, status=302, headers={"Location": target})
    site.routes["/b"] = Route(page("B", *PORT_CLOSED))
    only_this_server = {LOOPBACK}

    def allow(ip: Any) -> bool:
        return ip in only_this_server

    def resolver(host: str, port: int) -> list[Any]:
        return [LOOPBACK] if host == "news.example" else [ipaddress.ip_address(host)]

    with fetcher(allow=allow, resolver=resolver) as f:
        if target == "/b":  # a redirect within the allowed server is followed
            got = f.get(f"http://news.example:{site.port}/a")
            assert got.final_url == f"http://news.example:{site.port}/b" and b"Odesa" in got.content
            return
        with pytest.raises(InputError, match="private, loopback or link-local"):
            f.get(f"http://news.example:{site.port}/a")
    assert [p for p, _ in site.hits] == ["/robots.txt", "/a"]


def test_redirects_are_limited(site: Site) -> None:
    for i in range(10):
        site.routes[f"/r{i}"] = Route(None, status=301, headers={"Location": f"/r{i + 1}"})
    with fetcher(max_redirects=3) as f, pytest.raises(InputError, match="more than 3 redirects"):
        f.get(f"{site.base}/r0")


@pytest.mark.parametrize("stream", [True, False], ids=["chunked", "content-length"])
def test_a_50_mb_page_is_cut_off_at_the_cap(site: Site, stream: bool) -> None:
    fifty = 50_000_000
    site.routes["/big"] = Route(stream=fifty) if stream else Route(b"x" * fifty)
    started = time.monotonic()
    with fetcher(max_bytes=2_000_000) as f, pytest.raises(InputError, match="2,000,000") as caught:
        f.get(f"{site.base}/big")
    assert "--max-bytes" in caught.value.reason
    assert time.monotonic() - started < 10


def test_a_slow_server_times_out(site: Site) -> None:
    site.routes["/slow"] = Route(page("S", *PORT_CLOSED), delay=3.0)
    with fetcher(timeout=0.5) as f, pytest.raises(InputError, match="did not answer within 0.5 s"):
        f.get(f"{site.base}/slow")


def test_robots_txt_is_honoured(site: Site) -> None:
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.routes["/private/a"] = Route(page("P", *PORT_CLOSED))
    site.routes["/public/a"] = Route(page("P", *PORT_CLOSED))
    with fetcher() as f:
        with pytest.raises(InputError, match="robots.txt"):
            f.get(f"{site.base}/private/a")
        assert f.get(f"{site.base}/public/a").status == 200
    assert site.fetched("/private/a") == 0 and site.fetched("/robots.txt") == 1


def test_requests_to_one_host_wait_their_turn(site: Site) -> None:
    site.routes["/a"] = Route(page("A", *PORT_CLOSED))
    waits: list[float] = []
    with fetcher(host_interval=2.0, sleep=waits.append, robots=False) as f:
        f.get(f"{site.base}/a")
        f.get(f"{site.base}/a")
    assert len(waits) == 1 and 1.5 < waits[0] <= 2.0


def test_conditional_requests_get_a_304(site: Site) -> None:
    site.routes["/a"] = Route(page("A", *PORT_CLOSED), etag='"v1"')
    with fetcher() as f:
        first = f.get(f"{site.base}/a")
        assert first.etag == '"v1"' and first.status == 200
        again = f.get(f"{site.base}/a", etag=first.etag)
    assert again.not_modified and again.content == b""
    assert site.hits[-1] == ("/a", '"v1"')


def test_feeds_are_recognised_and_their_links_read(site: Site) -> None:
    site.routes["/feed"] = Route(
        feed(site.base, ("/a", "A"), ("/a", "A again"), ("/b", "B")) + b"",
        content_type="application/rss+xml",
    )
    with fetcher() as f:
        got = f.get(f"{site.base}/feed")
    assert is_feed(got)
    entries = read_feed(got)
    assert [e.url for e in entries] == [f"{site.base}/a", f"{site.base}/b"]
    assert entries[0].published == "2025-02-01"


# -- ingest, end to end -----------------------------------------------------------------------


@pytest.mark.slow
def test_feed_ingest_new_items_unchanged_skipped_changed_page_versioned(
    site: Site, tmp_path: Path, extractor: Any
) -> None:
    from claimgraph.run import ingest_urls

    url = f"sqlite:///{tmp_path / 's.db'}"
    store = Store(url, create=True)
    settings = Settings(db_url=url, allow_private=True, host_interval=0.0)
    site.routes["/feed"] = Route(
        feed(site.base, ("/port", "Port")), content_type="application/rss+xml", etag='"f1"'
    )
    site.routes["/port"] = Route(page("Port closed", *PORT_CLOSED), etag='"p1"')
    with fetcher() as f:
        first = ingest_urls([f"{site.base}/feed"], settings, store, f, extractor=extractor)
        assert first.stored == 1 and not first.failed, first.failed
        port_claims = store.claims(contains="Odesa")
        assert port_claims and port_claims[0][0].outlet == "Local News"
        assert port_claims[0][0].url == f"{site.base}/port"

        # nothing changed: the feed answers 304 to its ETag, no page is fetched
        second = ingest_urls([f"{site.base}/feed"], settings, store, f, extractor=extractor)
        assert second.stored == 0 and second.unchanged == 1
        assert site.fetched("/port") == 1 and site.hits[-1] == ("/feed", '"f1"')

        # a new item: only its page is stored; the old page is asked for with its ETag (304)
        site.routes["/feed"] = Route(
            feed(site.base, ("/bridge", "Bridge"), ("/port", "Port")),
            content_type="application/rss+xml",
            etag='"f2"',
        )
        site.routes["/bridge"] = Route(page("Bridge damaged", *BRIDGE))
        third = ingest_urls([f"{site.base}/feed"], settings, store, f, extractor=extractor)
        assert third.stored == 1 and third.unchanged == 1 and store.count_articles() == 2
        assert ("/port", '"p1"') in site.hits

        # the port page changes (and the feed with it): a new version, with the claim that
        # appeared and the one gone
        site.routes["/feed"].etag = '"f3"'
        site.routes["/port"] = Route(
            page(
                "Port reopened",
                PORT_CLOSED[0],
                "The navy said on Sunday that the port had reopened to ships.",
            ),
            etag='"p2"',
        )
        fourth = ingest_urls([f"{site.base}/feed"], settings, store, f, extractor=extractor)
    assert fourth.stored == 1 and len(fourth.versions) == 1, (fourth.failed, fourth.versions)
    assert store.count_articles() == 2  # the new version replaced the old one: no duplicate
    versions = store.versions(f"{site.base}/port")
    assert [v["version"] for v in versions] == [1, 2]
    assert any("reopened" in c for c in versions[1]["appeared"])
    assert any("40 vessels" in c for c in versions[1]["disappeared"])
    assert not any("Odesa" in c for c in versions[1]["appeared"] + versions[1]["disappeared"])
    assert [a.title for a, _ in store.articles()] == ["Port reopened", "Bridge damaged"]
    store.close()


def test_cli_refuses_a_loopback_url_without_allow_private(site: Site, tmp_path: Path) -> None:
    site.routes["/a"] = Route(page("A", *PORT_CLOSED))
    db = f"sqlite:///{tmp_path / 's.db'}"
    result = CliRunner().invoke(app, ["ingest", f"{site.base}/a", "--db", db])
    assert result.exit_code == 1
    assert "--allow-private" in result.output and "127.0.0.1" in result.output
    assert site.hits == []


@pytest.mark.slow
def test_cli_ingests_a_url_with_allow_private_and_watch_once(site: Site, tmp_path: Path) -> None:
    site.routes["/a"] = Route(page("Port closed", *PORT_CLOSED), etag='"p1"')
    site.routes["/feed"] = Route(feed(site.base, ("/a", "A")), content_type="application/rss+xml")
    db = f"sqlite:///{tmp_path / 's.db'}"
    result = CliRunner().invoke(app, ["ingest", f"{site.base}/a", "--db", db, "--allow-private", "--no-link"])
    assert result.exit_code == 0, result.output
    assert "stored 1 article(s)" in result.output
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# my feeds\n\n{site.base}/feed\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["watch", str(feeds), "--db", db, "--once", "--allow-private", "--no-link"]
    )
    assert result.exit_code == 0, result.output
    assert "round 1" in result.output and "1 unchanged" in result.output


@pytest.mark.parametrize(
    "content,every,message",
    [
        ("", "15m", "names no URL"),
        ("ftp://x/feed\n", "15m", "only http and https"),
        ("http://example.org/feed\n", "soon", "--every takes a time"),
        ("http://example.org/feed\n", "2s", "10 seconds or more"),
    ],
)
def test_watch_refuses_a_bad_feeds_file_or_interval(
    tmp_path: Path, content: str, every: str, message: str
) -> None:
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["watch", str(feeds), "--every", every, "--db", f"sqlite:///{tmp_path}/s.db"]
    )
    assert result.exit_code != 0 and message in result.output
