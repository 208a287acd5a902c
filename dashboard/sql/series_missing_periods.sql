-- Periods a publisher reported that the dataset has no figure for, within the chosen years.
SELECT m.series_id, c.name AS series, s.name_ur AS series_ur, m.period_label, m.period_start, m.period_end
FROM series_missing_periods AS m JOIN series_coverage AS c USING (series_id) JOIN series AS s USING (series_id)
WHERE list_contains($series_ids, m.series_id) AND year(m.period_end) BETWEEN $year_from AND $year_to
ORDER BY m.series_id, m.period_start
