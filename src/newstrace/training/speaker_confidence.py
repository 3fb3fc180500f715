"""Train the speaker-confidence model on PolNeAR train and whosaid dev; report its calibration on unseen articles.

Examples are the pipeline's statements with a known answer for their speaker:

- whosaid (a folder of pages with gold statements and speaker names): a predicted statement matched to a gold one
  by the whosaid rule (``evaluate.metrics.score_speakers``); right when its speaker's name is the gold one;
- PolNeAR (gold source, cue and content spans): a predicted statement whose content matches a gold attribution's
  (the overlap covers half of the gold content piece or half of the predicted content) is right when its speaker
  mention overlaps that attribution's gold source, wrong otherwise; a statement matching no gold attribution, one
  whose source is not annotated, or a definite description left unnamed (PolNeAR cannot say whether the article
  named whom it describes), is not a speaker example.

Model selection and calibration use folds of whole articles (``GroupKFold`` over article ids, seeded): for each
L2 strength and calibration (none, Platt, isotonic), every article is scored by a model fitted without it, the
calibrator itself fitted on inner folds of that model's training articles; the candidate with the lowest
out-of-fold log loss ships, refitted on every example. Out-of-fold ECE (10 bins) and AUROC are reported over all
examples and per source; PolNeAR dev, labelled the same way, is scored by the shipped model and never used for
fitting or selection. Features come from ``annotate.confidence.speaker_features`` through the annotate stage's
``on_statement`` hook; ``cache`` keeps each article's pipeline output keyed by its text and the code that made it.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newstrace.annotate.confidence import MODEL_PATH, VERSION, Calibration
from newstrace.lexicon import cue_lexicon_hash

__all__ = ["Example", "label_polnear", "polnear_examples", "train_speaker_confidence", "whosaid_examples"]

SEED = 13
FOLDS = 5
STRENGTHS = (0.1, 1.0)  # C of the L2-regularised logistic regression
DEPTHS = (2, 3)  # of the boosted trees
TREES, LEARNING_RATE, LEAF = 100, 0.1, 20
MODELS = tuple(("logistic", c) for c in STRENGTHS) + tuple(("trees", float(d)) for d in DEPTHS)
CALIBRATIONS = ("none", "platt", "isotonic")

_CACHE_FORMAT = 3  # what a cached article holds: raise it when that changes

Json = dict[str, Any]
Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Example:
    """One statement's confidence features, whether its speaker is right, its article and its data set."""

    features: dict[str, float]
    right: bool
    article: str
    source: str


# --- Examples -----------------------------------------------------------------------------------------------------


def label_polnear(
    text: str,
    gold: Sequence[tuple[Sequence[Span], Sequence[Span]]],
    content: Span,
    mention: Span | None,
    name: str | None,
) -> bool | None:
    """Right, wrong or not a speaker example (None): one predicted statement against gold (source, content) pieces.

    The statement matches the gold attribution whose content piece it overlaps most, if that overlap covers half of
    the piece or half of the statement. Its speaker is right when the mention overlaps that attribution's source;
    otherwise, where the gold source names someone ("Sen. Marco Rubio", "BENENSON"), when the resolved name ends in
    the same name (a pronoun resolved to the person, or a quotation continuing a speaker named before); else wrong.
    A speaker carried over without a mention, against a gold pronoun or description, cannot be judged (None).
    """
    best: tuple[int, Sequence[Span]] | None = None
    for sources, pieces in gold:
        for start, end in pieces:
            overlap = min(end, content[1]) - max(start, content[0])
            covers = overlap > 0 and 2 * overlap >= min(end - start, content[1] - content[0])
            if covers and (best is None or overlap > best[0]):
                best = (overlap, sources)
    if best is None or not best[1]:
        return None  # no gold attribution, or one PolNeAR gives no source (a sourceless passive)
    if mention is not None and any(mention[0] < end and start < mention[1] for start, end in best[1]):
        return True
    gold_name = _last_name(" ".join(text[start:end] for start, end in best[1]))
    if gold_name is not None and name:
        return _last_name(name, capitalised_only=False) == gold_name
    return None if mention is None and name else False


_NOT_NAMES = frozenset(("he", "she", "it", "they", "we", "i", "you", "his", "her", "its", "their", "our", "my",
                        "the", "a", "an", "this", "that", "these", "those", "mr", "mrs", "ms", "dr"))  # fmt: skip


def _last_name(phrase: str, capitalised_only: bool = True) -> str | None:
    """The last word of a phrase that can be a name (a capitalised word, not a pronoun, article or title), folded."""
    words = ["".join(c for c in word.removesuffix("'s").removesuffix("’s") if c.isalpha()) for word in phrase.split()]
    names = [w for w in words if w and (w[0].isupper() or not capitalised_only) and w.casefold() not in _NOT_NAMES]
    return names[-1].casefold() if names else None


def polnear_examples(folder: Path, cache: Path | None = None, progress: bool = True) -> list[Example]:
    """Labelled statements of every article of a PolNeAR split folder (``text/`` and ``attributions/``)."""
    from newstrace.datasets.polnear import read_split

    articles = read_split(folder)
    run = _Runner(cache)
    examples = []
    for article in _progress(articles, f"PolNeAR {folder.name}", progress):
        gold = [(a.source, a.content) for a in article.attributions]
        for statement in run.polnear(article.name, article.text):
            content = (statement["content"][0], statement["content"][1])
            mention = (statement["mention"][0], statement["mention"][1]) if statement["mention"] else None
            right = label_polnear(article.text, gold, content, mention, statement["name"])
            if right is not None and not _left_as_description(statement["features"]):
                examples.append(Example(statement["features"], right, f"polnear:{article.name}", "polnear"))
    return examples


def _left_as_description(features: dict[str, float]) -> bool:
    """A definite description the sieve left unnamed ("the country", "both men"): PolNeAR marks the phrase as the
    source, so its label says the mention was found, not whether the article named whom it describes, which is what
    the speaker's confidence is about; only whosaid's resolved names can label it."""
    return features.get("rule=unnamed", 0.0) == 1.0 and features.get("definite_unnamed", 0.0) == 1.0


def whosaid_examples(folder: Path, cache: Path | None = None, progress: bool = True) -> list[Example]:
    """Labelled statements of a whosaid folder: every predicted statement matched to a gold one, by its rule."""
    from newstrace.datasets.whosaid import read_gold
    from newstrace.evaluate.metrics import score_speakers
    from newstrace.ingest import iter_documents
    from newstrace.model import Document

    gold_articles, gold_statements = read_gold(folder)
    run = _Runner(cache)
    predictions: list[Json] = []
    features: dict[str, list[dict[str, float]]] = {}
    documents = [d for d in iter_documents([str(folder / "articles.jsonl")]) if isinstance(d, Document)]
    for document in _progress(documents, f"whosaid {folder.name}", progress):
        result = run.whosaid(document)
        if result is not None:
            predictions.append(result["article"])
            features[str(result["article"]["url"]).split(":", 1)[-1]] = result["features"]
    scores = score_speakers(gold_articles, gold_statements, predictions)
    return [
        Example(features[row.doc][row.quote_index], row.speaker_right, f"whosaid:{row.doc}", "whosaid")
        for row in scores.statements
        if row.matched and row.quote_index is not None
    ]


def _progress(items: Sequence[Any], label: str, shown: bool) -> Iterable[Any]:
    if not shown:
        return items
    from rich.progress import track

    return track(items, description=label, transient=True)


class _Runner:
    """The pipeline (clean, annotate) with each statement's confidence features captured; results cached by key."""

    def __init__(self, cache: Path | None) -> None:
        from newstrace.pipeline import Pipeline

        self.captured: dict[int, dict[str, float]] = {}
        config = {"annotate": {"on_statement": lambda quote, features: self.captured.__setitem__(id(quote), features)}}
        self.pipeline = Pipeline(("clean", "annotate"), config=config)
        self.cache = cache
        self.code = _code_fingerprint() if cache is not None else ""

    def polnear(self, name: str, text: str) -> list[Json]:
        """Each statement's features, content and speaker mention as spans of the raw text."""
        from newstrace.model import Document

        def compute() -> Json:
            article = self._process(Document(source=name, raw=text, media_type="text/plain", source_hash=name))
            statements = []
            for quote in article.quotes if article is not None else []:
                content = _to_raw(article, quote.content.start, quote.content.end)
                if content is None:
                    continue
                mention = quote.speaker.mention if quote.speaker is not None else None
                raw_mention = _to_raw(article, mention.start, mention.end) if mention is not None else None
                statements.append(
                    {
                        "features": self.captured[id(quote)],
                        "content": content,
                        "mention": raw_mention,
                        "name": quote.speaker.name if quote.speaker is not None else None,
                        "cue": _to_raw(article, quote.cue.start, quote.cue.end) if quote.cue is not None else None,
                    }
                )
            return {"statements": statements}

        return list(self._cached("polnear", name + "\0" + text, compute)["statements"])

    def whosaid(self, document: Any) -> Json | None:
        """The article's JSON and each statement's features, or None when cleaning left no text."""

        def compute() -> Json:
            article = self._process(document)
            if article is None:
                return {"article": None}
            return {"article": article.to_json_dict(), "features": [self.captured[id(q)] for q in article.quotes]}

        key = json.dumps([document.source, document.url, document.title, document.published, document.raw])
        result = self._cached("whosaid", key, compute)
        return result if result["article"] is not None else None

    def _process(self, document: Any) -> Any:
        from newstrace.model import Failure

        self.captured.clear()
        article = self.pipeline.process(document)
        if isinstance(article, Failure):
            if article.stage == "clean":
                return None  # no text, so no statements to learn from
            raise RuntimeError(f"{document.source}: stage {article.stage}: {article.reason}")
        return article

    def _cached(self, kind: str, key: str, compute: Callable[[], Json]) -> Json:
        if self.cache is None:
            return compute()
        digest = hashlib.sha256(key.encode()).hexdigest()
        path = self.cache / self.code[:16] / kind / f"{digest}.json"  # a code change starts a new folder
        if path.is_file():
            return dict(json.loads(path.read_text(encoding="utf-8")))
        result = compute()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result), encoding="utf-8")
        return result


def _to_raw(article: Any, start: int, end: int) -> list[int] | None:
    raw_start, raw_end = article.raw_offset(start), article.raw_offset(end)
    return [raw_start, raw_end] if raw_start is not None and raw_end is not None and raw_start < raw_end else None


def _code_fingerprint() -> str:
    """A hash of the package's runtime code and models (not this training or the confidence weights)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"cache format {_CACHE_FORMAT}".encode())
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if not path.is_file() or relative.startswith(("training/", "evaluate/", "web/", "cli/", "store/")):
            continue
        if "__pycache__" in relative or relative.startswith("models/speaker-confidence"):
            continue
        digest.update(relative.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


# --- Selection, calibration and the report ------------------------------------------------------------------------


def train_speaker_confidence(
    whosaid: Path,
    polnear: Path,
    output: Path = MODEL_PATH,
    *,
    held_out: Path | None = None,
    cache: Path | None = None,
    progress: bool = True,
) -> Json:
    """Select, calibrate and fit the model on ``polnear`` (a PolNeAR split) and ``whosaid``; write it; return its card.

    ``held_out`` (PolNeAR dev) is labelled the same way and only scored, by the model as shipped.
    """
    from newstrace.annotate.confidence import SpeakerConfidence

    examples = polnear_examples(polnear, cache, progress) + whosaid_examples(whosaid, cache, progress)
    right = [e.right for e in examples]
    folds = _folds([e.article for e in examples], FOLDS)
    candidates: dict[tuple[str, float, str], list[float]] = {}
    for model in MODELS:
        for method, probabilities in _out_of_fold(examples, folds, model).items():
            candidates[(*model, method)] = probabilities
    losses = {key: _log_loss(probabilities, right) for key, probabilities in candidates.items()}
    chosen = min(losses, key=lambda key: (losses[key], key))  # a tie goes to the first by name
    score, calibration = _fit(examples, (chosen[0], chosen[1]), chosen[2])
    card: Json = {
        "model": f"speaker-confidence-{VERSION}",
        "trained_on": {"polnear": str(polnear), "whosaid": str(whosaid)},
        "examples": _counts(examples),
        "method": (
            f"a score of annotate.confidence's speaker and placement features, then its calibration; the score "
            f"(logistic regression, L2, C in {list(STRENGTHS)}; or {TREES} boosted regression trees of depth "
            f"{list(DEPTHS)}, learning rate {LEARNING_RATE}, {LEAF} statements a leaf) and the calibration "
            f"({', '.join(CALIBRATIONS)}) chosen by out-of-fold log loss over {FOLDS} GroupKFold folds of whole "
            f"articles (shuffled, seed {SEED}); each calibrator fitted on inner folds of its training articles; "
            f"the chosen pair refitted on every example"
        ),
        "chosen": {"score": chosen[0], "parameter": chosen[1], "calibration": chosen[2]},
        "out_of_fold_log_loss": {" ".join(map(str, key)): round(loss, 4) for key, loss in losses.items()},
        "out_of_fold": _figures(candidates[chosen], examples),
        "cue_lexicon_sha256": cue_lexicon_hash(),
    }
    if held_out is not None:
        dev = polnear_examples(held_out, cache, progress)
        shipped = SpeakerConfidence.from_parts(score, calibration)
        figures = _figures([shipped.probability(e.features) for e in dev], dev)["all"]
        card["held_out_polnear_dev"] = {"data": str(held_out), **figures}
    output.write_text(_model_text(score, calibration, card), encoding="utf-8")
    return card


def _model_text(score: Json, calibration: Calibration, card: Json) -> str:
    """The model file: indented JSON, each tree on one line."""
    trees = score.get("trees")
    placeholder = {**score, "trees": "TREES"} if trees is not None else score
    text = json.dumps({"score": placeholder, "calibration": calibration.to_json(), "card": card}, indent=1)
    if trees is not None:
        lines = ",\n   ".join(json.dumps(tree, separators=(",", ":")) for tree in trees)
        text = text.replace('"TREES"', f"[\n   {lines}\n  ]")
    return text + "\n"


def _counts(examples: Sequence[Example]) -> Json:
    counts: Json = {}
    for source in ("all", "polnear", "whosaid"):
        chosen = [e for e in examples if source in ("all", e.source)]
        counts[source] = {
            "statements": len(chosen),
            "articles": len({e.article for e in chosen}),
            "share_right": round(sum(e.right for e in chosen) / max(1, len(chosen)), 4),
        }
    return counts


def _figures(probabilities: Sequence[float], examples: Sequence[Example]) -> Json:
    """ECE (10 bins), AUROC, mean confidence and right share: over all examples and per source."""
    from newstrace.evaluate.metrics import auroc, calibration_bins, expected_calibration_error

    figures: Json = {}
    for source in ("all", "polnear", "whosaid"):
        chosen = [i for i, e in enumerate(examples) if source in ("all", e.source)]
        if not chosen:
            continue
        scores = [probabilities[i] for i in chosen]
        right = [examples[i].right for i in chosen]
        figures[source] = {
            "n": len(chosen),
            "ece_10_bins": round(expected_calibration_error(calibration_bins(scores, right)) or 0.0, 4),
            "auroc": round(auroc(scores, right) or 0.0, 4),
            "mean_confidence": round(sum(scores) / len(scores), 4),
            "share_right": round(sum(right) / len(right), 4),
        }
    return figures


def _folds(groups: Sequence[str], count: int) -> list[tuple[list[int], list[int]]]:
    """Train and test indices of ``count`` folds of whole articles (GroupKFold, shuffled with the seed)."""
    from sklearn.model_selection import GroupKFold

    splitter = GroupKFold(n_splits=count, shuffle=True, random_state=SEED)
    indices = list(range(len(groups)))
    return [(list(train), list(test)) for train, test in splitter.split(indices, groups=list(groups))]


def _out_of_fold(
    examples: Sequence[Example], folds: Sequence[tuple[list[int], list[int]]], model: tuple[str, float]
) -> dict[str, list[float]]:
    """Each example's probability, by calibration, from the model fitted on the folds without its article."""
    from newstrace.annotate.confidence import SpeakerConfidence

    probabilities = {method: [0.0] * len(examples) for method in CALIBRATIONS}
    for train, test in folds:
        part = [examples[i] for i in train]
        score = _score_model(part, model)
        inner = _inner_scores(part, model)
        for method in CALIBRATIONS:
            calibration = _calibration(method, inner, [e.right for e in part])
            fitted = SpeakerConfidence.from_parts(score, calibration)
            for index in test:
                probabilities[method][index] = fitted.probability(examples[index].features)
    return probabilities


def _fit(examples: Sequence[Example], model: tuple[str, float], method: str) -> tuple[Json, Calibration]:
    """The score model fitted on every example, and its calibration fitted on inner out-of-fold scores."""
    return _score_model(examples, model), _calibration(
        method, _inner_scores(examples, model), [e.right for e in examples]
    )


def _inner_scores(examples: Sequence[Example], model: tuple[str, float]) -> list[float]:
    """Each example's score from the model fitted on folds without its article: what a calibrator is fitted on."""
    from newstrace.annotate.confidence import Calibration, SpeakerConfidence

    scores = [0.0] * len(examples)
    for train, test in _folds([e.article for e in examples], FOLDS):
        fitted = SpeakerConfidence.from_parts(_score_model([examples[i] for i in train], model), Calibration("none"))
        for index in test:
            scores[index] = fitted.score(examples[index].features)
    return scores


def _score_model(examples: Sequence[Example], model: tuple[str, float]) -> Json:
    """The score of ``annotate.confidence.SpeakerConfidence``, fitted: logistic weights or boosted trees."""
    from sklearn.feature_extraction import DictVectorizer

    vectoriser = DictVectorizer(sparse=False)
    matrix = vectoriser.fit_transform([e.features for e in examples])
    names = [str(name) for name in vectoriser.get_feature_names_out()]
    right = [e.right for e in examples]
    if model[0] == "logistic":
        from sklearn.linear_model import LogisticRegression

        linear = LogisticRegression(C=model[1], max_iter=5000, random_state=SEED).fit(matrix, right)
        weights = {name: round(float(w), 6) for name, w in zip(names, linear.coef_[0], strict=True)}
        weights["bias"] = round(weights.get("bias", 0.0) + float(linear.intercept_[0]), 6)
        return {"kind": "logistic", "weights": dict(sorted(weights.items()))}
    from sklearn.ensemble import GradientBoostingClassifier

    boosted = GradientBoostingClassifier(
        n_estimators=TREES, learning_rate=LEARNING_RATE, max_depth=int(model[1]), min_samples_leaf=LEAF,
        random_state=SEED,
    ).fit(matrix, right)  # fmt: skip
    prior = float(boosted.init_.class_prior_[1])  # the trees add to the log-odds of the share right
    trees = []
    for estimator in boosted.estimators_[:, 0]:
        tree = estimator.tree_
        nodes: list[list[Any]] = []
        for i in range(tree.node_count):
            if tree.children_left[i] == -1:
                nodes.append([None, 0.0, 0, 0, LEARNING_RATE * float(tree.value[i][0][0])])
            else:
                nodes.append([names[tree.feature[i]], float(tree.threshold[i]), int(tree.children_left[i]),
                              int(tree.children_right[i]), 0.0])  # fmt: skip
        trees.append(nodes)
    score = {"kind": "trees", "base": math.log(prior / (1 - prior)), "trees": trees}
    _check_trees(score, boosted.decision_function(matrix), examples)
    return score


def _check_trees(score: Json, expected: Any, examples: Sequence[Example]) -> None:
    """The trees as the runtime reads them give scikit-learn's scores, or the export is wrong."""
    from newstrace.annotate.confidence import Calibration, SpeakerConfidence

    fitted = SpeakerConfidence.from_parts(score, Calibration("none"))
    worst = max(abs(fitted.score(e.features) - float(x)) for e, x in zip(examples, expected, strict=True))
    if worst > 1e-9:
        raise RuntimeError(f"exported trees differ from scikit-learn's by {worst}")


def _calibration(method: str, scores: Sequence[float], right: Sequence[bool]) -> Calibration:
    from newstrace.annotate.confidence import Calibration

    if method == "none":
        return Calibration("none")
    if method == "platt":
        from sklearn.linear_model import LogisticRegression

        platt = LogisticRegression(C=1e4, max_iter=5000).fit([[s] for s in scores], list(right))
        return Calibration("platt", slope=round(float(platt.coef_[0][0]), 6),
                           intercept=round(float(platt.intercept_[0]), 6))  # fmt: skip
    from sklearn.isotonic import IsotonicRegression

    isotonic = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(list(scores), list(right))
    return Calibration(
        "isotonic",
        scores=tuple(round(float(x), 6) for x in isotonic.X_thresholds_),
        probabilities=tuple(round(float(y), 6) for y in isotonic.y_thresholds_),
    )


def _log_loss(probabilities: Sequence[float], right: Sequence[bool]) -> float:
    total = 0.0
    for probability, is_right in zip(probabilities, right, strict=True):
        p = min(max(probability, 1e-6), 1 - 1e-6)
        total -= math.log(p if is_right else 1 - p)
    return total / max(1, len(right))
