"""A clickbait classifier for headlines, trained here on Chakraborty et al. (2016) and shipped.

Word 1-2-grams and character 2-5-grams, hashed (no vocabulary to ship), TF-IDF weighted, into a
logistic regression. It models listicle and curiosity-gap style ("You Won't Believe..."): it does
not know whether a body contradicts its headline, which is the stance model's job.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

__all__ = ["MODEL_PATH", "SEED", "ClickbaitModel", "load_dataset", "split_dataset", "train_clickbait"]

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "clickbait-v1.joblib"
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


class ClickbaitModel:
    """The shipped classifier, loaded once."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        import joblib

        if not path.is_file():
            raise FileNotFoundError(f"{path}: clickbait model missing (make train-clickbait builds it)")
        self._model = joblib.load(path)
        union, self._classifier = self._model.steps[0][1], self._model.steps[-1][1]
        self._parts = [part for _, part in union.transformer_list]

    def probabilities(self, headlines: list[str]) -> list[float]:
        """The probability that each headline is clickbait."""
        from scipy.sparse import hstack

        # The union's parts are applied directly: its parallel dispatch costs more than the work on a headline.
        features = hstack([part.transform(headlines) for part in self._parts]).tocsr()
        return [float(p) for p in self._classifier.predict_proba(features)[:, 1]]

    def probability(self, headline: str) -> float:
        """The probability that a headline is clickbait."""
        return self.probabilities([headline])[0]
