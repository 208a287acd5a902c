-- Ledger, platform side: what each platform (or its parent's report) says about Pakistan, summed over
-- every half-year it reported up to $as_of_limit (a sum within one source, never across sources),
-- with the latest such half-year's own figures.
WITH reported AS (
    -- YouTube: requests naming YouTube, from Google's detailed release.
    SELECT 'youtube' AS platform_id, period_end, 'requests naming YouTube (Google)' AS measure,
           sum(requests) AS value, any_value(citation_url) AS citation_url, 'google_removals_detailed' AS source_id
    FROM platform_reported_requests
    WHERE source_id = 'google_removals_detailed' AND country_code = 'PK' AND product = 'YouTube'
    GROUP BY period_end
    UNION ALL
    SELECT platform_id, period_end, 'items restricted under local law (Meta)', items_actioned_local_law,
           citation_url, source_id
    FROM platform_reported_requests
    WHERE reporter_id = 'meta' AND platform_id IN ('facebook', 'instagram') AND items_actioned_local_law IS NOT NULL
    UNION ALL
    SELECT 'x', period_end, 'removal requests (X)', sum(requests), any_value(citation_url), any_value(source_id)
    FROM platform_reported_requests
    WHERE reporter_id = 'x' AND requests IS NOT NULL
    GROUP BY period_end
    UNION ALL
    SELECT 'tiktok', period_end, 'removal requests (TikTok)', requests, citation_url, source_id
    FROM platform_reported_requests
    WHERE reporter_id = 'tiktok' AND requests IS NOT NULL
), left_out AS (
    -- Half-years the platform's publisher reported that the dataset has no figure for: the sum leaves them out.
    SELECT CASE m.series_id WHEN 'google_removals' THEN ['youtube'] WHEN 'meta_local_law' THEN ['facebook', 'instagram']
                WHEN 'x_removal_demands' THEN ['x'] WHEN 'tiktok_gov_removals' THEN ['tiktok'] END AS platform_ids,
           string_agg(m.period_label, ', ' ORDER BY m.period_start) AS periods_left_out,
           count(*) AS half_years_left_out
    FROM series_missing_periods AS m
    WHERE m.period_end <= $as_of_limit
    GROUP BY m.series_id
)
SELECT r.platform_id, r.measure, sum(r.value) AS value_summed, count(*) AS half_years_reported,
       min(r.period_end) AS first_period_end, max(r.period_end) AS last_period_end,
       arg_max(r.value, r.period_end) AS latest_half_year_value,
       any_value(l.periods_left_out) AS periods_left_out, coalesce(any_value(l.half_years_left_out), 0) AS half_years_left_out,
       any_value(r.source_id) AS source_id, any_value(r.citation_url) AS citation_url
FROM reported AS r LEFT JOIN left_out AS l ON list_contains(l.platform_ids, r.platform_id)
WHERE r.period_end <= $as_of_limit AND list_contains($platforms, r.platform_id)
GROUP BY r.platform_id, r.measure
ORDER BY r.platform_id
