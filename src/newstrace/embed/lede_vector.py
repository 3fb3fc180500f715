"""The lede vector stage: a sentence embedding of each article's lede, kept for story assignment to tell claims about
one subject apart (the encoder is ``newstrace.embed.encoder``'s)."""

from __future__ import annotations

from newstrace.embed.encoder import LedeEncoder
from newstrace.model import Article

__all__ = ["LedeVector"]


class LedeVector:
    """An English article's lede embedding, which story assignment reads beside its words."""

    def __init__(self) -> None:
        self.encoder = LedeEncoder()

    def __call__(self, article: Article) -> Article:
        # The model knows English only: another language's lede would be compared by its word pieces' noise.
        article.lede_vector = self.encoder.packed(article.text) if article.language == "en" else None
        return article
