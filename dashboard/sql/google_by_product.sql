-- Google: requests from one country per half-year and product (detailed release, summed over reasons).
SELECT period_start, period_end, product, platform_id, sum(requests) AS requests,
       any_value(source_id) AS source_id, any_value(citation_url) AS citation_url
FROM platform_reported_requests
WHERE source_id = 'google_removals_detailed' AND country_code = $country
  AND year(period_end) BETWEEN $year_from AND $year_to
GROUP BY ALL
ORDER BY period_end, requests DESC
