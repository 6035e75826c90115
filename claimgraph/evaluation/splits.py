"""Fixed tune / check splits of the development data: choices on tune, figures on check.

Every choice (merge policy, rule, threshold, lexicon entry) is made on a corpus's
``tune`` part; its ``check`` part (and PolNeAR dev) is measured once, at the end,
and quoted. The parts are committed as JSON under ``data/splits/`` beside this
module, one file a corpus, each with the document names of each part and a note
of how they were drawn:

- ``polnear-train``: the 840 annotated articles of PolNeAR train, by article (the
  text's file stem); about 75 % tune, 25 % check, stratified by outlet (the stem's
  prefix before the first ``_``).
- ``newsquant-dev``: the 295 sentences of ``NewsQuant.dev.json``, halves. The file
  carries no article id and its sentences are one a news article (consecutive
  sentences come from unrelated stories), so the unit is the sentence, named by
  ``sha256:`` and the first 16 hex digits of the SHA-256 of its text.
- ``timebank``: the TimeBank and AQUAINT documents (``TimeBank/<stem>``,
  ``AQUAINT/<stem>``), halves, stratified by sub-corpus.

Within a stratum, names are ordered by the SHA-256 of the name and the first
``round(share * n)`` go to check: the draw depends on the names only, never on
file order. ``python -m claimgraph.evaluation.splits`` draws the files again from
the data folders (it prints a difference instead of writing when a file would
change, unless ``--write``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from claimgraph.errors import InputError

SPLIT_DIR = Path(__file__).resolve().parent / "data" / "splits"
PARTS = ("tune", "check")
SPLITS = (*PARTS, "all")
CORPORA = ("polnear-train", "newsquant-dev", "timebank")


def check_split(split: str) -> str:
    """``split`` itself when it is tune, check or all; ValueError otherwise."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: use tune, check or all")
    return split


def _key(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()


def sentence_name(text: str) -> str:
    """A NewsQuant sentence's name in the split: ``sha256:`` and 16 hex digits of its text's hash."""
    return "sha256:" + _key(text)[:16]


def draw(
    names: Iterable[str], check_share: float, stratum: Callable[[str], str] | None = None
) -> dict[str, list[str]]:
    """Split names into tune and check: per stratum, by hash of the name, ``check_share`` to check."""
    groups: dict[str, list[str]] = {}
    for name in sorted(set(names)):
        groups.setdefault(stratum(name) if stratum else "", []).append(name)
    out: dict[str, list[str]] = {"tune": [], "check": []}
    for _, group in sorted(groups.items()):
        ordered = sorted(group, key=_key)
        n_check = round(check_share * len(ordered))
        out["check"].extend(ordered[:n_check])
        out["tune"].extend(ordered[n_check:])
    return {part: sorted(v) for part, v in out.items()}


@cache
def load_split(corpus: str) -> dict[str, frozenset[str]]:
    """The committed parts of a corpus: ``{"tune": names, "check": names}``."""
    if corpus not in CORPORA:
        raise ValueError(f"unknown corpus {corpus!r}; known: {', '.join(CORPORA)}")
    path = SPLIT_DIR / f"{corpus}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InputError(str(path), f"cannot read the split file ({e})") from e
    return {part: frozenset(data[part]) for part in PARTS}


def in_split(corpus: str, names: Sequence[str], split: str) -> list[bool]:
    """For each name, whether it belongs to ``split`` of ``corpus`` ("all": every name).

    Raises ValueError for an unknown split, and InputError when a split is asked for
    and a name is in neither part (the data is not the corpus the split was drawn from).
    """
    check_split(split)
    if split == "all":
        return [True] * len(names)
    parts = load_split(corpus)
    known = parts["tune"] | parts["check"]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise InputError(
            unknown[0],
            f"not in the committed {corpus} split ({len(unknown)} unknown of {len(names)}): "
            f"--split {split} applies to {corpus} only",
        )
    return [n in parts[split] for n in names]


# ------------------------------------------------------------------ drawing the files

_NOTES = {
    "polnear-train": (
        "PolNeAR train, by article (the stem of text/<stem>.txt, for the 840 articles with an "
        "annotation): per outlet (the stem's prefix before the first '_'), stems ordered by the "
        "SHA-256 of the stem, the first round(0.25 n) to check, the rest to tune. Relation to the "
        "cluster gold of tests/data/claim_clusters_gold.jsonl: its split a/b halves the gold "
        "*clusters* by a hash of the cluster name (claimgraph/evaluation/clusters.py), not the "
        "documents, so one article can serve clusters of both halves; this split is independent "
        "of it (counts of the cluster gold's articles in each part: {relation})."
    ),
    "newsquant-dev": (
        "NewsQuant.dev.json (the even positions of NewsQuant), halves by sentence: the file has no "
        "article id and each sentence comes from another news story, so a sentence is the unit. A "
        "sentence is named 'sha256:' + the first 16 hex digits of the SHA-256 of its text (UTF-8); "
        "names ordered by the SHA-256 of the name, the first round(0.5 n) to check."
    ),
    "timebank": (
        "TimeBank + AQUAINT (TempEval-3 training data), by document ('TimeBank/<stem>', "
        "'AQUAINT/<stem>'): per sub-corpus, names ordered by the SHA-256 of the name, the first "
        "round(0.5 n) to check, the rest to tune."
    ),
}


def _cluster_relation(check: set[str], tune: set[str]) -> str:
    root = Path(__file__).resolve().parents[2] / "tests" / "data" / "claim_clusters_gold.jsonl"
    if not root.exists():
        return "gold file not found"
    from claimgraph.evaluation.clusters import _half

    rel: dict[str, dict[str, set[str]]] = {
        "a": {"tune": set(), "check": set()},
        "b": {"tune": set(), "check": set()},
    }
    for line in root.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        c = json.loads(line)
        for m in c["members"]:
            part = "tune" if m["doc"] in tune else "check" if m["doc"] in check else None
            if part:
                rel[_half(c["cluster"])][part].add(m["doc"])
    return "; ".join(
        f"half {h}: {len(rel[h]['tune'])} in tune, {len(rel[h]['check'])} in check" for h in ("a", "b")
    )


def build(data: Path) -> dict[str, dict[str, Any]]:
    """The split files' contents, drawn from the shared data folder (``polnear/``, ``newsquant/``,
    ``timebank/``)."""
    from claimgraph.evaluation.polnear import load_polnear
    from claimgraph.evaluation.timebank import SUBFOLDERS

    out: dict[str, dict[str, Any]] = {}
    stems = [d.name for d in load_polnear(data / "polnear" / "train")]
    parts = draw(stems, 0.25, lambda s: s.split("_", 1)[0])
    note = _NOTES["polnear-train"].format(relation=_cluster_relation(set(parts["check"]), set(parts["tune"])))
    out["polnear-train"] = {"corpus": "polnear-train", "note": note, **parts}
    nq = json.loads((data / "newsquant" / "NewsQuant.dev.json").read_text(encoding="utf-8"))
    names = [sentence_name(item["text"]) for item in nq]
    out["newsquant-dev"] = {"corpus": "newsquant-dev", "note": _NOTES["newsquant-dev"], **draw(names, 0.5)}
    docs = [f"{sub}/{p.stem}" for sub in SUBFOLDERS for p in sorted((data / "timebank" / sub).glob("*.tml"))]
    out["timebank"] = {
        "corpus": "timebank",
        "note": _NOTES["timebank"],
        **draw(docs, 0.5, lambda s: s.split("/", 1)[0]),
    }
    for v in out.values():
        v["counts"] = {p: len(v[p]) for p in PARTS}
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Draw the split files again and compare them with the committed ones (``--write`` writes)."""
    parser = argparse.ArgumentParser(prog="python -m claimgraph.evaluation.splits")
    parser.add_argument("data", type=Path, help="the shared data folder (polnear/, newsquant/, timebank/)")
    parser.add_argument("--write", action="store_true", help="write the files under data/splits/")
    args = parser.parse_args(argv)
    changed = 0
    for corpus, content in build(args.data).items():
        path = SPLIT_DIR / f"{corpus}.json"
        text = json.dumps(content, indent=1, ensure_ascii=False) + "\n"
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            print(f"{corpus}: unchanged {content['counts']}")
            continue
        changed += 1
        if args.write:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"{corpus}: written {content['counts']}")
        else:
            print(f"{corpus}: differs from the committed file {content['counts']}")
    return 1 if changed and not args.write else 0


if __name__ == "__main__":
    sys.exit(main())
