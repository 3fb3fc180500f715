"""A clickbait classifier for headlines, trained here on Chakraborty et al. (2016) and shipped.

Word 1-2-grams and character 2-5-grams, hashed (no vocabulary to ship), TF-IDF weighted, into a
logistic regression. It models listicle and curiosity-gap style ("You Won't Believe..."): it does
not know whether a body contradicts its headline, which is the stance model's job. Training lives in
``newstrace.training.clickbait``, the dataset's reader and split in ``newstrace.datasets.clickbait``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["MODEL_PATH", "ClickbaitModel"]

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "clickbait-v1.joblib"


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
