"""Readers that turn files, web pages and JSON records into ``Article``s.

``iter_files`` lists the files under some paths; ``read_path`` reads one file
with the reader its kind needs and yields Articles, and an ``InputError`` (never
raised) for whatever it could not read. The readers for text already in memory
are ``read_text`` (plain text), ``read_html`` (a web page) and ``read_record``
(a JSON object).
"""

from __future__ import annotations

from claimgraph.ingest.files import iter_files, read_path
from claimgraph.ingest.html import read_html
from claimgraph.ingest.records import read_record
from claimgraph.ingest.text import read_text

__all__ = ["iter_files", "read_html", "read_path", "read_record", "read_text"]
