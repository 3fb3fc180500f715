"""Statements in Russian: quotations with their tags, reported speech, parenthetical sources, interview turns."""

from __future__ import annotations

import pytest

from newstrace import analyze_text
from newstrace.model import Article, Quote

# Our own sentences in the way Russian wire copy writes them (none is taken from a dataset).
GALUZIN = (
    "Заместитель министра иностранных дел России Михаил Галузин заявил в субботу в интервью РИА Новости, "
    "что Россия не собирается нападать на Украину.\n\n"
    "«Белоруссия не нападёт на Украину ни при каких условиях», — сказал он.\n\n"
    "По словам Галузина, около 9 тыс. российских военных находятся в Белоруссии.\n\n"
    "Президент Белоруссии Александр Лукашенко ранее призвал соседей прекратить поставки оружия."
)


@pytest.fixture(scope="module")
def galuzin() -> Article:
    return analyze_text(GALUZIN, published="2022-12-24")


def _by_content(article: Article, words: str) -> Quote:
    return next(q for q in article.quotes if words in q.content.text)


def test_reported_speech_after_a_cue_has_its_named_speaker_channel_and_date(galuzin: Article) -> None:
    assert galuzin.language == "ru"
    quote = _by_content(galuzin, "не собирается нападать")
    assert quote.content.text == "Россия не собирается нападать на Украину"
    assert quote.kind == "indirect"
    assert quote.speaker is not None and quote.speaker.name == "Михаил Галузин"
    assert quote.cue is not None and quote.cue.text == "заявил"
    assert quote.channel == "РИА Новости"
    assert quote.date == "2022-12-24"


def test_a_dash_tag_gives_the_quotation_to_the_person_the_pronoun_points_back_to(galuzin: Article) -> None:
    quote = _by_content(galuzin, "Белоруссия не нападёт")
    assert quote.kind == "direct"
    assert quote.content.text == "Белоруссия не нападёт на Украину ни при каких условиях"
    assert quote.speaker is not None and quote.speaker.name == "Михаил Галузин"
    assert quote.speaker.rule == "pronoun"


def test_po_slovam_names_the_source_in_the_genitive(galuzin: Article) -> None:
    quote = _by_content(galuzin, "9 тыс.")
    assert quote.content.text == "около 9 тыс. российских военных находятся в Белоруссии"
    assert quote.speaker is not None and quote.speaker.name == "Михаил Галузин"


def test_a_call_to_act_is_its_object_and_infinitive(galuzin: Article) -> None:
    quote = _by_content(galuzin, "прекратить")
    assert quote.content.text == "соседей прекратить поставки оружия"
    assert quote.speaker is not None and quote.speaker.name == "Александр Лукашенко"


def test_every_span_holds_its_text(galuzin: Article) -> None:
    assert galuzin.provenance_errors() == []


def test_a_quotation_split_by_its_tag_gives_two_pieces_and_a_following_quotation_goes_on() -> None:
    text = (
        "Глава комитета Анна Петрова выступила на заседании в четверг.\n\n"
        "«Мы не будем откладывать голосование, — подчеркнула Петрова. — Закон примут до конца года».\n\n"
        "«Все поправки уже согласованы с правительством и регионами»."
    )
    article = analyze_text(text)
    pieces = [q for q in article.quotes if q.cue is not None and q.cue.text == "подчеркнула"]
    assert [q.content.text for q in pieces] == ["Мы не будем откладывать голосование", "Закон примут до конца года"]
    assert all(q.speaker is not None and q.speaker.name == "Анна Петрова" for q in pieces)
    follow = _by_content(article, "поправки")
    assert follow.cue is None and follow.speaker is not None and follow.speaker.name == "Анна Петрова"


def test_speech_inside_a_quotation_and_quoted_names_are_not_statements() -> None:
    text = (
        "«Люди говорят, что цены растут слишком быстро, и мы это слышим», — сказал министр Олег Смирнов "
        "журналистам.\n\nОн посетил завод «Северная звезда» в понедельник."
    )
    article = analyze_text(text)
    assert len(article.quotes) == 1
    quote = article.quotes[0]
    assert quote.speaker is not None and quote.speaker.name == "Олег Смирнов"
    assert quote.channel == "журналистам"


def test_an_interview_turn_after_a_name_and_a_colon_is_direct_speech_but_a_question_is_not() -> None:
    text = (
        "Корреспондент: Как вы оцениваете итоги года?\n\n"
        "Иван Соколов: Год был трудным, но мы выполнили все обязательства перед вкладчиками."
    )
    article = analyze_text(text)
    assert [(q.kind, q.speaker.name if q.speaker else None) for q in article.quotes] == [("direct", "Иван Соколов")]


def test_an_opinion_with_an_object_and_its_predicate_is_a_statement() -> None:
    article = analyze_text("Депутат Игорь Лебедев считает решение комиссии ошибочным и несправедливым.")
    (quote,) = article.quotes
    assert quote.content.text == "решение комиссии ошибочным и несправедливым"
    assert quote.speaker is not None and quote.speaker.name == "Игорь Лебедев"


def test_the_seed_in_russian_gives_galuzin_his_statements_with_the_channel_and_the_day_said() -> None:
    from pathlib import Path

    seed = Path(__file__).parent / "fixtures" / "ru_seed_ria.txt"
    article = analyze_text(seed.read_text(encoding="utf-8"), published="2022-12-24")
    galuzin = [q for q in article.quotes if q.speaker is not None and q.speaker.name == "Михаил Галузин"]
    assert len(galuzin) >= 4  # the inverted "…, заявил … Галузин", the quotation, "Он добавил", "Дипломат напомнил"
    first = galuzin[0]
    assert first.content.text.startswith("Региональная группировка войск России и Белоруссии")
    assert first.cue is not None and first.cue.text == "заявил"
    assert first.channel == "РИА Новости"
    assert (first.date, first.date_source) == ("2022-12-24", "cue")  # "в субботу" of 24 December 2022
    putin = _by_content(article, "совместные учения")
    assert putin.speaker is not None and putin.speaker.name == "Владимир Путин"
    assert putin.channel == "журналистам"


def test_a_negated_cue_and_a_quoted_name_before_a_verb_report_nothing() -> None:
    text = (
        "Местные власти не называют происшествие чрезвычайным.\n\n"
        "Компания «Майкрософт» возражает против штрафа, но подробностей не приводит."
    )
    assert analyze_text(text).quotes == []


def test_the_head_of_a_body_speaks_for_himself_and_a_spokesman_for_the_body() -> None:
    text = (
        "Министр связи Игорь Петров посетил выставку в Казани.\n\n"
        "Глава Минсвязи отметил, что тарифы на связь в следующем году не вырастут.\n\n"
        "Представитель Роскосмоса заявил, что запуск спутника перенесён на весну."
    )
    article = analyze_text(text)
    head = _by_content(article, "тарифы")
    assert head.speaker is not None and head.speaker.name == "Игорь Петров"
    spokesman = _by_content(article, "запуск")
    assert spokesman.speaker is not None and spokesman.speaker.name == "Роскосмос"


def test_a_pronoun_after_a_newly_introduced_subject_is_that_person() -> None:
    text = (
        "«Памятник простоит века», — сказал скульптор Георгий Франгулян.\n\n"
        "На церемонию прибыл президент Дмитрий Медведев. Открывая памятник, он заявил, что страна помнит своих героев."
    )
    quote = _by_content(analyze_text(text), "страна помнит")
    assert quote.speaker is not None and quote.speaker.name == "Дмитрий Медведев"


def test_a_capital_speaking_stands_for_its_country_as_the_article_names_it() -> None:
    text = (
        "Белоруссия и Россия ведут переговоры о цене на газ.\n\n"
        "Минск заявил, что Москва задолжала ему за транзит российского газа в Европу."
    )
    quote = _by_content(analyze_text(text), "задолжала")
    assert quote.speaker is not None and quote.speaker.name == "Белоруссия"


def test_a_spokesman_voice_goes_on_for_the_body_and_an_aide_is_not_his_principal() -> None:
    text = (
        "Представитель Министерства энергетики Франции сообщил о сбое на станции.\n\n"
        "Позже он заявил, что уровень радиации в норме. Чиновник подчеркнул, что жителям ничто не угрожает."
    )
    article = analyze_text(text)
    for words in ("уровень радиации", "жителям ничто"):
        quote = _by_content(article, words)
        assert quote.speaker is not None and quote.speaker.name == "Министерство энергетики Франции"
    aide = analyze_text("Помощник Хиллари Клинтон заявил, что переговоры продолжатся.").quotes[0]
    assert aide.speaker is not None and aide.speaker.name is None  # her aide, unnamed: not Clinton herself


def test_two_cues_joined_give_two_statements() -> None:
    text = "Премьер Иван Ковалёв напомнил, что закон уже принят, и подчеркнул, что изменений не будет."
    contents = [q.content.text for q in analyze_text(text).quotes]
    assert contents == ["закон уже принят", "изменений не будет"]
