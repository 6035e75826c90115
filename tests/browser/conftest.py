"""A real server (`claimgraph serve`, a second process) on a real store, and a real headless
Chromium (Debian's, driven by Playwright with ``executable_path``).

Screenshots go to ``tests/browser/screenshots/`` (or ``$CLAIMGRAPH_SCREENSHOTS``). Without
Chromium the tests are skipped, and the test summary says the browser half did not run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = Path(os.environ.get("CLAIMGRAPH_SCREENSHOTS", Path(__file__).parent / "screenshots"))
TOKEN = "browser-test-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(nk_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of `claimgraph serve` on a copy of the three-article store."""
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium chromium-driver)")
    path = tmp_path_factory.mktemp("browser") / "store.db"
    shutil.copy(nk_db.removeprefix("sqlite:///"), path)
    port = _free_port()
    command = Path(sys.executable).parent / "claimgraph"
    log = open(path.with_suffix(".log"), "w")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        [str(command), "serve", "--db", f"sqlite:///{path}", "--port", str(port), "--token", TOKEN],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/api/articles?limit=1", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {path.with_suffix('.log').read_text()}")
            time.sleep(0.2)
        # the pipeline loads as the server starts: wait for it, so that no test's clock runs meanwhile
        httpx.post(f"{base}/api/analyze", json={"text": "Officials said so."}, timeout=300).raise_for_status()
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def browser(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A fresh page that records every dialog (alert, confirm) and every console error."""
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.csp_errors = []  # type: ignore[attr-defined]

    def on_dialog(dialog: Any) -> None:
        pg.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    pg.on(
        "console",
        lambda m: (
            pg.csp_errors.append(m.text)  # type: ignore[attr-defined]
            if m.type == "error" and "Content Security Policy" in m.text
            else None
        ),
    )
    yield pg
    context.close()


def shot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    out = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(out), full_page=True)
    return out
