#!/usr/bin/env python
"""Build claimgraph's shipped gazetteer (claimgraph/link/data/gazetteer.tsv).

Merges two inputs:

  countries  one row per country and territory in ISO 3166-1, generated from
             pycountry: id ``gpe/<slug of the name>``, kind country, the ISO short,
             common and official names as aliases, side = the country itself,
             iso = alpha-2|alpha-3
  curated    claimgraph/link/data/curated.tsv, written by hand: its country rows
             (matched by ISO alpha-2 code) give the display name, the id and the
             demonyms and short names; all its other rows are copied as they are,
             comments included

and checks the result by loading it with ``claimgraph.link.gazetteer``.

pycountry is a build-time tool only (claimgraph reads the TSV at run time); the
output depends on its version, so the script insists on this one:

    pip install pycountry==26.2.16

Usage::

    python scripts/build_gazetteer.py            # write gazetteer.tsv
    python scripts/build_gazetteer.py --check    # exit 1 if gazetteer.tsv is stale
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from dataclasses import replace
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from claimgraph.link.gazetteer import COLUMNS, Gazetteer, Identity, normalize, read_rows  # noqa: E402

PYCOUNTRY_VERSION = "26.2.16"
DATA = ROOT / "claimgraph" / "link" / "data"
CURATED = DATA / "curated.tsv"
OUTPUT = DATA / "gazetteer.tsv"

# pycountry names that would mislead as aliases: "Congo" alone is said of both
# Congos (and more often of the Democratic Republic), so it names neither.
DROPPED_ALIASES: dict[str, frozenset[str]] = {"CG": frozenset({"Congo"})}


def slug(name: str) -> str:
    """A lowercase ASCII slug: 'Côte d'Ivoire' → 'cote-divoire'."""
    text = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    text = text.lower().replace("'", "").replace(".", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def format_row(identity: Identity) -> str:
    fields = (
        identity.id,
        identity.kind,
        identity.name,
        "|".join(identity.aliases),
        identity.side or "",
        identity.parent or "",
        "|".join(identity.domains),
        "|".join(identity.iso),
    )
    for field in fields:
        if "\t" in field or "\n" in field:
            raise ValueError(f"{identity.id}: a field holds a tab or a line break: {field!r}")
    return "\t".join(fields)


def _aliases(name: str, *groups: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    # Keep the first spelling of each lookup key, and none that equals the name's.
    seen = {normalize(name)}
    out: list[str] = []
    for group in groups:
        for alias in group:
            key = normalize(alias)
            if key and key not in seen:
                seen.add(key)
                out.append(alias)
    return tuple(out)


def country_rows(curated: list[Identity]) -> list[Identity]:
    """Every ISO 3166-1 country, with the curated country rows merged in by alpha-2 code."""
    import pycountry  # build-time only

    version = metadata.version("pycountry")
    if version != PYCOUNTRY_VERSION:
        raise SystemExit(f"pycountry {PYCOUNTRY_VERSION} is needed (found {version}): pin it")
    by_code: dict[str, Identity] = {}
    for identity in curated:
        if not identity.iso:
            raise SystemExit(f"curated country {identity.id} has no ISO code")
        code = identity.iso[0]
        if code in by_code:
            raise SystemExit(f"ISO code {code} is on two curated rows: {by_code[code].id}, {identity.id}")
        by_code[code] = identity
    rows: list[Identity] = []
    for country in pycountry.countries:
        code = country.alpha_2
        dropped = DROPPED_ALIASES.get(code, frozenset())
        given = (country.name, getattr(country, "common_name", None), getattr(country, "official_name", None))
        names = [n for n in given if n and n not in dropped]
        hand = by_code.pop(code, None)
        if hand is not None:
            id_, name, extra = hand.id, hand.name, hand.aliases
        else:
            name = getattr(country, "common_name", None) or country.name
            if "," in name or "(" in name:
                raise SystemExit(f"{code}: {name!r} needs a display name: add its row to {CURATED.name}")
            id_, extra = "gpe/" + slug(name), ()
        rows.append(
            Identity(
                id=id_,
                kind="country",
                name=name,
                aliases=_aliases(name, list(extra), names),
                side=id_,
                iso=(code, country.alpha_3),
            )
        )
    # Countries that ISO 3166-1 does not list (Kosovo: XK, a user-assigned code).
    for identity in by_code.values():
        rows.append(replace(identity, side=identity.id))
    return sorted(rows, key=lambda identity: identity.id)


def build() -> str:
    """The text of gazetteer.tsv."""
    curated_rows = read_rows(CURATED)
    countries = country_rows([row.identity for row in curated_rows if row.identity.kind == "country"])
    country_lines = {row.line for row in curated_rows if row.identity.kind == "country"}
    lines = CURATED.read_text(encoding="utf-8").splitlines()
    header_at = next(n for n, line in enumerate(lines, start=1) if line.split("\t")[0] == "id")
    body = [
        line
        for n, line in enumerate(lines, start=1)
        if n > header_at and n not in country_lines and not line.startswith("# == Countries")
    ]
    out = [
        "# claimgraph gazetteer: canonical identities of countries, institutions, outlets,",
        "# people and places. GENERATED by scripts/build_gazetteer.py from curated.tsv and",
        f"# pycountry {PYCOUNTRY_VERSION}: do not edit; edit curated.tsv and rebuild. Sources: SOURCES.md.",
        "\t".join(COLUMNS),
        "",
        "# == Countries and territories (ISO 3166-1, with the curated names) ==",
        *(format_row(identity) for identity in countries),
        *body,
    ]
    return "\n".join(out).rstrip("\n") + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether gazetteer.tsv is up to date")
    args = parser.parse_args()
    text = build()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is stale: run python scripts/build_gazetteer.py", file=sys.stderr)
            return 1
        print(f"{OUTPUT} is up to date")
        return 0
    tmp = OUTPUT.with_suffix(".tsv.tmp")
    tmp.write_text(text, encoding="utf-8")
    try:
        gazetteer = Gazetteer.load([tmp], shipped=False)
    except Exception:
        tmp.unlink()
        raise
    tmp.replace(OUTPUT)
    kinds: dict[str, int] = {}
    for identity in gazetteer:
        kinds[identity.kind] = kinds.get(identity.kind, 0) + 1
    summary = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(gazetteer)} identities ({summary})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
