-- Militant violence per province for one source organisation and year. Rows a source splits within a
-- province (e.g. KP mainland and ex-FATA) are added up: same source, same definition, same period.
SELECT i.region_code, r.name AS region, i.source_org, i.definition_id, year(i.period_end) AS year,
       sum(i.attacks) AS attacks, sum(i.killed_total) AS killed_total, sum(i.injured_total) AS injured_total,
       string_agg(i.region_label, ' + ' ORDER BY i.region_label) AS source_regions,
       any_value(r.population_2023) AS population_2023,
       round(1e6 * sum(i.attacks) / any_value(r.population_2023), 2) AS attacks_per_million,
       round(1e6 * sum(i.killed_total) / any_value(r.population_2023), 2) AS killed_total_per_million,
       round(1e6 * sum(i.injured_total) / any_value(r.population_2023), 2) AS injured_total_per_million,
       any_value(i.source_id) AS source_id, string_agg(DISTINCT i.citation_url, ' ') AS citation_url
FROM incidents AS i
JOIN regions AS r USING (region_code)
WHERE i.region_code <> 'PK' AND i.source_org = $source_org AND year(i.period_end) = $year
  AND i.date_precision = 'year'
  AND (len($provinces) = 0 OR list_contains($provinces, i.region_code))
GROUP BY ALL
ORDER BY i.region_code
