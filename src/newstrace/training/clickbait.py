"""Train the clickbait classifier on the training part of the fixed split of ``newstrace.datasets.clickbait``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newstrace.assess.clickbait import MODEL_PATH
from newstrace.datasets.clickbait import SEED, TEST_SHARE, split_dataset

__all__ = ["train_clickbait"]


def _pipeline() -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    words = make_pipeline(
        HashingVectorizer(ngram_range=(1, 2), n_features=2**18, alternate_sign=False, norm=None),
        TfidfTransformer(sublinear_tf=True),
    )
    characters = make_pipeline(
        HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=2**18, alternate_sign=False, norm=None),
        TfidfTransformer(sublinear_tf=True),
    )
    return make_pipeline(make_union(words, characters), LogisticRegression(C=4.0, max_iter=2000, random_state=SEED))


def train_clickbait(folder: Path, output: Path = MODEL_PATH) -> dict[str, Any]:
    """Fit on the training part of the fixed split and write the model and its card."""
    import joblib

    train_headlines, _, train_labels, _ = split_dataset(folder)
    model = _pipeline().fit(train_headlines, train_labels)
    output.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, output, compress=3)
    card = {"trained_on": str(folder), "train_headlines": len(train_headlines), "seed": SEED, "test_share": TEST_SHARE}
    output.with_suffix(".json").write_text(json.dumps(card, indent=2) + "\n")
    return card
