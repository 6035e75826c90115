"""benchmarks/bench_api.py runs end to end in its quick mode: a store built from the founding
example by ``claimgraph ingest``, the real server in a second process, every row measured."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks" / "bench_api.py"
EXAMPLE = ROOT / "examples" / "nk-troops-withdrawn.txt"


@pytest.mark.slow
def test_bench_api_quick(tmp_path: Path) -> None:
    if not (Path(sys.executable).parent / "claimgraph").exists() and shutil.which("claimgraph") is None:
        pytest.skip("no claimgraph console script (pip install -e .)")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(EXAMPLE, corpus / EXAMPLE.name)
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    cmd = [sys.executable, str(BENCH), "--db", url, "--corpus", str(corpus), "--quick", "--json"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "built the store" in proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])

    assert result["store"]["articles"] == 1
    assert result["store"]["claims"] > 0
    for name in ("claims (list)", "search", "article (API)"):
        row = result["endpoints"][name]
        assert row["n"] == 10
        assert 0 < row["p50_ms"] <= row["p95_ms"] <= row["max_ms"]
    analyze = result["analyze"]
    assert analyze["api_p50_ms"] > 0 and analyze["inprocess_p50_ms"] > 0
    assert analyze["ratio"] == pytest.approx(analyze["api_p50_ms"] / analyze["inprocess_p50_ms"], rel=0.01)
    assert analyze["cli_process_s"] > 0
    assert set(result["goals"]) == {"read_p95_le_50ms", "analyze_ratio_le_1.2"}
    assert "POST /api/analyze" in proc.stdout
