"""The service layer: the queries the CLI, the HTTP API and the web UI share, over one Store."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from newstrace.model import Article
from newstrace.store import (
    MAX_STATEMENT_WORDS,
    SEARCH_CANDIDATES,
    ArticleSummary,
    HitDetail,
    QueryBudget,
    QuerySyntaxError,
    QueryTimeout,
    SearchFacets,
    SearchHit,
    StatementHit,
    Store,
)

if TYPE_CHECKING:
    from newstrace.corpus import CorpusEntity, IdentityIndex, StatementRecord, StoryRecord, Timeline
    from newstrace.corpus.story_timeline import MemberStep
    from newstrace.corpus.timeline import Carrier

__all__ = [
    "ArticleSummary",
    "CorpusService",
    "QueryBudget",
    "QuerySyntaxError",
    "QueryTimeout",
    "SearchResults",
    "statement_filters",
]

# A listing never returns more than this many rows a page, whatever the caller asks.
MAX_PAGE = 100
# Search ranks the most recently stored matches up to this many: its pages go no further.
MAX_SEARCH_OFFSET = SEARCH_CANDIDATES - 1

# An export reads the store a page of this many rows at a time, each page under a time budget of its own, and stops
# after MAX_EXPORT rows (a search's after its ranked matches): a narrower filter, not a bigger file, is the remedy.
EXPORT_PAGE = 500
MAX_EXPORT = 10_000

# An article id is a sha256 in hex; a story's is its first article's. Anything else names none and is not queried.
_ARTICLE_ID = re.compile(r"[0-9a-fA-F]{1,64}")
# A story page's timeline compares this many members at most (in the order stored): a story syndicated to hundreds
# of outlets adds little after its first copies, and each member's facts are read for the comparison.
STORY_TIMELINE_MEMBERS = 200

# An article page looks for the other carriers of its first CARRIER_SPEAKERS speakers' statements (a speaker's
# timeline each) and names at most CARRIERS_SHOWN of them a statement: a wire story can be carried hundreds of times.
CARRIER_SPEAKERS = 12
CARRIERS_SHOWN = 20

# Entity ids are a kind and name keys ("person:volodymyr-zelensky"); none is anywhere near this long.
MAX_ENTITY_ID = 1000

T = TypeVar("T")


def statement_filters(
    words: str | None = None, site: str | None = None, since: str | None = None, until: str | None = None
) -> dict[str, str | None]:
    """A statement listing's filters beside speaker and confidence, by name, as CLI, API and UI pass them."""
    # An empty or blank value (a form field left empty, an unset shell variable) is no filter.
    given = {"words": words, "site": site, "since": since, "until": until}
    return {key: value.strip() or None if value else None for key, value in given.items()}


def _holds_words(record: StatementRecord, words: list[str]) -> bool:
    """Whether each of ``words`` (casefolded) is in one of the statement's content pieces, any case."""
    pieces = [piece.text.casefold() for piece in record.pieces]
    return all(any(word in piece for piece in pieces) for word in words)


def article_key(value: str) -> str | None:
    """The article (or story) id or id prefix as stored, lowercase; None where ``value`` cannot be one."""
    return value.lower() if _ARTICLE_ID.fullmatch(value) else None


@dataclass(frozen=True, slots=True)
class SearchResults:
    """One page of a search as a listing shows it: the hits with their details, whether more follow, and the total and
    facets over every ranked match of the query and its filters."""

    hits: list[SearchHit]
    more: bool
    details: dict[str, HitDetail]
    facets: SearchFacets


class CorpusService:
    """Queries over one store; results across all articles (entities, stories) are kept until the store changes."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[tuple[int, int], Any]] = {}
        # The identities are kept up to date, not recomputed: each store change reads the new articles' entities.
        self._identities_lock = threading.Lock()
        self._identity_index: IdentityIndex | None = None
        self._identity_contents: tuple[int, int] | None = None
        self._identities: list[CorpusEntity] = []

    def article(self, article_id: str) -> Article | None:
        """The stored article with this id, or with this unique id prefix (6 characters at least)."""
        key = article_key(article_id)
        return self.store.get(key) if key is not None else None

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
        verdict: str | None = None,
        language: str | None = None,
        outlet: str | None = None,
        offset: int = 0,
        budget: QueryBudget | None = None,
    ) -> list[SearchHit]:
        """Full-text search, best first, ``offset`` hits skipped; raises QuerySyntaxError for a query that cannot be
        read, QueryTimeout past ``budget`` (by default the store's)."""
        return self.store.search(
            query,
            limit=limit,
            since=since,
            until=until,
            site=site,
            speaker=speaker,
            verdict=verdict,
            language=language,
            outlet=outlet,
            offset=offset,
            budget=budget,
        )

    def search_page(
        self, query: str, limit: int, offset: int = 0, budget: QueryBudget | None = None, **filters: str | None
    ) -> tuple[list[SearchHit], bool]:
        """One page of search hits and whether another follows, looking ahead no further than the ranked matches."""
        look_ahead = min(limit + 1, SEARCH_CANDIDATES - offset)
        if look_ahead <= 0:
            return [], False
        hits = self.search(query, look_ahead, offset=offset, budget=budget, **filters)
        return hits[:limit], len(hits) > limit

    def search_results(
        self, query: str, limit: int, offset: int = 0, budget: QueryBudget | None = None, **filters: str | None
    ) -> SearchResults:
        """A page of hits (as ``search_page``) with each hit's details, and the total and facets of every ranked
        match: three bounded reads under one ``budget``."""
        budget = budget or self.budget()
        hits, more = self.search_page(query, limit, offset, budget, **filters)
        details = self.store.hit_details([hit.id for hit in hits], budget)
        # The facets count every ranked match, not only this page's: the same walk of the index, without ranking.
        found = self.store.search_facets(query, candidates=SEARCH_CANDIDATES, budget=budget, **filters)
        return SearchResults(hits, more, details, found)

    def statements(
        self,
        speaker: str | None = None,
        min_confidence: float = 0.0,
        limit: int = 100,
        offset: int = 0,
        budget: QueryBudget | None = None,
        **filters: str | None,
    ) -> list[StatementHit]:
        """A speaker's (or everyone's) stored statements, newest first, ``offset`` skipped, narrowed by ``filters``
        (``words``, ``site``, ``since``, ``until``, as ``Store.statements`` takes them); QueryTimeout past ``budget``
        (by default the store's)."""
        return self.store.statements(
            speaker=speaker, min_confidence=min_confidence, limit=limit, offset=offset, budget=budget, **filters
        )

    def pages(
        self, fetch: Callable[[int, int, QueryBudget], list[T]], budget: QueryBudget, most: int = MAX_EXPORT
    ) -> Iterator[list[T]]:
        """Pages from ``fetch(limit, offset, budget)`` until a short page or ``most`` rows: the first under ``budget``
        (the request's), each later one under a fresh budget, so that a long export is bounded page by page."""
        offset = 0
        while offset < most:
            limit = min(EXPORT_PAGE, most - offset)
            page = fetch(limit, offset, budget)
            if page:
                yield page
            offset += len(page)
            if len(page) < limit:
                return
            budget = self.budget()

    def search_pages(
        self, query: str, budget: QueryBudget, **filters: str | None
    ) -> Iterator[list[tuple[SearchHit, HitDetail | None]]]:
        """Every search hit (as far as the ranked matches go) with its details, best first, a page at a time, as
        ``pages`` reads."""

        def fetch(limit: int, offset: int, bound: QueryBudget) -> list[tuple[SearchHit, HitDetail | None]]:
            hits = self.search(query, limit, offset=offset, budget=bound, **filters)
            details = self.store.hit_details([hit.id for hit in hits], bound)
            return [(hit, details.get(hit.id)) for hit in hits]

        return self.pages(fetch, budget, min(MAX_EXPORT, SEARCH_CANDIDATES))

    def statement_pages(
        self, speaker: str | None, min_confidence: float, budget: QueryBudget, **filters: str | None
    ) -> Iterator[list[StatementHit]]:
        """Every statement ``statements`` lists (up to MAX_EXPORT), newest first, a page at a time."""
        return self.pages(
            lambda limit, offset, bound: self.statements(speaker, min_confidence, limit, offset, bound, **filters),
            budget,
        )

    def budget(self) -> QueryBudget:
        """A fresh time budget for one read, as long as the store gives each."""
        return QueryBudget(self.store.query_seconds)

    def articles(
        self, *, limit: int = 20, offset: int = 0, budget: QueryBudget | None = None, **filters: str | None
    ) -> tuple[int, list[ArticleSummary]]:
        """The total matching and one page (at most MAX_PAGE) of stored articles, filtered as ``Store.articles``;
        QueryTimeout past ``budget`` (by default the store's)."""
        return self.store.articles(limit=min(limit, MAX_PAGE), offset=offset, budget=budget or self.budget(), **filters)

    def identities(self) -> list[CorpusEntity]:
        """Corpus entities: one per person, organisation or place across the stored articles, as
        ``resolve_identities`` gives them; after a write only the new articles' entities are read."""
        from newstrace.corpus import IdentityIndex

        contents = self.store.contents()
        # One updater at a time: the index is changed in place, and two updates would add one delta twice.
        with self._identities_lock:
            if contents == self._identity_contents:
                return self._identities
            count, last = contents
            known, index = self._identity_contents, self._identity_index
            if (
                known is None
                or index is None
                or last < known[1]
                # The count moved by other than the new keys: an older article was removed; only a rebuild is exact.
                or self.store.count(after=known[1], through=last) != count - known[0]
            ):
                index = IdentityIndex()
                index.update(self.store.entity_records(through=last))
            else:
                index.update(self.store.entity_records(after=known[1], through=last))
            self._identity_index, self._identity_contents = index, contents
            self._identities = index.entities()
            return self._identities

    def statement_records(self) -> list[StatementRecord]:
        """Every stored statement with a named speaker, in ingest order."""
        return self._cached("statements", self.store.statement_records)

    def entities(
        self, label: str | None = None, budget: QueryBudget | None = None, name: str | None = None
    ) -> list[CorpusEntity]:
        """Corpus entities (of one label: PERSON, ORG, PLACE; whose name or an alias holds ``name``, any case), most
        widely reported first; QueryTimeout when ``budget`` is spent (or cancelled) once the identities are at hand."""
        # As for timeline: the identities are whole-store work kept until the store changes, done whole (a budget
        # cut short would leave nothing to cache, and every later request would start over); the budget bounds
        # what this request adds to it.
        found = self.identities()
        (budget or self.budget()).check()
        if label is not None:
            found = [entity for entity in found if entity.label == label.upper()]
        if name:
            wanted = name.casefold()
            found = [e for e in found if any(wanted in spelling.casefold() for spelling in [e.name, *e.aliases])]
        return sorted(found, key=lambda e: (-len(e.article_ids), e.name.casefold()))

    def entities_in(self, article_id: str) -> list[CorpusEntity]:
        """The corpus entities a stored article names, most widely reported first."""
        identities = self.identities()
        by_article = self._cached("entities_in", lambda: _by_article(identities))
        return by_article.get(article_id, [])

    def stories_of(self, article_ids: Iterable[str], budget: QueryBudget | None = None) -> list[StoryRecord]:
        """The stories these stored articles are in, each once, most recently seen first."""
        wanted = set(article_ids)
        return [story for story in self.stories(budget) if any(m.article_id in wanted for m in story.members)]

    def entities_named(
        self, name: str, budget: QueryBudget | None = None
    ) -> list[tuple[CorpusEntity, list[StatementRecord]]]:
        """The corpus entities a name (any spelling, or part of one) matches, each with its statements by date;
        QueryTimeout when ``budget`` is spent (or cancelled) once the identities and statements are at hand."""
        from newstrace.corpus.timeline import speaker_matches

        # The cached whole-store work is done whole, as for timeline; the budget bounds the matching.
        identities, _ = self.identities(), self.statement_records()
        budget = budget or self.budget()
        budget.check()
        matching = [e for e in identities if any(speaker_matches(name, n) for n in [e.name, *e.aliases])]
        budget.check()
        return [(entity, self._said_by(entity)) for entity in matching]

    def entity(
        self, entity_id: str, budget: QueryBudget | None = None
    ) -> tuple[CorpusEntity, list[StatementRecord]] | None:
        """The corpus entity with this id, with its statements by date; QueryTimeout when ``budget`` is spent (or
        cancelled) once the identities and statements are at hand."""
        if len(entity_id) > MAX_ENTITY_ID:
            return None
        # The cached whole-store work is done whole, as for timeline; the budget bounds the look-up.
        identities, _ = self.identities(), self.statement_records()
        (budget or self.budget()).check()
        found = next((entity for entity in identities if entity.id == entity_id), None)
        return (found, self._said_by(found)) if found is not None else None

    def statements_about(self, entity: CorpusEntity, budget: QueryBudget | None = None) -> list[StatementRecord]:
        """The statements whose content mentions the entity (a mention of one of its article entities overlapping a
        content piece), by anyone but the entity itself (its own are ``entity``'s), by date; QueryTimeout past
        ``budget`` (by default the store's)."""
        from newstrace.corpus.timeline import date_order

        own = set(entity.member_ids)
        found = self.store.statements_about(entity.member_ids, budget or self.budget())
        about = [s for s in found if f"{s.article_id}/{s.speaker_entity_id}" not in own]
        about.sort(key=lambda s: (date_order(s.date), s.article_id, s.content.start))
        return about

    def _said_by(self, entity: CorpusEntity) -> list[StatementRecord]:
        members = set(entity.member_ids)
        said = [s for s in self.statement_records() if f"{s.article_id}/{s.speaker_entity_id}" in members]
        said.sort(key=lambda s: (s.date or "9999", s.article_id, s.content.start))
        return said

    def timeline(
        self,
        speaker: str,
        since: str | None = None,
        until: str | None = None,
        budget: QueryBudget | None = None,
        *,
        min_confidence: float = 0.0,
        site: str | None = None,
        words: str | None = None,
    ) -> Timeline:
        """A speaker's statements by the date said, each once with its outlets, contradictions flagged, those scored
        below ``min_confidence`` left out (as ``statements`` leaves them out), as carried by outlets whose site holds
        ``site`` (any case) where given, holding each of ``words`` (as ``statements`` matches them: any case, in any
        content piece, the first MAX_STATEMENT_WORDS); QueryTimeout when ``budget`` is spent (or cancelled) before
        the speaker's statements are gathered."""
        from newstrace.corpus import timeline

        # The statements and identities are read for every query and kept until the store changes: that shared
        # work is done whole; the budget bounds what this speaker's timeline adds to it.
        records, identities = self.statement_records(), self.identities()
        (budget or self.budget()).check()
        if site:
            wanted = site.casefold()
            records = [record for record in records if wanted in (record.site or "").casefold()]
        wanted_words = [word.casefold() for word in (words or "").split()[:MAX_STATEMENT_WORDS]]
        if wanted_words:
            records = [record for record in records if _holds_words(record, wanted_words)]
        return timeline(
            records, speaker, since=since, until=until, identities=identities, min_confidence=min_confidence
        )

    def carriers(self, article_id: str, budget: QueryBudget | None = None) -> dict[tuple[int, int], list[Carrier]]:
        """The other stored articles that carry each of an article's statements, as a speaker page groups its
        carriers (the speaker's timeline: the same statement, near in date), by the span of the statement's first
        content piece; the first CARRIER_SPEAKERS speakers' statements, CARRIERS_SHOWN carriers each, in the order
        seen; QueryTimeout when ``budget`` is spent (or cancelled) between speakers."""
        from newstrace.corpus import timeline

        # The statements and identities are the timeline's cached whole-store work; the budget bounds the rest.
        records, identities = self.statement_records(), self.identities()
        by_article = self._cached("statements_by_article", lambda: _statements_by_article(records))
        budget = budget or self.budget()
        speakers = list(dict.fromkeys(record.speaker for record in by_article.get(article_id, [])))
        found: dict[tuple[int, int], list[Carrier]] = {}
        for speaker in speakers[:CARRIER_SPEAKERS]:
            budget.check()
            for entry in timeline(records, speaker, identities=identities).entries:
                others = [carrier for carrier in entry.carriers if carrier.article_id != article_id]
                for carrier in entry.carriers:
                    if carrier.article_id == article_id and others:
                        found[(carrier.content.start, carrier.content.end)] = others[:CARRIERS_SHOWN]
        return found

    def stories(
        self,
        budget: QueryBudget | None = None,
        min_size: int = 1,
        *,
        since: str | None = None,
        until: str | None = None,
        site: str | None = None,
    ) -> list[StoryRecord]:
        """The stored stories (assigned as their articles were stored) of at least ``min_size`` articles, seen within
        ``since``…``until`` (YYYY-MM-DD, inclusive: first seen on or before ``until``, last seen on or after
        ``since``) and carried by an outlet whose site contains ``site`` (any case), newest last seen first;
        QueryTimeout when ``budget`` is spent (or cancelled) once they are at hand."""
        # Every story, kept until the store changes: whole-store work done whole, as for timeline's statements.
        found = self._cached("stories", self.store.story_records)
        (budget or self.budget()).check()
        if min_size > 1:
            found = [story for story in found if len(story.members) >= min_size]
        if since is not None:
            found = [story for story in found if (story.last_seen or story.first_seen or "")[:10] >= since]
        if until is not None:
            found = [story for story in found if (story.first_seen or story.last_seen or "9999")[:10] <= until]
        if site:
            wanted = site.casefold()
            found = [story for story in found if any(wanted in (m.site or "").casefold() for m in story.members)]
        return found

    def story_timeline(self, story: StoryRecord, budget: QueryBudget | None = None) -> list[MemberStep]:
        """A story's first STORY_TIMELINE_MEMBERS members by date, each with the statements, speakers and figures
        that no earlier member had, from the store's fact tables; QueryTimeout past ``budget``."""
        from newstrace.corpus.story_timeline import story_timeline

        members = [member.article_id for member in story.members[:STORY_TIMELINE_MEMBERS]]
        return story_timeline(self.store.member_facts(members, budget or self.budget()))

    def story_of(self, article_id: str, budget: QueryBudget | None = None) -> StoryRecord | None:
        """The story a stored article is in (None for an id the stories do not hold)."""
        stories = self.stories(budget)
        by_article = self._cached("story_of", lambda: {m.article_id: story for story in stories for m in story.members})
        return by_article.get(article_id)

    def story(self, story_id: str, budget: QueryBudget | None = None) -> list[StoryRecord]:
        """The stories with this id, else those whose id starts with it (6 characters at least); QueryTimeout past
        ``budget`` (by default the store's)."""
        key = article_key(story_id)
        return self.store.story_records(key, budget or self.budget()) if key is not None else []

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


def _statements_by_article(records: list[StatementRecord]) -> dict[str, list[StatementRecord]]:
    """Each article's statements with a named speaker, in the order stored."""
    found: dict[str, list[StatementRecord]] = {}
    for record in records:
        found.setdefault(record.article_id, []).append(record)
    return found


def _by_article(identities: list[CorpusEntity]) -> dict[str, list[CorpusEntity]]:
    """Each article's corpus entities, most widely reported first."""
    found: dict[str, list[CorpusEntity]] = {}
    for entity in sorted(identities, key=lambda e: (-len(e.article_ids), e.name.casefold())):
        for article_id in dict.fromkeys(entity.article_ids):
            found.setdefault(article_id, []).append(entity)
    return found
