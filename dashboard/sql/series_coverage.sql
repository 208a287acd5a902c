-- Per series: periods with a figure, the periods the publisher reported that the dataset lacks, next report due,
-- and how its rows are cited (name and publisher in Urdu too, from the series reference table), and when its source
-- file was last checked and last changed upstream (python -m etl fetch; empty for files never fetched).
SELECT c.series_id, c.name, c.publisher, c.cadence, c.first_period, c.last_period, c.first_date, c.last_date,
       c.periods_with_figures, c.periods_published, c.periods_missing, c.missing_periods, c.next_report_due,
       c.rows, c.rows_cited_publisher, c.rows_cited_press, c.rows_cited_repost, c.cadence_note,
       c.cadence_citation_url, c.source_last_checked, c.source_last_changed, s.name_ur, s.publisher_ur,
       s.cadence_note_ur
FROM series_coverage AS c JOIN series AS s USING (series_id)
ORDER BY c.cadence = 'irregular', c.series_id
