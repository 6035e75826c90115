"""The cluster and Wikinews scorers on hand-built gold and hand-built system views."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimgraph.errors import InputError
from claimgraph.evaluation.clusters import evaluate_clusters
from claimgraph.evaluation.wikinews import evaluate_wikinews


def _write(path: Path, rows: list[dict]) -> Path:  # type: ignore[type-arg]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def gold(tmp_path: Path) -> tuple[Path, Path, Path]:
    texts = tmp_path / "text"
    texts.mkdir()
    for d in ("d1", "d2", "d3"):
        (texts / f"{d}.txt").write_text("x" * 100, encoding="utf-8")
    member = lambda d, s, e, o: {"doc": d, "span": [s, e], "text": "x", "origin": o}  # noqa: E731
    clusters = _write(
        tmp_path / "c.jsonl",
        [
            {
                "cluster": "c1",
                "members": [member("d1", 0, 10, "A"), member("d2", 0, 10, "B")],
                "independent_origins": 2,
            },
            {
                "cluster": "c2",
                "members": [member("d1", 20, 30, "A"), member("d3", 20, 30, "A")],
                "independent_origins": 1,
            },
        ],
    )
    nonpairs = _write(
        tmp_path / "n.jsonl", [{"a": {"doc": "d2", "span": [50, 60]}, "b": {"doc": "d3", "span": [50, 60]}}]
    )
    return clusters, nonpairs, texts


def test_clusters_eval_pairwise_and_origins(gold: tuple[Path, Path, Path]) -> None:
    clusters, nonpairs, texts = gold
    view = {
        "d1": [("u1", (0, 12), "k1", ("A",)), ("u2", (18, 30), "k2", ("A",))],
        "d2": [("u3", (0, 10), "k1", ("B",)), ("u4", (50, 60), "k3", ("B",))],
        "d3": [("u5", (20, 30), "k3", ("A",)), ("u6", (50, 60), "k3", ("A",))],
    }
    s = evaluate_clusters(clusters, nonpairs, texts, lambda f, u: None, lambda u: view)
    # c1 recovered (u1,u3 share k1); c2 missed (k2 vs k3); the non-pair u4,u6 shares k3: a false link
    assert (s["pairwise"]["tp"], s["pairwise"]["fn"], s["pairwise"]["fp"]) == (1, 1, 1)
    assert s["origins"]["right"] == 2


def test_clusters_eval_missing_article_is_an_error(gold: tuple[Path, Path, Path], tmp_path: Path) -> None:
    clusters, nonpairs, texts = gold
    (texts / "d3.txt").unlink()
    with pytest.raises(InputError, match="d3.txt"):
        evaluate_clusters(clusters, nonpairs, texts, lambda f, u: None, lambda u: {})


def test_wikinews_eval_counts_cross_article_pairs(tmp_path: Path) -> None:
    mention = lambda a, s: {"article": a, "word_span": [s, s + 3]}  # noqa: E731
    _write(
        tmp_path / "event_links.gold.jsonl",
        [
            {"mentions": [mention("a", 5), mention("b", 5), mention("c", 5)]},
            {"mentions": [mention("a", 50), mention("a", 60)]},
        ],
    )
    view = {"a": [((0, 20), "k"), ((40, 70), "z")], "b": [((0, 20), "k")], "c": [((0, 20), None)]}
    s = evaluate_wikinews(tmp_path, lambda p, u: None, lambda u: view)
    assert s["gold_links_across_articles"] == 1
    assert (s["gold_pairs"], s["pairs_recovered"], s["links_fully_recovered"]) == (3, 1, 0)
