"""The ``claimgraph`` command: a few lines over the library calls for each command."""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape as _markup_escape
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
MaxBytesOption = Annotated[
    int | None, typer.Option("--max-bytes", min=1, help="Largest file read, in bytes (default 20,000,000).")
]
AllowPrivateOption = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        help="Fetch URLs at private, loopback and link-local addresses too (refused by default).",
    ),
]
SplitOption = Annotated[
    str,
    typer.Option(
        "--split",
        help="Part of the committed split to score: tune (for choices), check (figures) or all.",
    ),
]
GazetteerOption = Annotated[
    list[Path] | None,
    typer.Option("--gazetteer", help="Your own gazetteer TSV, extending the shipped one (repeatable)."),
]


# the filters of `claims`, which `export` takes too (query.ClaimQuery)
SourceFilter = Annotated[
    str | None, typer.Option(help="Only claims with this source (any hop; any alias of an identity).")
]
AboutFilter = Annotated[
    str | None, typer.Option(help="Only claims about this identity (any alias), or mentioning this text.")
]
ContainsFilter = Annotated[str | None, typer.Option(help="Only claims whose content contains this text.")]
EntityFilter = Annotated[
    str | None, typer.Option(help="Only claims naming this identity anywhere (source or content).")
]
CertaintyFilter = Annotated[
    str | None, typer.Option(help="Only claims of this certainty: certain, probable, possible, unknown.")
]
PolarityFilter = Annotated[str | None, typer.Option(help="Only positive or only negative claims.")]
EventFilter = Annotated[str | None, typer.Option(help="Only claims of this event type.")]
SinceFilter = Annotated[
    str | None, typer.Option(help="Only articles published on or after this date (YYYY[-MM[-DD]]).")
]
UntilFilter = Annotated[
    str | None, typer.Option(help="Only articles published on or before this date (YYYY[-MM[-DD]]).")
]
OrderOption = Annotated[
    str, typer.Option(help="stored (as stored), published (oldest first) or -published (newest first).")
]
LimitOption = Annotated[int | None, typer.Option(min=1, help="At most this many claims.")]
OffsetOption = Annotated[int, typer.Option(min=0, help="Skip this many claims first.")]


def _claim_query(**filters: Any) -> Any:
    """The ``ClaimQuery`` of the filter options, the dates checked (exit 2 for a bad one)."""
    from claimgraph.query import ClaimQuery

    for flag in ("since", "until"):
        value = filters[flag]
        if value is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
            _fail(f"--{flag} takes a date as YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}", 2)
    filters["text"] = filters.pop("contains")
    filters["limit"] = filters["limit"] or 0
    return ClaimQuery(**filters)


# what must not reach a terminal from an article or a file name: C0 controls but tab and
# newline, DEL and C1 controls (ESC sequences, OSC titles, CSI), and lone surrogates
_SURROGATES = "\ud800-\udfff"
_CONTROLS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_SURROGATES}]")
# characters that reorder what follows them: shown, not obeyed
_BIDI_CHARS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_BIDI = re.compile(f"[{_BIDI_CHARS}]")


def inert(text: object) -> str:
    """Text safe to print: controls removed, bidi overrides shown as <U+202E>."""
    return _BIDI.sub(lambda m: f"<U+{ord(m.group()):04X}>", _CONTROLS.sub("", str(text)))


class _InertWriter(io.TextIOBase):
    """A text stream that writes to another what ``inert`` leaves of each piece."""

    def __init__(self, target: Any) -> None:
        self.target = target

    def write(self, text: str) -> int:
        self.target.write(inert(text))
        return len(text)

    def flush(self) -> None:
        self.target.flush()


def escape(text: object) -> str:
    """Text from an article or a file for rich: inert, and its [brackets] not read as markup."""
    return _markup_escape(inert(text))


# inside a JSON string: C1 controls and bidi overrides written as \u escapes (the same JSON)
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_BIDI_CHARS}\u2028\u2029]")


def _write_json(line: str) -> None:
    """One line of JSON to stdout, exact, with nothing in it a terminal would obey."""
    sys.stdout.write(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", line) + "\n")


def _fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def _settings(**changes: Any) -> Settings:
    try:
        return Settings().with_(**{k: v for k, v in changes.items() if v is not None})
    except ClaimgraphError as e:
        _fail(str(e), 2)
        raise  # unreachable


def _gazetteers(paths: list[Path] | None) -> tuple[str, ...] | None:
    """User gazetteer files, checked now so that a bad one stops the command before any work."""
    if not paths:
        return None
    from claimgraph.link.gazetteer import Gazetteer

    try:
        Gazetteer.load(paths)
    except ClaimgraphError as e:
        _fail(str(e), 2)
    return tuple(str(p) for p in paths)


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


def _warn(article: Article, console: Console | None = None) -> None:
    """What the reader guessed, replaced or could not read in an article, one line each."""
    for warning in article.warnings:
        (console or err).print(
            f"[yellow]warning:[/] {escape(article.source or article.id)}: {escape(warning)}", highlight=False
        )


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
    gazetteer: GazetteerOption = None,
    max_bytes: MaxBytesOption = None,
) -> None:
    """Print the claims of each article and the chain of sources behind each.

    Example: claimgraph analyze examples/nk-troops-withdrawn.txt --json
    """
    from claimgraph.run import analyze_each, read_articles

    _check_date(published)
    settings = _settings(processes=processes, gazetteers=_gazetteers(gazetteer), max_bytes=max_bytes)
    failed = 0
    articles: list[Article] = []
    skipped: list[Path] = []
    for item in read_articles(files, settings, outlet=outlet, published=published, skipped=skipped):
        if isinstance(item, InputError):
            failed += 1
            err.print(f"[bold red]error:[/] {escape(item)}", highlight=False)
        else:
            articles.append(item)
    _say_skipped(skipped)
    extractor = _load_extractor(settings) if articles and processes == 1 else None
    for record in analyze_each(articles, settings, extractor):
        if isinstance(record, InputError):
            failed += 1
            err.print(f"[bold red]error:[/] {escape(record)}", highlight=False)
            continue
        _warn(record.article)
        if as_json:
            _write_json(record.dumps())
        else:
            _print_record(record)
    if failed:
        err.print(f"{failed} input(s) failed", highlight=False)
        raise typer.Exit(1)


def _say_skipped(skipped: list[Path]) -> None:
    """One line for what a folder walk left out, so that nothing is skipped without a word."""
    if not skipped:
        return
    names = ", ".join(escape(p.name) for p in skipped[:5]) + (", …" if len(skipped) > 5 else "")
    err.print(
        f"[dim]skipped {len(skipped)} path(s) in the folders (hidden, README/LICENSE/*.md, *.gold.*, "
        f"linked folders): {names}; name a file directly to read it[/]",
        highlight=False,
    )


def _say_failed(report: Any) -> None:
    """The inputs an evaluation could not ingest: its scores are without them."""
    for error in report.failed:
        err.print(f"[bold red]error:[/] {escape(error)} (left out of the scores)", highlight=False)


def _open_store(db: str, *, create: bool = False) -> Any:
    """The store at ``db``. Only commands that write (ingest, relink, merges) create or
    upgrade one; the others fail, creating nothing, where there is no store."""
    from claimgraph.store import Store

    try:
        return Store(db, create=create)
    except ClaimgraphError as e:
        _fail(str(e))


def _check_dask(address: str, processes: int) -> None:
    """A usable ``--dask`` address, alone, with ``distributed`` installed: checked before any work."""
    from claimgraph.distributed import parse_address, require_distributed

    if processes > 1:
        _fail(
            "--dask and --processes cannot be used together: the Dask workers are the processes "
            "(--dask local:N for N of them on this machine)",
            2,
        )
    try:
        parse_address(address)
        require_distributed()
    except ClaimgraphError as e:
        _fail(str(e), 2)


@app.command()
def ingest(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH|URL...",
            help="Files and folders to read; http(s) URLs of pages, or of feeds whose pages are fetched.",
        ),
    ],
    db: DbOption = "sqlite:///claimgraph.db",
    outlet: OutletOption = None,
    published: PublishedOption = None,
    processes: ProcessesOption = 1,
    gazetteer: GazetteerOption = None,
    max_bytes: MaxBytesOption = None,
    link: Annotated[
        bool, typer.Option("--link/--no-link", help="Link claims across articles (sentence embeddings).")
    ] = True,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            metavar="ADDRESS",
            help="Read and analyse on a Dask cluster: local:N (N worker processes on this machine) "
            "or tcp://HOST:PORT (a running scheduler whose workers have claimgraph installed and see "
            "the paths); this process alone writes the store. Needs pip install 'claimgraph[dask]'.",
        ),
    ] = None,
    allow_private: AllowPrivateOption = False,
) -> None:
    """Read, analyse and store every article under the paths and at the URLs; report what could
    not be read.

    A URL is a page or an RSS/Atom feed (its entries' pages are fetched). Fetches are conditional
    on the last one (an unchanged page is not fetched again), follow robots.txt and wait between
    requests to one host; a page that changed is stored as a new version of its article.

    Example: claimgraph ingest examples/ https://example.org/feed.xml --db sqlite:///claims.db
    """
    from claimgraph.ingest import iter_files
    from claimgraph.ingest.urls import is_url
    from claimgraph.run import ingest as run_ingest

    _check_date(published)
    if dask is not None:
        _check_dask(dask, processes)
    settings = _settings(
        processes=processes, db_url=db, gazetteers=_gazetteers(gazetteer), max_bytes=max_bytes,
        allow_private=allow_private,
    )  # fmt: skip
    urls = [x for x in inputs if is_url(x)]
    paths = [Path(x) for x in inputs if not is_url(x)]
    if urls and dask is not None:
        _fail("--dask reads files; fetch URLs without it", 2)
    store = _open_store(db, create=True)
    failed = 0
    if urls:
        failed = _ingest_urls(urls, settings, store, outlet=outlet, link=link)
        if not paths:
            if failed:
                raise typer.Exit(1)
            return
    skipped: list[Path] = []
    total = sum(1 for _ in iter_files(paths, skipped))
    _say_skipped(skipped)
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
                progress.console.print(f"[bold red]error:[/] {escape(item)}", highlight=False)
            else:
                _warn(item, progress.console)
            if where not in seen:
                seen.add(where)
                progress.advance(task)

        def on_partition(done: Any) -> None:
            progress.update(task, description=f"partitions {done.done}/{done.total}")

        try:
            report = run_ingest(
                paths, settings, store, outlet=outlet, published=published,
                on_article=on_article, link=link, dask=dask, on_partition=on_partition,
            )  # fmt: skip
        except ClaimgraphError as e:
            _fail(str(e))
        progress.update(task, completed=total)
    err.print(
        f"stored {report.stored} article(s) with {report.claims} claim(s) and {report.links} link(s); "
        f"{report.already} already stored; {len(report.failed)} failed",
        highlight=False,
    )
    if report.failed or (urls and failed):
        raise typer.Exit(1)


def _ingest_urls(urls: list[str], settings: Settings, store: Any, *, outlet: str | None, link: bool) -> int:
    """Fetch and store the pages at the URLs (feeds: their entries' pages), a line for each;
    RETURNS how many failed."""
    from claimgraph.run import fetcher, ingest_urls

    def on_url(url: str, what: str) -> None:
        style = "bold red" if what.startswith("failed") else "dim"
        err.print(f"[{style}]{escape(url)}: {escape(what)}[/]", highlight=False)

    with fetcher(settings) as fetch:
        try:
            report = ingest_urls(urls, settings, store, fetch, outlet=outlet, link=link, on_url=on_url)
        except ClaimgraphError as e:
            _fail(str(e))
    err.print(
        f"stored {report.stored} article(s) with {report.claims} claim(s) and {report.links} link(s); "
        f"{report.unchanged} unchanged; {len(report.versions)} new version(s); "
        f"{report.already} already stored; {len(report.failed)} failed",
        highlight=False,
    )
    return len(report.failed)


_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d)?", re.IGNORECASE)


def _interval(value: str) -> float:
    """Seconds in "90s", "15m", "2h", "1d" or a plain number of seconds."""
    match = _INTERVAL.fullmatch(value.strip())
    if match is None:
        _fail(f"--every takes a time such as 15m, 1h or 90s, not {value!r}", 2)
    unit = (match.group(2) or "s").lower()[0]
    seconds = float(match.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
    if seconds < 10:
        _fail("--every must be 10 seconds or more", 2)
    return seconds


def _feeds(path: Path) -> list[str]:
    """The URLs of a feeds file: one a line; blank lines and lines starting with # left out."""
    from claimgraph.ingest.fetch import check_url

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        _fail(f"cannot read {path}: {e}")
    urls = []
    for n, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            urls.append(check_url(line))
        except InputError as e:
            _fail(f"{path}:{n}: {e.reason}")
    if not urls:
        _fail(f"{path} names no URL (one a line; # starts a comment)")
    return urls


@app.command()
def watch(
    feeds: Annotated[
        Path, typer.Argument(help="A text file of feed (or page) URLs, one a line; # for comments.")
    ],
    db: DbOption = "sqlite:///claimgraph.db",
    every: Annotated[str, typer.Option(help="Time between two rounds: 15m, 1h, 90s…")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="One round, then stop.")] = False,
    outlet: OutletOption = None,
    allow_private: AllowPrivateOption = False,
    max_bytes: MaxBytesOption = None,
    link: Annotated[
        bool, typer.Option("--link/--no-link", help="Link claims across articles (sentence embeddings).")
    ] = True,
) -> None:
    """Follow feeds: fetch each feed and its new pages now and every --every, until Ctrl+C.

    Unchanged feeds and pages are not fetched again (ETag / Last-Modified); a page that changed
    is stored as a new version. The file is read again each round, so edits apply.

    Example: claimgraph watch feeds.txt --every 15m
    """
    import time

    from claimgraph.run import fetcher, ingest_urls

    seconds = _interval(every)
    _feeds(feeds)  # a bad file fails now, not in an hour
    settings = _settings(db_url=db, max_bytes=max_bytes, allow_private=allow_private)
    store = _open_store(db, create=True)

    def on_url(url: str, what: str) -> None:
        style = "bold red" if what.startswith("failed") else "dim"
        err.print(f"[{style}]{escape(url)}: {escape(what)}[/]", highlight=False)

    rounds = 0
    try:
        with fetcher(settings) as fetch:
            from claimgraph.run import Linker

            linker = Linker(store)
            while True:
                rounds += 1
                started = time.monotonic()
                report = ingest_urls(
                    _feeds(feeds),
                    settings,
                    store,
                    fetch,
                    outlet=outlet,
                    linker=linker,
                    link=link,
                    on_url=on_url,
                )
                err.print(
                    f"round {rounds}: stored {report.stored} article(s) with {report.claims} claim(s); "
                    f"{report.unchanged} unchanged; {len(report.versions)} new version(s); "
                    f"{len(report.failed)} failed",
                    highlight=False,
                )
                if once:
                    if report.failed:
                        raise typer.Exit(1)
                    return
                time.sleep(max(0.0, seconds - (time.monotonic() - started)))
    except KeyboardInterrupt:
        err.print(f"stopped after {rounds} round(s)")
    except ClaimgraphError as e:
        _fail(str(e))


@app.command()
def claims(
    db: DbOption = "sqlite:///claimgraph.db",
    source: SourceFilter = None,
    about: AboutFilter = None,
    contains: ContainsFilter = None,
    entity: EntityFilter = None,
    certainty: CertaintyFilter = None,
    polarity: PolarityFilter = None,
    event: EventFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    order: OrderOption = "stored",
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    as_json: JsonOption = False,
) -> None:
    """List stored claims.

    Example: claimgraph claims --source NYT --about "North Korea" --since 2025-01
    """
    from claimgraph.query import ClaimPage, all_claims

    q = _claim_query(
        source=source, about=about, entity=entity, certainty=certainty, polarity=polarity, event=event,
        since=since, until=until, contains=contains, order=order, limit=limit, offset=offset,
    )  # fmt: skip
    store = _open_store(db)
    try:
        rows = all_claims(store, q)
    except ValueError as e:
        _fail(str(e), 2)
    records = ClaimPage(rows, q).records()
    if as_json:
        for record in records:
            _write_json(record.dumps())
        return
    table = Table(show_lines=True, expand=True)
    table.add_column("article", ratio=1)
    table.add_column("claim", ratio=3)
    table.add_column("chain (reporter → origin)", ratio=2)
    for record in records:
        article = record.article
        for claim in record.claims:
            table.add_row(
                escape(article.title or article.source or article.id[:19]),
                escape(claim.content.text),
                escape(chain_text(claim)),
            )
    out.print(table)
    err.print(f"{len(rows)} claim(s)")


@app.command()
def export(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="jsonl, csv, parquet, claimreview (schema.org JSON-LD), prov (PROV-JSON) or plover.",
        ),
    ],
    db: DbOption = "sqlite:///claimgraph.db",
    out_path: Annotated[
        Path | None,
        typer.Option(
            "--out", help="File to write (whole or not at all); stdout when left out, but parquet needs one."
        ),
    ] = None,
    acled: Annotated[
        Path | None,
        typer.Option(
            "--acled", help="plover: the ACLED-style CSV (default: beside --out as NAME.acled.csv)."
        ),
    ] = None,
    source: SourceFilter = None,
    about: AboutFilter = None,
    contains: ContainsFilter = None,
    entity: EntityFilter = None,
    certainty: CertaintyFilter = None,
    polarity: PolarityFilter = None,
    event: EventFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    order: OrderOption = "stored",
    limit: LimitOption = None,
    offset: OffsetOption = 0,
) -> None:
    """Export the claims the filters select (the filters of `claims`) to another format.

    jsonl: claim records; csv and parquet: a row per claim, the chain flattened;
    claimreview: a schema.org ClaimReview skeleton per cluster; prov: W3C PROV-JSON of the
    chains; plover: PLOVER event records (JSON lines) and an ACLED-style CSV beside them.

    Example: claimgraph export --format claimreview --about "North Korea" --out claims.jsonld
    """
    from claimgraph.interfaces.export import FORMATS, ExportError, write_files

    if fmt not in FORMATS:
        _fail(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}", 2)
    if fmt == "parquet" and out_path is None:
        _fail("parquet is a binary format: name the file to write with --out FILE", 2)
    if acled is not None and fmt != "plover":
        _fail("--acled goes with --format plover only", 2)
    q = _claim_query(
        source=source, about=about, entity=entity, certainty=certainty, polarity=polarity, event=event,
        since=since, until=until, contains=contains, order=order, limit=limit, offset=offset,
    )  # fmt: skip
    store = _open_store(db)
    try:
        # a table on a terminal: what articles hold is made inert there as everywhere (a file
        # or a pipe gets the data as it is)
        on_terminal = out_path is None and fmt == "csv" and sys.stdout.isatty()
        screen: Any = _InertWriter(sys.stdout) if on_terminal else None
        result = write_files(store, fmt, q, out_path, acled=acled, stdout=screen)
    except ExportError as e:
        _fail(str(e), 2)
    except ValueError as e:
        _fail(str(e), 2)
    except OSError as e:
        _fail(f"cannot write the export: {e.strerror or e}")
    where = f" to {out_path}" if out_path is not None else ""
    message = f"exported {result.records} {fmt} record(s){where}"
    if result.acled_rows is not None:
        from claimgraph.interfaces.export import acled_path_beside

        acled_at = acled or (acled_path_beside(out_path) if out_path is not None else None)
        message += f"; {result.acled_rows} ACLED row(s) to {acled_at}"
    elif fmt == "plover":
        message += " (no ACLED CSV: name one with --acled FILE, or write the records with --out FILE)"
    err.print(escape(message), highlight=False)


@app.command()
def entities(
    db: DbOption = "sqlite:///claimgraph.db",
    kind: Annotated[
        str | None, typer.Option(help="Only this kind: person, media, military, government, country, …")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List the canonical identities in the store, with their aliases and how often claims name them.

    Example: claimgraph entities --kind person
    """
    from claimgraph.query import entities as list_identities

    rows = list_identities(_open_store(db), kind)
    if as_json:
        for row in rows:
            _write_json(json.dumps(row.to_json(), ensure_ascii=False))
        return
    table = Table(expand=True)
    for col in ("id", "kind", "name", "aliases", "origin", "relay", "about"):
        table.add_column(col, justify="right" if col in {"origin", "relay", "about"} else "left")
    for r in rows:
        table.add_row(
            escape(r.id), escape(r.kind), escape(r.name), escape(", ".join(r.aliases[:6])), str(r.origin),
            str(r.relay), str(r.about),
        )  # fmt: skip
    out.print(table)
    err.print(f"{len(rows)} identit{'y' if len(rows) == 1 else 'ies'}")


@app.command()
def entity(
    words: Annotated[list[str], typer.Argument(help="NAME; or: merge A B; or: unmerge MERGE_ID; or: merges")],
    db: DbOption = "sqlite:///claimgraph.db",
    as_json: JsonOption = False,
) -> None:
    """Show one identity (any alias): its names, roles over time, the claims it made and the claims about it.

    `entity merge A B` records that A is B (every alias of A then finds B); `entity unmerge ID`
    undoes a merge; `entity merges` lists them.

    Example: claimgraph entity "Syrskyi"; claimgraph entity merge "Oleksandr Syrsky" "Oleksandr Syrskyi"
    """
    writes = (words[0], len(words)) in {("merge", 3), ("unmerge", 2)}
    store = _open_store(db, create=writes)
    try:
        if words[0] == "merge" and len(words) == 3:
            merge_id = store.merge_identities(words[1], words[2])
            into = store.find_identity(words[2])
            if as_json:
                _write_json(json.dumps({"merge": merge_id, "identity": into}))
            else:
                undo = f"undo: claimgraph entity unmerge {merge_id}"
                out.print(f"merged {escape(words[1])} into {escape(into)} (merge {merge_id}; {undo})")
            return
        if words[0] == "unmerge" and len(words) == 2:
            if not words[1].isdigit():
                _fail(f"a merge id is a number, not {words[1]!r}; 'claimgraph entity merges' lists them", 2)
            a, b = store.undo_merge(int(words[1]))
            if as_json:
                _write_json(json.dumps({"unmerged": int(words[1]), "from": a, "into": b}))
            else:
                out.print(f"undid merge {words[1]}: {escape(a)} and {escape(b)} are two identities again")
            return
        if words == ["merges"]:
            log = store.merges()
            if as_json:
                for row in log:
                    _write_json(json.dumps(row))
            else:
                for row in log:
                    state = f"undone {row['undone_at']}" if row["undone_at"] else "in force"
                    out.print(escape(f"{row['id']}: {row['from']} → {row['into']} ({row['at']}, {state})"))
            return
        from claimgraph.query import entity as entity_view

        name = " ".join(words)
        detail = entity_view(store, name)
    except ClaimgraphError as e:
        _fail(str(e))
    if detail is None:
        _fail(f"no identity named {name!r}; 'claimgraph entities' lists them")
    if as_json:
        _write_json(json.dumps(detail, ensure_ascii=False))
        return
    ident = detail["identity"]
    name_, kind_ = escape(ident.get("name", ident["id"])), escape(ident.get("kind"))
    out.print(f"[bold]{name_}[/] ({escape(ident['id'])}, {kind_})")
    if ident.get("aliases"):
        out.print("aliases: " + escape(", ".join(ident["aliases"])))
    for key in ("side", "parent"):
        if ident.get(key):
            out.print(f"{key}: {escape(ident[key])}")
    for role in detail["roles"]:
        out.print(f"role: {escape(role['role'])} ({escape(role['first'])} – {escape(role['last'])})")
    out.print(f"claims made (origin or relay): {len(detail['claims_made'])}")
    out.print(f"claims about it: {len(detail['claims_about'])}")


def _print_cluster(rep: Any) -> None:
    data = rep.to_json()
    out.print(
        f"[bold]{escape(data['id'])}[/]  {data['size']} claims · "
        f"{data['independent_origins']} independent origin(s): "
        + escape(", ".join(o["name"] for o in data["origins"]))
    )
    for c in data["claims"]:
        art = c["article"]
        where = " · ".join(x for x in (art.get("outlet"), art.get("published"), art.get("title")) if x)
        out.print(f"  • {escape(c['content']['text'])}\n    [dim]{escape(where)}[/]")
    for r in data["relays"]:
        out.print(f"  relay: {escape(r['from_name'])} → {escape(r['to_name'])}")
    for flag in data["circular"]:
        out.print(f"  [yellow]circular:[/] {escape(flag)}")
    for lk in data["links"]:
        out.print(f"  [dim]linked: {escape('; '.join(lk['reasons']) or str(lk['score']))}[/]")
    for c in data["contradictions"]:
        out.print(f"  [red]{escape(c['kind'])}:[/] {escape(c['reason'])}")


@app.command()
def clusters(
    db: DbOption = "sqlite:///claimgraph.db",
    min_size: Annotated[
        int, typer.Option(min=1, help="Only clusters of at least N claims (1: singletons too).")
    ] = 2,
    min_origins: Annotated[
        int, typer.Option(min=1, help="Only clusters with at least N independent origins.")
    ] = 1,
    as_json: JsonOption = False,
) -> None:
    """List claims reported more than once: members, independent origins, relays, contradictions.

    Clusters with most independent origins come first, then those reported by most articles;
    single claims are hidden unless --min-size 1.

    Example: claimgraph clusters --min-origins 2 --json
    """
    from claimgraph.query import cluster_reports

    store = _open_store(db)
    n = 0
    for rep in cluster_reports(store, min_size=min_size, min_origins=min_origins):
        n += 1
        if as_json:
            _write_json(json.dumps(rep.to_json(), ensure_ascii=False))
        else:
            _print_cluster(rep)
    if not as_json:
        err.print(f"{n} cluster(s)")


@app.command()
def cluster(
    name: Annotated[str, typer.Argument(help="A cluster id (or the id of any claim in it).")],
    db: DbOption = "sqlite:///claimgraph.db",
    as_json: JsonOption = False,
) -> None:
    """Show one cluster: its claims, independent origins, relay tree and contradictions.

    Example: claimgraph cluster claim:3cad3d2eddd42d0b9d0f
    """
    from claimgraph.query import cluster_report

    rep = cluster_report(_open_store(db), name)
    if rep is None:
        _fail(f"no cluster or claim {name!r}; 'claimgraph clusters' lists them")
        return
    if as_json:
        _write_json(json.dumps(rep.to_json(), ensure_ascii=False))
    else:
        _print_cluster(rep)


@app.command()
def contradictions(db: DbOption = "sqlite:///claimgraph.db", as_json: JsonOption = False) -> None:
    """List claims that cannot both hold: numbers beyond what "about" allows, opposite polarity, denials.

    Example: claimgraph contradictions --json
    """
    from claimgraph.query import contradiction_list

    rows = contradiction_list(_open_store(db))
    for r in rows:
        if as_json:
            _write_json(json.dumps(r, ensure_ascii=False))
            continue
        out.print(f"[red]{escape(r['kind'])}[/]: {escape(r['reason'])}")
        for side in (r["a"], r["b"]):
            art = side["article"]
            out.print(
                f"  • {escape(side['text'])}\n    [dim]{escape(', '.join(side['origins']))} · "
                f"{escape(art.get('outlet') or '')} {escape(art.get('published') or '')}[/]"
            )
    if not as_json:
        err.print(f"{len(rows)} contradiction(s)")


@app.command()
def timeline(
    what: Annotated[str, typer.Argument(help="A cluster id, an identity (any alias) or a quantity phrase.")],
    db: DbOption = "sqlite:///claimgraph.db",
    as_json: JsonOption = False,
) -> None:
    """Reported values over time, with when each report appeared and the time it is about.

    Example: claimgraph timeline "North Korean troops"
    """
    from claimgraph.query import timeline as build

    data = build(_open_store(db), what)
    if data is None:
        _fail(f"no cluster, identity or counted quantity named {what!r}")
        return
    if as_json:
        _write_json(json.dumps(data, ensure_ascii=False))
        return
    table = Table(title=escape(data["timeline"]), expand=True, show_lines=True)
    for col in ("published", "about", "values", "claim", "origins"):
        table.add_column(col)
    for e in data["entries"]:
        about = ", ".join(f"{t['text']} ({t.get('value')})" for t in e["about"])
        values = ", ".join(q["text"] for q in e["values"])
        table.add_row(
            escape(e["published"] or ""),
            escape(about),
            escape(values),
            escape(e["text"]),
            escape(", ".join(e["origins"])),
        )
    out.print(table)


@app.command()
def serve(
    db: DbOption = "sqlite:///claimgraph.db",
    host: Annotated[
        str, typer.Option(help="Address to listen on: 127.0.0.1 (this machine only) unless told otherwise.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            help="Bearer token that POST /api/articles (the endpoint that writes) asks for.",
            envvar="CLAIMGRAPH_TOKEN",
        ),
    ] = None,
    max_body: Annotated[
        int, typer.Option(min=1_000, help="Largest request body read, in bytes (default 5,000,000).")
    ] = 5_000_000,
) -> None:
    """Serve the web pages and the REST API over a store (created if missing).

    Open http://127.0.0.1:8000/ for the pages; the API's schema is at /openapi.json.

    Example: claimgraph serve --db sqlite:///claimgraph.db --port 8000
    """
    import threading

    import uvicorn

    from claimgraph.interfaces.api import create_app
    from claimgraph.interfaces.service import Service

    try:
        service = Service(db, token=token)
    except ClaimgraphError as e:
        _fail(str(e))
    if host not in {"127.0.0.1", "localhost", "::1"} and token is None:
        err.print(
            f"[yellow]warning:[/] listening on {escape(host)} without --token: anyone who can reach it "
            "can store articles",
            highlight=False,
        )
    # the pipeline loads while the server starts: the first analysis does not wait for it
    threading.Thread(target=service.warm, daemon=True).start()
    shown = f"[{host}]" if ":" in host else host
    err.print(f"claimgraph: serving {escape(db)} at http://{escape(shown)}:{port}/ (Ctrl+C stops)")
    uvicorn.run(create_app(service, max_body=max_body), host=host, port=port, log_level="warning")


@app.command()
def relink(db: DbOption = "sqlite:///claimgraph.db") -> None:
    """Link every stored claim again from scratch (after merging identities, or a new linking model).

    Example: claimgraph relink --db sqlite:///claims.db
    """
    from claimgraph.run import Linker

    store = _open_store(db, create=True)
    try:
        n = Linker(store).relink()
    except ClaimgraphError as e:
        _fail(str(e))
        return
    err.print(f"{n} link(s); {len(store.cluster_members())} cluster(s)")


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
    split: SplitOption = "all",
) -> None:
    """Score attribution (cue, source, content; exact and overlap) as BBC Citron does.
    --split tune|check picks a part of PolNeAR train (committed in claimgraph/evaluation/data/splits).

    Example: claimgraph eval polnear ../shared/data/polnear/dev
    """
    from claimgraph.evaluation.polnear import evaluate_polnear, format_table

    _check_split(split)
    extractor = _load_extractor(_settings())

    def predict(text: str) -> list[Any]:
        return extractor.attributions(extractor.nlp(text))

    progress, update = _eval_progress("scoring")
    try:
        with progress:
            scores = evaluate_polnear(folder, predict, progress=update, limit=limit, split=split)
    except ClaimgraphError as e:
        _fail(str(e))
    _print_scores(scores, format_table(scores), as_json)


@eval_app.command("chains")
def eval_chains(
    folder: Annotated[Path, typer.Argument(help="A PolNeAR folder (train, for --split tune|check).")],
    split: SplitOption = "all",
    as_json: JsonOption = False,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N articles.")] = None,
) -> None:
    """Source chains against the chain gold drawn from PolNeAR: hop count, origin and own voice.

    Example: claimgraph eval chains ../shared/data/polnear/train --split tune
    """
    from claimgraph.evaluation.chains import evaluate_chains, format_table
    from claimgraph.ingest import read_text
    from claimgraph.run import analyze_articles

    _check_split(split)
    settings = _settings()
    extractor = _load_extractor(settings)

    def analyze(items: Any) -> Any:
        # PolNeAR files are named <publisher>_<date>_<slug>: the publisher is the outlet
        articles = (read_text(text, source=name, outlet=name.split("_", 1)[0]) for name, text in items)
        for record in analyze_articles(articles, settings, extractor):
            yield record.article.text, record.claims

    progress, update = _eval_progress("scoring")
    try:
        with progress:
            scores = evaluate_chains(folder, analyze, progress=update, split=split, limit=limit)
    except ClaimgraphError as e:
        _fail(str(e))
    _print_scores(scores, format_table(scores), as_json)


def _check_split(split: str) -> None:
    from claimgraph.evaluation.splits import SPLITS

    if split not in SPLITS:
        _fail(f"--split must be one of {', '.join(SPLITS)}, not {split!r}", 2)


def _print_scores(scores: dict[str, Any], table: str, as_json: bool) -> None:
    if as_json:
        _write_json(json.dumps(scores))
    else:
        out.print(escape(table), highlight=False)


@eval_app.command("timebank")
def eval_timebank(
    folder: Annotated[Path, typer.Argument(help="TimeML folder (TimeBank + AQUAINT .tml files).")],
    as_json: JsonOption = False,
    split: SplitOption = "all",
) -> None:
    """Time expressions: extent (strict, relaxed) and value F1 as TempEval-3 defines them.

    Example: claimgraph eval timebank ../shared/data/timebank
    """
    from claimgraph.evaluation.timebank import evaluate_timebank, format_table

    _check_split(split)
    progress, update = _eval_progress("scoring")
    try:
        with progress:
            scores = evaluate_timebank(folder, progress=update, split=split)
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
    split: SplitOption = "all",
) -> None:
    """Quantities: value, value+unit and value+change F1 as the CQE paper defines them.

    Example: claimgraph eval newsquant ../shared/data/newsquant/NewsQuant.dev.json
    """
    from claimgraph.evaluation.newsquant import evaluate_newsquant, format_table

    _check_split(split)
    progress, update = _eval_progress("scoring")
    try:
        with progress:
            scores = evaluate_newsquant(file, extractor=extractor, progress=update, split=split)
    except ClaimgraphError as e:
        _fail(str(e))
    _print_scores(scores, format_table(scores), as_json)


@eval_app.command("certainty")
def eval_certainty(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL (tests/data/certainty_gold.jsonl).")],
    texts: Annotated[
        Path, typer.Argument(help="Folder of the gold items' article texts (PolNeAR train/text).")
    ],
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


@eval_app.command("identities")
def eval_identities(
    texts: Annotated[Path, typer.Argument(help="Folder of the gold articles (PolNeAR dev/text).")],
    gold: Annotated[Path, typer.Option(help="Gold person mentions JSONL.")] = Path(
        "tests/data/identity_gold.jsonl"
    ),
    as_json: JsonOption = False,
) -> None:
    """Share of person source mentions linked to the right identity, per article, against hand-checked gold.

    Example: claimgraph eval identities ../shared/data/polnear/dev/text
    """
    from claimgraph.evaluation.identities import evaluate_identities, format_table
    from claimgraph.ingest import read_text
    from claimgraph.run import analyze_articles

    settings = _settings()
    extractor = _load_extractor(settings)

    def analyze_one(text: str, name: str) -> ClaimRecord:
        return next(analyze_articles([read_text(text, source=name)], settings, extractor))

    try:
        scores = evaluate_identities(gold, texts, analyze_one)
    except ClaimgraphError as e:
        _fail(str(e))
    _print_scores({k: v for k, v in scores.items()}, format_table(scores), as_json)


@eval_app.command("wikinews")
def eval_wikinews(
    folder: Annotated[Path, typer.Argument(help="The sample corpus folder (examples/wikinews).")] = Path(
        "examples/wikinews"
    ),
    as_json: JsonOption = False,
) -> None:
    """How many gold cross-document event links of the Wikinews sample the clusters recover.

    Example: claimgraph eval wikinews examples/wikinews
    """
    from claimgraph.evaluation.wikinews import evaluate_wikinews, format_table
    from claimgraph.query import article_view
    from claimgraph.run import ingest as run_ingest
    from claimgraph.store import Store

    settings = _settings()
    extractor = _load_extractor(settings)

    def do_ingest(path: Path, url: str) -> None:
        with Store(url) as store:
            _say_failed(run_ingest([path], settings, store, extractor=extractor))

    def read(url: str) -> Any:
        with Store(url) as store:
            return article_view(store)

    try:
        scores = evaluate_wikinews(folder, do_ingest, read)
    except ClaimgraphError as e:
        _fail(str(e))
    _print_scores(scores, format_table(scores), as_json)


@eval_app.command("clusters")
def eval_clusters(
    texts: Annotated[Path, typer.Argument(help="Folder of the gold articles (PolNeAR train/text).")],
    gold: Annotated[Path, typer.Option(help="Gold clusters JSONL.")] = Path(
        "tests/data/claim_clusters_gold.jsonl"
    ),
    nonpairs: Annotated[Path, typer.Option(help="Gold non-pairs JSONL.")] = Path(
        "tests/data/claim_nonpairs_gold.jsonl"
    ),
    split: Annotated[str, typer.Option(help="Half of the gold: a (tuning), b (check) or all.")] = "all",
    as_json: JsonOption = False,
) -> None:
    """Pairwise precision and recall of claim clusters, and accuracy of independent-origin counts.

    Example: claimgraph eval clusters ../shared/data/polnear/train/text --split b
    """
    from claimgraph.evaluation.clusters import evaluate_clusters, format_table
    from claimgraph.query import gold_view
    from claimgraph.run import ingest as run_ingest
    from claimgraph.store import Store

    if split not in {"a", "b", "all"}:
        _fail(f"--split must be a, b or all, not {split!r}", 2)
    settings = _settings()
    extractor = _load_extractor(settings)

    def do_ingest(files: list[Path], url: str) -> None:
        # PolNeAR files are named <publisher>_<date>_<slug>: the publisher is the outlet, as
        # `ingest --outlet` would give it (own-voice claims of one outlet are one origin)
        by_outlet: dict[str, list[Path]] = {}
        for f in files:
            by_outlet.setdefault(f.stem.split("_", 1)[0], []).append(f)
        with Store(url) as store:
            for outlet, group in sorted(by_outlet.items()):
                _say_failed(run_ingest(group, settings, store, extractor=extractor, outlet=outlet))

    def read(url: str) -> Any:
        with Store(url) as store:
            return gold_view(store)

    try:
        scores = evaluate_clusters(gold, nonpairs, texts, do_ingest, read, split=split)
    except ClaimgraphError as e:
        _fail(str(e))
    _print_scores(scores, format_table(scores), as_json)


@eval_app.command("pairs")
def eval_pairs(
    file: Annotated[Path, typer.Argument(help="A sentence-pair file in the MSRP format (TSV with header).")],
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N pairs.")] = None,
    published: Annotated[str, typer.Option(help="The date both one-sentence articles carry.")] = "2004-01-01",
    as_json: JsonOption = False,
) -> None:
    """Same claim or not, through the whole pipeline: accuracy, precision, recall and F1 of
    "the two sentences share a cluster" (each sentence a one-sentence article, two outlets).

    Example: claimgraph eval pairs ../shared/data/pairs/msrp_dev.tsv
    """
    from claimgraph.evaluation.pairs import format_table, pair_articles, read_pairs, score_pairs
    from claimgraph.link.embed import Encoder
    from claimgraph.link.judge import Judge
    from claimgraph.run import analyze_articles, link_records

    settings = _settings()
    try:
        items = read_pairs(file, limit=limit)
        extractor = _load_extractor(settings)
        encode = Encoder.load().encode
        judge = Judge.load().scores
    except ClaimgraphError as e:
        _fail(str(e))
        return
    articles = [a for pair in pair_articles(items, published=published) for a in pair]
    progress, update = _eval_progress("pairs")
    predicted: list[bool] = []
    with progress:
        records = []
        for i, rec in enumerate(analyze_articles(articles, settings, extractor)):
            records.append(rec)
            update(i + 1, len(articles) * 2)
        for i in range(0, len(records), 2):
            one, two = records[i], records[i + 1]
            clusters = link_records([one, two], encode, judge)
            mine = {clusters.get(c.id) for c in one.claims} - {None}
            predicted.append(any(clusters.get(c.id) in mine for c in two.claims))
            update(len(articles) + i + 2, len(articles) * 2)
    scores = score_pairs(items, predicted)
    _print_scores(scores, format_table(scores, f"{file.name}: same cluster"), as_json)


def _undecodable_argument(argv: list[str]) -> str | None:
    """An argument that is not valid UTF-8 (Python holds its bad bytes as lone surrogates)
    and is not the name of a file or folder (which may be any bytes): an option's text value
    never is."""
    for i, arg in enumerate(argv):
        if not re.search(f"[{_SURROGATES}]", arg):
            continue
        value_of = argv[i - 1] if i else ""
        name, eq, _ = arg.partition("=")
        if value_of in _TEXT_OPTIONS or (eq and name in _TEXT_OPTIONS) or not os.path.lexists(arg):
            return arg
    return None


#: options whose value is text, never a file name
_TEXT_OPTIONS = {
    "--contains", "--source", "--about", "--outlet", "--kind", "--published", "--db", "--split", "--every",
}  # fmt: skip


def main() -> None:
    bad = _undecodable_argument(sys.argv[1:])
    if bad is not None:
        shown = bad.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        err.print(
            f"[bold red]error:[/] the argument {escape(repr(shown))} is not valid UTF-8; "
            "give options as UTF-8 text (file names may be any bytes)",
            highlight=False,
        )
        sys.exit(2)
    try:
        app()
    except ClaimgraphError as e:  # anything the commands did not turn into a message
        err.print(f"[bold red]error:[/] {escape(e)}", highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
