"""What the store's read side costs on a large store: claims by source, by entity, full text.

    python benchmarks/bench_query.py --db postgresql://postgres@127.0.0.1:5432/claimgraph_bench \\
        [--claims 1000000] [--rebuild] [--queries 100] [--limit 50]
    python benchmarks/bench_query.py --db sqlite:///bench.db --claims 100000

Builds, once, a synthetic store of ``--claims`` claims (about 20 an article): sentences of
the PolNeAR train articles (with their numbers varied) attributed to sources drawn from a
skewed pool of about 3,000 identities (the gazetteer's, "Donald Trump" and "the Kremlin"
among the most named, and made-up people), with hops, sources, spans, mentions and
quantity keys as ``Store.save`` writes them, so that the real read path reads them back.
PostgreSQL is loaded with COPY (the secondary indexes dropped during the load and built
after), SQLite with executemany; a store that holds that many claims already is reused
(``--rebuild`` starts again).

Then times, through the store API the CLI and the API call, ``--queries`` varied queries
of each kind (after one untimed pass over them: a store in use, warm), each returning
at most ``--limit`` claims (a page): claims by source given
as an identity's name, by source given as free text, by what they are about
(``about=``), and ``search()``. Prints p50/p95 in ms per kind, and a JSON line per kind.
Goal on 1M claims (PostgreSQL): p95 <= 50 ms for each.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from claimgraph.link.gazetteer import normalize
from claimgraph.store import Store
from claimgraph.store._engine import parse_url

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TEXTS = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"
GAZETTEER = ROOT / "claimgraph" / "link" / "data" / "gazetteer.tsv"

CLAIMS_PER_ARTICLE = 20
#: articles generated and written at a time
BATCH = 500

CUES = [("said", "say", "speech"), ("told", "tell", "speech"), ("according to", "accord", "report")]
CUES += [("claimed", "claim", "speech"), ("reported", "report", "report"), ("citing", "cite", "cite")]
ANONYMOUS = [
    "officials", "a senior official", "diplomats", "witnesses", "analysts", "a spokesman",
    "people familiar with the matter", "security sources", "military officials", "a government source",
    "residents", "experts", "lawmakers", "a person close to the talks", "intelligence officials",
]  # fmt: skip
FIRST = [
    "Anna", "Boris", "Carla", "Dmytro", "Elena", "Farid", "Greta", "Hassan", "Irina", "Jonas",
    "Katya", "Luis", "Marta", "Nikolai", "Olga", "Pavel", "Quentin", "Rosa", "Sergei", "Tamara",
    "Umar", "Vera", "Walter", "Xenia", "Yuri", "Zofia", "Ahmed", "Bianca", "Chen", "Dana",
]  # fmt: skip
LAST = [
    "Kovalenko", "Petrov", "Schmidt", "Haddad", "Moreau", "Novak", "Rossi", "Tanaka", "Ivanova",
    "Okafor", "Lindqvist", "Bauer", "Marchetti", "Horvath", "Kowalski", "Dubois", "Nakamura",
    "Fischer", "Romero", "Volkov", "Jensen", "Sokolov", "Brennan", "Castillo", "Demir", "Erikson",
    "Fontaine", "Gallagher", "Hoffmann", "Ishikawa", "Jovanovic", "Karimov", "Lombardi", "Mendes",
    "Nieminen", "Ortega", "Pereira", "Quinn", "Rahimi", "Silva", "Thorsen", "Ueda", "Varga",
    "Weber", "Yilmaz", "Zielinski", "Abbasi", "Barros", "Cerny", "Duarte",
]  # fmt: skip
QUANTITY_KEYS = ["troops|persons", "casualties|persons", "drones|weapons", "dollars|money", "votes|persons"]
FIXED_TOP = ["person/donald-trump", "gov/russia", "person/vladimir-putin", "person/volodymyr-zelenskyy"]


@dataclass
class Ident:
    id: str
    kind: str
    name: str
    names: tuple[str, ...]
    side: str | None
    parent: str | None


def identities(rng: random.Random, persons: int = 2000) -> list[Ident]:
    """The gazetteer's identities and ``persons`` made-up people, most named first."""
    out: list[Ident] = []
    for line in GAZETTEER.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("id\t"):
            continue
        cols = line.split("\t")
        if len(cols) < 6 or not cols[1]:
            continue
        aliases = tuple(a for a in cols[3].split("|") if a)
        out.append(Ident(cols[0], cols[1], cols[2], (cols[2], *aliases), cols[4] or None, cols[5] or None))
    seen = {i.id for i in out}
    while len(out) < len(seen) + persons - 1:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        ident = f"person/{first.lower()}-{last.lower()}-{len(out)}"
        if ident not in seen:
            out.append(Ident(ident, "person", f"{first} {last}", (f"{first} {last}",), None, None))
    by_id = {i.id: i for i in out}
    top = [by_id[i] for i in FIXED_TOP if i in by_id]
    rest = [i for i in out if i.id not in FIXED_TOP]
    rng.shuffle(rest)
    return top + rest


def sentences(texts: Path, limit: int = 60_000) -> list[str]:
    out: list[str] = []
    for path in sorted(texts.glob("*.txt")):
        body = re.sub(r"\s+", " ", path.read_text(encoding="utf-8", errors="replace"))
        for s in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", body):
            s = s.strip().replace("\\", " ")
            if 40 <= len(s) <= 300:
                out.append(s)
    if not out:
        raise SystemExit(f"no sentences in {texts}: give --texts")
    return out[:limit]


class Generator:
    """Rows of every table for synthetic articles, keys assigned here (COPY takes them as given)."""

    def __init__(self, texts: Path, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.sentences = sentences(texts)
        self.pool = identities(self.rng)
        n = len(self.pool)
        # Zipf-like: the first identities are named far more than the last
        self.weights = [1.0 / (i + 3) ** 1.05 for i in range(n)]
        self.cum: list[float] = []
        total = 0.0
        for w in self.weights:
            total += w
            self.cum.append(total)
        self.outlets = [i for i in self.pool if i.kind == "media"][:40]
        self.claim_id = self.hop_id = self.source_id = self.span_id = self.mention_id = self.qk_id = 0
        self.start = datetime(2025, 1, 1, tzinfo=UTC)

    def pick(self) -> Ident:
        return self.pool[bisect_right(self.cum, self.rng.random() * self.cum[-1])]

    def vary(self, sentence: str) -> str:
        return re.sub(r"\d+", lambda m: str(self.rng.randint(2, 999)), sentence)

    def article(self, n: int) -> dict[str, list[tuple[Any, ...]]]:
        rng = self.rng
        outlet = rng.choice(self.outlets)
        parts: list[str] = []
        pos = 0

        def put(s: str) -> tuple[int, int]:
            nonlocal pos
            parts.append(s)
            span = (pos, pos + len(s))
            pos += len(s)
            return span

        title = self.vary(rng.choice(self.sentences))[:120]
        put(title + "\n\n")
        hops: list[tuple[Any, ...]] = []
        sources: list[tuple[Any, ...]] = []
        spans: list[tuple[Any, ...]] = []
        mentions: list[tuple[Any, ...]] = []
        qkeys: list[tuple[Any, ...]] = []
        article_id_spans: list[tuple[Any, ...]] = []
        plan = []
        for position in range(CLAIMS_PER_ARTICLE):
            content = self.vary(rng.choice(self.sentences)).rstrip(".!?")
            r = rng.random()
            depth = 0 if r < 0.15 else 1 if r < 0.85 else 2
            plan.append((position, content, depth))
        pending: list[tuple[Any, ...]] = []
        for position, content, depth in plan:
            self.claim_id += 1
            cid = self.claim_id
            sent_start = pos
            about = [self.pick() for _ in range(rng.choice((0, 1, 1, 2, 3)))]
            if about and rng.random() < 0.6:
                content = f"{about[0].names[rng.randrange(len(about[0].names))]}: {content}"
            cstart, cend = put(content)
            entities = []
            for ident in about:
                entities.append(
                    {
                        "text": ident.name,
                        "span": [cstart, cstart + 1],
                        "entity": ident.id,
                        "type": "PERSON" if ident.kind == "person" else "ORG",
                    }
                )
                self.mention_id += 1
                mentions.append((self.mention_id, "", cid, ident.id, "about", ident.name, None))
            chain_hops = []
            for h in range(depth):
                cue_text, lemma, kind = rng.choice(CUES)
                put(", " if h == 0 else " and ")
                cue_span = put(cue_text)
                put(" ")
                srcs = []
                for _ in range(2 if rng.random() < 0.1 else 1):
                    if rng.random() < 0.25:
                        stext = rng.choice(ANONYMOUS)
                        src_ident = None
                    else:
                        src_ident = self.pick()
                        stext = src_ident.names[rng.randrange(len(src_ident.names))]
                        if src_ident.id == "gov/russia" and rng.random() < 0.5:
                            stext = "the Kremlin"
                    srcs.append((stext, put(stext), src_ident))
                    put(" ")
                chain_hops.append((cue_text, lemma, kind, cue_span, srcs))
            put(". ")
            sent_end = pos
            extra = {"hedges": [], "quantities": [], "times": [], "entities": entities, "frame": None}
            certainty = rng.choice(("certain", "certain", "probable", "possible"))
            pending.append(
                (cid, f"claim:{cid:020x}", position, content, sent_start, sent_end, rng.random() < 0.2,
                 certainty, "negative" if rng.random() < 0.08 else "positive", None, json.dumps(extra))
            )  # fmt: skip
            spans.append(("content", cid, 0, cstart, cend))
            if not chain_hops and outlet:
                self.mention_id += 1
                mentions.append((self.mention_id, "", cid, outlet.id, "origin", outlet.name, None))
            last = len(chain_hops) - 1
            for hpos, (cue_text, lemma, kind, cue_span, srcs) in enumerate(chain_hops):
                self.hop_id += 1
                hops.append((self.hop_id, cid, hpos, cue_text, lemma, kind))
                spans.append(("cue", self.hop_id, 0, *cue_span))
                for spos, (stext, sspan, ident) in enumerate(srcs):
                    self.source_id += 1
                    sources.append(
                        (self.source_id, self.hop_id, spos, stext, ident.id if ident else None,
                         kind_of(ident),
                         ident is None, None, None, None, ident.side if ident else None,
                         ident.name if ident else None)
                    )  # fmt: skip
                    spans.append(("source", self.source_id, 0, *sspan))
                    if ident is not None:
                        self.mention_id += 1
                        role = "origin" if hpos == last else "relay"
                        mentions.append((self.mention_id, "", cid, ident.id, role, stext, None))
            if rng.random() < 0.1:
                self.qk_id += 1
                qkeys.append((self.qk_id, cid, rng.choice(QUANTITY_KEYS)))
        body = "".join(parts)
        digest = hashlib.sha256(outlet.name.encode() + b"\x00" + body.encode()).hexdigest()
        aid = f"sha256:{digest}"
        meta = {
            "credits": [], "authors": [], "tag": None, "outlet_entity": outlet.id,
            "title_span": [0, len(title)], "lede_span": None, "skip_spans": [], "warnings": [],
        }  # fmt: skip
        created = self.start + timedelta(seconds=n * 37)
        published = (self.start + timedelta(hours=n // 10)).date().isoformat()
        article = (aid, f"synthetic/{n:06d}.txt", outlet.name, title, published, "en",
                   f"https://example.org/{n}", body, json.dumps(meta), created)  # fmt: skip
        for span in spans:
            self.span_id += 1
            article_id_spans.append((self.span_id, aid, *span))
        return {
            "articles": [article],
            "claims": [(c[0], c[1], aid, *c[2:]) for c in pending],
            "hops": hops,
            "sources": sources,
            "spans": article_id_spans,
            "mentions": [(m[0], aid, *m[2:]) for m in mentions],
            "quantity_keys": qkeys,
        }

    def identity_rows(self) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        now = datetime.now(UTC)
        idents = [(i.id, i.kind, i.name, i.side, i.parent, "gazetteer", now) for i in self.pool]
        aliases: dict[tuple[str, str], tuple[str, str, str]] = {}
        for i in self.pool:
            for name in i.names:
                key = normalize(name)
                if key:
                    aliases.setdefault((key, i.id), (key, i.id, name))
        return idents, list(aliases.values())


def kind_of(ident: Ident | None) -> str:
    """The ``sources.kind`` of a source naming this identity (None: an anonymous one)."""
    if ident is None:
        return "official"
    return "person" if ident.kind == "person" else ident.kind


def bisect_right(a: Sequence[float], x: float) -> int:
    lo, hi = 0, len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if x < a[mid]:
            hi = mid
        else:
            lo = mid + 1
    return min(lo, len(a) - 1)


COLUMNS = {
    "articles": "id, source, outlet, title, published, language, url, text, metadata, created_at",
    "claims": "id, uid, article_id, position, content, sentence_start, sentence_end, direct_quote, "
    "certainty, polarity, event, extra",
    "hops": "id, claim_id, position, cue_text, cue_lemma, cue_kind",
    "sources": "id, hop_id, position, text, entity, kind, anonymous, role, rank, affiliation, side, name",
    "spans": 'id, article_id, owner_type, owner_id, position, start, "end"',
    "mentions": "id, article_id, claim_id, identity_id, role, text, detail",
    "quantity_keys": "id, claim_id, key",
    "identities": "id, kind, name, side, parent, origin, created_at",
    "aliases": "key, identity_id, alias",
}
SERIAL = ["claims", "hops", "sources", "spans", "mentions", "quantity_keys"]


def batches(gen: Generator, articles: int) -> Iterator[dict[str, list[tuple[Any, ...]]]]:
    for first in range(0, articles, BATCH):
        out: dict[str, list[tuple[Any, ...]]] = {t: [] for t in COLUMNS if t not in ("identities", "aliases")}
        for n in range(first, min(first + BATCH, articles)):
            for table, rows in gen.article(n).items():
                out[table].extend(rows)
        yield out


def build_postgresql(store: Store, gen: Generator, articles: int) -> None:
    """COPY every table, with the secondary indexes dropped during the load and built after."""
    raw = store.engine.raw_connection()
    try:
        conn: Any = raw.driver_connection
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("SET max_parallel_maintenance_workers = 2")
        cur.execute(
            "TRUNCATE articles, claims, hops, sources, spans, mentions, quantity_keys, identities, "
            "aliases, merges, claim_vectors, claim_links, cluster_members, contradictions RESTART IDENTITY"
        )
        cur.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes AS i WHERE i.schemaname = current_schema() "
            "AND i.indexname NOT IN (SELECT conname FROM pg_constraint) AND i.tablename <> 'alembic_version'"
        )
        indexes = cur.fetchall()
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        # foreign keys are checked by triggers: the rows are consistent by construction
        cur.execute("SET session_replication_role = replica")
        idents, aliases = gen.identity_rows()
        for table, rows in (("identities", idents), ("aliases", aliases)):
            _copy(cur, table, rows)
        t = time.perf_counter()
        for i, batch in enumerate(batches(gen, articles)):
            with conn.transaction():
                for table, rows in batch.items():
                    _copy(cur, table, rows)
            if (i + 1) % 10 == 0:
                done = min((i + 1) * BATCH, articles)
                print(f"  {done}/{articles} articles ({time.perf_counter() - t:.0f} s)", flush=True)
        cur.execute("SET session_replication_role = DEFAULT")
        for table in SERIAL:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        t = time.perf_counter()
        for _, ddl in indexes:
            cur.execute(ddl)
        print(f"  {len(indexes)} indexes built in {time.perf_counter() - t:.0f} s", flush=True)
        cur.execute("VACUUM ANALYZE")
    finally:
        raw.close()


def _copy(cur: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    with cur.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def build_sqlite(store: Store, gen: Generator, articles: int) -> None:
    """executemany in a transaction a batch; the FTS5 triggers index as rows go in."""
    raw = store.engine.raw_connection()
    try:
        conn: Any = raw.driver_connection
        conn.execute("PRAGMA foreign_keys=OFF")
        for table in ("articles", "identities", "aliases"):
            conn.execute(f"DELETE FROM {table}")
        idents, aliases = gen.identity_rows()
        conn.execute("BEGIN")
        for table, rows in (("identities", idents), ("aliases", aliases)):
            _insert_sqlite(conn, table, rows)
        conn.execute("COMMIT")
        t = time.perf_counter()
        for i, batch in enumerate(batches(gen, articles)):
            conn.execute("BEGIN")
            for table, rows in batch.items():
                _insert_sqlite(conn, table, rows)
            conn.execute("COMMIT")
            if (i + 1) % 10 == 0:
                done = min((i + 1) * BATCH, articles)
                print(f"  {done}/{articles} articles ({time.perf_counter() - t:.0f} s)", flush=True)
        conn.execute("ANALYZE")
    finally:
        raw.close()


def _insert_sqlite(conn: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    if table in ("articles", "identities"):
        # as SQLAlchemy's DateTime writes them in SQLite
        rows = [(*r[:-1], r[-1].strftime("%Y-%m-%d %H:%M:%S.%f")) for r in rows]
    marks = ", ".join("?" * len(rows[0]))
    conn.executemany(f"INSERT INTO {table} ({COLUMNS[table]}) VALUES ({marks})", rows)


def disk_size(store: Store) -> int:
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "postgresql":
            return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
    database = parse_url(store.url).database or ""
    return sum(os.path.getsize(p) for p in (database, f"{database}-wal") if os.path.exists(p))


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def timed(name: str, queries: Sequence[str], call: Callable[[str], int], claims: int) -> dict[str, Any]:
    for q in queries:  # a store in use: its pages in memory, as after the same queries before
        call(q)
    times: list[float] = []
    found = 0
    for q in queries:
        t = time.perf_counter()
        found += call(q)
        times.append((time.perf_counter() - t) * 1000)
    row = {
        "query": name,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1),
        "queries": len(queries),
        "mean_hits": round(found / len(queries), 1),
        "claims": claims,
    }
    print(
        f"{name:<22} p50 {row['p50_ms']:>7.1f} ms   p95 {row['p95_ms']:>7.1f} ms   "
        f"max {row['max_ms']:>7.1f} ms   hits/query {row['mean_hits']}"
    )
    return row


def queries(gen: Generator, n: int, seed: int = 11) -> dict[str, list[str]]:
    rng = random.Random(seed)
    named = ["Donald Trump", "the Kremlin", "Putin", "Zelensky"]
    # the rest drawn as the store names them: mostly the often named, some rarely named
    while len(named) < n:
        ident = gen.pick() if rng.random() < 0.7 else rng.choice(gen.pool)
        named.append(rng.choice(ident.names))
    free = ANONYMOUS + ["official", "spokes", "diplomat", "ministry of", "senior", "familiar with", "sources"]
    surnames = [name.lower()[:6] for name in LAST]
    free_text = [rng.choice(free) if rng.random() < 0.5 else rng.choice(surnames) for _ in range(n)]
    about = ["Donald Trump", "Hillary Clinton", "Vladimir Putin"]
    while len(about) < n:
        about.append(rng.choice((gen.pick() if rng.random() < 0.7 else rng.choice(gen.pool)).names))
    words = [w for s in rng.sample(gen.sentences, 2000) for w in re.findall(r"[A-Za-z]{4,}", s)]
    search = []
    for _ in range(n):
        k = rng.choice((1, 1, 2, 2, 3))
        search.append(" ".join(rng.choice(words) for _ in range(k)))
    return {"named": named[:n], "free": free_text, "about": about[:n], "search": search}


def main() -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=fmt)
    parser.add_argument("--db", required=True, help="postgresql://… or sqlite:///…")
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true", help="build the store again even if it is there")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--limit", type=int, default=50, help="claims a query returns at most (a page)")
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    args = parser.parse_args()

    gen = Generator(args.texts)
    articles = max(1, args.claims // CLAIMS_PER_ARTICLE)
    with Store(args.db) as store:
        have = store.count_claims()
        if args.rebuild or have != articles * CLAIMS_PER_ARTICLE:
            print(f"building {articles * CLAIMS_PER_ARTICLE} claims in {articles} articles into {store.url}")
            t = time.perf_counter()
            if store.engine.dialect.name == "postgresql":
                build_postgresql(store, gen, articles)
            else:
                build_sqlite(store, gen, articles)
            print(f"built in {time.perf_counter() - t:.0f} s; {disk_size(store) / 2**30:.2f} GiB on disk")
            gen = Generator(args.texts)  # the queries draw from the same pool
        else:
            print(f"reusing {have} claims in {store.url} ({disk_size(store) / 2**30:.2f} GiB on disk)")
        n = store.count_claims()
        qs = queries(gen, args.queries)
        limit = args.limit
        rows = [
            timed("source (identity)", qs["named"], lambda q: len(store.claims(source=q, limit=limit)), n),
            timed("source (free text)", qs["free"], lambda q: len(store.claims(source=q, limit=limit)), n),
            timed("about (entity)", qs["about"], lambda q: len(store.claims(about=q, limit=limit)), n),
            timed("search (full text)", qs["search"], lambda q: len(store.search(q, limit=limit)), n),
        ]
    for row in rows:
        print(json.dumps(row))


if __name__ == "__main__":
    main()
