"""``newstrace analyze``: analyse one input and print a readable report, or the Article JSON."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from newstrace.cli._common import EXIT_SKIPPED, MaxBytesOption, out, report_failure, require_path
from newstrace.cli._report import print_report
from newstrace.ingest import DEFAULT_MAX_BYTES, iter_documents
from newstrace.model import Article, Failure


def analyze_command(
    path: Annotated[str, typer.Argument(help="A file, a directory, an archive, or - for stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one Article JSON object per line.")] = False,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """Analyse the article(s) in one input and print a readable report (or JSON Lines)."""
    require_path(path)
    from newstrace.run.local import InProcessRunner  # the pipeline's code loads with the command

    runner = InProcessRunner()
    articles: list[Article] = []
    failed = 0
    for result in runner.run(iter_documents([path], max_bytes=max_bytes)):
        if isinstance(result, Failure):
            failed += 1
            report_failure(result)
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
            print_report(article)
    if failed:
        raise typer.Exit(EXIT_SKIPPED)
