"""Evaluation against the published benchmarks, with the metrics their papers use."""

from newstrace.evaluate.extraction import ExtractionReport, evaluate_extraction, shingle_match

__all__ = ["ExtractionReport", "evaluate_extraction", "shingle_match"]
