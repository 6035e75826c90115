"""Shared fixtures of the ingest tests: files written by hand into tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import WriteFile


@pytest.fixture
def write(tmp_path: Path) -> WriteFile:
    """Write a file under tmp_path (text as UTF-8, bytes as they are) and return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    return _write
