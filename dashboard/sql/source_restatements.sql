-- Figures a source restated in a later document: the earlier value beside the one that replaced it.
SELECT table_name, row_key, "column", value_restated, qualifier_restated, published, citation_url,
       current_value, current_qualifier, current_published, current_citation_url, revision, current_revision
FROM source_restatements
ORDER BY table_name, row_key, "column"
