"""The clean stage: titles, datelines, boilerplate, dates, HTML, and provenance of every span."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pytest

from conftest import news_html
from newstrace.clean._boilerplate import boilerplate_reason
from newstrace.clean._header import byline_authors, date_line, find_dateline, near_duplicate
from newstrace.clean._html import headline_without_site
from newstrace.clean.dates import choose_reference_date, find_explicit_dates, resolve_month_day
from newstrace.ingest import iter_documents
from newstrace.model import Article, Document
from newstrace.pipeline import Pipeline

PIPELINE = Pipeline(("clean",))


def clean_text(raw: str, **fields: object) -> Article:
    document = Document(source="test", raw=raw, media_type="text/plain", source_hash="h", **fields)  # type: ignore[arg-type]
    result = PIPELINE.process(document)
    assert isinstance(result, Article), result
    assert result.provenance_errors() == []
    return result


def clean_html(raw: str, url: str | None = None) -> Article:
    result = PIPELINE.process(Document(source="test", raw=raw, media_type="text/html", source_hash="h", url=url))
    assert isinstance(result, Article), result
    assert result.provenance_errors() == []
    return result


BLOG_COPY = """\
Minister Says Talks Will Resume, Is A Deal Close?

Minister Says Talks Will Resume, Is A Deal Close?
Minister Says Talks Will Resume

LISBON (Wire) - Foreign Minister Ana Duarte said talks would resume next week. She spoke to reporters.

"We are close," Duarte said on Friday (07/06/2024).

Share this:
Facebook
Leave a comment

Copyright © 2024 Some Blog. All rights reserved.
"""


def test_blog_copy_headline_dateline_and_footer() -> None:
    article = clean_text(BLOG_COPY)
    assert article.headline == "Minister Says Talks Will Resume, Is A Deal Close?"
    assert article.dateline == "Lisbon"
    assert article.text.startswith("Foreign Minister Ana Duarte said")
    assert "Share" not in article.text and "Copyright" not in article.text
    assert "Minister Says Talks" not in article.text
    reasons = [r.reason for r in article.removed]
    assert reasons == [
        "headline (kept as metadata)",
        "repeated title",
        "repeated title",
        "dateline (kept as metadata)",
        "share buttons",
        "share buttons",
        "comment widget",
        "copyright notice",
    ]
    # Friday written beside it decides the ambiguous order: 7 June 2024 was a Friday.
    assert article.reference_date == "2024-06-07"
    assert article.reference_date_source == "text"


def test_every_offset_maps_back_to_the_raw_text() -> None:
    article = clean_text(BLOG_COPY)
    assert article.raw is not None
    for paragraph in article.paragraphs:
        start, end = article.raw_offset(paragraph.start), article.raw_offset(paragraph.end)
        assert start is not None and end is not None
        assert article.raw[start:end] == paragraph.text
    for removed in article.removed:
        assert article.raw[removed.start : removed.end] == removed.text


def test_text_without_title_lines_keeps_its_first_paragraph() -> None:
    article = clean_text("The council met on Monday and voted to close the bridge.\n\nIt reopens in May.")
    assert article.headline is None
    assert article.text.startswith("The council met")


def test_given_headline_is_not_repeated_in_text() -> None:
    article = clean_text("Bridge Closes\n\nThe council voted to close the bridge.", title="Bridge Closes")
    assert article.headline == "Bridge Closes" and article.text == "The council voted to close the bridge."


def test_standfirst_that_repeats_nothing_stays_in_the_text() -> None:
    article = clean_text("Bridge Closes\n\nCouncil blames rust\n\nThe council voted to close the bridge.")
    assert article.headline == "Bridge Closes"
    assert article.text.startswith("Council blames rust")


def test_hard_wrapped_lines_join_into_paragraphs() -> None:
    raw = (
        "The council met on Monday and voted to close the\n"
        "bridge after engineers found rust in the main span.\n"
        "It reopens in May.\n\nA second paragraph here."
    )
    article = clean_text(raw)
    assert article.paragraphs[0].text == (
        "The council met on Monday and voted to close the bridge after engineers found rust in the main span."
        " It reopens in May."
    )
    assert len(article.paragraphs) == 2


def test_long_lines_are_paragraphs_each() -> None:
    first, second = "A" + " long sentence" * 12 + ".", "B" + " long sentence" * 12 + "."
    assert [p.text for p in clean_text(f"{first}\n{second}").paragraphs] == [first, second]


def test_byline_and_date_stamp_become_metadata() -> None:
    raw = "Bridge Closes\nBy Jane Doe and John Roe, Wire\nPublished 3 March 2026, 10:15 GMT\n\nThe council voted."
    article = clean_text(raw)
    assert article.authors == ["Jane Doe", "John Roe"]
    assert article.published == "2026-03-03" and article.reference_date_source == "text"
    assert article.text == "The council voted."


def test_nothing_but_short_lines_is_kept_as_text() -> None:
    article = clean_text("Short line one\nShort line two")
    assert article.text == "Short line one\n\nShort line two" or article.text


def test_empty_after_cleaning_is_a_failure() -> None:
    result = PIPELINE.process(
        Document(
            source="t",
            raw="Share this:\nFacebook\nTwitter",
            media_type="text/plain",
            source_hash="h",
        )
    )
    assert not isinstance(result, Article)
    assert result.stage == "clean" and result.reason == "no article text left after cleaning"


@pytest.mark.parametrize(
    ("line", "place", "agency", "when"),
    [
        ("Moscow - Russian Deputy Foreign Minister said", "Moscow", None, None),
        ("WASHINGTON (Reuters) - The Senate voted", "Washington", "Reuters", None),
        ("MOSCOW, Dec 24 (Reuters) — The Kremlin said", "Moscow", "Reuters", "Dec 24"),
        ("KYIV, Ukraine (AP) -- Officials said", "Kyiv, Ukraine", "AP", None),
        ("(Reuters) - Shares rose", None, "Reuters", None),
        ("NEW YORK – “We are ready,” she said", "New York", None, None),
    ],
)
def test_datelines(line: str, place: str | None, agency: str | None, when: str | None) -> None:
    found = find_dateline(line)
    assert found is not None
    assert (found.place, found.agency, found.date_text) == (place, agency, when)


@pytest.mark.parametrize(
    "line",
    [
        "Galuzin - who spoke on Saturday - said",
        "The minister - a veteran - said",
        "Kim Jong-un met officials",
        "Analysis - Why the talks failed",
        "Moscow said the force was defensive.",
    ],
)
def test_not_datelines(line: str) -> None:
    assert find_dateline(line) is None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Post a Comment", "comment widget"),
        ("12 Comments", "comment widget"),
        ("Previous Post Next Post", "navigation"),
        ("Share on Facebook", "share buttons"),
        ("Subscribe to our newsletter", "subscription prompt"),
        ("Related Articles", "related links"),
        ("Read more: Ferry timetable changes", "related links"),
        ("We use cookies to improve your experience. Accept all cookies", "cookie notice"),
        ("Copyright © 2022 Example Media. All rights reserved.", "copyright notice"),
        ("Labels: Russia, Belarus", "tags"),
        ("ADVERTISEMENT", "advertisement"),
        ("* * *", "separator"),
        ("Also on rt.com", "related links"),  # 4a44ab3e4c
        ("Also on rt.com Ferry timetable changes after the storm", "related links"),
        ("Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.", "subscription prompt"),  # 70cb2d5bca
        ("Follow us on Twitter", "subscription prompt"),
    ],
)
def test_boilerplate_lines(line: str, reason: str) -> None:
    assert boilerplate_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "Shares fell 5% on Monday.",
        "Follow the money",
        "Follow-up talks on Monday and Tuesday.",
        "Also on Monday, the minister met the ambassador.",
        "The minister said he would share the report with parliament next week.",
        "Comments by the minister drew criticism from the opposition.",
        "Next year's budget",
        "The EU fined the company over cookies it placed without consent.",
    ],
)
def test_article_lines_are_not_boilerplate(line: str) -> None:
    assert boilerplate_reason(line) is None


def test_title_duplicates() -> None:
    full = "Russia Reveals Joint Force Plan With Belarus, Will Attack Ukraine?"
    assert near_duplicate(full, "Russia Reveals Joint Force Plan With Belarus")
    assert near_duplicate(full, full.upper())
    assert not near_duplicate(full, "Kremlin denies plans for Ukraine")


def test_bylines_and_stamps() -> None:
    assert byline_authors("By Jane Doe") == ["Jane Doe"]
    assert byline_authors("By the way, the vote was close and the count took three days") is None
    stamp = date_line("Updated: Saturday, 24 December 2022 10:15 GMT")
    assert stamp is not None and stamp.value == date(2022, 12, 24)
    assert date_line("The vote on 24 December 2022 was close") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On Saturday (24/12/2022), he said", [date(2022, 12, 24)]),
        ("Filed 2022-12-24.", [date(2022, 12, 24)]),
        ("On 24 December 2022 and December 25th, 2022", [date(2022, 12, 24), date(2022, 12, 25)]),
        ("Dated 31/04/2022", []),  # no 31 April in either order
        # 13/05 fixes this document as day-first, so 05/06 is 5 June.
        ("Signed 13/05/2021; talks on 05/06/2021.", [date(2021, 5, 13), date(2021, 6, 5)]),
        # 05/13 fixes it as month-first.
        ("Signed 05/13/2021; talks on 05/06/2021.", [date(2021, 5, 13), date(2021, 5, 6)]),
        ("Version 1.2.3 shipped", []),
    ],
)
def test_explicit_dates(text: str, expected: list[date]) -> None:
    assert [d.value for d in find_explicit_dates(text)] == expected


def test_weekday_decides_ambiguous_order() -> None:
    (found,) = find_explicit_dates("on Thursday (06/07/2023)")
    assert found.value == date(2023, 7, 6) and not found.ambiguous  # 6 July 2023 was a Thursday


def test_reference_date_choice() -> None:
    dates = find_explicit_dates("In 2014-03-18 it began. Talks on 2022-12-24.")
    assert choose_reference_date(dates, lead_end=10, captured=None) == dates[0]
    assert choose_reference_date(dates, lead_end=0, captured=None) == dates[1]
    assert choose_reference_date(dates, lead_end=0, captured=date(2020, 1, 1)) == dates[0]
    assert resolve_month_day("Dec 24", [], date(2023, 3, 1)) == date(2022, 12, 24)
    assert resolve_month_day("Dec 24", [date(2019, 5, 1)], None) == date(2019, 12, 24)


def test_html_page_main_text_and_metadata(example_html: Path) -> None:
    (document,) = iter_documents([str(example_html)])
    assert isinstance(document, Document)
    article = PIPELINE.process(document)
    assert isinstance(article, Article) and article.provenance_errors() == []
    assert article.headline == "Coastal Alliance Unveils Joint Patrol Plan, Will Fishing Be Banned?"
    assert article.site == "Coastline Daily" and article.published == "2026-03-03"
    assert article.reference_date_source == "metadata" and article.language == "en"
    assert article.dateline == "Port Aven"
    assert article.text.startswith("Fisheries Commissioner Elena Marsh")
    assert "Popular posts" not in article.text and "Leave a Reply" not in article.text
    assert "“Nobody is going to stop a family boat from going out to sea.”" in article.text
    left_out = {r.text for r in article.removed if r.reason == "outside main content"}
    assert {"Home", "Popular posts", "Leave a Reply"} <= left_out


def test_html_paragraphs_are_located_in_the_raw_page(example_html: Path) -> None:
    (document,) = iter_documents([str(example_html)])
    article = PIPELINE.process(document)  # type: ignore[arg-type]
    assert isinstance(article, Article) and article.raw is not None
    for paragraph in article.paragraphs:
        start = article.raw_offset(paragraph.start)
        assert start is not None
        words = paragraph.text.split()[:3]
        assert " ".join(words) in html.unescape(article.raw[start - 5 : start + 200])


def test_html_without_main_text_fails_with_reason() -> None:
    result = PIPELINE.process(
        Document(source="t", raw="<html><body></body></html>", media_type="text/html", source_hash="h")
    )
    assert not isinstance(result, Article) and result.reason == "no main text found in the HTML"


def test_deeply_nested_html_does_not_crash() -> None:
    deep = "<html><body>" + "<div>" * 100_000 + "<p>deep text</p>" + "</div>" * 100_000 + "</body></html>"
    result = PIPELINE.process(Document(source="t", raw=deep, media_type="text/html", source_hash="h"))
    assert not isinstance(result, Article)
    assert result.stage == "clean"


def test_same_text_at_two_urls_is_two_articles() -> None:
    page = news_html("Port Reopens", ["The port reopened on Monday after a week of repairs to the quay."] * 3)
    first, second = clean_html(page, "https://a.example/x"), clean_html(page, "https://b.example/y")
    assert first.id != second.id
    assert clean_html(page, "https://a.example/x").id == first.id


def test_seed_article(seed_path: Path) -> None:
    (document,) = iter_documents([str(seed_path)])
    article = PIPELINE.process(document)  # type: ignore[arg-type]
    assert isinstance(article, Article)
    assert article.headline == "Russia Reveals Joint Force Plan With Belarus, Will Attack Ukraine?"
    assert article.dateline == "Moscow"
    assert (article.reference_date, article.reference_date_source) == ("2022-12-24", "text")
    assert article.text.startswith("Russian Deputy Foreign Minister Mikhail Galuzin")
    for unwanted in ("Russia Reveals", "Post a Comment", "Previous Post"):
        assert unwanted not in article.text
    reasons = {r.text: r.reason for r in article.removed}
    assert reasons["Post a Comment"] == "comment widget"
    assert reasons["Previous Post Next Post"] == "navigation"
    assert reasons["Russia Reveals Joint Force Plan With Belarus"] == "repeated title"
    assert len(article.paragraphs) == 7
    assert article.provenance_errors() == []


def test_a_lede_that_restates_the_headline_is_kept() -> None:
    # 7a457a4f71, 921019755f, 4a44ab3e4c: the lede went out as a "repeated title".
    article = clean_text(
        "Storm closes northern harbour\n\n"
        "Storm closes northern harbour for winter, officials say.\n\n"
        "Repairs to the breakwater will take six weeks, the port authority said on Monday.\n"
    )
    assert article.headline == "Storm closes northern harbour"
    assert article.text.startswith("Storm closes northern harbour for winter, officials say.")
    assert "repeated title" not in [r.reason for r in article.removed]


def test_a_body_line_equal_to_the_headline_is_still_a_repeated_title() -> None:
    article = clean_text(
        "Storm closes northern harbour\n\nStorm closes northern harbour.\n\n"
        "Repairs to the breakwater will take six weeks, the port authority said on Monday.\n"
    )
    assert article.text.startswith("Repairs to the breakwater")
    assert [r.reason for r in article.removed].count("repeated title") == 1


HARBOUR_PARAGRAPHS = [
    "The northern harbour closed on Monday after a storm destroyed part of its breakwater, officials said.",
    "Repairs are expected to take six weeks, and fishing boats have moved to the southern harbour for now.",
    "The port authority said the harbour had not closed for a storm since 1987, when the old pier fell.",
]


def page(title: str, heading: str, site: str | None = None) -> str:
    """A news page whose <title> and <h1> differ, as sites write them, with an optional og:site_name."""
    site_meta = f"<meta property='og:site_name' content='{site}'>" if site else ""
    body = "".join(f"<p>{p}</p>" for p in HARBOUR_PARAGRAPHS)
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>{site_meta}"
        "<meta property='article:published_time' content='2026-03-03T10:00:00Z'></head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h2>{heading}</h2>{body}</article></body></html>"
    )


@pytest.mark.parametrize(
    ("title", "site", "url"),
    [
        ("Storm closes northern harbour - Il Post", "Il Post", None),  # b6fb53e9fb: a site suffix on the headline
        ("Coastline Daily | Storm closes northern harbour", "Coastline Daily", None),
        ("Storm closes northern harbour — RT World News", None, "https://www.rt.com/news/1-harbour/"),
    ],
)
def test_the_site_name_comes_off_the_headline(title: str, site: str | None, url: str | None) -> None:
    assert clean_html(page(title, "Storm closes northern harbour", site), url=url).headline == (
        "Storm closes northern harbour"
    )


def test_a_title_that_is_only_the_site_name_is_no_headline() -> None:
    # 0ec95c7261: the site's name became the headline.
    article = clean_html(page("Coastline Daily", "Storm closes northern harbour", "Coastline Daily"))
    assert article.headline != "Coastline Daily"


@pytest.mark.parametrize(
    "title", ["Storm closes harbour - BBC crew stranded on the pier", "Russia - Ukraine talks resume in Geneva"]
)
def test_a_headline_that_mentions_the_site_keeps_its_words(title: str) -> None:
    assert headline_without_site(title, "BBC", "https://www.bbc.co.uk/news/1") == title


def test_a_url_date_beats_metadata_that_disagrees_when_the_text_shows_none() -> None:
    # 9e8c9f082a: metadata said 2019-10-13, the URL (and the real date) 2019-11-18.
    raw = news_html("Storm closes northern harbour", HARBOUR_PARAGRAPHS, published="2019-10-13")
    article = clean_html(raw, url="https://news.example.com/statements/2019/nov/18/storm-closes-harbour/")
    assert article.published == "2019-11-18" and article.reference_date == "2019-11-18"
    agreeing = clean_html(raw, url="https://news.example.com/2019/10/13/storm-closes-harbour/")
    assert agreeing.published is not None and agreeing.published.startswith("2019-10-13")
    assert clean_html(raw, url="https://news.example.com/world/123456/").published.startswith("2019-10-13")  # type: ignore[union-attr]


def test_a_dateline_after_a_related_headline_is_still_the_dateline() -> None:
    # 776a1c0467: a related story's headline sat before the first paragraph, the dateline stayed in the text
    # and "SIOUX FALLS" became a PERSON.
    article = clean_text(
        "Storm closes northern harbour\n\n"
        "Ferry timetable changes after the storm\n\n"
        "SIOUX FALLS, S.D. (AP) — The northern harbour closed on Monday after a storm, officials said.\n\n"
        "Repairs to the breakwater will take six weeks, the port authority said.\n"
    )
    assert article.dateline is not None and article.dateline.startswith("Sioux Falls")
    assert "SIOUX FALLS" not in article.text
    assert "dateline (kept as metadata)" in [r.reason for r in article.removed]


def test_language_comes_from_the_cleaned_text_not_the_lang_attribute() -> None:
    # A site template declaring lang="en" over a Chinese article, with English brand names in it.
    paragraphs = [
        "NVIDIA GeForce RTX 5090 评测：在 4K 分辨率下，新显卡的性能比上一代提升了约 30%。",
        "厂商表示，这款显卡将于下个月在中国市场正式发售，建议零售价为 16499 元。",
    ]
    html_page = news_html("新显卡下月上市", paragraphs)
    article = PIPELINE.process(Document(source="t", raw=html_page, media_type="text/html", source_hash="h"))
    assert isinstance(article, Article) and article.provenance_errors() == []
    assert "厂商表示" in article.text and article.language == "zh"


def test_declared_language_stays_when_the_text_has_no_words() -> None:
    page = news_html("2026", ["2026-03-03 10:00 | 1,379,426 | 42%"]).replace("lang='en'", "lang='de'")
    article = PIPELINE.process(Document(source="t", raw=page, media_type="text/html", source_hash="h"))
    assert isinstance(article, Article) and article.language == "de"


CLOSING_LINKS_PAGE = (
    "<!DOCTYPE html><html lang='it'><head><meta charset='utf-8'><title>Netflix annuncia il film</title></head><body>"
    "<article><h1>Netflix annuncia il film</h1>"
    "<p>Netflix ha annunciato in queste ore che il servizio di streaming produrrà un film tratto dalla serie, "
    "con un cast internazionale e una regia affidata a un autore giapponese di grande esperienza.</p>"
    "<p>Gli appassionati sono già sul piede di guerra: secondo molti, il nuovo adattamento tradisce lo spirito "
    "dell'opera originale, come era successo <a href='/remake'>con il remake</a> di due anni fa.</p>"
    "<ul><li>Tre punti da ricordare sulla serie originale</li><li>Il primo episodio andò in onda nel 1986</li></ul>"
    "<p>(Leggi anche su: <a href='/cast'>I Cavalieri dello Zodiaco: ecco gli attori del film</a>)</p>"
    "<ul><li><a href='/a'>Gronk perform with Laker Girls</a> Gronk may have found his true calling</li>"
    "<li><a href='/b'>Pats place Olszewski on IR</a> New England's roster is re-shuffling</li></ul>"
    "</article><footer>Copyright 2026 Example News.</footer></body></html>"
)


def test_closing_related_links_go_by_link_density() -> None:
    article = clean_html(CLOSING_LINKS_PAGE)
    related = [span.text for span in article.removed if span.reason == "related links"]
    assert len(related) == 3 and "Leggi anche su" in related[0] and "Olszewski" in related[2]
    assert "Leggi anche" not in article.text and "Gronk" not in article.text
    # A link inside a sentence and the article's own unlinked list stay.
    assert "con il remake di due anni fa" in article.text and "Il primo episodio andò in onda nel 1986" in article.text
