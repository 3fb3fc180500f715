"""A statement found but not yet resolved, and span arithmetic over found statements."""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(slots=True)
class _Found:
    kind: str
    content: tuple[int, int]
    cue: tuple[int, int] | None
    cue_lemma: str | None
    source: tuple[int, int] | None
    sentence: tuple[int, int]
    confidence: float


class _ContentIndex:
    """Statements sorted by where their content starts, to find those overlapping a span without a full scan."""

    def __init__(self, items: list[_Found]) -> None:
        self.items = sorted(items, key=lambda f: f.content[0])
        self.starts = [f.content[0] for f in self.items]
        self.longest = max((f.content[1] - f.content[0] for f in self.items), default=0)

    def overlapping(self, span: tuple[int, int]) -> list[_Found]:
        low = bisect.bisect_left(self.starts, span[0] - self.longest)
        high = bisect.bisect_left(self.starts, span[1])
        return [f for f in self.items[low:high] if _overlaps(f.content, span)]

    def near(self, span: tuple[int, int]) -> list[_Found]:
        """Statements whose content or cue may overlap ``span`` (cues sit within a sentence of their content)."""
        reach = max(self.longest, 1000)
        low = bisect.bisect_left(self.starts, span[0] - reach)
        high = bisect.bisect_left(self.starts, span[1] + 1000)
        return self.items[low:high]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def _unique(found: list[_Found]) -> list[_Found]:
    """One attribution per content: the first cue found for it wins; contents inside others are dropped."""
    result: list[_Found] = []
    reaching: list[_Found] = []  # kept contents that may still contain later ones (sorted by start)
    for item in sorted(found, key=lambda f: (f.content[0], -(f.content[1] - f.content[0]))):
        reaching = [o for o in reaching if o.content[1] > item.content[0]]
        if any(
            o.content[0] <= item.content[0]
            and item.content[1] <= o.content[1]
            and (item.cue is None or o.content[0] <= item.cue[0] < o.content[1] or item.content == o.content)
            for o in reaching
        ):
            continue
        result.append(item)
        reaching.append(item)
    return result
