"""The service layer: the queries and view models the CLI, the HTTP API and the web UI share, over one Store."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from newstrace.model import Article
from newstrace.store import SEARCH_CANDIDATES, ArticleSummary, QuerySyntaxError, SearchHit, StatementHit, Store

if TYPE_CHECKING:
    from newstrace.corpus import CorpusEntity, StatementRecord, StoryRecord, Timeline

__all__ = [
    "ArticleSummary",
    "CorpusService",
    "QuerySyntaxError",
]

# A listing never returns more than this many rows a page, whatever the caller asks.
MAX_PAGE = 100
# Search ranks the most recently stored matches up to this many: its pages go no further.
MAX_SEARCH_OFFSET = SEARCH_CANDIDATES - 1

T = TypeVar("T")


class CorpusService:
    """Queries over one store; results across all articles (entities, stories) are kept until the store changes."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[tuple[int, int], Any]] = {}

    def article(self, article_id: str) -> Article | None:
        """The stored article with this id, or with this unique id prefix (6 characters at least)."""
        return self.store.get(article_id)

    def headlines(self, ids: Iterable[str]) -> dict[str, str | None]:
        """The headline of each of these stored articles, by id."""
        return self.store.headlines(ids)

    def stored_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these article ids are stored already."""
        return self.store.stored_ids(ids)

    def search(
        self,
        query: str,
        limit: int = 20,
        *,
        since: str | None = None,
        until: str | None = None,
        site: str | None = None,
        speaker: str | None = None,
        offset: int = 0,
    ) -> list[SearchHit]:
        """Full-text search, best first, ``offset`` hits skipped; raises QuerySyntaxError for a query that cannot be
        read."""
        return self.store.search(
            query, limit=limit, since=since, until=until, site=site, speaker=speaker, offset=offset
        )

    def search_page(
        self, query: str, limit: int, offset: int = 0, **filters: str | None
    ) -> tuple[list[SearchHit], bool]:
        """One page of search hits and whether another follows, looking ahead no further than the ranked matches."""
        look_ahead = min(limit + 1, SEARCH_CANDIDATES - offset)
        if look_ahead <= 0:
            return [], False
        hits = self.search(query, look_ahead, offset=offset, **filters)
        return hits[:limit], len(hits) > limit

    def statements(
        self, speaker: str | None = None, min_confidence: float = 0.0, limit: int = 100, offset: int = 0
    ) -> list[StatementHit]:
        """A speaker's (or everyone's) stored statements, newest first, ``offset`` skipped."""
        return self.store.statements(speaker=speaker, min_confidence=min_confidence, limit=limit, offset=offset)

    def articles(
        self,
        *,
        limit: int = 20,
        offset: int = 0,
        since: str | None = None,
        until: str | None = None,
        site: str | None = None,
    ) -> tuple[int, list[ArticleSummary]]:
        """The total matching and one page of stored articles, most recently stored first."""
        return self.store.articles(limit=min(limit, MAX_PAGE), offset=offset, since=since, until=until, site=site)

    def identities(self) -> list[CorpusEntity]:
        """Corpus entities: one per person, organisation or place across the stored articles."""
        from newstrace.corpus import resolve_identities

        return self._cached("identities", lambda: resolve_identities(self.store.entity_records()))

    def statement_records(self) -> list[StatementRecord]:
        """Every stored statement with a named speaker, in ingest order."""
        return self._cached("statements", self.store.statement_records)

    def entities(self, label: str | None = None) -> list[CorpusEntity]:
        """Corpus entities (of one label: PERSON, ORG, PLACE), most widely reported first."""
        found = self.identities()
        if label is not None:
            found = [entity for entity in found if entity.label == label.upper()]
        return sorted(found, key=lambda e: (-len(e.article_ids), e.name.casefold()))

    def entities_named(self, name: str) -> list[tuple[CorpusEntity, list[StatementRecord]]]:
        """The corpus entities a name (any spelling, or part of one) matches, each with its statements by date."""
        from newstrace.corpus.timeline import speaker_matches

        matching = [e for e in self.identities() if any(speaker_matches(name, n) for n in [e.name, *e.aliases])]
        return [(entity, self._said_by(entity)) for entity in matching]

    def entity(self, entity_id: str) -> tuple[CorpusEntity, list[StatementRecord]] | None:
        """The corpus entity with this id, with its statements by date."""
        found = next((entity for entity in self.identities() if entity.id == entity_id), None)
        return (found, self._said_by(found)) if found is not None else None

    def _said_by(self, entity: CorpusEntity) -> list[StatementRecord]:
        members = set(entity.member_ids)
        said = [s for s in self.statement_records() if f"{s.article_id}/{s.speaker_entity_id}" in members]
        said.sort(key=lambda s: (s.date or "9999", s.article_id, s.content.start))
        return said

    def timeline(self, speaker: str, since: str | None = None, until: str | None = None) -> Timeline:
        """A speaker's statements by the date said, each once with its outlets, contradictions flagged."""
        from newstrace.corpus import timeline

        return timeline(self.statement_records(), speaker, since=since, until=until, identities=self.identities())

    def stories(self) -> list[StoryRecord]:
        """The stored stories (assigned as their articles were stored), newest last seen first."""
        return self._cached("stories", self.store.story_records)

    def story(self, story_id: str) -> list[StoryRecord]:
        """The stories with this id, else those whose id starts with it (6 characters at least)."""
        return self.store.story_records(story_id)

    def _cached(self, name: str, build: Callable[[], T]) -> T:
        """``build()``, computed again only when articles were added or removed since the last call."""
        key = self.store.contents()
        with self._lock:
            hit = self._cache.get(name)
            if hit is not None and hit[0] == key:
                cached: T = hit[1]
                return cached
        value = build()
        with self._lock:
            self._cache[name] = (key, value)
        return value


# Speaker colours: light backgrounds that keep black text above WCAG AA contrast (4.5:1) everywhere.
SPEAKER_PALETTE = 8


@dataclass(frozen=True, slots=True)
class StatementView:
    """One statement as the article page shows it: its span, speaker (and the mention resolved), cue and context."""

    index: int
    start: int
    end: int
    text: str
    kind: str
    speaker: str
    speaker_key: str | None
    colour: int  # an index into the speaker palette; -1 for an unnamed source
    roles: list[str]
    mention: str | None
    mention_start: int | None
    cue: str | None
    channel: str | None
    date: str | None
    date_source: str | None
    confidence: float


@dataclass(frozen=True, slots=True)
class SpeakerView:
    """A speaker in the article's legend: name, colour, roles, how many statements."""

    key: str
    name: str
    colour: int
    roles: list[str]
    statements: int


@dataclass(frozen=True, slots=True)
class MarkView:
    """A span of the text to mark: a statement, a time expression, a figure or an evidence sentence."""

    kind: str  # "evidence", "statement", "time" or "figure"
    index: int
    start: int
    end: int
    note: str  # the normalised value or role, shown on hover


@dataclass(frozen=True, slots=True)
class ArticleView:
    """What the article page shows: the article, its statements by speaker, and every span to mark."""

    article: Article
    statements: list[StatementView]
    speakers: list[SpeakerView]
    marks: list[MarkView]


def article_view(article: Article) -> ArticleView:
    """The article's statements with a colour per speaker, and its statements, times, figures and evidence as marks."""
    roles = {entity.id: entity.roles for entity in article.entities_index}
    colours: dict[str, int] = {}
    statements = []
    for index, quote in enumerate(article.quotes):
        speaker = quote.speaker
        name = (speaker.name or (speaker.mention.text if speaker.mention else None)) if speaker else None
        key = (speaker.entity_id or name) if speaker else None
        if key is not None and key not in colours:
            colours[key] = len(colours) % SPEAKER_PALETTE
        mention = speaker.mention if speaker is not None else None
        statements.append(
            StatementView(
                index=index,
                start=quote.content.start,
                end=quote.content.end,
                text=quote.content.text,
                kind=quote.kind,
                speaker=name or "unnamed source",
                speaker_key=key,
                colour=colours[key] if key is not None else -1,
                roles=roles.get(speaker.entity_id or "", []) if speaker else [],
                mention=mention.text if mention else None,
                mention_start=mention.start if mention else None,
                cue=quote.cue.text if quote.cue else None,
                channel=quote.channel,
                date=quote.date,
                date_source=quote.date_source,
                confidence=quote.confidence,
            )
        )
    speakers = []
    for key, colour in colours.items():
        said = [s for s in statements if s.speaker_key == key]
        speakers.append(SpeakerView(key, said[0].speaker, colour, said[0].roles, len(said)))
    marks = [MarkView("statement", s.index, s.start, s.end, s.speaker) for s in statements]
    for index, time in enumerate(article.times):
        value = (time.value or "no value") + (f" ({time.mod.lower()})" if time.mod else "")
        marks.append(MarkView("time", index, time.start, time.end, f"{time.type} {value}"))
    for index, quantity in enumerate(article.quantities):
        value = f"{quantity.value:,.0f}" if quantity.value == int(quantity.value) else f"{quantity.value:,}"
        subject = quantity.subject or quantity.unit or ""
        hedge = f", {quantity.approximate}" if quantity.approximate else ""
        marks.append(
            MarkView("figure", index, quantity.start, quantity.end, f"{value} {subject} ({quantity.kind}{hedge})")
        )
    if article.headline_check is not None:
        for index, evidence in enumerate(article.headline_check.evidence):
            claim = f" claim {evidence.claim}" if evidence.claim is not None else ""
            marks.append(MarkView("evidence", index, evidence.span.start, evidence.span.end, f"{evidence.role}{claim}"))
    return ArticleView(article, statements, speakers, marks)
