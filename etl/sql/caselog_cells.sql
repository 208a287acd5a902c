-- Case log, pass 3: valid rows aggregated per full cell or per month × platform total ($totals).
-- Two runs rather than GROUPING SETS: exact quantiles cannot spill, so one grouping at a time bounds memory.
INSERT INTO case_aggregates
WITH valid AS (
    SELECT date_trunc('month', sent_at)::DATE AS month, platform_id::VARCHAR AS platform_id,
           category_id::VARCHAR AS category_id, linked_group::VARCHAR AS linked_group,
           origin_country::VARCHAR AS origin_country, requester, target_kind::VARCHAR AS target_kind,
           status, epoch(responded_at - sent_at) / 3600.0 AS response_hours
    FROM case_typed
    WHERE valid AND rowid + 2 NOT IN (SELECT line FROM case_failures)
)
SELECT $totals AS is_total,
       month, platform_id,
       CASE WHEN $totals THEN NULL ELSE category_id END AS category_id,
       CASE WHEN $totals THEN NULL ELSE linked_group END AS linked_group,
       CASE WHEN $totals THEN NULL ELSE origin_country END AS origin_country,
       CASE WHEN $totals THEN NULL ELSE requester END AS requester,
       CASE WHEN $totals THEN NULL ELSE target_kind END AS target_kind,
       count(*) AS requests,
       count_if(status = 'actioned') AS actioned,
       count_if(status = 'partial') AS partial,
       count_if(status = 'rejected') AS rejected,
       count_if(status = 'pending') AS pending,
       quantile_cont(response_hours, 0.5) AS response_hours_p50,
       quantile_cont(response_hours, 0.9) AS response_hours_p90,
       100.0 * count_if(response_hours <= 24) / nullif(count(response_hours), 0) AS answered_within_24h_pct,
       100.0 * count_if(response_hours <= 72) / nullif(count(response_hours), 0) AS answered_within_72h_pct
FROM valid
GROUP BY ALL
