-- Platforms that appear in any fact table, for the platform picker.
SELECT p.platform_id, p.name, p.kind
FROM platforms AS p
WHERE p.platform_id IN (SELECT platform_id FROM platform_reported_requests WHERE country_code = 'PK')
   OR p.platform_id IN (SELECT platform_id FROM regulator_reported_actions)
ORDER BY p.kind, p.name
