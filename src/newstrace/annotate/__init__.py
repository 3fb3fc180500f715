"""Annotation: facts read from the cleaned text (time expressions so far)."""

from newstrace.annotate.times import find_times

__all__ = ["find_times"]
