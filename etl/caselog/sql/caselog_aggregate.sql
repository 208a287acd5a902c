-- Case log: one pass over case_rows. The caller replaces its body (SELECT * FROM case_typed) with the file
-- itself, streamed through caselog_typed.sql (the usual case), or, only when a request id repeats, with the
-- stored typed rows less the refused lines. DuckDB feeds the one scan to the three aggregations below, which
-- run side by side: no row is stored.
--   kind 'cell':  valid rows per month × platform × category × linked group × origin × requester × target kind
--   kind 'total': valid rows per month × platform
--   kind 'rows':  every row read: how many, how many invalid, how many request ids and how many distinct
--                 ones (by hash, NULL when the id is missing: fewer distinct than present means a repeated
--                 id, found by line afterwards)
-- Both quantiles come from one exact quantile_cont over a list of fractions: each group keeps its values once.
CREATE TEMP TABLE case_aggregates AS
WITH case_rows AS (SELECT * FROM case_typed), valid_rows AS (
    SELECT month, platform_id, category_id, linked_group, origin_country, requester, target_kind, status,
           response_hours
    FROM case_rows
    WHERE valid
), aggregated AS (
    SELECT 'cell' AS kind, month, platform_id::VARCHAR AS platform_id, category_id::VARCHAR AS category_id,
           linked_group::VARCHAR AS linked_group, origin_country::VARCHAR AS origin_country, requester,
           target_kind::VARCHAR AS target_kind,
           count(*) AS requests,
           count_if(status = 'actioned') AS actioned,
           count_if(status = 'partial') AS partial,
           count_if(status = 'rejected') AS rejected,
           count_if(status = 'pending') AS pending,
           quantile_cont(response_hours, [0.5, 0.9]) AS response_hours_q,
           count_if(response_hours <= 24) AS within_24h,
           count_if(response_hours <= 72) AS within_72h,
           count(response_hours) AS answered,
           NULL::BIGINT AS rows_invalid, NULL::BIGINT AS request_ids, NULL::BIGINT AS distinct_request_ids
    FROM valid_rows
    GROUP BY month, platform_id, category_id, linked_group, origin_country, requester, target_kind
    UNION ALL
    SELECT 'total', month, platform_id::VARCHAR, NULL, NULL, NULL, NULL, NULL,
           count(*), count_if(status = 'actioned'), count_if(status = 'partial'), count_if(status = 'rejected'),
           count_if(status = 'pending'), quantile_cont(response_hours, [0.5, 0.9]),
           count_if(response_hours <= 24), count_if(response_hours <= 72), count(response_hours),
           NULL, NULL, NULL
    FROM valid_rows
    GROUP BY month, platform_id
    UNION ALL
    SELECT 'rows', NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           count(*), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           count_if(NOT valid),
           count(request_key),
           count(DISTINCT request_key)
    FROM case_rows
)
SELECT kind, month, platform_id, category_id, linked_group, origin_country, requester, target_kind,
       requests, actioned, partial, rejected, pending,
       response_hours_q[1] AS response_hours_p50,
       response_hours_q[2] AS response_hours_p90,
       100.0 * within_24h / nullif(answered, 0) AS answered_within_24h_pct,
       100.0 * within_72h / nullif(answered, 0) AS answered_within_72h_pct,
       rows_invalid, request_ids, distinct_request_ids
FROM aggregated
