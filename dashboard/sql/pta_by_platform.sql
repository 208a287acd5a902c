-- PTA: URLs processed / blocked / still accessible / rejected per platform, each report as printed.
-- Undated reports (date_precision 'unknown') are included with an empty date.
SELECT a.as_of, a.period_start, a.period_end, a.date_precision, a.date_label, a.scope, a.scope_as_printed,
       a.platform_id, coalesce(p.name, 'All platforms (PTA total)') AS platform, a.platform_label,
       a.urls_processed, a.urls_blocked, a.urls_still_accessible, a.urls_rejected_by_platform,
       CASE WHEN a.value_kind = 'exact'  -- a rounded or lower-bound figure never enters arithmetic
            THEN round(100.0 * a.urls_blocked / nullif(a.urls_processed, 0), 1) END AS blocked_pct_of_processed,
       a.approx, a.value_kind, a.citation_grade, a.source_id, a.source_line, a.citation_url, a.note
FROM regulator_reported_actions AS a
LEFT JOIN platforms AS p USING (platform_id)
WHERE a.breakdown IN ('platform', 'total')
  AND (a.platform_id IS NULL OR list_contains($platforms, a.platform_id))
  AND (a.date_precision = 'unknown'
       OR year(coalesce(a.as_of, a.period_end)) BETWEEN $year_from AND $year_to)
ORDER BY coalesce(a.as_of, a.period_end) NULLS LAST, a.platform_id
