"""Whether a body sentence is about a headline claim's subject: by its own words, or through the article's entities
that stand for it (a capital for its government, a speaker for the country they serve, a demonym for its country).

"[Russia] Will Attack Ukraine?" is denied by Russia's deputy foreign minister ("he added, 'It is incorrect to raise
questions …'"), not by "Minsk has … accused neighboring Ukraine of … plans for an attack in Belarus, which Kiev
vehemently denies", whose attack is another country's: only a sentence about the claim's subject may decide it.
"""

from __future__ import annotations

from bisect import bisect_left

from newstrace.assess._stance_text import claim_subject, word_stems
from newstrace.lexicon import COUNTRY_NAMES, DEMONYMS
from newstrace.model import Article, Entity, Span

__all__ = ["SubjectIndex"]


def _keys(text: str) -> frozenset[str]:
    """The stems of a text's content words, with each demonym's or country name's country ("Dutch" -> Netherlands)."""
    keys = set(word_stems(text))
    for word in text.replace("’", "'").split():
        bare = word.strip(".,;:!?\"'()[]").removesuffix("'s")
        country = DEMONYMS.get(bare) or COUNTRY_NAMES.get(bare)
        if country:
            keys |= word_stems(country)
    return frozenset(keys)


def _entity_keys(entity: Entity) -> frozenset[str]:
    """What an entity is called and what it stands for: its name and aliases, the government a capital stands for,
    the country a person serves."""
    names = [entity.name, *entity.aliases, entity.stands_for or "", entity.affiliation or ""]
    return frozenset().union(*(_keys(name) for name in names))


class SubjectIndex:
    """The article's named things and, per stretch of text, the entities it mentions or quotes."""

    def __init__(self, article: Article) -> None:
        entities = {entity.id: _entity_keys(entity) for entity in article.entities_index}
        # Only the entities' own names make a claim's subject a named one (not their roles or aliases).
        self._named = frozenset().union(*(_keys(e.name) for e in article.entities_index)) - {""}
        self._stretches: list[tuple[int, int, frozenset[str]]] = []
        for mention in article.entities:
            keys = entities.get(mention.entity_id or "", frozenset()) | _keys(mention.stands_for or "")
            self._stretches.append((mention.start, mention.end, keys))
        for quote in article.quotes:
            speaker = quote.speaker
            if speaker is None or speaker.entity_id not in entities:
                continue
            # What a speaker says is said by them: "he added, '…'" is about the country "he" serves.
            keys = entities[speaker.entity_id]
            for span in (quote.content, quote.cue, speaker.mention):
                if span is not None:
                    self._stretches.append((span.start, span.end, keys))
        # In text order, so that a sentence reads only the stretches that can overlap it (``_keys_of``).
        self._stretches.sort(key=lambda stretch: stretch[0])
        self._starts = [start for start, _, _ in self._stretches]
        self._longest = max((end - start for start, end, _ in self._stretches), default=0)
        self._sentence_keys: dict[tuple[int, int], frozenset[str]] = {}

    def subject(self, claim: str) -> frozenset[str] | None:
        """The keys of a claim's subject where it names something the article names ("Russia"), else None: a
        subject the article has no entity for ("Scientists", "Teen") is left to the words."""
        words = claim[1 : claim.find("]")] if claim.startswith("[") else claim_subject(claim)
        keys = _keys(words or "")
        return keys if keys & self._named else None

    def about(self, subject: frozenset[str], sentence: Span) -> bool:
        """Whether a sentence names the subject, or mentions or quotes an entity standing for it."""
        return bool(subject & self._keys_of(sentence))

    def _keys_of(self, sentence: Span) -> frozenset[str]:
        """What a sentence names and what its mentions and quotes stand for, found once per sentence (each claim of
        the headline asks about every sentence)."""
        span = (sentence.start, sentence.end)
        found = self._sentence_keys.get(span)
        if found is None:
            first = bisect_left(self._starts, sentence.start - self._longest)
            last = bisect_left(self._starts, sentence.end)
            overlapping = (keys for _, end, keys in self._stretches[first:last] if end > sentence.start)
            found = self._sentence_keys[span] = _keys(sentence.text).union(*overlapping)
        return found
