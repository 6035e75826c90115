"""The main job at every stage, side by side: bare spaCy, `analyze`, `ingest --no-link`, `ingest`.

    python benchmarks/bench_ingest.py [--texts DIR] [--limit 40] [--short 400] [--profile]

Two corpora: news articles (PolNeAR dev, the first ``--limit``) and ``--short``
one-sentence articles (sentences of PolNeAR train, each its own article from its own
outlet: headlines, feed items and posts look like this). For each corpus, in one process
with every model loaded and warmed before anything is timed (start-up excluded: the
marginal cost per article):

- bare spaCy: ``nlp.pipe`` over the texts, nothing else;
- analyze: ``run.analyze_articles`` (the pipeline, claims, identities);
- ingest --no-link: ``run.ingest(link=False)`` into a fresh SQLite store;
- ingest: ``run.ingest`` with linking into a fresh SQLite store.

Prints seconds, articles/s and the ratio of each to bare spaCy (issue 10's goals:
``ingest`` >= 0.5x bare spaCy on news and >= 0.3x on one-sentence articles); with
``--profile``, where the linking ingest spends its time (the functions of claimgraph and
the models with the most time of their own); last, one JSON line of the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from claimgraph.config import Settings
from claimgraph.ingest import read_text
from claimgraph.model import Article
from claimgraph.nlp.pipeline import Extractor
from claimgraph.run import Linker, analyze_articles, ingest
from claimgraph.store import Store

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"
GOALS = {"news": 0.5, "one-sentence": 0.3}


def news(folder: Path, limit: int) -> list[Path]:
    files = sorted(folder.glob("*.txt"))[:limit]
    if not files:
        raise SystemExit(f"no .txt files in {folder}")
    return files


def one_sentence(folder: Path, n: int, into: Path) -> list[Path]:
    """``n`` sentences of 8 to 40 words from the articles in ``folder``, a file each."""
    out: list[Path] = []
    seen: set[str] = set()
    for f in sorted(folder.glob("*.txt")):
        for line in f.read_text(encoding="utf-8").splitlines():
            for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", line.strip()):
                if 8 <= len(sentence.split()) <= 40 and sentence not in seen:
                    seen.add(sentence)
                    path = into / f"s{len(out):04d}.txt"
                    path.write_text(sentence + "\n", encoding="utf-8")
                    out.append(path)
                    if len(out) == n:
                        return out
    return out


def timed(run: Callable[[], object]) -> float:
    t = time.perf_counter()
    run()
    return time.perf_counter() - t


def stages(
    files: list[Path], settings: Settings, extractor: Extractor, tmp: Path, profile: bool
) -> tuple[dict[str, float], int, int, str]:
    """Seconds of each stage over ``files``; claims and links stored; the profile's table."""
    texts = [f.read_text(encoding="utf-8") for f in files]
    articles = [read_text(t, source=str(f)) for t, f in zip(texts, files, strict=True)]
    out: dict[str, float] = {}
    out["bare spaCy"] = timed(lambda: list(extractor.nlp.pipe(texts, batch_size=settings.batch_size)))
    out["analyze"] = timed(lambda: list(analyze_articles(articles, settings, extractor)))
    tag = str(abs(hash(tuple(files))))
    with Store(f"sqlite:///{tmp / f'plain{tag}.db'}") as store:
        out["ingest --no-link"] = timed(
            lambda: ingest(files, settings, store, extractor=extractor, link=False)
        )
    table = ""
    with Store(f"sqlite:///{tmp / f'link{tag}.db'}") as store:
        linker = Linker(store)
        linker.encode(["Warm up the sentence encoder."])
        linker.judge([("Warm up the pair judge.", "The pair judge warms up.")])
        profiler = cProfile.Profile() if profile else None
        t = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        report = ingest(files, settings, store, extractor=extractor, linker=linker)
        if profiler is not None:
            profiler.disable()
        out["ingest"] = time.perf_counter() - t
        if profiler is not None:
            buffer = io.StringIO()
            stats = pstats.Stats(profiler, stream=buffer)
            stats.sort_stats("tottime").print_stats(r"claimgraph|onnxruntime|sqlalchemy|spacy|thinc", 14)
            table = buffer.getvalue()
    return out, report.claims, report.links, table


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--texts", type=Path, default=DATA / "dev" / "text", help="news articles (.txt)")
    parser.add_argument(
        "--sentences", type=Path, default=DATA / "train" / "text", help="where sentences come from"
    )
    parser.add_argument("--limit", type=int, default=40, help="news articles")
    parser.add_argument("--short", type=int, default=400, help="one-sentence articles")
    parser.add_argument("--profile", action="store_true", help="where the linking ingest spends its time")
    args = parser.parse_args()

    settings = Settings()
    t = time.perf_counter()
    extractor = Extractor(settings)
    warm: list[Article] = [read_text("Officials said the talks had stalled.", source="warm")]
    list(analyze_articles(warm, settings, extractor))
    print(f"models loaded and warmed in {time.perf_counter() - t:.1f} s (not timed below)")

    figures: dict[str, object] = {"bench": "ingest"}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        (tmp / "short").mkdir()
        corpora = {
            "news": news(args.texts, args.limit),
            "one-sentence": one_sentence(args.sentences, args.short, tmp / "short"),
        }
        for name, files in corpora.items():
            secs, claims, links, table = stages(files, settings, extractor, tmp, args.profile)
            bare = secs["bare spaCy"]
            print(f"\n{name}: {len(files)} articles, {claims} claims, {links} links")
            print(f"{'':18}{'seconds':>9}{'articles/s':>12}{'x bare spaCy':>14}")
            for stage, s in secs.items():
                print(f"{stage:18}{s:9.1f}{len(files) / s:12.1f}{bare / s:14.2f}")
            ratio = bare / secs["ingest"]
            print(f"ingest / bare spaCy: {ratio:.2f} (goal >= {GOALS[name]})")
            if table:
                print(f"where the linking ingest of {name} spends its time (own time):\n{table}")
            figures[name] = {
                "articles": len(files),
                **{stage.replace(" ", "_"): round(len(files) / s, 2) for stage, s in secs.items()},
                "ingest_x_bare": round(ratio, 3),
                "goal": GOALS[name],
            }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
