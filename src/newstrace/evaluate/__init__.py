"""Evaluation against the published benchmarks, with the metrics their papers use: one module per task.

``metrics`` (below both this package and ``newstrace.training``) scores; ``extraction``, ``attribution``,
``speakers``, ``stance``, ``verdicts``, ``stories``, ``times`` and ``clickbait`` each run one task on its data set
(read by ``newstrace.datasets``). Nothing here is imported on import of the package, so training's use of
``metrics`` brings in no evaluation task.
"""
