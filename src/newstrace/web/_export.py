"""Lists to take away: ``/export/…`` streams search hits, statements, entities or a story's members as CSV or JSON."""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import StreamingResponse

from newstrace.present import entity_summary, member_link, speaker_name, statement_record
from newstrace.service import MAX_EXPORT, CorpusService, QueryBudget, statement_filters
from newstrace.store import HitDetail, SearchHit, StatementHit
from newstrace.web._api import (
    READ_ERRORS,
    Language,
    Outlet,
    ShortText,
    Since,
    Until,
    Verdict,
    Words,
    bounded_read,
    named,
    search_filters,
)

router = APIRouter(prefix="/export", tags=["export"])
EXPORTED = READ_ERRORS | {
    200: {
        "description": "A download: CSV with a header row, or JSON `{export, filters, items, capped}`, streamed.",
        "content": {"text/csv": {"schema": {"type": "string"}}, "application/json": {"schema": {"type": "object"}}},
    }
}

T = TypeVar("T")
Format = Annotated[Literal["csv", "json"], Query(description="`csv` (a header row, then a row per item) or `json`.")]
# A spreadsheet runs a cell that starts with one of these as a formula ("=HYPERLINK(…)" in a headline, "-2+3" in a
# quote): such a cell is written with a leading apostrophe, which the spreadsheet shows as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclasses.dataclass(frozen=True, slots=True)
class Table:
    """How one kind of item is exported: its CSV columns and the cells of a row, and its JSON object."""

    columns: tuple[str, ...]
    row: Callable[[Any], tuple[object, ...]]
    item: Callable[[Any], object]


def safe_cell(value: object) -> object:
    """A CSV cell as written: text a spreadsheet would run as a formula gets a leading apostrophe; None is empty."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = "; ".join(str(part) for part in value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(columns: tuple[str, ...], rows: Iterable[tuple[object, ...]]) -> Iterator[bytes]:
    """The header, then each row, as CSV (RFC 4180 quoting, CRLF line ends), a few hundred rows per chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for number, row in enumerate(rows, 1):
        writer.writerow([safe_cell(cell) for cell in row])
        if number % 200 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def json_chunks(kind: str, filters: Mapping[str, object], items: Iterable[object], most: int) -> Iterator[bytes]:
    """``{"export", "filters", "items": […], "capped"}`` written as the items come; ``capped``: the export stopped at
    its most rows, and the store may hold more."""
    head = {"export": kind, "filters": {key: value for key, value in filters.items() if value is not None}}
    yield (json.dumps(head)[:-1] + ', "items": [').encode()
    count = 0
    for item in items:
        yield ((",\n" if count else "\n") + json.dumps(item, ensure_ascii=False)).encode()
        count += 1
    yield f'\n], "capped": {json.dumps(count >= most)}}}\n'.encode()


def streamed(
    kind: str, table: Table, items: Iterable[Any], filters: Mapping[str, object], fmt: str, most: int = MAX_EXPORT
) -> StreamingResponse:
    """The items as a download named after their kind (``newstrace-statements.csv``)."""
    if fmt == "csv":
        body = csv_lines(table.columns, (table.row(item) for item in items))
        media = "text/csv; charset=utf-8"
    else:
        body = json_chunks(kind, filters, (table.item(item) for item in items), most)
        media = "application/json"
    headers = {"Content-Disposition": f'attachment; filename="newstrace-{kind}.{fmt}"', "Cache-Control": "no-store"}
    return StreamingResponse(body, media_type=media, headers=headers)


async def first_then_rest(
    request: Request, what: str, start: Callable[[QueryBudget], Iterator[list[T]]]
) -> Iterable[T]:
    """An export's first page, read before anything is sent (an unreadable query or a slow one is still an error
    answer), with the rest of its pages (read as the body streams) after it in a list-like iterator."""

    def begin(budget: QueryBudget) -> tuple[list[T], Iterator[list[T]]]:
        pages = start(budget)
        return next(pages, []), pages

    first, rest = await bounded_read(request, what, begin)
    return itertools.chain(first, itertools.chain.from_iterable(rest))


def _search_row(found: tuple[SearchHit, HitDetail | None]) -> tuple[object, ...]:
    hit, detail = found
    head = (hit.id, hit.headline, hit.published, hit.site, round(hit.score, 4), hit.snippet)
    if detail is None:  # an article removed between the search and its details: its cells stay empty
        return (*head, *[None] * 7)
    return (*head, detail.date, detail.language, detail.verdict, detail.misleading, detail.statements,
            detail.story_id, detail.story_size)  # fmt: skip


SEARCH_COLUMNS = ("id", "headline", "published", "site", "score", "snippet")
DETAIL_COLUMNS = ("date", "language", "verdict", "misleading", "statements", "story_id", "story_size")
SEARCH = Table(
    SEARCH_COLUMNS + DETAIL_COLUMNS,
    _search_row,
    lambda found: dataclasses.asdict(found[0]) | (dataclasses.asdict(found[1]) if found[1] else {}),
)


def _statement_row(hit: StatementHit) -> tuple[object, ...]:
    quote = hit.quote
    cue = quote.cue.text if quote.cue else None
    speaker = speaker_name(quote)
    return (hit.article_id, hit.headline, hit.date, speaker, hit.speaker_roles, quote.kind, cue, quote.channel,
            round(quote.confidence, 4), hit.text)  # fmt: skip


STATEMENTS = Table(
    ("article_id", "headline", "date", "speaker", "speaker_roles", "kind", "cue", "channel", "confidence", "text"),
    _statement_row,
    statement_record,
)
ENTITIES = Table(
    ("id", "name", "label", "aliases", "articles"),
    lambda entity: (entity.id, entity.name, entity.label, entity.aliases, len(entity.article_ids)),
    entity_summary,
)


def _service(request: Request) -> CorpusService:
    service: CorpusService = request.app.state.service
    return service


@router.get("/search", responses=EXPORTED)
async def export_search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=1000, description='As for /search: words, "phrases", OR, …')],
    format: Format = "json",
    since: Since = None,
    until: Until = None,
    site: ShortText = None,
    speaker: ShortText = None,
    verdict: Verdict = None,
    language: Language = None,
    outlet: Outlet = None,
) -> StreamingResponse:
    """Every hit of a search with its filters (as far as the ranking goes: 2,000), best first, as /search lists them."""
    filters = search_filters(since, until, site, speaker, verdict, language, outlet)
    service = _service(request)
    hits: Iterable[tuple[SearchHit, HitDetail | None]] = await first_then_rest(
        request, "search", lambda budget: service.search_pages(q, budget, **filters)
    )
    return streamed("search", SEARCH, hits, {"q": q, **filters}, format)


@router.get("/statements", responses=EXPORTED)
async def export_statements(
    request: Request,
    format: Format = "json",
    speaker: ShortText = None,
    min_confidence: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
    words: Words = None,
    site: ShortText = None,
    since: Since = None,
    until: Until = None,
) -> StreamingResponse:
    """Every statement /statements lists with these filters (up to 10,000), newest first."""
    service = _service(request)
    narrowed = statement_filters(words, site, since, until)
    hits: Iterable[StatementHit] = await first_then_rest(
        request,
        "statement listing",
        lambda budget: service.statement_pages(speaker, min_confidence, budget, **narrowed),
    )
    filters = {"speaker": speaker, "min_confidence": min_confidence or None, **narrowed}
    return streamed("statements", STATEMENTS, hits, filters, format)


@router.get("/entities", responses=EXPORTED)
async def export_entities(
    request: Request,
    format: Format = "json",
    label: Annotated[Literal["PERSON", "ORG", "PLACE"] | None, Query()] = None,
    name: Annotated[str | None, Query(max_length=200, description="Part of a name or alias, any case.")] = None,
) -> StreamingResponse:
    """Every corpus entity /entities lists with these filters (up to 10,000), most widely reported first."""
    service = _service(request)
    found = await bounded_read(request, "entity listing", lambda budget: service.entities(label, budget, name))
    filters = {"label": label, "name": name or None}
    return streamed("entities", ENTITIES, found[:MAX_EXPORT], filters, format)


@router.get("/stories/{story_id}/members", responses=EXPORTED)
async def export_story_members(
    request: Request,
    story_id: str,
    format: Format = "json",
) -> StreamingResponse:
    """A story's members in the story page's order, with headline, relation and similarity (as /stories/{id})."""
    service = _service(request)
    matching = await bounded_read(request, "story look-up", lambda budget: service.story(story_id, budget))
    if len(matching) != 1:
        raise HTTPException(
            404, f"no story {named(story_id)}" if not matching else f"the story id {named(story_id)} is ambiguous"
        )
    story = matching[0]
    ids = [member.article_id for member in story.members]
    headlines = await bounded_read(request, "story look-up", lambda _: service.headlines(ids))
    members = Table(
        ("article_id", "headline", "link", "relation", "similarity", "site", "published", "copy_of"),
        lambda m: (
            m.article_id,
            headlines.get(m.article_id),
            member_link(m),
            m.relation,
            round(m.similarity, 4),
            m.site,
            m.published,
            m.copy_of,
        ),
        lambda m: {**dataclasses.asdict(m), "link": member_link(m), "headline": headlines.get(m.article_id)},
    )
    return streamed("story-members", members, story.members, {"story": story.id}, format)
