"""The evaluation and training data sets: one reader module per set, with its fixed splits.

``polnear`` (attribution), ``fnc1`` (headline stance and its stories), ``whosaid`` (speakers), ``clickbait``,
``tempeval`` (time expressions) and ``aeb`` (article extraction). Evaluation and training both read them here, so
neither imports the other; the product itself never imports this package.
"""
