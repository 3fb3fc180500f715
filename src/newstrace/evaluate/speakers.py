"""Who said what, with the speaker resolved, scored on the whosaid format (``../shared/eval/whosaid``).

Each gold statement is located in the predicted article's own text (exactly, else after unifying
quote marks and dashes, dropping soft hyphens and collapsing spaces) and matched to the predicted
quote whose content overlaps it most, if that overlap covers at least half of the gold content. A
predicted quote that overlaps no gold statement is spurious. The speaker is right when its name
(or, without one, the mention as written) equals the gold speaker or an accepted name, is the gold
person's full name after a title or role, or is the gold person's surname that no other person
speaking in the article's gold shares. The figures equal those of the set's reference scorer.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newstrace.evaluate.metrics import f1_score

__all__ = [
    "KINDS",
    "MENTION_TYPES",
    "CalibrationBin",
    "GroupScores",
    "SpeakerScores",
    "StatementResult",
    "auroc",
    "calibration_bins",
    "expected_calibration_error",
    "locate",
    "mention_type",
    "normalise_name",
    "predict",
    "read_gold",
    "read_predictions",
    "report_lines",
    "score_speakers",
    "speaker_is_right",
]

MENTION_TYPES = ("pronoun", "description", "name", "organisation")
KINDS = ("direct", "indirect", "mixed")
BINS = 10

_PRONOUNS = frozenset(
    {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "his", "its", "their", "who", "which", "whom"}
)
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_ARTICLES = frozenset({"the", "a", "an"})
# Typographic quote marks and dashes read as their plain forms; a no-break space as a space.
_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " ", "–": "-", "—": "-"})
_INVISIBLE = frozenset("\u00ad\u200b\ufeff")  # soft hyphen, zero-width space, byte-order mark
_WORD = re.compile(r"\w(?:[\w'.\-]*\w)?")
_EDGE_PUNCTUATION = " .,;:\"'()[]-"
_ARTICLE_PREFIX = re.compile(r"^(?:the|a|an) ")

Json = dict[str, Any]


# ------------------------------------------------------------------------------------------ results


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


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    """One of the equal-width confidence bins: its statements, their mean confidence and right share."""

    low: float
    high: float
    n: int
    right: int
    mean_confidence: float

    @property
    def accuracy(self) -> float:
        """Share of the bin's statements whose speaker is right."""
        return self.right / self.n

    def to_dict(self) -> Json:
        """The bin as JSON (the reference scorer's keys)."""
        return {
            "lo": self.low,
            "hi": self.high,
            "n": self.n,
            "right": self.right,
            "mean_conf": self.mean_confidence,
            "accuracy": self.accuracy,
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


# ------------------------------------------------------------------------------------- reading


def read_gold(folder: Path) -> tuple[list[Json], list[Json]]:
    """The articles and gold statements of a whosaid folder (``articles.jsonl``, ``statements.jsonl``)."""
    files = [folder / "articles.jsonl", folder / "statements.jsonl"]
    for path in files:
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: not a whosaid folder")
    articles = _read_jsonl(files[0], required=("url", "text"))
    statements = _read_jsonl(files[1], required=("doc", "content", "speaker"))
    return articles, statements


def _read_jsonl(path: Path, required: tuple[str, ...]) -> list[Json]:
    """One object per non-blank line, each with a string under every ``required`` key."""
    rows = []
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{number}: not JSON ({error.msg})") from None
        missing = [key for key in required if not isinstance(row, dict) or not isinstance(row.get(key), str)]
        if missing:
            raise ValueError(f"{path}:{number}: no {', '.join(missing)}")
        rows.append(row)
    return rows


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not UTF-8 ({error.reason} at byte {error.start})") from None


def read_predictions(path: Path) -> list[Json]:
    """Predicted Article JSON objects from a file: one per line, or one JSON array, or a single object."""
    raw = _read_text(path)
    if not raw.strip():
        return []
    try:
        whole = json.loads(raw)
    except json.JSONDecodeError:
        whole = None  # not one JSON value: read it line by line
    if isinstance(whole, list):
        return [item for item in whole if isinstance(item, dict)]
    if isinstance(whole, dict):
        return [whole]
    articles: list[Json] = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{number}: not JSON ({error.msg})") from None
        if isinstance(item, dict):
            articles.append(item)
        elif isinstance(item, list):
            articles.extend(element for element in item if isinstance(element, dict))
    return articles


def predict(
    articles_path: Path,
    progress: Callable[[list[Any]], Iterable[Any]] | None = None,
) -> tuple[list[Json], list[str]]:
    """The pipeline's Article JSON for each article of a whosaid ``articles.jsonl``, as ``analyze --json`` prints it.

    Returns the predictions and one ``SOURCE: REASON`` line per input that did not go through.
    """
    # Imported here: scoring a saved prediction file needs neither spaCy nor the models.
    from newstrace.ingest import iter_documents
    from newstrace.model import Failure
    from newstrace.run.local import InProcessRunner

    if not articles_path.is_file():
        raise FileNotFoundError(f"{articles_path} is missing: not a whosaid folder")
    documents = list(iter_documents([str(articles_path)]))
    runner = InProcessRunner()
    predictions: list[Json] = []
    skipped: list[str] = []
    for document in progress(documents) if progress else documents:
        for result in runner.run([document]):
            if isinstance(result, Failure):
                skipped.append(f"{result.source}: {result.reason}")
            else:
                predictions.append(result.to_json_dict())
    return predictions, skipped


# ----------------------------------------------------------------------------- locating spans


def _all_positions(text: str, needle: str) -> list[int]:
    """Every start of ``needle`` in ``text``, overlapping ones included."""
    positions = []
    found = text.find(needle)
    while found >= 0:
        positions.append(found)
        found = text.find(needle, found + 1)
    return positions


def _normalised(text: str) -> tuple[str, list[int]]:
    """``text`` with plain quote marks and dashes, no invisible characters and single spaces; and for each
    character kept, its offset in ``text``."""
    kept: list[str] = []
    offsets: list[int] = []
    after_space = False
    for offset, character in enumerate(text):
        if character in _INVISIBLE:
            continue
        character = character.translate(_PLAIN)
        is_space = character.isspace()
        if is_space and after_space:
            continue
        after_space = is_space
        kept.append(" " if is_space else character)
        offsets.append(offset)
    return "".join(kept), offsets


def _pick(positions: list[int], rank: int, relative: float, length: int) -> int:
    """The ``rank``-th occurrence, as in the gold text; else the one nearest the same relative position."""
    if rank < len(positions):
        return positions[rank]
    return min(positions, key=lambda p: abs(p / max(1, length) - relative))


def locate(text: str, content: str, rank: int, relative: float) -> tuple[int, int] | None:
    """Where a gold content lies in the predicted text (exact search first, then normalised), or None."""
    positions = _all_positions(text, content)
    if positions:
        start = _pick(positions, rank, relative, len(text))
        return start, start + len(content)
    plain_text, offsets = _normalised(text)
    plain_content = _normalised(content)[0].strip()
    if not plain_content:
        return None
    positions = _all_positions(plain_text, plain_content)
    if not positions:
        return None
    start = _pick(positions, rank, relative, len(plain_text))
    return offsets[start], offsets[start + len(plain_content) - 1] + 1


def _nearest(positions: list[int], anchor: int) -> int:
    return min(positions, key=lambda p: abs(p - anchor))


def _quote_span(text: str, quote: Mapping[str, Any]) -> tuple[int, int] | None:
    """A predicted quote's content span: its offsets when they hold its text, else where its text is found."""
    content = quote.get("content") or {}
    if isinstance(content, str):
        content = {"text": content}
    if not isinstance(content, Mapping):
        return None
    words = content.get("text") or ""
    start, end = content.get("start"), content.get("end")
    anchor = start if isinstance(start, int) else None
    offsets = (start, end) if isinstance(start, int) and isinstance(end, int) else None
    in_text = offsets is not None and 0 <= offsets[0] < offsets[1] <= len(text)
    if offsets is not None and in_text and (not words or text[offsets[0] : offsets[1]] == words):
        return offsets
    if words:
        positions = _all_positions(text, words)
        if positions:
            best = positions[0] if anchor is None else _nearest(positions, anchor)
            return best, best + len(words)
    if offsets is not None and offsets[0] < offsets[1]:
        return offsets
    return None


# ------------------------------------------------------------------------------ speaker rule


def normalise_name(name: str | None) -> str:
    """A name compared as the rule says: casefolded, plain quote marks, no edge punctuation or leading article."""
    if not name:
        return ""
    plain = unicodedata.normalize("NFKC", name).translate(_PLAIN).casefold()
    plain = " ".join(plain.split()).strip(_EDGE_PUNCTUATION)
    return _ARTICLE_PREFIX.sub("", plain)


def _name_words(name: str) -> list[str]:
    return _WORD.findall(name)


def _is_unshared_surname(predicted: str, gold: Mapping[str, Any], doc_golds: Sequence[Mapping[str, Any]]) -> bool:
    """The gold person's surname (a suffix such as Jr. aside) that no other person speaking in the doc has."""
    if gold.get("speaker_kind") != "person":
        return False
    surname = normalise_name(predicted)
    if not surname or " " in surname:
        return False
    full = normalise_name(gold.get("speaker"))
    gold_words = _name_words(full)
    while gold_words and gold_words[-1] in _SUFFIXES:
        gold_words.pop()
    if len(gold_words) < 2 or gold_words[-1] != surname:
        return False
    for other in doc_golds:
        other_name = normalise_name(other.get("speaker"))
        if other.get("speaker_kind") == "person" and other_name != full and surname in _name_words(other_name):
            return False  # two people share the surname: the bare surname does not say which
    return True


def speaker_is_right(predicted: str | None, gold: Mapping[str, Any], doc_golds: Sequence[Mapping[str, Any]]) -> bool:
    """Whether a predicted speaker name names the gold statement's speaker (``doc_golds``: the doc's statements)."""
    name = normalise_name(predicted)
    if not name:
        return False
    accepted = [gold.get("speaker"), *(gold.get("accept") or [])]
    if name in {normalise_name(a) for a in accepted}:
        return True
    full = normalise_name(gold.get("speaker"))
    if gold.get("speaker_kind") == "person" and len(_name_words(full)) >= 2 and name.endswith(" " + full):
        return True  # a title or role before the full name: "Spokeswoman Jane Doe"
    return _is_unshared_surname(predicted or "", gold, doc_golds)


def _capitalised_words(text: str) -> set[str]:
    return {w.lower().rstrip("'s") for w in _name_words(text) if w[0].isupper()} - _ARTICLES


def mention_type(gold: Mapping[str, Any]) -> str:
    """The gold statement's mention type; guessed from its mention where the annotation lacks one."""
    given = gold.get("mention_type")
    if given in MENTION_TYPES:
        return str(given)
    mention = (gold.get("mention") or "").strip()
    if mention.lower() in _PRONOUNS:
        return "pronoun"
    names = [gold.get("speaker") or "", *(gold.get("accept") or [])]
    if _capitalised_words(mention) & set().union(*(_capitalised_words(n) for n in names)):
        kind = gold.get("speaker_kind")
        if kind in ("organization", "group"):
            return "organisation"
        return "description" if kind == "unnamed" else "name"
    return "description"


def _predicted_name(quote: Mapping[str, Any]) -> str | None:
    speaker = quote.get("speaker")
    if not isinstance(speaker, Mapping):
        return None
    name = speaker.get("name")
    if not name:
        mention = speaker.get("mention")
        name = mention.get("text") if isinstance(mention, Mapping) else None
    return name or None


# ---------------------------------------------------------------------------- calibration


def _bin_index(confidence: float) -> int:
    return min(int(confidence * BINS), BINS - 1)


def calibration_bins(confidences: Sequence[float], right: Sequence[bool]) -> list[CalibrationBin]:
    """The non-empty equal-width bins over [0, 1] (confidences clipped into it)."""
    members: list[list[tuple[float, bool]]] = [[] for _ in range(BINS)]
    for confidence, is_right in zip(confidences, right, strict=True):
        clipped = min(max(float(confidence), 0.0), 1.0)
        members[_bin_index(clipped)].append((clipped, is_right))
    bins = []
    for index, items in enumerate(members):
        if items:
            total = 0.0
            for clipped, _ in items:
                total += clipped
            right_count = sum(is_right for _, is_right in items)
            bins.append(CalibrationBin(index / BINS, (index + 1) / BINS, len(items), right_count, total / len(items)))
    return bins


def expected_calibration_error(bins: Sequence[CalibrationBin]) -> float | None:
    """Sum over bins of the bin's share of statements times |mean confidence - right share| (None when empty)."""
    count = sum(b.n for b in bins)
    if not count:
        return None
    error = 0.0
    for b in bins:
        error += b.n / count * abs(b.mean_confidence - b.accuracy)
    return error


def auroc(confidences: Sequence[float], right: Sequence[bool]) -> float | None:
    """Chance that a right statement has the higher confidence than a wrong one, ties counting half.

    The Mann–Whitney U over average ranks; None when only one class is present (it is undefined).
    """
    positives = sum(right)
    negatives = len(right) - positives
    if not positives or not negatives:
        return None
    order = sorted(range(len(confidences)), key=lambda i: confidences[i])
    ranks = [0.0] * len(order)
    first = 0
    while first < len(order):
        last = first
        while last + 1 < len(order) and confidences[order[last + 1]] == confidences[order[first]]:
            last += 1
        shared_rank = (first + last) / 2 + 1  # tied values share the mean of their 1-based ranks
        for position in range(first, last + 1):
            ranks[order[position]] = shared_rank
        first = last + 1
    rank_sum = sum(rank for rank, is_right in zip(ranks, right, strict=True) if is_right)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


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
                    gold_speaker=gold["speaker"],
                    mention_type=mention_type(gold),
                    kind=gold.get("kind"),
                    located=location is not None,
                    matched=best is not None,
                    pred_speaker=name,
                    speaker_right=best is not None and speaker_is_right(name, gold, by_doc[doc]),
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


# ---------------------------------------------------------------------------------- report


def _percent(value: float | None) -> str:
    return "    - " if value is None else f"{100 * value:5.1f}%"


def report_lines(scores: SpeakerScores, details: bool = False) -> list[str]:
    """The figures as a plain-text report; ``details`` adds each missed or wrongly attributed statement."""
    lines = []
    if scores.docs_without_prediction:
        missing = scores.docs_without_prediction
        lines.append(f"  docs without a predicted article: {len(missing)} ({', '.join(missing[:8])})")
    ece = "-" if scores.ece is None else f"{scores.ece:.3f}"
    auc = "- (needs right and wrong speakers)" if scores.auroc is None else f"{scores.auroc:.3f}"
    lines += [
        f"  gold statements            {scores.gold_statements:5d}"
        f"   (content not found in predicted text: {scores.gold_not_located})",
        f"  predicted quotes           {scores.predicted_quotes:5d}",
        f"  matched gold               {scores.matched:5d}   recall     {_percent(scores.recall)}",
        f"  spurious predictions       {scores.spurious:5d}   precision  {_percent(scores.precision)}",
        f"                                     F1         {_percent(scores.f1)}",
        f"  speaker accuracy, matched          {_percent(scores.speaker_acc_matched)}",
        f"  speaker accuracy, all gold         {_percent(scores.speaker_acc_all)}",
        f"  ECE of speaker-right (10 bins, n={scores.confidence_n})  {ece}",
        f"  AUROC of confidence for speaker-right (n={scores.confidence_n})  {auc}",
        "",
    ]
    for heading, groups in (("by gold mention type", scores.by_mention_type), ("by statement kind", scores.by_kind)):
        lines.append(f"  {heading:<26}gold  matched  recall  spk|matched  spk|all")
        for name, group in groups.items():
            lines.append(
                f"    {name:<22}{group.gold:6d}{group.matched:9d}  {_percent(group.recall)}"
                f"      {_percent(group.speaker_acc_matched)}   {_percent(group.speaker_acc_all)}"
            )
    if scores.calibration_bins:
        lines.append("  calibration bins (confidence -> n, mean conf, speaker-right rate)")
        for b in scores.calibration_bins:
            lines.append(
                f"    [{b.low:.1f},{b.high:.1f})  n={b.n:4d}  conf={b.mean_confidence:.2f}  right={b.accuracy:.2f}"
            )
    if details:
        lines.append("  statements missed or with a wrong speaker")
        for row in scores.statements:
            if row.speaker_right:
                continue
            given = row.pred_speaker or "(no speaker)"
            found = "not located" if not row.located else ("missed" if not row.matched else f"→ {given}")
            content = row.content if len(row.content) <= 70 else row.content[:67] + "…"
            lines.append(f"    {row.doc} {row.mention_type:<12} {row.gold_speaker} {found}: {content!r}")
    return lines
