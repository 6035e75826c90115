#!/usr/bin/env python
"""Build the shipped Wikinews sample corpus (examples/wikinews/) from the SemEval-2015 Task 4 data.

Input: the SemEval-2015 Task 4 (TimeLine) evaluation data, three sets of 30
English Wikinews articles, as laid out in ``../shared/data/wikinews-timeline``
(``corpus_N/timeml/*.tml`` and ``corpus_N/gold_timelines/*.txt``).

Output, in ``examples/wikinews/``:

  corpus_N.jsonl      one article record per line, read by ``claimgraph ingest``:
                      the TimeML sentences detokenized into plain text (title
                      line, blank line, date line, blank line, body), with the
                      character span of every TimeML sentence in ``sentences``
  event_links.gold.jsonl   the gold cross-document event links: one object per line
                      of a gold timeline, each mention pointing at an article,
                      a sentence and its character span
  README.md           what this is, the licences and attribution, the counts

The source has a few faults; each is repaired the same way every time and
listed in the README and on stderr (see ``repair_*`` below).

Usage::

    python scripts/build_wikinews_sample.py                  # write examples/wikinews/
    python scripts/build_wikinews_sample.py --source DIR     # read the data elsewhere
    python scripts/build_wikinews_sample.py --check          # exit 1 if the output is stale

Only the standard library is needed; with claimgraph importable, every record
is also read back with ``claimgraph.ingest.read_record``.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "wikinews-timeline"
DEFAULT_OUTPUT = ROOT / "examples" / "wikinews"
CORPORA = ("corpus_1", "corpus_2", "corpus_3")
STORIES = {
    "corpus_1": "Airbus and Boeing: airliners, orders and the US Air Force tanker contract",
    "corpus_2": "General Motors, Chrysler, Ford and the 2008-09 auto crisis",
    "corpus_3": "the stock markets from the 2007 sell-off through the 2008 crash and after",
}
LICENSE = "CC BY 2.5"

# --- detokenization ---------------------------------------------------------------

_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%"}
_CLITICS = {"'s", "n't", "'re", "'ve", "'ll", "'d", "'m"}
_NO_SPACE_AFTER = {"(", "[", "{"}
_NUMBER = re.compile(r"[+-]?\d[\d,.]*\w*")


@dataclass
class Quotes:
    """Which quotes are open, carried from sentence to sentence of one article."""

    double: bool = False
    single: bool = False


def _pieces(tokens: Sequence[str]) -> Iterator[tuple[int, str]]:
    """The tokens as (index of the source token, piece): a quote glued to a word (``''I'``) is two pieces."""
    for i, token in enumerate(tokens):
        if len(token) > 2 and token.startswith("''") and token[2].isalnum():
            yield i, "''"
            yield i, token[2:]
        elif token:
            yield i, token


def detokenize(tokens: Sequence[str], quotes: Quotes) -> tuple[str, list[tuple[int, int]]]:
    """Join PTB-style tokens into natural text.

    tokens (Sequence[str]): one sentence's tokens.
    quotes (Quotes): the quotes left open by the sentences before; updated.
    RETURNS (tuple[str, list[tuple[int, int]]]): the text, and for each source
        token the character span it took in the text ((n, n) for an empty token).
    """
    pieces = list(_pieces(tokens))
    out: list[str] = []
    length = 0
    spans: list[tuple[int, int] | None] = [None] * len(tokens)
    glue_next = True  # no space before the first piece
    for k, (i, piece) in enumerate(pieces):
        nxt = pieces[k + 1][1] if k + 1 < len(pieces) else None
        rendered = piece
        space = not glue_next
        glue_after = False
        low = piece.lower()
        if piece == "``":
            rendered, quotes.double, glue_after = "\u201c", True, True
        elif piece == "''":
            closing = quotes.double or nxt is None or nxt in _NO_SPACE_BEFORE
            if closing:
                rendered, quotes.double, space = "\u201d", False, False
            else:  # a quote opened with '' where `` was meant
                rendered, quotes.double, glue_after = "\u201c", True, True
        elif piece == "`":
            rendered, quotes.single, glue_after = "\u2018", True, True
        elif piece == "'":
            space = False if out else space
            if quotes.single:
                rendered, quotes.single = "\u2019", False
        elif piece in _NO_SPACE_BEFORE or low in _CLITICS:
            space = False
        elif piece == "#" and nxt is not None and _NUMBER.fullmatch(nxt):
            rendered, glue_after = "\u00a3", True  # PTB writes the pound sign as #
            space = space and not (out and out[-1].endswith("GB"))
        if piece in _NO_SPACE_AFTER or piece.endswith("$"):
            glue_after = True
        if re.fullmatch(r"[A-Za-z]'", piece) and nxt is not None and nxt[:1].isalpha():
            glue_after = True  # I' m, O' Leary: a word split at its apostrophe
        if space and out:
            out.append(" ")
            length += 1
        start = length
        out.append(rendered)
        length += len(rendered)
        old = spans[i]
        spans[i] = (old[0] if old else start, length)
        glue_next = glue_after
    text = "".join(out)
    final: list[tuple[int, int]] = []
    last = 0
    for s in spans:
        if s is None:
            final.append((last, last))
        else:
            final.append(s)
            last = s[1]
    return text, final


# --- articles ---------------------------------------------------------------------

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_CLOSING = tuple(",.;:!?)]%\u2019\u201d")
_DATELINE = re.compile(rf"({_MONTHS}) (\d{{1,2}}), (\d{{4}})")


@dataclass
class Sentence:
    index: int
    tokens: list[str]
    events: dict[int, str]  # token index -> TimeML eid
    text: str = ""
    span: tuple[int, int] = (0, 0)
    token_spans: list[tuple[int, int]] = field(default_factory=list)  # absolute


@dataclass
class Article:
    corpus: str
    stem: str
    docid: str
    title: str
    published: str
    sentences: list[Sentence]
    text: str
    fixes: list[str]

    @property
    def id(self) -> str:
        return f"{self.corpus}/{self.stem}"

    def record(self) -> dict[str, object]:
        plain = self.title.translate(str.maketrans("\u201c\u201d\u2018\u2019", "\"\"''", ""))
        url_title = plain.replace(" ", "_")  # the page's title as MediaWiki writes it in a URL
        return {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "published": self.published,
            "outlet": "Wikinews",
            "url": "https://en.wikinews.org/wiki/" + quote(url_title, safe=",'()!*:;@&=+$-._~"),
            "authors": [],
            "language": "en",
            "credits": ["Wikinews"],
            "license": LICENSE,
            "sentences": [list(s.span) for s in self.sentences],
        }


def _tokens(element: ET.Element) -> tuple[list[str], dict[int, str]]:
    """The tokens of an <s> and, for each token inside an <EVENT>, its eid."""
    tokens: list[str] = []
    events: dict[int, str] = {}

    def add(text: str | None, eid: str | None) -> None:
        for token in (text or "").split():
            if eid is not None:
                events[len(tokens)] = eid
            tokens.append(token)

    add(element.text, None)
    for child in element:
        inner = "".join(child.itertext())
        add(inner, child.get("eid") if child.tag == "EVENT" else None)
        add(child.tail, None)
    return tokens, events


def _iso_date(dct: str, dateline: str | None) -> tuple[str, str | None]:
    """The publication date: the DCT, unless the article's own date line says otherwise.

    RETURNS (tuple[str, str | None]): the date and, where it is not the DCT as
        written, a note saying why.
    """
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", dct)
    d = re.fullmatch(r"(\d{2})-(\d{2})-(\d{4})", dct)
    value = f"{m[1]}-{m[2]}-{m[3]}" if m else (f"{d[3]}-{d[2]}-{d[1]}" if d else "")
    line = None
    if dateline and (dl := _DATELINE.fullmatch(dateline)):
        month = _MONTHS.split("|").index(dl[1]) + 1
        line = f"{dl[3]}-{month:02d}-{int(dl[2]):02d}"
    if line and line != value:
        return line, f"DCT {dct!r} disagrees with the date line {dateline!r}: published = {line}"
    if not value:
        raise SystemExit(f"unreadable DCT {dct!r} and no date line")
    if value != dct:
        return value, f"DCT {dct!r} read as {value} (day-month-year, as its date line shows)"
    return value, None


def read_article(path: Path, corpus: str) -> Article:
    root = ET.parse(path).getroot()
    docid = (root.findtext("DOCID") or "").strip()
    stem = path.stem
    if not stem.startswith(docid + "_"):
        raise SystemExit(f"{path}: DOCID {docid!r} is not the file name's")
    timex = root.find("DCT/TIMEX3")
    if timex is None:
        raise SystemExit(f"{path}: no DCT")
    sentences = []
    for n, element in enumerate(root.iter("s")):
        if element.get("id") != str(n):
            raise SystemExit(f"{path}: sentence {n} has id {element.get('id')!r}")
        tokens, events = _tokens(element)
        sentences.append(Sentence(n, tokens, events))
    quotes = Quotes()
    for s in sentences:
        s.text, s.token_spans = detokenize(s.tokens, quotes)
    title_tokens = (root.findtext("EXTRAINFO") or "").split()
    title = detokenize(title_tokens, Quotes())[0]
    fixes: list[str] = []
    # the layout: title, date line, body; the title is sentence 0 when the headline was kept there
    parts: list[list[Sentence]] = []
    rest = sentences
    if rest and rest[0].text == title:
        parts.append([rest[0]])
        rest = rest[1:]
    else:
        fixes.append("the title is not the first sentence: it is given in the record only")
    dateline = None
    if rest and _DATELINE.fullmatch(rest[0].text):
        dateline = rest[0].text
        parts.append([rest[0]])
        rest = rest[1:]
    parts.append(rest)
    pieces: list[str] = []
    at = 0
    for p, part in enumerate(parts):
        if p:
            pieces.append("\n\n")
            at += 2
        for k, s in enumerate(part):
            if k and not s.text.startswith(_CLOSING):  # a quote or colon that ends the sentence before
                pieces.append(" ")
                at += 1
            s.span = (at, at + len(s.text))
            s.token_spans = [(at + a, at + b) for a, b in s.token_spans]
            pieces.append(s.text)
            at += len(s.text)
    text = "".join(pieces) + "\n"
    published, note = _iso_date(timex.get("value") or "", dateline)
    if note:
        fixes.append(note)
    return Article(corpus, stem, docid, title, published, sentences, text, fixes)


# --- gold timelines ---------------------------------------------------------------

_DATE = re.compile(r"[\dX]{4}(-[\dX]{2}(-[\dX]{2})?)?")
_MENTION = re.compile(r"(\d+)-(\d+)-(\S+)")


@dataclass
class Mention:
    docid: str
    sentence: int
    word: str  # as in the timeline, "_" between the words of a multi-word event


@dataclass
class TimelineLine:
    order: int
    date: str
    mentions: list[Mention]


def _full_date(value: str) -> str:
    """YYYY or YYYY-MM, as two timelines write a date, padded to YYYY-MM-DD with X."""
    parts = value.split("-")
    return "-".join(parts + ["XX"] * (3 - len(parts)))


def parse_timeline(text: str, where: str, log: list[str]) -> tuple[str, list[TimelineLine]]:
    """A gold timeline: the target entity on the first line, then one event instance per line.

    Each event line is ``ORDER<TAB>DATE<TAB>MENTION[<TAB>MENTION...]``: ORDER its
    place in the timeline (events with the same number are not ordered among
    themselves; 0 holds those that could not be placed), DATE the date it is
    anchored to (YYYY-MM-DD with X for what is unknown), and each MENTION
    ``DOCID-SENTENCE-WORD``, the mentions on one line being the same event.
    A line that lost its line break (``...-travelling8<TAB>2007-03-19<TAB>...``:
    a mention glued to the next line's ORDER, followed by its DATE) is split in two.
    """
    lines = text.split("\n")
    target = lines[0].strip()
    out: list[TimelineLine] = []
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.rstrip("\n").split("\t")
        k = 3
        while k < len(fields):
            glued = re.fullmatch(r"(\d+-\d+-\D\S*?)(\d+)", fields[k - 1])
            if _DATE.fullmatch(fields[k]) and glued:
                log.append(f"{where}:{n}: split a line that lost its break after {glued[1]!r}")
                fields = [*fields[: k - 1], glued[1], "\n", glued[2], *fields[k:]]
                k += 3
            k += 1
        chunks: list[list[str]] = [[]]
        for f in fields:
            if f == "\n":
                chunks.append([])
            else:
                chunks[-1].append(f)
        for chunk in chunks:
            if len(chunk) < 3 or not chunk[0].isdigit() or not _DATE.fullmatch(chunk[1]):
                raise SystemExit(f"{where}:{n}: not a timeline line: {line!r}")
            date = chunk[1]
            if len(date) != 10:
                date = _full_date(date)
                log.append(f"{where}:{n}: date {chunk[1]!r} written as {date}")
            mentions = []
            for m in chunk[2:]:
                mm = _MENTION.fullmatch(m)
                if not mm:
                    raise SystemExit(f"{where}:{n}: not a mention: {m!r}")
                mentions.append(Mention(mm[1], int(mm[2]), mm[3]))
            out.append(TimelineLine(int(chunk[0]), date, mentions))
    return target, out


def _find_word(sentence: Sentence, word: str) -> tuple[int, int] | None:
    """Where the event word stands in its sentence: the token range, the TimeML event first."""
    words = word.split("_")
    tokens = sentence.tokens
    starts = [i for i, t in enumerate(tokens) if t == words[0]]
    if not starts:
        return None
    starts.sort(key=lambda i: (i not in sentence.events, i))
    for first in starts:
        last = first
        for w in words[1:]:  # the later words of "take_away", "push_back": may stand apart
            later = [j for j in range(last + 1, len(tokens)) if tokens[j] == w]
            if not later:
                break
            last = later[0]
        else:
            return first, last
    return None


def repair_mention(m: Mention, corpus: str, docs: dict[str, Article], where: str, log: list[str]) -> Mention:
    """Mend a mention whose document or sentence is mistyped in the source, if it can be told how.

    A DOCID that names no document of the corpus but starts with exactly one
    that has the word in that sentence (``738080`` for ``73808``) is that one;
    a word not in its sentence but in exactly one sentence beside it is there.
    Anything else is left as it is, and the build stops.
    """
    article = docs.get(m.docid)
    if article is None:
        candidates = [
            d
            for d, a in docs.items()
            if m.docid.startswith(d) and m.sentence < len(a.sentences)
            and _find_word(a.sentences[m.sentence], m.word) is not None
        ]  # fmt: skip
        if len(candidates) != 1:
            raise SystemExit(f"{where}: {corpus} has no document {m.docid}")
        log.append(f"{where}: document {m.docid} read as {candidates[0]} ({m.word!r}, sentence {m.sentence})")
        m = Mention(candidates[0], m.sentence, m.word)
        article = docs[m.docid]
    sentences = article.sentences
    if m.sentence >= len(sentences) or _find_word(sentences[m.sentence], m.word) is None:
        near = [
            k
            for k in (m.sentence - 1, m.sentence + 1)
            if 0 <= k < len(sentences) and _find_word(sentences[k], m.word) is not None
        ]
        if len(near) != 1:
            raise SystemExit(f"{where}: {m.word!r} is in no sentence near {m.docid}-{m.sentence}")
        log.append(f"{where}: {m.docid}-{m.sentence}-{m.word} read as sentence {near[0]}")
        m = Mention(m.docid, near[0], m.word)
    return m


@dataclass
class Timeline:
    corpus: str
    name: str  # the file name without .txt
    target: str
    events: int


def repair_target(target: str, listed: Sequence[str], where: str, log: list[str]) -> str:
    """The target entity as the corpus's list of targets spells it ("Air Froce" is "Air Force")."""
    if target in listed:
        return target
    close = [t for t in listed if t.lower() == target.lower()] or difflib.get_close_matches(
        target, listed, n=2, cutoff=0.8
    )
    if len(close) != 1:
        raise SystemExit(f"{where}: target {target!r} is not in the list of targets")
    log.append(f"{where}: target {target!r} written as the list of targets has it, {close[0]!r}")
    return close[0]


def event_links(
    source: Path, corpus: str, docs: dict[str, Article], log: list[str], timelines: list[Timeline]
) -> list[dict[str, object]]:
    """The event links of a corpus's gold timelines; each timeline read is added to ``timelines``."""
    links: list[dict[str, object]] = []
    seen: dict[str, str] = {}
    listing = source / corpus / f"list_target_entities_{corpus}.txt"
    listed = [t.strip() for t in listing.read_text(encoding="utf-8").splitlines() if t.strip()]
    # of two files the same, the one with the plainer name is kept ("s_and_p_500", not "s&p_500")
    paths = (source / corpus / "gold_timelines").glob("*.txt")
    for path in sorted(paths, key=lambda p: (not re.fullmatch(r"[a-z0-9_]+", p.stem), p.name)):
        text = path.read_text(encoding="utf-8")
        if text in seen:
            log.append(f"{corpus}/{path.name}: the same as {seen[text]}, left out")
            continue
        seen[text] = path.name
        target, lines = parse_timeline(text, f"{corpus}/{path.name}", log)
        target = repair_target(target, listed, f"{corpus}/{path.name}", log)
        timelines.append(Timeline(corpus, path.stem, target, len(lines)))
        for k, line in enumerate(lines, start=1):
            where = f"{corpus}/{path.name} event {k}"
            mentions = []
            for m in line.mentions:
                m = repair_mention(m, corpus, docs, where, log)
                article = docs[m.docid]
                s = article.sentences[m.sentence]
                found = _find_word(s, m.word)
                assert found is not None
                first, last = found
                mentions.append(
                    {
                        "article": article.id,
                        "sentence": m.sentence,
                        "span": list(s.span),
                        "text": s.text,
                        "word": m.word.replace("_", " "),
                        "word_span": [s.token_spans[first][0], s.token_spans[last][1]],
                    }
                )
            links.append(
                {
                    "corpus": corpus,
                    "target": target,
                    "timeline": path.stem,
                    "event": f"{corpus}/{path.stem}/{k}",
                    "order": line.order,
                    "date": line.date,
                    "mentions": mentions,
                }
            )
    return links


# --- output -----------------------------------------------------------------------


def _jsonl(rows: Sequence[dict[str, object]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n" for r in rows)


def _articles_in(link: dict[str, object]) -> int:
    mentions = link["mentions"]
    assert isinstance(mentions, list)
    return len({m["article"] for m in mentions})


def _counts(articles: int, timelines: int, links: list[dict[str, object]]) -> list[int]:
    """articles, timelines, event links, links of >= 2 mentions, links spanning >= 2 articles, mentions."""
    sizes = [len(link["mentions"]) for link in links]  # type: ignore[arg-type]
    spanning = sum(1 for link in links if _articles_in(link) >= 2)
    return [articles, timelines, len(links), sum(1 for n in sizes if n >= 2), spanning, sum(sizes)]


def _short(value: str, n: int = 60) -> str:
    return value if len(value) <= n else value[:n] + "\u2026"


def _examples(corpora: dict[str, list[Article]], links: list[dict[str, Any]]) -> tuple[str, str]:
    """An article record and an event link as the files hold them, long values shortened with "…"."""
    articles = [a for arts in corpora.values() for a in arts]
    article = next((a for a in articles if a.docid == "4764"), articles[0])
    record = article.record()
    spans = ", ".join(json.dumps(list(s.span)) for s in article.sentences[:3])
    record["text"] = _short(article.text, 80)
    record["sentences"] = "SPANS"
    shown_record = json.dumps(record, ensure_ascii=False).replace('"SPANS"', f"[{spans}, \u2026]")
    link = dict(next((x for x in links if _articles_in(x) >= 2), links[0]))
    mentions = link["mentions"]
    shown = ",\n  ".join(
        json.dumps(dict(m, text=_short(m["text"], 40)), ensure_ascii=False) for m in mentions[:2]
    )
    more = ", \u2026" if len(mentions) > 2 else ""
    link["mentions"] = "MENTIONS"
    shown_link = json.dumps(link, ensure_ascii=False).replace('"MENTIONS"', f"[\n  {shown}{more}]")
    return shown_record, shown_link


def readme(
    corpora: dict[str, list[Article]],
    links: list[dict[str, object]],
    timelines: list[Timeline],
    log: list[str],
    sizes: dict[str, int],
) -> str:
    rows = [
        "| corpus | articles | published | timelines | event links | links with ≥ 2 mentions "
        "| links spanning ≥ 2 articles | mentions |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for corpus, articles in corpora.items():
        mine = [link for link in links if link["corpus"] == corpus]
        counts = _counts(len(articles), sum(1 for t in timelines if t.corpus == corpus), mine)
        dates = sorted(a.published for a in articles)
        cells = [corpus, *map(str, counts[:1]), f"{dates[0]} – {dates[-1]}", *map(str, counts[1:])]
        rows.append("| " + " | ".join(cells) + " |")
    total = _counts(sum(len(a) for a in corpora.values()), len(timelines), links)
    rows.append("| " + " | ".join(["all", str(total[0]), "", *map(str, total[1:])]) + " |")
    n_articles = total[0]
    example_article, example_link = _examples(corpora, links)
    on_timelines: dict[tuple[str, int, str], set[str]] = {}
    per_timeline: dict[tuple[str, str, int, str], int] = {}
    for link in links:
        for m in link["mentions"]:  # type: ignore[attr-defined]
            key = (m["article"], m["sentence"], m["word"])
            on_timelines.setdefault(key, set()).add(str(link["event"]).rsplit("/", 1)[0])
            per_timeline[(str(link["timeline"]), *key)] = (
                per_timeline.get((str(link["timeline"]), *key), 0) + 1
            )
    shared = sum(1 for t in on_timelines.values() if len(t) > 1)
    distinct = len(on_timelines)
    twice = sum(n - 1 for n in per_timeline.values())
    spanning, n_links = total[4], total[2]
    targets = "\n".join(
        f"- {t.corpus}: {t.target} (`{t.name}`), {t.events} event{'s' if t.events != 1 else ''}"
        for t in timelines
    )
    stories = "\n".join(f"- `{c}.jsonl`: {STORIES[c]};" for c in corpora)
    fixes = [f"- {a.id}: {fix}" for articles in corpora.values() for a in articles for fix in a.fixes]
    repairs = "\n".join(fixes + [f"- {line}" for line in log])
    size_kb = sum(sizes.values()) / 1024
    return f"""# Wikinews sample corpus, with gold cross-document event links

{n_articles} real English news articles from [Wikinews](https://en.wikinews.org/),
in three sets of 30 about one running story each, written over several years by
different contributors:

{stories}

and, in `event_links.gold.jsonl`, which sentences of which articles mention the same
event, from the gold timelines of SemEval-2015 Task 4. It is claimgraph's openly
licensed sample corpus: real news to run the pipeline on end to end, and a gold
standard for linking the same event across articles.

## Source and licences

The articles and annotations are the evaluation data of **SemEval-2015 Task 4:
TimeLine: Cross-Document Event Ordering** (Minard et al., 2015;
<http://alt.qcri.org/semeval2015/task4/>), as kept in the public repository
qiangning/StructTempRel-EMNLP17
(`data/SemEval2015-Task4-TimeLine/SemEval_Task4_data`).

- **Texts**: From Wikinews, the free news source. The articles are © their
  Wikinews contributors and licensed under the Creative Commons Attribution 2.5
  licence (CC BY 2.5, <https://creativecommons.org/licenses/by/2.5/>). Each
  record names its article's title and page (`url`) and carries
  `"credits": ["Wikinews"]` and `"license": "CC BY 2.5"`. The texts are changed
  from the originals: they are rebuilt from the task's tokenized sentences (see
  below), so paragraph breaks, links, images and other page furniture are gone.
- **Annotations** (the gold timelines behind `event_links.gold.jsonl`): © 2015, FBK
  (Fondazione Bruno Kessler), VUA (VU University Amsterdam), EHU (Universidad
  Del Pais Vasco), licensed under the Creative Commons Attribution 3.0 Unported
  License (CC BY 3.0, <http://creativecommons.org/licenses/by/3.0/>). Converted
  to JSON Lines here, with the repairs listed below.

Both licences allow redistribution and adaptation with attribution; keep this
file beside the data.

## Files

`corpus_1.jsonl`, `corpus_2.jsonl`, `corpus_3.jsonl`: one article per line, the
fields claimgraph's record reader reads:

```
{example_article}
```

- `id` is `<corpus>/<TimeML file name without .tml>`; the number it starts with
  is the task's document id.
- `text` is the title line, a blank line, the article's date line, a blank line
  and the body, one paragraph (the task's data keeps no paragraph breaks), its
  sentences joined by a space.
- `published` is the TimeML document creation time (DCT), except where the DCT
  disagrees with the article's own date line; the gold timelines follow the date
  line there, and so does `published` (listed below).
- `url` is **derived from the title** (spaces to underscores, percent-encoded),
  not taken from the data, which has no URLs; a page that was renamed or
  deleted since may not be there.
- `authors` is empty: the data does not name the contributors.
- `sentences` (ignored by the reader) holds the `[start, end)` character span in
  `text` of each TimeML sentence `<s id="N">`, by N: sentence 0 is the title,
  sentence 1 the date line.

`event_links.gold.jsonl`: one object per line of a gold timeline, that is per event
instance in which the timeline's target entity takes part:

```
{example_link}
```

- `target` is the entity the timeline is about (the timeline file's first line),
  `timeline` the file's name; `event` is `<corpus>/<timeline>/<k>`, k counting
  the timeline's event lines from 1.
- `order` is the event's place on the timeline: events with the same number
  are not ordered among themselves, and 0 holds the events that could not be
  placed in time. `date` is the date the event is anchored to, `YYYY-MM-DD`
  with `X` for what is unknown (`XXXX-XX-XX`: not anchored).
- `mentions` are the mentions of that one event (the timeline writes them
  `DOCID-SENTENCE-WORD` on one line): `article` is the record's `id`,
  `sentence` the TimeML sentence number, `span` its character span in the
  record's `text` (`text[start:end]` is `mentions[i].text`), `word` the event
  word (words of a multi-word event such as "take away" joined by a space) and
  `word_span` where that word stands in `text` (for a multi-word event, from its
  first word to its last, which may have words between them). Where the word
  occurs more than once in the sentence, the occurrence the TimeML marks as an
  event is taken, else the first.

The gold is kept as the task gave it, apart from the repairs listed at the
end. Each timeline is about one target, so an event in which several targets
take part (the first delivery of an A380 is on both Airbus's and the A380's)
is in several links: {shared} of the {distinct} distinct mentions are on more
than one timeline. A timeline may also hold a mention twice, on two lines or
on one ({twice} times in all). Most events are told in one article only:
{spanning} of the {n_links} links span two or more articles.

## Counts

{chr(10).join(rows)}

The timelines (target entity, file, events):

{targets}

About {size_kb:.0f} KB in all.

## Use

```sh
claimgraph ingest examples/wikinews/
```

Walking a folder, `claimgraph ingest` leaves out this README and the gold links
(`*.gold.*`), so only the three corpora are read.

## How it was made

```sh
.venv/bin/python scripts/build_wikinews_sample.py
```

from the repository's root, with the data at `../shared/data/wikinews-timeline`
(`--source DIR` reads it elsewhere; `--check` tells whether these files are what the
script makes; a test runs it where the data is at hand). For each
TimeML file the tokens of each `<s>` are joined into text: no space before
`, . ; : ! ? ) ] %` and the clitics `'s n't 're 've 'll 'd 'm`, none after
`( [` and currency signs (`$`, `US$`); ``` `` ``` and `''` become “ and ”, `` ` ``
and a closing `'` become ‘ and ’, a lone `'` after a plural joins it (`Airbus'`),
`#` before a number becomes £ (the Penn Treebank writes the pound sign as `#`),
and a word split at its apostrophe (`I' m`, `O' Leary`) is joined again. Other
tokens (`--`, `...`, the `*` of flattened lists) are kept as they are.

Faults of the source, and what was done (`FILE:N` is line N of a timeline
file, `FILE event K` the link whose `event` ends in `/K`):

{repairs}
"""


def build(source: Path) -> tuple[dict[str, str], list[str]]:
    """The output files' texts by name, and what was repaired."""
    log: list[str] = []
    corpora: dict[str, list[Article]] = {}
    links: list[dict[str, object]] = []
    timelines: list[Timeline] = []
    for corpus in CORPORA:
        folder = source / corpus / "timeml"
        paths = sorted(folder.glob("*.tml"), key=lambda p: (int(p.stem.split("_")[0]), p.name))
        if not paths:
            raise SystemExit(f"no TimeML files in {folder}")
        articles = [read_article(p, corpus) for p in paths]
        corpora[corpus] = articles
        docs = {a.docid: a for a in articles}
        links.extend(event_links(source, corpus, docs, log, timelines))
    files = {f"{c}.jsonl": _jsonl([a.record() for a in arts]) for c, arts in corpora.items()}
    files["event_links.gold.jsonl"] = _jsonl(links)
    sizes = {name: len(text.encode("utf-8")) for name, text in files.items()}
    files["README.md"] = readme(corpora, links, timelines, log, sizes)
    return files, [f"{a.id}: {fix}" for arts in corpora.values() for a in arts for fix in a.fixes] + log


def verify(files: dict[str, str]) -> None:
    """Read every record back with claimgraph's reader, where claimgraph can be imported."""
    sys.path.insert(0, str(ROOT))
    try:
        from claimgraph.ingest import read_record
    except ImportError:
        print("claimgraph is not importable: records not read back", file=sys.stderr)
        return
    for name in (f"{c}.jsonl" for c in CORPORA):
        for n, line in enumerate(files[name].splitlines(), start=1):
            read_record(json.loads(line), f"{name}:{n}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Build examples/wikinews/ (articles as JSON Lines, gold cross-document event links, "
        "README) from the SemEval-2015 Task 4 TimeLine data."
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=DEFAULT_SOURCE,
        help="the data folder, holding corpus_1/ corpus_2/ corpus_3/ (default: %(default)s)",
    )
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help="where to write (default: %(default)s)"
    )
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the output is stale")
    args = parser.parse_args(argv)
    files, log = build(args.source)
    verify(files)
    if args.check:
        stale = [n for n, t in files.items() if not (args.output / n).is_file()
                 or (args.output / n).read_text(encoding="utf-8") != t]  # fmt: skip
        if stale:
            print(f"stale: {', '.join(stale)} (run scripts/build_wikinews_sample.py)", file=sys.stderr)
            return 1
        print(f"{args.output}: up to date")
        return 0
    args.output.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.output / name).write_text(text, encoding="utf-8")
    for line in log:
        print(f"repaired: {line}", file=sys.stderr)
    print(f"wrote {', '.join(files)} to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
