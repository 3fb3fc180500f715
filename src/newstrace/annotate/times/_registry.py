"""How a time rule is declared (a pattern and the normaliser of its match) and what a rule finds."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

Normaliser = Callable[[re.Match[str], date, bool], tuple[str, str, str | None] | None]
Rule = tuple[re.Pattern[str], Normaliser]


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    type: str
    value: str
    mod: str | None = None
    relative: bool = True


class RuleGroup:
    """Rules of one kind in the order they are written; ``@group(pattern)`` adds a normaliser with its pattern."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []

    def __call__(self, pattern: str) -> Callable[[Normaliser], Normaliser]:
        def register(normaliser: Normaliser) -> Normaliser:
            self.rules.append((re.compile(rf"(?<![\w-]){pattern}(?![\w])", re.I), normaliser))
            return normaliser

        return register
