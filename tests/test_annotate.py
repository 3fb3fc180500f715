"""The annotate stage: entity rules, roles, descriptions, capitals, figures, language; the seed golden test."""

from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.clean.language import detect_language
from newstrace.model import Article, Document, Entity
from newstrace.pipeline import Pipeline

PIPELINE = Pipeline(("clean", "annotate"))


def annotate(text: str) -> Article:
    result = PIPELINE.process(Document(source="t", raw=text, media_type="text/plain", source_hash="h"))
    assert isinstance(result, Article), result
    assert result.provenance_errors() == []
    return result


def person(article: Article, name: str) -> Entity:
    (entity,) = [e for e in article.entities_index if e.name == name]
    return entity


STORY = (
    "Spanish Foreign Minister Ana Duarte met envoys in Madrid on Monday. "
    "Duarte said the talks went well, and the diplomat promised more.\n\n"
    "French President Paul Martin arrived later. Paris has accused Madrid of delays, "
    "which Madrid denies. The French president left early."
)


def test_roles_affiliations_and_one_entity_per_person() -> None:
    article = annotate(STORY)
    duarte = person(article, "Ana Duarte")
    assert duarte.roles == ["Foreign Minister"] and duarte.affiliation == "Spain"
    assert {"Duarte", "the diplomat"} <= set(duarte.aliases)
    martin = person(article, "Paul Martin")
    assert martin.roles == ["President"] and martin.affiliation == "France"
    assert "The French president" in martin.aliases
    ids = {m.text: m.entity_id for m in article.entities if m.label == "PERSON"}
    assert ids["Duarte"] == ids["Ana Duarte"] == ids["the diplomat"] == duarte.id


def test_capitals_acting_stand_for_their_government() -> None:
    article = annotate(STORY)
    acting = {(m.text, m.stands_for) for m in article.entities if m.stands_for}
    assert ("Paris", "France (government)") in acting
    assert ("Madrid", "Spain (government)") in acting
    places = [m for m in article.entities if m.text == "Madrid"]
    assert places[0].stands_for is None  # "envoys in Madrid": a place, not an actor


def test_surname_of_a_person_stays_a_person() -> None:
    article = annotate(
        "Deputy Minister Oleg Varkin spoke on Friday. According to Varkin, the plan is defensive. Varkin added more."
    )
    varkin = [m for m in article.entities if m.text == "Varkin"]
    assert len(varkin) == 2 and {m.label for m in varkin} == {"PERSON"}
    assert {m.entity_id for m in varkin} == {person(article, "Oleg Varkin").id}


def test_a_fuller_name_of_a_person_is_that_person() -> None:
    article = annotate(
        "The Mexican president, Enrique Peña Nieto, has already tripped over himself trying to deal with "
        "Donald J. Trump.\n\nPeña Nieto invited Mr. Trump to Mexico City."
    )
    pena = person(article, "Enrique Peña Nieto")  # the model tags the full name ORG, the shorter one PERSON
    assert "Peña Nieto" in pena.aliases


def test_apposition_gives_the_role() -> None:
    article = annotate("Oleg Varkin, the deputy minister, said on Friday that the plan was defensive.")
    assert person(article, "Oleg Varkin").roles == ["Deputy Minister"]
    # The clause after the role is not part of it; a country after "former" is the affiliation.
    article = annotate(
        '"We must act," said Jorge Castaneda, a former Mexican foreign minister who is a critic of the plan.'
    )
    castaneda = person(article, "Jorge Castaneda")
    assert castaneda.roles == ["Former Foreign Minister"] and castaneda.affiliation == "Mexico"
    article = annotate("Ildefonso Guajardo, the Mexican secretary of the economy, came to talk.")
    assert person(article, "Ildefonso Guajardo").roles == ["Secretary of Economy"]


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "subject", "hedge", "kind"),
    [
        ("They sent around 9,000 Russian troops to the border.", 9000, "troops", "Russian troops", "around", "count"),
        (
            "More than 70,000 service members took part.",
            70000,
            "service members",
            "service members",
            "more than",
            "count",
        ),
        (
            "He was shot at by four plain-clothes NYPD officers.",
            4,
            "plain-clothes NYPD officers",
            "plain-clothes NYPD officers",  # the words as written, hyphens kept
            None,
            "count",
        ),
        ("The fund lost $4.5 million last year.", 4_500_000, "USD", None, None, "money"),
        ("Turnout rose to 64 percent.", 64, "%", None, None, "percent"),
    ],
)
def test_figures(sentence: str, value: float, unit: str, subject: str | None, hedge: str | None, kind: str) -> None:
    (quantity,) = annotate(sentence).quantities
    assert (quantity.value, quantity.unit, quantity.subject, quantity.approximate, quantity.kind) == (
        value,
        unit,
        subject,
        hedge,
        kind,
    )


def test_dates_and_years_are_not_figures() -> None:
    article = annotate("On Saturday (24/12/2022) the 2014 accord and the third round were discussed in 1999.")
    assert article.quantities == []


def test_other_languages_are_marked_not_annotated() -> None:
    article = annotate(
        "Le ministre russe des Affaires étrangères a expliqué ce que Moscou fera avec son allié biélorusse. "
        "Selon lui, les forces combinées ne jouent qu'un rôle défensif."
    )
    assert article.language == "fr"
    assert article.entities == [] and article.quantities == [] and article.times == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # Latin brand names and figures outvote a short Chinese line in fastText ("sr", "ja"), not in the script count.
        ("NVIDIA GeForce RTX 5090 评测：性能提升 30%", "zh"),
        ("Follow us on Twitter and Facebook. Download the app.\n外交部发言人表示，中方坚决反对。", "zh"),
        ("www.example.cn 管家婆论坛 www.example.com BBS Home Login 2020-04-09", "zh"),
        ("東京都は今日、新しい経済対策を発表しました。", "ja"),
        ("서울시는 오늘 새로운 경제 대책을 발표했다.", "ko"),
        ("President Xi Jinping (习近平) met the American president in San Francisco on Wednesday.", "en"),
        ("2026-03-03 | 1,379,426 | 42%", None),
    ],
)
def test_language_by_script_before_the_statistical_model(text: str, language: str | None) -> None:
    assert detect_language(text) == language


def test_chinese_article_is_marked_zh_and_not_annotated_with_english_models() -> None:
    article = annotate(
        "Apple CEO Tim Cook 周二在北京表示，iPhone 在中国市场的销量增长了 12%。\n\n"
        "他说：“我们对中国消费者的支持深表感谢。” 苹果公司将于 2026 年 3 月开设新店。"
    )
    assert article.language == "zh"
    assert article.entities == [] and article.quantities == [] and article.quotes == [] and article.times == []


def test_seed_entities_times_and_figures(seed_path: Path) -> None:
    (document,) = __import__("newstrace").iter_documents([str(seed_path)])
    article = PIPELINE.process(document)
    assert isinstance(article, Article) and article.provenance_errors() == []
    assert article.language == "en"
    galuzin = person(article, "Mikhail Galuzin")
    assert "Deputy Foreign Minister" in galuzin.roles and galuzin.affiliation == "Russia"
    assert "Galuzin" in galuzin.aliases
    surname_mentions = [m for m in article.entities if m.text == "Galuzin"]
    assert len(surname_mentions) == 2 and {m.entity_id for m in surname_mentions} == {galuzin.id}
    assert "the Belarusian president" in person(article, "Alexander Lukashenko").aliases
    person(article, "Vladimir Putin")
    names = {(e.name, e.label) for e in article.entities_index}
    for expected in [("RIA Novosti", "ORG"), ("NATO", "ORG"), ("Belarus", "GPE"), ("Ukraine", "GPE"),
                     ("Russia", "GPE"), ("Minsk", "GPE"), ("Kiev", "GPE")]:  # fmt: skip
        assert expected in names, expected
    assert article.headline is not None and all(m.end <= len(article.text) for m in article.entities)
    acting = {m.text: m.stands_for for m in article.entities if m.stands_for}
    assert acting["Minsk"] == "Belarus (government)" and acting["Kiev"] == "Ukraine (government)"
    times = {t.text: (t.value, t.mod) for t in article.times}
    assert times["24/12/2022"] == ("2022-12-24", None) and times["Saturday"] == ("2022-12-24", None)
    assert times["early October"] == ("2022-10", "START")
    assert times["Earlier this month"] == ("2022-12", None) and times["Earlier this week"] == ("2022-W51", None)
    figures = {(q.value, q.unit, q.approximate) for q in article.quantities}
    assert (9000, "troops", "around") in figures and (70000, "service members", "around") in figures
    assert [q for q in article.quantities if q.subject == "Russian troops"]
    assert [q for q in article.quantities if q.subject == "Belarusian service members"]
    assert not any(q.value in (24, 12, 2022, 24.12) for q in article.quantities)


def test_an_unparseably_long_paragraph_is_a_clear_failure() -> None:
    result = PIPELINE.process(
        Document(source="t", raw="The harbour reopened. " * 50_000, media_type="text/plain", source_hash="h")
    )
    assert not isinstance(result, Article)
    assert result.stage == "annotate" and result.reason.startswith("paragraph too long to parse")


def test_annotating_leaves_the_shared_vocabulary_as_it_was() -> None:
    from newstrace.annotate import load_english

    strings = load_english().vocab.strings
    before = len(strings)
    article = annotate(
        "Minister Qorvath Zelbrinova told Vostrakh Radio on Friday that 48,117.5 tonnes reached Ulmsgard. "
        "\u201cThe Ulmsgard corridor stays open,\u201d Zelbrinova said."
    )
    assert "Qorvath Zelbrinova" in {e.name for e in article.entities_index}
    assert {q.speaker.name for q in article.quotes if q.speaker} == {"Qorvath Zelbrinova"}
    assert len(strings) == before  # a worker's memory does not grow with a corpus's new names and numbers
    assert "Zelbrinova" not in strings
