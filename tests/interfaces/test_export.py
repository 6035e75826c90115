"""The exports over a store of hand-made claim records: each validated against its schema
(JSON Schema for the JSON shapes, the PROV-JSON structure, the Parquet schema), round-tripped
where the format allows, and the founding example's ClaimReview on the real pipeline's store."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from claimgraph.interfaces import export
from claimgraph.interfaces.cli import app
from claimgraph.interfaces.export import plover, table
from claimgraph.link.gazetteer import Identity
from claimgraph.model import (
    Argument,
    Article,
    Claim,
    ClaimRecord,
    Cue,
    Entity,
    Frame,
    Hop,
    Quantity,
    Source,
    Span,
    TimeSpan,
)
from claimgraph.query import ClaimQuery
from claimgraph.store import Store

SCHEMAS = Path(export.__file__).parent / "schemas"
TEXT_A = (
    "North Korean soldiers were withdrawn from the front line in Kursk, The New York Times writes, "
    "citing American and Ukrainian officials. Kyiv said about 300 soldiers were killed in November. "
    "North Korea sent 12,000 troops to Russia, officials said. Pyongyang said no soldiers were killed."
)
TEXT_B = "North Korean troops were pulled from the Kursk front, the NYT reported. Talks will resume."


def at(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return (start, start + len(phrase))


def make_claim(article: Article, content: str, **kw: Any) -> Claim:
    offsets = (at(article.text, content),)
    return Claim(
        id=Claim.make_id(article.id, offsets), content=Span(content, offsets), sentence=offsets[0], **kw
    )


def arg(text: str, role: str, phrase: str, entity: str | None = None) -> Argument:
    return Argument(role, phrase, (at(text, phrase),), entity)


def records() -> list[ClaimRecord]:
    a = Article(
        text=TEXT_A,
        outlet="Daily Planet",
        title="North Korean soldiers withdrawn",
        published="2025-01-31",
        url="https://example.org/a",
        outlet_entity="media/daily-planet",
    )
    nyt = Source("The New York Times", (at(TEXT_A, "The New York Times"),), "media/nyt", "media")
    american = Source(
        "American … officials",
        (at(TEXT_A, "American"), at(TEXT_A, "officials")),
        kind="official",
        anonymous=True,
        affiliation="gpe/united-states",
    )
    ukrainian = Source(
        "Ukrainian officials", (at(TEXT_A, "Ukrainian officials"),), kind="official", anonymous=True
    )
    withdrawn = make_claim(
        a,
        "North Korean soldiers were withdrawn from the front line in Kursk",
        chain=(
            Hop(Cue("writes", (at(TEXT_A, "writes"),), "write", "report"), (nyt,)),
            Hop(Cue("citing", (at(TEXT_A, "citing"),), "cite", "cite"), (american, ukrainian)),
        ),
        entities=(Entity("North Korean", (at(TEXT_A, "North Korean"),), "NORP", "gpe/north-korea"),),
        event="withdrawal",
        frame=Frame(
            "North Korean soldiers were withdrawn from the front line in Kursk",
            predicate="withdraw",
            arguments=(
                arg(TEXT_A, "patient", "North Korean", "gpe/north-korea"),
                arg(TEXT_A, "place", "Kursk", "loc/kursk-oblast"),
            ),
        ),
    )
    kyiv = Source("Kyiv", (at(TEXT_A, "Kyiv"),), "gov/ukraine", "government", name="Government of Ukraine")
    killed = make_claim(
        a,
        "about 300 soldiers were killed in November",
        chain=(Hop(Cue("said", (at(TEXT_A, "said"),), "say", "speech"), (kyiv,)),),
        direct_quote=True,
        certainty="probable",
        hedges=(Span("about", (at(TEXT_A, "about"),)),),
        quantities=(
            Quantity(
                "about 300", (at(TEXT_A, "about 300"),), 300.0, 250.0, 350.0, True, "persons", "soldiers"
            ),
        ),
        times=(
            TimeSpan(
                "in November", (at(TEXT_A, "in November"),), "date", "2024-11", "2024-11-01", "2024-11-30"
            ),
        ),
        event="casualties",
        frame=Frame("about 300 soldiers were killed in November", predicate="kill"),
    )
    said_at = TEXT_A.index("officials said")
    officials_said = (said_at, said_at + len("officials"))
    sent = make_claim(
        a,
        "North Korea sent 12,000 troops to Russia",
        chain=(Hop(None, (Source("officials", (officials_said,), kind="official", anonymous=True),)),),
        quantities=(Quantity("12,000", (at(TEXT_A, "12,000"),), 12000.0, unit="persons", counted="troops"),),
        entities=(Entity("Russia", (at(TEXT_A, "Russia"),), "GPE", "gpe/russia"),),
        event="deployment",
        frame=Frame(
            "North Korea sent 12,000 troops to Russia",
            predicate="send",
            arguments=(
                arg(TEXT_A, "agent", "North Korea", "gpe/north-korea"),
                arg(TEXT_A, "place", "Russia", "gpe/russia"),
            ),
        ),
    )
    denied = make_claim(
        a,
        "no soldiers were killed",
        chain=(
            Hop(
                Cue("said", (at(TEXT_A, "Pyongyang said"),), "say"),
                (Source("Pyongyang", (at(TEXT_A, "Pyongyang"),), "gov/north-korea", "government"),),
            ),
        ),
        polarity="negative",
        event="casualties",
    )
    b = Article(
        text=TEXT_B,
        outlet="Wire",
        title="Pulled from Kursk",
        published="2025-02-01",
        url="https://example.org/b",
    )
    echo = make_claim(
        b,
        "North Korean troops were pulled from the Kursk front",
        chain=(
            Hop(
                Cue("reported", (at(TEXT_B, "reported"),), "report", "report"),
                (Source("the NYT", (at(TEXT_B, "the NYT"),), "media/nyt", "media"),),
            ),
        ),
        event="withdrawal",
    )
    talks = make_claim(b, "Talks will resume", event="negotiation")
    return [ClaimRecord(a, (withdrawn, killed, sent, denied)), ClaimRecord(b, (echo, talks))]


IDENTITIES = [
    Identity("gpe/north-korea", "country", "North Korea", ("North Korean",)),
    Identity("media/nyt", "media", "The New York Times", ("NYT",)),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store of the hand-made records, the NYT claim and its echo linked into one cluster."""
    url = "sqlite:///" + str(tmp_path_factory.mktemp("export") / "export.db")
    store = Store(url, create=True)
    recs = records()
    for rec in recs:
        store.save(rec, identities=IDENTITIES, vectors=np.ones((len(rec.claims), 4), dtype=np.float32))
    first, echo = recs[0].claims[0].id, recs[1].claims[0].id
    pks = store.claim_pks([first, echo])
    store.apply_linking([(pks[first], pks[echo], 0.9, None)], {pks[first]: first, pks[echo]: first}, [])
    store.close()
    return url


@pytest.fixture()
def store(db: str) -> Iterator[Store]:
    s = Store(db)
    yield s
    s.close()


ALL = ClaimQuery(limit=0)


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def valid(name: str, instance: Any) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(name).iter_errors(instance)]
    assert not errors, errors


def text_export(store: Store, fmt: str, query: ClaimQuery = ALL) -> str:
    buf = io.StringIO()
    export.write(store, fmt, query, buf)
    return buf.getvalue()


def by_id() -> dict[str, tuple[Article, Claim]]:
    return {c.id: (r.article, c) for r in records() for c in r.claims}


def test_formats_and_schemas_are_there() -> None:
    assert export.FORMATS == ("jsonl", "csv", "parquet", "claimreview", "prov", "plover")
    for name in ("claimreview", "plover", "prov-json"):
        validator(name)


def test_jsonl_round_trips_through_the_claim_record(store: Store) -> None:
    lines = text_export(store, "jsonl").splitlines()
    assert len(lines) == 2
    made = {r.article.id: r for r in records()}
    for line in lines:
        record = ClaimRecord.loads(line)
        assert record.to_json() == json.loads(line)
        original = made[record.article.id]
        assert record.article == original.article
        assert [(c.id, c.content, c.chain, c.quantities, c.times) for c in record.claims] == [
            (c.id, c.content, c.chain, c.quantities, c.times) for c in original.claims
        ]


def test_csv_has_the_documented_columns_and_round_trips(store: Store) -> None:
    pd = pytest.importorskip("pandas")
    text = text_export(store, "csv")
    frame = pd.read_csv(io.StringIO(text))
    assert tuple(frame.columns) == table.COLUMN_NAMES
    assert len(frame) == 6
    assert frame["direct_quote"].dtype == bool
    rows = {r["claim_id"]: dict(table.csv_values(r)) for r in csv.DictReader(io.StringIO(text))}
    claims = by_id()
    for uid, got in rows.items():
        art, claim = claims[uid]
        expected = table.row(art, claim, None)
        for name in table.COLUMN_NAMES:
            if name.startswith("cluster"):
                continue
            assert got[name] == expected[name], name
    withdrawn = rows[records()[0].claims[0].id]
    assert withdrawn["reporter"] == "Daily Planet"
    assert withdrawn["relays"] == ["The New York Times"]
    assert withdrawn["origin"] == "American … officials, Ukrainian officials"
    assert withdrawn["origin_anonymous"] is True
    assert withdrawn["cues"] == ["writes", "citing"]
    assert withdrawn["content_spans"] == [{"start": 0, "end": 65}]
    assert withdrawn["cluster_id"] == withdrawn["claim_id"]
    assert withdrawn["cluster_independent_origins"] == 1  # the NYT, citing anonymous sources
    killed = rows[records()[0].claims[1].id]
    assert killed["quantities"][0]["value"] == 300.0 and killed["quantities"][0]["counted"] == "soldiers"
    assert killed["times"][0]["start"] == "2024-11-01"
    assert killed["cluster_id"] is None


def test_parquet_matches_its_schema_and_loads_in_pandas(store: Store, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    pd = pytest.importorskip("pandas")
    path = tmp_path / "claims.parquet"
    result = export.write_files(store, "parquet", ALL, path)
    assert result.records == 6
    read = pq.read_table(path)
    assert read.schema.remove_metadata().equals(table.arrow_schema())
    frame = pd.read_parquet(path)
    assert tuple(frame.columns) == table.COLUMN_NAMES
    claims = by_id()
    for got in read.to_pylist():
        art, claim = claims[got["claim_id"]]
        expected = table.row(art, claim, None)
        for name in table.COLUMN_NAMES:
            if not name.startswith("cluster"):
                assert got[name] == expected[name], name
    assert frame.loc[frame["event"] == "casualties", "origin"].tolist() == ["Kyiv", "Pyongyang"]


def test_claimreview_names_the_claim_its_origins_and_both_appearances(store: Store) -> None:
    doc = json.loads(text_export(store, "claimreview"))
    valid("claimreview", doc)
    assert doc["@context"] == "https://schema.org"
    reviews = {r["itemReviewed"]["identifier"]: r for r in doc["@graph"]}
    lead = records()[0].claims[0]
    review = reviews[lead.id]
    claim = review["itemReviewed"]
    assert claim["text"] == review["claimReviewed"] == lead.content.text
    assert [a["identifier"] for a in claim["author"]] == ["media/nyt"]
    assert [(a["url"], a["datePublished"]) for a in claim["appearance"]] == [
        ("https://example.org/a", "2025-01-31"),
        ("https://example.org/b", "2025-02-01"),
    ]
    assert claim["firstAppearance"]["url"] == "https://example.org/a"
    assert review["reviewRating"]["ratingValue"] is None  # no rating is made up
    # the echo is in the NYT claim's cluster: one review for both, and one for each other claim
    assert records()[1].claims[0].id not in reviews
    assert len(reviews) == 5


def test_prov_validates_and_parses_with_the_prov_package(store: Store) -> None:
    doc = json.loads(text_export(store, "prov"))
    valid("prov-json", doc)
    lead = records()[0].claims[0]
    base = "cg:claim/" + lead.id.split(":")[1]
    derived = {
        (r["prov:generatedEntity"], r["prov:usedEntity"], (r.get("prov:type") or {}).get("$"))
        for r in doc["wasDerivedFrom"].values()
    }
    assert (base, base + "/hop/1", None) in derived
    assert (base + "/hop/1", base + "/hop/2", None) in derived
    assert (base, base + "/hop/2", "prov:PrimarySource") in derived
    killed = "cg:claim/" + records()[0].claims[1].id.split(":")[1]
    assert (killed, killed + "/hop/1", "prov:Quotation") in derived  # a direct quote
    attributed = {(r["prov:entity"], r["prov:agent"]) for r in doc["wasAttributedTo"].values()}
    assert (base, "cg:agent/media/daily-planet") in attributed
    assert (base + "/hop/1", "cg:agent/media/nyt") in attributed
    assert doc["agent"]["cg:agent/media/nyt"]["prov:type"] == {"$": "prov:Organization", "type": "xsd:QName"}
    prov_model = pytest.importorskip("prov.model")
    parsed = prov_model.ProvDocument.deserialize(content=json.dumps(doc), format="json")
    again = json.loads(parsed.serialize(format="json"))
    valid("prov-json", again)
    assert set(again["entity"]) == set(doc["entity"]) and set(again["agent"]) == set(doc["agent"])
    assert len(again["wasDerivedFrom"]) == len(doc["wasDerivedFrom"])
    assert len(again["wasAttributedTo"]) == len(doc["wasAttributedTo"])


def test_plover_records_and_the_acled_csv(store: Store) -> None:
    pd = pytest.importorskip("pandas")
    out, acled = io.StringIO(), io.StringIO()
    result = export.write(store, "plover", ALL, out, acled=acled)
    recs = {r["id"]: r for r in map(json.loads, out.getvalue().splitlines())}
    for rec in recs.values():
        valid("plover", rec)
    a, b = records()
    withdrawn, killed, sent, denied = (recs[c.id] for c in a.claims)
    assert withdrawn["event"] == ["RETREAT"] and withdrawn["mode"] == "withdraw"
    assert withdrawn["recipient"] == [{"actor_text": "North Korean", "identifier_id": "gpe/north-korea"}]
    assert withdrawn["event_loc"] == {"name": "Kursk", "identifier_id": "loc/kursk-oblast"}
    assert withdrawn["date"] == "2025-01-31" and withdrawn["date_basis"] == "published"
    assert (
        killed["size"] == {"dead": 300}
        and killed["date"] == "2024-11-01"
        and killed["enddate"] == "2024-11-30"
    )
    assert sent["event"] == ["MOBILIZE"] and sent["mode"] == "troops"
    assert sent["source"] == [{"actor_text": "North Korea", "identifier_id": "gpe/north-korea"}]
    assert denied["context"] == ["negation"] and denied["size"] is None
    assert recs[b.claims[1].id]["event"] == ["CONSULT"]
    frame = pd.read_csv(io.StringIO(acled.getvalue()), dtype=str, keep_default_na=False)
    assert tuple(frame.columns) == plover.ACLED_COLUMNS
    assert result.records == 6 and result.acled_rows == 5 == len(frame)  # the negated claim is left out
    row = frame.set_index("event_id_cnty").loc[killed["id"]]
    assert (row["fatalities"], row["event_date"], row["year"], row["source"]) == (
        "300",
        "2024-11-01",
        "2024",
        "Government of Ukraine",
    )
    assert frame.set_index("event_id_cnty").loc[sent["id"], "country"] == "Russia"


def test_plover_mapping_is_the_ontologys() -> None:
    """The export's PLOVER categories are those of the event ontology (nlp/data/events.json)."""
    from claimgraph.nlp.events import ontology

    mapped = {t.type: t.plover for t in ontology() if t.plover != "OTHER"}
    assert {k: v for k, (v, _) in plover.PLOVER.items()} == mapped
    assert set(plover.ACLED) == set(plover.PLOVER)


def test_filters_select_what_is_exported(store: Store) -> None:
    rows = list(
        csv.DictReader(io.StringIO(text_export(store, "csv", ClaimQuery(event="casualties", limit=0))))
    )
    assert [r["event"] for r in rows] == ["casualties", "casualties"]
    lines = text_export(store, "plover", ClaimQuery(polarity="negative", limit=0)).splitlines()
    assert [json.loads(line)["polarity"] for line in lines] == ["negative"]


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, ["export", *args])


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_cli_writes_each_format_to_a_file(db: str, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"out{export.SUFFIXES[fmt]}"
    result = invoke("--format", fmt, "--db", db, "--out", str(path))
    assert result.exit_code == 0, result.output
    assert path.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    if fmt == "plover":
        assert (tmp_path / "out.acled.csv").exists()


def test_cli_writes_text_formats_to_stdout_with_the_filters(db: str) -> None:
    result = invoke("--format", "jsonl", "--db", db, "--source", "NYT", "--limit", "1")
    assert result.exit_code == 0, result.output
    line = result.stdout.splitlines()[0]
    assert ClaimRecord.loads(line).claims[0].id == records()[0].claims[0].id


def test_cli_errors(db: str, tmp_path: Path) -> None:
    bad = invoke("--format", "xml", "--db", db)
    assert bad.exit_code == 2 and "unknown export format 'xml'" in bad.output
    assert invoke("--format", "parquet", "--db", db).exit_code == 2
    missing = invoke("--format", "csv", "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert missing.exit_code == 1 and "no claimgraph store" in missing.output
    unwritable = invoke("--format", "csv", "--db", db, "--out", str(tmp_path / "no" / "such" / "x.csv"))
    assert unwritable.exit_code == 2 and "cannot write" in unwritable.output
    assert invoke("--format", "csv", "--db", db, "--out", str(tmp_path)).exit_code == 2
    assert invoke("--format", "csv", "--db", db, "--certainty", "sure").exit_code == 2
    assert invoke("--format", "csv", "--db", db, "--acled", str(tmp_path / "a.csv")).exit_code == 2


def test_a_failed_export_leaves_no_file(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: Any) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(plover, "write_acled", fail)
    (tmp_path / "events.jsonl").write_text("old\n", encoding="utf-8")
    result = invoke("--format", "plover", "--db", db, "--out", str(tmp_path / "events.jsonl"))
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.jsonl"]
    assert (tmp_path / "events.jsonl").read_text(encoding="utf-8") == "old\n"


@pytest.mark.slow
def test_founding_example_claimreview(nk_db: str) -> None:
    """The NYT claim of the founding example, with its origins (the NYT and the SOF) and both
    appearances (the founding article and its echo) with their dates and addresses."""
    store = Store(nk_db)
    try:
        buf = io.StringIO()
        export.write(store, "claimreview", ALL, buf)
        doc = json.loads(buf.getvalue())
        articles = {
            r.article.source.rsplit("/", 1)[-1]: r.article for r in store.records() if r.article.source
        }
    finally:
        store.close()
    valid("claimreview", doc)
    nyt = next(
        r["itemReviewed"]
        for r in doc["@graph"]
        if "not been seen on the front line" in r["itemReviewed"]["text"]
        and len(r["itemReviewed"]["appearance"]) > 1
    )
    assert {a["identifier"] for a in nyt["author"]} == {
        "media/the-new-york-times",
        "org/special-operations-forces-ukraine",
    }
    founding, echo = articles["nk-troops-withdrawn.txt"], articles["nk-troops-echo.txt"]
    assert [(a["identifier"], a.get("url"), a["datePublished"]) for a in nyt["appearance"]] == [
        (founding.id, founding.url, "2025-01-31"),
        (echo.id, echo.url, "2025-02-01"),
    ]
    assert nyt["firstAppearance"]["identifier"] == founding.id
    assert nyt["datePublished"] == "2025-01-31"


def test_csv_on_a_terminal_is_made_inert() -> None:
    """A CSV written to a terminal loses what articles hold that a terminal would obey (escape
    sequences, bidi overrides); a file or a pipe gets the data as it is."""
    import io

    from claimgraph.interfaces.cli import _InertWriter

    screen = io.StringIO()
    _InertWriter(screen).write('x,"\x1b]0;owned\x07\x1b[31mred\u202eevil"\r\n')
    assert screen.getvalue() == 'x,"]0;owned[31mred<U+202E>evil"\n'
