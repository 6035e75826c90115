from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimgraph.errors import InputError
from claimgraph.evaluation.splits import (
    CORPORA,
    SPLIT_DIR,
    check_split,
    draw,
    in_split,
    load_split,
    sentence_name,
)
from claimgraph.interfaces.cli import app

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.mark.parametrize("corpus", CORPORA)
def test_splits_are_disjoint_and_named_in_their_file(corpus: str) -> None:
    raw = json.loads((SPLIT_DIR / f"{corpus}.json").read_text(encoding="utf-8"))
    tune, check = set(raw["tune"]), set(raw["check"])
    assert tune and check and not tune & check
    assert raw["counts"] == {"tune": len(tune), "check": len(check)}
    assert "SHA-256" in raw["note"]
    assert load_split(corpus) == {"tune": frozenset(tune), "check": frozenset(check)}


def test_polnear_split_is_by_article_stratified_by_outlet_about_a_quarter() -> None:
    parts = load_split("polnear-train")
    assert len(parts["tune"]) + len(parts["check"]) == 840
    outlets = {n.split("_", 1)[0] for n in parts["tune"] | parts["check"]}
    for outlet in outlets:
        n_check = sum(n.startswith(outlet + "_") for n in parts["check"])
        n_all = sum(n.startswith(outlet + "_") for n in parts["tune"] | parts["check"])
        assert abs(n_check - 0.25 * n_all) <= 1


def test_draw_is_stable_whatever_the_order_and_covers_everything() -> None:
    names = [f"outlet{i % 3}_doc{i}" for i in range(100)]
    one = draw(names, 0.25, lambda s: s.split("_")[0])
    two = draw(list(reversed(names)), 0.25, lambda s: s.split("_")[0])
    assert one == two
    assert sorted(one["tune"] + one["check"]) == sorted(names)
    assert not set(one["tune"]) & set(one["check"])
    # adding a name of another stratum leaves the others where they were
    three = draw([*names, "other_doc"], 0.25, lambda s: s.split("_")[0])
    assert set(one["check"]) <= set(three["check"])


def test_in_split_selects_and_refuses_unknown_names_and_splits() -> None:
    parts = load_split("polnear-train")
    names = sorted(parts["tune"])[:2] + sorted(parts["check"])[:1]
    assert in_split("polnear-train", names, "tune") == [True, True, False]
    assert in_split("polnear-train", names, "check") == [False, False, True]
    assert in_split("polnear-train", ["anything"], "all") == [True]
    with pytest.raises(InputError, match="polnear-train"):
        in_split("polnear-train", ["nyt_2099-01-01_not-polnear-train"], "tune")
    with pytest.raises(ValueError, match="tune, check or all"):
        check_split("test")


def test_newsquant_names_are_hashes_of_the_sentence() -> None:
    assert sentence_name("It rose 5%.") == sentence_name("It rose 5%.")
    assert sentence_name("It rose 5%.").startswith("sha256:") and len(sentence_name("x")) == 23


@pytest.mark.skipif(not (DATA / "polnear").is_dir(), reason="shared data not here")
def test_committed_files_match_a_fresh_draw() -> None:
    from claimgraph.evaluation.splits import build

    for corpus, content in build(DATA).items():
        parts = load_split(corpus)
        assert set(content["tune"]) == parts["tune"] and set(content["check"]) == parts["check"]


@pytest.mark.parametrize("command", ["polnear", "timebank", "newsquant", "chains"])
def test_cli_refuses_an_unknown_split(command: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", command, str(tmp_path), "--split", "test"])
    assert result.exit_code == 2
    assert "--split must be one of tune, check, all" in result.output
