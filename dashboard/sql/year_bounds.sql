-- First and last year with any figure, for the period slider.
SELECT min(y) AS first_year, max(y) AS last_year FROM (
    SELECT year(period_end) AS y FROM platform_reported_requests WHERE country_code = 'PK'
    UNION ALL SELECT year(coalesce(as_of, period_end)) FROM regulator_reported_actions
    UNION ALL SELECT year(period_end) FROM incidents
    UNION ALL SELECT year FROM incident_events_monthly
)
