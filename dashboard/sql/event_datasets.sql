-- Event files in this dataset (the shipped UCDP GED file, users' ACLED, UCDP GED, GTD exports): where every
-- row went, estimates published out of order, licence, export date and how the publisher asks to be cited.
SELECT i.source_id, i.dataset, i.synthetic, i.licence, i.exported, i.rows_read, i.rows_aggregated,
       i.rows_outside_pakistan, i.rows_out_of_scope, i.rows_quarantined, i.rows_estimates_out_of_order,
       i.events_year_only, i.first_month, i.last_month, s.title, s.publisher, s.url, s.cite_as, s.publisher_ur, s.title_ur
FROM incident_events_info AS i
JOIN sources AS s USING (source_id)
ORDER BY i.dataset, i.source_id
