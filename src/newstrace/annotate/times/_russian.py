"""Rules for Russian times: dates, weekdays, months, years, relative periods, offsets and durations.

Russian inflects every word of a time ("в субботу", "24 декабря", "в течение трёх дней"), so the patterns match
the case forms the lexicon lists. A leading one-word preposition ("в", "на") stays outside the span, as "on" does
in English TIMEX3; the values come from the same arithmetic as English (``_values``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from newstrace.annotate.times._anaphora import _anaphor
from newstrace.annotate.times._patterns import _YEAR
from newstrace.annotate.times._registry import RuleGroup
from newstrace.annotate.times._values import (
    _day,
    _decade,
    _duration,
    _month,
    _month_year,
    _quarter,
    _shift_months,
    _shifted_by,
    _week,
    _weekday_date,
)
from newstrace.lexicon import (
    RU_FUTURE_CUES,
    RU_MONTH_ABBREVIATIONS,
    RU_MONTHS,
    RU_NUMBER_WORDS,
    RU_VAGUE_NUMBERS,
    RU_WEEKDAYS,
)

_rule = RuleGroup()
RULES = _rule.rules
Value = tuple[str, str, str | None] | None


def _any(words: Iterable[str]) -> str:
    """An alternation of words, the longest first so that "декабря" is not read as "декабр…"."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


# Stems ("предстоящ") take any ending; whole words ("до") must end where they end.
FUTURE = re.compile(
    r"(?<!\w)(?:" + "|".join(cue + (r"\w*" if cue[-1] in "щш" else "") for cue in RU_FUTURE_CUES) + r")(?!\w)", re.I
)
_MONTH = rf"(?:{_any(RU_MONTHS)})"
_WEEKDAY = rf"(?:{_any(RU_WEEKDAYS)})"
_NUMBER_WORD = rf"(?:{_any(RU_NUMBER_WORDS)})"
_AMOUNT = rf"(?:\d+(?:,\d+)?|{_NUMBER_WORD}(?:\s+{_NUMBER_WORD})?|{_any(RU_VAGUE_NUMBERS)})"
_YEAR_WORD = r"(?:\s*(?:года|году|год|годах|годов|годы|гг?\.?)(?!\w))"
_THIS = r"(?:эт(?:от|ого|ом|ой|у|а|и|их|им|ими)|текущ\w+|нынешн\w+)"
_LAST = r"(?:прошл\w+|минувш\w+|предыдущ\w+|прошедш\w+)"
_NEXT = r"(?:следующ\w+|будущ\w+|грядущ\w+|наступающ\w+|ближайш\w+)"
_RELATIVE = rf"(?:{_THIS}|{_LAST}|{_NEXT})"
_NAMED_YEAR = rf"(?:\s+(?P<year>{_YEAR}){_YEAR_WORD}?|\s+(?P<named>{_RELATIVE})\s+года)"
_EDGE = (
    r"(?:начал(?:о|а|е|у|ом)|конец|конц(?:а|е|у|ом)|середин(?:а|ы|е|у|ой)|перв(?:ых|ые)\s+числ(?:ах|а)"
    r"|последн(?:их|ие)\s+числ(?:ах|а))"
)
_PART = r"(?:утром|дн[её]м|вечером|ночью)"
_PARTS = {"утром": "TMO", "днём": "TAF", "днем": "TAF", "вечером": "TEV", "ночью": "TNI"}
_UNIT = (
    r"(?:секунд[уыа]?|минут[уыа]?|час(?:а|ов)?|день|дн(?:я|ей)|сут(?:ки|ок)|недел(?:я|ю|и|ь)|месяц(?:а|ев)?"
    r"|квартал(?:а|ов)?|год(?:а)?|лет|десятилети(?:е|я|й)|век(?:а|ов)?|столети(?:е|я|й))"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?…:»\"]\s*|\n\s*)$")
_CLOCK_BEFORE = re.compile(r"(?<!\w)(?:в|к|до|с)\s+$", re.I)
_AGE_BEFORE = re.compile(r"(?:возраст\w*|ему|ей|им|исполнилось|исполнится)\s+(?:было\s+|будет\s+)?$", re.I)


def _edge_mod(text: str | None) -> str | None:
    """START, MID or END for "начале", "середине", "конце" (and "первых/последних числах")."""
    if not text:
        return None
    text = text.lower()
    if text.startswith(("начал", "перв")):
        return "START"
    if text.startswith("середин"):
        return "MID"
    return "END"


def _shift(word: str | None) -> int:
    """0 for "этом", "текущем"; -1 for "прошлом", "минувшем"; 1 for "следующем", "будущем"."""
    if not word:
        return 0
    if re.fullmatch(_LAST, word, re.I):
        return -1
    return 1 if re.fullmatch(_NEXT, word, re.I) else 0


def _unit(word: str) -> str:
    """The English unit name ``_values`` keys on for a Russian unit word in any case: "недель" → "week"."""
    word = word.lower()
    for stem, unit in _UNIT_STEMS:
        if word.startswith(stem):
            return unit
    raise ValueError(word)


_UNIT_STEMS = [("секунд", "second"), ("минут", "minute"), ("час", "hour"), ("ден", "day"), ("дн", "day"),
               ("сут", "day"), ("недел", "week"), ("месяц", "month"), ("квартал", "quarter"), ("год", "year"),
               ("лет", "year"), ("десятилет", "decade"), ("век", "century"), ("столет", "century"),
               ("выходн", "weekend")]  # fmt: skip


def _count(text: str | None) -> float | None:
    """A count in digits ("1,5") or words ("двадцать пять", "трёх"); 1 when none is written; None when vague."""
    if text is None:
        return 1
    text = text.lower().strip()
    if text in RU_VAGUE_NUMBERS:
        return None
    if re.fullmatch(r"\d+(?:,\d+)?", text):
        return float(text.replace(",", "."))
    return sum(RU_NUMBER_WORDS[word] for word in text.split())


def _amount(count: float | None) -> str:
    """A count as ``_values._duration`` reads it: "3", "1.5" or "several"."""
    if count is None:
        return "several"
    return str(int(count)) if count == int(count) else str(count)


def _mid_sentence_capital(match: re.Match[str], group: str) -> bool:
    """A capitalised word inside a sentence is a name ("телеканал Пятница", "Мая Плисецкая"), not a date."""
    word = match[group]
    start = match.start(group)
    return word[0].isupper() and not _SENTENCE_START.search(match.string, max(0, start - 4), start)


def _year_of(match: re.Match[str], reference: date, month: int, future: bool, day: int = 15) -> int:
    """The year written, the one named ("прошлого года"), or the one nearest the reference date."""
    if match["year"]:
        return int(match["year"])
    if match["named"]:
        return reference.year + _shift(match["named"])
    return _month_year(match, reference, month, future, day)


@_rule(
    rf"(?P<day>\d{{1,2}})(?:-?(?:го|е))?\s+(?:(?P<month>{_MONTH})|(?P<short>{_any(RU_MONTH_ABBREVIATIONS)})\.?)"
    rf"{_NAMED_YEAR}?"
)
def _day_month(match: re.Match[str], reference: date, future: bool) -> Value:
    """ "24 декабря", "24 декабря 2022 года", "1 марта прошлого года"."""
    month = RU_MONTHS[match["month"].lower()] if match["month"] else RU_MONTH_ABBREVIATIONS[match["short"].lower()]
    try:
        return (
            "DATE",
            _day(date(_year_of(match, reference, month, future, int(match["day"])), month, int(match["day"]))),
            None,
        )
    except ValueError:
        return None  # "31 июня"


@_rule(rf"(?:(?P<edge>{_EDGE})\s+)?(?P<month>{_MONTH}){_NAMED_YEAR}?")
def _month_rule(match: re.Match[str], reference: date, future: bool) -> Value:
    """ "в октябре", "в начале октября", "в марте прошлого года", "в мае 2021 года"."""
    if _mid_sentence_capital(match, "month") and not match["edge"]:
        return None
    if match["month"][0].isupper() and re.match(r"\s+[А-ЯЁ]", match.string[match.end() :]):
        return None  # "Мая Плисецкая": a name before a surname
    month = RU_MONTHS[match["month"].lower()]
    return "DATE", _month(_year_of(match, reference, month, future), month), _edge_mod(match["edge"])


@_rule(rf"(?:(?P<edge>{_EDGE})\s+)?(?P<year>{_YEAR})(?:-?(?:м|й|го))?(?P<word>{_YEAR_WORD})?")
def _year(match: re.Match[str], reference: date, future: bool) -> Value:
    """ "в 2022 году", "в конце 2021 года", "2014 г."; a bare year unless a noun follows ("2000 человек")."""
    rest = match.string[match.end() :]
    if re.match(r"[.,]\d", rest):
        return None  # a number with a fraction
    if not match["word"] and re.match(r"\s+(?!и\b|или\b|по\b)[а-яё]", rest):
        return None  # "2000 человек": a count
    return "DATE", match["year"], _edge_mod(match["edge"])


@_rule(
    rf"(?:(?P<edge>{_EDGE})\s+)?(?P<decade>(?:1[6-9]|20)\d0|\d0)-?(?:е|х|ых|ые|м)"
    r"(?:\s+(?:годы|годах|годов|годам|гг\.?))?"
)
def _decade_rule(match: re.Match[str], reference: date, future: bool) -> Value:
    """ "в 1990-е годы", "в 90-х", "в конце 80-х годов"."""
    digits = match["decade"]
    value = digits[:3] if len(digits) == 4 else _decade(int(digits) // 10, reference)
    return "DATE", value, _edge_mod(match["edge"])


_ROMAN = {"I": 1, "V": 5, "X": 10, "Х": 10}  # the Cyrillic "Х" is typed for the Latin one


def _roman(text: str) -> int:
    values = [_ROMAN[letter] for letter in text.upper()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


@_rule(
    rf"(?:(?P<edge>{_EDGE})\s+)?(?P<number>[IVXХ]{{1,6}}|\d{{1,2}})(?:-?(?:м|го|й|ом))?\s+"
    r"(?:век|века|веке|веку|веком|столетия|столетии)"
)
def _century(match: re.Match[str], reference: date, future: bool) -> Value:
    """ "в XX веке", "в начале XXI века", "в 19 веке"."""
    number = int(match["number"]) if match["number"].isdigit() else _roman(match["number"])
    return "DATE", f"{number - 1:02}", _edge_mod(match["edge"])


_DEICTIC = {"позавчера": -2, "вчера": -1, "сегодня": 0, "завтра": 1, "послезавтра": 2}


@_rule(rf"(?:(?:ранее|позднее|позже)\s+)?(?P<word>{_any(_DEICTIC)})(?:\s+(?P<part>{_PART}))?")
def _deictic(match: re.Match[str], reference: date, future: bool) -> Value:
    """ "вчера", "сегодня утром", "позднее сегодня"."""
    day = _day(_shifted_day(reference, _DEICTIC[match["word"].lower()]))
    if match["part"]:
        return "TIME", day + _PARTS[match["part"].lower()], None
    return "DATE", day, None


def _shifted_day(reference: date, days: int) -> date:
    return date.fromisoformat(_shifted_by(reference, "day", days) or reference.isoformat())


@_rule(r"(?P<which>этим|прошлым|вчерашним)\s+(?P<part>утром|вечером)|(?P<which_night>этой|прошлой)\s+ночью")
def _this_part(match: re.Match[str], reference: date, future: bool) -> Value:
    """ "этим утром", "прошлой ночью" (the night before the reference date)."""
    if match["which_night"]:
        shift = -1 if match["which_night"].lower() == "прошлой" else 0
        return "TIME", _day(_shifted_day(reference, shift)) + "TNI", None
    shift = 0 if match["which"].lower() == "этим" else -1
    return "TIME", _day(_shifted_day(reference, shift)) + _PARTS[match["part"].lower()], None


_WEEKDAY_PREPOSITION = re.compile(r"(?<!\w)(?:в|во|на|по|с|со|до|к|ко)\s+$", re.I)


@_rule(rf"(?:(?P<relative>{_RELATIVE})\s+)?(?P<weekday>{_WEEKDAY})(?:\s+(?P<part>{_PART}))?")
def _weekday(match: re.Match[str], reference: date, future: bool) -> Value:
    """ "в субботу", "во вторник вечером", "в прошлую пятницу", "по средам"; past unless the clause is future."""
    word = match["weekday"].lower()
    if _mid_sentence_capital(match, "weekday"):
        return None
    after_preposition = bool(_WEEKDAY_PREPOSITION.search(match.string, max(0, match.start() - 6), match.start()))
    if word.startswith("сред") and not (
        match["relative"] or (after_preposition and word in ("среду", "средам", "среды"))
    ):
        return None  # "среда" is also the environment ("окружающей среды", "в среде экспертов")
    weekday = RU_WEEKDAYS[word]
    if word.endswith(("ам", "ям")):
        if not match.string[max(0, match.start() - 3) : match.start()].lower().endswith("по "):
            return None
        return "SET", f"XXXX-WXX-{weekday + 1}", None  # "по субботам": every Saturday
    if word.endswith("и") and not word.startswith("сред"):
        return None  # a plural ("понедельники")
    shift = _shift(match["relative"]) if match["relative"] and not re.fullmatch(_THIS, match["relative"], re.I) else 0
    relative = {-1: "last", 1: "next"}.get(shift)
    day = _day(_weekday_date(reference, weekday, future, relative))
    if match["part"]:
        return "TIME", day + _PARTS[match["part"].lower()], None
    return "DATE", day, None


@_rule(
    rf"(?:(?P<edge>{_EDGE})\s+|(?:ранее|позднее|позже)\s+(?:на|в)\s+)?(?P<relative>{_RELATIVE})\s+"
    r"(?P<unit>недел(?:е|ю|и|я)|месяц(?:е|а)?|год(?:у|а)?|квартал(?:е|а)?|выходн(?:ые|ых)|десятилети(?:и|е|я)"
    r"|век(?:е|а)?)"
)
def _relative_unit(match: re.Match[str], reference: date, future: bool) -> Value:
    """ "на этой неделе", "ранее на этой неделе", "в прошлом году", "в конце прошлого года", "в эти выходные"."""
    shift, unit, mod = _shift(match["relative"]), _unit(match["unit"]), _edge_mod(match["edge"])
    if unit == "week":
        return "DATE", _week(_shifted_day(reference, 7 * shift)), mod
    if unit == "weekend":
        return "DATE", _week(_shifted_day(reference, 7 * shift)) + "-WE", mod
    if unit == "quarter":
        year, month = _shift_months(reference, 3 * shift)
        return "DATE", _quarter(date(year, month, 1)), mod
    if unit == "century":
        return "DATE", str(reference.year + 100 * shift)[:2], mod
    value = _shifted_by(reference, unit, shift)
    return ("DATE", value, mod) if value else None


@_rule(
    r"(?P<present>сейчас|ныне|в\s+настоящее\s+время|в\s+данный\s+момент|на\s+данный\s+момент|в\s+настоящий\s+момент"
    r"|на\s+сегодняшний\s+день)|(?P<past>недавно|в\s+последнее\s+время|в\s+прошлом)"
    r"|(?P<future>в\s+будущем|в\s+ближайшее\s+время|в\s+скором\s+времени|в\s+ближайшие\s+(?:дни|недели|месяцы|годы))"
)
def _reference_word(match: re.Match[str], reference: date, future: bool) -> Value:
    """ "сейчас" → PRESENT_REF, "недавно" → PAST_REF, "в ближайшее время" → FUTURE_REF."""
    if match["present"]:
        return "DATE", "PRESENT_REF", None
    return "DATE", "PAST_REF" if match["past"] else "FUTURE_REF", None


@_rule(
    r"(?P<same>тот\s+же\s+(?:день|год|месяц)|том\s+же\s+(?:году|месяце)|тот\s+день)"
    r"|(?P<next>следующий\s+день)|(?P<eve>накануне)(?=\s*[,.;!?—–-]|\s+(?:вечером|утром|днём|днем|ночью)\b)"
)
def _anaphoric(match: re.Match[str], reference: date, future: bool) -> Value:
    """ "в тот же день", "в том же году", "на следующий день", "накануне": dated from the day the story tells."""
    if match["eve"]:
        return "DATE", _anaphor("day", -1), None
    text = match[0].lower()
    unit = "year" if "год" in text else "month" if "месяц" in text else "day"
    return "DATE", _anaphor(unit, 1 if match["next"] else 0), None


@_rule(
    rf"(?:(?P<amount>{_AMOUNT})\s+)?(?P<unit>{_UNIT})\s+(?:тому\s+)?назад"
    rf"|(?P<direction>через|спустя)\s+(?:(?P<amount_after>{_AMOUNT})\s+)?(?P<unit_after>{_UNIT})"
)
def _offset(match: re.Match[str], reference: date, future: bool) -> Value:
    """ "два года назад", "неделю назад", "через неделю"; "спустя три дня" and "через неделю после …" are counted
    from an event of the story, so they stay durations."""
    amount, unit = match["amount"] or match["amount_after"], _unit(match["unit"] or match["unit_after"])
    count = _count(amount)
    direction = (match["direction"] or "").lower()
    if direction == "спустя" or (direction and re.match(r"\s+после\b", match.string[match.end() :], re.I)):
        return "DURATION", _duration(_amount(count), unit), None
    if count is None:
        return "DATE", "FUTURE_REF" if direction else "PAST_REF", None
    value = _shifted_by(reference, unit, int(count) * (1 if direction else -1))
    return ("DATE", value, None) if value else None


@_rule(
    r"(?:(?:последни[ехм]|ближайши[ехм]|следующи[ехм]|первы[ехм]|прошедши[ехм]|минувши[ехм])\s+)?"
    rf"(?P<amount>{_AMOUNT})\s+(?P<unit>{_UNIT})"
)
def _duration_rule(match: re.Match[str], reference: date, future: bool) -> Value:
    """ "три года", "в течение трёх дней", "за последние 10 лет", "полтора года"."""
    amount, unit = match["amount"], match["unit"].lower()
    if re.fullmatch(r"\d{4}", amount) and unit.startswith("год"):
        return None  # "2022 года", "2242 год": a year
    if unit.startswith("час") and _CLOCK_BEFORE.search(match.string, max(0, match.start() - 4), match.start()):
        return None  # "в 19 часов": a time of day, not a duration
    if re.search(_AGE_BEFORE, match.string[max(0, match.start() - 30) : match.start()]):
        return None  # "в возрасте 50 лет": an age
    return "DURATION", _duration(_amount(_count(amount)), _unit(unit)), None


@_rule(
    r"(?:в\s+течение|на\s+протяжении)\s+(?P<unit>секунды|минуты|часа|дня|суток|недели|месяца|квартала|года)"
    r"|(?P<half>полгода|полчаса|полмесяца|полвека)"
    r"|(?:последние|последних)\s+(?P<several>дни|дней|недели|недель|месяцы|месяцев|годы|лет)"
)
def _unit_duration(match: re.Match[str], reference: date, future: bool) -> Value:
    """ "в течение недели" (one), "полгода" (half of one), "последние годы" (several)."""
    if match["half"]:
        return (
            "DURATION",
            {"полгода": "P6M", "полчаса": "PT30M", "полмесяца": "P15D", "полвека": "P50Y"}[match["half"].lower()],
            None,
        )
    if match["several"]:
        return "DURATION", _duration("several", _unit(match["several"])), None
    return "DURATION", _duration("1", _unit(match["unit"])), None


@_rule(
    r"(?P<adverb>ежедневно|еженедельно|ежемесячно|ежегодно|ежечасно)"
    r"|(?:кажд(?:ый|ую|ое)|раз\s+в)\s+(?P<unit>день|неделю|месяц|год|час|квартал)"
)
def _set(match: re.Match[str], reference: date, future: bool) -> Value:
    """ "ежедневно", "каждую неделю", "раз в год"."""
    word = (match["adverb"] or match["unit"]).lower()
    unit = {"ежедневно": "day", "еженедельно": "week", "ежемесячно": "month", "ежегодно": "year", "ежечасно": "hour"}
    return "SET", _duration("1", unit.get(word) or _unit(word)), None


_ORDINAL = r"(?P<ordinal>перв|втор|трет|четв[её]рт)\w*"


@_rule(rf"{_ORDINAL}\s+(?P<what>квартал|половин)\w*(?:{_NAMED_YEAR}|\s+(?P<bare>года))?")
def _quarter_half(match: re.Match[str], reference: date, future: bool) -> Value:
    """ "в первом квартале 2022 года", "в третьем квартале", "во второй половине года"."""
    number = {"перв": 1, "втор": 2, "трет": 3}.get(match["ordinal"].lower()[:4], 4)
    if match["what"].lower() == "половин":
        if number > 2 or not (match["year"] or match["named"] or match["bare"]):
            return None  # "в первой половине дня", "октября": not a half of a year
        year = int(match["year"]) if match["year"] else reference.year + _shift(match["named"])
        return "DATE", f"{year:04}-H{number}", None
    if match["year"] or match["named"]:
        year = int(match["year"]) if match["year"] else reference.year + _shift(match["named"])
    else:
        current = (reference.month - 1) // 3 + 1
        year = reference.year - (1 if number > current and not future else 0)
    return "DATE", f"{year:04}-Q{number}", None


_SEASONS = {"весн": "SP", "лет": "SU", "осен": "FA", "зим": "WI"}


@_rule(
    rf"(?:(?P<relative>{_RELATIVE})\s+)?(?P<season>весн(?:а|ой|у|е|ы)|лет(?:о|ом|а)|осен(?:ь|ью|и)|зим(?:а|ой|у|е|ы))"
    rf"{_NAMED_YEAR}?"
)
def _season(match: re.Match[str], reference: date, future: bool) -> Value:
    """ "весной 2022 года", "прошлой осенью", "этим летом", "летом" (the season of the reference year)."""
    word = match["season"].lower()
    if not (match["relative"] or match["year"] or match["named"] or word.endswith(("ой", "ом", "ью"))):
        return None  # "зима", "лета" alone: the word, not a date
    season = next(code for stem, code in _SEASONS.items() if word.startswith(stem))
    year = int(match["year"]) if match["year"] else reference.year + _shift(match["relative"] or match["named"])
    return "DATE", f"{year:04}-{season}", None
