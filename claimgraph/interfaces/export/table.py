"""The flat table of claims: one row per claim, its chain flattened, for CSV and Parquet.

``COLUMNS`` is the one place the columns are named, typed and described: the Parquet
schema (``arrow_schema``) and the CSV header are both built from it, in its order. In
CSV, a list or a list of records is written as JSON text, a boolean as ``true`` /
``false`` and a missing value as an empty cell; in Parquet they keep their types
(``list<string>``, ``list<struct<…>>``, ``bool``, nulls).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import IO, Any

from claimgraph.link.origins import origins, outlet_node
from claimgraph.model import Article, Claim
from claimgraph.query import chain_text


@dataclass(frozen=True)
class Column:
    """A column of the flat table: its name, its type and what it holds."""

    name: str
    type: str
    doc: str


#: the fields of a number (``quantities``) in order, with their Arrow types
QUANTITY_FIELDS = (
    ("text", "string"),
    ("span_start", "int"),
    ("span_end", "int"),
    ("value", "float"),
    ("low", "float"),
    ("high", "float"),
    ("approximate", "bool"),
    ("unit", "string"),
    ("counted", "string"),
    ("change", "float"),
)
#: the fields of a time expression (``times``)
TIME_FIELDS = (
    ("text", "string"),
    ("span_start", "int"),
    ("span_end", "int"),
    ("kind", "string"),
    ("value", "string"),
    ("start", "string"),
    ("end", "string"),
    ("approximate", "bool"),
)
#: the fields of an entity mention (``entities``)
ENTITY_FIELDS = (
    ("text", "string"),
    ("span_start", "int"),
    ("span_end", "int"),
    ("type", "string"),
    ("entity", "string"),
)
#: the fields of one span of a discontinuous content (``content_spans``)
SPAN_FIELDS = (("start", "int"), ("end", "int"))

STRUCTS: dict[str, tuple[tuple[str, str], ...]] = {
    "quantities": QUANTITY_FIELDS,
    "times": TIME_FIELDS,
    "entities": ENTITY_FIELDS,
    "spans": SPAN_FIELDS,
}

COLUMNS: tuple[Column, ...] = (
    Column("article_id", "string", "the article's content-addressed id (sha256:…)"),
    Column("article_source", "string", "where the article was read from (a file path, a URL, a record id)"),
    Column("url", "string", "the article's URL, when known"),
    Column("outlet", "string", "the outlet as the article names it"),
    Column(
        "published", "string", "publication date as stored (YYYY-MM-DD, or shorter when only that is known)"
    ),
    Column("title", "string", "the article's headline"),
    Column("language", "string", "the article's language (ISO 639-1)"),
    Column("claim_id", "string", "the claim's stable id (claim:…)"),
    Column("content", "string", "what is claimed, as written"),
    Column("content_start", "int", "character offset of the content's start in the article text"),
    Column("content_end", "int", "character offset of the content's end"),
    Column("content_spans", "list<spans>", "every piece of a discontinuous content: [{start, end}]"),
    Column("sentence_start", "int", "offset of the start of the sentence that holds the claim"),
    Column("sentence_end", "int", "offset of the end of that sentence"),
    Column("direct_quote", "bool", "whether the content is quoted word for word"),
    Column(
        "reporter",
        "string",
        "who publishes the claim: the outlet, or the wire whose dateline opens the story",
    ),
    Column(
        "reporter_id", "string", "the reporter's identity (media/…, or outlet:… when no identity is known)"
    ),
    Column("relays", "list<string>", "the hops between the reporter and the origin, reporter side first"),
    Column("origin", "string", "the innermost hop's sources as written; the reporter for its own voice"),
    Column("origin_kind", "string", "their kinds (official, media, government, …; outlet for its own voice)"),
    Column("origin_anonymous", "bool", "whether every source of the innermost hop is anonymous"),
    Column(
        "origin_ids", "list<string>", "the claim's independent origins (identity ids), as clusters count them"
    ),
    Column("origin_names", "list<string>", "the names of those origins"),
    Column("chain", "string", 'the chain as one line: "outlet → The New York Times → American officials"'),
    Column("cues", "list<string>", 'the cue of each hop ("writes", "citing"; empty where a hop has none)'),
    Column("certainty", "string", "certain, probable, possible or unknown"),
    Column("polarity", "string", "positive or negative"),
    Column("event", "string", "the event type (deployment, withdrawal, casualties, …; other)"),
    Column("hedges", "list<string>", 'the words that hedge the claim ("likely", "about")'),
    Column(
        "quantities",
        "list<quantities>",
        "numbers: text, span, value, low, high, approximate, unit, counted, change",
    ),
    Column(
        "times", "list<times>", "time expressions: text, span, kind, value (TIMEX3), start, end, approximate"
    ),
    Column(
        "entities", "list<entities>", "people, places, organisations: text, span, type, entity (identity id)"
    ),
    Column("cluster_id", "string", "the cluster of claims this one belongs to, when reported more than once"),
    Column(
        "cluster_independent_origins",
        "int",
        "how many independent origins that cluster has (empty when the claim is in no cluster)",
    ),
)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    scalars = {"string": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    if kind in scalars:
        return scalars[kind]
    if kind.startswith("list<") and kind.endswith(">"):
        inner = kind[5:-1]
        if inner in STRUCTS:
            return pa.list_(pa.struct([pa.field(n, scalars[t]) for n, t in STRUCTS[inner]]))
        return pa.list_(scalars[inner])
    raise ValueError(f"no Arrow type for {kind!r}")


@cache
def arrow_schema() -> Any:
    """The Parquet schema of the table (a ``pyarrow.Schema``), built from ``COLUMNS``."""
    import pyarrow as pa

    return pa.schema([pa.field(c.name, _arrow_type(c.type)) for c in COLUMNS])


@dataclass(frozen=True)
class ClusterInfo:
    """What a row says of the claim's cluster."""

    id: str
    independent_origins: int


def _origin(article: Article, claim: Claim) -> tuple[str, str, bool]:
    hop = claim.origin
    if hop is None or not hop.sources:
        return outlet_node(article).label, "outlet", False
    text = ", ".join(s.text for s in hop.sources)
    kinds = ", ".join(dict.fromkeys(s.kind for s in hop.sources))
    return text, kinds, all(s.anonymous for s in hop.sources)


def row(article: Article, claim: Claim, cluster: ClusterInfo | None = None) -> dict[str, Any]:
    """One claim as a row of the table: a value for every column, in ``COLUMNS``' order."""
    reporter = outlet_node(article)
    origin, origin_kind, anonymous = _origin(article, claim)
    nodes = origins(article, claim)
    values: dict[str, Any] = {
        "article_id": article.id,
        "article_source": article.source,
        "url": article.url,
        "outlet": article.outlet,
        "published": article.published,
        "title": article.title,
        "language": article.language,
        "claim_id": claim.id,
        "content": claim.content.text,
        "content_start": claim.content.start,
        "content_end": claim.content.end,
        "content_spans": [{"start": s, "end": e} for s, e in claim.content.offsets],
        "sentence_start": claim.sentence[0],
        "sentence_end": claim.sentence[1],
        "direct_quote": claim.direct_quote,
        "reporter": reporter.label,
        "reporter_id": reporter.key,
        "relays": [", ".join(s.text for s in hop.sources) for hop in claim.chain[:-1]],
        "origin": origin,
        "origin_kind": origin_kind,
        "origin_anonymous": anonymous,
        "origin_ids": [n.key for n in nodes],
        "origin_names": [n.label for n in nodes],
        "chain": chain_text(article, claim),
        "cues": [hop.cue.text if hop.cue else "" for hop in claim.chain],
        "certainty": claim.certainty,
        "polarity": claim.polarity,
        "event": claim.event,
        "hedges": [h.text for h in claim.hedges],
        "quantities": [
            {
                "text": q.text,
                "span_start": q.offsets[0][0],
                "span_end": q.offsets[-1][1],
                "value": q.value,
                "low": q.low,
                "high": q.high,
                "approximate": q.approximate,
                "unit": q.unit,
                "counted": q.counted,
                "change": q.change,
            }
            for q in claim.quantities
        ],
        "times": [
            {
                "text": t.text,
                "span_start": t.offsets[0][0],
                "span_end": t.offsets[-1][1],
                "kind": t.kind,
                "value": t.value,
                "start": t.start,
                "end": t.end,
                "approximate": t.approximate,
            }
            for t in claim.times
        ],
        "entities": [
            {
                "text": e.text,
                "span_start": e.offsets[0][0],
                "span_end": e.offsets[-1][1],
                "type": e.type,
                "entity": e.entity,
            }
            for e in claim.entities
        ],
        "cluster_id": cluster.id if cluster else None,
        "cluster_independent_origins": cluster.independent_origins if cluster else None,
    }
    return {name: values[name] for name in COLUMN_NAMES}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """The rows as CSV (RFC 4180, a header of ``COLUMN_NAMES``); how many rows were written."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    n = 0
    for r in rows:
        writer.writerow([_cell(r[name]) for name in COLUMN_NAMES])
        n += 1
    return n


def write_parquet(rows: Iterable[dict[str, Any]], out: IO[bytes]) -> int:
    """The rows as one Parquet file of ``arrow_schema()``; how many rows were written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(list(rows), schema=arrow_schema())
    pq.write_table(table, out)
    return int(table.num_rows)


def csv_values(cells: dict[str, str]) -> Iterator[tuple[str, Any]]:
    """A CSV row read back (as ``csv.DictReader`` gives it) into the values ``row`` made."""
    for c in COLUMNS:
        text = cells[c.name]
        if text == "":
            yield c.name, [] if c.type.startswith("list<") else None
        elif c.type.startswith("list<"):
            yield c.name, json.loads(text)
        elif c.type == "bool":
            yield c.name, text == "true"
        elif c.type == "int":
            yield c.name, int(text)
        else:
            yield c.name, text
