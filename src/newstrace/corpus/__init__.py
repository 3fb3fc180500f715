"""Across articles: copies and their origin, stories, one identity per person, a speaker's timeline."""

from newstrace.corpus._text import content_words
from newstrace.corpus.identity import (
    CorpusEntity,
    EntityRecord,
    IdentityIndex,
    MergeEvidence,
    records_from_article,
    resolve_identities,
)
from newstrace.corpus.lineage import LineageEdge, find_lineage
from newstrace.corpus.story_index import (
    Assignment,
    StoryDoc,
    StoryIndex,
    StoryMember,
    StoryRecord,
    StorySettings,
    TermStatistics,
    doc_from_article,
)
from newstrace.corpus.timeline import (
    Contradiction,
    StatementRecord,
    Timeline,
    TimelineEntry,
    statements_from_article,
    timeline,
)

__all__ = [
    "Assignment",
    "Contradiction",
    "CorpusEntity",
    "EntityRecord",
    "IdentityIndex",
    "LineageEdge",
    "MergeEvidence",
    "StatementRecord",
    "StoryDoc",
    "StoryIndex",
    "StoryMember",
    "StoryRecord",
    "StorySettings",
    "TermStatistics",
    "Timeline",
    "TimelineEntry",
    "content_words",
    "doc_from_article",
    "find_lineage",
    "records_from_article",
    "resolve_identities",
    "statements_from_article",
    "timeline",
]
