"""Headline verdicts over FNC-1 pairs: per gold stance, the share the full headline check calls misleading."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from newstrace.assess.headline import HeadlineChecker
from newstrace.assess.stance import LABELS, Pair, StanceModel
from newstrace.evaluate._ledes import body_lede_vectors
from newstrace.evaluate.stance import SPLIT_NAMES, held_out_pairs, stance_scores

__all__ = ["TARGETS", "evaluate_verdicts"]

TARGETS = {"agree": ("<=", 0.03), "discuss": ("<=", 0.08), "disagree": (">=", 0.50), "unrelated": (">=", 0.90)}
"""Issue #12's bounds on the share flagged misleading, per gold stance: few false alarms, most refutations."""


def evaluate_verdicts(
    stances_csv: Path,
    bodies_csv: Path,
    split: str | None = None,
    model: Path | None = None,
    progress: Callable[[list[Pair]], Iterable[Pair]] | None = None,
) -> dict[str, object]:
    """Run the headline check on every pair (or ``split``'s held-out part) and count its verdicts per gold stance.

    Beside the shares, the article-level stance of the same checks is scored as FNC-1 scores it.
    """
    pairs = held_out_pairs(stances_csv, bodies_csv, split)
    checker = HeadlineChecker(StanceModel(model) if model else None)
    flagged: Counter[str] = Counter()
    reasons: dict[str, Counter[str]] = {label: Counter() for label in LABELS}
    clickbait: Counter[str] = Counter()
    totals = Counter(str(p.stance) for p in pairs)
    predicted = []
    ledes = body_lede_vectors(pairs)
    for pair in (progress or iter)(pairs):
        check = checker.check(pair.headline, pair.body, lede_vector=ledes[pair.body_id])
        gold = str(pair.stance)
        predicted.append(check.stance)
        clickbait[gold] += check.clickbait_style
        if check.misleading:
            flagged[gold] += 1
            reasons[gold][str(check.reason)] += 1
    per_stance = {}
    for label in LABELS:
        share = flagged[label] / totals[label] if totals[label] else 0.0
        sign, bound = TARGETS[label]
        per_stance[label] = {
            "pairs": totals[label],
            "misleading": flagged[label],
            "share": round(share, 4),
            "reasons": dict(reasons[label].most_common()),
            "clickbait_style": clickbait[label],
            "target": f"{sign} {bound:.0%}",
            "meets_target": share <= bound if sign == "<=" else share >= bound,
        }
    return {
        "pairs": len(pairs),
        "split": SPLIT_NAMES[split],
        "misleading": per_stance,
        "stance": stance_scores([str(p.stance) for p in pairs], predicted),
    }
