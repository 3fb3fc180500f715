"""The stage contract, checked before a pipeline is built: each field a stage reads is there, each field has one writer.

spaCy checks its components the same way (``validate_attrs``, ``analyze_pipes``); here the fields are ``Article``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from newstrace.pipeline._registry import get_stage, registered_stages, unknown_fields

__all__ = [
    "DOCUMENT",
    "DOCUMENT_FIELDS",
    "DOCUMENT_METADATA",
    "StageAnalysis",
    "analyze_pipeline",
    "check_pipeline",
    "contract_problems",
]

DOCUMENT = "document"  # the provider named for the fields ``Article.from_document`` fills before any stage runs
# What ``Article.from_document`` copies from every Document; its ``id`` and ``text`` are empty placeholders, which only
# a stage fills.
DOCUMENT_FIELDS = ("source", "source_hash", "media_type", "raw")
# What it copies where the container says it (a JSONL line's title, a WARC record's date) and is None elsewhere: a
# stage that requires one of these needs the stage that assigns it for every input (clean finds an HTML page's
# headline); only a field no stage assigns comes from the Document alone.
DOCUMENT_METADATA = ("url", "headline", "published", "captured")


@dataclass(frozen=True, slots=True)
class StageAnalysis:
    """One stage of a pipeline: its contract, where each field it reads comes from, and what is wrong."""

    name: str
    doc: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    provided_by: dict[str, str] = field(default_factory=dict)  # required field -> DOCUMENT or an earlier stage
    problems: tuple[str, ...] = ()


def analyze_pipeline(names: Sequence[str]) -> list[StageAnalysis]:
    """Each stage of the pipeline ``names`` in order, with the provider of each field it requires and its problems.

    Raises KeyError for a name no stage is registered under.
    """
    specs = [get_stage(name) for name in names]
    assigned_somewhere = {name for spec in registered_stages() for name in spec.assigns}
    writers: dict[str, str] = dict.fromkeys(DOCUMENT_FIELDS, DOCUMENT)
    writers.update((name, DOCUMENT) for name in DOCUMENT_METADATA if name not in assigned_somewhere)
    document_says = set(DOCUMENT_FIELDS) | set(DOCUMENT_METADATA)  # what a stage may refine without a clash
    rows = []
    for spec in specs:
        problems = []
        unknown = unknown_fields(spec.requires + spec.assigns)
        if unknown:
            problems.append(f"stage {spec.name!r} names {_listed(unknown)}, which Article has no field for")
        provided_by = {name: writers[name] for name in spec.requires if name in writers}
        missing = [name for name in spec.requires if name not in writers and name not in unknown]
        if missing:
            problems.append(
                f"stage {spec.name!r} requires {_listed(missing)}, which no stage before it assigns"
                f" ({_assigners(missing)})"
            )
        for name in spec.assigns:
            earlier = writers.get(name)
            if earlier is not None and not (earlier == DOCUMENT and name in document_says):
                # A second writer would silently replace the first one's value: one stage owns each field. A stage
                # may refine what the Document said (clean's headline over the container's title).
                problems.append(f"stage {spec.name!r} assigns {name!r}, which stage {earlier!r} assigns before it")
            writers[name] = spec.name
        rows.append(StageAnalysis(spec.name, spec.doc, spec.requires, spec.assigns, provided_by, tuple(problems)))
    return rows


def contract_problems(names: Sequence[str]) -> list[str]:
    """Every problem of the pipeline ``names``, in stage order; empty when its contract holds."""
    return [problem for row in analyze_pipeline(names) for problem in row.problems]


def check_pipeline(names: Sequence[str]) -> None:
    """Raise ValueError naming every problem of the pipeline ``names`` (KeyError for a name not registered)."""
    problems = contract_problems(names)
    if problems:
        raise ValueError(f"pipeline {', '.join(names)}: {'; '.join(problems)}")


def _listed(names: Sequence[str]) -> str:
    return ", ".join(repr(name) for name in names)


def _assigners(missing: Sequence[str]) -> str:
    """Which registered stages assign each missing field, grouped: "'clean' assigns 'text', 'language'"."""
    by_assigners: dict[tuple[str, ...], list[str]] = {}
    for name in missing:
        assigners = tuple(spec.name for spec in registered_stages() if name in spec.assigns)
        by_assigners.setdefault(assigners, []).append(name)
    return "; ".join(
        f"{' or '.join(map(repr, assigners))} {'assigns' if len(assigners) == 1 else 'assign'} {_listed(names)}"
        if assigners
        else f"no registered stage assigns {_listed(names)}"
        for assigners, names in by_assigners.items()
    )
