-- Countries that appear in Google's summary files, for the country picker.
SELECT DISTINCT country_code, country_name
FROM platform_reported_requests
WHERE source_id IN ('google_removals_summary', 'google_removals_summary_historical')
ORDER BY country_name
