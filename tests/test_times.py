"""Time expressions: one test per rule family, on sentences written for them; the scorer; the seed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newstrace.annotate.times import find_times
from newstrace.evaluate.times import canonical_value, evaluate_times, read_timeml

SATURDAY = date(2022, 12, 24)


def values(text: str, reference: date = SATURDAY) -> list[tuple[str, str, str, str | None]]:
    return [(t.text, t.type, t.value or "", t.mod) for t in find_times(text, reference)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "It happened on Saturday (24/12/2022).",
            [("Saturday", "DATE", "2022-12-24", None), ("24/12/2022", "DATE", "2022-12-24", None)],
        ),
        ("The force was announced in early October.", [("early October", "DATE", "2022-10", "START")]),
        ("Earlier this month, he said so.", [("Earlier this month", "DATE", "2022-12", None)]),
        ("Earlier this week, Putin held talks.", [("Earlier this week", "DATE", "2022-W51", None)]),
        ("He will sign it later today.", [("later today", "DATE", "2022-12-24", None)]),
        ("Talks resume in mid-January 2023.", [("mid-January 2023", "DATE", "2023-01", "MID")]),
        (
            "They met last year and will meet next year.",
            [("last year", "DATE", "2021", None), ("next year", "DATE", "2023", None)],
        ),
        ("It fell two weeks ago.", [("two weeks ago", "DATE", "2022-W49", None)]),
        ("Three days ago it rained.", [("Three days ago", "DATE", "2022-12-21", None)]),
        ("The 1990s were calm; in 1994 it changed.", [("1990s", "DATE", "199", None), ("1994", "DATE", "1994", None)]),
    ],
)
def test_dates(text: str, expected: list[tuple[str, str, str, str | None]]) -> None:
    assert values(text) == expected


def test_weekday_tense() -> None:
    # 2022-12-24 is a Saturday.
    assert values("He said Tuesday that the plan was ready.") == [("Tuesday", "DATE", "2022-12-20", None)]
    assert values("He will travel to Minsk on Tuesday.") == [("Tuesday", "DATE", "2022-12-27", None)]
    assert values("They met last Saturday.") == [("last Saturday", "DATE", "2022-12-17", None)]
    assert values("They meet next Monday.") == [("next Monday", "DATE", "2022-12-26", None)]


def test_yearless_month_day_is_nearest_the_reference() -> None:
    autumn = date(1989, 10, 30)
    assert values("The dividend is payable Dec. 7.", autumn) == [("Dec. 7", "DATE", "1989-12-07", None)]
    assert values("Sales fell in August.", autumn) == [("August", "DATE", "1989-08", None)]
    assert values("Loans run through January.", autumn) == [("January", "DATE", "1990-01", None)]
    # News reports the past: without a future cue, a month five months ahead loses to one seven months back.
    assert values("He stepped down in March for health reasons.", autumn) == [("March", "DATE", "1989-03", None)]
    assert values("The bridge loan is to be repaid by March.", autumn) == [("March", "DATE", "1990-03", None)]


def test_would_reports_a_past_plan_not_a_future_date() -> None:
    friday = date(2000, 1, 7)
    assert values("They said they would fight Wednesday's ruling.", friday) == [
        ("Wednesday", "DATE", "2000-01-05", None)
    ]


def test_deictic_words() -> None:
    assert values("Today he spoke; yesterday she did; tomorrow they will.") == [
        ("Today", "DATE", "2022-12-24", None),
        ("yesterday", "DATE", "2022-12-23", None),
        ("tomorrow", "DATE", "2022-12-25", None),
    ]
    assert values("It is now clear, and was recently denied.") == [
        ("now", "DATE", "PRESENT_REF", None),
        ("recently", "DATE", "PAST_REF", None),
    ]
    assert values("Last night and this morning.") == [
        ("Last night", "TIME", "2022-12-23TNI", None),
        ("this morning", "TIME", "2022-12-24TMO", None),
    ]


def test_durations_and_sets() -> None:
    assert values("It lasted five years.") == [("five years", "DURATION", "P5Y", None)]
    assert values("over the past three months") == [("the past three months", "DURATION", "P3M", None)]
    assert values("a 10-year bond") == [("10-year", "DURATION", "P10Y", None)]
    assert values("for 24 hours") == [("24 hours", "DURATION", "PT24H", None)]
    assert values("for several weeks") == [("several weeks", "DURATION", "PXW", None)]
    assert values("a decade") == [("a decade", "DURATION", "P10Y", None)]
    assert values("They meet every week and report daily.") == [
        ("every week", "SET", "P1W", None),
        ("daily", "SET", "P1D", None),
    ]
    assert values("a 12-year-old boy") == []
    assert values("Rates are set hourly.") == [("hourly", "SET", "PT1H", None)]


def test_quarters_and_seasons() -> None:
    autumn = date(1989, 10, 26)
    assert values("Profit rose in the third quarter.", autumn) == [("the third quarter", "DATE", "1989-Q3", None)]
    assert values("It earned $5 million in the quarter.", autumn) == [("the quarter", "DATE", "1989-Q3", None)]
    assert values("Sales rose 5% in the quarter from a year earlier.", autumn) == [
        ("the quarter", "DATE", "1989-Q3", None),
        ("a year earlier", "DATE", "1988-Q3", None),
    ]
    assert values("Prices fell a year earlier.", autumn) == [("a year earlier", "DATE", "1988", None)]
    assert values("They met last summer.", autumn) == [("last summer", "DATE", "1988-SU", None)]
    assert values("It worked in the winter of 1994.", autumn) == [("the winter of 1994", "DATE", "1994-WI", None)]
    assert values("Sales fell in the current quarter.", autumn) == [("the current quarter", "DATE", "1989-Q4", None)]
    assert values("Profit for the full year rose.", autumn) == [("the full year", "DATE", "1989", None)]
    assert values("It fell in the past two quarters.", autumn) == [("the past two quarters", "DURATION", "P2Q", None)]
    assert values("It earned $1 in the 1988 quarter.", autumn) == [("the 1988 quarter", "DATE", "1988-Q3", None)]
    assert values("Prices fall when supply grows.", autumn) == []


def test_decades_centuries_and_spelled_years() -> None:
    late_eighties, now = date(1989, 10, 26), date(2022, 12, 24)
    # TIMEX3 writes a decade as its first three digits and a century as its first two.
    assert values("in the late 1970s", late_eighties) == [("late 1970s", "DATE", "197", "END")]
    assert values("It began in the '80s.", late_eighties) == [("the '80s", "DATE", "198", None)]
    assert values("It began in the '80s.", now) == [("the '80s", "DATE", "198", None)]
    assert values("Prices doubled in the '20s.", now) == [("the '20s", "DATE", "202", None)]
    assert values("It grew through the nineties.", late_eighties) == [("the nineties", "DATE", "199", None)]
    assert values("Most buyers are in their 30s.", late_eighties) == []  # an age
    assert values("the last decade", late_eighties) == [("the last decade", "DATE", "197", None)]
    assert values("in the 20th century", now) == [("the 20th century", "DATE", "19", None)]
    assert values("since the eleventh century", now) == [("the eleventh century", "DATE", "10", None)]
    assert values("in January nineteen ninety-seven", now) == [
        ("January nineteen ninety-seven", "DATE", "1997-01", None)
    ]
    assert values("the approach of the year two thousand", now) == [("the year two thousand", "DATE", "2000", None)]
    assert values("for more than two thousand years", now) == [("years", "DURATION", "PXY", None)]


def test_months_named_with_their_year_or_a_preposition() -> None:
    december = date(1998, 12, 3)
    assert values("Ratification began in February this year.", december)[0] == ("February", "DATE", "1998-02", None)
    assert values("Sales peaked in March last year.", december)[0] == ("March", "DATE", "1997-03", None)
    assert values("The fund has risen this year through Oct. 19.", date(1989, 10, 27))[1] == (
        "Oct. 19",
        "DATE",
        "1989-10-19",
        None,
    )
    assert values("The plant closed in May.", december) == [("May", "DATE", "1998-05", None)]
    assert values("Theresa May said no. May we go?", december) == []


def test_anaphoric_expressions_take_the_last_date_mentioned() -> None:
    reference = date(1998, 10, 24)
    found = values("He moved to Atlanta in 1996. The following year he left, and later that year he died.", reference)
    assert found == [
        ("1996", "DATE", "1996", None),
        ("The following year", "DATE", "1997", None),
        ("later that year", "DATE", "1997", None),
    ]
    assert values("The bomb went off on Oct. 23, 1997. Earlier that day police had warned.", reference)[1] == (
        "Earlier that day",
        "DATE",
        "1997-10-23",
        None,
    )
    assert values("Losses grew in the 1988 second quarter; that quarter was the worst.", date(1989, 10, 26)) == [
        ("the 1988 second quarter", "DATE", "1988-Q2", None),
        ("that quarter", "DATE", "1988-Q2", None),
    ]
    assert values("Earlier that month it rained.", reference) == [("Earlier that month", "DATE", "1998-10", None)]


def test_clock_times_take_the_day_that_follows() -> None:
    monday = date(2000, 4, 3)
    assert values("He has until 9 a.m. Tuesday to sign.", monday) == [
        ("9 a.m. Tuesday", "TIME", "2000-04-04T09:00", None)
    ]
    assert values("The blast came at 10:35 a.m.", monday) == [("10:35 a.m.", "TIME", "2000-04-03T10:35", None)]
    assert values("The offer runs until 5 p.m. EST, Nov. 9.", date(1989, 11, 2)) == [
        ("5 p.m. EST, Nov. 9", "TIME", "1989-11-09T17:00", None)
    ]
    assert values("Talks broke off at noon Thursday.", date(1998, 2, 13)) == [
        ("noon Thursday", "TIME", "1998-02-12T12:00", None)
    ]
    assert values("The offer expired at midnight Friday.", date(1989, 10, 30)) == [
        ("midnight Friday", "TIME", "1989-10-27T24:00", None)
    ]
    # A day after a parenthesis dates the time and stays an expression of its own.
    assert values("It exploded at 10:35 a.m. (0735 GMT) Friday.", date(1998, 8, 8)) == [
        ("10:35 a.m.", "TIME", "1998-08-07T10:35", None),
        ("Friday", "DATE", "1998-08-07", None),
    ]
    assert values('The poster showed "High Noon."', monday) == []


def test_british_dates_and_24_hour_clock_times() -> None:
    friday = date(2013, 3, 22)
    assert values("The deal was agreed on 21 March; talks start on 25th March.", friday) == [
        ("21 March", "DATE", "2013-03-21", None),
        ("25th March", "DATE", "2013-03-25", None),
    ]
    assert values("On Thursday 21 March he left.", friday) == [("Thursday 21 March", "DATE", "2013-03-21", None)]
    assert values("Talks resumed at 18:00 GMT; by 1600 GMT Friday it was over.", friday) == [
        ("18:00 GMT", "TIME", "2013-03-22T18:00", None),
        ("1600 GMT Friday", "TIME", "2013-03-22T16:00", None),
    ]
    # A time converted to another zone in parentheses is the same time, not a second one.
    assert [t for t, *_ in values("It blew up at 10:35 a.m. (0735 GMT).", friday)] == ["10:35 a.m."]


def test_since_and_ended_put_a_date_in_the_past_and_must_in_the_future() -> None:
    friday = date(2013, 3, 22)
    assert values("Banks have been shut since December.", friday) == [("December", "DATE", "2012-12", None)]
    assert values("Profit for the year ended June 30 rose.", friday) == [
        ("the year", "DURATION", "P1Y", None),
        ("June 30", "DATE", "2012-06-30", None),
    ]
    assert values("In the year to March, prices rose.", friday)[0] == ("the year", "DURATION", "P1Y", None)
    assert values("Cyprus must raise the money by Monday.", friday) == [("Monday", "DATE", "2013-03-25", None)]


def test_days_counted_from_the_one_the_story_tells() -> None:
    assert values(
        "On March 3 he spoke. Earlier in the day, he ate. The next day, police came. The night before, it snowed.",
        date(2013, 3, 22),
    ) == [
        ("March 3", "DATE", "2013-03-03", None),
        ("Earlier in the day", "DATE", "2013-03-03", None),
        ("The next day", "DATE", "2013-03-04", None),
        ("The night before", "TIME", "2013-03-03TNI", None),
    ]
    assert values("It fell the day before the plunge.", date(2013, 3, 22)) == []  # before what: not resolvable


def test_parts_of_a_named_year_and_seasons_with_a_year() -> None:
    friday = date(2013, 3, 22)
    assert values("It pledged to lift them in the year 2000.", friday) == [("the year 2000", "DATE", "2000", None)]
    assert values("In calendar 1989 it earned more.", friday) == [("calendar 1989", "DATE", "1989", None)]
    assert values("In the first half of next year it grows.", friday) == [
        ("the first half of next year", "DATE", "2014-H1", None)
    ]
    assert values("In the second quarter of this year it fell.", friday) == [
        ("the second quarter of this year", "DATE", "2013-Q2", None)
    ]
    assert values("Spring 2014 will tell; it opens in fall 2015.", friday) == [
        ("Spring 2014", "DATE", "2014-SP", None),
        ("fall 2015", "DATE", "2015-FA", None),
    ]
    assert values("Sales were flat in the last half of the '80s.", date(1989, 10, 30)) == [
        ("the last half of the '80s", "DATE", "198", "END")
    ]
    assert values("Prices fall 2014 forecasts short.", friday) == [("2014", "DATE", "2014", None)]  # the verb
    assert values("The deadline is midnight on Sunday.", friday) == [
        ("midnight on Sunday", "TIME", "2013-03-17T24:00", None)
    ]


def test_offsets_from_a_story_event_are_durations() -> None:
    friday = date(2013, 3, 22)
    assert values("Three days later, he quit.", friday) == [("Three days later", "DURATION", "P3D", None)]
    assert values("A week before the vote he quit.", friday) == [("A week before", "DURATION", "P1W", None)]
    assert values("A few days later he left.", friday) == [("A few days later", "DURATION", "PXD", None)]
    # "ago" counts from the reference date; a year earlier is the comparison period of results news.
    assert values("Three days ago he quit.", friday) == [("Three days ago", "DATE", "2013-03-19", None)]
    assert values("Sales rose from a year earlier.", friday) == [("a year earlier", "DATE", "2012", None)]


def test_parts_of_day() -> None:
    thursday = date(1989, 11, 2)
    assert values("In London at mid-afternoon yesterday, shares rose.", thursday) == [
        ("mid-afternoon yesterday", "TIME", "1989-11-01TAF", "MID")
    ]
    assert values("By mid afternoon, sources said so.", thursday) == [("mid afternoon", "TIME", "1989-11-02TAF", "MID")]
    assert values("Stocks fell on Friday. Dealers bought in the morning.", date(1989, 10, 30)) == [
        ("Friday", "DATE", "1989-10-27", None),
        ("the morning", "TIME", "1989-10-27TMO", None),
    ]
    assert values("They held late-night talks.", thursday) == []  # an adjective


def test_month_days_with_a_relative_word_or_a_spelled_day() -> None:
    assert values("Women's Day is this coming Sunday, March eighth.", date(1998, 3, 5)) == [
        ("this coming Sunday, March eighth", "DATE", "1998-03-08", None)
    ]
    assert values("He was shot to death last Oct. 23 at his home.", date(1999, 4, 19)) == [
        ("last Oct. 23", "DATE", "1998-10-23", None)
    ]
    assert values("It ends on March twenty-first.", date(1999, 3, 5)) == [
        ("March twenty-first", "DATE", "1999-03-21", None)
    ]
    assert values("The vote is this coming Tuesday.", date(1998, 3, 5)) == [
        ("this coming Tuesday", "DATE", "1998-03-10", None)
    ]


def test_holidays_resolve_to_their_date_in_the_year_meant() -> None:
    spring, autumn = date(1998, 3, 1), date(1998, 10, 30)
    assert values("Sales rose before Thanksgiving Day.", spring) == [("Thanksgiving Day", "DATE", "1997-11-27", None)]
    assert values("Stores will open on Thanksgiving.", spring) == [("Thanksgiving", "DATE", "1998-11-26", None)]
    assert values("He arrived last Christmas.", autumn) == [("last Christmas", "DATE", "1997-12-25", None)]
    assert values("Voters go to the polls on Election Day.", date(2016, 9, 1)) == [
        ("Election Day", "DATE", "2016-11-08", None)
    ]
    assert values("They met on Labor Day.", date(1999, 10, 1)) == [("Labor Day", "DATE", "1999-09-06", None)]


def test_vague_future_phrases() -> None:
    assert values("Rates will stay low in the near term.") == [("the near term", "DATE", "FUTURE_REF", None)]
    assert values("No cuts are planned in the near future.") == [("the near future", "DATE", "FUTURE_REF", None)]


def test_sets_of_weekdays_months_and_frequencies() -> None:
    assert values("Orangemen march each July; a flight leaves every Thursday.") == [
        ("each July", "SET", "XXXX-07", None),
        ("every Thursday", "SET", "XXXX-WXX-4", None),
    ]
    assert values("Elections come every four years; he visits every other week.") == [
        ("every four years", "SET", "P4Y", None),
        ("every other week", "SET", "P2W", None),
    ]
    assert values("He runs twice a week and meets them three times a year.") == [
        ("twice a week", "SET", "P1W", None),
        ("three times a year", "SET", "P1Y", None),
    ]


def test_this_weekend_is_the_reference_weeks() -> None:
    thursday = date(2013, 3, 14)
    assert values("This weekend they rest.", thursday) == [("This weekend", "DATE", "2013-W11-WE", None)]
    assert values("Over the weekend they rested.", thursday) == [("the weekend", "DATE", "2013-W10-WE", None)]


def test_durations_and_a_half() -> None:
    assert values("She spent about 5 1/2 hours in Nairobi.") == [("5 1/2 hours", "DURATION", "PT5H30M", None)]
    assert values("He served two and a half years.") == [("two and a half years", "DURATION", "P2Y6M", None)]
    assert values("It lasted a minute and a half.") == [("a minute and a half", "DURATION", "PT1M30S", None)]
    assert values("It took one and a half days.") == [("one and a half days", "DURATION", "P1DT12H", None)]
    assert values("It took 1 1/2 decades.") == [("1 1/2 decades", "DURATION", "P15Y", None)]
    assert values("It took two and a half weeks.") == [("two and a half weeks", "DURATION", "P2.5W", None)]


def test_accounting_years_halves_and_past_seasons() -> None:
    autumn = date(1989, 10, 30)
    assert values("Net income for the year ended Sept. 30 rose.", autumn)[0] == ("the year", "DURATION", "P1Y", None)
    assert values("Earnings for the fiscal year will fall.", autumn) == [("the fiscal year", "DATE", "1989", None)]
    assert values("Earnings for the last half of 1989 fell.", autumn) == [
        ("the last half of 1989", "DATE", "1989-H2", None)
    ]
    assert values("It closed the unit this past spring.", autumn) == [("this past spring", "DATE", "1989-SP", None)]
    assert values("It closed the unit this past fall.", date(1989, 10, 1)) == [
        ("this past fall", "DATE", "1988-FA", None)
    ]


def test_words_that_only_look_like_times() -> None:
    assert values("She may go. Prices fall. Mar the surface.") == []
    assert values("Mr. Reupke, 52 years old, and a 40-year-old colleague left.") == []  # ages
    assert values("It would be a second betrayal. A second group formed.") == []  # the ordinal
    assert values("Iraq imports about three-quarters of its food and a quarter of its fuel.") == []  # fractions
    assert values("He paused for a second and went on.") == [("a second", "DURATION", "PT1S", None)]
    assert values('He told "60 Minutes" the plan was dead.') == []  # a programme's title
    assert values('Baker said on ABC\'s "This Week" that talks would go on.') == []
    assert values("This is VOA Today.") == []
    assert values("The index closed at 2082.1, down from 1678.5.") == []  # numbers with a fraction
    assert values("He marched in the annual March for Life.") == []  # a procession
    assert values("He came back in March for the first time.")[0][:2] == ("March", "DATE")


def test_without_a_reference_only_absolute_dates_resolve() -> None:
    found = find_times("In 1994, on 24 December 2022, and yesterday.", None)
    assert [(t.text, t.value) for t in found] == [("1994", "1994"), ("24 December 2022", "2022-12-24")]


def test_anchor_marks_what_was_resolved_against_the_reference() -> None:
    saturday, explicit = find_times("Saturday (24/12/2022)", SATURDAY)
    assert saturday.anchor == "2022-12-24" and explicit.anchor is None


def test_spans_are_exact() -> None:
    text = "On Saturday (24/12/2022), in early October and earlier this week."
    for time in find_times(text, SATURDAY):
        assert text[time.start : time.end] == time.text


TIMEML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>test</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" functionInDocument="CREATION_TIME">19980108</TIMEX3></DCT>
<TEXT>
Stocks fell <TIMEX3 tid="t1" type="DATE" value="1998-01-07">yesterday</TIMEX3> &amp; rose in
<TIMEX3 tid="t2" type="DATE" value="1997-Q4">the fourth quarter</TIMEX3> after
<TIMEX3 tid="t3" type="DURATION" value="P2W">two weeks</TIMEX3> of talks on
<TIMEX3 tid="t4" type="DATE" value="1998-W2">this week</TIMEX3>'s plan.
</TEXT>
</TimeML>
"""


def test_timeml_reader_and_scores(tmp_path: Path) -> None:
    (tmp_path / "doc.tml").write_text(TIMEML)
    document = read_timeml(tmp_path / "doc.tml")
    assert document.creation_date == date(1998, 1, 8)
    assert [document.text[g.start : g.end] for g in document.gold] == [
        "yesterday",
        "the fourth quarter",
        "two weeks",
        "this week",
    ]
    assert "&amp;" not in document.text and " & " in document.text
    scores = evaluate_times(tmp_path).to_dict()
    assert scores["gold"] == 4 and scores["relaxed"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert scores["value"]["f1"] == 1.0  # our 1998-W02 counts as the gold's 1998-W2


def test_canonical_week_values() -> None:
    assert canonical_value("2000-W06") == canonical_value("2000-W6")
    assert canonical_value("2000-W16") != canonical_value("2000-W6")
