"""The built-in stages in one table: where each lives, what it reads and what it fills in.

Targets are "module:attribute" strings loaded when a pipeline is built, so this package imports no stage module
and no stage module imports the registry (spaCy keeps its registrations in one module for the same reason).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["BUILTIN_STAGES", "BuiltinStage"]


class BuiltinStage(NamedTuple):
    """One row of the table: the stage's import target, its contract and the first line of its docstring."""

    target: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    doc: str


BUILTIN_STAGES: dict[str, BuiltinStage] = {
    "clean": BuiltinStage(
        "newstrace.clean:clean",
        requires=("raw", "media_type"),
        assigns=(
            "id",
            "text",
            "paragraphs",
            "removed",
            "source_map",
            "headline",
            "dateline",
            "authors",
            "published",
            "reference_date",
            "reference_date_source",
            "site",
            "url",
            "language",
        ),
        doc="Clean text, headline, dateline, dates and metadata from the raw input.",
    ),
    "annotate": BuiltinStage(
        "newstrace.annotate:Annotate",
        # Reads the language clean detected (English only is annotated); it does not detect it again.
        requires=("text", "paragraphs", "reference_date", "language"),
        assigns=("times", "entities", "entities_index", "quantities", "quotes"),
        doc="Entities with roles, times, figures and quotations of an English article; spaCy loads once per process.",
    ),
    "times": BuiltinStage(
        "newstrace.annotate.times:annotate_times",
        requires=("text", "reference_date"),
        assigns=("times",),
        doc="Time expressions normalised to TIMEX3 values against the article's reference date.",
    ),
    "lede_vector": BuiltinStage(
        "newstrace.embed.lede_vector:LedeVector",
        requires=("text", "language"),
        assigns=("lede_vector",),
        doc="An English article's lede embedding, which story assignment reads beside its words.",
    ),
    "headline_check": BuiltinStage(
        "newstrace.assess.headline:HeadlineChecker",
        # It also reads lede_vector where an earlier stage stored one, and embeds the lede itself where none did.
        requires=("text", "headline", "paragraphs", "language"),
        assigns=("headline_check",),
        doc="Check the headline against the body: form, claims and their stances, evidence, clickbait, misleading.",
    ),
}
