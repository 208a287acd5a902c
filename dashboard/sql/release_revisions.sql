-- Figures that changed under the same key since the previous release, old and new side by side.
SELECT table_name, row_key, "column", value_before, value_after, previous_version
FROM release_revisions
ORDER BY table_name, row_key, "column"
