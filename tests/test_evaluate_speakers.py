"""`newstrace evaluate speakers`: the whosaid matching and speaker rules, calibration, AUROC, the command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import SHARED, shared_path
from newstrace.cli import app
from newstrace.datasets.whosaid import read_gold, read_predictions
from newstrace.evaluate.metrics import (
    auroc,
    calibration_bins,
    expected_calibration_error,
    locate,
    score_speakers,
    speaker_is_right,
)

Json = dict[str, Any]

TEXT = (
    "Mayor Ana Ruiz said the bridge would reopen in May.\n\n"
    '"We are ahead of schedule," she told the council.\n\n'
    "Her brother, Tom Ruiz, said the budget was tight.\n\n"
    "The Port Authority said it had approved the plan."
)


def gold_article(doc: str, text: str) -> Json:
    return {"url": f"whosaid:{doc}", "headline": "A headline", "text": text, "published": None}


def gold(doc: str, text: str, content: str, speaker: str, **fields: Any) -> Json:
    """A gold statement located by its first occurrence unless ``start`` is given."""
    row: Json = {
        "doc": doc,
        "content": content,
        "start": text.index(content),
        "speaker": speaker,
        "accept": [],
        "speaker_kind": "person",
        "mention": speaker,
        "mention_type": "name",
        "kind": "indirect",
        "cue": "said",
    }
    row.update(fields)
    return row


def quote(text: str, content: str, name: str | None, *, confidence: float = 0.5, occurrence: int = 0) -> Json:
    """A predicted quote over the ``occurrence``-th appearance of ``content`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(content, start + 1)
    return {
        "kind": "indirect",
        "content": {"start": start, "end": start + len(content), "text": content},
        "cue": None,
        "cue_lemma": "say",
        "speaker": {"mention": None, "entity_id": None, "name": name, "rule": None},
        "confidence": confidence,
    }


def predicted(doc: str, text: str, quotes: list[Json]) -> Json:
    return {"url": f"whosaid:{doc}", "text": text, "quotes": quotes}


# ------------------------------------------------------------------------------------ matching


def test_a_quote_matches_when_it_covers_half_of_the_gold_content() -> None:
    content = "the bridge would reopen in May"
    statements = [gold("d", TEXT, content, "Ana Ruiz")]
    half = quote(TEXT, "the bridge would", "Ana Ruiz")  # 16 of 30 characters
    under_half = quote(TEXT, "the bridge", "Ana Ruiz")  # 10 of 30
    assert score_speakers([gold_article("d", TEXT)], statements, [predicted("d", TEXT, [half])]).matched == 1
    missed = score_speakers([gold_article("d", TEXT)], statements, [predicted("d", TEXT, [under_half])])
    assert (missed.matched, missed.spurious, missed.precision) == (0, 0, 1.0)  # it overlaps: not spurious


def test_the_quote_with_the_largest_overlap_decides_the_speaker() -> None:
    content = "the bridge would reopen in May"
    statements = [gold("d", TEXT, content, "Ana Ruiz")]
    quotes = [quote(TEXT, "Ruiz said the bridge", "Tom Ruiz"), quote(TEXT, "bridge would reopen in May.", "Ana Ruiz")]
    scores = score_speakers([gold_article("d", TEXT)], statements, [predicted("d", TEXT, quotes)])
    (row,) = scores.statements
    assert (row.matched, row.pred_speaker, row.speaker_right) == (True, "Ana Ruiz", True)
    assert (scores.predicted_quotes, scores.spurious) == (2, 0)


def test_one_quote_over_two_paragraphs_matches_both() -> None:
    text = '"The bridge is safe.\n\n"It will reopen in May, as planned," Ruiz said.'
    statements = [
        gold("d", text, "The bridge is safe.", "Ana Ruiz", kind="direct"),
        gold("d", text, "It will reopen in May, as planned,", "Ana Ruiz", kind="direct"),
    ]
    whole = quote(text, 'The bridge is safe.\n\n"It will reopen in May, as planned,', "Ana Ruiz")
    scores = score_speakers([gold_article("d", text)], statements, [predicted("d", text, [whole])])
    assert (scores.matched, scores.right, scores.recall, scores.precision) == (2, 2, 1.0, 1.0)
    assert scores.by_kind["direct"].speaker_acc_all == 1.0 and scores.by_kind["mixed"].gold == 0


def test_spurious_quotes_are_those_that_overlap_no_gold_statement() -> None:
    statements = [
        gold("d", TEXT, "the bridge would reopen in May", "Ana Ruiz"),
        gold("d", TEXT, "the budget was tight", "Tom Ruiz"),
    ]
    quotes = [
        quote(TEXT, "the bridge would reopen in May", "Ana Ruiz"),
        quote(TEXT, "was tight", "Tom Ruiz"),  # under half of its gold: not matched, not spurious
        quote(TEXT, "it had approved the plan", "Port Authority"),  # overlaps nothing annotated
    ]
    scores = score_speakers([gold_article("d", TEXT)], statements, [predicted("d", TEXT, quotes)])
    assert (scores.predicted_quotes, scores.spurious, scores.matched) == (3, 1, 1)
    assert scores.precision == pytest.approx(2 / 3) and scores.recall == 0.5
    assert scores.f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))


def test_a_repeated_content_is_matched_at_the_occurrence_the_gold_names() -> None:
    text = "Ruiz said the plan is sound. Later Diaz said the plan is sound."
    second = text.rindex("the plan is sound")
    statements = [gold("d", text, "the plan is sound", "Luis Diaz", start=second)]
    wrong_place = quote(text, "the plan is sound", "Luis Diaz", occurrence=0)
    right_place = quote(text, "the plan is sound", "Luis Diaz", occurrence=1)
    assert score_speakers([gold_article("d", text)], statements, [predicted("d", text, [wrong_place])]).matched == 0
    assert score_speakers([gold_article("d", text)], statements, [predicted("d", text, [right_place])]).matched == 1


def test_quote_marks_dashes_soft_hyphens_and_spaces_are_normalised_when_locating() -> None:
    gold_content = 'the city\'s plan - so far - is "sound"'
    system_text = "Ruiz said the city’s plan — so far — is “sou\u00adnd”  today."
    start, end = locate(system_text, gold_content, 0, 0.0) or (0, 0)
    assert system_text[start:end] == "the city’s plan — so far — is “sou\u00adnd”"
    assert locate(system_text, "the town's plan", 0, 0.0) is None
    spaced = "She said  the\n\nplan works."
    assert locate(spaced, "the plan works", 0, 0.0) == (spaced.index("the"), spaced.index("."))


def test_a_statement_whose_words_the_system_dropped_counts_as_missed() -> None:
    statements = [gold("d", TEXT, "the budget was tight", "Tom Ruiz")]
    shorter = TEXT[: TEXT.index("Her brother")]
    scores = score_speakers([gold_article("d", TEXT)], statements, [predicted("d", shorter, [])])
    assert (scores.gold_not_located, scores.matched, scores.recall, scores.speaker_acc_all) == (1, 0, 0.0, 0.0)


# ------------------------------------------------------------------------------- speaker rule


def test_surname_counts_only_when_no_other_speaker_in_the_doc_shares_it() -> None:
    ana = gold("d", TEXT, "the bridge would reopen in May", "Ana Ruiz")
    tom = gold("d", TEXT, "the budget was tight", "Tom Ruiz")
    assert speaker_is_right("Ruiz", ana, [ana])
    assert not speaker_is_right("Ruiz", ana, [ana, tom])
    assert not speaker_is_right("Ruiz", tom, [ana, tom])
    assert speaker_is_right("Tom Ruiz", tom, [ana, tom])
    junior = gold("d", TEXT, "the budget was tight", "Carl Brandt Jr.")
    assert speaker_is_right("Brandt", junior, [junior])
    assert not speaker_is_right("Carl", junior, [junior])  # a first name is not a surname
    agency = gold("d", TEXT, "it had approved the plan", "Port Authority", speaker_kind="organization")
    assert not speaker_is_right("Authority", agency, [agency])  # the surname rule is for people


def test_a_title_or_role_before_the_full_name_counts() -> None:
    ana = gold("d", TEXT, "the bridge would reopen in May", "Ana Ruiz")
    assert speaker_is_right("Spokeswoman Ana Ruiz", ana, [ana])
    assert speaker_is_right("Mayor Ana Ruiz", ana, [ana])
    assert not speaker_is_right("Mayor Ruiz Ana", ana, [ana])
    assert not speaker_is_right("Deputy Mayor Ruiz", ana, [ana])
    agency = gold("d", TEXT, "it had approved the plan", "Port Authority", speaker_kind="organization")
    assert not speaker_is_right("the Harbour Port Authority", agency, [agency])


def test_case_edge_punctuation_leading_article_and_accepted_names() -> None:
    agency = gold(
        "d", TEXT, "it had approved the plan", "Port Authority", speaker_kind="organization", accept=["the port"]
    )
    assert speaker_is_right("the PORT authority,", agency, [agency])
    assert speaker_is_right("“Port Authority”", agency, [agency])
    assert speaker_is_right("Port", agency, [agency])
    assert not speaker_is_right("Authority of the Port", agency, [agency])
    assert not speaker_is_right(None, agency, [agency]) and not speaker_is_right(" . ", agency, [agency])


def test_the_mention_stands_in_for_an_empty_speaker_name() -> None:
    statements = [gold("d", TEXT, "it had approved the plan", "Port Authority", speaker_kind="organization")]
    unnamed = quote(TEXT, "it had approved the plan", None)
    mention_start = TEXT.index("The Port Authority")
    unnamed["speaker"]["mention"] = {"start": mention_start, "end": mention_start + 18, "text": "The Port Authority"}
    no_speaker = quote(TEXT, "it had approved the plan", None)
    no_speaker["speaker"] = None
    article = [gold_article("d", TEXT)]
    assert score_speakers(article, statements, [predicted("d", TEXT, [unnamed])]).right == 1
    scores = score_speakers(article, statements, [predicted("d", TEXT, [no_speaker])])
    assert (scores.matched, scores.right, scores.statements[0].pred_speaker) == (1, 0, None)


def test_accuracy_is_split_by_mention_type_and_kind() -> None:
    statements = [
        gold("d", TEXT, "the bridge would reopen in May", "Ana Ruiz", mention_type="name", kind="indirect"),
        gold("d", TEXT, "We are ahead of schedule,", "Ana Ruiz", mention_type="pronoun", kind="direct", mention="she"),
        gold("d", TEXT, "the budget was tight", "Tom Ruiz", mention_type="name", kind="indirect"),
        gold(
            "d",
            TEXT,
            "it had approved the plan",
            "Port Authority",
            speaker_kind="organization",
            mention_type="organisation",
        ),
    ]
    quotes = [
        quote(TEXT, "the bridge would reopen in May", "Ana Ruiz"),
        quote(TEXT, "We are ahead of schedule,", "Tom Ruiz"),
        quote(TEXT, "the budget was tight", "Tom Ruiz"),
    ]
    scores = score_speakers([gold_article("d", TEXT)], statements, [predicted("d", TEXT, quotes)])
    pronoun, name, organisation = (scores.by_mention_type[t] for t in ("pronoun", "name", "organisation"))
    assert (pronoun.gold, pronoun.matched, pronoun.speaker_right) == (1, 1, 0)
    assert (name.speaker_acc_matched, name.speaker_acc_all) == (1.0, 1.0)
    assert (organisation.recall, organisation.speaker_acc_matched, organisation.speaker_acc_all) == (0.0, None, 0.0)
    assert scores.by_mention_type["description"].recall is None
    assert scores.by_kind["indirect"].to_dict()["speaker_acc_all"] == pytest.approx(2 / 3)
    assert (scores.speaker_acc_matched, scores.speaker_acc_all) == (pytest.approx(2 / 3), 0.5)


def test_a_missing_mention_type_is_read_from_the_mention() -> None:
    pronoun = gold("d", TEXT, "We are ahead of schedule,", "Ana Ruiz", mention="She", mention_type=None)
    named = gold("d", TEXT, "the bridge would reopen in May", "Ana Ruiz", mention="Mayor Ruiz", mention_type="")
    described = gold("d", TEXT, "the budget was tight", "Tom Ruiz", mention="her brother", mention_type=None)
    scores = score_speakers([gold_article("d", TEXT)], [pronoun, named, described], [])
    assert [row.mention_type for row in scores.statements] == ["pronoun", "name", "description"]


# -------------------------------------------------------------------------- pairing, reading


def test_articles_pair_by_url_else_by_position() -> None:
    other = "Diaz said the plan is sound."
    articles = [gold_article("a", TEXT), gold_article("b", other)]
    statements = [gold("b", other, "the plan is sound", "Luis Diaz")]
    by_url = [predicted("b", other, [quote(other, "the plan is sound", "Diaz")])]
    scores = score_speakers(articles, statements, by_url)
    assert (scores.docs, scores.docs_without_prediction, scores.right) == (2, ["a"], 1)
    by_position = [{"text": TEXT, "quotes": []}, {"text": other, "quotes": [quote(other, "the plan is sound", "Diaz")]}]
    scores = score_speakers(articles, statements, by_position)
    assert (scores.docs_without_prediction, scores.right) == ([], 1)


def test_predictions_read_as_lines_array_or_one_pretty_object(tmp_path: Path) -> None:
    one, two = predicted("a", TEXT, []), predicted("b", "x", [])
    lines, array, pretty = tmp_path / "lines.jsonl", tmp_path / "array.json", tmp_path / "one.json"
    lines.write_text(json.dumps(one) + "\n\n" + json.dumps(two) + "\n", encoding="utf-8")
    array.write_text(json.dumps([one, "junk", two]), encoding="utf-8")
    pretty.write_text(json.dumps(one, indent=2), encoding="utf-8")
    assert read_predictions(lines) == [one, two] == read_predictions(array)
    assert read_predictions(pretty) == [one]
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps(one) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.jsonl:2"):
        read_predictions(broken)
    (tmp_path / "articles.jsonl").write_text(json.dumps(gold_article("a", TEXT)) + "\n", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match=r"statements\.jsonl is missing"):
        read_gold(tmp_path)
    (tmp_path / "statements.jsonl").write_text('{"doc": "a", "content": "the plan"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"statements\.jsonl:1: no speaker"):
        read_gold(tmp_path)
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"text": "caf\xe9"}\n')
    with pytest.raises(ValueError, match=r"latin\.jsonl: not UTF-8"):
        read_predictions(latin)


# ------------------------------------------------------------------------ calibration, AUROC


def test_expected_calibration_error_over_ten_equal_bins() -> None:
    bins = calibration_bins([0.95, 0.95, 0.15, 0.55, 1.2, -0.1], [True, False, False, True, True, False])
    assert [(b.low, b.n, b.right) for b in bins] == [(0.0, 1, 0), (0.1, 1, 0), (0.5, 1, 1), (0.9, 3, 2)]
    assert bins[-1].mean_confidence == pytest.approx((0.95 + 0.95 + 1.0) / 3)  # 1.2 clipped to 1.0
    top = 3 / 6 * abs((0.95 + 0.95 + 1.0) / 3 - 2 / 3)
    assert expected_calibration_error(bins) == pytest.approx(1 / 6 * 0.0 + 1 / 6 * 0.15 + 1 / 6 * 0.45 + top)
    assert expected_calibration_error(calibration_bins([0.7, 0.7], [True, False])) == pytest.approx(0.2)
    assert expected_calibration_error([]) is None


def test_auroc_counts_ties_as_half() -> None:
    # right: 0.9 and 0.5; wrong: 0.5, 0.3, 0.1 -> 0.9 beats all three, 0.5 ties one and beats two: 5.5 of 6
    assert auroc([0.9, 0.5, 0.5, 0.3, 0.1], [True, True, False, False, False]) == pytest.approx(5.5 / 6)
    assert auroc([0.7, 0.7, 0.7], [True, False, True]) == pytest.approx(0.5)
    assert auroc([0.1, 0.9], [True, False]) == 0.0
    assert auroc([0.2, 0.8], [True, True]) is None and auroc([], []) is None


def test_scores_calibrate_only_matched_statements_with_a_confidence() -> None:
    statements = [
        gold("d", TEXT, "the bridge would reopen in May", "Ana Ruiz"),
        gold("d", TEXT, "the budget was tight", "Tom Ruiz"),
        gold("d", TEXT, "it had approved the plan", "Port Authority", speaker_kind="organization"),
    ]
    no_confidence = quote(TEXT, "it had approved the plan", "Port Authority")
    del no_confidence["confidence"]
    quotes = [
        quote(TEXT, "the bridge would reopen in May", "Ana Ruiz", confidence=0.9),
        quote(TEXT, "the budget was tight", "Ana Ruiz", confidence=0.4),
        no_confidence,
    ]
    scores = score_speakers([gold_article("d", TEXT)], statements, [predicted("d", TEXT, quotes)])
    assert (scores.confidence_n, scores.auroc) == (2, 1.0)
    assert scores.ece == pytest.approx(0.5 * 0.1 + 0.5 * 0.4)
    data = scores.to_dict()
    assert data["ece_n"] == 2 and "statements" not in data and len(scores.to_dict(details=True)["statements"]) == 3


# ---------------------------------------------------------------------------------- command


def write_set(folder: Path, articles: list[Json], statements: list[Json]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("articles.jsonl", articles), ("statements.jsonl", statements)):
        (folder / name).write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return folder


def tiny_set(tmp_path: Path) -> tuple[Path, Path]:
    """A gold folder with two people sharing a surname, and predictions exercising every rule."""
    statements = [
        gold("d", TEXT, "the bridge would reopen in May", "Ana Ruiz"),
        gold("d", TEXT, "We are ahead of schedule,", "Ana Ruiz", mention="she", mention_type="pronoun"),
        gold("d", TEXT, "the budget was tight", "Tom Ruiz"),
        gold("d", TEXT, "it had approved the plan", "Port Authority", speaker_kind="organization"),
    ]
    curly = TEXT.replace('"We are ahead of schedule,"', "“We are  ahead of schedule,”")
    quotes = [
        quote(curly, "the bridge would reopen in May", "Mayor Ana Ruiz", confidence=0.8),
        quote(curly, "We are  ahead of schedule,", "Ruiz", confidence=0.7),
        quote(curly, "the budget was tight", "Tom Ruiz", confidence=0.7),
        quote(curly, "Her brother, Tom", "Tom Ruiz", confidence=0.2),
    ]
    folder = write_set(tmp_path / "gold", [gold_article("d", TEXT)], statements)
    predictions = tmp_path / "pred.jsonl"
    predictions.write_text(json.dumps(predicted("d", curly, quotes)) + "\n", encoding="utf-8")
    return folder, predictions


def test_evaluate_speakers_command_scores_a_prediction_file(tmp_path: Path) -> None:
    folder, predictions = tiny_set(tmp_path)
    result = CliRunner().invoke(app, ["evaluate", "speakers", str(folder), "--predictions", str(predictions), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["gold_statements"], report["matched"], report["spurious"]) == (4, 3, 1)
    assert report["speaker_acc_matched"] == pytest.approx(2 / 3) and report["auroc"] == pytest.approx(0.75)
    readable = CliRunner().invoke(
        app, ["evaluate", "speakers", str(folder), "--predictions", str(predictions), "--details"]
    )
    assert readable.exit_code == 0
    assert "recall      75.0%" in readable.stdout and "AUROC" in readable.stdout
    assert "Ana Ruiz → Ruiz" in readable.stdout and "Port Authority missed" in readable.stdout


def test_evaluate_speakers_command_refuses_a_bad_folder_or_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["evaluate", "speakers", str(tmp_path)])
    assert result.exit_code == 2 and "articles.jsonl is missing" in result.stderr
    folder, predictions = tiny_set(tmp_path)
    predictions.write_text("{broken\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", "speakers", str(folder), "--predictions", str(predictions)])
    assert result.exit_code == 2 and "pred.jsonl:1: not JSON" in result.stderr


# ------------------------------------------------------------ agreement with the reference scorer

REFERENCE = SHARED / "eval" / "whosaid" / "score.py"


def reference_scores(gold_dir: Path, predictions: Path) -> Json:
    """The figures of the set's own scorer (standard library only) on the same files."""
    command = [sys.executable, str(REFERENCE), str(gold_dir), str(predictions), "--json", "--details"]
    completed = subprocess.run(command, capture_output=True, text=True, check=True, timeout=300)
    figures: Json = json.loads(completed.stdout)
    return figures


def assert_same_figures(reference: Any, ours: Any, where: str = "") -> None:
    """Every figure the reference reports is ours too, equal (floats to 1e-12)."""
    if isinstance(reference, dict):
        for key, value in reference.items():
            if key in ("gold_dir", "predictions"):
                continue
            assert key in ours, f"{where}.{key} missing"
            assert_same_figures(value, ours[key], f"{where}.{key}")
    elif isinstance(reference, list):
        assert len(reference) == len(ours), f"{where}: {len(reference)} vs {len(ours)} items"
        for index, (theirs, mine) in enumerate(zip(reference, ours, strict=True)):
            assert_same_figures(theirs, mine, f"{where}[{index}]")
    elif isinstance(reference, float) and not isinstance(reference, bool):
        assert ours == pytest.approx(reference, abs=1e-12), f"{where}: {reference} vs {ours}"
    else:
        assert reference == ours, f"{where}: {reference!r} vs {ours!r}"


def test_tiny_set_scores_as_the_reference_scorer_does(tmp_path: Path) -> None:
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} is absent: this check needs the shared evaluation data beside the repo")
    folder, predictions = tiny_set(tmp_path)
    articles, statements = read_gold(folder)
    ours = score_speakers(articles, statements, read_predictions(predictions)).to_dict(details=True)
    assert_same_figures(reference_scores(folder, predictions), ours)


@pytest.mark.slow
def test_dev_scores_as_the_reference_scorer_does(tmp_path: Path) -> None:
    """The pipeline's predictions on whosaid dev, scored here and by score.py: every figure equal."""
    dev = shared_path("eval", "whosaid", "dev")
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} is absent: this check needs the shared evaluation data beside the repo")
    from newstrace.evaluate.speakers import predict

    predictions, skipped = predict(dev / "articles.jsonl")
    assert skipped == []
    path = tmp_path / "pred.jsonl"
    path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in predictions), encoding="utf-8")
    arguments = ["evaluate", "speakers", str(dev), "--predictions", str(path), "--json", "--details"]
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 0, result.output
    ours = json.loads(result.stdout)
    assert ours["gold_statements"] == 314 and ours["docs_without_prediction"] == []
    assert_same_figures(reference_scores(dev, path), ours)
