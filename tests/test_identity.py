"""Identity: one entity per country, organisation or person, in an article and across a store, under ids that keep
every letter; demonyms and currencies are no organisations or people; names cleaned of glued words and punctuation.
Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from newstrace.annotate._names import abbreviates, name_bounds
from newstrace.corpus import records_from_article, resolve_identities
from newstrace.corpus.identity import EntityRecord
from newstrace.lexicon import COUNTRY_NAMES, CURRENCY_NAMES, DEMONYMS
from newstrace.model import Article, Entity, name_slug, transliterate
from test_annotate import annotate


def named(article: Article, name: str) -> list[Entity]:
    return [e for e in article.entities_index if e.name == name]


def test_the_names_of_one_country_are_one_place_entity() -> None:
    article = annotate(
        "The United States (U.S.) and the U.S.A. signed the fisheries pact in Geneva. The US said it would comply, "
        "and America will send inspectors. Officials in the UK agreed; Britain will send two ships."
    )
    (states,) = named(article, "United States")
    assert states.label == "GPE" and {"U.S.", "U.S.A.", "US", "America"} <= set(states.aliases)
    assert states.id == "gpe:united-states"
    (kingdom,) = named(article, "United Kingdom")
    assert {"UK", "Britain"} <= set(kingdom.aliases)
    assert {m.entity_id for m in article.entities if m.text in ("US", "U.S.", "America")} == {states.id}


def test_the_country_table_comes_from_iso_names_and_the_short_forms_of_the_news() -> None:
    assert COUNTRY_NAMES["Russian Federation"] == COUNTRY_NAMES["Russia"] == "Russia"
    assert COUNTRY_NAMES["United States of America"] == COUNTRY_NAMES["U.S."] == "United States"
    assert COUNTRY_NAMES["Korea, Republic of"] == "South Korea" and COUNTRY_NAMES["Cote d'Ivoire"] == "Côte d'Ivoire"
    assert DEMONYMS["Britons"] == DEMONYMS["British"] == "United Kingdom" and "Chineses" not in DEMONYMS
    assert {"euro", "dollars", "rouble", "yuan", "sterling"} <= CURRENCY_NAMES
    assert not {"real", "rand", "won", "gold"} & CURRENCY_NAMES  # as often a name (Real Madrid, Ayn Rand)


@pytest.mark.parametrize(
    "text",
    [
        "According to Britons, the deal is off.",  # the model tags "Britons" PERSON
        "Ukrainian said on Monday that prices would rise.",  # the model tags "Ukrainian" ORG
    ],
)
def test_a_demonym_is_a_nationality_never_an_organisation_or_a_person(text: str) -> None:
    article = annotate(text)
    demonyms = [m for m in article.entities if m.text in DEMONYMS]
    assert demonyms and {m.label for m in demonyms} == {"NORP"}


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Shoppers in the harbour market paid in Euros.", "Euros"),  # the model tags it PERSON
        ("Shares of Vexcor rose 4 percent. The dollar gained and Sterling slipped.", "Sterling"),  # ORG
    ],
)
def test_a_currency_is_no_entity(text: str, word: str) -> None:
    article = annotate(text)
    assert word not in {m.text for m in article.entities}


@pytest.mark.parametrize(
    ("text", "name", "surname"),
    [
        ("Coach Nia Sterling spoke in Leeds on Friday. Sterling said the team was ready.", "Nia Sterling", "Sterling"),
        ("Mayor Dana Irish opened the bridge. Irish said it cost too much.", "Dana Irish", "Irish"),
    ],
)
def test_a_surname_that_is_also_a_currency_or_a_demonym_stays_the_persons_name(
    text: str, name: str, surname: str
) -> None:
    article = annotate(text)
    (person,) = named(article, name)
    assert {(m.label, m.entity_id) for m in article.entities if m.text == surname} == {("PERSON", person.id)}


def test_a_common_noun_opening_a_sentence_or_quotation_is_no_name() -> None:
    # The model tags "Crank" ORG; the article writes it in lower case elsewhere.
    article = annotate("“Crank is everywhere in this valley,” the sheriff said. The county's crank problem is growing.")
    assert "Crank" not in {m.text for m in article.entities}


def test_a_one_word_name_after_an_article_is_a_thing_or_a_group_not_a_person() -> None:
    article = annotate("Dealers sold cars like the Altima and the Camry. The Ravens spent Monday at the track.")
    assert not [m for m in article.entities if m.label == "PERSON"]
    assert "Altima" not in {m.text for m in article.entities}


def test_a_word_glued_in_front_of_a_name_is_left_out_and_the_name_joins_its_person() -> None:
    article = annotate(
        "Lina Ortiz, the director of Harbor Labs, opened the fair on Friday.\n\n"
        "Welcoming Ortiz at the gate was a delight, the mayor said. Ortiz said the fair would return next year."
    )
    (ortiz,) = named(article, "Lina Ortiz")
    assert not [e for e in article.entities_index if "Welcoming" in e.name]
    names = [m.text for m in article.entities if m.entity_id == ortiz.id and m.label == "PERSON"]
    assert [name for name in names if "Ortiz" in name] == ["Lina Ortiz", "Ortiz", "Ortiz"]


def test_a_name_glued_to_its_repeat_ends_before_it() -> None:
    article = annotate("Sheriff Dana KellyDana Kelly said the roads were closed until Friday.")
    assert named(article, "Dana Kelly") and not [e for e in article.entities_index if "KellyDana" in e.name]


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("“Dana Kelly", "Dana Kelly"),
        ("Dana Kelly,”", "Dana Kelly"),
        ("—Harbor Labs.", "Harbor Labs"),
        ("U.S.", "U.S."),
        ("Harbor Labs Inc.", "Harbor Labs Inc."),
        ("Coastal Agency (Port Aven)", "Coastal Agency (Port Aven)"),
        ("Ronald McDonald", "Ronald McDonald"),  # a capital inside a name that repeats nothing stays
        ("Lina OrtizLina", "Lina Ortiz"),
    ],
)
def test_a_names_characters_leave_out_surrounding_punctuation_and_glued_text(written: str, name: str) -> None:
    start, end = name_bounds(written, 0, len(written))
    assert written[start:end] == name


def test_an_organisation_cut_to_its_head_noun_is_the_organisation_named_in_full() -> None:
    article = annotate("The Bank of England raised rates on Thursday. The Bank said inflation would fall by spring.")
    (bank,) = [e for e in article.entities_index if e.label == "ORG"]
    assert bank.name == "Bank of England" and bank.aliases == ["Bank"]


def test_a_short_form_defined_in_brackets_is_the_name_it_follows() -> None:
    article = annotate(
        "The Coastal Fisheries Agency (CFA) closed the bay on Monday. CFA inspectors said the water was clean."
    )
    (agency,) = named(article, "Coastal Fisheries Agency")
    assert "CFA" in agency.aliases
    assert {m.entity_id for m in article.entities if m.text == "CFA"} == {agency.id}


@pytest.mark.parametrize(
    ("short", "name", "expected"),
    [
        ("CFA", "Coastal Fisheries Agency", True),
        ("NYAG", "New York State Attorney General", True),  # a word passed over
        ("BoE", "Bank of England", True),
        ("Fed", "Federal Reserve", True),  # a clipped first word
        ("U.S.", "United States", True),
        ("PVS", "Coastal Fisheries Agency", False),
        ("Port", "Coastal Fisheries Agency", False),
    ],
)
def test_what_abbreviates_a_name(short: str, name: str, expected: bool) -> None:
    assert abbreviates(short, name) is expected


def test_ids_are_readable_slugs_that_keep_every_letter() -> None:
    assert name_slug("Tim Cook") == "tim-cook" and name_slug("Twitter") == "twitter"
    assert name_slug("Михаил Галузин") == name_slug("Mikhail Galuzin") == "mikhail-galuzin"
    assert name_slug("Enrique Peña Nieto") == "enrique-pena-nieto" and transliterate("Łukaszenka") == "Lukaszenka"
    article = annotate("Apple chief executive Tim Cook spoke on Twitter on Monday. Cook said sales rose.")
    ids = {e.name: e.id for e in article.entities_index}
    assert ids["Tim Cook"] == "person:tim-cook" and ids["Twitter"] == "org:twitter"


def test_corpus_ids_are_the_articles_slugs_and_nationalities_stay_nationalities() -> None:
    def record(article: str, entity_id: str, name: str, label: str) -> EntityRecord:
        return EntityRecord(article, Entity(entity_id, name, label), "2024-05-0" + article[-1])

    records = [
        record("a1", "person:mikhail-galuzin", "Mikhail Galuzin", "PERSON"),
        record("a2", "person:mikhail-galuzin", "Михаил Галузин", "PERSON"),
        record("a1", "org:twitter", "Twitter", "ORG"),
        record("a2", "gpe:beijing", "Beijing", "GPE"),
        record("a3", "gpe:new-york", "New York", "GPE"),
        record("a1", "norp:american", "American", "NORP"),
        record("a3", "person:tim-cook", "Tim Cook", "PERSON"),
        record("a4", "person:cook", "Cook", "PERSON"),
    ]
    entities = {e.name: e for e in resolve_identities(records)}
    assert entities["Mikhail Galuzin"].id == "person:mikhail-galuzin"
    assert entities["Mikhail Galuzin"].article_ids == ["a1", "a2"]
    assert entities["Twitter"].id == "org:twitter" and entities["Beijing"].id == "place:beijing"
    assert entities["New York"].id == "place:new-york" and entities["Tim Cook"].id == "person:tim-cook"
    assert entities["Tim Cook"].article_ids == ["a3", "a4"]
    assert entities["American"].label == "NORP" and entities["American"].id == "norp:american"


def test_one_id_for_a_speaker_in_the_article_its_statements_and_the_corpus() -> None:
    article = annotate(
        'Deputy Minister Oleg Varkin spoke in Minsk on Friday. "The border stays open," Varkin told reporters.'
    )
    speakers = {q.speaker.entity_id for q in article.quotes if q.speaker and q.speaker.name == "Oleg Varkin"}
    (person,) = [e for e in resolve_identities(records_from_article(article)) if e.name == "Oleg Varkin"]
    assert speakers == {person.id} == {"person:oleg-varkin"}


# The AEB pages' US spellings, and the demonyms and currencies the model tagged ORG or PERSON there.


def test_a_name_after_a_personal_title_is_a_person_whatever_the_model_said() -> None:
    from newstrace.annotate import load_english
    from newstrace.annotate._names import MentionDraft
    from newstrace.annotate.entities import _titled_people

    doc = load_english()("Layoffs start on Friday, wrote the executive chair Tomas Varga in a memo to staff.")
    start = doc.text.index("Tomas Varga")
    token = next(t for t in doc if t.idx == start)
    taken_for_a_company = MentionDraft(start, start + len("Tomas Varga"), "Tomas Varga", "ORG", token)
    (relabelled,) = _titled_people([taken_for_a_company])
    assert relabelled.label == "PERSON"
    company = MentionDraft(0, len("Layoffs"), "Layoffs", "ORG", doc[0])
    assert _titled_people([company])[0].label == "ORG"  # no title before it


def test_a_company_name_without_its_generic_tail_is_the_company() -> None:
    article = annotate(
        "Nordair Airlines ordered ten jets from Boeing on Monday. Boeing said the order was worth $2 billion. "
        "As of October, Nordair had a fleet of 90 aircraft."
    )
    nordair = [m for m in article.entities if m.text in ("Nordair Airlines", "Nordair")]
    assert len(nordair) == 2 and {m.label for m in nordair} == {"ORG"} and len({m.entity_id for m in nordair}) == 1
