"""A story's members in date order, each with what it added: statements, speakers and figures no earlier one had."""

from __future__ import annotations

from dataclasses import dataclass, field

from newstrace.corpus._text import content_words

__all__ = ["MemberFacts", "MemberStep", "story_timeline"]

# A statement whose content words overlap an earlier one's this much (Jaccard) is that statement again: a copy's
# quote with a word trimmed or a typo fixed adds nothing.
SAME_STATEMENT = 0.8


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """What one member article holds, as the store's fact tables give it."""

    article_id: str
    date: str | None  # published, else the reference date
    site: str | None
    statements: list[tuple[str, str]] = field(default_factory=list)  # (speaker, content); speaker "" when none
    figures: list[tuple[str, str]] = field(default_factory=list)  # (key: value and unit or subject, text)


@dataclass(frozen=True, slots=True)
class MemberStep:
    """A member in the story's timeline with what it added to the members before it."""

    article_id: str
    date: str | None
    site: str | None
    statements: int
    figures: int
    new_speakers: list[str]
    new_statements: list[tuple[str, str]]
    new_figures: list[str]


def story_timeline(members: list[MemberFacts]) -> list[MemberStep]:
    """The members by date (undated last, ties in the order given), each with the speakers, statements and figures
    that no earlier member had."""
    ordered = sorted(enumerate(members), key=lambda item: (item[1].date is None, item[1].date or "", item[0]))
    speakers: set[str] = set()
    said: list[frozenset[str]] = []
    figures: set[str] = set()
    steps = []
    for _, member in ordered:
        new_speakers: list[str] = []
        new_statements: list[tuple[str, str]] = []
        for speaker, content in member.statements:
            if speaker and speaker.casefold() not in speakers:
                speakers.add(speaker.casefold())
                new_speakers.append(speaker)
            words = frozenset(content_words(content)) | {speaker.casefold()}
            if not any(_jaccard(words, earlier) >= SAME_STATEMENT for earlier in said):
                new_statements.append((speaker, content))
            said.append(words)
        new_figures = []
        for key, text in member.figures:
            if key not in figures:
                figures.add(key)
                new_figures.append(text)
        steps.append(
            MemberStep(
                member.article_id,
                member.date,
                member.site,
                len(member.statements),
                len(member.figures),
                new_speakers,
                new_statements,
                new_figures,
            )
        )
    return steps


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0
