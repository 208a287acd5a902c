-- Ledger, regulator side: for each platform, PTA's latest dated cumulative snapshot on or before $as_of_limit.
SELECT a.platform_id, p.name AS platform, a.as_of, a.date_label, a.date_precision, a.scope_as_printed,
       a.urls_processed, a.urls_blocked, a.urls_still_accessible, a.urls_rejected_by_platform,
       CASE WHEN a.value_kind = 'exact'  -- a rounded or lower-bound figure never enters arithmetic
            THEN round(100.0 * a.urls_blocked / nullif(a.urls_processed, 0), 1) END AS blocked_pct_of_processed,
       a.approx, a.value_kind, a.source_id, a.source_line, a.citation_url
FROM regulator_reported_actions AS a
JOIN platforms AS p USING (platform_id)
WHERE a.breakdown = 'platform' AND a.scope = 'cumulative_snapshot' AND a.as_of IS NOT NULL
  AND a.as_of <= $as_of_limit
  AND list_contains($platforms, a.platform_id)
QUALIFY row_number() OVER (PARTITION BY a.platform_id ORDER BY a.as_of DESC) = 1
ORDER BY a.urls_blocked DESC NULLS LAST
