"""The ``claimgraph`` command: a few lines over the library calls for each command."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from claimgraph.config import Settings
from claimgraph.errors import ClaimgraphError, InputError
from claimgraph.model import Article, Claim, ClaimRecord

app = typer.Typer(
    help="Read news into attributed claims with their source chains.\n\n"
    "Example: claimgraph analyze examples/nk-troops-withdrawn.txt",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Measure claimgraph against gold data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    str,
    typer.Option(
        "--db", help="Store URL: sqlite:///FILE (default) or postgresql://…", envvar="CLAIMGRAPH_DB"
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (the claim record of DESIGN.md).")]
OutletOption = Annotated[
    str | None, typer.Option("--outlet", help="Outlet of articles that do not name one.")
]
PublishedOption = Annotated[
    str | None, typer.Option("--published", help="Publication date (YYYY-MM-DD) of articles that lack one.")
]
ProcessesOption = Annotated[int, typer.Option("--processes", min=1, help="Worker processes for analysis.")]


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def _settings(**changes: Any) -> Settings:
    try:
        return Settings().with_(**{k: v for k, v in changes.items() if v is not None})
    except ClaimgraphError as e:
        _fail(str(e), 2)
        raise  # unreachable


def _check_date(published: str | None) -> None:
    if published is None:
        return
    from datetime import date

    try:
        date.fromisoformat(published)
    except ValueError:
        _fail(f"--published {published!r} is not a valid date; write it as YYYY-MM-DD", 2)


def chain_text(claim: Claim) -> str:
    """A chain as one line: 'writes The New York Times → citing American officials + Ukrainian officials'."""
    if not claim.chain:
        return "(own voice)"
    hops = []
    for hop in claim.chain:
        names = " + ".join(s.text + (f" [{s.name}]" if s.name else "") for s in hop.sources)
        hops.append(f"{hop.cue.text if hop.cue else ''} {names}".strip())
    return " → ".join(hops)


def _print_record(record: ClaimRecord) -> None:
    art = record.article
    title = art.title or art.source or art.id[:19]
    meta = " · ".join(x for x in (art.outlet, art.published, art.source) if x)
    table = Table(title=f"{escape(title)}\n[dim]{escape(meta)}[/]", show_lines=True, expand=True)
    table.add_column("#", justify="right", width=3)
    table.add_column("claim", ratio=3)
    table.add_column("chain (reporter → origin)", ratio=2)
    table.add_column("how sure", width=10)
    for n, claim in enumerate(record.claims, 1):
        content = escape(claim.content.text)
        if claim.direct_quote:
            content = f"[italic]{content}[/]"
        sure = f"{claim.certainty}{' not' if claim.polarity == 'negative' else ''}"
        table.add_row(str(n), content, escape(chain_text(claim)), sure)
    out.print(table)
    for warning in art.warnings:
        err.print(f"[yellow]warning:[/] {art.source}: {warning}", highlight=False)


def _load_extractor(settings: Settings) -> Any:
    from claimgraph.nlp.pipeline import Extractor

    try:
        return Extractor(settings)
    except ClaimgraphError as e:
        _fail(str(e))


@app.command()
def analyze(
    files: Annotated[
        list[Path], typer.Argument(help="Article files or folders (.txt, .json, .jsonl, .html).")
    ],
    as_json: JsonOption = False,
    outlet: OutletOption = None,
    published: PublishedOption = None,
    processes: ProcessesOption = 1,
) -> None:
    """Print the claims of each article and the chain of sources behind each.

    Example: claimgraph analyze examples/nk-troops-withdrawn.txt --json
    """
    from claimgraph.run import analyze_articles, read_articles

    _check_date(published)
    settings = _settings(processes=processes)
    failed = 0
    articles: list[Article] = []
    for item in read_articles(files, settings, outlet=outlet, published=published):
        if isinstance(item, InputError):
            failed += 1
            err.print(f"[bold red]error:[/] {item}", highlight=False)
        else:
            articles.append(item)
    extractor = _load_extractor(settings) if articles and processes == 1 else None
    for record in analyze_articles(articles, settings, extractor):
        if as_json:
            sys.stdout.write(record.dumps() + "\n")
        else:
            _print_record(record)
    if failed:
        raise typer.Exit(1)


def _open_store(db: str) -> Any:
    from claimgraph.store import Store

    try:
        return Store(db)
    except ClaimgraphError as e:
        _fail(str(e))


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders to read.")],
    db: DbOption = "sqlite:///claimgraph.db",
    outlet: OutletOption = None,
    published: PublishedOption = None,
    processes: ProcessesOption = 1,
) -> None:
    """Read, analyse and store every article under the paths; report what could not be read.

    Example: claimgraph ingest examples/ --db sqlite:///claims.db
    """
    from claimgraph.ingest import iter_files
    from claimgraph.run import ingest as run_ingest

    _check_date(published)
    settings = _settings(processes=processes, db_url=db)
    store = _open_store(db)
    total = sum(1 for _ in iter_files(paths))
    extractor = _load_extractor(settings) if processes == 1 else None
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    ) as progress:
        task = progress.add_task("reading", total=total)
        seen: set[str] = set()

        def on_article(item: Article | InputError) -> None:
            where = item.where.rsplit(":", 1)[0] if isinstance(item, InputError) else (item.source or "")
            if isinstance(item, InputError):
                progress.console.print(f"[bold red]error:[/] {item}", highlight=False)
            if where not in seen:
                seen.add(where)
                progress.advance(task)

        try:
            report = run_ingest(
                paths, settings, store, outlet=outlet, published=published,
                extractor=extractor, on_article=on_article,
            )  # fmt: skip
        except ClaimgraphError as e:
            _fail(str(e))
        progress.update(task, completed=total)
    err.print(
        f"stored {report.stored} article(s) with {report.claims} claim(s); "
        f"{report.already} already stored; {len(report.failed)} failed",
        highlight=False,
    )
    if report.failed:
        raise typer.Exit(1)


@app.command()
def claims(
    db: DbOption = "sqlite:///claimgraph.db",
    source: Annotated[str | None, typer.Option(help="Only claims with this source (any hop).")] = None,
    contains: Annotated[
        str | None, typer.Option(help="Only claims whose content contains this text.")
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many claims.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List stored claims.

    Example: claimgraph claims --source "New York Times"
    """
    store = _open_store(db)
    rows = store.claims(source=source, contains=contains, limit=limit)
    grouped: dict[str, tuple[Article, list[Claim]]] = {}
    for article, claim in rows:
        grouped.setdefault(article.id, (article, []))[1].append(claim)
    if as_json:
        for article, cs in grouped.values():
            sys.stdout.write(ClaimRecord(article, tuple(cs)).dumps() + "\n")
        return
    table = Table(show_lines=True, expand=True)
    table.add_column("article", ratio=1)
    table.add_column("claim", ratio=3)
    table.add_column("chain (reporter → origin)", ratio=2)
    for article, cs in grouped.values():
        for claim in cs:
            table.add_row(
                article.title or article.source or article.id[:19], claim.content.text, chain_text(claim)
            )
    out.print(table)
    err.print(f"{len(rows)} claim(s)")


def _eval_progress(label: str) -> tuple[Progress, Callable[[int, int], None]]:
    progress = Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True
    )
    task = progress.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    return progress, update


@eval_app.command("polnear")
def eval_polnear(
    folder: Annotated[Path, typer.Argument(help="A PolNeAR-style folder with text/ and attributions/.")],
    as_json: JsonOption = False,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N articles.")] = None,
) -> None:
    """Score attribution (cue, source, content; exact and overlap) as BBC Citron does.

    Example: claimgraph eval polnear ../shared/data/polnear/dev
    """
    from claimgraph.evaluation.polnear import evaluate_polnear, format_table

    extractor = _load_extractor(_settings())

    def predict(text: str) -> list[Any]:
        return extractor.attributions(extractor.nlp(text))

    progress, update = _eval_progress("scoring")
    try:
        with progress:
            scores = evaluate_polnear(folder, predict, progress=update, limit=limit)
    except ClaimgraphError as e:
        _fail(str(e))
    _print_scores(scores, format_table(scores), as_json)


def _print_scores(scores: dict[str, Any], table: str, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(scores) + "\n")
    else:
        out.print(table, highlight=False)


@eval_app.command("timebank")
def eval_timebank(
    folder: Annotated[Path, typer.Argument(help="TimeML folder (TimeBank + AQUAINT .tml files).")],
    as_json: JsonOption = False,
) -> None:
    """Time expressions: extent (strict, relaxed) and value F1 as TempEval-3 defines them.

    Example: claimgraph eval timebank ../shared/data/timebank
    """
    from claimgraph.evaluation.timebank import evaluate_timebank, format_table

    progress, update = _eval_progress("scoring")
    try:
        with progress:
            scores = evaluate_timebank(folder, progress=update)
    except ClaimgraphError as e:
        _fail(str(e))
    _print_scores(scores, format_table(scores), as_json)


@eval_app.command("newsquant")
def eval_newsquant(
    file: Annotated[Path, typer.Argument(help="NewsQuant JSON file (e.g. NewsQuant.dev.json).")],
    extractor: Annotated[
        str, typer.Option(help="Whose quantities to score: claimgraph, or quantulum3 for comparison.")
    ] = "claimgraph",
    as_json: JsonOption = False,
) -> None:
    """Quantities: value, value+unit and value+change F1 as the CQE paper defines them.

    Example: claimgraph eval newsquant ../shared/data/newsquant/NewsQuant.dev.json
    """
    from claimgraph.evaluation.newsquant import evaluate_newsquant, format_table

    progress, update = _eval_progress("scoring")
    try:
        with progress:
            scores = evaluate_newsquant(file, extractor=extractor, progress=update)
    except ClaimgraphError as e:
        _fail(str(e))
    _print_scores(scores, format_table(scores), as_json)


@eval_app.command("certainty")
def eval_certainty(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL (tests/data/certainty_gold.jsonl).")],
    texts: Annotated[Path, typer.Argument(help="Folder of the gold items' article texts (PolNeAR train/text).")],
    as_json: JsonOption = False,
) -> None:
    """Certainty × polarity accuracy against hand-labelled claims.

    Example: claimgraph eval certainty tests/data/certainty_gold.jsonl ../shared/data/polnear/train/text
    """
    from claimgraph.evaluation.certainty import evaluate_certainty, extractor_predictor, format_table

    predict = extractor_predictor(_load_extractor(_settings()))
    progress, update = _eval_progress("scoring")
    try:
        with progress:
            scores = evaluate_certainty(gold, texts, predict, progress=update)
    except ClaimgraphError as e:
        _fail(str(e))
    _print_scores(scores, format_table(scores), as_json)


def main() -> None:
    try:
        app()
    except ClaimgraphError as e:  # anything the commands did not turn into a message
        err.print(f"[bold red]error:[/] {e}", highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
