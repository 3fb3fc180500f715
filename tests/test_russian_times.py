"""Russian time expressions: inflected dates, weekdays, periods, offsets and durations to TIMEX3 values."""

from __future__ import annotations

import importlib.util
from datetime import date

import pytest

from newstrace.annotate.times import find_times

REFERENCE = date(2022, 12, 24)  # a Saturday


def _values(text: str, reference: date = REFERENCE) -> dict[str, tuple[str, str | None, str | None]]:
    """Each expression's text with its type, value and mod; every span is the text's own."""
    found = find_times(text, reference, language="ru")
    assert all(text[t.start : t.end] == t.text for t in found)
    return {t.text: (t.type, t.value, t.mod) for t in found}


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Он прилетел 24 декабря.", "24 декабря", "2022-12-24"),
        ("Договор подписан 24 декабря 2022 года в Москве.", "24 декабря 2022 года", "2022-12-24"),
        ("Сообщение от 24.12.2022 опубликовано.", "24.12.2022", "2022-12-24"),
        ("Галузин заявил (24/12/2022), что …", "24/12/2022", "2022-12-24"),
        ("МОСКВА, 24 дек — РИА Новости.", "24 дек", "2022-12-24"),
        ("Это случилось 1 марта прошлого года.", "1 марта прошлого года", "2021-03-01"),
        ("Встреча прошла 3 окт. 2021 г. в Киеве.", "3 окт. 2021 г.", "2021-10-03"),
    ],
)
def test_absolute_dates_in_every_writing(text: str, span: str, value: str) -> None:
    assert _values(text)[span][1] == value


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Он заявил об этом в субботу.", "субботу", "2022-12-24"),
        ("Министр прилетел в понедельник.", "понедельник", "2022-12-19"),
        ("Во вторник вечером прошли переговоры.", "вторник вечером", "2022-12-20TEV"),
        ("В прошлую пятницу он был в Минске.", "прошлую пятницу", "2022-12-23"),
        ("Со среды действует запрет.", "среды", "2022-12-21"),
        ("В воскресенье состоялись выборы.", "воскресенье", "2022-12-18"),
        ("В четверг будет подписан договор.", "четверг", "2022-12-29"),
        ("В следующую среду начнутся учения.", "следующую среду", "2022-12-28"),
    ],
)
def test_weekdays_in_any_case_are_past_unless_the_clause_is_future(text: str, span: str, value: str) -> None:
    assert _values(text)[span][1] == value


def test_environment_and_a_channel_are_not_weekdays() -> None:
    assert _values("Защита окружающей среды и телеканал Пятница.") == {}


def test_parts_of_months_and_years_carry_the_english_mods() -> None:
    values = _values("В начале октября, в середине марта, в конце 2021 года и в конце прошлого года.")
    assert values["начале октября"] == ("DATE", "2022-10", "START")
    (english,) = find_times("in mid-March", REFERENCE)
    assert values["середине марта"] == (english.type, english.value, english.mod) == ("DATE", "2023-03", "MID")
    assert values["конце 2021 года"] == ("DATE", "2021", "END")
    assert values["конце прошлого года"] == ("DATE", "2021", "END")


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Вчера он улетел.", "Вчера", "2022-12-23"),
        ("Сегодня министр выступил.", "Сегодня", "2022-12-24"),
        ("Завтра пройдут выборы.", "Завтра", "2022-12-25"),
        ("Это произошло на этой неделе.", "этой неделе", "2022-W51"),
        ("Это произошло на прошлой неделе.", "прошлой неделе", "2022-W50"),
        ("Ранее на этой неделе Путин провёл переговоры.", "Ранее на этой неделе", "2022-W51"),
        ("В прошлом году рост замедлился.", "прошлом году", "2021"),
        ("В прошлом месяце цены выросли.", "прошлом месяце", "2022-11"),
        ("Два года назад он ушёл в отставку.", "Два года назад", "2020"),
        ("Неделю назад начались учения.", "Неделю назад", "2022-W50"),
        ("Решение примут через неделю.", "через неделю", "2022-W52"),
        ("В октябре начались поставки.", "октябре", "2022-10"),
        ("В 2022 году экономика сократилась.", "2022 году", "2022"),
        ("В марте прошлого года.", "марте прошлого года", "2021-03"),
        ("В эти выходные прошли акции.", "эти выходные", "2022-W51-WE"),
        ("В первом квартале 2022 года.", "первом квартале 2022 года", "2022-Q1"),
        ("Весной 2021 года.", "Весной 2021 года", "2021-SP"),
    ],
)
def test_relative_and_calendar_expressions(text: str, span: str, value: str) -> None:
    assert _values(text)[span][1] == value


def test_earlier_this_week_gives_the_english_value() -> None:
    russian = _values("Ранее на этой неделе Путин провёл переговоры.")["Ранее на этой неделе"]
    (english,) = find_times("Earlier this week Putin held talks.", REFERENCE)
    assert russian == (english.type, english.value, english.mod)


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Бои шли в течение трёх дней.", "трёх дней", "P3D"),
        ("Он провёл в тюрьме три года.", "три года", "P3Y"),
        ("Переговоры длились двадцать пять минут.", "двадцать пять минут", "PT25M"),
        ("За последние 10 лет население сократилось.", "последние 10 лет", "P10Y"),
        ("Проект займёт полтора года.", "полтора года", "P1.5Y"),
        ("Работы шли в течение недели.", "в течение недели", "P1W"),
        ("Спустя три дня он вернулся.", "Спустя три дня", "P3D"),
        ("Через неделю после выборов он ушёл.", "Через неделю", "P1W"),
        ("Завод простаивал несколько месяцев.", "несколько месяцев", "PXM"),
    ],
)
def test_durations_with_numbers_as_words_in_any_case(text: str, span: str, value: str) -> None:
    assert _values(text)[span] == ("DURATION", value, None)


def test_decades_and_centuries() -> None:
    values = _values("В 1990-е годы, в конце 80-х и в начале XXI века.")
    assert values["1990-е годы"][1] == "199"
    assert values["конце 80-х"][1:] == ("198", "END")
    assert values["начале XXI века"][1:] == ("20", "START")


def test_ages_counts_and_names_are_not_times() -> None:
    values = _values("В возрасте 50 лет, 2000 человек, в 2242 год, в 19 часов и Мая Плисецкая.")
    assert values == {}


def test_relative_expressions_are_anchored_and_absolute_ones_are_not() -> None:
    found = {t.text: t.anchor for t in find_times("Вчера, 24 декабря 2022 года.", REFERENCE, language="ru")}
    assert found == {"Вчера": "2022-12-24", "24 декабря 2022 года": None}


def test_a_future_verb_after_the_weekday_puts_it_ahead() -> None:
    """Russian marks the future on the verb, often after the time: the parse reads it."""
    if importlib.util.find_spec("natasha") is None:
        pytest.skip("natasha is not installed")
    from newstrace.annotate.russian import load_russian, parse_russian
    from newstrace.annotate.russian.times import find_times_ru
    from newstrace.model import Span

    text = "В понедельник министр встретится с коллегой, а во вторник он был в Минске."
    doc = parse_russian(text, [Span(0, len(text), text)], load_russian())
    values = {t.text: t.value for t in find_times_ru(doc, REFERENCE)}
    assert values == {"понедельник": "2022-12-26", "вторник": "2022-12-20"}
