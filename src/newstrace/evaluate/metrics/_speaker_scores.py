"""Whosaid scores: each gold statement matched to a predicted quote, with statement and speaker figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from newstrace.evaluate.metrics._calibration import (
    CalibrationBin,
    auroc,
    calibration_bins,
    expected_calibration_error,
)
from newstrace.evaluate.metrics._prf import f1_score
from newstrace.evaluate.metrics._speaker_match import (
    MENTION_TYPES,
    _all_positions,
    _quote_span,
    locate,
    mention_type,
    speaker_is_right,
)

KINDS = ("direct", "indirect", "mixed")

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class StatementResult:
    """One gold statement: whether it was found and matched, and the speaker the system gave it."""

    doc: str
    content: str
    gold_speaker: str
    mention_type: str
    kind: str | None
    located: bool
    matched: bool
    pred_speaker: str | None
    speaker_right: bool
    confidence: float | None
    quote_index: int | None = None  # which of the article's predicted quotes matched it


@dataclass(frozen=True, slots=True)
class GroupScores:
    """Counts and rates over the gold statements of one mention type or one kind."""

    gold: int
    matched: int
    speaker_right: int

    @property
    def recall(self) -> float | None:
        """Matched share of the group's gold statements (None for an empty group)."""
        return self.matched / self.gold if self.gold else None

    @property
    def speaker_acc_matched(self) -> float | None:
        """Right speakers over the group's matched statements."""
        return self.speaker_right / self.matched if self.matched else None

    @property
    def speaker_acc_all(self) -> float | None:
        """Right speakers over all the group's gold statements (a missed one counts as wrong)."""
        return self.speaker_right / self.gold if self.gold else None

    def to_dict(self) -> Json:
        """The counts and rates as JSON."""
        return {
            "gold": self.gold,
            "matched": self.matched,
            "speaker_right": self.speaker_right,
            "recall": self.recall,
            "speaker_acc_matched": self.speaker_acc_matched,
            "speaker_acc_all": self.speaker_acc_all,
        }


@dataclass(slots=True)
class SpeakerScores:
    """Statement recall and precision, speaker accuracy by mention type and kind, calibration."""

    docs: int
    docs_without_prediction: list[str]
    gold_statements: int
    gold_not_located: int
    predicted_quotes: int
    matched: int
    spurious: int
    right: int
    by_mention_type: dict[str, GroupScores]
    by_kind: dict[str, GroupScores]
    ece: float | None
    auroc: float | None
    confidence_n: int
    calibration_bins: list[CalibrationBin]
    statements: list[StatementResult] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Matched gold statements over all gold statements."""
        return self.matched / self.gold_statements if self.gold_statements else 0.0

    @property
    def precision(self) -> float:
        """Predicted quotes that overlap some gold statement, over all predicted quotes."""
        return (self.predicted_quotes - self.spurious) / self.predicted_quotes if self.predicted_quotes else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        return f1_score(self.precision, self.recall)

    @property
    def speaker_acc_matched(self) -> float:
        """Right speakers over matched statements."""
        return self.right / self.matched if self.matched else 0.0

    @property
    def speaker_acc_all(self) -> float:
        """Right speakers over all gold statements (a missed statement counts as wrong)."""
        return self.right / self.gold_statements if self.gold_statements else 0.0

    def to_dict(self, details: bool = False) -> Json:
        """The figures as JSON, with the reference scorer's keys (and ``auroc``); ``details`` adds every row."""
        data: Json = {
            "docs": self.docs,
            "docs_without_prediction": list(self.docs_without_prediction),
            "gold_statements": self.gold_statements,
            "gold_not_located_in_pred_text": self.gold_not_located,
            "predicted_quotes": self.predicted_quotes,
            "matched": self.matched,
            "spurious": self.spurious,
            "recall": self.recall,
            "precision": self.precision,
            "f1": self.f1,
            "speaker_acc_matched": self.speaker_acc_matched,
            "speaker_acc_all": self.speaker_acc_all,
            "by_mention_type": {name: group.to_dict() for name, group in self.by_mention_type.items()},
            "by_kind": {name: group.to_dict() for name, group in self.by_kind.items()},
            "ece": self.ece,
            "ece_n": self.confidence_n,
            "auroc": self.auroc,
            "auroc_n": self.confidence_n,
            "calibration_bins": [b.to_dict() for b in self.calibration_bins],
        }
        if details:
            data["statements"] = [
                {
                    "doc": row.doc,
                    "content": row.content,
                    "gold_speaker": row.gold_speaker,
                    "mention_type": row.mention_type,
                    "kind": row.kind,
                    "located": row.located,
                    "matched": row.matched,
                    "pred_speaker": row.pred_speaker,
                    "speaker_right": row.speaker_right,
                    "confidence": row.confidence,
                }
                for row in self.statements
            ]
        return data


# ---------------------------------------------------------------------------------- scoring


def _doc_id(url: object) -> str | None:
    if isinstance(url, str) and url.startswith("whosaid:"):
        return url.split(":", 1)[1]
    return None


def _pair(order: list[str], predictions: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """Each gold doc's predicted article, by its ``whosaid:`` url (first wins); by position if urls were lost."""
    paired: dict[str, Mapping[str, Any]] = {}
    known = set(order)
    unpaired = False
    for prediction in predictions:
        doc = _doc_id(prediction.get("url"))
        if doc is not None and doc in known and doc not in paired:
            paired[doc] = prediction
        else:
            unpaired = True
    if unpaired and len(predictions) == len(order):
        for doc, prediction in zip(order, predictions, strict=True):
            paired.setdefault(doc, prediction)
    return paired


def _gold_position(gold_text: str, gold: Mapping[str, Any]) -> tuple[int, float]:
    """Which occurrence of its content the statement is in the gold text, and its relative position there."""
    content = gold["content"]
    start = gold.get("start")
    if not isinstance(start, int) or gold_text[start : start + len(content)] != content:
        start = gold_text.find(content)
    if start < 0:
        return 0, 0.5
    rank = sum(1 for p in _all_positions(gold_text, content) if p < start)
    return rank, start / max(1, len(gold_text))


def score_speakers(
    gold_articles: Sequence[Mapping[str, Any]],
    gold_statements: Sequence[Mapping[str, Any]],
    predictions: Sequence[Mapping[str, Any]],
) -> SpeakerScores:
    """Score predicted Article JSON objects against whosaid gold articles and statements."""
    order = [doc for doc in (_doc_id(a.get("url")) for a in gold_articles) if doc is not None]
    gold_texts = {_doc_id(a.get("url")): str(a.get("text") or "") for a in gold_articles}
    by_doc: dict[str, list[Mapping[str, Any]]] = {}
    for statement in gold_statements:
        by_doc.setdefault(statement["doc"], []).append(statement)
    paired = _pair(order, predictions)
    rows: list[StatementResult] = []
    predicted = spurious = not_located = 0
    for doc in order:
        prediction = paired.get(doc) or {}
        text = str(prediction.get("text") or "")
        spans: list[tuple[int, int, Mapping[str, Any]]] = []
        positions: list[int] = []
        for position, quote in enumerate(prediction.get("quotes") or []):
            span = _quote_span(text, quote) if isinstance(quote, Mapping) else None
            if span is not None:
                spans.append((*span, quote))
                positions.append(position)
        predicted += len(spans)
        touched = [False] * len(spans)
        for gold in by_doc.get(doc, []):
            location = locate(text, gold["content"], *_gold_position(gold_texts[doc], gold)) if text else None
            best: Mapping[str, Any] | None = None
            best_index: int | None = None
            if location is None:
                not_located += 1
            else:
                start, end = location
                best_overlap = 0
                for index, (quote_start, quote_end, quote) in enumerate(spans):
                    overlap = min(end, quote_end) - max(start, quote_start)
                    if overlap > 0:
                        touched[index] = True
                        if overlap > best_overlap:
                            best, best_overlap, best_index = quote, overlap, positions[index]
                if 2 * best_overlap < end - start:
                    best, best_index = None, None  # the quote covers less than half of the gold content
            name = _predicted_name(best) if best is not None else None
            confidence = best.get("confidence") if best is not None else None
            rows.append(
                StatementResult(
                    doc=doc,
                    content=gold["content"],
                    gold_speaker=gold["speaker"] or "(unnamed)",
                    mention_type=mention_type(gold),
                    kind=gold.get("kind"),
                    located=location is not None,
                    matched=best is not None,
                    pred_speaker=name,
                    speaker_right=best is not None and _speaker_right(best, name, gold, by_doc[doc]),
                    confidence=float(confidence) if isinstance(confidence, int | float) else None,
                    quote_index=best_index,
                )
            )
        spurious += touched.count(False)
    scored = [(row.confidence, row.speaker_right) for row in rows if row.matched and row.confidence is not None]
    confidences = [c for c, _ in scored]
    right = [r for _, r in scored]
    bins = calibration_bins(confidences, right)
    return SpeakerScores(
        docs=len(order),
        docs_without_prediction=[doc for doc in order if doc not in paired],
        gold_statements=len(rows),
        gold_not_located=not_located,
        predicted_quotes=predicted,
        matched=sum(row.matched for row in rows),
        spurious=spurious,
        right=sum(row.speaker_right for row in rows),
        by_mention_type={name: _group([r for r in rows if r.mention_type == name]) for name in MENTION_TYPES},
        by_kind={name: _group([r for r in rows if r.kind == name]) for name in KINDS},
        ece=expected_calibration_error(bins),
        auroc=auroc(confidences, right),
        confidence_n=len(scored),
        calibration_bins=bins,
        statements=rows,
    )


def _group(rows: Sequence[StatementResult]) -> GroupScores:
    return GroupScores(
        gold=len(rows),
        matched=sum(row.matched for row in rows),
        speaker_right=sum(row.speaker_right for row in rows),
    )


def _speaker_right(
    quote: Mapping[str, Any], name: str | None, gold: Mapping[str, Any], doc_golds: Sequence[Mapping[str, Any]]
) -> bool:
    """The whosaid rule; a speaker the article leaves unnamed (null in the set) is right when none is named."""
    if gold.get("speaker") is None:
        speaker = quote.get("speaker")
        return not (isinstance(speaker, Mapping) and speaker.get("name"))
    return speaker_is_right(name, gold, doc_golds)


def _predicted_name(quote: Mapping[str, Any]) -> str | None:
    speaker = quote.get("speaker")
    if not isinstance(speaker, Mapping):
        return None
    name = speaker.get("name")
    if not name:
        mention = speaker.get("mention")
        name = mention.get("text") if isinstance(mention, Mapping) else None
    return name or None
