"""The text of a parsed document, built once.

``Doc.text`` joins every token each time it is read; the stages read it per
claim and per span, which made analysis quadratic in the article's length.
"""

from __future__ import annotations

from spacy.tokens import Doc


def doc_text(doc: Doc) -> str:
    """``doc.text``, cached on the document."""
    text = doc.user_data.get("claimgraph.text")
    if text is None:
        text = doc.user_data["claimgraph.text"] = doc.text
    return str(text)
