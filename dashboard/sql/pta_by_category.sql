-- PTA: URLs blocked (and processed where given) per PTA category, each report as printed.
SELECT a.as_of, a.period_start, a.period_end, a.date_precision, a.date_label, a.scope, a.scope_as_printed,
       a.category_label, a.category_id, c.name AS category, a.urls_processed, a.urls_blocked,
       a.approx, a.value_kind, a.citation_grade, a.source_id, a.source_line, a.citation_url
FROM regulator_reported_actions AS a
JOIN categories AS c USING (category_id)
WHERE a.breakdown = 'category'
  AND list_contains($categories, a.category_id)
  AND (a.date_precision = 'unknown'
       OR year(coalesce(a.as_of, a.period_end)) BETWEEN $year_from AND $year_to)
ORDER BY coalesce(a.as_of, a.period_end) NULLS LAST, a.date_label, a.urls_blocked DESC
