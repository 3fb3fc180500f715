"""Commands over many articles at once, registered into the CLI's Typer app by :func:`register`."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

if TYPE_CHECKING:
    from newstrace.corpus import Timeline
    from newstrace.store import Store

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

# The same option the store commands in cli.py take (cli.py imports this module first, so it cannot be shared).
DbOption = Annotated[str, typer.Option("--db", help="SQLite database file, or a postgresql:// URL.")]
DEFAULT_DB = "newstrace.db"


def evaluate_stories_command(
    stances_csv: Annotated[Path, typer.Argument(help="FNC-1 stances CSV (Headline, Body ID, Stance).")],
    bodies_csv: Annotated[Path, typer.Argument(help="FNC-1 bodies CSV (Body ID, articleBody).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Story clustering: B-cubed and pairwise P/R/F1 on FNC-1 stories, with a TF-IDF baseline in the same run."""
    from newstrace.evaluate.stories import evaluate_stories

    progress = Progress(
        SpinnerColumn(), TextColumn("assigning"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True,
    )  # fmt: skip
    try:
        with progress:
            report = evaluate_stories(stances_csv, bodies_csv, progress=lambda ids: progress.track(ids))
    except (FileNotFoundError, ValueError) as error:
        err.print(f"newstrace: {error}", markup=False)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    systems = report["systems"]
    assert isinstance(systems, dict)
    first = next(iter(systems.values()))["all"]
    out.print(f"FNC-1 stories from {stances_csv}: {first['bodies']} bodies in {first['gold_stories']} gold stories")
    header = "   B³ P    B³ R    B³ F1   pair P  pair R  pair F1"
    out.print(f"{'system':<26} {'part':<7} {'bodies':>6} {'gold':>5} {'clusters':>8}{header}")
    for name, parts in systems.items():
        for part, scores in parts.items():
            b3, pair = scores["bcubed"], scores["pairwise"]
            figures = "  ".join(f"{d[k]:.4f}" for d in (b3, pair) for k in ("precision", "recall", "f1"))
            counts = f"{scores['bodies']:>6} {scores['gold_stories']:>5} {scores['clusters']:>8}"
            out.print(f"{name:<26} {part:<7} {counts}   {figures}")
    out.print("tuning: the seeded half of the gold stories newstrace's settings were chosen on; rest: the other half")


def _open(db: str) -> Store:
    """The store at ``db``, with the one-line errors and exit codes of the other store commands."""
    from newstrace.cli import _open_store

    return _open_store(db)


def _check_dates(**dates: str | None) -> None:
    """A --since or --until that is not a YYYY-MM-DD date ends the command with one line and exit code 2."""
    from newstrace.cli import _is_date, _usage_error

    for name, value in dates.items():
        if value is not None and not _is_date(value):
            _usage_error(f"--{name} {value!r} is not a date (YYYY-MM-DD)")


def _not_found(message: str) -> NoReturn:
    """One line on stderr and exit code 1: what was asked for is not in the store."""
    err.print(f"newstrace: {message}", markup=False)
    raise typer.Exit(1)


def _escape(text: str) -> str:
    """Text shown as written, not read as Rich markup."""
    from rich.markup import escape

    return escape(text)


def timeline_command(
    speaker: Annotated[str, typer.Argument(help="A speaker's name or part of one (e.g. Galuzin).")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print the timeline as one JSON object.")] = False,
    since: Annotated[str | None, typer.Option("--since", help="Statements said on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Statements said on or before YYYY-MM-DD.")] = None,
) -> None:
    """A speaker's statements by the date said, each once with the outlets carrying it, contradictions flagged."""
    from newstrace._store.corpus import entity_records, statement_records
    from newstrace.corpus import resolve_identities, timeline

    _check_dates(since=since, until=until)
    with _open(db) as store:
        statements = statement_records(store.engine)
        identities = resolve_identities(entity_records(store.engine))
    result = timeline(statements, speaker, since=since, until=until, identities=identities)
    if not result.entries:
        _not_found(f"no statements by {speaker!r} in {db}")
    if as_json:
        typer.echo(json.dumps(_timeline_json(result), ensure_ascii=False, indent=2))
        return
    for entry in result.entries:
        said = f"{entry.speaker} ({entry.cue_lemma})" if entry.cue_lemma else entry.speaker
        out.print(f"[bold]{entry.date or 'undated   '}[/bold]  {_escape(said)}: {_escape(entry.content)}")
        out.print(f"            carried by {_escape(', '.join(entry.outlets))}", style="dim")
    for contradiction in result.contradictions:
        first, second = contradiction.first, contradiction.second
        out.print(f"[bold red]contradiction[/bold red] {first.date} / {second.date}: {_escape(contradiction.reason)}")


def _timeline_json(result: Timeline) -> dict[str, object]:
    entries = []
    for entry in result.entries:
        carriers = [asdict(carrier) for carrier in entry.carriers]
        entries.append(
            {
                "date": entry.date,
                "speaker": entry.speaker,
                "content": entry.content,
                "kind": entry.kind,
                "cue_lemma": entry.cue_lemma,
                "outlets": entry.outlets,
                "carriers": carriers,
            }
        )
    position = {id(entry): i for i, entry in enumerate(result.entries)}
    contradictions = [
        {"first": position[id(c.first)], "second": position[id(c.second)], "reason": c.reason}
        for c in result.contradictions
    ]
    return {"speaker": result.speaker, "entries": entries, "contradictions": contradictions}


def register(app: typer.Typer, evaluate_app: typer.Typer) -> None:
    """Add the corpus commands to the CLI's app and its ``evaluate`` group."""
    app.command("timeline")(timeline_command)
    evaluate_app.command("stories")(evaluate_stories_command)
