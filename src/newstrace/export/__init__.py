"""Export formats and sinks: schema.org JSON-LD, Parquet per table, a tee of sinks."""
