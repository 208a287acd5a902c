-- Case-log totals per month and platform (withheld totals have empty figures).
SELECT m.month, m.platform_id, p.name AS platform, m.requests, m.actioned, m.partial, m.rejected, m.pending,
       m.response_hours_p50, m.response_hours_p90, m.answered_within_24h_pct, m.answered_within_72h_pct,
       m.suppressed, m.synthetic, m.source_id
FROM case_requests_monthly_platform AS m
JOIN platforms AS p USING (platform_id)
WHERE list_contains($platforms, m.platform_id) AND year(m.month) BETWEEN $year_from AND $year_to
ORDER BY m.month, m.platform_id
