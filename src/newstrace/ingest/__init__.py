"""Ingest: turn paths, directories, archives and stdin into Documents, rejecting bad input.

One private module per format (``_decode`` bytes to text, ``_gzip``, ``_jsonl``, ``_warc``), ``_files`` for paths,
folders and standard input, and ``_shards`` for the pieces a worker reads alone (how the Ray runner splits a corpus).
"""

from newstrace.ingest._common import DEFAULT_MAX_BYTES, InputError
from newstrace.ingest._decode import (
    MAX_HTML_DEPTH,
    check_html_depth,
    decode_bytes,
    document_from_bytes,
    html_document,
    text_document,
)
from newstrace.ingest._files import input_files, source_name
from newstrace.ingest._shards import Shard, iter_documents, iter_shards, read_shard

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_HTML_DEPTH",
    "InputError",
    "Shard",
    "check_html_depth",
    "decode_bytes",
    "document_from_bytes",
    "html_document",
    "input_files",
    "iter_documents",
    "iter_shards",
    "read_shard",
    "source_name",
    "text_document",
]
