"""PolNeAR (attribution relations in news): a split folder's texts and their brat standoff annotations."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ROLES", "GoldAttribution", "PolnearArticle", "read_brat", "read_split"]

logger = logging.getLogger(__name__)

ROLES = ("Source", "Cue", "Content")


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    """One annotated attribution: its source, cue and content pieces (character spans of the text)."""

    source: tuple[tuple[int, int], ...]
    cue: tuple[tuple[int, int], ...]
    content: tuple[tuple[int, int], ...]


@dataclass(slots=True)
class PolnearArticle:
    """An article's text and its attributions from one annotator."""

    name: str
    text: str
    attributions: list[GoldAttribution] = field(default_factory=list)
    skipped_lines: int = 0


def read_split(folder: Path) -> list[PolnearArticle]:
    """Every article of a PolNeAR split folder (``text/`` and ``attributions/``), first annotator by name."""
    texts = sorted((folder / "text").glob("*.txt"))
    if not texts:
        raise FileNotFoundError(f"no PolNeAR texts under {folder / 'text'}")
    annotations: dict[str, list[Path]] = {}
    for path in sorted((folder / "attributions").glob("*.ann")):
        annotations.setdefault(path.stem.rsplit("_", 1)[0], []).append(path)
    articles = []
    for text_path in texts:
        article = PolnearArticle(text_path.stem, text_path.read_text(encoding="utf-8"))
        files = annotations.get(text_path.stem)
        if files:
            article.attributions, article.skipped_lines = read_brat(files[0])
        articles.append(article)
    return articles


def read_brat(path: Path) -> tuple[list[GoldAttribution], int]:
    """Attributions of a brat standoff file; malformed lines are skipped with a warning and counted."""
    spans: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
    events: list[dict[str, str]] = []
    skipped = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            identifier, body = line.split("\t", 1)
            if identifier.startswith("T"):
                kind, _, offsets = body.split("\t", 1)[0].partition(" ")
                pieces = tuple((int(start), int(end)) for start, end in (piece.split() for piece in offsets.split(";")))
                spans[identifier] = (kind, pieces)
            elif identifier.startswith("E"):
                events.append(dict(part.split(":", 1) for part in body.split()))
        except ValueError:
            skipped += 1
            logger.warning("%s:%d: malformed annotation line skipped: %r", path.name, number, line[:80])
    attributions = []
    for event in events:
        roles = {role: spans[event[role]][1] if event.get(role) in spans else () for role in ROLES}
        if roles["Content"]:
            attributions.append(GoldAttribution(roles["Source"], roles["Cue"], roles["Content"]))
    return attributions, skipped
