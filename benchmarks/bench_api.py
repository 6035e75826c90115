"""What the REST API costs, seen by a client in another process over loopback.

    python benchmarks/bench_api.py [--db sqlite:///benchmarks/.data/polnear-train.db]
                                   [--corpus ../shared/data/polnear/train/text]
                                   [--requests 200] [--analyze-runs 20] [--seed 7] [--json]
    python benchmarks/bench_api.py --db sqlite:////tmp/nk.db --quick      # a smoke run

The store: ``--db``; if it holds no article it is built first with
``claimgraph ingest CORPUS --db URL`` (PolNeAR train, 840 articles, by default), and the
time that took is printed.

The server: the real one, ``claimgraph serve --db URL --port P`` (the console script next
to this Python), started as a second process on a free loopback port and stopped at the
end (also on error). This process drives it with one keep-alive ``httpx.Client``, one
request at a time (no concurrency: the machine may have two cores), and times each
request with ``time.perf_counter()``: the whole request, the body read included.

Read endpoints, ``--requests`` timed requests each after ``--warmup`` untimed ones, their
parameters drawn with ``--seed`` from what the store holds (read through the API first):

- claims (list): ``GET /api/claims?limit=50`` at varied offsets, plain or with a filter:
  ``source=`` one of the most named sources, ``certainty=probable``, ``order=-published``
  (each filter also gets a row of its own);
- search: ``GET /api/search?q=`` one to three words of stored claims;
- cluster (API): ``GET /api/clusters/{id}``, and cluster page (HTML): ``GET /clusters/{id}``,
  for ids of ``GET /api/clusters?limit=500`` (a page not served yet is reported missing);
- article (API): ``GET /api/articles/{id}``, an article with its claims.

Prints p50, p95 and max in ms per endpoint. Goal: p95 <= 50 ms for each read endpoint.

Analysis: ``POST /api/analyze`` with the founding example (``{"text": ...}``), beside the
analysis itself in this process (``Extractor`` and ``run.analyze_articles`` with a
``Resolver``, loaded once, as ``Service.analyze`` calls them; the article read with
``read_record({"text": ...})`` as the API reads it), ``--analyze-runs`` runs each after two
warm-ups, the two interleaved one call at a time (the server idle while this process
analyses). Goal: API p50 / analysis p50 <= 1.20. For information only, the wall time of
one ``claimgraph analyze EXAMPLE --json`` process, start-up and model loading included.

Prints a table; with ``--json`` then one JSON line:
``{"store": {"articles", "claims", "clusters"}, "endpoints": {name: {"p50_ms", "p95_ms",
"max_ms", "n"}}, "analyze": {"api_p50_ms", "inprocess_p50_ms", "ratio", "cli_process_s"},
"goals": {"read_p95_le_50ms", "analyze_ratio_le_1.2"}, "machine": {"cpus", "load_before"}}``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = f"sqlite:///{ROOT / 'benchmarks' / '.data' / 'polnear-train.db'}"
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"
EXAMPLE = ROOT / "examples" / "nk-troops-withdrawn.txt"

READ_GOAL_MS = 50.0
RATIO_GOAL = 1.20
PAGE = 50
#: the largest offset the API takes
MAX_OFFSET = 100_000
STOPWORDS = set(
    "that this with from have were been their they them there which would could about after "
    "before said says told also than then when what where while will into over under more most "
    "some such only other these those being does your just very".split()
)


def say(*parts: Any) -> None:
    """Progress, on stderr (stdout holds the table and the JSON line)."""
    print(*parts, file=sys.stderr, flush=True)


def executable() -> str:
    exe = Path(sys.executable).parent / "claimgraph"
    if exe.exists():
        return str(exe)
    found = shutil.which("claimgraph")
    if found is None:
        raise SystemExit("no claimgraph console script next to this Python nor on PATH: pip install -e .")
    return found


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(times: Sequence[float]) -> dict[str, Any]:
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1),
        "n": len(times),
    }


# -- the store ------------------------------------------------------------------------


def store_counts(url: str) -> tuple[int, int] | None:
    """(articles, claims) of the store, or None where there is no store yet."""
    from claimgraph.errors import ClaimgraphError
    from claimgraph.store import Store

    try:
        store = Store(url, create=False)
    except ClaimgraphError:
        return None
    try:
        return store.count_articles(), store.count_claims()
    finally:
        store.close()


def ensure_store(url: str, corpus: Path, exe: str) -> tuple[int, int]:
    counts = store_counts(url)
    if counts and counts[0] > 0:
        return counts
    if not corpus.is_dir():
        raise SystemExit(
            f"the store {url} holds no article and there is no corpus at {corpus}: give --corpus"
        )
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
    n = sum(1 for p in corpus.iterdir() if p.is_file())
    say(f"building the store: claimgraph ingest {corpus} --db {url} ({n} files; this takes a while)")
    t = time.perf_counter()
    subprocess.run([exe, "ingest", str(corpus), "--db", url], check=True)
    say(f"built the store in {time.perf_counter() - t:.0f} s")
    counts = store_counts(url)
    if not counts or counts[0] == 0:
        raise SystemExit(f"claimgraph ingest stored no article in {url}")
    return counts


# -- the server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """``claimgraph serve`` in a second process, its output in a temporary file."""

    def __init__(self, exe: str, url: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="bench-api-serve-", suffix=".log", delete=False)
        cmd = [exe, "serve", "--db", url, "--port", str(self.port)]
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def wait(self, client: httpx.Client, timeout: float = 120.0) -> float:
        """Seconds until ``GET /api/articles?limit=1`` answers 200 (raises past ``timeout``)."""
        t = time.perf_counter()
        while time.perf_counter() - t < timeout:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server stopped (exit {self.proc.returncode}):\n{self.tail()}")
            try:
                if client.get("/api/articles", params={"limit": 1}).status_code == 200:
                    return time.perf_counter() - t
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"the server did not answer within {timeout:.0f} s:\n{self.tail()}")

    def tail(self, n: int = 30) -> str:
        self.log.flush()
        lines = Path(self.log.name).read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(lines[-n:])

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


# -- what to ask for ----------------------------------------------------------------------


def get_json(client: httpx.Client, path: str, **params: Any) -> Any:
    r = client.get(path, params=params)
    if r.status_code != 200:
        raise SystemExit(f"GET {path} {params}: {r.status_code} {r.text[:300]}")
    return r.json()


def sample_claims(
    client: httpx.Client, claims: int, rng: random.Random, pages: int = 6
) -> list[dict[str, Any]]:
    """Claims of a few pages of 500 spread over the store (their content and chains)."""
    last = max(0, min(claims, MAX_OFFSET) - 500)
    offsets = sorted({0, last, *(rng.randrange(0, last + 1) for _ in range(pages - 2))})
    out: list[dict[str, Any]] = []
    for offset in offsets:
        page = get_json(client, "/api/claims", limit=500, offset=offset)
        for record in page["records"]:
            out.extend(record.get("claims", []))
    return out


def common_sources(claims: Sequence[dict[str, Any]], n: int = 8) -> list[str]:
    """The most named non-anonymous sources of the claims, as their text reads."""
    seen: Counter[str] = Counter()
    for claim in claims:
        for hop in claim.get("chain", []):
            for source in hop.get("sources", []):
                text = source.get("text") or ""
                if text and not source.get("anonymous") and "\u2026" not in text and len(text) <= 80:
                    seen[text] += 1
    return [name for name, _ in seen.most_common(n)]


def claim_words(claims: Sequence[dict[str, Any]]) -> list[str]:
    words = []
    for claim in claims:
        content = claim.get("content") or {}
        text = content.get("text", "") if isinstance(content, dict) else str(content)
        words += [w for w in re.findall(r"[A-Za-z]{4,}", text) if w.lower() not in STOPWORDS]
    return words


def claim_params(
    n: int, claims: int, sources: Sequence[str], rng: random.Random
) -> list[tuple[str, dict[str, Any]]]:
    """(kind, params) of ``n`` claim-list requests: plain pages anywhere, filtered first pages."""
    kinds = ["plain", "plain", "certainty=probable", "order=-published"]
    if sources:
        kinds.append("source=")
    last = max(0, min(claims, MAX_OFFSET) - PAGE)
    out: list[tuple[str, dict[str, Any]]] = []
    for _ in range(n):
        kind = rng.choice(kinds)
        params: dict[str, Any] = {"limit": PAGE}
        if kind == "plain":
            params["offset"] = rng.randrange(0, last + 1)
        else:
            # a filter: the first pages of what it keeps
            params["offset"] = PAGE * rng.randrange(0, 4)
            if kind == "source=":
                params["source"] = rng.choice(sources)
            elif kind == "certainty=probable":
                params["certainty"] = "probable"
            else:
                params["order"] = "-published"
                params["offset"] = rng.randrange(0, last + 1)
        out.append((kind, params))
    return out


def search_params(n: int, words: Sequence[str], rng: random.Random) -> list[dict[str, Any]]:
    if not words:
        words = ["troops", "officials", "Russia", "election"]
    return [
        {"q": " ".join(rng.choice(words) for _ in range(rng.choice((1, 1, 2, 2, 3)))), "limit": PAGE}
        for _ in range(n)
    ]


# -- timing ---------------------------------------------------------------------------------


Request = tuple[str, dict[str, Any] | None]


def timed_get(client: httpx.Client, path: str, params: dict[str, Any] | None) -> tuple[float, httpx.Response]:
    t = time.perf_counter()
    r = client.get(path, params=params)
    _ = r.content  # read in full already (not streamed); kept inside the timed span
    return (time.perf_counter() - t) * 1000, r


def run_endpoint(client: httpx.Client, requests: Sequence[Request], warmup: int) -> tuple[list[float], int]:
    """Times of the requests after ``warmup`` untimed ones (taken from the same list, cycled);
    the status of the first request that was not 200, or 200."""
    for i in range(max(1, warmup)):  # at least one: a page not served is found before timing
        path, params = requests[i % len(requests)]
        _, r = timed_get(client, path, params)
        if r.status_code != 200:
            return [], r.status_code
    times = []
    for path, params in requests:
        ms, r = timed_get(client, path, params)
        if r.status_code != 200:
            raise SystemExit(f"GET {path} {params}: {r.status_code} {r.text[:300]}")
        times.append(ms)
    return times, 200


def time_analysis(
    client: httpx.Client, text: str, runs: int, warmups: int = 2
) -> tuple[list[float], list[float], int, int]:
    """POST /api/analyze and the analysis in this process, interleaved one call at a time:
    (api ms, in-process ms, claims the API found, claims this process found)."""
    from claimgraph.config import Settings
    from claimgraph.ingest.records import read_record
    from claimgraph.link.identities import Resolver
    from claimgraph.nlp.pipeline import Extractor
    from claimgraph.run import analyze_articles, gazetteer

    settings = Settings()
    say("loading the pipeline in this process")
    resolver = Resolver(gazetteer(settings))
    extractor = Extractor(settings)

    def api() -> tuple[float, int]:
        t = time.perf_counter()
        r = client.post("/api/analyze", json={"text": text})
        _ = r.content
        ms = (time.perf_counter() - t) * 1000
        if r.status_code != 200:
            raise SystemExit(f"POST /api/analyze: {r.status_code} {r.text[:300]}")
        return ms, len(r.json().get("claims", []))

    def local() -> tuple[float, int]:
        t = time.perf_counter()
        article = read_record({"text": text}, "bench")
        record = next(analyze_articles([article], settings, extractor, resolver))
        return (time.perf_counter() - t) * 1000, len(record.claims)

    for _ in range(warmups):
        api()
        local()
    api_ms: list[float] = []
    local_ms: list[float] = []
    n_api = n_local = 0
    for i in range(runs):
        # alternate which goes first, so that neither always follows the other
        order: list[Callable[[], tuple[float, int]]] = [api, local] if i % 2 == 0 else [local, api]
        for call in order:
            ms, n = call()
            if call is api:
                api_ms.append(ms)
                n_api = n
            else:
                local_ms.append(ms)
                n_local = n
    return api_ms, local_ms, n_api, n_local


def cli_analyze_seconds(exe: str, example: Path) -> float:
    t = time.perf_counter()
    proc = subprocess.run([exe, "analyze", str(example), "--json"], capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"claimgraph analyze failed ({proc.returncode}): {proc.stderr[-500:]}")
    return elapsed


# -- the run ----------------------------------------------------------------------------


def table(result: dict[str, Any], missing: dict[str, int], subrows: dict[str, dict[str, Any]]) -> str:
    lines = []
    s = result["store"]
    lines.append(f"store: {s['articles']} articles, {s['claims']} claims, {s['clusters']} clusters")
    m = result["machine"]
    lines.append(
        f"machine: {m['cpus']} CPUs; load average (1 min) before the run {m['load_before']:.2f} "
        "(well above 0: other work shared the CPUs)"
    )
    lines.append("")
    head = (
        f"{'endpoint':<30}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}   p95 <= {READ_GOAL_MS:.0f} ms"
    )
    lines.append(head)
    lines.append("-" * len(head))

    def row(name: str, e: dict[str, Any]) -> str:
        ok = "yes" if e["p95_ms"] <= READ_GOAL_MS else "NO"
        return f"{name:<30}{e['n']:>6}{e['p50_ms']:>10.1f}{e['p95_ms']:>10.1f}{e['max_ms']:>10.1f}   {ok}"

    for name, e in result["endpoints"].items():
        lines.append(row(name, e))
        for sub, se in subrows.items():
            if sub.startswith(name + " "):
                lines.append(row("  " + sub[len(name) + 1 :], se))
    for name, status in missing.items():
        lines.append(f"{name:<30}{'missing (HTTP ' + str(status) + ')':>36}")
    a = result["analyze"]
    lines.append("")
    head = f"{'analysis of the founding example':<36}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}"
    lines.append(head)
    lines.append("-" * len(head))
    lines.append(f"{'POST /api/analyze':<36}{a['runs']:>6}{a['api_p50_ms']:>10.1f}{a['api_p95_ms']:>10.1f}")
    lines.append(
        f"{'analysis in-process':<36}{a['runs']:>6}"
        f"{a['inprocess_p50_ms']:>10.1f}{a['inprocess_p95_ms']:>10.1f}"
    )
    ok = "yes" if a["ratio"] <= RATIO_GOAL else "NO"
    lines.append(
        f"{'ratio API / analysis (p50)':<36}{'':>6}{a['ratio']:>10.2f}   goal <= {RATIO_GOAL:.2f}: {ok}"
    )
    if a.get("cli_process_s") is not None:
        lines.append(
            f"one `claimgraph analyze --json` process, start-up and model loading included: "
            f"{a['cli_process_s']:.2f} s (information)"
        )
    g = result["goals"]
    lines.append("")
    lines.append(
        f"goals: read p95 <= {READ_GOAL_MS:.0f} ms: {'met' if g['read_p95_le_50ms'] else 'NOT met'}; "
        f"analyze ratio <= {RATIO_GOAL:.2f}: {'met' if g['analyze_ratio_le_1.2'] else 'NOT met'}"
    )
    return "\n".join(lines)


def main() -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=fmt)
    parser.add_argument("--db", default=DEFAULT_DB, help="store URL; built from --corpus if it is empty")
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help="what to ingest into an empty store"
    )
    parser.add_argument("--requests", type=int, default=200, help="timed requests per read endpoint")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per read endpoint first")
    parser.add_argument("--analyze-runs", type=int, default=20, help="timed analyses, each way")
    parser.add_argument("--example", type=Path, default=EXAMPLE, help="the article analysed")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-cli", action="store_true", help="skip timing one `claimgraph analyze` process")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 10 requests, 3 analyses")
    parser.add_argument("--json", action="store_true", help="then print one JSON line")
    args = parser.parse_args()
    if args.quick:
        args.requests, args.warmup, args.analyze_runs = 10, 2, 3

    exe = executable()
    articles, claims = ensure_store(args.db, args.corpus, exe)
    text = args.example.read_text(encoding="utf-8")
    rng = random.Random(args.seed)
    load_before = os.getloadavg()[0]

    say(f"starting claimgraph serve --db {args.db}")
    server = Server(exe, args.db)
    try:
        with httpx.Client(base_url=server.base, timeout=300.0, trust_env=False) as client:
            say(f"server answering after {server.wait(client):.1f} s on port {server.port}")
            # the server loads its pipeline in the background at start: wait for it (an
            # analysis waits for it) before timing anything, so that it takes no CPU from reads
            client.post("/api/analyze", json={"text": text}).raise_for_status()

            say("reading what the store holds through the API")
            sampled = sample_claims(client, claims, rng)
            sources = common_sources(sampled)
            words = claim_words(sampled)
            clusters = get_json(client, "/api/clusters", limit=500)
            cluster_ids = [c["id"] for c in clusters["clusters"]]
            article_ids: list[str] = []
            for offset in range(0, min(articles, 2000), 500):
                article_ids += [
                    a["id"] for a in get_json(client, "/api/articles", limit=500, offset=offset)["articles"]
                ]

            n = args.requests
            claim_reqs = claim_params(n, claims, sources, rng)
            plan: dict[str, list[Request]] = {
                "claims (list)": [("/api/claims", p) for _, p in claim_reqs],
                "search": [("/api/search", p) for p in search_params(n, words, rng)],
            }
            if cluster_ids:
                picked = [rng.choice(cluster_ids) for _ in range(n)]
                plan["cluster (API)"] = [(f"/api/clusters/{c}", None) for c in picked]
                plan["cluster page (HTML)"] = [(f"/clusters/{c}", None) for c in picked]
            else:
                say("the store has no cluster: no cluster rows")
            plan["article (API)"] = [(f"/api/articles/{rng.choice(article_ids)}", None) for _ in range(n)]

            endpoints: dict[str, dict[str, Any]] = {}
            subrows: dict[str, dict[str, Any]] = {}
            missing: dict[str, int] = {}
            for name, reqs in plan.items():
                say(f"timing {name}: {args.warmup} warm-up + {len(reqs)} requests")
                times, status = run_endpoint(client, reqs, args.warmup)
                if status != 200:
                    if name.endswith("(HTML)"):
                        missing[name] = status
                        continue
                    raise SystemExit(f"{name}: HTTP {status}")
                endpoints[name] = summary(times)
                if name == "claims (list)":
                    by_kind: dict[str, list[float]] = {}
                    for (kind, _), ms in zip(claim_reqs, times, strict=True):
                        by_kind.setdefault(kind, []).append(ms)
                    for kind, ts in sorted(by_kind.items()):
                        subrows[f"{name} {kind}"] = summary(ts)

            say(f"timing the analysis: 2 warm-ups + {args.analyze_runs} runs, API and in-process")
            api_ms, local_ms, n_api, n_local = time_analysis(client, text, args.analyze_runs)
            if n_api != n_local:
                say(f"warning: the API found {n_api} claims, the in-process analysis {n_local}")
            cli_s = None
            if not args.no_cli:
                say("timing one claimgraph analyze process (start-up included)")
                cli_s = cli_analyze_seconds(exe, args.example)
    finally:
        server.stop()

    api_p50 = statistics.median(api_ms)
    local_p50 = statistics.median(local_ms)
    ratio = api_p50 / local_p50
    result: dict[str, Any] = {
        "store": {"articles": articles, "claims": claims, "clusters": clusters["total"]},
        "endpoints": endpoints,
        "analyze": {
            "api_p50_ms": round(api_p50, 1),
            "api_p95_ms": round(percentile(api_ms, 0.95), 1),
            "inprocess_p50_ms": round(local_p50, 1),
            "inprocess_p95_ms": round(percentile(local_ms, 0.95), 1),
            "ratio": round(ratio, 3),
            "runs": len(api_ms),
            "claims": n_api,
            "cli_process_s": None if cli_s is None else round(cli_s, 2),
        },
        "machine": {
            "cpus": os.cpu_count(),
            "load_before": round(load_before, 2),
        },
        "goals": {
            "read_p95_le_50ms": all(e["p95_ms"] <= READ_GOAL_MS for e in endpoints.values()),
            "analyze_ratio_le_1.2": ratio <= RATIO_GOAL,
        },
    }
    if missing:
        result["missing"] = missing
    result["claims_by_filter"] = {k.split(" ", 2)[-1]: v for k, v in subrows.items()}
    print(table(result, missing, subrows))
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
