"""Commands over many articles at once, registered into the CLI's Typer app by :func:`register`."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from newstrace.service import (
    CorpusService,
    entity_detail,
    entity_summary,
    story_detail,
    story_summary,
    timeline_json,
)

if TYPE_CHECKING:
    from newstrace.corpus import CorpusEntity, StatementRecord, StoryRecord
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
    """Text shown as written, not read as Rich markup (a backslash before a bracket included: "C:\\[/b]")."""
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
    _check_dates(since=since, until=until)
    with _open(db) as store:
        result = CorpusService(store).timeline(speaker, since=since, until=until)
    if not result.entries:
        _not_found(f"no statements by {speaker!r} in {db}")
    if as_json:
        typer.echo(json.dumps(timeline_json(result), ensure_ascii=False, indent=2))
        return
    for entry in result.entries:
        said = f"{entry.speaker} ({entry.cue_lemma})" if entry.cue_lemma else entry.speaker
        out.print(f"[bold]{entry.date or 'undated   '}[/bold]  {_escape(said)}: {_escape(entry.content)}")
        out.print(f"            carried by {_escape(', '.join(entry.outlets))}", style="dim")
    for contradiction in result.contradictions:
        first, second = contradiction.first, contradiction.second
        out.print(f"[bold red]contradiction[/bold red] {first.date} / {second.date}: {_escape(contradiction.reason)}")


class EntityLabel(StrEnum):
    """The kinds of corpus entity."""

    PERSON = "PERSON"
    ORG = "ORG"
    PLACE = "PLACE"


def entities_command(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per line.")] = False,
    label: Annotated[
        EntityLabel | None,
        typer.Option("--label", case_sensitive=False, help="Only entities of this kind: PERSON, ORG or PLACE."),
    ] = None,
) -> None:
    """Corpus entities (one per person, organisation or place across articles), most widely reported first."""
    with _open(db) as store:
        found = CorpusService(store).entities(label.value if label else None)
    if not found:
        _not_found(f"no entities{f' labelled {label.value}' if label else ''} in {db}")
    for entity in found:
        if as_json:
            typer.echo(json.dumps(entity_summary(entity), ensure_ascii=False))
            continue
        aliases = f"  (also {', '.join(entity.aliases)})" if entity.aliases else ""
        count = len(entity.article_ids)
        line = f"{entity.name:<32} {entity.label:<7} {count:>4} article{'s' if count != 1 else ''}{aliases}"
        out.print(_escape(line))


def entity_command(
    name: Annotated[str, typer.Argument(help="A name or part of one, any spelling (e.g. Zelenskiy).")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per matching entity.")] = False,
) -> None:
    """One corpus entity: aliases, roles over time, the articles naming it, its statements, and why merged."""
    with _open(db) as store:
        matching = CorpusService(store).entities_named(name)
    if not matching:
        _not_found(f"no entity named {name!r} in {db}")
    for entity, said in matching:
        if as_json:
            typer.echo(json.dumps(entity_detail(entity, said), ensure_ascii=False))
            continue
        _print_entity(entity, said)


def _print_entity(entity: CorpusEntity, said: list[StatementRecord]) -> None:
    out.print(f"[bold]{_escape(entity.name)}[/bold]  {entity.label}  {entity.id}")
    if entity.aliases:
        out.print(f"  also written: {_escape(', '.join(entity.aliases))}")
    for role in sorted(entity.roles, key=lambda r: r.date or ""):
        out.print(f"  role {role.date or 'undated   '}  {_escape(role.value)}  ({role.article_id[:12]})")
    for affiliation in entity.affiliations:
        out.print(f"  affiliation  {_escape(affiliation.value)}  ({affiliation.article_id[:12]})")
    out.print(f"  articles: {', '.join(article_id[:12] for article_id in entity.article_ids)}")
    for evidence in entity.evidence:
        out.print(f"    {evidence.article_id[:12]}  {_escape(evidence.name)!s}: {evidence.rule}", style="dim")
    for statement in said:
        out.print(f"  said {statement.date or 'undated   '}  {_escape(statement.content.text)}")
        out.print(f"             {_escape(statement.site or '')} · {statement.article_id[:12]}", style="dim")


def _story(store: Store, story_id: str | None = None) -> list[StoryRecord]:
    """Every stored story (or those ``story_id`` names), as the store keeps them."""
    service = CorpusService(store)
    return service.stories() if story_id is None else service.story(story_id)


def stories_command(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per line.")] = False,
) -> None:
    """Stories across the stored articles, most recently seen first: copies, syndication and follow-ups grouped."""
    with _open(db) as store:
        found = _story(store)
    if not found:
        _not_found(f"no articles in {db}")
    for story in found:
        if as_json:
            typer.echo(json.dumps(story_summary(story), ensure_ascii=False))
            continue
        span = f"{story.first_seen or '?'} .. {story.last_seen or '?'}"
        size = len(story.members)
        title = story.title or "(no headline)"
        out.print(
            f"[bold]{story.id[:12]}[/bold]  {span:<24} {size:>3} article{'s' if size != 1 else ' '}  {_escape(title)}"
        )


def story_command(
    story_id: Annotated[str, typer.Argument(help="A story id (its first article's id), or a unique prefix.")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print the story as one JSON object.")] = False,
) -> None:
    """One story: its origin, its members with their relation and similarity, and the lineage stated in the texts."""
    with _open(db) as store:
        matching = _story(store, story_id)
    if len(matching) != 1:
        _not_found(f"no story {story_id!r} in {db}" if not matching else f"the story id {story_id!r} is ambiguous")
    story = matching[0]
    if as_json:
        typer.echo(json.dumps(story_detail(story), ensure_ascii=False, indent=2))
        return
    out.print(f"[bold]{_escape(story.title or '(no headline)')}[/bold]")
    out.print(f"story {story.id}  first seen {story.first_seen or '?'}  last seen {story.last_seen or '?'}")
    for member in story.members:
        copy = f"  copy of {member.copy_of[:12]}" if member.copy_of else ""
        where = f"{member.published or '          '}  {_escape(member.site or '(no site)')}"
        out.print(f"  {member.article_id[:12]}  {member.relation:<10} {member.similarity:.3f}  {where}{copy}")
    for edge in story.lineage:
        credit = f"{edge.source} ({edge.cue}: {edge.evidence.text!r})"
        out.print(f"  lineage: {edge.article_id[:12]} credits {_escape(credit)}")


def register(app: typer.Typer, evaluate_app: typer.Typer) -> None:
    """Add the corpus commands to the CLI's app and its ``evaluate`` group."""
    app.command("timeline")(timeline_command)
    app.command("entities")(entities_command)
    app.command("entity")(entity_command)
    app.command("stories")(stories_command)
    app.command("story")(story_command)
    evaluate_app.command("stories")(evaluate_stories_command)
