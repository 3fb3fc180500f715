"""Quotations and reported statements, the PolNeAR reader and metric, and the seed golden test."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from conftest import shared_path
from newstrace.annotate.quotes import quoted_spans
from newstrace.evaluate.attribution import PredictedAttribution, read_brat, read_split, score
from newstrace.model import Article, Document, Quote, Span
from newstrace.pipeline import Pipeline
from newstrace.run.local import ProcessPoolRunner

PIPELINE = Pipeline(("clean", "annotate"))


def statements(text: str) -> list[Quote]:
    result = PIPELINE.process(Document(source="t", raw=text, media_type="text/plain", source_hash="h"))
    assert isinstance(result, Article), result
    assert result.provenance_errors() == []
    return result.quotes


def attributions(text: str) -> list[Quote]:
    """Every attribution PolNeAR annotates, not only statements (what `evaluate attribution` scores)."""
    from newstrace.annotate import Annotate

    cleaned = Pipeline(("clean",)).process(Document(source="t", raw=text, media_type="text/plain", source_hash="h"))
    assert isinstance(cleaned, Article)
    return Annotate(statements_only=False)(cleaned).quotes


def by_content(quotes: list[Quote], start: str) -> Quote:
    (quote,) = [q for q in quotes if q.content.text.lstrip('"“').startswith(start)]
    return quote


def spans_of(text: str) -> list[str]:
    paragraphs, start = [], 0
    for part in text.split("\n\n"):
        paragraphs.append(Span(start, start + len(part), part))
        start += len(part) + 2
    return [text[s:e] for s, e in quoted_spans(text, paragraphs)]


def test_quote_marks_and_apostrophes() -> None:
    assert spans_of("He said “yes” and ‘no’ to the countries' plan, which isn't new.") == ["“yes”", "‘no’"]
    assert spans_of('She said "no." Then «non».') == ['"no."', "«non»"]
    assert spans_of("It was 'a trap,' he said.") == ["'a trap,'"]


def test_unbalanced_and_multi_paragraph_quotes() -> None:
    text = "“First part of the quote.\n\n“Second part, still quoted,” she said.\n\nAn unclosed “quote here"
    assert spans_of(text) == ["“First part of the quote.\n\n“Second part, still quoted,”", "“quote here"]


def test_direct_quotes_with_speaker_before_after_and_inside() -> None:
    quotes = statements(
        'Finance Minister Ana Duarte said, "The budget is balanced." '
        '"We will not raise taxes," Duarte added. '
        '"Nobody," she told reporters, "expected this."'
    )
    balanced = by_content(quotes, "The budget")
    assert (balanced.kind, balanced.cue.text if balanced.cue else None) == ("direct", "said")
    assert balanced.speaker is not None and balanced.speaker.name == "Ana Duarte"
    taxes = by_content(quotes, "We will not")
    assert taxes.speaker is not None and taxes.speaker.name == "Ana Duarte"
    pronoun = [q for q in quotes if q.cue is not None and q.cue.text == "told"]
    assert pronoun and pronoun[0].speaker is not None and pronoun[0].speaker.name == "Ana Duarte"
    assert pronoun[0].channel == "reporters"


def test_indirect_speech_with_and_without_that() -> None:
    quotes = statements(
        "Defence Minister Oleg Varkin said that the force was defensive. He said the troops would stay home."
    )
    first = by_content(quotes, "that the force")
    assert first.kind == "indirect" and first.speaker is not None and first.speaker.name == "Oleg Varkin"
    second = by_content(quotes, "the troops would")
    assert second.speaker is not None and second.speaker.name == "Oleg Varkin"


def test_according_to_and_nominal_channels() -> None:
    quotes = statements(
        "According to Oleg Varkin, the plan is defensive. "
        "Speaking to the Harbour Gazette, Varkin noted that talks would continue."
    )
    according = by_content(quotes, "the plan is")
    assert according.kind == "according-to" and according.speaker is not None
    assert according.speaker.name == "Oleg Varkin"
    noted = by_content(quotes, "that talks")
    assert noted.channel == "the Harbour Gazette"


def test_capitals_speak_for_governments_and_denials_are_statements() -> None:
    quotes = statements(
        "Paris has repeatedly accused Madrid of delaying the treaty, which Madrid firmly denies. "
        "The French government said in a statement that the talks had failed."
    )
    accused = [q for q in quotes if q.cue_lemma == "accuse"]
    assert accused and accused[0].speaker is not None and accused[0].speaker.name == "France (government)"
    denied = [q for q in quotes if q.cue_lemma == "deny"]
    assert denied and denied[0].speaker is not None and denied[0].speaker.name == "Spain (government)"
    statement = [q for q in quotes if q.channel == "statement"]
    assert statement


def test_nominal_cues() -> None:
    quotes = statements(
        "Defence Minister Oleg Varkin spoke on Friday. He repeated his statement that the force was defensive. "
        "The ministry's claim that no troops had crossed surprised the neighbours."
    )
    # The trained tagger reads "repeated" as the cue of "his statement that…"; either reading keeps the speaker.
    (statement,) = [q for q in quotes if "that the force was defensive" in q.content.text]
    assert statement.cue is not None and ("statement" in statement.cue.text or "repeated" in statement.cue.text)
    assert statement.speaker is not None and statement.speaker.name == "Oleg Varkin"
    claim = by_content(quotes, "that no troops")
    assert claim.speaker is not None and claim.speaker.mention is not None
    assert claim.speaker.mention.text == "The ministry"


def test_statement_dates_come_from_the_sentence_or_paragraph() -> None:
    quotes = statements(
        "On Saturday (24/12/2022), Oleg Varkin said the force was defensive. "
        '"We are ready," he added.\n\nIn 2021 nothing was said about it by anyone at all.'
    )
    assert {q.date for q in quotes} == {"2022-12-24"}


@pytest.mark.parametrize(
    "text",
    [
        '"Unclosed quote here, she said.',
        "Mixed “curly\" and 'straight” marks, he said.",
        "«Guillemets» and „low quotes“ and ‘single’ and countries' apostrophes.",
        '""" empty quotes "" said nobody.',
        "He said ” closing first “ then opening.",
    ],
)
def test_odd_quote_marks_never_crash(text: str) -> None:
    statements(text)


def test_brat_reader_skips_malformed_lines(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    ann = tmp_path / "a_x1.ann"
    ann.write_text(
        "T1\tSource 0 3\tBob\nT2\tCue 4 8\tsaid\nT3\tContent 9 20;25 30\tit was fine here\n"
        "T4\tAttribution 4 8\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
        "T5\tContent twelve\tbroken\n"
    )
    with caplog.at_level(logging.WARNING):
        attributions, skipped = read_brat(ann)
    assert skipped == 1 and "malformed" in caplog.text
    assert attributions[0].content == ((9, 20), (25, 30)) and attributions[0].source == ((0, 3),)


def test_split_reader_uses_first_annotator_and_metric(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    text = 'Bob said "it was fine," and more.'
    (tmp_path / "text" / "a.txt").write_text(text)
    (tmp_path / "attributions" / "a_b2.ann").write_text("T1\tContent 0 3\tBob\nE1\tContent:T1\n")
    (tmp_path / "attributions" / "a_a1.ann").write_text(
        'T1\tSource 0 3\tBob\nT2\tCue 4 8\tsaid\nT3\tContent 9 22\t"it was fine,"\nE1\tContent:T3 Cue:T2 Source:T1\n'
    )
    (article,) = read_split(tmp_path)
    assert article.attributions[0].source == ((0, 3),)  # a_a1 sorts first
    # Exact match ignores punctuation at the edges: 10..21 is the content without its quote marks and comma.
    perfect = score([article], lambda _: [PredictedAttribution((0, 3), (4, 8), (10, 21))], "t").to_dict()
    assert perfect["exact"] == {
        role: {"precision": 1.0, "recall": 1.0, "f1": 1.0} for role in ("Source", "Cue", "Content")
    }
    assert perfect["speaker_accuracy_on_matched_contents"] == 1.0
    partial = score([article], lambda _: [PredictedAttribution(None, (4, 8), (9, 16))], "t").to_dict()
    assert partial["exact"]["Content"]["f1"] == 0.0 and partial["lenient_content"]["f1"] == 1.0
    failing = score([article], lambda _: 1 / 0, "t").to_dict()  # type: ignore[arg-type,return-value]
    assert failing["failed_articles"] == 1 and failing["exact"]["Content"]["recall"] == 0.0


def test_seed_statements(seed_path: Path) -> None:
    (document,) = __import__("newstrace").iter_documents([str(seed_path)])
    article = PIPELINE.process(document)
    assert isinstance(article, Article)
    quotes = article.quotes

    def speaker(start: str) -> str | None:
        quote = by_content(quotes, start)
        return quote.speaker.name if quote.speaker else None

    for start in ("The task of the joint", "It is incorrect to raise", "Relevant response steps"):
        quote = by_content(quotes, start)
        assert quote.kind == "direct" and speaker(start) == "Mikhail Galuzin" and quote.date == "2022-12-24"
    assert by_content(quotes, "The task of the joint").channel == "RIA Novosti"
    assert speaker("speculation that the troops") == "Mikhail Galuzin"
    assert by_content(quotes, "the combined Russian-Belarusian").kind == "according-to"
    assert speaker("the combined Russian-Belarusian") == "Mikhail Galuzin"
    explained = [q for q in quotes if q.cue_lemma == "explain"]
    assert len(explained) >= 2 and {q.speaker.name if q.speaker else None for q in explained} == {"Mikhail Galuzin"}
    (training,) = [q for q in quotes if "training like one force" in q.content.text]
    assert training.speaker is not None and training.speaker.name == "Alexander Lukashenko"
    assert speaker("that the two allied countries") == "Vladimir Putin"
    reiterated = by_content(quotes, "that Russia has absolutely")
    assert (
        reiterated.speaker is not None
        and reiterated.speaker.name == "Vladimir Putin"
        and "“swallowing”" in reiterated.content.text
    )
    assert speaker("that Moscow only intends") == "Vladimir Putin"
    assert speaker("neighboring Ukraine") == "Belarus (government)"
    (denial,) = [q for q in quotes if q.cue is not None and q.cue.text.endswith("denies")]
    assert denial.speaker is not None and denial.speaker.name == "Ukraine (government)"
    assert article.headline is not None and all(article.headline not in q.content.text for q in quotes)


@pytest.mark.slow
def test_no_crash_on_polnear_train_and_dev() -> None:
    articles = [
        *read_split(shared_path("eval", "polnear", "train")),
        *read_split(shared_path("eval", "polnear", "dev")),
    ]
    assert len(articles) == 924
    documents = [Document(source=a.name, raw=a.text, media_type="text/plain", source_hash=a.name) for a in articles]
    results = list(ProcessPoolRunner(("clean", "annotate"), workers=2).run(documents))
    failures = [r for r in results if not isinstance(r, Article)]
    assert failures == []


def test_a_tagged_content_takes_no_cue_from_another_sentence() -> None:
    quotes = statements(
        'Earlier this month, the fishermen\'s union said its members were "tired of hearing about bans." '
        "The union has repeatedly accused the provinces of drafting rules alone."
    )
    (tired,) = [q for q in quotes if "tired of hearing" in q.content.text]
    assert tired.cue is not None and tired.cue.text == "said"
    assert tired.speaker is not None and "union" in tired.speaker.mention.text


def test_a_passive_cue_takes_no_speaker_from_another_clause() -> None:
    quotes = statements(
        "The plan was first announced in late February by Provincial Governor Tomas Reyne. "
        "The patrol is said to involve around 40 vessels, watching over roughly 1,200 licensed fishing boats."
    )
    assert not [q for q in quotes if q.cue is not None and q.cue.text == "is said"]  # a sourceless passive
    layer = attributions(
        "The plan was first announced in late February by Provincial Governor Tomas Reyne. "
        "The patrol is said to involve around 40 vessels, watching over roughly 1,200 licensed fishing boats."
    )
    said = [q for q in layer if q.cue is not None and q.cue.text == "is said"]
    assert said and all(q.speaker is None for q in said)  # PolNeAR's layer keeps it, with nobody named
    (announced,) = [q for q in layer if q.cue is not None and "announced" in q.cue.text]
    assert announced.speaker is not None and announced.speaker.name == "Tomas Reyne"  # the "by" phrase
    troops = statements("The joint force was set up in October. They are said to comprise around 9,000 troops.")
    assert all(q.speaker is None for q in troops if q.cue is not None and q.cue.text == "are said")
    (prompted,) = statements("Mr. Trump was prompted to say that the debate had been civil.")
    assert prompted.speaker is not None and "Trump" in prompted.speaker.mention.text  # the passive subject


def test_a_content_does_not_end_on_the_relative_pronoun_of_the_next_clause() -> None:
    quotes = statements(
        "The union has repeatedly accused the provinces of drafting rules without asking the people who fish, "
        "which the governor's office denies."
    )
    assert quotes and not any(q.content.text.rstrip().endswith(", which") for q in quotes)


@pytest.mark.parametrize(
    "text",
    [
        'The harbour master said, “The port will reopen on Monday." Crews worked overnight.',
        'The harbour master said, "The port will reopen on Monday.” Crews worked overnight.',
        "The harbour master said, ‚The port will reopen on Monday.‘ Crews worked overnight.",
    ],
)
def test_a_quotation_opened_and_closed_by_marks_of_two_kinds_is_one_quotation(text: str) -> None:
    spans = quoted_spans(text, [Span(0, len(text), text)])
    assert [text[start:end][1:-1] for start, end in spans] == ["The port will reopen on Monday."]


@pytest.mark.parametrize(
    ("text", "quotations"),
    [
        # Two quotations, each closed by the other kind: the first's own mark comes only in the second.
        ('He said, “We stay." Then he left. Later he said "We are ready,” and sat.', ['“We stay."', '"We are ready,”']),
        # A quotation inside one, opened and closed by straight marks; inches after a digit.
        ('She said “he called it "a disaster" on Monday” and left.', ['“he called it "a disaster" on Monday”']),
        ('He said “the screen is 13.3" wide” and left.', ['“the screen is 13.3" wide”']),
    ],
)  # fmt: skip
def test_a_mark_of_the_other_kind_closes_only_where_a_quotation_ends(text: str, quotations: list[str]) -> None:
    assert [text[start:end] for start, end in quoted_spans(text, [Span(0, len(text), text)])] == quotations
