"""The pipeline: named stages, checked against their contract, built once and run in order over each document."""

from __future__ import annotations

import inspect
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import Any, cast

from newstrace.model import Article, Document, Failure
from newstrace.pipeline._contract import check_pipeline
from newstrace.pipeline._registry import StageSpec, get_stage

__all__ = ["DEFAULT_ARTICLE_SECONDS", "DEFAULT_STAGES", "Pipeline", "StageError", "StageLoadError", "log"]

StageFunction = Callable[[Article], Article]

DEFAULT_STAGES: tuple[str, ...] = ("clean", "annotate", "lede_vector", "headline_check")

# A 10,000-word article takes about 4 s in annotate, the dearest stage, on one core (docs/BENCHMARKS.md, length
# sweep); thirty times that is a page no reader needs, and a worker it holds is a worker the batch lacks.
DEFAULT_ARTICLE_SECONDS = 120.0

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

    Each document has ``article_seconds`` for all its stages (None: no bound). In a process's main thread a stage
    still running at the bound is interrupted (SIGALRM, between two Python bytecodes, so a long call into native
    code ends first); elsewhere the bound is checked after each stage. Either way the document becomes a Failure
    naming the stage, and the next document has its full budget.
    """

    def __init__(
        self,
        stages: Sequence[str] = DEFAULT_STAGES,
        config: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        article_seconds: float | None = DEFAULT_ARTICLE_SECONDS,
    ) -> None:
        if article_seconds is not None and not article_seconds > 0:
            raise ValueError(f"article_seconds must be positive or None (given {article_seconds!r})")
        self.article_seconds = article_seconds
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
        progress = _Progress(self.stage_names[0] if self.stage_names else "")
        try:
            with _interrupted_after(self.article_seconds):
                return self._run_stages(document, progress)
        except _OverBudget:
            return self._over_budget(document, progress.stage)

    def _run_stages(self, document: Document, progress: _Progress) -> Article | Failure:
        started = time.monotonic()
        article = Article.from_document(document)
        for name, stage in self._stages:
            progress.stage = name
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
            if self.article_seconds is not None and time.monotonic() - started > self.article_seconds:
                return self._over_budget(document, name)  # where no alarm could interrupt the stage
        problems = article.provenance_errors()
        if problems:
            reason = f"span does not match its text ({problems[0]})"
            return Failure(document.source, "provenance", reason[:300], document.source_hash)
        return article

    def _over_budget(self, document: Document, stage: str) -> Failure:
        reason = f"took longer than {self.article_seconds:g} s, the time one article may take"
        return Failure(document.source, stage, reason, document.source_hash)


class _Progress:
    """The stage a document is in, for the failure of one interrupted there."""

    def __init__(self, stage: str) -> None:
        self.stage = stage


class _OverBudget(BaseException):
    """Raised by the alarm into a stage; a BaseException, so no stage's ``except Exception`` swallows it."""


@contextmanager
def _interrupted_after(seconds: float | None) -> Iterator[None]:
    """Raise _OverBudget into the code inside once ``seconds`` have passed, where this thread can take signals.

    An alarm already set (a test runner's timeout, say) is kept: if it is due first its handler runs and ours is set
    again for what is left; once the block ends it is set again for its own time left.
    """
    if seconds is None or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    started = time.monotonic()
    outer_handler = signal.getsignal(signal.SIGALRM)
    outer_delay, outer_interval = signal.getitimer(signal.ITIMER_REAL)

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        left = seconds - (time.monotonic() - started)
        if left > 0.001:  # the outer alarm, due before ours
            signal.setitimer(signal.ITIMER_REAL, left)
            if callable(outer_handler):
                outer_handler(signum, frame)
            elif outer_handler == signal.SIG_DFL:
                signal.signal(signal.SIGALRM, signal.SIG_DFL)
                signal.raise_signal(signal.SIGALRM)
            return
        raise _OverBudget

    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer_delay) if outer_delay > 0 else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, outer_handler)
        if outer_delay > 0:
            signal.setitimer(signal.ITIMER_REAL, max(outer_delay - (time.monotonic() - started), 0.001), outer_interval)


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
