"""Word tokens, shingles and name keys shared by the corpus modules."""

from __future__ import annotations

import re
from functools import lru_cache

from newstrace.lexicon import ENGLISH_STOP_WORDS, RU_GIVEN_NAMES_IN_ENGLISH
from newstrace.model import transliterate

# Curly, angled and low quote marks become plain ones so a copy with other quote marks reads the same.
_QUOTES = {"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'", "′": "'"}
# A search for the few quote marks, not str.translate: translating with a table costs ten times more per character,
# and every article's text is normalised several times on its way into the story index.
_QUOTE_MARKS = re.compile("[" + "".join(_QUOTES) + "]")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
STOP_WORDS: frozenset[str] = ENGLISH_STOP_WORDS


def normalise(text: str) -> str:
    """Text with quote marks made plain and case folded: 'He said “no”' -> 'he said "no"'."""
    return _QUOTE_MARKS.sub(lambda mark: _QUOTES[mark.group()], text).casefold()


def words(text: str) -> list[str]:
    """Every word of the text, normalised: "Kyiv’s 9,000" -> ["kyiv's", "9", "000"]."""
    return _WORD.findall(normalise(text))


def content_words(text: str) -> list[str]:
    """Words that carry content: no English stop words, no single characters."""
    return content_of(words(text))


def content_of(tokens: list[str]) -> list[str]:
    """The content words among words already split and normalised (``words``), for a text split once."""
    return [word for word in tokens if len(word) > 1 and word not in STOP_WORDS]


def shingles(text: str, size: int = 3) -> set[str]:
    """Word ``size``-grams of the normalised text (the whole text when it is shorter)."""
    return shingles_of(words(text), size)


def shingles_of(tokens: list[str], size: int = 3) -> set[str]:
    """Word ``size``-grams of words already split and normalised (``words``), for a text split once."""
    if len(tokens) <= size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def ascii_fold(text: str) -> str:
    """Accents removed, other scripts romanised, by the model's one transliteration: "Zelenskyj Łukaszenka" ->
    "Zelenskyj Lukaszenka", "Зеленский" -> "Zelenskiy"."""
    return transliterate(text)


# Spellings that transliterations of one name swap for each other, applied in order to a folded name.
_TRANSLIT = (
    ("kh", "h"),
    ("ck", "k"),
    ("ph", "f"),
    ("tch", "ch"),
    ("sch", "sh"),
    ("tz", "ts"),
    ("ou", "u"),
    ("w", "v"),
    ("j", "y"),
    ("ie", "i"),
    ("y", "i"),
    ("ee", "i"),
)


def name_key(name: str) -> str:
    """A key equal for transliterations of one word: Kiev/Kyiv -> "kiv", Zelensky/Zelenskiy/Zelenskyy -> "zelenski",
    Алексей/Alexei/Aleksey -> "aleksei", Евгений/Yevgeny -> "evgeni", Горбачёв/Gorbachyov/Gorbachev -> "gorbachev"."""
    return _key(name)


@lru_cache(maxsize=1 << 16)
def _key(name: str) -> str:
    key = _spelling_key(name)
    # Folds that only ever join keys (each a function of the key above, so two words keyed alike before still are),
    # where romanisations of Russian disagree: x/ks before a vowel (Alexei, Aleksey; not Cox and Cocks), a first
    # "ye"/"e" in a longer word (Yevgeny, Evgeniy; not Yet and Et), a final "yov"/"ev" (Gorbachyov, Gorbachev).
    key = _X_BEFORE_VOWEL.sub("ks", key)
    if key.startswith("ie") and len(key) >= 5:
        key = key[1:]
    if key.endswith("iov"):
        key = key[:-3] + "ev"
    return _GIVEN_NAMES.get(key, key)


def _spelling_key(name: str) -> str:
    """The spelling key as English names have always had it: letters only, the usual spelling swaps folded."""
    key = re.sub(r"[^a-z]", "", ascii_fold(name).casefold())
    for old, new in _TRANSLIT:
        key = key.replace(old, new)
    # Doubled letters are spelling noise across transliterations: "Zelenskyy", "Lukashenkko".
    return re.sub(r"(.)\1+", r"\1", key)


_X_BEFORE_VOWEL = re.compile(r"x(?=[aeiou])")
# Given names whose Russian romanisation and English spelling no fold joins, keyed as the English spelling.
_GIVEN_NAMES: dict[str, str] = {}


def _fill_given_names() -> None:
    for russian, english in RU_GIVEN_NAMES_IN_ENGLISH.items():
        _GIVEN_NAMES[_key(russian)] = _key(english)
    _key.cache_clear()  # keyed before the table was filled


_fill_given_names()
