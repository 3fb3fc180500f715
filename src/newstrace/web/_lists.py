"""The UI's listings: search with its facets, stories and statements; every filter a query parameter, so a URL is
the page."""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from newstrace.corpus import StoryMember, StoryRecord
from newstrace.corpus.story_timeline import MemberStep
from newstrace.present import story_outlets
from newstrace.service import MAX_PAGE, STORY_TIMELINE_MEMBERS, QueryBudget, SearchResults, statement_filters
from newstrace.store import SearchFacets
from newstrace.web._api import Language, bounded_read, named, search_filters
from newstrace.web._ui import FormDate, _export_query, _pages, _service, page

router = APIRouter(include_in_schema=False)

VERDICTS = ("agree", "disagree", "discuss", "unrelated", "none")


@dataclass(frozen=True, slots=True)
class FacetValue:
    """One value of a facet: its count and the link that filters by it (None: it cannot be filtered by)."""

    label: str
    count: int
    href: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class Facet:
    """A facet of the matches: a name and its values, most first."""

    name: str
    values: list[FacetValue]


def link(path: str, params: dict[str, str | None], **changed: str | None) -> str:
    """``path`` with ``params`` changed as given (None drops one) and no offset: a filter starts at the first page."""
    kept: dict[str, str | None] = {key: value for key, value in (params | changed).items() if value and key != "offset"}
    query = _export_query(kept)
    return f"{path}?{query}" if query else path


def month_range(month: str) -> tuple[str, str] | None:
    """The first and last day of a YYYY-MM month; None for anything else."""
    try:
        year, number = int(month[:4]), int(month[5:7])
        last = calendar.monthrange(year, number)[1]
    except (ValueError, calendar.IllegalMonthError):
        return None
    return f"{year:04d}-{number:02d}-01", f"{year:04d}-{number:02d}-{last:02d}"


def facets_view(found: SearchFacets, params: dict[str, str | None], path: str = "/ui/") -> list[Facet]:
    """The facets as links: each value sets its filter (a month sets the date range to it); the active one clears."""

    def value(key: str, label: str, count: int) -> FacetValue:
        if not label:
            return FacetValue("(unknown)", count, None, False)
        active = params.get(key) == label
        return FacetValue(label, count, link(path, params, **{key: None if active else label}), active)

    months = []
    for month, count in found.months:
        bounds = month_range(month)
        if bounds is None:
            months.append(FacetValue(month or "(undated)", count, None, False))
            continue
        active = (params.get("since"), params.get("until")) == bounds
        since, until = (None, None) if active else bounds
        months.append(FacetValue(month, count, link(path, params, since=since, until=until), active))
    return [
        # An outlet's link selects that site exactly (``outlet``); the typed ``site`` matches any part of one.
        Facet("Outlet", [value("outlet", label, count) for label, count in found.outlets]),
        Facet("Month", months),
        Facet("Verdict", [value("verdict", label, count) for label, count in found.verdicts]),
        Facet("Language", [value("language", label, count) for label, count in found.languages]),
    ]


@router.get("/ui/", response_class=HTMLResponse)
async def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=1000)] = "",
    since: FormDate = None,
    until: FormDate = None,
    site: Annotated[str | None, Query(max_length=200)] = None,
    speaker: Annotated[str | None, Query(max_length=200)] = None,
    verdict: Annotated[Literal["", "agree", "disagree", "discuss", "unrelated", "none"], Query()] = "",
    language: Language = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,  # a search's pages end at its ranked matches
) -> HTMLResponse:
    """Search form, results with their facets, a page at a time; with no query, the most recently stored articles
    (filtered by date and site)."""
    service = _service(request)
    filters = search_filters(since, until, site, speaker, verdict or None, language, outlet)
    params = {"q": q, **filters}
    form = {"q": q, **{key: value or "" for key, value in filters.items()}, "verdicts": VERDICTS}
    if q.strip():
        found: SearchResults = await bounded_read(
            request, "search", lambda budget: service.search_results(q, MAX_PAGE, offset, budget, **filters)
        )
        total = found.facets.total
        pages = _pages("/ui/", params, offset, len(found.hits), found.more, total)
        return page(
            "search.html",
            request=request,
            q=q,
            form=form,
            found=found,
            recent=None,
            total=total,
            pages=pages,
            facets=facets_view(found.facets, params),
            export=_export_query(params),
        )
    listing = functools.partial(
        service.articles, limit=MAX_PAGE, offset=offset, since=filters["since"], until=filters["until"], site=site
    )
    total, recent = await bounded_read(request, "article listing", lambda budget: listing(budget=budget))
    pages = _pages("/ui/", params, offset, len(recent), offset + len(recent) < total, total)
    return page("search.html", request=request, q=q, form=form, found=None, recent=recent, total=total, pages=pages)


@router.get("/ui/stories/", response_class=HTMLResponse)
async def stories_page(
    request: Request,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    min_size: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    since: FormDate = None,
    until: FormDate = None,
    site: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    """Stories across the stored articles, most recently seen first, a page at a time: of a least size, seen within
    the dates, carried by an outlet; each with its outlets, first and last seen, and origin."""
    service = _service(request)
    filters = {"since": since or None, "until": until or None, "site": site or None}
    found = await bounded_read(request, "story listing", lambda budget: service.stories(budget, min_size, **filters))
    shown = found[offset : offset + MAX_PAGE]
    params = {"min_size": str(min_size) if min_size > 1 else None, **filters}
    pages = _pages("/ui/stories/", params, offset, len(shown), offset + len(shown) < len(found), len(found))
    form = {key: value or "" for key, value in params.items()}
    rows = [(story, story_outlets(story), _origin(story)) for story in shown]
    return page(
        "stories.html",
        request=request,
        rows=rows,
        total=len(found),
        pages=pages,
        min_size=min_size,
        form=form,
        grouped=link("/ui/stories/", params, min_size="2"),
        ungrouped=link("/ui/stories/", params, min_size=None),
    )


def _origin(story: StoryRecord) -> StoryMember | None:
    return next((member for member in story.members if member.article_id == story.origin_id), None)


@router.get("/ui/stories/{story_id}", response_class=HTMLResponse)
async def story_page(request: Request, story_id: str) -> HTMLResponse:
    """A story: its origin, its members with their relation, a timeline of what each member added, and the lineage
    stated in the texts."""
    service = _service(request)

    def read(budget: QueryBudget) -> tuple[list[StoryRecord], list[MemberStep]]:
        matching = service.story(story_id, budget)
        return matching, service.story_timeline(matching[0], budget) if len(matching) == 1 else []

    matching, steps = await bounded_read(request, "story look-up", read)
    if len(matching) != 1:
        raise HTTPException(
            404, f"no story {named(story_id)}" if not matching else f"the story id {named(story_id)} is ambiguous"
        )
    story = matching[0]
    members = [member.article_id for member in story.members]
    headlines = await run_in_threadpool(service.headlines, members)  # one story's rows, off the event loop
    return page(
        "story.html",
        request=request,
        story=story,
        headlines=headlines,
        steps=steps,
        shown_most=STORY_TIMELINE_MEMBERS,
    )


@router.get("/ui/statements", response_class=HTMLResponse)
async def statements_page(
    request: Request,
    words: Annotated[str | None, Query(max_length=200)] = None,
    speaker: Annotated[str | None, Query(max_length=200)] = None,
    site: Annotated[str | None, Query(max_length=200)] = None,
    since: FormDate = None,
    until: FormDate = None,
    min_confidence: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> HTMLResponse:
    """Statements across the stored articles, newest first, a page at a time: by content words, speaker, outlet,
    dates said and least confidence, as the API's /statements filters them."""
    service = _service(request)
    filters = statement_filters(words, site, since, until)
    who = (speaker or "").strip() or None
    hits = await bounded_read(
        request,
        "statement listing",
        lambda budget: service.statements(who, min_confidence, MAX_PAGE + 1, offset, budget, **filters),
    )
    shown = hits[:MAX_PAGE]
    confidence = f"{min_confidence:g}" if min_confidence else None
    params = {"words": filters["words"], "speaker": who, "site": filters["site"], "since": filters["since"]}
    params |= {"until": filters["until"], "min_confidence": confidence}
    pages = _pages("/ui/statements", params, offset, len(shown), len(hits) > MAX_PAGE)
    form = {key: value or "" for key, value in params.items()}
    return page("statements.html", request=request, hits=shown, pages=pages, form=form, export=_export_query(params))
