"""The plain-text reader: an article pasted as text, read into an ``Article``.

The text is kept exactly as given; what the reader finds in it is recorded as
character spans into it. The shape it knows is the founding example's::

    #News                          tag line (optional)        -> tag, skip_spans
    North Korean soldiers were ... headline (optional)        -> title, title_span
    2025.01.31                     date line (optional)       -> published, skip_spans
    By Jane Doe                    byline (optional)          -> authors, skip_spans
    In three months, ...           standfirst (optional)      -> lede_span
    North Korean soldiers sent ... body
    Photo: KCNA / Reuters          credit lines, anywhere     -> credits, skip_spans
    a                              noise lines, anywhere      -> skip_spans

How each part is recognised:

- tag: a first line of hashtags (``#News``, ``#News #Ukraine``).
- date line: among the first lines, one that is only a date (see ``dates``). A
  date-shaped line that is not a real date, or is ambiguous, leaves ``published``
  empty and adds a warning.
- headline: among the first lines, a single line of at most 200 characters and
  30 words, ending a paragraph (a blank line or the date line follows), not
  ending in ``, ; :``, nor in a full stop unless a tag or date line vouches for
  it, and followed by more text. Prose without this shape has no title.
- standfirst: only where a date line was found: the first paragraph after the
  head, when it is a single line of at most 350 characters and more text follows.
- credit line: a short line ``Photo: ...``, ``Photo by ...``, ``Source: ...``,
  ``Credit: ...``, ``Фото: ...``, ``© ...``; the names are split at ``/ , ; | &``
  and "via".
- noise: a line of at most two characters, or without a letter or digit
  (``a``, ``***``), or a "Read also:" / "Advertisement" line.

``language`` is "en" unless the letters are mostly Cyrillic: then "uk" where
Ukrainian letters (і ї є ґ) outnumber Russian ones (ы э ъ ё), else "ru".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claimgraph.errors import InputError
from claimgraph.ingest.clean import clean_name, clean_text
from claimgraph.ingest.dates import normalize_published_flag, parse_date
from claimgraph.model import Article

_HEAD_LINES = 8  # how many content lines the head (tag, title, date, byline) may take
_TITLE_MAX_CHARS = 200
_TITLE_MAX_WORDS = 30
_LEDE_MAX_CHARS = 350
_CREDIT_MAX_CHARS = 160
_CREDIT_MAX_WORDS = 12
_LANGUAGE_SAMPLE = 20_000  # characters enough to tell the script

_CONTENT = re.compile(r"[\s\ufeff\u200b]*(.*?)[\s\ufeff\u200b]*", re.DOTALL)
_TAG = re.compile(r"#[^\W\d_][\w-]*(?:\s+#[^\W\d_][\w-]*)*")
_CREDIT = re.compile(
    r"(?:(?:cover|main|top|lead|illustrative)\s+)?"
    r"(?:photos?|photograph|photography|image|images|picture|pictures|illustration|"
    r"sources?|credits?|copyright|фото|источник|джерело|ілюстрація|иллюстрация)"
    r"(?:\s+(?:credits?|sources?))?"
    r"(?:\s*[:：]\s*|\s+[—–-]\s+|\s+by\s+)(?P<value>.+)"
    r"|(?:©|\(c\))\s*(?:\d{4}\s+)?(?P<value2>.+)",
    re.IGNORECASE,
)
_NOT_CREDITS = {"illustrative", "illustration", "archive", "file", "иллюстративное", "архив", "ілюстративне"}
_CREDIT_SPLIT = re.compile(r"\s*(?:/|\||;|,|\s&\s|\svia\s)\s*", re.IGNORECASE)
_BYLINE = re.compile(r"(?:by|author|автор)\s*:?\s+(?P<names>[^\W\d_][^\d]{1,80})", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\s&\s|\band\b|\bи\b|\bі\b)\s*")
_NAME_PARTICLES = {"de", "da", "del", "der", "van", "von", "al", "bin", "ibn", "la", "le", "du"}
_NOISE = re.compile(
    r"(?:read\s+(?:also|more)|also\s+read|see\s+also|related|читайте\s+(?:также|також))\s*:.*"
    r"|advertisement|реклама",
    re.IGNORECASE,
)
_UKRAINIAN = set("іїєґІЇЄҐ")
_RUSSIAN = set("ыэъёЫЭЪЁ")


@dataclass(frozen=True)
class Line:
    """One line of a text: where its content starts and ends, and the content."""

    start: int
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    """Every line of ``text`` with the span of its content (without edge whitespace)."""
    out: list[Line] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        m = _CONTENT.fullmatch(raw)
        assert m is not None  # the pattern matches any string
        out.append(Line(pos + m.start(1), pos + m.end(1), m.group(1)))
        pos += len(raw)
    return out


def split_credits(value: str) -> list[str]:
    """The names in a credit: "KCNA / Reuters" -> ["KCNA", "Reuters"]."""
    names = []
    for part in _CREDIT_SPLIT.split(value.strip().rstrip(".")):
        part = part.strip(" .")
        if part and part.lower() not in _NOT_CREDITS:
            names.append(part)
    return names


def _credit(line: str) -> list[str] | None:
    """The credited names, when the line is a credit line."""
    if len(line) > _CREDIT_MAX_CHARS:
        return None
    m = _CREDIT.fullmatch(line)
    if m is None:
        return None
    value = m["value"] or m["value2"] or ""
    if len(value.split()) > _CREDIT_MAX_WORDS or re.search(r"[.!?]\s+\S", value):
        return None  # a sentence that starts with "Source:", not a credit
    return split_credits(value)


def _byline(line: str) -> list[str] | None:
    """The names in a byline ("By Jane Doe and John Roe"), when the line is one."""
    m = _BYLINE.fullmatch(line)
    if m is None:
        return None
    names = [n for n in _NAME_SPLIT.split(m["names"].strip().rstrip(".")) if n]
    for name in names:
        words = name.split()
        if len(words) > 4 or not all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words):
            return None  # "By Sunday, officials said ..." is a sentence, not a byline
    return names or None


def is_noise(line: str) -> bool:
    """A line with no sentence in it: a stray character, a rule, an ad marker."""
    return len(line) <= 2 or not any(c.isalnum() for c in line) or _NOISE.fullmatch(line) is not None


@dataclass
class LineScan:
    """What a scan of every line found: metadata lines to skip and the credits named."""

    skip: dict[int, tuple[int, int]] = field(default_factory=dict)  # line index -> span
    credits: list[str] = field(default_factory=list)


def scan_lines(lines: list[Line]) -> LineScan:
    """Find the credit and noise lines anywhere in a text."""
    scan = LineScan()
    for i, line in enumerate(lines):
        if not line.text:
            continue
        names = _credit(line.text)
        if names is not None:
            scan.skip[i] = (line.start, line.end)
            scan.credits.extend(n for n in names if n not in scan.credits)
        elif is_noise(line.text):
            scan.skip[i] = (line.start, line.end)
    return scan


def guess_language(text: str) -> str:
    """ "en", or "ru" / "uk" for text written mostly in Cyrillic letters."""
    letters = cyrillic = 0
    for c in text[:_LANGUAGE_SAMPLE]:
        if c.isalpha():
            letters += 1
            if "\u0400" <= c <= "\u04ff":
                cyrillic += 1
    if letters == 0 or cyrillic * 2 <= letters:
        return "en"
    uk = sum(text.count(c, 0, _LANGUAGE_SAMPLE) for c in _UKRAINIAN)
    ru = sum(text.count(c, 0, _LANGUAGE_SAMPLE) for c in _RUSSIAN)
    return "uk" if uk > ru else "ru"


@dataclass
class _Head:
    tag: str | None = None
    title: int | None = None
    date: int | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    body: int | None = None  # index of the first line after the head


class _Reader:
    """One reading of one text; the state is the lines and what is skipped."""

    def __init__(self, text: str) -> None:
        self.lines = split_lines(text)
        self.scan = scan_lines(self.lines)
        self.content = [i for i, line in enumerate(self.lines) if line.text and i not in self.scan.skip]

    def _next_content(self, i: int) -> int | None:
        for j in self.content:
            if j > i:
                return j
        return None

    def _ends_paragraph(self, i: int) -> bool:
        return i + 1 >= len(self.lines) or not self.lines[i + 1].text

    def _is_title(self, i: int, head: _Head) -> bool:
        s = self.lines[i].text
        if len(s) > _TITLE_MAX_CHARS or len(s.split()) > _TITLE_MAX_WORDS:
            return False
        if not any(c.isalpha() for c in s) or s[-1] in ",;:":
            return False
        following = self._next_content(i)
        if following is None:
            return False  # a line alone is the text, not its title
        date_follows = parse_date(self.lines[following].text) is not None
        if not (self._ends_paragraph(i) or date_follows):
            return False
        vouched = head.tag is not None or head.date is not None or date_follows
        return not (s.endswith(".") and not s.endswith("...") and not vouched)

    def head(self) -> _Head:
        head = _Head()
        for n, i in enumerate(self.content):
            if n >= _HEAD_LINES:
                break
            s = self.lines[i].text
            if n == 0 and _TAG.fullmatch(s):
                head.tag = s
                continue
            if head.date is None:
                parsed = parse_date(s)
                if parsed is not None:
                    head.date = i
                    head.published = parsed.iso
                    if parsed.iso is None:
                        head.warnings.append(f"date line {s!r} {parsed.problem}")
                    continue
            if not head.authors:
                names = _byline(s)
                if names and (head.title is not None or head.date is not None):
                    head.authors = names
                    self.scan.skip[i] = (self.lines[i].start, self.lines[i].end)
                    continue
            # the title comes first, or right after a leading tag or date line
            if head.title is None and (head.date is None or n <= 2) and self._is_title(i, head):
                head.title = i
                continue
            head.body = i
            break
        return head

    def lede(self, head: _Head) -> tuple[int, int] | None:
        if head.date is None or head.body is None:
            return None
        line = self.lines[head.body]
        if (
            len(line.text) <= _LEDE_MAX_CHARS
            and not line.text.endswith(":")
            and self._ends_paragraph(head.body)
            and self._next_content(head.body) is not None
        ):
            return (line.start, line.end)
        return None


def read_text(
    text: str,
    source: str | None = None,
    *,
    outlet: str | None = None,
    published: str | None = None,
) -> Article:
    """Read an article from its decoded text, which is kept unchanged but for NULs (removed)
    and lone surrogates (replaced), each named in ``warnings``.

    text (str): the article as text.
    source (str | None): where it came from (a path), recorded in the Article.
    outlet (str | None): the publisher, which a plain text never names itself.
    published (str | None): the date to use where the text has no readable date
        line; the date line, when there is one, wins.
    RETURNS (Article): the article, with spans into ``text``.
    RAISES (InputError): the text is empty or only whitespace.
    """
    source = clean_name(source)
    text, cleaned = clean_text(text)
    if not text.replace("\ufeff", "").replace("\u200b", "").strip():
        raise InputError(source or "<text>", "empty text")
    flag_date = normalize_published_flag(published)
    reader = _Reader(text)
    head = reader.head()
    lines = reader.lines
    skip = dict(reader.scan.skip)
    if head.tag is not None:
        i = reader.content[0]
        skip[i] = (lines[i].start, lines[i].end)
    if head.date is not None:
        skip[head.date] = (lines[head.date].start, lines[head.date].end)
    title_line = lines[head.title] if head.title is not None else None
    return Article(
        text=text,
        source=source,
        outlet=outlet,
        title=title_line.text if title_line else None,
        published=head.published or flag_date,
        language=guess_language(text),
        credits=tuple(reader.scan.credits),
        authors=tuple(head.authors),
        tag=head.tag,
        title_span=(title_line.start, title_line.end) if title_line else None,
        lede_span=reader.lede(head),
        skip_spans=tuple(sorted(skip.values())),
        warnings=cleaned + tuple(head.warnings),
    )
