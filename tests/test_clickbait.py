"""The clickbait classifier: the shipped model loads offline, training is deterministic, the held-out gate."""

from __future__ import annotations

import gzip
from pathlib import Path

from newstrace.assess.clickbait import MODEL_PATH, ClickbaitModel
from newstrace.training.clickbait import train_clickbait


def test_shipped_model_loads_offline_and_ranks_headlines() -> None:
    assert MODEL_PATH.is_file() and MODEL_PATH.stat().st_size < 100 * 1024 * 1024
    model = ClickbaitModel()
    bait = model.probability("You Won't Believe What This Cat Did Next")
    news = model.probability("Parliament Approves Budget After Overnight Session")
    assert bait > 0.5 > news


def test_training_is_deterministic(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    bait = [f"{n} Things You Need To Know About Cats" for n in range(5, 45)]
    news = [f"Council Approves Budget For District {n}" for n in range(5, 45)]
    (data / "clickbait_data.gz").write_bytes(gzip.compress("\n".join(bait).encode()))
    (data / "non_clickbait_data.gz").write_bytes(gzip.compress("\n".join(news).encode()))
    train_clickbait(data, tmp_path / "a.joblib")
    train_clickbait(data, tmp_path / "b.joblib")
    probe = ["17 Things About Dogs", "Council Approves Road Plan"]
    first, second = ClickbaitModel(tmp_path / "a.joblib"), ClickbaitModel(tmp_path / "b.joblib")
    assert first.probabilities(probe) == second.probabilities(probe)
