"""Statements, not narration, and speakers of the classes that can speak: each rule of issue #27 on sentences of
our own (none taken from an evaluation set)."""

from __future__ import annotations

import pytest

from newstrace import analyze_text
from newstrace.annotate.quotes._filters import _titles_only
from newstrace.annotate.speakers._nouns import _clean_name
from newstrace.model import Quote


def _said(text: str) -> list[Quote]:
    return analyze_text(text, headline="A test page", published="2026-01-05").quotes


def _speakers(text: str) -> list[tuple[str | None, str | None]]:
    """(speaker name, the mention as written) of each statement."""
    return [
        (q.speaker.name, q.speaker.mention.text if q.speaker.mention else None) if q.speaker else (None, None)
        for q in _said(text)
    ]


@pytest.mark.parametrize(
    "text",
    [
        # A thing says nothing: what a video or a noise "declares" is the writer's narration.
        "The video declared that the mayor was lying about the city budget all along.",
        "Loud pops and explosions still rattle the old town throughout the whole festival week.",
        # A demonstrative is a thing or an event, not a source.
        "The new engine has a larger turbocharger. That promises better fuel economy and a quieter cabin for all.",
        # A verb of being or doing reports nothing said.
        "It's disappointing to find so many errors in the final version of the annual report.",
        # A decision or deal ("agree to", "agree a deal") is an act, not a statement.
        "Nordbank agreed to inject $2 billion into the struggling shipyard before the end of the year.",
        "Marta Silva has agreed a deal to lead the national team until the end of the decade.",
        # An order of goods is a purchase ("ordered ten jets"); "ordered that ..." would be a directive.
        "The regional carrier Skyline ordered ten new jets from the European plane maker on Monday.",
    ],
)
def test_narration_acts_and_things_are_no_statements(text: str) -> None:
    assert _said(text) == []


def test_agreeing_that_is_a_statement() -> None:
    text = "Nordbank agreed that the struggling shipyard needed fresh capital to survive the winter."
    assert _speakers(text) == [("Nordbank", "Nordbank")]


def test_a_record_speaks_for_whoever_issued_it_and_an_unissued_one_names_no_speaker() -> None:
    issued = "According to data from Harbourline, the port handled 40,000 containers in the last month of the year."
    assert _speakers(issued) == [("Harbourline", "data from Harbourline")]
    unissued = "According to reports, the ferry service will resume on Monday after the repairs are finished."
    (quote,) = _said(unissued)
    assert quote.speaker is not None and quote.speaker.name is None and quote.speaker.rule == "record"
    assert quote.speaker.mention is not None and quote.speaker.mention.text == "reports"  # the mention is kept


def test_a_share_of_a_group_is_the_group_speaking() -> None:
    text = "An overwhelming 70 percent of voters say that the new fuel tax should be scrapped next year."
    assert [name for name, _ in _speakers(text)] == ["voters"]


def test_an_age_nobody_was_given_points_back_at_the_person_the_text_is_about() -> None:
    text = (
        "Marta Silva was named coach of the national team on Monday.\n\n"
        "Negotiations with her agents lasted a week.\n\n"
        "The 48-year-old said after her appointment: “I am proud to lead this team into the next tournament.”"
    )
    assert [name for name, _ in _speakers(text)][-1] == "Marta Silva"


def test_it_continues_the_organisation_that_was_the_subject_since_the_last_one_spoke() -> None:
    text = (
        "Toyota said on Monday that its profits had fallen by a tenth.\n\n"
        "Honda, meanwhile, had sold 700,000 cars by the end of June. It announced that it would close two plants."
    )
    assert [name for name, _ in _speakers(text)] == ["Toyota", "Honda"]


def test_the_airline_is_the_organisation_the_text_called_an_airline_not_the_last_to_speak() -> None:
    text = (
        "Nordic Airline ordered ten new jets from Boeing on Monday, its chief executive Lars Holm said.\n\n"
        "Boeing said that the order was worth $2 billion at list prices.\n\n"
        "The airline said it would retire its oldest planes by the end of next year."
    )
    assert [name for name, _ in _speakers(text)][-2:] == ["Boeing", "Nordic Airline"]


def test_an_infinitive_of_saying_makes_the_cue() -> None:
    text = "The senator tried to suggest that the audit of the port authority had been rigged from the start."
    (quote,) = _said(text)
    assert quote.cue is not None and quote.cue.text == "tried to suggest"


@pytest.mark.parametrize(
    ("content", "titles"),
    [
        ("“Paper Moon” and “Vertigo.”", True),
        ("“The Long Goodbye”", True),
        ("“We will not close the port this winter,”", False),
        ("“Nobody expected this”", False),
        ("the “Master Builder” range", False),
    ],
)
def test_quoted_names_of_works_are_no_quotation(content: str, titles: bool) -> None:
    assert _titles_only(content) is titles


@pytest.mark.parametrize(
    ("written", "name"),
    [("Cook,”", "Cook"), ("“Ana Lind", "Ana Lind"), ("(Reuters)", "Reuters"), ("John Smith Jr.", "John Smith Jr."),
     ("U.S.", "U.S."), ("Lind.", "Lind"), ("Belarus (government)", "Belarus (government)")],
)  # fmt: skip
def test_a_speaker_name_keeps_none_of_the_punctuation_around_it(written: str, name: str) -> None:
    assert _clean_name(written) == name


def test_an_infinitive_cue_speaks_through_the_object_that_controls_it() -> None:
    text = "Falling sales led the Swedish furniture maker to announce that it would close two of its stores."
    assert [mention for _, mention in _speakers(text)] == ["the Swedish furniture maker"]


@pytest.mark.parametrize(
    "text",
    [
        # What was not said is no statement.
        "The mayor's office did not respond to a request for comment on the new parking rules.",
        # A phrase headed by a verb names no one.
        "And what better way than to slap a new logo on it and call it a revolution in banking.",
    ],
)
def test_unsaid_words_and_phrases_that_name_no_one_are_no_statements(text: str) -> None:
    assert [q for q in _said(text) if q.speaker is not None and q.speaker.name] == []


def test_an_inverted_reporting_verb_takes_the_name_after_it_as_its_subject() -> None:
    # "…, said <noun phrase>": the phrase after an inverted reporting verb is its subject, however long its
    # modifiers ("recently named") make it for the parser.
    text = (
        "Branch closures will be announced next month in regions that do not serve the bank’s main customers, "
        "said The Harbour Group’s recently named executive chair Oriana Velasco in a letter to staff."
    )
    (quote,) = _said(text)
    assert quote.speaker is not None and quote.speaker.name == "Oriana Velasco"
    assert text[quote.content.start : quote.content.end].startswith("Branch closures will be announced next month")


def test_according_to_before_a_clause_makes_the_clause_its_words_whatever_verb_the_clause_has() -> None:
    # "According to X, Y had admitted 3,000 students": X is the source; "admitted" here lets people in, and a tag
    # inside the words relays them only where it closes them ("…, the ministry said, according to the paper").
    text = "According to the Lakeside education board, as of 2020, the college had admitted more than 3,000 students."
    (quote,) = _said(text)
    assert quote.speaker is not None and quote.speaker.name == "Lakeside education board"
    assert quote.cue is not None and quote.cue.text == "According to"


def test_both_men_are_the_pair_the_text_named_together_and_no_one_out_of_a_longer_list() -> None:
    # "Both men" points back at two people named together; after a list of three it cannot say which two.
    later = "Both men said at the time that they were being treated well by their guards."
    pair = "Police said Oren Falk and Dana Weiss were detained near the border in March. " + later
    assert [name for name, _ in _speakers(pair)][-1] == "Oren Falk and Dana Weiss"
    three = "Oren Falk, Dana Weiss and Tom Reyes were detained near the border in March. " + later
    assert _speakers(three)[-1] == ("Both men", "Both men")


@pytest.mark.parametrize(
    ("text", "content"),
    [
        # What a directive says is that its object do the infinitive: the object belongs to what was said, whether
        # the parse finds the infinitive ("urged Portugal and others … to push back") or the tagger marks the cue
        # with its object ("have warned people") and the content without it.
        (
            "Defence minister Ana Duarte on Tuesday accused Norland of using threats against smaller nations. "
            "She urged Portugal and others in the region to push back.",
            "Portugal and others in the region to push back",
        ),
        (
            "Officials have warned people to stay away from flooded roads, and to avoid contact with the water.",
            "people to stay away from flooded roads, and to avoid contact with the water",
        ),
    ],
)
def test_a_directive_reports_its_object_with_the_infinitive(text: str, content: str) -> None:
    quote = _said(text)[-1]
    assert quote.content.text == content
    assert quote.cue is not None and quote.cue.text.split()[-1] in ("urged", "warned")


def test_a_clause_that_closes_on_a_quotation_is_said_with_its_closing_marks() -> None:
    # The parse hangs the full stop and closing mark of "it “clearly.”" on the main verb, outside the clause.
    text = (
        "Last month the harbour pilot Jonas Berg described the collision to investigators, "
        "saying he remembered it “clearly.”"
    )
    said = [q for q in _said(text) if q.cue is not None and q.cue.text == "saying"]
    assert [(q.kind, q.content.text) for q in said] == [("mixed", "he remembered it “clearly.”")]
    assert said[0].speaker is not None and said[0].speaker.name == "Jonas Berg"


def test_an_office_keeps_the_of_or_for_phrase_of_its_name() -> None:
    # "High Commissioner for Human Rights", "Secretary of State": the phrase of proper nouns is part of the name.
    text = "The Baltic Council High Commissioner for Coastal Fisheries said the new quota would not change next year."
    assert _speakers(text)[0][0] == "Baltic Council High Commissioner for Coastal Fisheries"


def test_a_country_the_model_joined_to_a_name_is_left_out_of_the_person_and_a_role_in_apposition_names_its_holder() -> (
    None
):
    # "envoy to Norway Karin Dahl": no one's name holds a country, so the model's one organisation is a place and a
    # person; the role in apposition to "Another diplomat" ends in that person's name, who is the speaker.
    text = (
        "Another diplomat, former special envoy to Norway Karin Dahl, changed her own account of the March meeting "
        "to say the minister did, in fact, discuss the fishing quotas with the visitors."
    )
    article = analyze_text(text, headline="A test page", published="2026-01-05")
    assert ("Karin Dahl", "PERSON") in [(m.text, m.label) for m in article.entities]
    assert ("Norway", "GPE") in [(m.text, m.label) for m in article.entities]
    assert [q.speaker.name for q in article.quotes if q.speaker is not None] == ["Karin Dahl"]
    # the name as the object of the role's preposition ("envoy to Norway Karin Dahl") still names the role's holder
    official = (
        "A second official, the former trade envoy to Norway Karin Dahl, said the minister did discuss the quotas."
    )
    assert [q.speaker.name for q in _said(official) if q.speaker is not None] == ["Karin Dahl"]
