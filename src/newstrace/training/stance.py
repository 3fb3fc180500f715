"""Train the headline-stance model on FNC-1 outside a held-out split (``newstrace.datasets.fnc1``).

Whole stories (bodies linked by related headlines) are held out, not rows or bodies: a held-out
body's claim is then one training never saw, as in the competition test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newstrace.assess.stance import MODEL_PATH, StanceFeaturizer
from newstrace.datasets.fnc1 import DEV_SHARE, SEED, STORY_SHARE, read_fnc, split_pairs
from newstrace.lexicon import stance_lexicon_hash

__all__ = ["CLASS_WEIGHT", "train_stance"]

CLASS_WEIGHT = {"agree": 2.0, "disagree": 4.0, "discuss": 1.0, "unrelated": 1.0}


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
    featurizer = StanceFeaturizer(claim_features, doubt_features).fit(
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
        "featurizer": f"{StanceFeaturizer.__module__}.{StanceFeaturizer.__qualname__}",
        "stance_lexicon_sha256": stance_lexicon_hash(),
    }
    output.with_suffix(".json").write_text(json.dumps(card, indent=2) + "\n")
    return card
