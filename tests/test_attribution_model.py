"""The attribution tagger: labels round-trip, training is deterministic, the shipped model loads offline."""

from __future__ import annotations

from pathlib import Path

from newstrace.annotate import load_english
from newstrace.annotate.attribution_model import MODEL_PATH, AttributionTagger, decode, lexicon_path, token_labels
from newstrace.training.attribution import learn_cue_lexicon, train

TEXT = 'Officials said the bridge would close. "It is unsafe," the mayor told reporters.'


def test_labels_round_trip_through_decoding() -> None:
    doc = load_english()(TEXT)
    spans = [
        ("Source", 0, 9),
        ("Cue", 10, 14),
        ("Content", 15, 37),
        ("Content", 39, 54),
        ("Source", 55, 64),
        ("Cue", 65, 69),
    ]
    labels = token_labels(doc, 0, spans)
    assert labels[:3] == ["B-SRC", "B-CUE", "B-CNT"]
    assert decode(doc, 0, labels) == spans


def tiny_split(folder: Path) -> Path:
    (folder / "text").mkdir(parents=True)
    (folder / "attributions").mkdir()
    (folder / "text" / "a.txt").write_text(TEXT + "\n")
    (folder / "attributions" / "a_x.ann").write_text(
        "T1\tSource 0 9\tOfficials\nT2\tCue 10 14\tsaid\nT3\tContent 15 37\tthe bridge would close\n"
        "E1\tContent:T3 Cue:T2 Source:T1\n"
    )
    return folder


def test_cue_lexicon_keeps_words_seen_often_enough_in_a_cue() -> None:
    words = [("say/VERB", True)] * 4 + [("say/VERB", False)] + [("show/VERB", True), ("show/VERB", False)] * 3
    words += [("the/DET", False)] * 9 + [("claim/NOUN", True)] * 2
    assert learn_cue_lexicon(words) == {"say/VERB": 0.8, "show/VERB": 0.5}
    assert learn_cue_lexicon(words, minimum=1)["claim/NOUN"] == 1.0


def test_training_is_deterministic(tmp_path: Path) -> None:
    split = tiny_split(tmp_path / "split")
    first, second = tmp_path / "one.crfsuite", tmp_path / "two.crfsuite"
    train(split, first)
    train(split, second)
    assert first.read_bytes() == second.read_bytes()
    assert lexicon_path(first).read_text() == lexicon_path(second).read_text()
    tagger = AttributionTagger(first)
    doc = load_english()(TEXT)
    assert ("Cue", 10, 14) in tagger.spans([(0, doc)])


def test_shipped_model_loads_offline() -> None:
    assert MODEL_PATH.is_file(), "the trained model ships with the package"
    assert MODEL_PATH.stat().st_size + lexicon_path(MODEL_PATH).stat().st_size < 50 * 1024 * 1024
    tagger = AttributionTagger()
    doc = load_english()('"We will not raise taxes," the minister said on Monday.')
    roles = {role for role, _, _ in tagger.spans([(0, doc)])}
    assert {"Cue", "Content"} <= roles
