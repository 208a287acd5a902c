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
)
SELECT platform_id, measure, sum(value) AS value_summed, count(*) AS half_years_reported,
       min(period_end) AS first_period_end, max(period_end) AS last_period_end,
       arg_max(value, period_end) AS latest_half_year_value,
       any_value(source_id) AS source_id, any_value(citation_url) AS citation_url
FROM reported
WHERE period_end <= $as_of_limit AND list_contains($platforms, platform_id)
GROUP BY platform_id, measure
ORDER BY platform_id
