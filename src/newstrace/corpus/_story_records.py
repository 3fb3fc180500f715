"""What story assignment reads and gives: its settings, an article's story view, assignments and story records."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from newstrace.corpus._across import fact_keys
from newstrace.corpus.lineage import LineageEdge, find_lineage
from newstrace.model import Article

__all__ = [
    "Assignment",
    "Relation",
    "StoryDoc",
    "StoryMember",
    "StoryRecord",
    "StorySettings",
    "TermStatistics",
    "article_facts",
    "doc_from_article",
]

Relation = str  # "origin", "copy", "syndicated" or "same story"


@dataclass(frozen=True, slots=True)
class StorySettings:
    """Every threshold of story assignment in one place (chosen on a seeded half of FNC-1's stories)."""

    join_threshold: float = 0.1  # a story's score at or above this takes the article
    max_link_weight: float = 0.4  # score = this × best member similarity + the rest × mean member similarity
    # Similarity = (1 - this) × cosine of whole texts + this × cosine of the headlines and ledes, where the
    # claim is stated: two claims about one person share the background and differ in the first lines.
    lede_weight: float = 0.3
    lede_words: int = 80  # the lede: the text's first this many words (stop words included)
    idf_power: float = 1.5  # rare words weigh more than plain TF-IDF gives them
    query_terms: int = 30  # an article's most distinctive words, looked up in the index
    posting_limit: int = 2000  # the newest articles kept per word: bounds the cost of a common word
    shortlist: int = 64  # articles scored in full after the index's partial scores
    window_days: int = 30  # dated articles further apart than this are never one story
    # Evidence of one event beyond shared words: a real stream is mostly single articles, where words alone put
    # pages on one topic together (two NASA missions, two op-eds on one president). A new article joins a story
    # only through a member it is linked to (``corpus._similarity.linked``), or a story that corroborates itself:
    # - two dated pages within the window: their ledes' embeddings at least ``evidence_vector`` alike with words at
    #   least ``evidence_words`` alike, or words at least ``strong_words`` alike;
    # - a dated page and one with no date (neither published nor written in its text): never words alone, the
    #   ledes must agree as above;
    # - two pages with no date (bare texts, as FNC-1's bodies are): words at least ``undated_words`` and ledes at
    #   least ``undated_vector`` alike, both;
    # - either without a lede embedding (another language): words at least ``strong_words`` alike;
    # - ledes below ``unlike_vector`` never link.
    # Chosen on the tuning halves of the labelled stream's AEB stories and of FNC-1's stories (docs/EVALUATION.md).
    evidence_words: float = 0.15
    evidence_vector: float = 0.55
    strong_words: float = 0.3
    undated_words: float = 0.12
    undated_vector: float = 0.3
    unlike_vector: float = 0.2
    # A story of which at least this many members are ``corroborating_words`` like the article corroborates itself:
    # a claim many outlets carry in their own words.
    corroborating: int = 3
    corroborating_words: float = 0.15
    split_ratio: float = 0.55  # split a story when its parts' mean similarity across is below this × the looser part's
    split_min_part: int = 3  # neither part of a split smaller than this: one odd member is no second story
    split_max_members: int = 128  # a story beyond this many members is settled: no more split checks
    # The split check's similarity, where both articles have a lede vector: (1 - this) × the words' similarity +
    # this × the ledes' embedding cosine above a floor, rescaled to 0-1 (unrelated ledes score 0.1 ± 0.15, one
    # story's 0.73 ± 0.12): what a lede asserts, where claims about one subject share their words.
    vector_weight: float = 0.3
    vector_floor: float = 0.3
    # Across languages (a Russian original and its English copy share no words): two articles whose languages are
    # known and differ join on the facts both name (corpus._across.linked_across): within this many days, at least
    # this share of their facts alike (people, bodies, places, figures, dates keyed across scripts).
    across_days: int = 7
    across_similarity: float = 0.3
    copy_threshold: float = 0.5  # MinHash Jaccard of word 3-grams: a syndicated copy
    near_duplicate: float = 0.8  # and at or above this, a copy
    num_perm: int = 128
    shingle_size: int = 3


@dataclass(frozen=True, slots=True)
class StoryDoc:
    """What story assignment reads of an article: the store or an Article feeds it."""

    id: str
    text: str
    headline: str | None = None
    published: str | None = None  # ISO date (or datetime); the date part is used
    site: str | None = None
    lineage: tuple[LineageEdge, ...] = ()
    removed: int = 0  # spans the cleaner took out (blog furniture): fewer marks a likelier original
    lede_vector: str | None = None  # the lede's embedding, packed (``newstrace.embed.lede_vector``)
    # The date the text itself gives (its dateline or latest date), where no published date is known: it places an
    # undated page in time for the window, never makes it an origin.
    text_date: str | None = None
    language: str | None = None  # the cleaner's detected language: facts link articles of different languages
    facts: tuple[str, ...] = ()  # ``corpus._across.fact_keys`` of its entities, figures and times


def doc_from_article(article: Article) -> StoryDoc:
    """The story view of a cleaned article, its stated lineage read from the text."""
    return StoryDoc(
        id=article.id,
        text=article.text,
        headline=article.headline,
        published=article.published,
        site=article.site,
        lineage=tuple(find_lineage(article)),
        removed=len(article.removed),
        lede_vector=article.lede_vector,
        text_date=article.reference_date if article.reference_date_source == "text" else None,
        language=article.language,
        facts=article_facts(article),
    )


def article_facts(article: Article) -> tuple[str, ...]:
    """The article's cross-language fact keys, as the store reads them back from its fact tables."""
    return fact_keys(
        ((e.name, e.label) for e in article.entities_index),
        ((q.value, q.unit) for q in article.quantities),
        ((t.type, t.value) for t in article.times),
    )


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one new article went: its story, how it relates to it, and what the decision cost."""

    article_id: str
    story_id: str
    relation: Relation
    similarity: float
    opened: bool
    candidates: int
    copy_of: str | None = None


@dataclass(frozen=True, slots=True)
class StoryMember:
    """An article of a story, with its relation to the story and its similarity when it joined."""

    article_id: str
    relation: Relation
    similarity: float
    site: str | None = None
    published: str | None = None
    copy_of: str | None = None  # for a copy or syndicated member: its copy group's origin


@dataclass(slots=True)
class StoryRecord:
    """A story: id, title, first and last seen, members with relations, origin and stated lineage."""

    id: str
    title: str | None
    first_seen: str | None
    last_seen: str | None
    origin_id: str
    members: list[StoryMember] = field(default_factory=list)
    lineage: list[LineageEdge] = field(default_factory=list)


class TermStatistics:
    """Document frequencies over the articles seen: the index's IDF."""

    def __init__(self) -> None:
        self.documents = 0
        self.frequency: Counter[str] = Counter()

    def add(self, terms: Iterable[str]) -> None:
        """Count one article's distinct terms."""
        self.documents += 1
        self.frequency.update(set(terms))

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency, as scikit-learn's TfidfVectorizer computes it."""
        return math.log((self.documents + 1) / (self.frequency[term] + 1)) + 1.0
