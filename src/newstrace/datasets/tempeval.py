"""TempEval-3 (TimeML): a file's plain text, its creation date and its TIMEX3 annotations."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

__all__ = ["GoldTime", "TimeMLDocument", "read_timeml"]

_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True, slots=True)
class GoldTime:
    """A TIMEX3 annotation: character span of the plain text, type and value."""

    start: int
    end: int
    type: str
    value: str


@dataclass(slots=True)
class TimeMLDocument:
    """A TimeML file's plain text, creation time and gold time expressions."""

    name: str
    text: str
    creation_date: date | None
    gold: list[GoldTime] = field(default_factory=list)


def read_timeml(path: Path) -> TimeMLDocument:
    """Plain text of ``<TEXT>`` with the TIMEX3 spans in it, and the document creation date."""
    source = path.read_text(encoding="utf-8")
    dct_match = re.search(r"<DCT>\s*<TIMEX3[^>]*value=\"(\d{4})-?(\d{2})-?(\d{2})", source)
    creation = date(*map(int, dct_match.groups())) if dct_match else None
    body = re.search(r"<TEXT>(.*)</TEXT>", source, re.S)
    if body is None:
        raise ValueError(f"{path}: no <TEXT> element")
    pieces: list[str] = []
    length = 0
    open_times: list[tuple[int, dict[str, str]]] = []
    gold: list[GoldTime] = []
    position = 0
    raw = body.group(1)
    for tag in _TAG.finditer(raw):
        chunk = html.unescape(raw[position : tag.start()])
        pieces.append(chunk)
        length += len(chunk)
        position = tag.end()
        if tag[2] != "TIMEX3":
            continue
        if tag[1]:
            start, attributes = open_times.pop()
            gold.append(GoldTime(start, length, attributes.get("type", ""), attributes.get("value", "")))
        else:
            open_times.append((length, dict(_ATTRIBUTE.findall(tag[3]))))
    pieces.append(html.unescape(raw[position:]))
    return TimeMLDocument(path.stem, "".join(pieces), creation, sorted(gold, key=lambda g: g.start))
