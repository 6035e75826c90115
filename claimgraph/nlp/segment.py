"""Sentence boundaries at paragraph breaks, set before the parser runs.

A headline, a date line and a standfirst have no final full stop; without this
the parser reads them as one sentence with the body's first paragraph. The
parser respects boundaries that are already set.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component(
    "claimgraph_paragraphs",
    assigns=["token.is_sent_start"],
)
def paragraphs(doc: Doc) -> Doc:
    """Start a sentence after every line break; keep other boundaries to the parser."""
    for i, token in enumerate(doc):
        if i == 0:
            token.is_sent_start = True
            continue
        prev = doc[i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            if not token.is_space:
                token.is_sent_start = True
        elif token.is_space and "\n" in token.text:
            # a whitespace token holding the break: the next token starts anew
            continue
    return doc
