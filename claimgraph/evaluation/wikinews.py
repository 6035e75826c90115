"""How many gold cross-document event links of the Wikinews sample the clusters recover.

Gold: ``examples/wikinews/event_links.gold.jsonl`` (from the SemEval-2015 TimeLine
timelines): each line an event instance with its mentions (article, sentence,
event word). A link whose mentions stand in two or more articles gives one gold
pair per two mentions in different articles. A pair is recovered when the claims
holding the two event words share a cluster. Reported: pairs recovered / gold
pairs, and links with every cross-article pair recovered / such links.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

from claimgraph.errors import InputError

#: per article id: its claims as (content span, cluster name or None)
View = dict[str, list[tuple[tuple[int, int], str | None]]]


def evaluate_wikinews(
    folder: Path, ingest: Callable[[Path, str], None], read: Callable[[str], View]
) -> dict[str, Any]:
    gold = folder / "event_links.gold.jsonl"
    try:
        links = [json.loads(x) for x in gold.read_text(encoding="utf-8").splitlines() if x.strip()]
    except (OSError, ValueError) as e:
        raise InputError(str(gold), f"cannot read the gold links ({e})") from e
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'wikinews.db'}"
        ingest(folder, url)
        view = read(url)

    def cluster_of(mention: dict[str, Any]) -> str | None:
        s, e = mention["word_span"]
        for (cs, ce), cluster in view.get(mention["article"], []):
            if cs <= s and e <= ce:
                return cluster
        return None

    pairs = recovered = 0
    cross_links = whole = 0
    for link in links:
        ms = link["mentions"]
        got = [(m["article"], cluster_of(m)) for m in ms]
        link_pairs = [(a, b) for a, b in combinations(got, 2) if a[0] != b[0]]
        if not link_pairs:
            continue
        cross_links += 1
        ok = sum(1 for a, b in link_pairs if a[1] is not None and a[1] == b[1])
        pairs += len(link_pairs)
        recovered += ok
        whole += ok == len(link_pairs)
    return {
        "gold_links_across_articles": cross_links,
        "gold_pairs": pairs,
        "pairs_recovered": recovered,
        "pair_recall": recovered / pairs if pairs else 0.0,
        "links_fully_recovered": whole,
    }


def format_table(s: dict[str, Any]) -> str:
    return (
        f"gold event links across articles: {s['gold_links_across_articles']} "
        f"({s['gold_pairs']} mention pairs)\n"
        f"pairs whose claims share a cluster: {s['pairs_recovered']} ({s['pair_recall']:.3f}); "
        f"links recovered whole: {s['links_fully_recovered']}"
    )
