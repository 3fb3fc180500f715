"""The store's implementation: schema and migrations, fact rows, the search language (``newstrace.store`` is public)."""
