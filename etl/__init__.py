"""ETL: published source files → validated, versioned DuckDB dataset (see ``python -m etl --help``)."""

ETL_VERSION = "1"
