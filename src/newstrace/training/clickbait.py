"""Train the clickbait classifier on Chakraborty et al. (2016): the dataset's reader, its fixed split and the fit."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from newstrace.assess.clickbait import MODEL_PATH

__all__ = ["SEED", "TEST_SHARE", "load_dataset", "split_dataset", "train_clickbait"]

SEED = 13
TEST_SHARE = 0.2


def load_dataset(folder: Path) -> tuple[list[str], list[int]]:
    """Headlines and labels (1 clickbait, 0 not) from ``clickbait_data.gz`` and ``non_clickbait_data.gz``."""
    headlines: list[str] = []
    labels: list[int] = []
    for name, label in (("clickbait_data.gz", 1), ("non_clickbait_data.gz", 0)):
        path = folder / name
        if not path.is_file():
            raise FileNotFoundError(f"{path} not found: not a clickbait dataset folder")
        for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines():
            if line.strip():
                headlines.append(line.strip())
                labels.append(label)
    return headlines, labels


def split_dataset(folder: Path) -> tuple[list[str], list[str], list[int], list[int]]:
    """The fixed-seed stratified 80/20 split: train headlines, test headlines, train labels, test labels."""
    from sklearn.model_selection import train_test_split

    headlines, labels = load_dataset(folder)
    parts = train_test_split(headlines, labels, test_size=TEST_SHARE, random_state=SEED, stratify=labels)
    return parts[0], parts[1], parts[2], parts[3]


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
