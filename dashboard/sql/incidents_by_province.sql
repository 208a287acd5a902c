-- Militant violence per province for one source organisation and year, in ONE of its series: the source's
-- main definition that has province figures that year (never two definitions on one map). Rows a source splits
-- within a province (e.g. KP mainland and ex-FATA) are added up only when every part is exact: a rounded or
-- lower-bound figure never enters arithmetic (the sum is then left empty).
WITH chosen AS (
    SELECT definition_id
    FROM incidents
    WHERE region_code <> 'PK' AND source_org = $source_org AND year(period_end) = $year AND date_precision = 'year'
    GROUP BY definition_id
    ORDER BY CASE definition_id WHEN 'terrorist_attacks' THEN 1 WHEN 'militant_attacks' THEN 2
                                WHEN 'terrorism_related' THEN 3 ELSE 4 END
    LIMIT 1
)
SELECT i.region_code, r.name AS region, i.source_org, i.definition_id, year(i.period_end) AS year,
       CASE WHEN count(*) = 1 OR bool_and(i.attacks_qualifier IS NULL) THEN sum(i.attacks) END AS attacks,
       CASE WHEN count(*) = 1 OR bool_and(i.killed_total_qualifier IS NULL) THEN sum(i.killed_total) END AS killed_total,
       CASE WHEN count(*) = 1 OR bool_and(i.injured_total_qualifier IS NULL) THEN sum(i.injured_total) END
           AS injured_total,
       any_value(i.attacks_qualifier) AS attacks_qualifier, any_value(i.killed_total_qualifier) AS killed_total_qualifier,
       any_value(i.injured_total_qualifier) AS injured_total_qualifier,
       string_agg(i.region_label, ' + ' ORDER BY i.region_label) AS source_regions,
       any_value(r.population_2023) AS population_2023,
       CASE WHEN bool_and(i.attacks_qualifier IS NULL)
            THEN round(1e6 * sum(i.attacks) / any_value(r.population_2023), 2) END AS attacks_per_million,
       CASE WHEN bool_and(i.killed_total_qualifier IS NULL)
            THEN round(1e6 * sum(i.killed_total) / any_value(r.population_2023), 2) END AS killed_total_per_million,
       CASE WHEN bool_and(i.injured_total_qualifier IS NULL)
            THEN round(1e6 * sum(i.injured_total) / any_value(r.population_2023), 2) END AS injured_total_per_million,
       any_value(i.source_id) AS source_id, string_agg(DISTINCT i.citation_url, ' ') AS citation_url
FROM incidents AS i
JOIN regions AS r USING (region_code)
WHERE i.region_code <> 'PK' AND i.source_org = $source_org AND year(i.period_end) = $year
  AND i.date_precision = 'year' AND i.definition_id = (SELECT definition_id FROM chosen)
  AND (len($provinces) = 0 OR list_contains($provinces, i.region_code))
GROUP BY i.region_code, r.name, i.source_org, i.definition_id, year(i.period_end)
ORDER BY i.region_code
