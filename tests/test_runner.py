"""Runners: same results in the same order in-process and in workers; failures never stop a batch."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from newstrace.ingest import iter_documents
from newstrace.model import Article, Document, Failure
from newstrace.pipeline import Pipeline, StageError, StageLoadError, log, register_stage
from newstrace.run.local import InProcessRunner, ProcessPoolRunner, Runner
from newstrace.run.ray_engine import RayRunner


@register_stage("test-fail-on-marker", requires=("text",))
def fail_on_marker(article: Article) -> Article:
    """Fails articles that contain FAIL, crashes on RAISE, kills its process on EXIT."""
    if "FAIL" in article.text:
        raise StageError("marker found")
    if "RAISE" in article.text:
        raise ZeroDivisionError("boom")
    if "EXIT" in article.text:
        os._exit(1)
    return article


def documents(words: list[str]) -> list[Document | Failure]:
    items: list[Document | Failure] = []
    for number, word in enumerate(words):
        raw = f"Story {number} about the harbour, {word} in the text."
        items.append(Document(source=f"d{number}", raw=raw, media_type="text/plain", source_hash=str(number)))
    return items


STAGES = ("clean", "test-fail-on-marker")


def test_in_process_records_stage_and_reason() -> None:
    results = list(InProcessRunner(STAGES).run(documents(["ok", "FAIL", "RAISE", "ok"])))
    assert [type(r).__name__ for r in results] == ["Article", "Failure", "Failure", "Article"]
    assert results[1] == Failure("d1", "test-fail-on-marker", "marker found", "1")
    assert isinstance(results[2], Failure) and results[2].reason == "internal error (ZeroDivisionError: boom)"


def test_ingest_failures_pass_through_in_place() -> None:
    items = documents(["ok", "ok"])
    items.insert(1, Failure("bad.txt", "ingest", "empty input"))
    results = list(InProcessRunner().run(items))
    assert [getattr(r, "source", None) for r in results] == ["d0", "bad.txt", "d1"]


def test_process_pool_matches_in_process_order() -> None:
    items = documents([f"word{n}" for n in range(30)] + ["FAIL"])
    local = [r.id if isinstance(r, Article) else r.reason for r in InProcessRunner(STAGES).run(items)]
    pooled = [r.id if isinstance(r, Article) else r.reason for r in ProcessPoolRunner(STAGES, workers=2).run(items)]
    assert pooled == local


def test_a_worker_crash_costs_only_its_document() -> None:
    items = documents(["a", "b", "EXIT", "c", "d"])
    results = list(ProcessPoolRunner(STAGES, workers=2).run(items))
    assert [type(r).__name__ for r in results] == [
        "Article",
        "Article",
        "Failure",
        "Article",
        "Article",
    ]
    assert results[2] == Failure("d2", "worker", "worker process crashed on this input", "2")


def test_pipeline_builds_class_stages_once() -> None:
    built: list[int] = []

    @register_stage("test-counting")
    class Counting:
        """Counts how often it is built."""

        def __init__(self) -> None:
            built.append(1)

        def __call__(self, article: Article) -> Article:
            return article

    pipeline = Pipeline(("clean", "test-counting"))
    for item in documents(["x", "y", "z"]):
        assert isinstance(item, Document)
        pipeline.process(item)
    assert built == [1]


@register_stage("test-broken-load")
class BrokenLoad:
    """A stage whose model file is missing: it cannot be built."""

    def __init__(self) -> None:
        raise OSError("model file missing")

    def __call__(self, article: Article) -> Article:
        return article


BROKEN = ("clean", "test-broken-load")


def test_a_stage_that_cannot_load_stops_the_in_process_run() -> None:
    with pytest.raises(
        StageLoadError, match=r"stage 'test-broken-load' failed to load \(OSError: model file missing\)"
    ):
        list(InProcessRunner(BROKEN).run(documents(["a", "b"])))


def test_a_stage_that_cannot_load_stops_the_process_pool_at_once() -> None:
    # Before, every document came back as "worker process crashed on this input" and a pool was respawned for each.
    results: list[object] = []
    with pytest.raises(StageLoadError, match="test-broken-load"):
        for result in ProcessPoolRunner(BROKEN, workers=2).run(documents([f"w{n}" for n in range(12)])):
            results.append(result)
    assert results == []


def test_internal_error_tracebacks_go_to_the_log(tmp_path: Path) -> None:
    log_file = tmp_path / "errors.log"
    try:
        (result,) = InProcessRunner(STAGES, log_file=str(log_file)).run(documents(["RAISE"]))
    finally:
        for handler in [h for h in log.handlers if getattr(h, "baseFilename", None) == str(log_file)]:
            log.removeHandler(handler)
            handler.close()
    assert isinstance(result, Failure) and result.reason == "internal error (ZeroDivisionError: boom)"
    text = log_file.read_text()
    assert "internal error in stage 'test-fail-on-marker' on d0" in text
    assert "Traceback (most recent call last)" in text and 'raise ZeroDivisionError("boom")' in text


class HeldHashes:
    """A sink's holdings, as runners ask them; counts the questions asked in batches."""

    def __init__(self, hashes: set[str]) -> None:
        self.hashes = hashes
        self.asked = 0

    def known_sources(self, hashes: Iterable[str]) -> set[str]:
        self.asked += 1
        return self.hashes & set(hashes)

    def held_sources(self) -> set[str]:
        return set(self.hashes)


@pytest.mark.parametrize(
    "runner", [InProcessRunner(STAGES), ProcessPoolRunner(STAGES, workers=2)], ids=["local", "pool"]
)
def test_run_paths_passes_over_held_inputs_in_input_order(runner: Runner, tmp_path: Path) -> None:
    for number, word in enumerate(["first", "held", "FAIL", "last", "held too"]):
        (tmp_path / f"{number}.txt").write_text(f"Story {number} about the harbour, {word} in the text.")
    (tmp_path / "5.txt").write_text("")
    documents = [item for item in iter_documents([str(tmp_path)]) if isinstance(item, Document)]
    held = HeldHashes({documents[1].source_hash, documents[4].source_hash})
    results = list(runner.run_paths([str(tmp_path)], held=held))
    assert [type(result).__name__ for result in results] == [
        "Article",
        "Present",
        "Failure",
        "Article",
        "Present",
        "Failure",
    ]
    assert [result.source for result in results] == [str(tmp_path / f"{number}.txt") for number in range(6)]
    assert held.asked == 1


@pytest.mark.parametrize("make", [InProcessRunner, lambda stages: ProcessPoolRunner(stages, workers=1), RayRunner])
def test_a_runner_refuses_a_broken_pipeline_when_it_is_made(make: Any) -> None:
    # Checked in this process, not in a worker, where it would read as a stage that failed to load.
    with pytest.raises(ValueError, match=r"'headline', 'paragraphs', 'language', which no stage before it"):
        make(("headline_check",))
