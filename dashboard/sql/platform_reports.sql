-- Meta, X and TikTok: what each says it received from Pakistan and actioned, per half-year.
SELECT r.period_start, r.period_end, r.reporter_id, r.platform_id, p.name AS platform, r.product, r.requester,
       r.requests, r.accounts_specified, r.complied_pct, r.compliance_basis,
       r.items_actioned_local_law, r.items_actioned_policy, r.accounts_actioned_local_law,
       r.accounts_actioned_policy, r.approx, r.source_id, r.source_line, r.citation_url, r.note
FROM platform_reported_requests AS r
JOIN platforms AS p USING (platform_id)
WHERE r.reporter_id IN ('meta', 'x', 'tiktok') AND r.country_code = 'PK'
  AND year(r.period_end) BETWEEN $year_from AND $year_to
  AND list_contains($platforms, r.platform_id)
ORDER BY r.period_end, r.platform_id, r.requester
