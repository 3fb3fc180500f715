"""Assessment of an article as a whole: the headline against the body (clickbait so far)."""

from newstrace.assess.clickbait import ClickbaitModel

__all__ = ["ClickbaitModel"]
