-- Google: every country's requests in each half-year, with its rank and share of the world total.
WITH totals AS (
    SELECT country_code, any_value(country_name) AS country_name, any_value(period_start) AS period_start, period_end, sum(requests) AS requests,
           sum(items_requested) AS items_requested
    FROM platform_reported_requests
    WHERE source_id = 'google_removals_summary'
    GROUP BY country_code, period_end
)
SELECT country_code, country_name, period_start, period_end, requests, items_requested,
       rank() OVER (PARTITION BY period_end ORDER BY requests DESC) AS rank_by_requests,
       round(100.0 * requests / sum(requests) OVER (PARTITION BY period_end), 2) AS share_of_world_requests_pct,
       count(*) OVER (PARTITION BY period_end) AS countries_reporting,
       'google_removals_summary' AS source_id,
       'https://transparencyreport.google.com/government-removals/overview' AS citation_url
FROM totals
WHERE year(period_end) BETWEEN $year_from AND $year_to
ORDER BY period_end, rank_by_requests
