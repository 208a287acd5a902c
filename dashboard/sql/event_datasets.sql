-- Event-level exports in this dataset (ACLED, UCDP GED, GTD): where every row went, licence, export date.
SELECT i.source_id, i.dataset, i.synthetic, i.licence, i.exported, i.rows_read, i.rows_aggregated,
       i.rows_outside_pakistan, i.rows_out_of_scope, i.rows_quarantined, i.events_year_only, i.first_month,
       i.last_month, s.title, s.publisher
FROM incident_events_info AS i
JOIN sources AS s USING (source_id)
ORDER BY i.dataset, i.source_id
