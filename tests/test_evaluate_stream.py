"""`newstrace evaluate stream`: the stream's label reader, its scoring on small data built here, and one run end to end
on a handful of AEB pages with a few FNC-1 bodies mixed in (skipped when ../shared is absent)."""

from __future__ import annotations

import csv
import gzip
import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.datasets.stream import HeadlineLabel, StreamLabels, read_stream, sample_stories
from newstrace.evaluate.stories import bcubed, pairwise
from newstrace.evaluate.stream import (
    AEB,
    FNC1,
    Arrivals,
    Placed,
    StreamPlan,
    pair_sets,
    plan_stream,
    report_lines,
    score_stream,
)


def write_stream(folder: Path, groups: list[list[str]], uncertain: list[list[str]], labels: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stories = {"source": "test", "groups": groups, "uncertain": [{"files": f, "why": "test"} for f in uncertain]}
    (folder / "aeb_stories.json").write_text(json.dumps(stories), encoding="utf-8")
    lines = [
        json.dumps({"file": file, "headline": f"Headline of {file}", "label": label, "evidence": None, "note": None})
        for file, label in labels.items()
    ]
    (folder / "aeb_headlines.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


# ---- the label reader


def test_reader_gives_groups_singletons_and_only_the_uncertain_pairs_kept_apart(tmp_path: Path) -> None:
    labels = {name: "supported" for name in ("a", "b", "c", "d", "e")}
    stream = read_stream(write_stream(tmp_path, [["b", "a"]], [["a", "b", "c"], ["d", "e"]], labels))
    assert stream.gold_stories() == {"a": "a", "b": "a", "c": "c", "d": "d", "e": "e"}
    # a-b is a gold pair: an uncertain entry holding it does not take it out of the scoring
    assert stream.skipped_pairs() == {("a", "c"), ("b", "c"), ("d", "e")}
    assert stream.headlines["c"].headline == "Headline of c" and stream.headlines["c"].label == "supported"


@pytest.mark.parametrize(
    ("groups", "label", "message"),
    [
        ([["a"]], "supported", "two or more page files"),
        ([["a", "b"], ["b", "c"]], "supported", "is in groups 1 and 2"),
        ([], "misleading", "is not one of supported, hedged"),
    ],
)
def test_reader_refuses_labels_that_do_not_hold_together(
    tmp_path: Path, groups: list[list[str]], label: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        read_stream(write_stream(tmp_path, groups, [], {"a": label, "b": "hedged", "c": "no_claim"}))


def test_reader_names_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="not a stream label folder"):
        read_stream(tmp_path / "nowhere")


def test_the_fnc1_sample_keeps_whole_stories_and_is_fixed() -> None:
    gold = {f"{story}-{n}": story for story, size in (("s1", 5), ("s2", 3), ("s3", 2), ("s4", 1)) for n in range(size)}
    sample = sample_stories(gold, 6)
    assert sample == sample_stories(gold, 6) and 0 < len(sample) <= 6
    kept = {gold[item] for item in sample}
    assert all(item in sample for item, story in gold.items() if story in kept)  # whole stories only
    assert sample_stories(gold, None) == list(gold) and sample_stories(gold, 0) == []


# ---- the scoring


def test_bcubed_and_pairs_equal_the_stories_metrics_when_nothing_is_skipped() -> None:
    rng = random.Random(28)
    items = [f"i{n}" for n in range(60)]
    gold = {item: f"g{rng.randrange(12)}" for item in items}
    predicted = {item: f"p{rng.randrange(15)}" for item in items}
    assert bcubed({i: gold[i] for i in items}, predicted) == pytest.approx(bcubed(gold, predicted))
    guessed, truth = pair_sets(gold, predicted, items)
    both = len(guessed & truth)
    assert pairwise(gold, predicted)["precision"] == pytest.approx(both / len(guessed), abs=5e-5)
    assert pairwise(gold, predicted)["recall"] == pytest.approx(both / len(truth), abs=5e-5)


def test_a_skipped_pair_counts_neither_right_nor_wrong() -> None:
    gold = {"a": "a", "b": "b", "c": "c"}
    predicted = {"a": "s", "b": "s", "c": "s"}
    items = ["a", "b", "c"]
    assert bcubed(gold, predicted)["precision"] == pytest.approx(1 / 3, abs=5e-5)
    # with a-b and a-c skipped, a is alone in its cluster; b and c stay a wrong pair
    scores = bcubed(gold, predicted, {("a", "b"), ("a", "c")})
    assert scores["precision"] == pytest.approx((1 + 1 / 2 + 1 / 2) / 3, abs=5e-5)
    assert pair_sets(gold, predicted, items, {("a", "b"), ("a", "c")}) == ({("b", "c")}, set())


def test_arrivals_follow_each_input_to_the_article_it_became() -> None:
    from newstrace.model import Article, Failure
    from newstrace.run.local import Present

    arrivals = Arrivals()
    arrivals("processed", Article("id-1", "first.html", "hash-1", "text/html", "Text."))
    arrivals("processed", Article("id-1", "same-text.html", "hash-2", "text/html", "Text."))  # the store keeps it once
    arrivals("present", Present("copy.html", "hash-1"))  # same bytes as one analysed earlier in the run
    arrivals("processed", Article("id-3", "refused.html", "hash-3", "text/html", "Text three."))
    arrivals("skipped", Failure("refused.html", "store", "the database refused the article"))
    arrivals("skipped", Failure("empty.html", "ingest", "empty input"))
    assert arrivals.article_of == {"first.html": "id-1", "same-text.html": "id-1", "copy.html": "id-1"}


def small_plan() -> tuple[StreamPlan, dict[str, Placed]]:
    """Six pages (a+b one gold story, c, d, e, f alone; c-d uncertain) and three FNC-1 bodies (x+y, z)."""
    labels = StreamLabels([["a", "b"]], [["c", "d"]])
    verdicts = {"a": "supported", "b": "hedged", "c": "overstated", "d": "contradicted", "e": "no_claim", "f": "hedged"}
    labels.headlines = {file: HeadlineLabel(file, f"H {file}", label) for file, label in verdicts.items()}
    pages, bodies = list(verdicts), ["fnc1:1", "fnc1:2", "fnc1:3"]
    gold = {**{f: f"aeb:{labels.gold_stories()[f]}" for f in pages}, "fnc1:1": "fnc1:x", "fnc1:2": "fnc1:x"}
    gold["fnc1:3"] = "fnc1:z"
    population = {**dict.fromkeys(pages, AEB), **dict.fromkeys(bodies, FNC1)}
    plan = StreamPlan([], {f"src-{i}": i for i in pages + bodies}, gold, population, labels, labels.skipped_pairs())
    # the store: a+b+e one story (two false pairs a-e, b-e), c+d together (uncertain: not scored), f alone,
    # the FNC-1 bodies x+y together with z (one false pair) and f's story also holding body 3
    story = {"a": "S1", "b": "S1", "e": "S1", "c": "S2", "d": "S2", "f": "S3"}
    story |= {"fnc1:1": "S4", "fnc1:2": "S4", "fnc1:3": "S3"}
    flags = {"a": "refuted", "c": "unconfirmed_as_fact", "e": "unrelated"}
    placed = {
        item: Placed(
            item,
            story[item],
            article_id=f"id-{item}",
            similarity=0.5,
            relation="same story",
            headline=f"H {item}",
            checked=True,
            misleading=item in flags,
            reason=flags.get(item),
        )
        for item in pages + bodies
    }
    return plan, placed


def test_score_counts_pairs_false_joins_and_verdicts() -> None:
    plan, placed = small_plan()
    report = score_stream(plan, placed, details=True)
    pairs = report["aeb_pairs"]
    assert isinstance(pairs, dict)
    assert (pairs["predicted"], pairs["right"], pairs["uncertain"], pairs["uncertain_joined"]) == (3, 1, 1, 1)
    assert pairs["stories_with_both_populations"] == 1  # f's story holds FNC-1 body 3
    joins = report["false_joins"]
    assert isinstance(joins, list)
    assert {(j["a"]["file"], j["b"]["file"]) for j in joins} == {("a", "e"), ("b", "e")}
    stories = report["stories"]
    assert isinstance(stories, dict)
    assert stories[AEB]["pairwise"]["precision"] == pytest.approx(1 / 3, abs=5e-5)
    assert stories[AEB]["pairs"] == {"predicted": 3, "right": 1, "gold": 1}
    assert stories[FNC1]["pairs"] == {"predicted": 1, "right": 1, "gold": 1}
    assert stories["all"]["pairs"]["predicted"] == 5  # the page f with body 3 is a false pair over all
    verdicts = report["verdicts"]
    assert isinstance(verdicts, dict)
    by_label = verdicts["by_label"]
    assert by_label["supported"] == {"pages": 1, "unchecked": 0, "flagged": 1, "reasons": {"refuted": 1}}
    assert by_label["overstated"]["reasons"] == {"unconfirmed_as_fact": 1}
    assert verdicts["false_alarms"] == {"labels": ["supported", "hedged"], "pages": 3, "flagged": 1, "share": 1 / 3}
    assert verdicts["caught"] == {"labels": ["overstated", "contradicted"], "pages": 2, "flagged": 1, "share": 0.5}
    flagged = report["flagged"]
    assert isinstance(flagged, list) and [page["file"] for page in flagged] == ["a", "c", "e"]
    assert report["missed_pairs"] == []
    text = "\n".join(report_lines(report, details=True))
    assert "AEB pairs put in one story: 3, right 1" in text
    assert "false alarms: 1 of 3 supported+hedged pages (33.3%)" in text


def test_plan_interleaves_fnc1_bodies_between_pages(tmp_path: Path) -> None:
    stream = write_stream(
        tmp_path / "stream", [["p1", "p2"]], [], {"p1": "supported", "p2": "hedged", "p3": "no_claim"}
    )
    html = tmp_path / "aeb" / "html"
    html.mkdir(parents=True)
    for page in ("p1", "p2", "p3"):
        (html / page).write_bytes(gzip.compress(b"<html><body><p>text</p></body></html>"))
    fnc1 = tmp_path / "fnc1"
    fnc1.mkdir()
    with (fnc1 / "train_bodies.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["Body ID", "articleBody"], ["7", "Seven."], ["3", "Three."], ["5", "Five."]])
    with (fnc1 / "train_stances.csv").open("w", newline="", encoding="utf-8") as handle:
        rows = [["Headline", "Body ID", "Stance"], ["H", "3", "agree"], ["H", "7", "discuss"], ["H", "5", "unrelated"]]
        csv.writer(handle).writerows(rows)
    work = tmp_path / "work"
    work.mkdir()
    plan = plan_stream(stream, tmp_path / "aeb", fnc1, work)
    assert plan.items(AEB) == ["p1", "p2", "p3"] and plan.items(FNC1) == ["fnc1:3", "fnc1:5", "fnc1:7"]
    assert plan.gold["fnc1:3"] == plan.gold["fnc1:7"] != plan.gold["fnc1:5"]
    assert plan.gold["p1"] == plan.gold["p2"] != plan.gold["p3"]
    assert [Path(p).name for p in plan.paths] == [
        "p1",
        "fnc1-000.jsonl",
        "p2",
        "fnc1-001.jsonl",
        "p3",
        "fnc1-002.jsonl",
    ]
    first = json.loads((work / "fnc1-000.jsonl").read_text(encoding="utf-8"))
    assert first == {"text": "Three."}  # text alone: no headline, no date
    assert plan.sources[f"{work / 'fnc1-000.jsonl'}:1"] == "fnc1:3"
    with pytest.raises(FileNotFoundError, match="labelled pages not found"):
        plan_stream(stream, tmp_path / "elsewhere", fnc1, work)


# ---- end to end


def test_stream_end_to_end_on_a_few_pages_and_bodies(tmp_path: Path) -> None:
    """Three Europa pages (one gold story), the Polygraph fact-check (contradicted) and a lone page, with two small
    FNC-1 stories, ingested into a fresh store by the command and scored against labels cut from the real ones."""
    from conftest import shared_path

    real = shared_path("eval", "stream")
    aeb, fnc1 = shared_path("eval", "aeb"), shared_path("eval", "fnc1")
    prefixes = ("14cc2a0c", "686bb170", "f344ca5f", "1ee91d1f", "04a6711c")
    labels = [json.loads(line) for line in (real / "aeb_headlines.jsonl").read_text(encoding="utf-8").splitlines()]
    labels = [label for label in labels if label["file"].startswith(prefixes)]
    groups = [g for g in json.loads((real / "aeb_stories.json").read_text())["groups"] if g[0].startswith(prefixes)]
    assert len(labels) == 5 and len(groups) == 1
    stream = write_stream(tmp_path, groups, [], {label["file"]: label["label"] for label in labels})
    command = ["evaluate", "stream", str(stream), "--aeb", str(aeb), "--fnc1", str(fnc1), "--fnc1-bodies", "3"]
    result = CliRunner().invoke(app, [*command, "--workers", "1", "--json", "--details"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["inputs"]["aeb"] == 5 and report["stored"]["aeb"] == 5
    assert 1 <= report["inputs"]["fnc1"] <= 3 and report["stored"]["fnc1"] == report["inputs"]["fnc1"]
    stories = report["stories"]["aeb"]
    assert stories["items"] == 5 and stories["gold_stories"] == 3 and stories["pairs"]["gold"] == 3
    for part in ("aeb", "fnc1", "all"):
        assert 0.0 <= report["stories"][part]["bcubed"]["f1"] <= 1.0
    assert report["aeb_pairs"]["predicted"] == report["stories"]["aeb"]["pairs"]["predicted"]
    assert len(report["false_joins"]) == report["aeb_pairs"]["predicted"] - report["aeb_pairs"]["right"]
    pages = {page["item"][:8]: page for page in report["pages"]}
    assert all(page["checked"] and page["article_id"] and page["similarity"] is not None for page in pages.values())
    assert report["verdicts"]["by_label"]["contradicted"]["pages"] == 1
    assert sum(row["pages"] for row in report["verdicts"]["by_label"].values()) == 5
