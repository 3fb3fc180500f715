"""The commands over many articles at once: ``timeline``, ``entities``, ``entity``, ``stories`` and ``story``."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from newstrace.cli._common import (
    DEFAULT_DB,
    DbOption,
    JsonLinesOption,
    check_dates,
    corpus_service,
    not_found,
    open_store,
    out,
    within_budget,
)
from newstrace.present import (
    entity_detail,
    entity_summary,
    member_link,
    shortened,
    story_detail,
    story_summary,
    timeline_json,
    weakest_link,
)

if TYPE_CHECKING:
    from newstrace.corpus import CorpusEntity, StatementRecord, StoryRecord
    from newstrace.store import Store


def timeline_command(
    speaker: Annotated[str, typer.Argument(help="A speaker's name or part of one (e.g. Galuzin).")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print the timeline as one JSON object.")] = False,
    since: Annotated[str | None, typer.Option("--since", help="Statements said on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Statements said on or before YYYY-MM-DD.")] = None,
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Leave out statements scored below this.")
    ] = 0.0,
) -> None:
    """A speaker's statements by the date said, each once with the outlets carrying it, contradictions flagged."""
    check_dates(since=since, until=until)
    with open_store(db) as store:
        service = corpus_service(store)
        result = within_budget(
            "timeline", lambda: service.timeline(speaker, since=since, until=until, min_confidence=min_confidence)
        )
    if not result.entries:
        not_found(f"no statements by {speaker!r} in {db}")
    if as_json:
        typer.echo(json.dumps(timeline_json(result), ensure_ascii=False, indent=2))
        return
    for entry in result.entries:
        said = f"{entry.speaker} ({entry.cue_lemma})" if entry.cue_lemma else entry.speaker
        out.print(Text.assemble((entry.date or "undated   ", "bold"), f"  {said}: {entry.content}"))
        language = f" · {entry.language}" if entry.language else ""
        out.print(f"            carried by {', '.join(entry.outlets)}{language}", style="dim", markup=False)
    for contradiction in result.contradictions:
        first, second = contradiction.first, contradiction.second
        out.print(
            Text.assemble(("contradiction", "bold red"), f" {first.date} / {second.date}: {contradiction.reason}")
        )


class EntityLabel(StrEnum):
    """The kinds of corpus entity."""

    PERSON = "PERSON"
    ORG = "ORG"
    PLACE = "PLACE"


def entities_command(
    db: DbOption = DEFAULT_DB,
    as_json: JsonLinesOption = False,
    label: Annotated[
        EntityLabel | None,
        typer.Option("--label", case_sensitive=False, help="Only entities of this kind: PERSON, ORG or PLACE."),
    ] = None,
) -> None:
    """Corpus entities (one per person, organisation or place across articles), most widely reported first."""
    with open_store(db) as store:
        service = corpus_service(store)
        found = within_budget("entity listing", lambda: service.entities(label.value if label else None))
    if not found:
        not_found(f"no entities{f' labelled {label.value}' if label else ''} in {db}")
    for entity in found:
        if as_json:
            typer.echo(json.dumps(entity_summary(entity), ensure_ascii=False))
            continue
        aliases = f"  (also {', '.join(entity.aliases)})" if entity.aliases else ""
        count = len(entity.article_ids)
        line = f"{entity.name:<32} {entity.label:<7} {count:>4} article{'s' if count != 1 else ''}{aliases}"
        out.print(line, markup=False)


def entity_command(
    name: Annotated[str, typer.Argument(help="A name or part of one, any spelling (e.g. Zelenskiy).")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per matching entity.")] = False,
) -> None:
    """One corpus entity: aliases, roles over time, the articles naming it, its statements, and why merged."""
    with open_store(db) as store:
        matching = within_budget("entity look-up", lambda: corpus_service(store).entities_named(name))
    if not matching:
        not_found(f"no entity named {name!r} in {db}")
    for entity, said in matching:
        if as_json:
            typer.echo(json.dumps(entity_detail(entity, said), ensure_ascii=False))
            continue
        _print_entity(entity, said)


def _print_entity(entity: CorpusEntity, said: list[StatementRecord]) -> None:
    out.print(Text.assemble((entity.name, "bold"), f"  {entity.label}  {entity.id}"))
    if entity.aliases:
        out.print(f"  also written: {', '.join(entity.aliases)}", markup=False)
    for role in sorted(entity.roles, key=lambda r: r.date or ""):
        out.print(f"  role {role.date or 'undated   '}  {role.value}  ({role.article_id[:12]})", markup=False)
    for affiliation in entity.affiliations:
        out.print(f"  affiliation  {affiliation.value}  ({affiliation.article_id[:12]})", markup=False)
    out.print(f"  articles: {', '.join(article_id[:12] for article_id in entity.article_ids)}")
    for evidence in entity.evidence:
        out.print(f"    {evidence.article_id[:12]}  {evidence.name}: {evidence.rule}", style="dim", markup=False)
    for statement in said:
        out.print(f"  said {statement.date or 'undated   '}  {statement.text}", markup=False)
        out.print(f"             {statement.site or ''} · {statement.article_id[:12]}", style="dim", markup=False)


def _story(store: Store, story_id: str | None = None) -> list[StoryRecord]:
    """Every stored story (or those ``story_id`` names), as the store keeps them."""
    service = corpus_service(store)
    return service.stories() if story_id is None else service.story(story_id)


def stories_command(
    db: DbOption = DEFAULT_DB,
    as_json: JsonLinesOption = False,
    min_size: Annotated[
        int, typer.Option("--min-size", min=1, help="Only stories of at least this many articles (2: no single ones).")
    ] = 1,
) -> None:
    """Stories across the stored articles, most recently seen first: copies, syndication and follow-ups grouped."""
    with open_store(db) as store:
        found = within_budget("story listing", lambda: corpus_service(store).stories(min_size=min_size))
    if not found:
        not_found(f"no articles in {db}" if min_size <= 1 else f"no story of {min_size} articles or more in {db}")
    for story in found:
        if as_json:
            typer.echo(json.dumps(story_summary(story), ensure_ascii=False))
            continue
        span = f"{story.first_seen or '?'} .. {story.last_seen or '?'}"
        size = len(story.members)
        title = story.title or "(no headline)"
        weakest = weakest_link(story)
        # How loosely the story holds: the lowest similarity a member joined at (copies near 1, same story lower).
        held = f"weakest {weakest:.2f}" if weakest is not None else ""
        out.print(
            Text.assemble(
                (story.id[:12], "bold"),
                f"  {span:<24} {size:>3} article{'s' if size != 1 else ' '}  {held:<13} {title}",
            )
        )


def story_command(
    story_id: Annotated[str, typer.Argument(help="A story id (its origin article's id), or a unique prefix.")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print the story as one JSON object.")] = False,
) -> None:
    """One story: its origin, its members with their relation and similarity, and the lineage stated in the texts."""
    with open_store(db) as store:
        matching = within_budget("story look-up", lambda: _story(store, story_id))
    if len(matching) != 1:
        shown = repr(shortened(story_id, 80))
        not_found(f"no story {shown} in {db}" if not matching else f"the story id {shown} is ambiguous")
    story = matching[0]
    if as_json:
        typer.echo(json.dumps(story_detail(story), ensure_ascii=False, indent=2))
        return
    out.print(Text(story.title or "(no headline)", style="bold"))
    out.print(f"story {story.id}  first seen {story.first_seen or '?'}  last seen {story.last_seen or '?'}")
    for member in story.members:
        copy = f"  copy of {member.copy_of[:12]}" if member.copy_of else ""
        where = f"{member.published or '          '}  {member.site or '(no site)'}"
        out.print(f"  {member.article_id[:12]}  {member_link(member):<16} {where}{copy}", markup=False)
    for edge in story.lineage:
        credit = f"{edge.source} ({edge.cue}: {edge.evidence.text!r})"
        out.print(f"  lineage: {edge.article_id[:12]} credits {credit}", markup=False)
