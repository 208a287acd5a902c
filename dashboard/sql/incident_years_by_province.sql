-- Which source organisations give province figures for which years (for the map pickers).
SELECT DISTINCT source_org, year(period_end) AS year
FROM incidents
WHERE region_code <> 'PK' AND date_precision = 'year'
ORDER BY source_org, year
