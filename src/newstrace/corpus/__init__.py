"""Across articles: copies and their origin, stories, one identity per person, a speaker's timeline."""

from newstrace.corpus.lineage import LineageEdge, find_lineage
from newstrace.corpus.stories import (
    Assignment,
    StoryDoc,
    StoryIndex,
    StoryMember,
    StoryRecord,
    StorySettings,
    TermStatistics,
    doc_from_article,
)

__all__ = [
    "Assignment",
    "LineageEdge",
    "StoryDoc",
    "StoryIndex",
    "StoryMember",
    "StoryRecord",
    "StorySettings",
    "TermStatistics",
    "doc_from_article",
    "find_lineage",
]
