"""The JSON endpoints: each validates its input, asks the service layer, and shapes the answer."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from newstrace.model import Article, Failure
from newstrace.service import (
    MAX_PAGE,
    CorpusService,
    entity_detail,
    entity_summary,
    statement_record,
    story_detail,
    story_summary,
    timeline_json,
)
from newstrace.web._analysis import AnalysisInput, AnalysisWorker

router = APIRouter()

DATE = r"^\d{4}-\d{2}-\d{2}$"
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Rows per page (at most {MAX_PAGE}).")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip.")]
Since = Annotated[str | None, Query(pattern=DATE, description="On or after YYYY-MM-DD.")]
Until = Annotated[str | None, Query(pattern=DATE, description="On or before YYYY-MM-DD.")]
ShortText = Annotated[str | None, Query(max_length=200)]


class AnalyzeRequest(BaseModel):
    """A text or an HTML page (exactly one), with what is known of it."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="A plain text: the headline's lines first, then the body.")
    html: str | None = Field(None, description="An HTML page.")
    headline: str | None = Field(None, max_length=2000, description="The headline, if the text lacks it.")
    url: str | None = Field(None, max_length=4000)
    published: str | None = Field(None, pattern=DATE, description="The publication date, YYYY-MM-DD.")

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
        422: "The request is malformed; `fields` names each bad field.",
    }.items()
}


def _service(request: Request) -> CorpusService:
    service: CorpusService = request.app.state.service
    return service


def _analyze(request: Request, body: AnalyzeRequest) -> Article:
    worker: AnalysisWorker = request.app.state.worker
    result = worker.analyze(body.job())
    if isinstance(result, Failure):
        raise HTTPException(422, f"no article could be made ({result.stage}: {result.reason})")
    return result


@router.post("/analyze", tags=["analysis"], responses=ERRORS | {503: {}, 504: {}})
def analyze(request: Request, body: AnalyzeRequest) -> dict[str, Any]:
    """Analyse a text or HTML page and return the Article JSON; nothing is stored."""
    return _analyze(request, body).to_json_dict()


@router.post("/articles", tags=["articles"], status_code=201, responses=ERRORS | {200: {}, 503: {}, 504: {}})
def store_article(request: Request, body: AnalyzeRequest) -> JSONResponse:
    """Analyse an uploaded text or HTML page and store it (201; 200 when the same content was already stored)."""
    article = _analyze(request, body)
    outcome = _service(request).store.write([article])
    stored = outcome.stored == 1
    answer = {"id": article.id, "stored": stored, "location": f"/articles/{article.id}"}
    return JSONResponse(answer, status_code=201 if stored else 200)


@router.get("/articles", tags=["articles"], responses=ERRORS)
def list_articles(
    request: Request,
    limit: Limit = 20,
    offset: Offset = 0,
    since: Since = None,
    until: Until = None,
    site: ShortText = None,
) -> dict[str, Any]:
    """Stored articles, most recently stored first, filtered by date (published, else reference) and site."""
    total, items = _service(request).articles(limit=limit, offset=offset, since=since, until=until, site=site)
    return {"total": total, "limit": limit, "offset": offset, "items": [dataclasses.asdict(i) for i in items]}


@router.get("/articles/{article_id}", tags=["articles"], responses=ERRORS)
def get_article(request: Request, article_id: str) -> dict[str, Any]:
    """One stored article's JSON, by id or a unique id prefix of 6 characters or more."""
    article = _service(request).article(article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return article.to_json_dict()


@router.get("/search", tags=["articles"], responses=ERRORS)
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=1000, description='Words, "phrases", OR, NOT/-, prefix*, ().')],
    limit: Limit = 20,
    since: Since = None,
    until: Until = None,
    site: ShortText = None,
    speaker: ShortText = None,
) -> dict[str, Any]:
    """Full-text search over headlines and texts, best first; a query that cannot be read is 400 with the reason."""
    hits = _service(request).search(q, limit, since=since, until=until, site=site, speaker=speaker)
    return {"query": q, "items": [dataclasses.asdict(hit) for hit in hits]}


@router.get("/statements", tags=["facts"], responses=ERRORS)
def list_statements(
    request: Request,
    speaker: ShortText = None,
    min_confidence: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
    limit: Limit = 20,
) -> dict[str, Any]:
    """Stored statements, newest first: by a speaker whose resolved name or alias contains ``speaker``."""
    hits = _service(request).statements(speaker, min_confidence, limit)
    return {"items": [statement_record(hit) for hit in hits]}


@router.get("/entities", tags=["facts"], responses=ERRORS)
def list_entities(
    request: Request,
    label: Annotated[Literal["PERSON", "ORG", "PLACE"] | None, Query()] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Corpus entities (one per person, organisation or place across articles), most widely reported first."""
    found = _service(request).entities(label)
    page = found[offset : offset + limit]
    return {"total": len(found), "limit": limit, "offset": offset, "items": [entity_summary(e) for e in page]}


@router.get("/entities/{entity_id:path}", tags=["facts"], responses=ERRORS)
def get_entity(request: Request, entity_id: str) -> dict[str, Any]:
    """One corpus entity: aliases, roles over time, articles, statements, and why its mentions were merged."""
    found = _service(request).entity(entity_id)
    if found is None:
        raise HTTPException(404, f"no entity {entity_id!r}")
    return entity_detail(*found)


@router.get("/stories", tags=["stories"], responses=ERRORS)
def list_stories(request: Request, limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
    """Stories across the stored articles, most recently seen first."""
    found = _service(request).stories()
    page = found[offset : offset + limit]
    return {"total": len(found), "limit": limit, "offset": offset, "items": [story_summary(s) for s in page]}


@router.get("/stories/{story_id}", tags=["stories"], responses=ERRORS)
def get_story(request: Request, story_id: str) -> dict[str, Any]:
    """One story: origin, members with relation and similarity, and the lineage stated in the texts."""
    matching = _service(request).story(story_id)
    if len(matching) != 1:
        raise HTTPException(
            404, f"no story {story_id!r}" if not matching else f"the story id {story_id!r} is ambiguous"
        )
    return story_detail(matching[0])


@router.get("/timeline", tags=["facts"], responses=ERRORS)
def get_timeline(
    request: Request,
    speaker: Annotated[str, Query(min_length=1, max_length=200)],
    since: Since = None,
    until: Until = None,
) -> dict[str, Any]:
    """A speaker's statements by the date said, each once with the outlets carrying it, contradictions flagged."""
    return timeline_json(_service(request).timeline(speaker, since=since, until=until))
