"""FNC-1 (headline stance): its pairs, its stories and its fixed, seeded splits.

A story is a connected component of bodies linked through the headlines related to them. Whole stories (not rows
or bodies) are held out for stance, so a held-out body's claim is one training never saw, as in the competition
test; story clustering is tuned on one seeded half of the gold stories and reported on the other.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Sequence
from pathlib import Path

from newstrace.assess.stance import Pair

__all__ = [
    "DEV_SHARE",
    "SEED",
    "SPLITS",
    "STORY_SHARE",
    "TUNING_SEED",
    "body_order",
    "gold_stories",
    "in_dev_split",
    "in_story_split",
    "in_tuning_part",
    "read_bodies",
    "read_fnc",
    "split_pairs",
    "stories",
]

SEED = 13
DEV_SHARE = 5  # one body in five is held out
STORY_SHARE = 5  # one story in five is held out
SPLITS = ("bodies", "stories", "stories-validation")
TUNING_SEED = "13"  # the story-clustering halves: settings were chosen on one, the other stands in for unseen stories


def read_bodies(bodies_csv: Path) -> dict[str, str]:
    """Body id -> body text, from a bodies file (Body ID, articleBody)."""
    with bodies_csv.open(encoding="utf-8", newline="") as handle:
        return {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}


def read_fnc(stances_csv: Path, bodies_csv: Path) -> list[Pair]:
    """FNC-1 pairs from a stances file (Headline, Body ID[, Stance]) and a bodies file (Body ID, articleBody)."""
    for path in (stances_csv, bodies_csv):
        if not path.is_file():
            raise FileNotFoundError(f"{path} not found")
    bodies = read_bodies(bodies_csv)
    with stances_csv.open(encoding="utf-8", newline="") as handle:
        return [
            Pair(row["Headline"], row["Body ID"], bodies[row["Body ID"]], row.get("Stance"))
            for row in csv.DictReader(handle)
        ]


def in_dev_split(body_id: str) -> bool:
    """Whether a body belongs to the held-out development fifth (fixed by a seeded hash of its id)."""
    digest = hashlib.sha256(f"{SEED}:{body_id}".encode()).digest()
    return digest[0] % DEV_SHARE == 0


def stories(pairs: Sequence[Pair]) -> dict[str, str]:
    """Each body's story: bodies linked through a headline related to both (connected components).

    A story is named by its smallest body id, so the naming does not depend on the order of the rows. A body
    no related headline reaches is a story of its own.
    """
    parent: dict[str, str] = {}

    def root(body_id: str) -> str:
        while parent.setdefault(body_id, body_id) != body_id:
            parent[body_id] = parent[parent[body_id]]  # path halving keeps the chains short
            body_id = parent[body_id]
        return body_id

    first_body: dict[str, str] = {}
    for pair in pairs:
        root(pair.body_id)
        if pair.stance in (None, "unrelated"):
            continue
        linked = first_body.setdefault(pair.headline, pair.body_id)
        a, b = root(linked), root(pair.body_id)
        if a != b:
            parent[max(a, b, key=body_order)] = min(a, b, key=body_order)
    return {body_id: root(body_id) for body_id in parent}


def body_order(body_id: str) -> tuple[int, str]:
    """Sort key of body ids: numerically, ids that are not numbers after all the numbered ones."""
    return (int(body_id), body_id) if body_id.isdigit() else (1 << 62, body_id)


def gold_stories(stances_csv: Path, bodies_csv: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Body texts and each body's gold story (see ``stories``); a body no stance row names is a story of its own."""
    for path in (stances_csv, bodies_csv):
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such file")
    pairs = read_fnc(stances_csv, bodies_csv)
    if any(pair.stance is None for pair in pairs):
        raise ValueError(f"{stances_csv}: no Stance column to build gold stories from")
    story_of = stories(pairs)
    bodies = read_bodies(bodies_csv)
    return bodies, {body_id: story_of.get(body_id, body_id) for body_id in bodies}


def in_story_split(story: str, fold: int = 0) -> bool:
    """Whether a story belongs to the held-out fifth of stories (fold 0; fold 1 is validation inside training),
    fixed by a seeded hash of its name."""
    digest = hashlib.sha256(f"{SEED}:story:{story}".encode()).digest()
    return digest[0] % STORY_SHARE == fold


def in_tuning_part(story: str) -> bool:
    """Whether a gold story falls in the seeded half that story-clustering settings were chosen on."""
    return hashlib.sha256(f"{TUNING_SEED}:{story}".encode()).digest()[0] % 2 == 0


def split_pairs(pairs: Sequence[Pair], split: str) -> tuple[list[Pair], list[Pair]]:
    """Training and held-out pairs under ``split``: held-out ``bodies`` (a fifth) or whole held-out ``stories``.

    Under ``stories`` a pair is held out when its body's story is, and a training pair may not carry a headline
    that a held-out story's bodies are related to: the claim itself is unseen, not only its bodies. Under
    ``stories-validation`` a second fifth of stories is held out of what ``stories`` trains on, to choose
    features and thresholds without looking at the reported fifth.
    """
    if split == "bodies":
        held = [p for p in pairs if in_dev_split(p.body_id)]
        return [p for p in pairs if not in_dev_split(p.body_id)], held
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: one of {', '.join(SPLITS)}")
    story_of = stories(pairs)
    folds = (0,) if split == "stories" else (0, 1)
    excluded = {body_id for body_id, story in story_of.items() if any(in_story_split(story, f) for f in folds)}
    excluded_headlines = {p.headline for p in pairs if p.body_id in excluded and p.stance not in (None, "unrelated")}
    train = [p for p in pairs if p.body_id not in excluded and p.headline not in excluded_headlines]
    held_out = {body_id for body_id, story in story_of.items() if in_story_split(story, folds[-1])}
    return train, [p for p in pairs if p.body_id in held_out]
