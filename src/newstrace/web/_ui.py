"""The web UI: server-rendered pages (Jinja2) over the service layer; the CSS and JS ship in the package."""

from __future__ import annotations

import datetime
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from newstrace.corpus import CorpusEntity, Timeline
from newstrace.present import language_note, member_link, shortened, speaker_name, weakest_link
from newstrace.service import MAX_PAGE, CorpusService, QueryBudget, statement_filters
from newstrace.store import SearchHit
from newstrace.web._api import CalendarDate, bounded_read, named
from newstrace.web._render import marked_text
from newstrace.web._views import article_view, speaker_classes

router = APIRouter(include_in_schema=False)

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_templates.filters["url_part"] = lambda value: quote(str(value), safe="")
_templates.filters["member_link"] = member_link
_templates.filters["speaker_classes"] = speaker_classes
_templates.filters["speaker_label"] = speaker_name


def _marked_snippet(hit: SearchHit) -> Markup:
    """A search hit's snippet with each matched word in <mark> (its brackets dropped), the rest escaped."""
    parts, at = [], 0
    for start, end in hit.matched:
        parts += [
            escape(hit.snippet[at : start - 1]),
            Markup("<mark>"),
            escape(hit.snippet[start:end]),
            Markup("</mark>"),
        ]
        at = end + 1
    parts.append(escape(hit.snippet[at:]))
    return Markup("").join(parts)


_templates.filters["marked_snippet"] = _marked_snippet
# A removed span is cut from the input as written: an HTML page's "&amp;" is one "&", escaped once on the page.
_templates.filters["as_text"] = lambda value: html.unescape(str(value))
_templates.filters["weakest_link"] = weakest_link


# The pages load only this server's own files: the browser refuses anything else, and no inline script runs.
# "same-origin": no other site learns a page's URL, and a form posted from a page here names this server's origin
# (under "no-referrer" a browser sends "Origin: null", and sign-in and sign-out refused every real browser).
_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def page(
    template: str, status_code: int = 200, headers: dict[str, str] | None = None, *, request: Request, **context: Any
) -> HTMLResponse:
    """A template rendered as a page, with the headers every page has; the menu offers sign-out on a token server."""
    signed = request.app.state.settings.token is not None
    html = _templates.get_template(template).render(sign_out=signed, **context)
    return HTMLResponse(html, status_code, _HEADERS | (headers or {}))


def html_error(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> HTMLResponse:
    """An error as a page: the status, and the message in one line."""
    return page("error.html", status, headers, request=request, status=status, message=message)


def _service(request: Request) -> CorpusService:
    service: CorpusService = request.app.state.service
    return service


@router.get("/")
def home() -> Response:
    """The search page."""
    return RedirectResponse("/ui/", status_code=307)


FormDate = Annotated[str | None, Query(pattern=r"^(\d{4}-\d{2}-\d{2})?$"), CalendarDate]


@dataclass(frozen=True, slots=True)
class Pages:
    """Where a listing's page starts, and the links to the pages before and after it (None where there is none)."""

    first: int
    previous: str | None
    next: str | None


def _pages(
    path: str, params: dict[str, str | None], offset: int, shown: int, more: bool, total: int | None = None
) -> Pages:
    """The links around a page; past the end (an empty page), "previous" leads to the last page that has rows, or to
    the first where the ``total`` is not known."""

    def link(start: int) -> str:
        kept = {key: value for key, value in params.items() if value}
        query = urlencode({**kept, **({"offset": str(start)} if start else {})})
        return f"{path}?{query}" if query else path

    if offset > 0 and shown == 0:
        previous: str | None = link((total - 1) // MAX_PAGE * MAX_PAGE if total else 0)
    else:
        previous = link(max(offset - MAX_PAGE, 0)) if offset > 0 else None
    return Pages(offset + 1, previous, link(offset + shown) if more else None)


def _export_query(params: dict[str, str | None]) -> str:
    """A page's filters as the query of its /export link (without ``format``, which each link adds)."""
    return urlencode({key: value for key, value in params.items() if value})


@router.get("/ui/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    """The cleaned text with statements by speaker, times and figures, the headline verdict and what was removed."""
    service = _service(request)
    article = service.article(article_id)
    if article is None:
        raise HTTPException(404, f"no article {named(article_id)}")
    named_here = service.entities_in(article.id)
    view = article_view(article, entity_pages(article.id, named_here))
    body = marked_text(article.text, view.marks, view.statements)
    story = service.story_of(article.id)
    # Each statement's other carriers, by its index: the span of its first piece, as the speaker's timeline has it.
    found = service.carriers(article.id)
    carried = {s.index: found[(s.start, s.end)] for s in view.statements if (s.start, s.end) in found}
    return page(
        "article.html",
        request=request,
        view=view,
        article=article,
        check=article.headline_check,
        body=body,
        story=story,
        named_here=named_here,
        carried=carried,
        language_note=language_note(article.language),
    )


# The kinds of corpus entity whose mentions in an article's text link to their page (a nationality, NORP, does not).
LINKED_KINDS = frozenset({"PERSON", "ORG", "PLACE"})


def entity_pages(article_id: str, entities: list[CorpusEntity]) -> dict[str, tuple[str, str]]:
    """The article's own entity ids, each with the id and name of the corpus entity it was merged into."""
    prefix = f"{article_id}/"
    return {
        member[len(prefix) :]: (entity.id, entity.name)
        for entity in entities
        if entity.label in LINKED_KINDS
        for member in entity.member_ids
        if member.startswith(prefix)
    }


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """One dated statement as carried by one outlet, placed on the chart."""

    x: float
    y: float
    date: str
    outlet: str
    content: str
    article_id: str


@dataclass(frozen=True, slots=True)
class Chart:
    """The speaker's statements over time: a row per outlet, a point per dated statement it carried."""

    width: int
    height: int
    left: int
    outlets: list[tuple[str, float]]
    ticks: list[tuple[str, float]]
    points: list[ChartPoint]


def timeline_chart(result: Timeline, width: int = 760, row: int = 34, left: int = 170) -> Chart:
    """The chart's geometry: dates across (by day), outlets down; an undated statement is left off."""
    dated = [entry for entry in result.entries if entry.date and _day(entry.date) is not None]
    outlets: list[str] = []
    for entry in dated:
        outlets += [outlet for outlet in entry.outlets if outlet not in outlets]
    days = [_day(entry.date or "") or 0 for entry in dated]
    first, last = (min(days), max(days)) if days else (0, 0)
    span = max(last - first, 1)
    right = width - 30

    def x(day: int) -> float:
        return left + (right - left) * ((day - first) / span if last > first else 0.5)

    top = 30
    rows = {outlet: top + row * number for number, outlet in enumerate(outlets)}
    # Statements of one day in one outlet sit side by side, 12 px apart, so each stays visible as its own point.
    stacks: dict[tuple[str, int], int] = {}
    for entry, day in zip(dated, days, strict=True):
        for carrier in entry.carriers:
            key = (carrier.site or carrier.article_id, day)
            stacks[key] = stacks.get(key, 0) + 1
    placed: dict[tuple[str, int], int] = {}
    points = []
    for entry, day in zip(dated, days, strict=True):
        for carrier in entry.carriers:
            outlet = carrier.site or carrier.article_id
            nth = placed.get((outlet, day), 0)
            placed[(outlet, day)] = nth + 1
            shift = (nth - (stacks[(outlet, day)] - 1) / 2) * 12
            content = shortened(entry.content, 140)
            point = ChartPoint(x(day) + shift, rows[outlet], entry.date or "", outlet, content, carrier.article_id)
            points.append(point)
    ticks = [(label, x(day)) for label, day in axis_ticks(first, last)] if days else []
    height = top + row * max(len(outlets), 1) + 30
    return Chart(width, height, left, [(outlet, y) for outlet, y in rows.items()], ticks, points)


# Steps between the date axis's labels: days, then months; the first that keeps them to MAX_TICKS is taken.
DAY_STEPS = (1, 2, 7, 14)
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)
MAX_TICKS = 7


def axis_ticks(first: int, last: int) -> list[tuple[str, int]]:
    """Labels for a date axis from day ``first`` to ``last`` (ordinals): whole days (a week's on Mondays) as
    YYYY-MM-DD, or the first of months as YYYY-MM, at most MAX_TICKS, in order; a single day labels itself."""
    start = datetime.date.fromordinal(first)
    if last <= first:
        return [(start.isoformat(), first)]
    for step in DAY_STEPS:
        if (last - first) // step + 1 <= MAX_TICKS:
            # A week's (or fortnight's) labels fall on Mondays, as ISO weeks start.
            day = first + (-start.weekday() % 7 if step >= 7 else 0)
            return [(datetime.date.fromordinal(d).isoformat(), d) for d in range(day, last + 1, step)]
    months = (last // 30 - first // 30) + 1
    step = next((s for s in MONTH_STEPS if months // s + 1 <= MAX_TICKS), MONTH_STEPS[-1])
    year, month = start.year, start.month + 1  # the first month that starts within the range
    if start.day == 1:
        month -= 1
    found = []
    index = (year * 12 + month - 1) // step * step  # months since year 0, on a multiple of the step
    if index < year * 12 + month - 1:
        index += step
    while (day := datetime.date(index // 12, index % 12 + 1, 1).toordinal()) <= last:
        found.append((f"{index // 12:04d}-{index % 12 + 1:02d}", day))
        index += step
    return found


def _day(value: str) -> int | None:
    """The day a TIMEX-style date starts on (2022-12-24, 2022-12, 2022, 2019-W46 at its Monday), as an ordinal; None
    for other values."""
    parts = value.split("-")
    try:
        if len(parts) > 1 and parts[1][:1] == "W":
            return datetime.date.fromisocalendar(int(parts[0]), int(parts[1][1:3]), 1).toordinal()
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2][:2]) if len(parts) > 2 else 1
        return datetime.date(year, month, day).toordinal()
    except (ValueError, IndexError):
        return None


# A name may hold a "/" ("O'Neil/AC"): the path converter takes it whole.
@router.get("/ui/speakers/{name:path}", response_class=HTMLResponse)
async def speaker_page(
    request: Request,
    name: str,
    min_confidence: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
    since: FormDate = None,
    until: FormDate = None,
    site: Annotated[str | None, Query(max_length=200)] = None,
    words: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    """A speaker: who they are across the corpus, and their statements over time by outlet, said from ``since`` to
    ``until``, carried by an outlet whose site holds ``site``, holding each of ``words`` (as ``/statements`` matches
    them), those scored below ``min_confidence`` left out (as the API's ``/statements`` and ``/timeline`` leave them
    out); every filter in the URL."""
    service = _service(request)
    narrowed = statement_filters(words, site, since, until)
    since, until, site, words = narrowed["since"], narrowed["until"], narrowed["site"], narrowed["words"]
    # One budget for the page: the timeline and the entities named so share it.
    result, entities = await bounded_read(
        request,
        "timeline",
        lambda bound: (
            service.timeline(name, since, until, bound, min_confidence=min_confidence, site=site, words=words),
            service.entities_named(name, bound),
        ),
    )
    if not result.entries and not entities:
        raise HTTPException(404, f"no speaker {named(name)}")
    chart = timeline_chart(result)
    confidence = str(min_confidence) if min_confidence else None
    filters = {"words": words, "site": site, "since": since, "until": until, "min_confidence": confidence}
    export = _export_query({"speaker": name, **filters})
    form = {key: value or "" for key, value in filters.items()}
    return page(
        "speaker.html",
        request=request,
        name=name,
        timeline=result,
        chart=chart,
        entities=entities,
        export=export,
        form=form,
    )


# Rows the entity page lists of one entity's articles: the most widely reported are in thousands.
ENTITY_ARTICLES_SHOWN = 100
Label = Annotated[Literal["", "PERSON", "ORG", "PLACE"], Query()]


@router.get("/ui/entities/", response_class=HTMLResponse)
async def entities_page(
    request: Request,
    label: Label = "",
    name: Annotated[str, Query(max_length=200)] = "",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> HTMLResponse:
    """People, organisations and places across the stored articles, most widely reported first, by kind and name."""
    service = _service(request)
    found = await bounded_read(
        request, "entity listing", lambda budget: service.entities(label or None, budget, name.strip() or None)
    )
    shown = found[offset : offset + MAX_PAGE]
    params: dict[str, str | None] = {"label": label, "name": name.strip()}
    pages = _pages("/ui/entities/", params, offset, len(shown), offset + len(shown) < len(found), len(found))
    return page(
        "entities.html",
        request=request,
        entities=shown,
        total=len(found),
        pages=pages,
        label=label,
        name=name.strip(),
        export=_export_query(params),
    )


@router.get("/ui/entities/{entity_id:path}", response_class=HTMLResponse)
async def entity_page(
    request: Request, entity_id: str, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0
) -> HTMLResponse:
    """One person, organisation or place: names, roles over time, statements by it and about it (100 a page from
    ``offset``), its articles and stories."""
    service = _service(request)

    def read(budget: QueryBudget) -> tuple[Any, dict[str, str | None], list[Any], list[Any]]:
        found = service.entity(entity_id, budget)
        if found is None:
            return None, {}, [], []
        shown = found[0].article_ids[:ENTITY_ARTICLES_SHOWN]
        stories = service.stories_of(found[0].article_ids, budget)
        return found, service.headlines(shown), stories, service.statements_about(found[0], budget)

    found, headlines, stories, about = await bounded_read(request, "entity look-up", read)
    if found is None:
        raise HTTPException(404, f"no entity {named(entity_id)}")
    entity, said = found
    roles = sorted(entity.roles, key=lambda role: role.date or "")
    about_shown = about[offset : offset + MAX_PAGE]
    path = f"/ui/entities/{quote(entity.id, safe='')}"
    pages = _pages(path, {}, offset, len(about_shown), offset + len(about_shown) < len(about), len(about))
    return page(
        "entity.html",
        request=request,
        entity=entity,
        said=said,
        roles=roles,
        articles=entity.article_ids[:ENTITY_ARTICLES_SHOWN],
        headlines=headlines,
        stories=stories,
        about=about_shown,
        about_total=len(about),
        pages=pages,
    )
