"""Stories and the story split of FNC-1 pairs; `evaluate verdicts` on FNC-format files written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.assess.stance import Pair
from newstrace.datasets.fnc1 import split_pairs, stories
from newstrace.evaluate.verdicts import TARGETS, evaluate_verdicts
from newstrace.training.stance import train_stance
from test_stance import write_fnc


def pair(headline: str, body_id: str, stance: str) -> Pair:
    return Pair(headline, body_id, f"body {body_id}", stance)


def test_bodies_linked_by_a_related_headline_are_one_story() -> None:
    pairs = [
        pair("Bridge collapses", "1", "agree"),
        pair("Bridge collapses", "2", "discuss"),
        pair("Bridge in town collapsed?", "2", "disagree"),
        pair("Bridge in town collapsed?", "3", "agree"),
        pair("Bridge collapses", "9", "unrelated"),  # an unrelated pair links nothing
        pair("Striker signs", "9", "agree"),
        pair("Striker signs", "10", "discuss"),
    ]
    assert stories(pairs) == {"1": "1", "2": "1", "3": "1", "9": "9", "10": "9"}
    assert stories(list(reversed(pairs))) == stories(pairs)


def test_story_split_holds_out_whole_stories_and_their_headlines() -> None:
    pairs = [pair(f"claim {n % 50}", str(n), "agree") for n in range(400)]
    pairs += [pair(f"claim {(n + 7) % 50}", str(n), "unrelated") for n in range(400)]
    train, held = split_pairs(pairs, "stories")
    story_of = stories(pairs)
    held_stories = {story_of[p.body_id] for p in held}
    assert 0 < len(held_stories) < 50
    assert not {story_of[p.body_id] for p in train} & held_stories
    held_claims = {p.headline for p in held if p.stance != "unrelated"}
    assert not {p.headline for p in train} & held_claims
    validation_train, validation = split_pairs(pairs, "stories-validation")
    assert not {story_of[p.body_id] for p in validation} & held_stories
    assert {id(p) for p in validation_train} <= {id(p) for p in train}
    with pytest.raises(ValueError, match="unknown split"):
        split_pairs(pairs, "sentences")


def test_verdicts_are_counted_per_gold_stance(tmp_path: Path) -> None:
    stances, bodies = write_fnc(tmp_path)
    model = tmp_path / "stance.joblib"
    train_stance(stances, bodies, model, split="bodies")
    report = evaluate_verdicts(stances, bodies, model=model)
    assert report["pairs"] == 120
    per_stance = report["misleading"]
    assert isinstance(per_stance, dict) and set(per_stance) == set(TARGETS)
    assert sum(row["pairs"] for row in per_stance.values()) == 120
    for row in per_stance.values():
        assert sum(row["reasons"].values()) == row["misleading"]
        assert row["share"] == pytest.approx(row["misleading"] / row["pairs"] if row["pairs"] else 0, abs=1e-4)
    # "Football club signs new striker" over a bridge body: every unrelated pair is flagged, as unrelated.
    assert per_stance["unrelated"]["reasons"] == {"unrelated": 40}
    # Bodies that confirm the collapse are never called misleading.
    assert per_stance["agree"]["misleading"] == 0
    stance = report["stance"]
    assert isinstance(stance, dict) and 0 <= float(stance["fnc_score"]) <= 100
