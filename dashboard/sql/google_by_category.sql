-- Google: requests from one country per half-year and shared category (detailed release).
SELECT r.period_start, r.period_end, r.category_id, c.name AS category, sum(r.requests) AS requests,
       string_agg(DISTINCT r.reason, '; ' ORDER BY r.reason) AS google_reasons,
       any_value(r.source_id) AS source_id, any_value(r.citation_url) AS citation_url
FROM platform_reported_requests AS r
JOIN categories AS c USING (category_id)
WHERE r.source_id = 'google_removals_detailed' AND r.country_code = $country
  AND year(r.period_end) BETWEEN $year_from AND $year_to
  AND list_contains($categories, r.category_id)
GROUP BY ALL
ORDER BY r.period_end, requests DESC, r.category_id
