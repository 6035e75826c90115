"""From a path to text: what may be read, the size limit, binary files, and the encoding.

Only regular files are read: a device, FIFO or socket is refused by its type before it
is opened (``/dev/zero`` would never end, a FIFO would wait forever), and a read stops
at ``max_bytes`` even where the size the file system reports is wrong.

Decoding: a byte-order mark wins; then UTF-8; then a charset the HTML itself declares;
a text that is UTF-8 but for a few bytes (a mixed file) is read as UTF-8 with those
bytes replaced; anything else is handed to charset-normalizer, restricted to the
``encodings`` setting. Whatever was guessed or replaced is returned as warnings, which
the readers put in ``Article.warnings``: no mojibake is ever silent.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from claimgraph.config import Settings
from claimgraph.errors import ConfigError, InputError

# bytes that no text file holds: C0 controls other than \t \n \v \f \r and ESC, and DEL
_CONTROL_BYTES = bytes([*range(0x01, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)
# a well-formed UTF-8 sequence of two to four bytes
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
#: the file kinds named in a refusal
_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


@dataclass(frozen=True)
class Decoded:
    """A file's text and what decoding it had to guess or replace."""

    text: str
    warnings: tuple[str, ...] = ()


def _too_large(size: str, limit: int) -> str:
    return f"file is {size} bytes, over the limit of {limit:,} bytes (raise it with --max-bytes)"


def read_bytes(path: Path, settings: Settings) -> bytes:
    """The bytes of a regular file, at most ``max_bytes`` of them.

    RAISES (InputError): the path is missing, a folder, not a regular file, unreadable,
        or larger than ``max_bytes``.
    """
    where = str(path)
    limit = settings.max_bytes
    try:
        info = path.stat()
        mode = info.st_mode
        if stat.S_ISDIR(mode):
            raise InputError(where, "is a folder, not a file")
        for test, kind in _KINDS:
            if test(mode):
                raise InputError(where, f"is {kind}, not a regular file; only regular files are read")
        if not stat.S_ISREG(mode):
            raise InputError(where, "is not a regular file; only regular files are read")
        if info.st_size > limit:
            raise InputError(where, _too_large(f"{info.st_size:,}", limit))
        # O_NONBLOCK: should the path have become a FIFO since stat, opening it does not hang
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise InputError(where, "is not a regular file; only regular files are read")
            data = f.read(limit + 1)  # bounded whatever size the file system reports
        if len(data) > limit:
            raise InputError(where, _too_large(f"more than {limit:,}", limit))
        return data
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


# codecs that decode almost any bytes into something, or that are not text encodings of a page
_NOT_PAGE_CODECS = ("utf-16", "utf-32", "utf-7", "unicode-escape", "raw-unicode-escape", "charmap", "idna")


def text_codec(encoding: str) -> str | None:
    """The codec's name, where it is a text encoding that a page or file may be in: ASCII
    stays ASCII in it (as browsers require of a declared charset); None otherwise."""
    try:
        info = codecs.lookup(encoding)
    except (LookupError, ValueError):
        return None
    name = info.name.replace("_", "-")
    if not getattr(info, "_is_text_encoding", True) or name.startswith(_NOT_PAGE_CODECS):
        return None
    try:
        if b"<html lang=en>".decode(info.name) != "<html lang=en>":
            return None
    except (UnicodeError, ValueError, LookupError):
        return None
    return info.name


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeError, ValueError, LookupError):
        return None


def _mixed_utf8(data: bytes, where: str) -> Decoded | None:
    """UTF-8 with a few bad bytes in it: well-formed multi-byte sequences show it is UTF-8."""
    if not _UTF8_MULTIBYTE.search(data):
        return None
    text = data.decode("utf-8-sig", errors="replace")  # one pass, however many bad bytes
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    if bad * 20 > len(data):  # more than one in twenty: not a UTF-8 text with stray bytes
        return None
    try:
        data.decode("utf-8")
        first = 0
    except UnicodeDecodeError as e:
        first = e.start
    what = f"{bad:,} sequence(s) of bytes that are not UTF-8 (the first at byte {first:,})"
    return Decoded(text, (f"{what} replaced with U+FFFD",))


def _detect(data: bytes, where: str, encodings: Sequence[str]) -> Decoded:
    from charset_normalizer import from_bytes

    codecs_ = []
    for encoding in encodings:
        codec = text_codec(encoding)
        if codec is None:
            raise ConfigError(f"unknown or unusable encoding {encoding!r} in the encodings setting")
        if codec != "utf-8":
            codecs_.append(codec)
    if not codecs_:
        raise InputError(where, "is not UTF-8, and the encodings setting allows no other encoding")
    found = list(from_bytes(data, cp_isolation=codecs_))
    # least mess, most coherent; a tie goes to the encoding the setting names first
    order = {c: i for i, c in enumerate(codecs_)}
    found.sort(
        key=lambda m: (
            round(m.chaos, 2),
            -round(m.coherence, 2),
            order.get(_codec_name(m.encoding) or m.encoding, len(order)),
        )
    )
    best = found[0] if found else None
    if best is None:
        raise InputError(
            where,
            f"cannot decode it as UTF-8 or as any of {', '.join(codecs_)} "
            "(add its encoding to the encodings setting)",
        )
    text = str(best)
    codec = _codec_name(best.encoding) or best.encoding
    # Western text decodes the same in several code pages: name the commonest
    for common in ("cp1252", "cp1251"):
        if codec != common and common in codecs_ and _try(data, common) == text:
            codec = common
            break
    return Decoded(text, (f"not UTF-8: decoded as {codec} (a guess; check accented letters)",))


def decode(data: bytes, where: str, encodings: Sequence[str], *, declared: str | None = None) -> Decoded:
    """Decode a file's bytes into its text.

    data (bytes): the file's content.
    where (str): the path, for error messages.
    encodings (Sequence[str]): the ``encodings`` setting: the encodings the detector may
        choose among when the bytes are not UTF-8.
    declared (str | None): a charset the file declares (an HTML ``<meta charset>``).
    RETURNS (Decoded): the text, not empty and not only whitespace, and warnings naming
        whatever was guessed or replaced.
    RAISES (InputError): binary, empty, or in none of the encodings.
    """
    decoded: Decoded | None = None
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            text = _try(data, bom_codec)
            if text is None:
                raise InputError(where, f"starts with a {bom_codec.upper()} byte-order mark but is not it")
            decoded = Decoded(text.removeprefix("\ufeff"))
            break
    else:
        if looks_binary(data):
            raise InputError(where, "binary file, not text")
        text = _try(data, "utf-8-sig")
        if text is not None:
            decoded = Decoded(text)
    if decoded is None and declared:
        codec = text_codec(declared)
        if codec is not None and codec != "utf-8":
            if codec == "iso8859-1":  # as browsers do: Windows-1252 has quotes where Latin-1 has controls
                codec = "cp1252" if _try(data, "cp1252") is not None else codec
            text = _try(data, codec)
            if text is not None:
                decoded = Decoded(text)
    if decoded is None:
        decoded = _mixed_utf8(data, where) or _detect(data, where, encodings)
        if declared:
            misfit = f"the declared charset {declared!r} does not fit its bytes"
            decoded = Decoded(decoded.text, (misfit, *decoded.warnings))
    if not decoded.text.strip():
        raise InputError(where, "empty file")
    return decoded
