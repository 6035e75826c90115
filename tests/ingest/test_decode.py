from __future__ import annotations

import codecs

import pytest

from claimgraph.config import Settings
from claimgraph.errors import ConfigError, InputError
from claimgraph.ingest.decode import Decoded, decode

RUSSIAN = "Войска КНДР отведены с линии фронта после тяжёлых потерь, пишет The New York Times.\n"
UKRAINIAN = "Війська КНДР відведено з лінії фронту після важких втрат, пише The New York Times.\n"
FRENCH = "Le café de la résistance à Kharkiv a été détruit, a déclaré le maître d'hôtel.\n"
GERMAN = "Die Straße in Charkiw wurde überflutet, sagte der Bürgermeister.\n"
ENCODINGS = Settings().encodings


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (RUSSIAN, "utf-8"),
        (RUSSIAN, "cp1251"),
        (UKRAINIAN, "cp1251"),
        (FRENCH, "latin-1"),
        (GERMAN, "latin-1"),
        ("Plain ASCII text about the talks.\n", "ascii"),
    ],
)
def test_decode_finds_the_encoding(text: str, encoding: str) -> None:
    decoded = decode(text.encode(encoding), "x.txt", ENCODINGS)
    assert decoded.text == text
    # a guess is never silent
    assert bool(decoded.warnings) == (encoding not in {"utf-8", "ascii"})


def test_decode_names_the_guess() -> None:
    decoded = decode(RUSSIAN.encode("cp1251"), "x.txt", ENCODINGS)
    assert decoded.warnings == ("not UTF-8: decoded as cp1251 (a guess; check accented letters)",)


def test_decode_mostly_ascii_with_one_latin1_byte_is_not_cyrillic() -> None:
    decoded = decode(b"The caf\xe9 in Kyiv was closed, officials said on Monday.\n", "x.txt", ENCODINGS)
    assert decoded.text == "The caf\u00e9 in Kyiv was closed, officials said on Monday.\n"
    assert "cp1252" in decoded.warnings[0]


def test_decode_mixed_file_is_utf8_with_the_bad_bytes_replaced() -> None:
    data = "\u201cWe hold,\u201d said the caf\u00e9 owner. ".encode() * 5 + b"Caf\xe9 closed.\n"
    decoded = decode(data, "x.txt", ENCODINGS)
    assert decoded.text.startswith("\u201cWe hold,\u201d said the caf\u00e9 owner.")
    assert decoded.text.endswith("Caf\ufffd closed.\n")
    assert decoded.warnings[0].startswith("1 sequence(s) of bytes that are not UTF-8 (the first at byte")


def test_decode_mixed_file_is_linear_in_its_size() -> None:
    import time

    data = ("\u5317\u4eac" * 50_000).encode("gb18030") + "\u00e9".encode()  # a valid UTF-8 pair inside
    start = time.perf_counter()
    decode(data * 10, "x.txt", ENCODINGS)
    assert time.perf_counter() - start < 20


@pytest.mark.parametrize("declared", ["utf-16", "utf-32", "unicode_escape", "undefined", "rot13", "nonsense"])
def test_decode_ignores_a_declared_charset_a_page_cannot_be_in(declared: str) -> None:
    data = "<html><body><p>Caf\u00e9 \\x1b said so.</p></body></html>".encode("cp1252")
    decoded = decode(data, "x.html", ENCODINGS, declared=declared)
    assert "Caf\u00e9" in decoded.text and "\\x1b" in decoded.text and "\x1b" not in decoded.text


def test_decode_latin1_reads_windows_quotes() -> None:
    data = "\u201cWe will hold,\u201d the mayor said \u2014 twice.\n".encode("cp1252")
    assert decode(data, "x.txt", ENCODINGS).text == "\u201cWe will hold,\u201d the mayor said \u2014 twice.\n"


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (codecs.BOM_UTF8 + b"Talks stall.\n", "Talks stall.\n"),
        ("Talks stall.\n".encode("utf-16"), "Talks stall.\n"),
        ("Talks stall.\n".encode("utf-32"), "Talks stall.\n"),
    ],
)
def test_decode_byte_order_marks(data: bytes, text: str) -> None:
    assert decode(data, "x.txt", ENCODINGS) == Decoded(text)


def test_decode_declared_charset_comes_before_the_settings() -> None:
    data = FRENCH.encode("iso8859-15")
    assert decode(data, "x.html", ("utf-8", "cp1251"), declared="iso-8859-15") == Decoded(FRENCH)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t\r\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text"),
        (bytes(range(1, 9)) * 20 + b"text", "binary file, not text"),
    ],
)
def test_decode_rejects_what_is_not_text(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as info:
        decode(data, "x.txt", ENCODINGS)
    assert info.value.where == "x.txt"
    assert info.value.reason == reason


def test_decode_names_the_encodings_tried() -> None:
    with pytest.raises(InputError, match="not UTF-8, and the encodings setting allows no other"):
        decode(b"caf\xe9 \x98", "x.txt", ("utf-8",))


def test_decode_unknown_encoding_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no-such-codec"):
        decode(b"caf\xe9", "x.txt", ("utf-8", "no-such-codec"))
