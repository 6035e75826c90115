"""Fetching pages and feeds over HTTP, politely and safely.

A URL is untrusted input, and so is every redirect it leads to. ``Fetcher.get``:

- takes http and https URLs only, without credentials in them, of at most 2,000 characters;
- resolves the host itself and refuses private, loopback, link-local, multicast and other
  non-public addresses (unless ``allow`` says otherwise: ``--allow-private``), then connects to
  the very address it checked (no second lookup an attacker's DNS could answer differently);
  for https the certificate is still checked against the host's name;
- follows at most ``max_redirects`` redirects, checking each target the same way;
- sends conditional requests (``If-None-Match`` / ``If-Modified-Since``) from what it was
  given of an earlier fetch, so that an unchanged page costs a 304 and nothing more;
- honours robots.txt (RFC 9309: a missing file allows everything, an unreachable one
  disallows everything) and its Crawl-delay, and waits ``host_interval`` seconds between two
  requests to one host;
- reads at most ``max_bytes`` bytes (refusing at once a larger Content-Length), and gives up
  on a server slower than ``timeout`` seconds to connect, to send a chunk, or in all.

Every refusal is an ``InputError`` naming the URL and the reason.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from claimgraph.errors import InputError

USER_AGENT = "claimgraph/0.1 (+https://pypi.org/project/claimgraph/)"
MAX_URL = 2_000
#: robots.txt files are small; a larger one is read up to this many bytes
MAX_ROBOTS = 500_000

_DISALLOW_ALL = ["User-agent: *", "Disallow: /"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(ip: IPAddress) -> bool:
    """Whether an address is on the public internet (not private, loopback, link-local,
    multicast, reserved, shared or unspecified; an IPv4-mapped IPv6 address as its IPv4)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(ip.is_global) and not ip.is_multicast


def any_address(ip: IPAddress) -> bool:
    """``--allow-private``: every address."""
    return True


def resolve(host: str, port: int) -> list[IPAddress]:
    """The addresses a host name (or literal address) stands for."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise OSError(f"cannot resolve {host!r}: {e}") from e
    out: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in out:
            out.append(address)
    return out


@dataclass(frozen=True)
class Fetched:
    """What a fetch gave: the final URL (after redirects), the status, the body (empty for a
    304), its type, and the validators to send next time."""

    url: str
    final_url: str
    status: int
    content: bytes
    content_type: str
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def charset(self) -> str | None:
        for part in self.content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip("\"' ")
        return None


def check_url(url: str) -> str:
    """A URL that may be fetched: http(s), a host, no credentials, not too long.

    RAISES (InputError): the URL and why not.
    """
    shown = url[:200]
    if len(url) > MAX_URL:
        raise InputError(shown, f"the URL is {len(url)} characters long; at most {MAX_URL}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a bad port raises here)
    except ValueError as e:
        raise InputError(shown, f"not a valid URL ({e})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError(shown, f"only http and https URLs are fetched, not {parts.scheme or 'no scheme'!r}")
    if not parts.hostname:
        raise InputError(shown, "the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise InputError(shown, "a URL with a user name or password in it is not fetched")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise InputError(shown, "the URL has spaces or control characters in it")
    return url


class Fetcher:
    """Fetches URLs with the checks above. One per run: it keeps robots.txt files and the time
    of the last request to each host.

    allow: which resolved addresses may be connected to (``is_public`` unless told).
    resolver: host, port -> addresses (``resolve``; tests give their own).
    """

    def __init__(
        self,
        *,
        allow: Callable[[IPAddress], bool] = is_public,
        max_bytes: int = 20_000_000,
        timeout: float = 20.0,
        max_redirects: int = 5,
        host_interval: float = 1.0,
        user_agent: str = USER_AGENT,
        resolver: Callable[[str, int], list[IPAddress]] = resolve,
        robots: bool = True,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.allow = allow
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.max_redirects = max_redirects
        self.host_interval = host_interval
        self.user_agent = user_agent
        self.resolver = resolver
        self.robots = robots
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._lock = threading.Lock()
        self._client = httpx.Client(
            follow_redirects=False,
            timeout=httpx.Timeout(timeout),
            trust_env=False,  # no proxy from the environment: the address checked is the one used
            headers={"User-Agent": user_agent},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one request ------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    ) -> Fetched:
        """Fetch a URL (following redirects, each checked); a 304 when the validators match.

        RAISES (InputError): a refused address or URL, a robots.txt rule, a timeout, a body
            over the cap, too many redirects, or an HTTP error status.
        """
        start = check_url(url)
        current = start
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = time.monotonic() + self.timeout * 3
        for hop in range(self.max_redirects + 1):
            if self.robots and not self._robots_allow(current):
                raise InputError(current[:200], "robots.txt of the site disallows fetching it")
            response_status, response_headers, body = self._request(current, headers, deadline)
            if response_status in (301, 302, 303, 307, 308):
                location = response_headers.get("location")
                if not location:
                    raise InputError(current[:200], f"a {response_status} redirect without a Location")
                if hop == self.max_redirects:
                    raise InputError(start[:200], f"more than {self.max_redirects} redirects")
                current = check_url(urljoin(current, location.strip()))
                continue
            if response_status == 304:
                return Fetched(start, current, 304, b"", "", etag, last_modified)
            if response_status >= 400:
                raise InputError(current[:200], f"the server answered {response_status}")
            return Fetched(
                start,
                current,
                response_status,
                body,
                response_headers.get("content-type", ""),
                response_headers.get("etag"),
                response_headers.get("last-modified"),
            )
        raise InputError(start[:200], f"more than {self.max_redirects} redirects")  # pragma: no cover

    def _request(
        self, url: str, headers: dict[str, str], deadline: float, max_bytes: int | None = None
    ) -> tuple[int, httpx.Headers, bytes]:
        """One request to the checked address of the URL's host; the body read up to the cap."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            addresses = self.resolver(host, port)
        except OSError as e:
            raise InputError(url[:200], str(e)) from None
        allowed = [a for a in addresses if self.allow(a)]
        if not addresses or not allowed:
            shown = ", ".join(str(a) for a in addresses) or "nothing"
            raise InputError(
                url[:200],
                f"{host} is at {shown}: a private, loopback or link-local address is not fetched "
                "(--allow-private fetches it)",
            )
        address = allowed[0]
        self._wait_for(host)
        netloc = f"[{address}]" if address.version == 6 else str(address)
        if parts.port is not None:
            netloc += f":{parts.port}"
        target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        host_header = host if parts.port is None else f"{host}:{parts.port}"
        extensions: dict[str, Any] = {}
        if parts.scheme == "https":
            extensions["sni_hostname"] = host
        limit = self.max_bytes if max_bytes is None else max_bytes
        remaining = max(0.1, deadline - time.monotonic())
        try:
            with self._client.stream(
                "GET",
                target,
                headers={**headers, "Host": host_header},
                extensions=extensions,
                timeout=httpx.Timeout(min(self.timeout, remaining)),
            ) as response:
                length = response.headers.get("content-length")
                if length and length.isdigit() and int(length) > limit:
                    raise InputError(
                        url[:200],
                        f"the page is {int(length):,} bytes; at most {limit:,} are read (--max-bytes)",
                    )
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_raw():
                    size += len(chunk)
                    if size > limit:
                        raise InputError(
                            url[:200], f"the page is larger than {limit:,} bytes; cut off there (--max-bytes)"
                        )
                    if time.monotonic() > deadline:
                        raise InputError(
                            url[:200], f"the server took more than {self.timeout * 3:g} s in all"
                        )
                    chunks.append(chunk)
                body = b"".join(chunks)
                if response.headers.get("content-encoding", "identity") not in ("identity", ""):
                    body = _decode_body(response, body, limit, url)
                return response.status_code, response.headers, body
        except httpx.TimeoutException:
            raise InputError(url[:200], f"the server did not answer within {self.timeout:g} s") from None
        except httpx.HTTPError as e:
            raise InputError(url[:200], f"could not fetch it ({type(e).__name__}: {e})") from None

    # -- politeness ------------------------------------------------------------------

    def _wait_for(self, host: str) -> None:
        """Sleep until ``host_interval`` (or the host's Crawl-delay) has passed since the last
        request to the host."""
        with self._lock:
            interval = self.host_interval
            parser = self._robots.get(host)
            if parser is not None:
                delay = parser.crawl_delay(self.user_agent)
                if delay is not None:
                    interval = max(interval, min(float(delay), 60.0))
            last = self._last.get(host)
            now = time.monotonic()
            if last is not None and now - last < interval:
                self._sleep(interval - (now - last))
            self._last[host] = time.monotonic()

    def _robots_allow(self, url: str) -> bool:
        parts = urlsplit(url)
        host = parts.hostname or ""
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self._robots:
            self._robots[key] = self._read_robots(key)
            self._robots[host] = self._robots[key]
        parser = self._robots[key]
        return True if parser is None else parser.can_fetch(self.user_agent, url)

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """The site's robots.txt, or None where it has none (everything allowed)."""
        parser = urllib.robotparser.RobotFileParser()
        url = origin + "/robots.txt"
        try:
            status, _, body = self._request(
                url, {"Accept": "text/plain"}, time.monotonic() + self.timeout, MAX_ROBOTS
            )
        except InputError as e:
            if "larger than" in e.reason or "bytes; at most" in e.reason:
                return None
            if "private" in e.reason:
                raise
            parser.parse(_DISALLOW_ALL)  # unreachable: RFC 9309 says assume everything is disallowed
            return parser
        if status >= 500:
            parser.parse(_DISALLOW_ALL)
            return parser
        if status >= 300:  # 4xx: no rules; a redirect of robots.txt is not followed here
            return None
        parser.parse(body.decode("utf-8", "replace").splitlines())
        return parser


def _decode_body(response: httpx.Response, raw: bytes, limit: int, url: str) -> bytes:
    """A compressed body, decompressed up to the cap (a small gzip can unpack to gigabytes)."""
    import zlib

    encoding = response.headers.get("content-encoding", "").lower()
    if encoding not in ("gzip", "deflate", "x-gzip"):
        raise InputError(url[:200], f"the page is sent with an encoding this reader lacks ({encoding})")
    decoder = zlib.decompressobj(zlib.MAX_WBITS | 32 if "gzip" in encoding else zlib.MAX_WBITS)
    try:
        out = decoder.decompress(raw, limit + 1)
    except zlib.error as e:
        raise InputError(url[:200], f"the compressed page is broken ({e})") from None
    if len(out) > limit or decoder.unconsumed_tail:
        raise InputError(
            url[:200], f"the page unpacks to more than {limit:,} bytes; cut off there (--max-bytes)"
        )
    return out
