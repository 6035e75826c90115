"""The Python surface: ``claimgraph.__all__`` is the public API and nothing else; ``analyze``,
``open`` and the spaCy component do what the README says."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest

import claimgraph

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FOUNDING = (ROOT / "examples" / "nk-troops-withdrawn.txt").read_text(encoding="utf-8")


def test_all_lists_the_public_surface_and_nothing_else() -> None:
    public = {
        name
        for name, value in vars(claimgraph).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name not in {"annotations", "TYPE_CHECKING", "Any"}
    }
    assert public | {"Library"} == set(claimgraph.__all__)  # Library is loaded on first use
    assert claimgraph.__all__ == sorted(claimgraph.__all__, key=lambda n: (n[0].islower(), n))
    for name in claimgraph.__all__:
        value = getattr(claimgraph, name)
        assert value.__doc__ and value.__doc__.strip(), f"{name} has no docstring"


def test_the_readme_shows_the_python_api() -> None:
    for words in ("claimgraph.analyze(", "claimgraph.open(", 'add_pipe("claimgraph_attribution"'):
        assert words in README, words


def test_importing_claimgraph_loads_no_model() -> None:
    import subprocess
    import sys

    code = "import sys, claimgraph; print('spacy' in sys.modules, 'onnxruntime' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


@pytest.mark.slow
def test_analyze_gives_typed_claims_as_the_cli_does() -> None:
    record = claimgraph.analyze(FOUNDING, outlet="Example News")
    assert isinstance(record, claimgraph.ClaimRecord)
    assert all(isinstance(c, claimgraph.Claim) for c in record.claims)
    nyt = next(c for c in record.claims if "have not been seen" in c.content.text)
    assert [s.text for s in nyt.chain[0].sources] == ["The New York Times"]
    assert nyt.polarity == "negative" and record.article.published == "2025-01-31"
    assert record.article.outlet == "Example News"
    with pytest.raises(claimgraph.InputError):
        claimgraph.analyze("   ")


@pytest.mark.slow
def test_open_answers_as_the_read_side_does(nk_db: str, tmp_path: Path) -> None:
    from claimgraph import query

    with claimgraph.open(nk_db) as lib:
        assert isinstance(lib, claimgraph.Library)
        rows = lib.claims(source="New York Times")
        assert rows and all(isinstance(c, claimgraph.Claim) for _, c in rows)
        assert [c.id for r in lib.records() for c in r.claims] == [c.id for _, c in lib.claims()]
        assert [r.id for r in lib.clusters()] == [r.id for r in query.cluster_reports(lib.store)]
        founding = lib.cluster("claim:3cad3d2eddd42d0b9d0f")
        assert founding is not None and founding.independent_origins == 2
        line = lib.timeline("North Korean troops")
        assert line is not None and line["entries"]
        assert lib.entity("DPRK")["identity"]["id"] == "gpe/north-korea"  # type: ignore[index]
        assert lib.search("Kursk")
        first = lib.articles()[0]["id"]
        assert isinstance(lib.article(first), claimgraph.ClaimRecord)
    with pytest.raises(claimgraph.StoreError):
        claimgraph.open(f"sqlite:///{tmp_path / 'none.db'}")
    with claimgraph.open(f"sqlite:///{tmp_path / 'new.db'}", create=True) as lib:
        report = lib.ingest(
            [claimgraph.article("Officials said the bridge was closed.", outlet="X")], link=False
        )
        assert report.stored == 1 and lib.claims(source="Officials")


@pytest.mark.slow
def test_the_spacy_component_in_your_own_pipeline() -> None:
    import spacy

    nlp = spacy.blank("en")  # the factory is found through the package's entry point
    nlp.add_pipe("claimgraph_attribution", config={"published": "2025-01-31"})
    doc = nlp(FOUNDING)
    record: Any = doc._.claimgraph
    assert isinstance(record, claimgraph.ClaimRecord) and len(record.claims) > 10
    sources = doc.spans["claimgraph_sources"]
    nyt = next(s for s in sources if s.text == "The New York Times")
    assert nyt.label_ == "media" and "have not been seen" in nyt._.claim.content.text
    assert any(s.text == "writes" for s in doc.spans["claimgraph_cues"])
    assert {s.label_ for s in doc.spans["claimgraph_contents"]} <= {
        "certain",
        "probable",
        "possible",
        "unknown",
    }
    empty = nlp("   ")
    assert empty._.claimgraph is None and list(empty.spans["claimgraph_contents"]) == []
