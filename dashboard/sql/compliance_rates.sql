-- Share of requests (or of the items named in them) each platform says it acted on, per half-year, Pakistan.
-- X: share of requests; TikTok: share of the content named in requests that was removed (its own definition).
-- Google before 2019: share of requests fully or partly complied with (older release).
-- Google from 2019: share of items removed (legal + policy), weighted by items across requestor types.
SELECT * FROM (
    SELECT period_start, period_end, 'google' AS platform_id, 'Google (all products)' AS platform,
           complied_pct AS rate_pct, 'requests' AS basis, 'share of requests fully or partly complied with' AS measure,
           source_id, citation_url
    FROM platform_reported_requests
    WHERE source_id = 'google_removals_summary_historical' AND requester = 'All requesters'
      AND country_code = 'PK' AND complied_pct IS NOT NULL
      AND period_end < (SELECT min(period_end) FROM platform_reported_requests WHERE source_id = 'google_removals_summary')
    UNION ALL
    SELECT period_start, period_end, 'google', 'Google (all products)',
           round(sum(items_requested * (coalesce(pct_removed_legal, 0) + coalesce(pct_removed_policy, 0))) / nullif(sum(items_requested), 0), 1),
           'items', 'share of items removed (legal or policy reasons)', any_value(source_id), any_value(citation_url)
    FROM platform_reported_requests
    WHERE source_id = 'google_removals_summary' AND country_code = 'PK'
    GROUP BY period_start, period_end
    UNION ALL
    SELECT r.period_start, r.period_end, r.platform_id, p.name, r.complied_pct, r.compliance_basis,
           CASE r.compliance_basis WHEN 'items' THEN 'share of the content named in requests that was removed'
                ELSE 'share of requests complied with' END
               || CASE WHEN r.requester = 'All requesters' THEN '' ELSE ' (' || r.requester || ')' END,
           r.source_id, r.citation_url
    FROM platform_reported_requests AS r JOIN platforms AS p USING (platform_id)
    WHERE r.reporter_id IN ('x', 'tiktok') AND r.country_code = 'PK' AND r.complied_pct IS NOT NULL
)
WHERE list_contains($platforms, platform_id) AND year(period_end) BETWEEN $year_from AND $year_to
ORDER BY period_end, platform_id, measure
