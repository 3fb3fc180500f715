"""Speaker resolution, identity within an article, statement boundaries, channels and dates (issue #11).

Every text here is written for the test; none is copied from an evaluation set.
"""

from __future__ import annotations

import pytest

from newstrace.lexicon import cue_lexicon_hash
from newstrace.model import Article, Document, Quote
from newstrace.pipeline import Pipeline

PIPELINE = Pipeline(("clean", "annotate"))


def analyse(text: str, published: str | None = None) -> Article:
    document = Document(source="t", raw=text, media_type="text/plain", source_hash="h", published=published)
    result = PIPELINE.process(document)
    assert isinstance(result, Article), result
    assert result.provenance_errors() == []
    return result


def statement(article: Article, start: str) -> Quote:
    (quote,) = [q for q in article.quotes if q.content.text.lstrip('"“').startswith(start)]
    return quote


def speaker_name(article: Article, start: str) -> str | None:
    quote = statement(article, start)
    return quote.speaker.name if quote.speaker else None


def test_a_pronoun_goes_to_the_person_whose_gender_agrees() -> None:
    article = analyse(
        "Harbour Town, May 4, 2026\n\n"
        "Maria Lopez, the port director, met union leader Tom Baker on Monday to discuss the dispute.\n\n"
        "Baker demanded higher pay for night shifts and a new safety inspection of the cranes.\n\n"
        '"We cannot afford a strike in the busiest month of the year," she said after the meeting.'
    )
    assert speaker_name(article, "We cannot afford") == "Maria Lopez"
    assert statement(article, "We cannot afford").speaker.rule == "pronoun"  # type: ignore[union-attr]


def test_people_sharing_a_surname_stay_apart() -> None:
    article = analyse(
        "Mayor Joe Carter said the bridge would reopen in June after the repairs are finished.\n\n"
        "His nephew, the contractor Hunter Carter, said the steel had arrived late from the mill.\n\n"
        "Joe Carter added that the city would not pay for the delay caused by the suppliers."
    )
    people = {e.name for e in article.entities_index if e.label == "PERSON"}
    assert {"Joe Carter", "Hunter Carter"} <= people
    assert speaker_name(article, "the bridge would reopen") == "Joe Carter"
    assert speaker_name(article, "the steel had arrived") == "Hunter Carter"


def test_a_name_suffix_is_not_a_surname() -> None:
    article = analyse(
        "Prosecutors charged Daniel R. Moore Jr. with fraud on Tuesday after a two-year inquiry.\n\n"
        "U.S. Attorney Paul T. Grant Jr. said the scheme had cost investors more than $4 million."
    )
    people = {e.name: e for e in article.entities_index if e.label == "PERSON"}
    assert "Paul T. Grant Jr." in people and "Daniel R. Moore Jr." in people
    assert "Daniel R. Moore Jr." not in people["Paul T. Grant Jr."].aliases
    assert speaker_name(article, "the scheme had cost") == "Paul T. Grant Jr."


def test_an_organisation_is_kept_whole() -> None:
    article = analyse(
        "The U.S. Attorney's Office for the Northern District of Ohio said the man was arrested at his home.\n\n"
        "Norway's foreign ministry said the talks with the delegation would resume next week in Oslo."
    )
    assert speaker_name(article, "the man was arrested") == "U.S. Attorney's Office for the Northern District of Ohio"
    assert speaker_name(article, "the talks with the delegation") == "Norway's foreign ministry"


def test_an_unnamed_source_is_its_description_with_no_entity() -> None:
    article = analyse("A senior official said the agreement was close to being finished after weeks of talks.")
    quote = statement(article, "the agreement was close")
    assert quote.speaker is not None and quote.speaker.name == "senior official"
    assert quote.speaker.entity_id is None and quote.speaker.rule == "unnamed"


def test_a_description_resolves_to_the_person_holding_the_role() -> None:
    article = analyse(
        "Gov. Eric Halvorsen visited the flooded plant on Monday with a team of engineers.\n\n"
        "Workers at the plant said the water had reached the second floor within an hour.\n\n"
        "The governor said the plant would reopen in May once the pumps had been replaced."
    )
    assert speaker_name(article, "the plant would reopen") == "Eric Halvorsen"


def test_it_resolves_to_the_organisation_that_spoke() -> None:
    article = analyse(
        "Brightline Foods announced on Monday that it would close two of its bakeries in the north.\n\n"
        "It said the closures would affect about 200 workers at the two sites by the end of the year."
    )
    assert speaker_name(article, "the closures would affect") == "Brightline Foods"


def test_a_quote_that_continues_into_the_next_paragraph_keeps_its_speaker() -> None:
    article = analyse(
        '"The first phase of the rail line is finished and the trains are ready," said Anna Berg, the director.\n\n'
        '"The second phase starts in May and will run until the end of the autumn season."'
    )
    assert speaker_name(article, "The second phase starts") == "Anna Berg"
    assert statement(article, "The second phase starts").speaker.rule == "continuation"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        "We'll start by noting that the most reliable figures available concern seizures at the border.",
        "The video shows officers breaking down the door of the house before dawn on Friday.",
        "The new tariffs were reported to have cost the industry several billion dollars last year.",
    ],
)
def test_narration_evidence_and_sourceless_passives_are_not_statements(text: str) -> None:
    assert analyse(text).quotes == []


@pytest.mark.parametrize(
    ("text", "start", "channel"),
    [
        ("Mayor Lena Ortiz said on Tuesday that the budget would be balanced by next spring.", "that the", None),
        ("Mayor Lena Ortiz told RIA Novosti that the budget would be balanced by next spring.", "that the",
         "RIA Novosti"),
        ("Mayor Lena Ortiz said in a tweet that the budget would be balanced by next spring.", "that the",
         "Twitter"),
        ("Mayor Lena Ortiz told reporters that the budget would be balanced by next spring.", "that the",
         "reporters"),
    ],
)  # fmt: skip
def test_channel_is_a_real_channel_or_nothing(text: str, start: str, channel: str | None) -> None:
    assert statement(analyse(text), start).channel == channel


def test_the_date_is_when_it_was_said_never_a_date_inside_the_content() -> None:
    article = analyse(
        "Chief engineer Omar Haddad said the contract signed on January 5 had never been honoured by the firm.",
        published="2026-03-12",
    )
    quote = statement(article, "the contract signed")
    assert quote.date == "2026-03-12" and quote.date_source == "reference"
    dated = analyse(
        "Chief engineer Omar Haddad said on Monday that the contract had lapsed last year.", published="2026-03-12"
    )
    quote = statement(dated, "that the contract had lapsed")
    assert quote.date == "2026-03-09" and quote.date_source == "cue"


def test_entity_ids_are_derived_from_the_name() -> None:
    article = analyse("Finance Minister Olga Petrenko said the deficit would shrink to 3% of output next year.")
    (olga,) = [e for e in article.entities_index if e.name == "Olga Petrenko"]
    assert olga.id == "person:olga-petrenko"


def test_spelling_variants_of_a_surname_are_one_person_and_given_names_keep_people_apart() -> None:
    from newstrace.annotate.entities import _Person, _person_key

    people: dict[str, _Person] = {}
    keys = {}
    for position, name in enumerate(["Volodymyr Zelensky", "Zelenskiy", "Volodymyr Zelenskyy", "Joe Biden",
                                     "Hunter Biden", "Biden", "J. Biden"]):  # fmt: skip
        key = _person_key(name, people, position)
        person = people.setdefault(key, _Person(key))
        person.names[name] += 1
        person.last_seen = position
        keys[name] = key
    assert keys["Volodymyr Zelensky"] == keys["Zelenskiy"] == keys["Volodymyr Zelenskyy"]
    assert keys["Joe Biden"] != keys["Hunter Biden"]
    assert keys["Biden"] == keys["Hunter Biden"]  # a surname alone: the latest person with it
    assert keys["J. Biden"] == keys["Joe Biden"]  # an initial fits Joe, not Hunter


def test_the_shipped_tagger_was_trained_with_todays_cue_lexicon() -> None:
    import json

    from newstrace.annotate.attribution_model import MODEL_PATH

    card = json.loads(MODEL_PATH.with_suffix(".json").read_text(encoding="utf-8"))
    assert card["cue_lexicon_sha256"] == cue_lexicon_hash(), "the cue lexicon changed: run make train-attribution"


def test_the_shipped_confidence_model_loads_offline_and_ranks_a_named_speaker_above_an_unresolved_pronoun() -> None:
    import json

    from newstrace.annotate.confidence import MODEL_PATH, SpeakerConfidence, speaker_features
    from newstrace.annotate.speakers import Resolution

    card = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["card"]
    assert card["cue_lexicon_sha256"] == cue_lexicon_hash(), "the cue lexicon changed: run make train-confidence"
    assert card["examples"]["polnear"]["articles"] > 500 and card["examples"]["whosaid"]["statements"] > 100
    model = SpeakerConfidence()
    named = model.probability(speaker_features(Resolution("Ana Duarte", "person:ana-duarte", "named"), "direct",
                                               True, "Ana Duarte"))  # fmt: skip
    unresolved = model.probability(speaker_features(Resolution(None, None, "unresolved"), "indirect", True, "he"))
    assert 0.0 < unresolved < named < 1.0


def test_confidence_features_name_the_rule_and_the_evidence() -> None:
    from newstrace.annotate.confidence import speaker_features
    from newstrace.annotate.speakers import Resolution

    features = speaker_features(Resolution("Tom Baker", "person:tom-baker", "relative:pronoun", 2, 3, True), "mixed",
                                True, "who")  # fmt: skip
    assert features["rule=pronoun"] == 1.0 and features["relative"] == 1.0
    assert features["distance"] == 2.0 and features["several_candidates"] == 1.0 and features["agreement"] == 1.0


def test_a_statement_relayed_by_an_outlet_is_its_speakers() -> None:
    article = analyse(
        "There is no evidence linking the third case to the first two, the regional health commission said, "
        "according to Reuters."
    )
    quote = statement(article, "There is no evidence")
    assert quote.speaker is not None and quote.speaker.name == "regional health commission"


def test_a_content_without_a_tagged_cue_takes_the_verb_that_governs_it() -> None:
    article = analyse(
        "Dr. Lena Fischer of the Harbour Times spoke to families in the ward on Tuesday evening.\n\n"
        "The agency assured the public in a post on Weibo that the risk of transmission was extremely low."
    )
    quote = statement(article, "that the risk of transmission")
    assert quote.speaker is not None and quote.speaker.name == "agency"


def test_that_said_is_an_idiom_not_a_speaker() -> None:
    article = analyse("That said, the agency says that the northern border remains the main entry point for the drug.")
    (quote,) = [q for q in article.quotes if "northern border" in q.content.text]
    assert quote.speaker is not None and quote.speaker.name == "agency"


def test_a_name_in_apposition_or_closing_the_phrase_names_the_speaker() -> None:
    article = analyse(
        "The label that owns most of her early records, Northgate Music, said the dispute had been settled.\n\n"
        "Harbour Times editor-in-chief Ragnar Olafsson said the paper would appeal the ruling next week."
    )
    assert speaker_name(article, "the dispute had been settled") == "Northgate Music"
    assert speaker_name(article, "the paper would appeal") == "Ragnar Olafsson"


def test_a_participle_clause_takes_the_subject_of_its_sentence() -> None:
    article = analyse(
        "Singer Mara Quinn won wide support last week after accusing the studio of trying to block her old songs."
    )
    quote = statement(article, "the studio of trying")
    assert quote.speaker is not None and quote.speaker.name == "Mara Quinn"


def test_a_long_organisation_name_gets_an_id_that_fits_a_column() -> None:
    from newstrace.annotate.entities import new_entity_id

    name = "United States Attorney's Office for the Western District of New York State"
    long_id = new_entity_id("ORG", name, set())
    assert len(long_id) <= 64 and long_id.startswith("org:united-states-attorney")
    assert new_entity_id("ORG", name, set()) == long_id


def test_a_quotation_running_over_paragraphs_is_one_statement_with_its_speaker() -> None:
    article = analyse(
        'Anna Berg, the project director, said: "The first phase of the line is finished and the trains are ready.'
        '\n\n"The second phase starts in the autumn and will run until the end of next year."'
    )
    (quote,) = [q for q in article.quotes if "second phase" in q.content.text]
    assert "first phase" in quote.content.text
    assert quote.speaker is not None and quote.speaker.name == "Anna Berg"


def test_a_quote_with_its_own_tag_relayed_by_a_statement_is_the_tagged_speakers() -> None:
    article = analyse(
        'Prime Minister Lars Holm visited the settlement on Monday. "Here we are on a historic day with another '
        'tremendous achievement for the region," he told local leaders, according to a statement.'
    )
    readings = [q for q in article.quotes if "historic day" in q.content.text]
    assert len(readings) == 1 and readings[0].speaker is not None and readings[0].speaker.name == "Lars Holm"


def test_it_prefers_the_organisation_that_was_a_subject_to_one_that_modifies_a_noun() -> None:
    article = analyse(
        "Northwind Airways had a fleet of 90 aircraft at the end of October, the company's annual report shows.\n\n"
        "In addition to its order of 30 Boeing jets on Wednesday, it announced that it would buy 20 more "
        "planes from a smaller manufacturer next year."
    )
    quote = statement(article, "that it would buy")
    assert quote.speaker is not None and quote.speaker.name == "Northwind Airways"


def test_it_after_they_keeps_the_organisation_they_resolved_to() -> None:
    article = analyse(
        "Harbour Records have twice denied doing anything wrong in the dispute over the singer's old songs.\n\n"
        '"At no point did we block her performance at the awards show," they said in a statement on Friday.\n\n'
        "The singer's fans had filled the streets outside the theatre for most of the week.\n\n"
        "Now another statement has gone out, this time directly to the organisers of the show.\n\n"
        '"We have agreed to grant all licences for the broadcast of the performance," it says.'
    )
    quote = statement(article, "We have agreed to grant")
    assert quote.speaker is not None and quote.speaker.name == "Harbour Records"


def test_a_tagged_last_sentence_of_a_quotation_takes_the_whole_quotation() -> None:
    from newstrace.annotate.quotes import quoted_spans
    from newstrace.annotate.quotes._filters import _through_continued_quotation
    from newstrace.annotate.quotes._found import _Found
    from newstrace.model import Span

    text = '"The engineers wanted to inspect the dam. Nobody could reach the site," spokesman Tomas Berg said.'
    quotes = quoted_spans(text, [Span(0, len(text), text)])
    last_sentence = (text.index("Nobody"), text.index(',"') + 2)  # what a tagger reading sentence by sentence marks
    cue = (text.index("said"), text.index("said") + 4)
    item = _Found("direct", last_sentence, cue, "say", (text.index("Tomas"), cue[0] - 1), (0, len(text)), 0.7)
    whole = _through_continued_quotation(item, quotes, text)
    assert text[whole.content[0] : whole.content[1]].startswith('"The engineers wanted')


def test_a_paragraph_that_is_only_a_quotation_becomes_an_untagged_statement() -> None:
    from newstrace.annotate.quotes import quoted_spans
    from newstrace.annotate.quotes._filters import _untagged_quotations
    from newstrace.annotate.quotes._found import _Found
    from newstrace.model import Span

    first = "Minister Ana Duarte said the release gave the government hope for the talks."
    second = '"We see these developments as hopeful signs for a settlement."'
    text = f"{first}\n\n{second}"
    paragraphs = [Span(0, len(first), first), Span(len(first) + 2, len(text), second)]
    said = _Found("indirect", (first.index("the release"), len(first) - 1), (19, 23), "say", (0, 18), (0, 80), 0.6)
    found = _untagged_quotations([said], quoted_spans(text, paragraphs), paragraphs, text)
    (added,) = found[1:]
    assert (added.kind, added.cue, added.source) == ("direct", None, None)
    assert text[added.content[0] : added.content[1]].startswith("We see these developments")


def test_an_as_clause_reports_the_clause_it_hangs_from() -> None:
    article = analyse(
        "As Maria Olsen reports for the Harbour Times, the first cases came to light last week, when officials "
        "in the capital announced that two patients had been admitted to hospital."
    )
    quote = statement(article, "the first cases came to light")
    assert quote.content.text == "the first cases came to light last week"
    assert quote.speaker is not None and quote.speaker.name == "Maria Olsen"


def test_the_correlative_both_is_not_part_of_an_unnamed_source() -> None:
    article = analyse(
        "Both independent analysts and residents of the camp told reporters that the official claims were false."
    )
    quote = statement(article, "that the official claims")
    assert quote.speaker is not None and quote.speaker.name == "independent analysts and residents of the camp"


def test_his_office_speaks_for_the_man_the_text_is_about_not_the_last_speaker() -> None:
    article = analyse(
        "Senator Paul Warren said the harbour levy would rise by 2 percent next year.\n\n"
        "Dock workers gathered outside the town hall on Friday but did not see Mayor Gregory Finch there.\n\n"
        "His office said he was attending a regional meeting on flood defences in the north."
    )
    assert speaker_name(article, "he was attending a regional meeting") == "Gregory Finch"


def test_a_role_never_stated_refers_to_the_subject_of_the_sentence_before() -> None:
    article = analyse(
        "Halvard Quist did not expect the minister to visit the fish market on Thursday.\n\n"
        "Quist has run a stall near the pier for twenty years. The fishmonger said the visit had "
        "brought more customers than a whole week of advertising."
    )
    assert speaker_name(article, "the visit had brought") == "Halvard Quist"


def test_a_thing_is_no_bridge_to_the_previous_subject() -> None:
    article = analyse(
        "Halvard Quist opened his stall near the pier on Thursday morning.\n\n"
        "The paper said the market would close for repairs in the spring."
    )
    quote = statement(article, "the market would close")
    assert quote.speaker is not None and quote.speaker.name != "Halvard Quist"


def test_a_full_name_the_model_calls_an_organisation_is_the_person_named_by_its_surname() -> None:
    article = analyse(
        "Oswin Brackett opened the bakery on Mill Street in 2004 with a loan from his aunt.\n\n"
        '"We bake through the night," said Brackett, who employs nine people.'
    )
    labels = {e.name: e.label for e in article.entities_index}
    assert labels.get("Oswin Brackett") == "PERSON"
    assert speaker_name(article, "We bake through the night") == "Oswin Brackett"


def test_words_before_an_interrupting_tag_open_the_content() -> None:
    article = analyse(
        "Too often, the inspector said, the ferries leave the harbour with broken radios.\n\n"
        "Meanwhile, the captain said, the crew had repaired the radio twice this winter.\n\n"
        'At the same time, she added, "We cannot sail without a working radio."'
    )
    assert statement(article, "Too often").content.text.endswith("with broken radios")
    assert statement(article, "the crew had repaired").speaker is not None  # "Meanwhile" is the writer's
    assert statement(article, "We cannot sail").kind == "direct"  # the quotation alone, not "At the same time"


def test_an_unnamed_description_pointing_back_is_told_from_an_indefinite_source() -> None:
    from newstrace.annotate.confidence import speaker_features
    from newstrace.annotate.speakers import Resolution

    def pointing_back(mention: str) -> float:
        return speaker_features(Resolution(mention, None, "unnamed"), "indirect", True, mention)["definite_unnamed"]

    assert pointing_back("Another diplomat") == pointing_back("Both men") == pointing_back("The 71-year-old") == 1.0
    assert pointing_back("a senior official") == pointing_back("the officials") == pointing_back("critics") == 0.0
