"""The evaluation gate: every pinned floor, from tests/eval_baseline.json, checked against one run of its evaluation.

Each task's evaluation runs once (the library call its ``command`` runs) and every figure the baseline names is
checked; a failure lists every figure below its floor. Needs ``../shared/eval``: skipped, with the reason, without it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from conftest import shared_path

BASELINE_PATH = Path(__file__).with_name("eval_baseline.json")
BASELINE = json.loads(BASELINE_PATH.read_text(encoding="utf-8"))
RELATIONS = ("min", "max", "equals", "not_below", "above")


def _extraction() -> dict[str, Any]:
    from newstrace.evaluate.extraction import evaluate_extraction

    return evaluate_extraction(shared_path("eval", "aeb")).to_dict()


def _fnc1() -> tuple[Path, Path]:
    folder = shared_path("eval", "fnc1")
    return folder / "train_stances.csv", folder / "train_bodies.csv"


def _stance() -> dict[str, Any]:
    from newstrace.evaluate.stance import evaluate_stance

    return evaluate_stance(*_fnc1(), split="stories")


def _verdicts() -> dict[str, Any]:
    from newstrace.evaluate.verdicts import evaluate_verdicts

    return evaluate_verdicts(*_fnc1(), split="stories")


def _stories() -> dict[str, Any]:
    from newstrace.evaluate.stories import evaluate_stories

    return evaluate_stories(*_fnc1())


def _speakers(name: str = "whosaid") -> dict[str, Any]:
    from newstrace.evaluate.speakers import predict, read_gold, score_speakers

    dev = shared_path("eval", name, "dev")
    articles, statements = read_gold(dev)
    predictions, _ = predict(dev / "articles.jsonl")
    return score_speakers(articles, statements, predictions).to_dict()


def _speaker_confidence(scratch: Path) -> dict[str, Any]:
    from newstrace.annotate.confidence import MODEL_PATH
    from newstrace.training.speaker_confidence import train_speaker_confidence

    retrained = scratch / "confidence.json"
    polnear = shared_path("eval", "polnear")
    card = train_speaker_confidence(
        shared_path("eval", "whosaid", "dev"), polnear / "train", retrained, held_out=polnear / "dev", progress=False
    )
    fitted = ("score", "calibration")
    shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    again = json.loads(retrained.read_text(encoding="utf-8"))
    # A fresh run gives the shipped model, or the shipped model is stale: run make train-confidence.
    return {**card, "weights_equal_shipped": all(again[key] == shipped[key] for key in fitted)}


def _stream() -> dict[str, Any]:
    from newstrace.evaluate.stream import evaluate_stream

    report, _ = evaluate_stream(shared_path("eval", "stream"), shared_path("eval", "aeb"), shared_path("eval", "fnc1"))
    return report


def _clickbait() -> dict[str, Any]:
    from newstrace.evaluate.clickbait import evaluate_clickbait

    return evaluate_clickbait(shared_path("eval", "clickbait"))


def _entities_ru() -> dict[str, Any]:
    from newstrace.evaluate.entities_ru import evaluate_entities_ru

    return evaluate_entities_ru(shared_path("eval", "factru", "dev")).to_dict()


EVALUATIONS: dict[str, Callable[[Path], Mapping[str, Any]]] = {
    "extraction": lambda _: _extraction(),
    "stance": lambda _: _stance(),
    "verdicts": lambda _: _verdicts(),
    "stories": lambda _: _stories(),
    "speakers": lambda _: _speakers(),
    "speakers-ru": lambda _: _speakers("whosaid-ru"),
    "speaker_confidence": _speaker_confidence,
    "clickbait": lambda _: _clickbait(),
    "stream": lambda _: _stream(),
    "entities_ru": lambda _: _entities_ru(),
}


def value_at(report: Mapping[str, Any], path: str) -> Any:
    """The value a ``/``-separated path names in a report (keys may hold dots and spaces)."""
    found: Any = report
    for key in path.split("/"):
        if not isinstance(found, Mapping) or key not in found:
            raise KeyError(f"{path}: no {key!r} in the report")
        found = found[key]
    return found


def misses(report: Mapping[str, Any], floors: Mapping[str, Any]) -> list[str]:
    """Every figure of ``report`` that its floors in the baseline do not allow, as readable lines."""
    failed = []
    for relation in RELATIONS:
        for path, bound in floors.get(relation, {}).items():
            value = value_at(report, path)
            if relation == "min" and not value >= bound:
                failed.append(f"{path} = {value}, below the floor {bound}")
            elif relation == "max" and not value <= bound:
                failed.append(f"{path} = {value}, above the ceiling {bound}")
            elif relation == "equals" and value != bound:
                failed.append(f"{path} = {value!r}, not {bound!r}")
            elif relation == "not_below" and not value >= value_at(report, bound):
                failed.append(f"{path} = {value}, below {bound} = {value_at(report, bound)}")
            elif relation == "above" and not value > value_at(report, bound):
                failed.append(f"{path} = {value}, not above {bound} = {value_at(report, bound)}")
    return failed


def test_the_baseline_is_versioned_and_every_task_has_an_evaluation() -> None:
    assert BASELINE["version"] == 1
    assert set(BASELINE["floors"]) == set(EVALUATIONS)
    for task, floors in BASELINE["floors"].items():
        assert floors.get("command"), f"{task}: no command to reproduce it"
        assert set(floors) <= {"command", "note", *RELATIONS}, f"{task}: unknown keys {set(floors)}"
        assert any(floors.get(relation) for relation in RELATIONS), f"{task}: no floor"


def test_misses_reads_every_relation() -> None:
    report = {"a": {"f1": 0.5, "x.y": 2}, "b": {"f1": 0.5}, "n": 3}
    floors = {"min": {"a/f1": 0.6}, "max": {"a/x.y": 1}, "equals": {"n": 4}, "above": {"a/f1": "b/f1"}}
    assert len(misses(report, floors)) == 4
    assert misses(report, {"min": {"a/f1": 0.5}, "not_below": {"a/f1": "b/f1"}, "equals": {"n": 3}}) == []
    with pytest.raises(KeyError, match="no 'g1'"):
        misses(report, {"min": {"a/g1": 0.1}})


@pytest.mark.slow
@pytest.mark.parametrize("task", sorted(BASELINE["floors"]))
def test_evaluation_gate(task: str, tmp_path: Path) -> None:
    report = EVALUATIONS[task](tmp_path)
    failed = misses(report, BASELINE["floors"][task])
    assert not failed, f"{task} ({BASELINE['floors'][task]['command']}):\n" + "\n".join(failed)
