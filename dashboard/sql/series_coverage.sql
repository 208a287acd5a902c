-- Per series: periods with a figure, the periods the publisher reported that the dataset lacks, next report due,
-- and how its rows are cited.
SELECT series_id, name, publisher, cadence, first_period, last_period, first_date, last_date,
       periods_with_figures, periods_published, periods_missing, missing_periods, next_report_due,
       rows, rows_cited_publisher, rows_cited_press, rows_cited_repost, cadence_note, cadence_citation_url,
       source_last_checked, source_last_changed
FROM series_coverage
ORDER BY cadence = 'irregular', series_id
