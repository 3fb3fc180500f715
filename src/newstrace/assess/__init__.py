"""Assessment of an article as a whole: the headline against the body."""

from newstrace.assess.clickbait import ClickbaitModel
from newstrace.assess.headline import HeadlineChecker, headline_claims, headline_form
from newstrace.assess.stance import StanceModel

__all__ = ["ClickbaitModel", "HeadlineChecker", "StanceModel", "headline_claims", "headline_form"]
