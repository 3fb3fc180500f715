"""The speaker-confidence model: its features, its calibration, its trees, and how training labels PolNeAR."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from newstrace.annotate.confidence import Calibration, SpeakerConfidence, placement_features, speaker_features
from newstrace.annotate.speakers import Resolution
from newstrace.model import Article, Entity, Mention, Quote, Speaker

TEXT = "Mayor Ana Duarte said the bridge would reopen in May. Her deputy, Tom Reyes, later disagreed."


def _span(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


def test_placement_sees_a_source_in_the_contents_sentence_next_to_its_cue() -> None:
    features = placement_features(
        TEXT, _span(TEXT, "Mayor Ana Duarte"), _span(TEXT, "the bridge would reopen in May"), _span(TEXT, "said")
    )
    assert features["cue_between"] == 1.0 and features["sentences_between"] == 0.0
    assert features["source_after_content"] == 0.0 and features["names_between"] == 0.0


def test_placement_sees_a_source_sentences_away_past_another_name() -> None:
    text = '"We will not wait," the statement read. Ana Duarte, the mayor, met Tom Reyes. Reyes left.'
    last_reyes = (text.rindex("Reyes"), text.rindex("Reyes") + len("Reyes"))
    features = placement_features(text, last_reyes, _span(text, "We will not wait"), None)
    assert features["source_after_content"] == 1.0 and features["sentences_between"] == 2.0
    assert features["names_between"] >= 2.0 and features["quote_marks_between"] == 1.0


def test_placement_of_a_statement_without_a_source_phrase() -> None:
    assert placement_features(TEXT, None, (0, 10), None) == {"no_source": 1.0}


def test_a_mention_glued_from_page_furniture_is_marked_and_a_name_with_an_inner_capital_is_not() -> None:
    resolution = Resolution("Kristi Noem", "person:kristi-noem", "named")
    assert speaker_features(resolution, "direct", True, "Kristi NoemKristi")["glued_mention"] == 1.0
    for name in ("John McCain", "Ron DeSantis", "LeBron James"):
        assert speaker_features(resolution, "direct", True, name)["glued_mention"] == 0.0


def test_isotonic_calibration_interpolates_between_its_points_and_is_flat_beyond_them() -> None:
    curve = Calibration("isotonic", scores=(-1.0, 1.0, 3.0), probabilities=(0.2, 0.6, 0.9))
    assert curve(-5.0) == 0.2 and curve(10.0) == 0.9
    assert curve(0.0) == pytest.approx(0.4) and curve(2.0) == pytest.approx(0.75)
    assert Calibration.from_json(curve.to_json()) == curve


def test_platt_and_no_calibration_are_sigmoids() -> None:
    assert Calibration("none")(0.0) == 0.5
    platt = Calibration("platt", slope=2.0, intercept=-1.0)
    assert platt(0.5) == 0.5 and platt(1.0) == pytest.approx(1 / (1 + math.exp(-1.0)))
    assert Calibration.from_json(platt.to_json()) == platt and Calibration.from_json(None) == Calibration("none")
    with pytest.raises(ValueError, match="sorted"):
        Calibration.from_json({"method": "isotonic", "scores": [1.0, 0.0], "probabilities": [0.1, 0.2]})


def test_trees_add_their_leaves_to_the_base_and_split_at_or_below_the_threshold() -> None:
    tree = [["distance", 1.5, 1, 2, 0.0], [None, 0.0, 0, 0, 0.5], [None, 0.0, 0, 0, -1.0]]
    model = SpeakerConfidence.from_parts({"kind": "trees", "base": 1.0, "trees": [tree, tree]}, Calibration("none"))
    assert model.score({"distance": 1.5}) == 2.0 and model.score({"distance": 2.0}) == -1.0
    assert model.score({}) == 2.0  # an absent feature is 0


def test_exported_trees_score_as_scikit_learn_does() -> None:
    pytest.importorskip("sklearn")
    from newstrace.training.speaker_confidence import Example, _score_model

    examples = [
        Example(
            {"bias": 1.0, "distance": float(i % 7), "log_words": math.log1p(i % 11)},
            (i * 7) % 10 > i % 7,
            f"a{i // 5}",
            "polnear",
        )
        for i in range(200)
    ]
    score = _score_model(examples, ("trees", 3.0))  # raises when the runtime's reading differs from scikit-learn's
    assert score["kind"] == "trees" and len(score["trees"]) > 10


def test_polnear_labels_a_speaker_by_its_mention_or_by_the_name_it_resolved_to() -> None:
    from newstrace.training.speaker_confidence import label_polnear

    text = "Senator Ana Duarte said the bridge would reopen. He disagreed, Tom Reyes told reporters."
    duarte, reyes = _span(text, "Senator Ana Duarte"), _span(text, "Tom Reyes")
    first, second = _span(text, "the bridge would reopen"), _span(text, "He disagreed")
    gold = [((duarte,), (first,)), ((reyes,), (second,)), ((), (_span(text, "told reporters"),))]
    assert label_polnear(text, gold, first, _span(text, "Ana Duarte"), "Ana Duarte") is True
    assert label_polnear(text, gold, first, reyes, "Tom Reyes") is False  # another phrase, another person
    assert label_polnear(text, gold, second, _span(text, "He"), "Tom Reyes") is True  # "He" resolved to Reyes
    assert label_polnear(text, gold, second, _span(text, "He"), "Ana Duarte") is False
    assert label_polnear(text, gold, second, None, "Tom Reyes") is True  # a speaker carried over, rightly
    assert label_polnear(text, gold, second, None, None) is False  # no speaker where the gold has one
    assert label_polnear(text, gold, _span(text, "told reporters"), None, "Tom Reyes") is None  # no gold source
    assert label_polnear(text, gold, _span(text, "Senator"), duarte, "Ana Duarte") is None  # matches no content


def test_a_carried_over_speaker_against_a_gold_pronoun_is_not_judged() -> None:
    from newstrace.training.speaker_confidence import label_polnear

    text = "He said the bridge would reopen."
    gold = [((_span(text, "He"),), (_span(text, "the bridge would reopen"),))]
    assert label_polnear(text, gold, _span(text, "the bridge would reopen"), None, "Ana Duarte") is None


def _scored_articles() -> list[Article]:
    """Two articles quoting Ana Duarte: one statement scored 0.9, one 0.3 (its second, lower piece aside)."""
    texts = {
        "a" * 64: "Mayor Ana Duarte said the bridge would reopen in May. Duarte said tolls would stay.",
        "b" * 64: "Mayor Ana Duarte said ferries would run all winter.",
    }
    confidences = {"the bridge would reopen in May": 0.9, "tolls would stay": 0.3, "ferries would run all winter": 0.6}
    articles = []
    for article_id, text in texts.items():
        article = Article(id=article_id, source=f"https://wire.example/{article_id}", source_hash=article_id,
                          media_type="text/plain", text=text, site="wire.example", published="2026-03-05",
                          reference_date="2026-03-05", headline="Bridge")  # fmt: skip
        start = text.index("Ana Duarte")
        article.entities_index = [Entity("e0", "Ana Duarte", "PERSON", roles=["Mayor"])]
        article.entities = [Mention("Ana Duarte", "PERSON", start, start + len("Ana Duarte"), "e0")]
        speaker = Speaker(article.span(start, start + len("Ana Duarte")), "e0", "Ana Duarte", "named")
        for content, confidence in confidences.items():
            if content in text:
                begin = text.index(content)
                cue = text.rindex("said", 0, begin)
                article.quotes.append(Quote("indirect", article.span(begin, begin + len(content)),
                                            article.span(cue, cue + 4), "say", speaker,
                                            confidence=confidence))  # fmt: skip
        articles.append(article)
    return articles


def test_quotes_the_timeline_the_api_and_the_speaker_page_leave_out_the_same_low_confidence_statements(
    tmp_path: Path,
) -> None:
    from fastapi.testclient import TestClient

    from newstrace.service import CorpusService
    from newstrace.store import Store
    from newstrace.web import create_app

    with Store(tmp_path / "scored.db") as store:
        store.write(_scored_articles())
        service = CorpusService(store)
        for floor, expected in ((0.0, 3), (0.5, 2), (0.95, 0)):
            listed = {hit.text for hit in service.statements("Duarte", min_confidence=floor)}
            timeline = service.timeline("Duarte", min_confidence=floor)
            assert len(listed) == expected and {entry.content for entry in timeline.entries} == listed
        with TestClient(create_app(store)) as client:
            entries = client.get("/timeline", params={"speaker": "Duarte", "min_confidence": 0.5}).json()["entries"]
            assert sorted(entry["confidence"] for entry in entries) == [0.6, 0.9]
            page = client.get("/ui/speakers/Ana Duarte", params={"min_confidence": 0.5}).text
            assert "Statements (2)" in page and "tolls would stay" not in page and "confidence 0.90" in page
            assert client.get("/timeline", params={"speaker": "Duarte", "min_confidence": 2}).status_code == 422
    from typer.testing import CliRunner

    from newstrace.cli import app

    db = str(tmp_path / "scored.db")
    shown = CliRunner().invoke(app, ["timeline", "Duarte", "--db", db, "--min-confidence", "0.5", "--json"])
    assert shown.exit_code == 0 and len(json.loads(shown.stdout)["entries"]) == 2
    assert CliRunner().invoke(app, ["timeline", "Duarte", "--db", db, "--min-confidence", "0.95"]).exit_code == 1


def test_article_context_marks_a_description_left_unnamed_after_names_and_speech_reported_inside_speech() -> None:
    from newstrace.annotate.confidence import with_article_context

    unnamed = {"rule=unnamed": 1.0, "definite_unnamed": 1.0}
    assert with_article_context(unnamed, 3, False)["unnamed_after_names"] == 1.0
    assert with_article_context(unnamed, 0, False)["unnamed_after_names"] == 0.0  # no one named yet to point back at
    assert with_article_context({"rule=named": 1.0}, 3, False)["unnamed_after_names"] == 0.0
    assert with_article_context({}, 0, True)["reported_inside"] == 1.0
    assert with_article_context({}, 2, False)["log_named_before"] == pytest.approx(math.log(3))
