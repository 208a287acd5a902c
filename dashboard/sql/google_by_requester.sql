-- Google: requests and items from one country per half-year and requester type, both releases
-- (the older one splits only court orders from other requests).
SELECT period_start, period_end, requester, requests, requests_qualifier, items_requested,
       items_requested_qualifier, source_id, citation_url
FROM platform_reported_requests
WHERE country_code = $country
  AND year(period_end) BETWEEN $year_from AND $year_to
  AND ((source_id = 'google_removals_summary')
       OR (source_id = 'google_removals_summary_historical' AND requester <> 'All requesters'
           AND period_end < (SELECT min(period_end) FROM platform_reported_requests
                             WHERE source_id = 'google_removals_summary')))
ORDER BY period_end, requester
