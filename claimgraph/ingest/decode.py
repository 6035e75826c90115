"""From a path to text: the size limit, binary files, and the encoding ladder.

Decoding tries UTF-8 first (a byte-order mark is dropped, as ``utf-8-sig`` does),
then a charset the HTML itself declares, then the ``encodings`` setting in order.
A Cyrillic single-byte encoding (cp1251, koi8-r, ...) decodes almost any bytes,
so it is taken only where the result reads as Cyrillic words rather than Latin
words with stray Cyrillic letters in them (which is what Latin-1 accents turn
into). ``latin-1`` is read as Windows-1252 where the bytes allow, as browsers
do, so that curly quotes come out as quotes rather than control characters.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from pathlib import Path

from claimgraph.config import Settings
from claimgraph.errors import ConfigError, InputError

_CYRILLIC_CODECS = {"cp1251", "koi8-r", "koi8-u", "cp866", "iso8859-5", "mac-cyrillic"}
_LATIN1 = "iso8859-1"
# bytes that no text file holds: C0 controls other than \t \n \v \f \r and ESC, and DEL
_CONTROL_BYTES = bytes([*range(0x01, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WORD = re.compile(r"[^\W\d_]+")
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)


def read_bytes(path: Path, settings: Settings) -> bytes:
    """The bytes of a file, once its size is known to be within ``max_bytes``.

    RAISES (InputError): the path is missing, a folder, unreadable, or too large.
    """
    where = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputError(where, "is a folder, not a file")
        if size > settings.max_bytes:
            raise InputError(
                where,
                f"file is {size:,} bytes, over the limit of {settings.max_bytes:,} bytes "
                "(raise the max_bytes setting to read it)",
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(where, "no such file or folder") from None
    except PermissionError:
        raise InputError(where, "permission denied") from None
    except IsADirectoryError:
        raise InputError(where, "is a folder, not a file") from None
    except OSError as e:
        raise InputError(where, f"cannot read it: {e.strerror or e}") from None


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text: a NUL, or many control characters near the start."""
    if b"\x00" in data:
        return True
    head = data[:8192]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > max(2, len(head) // 20)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` near its start, if any."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


def _codec_name(encoding: str) -> str | None:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def _reads_as_cyrillic(text: str) -> bool:
    """Cyrillic words, and hardly any words mixing Latin and Cyrillic letters."""
    cyrillic = mixed = 0
    for word in _WORD.findall(text, 0, 100_000):
        if any("\u0400" <= c <= "\u04ff" for c in word):
            cyrillic += 1
            if any(c.isascii() for c in word):
                mixed += 1
    return cyrillic > 0 and mixed * 10 <= cyrillic


def _try(data: bytes, codec: str, *, check: bool) -> str | None:
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    if check and codec in _CYRILLIC_CODECS and not _reads_as_cyrillic(text):
        return None
    return text


def _decode_as(data: bytes, codec: str, *, check: bool) -> str | None:
    if codec == _LATIN1:  # as browsers do: Windows-1252 has quotes where Latin-1 has controls
        return _try(data, "cp1252", check=False) or _try(data, codec, check=False)
    return _try(data, codec, check=check)


def decode(data: bytes, where: str, encodings: Sequence[str], *, declared: str | None = None) -> str:
    """Decode a file's bytes into its text.

    data (bytes): the file's content.
    where (str): the path, for error messages.
    encodings (Sequence[str]): the ``encodings`` setting, tried in order after UTF-8.
    declared (str | None): a charset the file declares (an HTML ``<meta charset>``).
    RETURNS (str): the decoded text, not empty and not only whitespace.
    RAISES (InputError): binary, empty, or in none of the encodings.
    """
    text: str | None = None
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            text = _try(data, bom_codec, check=False)
            if text is None:
                raise InputError(where, f"starts with a {bom_codec.upper()} byte-order mark but is not it")
            break
    else:
        if looks_binary(data):
            raise InputError(where, "binary file, not text")
        text = _try(data, "utf-8-sig", check=False)
    declared_codec = _codec_name(declared) if declared else None
    if text is None and declared_codec:
        text = _decode_as(data, declared_codec, check=False)
    tried = ["utf-8"]
    for encoding in encodings:
        if text is not None:
            break
        codec = _codec_name(encoding)
        if codec is None:
            raise ConfigError(f"unknown encoding {encoding!r} in the encodings setting")
        if codec != "utf-8":
            tried.append(encoding)
            text = _decode_as(data, codec, check=True)
    if text is None:
        raise InputError(
            where,
            f"cannot decode it as any of {', '.join(tried)} (add its encoding to the encodings setting)",
        )
    if not text.strip():
        raise InputError(where, "empty file")
    return text
