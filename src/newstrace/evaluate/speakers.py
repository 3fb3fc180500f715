"""Who said what, with the speaker resolved, scored on the whosaid format (``../shared/eval/whosaid``).

Each gold statement is located in the predicted article's own text (exactly, else after unifying
quote marks and dashes, dropping soft hyphens and collapsing spaces) and matched to the predicted
quote whose content overlaps it most, if that overlap covers at least half of the gold content. A
predicted quote that overlaps no gold statement is spurious. The speaker is right when its name
(or, without one, the mention as written) equals the gold speaker or an accepted name, is the gold
person's full name after a title or role, or is the gold person's surname that no other person
speaking in the article's gold shares. The figures equal those of the set's reference scorer.

The rule and the scores live in ``newstrace.evaluate.metrics`` (training labels statements with them too) and the
readers in ``newstrace.datasets.whosaid``; this module runs the pipeline over the set and writes the report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from newstrace.datasets.whosaid import Json, read_gold, read_predictions
from newstrace.evaluate.metrics import SpeakerScores, score_speakers

# The readers and the scorer are re-exported: the command reads, predicts, scores and reports through this module.
__all__ = ["predict", "read_gold", "read_predictions", "report_lines", "score_speakers"]


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
