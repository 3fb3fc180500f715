"""Attribution (who said what) scored on PolNeAR: exact span P/R/F1 per role, lenient content, speakers.

Exact match is CofeNet's metric: a predicted Source, Cue or Content counts only if its boundaries
equal a gold span's, compared after trimming punctuation and whitespace at the edges. A
discontinuous gold span counts as one span per piece, as in the tag-sequence view. Lenient: a
predicted content covers at least half of a gold content's characters; its speaker then counts
when it overlaps the gold source.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newstrace.datasets.polnear import ROLES, GoldAttribution, PolnearArticle, read_brat, read_split
from newstrace.evaluate.metrics import prf_dict

if TYPE_CHECKING:
    from newstrace.model import Article

__all__ = [
    "ROLES",
    "AttributionScores",
    "GoldAttribution",
    "PolnearArticle",
    "PredictedAttribution",
    "RoleCounts",
    "newstrace_predictor",
    "read_brat",
    "read_split",
    "score",
    "textacy_predictor",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PredictedAttribution:
    """A system's attribution as character spans of the same text (source or cue may be missing)."""

    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    content: tuple[int, int]


def _trimmed(text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """The span without punctuation or whitespace at its edges (None if nothing is left)."""
    start, end = span
    piece = text[start:end]
    lead = re.match(r"^[\W_]*", piece)
    trail = re.search(r"[\W_]*$", piece)
    new_start = start + (lead.end() if lead else 0)
    new_end = end - (len(trail[0]) if trail else 0)
    return (new_start, new_end) if new_start < new_end else None


@dataclass(slots=True)
class RoleCounts:
    """True positives and totals of one role."""

    predicted: int = 0
    gold: int = 0
    correct: int = 0

    def prf(self) -> dict[str, float]:
        return prf_dict(self.correct, self.predicted, self.correct, self.gold)


@dataclass(slots=True)
class AttributionScores:
    """Exact and lenient figures over a split."""

    system: str
    articles: int = 0
    failed_articles: int = 0
    exact: dict[str, RoleCounts] = field(default_factory=lambda: {role: RoleCounts() for role in ROLES})
    lenient_predicted: int = 0
    lenient_gold: int = 0
    lenient_matched_predicted: int = 0
    lenient_matched_gold: int = 0
    speaker_matched: int = 0

    def to_dict(self) -> dict[str, object]:
        """The figures as ``newstrace evaluate attribution --json`` prints them."""
        lenient = prf_dict(
            self.lenient_matched_predicted, self.lenient_predicted, self.lenient_matched_gold, self.lenient_gold
        )
        return {
            "system": self.system,
            "articles": self.articles,
            "failed_articles": self.failed_articles,
            "exact": {role: counts.prf() for role, counts in self.exact.items()},
            "lenient_content": lenient,
            "speaker_accuracy_on_matched_contents": round(self.speaker_matched / self.lenient_matched_gold, 4)
            if self.lenient_matched_gold
            else 0.0,
        }


def score(
    articles: Sequence[PolnearArticle],
    predict: Callable[[PolnearArticle], Iterable[PredictedAttribution]],
    system: str,
    progress: Callable[[Sequence[PolnearArticle]], Iterable[PolnearArticle]] | None = None,
) -> AttributionScores:
    """Run ``predict`` on every article and score it; an article whose prediction raises counts as empty."""
    scores = AttributionScores(system)
    for article in progress(articles) if progress else articles:
        scores.articles += 1
        try:
            predicted = list(predict(article))
        except Exception as error:  # a peer system may raise on some inputs: it scores nothing there
            scores.failed_articles += 1
            logger.warning("%s failed on %s: %s", system, article.name, error)
            predicted = []
        _score_article(article, predicted, scores)
    return scores


def _score_article(article: PolnearArticle, predicted: list[PredictedAttribution], scores: AttributionScores) -> None:
    text = article.text
    for role, attribute in zip(ROLES, ("source", "cue", "content"), strict=True):
        gold = {t for a in article.attributions for piece in getattr(a, attribute) if (t := _trimmed(text, piece))}
        guesses = {t for p in predicted if (span := getattr(p, attribute)) and (t := _trimmed(text, span))}
        counts = scores.exact[role]
        counts.gold += len(gold)
        counts.predicted += len(guesses)
        counts.correct += len(gold & guesses)
    gold_contents = [(a, piece) for a in article.attributions for piece in a.content]
    scores.lenient_gold += len(gold_contents)
    scores.lenient_predicted += len(predicted)
    matched_predictions: set[int] = set()
    for attribution, (start, end) in gold_contents:
        for index, guess in enumerate(predicted):
            covered = max(0, min(end, guess.content[1]) - max(start, guess.content[0]))
            if covered * 2 >= end - start and end > start:
                scores.lenient_matched_gold += 1
                matched_predictions.add(index)
                if guess.source and any(
                    guess.source[0] < s_end and s_start < guess.source[1] for s_start, s_end in attribution.source
                ):
                    scores.speaker_matched += 1
                break
    scores.lenient_matched_predicted += len(matched_predictions)


def newstrace_predictor(statements_only: bool = False) -> Callable[[PolnearArticle], list[PredictedAttribution]]:
    """newstrace's pipeline (clean, annotate) on an article's raw text, spans mapped back to it.

    PolNeAR annotates every attribution (beliefs, evidence that "shows", sourceless passives), so by default
    it is scored on the attribution layer; ``statements_only`` scores what users see as statements.
    """
    from newstrace.model import Article, Document
    from newstrace.pipeline import Pipeline

    pipeline = Pipeline(("clean", "annotate"), config={"annotate": {"statements_only": statements_only}})

    def predict(article: PolnearArticle) -> list[PredictedAttribution]:
        document = Document(source=article.name, raw=article.text, media_type="text/plain", source_hash=article.name)
        result = pipeline.process(document)
        if not isinstance(result, Article):
            raise RuntimeError(f"{article.name}: stage {result.stage}: {result.reason}")
        predictions = []
        for quote in result.quotes:
            content = _to_raw(result, quote.content.start, quote.content.end)
            if content is None:
                continue
            source = quote.speaker.mention if quote.speaker else None
            predictions.append(
                PredictedAttribution(
                    _to_raw(result, source.start, source.end) if source else None,
                    _to_raw(result, quote.cue.start, quote.cue.end) if quote.cue else None,
                    content,
                )
            )
        return predictions

    return predict


def _to_raw(article: Article, start: int, end: int) -> tuple[int, int] | None:
    raw_start, raw_end = article.raw_offset(start), article.raw_offset(end)
    return (raw_start, raw_end) if raw_start is not None and raw_end is not None and raw_start < raw_end else None


def textacy_predictor() -> Callable[[PolnearArticle], list[PredictedAttribution]] | None:
    """textacy's ``direct_quotations`` over the same spaCy model, or None when textacy is not installed."""
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError:
        return None
    from newstrace.annotate import load_english

    nlp = load_english()

    def predict(article: PolnearArticle) -> list[PredictedAttribution]:
        doc = nlp(article.text)
        predictions = []
        for speaker, cue, content in direct_quotations(doc):
            predictions.append(
                PredictedAttribution(
                    (speaker[0].idx, speaker[-1].idx + len(speaker[-1].text)) if speaker else None,
                    (cue[0].idx, cue[-1].idx + len(cue[-1].text)) if cue else None,
                    (content.start_char, content.end_char),
                )
            )
        return predictions

    return predict
