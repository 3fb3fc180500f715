"""A fitted gradient-boosted tree model's trees, walked all at once with numpy (the stance model's predictions)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class FlatForest:
    """The fitted trees of a multiclass HistGradientBoostingClassifier walked all at once with numpy.

    scikit-learn predicts tree by tree, paying a call per tree (about 4 ms for one article's few rows);
    walking every tree a level at a time takes a tenth of that. Equality with ``predict_proba`` is tested.
    """

    def __init__(self, classifier: Any) -> None:
        import numpy as np

        trees = [(k, tree.nodes) for iteration in classifier._predictors for k, tree in enumerate(iteration)]
        if any(nodes["is_categorical"].any() for _, nodes in trees):
            raise ValueError("categorical splits are not supported")
        offsets = np.cumsum([0] + [len(nodes) for _, nodes in trees[:-1]])
        nodes = np.concatenate([n for _, n in trees])
        shift = np.repeat(offsets, [len(n) for _, n in trees])
        self.roots = offsets.astype(np.intp)
        self.tree_class = np.array([k for k, _ in trees], dtype=np.intp)
        self.feature = nodes["feature_idx"].astype(np.intp)
        self.threshold = nodes["num_threshold"].astype(np.float64)
        self.missing_left = nodes["missing_go_to_left"].astype(bool)
        self.left = (nodes["left"] + shift).astype(np.intp)
        self.right = (nodes["right"] + shift).astype(np.intp)
        self.is_leaf = nodes["is_leaf"].astype(bool)
        self.value = nodes["value"].astype(np.float64)
        self.baseline = np.asarray(classifier._baseline_prediction, dtype=np.float64).ravel()
        self.classes = list(classifier.classes_)

    def predict_proba(self, rows: Sequence[Sequence[float]]) -> Any:
        import numpy as np

        features = np.asarray(rows, dtype=np.float64)
        node = np.broadcast_to(self.roots, (len(features), len(self.roots))).copy()
        row_index = np.arange(len(features))[:, None]
        while True:
            active = ~self.is_leaf[node]
            if not active.any():
                break
            values = features[row_index, self.feature[node]]
            go_left = np.where(np.isnan(values), self.missing_left[node], values <= self.threshold[node])
            node = np.where(active, np.where(go_left, self.left[node], self.right[node]), node)
        raw = np.tile(self.baseline, (len(features), 1))
        for k in range(len(self.baseline)):
            raw[:, k] += self.value[node[:, self.tree_class == k]].sum(axis=1)
        raw -= raw.max(axis=1, keepdims=True)
        exp = np.exp(raw)
        return exp / exp.sum(axis=1, keepdims=True)
