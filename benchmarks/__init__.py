"""Benchmarks (``make bench``): ETL stages, page render times and query latencies, written to docs/BENCHMARKS.md."""
