"""Lines of input text with where they sit in the raw input, and which of them wrap into one paragraph."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Line:
    """One line of input text with where it sits in the raw input.

    ``block`` numbers the blank-line-separated blocks; ``joins_previous`` marks a soft-wrapped
    continuation of the line before. ``raw_start`` is None where the line could not be located.
    """

    text: str
    raw_start: int | None
    raw_end: int | None
    exact: bool
    block: int
    joins_previous: bool = False

    def cut(self, start: int, end: int) -> Line:
        """The part of this line at text offsets ``start:end``, whitespace trimmed."""
        part = self.text[start:end]
        start += len(part) - len(part.lstrip())
        end -= len(part) - len(part.rstrip())
        if self.raw_start is None or self.raw_end is None:
            return replace(self, text=self.text[start:end])
        if self.exact:
            return replace(
                self,
                text=self.text[start:end],
                raw_start=self.raw_start + start,
                raw_end=self.raw_start + end,
            )
        scale = (self.raw_end - self.raw_start) / max(1, len(self.text))
        return replace(
            self,
            text=self.text[start:end],
            raw_start=self.raw_start + round(start * scale),
            raw_end=self.raw_start + round(end * scale),
        )


def text_lines(raw: str) -> list[Line]:
    """The non-blank lines of a plain-text scrape with exact raw offsets and paragraph joins."""
    lines: list[Line] = []
    block = 0
    blank_before = False
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\n|\r|$)", raw):
        content = match[0].rstrip("\r\n")
        stripped = content.strip()
        if not stripped:
            blank_before = True
            if match.end() >= len(raw):
                break
            continue
        if blank_before and lines:
            block += 1
        blank_before = False
        start = match.start() + (len(content) - len(content.lstrip()))
        lines.append(Line(stripped, start, start + len(stripped), True, block))
    return _mark_soft_wraps(lines)


def _mark_soft_wraps(lines: list[Line]) -> list[Line]:
    """Join hard-wrapped lines of a block into one paragraph; a block of long lines is one paragraph a line."""
    by_block: dict[int, list[int]] = {}
    for index, line in enumerate(lines):
        by_block.setdefault(line.block, []).append(index)
    result = list(lines)
    for indices in by_block.values():
        if len(indices) < 2:
            continue
        width = max(len(lines[i].text) for i in indices)
        if width > 120:
            continue
        for previous, current in itertools.pairwise(indices):
            before = lines[previous].text
            paragraph_end = len(before) < 0.6 * width and before[-1] in '.!?"”’)'
            result[current] = replace(lines[current], joins_previous=not paragraph_end)
    return result
