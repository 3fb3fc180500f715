"""Russian figures: multipliers, money, percentages, hedges and counted nouns; and the seed's times and figures."""

from __future__ import annotations

import importlib.util
from datetime import date

import pytest

from newstrace.model import Article, Quantity

pytestmark = pytest.mark.skipif(importlib.util.find_spec("natasha") is None, reason="natasha is not installed")

SEED = (
    "Заместитель министра иностранных дел России Михаил Галузин заявил об этом в субботу (24/12/2022) в интервью "
    "РИА Новости. По его словам, группировка войск была создана в начале октября. В её состав вошли около 9 тыс. "
    "российских военных. Ранее на этой неделе президент России провёл переговоры в Минске."
)


def _analyze(text: str) -> Article:
    from newstrace import analyze_text

    return analyze_text(text, published="2022-12-24")


def _figures(text: str) -> dict[str, Quantity]:
    article = _analyze(text)
    assert all(text[q.start : q.end] == q.text for q in article.quantities)
    return {q.text: q for q in article.quantities}


def test_the_seed_gives_its_dates_and_figure() -> None:
    from newstrace.annotate.times import find_times

    article = _analyze(SEED)
    assert article.language == "ru"
    assert all(SEED[t.start : t.end] == t.text for t in article.times)
    times = {t.text: (t.value, t.mod) for t in article.times}
    assert times["субботу"] == ("2022-12-24", None)
    assert times["24/12/2022"] == ("2022-12-24", None)
    assert times["начале октября"] == ("2022-10", "START")
    (english,) = find_times("Earlier this week", date(2022, 12, 24))  # the value English gives the same words
    assert times["Ранее на этой неделе"] == (english.value, english.mod)
    (troops,) = article.quantities
    assert (troops.value, troops.approximate, troops.kind) == (9000, "около", "count")
    assert troops.subject == "российских военных" and troops.text == "9 тыс. российских военных"


def test_money_in_signs_words_and_other_countries_roubles() -> None:
    figures = _figures(
        "Минск выделил 100 млн рублей, Москва — $2 млрд, Пекин — 2 млрд долларов США, а Гродно — 300 млн "
        "белорусских рублей и 5 млн евро."
    )
    assert (figures["100 млн рублей"].value, figures["100 млн рублей"].unit) == (1e8, "RUB")
    assert (figures["$2 млрд"].value, figures["$2 млрд"].unit, figures["$2 млрд"].kind) == (2e9, "USD", "money")
    assert figures["2 млрд долларов США"].unit == "USD"
    assert figures["300 млн белорусских рублей"].unit == "BYN"
    assert figures["5 млн евро"].unit == "EUR"


def test_percentages_with_a_decimal_comma() -> None:
    figures = _figures("Инфляция составила 5,5 процента, а безработица — 3,2%.")
    assert (figures["5,5 процента"].value, figures["5,5 процента"].unit, figures["5,5 процента"].kind) == (
        5.5,
        "%",
        "percent",
    )
    assert figures["3,2%"].value == 3.2


@pytest.mark.parametrize(
    ("text", "figure", "value", "hedge", "subject"),
    [
        ("В учениях участвовали более трёх тысяч человек.", "трёх тысяч человек", 3000, "более", "человек"),
        ("В аварии пострадали двое детей.", "двое детей", 2, None, "детей"),
        ("По меньшей мере 15 человек погибли.", "15 человек", 15, "по меньшей мере", "человек"),
        ("Погибли не менее 40 мирных жителей.", "40 мирных жителей", 40, "не менее", "мирных жителей"),
        ("Эвакуированы почти 1 500 человек.", "1 500 человек", 1500, "почти", "человек"),
        ("На границе находятся порядка 20 тыс. военных.", "20 тыс. военных", 20000, "порядка", "военных"),
        ("Свыше 200 жителей остались без света.", "200 жителей", 200, "свыше", "жителей"),
        ("Город получил примерно миллион долларов.", "миллион долларов", 1e6, "примерно", None),
    ],
)
def test_counts_with_hedges_and_number_words(
    text: str, figure: str, value: float, hedge: str | None, subject: str | None
) -> None:
    found = _figures(text)[figure]
    assert (found.value, found.approximate, found.subject) == (value, hedge, subject)


def test_measures_keep_their_unit() -> None:
    found = _figures("Колонна прошла около 120 километров.")["120 километров"]
    assert (found.kind, found.unit, found.value, found.approximate) == ("measure", "километров", 120, "около")


def test_dates_durations_ordinals_and_models_are_not_figures() -> None:
    figures = _figures("24 декабря 2022 года, в течение трёх дней, Су-25, С-300, 24-й пункт и 50-летний юбилей.")
    assert figures == {}
