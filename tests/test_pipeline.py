"""The stage contract: checked when a pipeline is built, printed by the analysis; settings reach a stage's class;
each document has a time budget over all its stages."""

from __future__ import annotations

import contextlib
import importlib
import signal
import threading
import time

import pytest

from newstrace.model import Article, Document, Failure
from newstrace.pipeline import (
    DEFAULT_ARTICLE_SECONDS,
    DEFAULT_STAGES,
    DOCUMENT,
    Pipeline,
    analyze_pipeline,
    get_stage,
    register_stage,
    registered_stages,
)
from newstrace.pipeline._builtin import BUILTIN_STAGES


def test_a_stage_without_what_it_reads_is_refused_naming_the_fields_and_their_stage() -> None:
    with pytest.raises(
        ValueError, match=r"'headline_check' requires 'text', 'headline', 'paragraphs', 'language'.*'clean' assigns"
    ):
        Pipeline(("headline_check",))


def test_a_stage_naming_a_field_article_lacks_is_refused() -> None:
    with pytest.raises(ValueError, match=r"stage 'test-bad-field' assigns sentiment: not a field of Article"):

        @register_stage("test-bad-field", assigns=("sentiment",))
        def bad(article: Article) -> Article:
            return article

    with pytest.raises(KeyError):
        get_stage("test-bad-field")


@register_stage("test-needs-quotes", requires=("quotes",))
def needs_quotes(article: Article) -> Article:
    """Reads the statements annotate finds."""
    return article


def test_a_stage_reading_what_only_a_later_stage_assigns_is_refused() -> None:
    # Refused before any stage is built: no model loads.
    with pytest.raises(ValueError, match=r"'test-needs-quotes' requires 'quotes'.*'annotate' assigns 'quotes'"):
        Pipeline(("clean", "test-needs-quotes", "annotate"))


def test_two_stages_assigning_one_field_are_refused() -> None:
    with pytest.raises(ValueError, match=r"stage 'annotate' assigns 'times', which stage 'times' assigns before it"):
        Pipeline(("clean", "times", "annotate"))


def test_a_built_in_name_cannot_be_registered_again() -> None:
    with pytest.raises(ValueError, match="already registered"):
        register_stage("clean")(needs_quotes)


built_with: list[int] = []


@register_stage("test-configured", requires=("text",))
class Configured:
    """Remembers the setting it was built with."""

    def __init__(self, factor: int = 1) -> None:
        built_with.append(factor)

    def __call__(self, article: Article) -> Article:
        return article


def test_config_reaches_a_class_stage() -> None:
    built_with.clear()
    pipeline = Pipeline(("clean", "test-configured"), config={"test-configured": {"factor": 3}})
    assert built_with == [3]
    assert isinstance(pipeline.process(Document("d", "Some words in a text.", "text/plain", "h")), Article)


def test_config_a_stage_cannot_take_is_refused() -> None:
    with pytest.raises(ValueError, match=r"'test-configured'.*'facter'"):
        Pipeline(("clean", "test-configured"), config={"test-configured": {"facter": 3}})
    with pytest.raises(ValueError, match="'clean' is a function and takes no settings"):
        Pipeline(("clean",), config={"clean": {"strict": True}})
    with pytest.raises(ValueError, match="not in the pipeline: annotate"):
        Pipeline(("clean",), config={"annotate": {"attribution": False}})


def test_the_default_pipeline_keeps_its_contract() -> None:
    assert all(not row.problems for row in analyze_pipeline(DEFAULT_STAGES))


def test_the_analysis_names_where_each_required_field_comes_from() -> None:
    clean, annotate = analyze_pipeline(("clean", "annotate"))
    assert clean.provided_by == {"raw": DOCUMENT, "media_type": DOCUMENT}
    assert annotate.requires == ("text", "paragraphs", "reference_date", "language")
    assert annotate.provided_by == dict.fromkeys(annotate.requires, "clean")
    assert "language" not in annotate.assigns  # clean detects it; annotate reads it
    assert not clean.problems and not annotate.problems
    (check,) = analyze_pipeline(("headline_check",))
    # Only some containers carry a title: clean finds the headline of every other input, so it must run first.
    assert check.provided_by == {} and len(check.problems) == 1
    assert "requires 'text', 'headline', 'paragraphs', 'language'" in check.problems[0]
    (_, check) = analyze_pipeline(("clean", "headline_check"))
    assert check.provided_by["headline"] == "clean" and not check.problems


def test_each_field_has_one_writer_in_the_default_pipeline() -> None:
    assigned = [name for row in analyze_pipeline(DEFAULT_STAGES) for name in row.assigns]
    assert len(assigned) == len(set(assigned))


def test_the_table_matches_the_stages_it_names() -> None:
    """Each built-in's target imports (no model loads) and its first docstring line is the one `stages` prints."""
    for name, row in BUILTIN_STAGES.items():
        module, _, attribute = row.target.partition(":")
        target = getattr(importlib.import_module(module), attribute)
        assert callable(target) and (target.__doc__ or "").strip().splitlines()[0] == row.doc, name
    assert {spec.name for spec in registered_stages()} >= set(BUILTIN_STAGES)


@register_stage("test-spins-on-spin", requires=("text",))
def spins_on_spin(article: Article) -> Article:
    """Loops without end on a text holding SPIN, as a pathological input might; passes any other text."""
    while "SPIN" in article.text:
        pass
    return article


@register_stage("test-sleeps-on-slow", requires=("text",))
def sleeps_on_slow(article: Article) -> Article:
    """Takes 0.3 s on a text holding SLOW, and catches every Exception, as a careless stage might."""
    if "SLOW" in article.text:
        with contextlib.suppress(Exception):  # careless on purpose: the budget must still stop it
            time.sleep(0.3)
    return article


def _documents(*texts: str) -> list[Document]:
    return [Document(f"d{index}", text, "text/plain", f"h{index}") for index, text in enumerate(texts)]


def test_a_stage_past_the_article_budget_is_stopped_and_the_next_document_runs() -> None:
    pipeline = Pipeline(("clean", "test-spins-on-spin"), article_seconds=0.5)
    handler_before = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    spinning, ordinary = (pipeline.process(document) for document in _documents("SPIN goes round.", "Plain words."))
    assert time.monotonic() - started < 5
    assert isinstance(spinning, Failure)
    assert (spinning.stage, spinning.reason) == (
        "test-spins-on-spin",
        "took longer than 0.5 s, the time one article may take",
    )
    assert isinstance(ordinary, Article)
    assert signal.getsignal(signal.SIGALRM) is handler_before


def test_a_stage_that_catches_every_exception_is_still_stopped() -> None:
    pipeline = Pipeline(("clean", "test-sleeps-on-slow"), article_seconds=0.1)
    (result,) = (pipeline.process(document) for document in _documents("SLOW words."))
    assert isinstance(result, Failure) and result.stage == "test-sleeps-on-slow"


def test_off_the_main_thread_the_budget_is_checked_after_each_stage() -> None:
    pipeline = Pipeline(("clean", "test-sleeps-on-slow"), article_seconds=0.1)
    results: list[Article | Failure] = []
    worker = threading.Thread(target=lambda: results.extend(map(pipeline.process, _documents("SLOW words.", "Fine."))))
    worker.start()
    worker.join(10)
    slow, fine = results
    assert isinstance(slow, Failure) and slow.stage == "test-sleeps-on-slow" and "longer than 0.1 s" in slow.reason
    assert isinstance(fine, Article)


def test_an_alarm_set_outside_keeps_its_handler_and_its_time() -> None:
    rang: list[float] = []
    outer = signal.signal(signal.SIGALRM, lambda signum, frame: rang.append(time.monotonic()))
    try:
        # Due before the article's budget: it rings inside the stage, and the stage still runs to its end.
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        pipeline = Pipeline(("clean", "test-sleeps-on-slow"), article_seconds=5)
        (slow,) = (pipeline.process(document) for document in _documents("SLOW words."))
        assert isinstance(slow, Article) and len(rang) == 1
        # Due after the article: it is set again for its time left once the article is done.
        signal.setitimer(signal.ITIMER_REAL, 0.6)
        started = time.monotonic()
        assert isinstance(pipeline.process(_documents("Fine words.")[0]), Article)
        assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 0.6
        while len(rang) < 2 and time.monotonic() - started < 5:
            time.sleep(0.01)
        assert len(rang) == 2 and rang[1] - started >= 0.55
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, outer)


def test_the_article_budget_must_be_positive() -> None:
    with pytest.raises(ValueError, match="article_seconds must be positive"):
        Pipeline(("clean",), article_seconds=0)
    assert Pipeline(("clean",)).article_seconds == DEFAULT_ARTICLE_SECONDS
