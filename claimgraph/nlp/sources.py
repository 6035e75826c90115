"""What the text itself says about a source: kind, anonymity, name, rank and role, and pronouns.

This reads only the words of the source span and what came before it in the
article; canonical identities across articles belong to ``link``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from claimgraph.model import Source
from claimgraph.nlp.attributions import Offsets
from claimgraph.nlp.cues import Lexicon
from claimgraph.nlp.doctext import doc_text, ents_between

PRONOUNS_PLURAL = {"they", "them", "we"}
PRONOUNS_SINGULAR = {"he", "she", "him", "her", "i"}
RELATIVE = {"who", "which", "that", "whom"}
ANONYMOUS_HEADS = {
    "official", "officials", "source", "sources", "officer", "officers", "diplomat", "diplomats",
    "person", "people", "aide", "aides", "insider", "insiders", "analyst", "analysts", "expert",
    "experts", "observer", "observers", "resident", "residents", "witness", "witnesses",
    "intelligence", "report", "reports", "media", "spokesperson", "spokesman", "spokeswoman",
    "troops", "soldiers", "allies", "lawmakers", "members", "representative", "representatives",
}  # fmt: skip
VAGUE_HEADS = {"source", "sources", "report", "reports", "media"}
RANKS = {
    "general", "colonel", "lieutenant", "major", "captain", "sergeant", "admiral", "commander",
    "marshal", "brigadier", "private", "corporal", "gen.", "col.", "lt.", "maj.", "capt.", "sgt.",
}  # fmt: skip
TITLES = {"president", "minister", "prime", "secretary", "senator", "governor", "mayor", "chancellor", "king"}
ROLE_HEADS = {
    "spokesperson", "spokesman", "spokeswoman", "commander", "minister", "chief", "head", "director",
    "president", "secretary", "ambassador", "adviser", "advisor", "leader", "chairman", "chair",
    "governor", "mayor", "senator", "representative", "officer", "analyst", "expert", "editor",
    "correspondent", "envoy", "general", "colonel",
}  # fmt: skip
KIND_BY_HEAD = {
    "intelligence": "intelligence",
    "official": "official",
    "officials": "official",
    "troops": "military",
    "soldiers": "military",
    "army": "military",
    "forces": "military",
    "military": "military",
    "ministry": "government",
    "government": "government",
    "witness": "witness",
    "witnesses": "witness",
    "residents": "witness",
    "analyst": "expert",
    "analysts": "expert",
    "expert": "expert",
    "experts": "expert",
}


#: descriptions of institutions, and the kinds of source they point back to
DESCRIBED_KINDS = {
    "newspaper": {"media"}, "paper": {"media"}, "daily": {"media"}, "outlet": {"media"},
    "publication": {"media"}, "broadcaster": {"media"}, "network": {"media"}, "channel": {"media"},
    "agency": {"intelligence", "government", "organisation", "media"},
    "service": {"intelligence", "government"},
    "ministry": {"government"}, "department": {"government"}, "government": {"government"},
    "military": {"military"}, "army": {"military"}, "command": {"military"},
}  # fmt: skip


@dataclass
class SourceHistory:
    """Sources seen so far in the article, for pronouns and descriptions.

    ``seen`` only grows, by appending. What a text resolves to is the latest source
    that passes a test fixed by the text, so each text's answer is kept with how much
    of ``seen`` it has read, and a later question reads only the sources added since
    (a scan of every earlier source for each made a long article quadratic).
    """

    seen: list[Source] = field(default_factory=list)
    #: per text asked: (sources read, latest passing the first test, the second), -1 for none
    _read: dict[str, tuple[int, int, int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _of: int = field(default=0, init=False, repr=False, compare=False)

    def resolve(self, text: str) -> Source | None:
        """The earlier source a pronoun or description most likely points back to."""
        tests = _antecedent_tests(text)
        if tests is None:
            return None
        first, second = tests
        if self._of != id(self.seen):  # a new list: what was read of the old one is void
            self._read.clear()
            self._of = id(self.seen)
        n, last1, last2 = self._read.get(text, (0, -1, -1))
        if n > len(self.seen):
            n, last1, last2 = 0, -1, -1
        for k in range(n, len(self.seen)):
            s = self.seen[k]
            if first(s):
                last1 = k
            if second is not None and second(s):
                last2 = k
        self._read[text] = (len(self.seen), last1, last2)
        if last1 >= 0:
            return self.seen[last1]
        return self.seen[last2] if last2 >= 0 else None


_Test = Callable[[Source], bool]


def _antecedent_tests(text: str) -> tuple[_Test, _Test | None] | None:
    """What a source must pass to be the one ``text`` points back to: the latest source
    passing the first test, else the latest passing the second; None when ``text`` is
    neither a pronoun nor a description."""
    low = text.lower().strip()
    words = low.split()
    if low in PRONOUNS_PLURAL:
        return (lambda s: _is_plural(s) and not _is_pronoun(s.text)), None
    if low in PRONOUNS_SINGULAR:
        return (lambda s: s.kind == "person" and not _is_pronoun(s.text) and not _is_plural(s)), None
    # a description with no name in it: "the minister", "the South Carolina senator" is not one
    if words and words[0] == "the" and len(words) <= 3 and text.strip()[4:].islower():
        head = words[-1]
        kinds = DESCRIBED_KINDS.get(head)

        def described(s: Source) -> bool:
            if _is_pronoun(s.text) or s.text.lower().startswith("the " + head):
                return False
            if kinds and s.kind in kinds:
                return True  # "the newspaper" -> The New York Times; "the agency" -> the NIS
            # "the officials" -> "US officials"
            return bool(s.anonymous and s.text.split() and s.text.lower().split()[-1] == head)

        def holds_role(s: Source) -> bool:
            return bool(s.role and head in s.role.lower() and s.name)

        return described, holds_role
    return None


def _is_pronoun(text: str) -> bool:
    return text.lower() in PRONOUNS_PLURAL | PRONOUNS_SINGULAR | RELATIVE


def _is_plural(s: Source) -> bool:
    last = s.text.split()[-1].lower() if s.text.split() else ""
    return s.anonymous and last.endswith("s") or last in {"they", "we"} or s.kind == "group"


def describe(doc: Doc, offsets: Offsets, lex: Lexicon) -> Source:
    """A ``Source`` from its span: kind, anonymity, name, rank and role read off its words."""
    text = " … ".join(doc_text(doc)[s:e] for s, e in offsets)
    span = doc.char_span(offsets[0][0], offsets[-1][1], alignment_mode="expand")
    tokens = list(span) if span is not None else []
    words = [t for t in tokens if not t.is_punct and not t.is_space]
    low = [t.lower_ for t in words]
    inside = ents_between(doc, span.start_char, span.end_char) if span is not None else []
    persons = [e for e in inside if e.label_ == "PERSON"]
    orgs = [e for e in inside if e.label_ in {"ORG", "NORP", "GPE"}]
    head = span.root.lower_ if span is not None and len(span) else (low[-1] if low else "")

    name: str | None = None
    rank: str | None = None
    role: str | None = None
    kind = "unknown"
    anonymous = False
    person_head = _head_person(span, persons) if span is not None and persons else None
    if person_head is not None:
        person = person_head
        words_of_name = [t for t in person if t.lower_ not in RANKS and t.lower_ not in TITLES]
        # the name as written, hyphens and all ("Ban Ki-moon")
        name = doc_text(doc)[words_of_name[0].idx : person.end_char] if words_of_name else person.text
        before = doc[person.start - 1] if person.start > 0 else None
        if before is not None and before.lower_ in RANKS:
            rank = before.text
        elif person[0].lower_ in RANKS:
            rank = person[0].text
        kind = "person"
        role = _role(span, person) if span is not None else None
    elif lex.is_media_name(text):
        kind = "media"
    elif low and low[-1] in ANONYMOUS_HEADS or head in ANONYMOUS_HEADS:
        anonymous = not orgs or all(e.label_ in {"NORP", "GPE"} for e in orgs)
        kind = KIND_BY_HEAD.get(head, KIND_BY_HEAD.get(low[-1] if low else "", "group"))
        if head in VAGUE_HEADS:
            kind = "unknown"
    elif orgs:
        kind = "organisation"
        if any(w in {"forces", "army", "military", "command", "brigade"} for w in low):
            kind = "military"
        elif any(w in {"ministry", "government", "kremlin", "pentagon", "department"} for w in low):
            kind = "government"
        elif "intelligence" in low:
            kind = "intelligence"
    elif _is_pronoun(text):
        kind = "unknown"
    elif low and low[-1] in ROLE_HEADS:
        kind = "person"
        role = text
    if rank is None and words and words[0].lower_ in RANKS and kind == "person":
        rank = words[0].text
    return Source(
        text=text,
        offsets=tuple(offsets),
        kind=kind,
        anonymous=anonymous,
        role=role,
        rank=rank,
        name=name if name and name != text else None,
    )


def _head_person(span: Span, persons: list[Span]) -> Span | None:
    """The person a source span is about: the one holding its head word, or standing in apposition
    to it; not a person its description mentions ("Podesta, a chief of staff to Bill Clinton")."""
    root = span.root
    for p in persons:
        if p.start <= root.i < p.end:
            return p
    for p in persons:
        if p.root.head.i == root.i and p.root.dep_ in {"appos", "npadvmod"}:
            return p
        if root.head.i == p.root.i and root.dep_ == "appos":
            return p
    # "the commander of X, General Y": the name after the description's last comma
    after_comma = [p for p in persons if p.start > span.start and span.doc[p.start - 1].text == ","]
    if after_comma:
        return after_comma[-1]
    # "the Clinton campaign", "Trump's lawyers": a person who only qualifies the head is not the source
    if root.pos_ in {"NOUN"} and root.lower_ not in ROLE_HEADS and root.lower_ not in RANKS | TITLES:
        return None
    return persons[0]


def _role(span: Span, person: Span) -> str | None:
    """The apposition or description beside a name: "spokesperson for the SOF"."""
    root = person.root
    for child in root.children:
        if child.dep_ == "appos":
            return " ".join(t.text for t in child.subtree).strip(" ,")
    # "the commander of X, General Y": the description before the name
    if person.start > span.start:
        before = span.doc[span.start : person.start]
        words = [t for t in before if not t.is_punct]
        if words and any(t.lower_ in ROLE_HEADS for t in words):
            text = before.text.strip(" ,")
            for rank in RANKS:
                if text.lower().endswith(" " + rank):
                    text = text[: -len(rank) - 1].strip(" ,")
            if text.lower().startswith("the "):
                text = text[4:]
            return text
    return None
