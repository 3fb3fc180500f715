"""Headline stance: the FNC-1 metric, the split, training determinism, the shipped model."""

from __future__ import annotations

import csv
import json
import pickle
from pathlib import Path

import pytest

from newstrace.assess.stance import (
    LABELS,
    MODEL_PATH,
    Pair,
    StanceFeaturizer,
    StanceModel,
    split_sentences,
    word_stems,
)
from newstrace.datasets.fnc1 import in_dev_split
from newstrace.evaluate.stance import fnc_score
from newstrace.lexicon import stance_lexicon_hash
from newstrace.training.stance import train_stance


def test_fnc_score_by_hand() -> None:
    gold = ["agree", "unrelated", "discuss", "disagree"]
    # agree right: 1.0; unrelated right: 0.25; discuss called agree: 0.25; disagree called unrelated: 0.
    assert fnc_score(gold, ["agree", "unrelated", "agree", "unrelated"]) == (1.5, 3.25)


def test_dev_split_is_by_body_and_stable() -> None:
    held = [body for body in map(str, range(2000)) if in_dev_split(body)]
    assert 300 < len(held) < 500
    assert held == [body for body in map(str, range(2000)) if in_dev_split(body)]


def write_fnc(folder: Path) -> tuple[Path, Path]:
    bodies = {
        str(n): f"Officials in town {n} confirmed the bridge collapsed on Monday. Engineers said the bridge collapsed."
        if n % 2
        else f"Reports that the bridge in town {n} collapsed are false, officials said. The claim is a hoax."
        for n in range(40)
    }
    rows = []
    for n in range(40):
        rows.append(
            {"Headline": f"Bridge collapses in town {n}", "Body ID": str(n), "Stance": "agree" if n % 2 else "disagree"}
        )
        rows.append({"Headline": "Football club signs new striker", "Body ID": str(n), "Stance": "unrelated"})
        rows.append({"Headline": f"Did the bridge in town {n} collapse?", "Body ID": str(n), "Stance": "discuss"})
    stances, bodies_file = folder / "stances.csv", folder / "bodies.csv"
    with stances.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, ["Headline", "Body ID", "Stance"])
        writer.writeheader()
        writer.writerows(rows)
    with bodies_file.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, ["Body ID", "articleBody"])
        writer.writeheader()
        writer.writerows({"Body ID": k, "articleBody": v} for k, v in bodies.items())
    return stances, bodies_file


def test_training_is_deterministic(tmp_path: Path) -> None:
    stances, bodies = write_fnc(tmp_path)
    train_stance(stances, bodies, tmp_path / "a.joblib")
    train_stance(stances, bodies, tmp_path / "b.joblib")
    pair = [Pair("Bridge collapses in town 99", "x", "Officials said reports of a collapse are a hoax.", None)]
    assert StanceModel(tmp_path / "a.joblib").predict(pair) == StanceModel(tmp_path / "b.joblib").predict(pair)


def test_the_shipped_model_was_trained_with_todays_stance_lexicon(tmp_path: Path) -> None:
    card = json.loads(MODEL_PATH.with_suffix(".json").read_text())
    assert card["stance_lexicon_sha256"] == stance_lexicon_hash(), "the stance lexicon changed: run make train-stance"
    stances, bodies = write_fnc(tmp_path)
    assert train_stance(stances, bodies, tmp_path / "m.joblib")["stance_lexicon_sha256"] == stance_lexicon_hash()


def test_shipped_model_loads_offline() -> None:
    assert MODEL_PATH.is_file() and MODEL_PATH.stat().st_size < 100 * 1024 * 1024
    (probabilities,) = StanceModel().predict(
        [Pair("Bridge collapses in Genoa", "1", "The bridge in Genoa collapsed on Tuesday, officials said.", None)]
    )
    assert set(probabilities) == set(LABELS) and sum(probabilities.values()) == pytest.approx(1.0)
    assert max(probabilities, key=lambda label: probabilities[label]) != "unrelated"
    # stance-v4 pickled the featuriser as ``_Featurizer``: the alias loads it as the public class.
    assert type(StanceModel()._featurizer) is StanceFeaturizer


def test_training_pickles_the_public_featuriser() -> None:
    pickled = pickle.dumps(StanceFeaturizer())
    assert b"StanceFeaturizer" in pickled and b"_Featurizer" not in pickled


def test_flat_forest_predicts_as_scikit_learn_does() -> None:
    model = StanceModel()
    pairs = [
        Pair("Bridge collapses in Genoa", "1", "The bridge in Genoa collapsed on Tuesday, officials said.", None),
        Pair("Bridge collapses in Genoa", "2", "Reports of a collapse are a hoax, the mayor said. Not true.", None),
        Pair("Football club signs striker", "1", "The bridge in Genoa collapsed on Tuesday, officials said.", None),
    ]
    rows = model._featurizer.rows(pairs)
    rows.append([float("nan")] * len(rows[0]))  # missing values follow each split's learned direction
    assert model._forest.predict_proba(rows) == pytest.approx(model._classifier.predict_proba(rows), abs=1e-12)


@pytest.mark.parametrize(
    ("words", "stem"),
    [(("Ukraine", "Ukrainian"), "ukrai"), (("plan", "plans"), "plan"), (("ban", "banned"), "ban"),
     (("force", "forces"), "force"), (("tax", "taxes"), "tax"), (("call", "called"), "call")],
)  # fmt: skip
def test_word_stems_meet_across_inflections(words: tuple[str, str], stem: str) -> None:
    assert word_stems(words[0]) == word_stems(words[1]) == {stem}


def test_sentences_do_not_end_at_initials_or_titles() -> None:
    text = (
        "In a clip for Mary J. Blige's show, Blige sings. Sen. Warren met Dr. Smith. It ended at 5 p.m. Then he left."
    )
    assert [text[a:b] for a, b in split_sentences(text, abbreviations=True)] == [
        "In a clip for Mary J. Blige's show, Blige sings.",
        "Sen. Warren met Dr. Smith.",
        "It ended at 5 p.m.",
        "Then he left.",
    ]


def test_doubt_features_read_the_sentences_about_the_claim() -> None:
    body = (
        "Pictures of a shark swimming in the flooded streets of Houston were shared widely on Sunday. "
        "The shark in the flooded streets turned out to be a doctored photo, fact-checkers said. "
        "There was no shark swimming in the streets, police said. The city council met on Monday."
    )
    other = "The city council approved a new budget for libraries. Opening hours will be extended at four branches."
    featurizer = StanceFeaturizer().fit([body, other])
    headline = "Shark Swims in Flooded Houston Streets"
    rows = featurizer.rows([Pair(headline, "1", body, None), Pair(headline, "2", other, None)])
    density, related_doubt, lede_doubt, negated, refuted, negative_headline, doubt_share = rows[0][-7:]
    assert density > 0 and related_doubt > 0 and lede_doubt == 1.0 and doubt_share >= 0.4
    assert negated >= 0.5 and refuted == 0.0 and negative_headline == 0.0
    assert rows[1][-7:-4] == [0.0, 0.0, 0.0]  # no doubting word in the unrelated body
    (hoax_row,) = featurizer.rows([Pair("Shark photo exposed as hoax", "1", body, None)])
    assert hoax_row[-2] == 1.0  # the headline reports the hoax itself
