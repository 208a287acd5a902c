-- Case-log requests in published cells, by linked group, origin country and target kind, per platform.
-- Withheld cells are not included: the share they hold is given alongside.
SELECT c.platform_id, p.name AS platform, c.linked_group, c.origin_country, c.target_kind, c.category_id,
       sum(c.requests) AS requests_in_published_cells,
       sum(c.requests) FILTER (WHERE c.target_kind = 'mirror') AS mirror_requests,
       count(*) FILTER (WHERE c.suppressed IS NOT NULL) AS withheld_cells,
       any_value(c.synthetic) AS synthetic, any_value(c.source_id) AS source_id
FROM case_requests_monthly AS c
JOIN platforms AS p USING (platform_id)
WHERE list_contains($platforms, c.platform_id) AND year(c.month) BETWEEN $year_from AND $year_to
GROUP BY ALL
