"""Stages registered by name, and the pipeline that runs them over one document."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from newstrace.model import Article, Document, Failure

__all__ = [
    "DEFAULT_STAGES",
    "Pipeline",
    "StageError",
    "StageLoadError",
    "StageSpec",
    "get_stage",
    "register_stage",
    "registered_stages",
]

StageFunction = Callable[[Article], Article]

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


@dataclass(frozen=True, slots=True)
class StageSpec:
    """A registered stage: how to build it, what it reads and what it fills in."""

    name: str
    factory: Callable[[], StageFunction]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    doc: str
    module: str


_REGISTRY: dict[str, StageSpec] = {}

DEFAULT_STAGES: tuple[str, ...] = ("clean", "annotate", "lede_vector", "headline_check")


Registered = TypeVar("Registered", bound=Callable[..., object])


def register_stage(
    name: str, *, requires: Sequence[str] = (), assigns: Sequence[str] = ()
) -> Callable[[Registered], Registered]:
    """Register an ``Article -> Article`` function, or a class whose instances are one, under a name.

    A class is instantiated once per process (that is where it loads its models).
    """

    def register(target: Registered) -> Registered:
        if name in _REGISTRY:
            raise ValueError(f"stage {name!r} is already registered")
        if isinstance(target, type):
            factory: Callable[[], StageFunction] = target
        else:
            function = target

            def factory() -> StageFunction:
                return function  # type: ignore[return-value]

        doc = (target.__doc__ or "").strip().splitlines()
        _REGISTRY[name] = StageSpec(
            name, factory, tuple(requires), tuple(assigns), doc[0] if doc else "", target.__module__
        )
        return target

    return register


def get_stage(name: str) -> StageSpec:
    """The stage registered under ``name``."""
    _load_builtin_stages()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise KeyError(f"no stage named {name!r} (registered: {known})") from None


def registered_stages() -> list[StageSpec]:
    """Every registered stage, by name."""
    _load_builtin_stages()
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def _load_builtin_stages() -> None:
    import newstrace.annotate
    import newstrace.assess.headline
    import newstrace.clean
    import newstrace.embed.lede_vector  # noqa: F401  (each import registers its stages)


class Pipeline:
    """The named stages, built once, run in order over each document."""

    def __init__(self, stages: Sequence[str] = DEFAULT_STAGES) -> None:
        self.stage_names = tuple(stages)
        specs = [get_stage(name) for name in self.stage_names]
        self._stages: list[tuple[str, StageFunction]] = []
        for spec in specs:
            try:
                self._stages.append((spec.name, spec.factory()))
            except Exception as error:
                log.error("stage %r failed to load", spec.name, exc_info=True)
                raise StageLoadError(spec.name, f"{type(error).__name__}: {error}") from error

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
