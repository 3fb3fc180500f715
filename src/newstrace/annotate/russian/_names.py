"""Names of a Russian article in the nominative, and what makes two person mentions one person.

slovnet's spans come with natasha's nominative ``normal`` and, for a person, the name's parts; spans made here (a
span split at a bracket, an organisation joined to the place after it, a repeat found again) are put in the
nominative the way natasha does it: the span's syntactic roots and the adjectives agreeing with them inflected.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from types import SimpleNamespace

from newstrace.annotate.russian._models import load_russian
from newstrace.annotate.russian._parse import Token

__all__ = ["first_and_surname", "fold", "initials_and_surname", "nominative", "person_parts", "stem"]

# A person written with initials: "В. Путин", "В.В. Путин", "И.Иванов".
_INITIALS = re.compile(r"^((?:[А-ЯЁA-Z]\.\s*){1,2})([А-ЯЁA-Z][а-яёa-z]+(?:-[А-ЯЁA-Z][а-яёa-z]+)?)$")
# Endings a surname takes in the oblique cases ("Галузина", "Путину", "Лукашенко" none): longest first.
_SURNAME_ENDINGS = (
    "ыми",
    "ими",
    "ого",
    "ему",
    "ому",
    "ой",
    "ым",
    "им",
    "ом",
    "ем",
    "ую",
    "ых",
    "их",
    "а",
    "у",
    "е",
    "ы",
    "ю",
)


# Words that belong to the surname after them ("Ле Пен", "де Голль", "аль-Асад" is one word already).
_PARTICLES = frozenset({"ле", "ла", "де", "ди", "да", "ван", "фон", "дель", "дю", "бин", "ибн", "эль", "аль", "ог"})


def fold(text: str) -> str:
    """A name compared: lower case, ё as е, runs of spaces as one."""
    return " ".join(text.lower().replace("ё", "е").split())


def stem(word: str) -> str:
    """A surname without its case ending, so its forms meet ("галузина", "галузину" -> "галузин")."""
    word = fold(word)
    for ending in _SURNAME_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def initials_and_surname(text: str) -> tuple[str, str] | None:
    """("В.", "Путин") for "В. Путин"; None for a name not written with initials."""
    match = _INITIALS.match(" ".join(text.split()))
    if match is None:
        return None
    return match[1].replace(" ", ""), match[2]


def nominative(tokens: Sequence[Token], every_word: bool = False) -> str:
    """The words of a span in the nominative, as natasha normalises its own spans: a person's every word, another
    name.s roots and the adjectives agreeing with them."""
    if not tokens:
        return ""
    if not every_word and len(tokens) >= 3 and tokens[0].feats.get("Case") == "Nom":
        # Already in the nominative: natasha would re-inflect words inside ("… в Европе" came back "в Европа").
        return " ".join(token.text for token in tokens)
    models = load_russian()  # first: it lets natasha import (pymorphy3 standing in for pymorphy2)
    from natasha.norm import normalize, syntax_normalize

    inside = {token.index for token in tokens}
    adapted = [
        SimpleNamespace(
            id=str(token.index),
            head_id=str(token.head) if token.head in inside else "",
            text=token.text,
            pos=token.pos,
            feats=dict(token.feats),
            start=token.start,
            stop=token.end,
        )
        for token in tokens
    ]
    try:
        return str((normalize if every_word else syntax_normalize)(models.morph_vocab, adapted))
    except (KeyError, ValueError, AttributeError):  # a word the dictionary cannot inflect: keep it as written
        return " ".join(token.text for token in tokens)


def person_parts(text: str) -> dict[str, str]:
    """A person's first, middle and last name in the nominative as natasha's name extractor reads ``text``."""
    models = load_russian()
    match = models.names_extractor.find(text)
    if match is None:
        return {}
    parts = {key: getattr(match.fact, key, None) for key in ("first", "middle", "last")}
    return {key: value for key, value in parts.items() if isinstance(value, str)}


def is_first_name(word: str) -> bool:
    """Whether the dictionary knows ``word`` as a given name and not as a surname ("Егор" yes, "Лавров" no)."""
    models = load_russian()
    folded = fold(word)
    if not models.morph_vocab.word_is_known(folded):
        return False  # an unknown word's guessed tags are guesses: a lone unknown name is taken for a surname
    tags = [str(form.tag) for form in models.morph_vocab.parse(folded)]
    return any("Name" in tag for tag in tags) and not any("Surn" in tag for tag in tags)


def _is_patronymic(word: str) -> bool:
    return fold(word).endswith(("вич", "вна", "ична", "инична")) and word[:1].isupper()


def first_and_surname(normal: str, parts: dict[str, str]) -> tuple[str | None, str | None]:
    """A person's first name (or initials) and surname in the nominative, as far as the name gives them.

    natasha's parts are taken when they account for every word of the name; otherwise the words are read by
    position: the first a given name, the rest less a patronymic the surname ("Жан-Мари Ле Пен" -> "Ле Пен").
    """
    initials = initials_and_surname(normal)
    if initials is not None:
        return initials
    words = normal.split()
    if not words:
        return None, None
    named = [parts[key] for key in ("first", "middle", "last") if parts.get(key)]
    if parts.get("first") and parts.get("last") and fold(" ".join(named)) == fold(normal):
        return parts["first"], parts["last"]
    if len(words) == 1:
        return (words[0], None) if is_first_name(words[0]) else (None, _surname_nominative(words[0]))
    rest = [word for word in words[1:] if not _is_patronymic(word)]
    if not rest:
        return words[0], None
    # The surname is the last word with the particles before it ("Ле Пен", "бин Ладен", "ван Гог").
    surname = [rest[-1]]
    for word in reversed(rest[:-1]):
        if not (word.islower() or fold(word) in _PARTICLES):
            break
        surname.insert(0, word)
    return words[0], " ".join(surname)


def _surname_nominative(word: str) -> str:
    """A lone surname in the nominative where natasha left it inflected ("Обамы" -> "Обама")."""
    models = load_russian()
    for form in models.morph_vocab.parse(word.lower()):
        if "Surn" in str(form.tag) and "nomn" not in str(form.tag):
            inflected = form.inflect({"Nom"})
            if inflected is not None:
                return str(inflected.word[:1].upper() + inflected.word[1:])
        if "Surn" in str(form.tag):
            break
    return word
