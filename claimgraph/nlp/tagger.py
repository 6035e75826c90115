"""The trained attribution tagger: marks CUE, SOURCE and CONTENT spans in a parsed doc.

The model (``models/attribution/`` beside this module, trained on PolNeAR train by
``scripts/train_attribution.py``) is a small spaCy pipeline holding one ``ner``
component whose encoder reads the words and the main pipeline's part-of-speech
tags and dependency labels. The component registered here as
``claimgraph.attribution_tagger.v1`` runs last in the main pipeline: it copies
the words and that syntax into a fresh ``Doc`` of the model's own vocabulary,
runs the model there (so the main pipeline's ``doc.ents`` stay as they are) and
writes the spans to ``doc.spans["attribution_tags"]``, labelled CUE, SOURCE and
CONTENT. ``grouping.group`` turns them into attributions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, cast

import numpy
from spacy.language import Language
from spacy.ml.models import MaxoutWindowEncoder, MultiHashEmbed
from spacy.tokens import Doc, Span
from spacy.util import minibatch, registry
from spacy.vocab import Vocab
from thinc.api import LSTM, Maxout, Model, chain, concatenate, residual, with_array, with_padded
from thinc.types import Floats2d

from claimgraph.errors import ModelNotInstalledError

MODEL_DIR = Path(__file__).resolve().parent / "models" / "attribution"
SPANS_KEY = "attribution_tags"
LABELS = ("CUE", "SOURCE", "CONTENT")
# spaCy forbids "." in factory names (error E853): "claimgraph.attribution_tagger.v1" cannot be one
FACTORY = "claimgraph_attribution_tagger"


# --------------------------------------------------------------------------- model


def _heads(docs: list[Doc]) -> numpy.ndarray:
    """Index of each token's syntactic head, over the docs laid end to end."""
    out = []
    offset = 0
    for doc in docs:
        n = len(doc)
        heads = doc.user_data.get("heads")
        if heads is None or len(heads) != n:
            heads = numpy.arange(n, dtype="int64")
        out.append(numpy.asarray(heads, dtype="int64") + offset)
        offset += n
    return numpy.concatenate(out) if out else numpy.zeros((0,), dtype="int64")


def _tree_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Floats2d], Callable]:
    inner: Model = model.layers[0]
    mixers: list[Model] = model.layers[1:]
    Xs, bp_inner = inner(docs, is_train)
    lengths = model.ops.asarray1i([len(x) for x in Xs])
    xp = model.ops.xp
    X = model.ops.flatten(Xs) if Xs else model.ops.alloc2f(0, model.get_dim("nO"))
    heads = xp.asarray(_heads(docs))
    width = X.shape[1]
    backprops = []
    for mixer in mixers:
        inp = xp.hstack([X, X[heads]])
        Y, bp = mixer(inp, is_train)
        X = X + Y
        backprops.append(bp)

    def backprop(dXs: list[Floats2d]) -> list[Doc]:
        dX = model.ops.flatten(dXs)
        for bp in reversed(backprops):
            d_inp = bp(dX)
            dX = dX + d_inp[:, :width]
            xp.add.at(dX, heads, d_inp[:, width:])
        return bp_inner(model.ops.unflatten(dX, lengths))

    return model.ops.unflatten(X, lengths), backprop


def _tree_init(model: Model, X: list[Doc] | None = None, Y: Any = None) -> None:
    model.layers[0].initialize(X=X)
    for mixer in model.layers[1:]:
        mixer.initialize()


@registry.architectures("claimgraph.AttributionEncoder.v1")
def attribution_encoder(
    base: Model[list[Doc], list[Floats2d]],
    syntax_attrs: list[str],
    syntax_rows: list[int],
    syntax_width: int,
    width: int,
    depth: int,
    window_size: int,
    maxout_pieces: int,
    tree_depth: int,
    lstm_depth: int = 0,
) -> Model[list[Doc], list[Floats2d]]:
    """A word encoder shaped like en_core_web_sm's ``tok2vec`` (``base``, whose weights
    training copies from there), widened with embeddings of the parser's tags and
    dependency labels (``syntax_attrs``), then ``depth`` more convolution layers,
    ``lstm_depth`` bidirectional LSTM layers (residual) and ``tree_depth`` layers that
    mix each word with its syntactic head."""
    base_width = base.get_dim("nO")
    model: Model = base
    n_in = base_width
    if syntax_attrs:
        syntax = MultiHashEmbed(
            width=syntax_width, attrs=syntax_attrs, rows=syntax_rows, include_static_vectors=False
        )
        model = concatenate(base, syntax)
        n_in += syntax_width
    if n_in != width or syntax_attrs:
        model = chain(model, with_array(Maxout(width, n_in, nP=maxout_pieces, normalize=True)))
    if depth > 0:
        model = chain(model, MaxoutWindowEncoder(width, window_size, maxout_pieces, depth))
    if lstm_depth > 0:
        model = chain(model, residual(with_padded(LSTM(width, width, bi=True, depth=lstm_depth))))
    out = model
    if tree_depth > 0:
        mixers = [Maxout(width, width * 2, nP=maxout_pieces, normalize=True) for _ in range(tree_depth)]
        out = Model("tree_mix", _tree_forward, init=_tree_init, layers=[model, *mixers], dims={"nO": width})
    if out.has_dim("nO") is None:
        out.set_dim("nO", width)
    out.set_ref("base", base)
    return cast(Model[list[Doc], list[Floats2d]], out)


# --------------------------------------------------------------------------- copying docs


def tagger_doc(doc: Doc, vocab: Vocab) -> Doc:
    """A fresh doc of ``vocab`` with the words of ``doc``, its tags, lemmas and dependency
    labels where it has them, and no entities.

    The copy gets no sentence boundaries (spaCy's ``ner`` does not let an entity cross
    one, and a content often runs over several sentences); the heads of the parse go
    to ``user_data["heads"]`` (absolute token indices) for the encoder's tree layers.
    """
    words = [t.text for t in doc]
    spaces = [bool(t.whitespace_) for t in doc]
    tags = [t.tag_ for t in doc] if doc.has_annotation("TAG") else None
    lemmas = [t.lemma_ for t in doc] if doc.has_annotation("LEMMA") else None
    copy = Doc(vocab, words=words, spaces=spaces, tags=tags, lemmas=lemmas)
    if doc.has_annotation("DEP"):
        for src, tok in zip(doc, copy, strict=True):
            tok.dep_ = src.dep_
        copy.user_data["heads"] = numpy.fromiter((t.head.i for t in doc), dtype="int64", count=len(doc))
    return copy


# --------------------------------------------------------------------------- component


def weights_available(path: Path | None = None) -> bool:
    """Whether the trained tagger's weights are installed (in ``path`` or beside this module)."""
    path = Path(path) if path is not None else MODEL_DIR
    return (path / "config.cfg").is_file() and (path / "ner").is_dir()


def load_model(path: Path | None = None) -> Language:
    """The trained tagger pipeline (its ``ner`` component does the work)."""
    import spacy

    path = Path(path) if path is not None else MODEL_DIR
    if not weights_available(path):
        raise ModelNotInstalledError(
            f"the attribution tagger's weights are not installed: expected a spaCy pipeline in {path} "
            "(train and package them with `python scripts/train_attribution.py all`, or reinstall "
            "claimgraph from a release that ships claimgraph/nlp/models/attribution/)"
        )
    return spacy.load(path)


class AttributionTagger:
    """Runs the trained tagger on each doc and stores its spans in ``doc.spans[spans_key]``."""

    def __init__(self, name: str, model_dir: str | None, spans_key: str, batch_size: int) -> None:
        self.name = name
        self.spans_key = spans_key
        self.batch_size = batch_size
        self.model = load_model(Path(model_dir) if model_dir else None)
        self.ner: Any = self.model.get_pipe("ner")

    def _tag(self, docs: list[Doc]) -> None:
        copies = [tagger_doc(doc, self.model.vocab) for doc in docs]
        for doc, tagged in zip(docs, self.ner.pipe(copies, batch_size=self.batch_size), strict=True):
            doc.spans[self.spans_key] = [Span(doc, e.start, e.end, label=e.label_) for e in tagged.ents]

    def __call__(self, doc: Doc) -> Doc:
        self._tag([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        for batch in minibatch(stream, size=batch_size):
            self._tag(list(batch))
            yield from batch


@Language.factory(
    FACTORY,
    default_config={"model_dir": None, "spans_key": SPANS_KEY, "batch_size": 16},
)
def make_attribution_tagger(
    nlp: Language, name: str, model_dir: str | None, spans_key: str, batch_size: int
) -> AttributionTagger:
    return AttributionTagger(name, model_dir, spans_key, batch_size)
