"""Canonical identities in the store: their rows, aliases, merges and mentions in claims.

A merge ("A is B") is a row in ``merges``, never a rewrite of other rows: every
lookup follows the merges that are not undone, so undoing one is setting its
``undone_at``, and a merge cannot be left half done.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from claimgraph.errors import StoreError
from claimgraph.link.gazetteer import Identity, normalize
from claimgraph.model import Article, Claim
from claimgraph.store.schema import ALIASES, IDENTITIES, MENTIONS, MERGES


@dataclass(frozen=True)
class IdentitySummary:
    """An identity as listed: its names and how often claims name it."""

    id: str
    kind: str
    name: str
    aliases: tuple[str, ...]
    side: str | None
    parent: str | None
    origin: int = 0
    relay: int = 0
    about: int = 0
    merged: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "aliases": list(self.aliases),
            "side": self.side,
            "parent": self.parent,
            "counts": {"origin": self.origin, "relay": self.relay, "about": self.about},
            "merged": list(self.merged),
        }


def insert_identities(conn: Connection, identities: Iterable[Identity], origin: str = "gazetteer") -> None:
    """Add identities and their aliases that the store lacks (existing rows stay as they are)."""
    wanted = {i.id: i for i in identities}
    if not wanted:
        return
    have = set(conn.execute(select(IDENTITIES.c.id).where(IDENTITIES.c.id.in_(wanted))).scalars())
    rows = [
        {
            "id": i.id,
            "kind": i.kind,
            "name": i.name,
            "side": i.side,
            "parent": i.parent,
            "origin": origin if not i.id.startswith("person/") or origin == "gazetteer" else "found",
            "created_at": datetime.now(UTC),
        }
        for i in wanted.values()
        if i.id not in have
    ]
    if rows:
        conn.execute(IDENTITIES.insert(), rows)
    alias_rows: dict[tuple[str, str], dict[str, str]] = {}
    for ident in wanted.values():
        for name in ident.names:
            key = normalize(name)
            if key:
                alias_rows.setdefault((key, ident.id), {"key": key, "identity_id": ident.id, "alias": name})
    if alias_rows:
        keys = {k for k, _ in alias_rows}
        present = set(
            conn.execute(
                select(ALIASES.c.key, ALIASES.c.identity_id).where(
                    ALIASES.c.key.in_(keys), ALIASES.c.identity_id.in_(wanted)
                )
            )
        )
        new = [row for k, row in alias_rows.items() if k not in present]
        if new:
            conn.execute(ALIASES.insert(), new)


def mention_rows(article: Article, claims: Sequence[Claim], claim_pks: Sequence[int]) -> list[dict[str, Any]]:
    """Who each claim names: its origin (innermost hop), relays (outer hops) and what it is about.

    A claim in the outlet's own voice has the outlet as its origin, when the outlet is known.
    """
    article_id = article.id
    rows: list[dict[str, Any]] = []
    for pk, claim in zip(claim_pks, claims, strict=True):
        if not claim.chain and article.outlet_entity:
            rows.append(
                {
                    "article_id": article_id,
                    "claim_id": pk,
                    "identity_id": article.outlet_entity,
                    "role": "origin",
                    "text": article.outlet or article.outlet_entity,
                    "detail": None,
                }
            )
        last = len(claim.chain) - 1
        for n, hop in enumerate(claim.chain):
            for src in hop.sources:
                ids = [x for x in (src.entity,) if x]
                for ident in ids:
                    detail = ", ".join(x for x in (src.rank, src.role) if x) or None
                    rows.append(
                        {
                            "article_id": article_id,
                            "claim_id": pk,
                            "identity_id": ident,
                            "role": "origin" if n == last else "relay",
                            "text": src.text,
                            "detail": detail,
                        }
                    )
        for ent in claim.entities:
            if ent.entity:
                rows.append(
                    {
                        "article_id": article_id,
                        "claim_id": pk,
                        "identity_id": ent.entity,
                        "role": "about",
                        "text": ent.text,
                        "detail": None,
                    }
                )
    return rows


def _redirects(conn: Connection) -> dict[str, str]:
    rows = conn.execute(select(MERGES.c.from_id, MERGES.c.into_id).where(MERGES.c.undone_at.is_(None))).all()
    return {a: b for a, b in rows}


def canonical(conn: Connection, identity_id: str) -> str:
    """Where an identity ends up after the merges in force."""
    redirects = _redirects(conn)
    seen = {identity_id}
    while identity_id in redirects:
        identity_id = redirects[identity_id]
        if identity_id in seen:
            break
        seen.add(identity_id)
    return identity_id


def members(conn: Connection, identity_id: str) -> set[str]:
    """An identity and every identity merged into it."""
    redirects = _redirects(conn)
    out = {identity_id}
    changed = True
    while changed:
        changed = False
        for a, b in redirects.items():
            if b in out and a not in out:
                out.add(a)
                changed = True
    return out


def find(conn: Connection, name: str) -> str | None:
    """The identity a name denotes: an id as given, or an alias (after merges); None if unknown."""
    if conn.execute(select(IDENTITIES.c.id).where(IDENTITIES.c.id == name)).first():
        return canonical(conn, name)
    key = normalize(name)
    if not key:
        return None
    ids = list(conn.execute(select(ALIASES.c.identity_id).where(ALIASES.c.key == key)).scalars())
    if not ids:
        return None
    found = {canonical(conn, i) for i in ids}
    if len(found) > 1:
        # the most mentioned wins where one alias names several identities ("Clinton")
        counts: dict[str, int] = {
            ident: n
            for ident, n in conn.execute(
                select(MENTIONS.c.identity_id, func.count())
                .where(MENTIONS.c.identity_id.in_(ids))
                .group_by(MENTIONS.c.identity_id)
            )
        }
        return max(sorted(found), key=lambda i: counts.get(i, 0))
    return found.pop()


def summaries(
    conn: Connection, kind: str | None = None, ids: Iterable[str] | None = None
) -> list[IdentitySummary]:
    stmt = select(IDENTITIES)
    if kind is not None:
        stmt = stmt.where(IDENTITIES.c.kind == kind)
    if ids is not None:
        stmt = stmt.where(IDENTITIES.c.id.in_(list(ids)))
    rows = conn.execute(stmt.order_by(IDENTITIES.c.id)).all()
    redirects = _redirects(conn)
    aliases: dict[str, list[str]] = {}
    for ident, alias in conn.execute(select(ALIASES.c.identity_id, ALIASES.c.alias)):
        aliases.setdefault(ident, []).append(alias)
    counts: dict[tuple[str, str], int] = {}
    for ident, role, n in conn.execute(
        select(MENTIONS.c.identity_id, MENTIONS.c.role, func.count()).group_by(
            MENTIONS.c.identity_id, MENTIONS.c.role
        )
    ):
        counts[(canonical_from(redirects, ident), role)] = (
            counts.get((canonical_from(redirects, ident), role), 0) + n
        )
    out = []
    for row in rows:
        if row.id in redirects:
            continue  # shown under the identity it was merged into
        group = [row.id] + [a for a in redirects if canonical_from(redirects, a) == row.id]
        names = sorted({a for i in group for a in aliases.get(i, [])} - {row.name})
        out.append(
            IdentitySummary(
                id=row.id,
                kind=row.kind,
                name=row.name,
                aliases=tuple(names),
                side=row.side,
                parent=row.parent,
                origin=counts.get((row.id, "origin"), 0),
                relay=counts.get((row.id, "relay"), 0),
                about=counts.get((row.id, "about"), 0),
                merged=tuple(sorted(group[1:])),
            )
        )
    return out


def canonical_from(redirects: dict[str, str], identity_id: str) -> str:
    seen = {identity_id}
    while identity_id in redirects and redirects[identity_id] not in seen:
        identity_id = redirects[identity_id]
        seen.add(identity_id)
    return identity_id


def merge(conn: Connection, a: str, b: str) -> int:
    """Record that identity ``a`` is ``b``; RETURNS the merge's id (to undo it)."""
    ida, idb = find(conn, a), find(conn, b)
    if ida is None:
        raise StoreError(f"no identity named {a!r}; 'claimgraph entities' lists them")
    if idb is None:
        raise StoreError(f"no identity named {b!r}; 'claimgraph entities' lists them")
    if ida == idb:
        raise StoreError(f"{a!r} and {b!r} are already one identity ({ida}); nothing to merge")
    result = conn.execute(MERGES.insert().values(from_id=ida, into_id=idb, at=datetime.now(UTC)))
    pk = result.inserted_primary_key
    assert pk is not None
    return int(pk[0])


def undo_merge(conn: Connection, merge_id: int) -> tuple[str, str]:
    row = conn.execute(select(MERGES).where(MERGES.c.id == merge_id)).first()
    if row is None:
        raise StoreError(f"no merge with id {merge_id}; 'claimgraph entity merges' lists them")
    if row.undone_at is not None:
        raise StoreError(f"merge {merge_id} ({row.from_id} into {row.into_id}) was undone already")
    conn.execute(update(MERGES).where(MERGES.c.id == merge_id).values(undone_at=datetime.now(UTC)))
    return row.from_id, row.into_id


def merge_log(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(select(MERGES).order_by(MERGES.c.id)).all()
    return [
        {
            "id": r.id,
            "from": r.from_id,
            "into": r.into_id,
            "at": r.at.isoformat() if r.at else None,
            "undone_at": r.undone_at.isoformat() if r.undone_at else None,
        }
        for r in rows
    ]
