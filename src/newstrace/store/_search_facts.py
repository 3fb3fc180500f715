"""What a search page says beyond its hits: each hit's verdict, statements and story, and counts over all matches."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from newstrace.store._read import NO_VERDICT, _first_piece
from newstrace.store.schema import articles, headline_checks, statements, stories, story_members

__all__ = ["HitDetail", "SearchFacets", "facets", "hit_details"]

# Keys go to the database this many at a time: under SQLite's and PostgreSQL's bound-parameter limits alike.
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class HitDetail:
    """What a listing shows of a matched article besides its snippet."""

    date: str | None  # published, else the reference date (the date the filters read)
    language: str | None
    verdict: str  # the headline check's stance, or "none" where the headline was not checked
    misleading: bool
    statements: int  # pieces sharing a cue count once, as everywhere
    story_id: str | None  # the story it is in (its first article's id)
    story_size: int  # articles in its story (1: alone)


@dataclass(frozen=True, slots=True)
class SearchFacets:
    """How many articles a search matches (``capped``: more than were ranked) and counts of them by each facet,
    most first: outlet, month (YYYY-MM of the date the filters read), verdict and language."""

    total: int
    capped: bool
    outlets: list[tuple[str, int]] = field(default_factory=list)
    months: list[tuple[str, int]] = field(default_factory=list)
    verdicts: list[tuple[str, int]] = field(default_factory=list)
    languages: list[tuple[str, int]] = field(default_factory=list)


def hit_details(connection: Connection, ids: Iterable[str]) -> dict[str, HitDetail]:
    """Each of these stored articles' detail, by id: a few grouped reads over just these articles."""
    wanted = list(dict.fromkeys(ids))
    found: dict[str, HitDetail] = {}
    for start in range(0, len(wanted), _CHUNK):
        found |= _details(connection, wanted[start : start + _CHUNK])
    return found


def _details(connection: Connection, ids: list[str]) -> dict[str, HitDetail]:
    date = func.coalesce(articles.c.published, articles.c.reference_date)
    rows = connection.execute(
        select(articles.c.pk, articles.c.id, date, articles.c.language, headline_checks.c.stance)
        .add_columns(headline_checks.c.misleading)
        .outerjoin(headline_checks, headline_checks.c.article == articles.c.pk)
        .where(articles.c.id.in_(ids))
    ).all()
    pks = [row[0] for row in rows]
    said: dict[int, int] = {
        article: count
        for article, count in connection.execute(
            select(statements.c.article, func.count())
            .where(statements.c.article.in_(pks), _first_piece())
            .group_by(statements.c.article)
        )
    }
    first = articles.alias("first_article")
    stories_of = {
        row[0]: (row[1], row[2])
        for row in connection.execute(
            select(story_members.c.article, first.c.id, stories.c.size)
            .join_from(story_members, stories, stories.c.story == story_members.c.story)
            .join(first, first.c.pk == stories.c.story)
            .where(story_members.c.article.in_(pks))
        )
    }
    found = {}
    for pk, article_id, date_read, language, stance, misleading in rows:
        story_id, size = stories_of.get(pk, (None, 1))
        found[article_id] = HitDetail(
            date_read, language, stance or NO_VERDICT, bool(misleading), int(said.get(pk, 0)), story_id, int(size)
        )
    return found


def facets(connection: Connection, pks: list[int], capped: bool) -> SearchFacets:
    """Counts of these matched articles by outlet, month, verdict and language (an unknown one as "")."""
    outlets: Counter[str] = Counter()
    months: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    month = func.substr(func.coalesce(articles.c.published, articles.c.reference_date), 1, 7)
    for start in range(0, len(pks), _CHUNK):
        grouped = (
            select(articles.c.site, month, headline_checks.c.stance, articles.c.language, func.count())
            .outerjoin(headline_checks, headline_checks.c.article == articles.c.pk)
            .where(articles.c.pk.in_(pks[start : start + _CHUNK]))
            .group_by(articles.c.site, month, headline_checks.c.stance, articles.c.language)
        )
        for site, when, stance, language, count in connection.execute(grouped):
            outlets[site or ""] += count
            months[when or ""] += count
            verdicts[stance or NO_VERDICT] += count
            languages[language or ""] += count
    return SearchFacets(
        len(pks),
        capped,
        _most_first(outlets),
        sorted(months.items(), reverse=True),  # months read as a calendar, the latest first
        _most_first(verdicts),
        _most_first(languages),
    )


def _most_first(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
