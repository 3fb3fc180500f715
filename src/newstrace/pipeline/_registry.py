"""Stages by name: the built-in table, and the stages other packages register with ``register_stage``."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import TypeVar

from newstrace.model import Article
from newstrace.pipeline._builtin import BUILTIN_STAGES

__all__ = ["ARTICLE_FIELDS", "StageSpec", "get_stage", "register_stage", "registered_stages", "unknown_fields"]

ARTICLE_FIELDS = frozenset(field.name for field in fields(Article))


@dataclass(frozen=True, slots=True)
class StageSpec:
    """A registered stage: where it lives, what it reads and what it fills in.

    ``load`` returns the ``Article -> Article`` function, or the class whose instances are one; a built-in's
    module is imported only then.
    """

    name: str
    load: Callable[[], object]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    doc: str
    module: str  # imported by a fresh worker process before it builds its pipeline


Registered = TypeVar("Registered", bound=Callable[..., object])

_REGISTERED: dict[str, StageSpec] = {}


def _loader(target: str) -> Callable[[], object]:
    module, _, attribute = target.partition(":")

    def load() -> object:
        return getattr(importlib.import_module(module), attribute)

    return load


_BUILTIN: dict[str, StageSpec] = {
    name: StageSpec(name, _loader(row.target), row.requires, row.assigns, row.doc, row.target.partition(":")[0])
    for name, row in BUILTIN_STAGES.items()
}


def unknown_fields(names: Sequence[str]) -> list[str]:
    """The names among ``names`` that are not fields of ``Article``."""
    return [name for name in names if name not in ARTICLE_FIELDS]


def register_stage(
    name: str, *, requires: Sequence[str] = (), assigns: Sequence[str] = ()
) -> Callable[[Registered], Registered]:
    """Register an ``Article -> Article`` function, or a class whose instances are one, under a name.

    A class is instantiated once per process (that is where it loads its models), with the keyword arguments
    a pipeline's config gives it. ``requires`` and ``assigns`` name fields of ``Article``.
    """

    def register(target: Registered) -> Registered:
        if name in _REGISTERED or name in _BUILTIN:
            raise ValueError(f"stage {name!r} is already registered")
        for role, names in (("requires", requires), ("assigns", assigns)):
            unknown = unknown_fields(names)
            if unknown:
                raise ValueError(f"stage {name!r} {role} {', '.join(unknown)}: not a field of Article")
        doc = (target.__doc__ or "").strip().splitlines()

        def load() -> object:
            return target

        _REGISTERED[name] = StageSpec(
            name, load, tuple(requires), tuple(assigns), doc[0] if doc else "", target.__module__
        )
        return target

    return register


def get_stage(name: str) -> StageSpec:
    """The stage registered under ``name``."""
    spec = _BUILTIN.get(name) or _REGISTERED.get(name)
    if spec is None:
        known = ", ".join(sorted({*_BUILTIN, *_REGISTERED}))
        raise KeyError(f"no stage named {name!r} (registered: {known})")
    return spec


def registered_stages() -> list[StageSpec]:
    """Every registered stage, by name."""
    specs = {**_REGISTERED, **_BUILTIN}
    return [specs[name] for name in sorted(specs)]
