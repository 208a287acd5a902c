-- Requests against mirrors (copies of accounts already removed) per month and platform, published cells only.
SELECT c.month, c.platform_id, p.name AS platform, sum(c.requests) AS mirror_requests,
       count(*) FILTER (WHERE c.suppressed IS NOT NULL) AS withheld_cells, any_value(c.synthetic) AS synthetic,
       any_value(c.source_id) AS source_id
FROM case_requests_monthly AS c
JOIN platforms AS p USING (platform_id)
WHERE c.target_kind = 'mirror' AND list_contains($platforms, c.platform_id)
  AND year(c.month) BETWEEN $year_from AND $year_to
GROUP BY ALL
ORDER BY c.month, c.platform_id
