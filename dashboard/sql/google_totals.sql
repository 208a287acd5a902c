-- Google: requests and items per half-year for the chosen countries.
-- Older release (to 2019-06-30): its 'All requesters' row. Newer release (from 2019-06-30):
-- the sum over requestor types. Where both cover 2019-06-30, the newer release wins.
WITH current_release AS (
    SELECT country_code, any_value(country_name) AS country_name, period_start, period_end,
           sum(requests) AS requests, sum(items_requested) AS items_requested,
           NULL::VARCHAR AS requests_qualifier, NULL::VARCHAR AS items_requested_qualifier,
           any_value(source_id) AS source_id, any_value(citation_url) AS citation_url
    FROM platform_reported_requests
    WHERE source_id = 'google_removals_summary'
    GROUP BY ALL
), older_release AS (
    SELECT country_code, country_name, period_start, period_end, requests, items_requested,
           requests_qualifier, items_requested_qualifier, source_id, citation_url
    FROM platform_reported_requests
    WHERE source_id = 'google_removals_summary_historical' AND requester = 'All requesters'
      AND period_end < (SELECT min(period_end) FROM current_release)
)
SELECT * FROM (SELECT * FROM current_release UNION ALL SELECT * FROM older_release)
WHERE list_contains($countries, country_code)
  AND year(period_end) BETWEEN $year_from AND $year_to
ORDER BY country_code, period_end
