"""The pipeline: named stages, checked against their contract, built once and run in order over each document."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from newstrace.model import Article, Document, Failure
from newstrace.pipeline._contract import check_pipeline
from newstrace.pipeline._registry import StageSpec, get_stage

__all__ = ["DEFAULT_STAGES", "Pipeline", "StageError", "StageLoadError", "log"]

StageFunction = Callable[[Article], Article]

DEFAULT_STAGES: tuple[str, ...] = ("clean", "annotate", "lede_vector", "headline_check")

# Tracebacks of internal errors go here (a failure's reason keeps one line); runners attach a file to it.
log = logging.getLogger("newstrace")
log.addHandler(logging.NullHandler())  # a library stays quiet on stderr unless its user attaches a handler


class StageError(Exception):
    """A stage cannot handle this article; the message is the reason a person reads."""


class StageLoadError(Exception):
    """A stage could not be built (its model did not load): no document can go through, so the run stops."""

    def __init__(self, stage: str, reason: str) -> None:
        super().__init__(stage, reason)  # both in args, so the error pickles back from a worker process
        self.stage = stage
        self.reason = reason

    def __str__(self) -> str:
        return f"stage {self.stage!r} failed to load ({self.reason})"


class Pipeline:
    """The named stages, built once, run in order over each document.

    ``config`` maps a stage's name to the keyword arguments its class is built with. The stages' contract is
    checked first: ValueError names each field a stage requires that nothing before it assigns, a field
    ``Article`` lacks, and a field two stages assign.
    """

    def __init__(
        self, stages: Sequence[str] = DEFAULT_STAGES, config: Mapping[str, Mapping[str, Any]] | None = None
    ) -> None:
        self.stage_names = tuple(stages)
        check_pipeline(self.stage_names)
        config = config or {}
        strangers = sorted(set(config) - set(self.stage_names))
        if strangers:
            raise ValueError(f"config for stages not in the pipeline: {', '.join(strangers)}")
        self._stages: list[tuple[str, StageFunction]] = [
            (name, _build(get_stage(name), config.get(name, {}))) for name in self.stage_names
        ]

    def process(self, document: Document) -> Article | Failure:
        """The finished article, or a Failure naming the stage that could not handle it."""
        article = Article.from_document(document)
        for name, stage in self._stages:
            try:
                article = stage(article)
            except StageError as error:
                return Failure(document.source, name, str(error), document.source_hash)
            except RecursionError:
                return Failure(document.source, name, "input nested too deeply", document.source_hash)
            except Exception as error:  # one bad article must never stop a batch
                log.error("internal error in stage %r on %s", name, document.source, exc_info=True)
                reason = f"internal error ({type(error).__name__}: {error})"
                return Failure(document.source, name, reason[:300], document.source_hash)
        problems = article.provenance_errors()
        if problems:
            reason = f"span does not match its text ({problems[0]})"
            return Failure(document.source, "provenance", reason[:300], document.source_hash)
        return article


def _build(spec: StageSpec, settings: Mapping[str, Any]) -> StageFunction:
    """The stage's callable: its function, or its class built with ``settings`` (where it loads its models)."""
    try:
        target = spec.load()
    except Exception as error:
        log.error("stage %r failed to load", spec.name, exc_info=True)
        raise StageLoadError(spec.name, f"{type(error).__name__}: {error}") from error
    if not isinstance(target, type):
        if settings:
            raise ValueError(f"stage {spec.name!r} is a function and takes no settings (given {', '.join(settings)})")
        return cast(StageFunction, target)
    try:
        inspect.signature(target).bind(**settings)  # a misspelt setting is the caller's error, not a failed load
    except TypeError as error:  # ValueError, as every other mistake in a pipeline's config
        raise ValueError(f"stage {spec.name!r}: {error}") from None
    try:
        return cast(StageFunction, target(**settings))
    except Exception as error:
        log.error("stage %r failed to load", spec.name, exc_info=True)
        raise StageLoadError(spec.name, f"{type(error).__name__}: {error}") from error
