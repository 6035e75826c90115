"""Across articles: one identity per person or institution, whatever each article calls them.

Ingests a sample of PolNeAR train articles (from ../shared, beside the repository) that
name the 2016 campaign's protagonists in many ways, with linking off, and checks that every
source and entity mention of each resolves to that one identity.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from claimgraph.config import Settings
from claimgraph.run import ingest
from claimgraph.store import Store

TRAIN = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "train" / "text"
pytestmark = pytest.mark.skipif(not TRAIN.exists(), reason="PolNeAR train is not beside the repository")

# mentions matched by these patterns must all resolve to the one identity
TARGETS = {
    "person/donald-trump": r"^(?:Mr\.? |President |Donald J?\.? ?)?Trump$|^Donald Trump$|^Donald J\. Trump$",
    "person/hillary-clinton": r"^(?:Mrs\.? |Secretary |Hillary Rodham )?Clinton$|^Hillary(?: Clinton)?$",
    "person/barack-obama": r"^(?:Mr\.? |President |Barack )?Obama$",
    "person/mike-pence": r"^(?:Gov\.? |Mr\.? |Mike )?Pence$",
    "person/tim-kaine": r"^(?:Sen\.? |Mr\.? |Tim )?Kaine$",
    "org/fbi": r"^(?:the )?(?:FBI|F\.B\.I\.|Federal Bureau of Investigation)$",
    "org/clinton-campaign": r"^(?:the )?(?:Clinton|Hillary Clinton's|Clinton's) campaign$",
}
FILES = [
    "breitbart_2016-07-22_tim-kaine-fully-embraced-abortio",
    "usa-today_2016-07-25_clinton-pick-gives-trump-an-open",
    "politico_2016-07-08_clinton-unleashes-democratic-dre",
    "politico_2016-08-26_obama-biden-to-campaign-for-clin",
    "breitbart_2016-08-23_mike-pence-calls-for-special-pro",
    "breitbart_2016-02-08_lynch-no-outside-influence-on-fb",
    "breitbart_2016-08-24_report-half-clinton-s-state-meet",
    "breitbart_2016-04-01_hillary-clinton-gets-testy-on-ca",
    "huff-post_2016-08-01_hillary-clinton-campaign-wants-a",
    "nyt_2016-07-21_amid-discord-trump-claims-nomina",
    "breitbart_2016-08-15_biden-stumping-for-clinton-trash",
    "breitbart_2016-08-31_jeff-sessions-rudy-giuliani-wear",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, extractor) -> Store:  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("ids") / "ids.db"
    s = Store(f"sqlite:///{db}")
    ingest([TRAIN / f"{f}.txt" for f in FILES], Settings(), s, extractor=extractor, link=False)
    return s


@pytest.mark.parametrize("identity", sorted(TARGETS))
def test_identities_one_identity_whatever_the_name(store: Store, identity: str) -> None:
    pattern = re.compile(TARGETS[identity], re.IGNORECASE)
    got: Counter[str | None] = Counter()
    for record in store.records():
        for claim in record.claims:
            mentions = [
                (s.name or s.text, s.entity) for h in claim.chain for s in h.sources if not s.anonymous
            ]
            mentions += [(e.text, e.entity) for e in claim.entities]
            for text, entity in mentions:
                if pattern.match(text.strip()):
                    got[entity] += 1
    assert got, f"no mention of {identity} in the sample"
    linked = {e for e in got if e is not None}
    assert linked == {identity}, got
    assert got[identity] >= 0.8 * sum(got.values()), got
    # and the store finds it by any of those names
    assert store.find_identity(identity) == identity
