"""The shipped gazetteer and its loader: lookups, domains, user files, validation."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from claimgraph.errors import InputError
from claimgraph.link.gazetteer import (
    COLUMNS,
    SHIPPED,
    SPEAKER_KINDS,
    Gazetteer,
    Identity,
    default_gazetteer,
    normalize,
    read_rows,
)

ROOT = Path(__file__).resolve().parents[2]
CURATED = SHIPPED.parent / "curated.tsv"
HEADER = "\t".join(COLUMNS)

# Names that two identities share on purpose: a capital names the city (the place
# comes first) and, as a speaker ("Kyiv said"), its government.
INTENDED_SHARED_NAMES = {
    "kyiv": {"loc/kyiv", "gov/ukraine"},
    "kiev": {"loc/kyiv", "gov/ukraine"},
    "moscow": {"loc/moscow", "gov/russia"},
    "tehran": {"loc/tehran", "gov/iran"},
    "teheran": {"loc/tehran", "gov/iran"},
    "baghdad": {"loc/baghdad", "gov/iraq"},
    "beirut": {"loc/beirut", "gov/lebanon"},
    "damascus": {"loc/damascus", "gov/syria"},
    "ramallah": {"loc/ramallah", "gov/palestinian-authority"},
}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def write(tmp_path: Path, name: str, *lines: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def row(*fields: str) -> str:
    return "\t".join(fields + ("",) * (len(COLUMNS) - len(fields)))


# --------------------------------------------------------------------------- the shipped file


def test_gazetteer_loads_shipped_file(gaz: Gazetteer) -> None:
    kinds = Counter(identity.kind for identity in gaz)
    assert len(gaz) == sum(kinds.values()) > 1000
    assert kinds["country"] >= 249  # every ISO 3166-1 entry, plus Kosovo
    for kind in ("government", "military", "intelligence", "media", "international", "person", "place"):
        assert kinds[kind] >= 20, kind
    assert default_gazetteer() is default_gazetteer()


def test_gazetteer_shipped_references_are_sound(gaz: Gazetteer) -> None:
    for identity in gaz:
        if identity.side is not None:
            assert gaz[identity.side].kind == "country", identity.id
        if identity.kind == "country":
            assert identity.side == identity.id and identity.iso, identity.id
        if identity.kind == "media":
            assert identity.domains, f"{identity.id} has no web domain"


def test_gazetteer_shipped_names_shared_only_as_intended(gaz: Gazetteer) -> None:
    shared = {key: {i.id for i in gaz.candidates(key)} for key in gaz.keys() if len(gaz.candidates(key)) > 1}
    assert shared == INTENDED_SHARED_NAMES


def test_gazetteer_shipped_domains_unique(gaz: Gazetteer) -> None:
    counts = Counter(domain for identity in gaz for domain in identity.domains)
    assert [d for d, n in counts.items() if n > 1] == []


def test_gazetteer_shipped_file_matches_curated(gaz: Gazetteer) -> None:
    # gazetteer.tsv is built from curated.tsv: a hand edit to one of them alone shows here.
    for curated in read_rows(CURATED):
        hand = curated.identity
        if hand.kind == "country":
            built = gaz[hand.id]
            assert built.name == hand.name and set(hand.aliases) <= set(built.aliases), hand.id
        else:
            assert gaz[hand.id] == hand, hand.id


def _build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gazetteer_shipped_file_is_up_to_date() -> None:
    pycountry = pytest.importorskip("pycountry")
    build = _build_script()
    if build.metadata.version("pycountry") != build.PYCOUNTRY_VERSION:
        pytest.skip(f"pycountry {build.PYCOUNTRY_VERSION} is not the one installed ({pycountry.__name__})")
    assert build.build() == SHIPPED.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- lookups


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # the founding example's entities
        ("North Korea", "gpe/north-korea"),
        ("DPRK", "gpe/north-korea"),
        ("the DPRK", "gpe/north-korea"),
        ("North Korean", "gpe/north-korea"),
        ("North Koreans", "gpe/north-korea"),
        ("The New York Times", "media/the-new-york-times"),
        ("the New York Times", "media/the-new-york-times"),
        ("NYT", "media/the-new-york-times"),
        ("SOF", "org/special-operations-forces-ukraine"),
        ("Special Operations Forces", "org/special-operations-forces-ukraine"),
        ("Special Operations Forces of the Ukrainian Armed Forces", "org/special-operations-forces-ukraine"),
        ("Ukrainian Armed Forces", "org/armed-forces-of-ukraine"),
        ("Ukrainska Pravda", "media/ukrainska-pravda"),
        ("Kursk region", "loc/kursk-oblast"),
        ("Kursk Oblast", "loc/kursk-oblast"),
        ("Oleksandr Syrskyi", "person/oleksandr-syrskyi"),
        ("Syrskyi", "person/oleksandr-syrskyi"),
        ("Syrsky", "person/oleksandr-syrskyi"),
        ("General Oleksandr Syrskyi", "person/oleksandr-syrskyi"),
        ("Colonel Oleksandr Kindratenko", "person/oleksandr-kindratenko"),
        ("KCNA", "media/korean-central-news-agency"),
        ("Reuters", "media/reuters"),
        ("Ukraine", "gpe/ukraine"),
        ("Ukrainian", "gpe/ukraine"),
        ("Russia", "gpe/russia"),
        ("Russian Federation", "gpe/russia"),
        ("American", "gpe/united-states"),
        # US politics (PolNeAR)
        ("Trump", "person/donald-trump"),
        ("Donald J. Trump", "person/donald-trump"),
        ("Mr. Trump", "person/donald-trump"),
        ("Clinton", "person/hillary-clinton"),
        ("Hillary Rodham Clinton", "person/hillary-clinton"),
        ("Clinton's", "person/hillary-clinton"),
        ("Bill Clinton", "person/bill-clinton"),
        ("Obama", "person/barack-obama"),
        ("former U.S. President Barack Obama", "person/barack-obama"),
        ("Pence", "person/mike-pence"),
        ("Kaine", "person/tim-kaine"),
        ("FBI", "org/fbi"),
        ("the Clinton campaign", "org/clinton-campaign"),
        ("GOP", "org/republican-party-us"),
        ("Huffington Post", "media/huffpost"),
        ("Western Journalism", "media/the-western-journal"),
        # spellings, punctuation, transliterations
        ("U.S.", "gpe/united-states"),
        ("the US", "gpe/united-states"),
        ("USA", "gpe/united-states"),
        ("the UK", "gpe/united-kingdom"),
        ("Britain", "gpe/united-kingdom"),
        ("Kim Jong-un", "person/kim-jong-un"),
        ("KIM JONG UN", "person/kim-jong-un"),
        ("Zelensky", "person/volodymyr-zelenskyy"),
        ("Zelenskyy\u2019s", "person/volodymyr-zelenskyy"),
        ("\u201cZelenskiy\u201d", "person/volodymyr-zelenskyy"),
        ("Russian Defense Ministry", "gov/ministry-of-defence-russia"),
        ("Russia's Defence Ministry", "gov/ministry-of-defence-russia"),
        ("Côte d'Ivoire", "gpe/ivory-coast"),
        ("Cote d’Ivoire", "gpe/ivory-coast"),
        ("Türkiye", "gpe/turkey"),
        ("Bakhmut", "loc/bakhmut"),
        ("Artemovsk", "loc/bakhmut"),
        ("Zaporozhye", "loc/zaporizhzhia"),
        # metonyms and roles
        ("the Kremlin", "gov/russia"),
        ("Washington", "gov/united-states"),
        ("Pentagon", "gov/department-of-defense-us"),
        ("Kremlin spokesman Dmitry Peskov", "person/dmitry-peskov"),
        ("Ukraine's top general Oleksandr Syrskyi", "person/oleksandr-syrskyi"),
        ("NATO", "intl/nato"),
        ("ISW", "org/isw"),
    ],
)
def test_gazetteer_lookup(gaz: Gazetteer, name: str, expected: str) -> None:
    found = gaz.lookup(name)
    assert found is not None and found.id == expected


@pytest.mark.parametrize(
    "name", ["American officials", "Ukrainian officials", "Western allies", "Congo", "", "the", "officials"]
)
def test_gazetteer_lookup_unknown(gaz: Gazetteer, name: str) -> None:
    assert gaz.lookup(name) is None


@pytest.mark.parametrize(
    ("name", "kinds", "expected"),
    [
        ("Kyiv", None, "loc/kyiv"),
        ("Kiev", None, "loc/kyiv"),
        ("Kyiv", SPEAKER_KINDS, "gov/ukraine"),
        ("Moscow", SPEAKER_KINDS, "gov/russia"),
        ("Kursk region", SPEAKER_KINDS, None),
        ("Trump", {"media"}, None),
    ],
)
def test_gazetteer_lookup_kinds(
    gaz: Gazetteer, name: str, kinds: set[str] | None, expected: str | None
) -> None:
    found = gaz.lookup(name, kinds=kinds)
    assert (found.id if found else None) == expected


def test_gazetteer_identity_fields(gaz: Gazetteer) -> None:
    sof = gaz["org/special-operations-forces-ukraine"]
    assert (sof.kind, sof.side, sof.parent) == ("military", "gpe/ukraine", "org/armed-forces-of-ukraine")
    assert [a.id for a in gaz.ancestors(sof.id)][:1] == ["org/armed-forces-of-ukraine"]
    assert gaz.ancestors(sof.id)[-1].id == "gov/ukraine"
    nk = gaz["gpe/north-korea"]
    assert nk.iso == ("KP", "PRK") and nk.name == "North Korea"
    assert gaz.get("gpe/atlantis") is None and "gpe/atlantis" not in gaz


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("nytimes.com", "media/the-new-york-times"),
        ("www.nytimes.com", "media/the-new-york-times"),
        ("WWW.NYTimes.com.", "media/the-new-york-times"),
        (
            "https://www.nytimes.com/2025/01/31/world/europe/north-korea-troops.html",
            "media/the-new-york-times",
        ),
        ("https://www.reuters.com/world/europe/some-story-2025-01-31/", "media/reuters"),
        ("edition.cnn.com", "media/cnn"),
        ("http://news.bbc.co.uk:80/2/hi/europe/1.stm", "media/bbc"),
        ("www.pravda.com.ua/eng/news/2025/01/31/", "media/ukrainska-pravda"),
        ("https://ec.europa.eu/commission/presscorner", "intl/european-commission"),
        ("https://europa.eu/", "intl/eu"),
        ("sso.gov.ua", "org/special-operations-forces-ukraine"),
        ("example.com", None),
        ("com", None),
        ("", None),
    ],
)
def test_gazetteer_by_domain(gaz: Gazetteer, domain: str, expected: str | None) -> None:
    found = gaz.by_domain(domain)
    assert (found.id if found else None) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("U.S.", "US"),
        ("the United States", "United States"),
        ("Kim Jong-un", "Kim Jong Un"),
        ("Ukraine's", "Ukraine"),
        ("Reuters'", "Reuters"),
        ("Department of Defense", "Department of Defence"),
        ("Zaporizhzhia\u00a0Oblast", "zaporizhzhia oblast"),
        ("Bosnia & Herzegovina", "Bosnia and Herzegovina"),
    ],
)
def test_gazetteer_normalize_same(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


# --------------------------------------------------------------------------- user files


def test_gazetteer_user_file_extends_and_overrides(tmp_path: Path) -> None:
    user = write(
        tmp_path,
        "mine.tsv",
        "# my newsroom's additions",
        HEADER,
        row("person/jane-doe", "person", "Jane Doe", "J. Doe|Doe", "gpe/ukraine", "org/hur"),
        row(
            "media/the-new-york-times",
            "media",
            "The New York Times",
            "NYT|the Gray Lady",
            "",
            "",
            "nytimes.com",
        ),
        row("media/kyiv-daily", "media", "Kyiv Daily", "", "", "", "kyivdaily.example.org"),
    )
    gaz = Gazetteer.load([user])
    shipped = Gazetteer.load()
    assert len(gaz) == len(shipped) + 2
    jane = gaz.lookup("Colonel Jane Doe")
    assert jane is not None and (jane.side, jane.parent) == ("gpe/ukraine", "org/hur")
    nyt = gaz.lookup("the Gray Lady")
    assert nyt is not None and nyt.id == "media/the-new-york-times"
    assert gaz.lookup("NY Times") is None  # the user's row replaced the shipped one whole
    found = gaz.by_domain("https://www.kyivdaily.example.org/a")
    assert found is not None and found.id == "media/kyiv-daily"
    assert gaz.lookup("Ukrainska Pravda") is not None  # the rest of the shipped file is kept


def test_gazetteer_user_file_wins_shared_names(tmp_path: Path) -> None:
    # A later file's identity comes first for a name it shares with the shipped file.
    user = write(tmp_path, "mine.tsv", HEADER, row("person/jane-trump", "person", "Jane Trump", "Trump"))
    gaz = Gazetteer.load([user])
    assert [i.id for i in gaz.candidates("Trump")] == ["person/jane-trump", "person/donald-trump"]


def test_gazetteer_user_file_without_iso_column(tmp_path: Path) -> None:
    user = write(
        tmp_path, "mine.tsv", "\t".join(COLUMNS[:7]), "\t".join(["loc/avalon", "place", "Avalon"] + [""] * 4)
    )
    gaz = Gazetteer.load([user], shipped=False)
    assert list(gaz) == [Identity("loc/avalon", "place", "Avalon")]


def test_gazetteer_from_identities() -> None:
    gaz = Gazetteer([Identity("gpe/avalon", "country", "Avalon", ("Avalonian",), side="gpe/avalon")])
    found = gaz.lookup("the Avalonian")
    assert len(gaz) == 1 and found is not None and found.id == "gpe/avalon"
    with pytest.raises(InputError, match="refers to no known id"):
        Gazetteer([Identity("gpe/avalon", "country", "Avalon", side="gpe/nowhere")])


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("lines", "line", "reason"),
    [
        ([HEADER, "org/x\tgroup\tX"], 2, "expected 8 tab-separated columns"),
        ([HEADER, row("org/x", "group", "X") + "\textra"], 2, "found 9"),
        (
            [HEADER, row("org/x", "group", "X"), "#", row("org/x", "group", "X again")],
            4,
            "duplicate id 'org/x'",
        ),
        ([HEADER, row("org/x", "sect", "X")], 2, "unknown kind 'sect'"),
        ([HEADER, row("org/x", "media", "X")], 2, "does not fit the id prefix 'org/'"),
        ([HEADER, row("org/X Corp", "group", "X")], 2, "malformed id 'org/X Corp'"),
        ([HEADER, row("x", "group", "X")], 2, "malformed id 'x'"),
        ([HEADER, row("zzz/x", "group", "X")], 2, "malformed id 'zzz/x'"),
        ([HEADER, row("org/x", "group", "")], 2, "empty name"),
        ([HEADER, row("org/x", "group", "X", "--")], 2, "has no letters or digits"),
        ([HEADER, row("org/x", "group", "X", "", "Ukraine")], 2, "malformed side 'Ukraine'"),
        ([HEADER, row("org/x", "group", "X", "", "", "", "not a domain")], 2, "malformed domain"),
        ([HEADER, row("gpe/x", "country", "X", "", "", "", "", "X1")], 2, "malformed ISO code"),
        (
            [
                HEADER,
                row("org/x", "group", "X", "", "", "", "x.org"),
                row("org/y", "group", "Y", "", "", "", "x.org"),
            ],
            3,
            "duplicate domain 'x.org' (first on line 2)",
        ),
        (["# only a comment", "id\tkind\tname"], 2, "expected the header line"),
        (
            [HEADER, "", "# fine", row("org/x", "group", "X", "", "gpe/nowhere")],
            4,
            "side 'gpe/nowhere' refers to no",
        ),
        ([HEADER, row("org/x", "group", "X", "", "", "org/nothing")], 2, "parent 'org/nothing' refers to no"),
        (
            [
                HEADER,
                row("org/x", "group", "X", "", "", "org/y"),
                row("org/y", "group", "Y", "", "", "org/x"),
            ],
            2,
            "parents form a loop: org/x → org/y → org/x",
        ),
    ],
)
def test_gazetteer_invalid_file(tmp_path: Path, lines: list[str], line: int, reason: str) -> None:
    path = write(tmp_path, "bad.tsv", *lines)
    with pytest.raises(InputError) as caught:
        Gazetteer.load([path], shipped=False)
    assert caught.value.where == f"{path}:{line}"
    assert reason in caught.value.reason


def test_gazetteer_invalid_reference_in_user_file_names_it(tmp_path: Path) -> None:
    good = write(tmp_path, "good.tsv", HEADER, row("org/x", "group", "X"))
    bad = write(tmp_path, "bad.tsv", HEADER, row("org/y", "group", "Y", "", "", "org/z"))
    with pytest.raises(InputError) as caught:
        Gazetteer.load([good, bad])
    assert caught.value.where == f"{bad}:2"


@pytest.mark.parametrize(("text", "reason"), [("", "no header line"), ("# nothing\n", "no header line")])
def test_gazetteer_empty_file(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "empty.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=reason) as caught:
        Gazetteer.load([path])
    assert caught.value.where == str(path)


def test_gazetteer_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.tsv"
    with pytest.raises(InputError, match="cannot read the gazetteer file") as caught:
        Gazetteer.load([path])
    assert caught.value.where == str(path)


def test_gazetteer_user_file_wins_shared_domain(tmp_path: Path) -> None:
    user = write(
        tmp_path,
        "mine.tsv",
        HEADER,
        row("media/nyt-mirror", "media", "NYT Mirror", "", "", "", "nytimes.com"),
    )
    found = Gazetteer.load([user]).by_domain("https://www.nytimes.com/a")
    assert found is not None and found.id == "media/nyt-mirror"
