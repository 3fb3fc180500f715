"""Train the headline-stance model on FNC-1: the readers of its files, its splits and the fit.

Whole stories (bodies linked by related headlines) are held out, not rows or bodies: a held-out
body's claim is then one training never saw, as in the competition test.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newstrace.assess.stance import MODEL_PATH, Pair, _Featurizer
from newstrace.lexicon import stance_lexicon_hash

__all__ = [
    "CLASS_WEIGHT",
    "SEED",
    "SPLITS",
    "in_dev_split",
    "in_story_split",
    "read_fnc",
    "split_pairs",
    "stories",
    "train_stance",
]

SEED = 13
DEV_SHARE = 5  # one body in five is held out
STORY_SHARE = 5  # one story in five is held out
SPLITS = ("bodies", "stories", "stories-validation")
CLASS_WEIGHT = {"agree": 2.0, "disagree": 4.0, "discuss": 1.0, "unrelated": 1.0}


def read_fnc(stances_csv: Path, bodies_csv: Path) -> list[Pair]:
    """FNC-1 pairs from a stances file (Headline, Body ID[, Stance]) and a bodies file (Body ID, articleBody)."""
    for path in (stances_csv, bodies_csv):
        if not path.is_file():
            raise FileNotFoundError(f"{path} not found")
    with bodies_csv.open(encoding="utf-8", newline="") as handle:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}
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
            parent[max(a, b, key=_body_order)] = min(a, b, key=_body_order)
    return {body_id: root(body_id) for body_id in parent}


def _body_order(body_id: str) -> tuple[int, str]:
    return (int(body_id), body_id) if body_id.isdigit() else (1 << 62, body_id)


def in_story_split(story: str, fold: int = 0) -> bool:
    """Whether a story belongs to the held-out fifth of stories (fold 0; fold 1 is validation inside training),
    fixed by a seeded hash of its name."""
    digest = hashlib.sha256(f"{SEED}:story:{story}".encode()).digest()
    return digest[0] % STORY_SHARE == fold


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


def train_stance(
    stances_csv: Path,
    bodies_csv: Path,
    output: Path = MODEL_PATH,
    split: str = "stories",
    claim_features: bool = True,
    doubt_features: bool = True,
) -> dict[str, Any]:
    """Fit on the pairs outside ``split``'s held-out part (see ``split_pairs``); write the model and its card."""
    import joblib
    from sklearn.ensemble import HistGradientBoostingClassifier

    pairs, _ = split_pairs(read_fnc(stances_csv, bodies_csv), split)
    featurizer = _Featurizer(claim_features, doubt_features).fit(
        [p.headline for p in pairs] + list({p.body_id: p.body for p in pairs}.values())
    )
    classifier = HistGradientBoostingClassifier(max_iter=400, learning_rate=0.08, random_state=SEED)
    labels = [str(p.stance) for p in pairs]
    # Per-row weights: the class_weight dict is applied after label encoding and cannot name string classes.
    classifier.fit(featurizer.rows(pairs), labels, sample_weight=[CLASS_WEIGHT[label] for label in labels])
    output.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump((featurizer, classifier), output, compress=3)
    card = {
        "trained_on": str(stances_csv),
        "held_out": (
            f"one body in {DEV_SHARE} (seeded hash of its id)"
            if split == "bodies"
            else f"{'one story' if split == 'stories' else 'two stories'} in {STORY_SHARE} (seeded hash of its "
            "smallest body id) and every headline related to them"
        ),
        "split": split,
        "claim_features": claim_features,
        "doubt_features": doubt_features,
        "pairs": len(pairs),
        "seed": SEED,
        "class_weight": CLASS_WEIGHT,
        "stance_lexicon_sha256": stance_lexicon_hash(),
    }
    output.with_suffix(".json").write_text(json.dumps(card, indent=2) + "\n")
    return card
