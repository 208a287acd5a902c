-- What changed in each fact table since the release published before this one.
SELECT table_name, previous_version, rows_before, rows_after, rows_added, rows_removed, rows_revised
FROM release_changes
ORDER BY table_name
