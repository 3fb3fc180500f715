"""Runners: one pipeline over the inputs under paths, in-process, in a process pool, on Ray or in the server's bounded
worker, and the ingest job that writes their results into a sink.

Every runner answers ``run_paths(paths, held=sink, max_bytes=...)`` with one result per input, in input order
(``Runner``); the local ones also run documents read already (``run``). Ray is imported only when a Ray run starts.
"""

from newstrace.run.bounded import AnalysisBusy, AnalysisInput, AnalysisTimeout, AnalysisWorker
from newstrace.run.job import IngestSummary, failure_kind, ingest, store_results
from newstrace.run.local import (
    Held,
    InProcessRunner,
    LocalRunner,
    Present,
    ProcessPoolRunner,
    Result,
    Runner,
    make_runner,
    shared_runner,
)
from newstrace.run.ray_engine import ClusterError, RayRunner, ray_available

__all__ = [
    "AnalysisBusy",
    "AnalysisInput",
    "AnalysisTimeout",
    "AnalysisWorker",
    "ClusterError",
    "Held",
    "InProcessRunner",
    "IngestSummary",
    "LocalRunner",
    "Present",
    "ProcessPoolRunner",
    "RayRunner",
    "Result",
    "Runner",
    "failure_kind",
    "ingest",
    "make_runner",
    "ray_available",
    "shared_runner",
    "store_results",
]
