"""End to end: the real `claimgraph` command on real files, a real SQLite store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimgraph.interfaces.cli import app
from claimgraph.model import ClaimRecord

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "nk-troops-withdrawn.txt"
runner = CliRunner()


def _bad_batch(folder: Path) -> dict[str, str]:
    """A folder with one good article and one file of each kind of bad input; what each error must say."""
    folder.mkdir()
    (folder / "good.txt").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (folder / "cp1251.txt").write_bytes(
        "Войска отошли от линии фронта, сообщил представитель.".encode("cp1251")
    )
    (folder / "nothing.html").write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    lines = [
        json.dumps({"id": "a1", "title": "One", "text": "The army said the bridge was destroyed."}),
        "{broken json",
        json.dumps({"id": "a2", "title": "Two", "text": "Officials said the talks would resume."}),
    ]
    (folder / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"empty.txt": "empty", "binary.txt": "binary", "nothing.html": "no article", "batch.jsonl:2": ""}


def test_cli_analyze_prints_a_table_of_claims() -> None:
    result = runner.invoke(app, ["analyze", str(EXAMPLE)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "writes The New York Times" in flat and "citing American" in flat
    assert "(own voice)" in result.output


def test_cli_analyze_json_is_the_claim_record() -> None:
    result = runner.invoke(app, ["analyze", "--json", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1
    record = ClaimRecord.loads(lines[0])
    text = EXAMPLE.read_text(encoding="utf-8")
    assert record.article.text == text
    assert record.article.published == "2025-01-31"
    for claim in record.claims:
        for s, e in claim.content.offsets:
            assert text[s:e] in claim.content.text


def test_cli_analyze_reports_a_missing_file_and_fails() -> None:
    result = runner.invoke(app, ["analyze", "/nonexistent/article.txt"])
    assert result.exit_code == 1
    assert "/nonexistent/article.txt" in result.output


def test_cli_analyze_refuses_a_bad_published_flag() -> None:
    result = runner.invoke(app, ["analyze", "--published", "31 February", str(EXAMPLE)])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_cli_ingest_stores_what_it_can_and_names_what_it_cannot(tmp_path: Path) -> None:
    expected = _bad_batch(tmp_path / "in")
    db = f"sqlite:///{tmp_path / 'claims.db'}"
    result = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", db])
    assert result.exit_code == 1, result.output
    for where, reason in expected.items():
        line = next((x for x in result.output.splitlines() if where in x), None)
        assert line is not None, (where, result.output)
        assert reason in line.lower()
    assert "stored 4 article(s)" in result.output  # good.txt, cp1251.txt, two JSONL lines
    # a second run stores nothing new
    again = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", db])
    assert "stored 0 article(s)" in again.output and "4 already stored" in again.output


def test_cli_claims_filters_by_source_and_text(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'claims.db'}"
    assert runner.invoke(app, ["ingest", str(EXAMPLE), "--db", db]).exit_code == 0
    result = runner.invoke(app, ["claims", "--db", db, "--source", "New York Times", "--json"])
    assert result.exit_code == 0, result.output
    records = [ClaimRecord.loads(x) for x in result.stdout.splitlines() if x.strip()]
    assert len(records) == 1
    texts = [c.content.text for c in records[0].claims]
    assert any("have not been seen on the front line" in t for t in texts)
    result = runner.invoke(app, ["claims", "--db", db, "--contains", "artillery shells", "--json"])
    records = [ClaimRecord.loads(x) for x in result.stdout.splitlines() if x.strip()]
    assert [len(r.claims) for r in records] == [1]


@pytest.mark.parametrize("flag", [[], ["--json"]])
def test_cli_eval_polnear_prints_scores(tmp_path: Path, flag: list[str]) -> None:
    folder = tmp_path / "polnear"
    (folder / "text").mkdir(parents=True)
    (folder / "attributions").mkdir()
    text = "The minister said the bridge was destroyed.\n"
    (folder / "text" / "doc1.txt").write_text(text, encoding="utf-8")
    ann = (
        "T1\tSource 0 12\tThe minister\nT2\tCue 13 17\tsaid\nT3\tContent 18 42\tthe bridge was destroyed\n"
        "T4\tAttribution 13 17\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    )
    (folder / "attributions" / "doc1_aaaa.ann").write_text(ann, encoding="utf-8")
    result = runner.invoke(app, ["eval", "polnear", str(folder), *flag])
    assert result.exit_code == 0, result.output
    if flag:
        scores = json.loads(result.stdout.strip().splitlines()[-1])
        assert scores["cue"]["exact"]["f1"] == 1.0
    else:
        assert "cue" in result.output and "F1" in result.output


def test_cli_eval_polnear_bad_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "polnear", str(tmp_path)])
    assert result.exit_code == 1
    assert "error" in result.output and str(tmp_path) in result.output


def test_cli_entities_entity_and_reversible_merge(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'e.db'}"
    assert runner.invoke(app, ["ingest", str(EXAMPLE), "--db", db]).exit_code == 0
    listed = runner.invoke(app, ["entities", "--db", db, "--json", "--kind", "person"])
    ids = {json.loads(x)["id"] for x in listed.stdout.splitlines() if x.strip()}
    assert {"person/oleksandr-syrskyi", "person/oleksandr-kindratenko"} <= ids
    shown = json.loads(runner.invoke(app, ["entity", "Syrsky", "--db", db, "--json"]).stdout)
    assert shown["identity"]["id"] == "person/oleksandr-syrskyi"
    assert any("commander of the Ukrainian Armed Forces" in r["role"] for r in shown["roles"])
    assert len(shown["claims_made"]) == 1
    # --source and --about match any alias
    by_alias = runner.invoke(app, ["claims", "--db", db, "--source", "Syrskyi", "--json"]).stdout
    assert "the number of North Korean troops halved" in by_alias
    about = runner.invoke(app, ["claims", "--db", db, "--about", "DPRK", "--json"]).stdout
    records = [ClaimRecord.loads(x) for x in about.splitlines() if x.strip()]
    assert records and all(
        any(e.entity == "gpe/north-korea" for e in c.entities) for r in records for c in r.claims
    )
    # merge, then undo: recorded and reversible
    merged = json.loads(
        runner.invoke(app, ["entity", "merge", "Kindratenko", "Syrskyi", "--db", db, "--json"]).stdout
    )
    assert merged["identity"] == "person/oleksandr-syrskyi"
    after = json.loads(runner.invoke(app, ["entity", "Kindratenko", "--db", db, "--json"]).stdout)
    assert after["identity"]["id"] == "person/oleksandr-syrskyi" and len(after["claims_made"]) == 3
    assert runner.invoke(app, ["entity", "unmerge", str(merged["merge"]), "--db", db]).exit_code == 0
    back = json.loads(runner.invoke(app, ["entity", "Kindratenko", "--db", db, "--json"]).stdout)
    assert back["identity"]["id"] == "person/oleksandr-kindratenko"


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (["entity", "merge", "Syrskyi", "Syrsky"], "already one identity"),
        (["entity", "merge", "Nobody", "Syrskyi"], "no identity named 'Nobody'"),
        (["entity", "unmerge", "99"], "no merge with id 99"),
        (["entity", "Nobody"], "no identity named 'Nobody'"),
    ],
)
def test_cli_entity_errors_are_clear(tmp_path: Path, words: list[str], message: str) -> None:
    db = f"sqlite:///{tmp_path / 'e.db'}"
    assert runner.invoke(app, ["ingest", str(EXAMPLE), "--db", db]).exit_code == 0
    result = runner.invoke(app, [*words, "--db", db])
    assert result.exit_code == 1
    assert message in result.output


def test_cli_bad_user_gazetteer_is_refused_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "mine.tsv"
    bad.write_text(
        "id\tkind\tname\taliases\tside\tparent\tdomains\nperson/x\tnotakind\tX\t\t\t\t\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["analyze", str(EXAMPLE), "--gazetteer", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2" in result.output


def test_cli_ingest_size_limit_is_configurable(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("The army said the bridge was destroyed. " * 2000, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 's.db'}"
    result = runner.invoke(app, ["ingest", str(big), "--db", db, "--max-bytes", "1000", "--no-link"])
    assert result.exit_code == 1
    assert "big.txt" in result.output and "1000" in result.output.replace(",", "")


def test_cli_eval_pairs_runs_the_pipeline_on_a_pair_file(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(
        "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
        "1\t1\t2\tNorth Korean troops were pulled from the front line in Kursk, officials said.\t"
        "Officials said North Korean troops have been withdrawn from the front line in Kursk.\n"
        "0\t3\t4\tThe parade begins at 10 a.m. on Redwood Road.\t"
        "The central bank raised interest rates by half a point on Tuesday.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["eval", "pairs", str(pairs), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output.strip().splitlines()[-1])
    assert scores["pairs"] == 2 and scores["positives"] == 1
    assert scores["accuracy"] == 1.0, scores


def test_cli_eval_pairs_bad_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("not a header\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "pairs", str(bad)])
    assert result.exit_code != 0
    assert "bad.tsv" in result.output and "Traceback" not in result.output
