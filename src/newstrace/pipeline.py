"""Stages registered by name, and the pipeline that runs them over one document."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from newstrace.model import Article, Document, Failure

__all__ = [
    "DEFAULT_STAGES",
    "Pipeline",
    "StageError",
    "StageSpec",
    "get_stage",
    "register_stage",
    "registered_stages",
]

StageFunction = Callable[[Article], Article]


class StageError(Exception):
    """A stage cannot handle this article; the message is the reason a person reads."""


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

DEFAULT_STAGES: tuple[str, ...] = ("clean", "annotate", "headline_check")


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
    import newstrace.clean  # noqa: F401  (registers "clean")


class Pipeline:
    """The named stages, built once, run in order over each document."""

    def __init__(self, stages: Sequence[str] = DEFAULT_STAGES) -> None:
        self.stage_names = tuple(stages)
        self._stages = [(name, get_stage(name).factory()) for name in self.stage_names]

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
                reason = f"internal error ({type(error).__name__}: {error})"
                return Failure(document.source, name, reason[:300], document.source_hash)
        problems = article.provenance_errors()
        if problems:
            reason = f"span does not match its text ({problems[0]})"
            return Failure(document.source, "provenance", reason[:300], document.source_hash)
        return article
