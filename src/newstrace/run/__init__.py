"""Runners: one pipeline over a stream of documents, in-process, in a process pool or on Ray."""
