-- Event-level incident aggregates of one dataset over a span of years, with province and group names.
-- Events dated to the year only have no month; the caller shows them apart. A synthetic fixture cites
-- nothing; a real export cites its own URL or the dataset's home page.
SELECT m.source_id, m.synthetic, m.dataset, m.year, m.month, m.region_code, coalesce(r.name, 'Province not given')
       AS region, r.population_2023, m.group_id, g.name AS group_name, m.event_type, m.events, m.events_date_approx,
       m.fatalities, m.fatalities_low, m.fatalities_high, m.events_fatalities_unknown, m.wounded,
       CASE WHEN m.synthetic THEN NULL
            ELSE coalesce(nullif(s.url, ''), CASE m.dataset WHEN 'acled' THEN 'https://acleddata.com/'
                                                            WHEN 'ucdp_ged' THEN 'https://ucdp.uu.se/downloads/'
                                                            WHEN 'gtd' THEN 'https://www.start.umd.edu/gtd/' END)
       END AS citation_url
FROM incident_events_monthly AS m
LEFT JOIN regions AS r USING (region_code)
LEFT JOIN militant_groups AS g USING (group_id)
JOIN sources AS s USING (source_id)
WHERE m.dataset = $dataset AND m.year BETWEEN $year_from AND $year_to
  AND (len($provinces) = 0 OR list_contains($provinces, m.region_code))
ORDER BY m.month NULLS LAST, m.region_code, m.group_id, m.event_type
