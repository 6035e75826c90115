"""Canonical identities of entities: the shipped gazetteer and its loader.

The gazetteer is a tab-separated file (``data/gazetteer.tsv``, built by
``scripts/build_gazetteer.py``; see ``data/SOURCES.md``) with one identity per
line::

    id  kind  name  aliases  side  parent  domains  [iso]

- ``id``: a type prefix and a lowercase slug, e.g. ``gpe/north-korea``,
  ``org/special-operations-forces-ukraine``, ``media/the-new-york-times``.
- ``kind``: one of :data:`KINDS`; it must fit the prefix (:data:`PREFIX_KINDS`).
- ``aliases`` and ``domains`` (and ``iso``) are ``|``-separated lists.
- ``side``: the country id the entity speaks for; ``parent``: the id of the
  institution it belongs to. Both may refer to ids defined in any loaded file.

Lines starting with ``#`` and blank lines are ignored; the first other line is
the header. User files have the same format (``iso`` may be left out of the
header) and are loaded after the shipped one: a row whose id is already known
replaces that identity whole; other rows add identities.

Lookups normalise both sides the same way (:func:`normalize`): case, accents,
quotes, possessive 's, dots (``U.S.`` = ``US``), hyphens and a leading "the".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from claimgraph.errors import InputError

__all__ = [
    "COLUMNS",
    "KINDS",
    "PREFIX_KINDS",
    "SHIPPED",
    "SPEAKER_KINDS",
    "Gazetteer",
    "Identity",
    "Row",
    "default_gazetteer",
    "normalize",
    "normalize_domain",
    "read_rows",
]

SHIPPED = Path(__file__).resolve().parent / "data" / "gazetteer.tsv"

COLUMNS: tuple[str, ...] = ("id", "kind", "name", "aliases", "side", "parent", "domains", "iso")
_MIN_COLUMNS = 7  # a user file may leave out the trailing ``iso`` column

KINDS = frozenset(
    {
        "country",
        "government",
        "military",
        "intelligence",
        "media",
        "international",
        "ngo",
        "party",
        "person",
        "place",
        "group",
    }
)
# What can speak: everything but a place. A source such as "Kyiv said" is the
# government, not the city; ``lookup("Kyiv", kinds=SPEAKER_KINDS)`` says so.
SPEAKER_KINDS = KINDS - {"place"}

PREFIX_KINDS: dict[str, frozenset[str]] = {
    "gpe": frozenset({"country"}),
    "gov": frozenset({"government"}),
    "org": frozenset({"military", "intelligence", "ngo", "party", "group"}),
    "media": frozenset({"media"}),
    "intl": frozenset({"international"}),
    "person": frozenset({"person"}),
    "loc": frozenset({"place"}),
}

_ID = re.compile(r"^(?P<prefix>[a-z]+)/[a-z0-9]+(?:-[a-z0-9]+)*$")
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$")
_ISO = re.compile(r"^[A-Z]{2,3}$")


@dataclass(frozen=True)
class Identity:
    """One canonical entity: a country, institution, outlet, person or place."""

    id: str
    kind: str
    name: str
    aliases: tuple[str, ...] = ()
    side: str | None = None
    parent: str | None = None
    domains: tuple[str, ...] = ()
    iso: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The display name followed by the aliases."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Row:
    """An identity as read from a file, with where it was read."""

    identity: Identity
    path: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


# --------------------------------------------------------------------------- normalisation

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "&": " and ",
    }
)
# British and American spellings of the same institution name are one name.
_SPELLINGS = {
    "defense": "defence",
    "organization": "organisation",
    "organizations": "organisations",
    "center": "centre",
}
_POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=s)'(?!\w)")
_NON_WORD = re.compile(r"[\W_]+")


def normalize(name: str) -> str:
    """The lookup key of a name: the same for every way of writing it.

    Case-folded, accents and quotes dropped, possessive 's removed, dots removed
    (``U.S.`` → ``us``), apostrophes removed inside words (``People's`` →
    ``people``), other punctuation and hyphens made spaces, ``&`` read as "and",
    "defense" as "defence", and one leading "the" dropped.

    name (str): a name as written.
    RETURNS (str): the key; empty when nothing but punctuation or "the" was given.
    """
    s = unicodedata.normalize("NFKC", name).translate(_QUOTES).casefold()
    s = _POSSESSIVE.sub("", s)
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = s.replace(".", "").replace("'", "")
    words = _NON_WORD.sub(" ", s).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(_SPELLINGS.get(w, w) for w in words)


def normalize_domain(domain_or_url: str) -> str:
    """The host of a domain or URL, lowercased, without port, trailing dot or ``www.``."""
    text = domain_or_url.strip()
    if "/" in text or ":" in text:
        host = urlsplit(text if "//" in text else "//" + text).hostname or ""
    else:
        host = text
    host = host.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host


# Words that may stand before a name ("Colonel Oleksandr Kindratenko", "former US
# President Barack Obama", "Defence Minister Andrei Belousov"): when a name is not
# found as written, lookup drops these (and country names and demonyms) from its start.
_TITLE_WORDS = frozenset(
    """
    mr mrs ms miss mx dr prof sir dame lord lady president presidential vice prime minister
    premier chancellor secretary general gen lt lieutenant col colonel maj major capt captain
    cmdr commander adm admiral rear brig brigadier sgt sergeant marshal field army senator sen
    rep representative congressman congresswoman gov governor mayor speaker leader supreme
    ayatollah sheikh king queen prince princess pope former ex then late acting deputy chief head
    top senior retired foreign defence interior state spokesperson spokesman spokeswoman envoy
    ambassador special nominee candidate presumptive democratic republican first of the staff
    reporter correspondent editor columnist analyst official manager adviser advisor aide press
    chairman chairwoman chair joint chiefs director attorney justice judge
    """.split()
)


# --------------------------------------------------------------------------- reading files


def _split(field: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for part in field.split("|"):
        part = part.strip()
        if part:
            seen.setdefault(part, None)
    return tuple(seen)


def _check_id(value: str, what: str, where: str) -> None:
    m = _ID.match(value)
    if m is None or m["prefix"] not in PREFIX_KINDS:
        prefixes = ", ".join(f"{p}/" for p in PREFIX_KINDS)
        raise InputError(
            where,
            f"malformed {what} {value!r}: expected a type prefix ({prefixes}) and a lowercase "
            "slug of letters, digits and single hyphens, such as gpe/north-korea",
        )


def _parse_row(fields: list[str], where: str) -> Identity:
    id_, kind, name, aliases, side, parent, domains = (f.strip() for f in fields[:7])
    iso = fields[7].strip() if len(fields) > 7 else ""
    _check_id(id_, "id", where)
    if kind not in KINDS:
        raise InputError(where, f"unknown kind {kind!r}; expected one of {', '.join(sorted(KINDS))}")
    prefix = id_.split("/", 1)[0]
    if kind not in PREFIX_KINDS[prefix]:
        fits = ", ".join(sorted(PREFIX_KINDS[prefix]))
        raise InputError(where, f"kind {kind!r} does not fit the id prefix '{prefix}/' (it takes {fits})")
    if not name:
        raise InputError(where, "empty name")
    alias_list = _split(aliases)
    for alias in (name, *alias_list):
        if not normalize(alias):
            raise InputError(where, f"name or alias {alias!r} has no letters or digits")
    if side:
        _check_id(side, "side", where)
    if parent:
        _check_id(parent, "parent", where)
    domain_list = tuple(normalize_domain(d) for d in _split(domains))
    for domain in domain_list:
        if not _DOMAIN.match(domain):
            raise InputError(where, f"malformed domain {domain!r}: expected a host name such as nytimes.com")
    iso_list = _split(iso)
    for code in iso_list:
        if not _ISO.match(code):
            raise InputError(where, f"malformed ISO code {code!r}: expected 2 or 3 capital letters")
    return Identity(id_, kind, name, alias_list, side or None, parent or None, domain_list, iso_list)


def read_rows(path: Path | str) -> list[Row]:
    """Read one gazetteer file, checking each row on its own (not its references).

    path (Path | str): a tab-separated gazetteer file.
    RETURNS (list[Row]): its identities in file order, with their line numbers.
    RAISES InputError: the file cannot be read, or a line is malformed, or an id
        or a domain appears twice; the error names the file and line.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(str(path), f"cannot read the gazetteer file: {e}") from e
    rows: list[Row] = []
    header: list[str] | None = None
    first_id: dict[str, int] = {}
    first_domain: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        where = f"{path}:{number}"
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        fields = raw.split("\t")
        if header is None:
            names = [f.strip() for f in fields]
            if tuple(names) not in (COLUMNS, COLUMNS[:_MIN_COLUMNS]):
                raise InputError(
                    where,
                    "expected the header line " + "\\t".join(COLUMNS) + " (the last column optional), "
                    f"found {raw!r}",
                )
            header = names
            continue
        if len(fields) != len(header):
            expected = f"{len(header)} tab-separated columns ({', '.join(header)})"
            raise InputError(where, f"expected {expected}, found {len(fields)}")
        identity = _parse_row(fields, where)
        if identity.id in first_id:
            raise InputError(where, f"duplicate id {identity.id!r} (first on line {first_id[identity.id]})")
        first_id[identity.id] = number
        for domain in identity.domains:
            if domain in first_domain:
                raise InputError(where, f"duplicate domain {domain!r} (first on line {first_domain[domain]})")
            first_domain[domain] = number
        rows.append(Row(identity, str(path), number))
    if header is None:
        raise InputError(str(path), "no header line: the file is empty or has only comments")
    return rows


# --------------------------------------------------------------------------- the gazetteer


class Gazetteer:
    """Canonical identities, looked up by id, by name or alias, and by web domain.

    Build one with :meth:`load`; :func:`default_gazetteer` keeps the shipped one.
    """

    def __init__(self, identities: Iterable[Identity] = ()) -> None:
        """Index identities given in code; references are checked as for files.

        identities (Iterable[Identity]): later ones replace earlier ones of the same id.
        """
        self._build([Row(i, "<identities>", n) for n, i in enumerate(identities, start=1)], layers=None)

    @classmethod
    def load(cls, paths: Sequence[Path | str] | None = None, *, shipped: bool = True) -> Gazetteer:
        """Load the shipped gazetteer, then each user file in order.

        paths (Sequence[Path | str] | None): user files that extend the shipped one
            or, row by row, replace its identities of the same id.
        shipped (bool): start from the shipped file (default) or from nothing.
        RETURNS (Gazetteer): the merged gazetteer.
        RAISES InputError: a file is malformed, or a side or parent refers to no
            known id, or parents form a loop; the error names the file and line.
        """
        files = ([SHIPPED] if shipped else []) + [Path(p) for p in paths or ()]
        rows: list[Row] = []
        layers: list[int] = []
        for layer, path in enumerate(files):
            file_rows = read_rows(path)
            rows.extend(file_rows)
            layers.extend([layer] * len(file_rows))
        gazetteer = cls.__new__(cls)
        gazetteer._build(rows, layers)
        return gazetteer

    def _build(self, rows: list[Row], layers: list[int] | None) -> None:
        by_id: dict[str, tuple[Row, int]] = {}
        for n, row in enumerate(rows):
            # A later row of a known id replaces it but keeps its place in the order.
            by_id[row.identity.id] = (row, layers[n] if layers is not None else 0)
        for row, _ in by_id.values():
            for what in ("side", "parent"):
                ref = getattr(row.identity, what)
                if ref is not None and ref not in by_id:
                    raise InputError(row.where, f"{what} {ref!r} refers to no known id")
        for row, _ in by_id.values():
            chain = [row.identity.id]
            parent = row.identity.parent
            while parent is not None:
                if parent in chain:
                    loop = " → ".join([*chain[chain.index(parent) :], parent])
                    raise InputError(row.where, f"parents form a loop: {loop}")
                chain.append(parent)
                parent = by_id[parent][0].identity.parent
        self._by_id: dict[str, Identity] = {i: row.identity for i, (row, _) in by_id.items()}
        ranked: dict[str, list[tuple[tuple[int, int, int, int], Identity]]] = {}
        claimed: list[tuple[int, int, str, Identity]] = []
        for order, (row, layer) in enumerate(by_id.values()):
            identity = row.identity
            name_key = normalize(identity.name)
            keys = dict.fromkeys(normalize(n) for n in identity.names)
            for key in keys:
                # Later files first, then a name before an alias, then a place before
                # what it may stand for ("Kiev": the city, then the government), then
                # file order.
                rank = (-layer, 0 if key == name_key else 1, 0 if identity.kind == "place" else 1, order)
                ranked.setdefault(key, []).append((rank, identity))
            claimed.extend((layer, order, domain, identity) for domain in identity.domains)
        self._by_key: dict[str, tuple[Identity, ...]] = {
            key: tuple(i for _, i in sorted(found, key=lambda pair: pair[0])) for key, found in ranked.items()
        }
        # A domain claimed twice goes to the file loaded last.
        claimed.sort(key=lambda c: c[:2])
        self._by_domain = {domain: identity for _, _, domain, identity in claimed}
        self._countries = frozenset(
            key for key, found in self._by_key.items() if any(i.kind == "country" for i in found)
        )

    # ----------------------------------------------------------------------- queries

    def get(self, id: str) -> Identity | None:
        """The identity of an id, or None."""
        return self._by_id.get(id)

    def __getitem__(self, id: str) -> Identity:
        return self._by_id[id]

    def __contains__(self, id: object) -> bool:
        return id in self._by_id

    def __iter__(self) -> Iterator[Identity]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def keys(self) -> Collection[str]:
        """Every normalised name and alias that :meth:`candidates` answers."""
        return self._by_key.keys()

    def candidates(self, name: str) -> tuple[Identity, ...]:
        """Every identity that has this name or alias, best first.

        Best first means: from the file loaded last, then the identity whose
        display name it is before those that have it as an alias, then a place
        before other kinds, then file order (so "Kyiv" and "Kiev" give the city
        before the government they stand for).

        name (str): a name as written.
        RETURNS (tuple[Identity, ...]): empty when none.
        """
        return self._by_key.get(normalize(name), ())

    def lookup(self, name: str, kinds: Collection[str] | None = None) -> Identity | None:
        """The identity a name stands for, or None.

        Tries the name as written (normalised). Failing that, drops titles, ranks,
        roles and country names from its start and tries what is left ("Colonel
        Oleksandr Kindratenko", "former U.S. President Barack Obama"); failing
        that, drops any known names from its start too, but then accepts only a
        person ("Kremlin spokesman Dmitry Peskov", "NATO chief Mark Rutte").

        name (str): a name as written, e.g. "the DPRK", "U.S.", "Kim Jong-un".
        kinds (Collection[str] | None): accept only identities of these kinds,
            e.g. SPEAKER_KINDS for the source of a claim.
        RETURNS (Identity | None): the best candidate, or None.
        """
        key = normalize(name)
        found = self._pick(self._by_key.get(key, ()), kinds)
        if found is not None or " " not in key:
            return found
        rest = self._strip_prefix(key, self._countries)
        if rest != key:
            found = self._pick(self._by_key.get(rest, ()), kinds)
        if found is None and (kinds is None or "person" in kinds):
            rest = self._strip_prefix(key, self._by_key)
            if rest != key:
                found = self._pick(self._by_key.get(rest, ()), ("person",))
        return found

    @staticmethod
    def _pick(found: tuple[Identity, ...], kinds: Collection[str] | None) -> Identity | None:
        for identity in found:
            if kinds is None or identity.kind in kinds:
                return identity
        return None

    @staticmethod
    def _strip_prefix(key: str, names: Collection[str]) -> str:
        # Drop title words and (longest first) phrases found in names, possessive or
        # not ("ukraines top general ..."), from the start; keep at least one word.
        words = key.split()
        i = 0
        while i < len(words) - 1:
            if words[i] in _TITLE_WORDS:
                i += 1
                continue
            for n in range(min(4, len(words) - 1 - i), 0, -1):
                phrase = " ".join(words[i : i + n])
                if phrase in names or (phrase.endswith("s") and phrase[:-1] in names):
                    i += n
                    break
            else:
                break
        return " ".join(words[i:])

    def by_domain(self, domain_or_url: str) -> Identity | None:
        """The identity whose web domain this is; a subdomain falls back to its parent.

        domain_or_url (str): ``nytimes.com``, ``www.nytimes.com`` or a URL such as
            ``https://edition.cnn.com/2025/01/31/...``.
        RETURNS (Identity | None): the outlet or organisation, or None.
        """
        host = normalize_domain(domain_or_url)
        labels = host.split(".")
        for start in range(len(labels) - 1):
            found = self._by_domain.get(".".join(labels[start:]))
            if found is not None:
                return found
        return None

    def ancestors(self, id: str) -> tuple[Identity, ...]:
        """The parent of an identity, its parent, and so on up (empty for an unknown id)."""
        out: list[Identity] = []
        current = self._by_id.get(id)
        while current is not None and current.parent is not None:
            current = self._by_id[current.parent]
            out.append(current)
        return tuple(out)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once per process."""
    return Gazetteer.load()
