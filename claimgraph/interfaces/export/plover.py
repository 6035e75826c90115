"""PLOVER: the selected claims that report an event, as PLOVER event records, and an
ACLED-style CSV beside them.

PLOVER (Political Language Ontology for Verifiable Event Records, Open Event Data
Alliance, https://github.com/openeventdata/PLOVER; the field names of its manual's "JSON
Data Fields", draft 0.7b1) has event categories, each with optional modes. A claim
becomes a record when its event type maps to a PLOVER category (``PLOVER`` below, the
same mapping as ``claimgraph/nlp/data/events.json``); statements, displacement and
"other" have none and are left out.

What is mapped, and from where — everything else is left null (never guessed):

- ``id``: the claim id; ``date``: the start of the first date or interval the claim
  names, else the article's publication date (``date_basis`` says which); ``enddate``:
  that interval's end, where it differs;
- ``event``: the PLOVER category; ``mode``: only where the event type fixes it
  (withdrawal → ``withdraw``; supply/transfer of arms → ``military``; deployment →
  ``troops`` when the content names troops, soldiers, forces or personnel); ``context``:
  ``negation`` for a negative claim (PLOVER's own context for events said not to have
  happened), else null;
- ``source`` / ``recipient`` (PLOVER's actors, not the news source): the agent /
  patient arguments of the claim's frame, ``actor_text`` as written and
  ``identifier_id`` the claimgraph identity; ``event_loc``: the first place argument
  (``name`` as written, ``identifier_id``); none where the frame has no such argument;
- ``size``: ``dead``, ``injured`` or ``casualties`` from the one number of a casualties
  claim whose verb or counted word says which (killed, died / wounded, injured /
  casualties, losses); none for a negative claim, or where it is not one clear number;
- ``quad_code``: the category's PLOVER quad; ``event_text``: the content;
  ``text_info``: its offsets; ``cite_info``: the article (url, title, publication,
  language) and the coder;
- claimgraph's own fields: ``claimgraph_event``, ``certainty``, ``polarity``,
  ``attributed_to`` (the claim's independent origins, ``{id, name}``), ``chain``,
  ``article_id``.

The ACLED-style CSV has a row per record that is not negative (ACLED records what
happened): ``ACLED_COLUMNS``. ``disorder_type``, ``event_type`` and ``sub_event_type``
are filled only as far as the event type decides them (``ACLED`` below) and are empty
where it does not (an "attack" may be a battle, a strike or violence against civilians);
``actor1`` / ``actor2`` are the frame's agents / patients, ``country`` a place argument
that is a country, ``location`` the first place argument, ``source`` the claim's
independent origins, ``notes`` the content, ``fatalities`` the ``dead`` count where the
record has one (empty, not 0, where it is unknown).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import IO, Any

from claimgraph import __version__
from claimgraph.link.origins import origins
from claimgraph.model import Article, Claim
from claimgraph.query import chain_text

#: claimgraph event type -> (PLOVER category, mode or None)
PLOVER: dict[str, tuple[str, str | None]] = {
    "casualties": ("FIGHT", None),
    "withdrawal": ("RETREAT", "withdraw"),
    "deployment": ("MOBILIZE", None),
    "attack": ("ASSAULT", None),
    "capture/advance": ("FIGHT", None),
    "supply/transfer of arms": ("AID", "military"),
    "negotiation": ("CONSULT", None),
    "sanction": ("SANCTION", None),
    "protest": ("PROTEST", None),
}
#: PLOVER's quad categories (1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
#: 4 material conflict), for the categories above
QUAD = {
    "CONSULT": 1,
    "AID": 2,
    "RETREAT": 2,
    "SANCTION": 3,
    "PROTEST": 4,
    "MOBILIZE": 4,
    "ASSAULT": 4,
    "FIGHT": 4,
}
#: claimgraph event type -> (ACLED disorder_type, event_type, sub_event_type), each "" where
#: the event type alone does not decide it
ACLED: dict[str, tuple[str, str, str]] = {
    "casualties": ("Political violence", "", ""),
    "attack": ("Political violence", "", ""),
    "capture/advance": ("Political violence", "Battles", ""),
    "withdrawal": ("Strategic developments", "Strategic developments", ""),
    "deployment": ("Strategic developments", "Strategic developments", ""),
    "supply/transfer of arms": ("Strategic developments", "Strategic developments", ""),
    "negotiation": ("Strategic developments", "Strategic developments", ""),
    "sanction": ("", "", ""),
    "protest": ("Demonstrations", "", ""),
}
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "location",
    "source",
    "notes",
    "fatalities",
    "certainty",
    "claim_id",
    "url",
)
TROOPS = re.compile(
    r"\b(troops?|soldiers?|forces|personnel|servicem[ae]n|units?|battalions?|brigades?)\b", re.I
)
DEAD_WORDS = {
    "kill",
    "die",
    "dead",
    "death",
    "deaths",
    "fatality",
    "fatalities",
    "execute",
    "massacre",
    "perish",
}
INJURED_WORDS = {"injure", "wound", "injured", "wounded", "injuries"}
CASUALTY_WORDS = {"casualty", "casualties", "loss", "losses"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(article: Article, claim: Claim) -> tuple[str | None, str | None, str | None]:
    """(date, enddate, basis): the claim's own date where it names one, else the publication date."""
    for t in claim.times:
        if t.kind in {"date", "interval"} and t.start and _DATE.fullmatch(t.start):
            end = t.end if t.end and _DATE.fullmatch(t.end) and t.end != t.start else None
            return t.start, end, "claim time"
    if article.published and _DATE.fullmatch(article.published):
        return article.published, None, "published"
    return None, None, None


def _arguments(claim: Claim, role: str) -> list[dict[str, str]]:
    if claim.frame is None:
        return []
    out: list[dict[str, str]] = []
    for a in claim.frame.arguments:
        if a.role == role:
            actor = {"actor_text": a.text}
            if a.entity:
                actor["identifier_id"] = a.entity
            out.append(actor)
    return out


def _words(claim: Claim) -> set[str]:
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", claim.content.text)}
    if claim.frame is not None and claim.frame.predicate:
        words.add(claim.frame.predicate.lower())
    return words


def _size(claim: Claim) -> dict[str, int | float] | None:
    """The one number of a casualties claim, as dead, injured or casualties, where that is clear."""
    if claim.event != "casualties" or claim.polarity == "negative":
        return None
    numbers = [q for q in claim.quantities if q.value is not None and q.change is None]
    if len(numbers) != 1:
        return None
    q = numbers[0]
    words = _words(claim) | ({q.counted.lower()} if q.counted else set())
    kinds = [
        name
        for name, signal in (("dead", DEAD_WORDS), ("injured", INJURED_WORDS), ("casualties", CASUALTY_WORDS))
        if words & signal
    ]
    if len(kinds) != 1:
        return None
    value = q.value
    assert value is not None
    return {kinds[0]: int(value) if float(value).is_integer() else value}


def _location(places: list[dict[str, str]]) -> dict[str, str] | None:
    if not places:
        return None
    loc = {"name": places[0]["actor_text"]}
    if "identifier_id" in places[0]:
        loc["identifier_id"] = places[0]["identifier_id"]
    return loc


def record(article: Article, claim: Claim) -> dict[str, Any] | None:
    """The claim as a PLOVER event record; None where its event type has no PLOVER category."""
    if claim.event not in PLOVER:
        return None
    category, mode = PLOVER[claim.event]
    if claim.event == "deployment" and TROOPS.search(claim.content.text):
        mode = "troops"
    date, enddate, basis = _date(article, claim)
    places = _arguments(claim, "place")
    cite: dict[str, Any] = {"coder": f"claimgraph {__version__}"}
    for name, value in (
        ("url", article.url),
        ("title", article.title),
        ("publication", article.outlet),
        ("language", article.language),
    ):
        if value:
            cite[name] = value
    return {
        "id": claim.id,
        "date": date,
        "enddate": enddate,
        "date_basis": basis,
        "source": _arguments(claim, "agent"),
        "recipient": _arguments(claim, "patient"),
        "event": [category],
        "mode": mode,
        "context": ["negation"] if claim.polarity == "negative" else None,
        "event_loc": _location(places),
        "size": _size(claim),
        "quad_code": QUAD[category],
        "event_text": [claim.content.text],
        "text_info": {"start": claim.content.start, "end": claim.content.end},
        "cite_info": cite,
        "claimgraph_event": claim.event,
        "certainty": claim.certainty,
        "polarity": claim.polarity,
        "attributed_to": [{"id": n.key, "name": n.label} for n in origins(article, claim)],
        "chain": chain_text(article, claim),
        "article_id": article.id,
    }


def records(rows: Iterable[tuple[Article, Claim]]) -> list[tuple[dict[str, Any], Article, Claim]]:
    """The records of the rows that have one, each with its article and claim."""
    out = []
    for article, claim in rows:
        rec = record(article, claim)
        if rec is not None:
            out.append((rec, article, claim))
    return out


def acled_row(rec: dict[str, Any], article: Article, claim: Claim) -> dict[str, str] | None:
    """A record as an ACLED-style row; None for a negative claim (ACLED records what happened)."""
    if claim.polarity == "negative" or claim.event not in ACLED:
        return None
    disorder, event_type, sub_event = ACLED[claim.event]
    places = [a for a in claim.frame.arguments if a.role == "place"] if claim.frame else []
    country = next((a.text for a in places if a.entity and a.entity.startswith("gpe/")), "")
    size = rec.get("size") or {}
    date = rec["date"] or ""
    return {
        "event_id_cnty": rec["id"],
        "event_date": date,
        "year": date[:4],
        "disorder_type": disorder,
        "event_type": event_type,
        "sub_event_type": sub_event,
        "actor1": "; ".join(a["actor_text"] for a in rec["source"]),
        "actor2": "; ".join(a["actor_text"] for a in rec["recipient"]),
        "country": country,
        "location": places[0].text if places else "",
        "source": "; ".join(o["name"] for o in rec["attributed_to"]),
        "notes": claim.content.text,
        "fatalities": str(size["dead"]) if "dead" in size else "",
        "certainty": claim.certainty,
        "claim_id": claim.id,
        "url": article.url or "",
    }


def write_acled(recs: Sequence[tuple[dict[str, Any], Article, Claim]], out: IO[str]) -> int:
    """The ACLED-style CSV of the records; how many rows were written."""
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    n = 0
    for rec, article, claim in recs:
        r = acled_row(rec, article, claim)
        if r is not None:
            writer.writerow(r)
            n += 1
    return n
