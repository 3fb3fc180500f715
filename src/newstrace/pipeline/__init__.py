"""Stages registered by name, their contract checked, and the pipeline that runs them over one document."""

from __future__ import annotations

from newstrace.pipeline._contract import (
    DOCUMENT,
    DOCUMENT_FIELDS,
    DOCUMENT_METADATA,
    StageAnalysis,
    analyze_pipeline,
    check_pipeline,
)
from newstrace.pipeline._pipeline import (
    DEFAULT_ARTICLE_SECONDS,
    DEFAULT_STAGES,
    Pipeline,
    StageError,
    StageLoadError,
    log,
)
from newstrace.pipeline._registry import StageSpec, get_stage, register_stage, registered_stages

__all__ = [
    "DEFAULT_ARTICLE_SECONDS",
    "DEFAULT_STAGES",
    "DOCUMENT",
    "DOCUMENT_FIELDS",
    "DOCUMENT_METADATA",
    "Pipeline",
    "StageAnalysis",
    "StageError",
    "StageLoadError",
    "StageSpec",
    "analyze_pipeline",
    "check_pipeline",
    "get_stage",
    "log",
    "register_stage",
    "registered_stages",
]
