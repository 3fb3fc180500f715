"""Train the speaker-confidence model on a whosaid-format folder; report its calibration out of fold.

Labels come from the whosaid scoring rule (the predicted speaker's name is right), features from the
resolution (``annotate.confidence.speaker_features``). Calibration (ECE, 10 bins) and discrimination
(AUROC) are measured leave-one-article-out, so no figure is scored on an article the model saw.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newstrace.annotate.confidence import MODEL_PATH
from newstrace.lexicon import cue_lexicon_hash

__all__ = ["collect", "train_speaker_confidence"]

SEED = 13
C = 0.25  # L2 strength, chosen leave-one-article-out among 0.05-5 (AUROC 0.68-0.73; ECE lowest at small C)


def collect(folder: Path) -> tuple[list[dict[str, float]], list[bool], list[str]]:
    """Features, speaker-right labels and article ids of every predicted statement matched to a gold one."""
    from newstrace.datasets.whosaid import read_gold
    from newstrace.evaluate.metrics import score_speakers
    from newstrace.ingest import iter_documents
    from newstrace.model import Document, Failure, Quote
    from newstrace.pipeline import Pipeline

    gold_articles, gold_statements = read_gold(folder)
    captured: dict[int, dict[str, float]] = {}

    def remember(quote: Quote, features: dict[str, float]) -> None:
        captured[id(quote)] = features

    pipeline = Pipeline(("clean", "annotate"), config={"annotate": {"on_statement": remember}})
    predictions: list[dict[str, Any]] = []
    features_by_doc: dict[str, list[dict[str, float]]] = {}
    for document in iter_documents([str(folder / "articles.jsonl")]):
        if not isinstance(document, Document):
            continue
        captured.clear()
        article = pipeline.process(document)
        if isinstance(article, Failure):
            if article.stage == "clean":
                continue  # no text, so no statements to learn from
            raise RuntimeError(f"{document.source}: stage {article.stage}: {article.reason}")
        predictions.append(article.to_json_dict())
        features_by_doc[str(article.url).split(":", 1)[-1]] = [captured[id(q)] for q in article.quotes]
    scores = score_speakers(gold_articles, gold_statements, predictions)
    features, labels, groups = [], [], []
    for row in scores.statements:
        if row.matched and row.quote_index is not None:
            features.append(features_by_doc[row.doc][row.quote_index])
            labels.append(row.speaker_right)
            groups.append(row.doc)
    return features, labels, groups


def train_speaker_confidence(folder: Path, output: Path = MODEL_PATH) -> dict[str, Any]:
    """Fit the model on every matched statement of ``folder``; write its weights and card; return the card."""
    from newstrace.evaluate.metrics import auroc, calibration_bins, expected_calibration_error

    features, labels, groups = collect(folder)
    out_of_fold = [0.0] * len(labels)
    for held in sorted(set(groups)):
        train = [i for i, g in enumerate(groups) if g != held]
        test = [i for i, g in enumerate(groups) if g == held]
        model, vectoriser = _fit([features[i] for i in train], [labels[i] for i in train])
        probabilities = model.predict_proba(vectoriser.transform([features[i] for i in test]))[:, 1]
        for index, probability in zip(test, probabilities, strict=True):
            out_of_fold[index] = float(probability)
    model, vectoriser = _fit(features, labels)
    weights = {name: round(float(w), 6) for name, w in zip(vectoriser.feature_names_, model.coef_[0], strict=True)}
    weights["bias"] = round(weights.get("bias", 0.0) + float(model.intercept_[0]), 6)
    bins = calibration_bins(out_of_fold, labels)
    card = {
        "trained_on": str(folder),
        "statements": len(labels),
        "articles": len(set(groups)),
        "share_right": round(sum(labels) / max(1, len(labels)), 4),
        "model": f"logistic regression, L2, C={C}, lbfgs (deterministic; seed {SEED} unused by lbfgs)",
        "leave_one_article_out": {
            "ece_10_bins": round(expected_calibration_error(bins) or 0.0, 4),
            "auroc": round(auroc(out_of_fold, labels) or 0.0, 4),
        },
        "cue_lexicon_sha256": cue_lexicon_hash(),
    }
    output.write_text(json.dumps({"weights": dict(sorted(weights.items())), "card": card}, indent=1) + "\n")
    return card


def _fit(features: list[dict[str, float]], labels: list[bool]) -> tuple[Any, Any]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = DictVectorizer(sparse=False)
    matrix = vectoriser.fit_transform(features)
    model = LogisticRegression(C=C, max_iter=2000, random_state=SEED)
    model.fit(matrix, labels)
    return model, vectoriser
