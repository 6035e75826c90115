"""Every command has help and the README names it (after sqlite-utils' documentation tests)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from claimgraph.interfaces.cli import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
GROUP = get_command(app)
COMMANDS = sorted(GROUP.commands)  # type: ignore[attr-defined]
EVALS = sorted(GROUP.commands["eval"].commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", COMMANDS)
def test_docs_every_command_is_in_the_readme(name: str) -> None:
    assert f"claimgraph {name}" in README


@pytest.mark.parametrize("words", [[c] for c in COMMANDS if c != "eval"] + [["eval", e] for e in EVALS])
def test_docs_every_command_has_help_with_an_example(words: list[str]) -> None:
    result = CliRunner().invoke(app, [*words, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output
