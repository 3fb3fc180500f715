"""A person's role from the apposition beside the name: "замминистра иностранных дел России Михаил Галузин",
"Михаил Галузин, замминистра иностранных дел России,". The role is kept as written, its first letter lowered."""

from __future__ import annotations

from newstrace.annotate.russian._parse import RussianDoc, Token

__all__ = ["roles_of"]

# Nouns (lemmas) that name a post or an occupation; a word starting with one of _ROLE_PREFIXES counts too.
_ROLE_NOUNS_TEXT = (
    "президент премьер премьер-министр министр замминистра заместитель глава руководитель председатель зампред "
    "спикер пресс-секретарь представитель посол посланник полпред губернатор мэр депутат сенатор директор "
    "гендиректор секретарь генсек госсекретарь советник помощник канцлер король королева принц лидер командующий "
    "командир начальник прокурор генпрокурор судья эксперт аналитик политолог журналист корреспондент редактор "
    "главред основатель владелец совладелец сопредседатель патриарх митрополит епископ атташе консул дипломат "
    "чиновник управляющий тренер игрок нападающий защитник вратарь капитан актер актриса певец певица писатель "
    "режиссер художник архитектор ученый профессор академик ректор декан адвокат юрист бизнесмен предприниматель "
    "миллиардер олигарх астронавт космонавт шахматист гроссмейстер чемпион активист правозащитник блогер аятолла "
    "шейх эмир султан имам муфтий мэр губернатор премьер-министр вице-премьер вице-президент вице-спикер "
    "экс-президент экс-премьер генерал полковник адмирал маршал министр-председатель омбудсмен уполномоченный "
    "председатель-зампред политик экономист социолог историк врач главврач пилот командир"
)
_ROLE_NOUNS = frozenset(_ROLE_NOUNS_TEXT.split())
_ROLE_PREFIXES = ("вице-", "экс-", "зам", "замглавы", "и.о.")
_WINDOW = 9  # words of an apposition at most
# Parts of speech an apposition is made of: "посол Белоруссии в Москве", "бывший глава МИД".
_PHRASE_POS = frozenset({"NOUN", "PROPN", "ADJ", "ADP", "NUM", "X"})


def _is_role_word(token: Token) -> bool:
    lemma = token.lemma.lower().replace("ё", "е")
    return token.pos in ("NOUN", "PROPN", "ADJ") and (lemma in _ROLE_NOUNS or lemma.startswith(_ROLE_PREFIXES))


def roles_of(doc: RussianDoc, start: int, end: int) -> list[str]:
    """The roles written in apposition right before the name at ``start:end`` or after it between commas."""
    sentence = doc.sentence_at(start)
    if sentence is None:
        return []
    tokens = sentence.tokens
    first = next((t.index for t in tokens if t.start >= start), None)
    last = next((t.index for t in reversed(tokens) if t.end <= end), None)
    if first is None or last is None:
        return []
    roles = []
    before = _role_before(tokens, first)
    if before is not None:
        roles.append(before)
    after = _role_after(tokens, last)
    if after is not None:
        roles.append(after)
    return [_as_written(doc.text[a.start : b.end]) for a, b in roles]


def _role_before(tokens: tuple[Token, ...], first: int) -> tuple[Token, Token] | None:
    """The phrase ending right before the name and opening with a role word, with the role words and adjectives
    before that ("помощник заместителя госсекретаря", "официальный представитель")."""
    phrase_start = first
    while phrase_start > 0 and first - phrase_start < _WINDOW and _in_phrase(tokens[phrase_start - 1]):
        phrase_start -= 1
    role = next((i for i in range(first - 1, phrase_start - 1, -1) if _is_role_word(tokens[i])), None)
    if role is None or tokens[first - 1].pos == "ADP":
        return None
    while role > phrase_start and (
        _is_role_word(tokens[role - 1]) or (tokens[role - 1].pos == "ADJ" and tokens[role - 1].text.islower())
    ):
        role -= 1
    return tokens[role], tokens[first - 1]


def _in_phrase(token: Token) -> bool:
    """A word an apposition may hold: not a verb or a mark, and not another person's name."""
    if _is_role_word(token):
        return True
    return token.pos in _PHRASE_POS and not (token.pos == "PROPN" and token.feats.get("Animacy") == "Anim")


def _role_after(tokens: tuple[Token, ...], last: int) -> tuple[Token, Token] | None:
    """The phrase between commas right after the name, when it opens with a role word."""
    if last + 2 >= len(tokens) or tokens[last + 1].text != ",":
        return None
    start = last + 2
    while start < len(tokens) and tokens[start].pos == "ADJ" and not _is_role_word(tokens[start]):
        start += 1
    if start >= len(tokens) or not _is_role_word(tokens[start]):
        return None
    end = start
    while end + 1 < len(tokens) and end - start < _WINDOW and _in_phrase(tokens[end + 1]):
        end += 1
    if end + 1 < len(tokens) and tokens[end + 1].text not in (",", ".", ")", "—", "-", ";"):
        return None  # the phrase goes on into a clause: not an apposition
    return tokens[last + 2], tokens[end]


def _as_written(text: str) -> str:
    """The role as the article writes it, lower-cased at the start unless it opens with an acronym ("МИД")."""
    words = text.split()
    if words and words[0][:1].isupper() and words[0][1:2].islower():
        words[0] = words[0][0].lower() + words[0][1:]
    return " ".join(words)
