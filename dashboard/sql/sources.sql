-- Every source file loaded (or kept for provenance), with licence, checksum and row counts.
SELECT source_id, file, publisher, title, url, licence, retrieved, published, measures, loaded_into,
       derived_from, rows_read, rows_loaded, rows_quarantined, table_rows, sha256, cite_as, publisher_ur
FROM sources
ORDER BY loaded_into NULLS LAST, source_id
