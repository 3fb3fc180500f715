"""The labelled stream (``../shared/eval/stream``): AEB pages' story groups and headline labels, and the seeded
sample of whole FNC-1 stories mixed in beside them.

``aeb_stories.json`` holds ``groups`` (stories of two or more pages; any other page is a story of its own) and
``uncertain`` entries (related pages deliberately kept apart: an evaluation skips their pairs, neither right nor
wrong). ``aeb_headlines.jsonl`` holds one line per page: its headline and how the body relates to it.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

__all__ = [
    "HEADLINE_LABELS",
    "SAMPLE_SEED",
    "HeadlineLabel",
    "StreamLabels",
    "read_headlines",
    "read_stories",
    "read_stream",
    "sample_stories",
]

HEADLINE_LABELS = ("supported", "hedged", "overstated", "contradicted", "unrelated", "no_claim")
SAMPLE_SEED = "28"  # the FNC-1 stories a smaller stream keeps: fixed, so two runs mix in the same bodies

Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class HeadlineLabel:
    """How one page's body relates to its own headline, with the sentence that decides it (where one does)."""

    file: str
    headline: str
    label: str
    evidence: str | None = None
    note: str | None = None


@dataclass(slots=True)
class StreamLabels:
    """The stream's gold: story groups of two or more pages, pairs kept apart on purpose, and headline labels."""

    groups: list[list[str]]
    uncertain: list[list[str]] = field(default_factory=list)
    headlines: dict[str, HeadlineLabel] = field(default_factory=dict)

    @property
    def files(self) -> list[str]:
        """Every labelled page, sorted: the headline labels' pages and any page a group or uncertain entry names."""
        named = set(self.headlines)
        named.update(file for group in (*self.groups, *self.uncertain) for file in group)
        return sorted(named)

    def gold_stories(self) -> dict[str, str]:
        """Each page's gold story: a group is named by its first page (sorted); any other page is its own story."""
        story = {file: file for file in self.files}
        for group in self.groups:
            for file in group:
                story[file] = min(group)
        return story

    def skipped_pairs(self) -> set[Pair]:
        """The pairs of pages an uncertain entry kept apart (sorted pairs); pairs inside one gold group still count."""
        story = self.gold_stories()
        return {
            (a, b)
            for entry in self.uncertain
            for a, b in combinations(sorted(set(entry)), 2)
            if story.get(a, a) != story.get(b, b)
        }


def read_stream(stream_dir: Path) -> StreamLabels:
    """The labels of a stream folder (``aeb_stories.json`` and ``aeb_headlines.jsonl``); ValueError naming the file
    and what is wrong when they do not hold together, FileNotFoundError when one is missing."""
    labels = read_stories(stream_dir / "aeb_stories.json")
    labels.headlines = read_headlines(stream_dir / "aeb_headlines.jsonl")
    return labels


def read_stories(path: Path) -> StreamLabels:
    """Story groups and uncertain entries of an ``aeb_stories.json`` file (headlines left empty)."""
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: not a stream label folder")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ValueError(f"{path}: not JSON ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("groups"), list):
        raise ValueError(f"{path}: expected an object with a 'groups' list")
    groups = [_files(group, path, "group") for group in data["groups"]]
    uncertain = [
        _files(entry.get("files") if isinstance(entry, dict) else None, path, "uncertain entry")
        for entry in data.get("uncertain") or []
    ]
    seen: dict[str, int] = {}
    for number, group in enumerate(groups):
        for file in group:
            if file in seen:
                raise ValueError(f"{path}: {file} is in groups {seen[file] + 1} and {number + 1}")
            seen[file] = number
    return StreamLabels(groups, uncertain)


def read_headlines(path: Path) -> dict[str, HeadlineLabel]:
    """Page file -> its headline label, from an ``aeb_headlines.jsonl`` file (one object a line)."""
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: not a stream label folder")
    labels: dict[str, HeadlineLabel] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            item = json.loads(line)
        except ValueError as error:
            raise ValueError(f"{where}: not JSON ({error})") from None
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("file", "headline", "label")):
            raise ValueError(f"{where}: expected an object with 'file', 'headline' and 'label' strings")
        if item["label"] not in HEADLINE_LABELS:
            raise ValueError(f"{where}: label {item['label']!r} is not one of {', '.join(HEADLINE_LABELS)}")
        if item["file"] in labels:
            raise ValueError(f"{where}: {item['file']} is labelled twice")
        labels[item["file"]] = HeadlineLabel(
            item["file"], item["headline"], item["label"], _text(item.get("evidence")), _text(item.get("note"))
        )
    return labels


def sample_stories(gold: dict[str, str], limit: int | None) -> list[str]:
    """The items of whole gold stories, at most ``limit`` of them (all when None), in the order of ``gold``.

    Stories are taken in a fixed seeded order and a story is kept only whole: one that would pass the limit is
    passed over for a smaller one after it.
    """
    if limit is None:
        return list(gold)
    members: defaultdict[str, list[str]] = defaultdict(list)
    for item, story in gold.items():
        members[story].append(item)
    kept: set[str] = set()
    room = limit
    for story in sorted(members, key=lambda name: hashlib.sha256(f"{SAMPLE_SEED}:{name}".encode()).digest()):
        if len(members[story]) <= room:
            kept.add(story)
            room -= len(members[story])
    return [item for item, story in gold.items() if story in kept]


def _files(value: object, path: Path, what: str) -> list[str]:
    if not isinstance(value, list) or len(value) < 2 or not all(isinstance(file, str) for file in value):
        raise ValueError(f"{path}: a {what} must list two or more page files")
    return [str(file) for file in value]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
