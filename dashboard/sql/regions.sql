-- Provinces and territories (not the country row), for the province filter.
SELECT region_code, name FROM regions WHERE kind <> 'country' ORDER BY name
