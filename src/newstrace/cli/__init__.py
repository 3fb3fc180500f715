"""The ``newstrace`` command line."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from sqlalchemy.exc import DatabaseError
from typer.core import TyperGroup

from newstrace.cli import corpus as _cli_corpus
from newstrace.cli.corpus import _escape
from newstrace.export.jsonld import article_graph
from newstrace.export.sinks import TeeSink, parse_output
from newstrace.ingest import DEFAULT_MAX_BYTES, input_files, iter_documents, source_name
from newstrace.model import Article, Document, Failure, HeadlineCheck, Quote
from newstrace.pipeline import DEFAULT_STAGES, StageLoadError, registered_stages
from newstrace.run.job import ingest
from newstrace.run.local import InProcessRunner, Present, Runner, make_runner
from newstrace.run.ray_engine import ClusterError, RayRunner
from newstrace.service import CorpusService, statement_record
from newstrace.store import QuerySyntaxError, Store, StoreError, _first_line


class _Commands(TyperGroup):
    """The command group: a database that fails while a command uses it (damaged, locked) is one line and exit 2."""

    def invoke(self, ctx: Any) -> Any:  # typer.Context, whose base is typer's own copy of click's
        try:
            return super().invoke(ctx)
        except DatabaseError as error:
            err.print(f"newstrace: the database cannot be used ({_first_line(error.orig or error)})", markup=False)
            raise typer.Exit(EXIT_USAGE) from None


app = typer.Typer(
    cls=_Commands,
    no_args_is_help=True,
    add_completion=False,
    help="Turn raw news pages into an evidence-linked record of who said what, when.",
)


def _print_version(value: bool) -> None:
    if value:
        from newstrace import __version__

        typer.echo(f"newstrace {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Turn raw news pages into an evidence-linked record of who said what, when."""


evaluate_app = typer.Typer(no_args_is_help=True, help="Score newstrace on public benchmarks.")
app.add_typer(evaluate_app, name="evaluate")
_cli_corpus.register(app, evaluate_app)  # the corpus commands live in their own module

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_SKIPPED = 3
EXIT_USAGE = 2
DEFAULT_DB = "newstrace.db"
DbOption = Annotated[str, typer.Option("--db", help="SQLite database file, or a postgresql:// URL.")]
JsonLinesOption = Annotated[bool, typer.Option("--json", help="Print one JSON object per line.")]
MaxBytesOption = Annotated[int, typer.Option("--max-bytes", help="Largest input accepted, in bytes.", min=1)]


class ExportFormat(StrEnum):
    """Export formats."""

    jsonl = "jsonl"
    jsonld = "jsonld"
    parquet = "parquet"


def _report_failure(failure: Failure, console: Console = err) -> None:
    console.print(f"newstrace: skipped {failure.source}: {failure.reason}", markup=False)


@app.command()
def analyze(
    path: Annotated[str, typer.Argument(help="A file, a directory, an archive, or - for stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one Article JSON object per line.")] = False,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """Analyse the article(s) in one input and print a readable report (or JSON Lines)."""
    _require_path(path)
    runner = InProcessRunner()
    articles: list[Article] = []
    failed = 0
    for result in runner.run(iter_documents([path], max_bytes=max_bytes)):
        if isinstance(result, Failure):
            failed += 1
            _report_failure(result)
        else:
            articles.append(result)
    if as_json:
        # One shape whatever the number of articles: one Article JSON object per line.
        for article in articles:
            typer.echo(json.dumps(article.to_json_dict(), ensure_ascii=False))
    else:
        for number, article in enumerate(articles):
            if number:
                out.rule()
            _print_report(article)
    if failed:
        raise typer.Exit(EXIT_SKIPPED)


def _print_report(article: Article) -> None:
    out.print(f"[bold]{_escape(article.headline or '(no headline found)')}[/bold]")
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    date_note = {
        "metadata": "from the page's metadata",
        "text": "from the text",
        "ingest": "date of capture",
    }
    rows = [
        ("source", f"{article.source} ({article.media_type})"),
        ("id", article.id),
        ("dateline", article.dateline or "—"),
        (
            "date",
            f"{article.reference_date or '—'}"
            + (f" ({date_note[article.reference_date_source]})" if article.reference_date_source else ""),
        ),
        ("published", article.published or "not stated"),
        ("site", article.site or "—"),
        ("url", article.url or "—"),
        ("authors", ", ".join(article.authors) or "—"),
        ("language", article.language or "—"),
    ]
    for name, value in rows:
        facts.add_row(name, _escape(value))
    out.print(facts)
    if article.headline_check is not None:
        _print_headline_check(article.headline_check)
    words = len(article.text.split())
    out.print(
        f"\n[bold]Text[/bold]: {len(article.paragraphs)} paragraphs, {words:,} words, {len(article.text):,} characters"
    )
    for number, paragraph in enumerate(article.paragraphs[:4], start=1):
        preview = paragraph.text if len(paragraph.text) <= 160 else paragraph.text[:157] + "…"
        out.print(f"  ¶{number} {_escape(preview)}")
    if len(article.paragraphs) > 4:
        more = len(article.paragraphs) - 4
        out.print(f"  … {more} more paragraph{'s' if more > 1 else ''}")
    if article.entities_index:
        out.print(f"\n[bold]Entities[/bold]: {len(article.entities_index)}")
        mentions = Counter(m.entity_id for m in article.entities)
        for entity in article.entities_index:
            details = [", ".join(entity.roles)] if entity.roles else []
            details += [entity.affiliation] if entity.affiliation else []
            details += [f"acts for {entity.stands_for}"] if entity.stands_for else []
            details += [f"also {', '.join(repr(a) for a in entity.aliases)}"] if entity.aliases else []
            described = f" ({'; '.join(details)})" if details else ""
            out.print(f"  {entity.label:<7} {_escape(entity.name)}{_escape(described)} ×{mentions[entity.id]}")
    if article.quantities:
        out.print(f"\n[bold]Figures[/bold]: {len(article.quantities)}")
        for quantity in article.quantities:
            hedge = f", {quantity.approximate}" if quantity.approximate else ""
            value = f"{quantity.value:,.0f}" if quantity.value == int(quantity.value) else f"{quantity.value:,}"
            subject = quantity.subject or quantity.unit or ""
            out.print(f"  {value} {_escape(subject)} ({quantity.kind}{hedge}) {_escape(repr(quantity.text))}")
    if article.quotes:
        statements = _readable_statements(article.quotes)
        out.print(f"\n[bold]Statements[/bold]: {len(statements)}")
        roles = {e.id: e.roles for e in article.entities_index}
        for quote, content in statements:
            out.print("  " + _escape(_statement_line(quote, roles, content)))
    if article.times:
        out.print(f"\n[bold]Time expressions[/bold]: {len(article.times)}")
        for time in article.times:
            mod = f" ({time.mod.lower()})" if time.mod else ""
            out.print(f"  {_escape(repr(time.text)):<28} {time.type:<9} {time.value}{mod}")
    out.print(f"\n[bold]Removed from the input[/bold]: {len(article.removed)} spans")
    by_reason = Counter(span.reason for span in article.removed)
    listed = 0
    for span in article.removed:
        if by_reason[span.reason] > 5:
            continue
        shown = " ".join(span.text.split())
        shown = shown if len(shown) <= 70 else shown[:67] + "…"
        out.print(f"  {span.reason:<30} {_escape(repr(shown))}")
        listed += 1
    for reason, count in by_reason.items():
        if count > 5:
            characters = sum(len(s.text) for s in article.removed if s.reason == reason)
            out.print(f"  {reason:<30} {count} spans, {characters:,} characters")


_CLAIM_BASIS = {
    "refutation": ", by an explicit denial in the body",
    "attributed": ", the body reports its speaker saying it",
    "polarity": ", a reported hoax or denial the body debunks",
}


def _print_headline_check(check: HeadlineCheck) -> None:
    verdict = (
        f"[bold red]misleading[/bold red] ({check.reason}): {_escape(check.explanation or '')}"
        if check.misleading
        else "not misleading"
    )
    model_says = max(check.probabilities, key=lambda label: check.probabilities[label], default=check.stance)
    if model_says == check.stance:
        shown = f" (p={check.probabilities[model_says]:.2f})"
    else:
        basis = next((c.basis for c in check.claims if c.basis != "model"), "refutation")
        why = _CLAIM_BASIS.get(basis, "").removeprefix(", by ").removeprefix(", ")
        shown = f" ({why}; the model alone: {model_says}, p={check.probabilities[model_says]:.2f})"
    out.print(f"\n[bold]Headline check[/bold]: {check.stance}{shown}; {check.form} headline; {verdict}")
    clickbait = f"{check.clickbait:.2f}" if check.clickbait is not None else "—"
    style = "; reads as clickbait (a style flag, not a verdict)" if check.clickbait_style else ""
    out.print(f"  clickbait probability {clickbait}{style}")
    for number, claim in enumerate(check.claims):
        asked = ", asked" if claim.question else ""
        basis = _CLAIM_BASIS.get(claim.basis, "")
        said = f", said by {_escape(claim.speaker)}" if claim.speaker else ""
        out.print(f"  claim {number}: {_escape(repr(claim.text))}{said} — {claim.stance}{asked}{basis}")
    for evidence in check.evidence:
        text = " ".join(evidence.span.text.split())
        text = text if len(text) <= 150 else text[:147] + "…"
        about = f" claim {evidence.claim}" if evidence.claim is not None else ""
        out.print(f"  {evidence.role:<9}{about} {_escape(repr(text))}")


def _readable_statements(quotes: list[Quote]) -> list[tuple[Quote, str]]:
    """Statements as a reader takes them: pieces of one content that share a cue (PolNeAR splits "The patrol is
    said to involve 40 vessels" into "The patrol" and "to involve 40 vessels") on one line, joined by "…"."""
    lines: list[tuple[Quote, list[str]]] = []
    pieces_by_cue: dict[tuple[int, int], list[str]] = {}
    for quote in quotes:
        cue = (quote.cue.start, quote.cue.end) if quote.cue else None
        if cue is not None and cue in pieces_by_cue:
            pieces_by_cue[cue].append(quote.content.text)
            continue
        pieces = [quote.content.text]
        if cue is not None:
            pieces_by_cue[cue] = pieces
        lines.append((quote, pieces))
    return [(quote, " … ".join(pieces)) for quote, pieces in lines]


def _statement_line(quote: Quote, roles: dict[str, list[str]], content: str | None = None) -> str:
    """ "Speaker (role) — cue — content [channel, date]" for one statement (``content`` in place of its own)."""
    speaker = quote.speaker
    who = (speaker.name or (speaker.mention.text if speaker.mention else None)) if speaker else None
    role = roles.get(speaker.entity_id or "", []) if speaker else []
    who = f"{who or 'unnamed source'}" + (f" ({role[0]})" if role else "")
    content = " ".join((content if content is not None else quote.content.text).split())
    content = content if len(content) <= 110 else content[:107] + "…"
    context = ", ".join(part for part in (quote.channel, quote.date) if part)
    cue = quote.cue.text if quote.cue else "—"
    return f"{who} — {cue} — {content} [{quote.kind}{', ' + context if context else ''}]"


class Engine(StrEnum):
    """Where ingest runs the pipeline."""

    local = "local"
    ray = "ray"


@app.command("ingest")
def ingest_command(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, archives, or - for stdin.")],
    db: DbOption = DEFAULT_DB,
    workers: Annotated[int, typer.Option("--workers", help="Worker processes (1 runs in-process).", min=1)] = 2,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Articles per transaction.", min=1)] = 50,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    engine: Annotated[Engine, typer.Option("--engine", help="local (worker processes) or ray (a Ray cluster).")] = (
        Engine.local
    ),
    address: Annotated[
        str | None, typer.Option("--address", help="Ray cluster: auto or ray://HOST:PORT (default: start one here).")
    ] = None,
    outputs: Annotated[
        list[str] | None, typer.Option("--output", help="db (the default) or parquet:DIR; repeat for both.")
    ] = None,
    log_file: Annotated[
        str, typer.Option("--log", help="File for the tracebacks of internal errors (made when one happens).")
    ] = "newstrace-errors.log",
) -> None:
    """Analyse inputs and store the articles; re-running adds nothing already stored."""
    for path in paths:
        _require_path(path)
    if engine is Engine.ray:
        from newstrace.run.ray_engine import RAY_MISSING, ray_available

        if not ray_available():
            _usage_error(RAY_MISSING)
        if "-" in paths:
            _usage_error("--engine ray reads files, not standard input")
    elif address is not None:
        _usage_error("--address needs --engine ray")
    wanted = outputs or ["db"]
    for value in wanted:
        if value != "db" and not re.fullmatch(r"parquet:.*\S.*", value):
            _usage_error(f"--output {value!r}: expected 'db' or 'parquet:DIR'")  # before the database is made
    inputs = InputBytes(paths)
    with _open_store(db, must_exist=False) if "db" in wanted else contextlib.nullcontext() as store:
        try:
            sinks = [parse_output(value, store) for value in dict.fromkeys(wanted)]
        except ValueError as error:
            _usage_error(str(error))
        sink = sinks[0] if len(sinks) == 1 else TeeSink(sinks)
        runner: Runner | RayRunner
        if engine is Engine.ray:
            # A local instance gets --workers CPUs and as many actors; a cluster's size decides for itself.
            local_cpus = None if address else workers
            runner = RayRunner(address=address, num_cpus=local_cpus, actors=local_cpus, log_file=log_file)
            runner_note = f"Ray ({address or f'local, {workers} CPUs'})"
        else:
            runner = make_runner(workers, log_file=log_file)
            runner_note = f"{workers} worker{'s' if workers > 1 else ''}"
        progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("[dim]{task.fields[status]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=err,
        )
        counts: Counter[str] = Counter()
        with progress:
            if store is not None:
                store.stories.on_replay = _story_replay_progress(progress)
            # Until the first result, the workers are starting and loading their models: say so, not "0 inputs".
            task = progress.add_task("loading models", total=inputs.total, status=f"{inputs.describe()}, {runner_note}")

            def on_item(status: str, item: Article | Document | Failure | Present) -> None:
                counts[status] += 1
                if isinstance(item, Failure):
                    _report_failure(item, progress.console)
                progress.update(
                    task,
                    description="ingesting",
                    advance=inputs.finished_before(item.source),
                    status=f"{counts['processed']} analysed, {counts['present']} present, {counts['skipped']} skipped",
                )

            try:
                summary = ingest(paths, sink, runner, max_bytes=max_bytes, batch_size=batch_size, on_item=on_item)
            except StageLoadError as error:
                progress.stop()
                _usage_error(f"{error}; traceback in {log_file}")
            except ClusterError as error:
                progress.stop()
                _usage_error(str(error))
            progress.update(task, completed=inputs.total or 0)
        total = store.count() if store is not None else None
    where = f"; {total} articles in {db}" if total is not None else ""
    written = ", ".join(value.removeprefix("parquet:") for value in wanted if value != "db")
    where += f"; Parquet in {written}" if written else ""
    err.print(
        f"ingested {summary.stored}, already present {summary.already_present}, skipped {summary.skipped_total}{where}",
        markup=False,
    )
    for reason, count in summary.skipped.most_common():
        err.print(f"  skipped {count}: {reason}", markup=False)
    if summary.skipped_total:
        raise typer.Exit(EXIT_SKIPPED)


class InputBytes:
    """The input files' sizes, counted before ingest starts, so progress has a total and an ETA.

    Progress is by bytes of input files finished: an archive's many records count as its size once the next file's
    first record arrives (results come back in input order). Standard input has no size: then there is no total.
    """

    def __init__(self, paths: list[str]) -> None:
        self.sizes: dict[str, int] = {}
        self.unknown = False
        for path in paths:
            target = Path(path)
            try:
                readable = path != "-" and target.exists()
                files = list(input_files(target)) if readable and target.is_dir() else [target]
            except OSError:  # a name too long to look at: ingest names it as a skipped input
                readable = False
            if not readable:
                self.unknown = self.unknown or path == "-"
                continue
            for file in files:
                with contextlib.suppress(OSError):
                    self.sizes[source_name(file)] = file.stat().st_size
        self.current: str | None = None

    @property
    def total(self) -> int | None:
        """All input bytes, or None when some come from standard input."""
        return None if self.unknown else sum(self.sizes.values())

    def describe(self) -> str:
        """'3 files, 1.2 MB' for the status line."""
        return f"{len(self.sizes):,} files, {sum(self.sizes.values()) / 1e6:,.1f} MB"

    def finished_before(self, source: str) -> int:
        """Bytes of the file that was being read, if this result comes from the next one; else 0."""
        file = source if source in self.sizes else re.sub(r"(#|:)\d+$", "", source)
        if file not in self.sizes or file == self.current:
            return 0
        finished = self.sizes.get(self.current, 0) if self.current is not None else 0
        self.current = file
        return finished


@app.command()
def search(
    query: Annotated[
        str,
        typer.Argument(help='Words (all must match), "a phrase", prefix*, OR, NOT word or -word, (parentheses).'),
    ],
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 20,
    since: Annotated[str | None, typer.Option("--since", help="Articles dated on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Articles dated on or before YYYY-MM-DD.")] = None,
    site: Annotated[str | None, typer.Option("--site", help="Articles from a site whose name contains this.")] = None,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Articles quoting a speaker with this name.")] = None,
    as_json: JsonLinesOption = False,
) -> None:
    """Full-text search over stored headlines and texts, best first."""
    for name, value in (("--since", since), ("--until", until)):
        if value is not None and not _is_date(value):
            _usage_error(f"{name} {value!r} is not a date (YYYY-MM-DD)")
    with _open_store(db) as store:
        try:
            hits = CorpusService(store).search(query, limit, since=since, until=until, site=site, speaker=speaker)
        except QuerySyntaxError as error:
            _usage_error(f"cannot read the query {query!r}: {error}")
    if not hits:
        err.print("no matches")
        raise typer.Exit(1)
    for hit in hits:
        if as_json:
            typer.echo(json.dumps(dataclasses.asdict(hit), ensure_ascii=False))
            continue
        out.print(
            f"[bold]{hit.id[:12]}[/bold]  {hit.published or '          '}  {_escape(hit.headline or '(no headline)')}"
        )
        out.print(f"              {_escape(' '.join(hit.snippet.split()))}", style="dim")


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="An article id, or a unique prefix of at least 6 characters.")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print the Article JSON.")] = False,
) -> None:
    """Show one stored article."""
    with _open_store(db) as store:
        article = CorpusService(store).article(article_id)
    if article is None:
        err.print(f"newstrace: no article {article_id!r} in {db}", markup=False)
        raise typer.Exit(1)
    if as_json:
        out.print_json(json.dumps(article.to_json_dict(), ensure_ascii=False), indent=2)
    else:
        _print_report(article)


@app.command()
def export(
    db: DbOption = DEFAULT_DB,
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            help="jsonl: Article JSON per line; jsonld: schema.org graph; parquet: a file per table (-o DIR).",
        ),
    ] = ExportFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout (a folder for parquet).")
    ] = None,
) -> None:
    """Export every stored article (or, as Parquet, every table)."""
    if format is ExportFormat.parquet:
        _export_parquet(db, output)
        return
    with _open_store(db) as store:
        try:
            stream = output.open("w", encoding="utf-8") if output else sys.stdout
        except OSError as error:
            _usage_error(f"cannot write {output}: {error.strerror or error}")
        try:
            if format is ExportFormat.jsonl:
                for article in store.iter_articles():
                    stream.write(json.dumps(article.to_json_dict(), ensure_ascii=False) + "\n")
            else:
                stream.write('{"@context": "https://schema.org", "@graph": [\n')
                written = 0
                for article in store.iter_articles():
                    for node in article_graph(article):
                        stream.write((",\n" if written else "") + json.dumps(node, ensure_ascii=False))
                        written += 1
                stream.write("\n]}\n")
            stream.flush()
        except OSError as error:  # a full disk, a closed pipe
            _usage_error(f"cannot write {output or 'standard output'}: {error.strerror or error}")
        finally:
            if output:
                with contextlib.suppress(OSError):  # what could not be written was named above
                    stream.close()


def _export_parquet(db: str, output: Path | None) -> None:
    if output is None:
        _usage_error("--format parquet writes a folder of files: give it with -o DIR")
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        _usage_error("--format parquet needs pyarrow: pip install 'newstrace[parquet]'")
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _usage_error(f"cannot write {output}: {error.strerror or error}")
    with _open_store(db) as store:
        try:
            written = store.export_parquet(output)
        except OSError as error:
            _usage_error(f"cannot write {output}: {error.strerror or error}")
    for table, rows in written.items():
        err.print(f"{output / (table + '.parquet')}: {rows:,} rows", markup=False)


@app.command()
def stages(as_json: JsonLinesOption = False) -> None:
    """List the pipeline stages in the order a run applies them, with what each reads and fills in."""
    specs = registered_stages()
    # The default pipeline's order first; stages registered beside it follow by name.
    order = {name: position for position, name in enumerate(DEFAULT_STAGES)}
    specs.sort(key=lambda spec: (order.get(spec.name, len(order)), spec.name))
    for spec in specs:
        if as_json:
            record = {"name": spec.name, "doc": spec.doc, "requires": list(spec.requires)}
            typer.echo(json.dumps({**record, "assigns": list(spec.assigns), "default": spec.name in order}))
            continue
        out.print(f"[bold]{spec.name}[/bold]  {spec.doc}")
        out.print(f"  requires: {', '.join(spec.requires) or '—'}")
        out.print(f"  assigns:  {', '.join(spec.assigns) or '—'}")


@app.command()
def failures(db: DbOption = DEFAULT_DB, as_json: JsonLinesOption = False) -> None:
    """List the inputs that were rejected, at which stage and why, oldest first."""
    with _open_store(db) as store:
        recorded = store.failures()
    for failure in recorded:
        if as_json:
            typer.echo(json.dumps(dataclasses.asdict(failure), ensure_ascii=False))
        else:
            out.print(f"{failure.stage:<15} {failure.source}: {failure.reason}", markup=False)
    if not as_json:
        err.print(f"{len(recorded)} failures in {db}")


@evaluate_app.command("extraction")
def evaluate_extraction_command(
    aeb_dir: Annotated[
        Path,
        typer.Argument(help="A folder in the ScrapingHub benchmark format (ground-truth.json, html/)."),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Main-text extraction: mean per-page 4-gram shingle P/R and F1, beside trafilatura's default."""
    import warnings

    from newstrace.evaluate.extraction import evaluate_extraction

    warnings.filterwarnings("ignore")
    with _progress_bar("scoring") as progress, _benchmark_folder():
        report = evaluate_extraction(aeb_dir, progress=lambda pages: progress.track(list(pages)))
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2))
        return
    table = Table(title=f"Article extraction on {aeb_dir} ({report.systems[0].pages} pages)")
    for column in ("system", "precision", "recall", "F1", "failures", "seconds"):
        table.add_column(column, justify="left" if column == "system" else "right")
    for system in report.systems:
        table.add_row(
            system.name,
            f"{system.precision:.3f}",
            f"{system.recall:.3f}",
            f"{system.f1:.3f}",
            str(system.failures),
            f"{system.seconds:.1f}",
        )
    out.print(table)
    out.print(f"paragraphs located in the raw HTML: {report.located_lines:.1%}")


@app.command()
def quotes(
    speaker: Annotated[str, typer.Option("--speaker", help="A name or part of one, as resolved (e.g. Galuzin).")],
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10000)] = 100,
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Leave out statements scored below this.")
    ] = 0.0,
    as_json: JsonLinesOption = False,
) -> None:
    """List a speaker's statements across the stored articles, newest first."""
    with _open_store(db) as store:
        found = CorpusService(store).statements(speaker, min_confidence, limit)
    if not found:
        err.print(f"newstrace: no statements by {speaker!r} in {db}", markup=False)
        raise typer.Exit(1)
    for hit in found:
        if as_json:
            typer.echo(json.dumps(statement_record(hit), ensure_ascii=False))
            continue
        roles_by_id = {hit.quote.speaker.entity_id: hit.speaker_roles} if hit.quote.speaker else {}
        line = _statement_line(hit.quote, {key: value for key, value in roles_by_id.items() if key})
        out.print(f"[bold]{hit.date or '          '}[/bold]  {_escape(line)}")
        out.print(f"              {_escape(hit.headline or '(no headline)')} · {hit.article_id[:12]}", style="dim")


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; beyond loopback --token is required.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option("--token", envvar="NEWSTRACE_TOKEN", help="Every request must send Authorization: Bearer TOKEN."),
    ] = None,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    analysis_timeout: Annotated[
        float, typer.Option("--analysis-timeout", min=0.1, help="Seconds one analysis may take before it is stopped.")
    ] = 30.0,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs) and the web UI (at /ui/) over the store."""
    try:
        from newstrace.web import ServeSettings, is_loopback
        from newstrace.web import serve as run_server
    except ImportError as error:
        _usage_error(f"serve needs the serve extra: pip install 'newstrace[serve]' ({error})")
    if token is not None and not token.strip():
        _usage_error("--token is empty")
    if token is None and not is_loopback(host):
        _usage_error(
            f"--host {host} is reachable beyond this machine: give --token (or NEWSTRACE_TOKEN) to serve there"
        )
    with _open_store(db, must_exist=False):
        pass  # an unusable --db is one line and exit 2 before the server starts
    problem = _cannot_listen(host, port)
    if problem is not None:
        shown = f"[{host}]" if ":" in host else host
        _usage_error(f"cannot listen on {shown}:{port} ({problem})")
    run_server(db, host, port, ServeSettings(token=token, max_body_bytes=max_bytes, analysis_timeout=analysis_timeout))


def _cannot_listen(host: str, port: int) -> str | None:
    """Why the server could not listen there (a port in use, a host that does not resolve), or None.

    Asked before uvicorn starts: its own failure is several log lines and exit 3, the code of skipped inputs.
    """
    import socket

    try:
        # As asyncio's create_server binds (uvicorn's): every passive address of the host, IPv6 ones IPv6 only.
        found = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        for family, kind, protocol, _, address in found:
            with socket.socket(family, kind, protocol) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if family == socket.AF_INET6:
                    probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                probe.bind(address)
    except OSError as error:  # socket.gaierror included
        return error.strerror or str(error)
    return None


@evaluate_app.command("attribution")
def evaluate_attribution_command(
    split_dir: Annotated[Path, typer.Argument(help="A PolNeAR split folder with text/ and attributions/.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Attribution on PolNeAR: exact Source/Cue/Content P/R/F1, lenient content, speakers; textacy beside it."""
    import logging

    from newstrace.evaluate.attribution import newstrace_predictor, read_split, score, textacy_predictor

    logging.getLogger("newstrace.evaluate.attribution").setLevel(logging.ERROR)
    with _benchmark_folder():
        articles = read_split(split_dir)
    systems = [("newstrace", newstrace_predictor())]
    peer = textacy_predictor()
    if peer is not None:
        systems.append(("textacy direct_quotations", peer))
    else:
        err.print("textacy is not installed: its scores are left out (pip install textacy==0.13.0)")
    reports = []
    with _progress_bar("{task.description}") as progress:
        for name, predictor in systems:
            reports.append(
                score(articles, predictor, name, progress=partial(progress.track, description=name)).to_dict()
            )
    if as_json:
        typer.echo(json.dumps({"split": str(split_dir), "systems": reports}, indent=2))
        return
    gold = sum(len(a.attributions) for a in articles)
    table = Table(title=f"Attribution on {split_dir} ({len(articles)} articles, {gold} attributions)")
    for column in ("system", "Source F1", "Cue F1", "Content F1", "lenient content P/R/F1", "speaker acc.", "failed"):
        table.add_column(column, justify="left" if column == "system" else "right")
    for report in reports:
        exact, lenient = report["exact"], report["lenient_content"]
        assert isinstance(exact, dict) and isinstance(lenient, dict)
        table.add_row(
            str(report["system"]),
            *(f"{exact[role]['f1']:.3f}" for role in ("Source", "Cue", "Content")),
            f"{lenient['precision']:.3f}/{lenient['recall']:.3f}/{lenient['f1']:.3f}",
            f"{report['speaker_accuracy_on_matched_contents']:.3f}",
            str(report["failed_articles"]),
        )
    out.print(table)


@evaluate_app.command("clickbait")
def evaluate_clickbait_command(
    clickbait_dir: Annotated[Path, typer.Argument(help="A folder with clickbait_data.gz and non_clickbait_data.gz.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Clickbait headlines: accuracy, precision, recall, F1 of the shipped model on its held-out split."""
    from newstrace.evaluate.clickbait import evaluate_clickbait

    with _benchmark_folder():
        report = evaluate_clickbait(clickbait_dir)
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    out.print(f"Clickbait on {clickbait_dir}: {report['headlines']} held-out headlines ({report['split']})")
    out.print(
        f"  accuracy {report['accuracy']:.3f}  precision {report['precision']:.3f}  "
        f"recall {report['recall']:.3f}  F1 {report['f1']:.3f}"
    )


_STORY_SPLIT_HELP = "Score only the whole stories held out from training (bodies linked by related headlines)."
_MODEL_HELP = "A stance model file to use instead of the shipped one (e.g. one trained for another split)."


def _split_option(dev_split: bool, story_split: bool) -> str | None:
    if dev_split and story_split:
        err.print("newstrace: --dev-split and --story-split exclude each other", markup=False)
        raise typer.Exit(2)
    return "bodies" if dev_split else "stories" if story_split else None


@evaluate_app.command("stance")
def evaluate_stance_command(
    stances_csv: Annotated[Path, typer.Argument(help="FNC-1 stances CSV (Headline, Body ID, Stance).")],
    bodies_csv: Annotated[Path, typer.Argument(help="FNC-1 bodies CSV (Body ID, articleBody).")],
    dev_split: Annotated[
        bool, typer.Option("--dev-split", help="Score only the bodies held out from training (for the train file).")
    ] = False,
    story_split: Annotated[bool, typer.Option("--story-split", help=_STORY_SPLIT_HELP)] = False,
    headline_check: Annotated[
        bool,
        typer.Option(
            "--headline-check", help="Score the full headline check (claims, explicit denials), not the bare model."
        ),
    ] = False,
    model: Annotated[Path | None, typer.Option("--model", help=_MODEL_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Headline stance: the FNC-1 score (% of the maximum), confusion matrix, per-class F1 and macro-F1."""
    from newstrace.evaluate.stance import evaluate_stance

    split = _split_option(dev_split, story_split)
    with _progress_bar("checking") as progress, _benchmark_folder():
        report = evaluate_stance(
            stances_csv,
            bodies_csv,
            split=split,
            headline_check=headline_check,
            model=model,
            progress=lambda pairs: progress.track(pairs),
        )
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    out.print(f"FNC-1 on {stances_csv} ({report['pairs']} pairs, {report['split']}, {report['predictor']})")
    _print_stance_scores(report)


def _print_stance_scores(report: dict[str, object]) -> None:
    from newstrace.assess.stance import LABELS

    out.print(f"  score {report['fnc_score']:.2f}% of the maximum   macro-F1 {report['macro_f1']:.3f}")
    matrix, f1 = report["confusion"], report["f1"]
    assert isinstance(matrix, dict) and isinstance(f1, dict)
    table = Table(title="gold (rows) by predicted (columns)")
    table.add_column("gold")
    for label in LABELS:
        table.add_column(label, justify="right")
    table.add_column("F1", justify="right")
    for label in LABELS:
        table.add_row(label, *(str(matrix[label][other]) for other in LABELS), f"{f1[label]:.3f}")
    out.print(table)


@evaluate_app.command("verdicts")
def evaluate_verdicts_command(
    stances_csv: Annotated[Path, typer.Argument(help="FNC-1 stances CSV (Headline, Body ID, Stance).")],
    bodies_csv: Annotated[Path, typer.Argument(help="FNC-1 bodies CSV (Body ID, articleBody).")],
    dev_split: Annotated[
        bool, typer.Option("--dev-split", help="Score only the bodies held out from training (for the train file).")
    ] = False,
    story_split: Annotated[bool, typer.Option("--story-split", help=_STORY_SPLIT_HELP)] = False,
    model: Annotated[Path | None, typer.Option("--model", help=_MODEL_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Headline verdicts: per gold stance, the share the full headline check calls misleading, with reasons."""
    from newstrace.evaluate.verdicts import evaluate_verdicts

    split = _split_option(dev_split, story_split)
    with _progress_bar("checking") as progress, _benchmark_folder():
        report = evaluate_verdicts(
            stances_csv, bodies_csv, split=split, model=model, progress=lambda pairs: progress.track(pairs)
        )
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    out.print(f"Headline verdicts on {stances_csv} ({report['pairs']} pairs, {report['split']})")
    per_stance = report["misleading"]
    assert isinstance(per_stance, dict)
    table = Table(title="flagged misleading, by gold stance")
    for column in ("gold", "pairs", "misleading", "share", "target", "reasons", "clickbait style"):
        table.add_column(column, justify="left" if column in ("gold", "reasons") else "right")
    for label, row in per_stance.items():
        reasons = ", ".join(f"{reason} {count}" for reason, count in row["reasons"].items()) or "—"
        met = "" if row["meets_target"] else " (missed)"
        table.add_row(
            label,
            str(row["pairs"]),
            str(row["misleading"]),
            f"{row['share']:.1%}",
            row["target"] + met,
            reasons,
            str(row["clickbait_style"]),
        )
    out.print(table)
    stance = report["stance"]
    assert isinstance(stance, dict)
    out.print("Article-level stance of the same checks:")
    _print_stance_scores(stance)


@evaluate_app.command("times")
def evaluate_times_command(
    tml_dir: Annotated[Path, typer.Argument(help="A folder of TimeML .tml files (searched recursively).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Time expressions: TempEval-3 Task A span P/R/F1 (strict, relaxed), type accuracy, value F1."""
    from newstrace.evaluate.times import evaluate_times

    with _progress_bar("tagging") as progress, _benchmark_folder():
        scores = evaluate_times(tml_dir, progress=lambda files: progress.track(files))
    report = scores.to_dict()
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    table = Table(
        title=f"TempEval-3 Task A on {tml_dir} "
        f"({report['documents']} files, {report['gold']} gold, {report['predicted']} found)"
    )
    for column in ("measure", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    for name in ("strict", "relaxed", "value"):
        figures = report[name]
        assert isinstance(figures, dict)
        table.add_row(
            f"{name} {'span' if name != 'value' else ''}".strip(),
            *(f"{figures[k]:.3f}" for k in ("precision", "recall", "f1")),
        )
    out.print(table)
    out.print(f"type accuracy on relaxed matches: {report['type_accuracy']:.3f}")


@evaluate_app.command("speakers")
def evaluate_speakers_command(
    whosaid_dir: Annotated[Path, typer.Argument(help="A whosaid folder (articles.jsonl, statements.jsonl).")],
    predictions: Annotated[
        Path | None,
        typer.Option(
            "--predictions", help="Score this Article JSON file (one per line, or an array) instead of running."
        ),
    ] = None,
    details: Annotated[
        bool, typer.Option("--details", help="List each missed or misattributed statement (with --json: every row).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Who said what: statement recall/precision, speaker accuracy by mention type and kind, ECE, AUROC."""
    from newstrace.evaluate.speakers import predict, read_gold, read_predictions, report_lines, score_speakers

    skipped: list[str] = []
    with _benchmark_folder():
        try:
            gold_articles, gold_statements = read_gold(whosaid_dir)
            predicted = read_predictions(predictions) if predictions is not None else []
        except ValueError as error:  # a line that is not JSON, or not UTF-8
            err.print(f"newstrace: {error}", markup=False)
            raise typer.Exit(2) from None
        if predictions is None:
            with _progress_bar("analysing") as progress:
                predicted, skipped = predict(whosaid_dir / "articles.jsonl", progress=progress.track)
    for line in skipped:
        err.print(f"newstrace: skipped {line}", markup=False)
    scores = score_speakers(gold_articles, gold_statements, predicted)
    scored = str(predictions) if predictions is not None else "the pipeline, run now"
    if as_json:
        report = {"gold_dir": str(whosaid_dir), "predictions": scored, **scores.to_dict(details=details)}
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        out.print(f"whosaid score: {whosaid_dir}  vs  {scored}", markup=False)
        for line in report_lines(scores, details=details):
            out.print(line, markup=False)
    if skipped:
        raise typer.Exit(EXIT_SKIPPED)


def _story_replay_progress(progress: Progress) -> Callable[[int, int], None]:
    """Shows the stored articles a first write replays into the story index as their own bar, hidden when done."""
    task: TaskID | None = None

    def on_replay(done: int, total: int) -> None:
        nonlocal task
        if task is None:
            task = progress.add_task("loading stories", total=total, status=f"{total} stored articles")
        progress.update(task, completed=done, visible=done < total)
        if done >= total:
            task = None  # a later catch-up gets a bar of its own

    return on_replay


def _progress_bar(label: str) -> Progress:
    """A transient progress bar on stderr for a run over a benchmark's items."""
    return Progress(
        SpinnerColumn(),
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


@contextmanager
def _benchmark_folder() -> Iterator[None]:
    """A folder that is not in the benchmark's format ends the command with one line and exit code 2."""
    try:
        yield
    except FileNotFoundError as error:
        err.print(f"newstrace: {error}", markup=False)
        raise typer.Exit(2) from None


def _usage_error(message: str) -> NoReturn:
    """One line on stderr and exit code 2: the command was given something it cannot use."""
    err.print(f"newstrace: {message}", markup=False)
    raise typer.Exit(EXIT_USAGE)


def _require_path(path: str) -> None:
    # An empty argument (an unset shell variable) would otherwise read as the current directory.
    if not path.strip():
        _usage_error("an input path is empty (an unset variable?)")


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _open_store(db: str, *, must_exist: bool = True) -> Store:
    """The store at ``db``; a missing file (when one must exist) exits 1, an unusable one exits 2, each in one line."""
    if not db.strip():
        _usage_error("--db is empty")
    try:
        missing = must_exist and "://" not in db and not Path(db).expanduser().exists()
    except OSError as error:  # a name too long for the file system
        _usage_error(f"{db}: {error.strerror or error}")
    if missing:
        err.print(f"newstrace: no database at {db} (run `newstrace ingest` first)", markup=False)
        raise typer.Exit(1)
    try:
        # Only ingest makes a store; a reading command never turns an empty or foreign file into one.
        return Store(db, create=not must_exist)
    except StoreError as error:
        _usage_error(str(error))


def main() -> None:
    """Entry point of the console script."""
    app()
