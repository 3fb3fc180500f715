"""The commands over stored articles: ``search``, ``show``, ``export``, ``failures`` and ``quotes``."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from newstrace.cli._common import (
    DEFAULT_DB,
    DbOption,
    JsonLinesOption,
    check_dates,
    corpus_service,
    err,
    is_date,
    open_store,
    out,
    usage_error,
    within_budget,
)
from newstrace.cli._report import print_report, statement_line
from newstrace.present import shortened, statement_record


class ExportFormat(StrEnum):
    """Export formats."""

    jsonl = "jsonl"
    jsonld = "jsonld"
    parquet = "parquet"


def search_command(
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
        if value is not None and not is_date(value):
            usage_error(f"{name} {value!r} is not a date (YYYY-MM-DD)")
    from newstrace.store import QuerySyntaxError

    with open_store(db) as store:
        service = corpus_service(store)
        try:
            hits = within_budget(
                "search", lambda: service.search(query, limit, since=since, until=until, site=site, speaker=speaker)
            )
        except QuerySyntaxError as error:
            usage_error(f"cannot read the query {shortened(query, 80)!r}: {error}")
    if not hits:
        err.print("no matches")
        raise typer.Exit(1)
    for hit in hits:
        if as_json:
            typer.echo(json.dumps(dataclasses.asdict(hit), ensure_ascii=False))
            continue
        out.print(
            Text.assemble(
                (hit.id[:12], "bold"), f"  {hit.published or '          '}  {hit.headline or '(no headline)'}"
            )
        )
        out.print(f"              {' '.join(hit.snippet.split())}", style="dim", markup=False)


def show_command(
    article_id: Annotated[str, typer.Argument(help="An article id, or a unique prefix of at least 6 characters.")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print the Article JSON.")] = False,
) -> None:
    """Show one stored article."""
    with open_store(db) as store:
        article = corpus_service(store).article(article_id)
    if article is None:
        err.print(f"newstrace: no article {shortened(article_id, 80)!r} in {db}", markup=False)
        raise typer.Exit(1)
    if as_json:
        out.print_json(json.dumps(article.to_json_dict(), ensure_ascii=False), indent=2)
    else:
        print_report(article)


def export_command(
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
    from newstrace.export.jsonld import article_graph

    if format is ExportFormat.parquet:
        _export_parquet(db, output)
        return
    with open_store(db) as store:
        try:
            stream = output.open("w", encoding="utf-8") if output else sys.stdout
        except OSError as error:
            usage_error(f"cannot write {output}: {error.strerror or error}")
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
            usage_error(f"cannot write {output or 'standard output'}: {error.strerror or error}")
        finally:
            if output:
                with contextlib.suppress(OSError):  # what could not be written was named above
                    stream.close()


def _export_parquet(db: str, output: Path | None) -> None:
    if output is None:
        usage_error("--format parquet writes a folder of files: give it with -o DIR")
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        usage_error("--format parquet needs pyarrow: pip install 'newstrace[parquet]'")
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        usage_error(f"cannot write {output}: {error.strerror or error}")
    from newstrace.export.parquet import export_parquet

    with open_store(db) as store:
        try:
            written = export_parquet(store, output)
        except OSError as error:
            usage_error(f"cannot write {output}: {error.strerror or error}")
    for table, rows in written.items():
        err.print(f"{output / (table + '.parquet')}: {rows:,} rows", markup=False)


def backup_command(
    target: Annotated[Path, typer.Argument(help="The new SQLite file to copy the store into (must not exist).")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Copy a SQLite store into a new file, consistent while other commands or the server write to it."""
    from newstrace.store import StoreError

    with open_store(db) as store:
        try:
            store.backup(target)
        except StoreError as error:
            usage_error(str(error))
    out.print(Text(f"copied {db} to {target}"))


def failures_command(db: DbOption = DEFAULT_DB, as_json: JsonLinesOption = False) -> None:
    """List the inputs that were rejected, at which stage and why, oldest first."""
    with open_store(db) as store:
        recorded = store.failures()
    for failure in recorded:
        if as_json:
            typer.echo(json.dumps(dataclasses.asdict(failure), ensure_ascii=False))
        else:
            out.print(f"{failure.stage:<15} {failure.source}: {failure.reason}", markup=False)
    if not as_json:
        err.print(f"{len(recorded)} failures in {db}")


def quotes_command(
    speaker: Annotated[
        str | None, typer.Option("--speaker", help="Words of a name, each beginning one (e.g. Galuzin, Галузин).")
    ] = None,
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10000)] = 100,
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Leave out statements scored below this.")
    ] = 0.0,
    words: Annotated[
        str | None, typer.Option("--words", help="Words the content holds, each, any case (the first 8).")
    ] = None,
    site: Annotated[str | None, typer.Option("--site", help="Statements from a site whose name contains this.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Said on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Said on or before YYYY-MM-DD.")] = None,
    as_json: JsonLinesOption = False,
) -> None:
    """List stored statements (a speaker's, or everyone's), newest first, filtered as /statements filters them."""
    check_dates(since=since, until=until)
    from newstrace.service import statement_filters

    filters = statement_filters(words, site, since, until)
    with open_store(db) as store:
        found = within_budget(
            "statement listing",
            lambda: corpus_service(store).statements(speaker or None, min_confidence, limit, 0, None, **filters),
        )
    if not found:
        narrowed = ", ".join(f"{name} {value!r}" for name, value in filters.items() if value is not None)
        asked = (f" by {speaker!r}" if speaker else "") + (f" ({narrowed})" if narrowed else "")
        err.print(f"newstrace: no statements{asked} in {db}", markup=False)
        raise typer.Exit(1)
    for hit in found:
        if as_json:
            typer.echo(json.dumps(statement_record(hit), ensure_ascii=False))
            continue
        # A statement's pieces share its first piece's speaker: its roles are that entity's, where it has one.
        named = hit.quote.speaker is not None and bool(hit.quote.speaker.entity_id)
        line = statement_line(hit, hit.speaker_roles if named else [])
        out.print(Text.assemble((hit.date or "          ", "bold"), f"  {line}"))
        out.print(f"              {hit.headline or '(no headline)'} · {hit.article_id[:12]}", style="dim", markup=False)
