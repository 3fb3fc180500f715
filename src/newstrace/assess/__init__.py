"""Assessment of an article as a whole: the headline against the body."""

from newstrace.assess.clickbait import ClickbaitModel
from newstrace.assess.stance import StanceModel

__all__ = ["ClickbaitModel", "StanceModel"]
