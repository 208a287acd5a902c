-- Platforms that appear in any fact table (case-log aggregates included), for the platform picker.
SELECT p.platform_id, p.name, p.kind, p.name_ur
FROM platforms AS p
WHERE p.platform_id IN (SELECT platform_id FROM platform_reported_requests WHERE country_code = 'PK')
   OR p.platform_id IN (SELECT platform_id FROM regulator_reported_actions)
   OR p.platform_id IN (SELECT platform_id FROM case_requests_monthly_platform)
ORDER BY p.kind, p.name
