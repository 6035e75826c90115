"""Linking in the store: claim vectors, links, cluster memberships, contradictions, quantity keys.

The store computes nothing: ``cluster_members`` keeps, for every linked claim, the
cluster the linker (``link.linker``) put it in, named by its smallest member's uid. A
claim with no membership row has not been linked yet (an ingest stopped between
saving and linking): ``unlinked`` finds them so that a rerun completes the work.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sqlalchemy import Connection, delete, func, or_, select, update

from claimgraph.store.schema import CLAIMS, CONTRADICTIONS, LINKS, MEMBERS, QUANTITY_KEYS, VECTORS

DIM = 384


def to_blob(vec: np.ndarray) -> bytes:
    return np.asarray(vec, dtype=np.float16).tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float16).astype(np.float32)


def insert_vectors(conn: Connection, claim_pks: Sequence[int], vectors: np.ndarray) -> None:
    if len(claim_pks):
        conn.execute(
            VECTORS.insert(),
            [{"claim_id": pk, "vector": to_blob(v)} for pk, v in zip(claim_pks, vectors, strict=True)],
        )


def insert_quantity_keys(conn: Connection, rows: Iterable[tuple[int, str]]) -> None:
    data = [{"claim_id": pk, "key": key} for pk, key in rows]
    if data:
        conn.execute(QUANTITY_KEYS.insert(), data)


def linked_vectors(conn: Connection, after: int = -1, batch: int = 50_000) -> tuple[list[int], np.ndarray]:
    """(store keys, vectors) of every linked claim (one with a cluster) with a key above
    ``after``, in key order: what a candidate index lacks when claims were linked since it was
    built. A range of primary keys: its cost is what it returns, not the size of the store."""
    pks: list[int] = []
    chunks: list[np.ndarray] = []
    last = after
    while True:
        rows = conn.execute(
            select(VECTORS.c.claim_id, VECTORS.c.vector)
            .join(MEMBERS, MEMBERS.c.claim_id == VECTORS.c.claim_id)
            .where(VECTORS.c.claim_id > last)
            .order_by(VECTORS.c.claim_id)
            .limit(batch)
        ).all()
        if not rows:
            break
        pks.extend(r.claim_id for r in rows)
        chunks.append(
            np.frombuffer(b"".join(r.vector for r in rows), dtype=np.float16).reshape(len(rows), DIM)
        )
        last = rows[-1].claim_id
    matrix = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros((0, DIM), np.float32)
    return pks, matrix


def count_linked(conn: Connection, upto: int) -> int:
    """How many claims with a key up to ``upto`` are linked (have a cluster)."""
    return int(conn.execute(select(func.count()).where(MEMBERS.c.claim_id <= upto)).scalar_one())


def pks_of(conn: Connection, uids: Iterable[str]) -> dict[str, int]:
    wanted = list(dict.fromkeys(uids))
    out: dict[str, int] = {}
    for i in range(0, len(wanted), 900):
        part = wanted[i : i + 900]
        for pk, uid in conn.execute(select(CLAIMS.c.id, CLAIMS.c.uid).where(CLAIMS.c.uid.in_(part))):
            out[uid] = pk
    return out


def vectors_of(conn: Connection, pks: Sequence[int]) -> dict[int, np.ndarray]:
    out: dict[int, np.ndarray] = {}
    for i in range(0, len(pks), 900):
        part = list(pks[i : i + 900])
        for pk, blob in conn.execute(
            select(VECTORS.c.claim_id, VECTORS.c.vector).where(VECTORS.c.claim_id.in_(part))
        ):
            out[pk] = from_blob(blob)
    return out


def unlinked(conn: Connection) -> list[int]:
    """Claims with a vector but no cluster membership: saved, not yet linked."""
    rows = conn.execute(
        select(VECTORS.c.claim_id)
        .outerjoin(MEMBERS, MEMBERS.c.claim_id == VECTORS.c.claim_id)
        .where(MEMBERS.c.claim_id.is_(None))
        .order_by(VECTORS.c.claim_id)
    )
    return [r[0] for r in rows]


def quantity_matches(conn: Connection, keys: Iterable[str]) -> list[int]:
    keys = list(set(keys))
    if not keys:
        return []
    rows = conn.execute(select(QUANTITY_KEYS.c.claim_id).where(QUANTITY_KEYS.c.key.in_(keys)).distinct())
    return [r[0] for r in rows]


def component(conn: Connection, pks: set[int]) -> set[int]:
    """Every claim connected to these through links (their whole components)."""
    seen = set(pks)
    frontier = set(pks)
    while frontier:
        part = list(frontier)
        frontier = set()
        for i in range(0, len(part), 400):
            chunk = part[i : i + 400]
            for a, b in conn.execute(
                select(LINKS.c.a_id, LINKS.c.b_id).where(
                    or_(LINKS.c.a_id.in_(chunk), LINKS.c.b_id.in_(chunk))
                )
            ):
                for x in (a, b):
                    if x not in seen:
                        seen.add(x)
                        frontier.add(x)
    return seen


def links_among(conn: Connection, pks: set[int]) -> list[tuple[int, int, float, str | None]]:
    """The stored links whose two ends are both among these claims."""
    part = sorted(pks)
    out = []
    for i in range(0, len(part), 400):
        chunk = part[i : i + 400]
        for a, b, s, r in conn.execute(
            select(LINKS.c.a_id, LINKS.c.b_id, LINKS.c.score, LINKS.c.reasons).where(LINKS.c.a_id.in_(chunk))
        ):
            if b in pks:
                out.append((a, b, s, r))
    return out


def set_memberships(conn: Connection, memberships: dict[int, str]) -> None:
    """Write the cluster of each of these claims (as the linker computed it)."""
    part = list(memberships)
    have: set[int] = set()
    for i in range(0, len(part), 900):
        have.update(
            r[0]
            for r in conn.execute(select(MEMBERS.c.claim_id).where(MEMBERS.c.claim_id.in_(part[i : i + 900])))
        )
    inserts = []
    for pk, name in memberships.items():
        if pk in have:
            conn.execute(update(MEMBERS).where(MEMBERS.c.claim_id == pk).values(cluster=name))
        else:
            inserts.append({"claim_id": pk, "cluster": name})
    if inserts:
        conn.execute(MEMBERS.insert(), inserts)


def insert_links(conn: Connection, links: Iterable[tuple[int, int, float, str | None]]) -> None:
    rows = {}
    for a, b, s, reasons in links:
        x, y = (a, b) if a < b else (b, a)
        rows[(x, y)] = {"a_id": x, "b_id": y, "score": s, "reasons": reasons}
    if not rows:
        return
    existing = set()
    keys = list(rows)
    for i in range(0, len(keys), 300):
        part = keys[i : i + 300]
        for a, b in conn.execute(
            select(LINKS.c.a_id, LINKS.c.b_id).where(
                LINKS.c.a_id.in_([k[0] for k in part]), LINKS.c.b_id.in_([k[1] for k in part])
            )
        ):
            existing.add((a, b))
    new = [r for k, r in rows.items() if k not in existing]
    if new:
        conn.execute(LINKS.insert(), new)


def insert_contradictions(conn: Connection, rows: Iterable[tuple[int, int, str, str]]) -> None:
    data = {}
    for a, b, kind, reason in rows:
        x, y = (a, b) if a < b else (b, a)
        data[(x, y, kind)] = {"a_id": x, "b_id": y, "kind": kind, "reason": reason}
    if not data:
        return
    have: set[tuple[int, int, str]] = set()
    for a, b, k in conn.execute(
        select(CONTRADICTIONS.c.a_id, CONTRADICTIONS.c.b_id, CONTRADICTIONS.c.kind).where(
            CONTRADICTIONS.c.a_id.in_([k[0] for k in data])
        )
    ):
        have.add((a, b, k))
    new = [r for k, r in data.items() if k not in have]
    if new:
        conn.execute(CONTRADICTIONS.insert(), new)


def clear_links(conn: Connection) -> None:
    for table in (LINKS, MEMBERS, CONTRADICTIONS):
        conn.execute(delete(table))


def cluster_rows(conn: Connection) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for pk, cluster in conn.execute(
        select(MEMBERS.c.claim_id, MEMBERS.c.cluster).order_by(MEMBERS.c.claim_id)
    ):
        out.setdefault(cluster, []).append(pk)
    return out


def cluster_of(conn: Connection, cluster: str) -> list[int]:
    return [r[0] for r in conn.execute(select(MEMBERS.c.claim_id).where(MEMBERS.c.cluster == cluster))]


def clusters_of(conn: Connection, pks: Sequence[int]) -> set[str]:
    out: set[str] = set()
    for i in range(0, len(pks), 900):
        out.update(
            r[0]
            for r in conn.execute(
                select(MEMBERS.c.cluster).where(MEMBERS.c.claim_id.in_(list(pks[i : i + 900])))
            )
        )
    return out


def cluster_sizes_of(conn: Connection, pks: Sequence[int]) -> dict[int, tuple[str, int]]:
    """Each claim's cluster and that cluster's size, for the claims that are in one."""
    named: dict[int, str] = {}
    for i in range(0, len(pks), 900):
        for pk, cluster in conn.execute(
            select(MEMBERS.c.claim_id, MEMBERS.c.cluster).where(
                MEMBERS.c.claim_id.in_(list(pks[i : i + 900]))
            )
        ):
            named[pk] = cluster
    sizes: dict[str, int] = {}
    names = sorted(set(named.values()))
    for i in range(0, len(names), 900):
        for cluster, n in conn.execute(
            select(MEMBERS.c.cluster, func.count())
            .where(MEMBERS.c.cluster.in_(names[i : i + 900]))
            .group_by(MEMBERS.c.cluster)
        ):
            sizes[cluster] = int(n)
    return {pk: (cluster, sizes.get(cluster, 1)) for pk, cluster in named.items()}


def contradiction_rows(conn: Connection, pks: Sequence[int] | None = None) -> list[dict[str, Any]]:
    stmt = select(CONTRADICTIONS)
    if pks is not None:
        stmt = stmt.where(or_(CONTRADICTIONS.c.a_id.in_(list(pks)), CONTRADICTIONS.c.b_id.in_(list(pks))))
    return [dict(r._mapping) for r in conn.execute(stmt.order_by(CONTRADICTIONS.c.id))]
