"""Training code for the models newstrace ships, one module per model, apart from runtime.

Each reads its data set through ``newstrace.datasets`` and scores through ``newstrace.evaluate.metrics``, never
through another evaluation module; each writes its model and a card beside it in ``src/newstrace/models``.
"""
