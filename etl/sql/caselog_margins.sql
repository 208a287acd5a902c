-- Case log: totals per month and platform over all valid rows (withheld cells included).
CREATE TEMP TABLE case_margins AS
WITH valid AS (
    SELECT date_trunc('month', t.sent_at)::DATE AS month, p.platform_id, t.status::VARCHAR AS status,
           epoch(t.responded_at - t.sent_at) / 3600.0 AS response_hours
    FROM case_typed AS t
    JOIN case_platform_map AS p ON p.label = t.platform_label
    JOIN case_category_map AS c ON c.label = t.category_label
    WHERE t.rowid + 2 NOT IN (SELECT line FROM case_failures)
)
SELECT month, platform_id, count(*) AS requests,
       count_if(status = 'actioned') AS actioned, count_if(status = 'partial') AS partial,
       count_if(status = 'rejected') AS rejected, count_if(status = 'pending') AS pending,
       quantile_cont(response_hours, 0.5) AS response_hours_p50,
       quantile_cont(response_hours, 0.9) AS response_hours_p90,
       100.0 * count_if(response_hours <= 24) / nullif(count(response_hours), 0) AS answered_within_24h_pct,
       100.0 * count_if(response_hours <= 72) / nullif(count(response_hours), 0) AS answered_within_72h_pct
FROM valid
GROUP BY ALL
