"""The JSON endpoints: each validates its input, asks the service layer, and shapes the answer."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import io
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from newstrace.ingest import iter_documents
from newstrace.model import Article, Document, Failure
from newstrace.present import (
    entity_detail,
    entity_summary,
    shortened,
    statement_record,
    story_detail,
    story_summary,
    timeline_json,
)
from newstrace.run.bounded import AnalysisInput, AnalysisWorker
from newstrace.run.job import store_results
from newstrace.service import (
    MAX_PAGE,
    MAX_SEARCH_OFFSET,
    CorpusService,
    QueryBudget,
    QueryTimeout,
    statement_filters,
)
from newstrace.store import HitDetail, SearchFacets

router = APIRouter()

DATE = r"^\d{4}-\d{2}-\d{2}$"


def _calendar_date(value: str | None) -> str | None:
    """The value when it names a day that exists (the pattern alone lets 2024-99-99 through)."""
    if value:  # an empty form field is no date
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValueError("not a calendar date (YYYY-MM-DD)") from None
    return value


CalendarDate = AfterValidator(_calendar_date)
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Rows per page (at most {MAX_PAGE}).")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip.")]
Since = Annotated[str | None, Query(pattern=DATE, description="On or after YYYY-MM-DD."), CalendarDate]
Until = Annotated[str | None, Query(pattern=DATE, description="On or before YYYY-MM-DD."), CalendarDate]
ShortText = Annotated[str | None, Query(max_length=200)]
Outlet = Annotated[str | None, Query(max_length=200, description="Articles from exactly this site (a facet's value).")]
Verdict = Annotated[
    Literal["agree", "disagree", "discuss", "unrelated", "none"] | None,
    Query(description="Articles whose headline check has this stance (`none`: not checked)."),
]
Language = Annotated[
    str | None, Query(max_length=16, pattern=r"^[A-Za-z-]*$", description="Articles in this language (`en`).")
]


class AnalyzeRequest(BaseModel):
    """A text or an HTML page (exactly one), with what is known of it."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="A plain text: the headline's lines first, then the body.")
    html: str | None = Field(None, description="An HTML page.")
    headline: str | None = Field(None, max_length=2000, description="The headline, if the text lacks it.")
    url: str | None = Field(None, max_length=4000)
    published: Annotated[
        str | None, Field(None, pattern=DATE, description="The publication date, YYYY-MM-DD."), CalendarDate
    ]

    @model_validator(mode="after")
    def _one_input(self) -> AnalyzeRequest:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of text or html")
        if not (self.text or self.html or "").strip():
            raise ValueError("the text or html is empty")
        return self

    def job(self) -> AnalysisInput:
        """The analysis this request asks for."""
        if self.html is not None:
            return AnalysisInput(self.html, "html", url=self.url)
        return AnalysisInput(self.text or "", "text", self.headline, self.url, self.published)


class ErrorDetail(BaseModel):
    """What went wrong, with a code that does not change between versions."""

    code: str
    message: str


class ErrorResponse(BaseModel):
    """Every error the API returns has this shape."""

    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in {
        400: "The search query cannot be read (code bad_query).",
        401: "A token is required and was missing or wrong.",
        404: "No such article, entity or story.",
        413: "The request body is over the cap.",
        422: "The request is malformed (`fields` names each bad field), or no article could be made (no_article).",
    }.items()
}
READ_ERRORS = ERRORS | {
    503: {"model": ErrorResponse, "description": "The query ran past its time budget and was stopped (query_timeout)."},
}
ANALYSIS_ERRORS = ERRORS | {
    503: {"model": ErrorResponse, "description": "Another analysis held the worker past the bound (analysis_busy)."},
    504: {"model": ErrorResponse, "description": "The analysis ran past the bound and was stopped (analysis_timeout)."},
}


def _service(request: Request) -> CorpusService:
    service: CorpusService = request.app.state.service
    return service


T = TypeVar("T")
# How often a running read looks whether its client is still there.
DISCONNECT_POLL_SECONDS = 0.2


class QueryTooSlow(HTTPException):
    """A read ran past its time budget (503, code query_timeout): the client should narrow it."""

    def __init__(self, what: str, error: QueryTimeout) -> None:
        super().__init__(503, f"the {what} took longer than {error.seconds:g} s; narrow it")
        self.code = "query_timeout"


async def bounded_read(request: Request, what: str, read: Callable[[QueryBudget], T]) -> T:
    """``read`` in a worker thread under a fresh time budget, cancelled as soon as the client goes away.

    A sync route would run the read to its end for nobody; this one polls the connection and, when it is gone,
    cancels the budget, which stops the database's work within a few milliseconds.
    """
    budget = _service(request).budget()
    work = asyncio.ensure_future(run_in_threadpool(read, budget))
    try:
        while not work.done():
            await asyncio.wait({work}, timeout=DISCONNECT_POLL_SECONDS)
            if not work.done() and await request.is_disconnected():
                budget.cancel()
                break
        return await work
    except QueryTimeout as error:
        raise QueryTooSlow(what, error) from None
    finally:
        budget.cancel()  # a read this task no longer waits for (the task itself cancelled) stops too


def named(value: str) -> str:
    """An id or name as an error message quotes it: cut to 80 characters (a 50,000-character id is not echoed)."""
    return repr(shortened(value, 80))


@router.post("/analyze", tags=["analysis"], responses=ANALYSIS_ERRORS)
def analyze(request: Request, body: AnalyzeRequest) -> dict[str, Any]:
    """Analyse a text or HTML page and return the Article JSON; nothing is stored."""
    worker: AnalysisWorker = request.app.state.worker
    result = worker.analyze(body.job())
    if isinstance(result, Failure):
        raise NoArticle(f"no article could be made ({result.stage}: {public_reason(result)})")
    return result.to_json_dict()


def public_reason(failure: Failure) -> str:
    """A failure's reason as a client reads it: an internal error's kind, not its message (the log has that whole)."""
    if failure.reason.startswith("internal error ("):
        kind = failure.reason.removeprefix("internal error (").split(":", 1)[0].rstrip(")")
        return f"internal error ({kind})"
    return failure.reason


class NoArticle(HTTPException):
    """Nothing in the request could become an article (422, code no_article)."""

    def __init__(self, message: str) -> None:
        super().__init__(422, message)
        self.code = "no_article"


UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "description": "JSON as for /analyze, or a file's bytes in any format ingest reads (HTML, text, gzip, WARC, "
        "JSON Lines), sent with that file's content type.",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/AnalyzeRequest"}},
            "text/html": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.post(
    "/articles",
    tags=["articles"],
    status_code=201,
    responses=ANALYSIS_ERRORS | {200: {"description": "Every article was already stored."}},
    openapi_extra=UPLOAD_BODY,
)
async def store_articles(
    request: Request,
    name: Annotated[str, Query(max_length=200, pattern=r"^[^\x00-\x1f]*$", description="The upload's name.")] = "",
) -> JSONResponse:
    """Analyse an upload and store its articles: 201 when any is new, 200 when all were already stored.

    The body is JSON as for ``/analyze``, or the bytes of a file ingest reads. An upload in which no article can be
    made is 422 (code ``no_article``) with each input's reason; an archive's bad records are listed in ``skipped``.
    """
    body = await request.body()
    worker: AnalysisWorker = request.app.state.worker
    media = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if media == "application/json":
        job = _json_body(body).job()
        results: list[Article | Failure] = [await run_in_threadpool(worker.analyze, job)]
    else:
        settings = request.app.state.settings
        # Ingest names standard input <stdin>; an upload is named by what the client calls it.
        renamed = f"upload:{name}" if name else "upload"

        def read_upload() -> list[Document | Failure]:
            # Decoding and decompressing take CPU time: done off the event loop, as the analysis is.
            return [
                dataclasses.replace(item, source=item.source.replace("<stdin>", renamed, 1))
                for item in iter_documents(["-"], stdin=io.BytesIO(body), max_bytes=settings.max_body_bytes)
            ]

        items = await run_in_threadpool(read_upload)
        results = list(await run_in_threadpool(worker.run, items))  # the bounded runner: every input in one bound
    articles = [item for item in results if isinstance(item, Article)]
    skipped = [
        {"source": f.source, "stage": f.stage, "reason": public_reason(f)} for f in results if isinstance(f, Failure)
    ]
    if not articles:
        reasons = "; ".join(f"{item['source']}: {item['reason']}" for item in skipped) or "the upload is empty"
        raise NoArticle(f"no article could be made ({reasons})")
    service = _service(request)
    known = await run_in_threadpool(service.stored_ids, [article.id for article in articles])
    # Written as the ingest job writes, all in one transaction (an upload is stored whole or not at all); the failures
    # are answered in ``skipped``, not stored.
    await run_in_threadpool(functools.partial(store_results, articles, service.store, batch_size=len(articles)))
    stored = [{"id": a.id, "stored": a.id not in known, "location": f"/articles/{a.id}"} for a in articles]
    answer = {"articles": stored, "skipped": skipped}
    return JSONResponse(answer, status_code=201 if any(item["stored"] for item in stored) else 200)


def _json_body(body: bytes) -> AnalyzeRequest:
    """The JSON body read as for a declared body: a malformed or invalid one is 422 naming the field."""
    try:
        return AnalyzeRequest.model_validate_json(body)
    except ValidationError as error:
        raise RequestValidationError(
            [{**item, "loc": ("body", *item["loc"])} for item in error.errors(include_url=False)]
        ) from None


@router.get("/articles", tags=["articles"], responses=READ_ERRORS)
async def list_articles(
    request: Request,
    limit: Limit = 20,
    offset: Offset = 0,
    since: Since = None,
    until: Until = None,
    site: ShortText = None,
) -> dict[str, Any]:
    """Stored articles, most recently stored first, filtered by date (published, else reference) and site; past the
    time budget 503 (query_timeout)."""
    service, filters = _service(request), {"since": since, "until": until, "site": site}
    total, items = await bounded_read(
        request, "article listing", lambda bound: service.articles(limit=limit, offset=offset, budget=bound, **filters)
    )
    return {"total": total, "limit": limit, "offset": offset, "items": [dataclasses.asdict(i) for i in items]}


@router.get("/articles/{article_id}", tags=["articles"], responses=ERRORS)
def get_article(request: Request, article_id: str) -> dict[str, Any]:
    """One stored article's JSON, by id or a unique id prefix of 6 characters or more."""
    article = _service(request).article(article_id)
    if article is None:
        raise HTTPException(404, f"no article {named(article_id)}")
    return article.to_json_dict()


@router.get("/search", tags=["articles"], responses=READ_ERRORS)
async def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=1000, description='Words, "phrases", OR, NOT/-, prefix*, ().')],
    limit: Limit = 20,
    since: Since = None,
    until: Until = None,
    site: ShortText = None,
    speaker: ShortText = None,
    verdict: Verdict = None,
    language: Language = None,
    outlet: Outlet = None,
    offset: Annotated[
        int, Query(ge=0, le=MAX_SEARCH_OFFSET, description="Hits to skip (the ranking holds the latest 2,000).")
    ] = 0,
) -> dict[str, Any]:
    """Full-text search over headlines and texts, best first; a query that cannot be read is 400 with the reason,
    one that runs past the time budget 503 (query_timeout).

    Each item has its article's ``date``, ``language``, ``verdict``, ``misleading``, ``statements`` and
    ``story_size``. ``total`` counts the ranked matches (``total_capped``: the query matches more than the 2,000
    ranked), and ``facets`` counts them by outlet, month, verdict and language. ``next_offset`` is the offset of
    the next page, or null on the last one.
    """
    service = _service(request)
    filters = search_filters(since, until, site, speaker, verdict, language, outlet)
    found = await bounded_read(
        request, "search", lambda budget: service.search_results(q, limit, offset, budget, **filters)
    )
    return {
        "query": q,
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if found.more else None,
        "total": found.facets.total,
        "total_capped": found.facets.capped,
        "facets": facets_json(found.facets),
        "items": [dataclasses.asdict(hit) | _detail_json(found.details.get(hit.id)) for hit in found.hits],
    }


def search_filters(
    since: str | None,
    until: str | None,
    site: str | None,
    speaker: str | None,
    verdict: str | None,
    language: str | None,
    outlet: str | None = None,
) -> dict[str, str | None]:
    """A search's filters by name, as the service takes them: an empty form field is no filter."""
    given = {"since": since, "until": until, "site": site, "speaker": speaker, "verdict": verdict, "language": language}
    given["outlet"] = outlet
    return {key: value or None for key, value in given.items()}


def facets_json(found: SearchFacets) -> dict[str, list[dict[str, Any]]]:
    """Each facet's values with their counts, most first (months latest first), an unknown value as null."""
    named = {"site": found.outlets, "month": found.months, "verdict": found.verdicts, "language": found.languages}
    return {key: [{"value": value or None, "count": count} for value, count in counts] for key, counts in named.items()}


def _detail_json(detail: HitDetail | None) -> dict[str, Any]:
    return dataclasses.asdict(detail) if detail is not None else {}


Words = Annotated[
    str | None, Query(max_length=200, description="Words the statement's content holds, each (any case; the first 8).")
]


@router.get("/statements", tags=["facts"], responses=READ_ERRORS)
async def list_statements(
    request: Request,
    speaker: ShortText = None,
    min_confidence: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
    limit: Limit = 20,
    offset: Offset = 0,
    words: Words = None,
    site: ShortText = None,
    since: Since = None,
    until: Until = None,
) -> dict[str, Any]:
    """Stored statements, newest first: by a speaker whose resolved name or alias contains ``speaker``, holding
    ``words``, in an article from ``site``, said from ``since`` to ``until`` (the date said, else the article's).

    The content pieces that share a cue are one statement (one item, with its ``pieces`` and joined ``text``), and
    pages count statements. ``next_offset`` is the offset of the next page, or null on the last one.
    """
    service = _service(request)
    filters = statement_filters(words, site, since, until)
    hits = await bounded_read(
        request,
        "statement listing",
        lambda budget: service.statements(speaker, min_confidence, limit + 1, offset, budget, **filters),
    )
    following = offset + limit if len(hits) > limit else None
    return {
        "limit": limit,
        "offset": offset,
        "next_offset": following,
        "items": [statement_record(hit) for hit in hits[:limit]],
    }


@router.get("/entities", tags=["facts"], responses=READ_ERRORS)
async def list_entities(
    request: Request,
    label: Annotated[Literal["PERSON", "ORG", "PLACE"] | None, Query()] = None,
    limit: Limit = 20,
    offset: Offset = 0,
    name: Annotated[str | None, Query(max_length=200, description="Part of a name or alias, any case.")] = None,
) -> dict[str, Any]:
    """Corpus entities (one per person, organisation or place across articles), most widely reported first."""
    service = _service(request)
    found = await bounded_read(request, "entity listing", lambda budget: service.entities(label, budget, name))
    page = found[offset : offset + limit]
    return {"total": len(found), "limit": limit, "offset": offset, "items": [entity_summary(e) for e in page]}


@router.get("/entities/{entity_id:path}", tags=["facts"], responses=READ_ERRORS)
async def get_entity(request: Request, entity_id: str) -> dict[str, Any]:
    """One corpus entity: aliases, roles over time, articles, statements, and why its mentions were merged."""
    found = await bounded_read(request, "entity look-up", functools.partial(_service(request).entity, entity_id))
    if found is None:
        raise HTTPException(404, f"no entity {named(entity_id)}")
    return entity_detail(*found)


@router.get("/stories", tags=["stories"], responses=READ_ERRORS)
async def list_stories(
    request: Request,
    limit: Limit = 20,
    offset: Offset = 0,
    min_size: Annotated[int, Query(ge=1, le=1_000_000, description="Only stories of at least this many articles.")] = 1,
    since: Since = None,
    until: Until = None,
    site: Annotated[
        str | None, Query(max_length=200, description="Stories an outlet whose site holds this carried.")
    ] = None,
) -> dict[str, Any]:
    """Stories across the stored articles, most recently seen first: of a least size, seen within the dates (first
    seen on or before ``until``, last seen on or after ``since``), carried by an outlet."""
    service = _service(request)
    filters = {"since": since, "until": until, "site": site}
    found = await bounded_read(request, "story listing", lambda budget: service.stories(budget, min_size, **filters))
    page = found[offset : offset + limit]
    return {"total": len(found), "limit": limit, "offset": offset, "items": [story_summary(s) for s in page]}


@router.get("/stories/{story_id}", tags=["stories"], responses=READ_ERRORS)
async def get_story(request: Request, story_id: str) -> dict[str, Any]:
    """One story: origin, members with relation and similarity, and the lineage stated in the texts."""
    matching = await bounded_read(request, "story look-up", functools.partial(_service(request).story, story_id))
    if len(matching) != 1:
        raise HTTPException(
            404, f"no story {named(story_id)}" if not matching else f"the story id {named(story_id)} is ambiguous"
        )
    return story_detail(matching[0])


@router.get("/timeline", tags=["facts"], responses=READ_ERRORS)
async def get_timeline(
    request: Request,
    speaker: Annotated[str, Query(min_length=1, max_length=200)],
    since: Since = None,
    until: Until = None,
    min_confidence: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
    site: ShortText = None,
    words: Words = None,
) -> dict[str, Any]:
    """A speaker's statements by the date said, each once with the outlets carrying it (those whose site holds
    ``site``, where given), holding ``words`` (as ``/statements`` matches them), contradictions flagged."""
    service = _service(request)
    narrowed = statement_filters(words, site)
    found = await bounded_read(
        request,
        "timeline",
        lambda budget: service.timeline(
            speaker, since, until, budget, min_confidence=min_confidence, site=narrowed["site"], words=narrowed["words"]
        ),
    )
    return timeline_json(found)
