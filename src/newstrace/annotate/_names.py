"""Names as an article writes them: the characters of a name, words glued to it, capitalised words that name
nothing (currencies, common nouns opening a sentence, things), and short forms that stand for a fuller name.

Each rule is a fact of English news writing, read from the text and its parse; entities.py groups the
mentions these rules leave into one entity per referent.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Any

from spacy.tokens import Doc

from newstrace.lexicon import COUNTRY_NAMES, CURRENCY_NAMES, ORGANISATION_NOUNS

# Words a name may end with a period after: initials ("George W."), suffixes and company forms.
_ABBREVIATED_ENDS = frozenset({"jr", "sr", "inc", "co", "corp", "ltd", "bros", "st", "mt", "ft", "dr", "no"})
# Name prefixes written with a capital after them: McDonald, MacArthur, DeSantis, LeBron, VanDyke, O'Neill.
_NAME_PREFIXES = frozenset({"mc", "mac", "de", "di", "da", "du", "del", "la", "le", "van", "von", "o", "d"})
_HUMP = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Tags of words that are never part of a name: verbs, adverbs, prepositions, conjunctions, determiners, pronouns.
_NOT_NAME_TAGS = frozenset({"VERB", "AUX", "ADV", "ADP", "SCONJ", "CCONJ", "DET", "PRON", "PART", "INTJ"})
_ARTICLES = frozenset({"the", "a", "an"})


@dataclass(slots=True)
class MentionDraft:
    """A mention as the rules read and repair it, before it joins an entity."""

    start: int
    end: int
    text: str
    label: str
    token_start: Any = None  # the spaCy Token that opens it, for roles and syntax
    stands_for: str | None = None
    entity: str | None = None
    refers_to: MentionDraft | None = None  # the fuller name a short form stands for: "the Bank" -> "Bank of England"


def name_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The name inside a mention's characters: surrounding punctuation and glued text left out."""
    # A name begins with a letter or a digit: quote marks, dashes and brackets before it belong to the sentence.
    while start < end and not text[start].isalnum():
        start += 1
    # It ends with a letter or a digit, the period of an abbreviation ("U.S.", "Jr.", "Inc.") or a bracket it opened.
    while start < end and not text[end - 1].isalnum():
        if text[end - 1] == "." and _abbreviated(text[start : end - 1]):
            break
        if text[end - 1] == ")" and "(" in text[start : end - 1]:
            break
        end -= 1
    return start, _unglued_end(text, start, end)


def _abbreviated(name: str) -> bool:
    """Whether a name's last word before a period is an abbreviation: "U.S", "W", "Jr", "Inc"."""
    last = name.split()[-1] if name.split() else ""
    return "." in last or (len(last) == 1 and last.isupper()) or last.lower() in _ABBREVIATED_ENDS


def _unglued_end(text: str, start: int, end: int) -> int:
    """Where a name ends when a page glued other text to it without a space ("Kristi NoemKristi", a sidebar's
    caption run into the byline): a word whose capitalised tail repeats the start of another word of the name is
    that name written again, and the name ends before the tail. A capital inside a real name (McDonald, DeSantis,
    LeBron) follows a name prefix or repeats nothing, and is kept."""
    words = [(match.start(), match.group()) for match in re.finditer(r"\S+", text[start:end])]
    for index, (offset, word) in enumerate(words):
        others = [other for number, (_, other) in enumerate(words) if number != index and len(other) >= 2]
        for hump in _HUMP.finditer(word):
            head, tail = word[: hump.start()], word[hump.start() :]
            if head.lower() in _NAME_PREFIXES or len(tail) < 2:
                continue
            if any(tail.startswith(other) or other.startswith(tail) for other in others):
                return start + offset + hump.start()
    return end


def opens_sentence(token: Any) -> bool:
    """Whether a word stands first in its sentence or quotation, where English capitalises any word."""
    doc, index = token.doc, token.i
    if index > 0 and (doc[index - 1].text in _OPENING_QUOTES or doc[index - 1].tag_ == "``"):
        return True  # an opening quote mark (the tagger tells an opening straight quote from a closing one)
    while index > 0 and doc[index - 1].is_punct and doc[index - 1].text not in (".", "!", "?", ",", ";", ":"):
        index -= 1  # dashes and brackets
    return index == 0 or doc[index].is_sent_start or doc[index - 1].text in (".", "!", "?", ":")


_OPENING_QUOTES = frozenset({"“", "‘", "«", "„"})


def glued_word(token: Any) -> bool:
    """Whether the first word of a person's name is a word glued in front of it, not a given name: a word the
    tagger reads as a verb, adverb, preposition or the like, or an -ing form opening the sentence ("Hosting Cook
    at the summit was an honour"), capitalised only by its position."""
    return token.pos_ in _NOT_NAME_TAGS or (token.lower_.endswith("ing") and opens_sentence(token))


def is_currency(name: str) -> bool:
    """A currency's name ("the euro", "Euro", "US dollars") is a unit of money: not an organisation or a person."""
    return name.lower() in CURRENCY_NAMES


def is_common_word(token: Any, words: int, lowercase: set[str]) -> bool:
    """A single word capitalised only because a sentence or quotation opens with it, which the article writes in
    lower case elsewhere ("Meth is a problem here" beside "the meth crisis"), is a common noun, not a name."""
    return words == 1 and token.lower_ in lowercase and opens_sentence(token)


def after_article(token: Any, words: int) -> bool:
    """English puts no article before a person's name: a one-word "name" after "the" or "a" that heads its noun
    phrase is not a person's. In the singular it names a thing ("models like the Altima"); in the plural a team,
    band or other group ("the Steelers"). As a modifier ("the Obama administration") it is still a name."""
    return (
        words == 1
        and token.i > 0
        and token.doc[token.i - 1].lower_ in _ARTICLES
        and token.dep_ not in ("compound", "poss", "nmod", "amod")
    )


def is_plural(token: Any) -> bool:
    """Whether a proper noun is plural ("Steelers", "Beatles"), as the tagger reads it."""
    return bool(token.tag_ == "NNPS" or (token.text.endswith("s") and not token.text.endswith("ss")))


def abbreviates(short: str, name: str) -> bool:
    """Whether a short form in brackets after a name abbreviates it: its letters are the initials of the name's
    words in order, words may be passed over ("NYAG" for "New York State Attorney General", "BoE" for "Bank of
    England"); or it is the start of the name's first word ("Fed" for "Federal Reserve")."""
    letters = [ch.lower() for ch in short if ch.isalpha()]
    words = [word for word in re.split(r"[\s\-]+", name) if word and word[0].isalnum()]
    if len(letters) < 2 or not words or letters[0] != words[0][0].lower():
        return False
    matched = 0
    for word in words:
        if matched < len(letters) and word[0].lower() == letters[matched]:
            matched += 1
    clipped = len(letters) >= 3 and short.isalpha() and words[0].lower().startswith(short.lower())
    return matched == len(letters) or clipped


def glued_words_left_out(mentions: list[MentionDraft]) -> list[MentionDraft]:
    """A word the model took into a person's name ("Hosting Cook") is left out when the rest is a name the article
    gives elsewhere ("Tim Cook", "Cook") and no other name of the article begins with that word: the mention is then
    the name it ends with, and joins that person by its head, the surname."""
    people = [m for m in mentions if m.label == "PERSON"]
    surnames = Counter(m.text.split()[-1] for m in people)
    first_words = Counter(m.text.split()[0] for m in people if " " in m.text)
    result = []
    for mention in mentions:
        token = mention.token_start
        words = mention.text.split()
        if (
            mention.label == "PERSON"
            and token is not None
            and len(words) >= 2
            and token.i + 1 < len(token.doc)
            and surnames[words[-1]] > 1
            and first_words[words[0]] == 1
            and words[0] == token.text
            and glued_word(token)
        ):
            cut = token.doc[token.i + 1].idx - token.idx
            mention = replace(
                mention, start=mention.start + cut, text=mention.text[cut:], token_start=token.doc[token.i + 1]
            )
        result.append(mention)
    return result


def not_names_left_out(mentions: list[MentionDraft], docs: list[tuple[int, Doc]]) -> list[MentionDraft]:
    """Capitalised words the model tags that name no one: currencies, common nouns opening a sentence, things after
    an article (a group after an article is an organisation). A surname of a full name the article gives stays a
    name ("Ayn Rand ... Rand wrote")."""
    surnames = {m.text.split()[-1] for m in mentions if m.label == "PERSON" and " " in m.text}
    lowercase = {token.text for _, doc in docs for token in doc if token.is_lower}
    result = []
    for mention in mentions:
        token, words = mention.token_start, len(mention.text.split())
        if mention.text in surnames:
            result.append(mention)
        elif mention.label == "PERSON" and after_article(token, words):
            if is_plural(token):  # a group: "the Steelers"
                result.append(replace(mention, label="ORG"))
        elif not is_currency(mention.text) and not (
            mention.label in ("PERSON", "ORG") and is_common_word(token, words, lowercase)
        ):
            result.append(mention)
    return result


def short_forms(text: str, mentions: list[MentionDraft]) -> list[MentionDraft]:
    """Short forms that stand for a fuller name of the article. A short form the article defines in brackets after
    a name ("the New York State Attorney General (NYAG)", "the Federal Reserve (Fed)") is that name wherever it
    appears, tagged or not. An organisation's name cut to its head noun ("the Bank" after "the Bank of England",
    "the Commission" after "the European Commission") is the one organisation of the article whose name it heads."""
    defined: dict[str, MentionDraft] = {}
    for mention in mentions:
        match = _DEFINITION.match(text, mention.end)
        if mention.label != "PERSON" and " " in mention.text and match and abbreviates(match[1], mention.text):
            defined.setdefault(match[1], mention)
    taken = [(m.start, m.end) for m in mentions]
    for short, defining in defined.items():
        for match in re.finditer(rf"(?<![\w.]){re.escape(short)}(?!\w)", text):
            if not any(s < match.end() and match.start() < e for s, e in taken):  # untagged: a mention of its own
                mentions.append(MentionDraft(match.start(), match.end(), short, defining.label))
    heads: dict[str, list[MentionDraft]] = defaultdict(list)
    for mention in mentions:
        words = mention.text.split()
        if mention.label == "ORG" and len(words) >= 2:
            head = words[words.index("of") - 1] if "of" in words[1:] else words[-1]
            if all(m.text != mention.text for m in heads[head]):
                heads[head].append(mention)
    # A company's name without its legal or generic tail ("Nordair" after "Nordair Airlines", "Volta" after "Volta
    # Group Inc."), which the model often takes for a place or a person
    stems: dict[str, list[MentionDraft]] = defaultdict(list)
    for mention in mentions:
        words = mention.text.split()
        generic = len(words) >= 2 and all(_generic_tail(word) for word in words[1:])
        if mention.label == "ORG" and generic and all(m.text != mention.text for m in stems[words[0]]):
            stems[words[0]].append(mention)
    for mention in mentions:
        full: MentionDraft | None = defined.get(mention.text)
        if full is None and mention.label == "ORG" and mention.text.lower() in ORGANISATION_NOUNS:
            fuller = heads.get(mention.text, [])
            full = fuller[0] if len(fuller) == 1 else None
        if full is None and mention.label != "PERSON" and mention.text not in COUNTRY_NAMES:
            fuller = stems.get(mention.text, [])
            full = fuller[0] if len(fuller) == 1 else None
        if full is not None and full is not mention:
            mention.refers_to, mention.label = full, full.label
    return mentions


# The words that end a company's name without naming it: its legal form and the kind of business it is.
_LEGAL_FORMS = frozenset({
    "co", "corp", "corporation", "inc", "ltd", "plc", "llc", "lp", "ag", "sa", "nv", "gmbh", "group", "holdings",
    "holding", "international", "company", "companies", "airways",
})  # fmt: skip


def _generic_tail(word: str) -> bool:
    """Whether a word after a company's own name only says its legal form or kind ("Airlines", "Group", "Inc.")."""
    bare = word.lower().strip(".,")
    return bare in _LEGAL_FORMS or bare in ORGANISATION_NOUNS or bare.removesuffix("s") in ORGANISATION_NOUNS


_DEFINITION = re.compile(r"\s*\(\s*(?P<short>[A-Z][A-Za-z.&]{1,9})\s*\)")


@functools.cache
def _detector() -> object:
    import gender_guesser.detector as detector  # type: ignore[import-untyped]

    return detector.Detector(case_sensitive=False)


def given_name_gender(first: str) -> str | None:
    """ "m" or "f" for a given name the offline name dictionary is sure of; None for unknown or mixed."""
    guess = _detector().get_gender(first)  # type: ignore[attr-defined]
    return {"male": "m", "female": "f"}.get(str(guess))
